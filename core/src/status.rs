//! The payment status and the state machine that decides what the shopper sees and which
//! events the merchant page hears.
//!
//! Rules: terminal statuses are final (nothing moves the form out of paid, overpaid, expired,
//! failed, cancelled or refunded); an answer older than one already applied is ignored; and the
//! completion (paid / expired / failed) is reported exactly once.

use std::fmt;

/// The normalized statuses of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    AwaitingPayment,
    Confirming,
    Underpaid,
    Paid,
    Overpaid,
    Expired,
    Failed,
    Cancelled,
    Refunded,
}

/// How a payment ended, for the `payform:paid` / `payform:expired` / `payform:failed` events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    Paid,
    Expired,
    Failed,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::AwaitingPayment,
        Status::Confirming,
        Status::Underpaid,
        Status::Paid,
        Status::Overpaid,
        Status::Expired,
        Status::Failed,
        Status::Cancelled,
        Status::Refunded,
    ];

    /// Parses the contract's snake_case name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::AwaitingPayment => "awaiting_payment",
            Status::Confirming => "confirming",
            Status::Underpaid => "underpaid",
            Status::Paid => "paid",
            Status::Overpaid => "overpaid",
            Status::Expired => "expired",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::Refunded => "refunded",
        }
    }

    /// Terminal statuses never change again.
    pub const fn is_terminal(self) -> bool {
        self.completion().is_some()
    }

    pub const fn completion(self) -> Option<Completion> {
        match self {
            Status::Paid | Status::Overpaid => Some(Completion::Paid),
            Status::Expired => Some(Completion::Expired),
            Status::Failed | Status::Cancelled | Status::Refunded => Some(Completion::Failed),
            Status::AwaitingPayment | Status::Confirming | Status::Underpaid => None,
        }
    }

    /// Whether the shopper can still send funds (the address and QR stay visible).
    pub const fn accepts_funds(self) -> bool {
        matches!(self, Status::AwaitingPayment | Status::Underpaid)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What applying one backend answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Step {
    /// `Some((previous, new))` when the shown status changed (`previous` is `None` at first).
    pub changed: Option<(Option<Status>, Status)>,
    /// Set exactly once, by the answer that reached a terminal status.
    pub completed: Option<Completion>,
    /// The answer was stale or arrived after the end and was ignored.
    pub ignored: bool,
}

/// The status state machine of one payment.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    current: Option<Status>,
    /// Sequence number of the newest request whose answer was applied.
    applied_seq: Option<u64>,
}

impl Tracker {
    pub fn new() -> Tracker {
        Tracker::default()
    }

    pub fn current(&self) -> Option<Status> {
        self.current
    }

    pub fn is_final(&self) -> bool {
        self.current.is_some_and(Status::is_terminal)
    }

    /// Whether the answer to request `seq` would be ignored: the payment is final, or a later
    /// request's answer was already applied.
    pub fn would_ignore(&self, seq: u64) -> bool {
        self.is_final() || self.applied_seq.is_some_and(|s| seq < s)
    }

    /// Applies the status answered to request number `seq` (requests are numbered in the
    /// order they were sent, so a later request's answer wins over an earlier one).
    pub fn observe(&mut self, seq: u64, status: Status) -> Step {
        if self.would_ignore(seq) {
            return Step { ignored: true, ..Step::default() };
        }
        self.applied_seq = Some(seq);
        let previous = self.current;
        if previous == Some(status) {
            return Step::default();
        }
        self.current = Some(status);
        Step { changed: Some((previous, status)), completed: status.completion(), ignored: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("PAID"), None);
    }

    #[test]
    fn terminal_statuses_are_final_and_complete_once() {
        let mut t = Tracker::new();
        assert_eq!(t.observe(1, AwaitingPayment).changed, Some((None, AwaitingPayment)));
        let step = t.observe(2, Paid);
        assert_eq!(step.completed, Some(Completion::Paid));
        for seq in 3..13 {
            let again = t.observe(seq, Paid);
            assert!(again.ignored && again.completed.is_none() && again.changed.is_none());
        }
        assert!(t.observe(20, AwaitingPayment).ignored);
        assert_eq!(t.current(), Some(Paid));
    }

    #[test]
    fn a_stale_answer_is_ignored() {
        let mut t = Tracker::new();
        t.observe(5, Confirming);
        assert!(t.observe(4, AwaitingPayment).ignored);
        assert_eq!(t.current(), Some(Confirming));
    }

    #[test]
    fn confirming_may_fall_back_when_a_payment_is_dropped() {
        let mut t = Tracker::new();
        t.observe(1, Confirming);
        assert_eq!(t.observe(2, AwaitingPayment).changed, Some((Some(Confirming), AwaitingPayment)));
    }

    #[test]
    fn every_transition_between_every_pair_of_statuses() {
        for from in Status::ALL {
            for to in Status::ALL {
                let mut t = Tracker::new();
                t.observe(1, from);
                let step = t.observe(2, to);
                if from.is_terminal() {
                    assert!(step.ignored, "{from} is final: {to} must be ignored");
                    assert_eq!(t.current(), Some(from));
                } else if from == to {
                    assert_eq!(step, Step::default(), "{from} repeated changes nothing");
                } else {
                    assert_eq!(step.changed, Some((Some(from), to)), "{from} -> {to}");
                    assert_eq!(step.completed, to.completion());
                    assert_eq!(t.current(), Some(to));
                }
            }
        }
    }

    #[test]
    fn every_terminal_status_maps_to_one_completion() {
        assert_eq!(Overpaid.completion(), Some(Completion::Paid));
        assert_eq!(Expired.completion(), Some(Completion::Expired));
        for s in [Failed, Cancelled, Refunded] {
            assert_eq!(s.completion(), Some(Completion::Failed));
        }
        for s in [AwaitingPayment, Confirming, Underpaid] {
            assert!(!s.is_terminal());
        }
    }
}
