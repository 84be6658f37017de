//! One form's conversation with the backend, as a pure state machine: it is told what each
//! request answered and says what to show, which events to fire, and how long to wait before
//! the next request (or to stop). The browser loop in `ui::live` only performs the I/O, so
//! every rule here is tested natively with scripted answers and a fixed jitter.

use crate::backend::{BackendError, Preset};
use crate::payment::{Payment, PaymentError};
use crate::poll::{Jitter, Outcome, Schedule};
use crate::status::{Completion, Status, Tracker};

/// What one HTTP request came back with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub retry_after: Option<String>,
    /// The HTTP `Date` header: the server's clock when `server_time` is absent.
    pub date: Option<String>,
    pub body: String,
    /// The local clock (ms since the epoch) when the reply arrived.
    pub received_at_ms: i64,
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the payment server did not answer within {0} s")]
    Timeout(u64),
    #[error("the payment server could not be reached ({0})")]
    Network(String),
}

/// Why the last request did not give a usable payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Transport(TransportError),
    RateLimited(Option<u64>),
    Http(u16),
    Backend(BackendError),
    Payment(PaymentError),
    /// The backend changed what to pay or where, mid-session.
    Changed {
        what: &'static str,
        from: String,
        to: String,
    },
}

impl Failure {
    /// The stable `payform:error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Transport(TransportError::Timeout(_)) => "timeout",
            Failure::Transport(TransportError::Network(_)) => "network_error",
            Failure::RateLimited(_) => "rate_limited",
            Failure::Http(404 | 410) => "not_found",
            Failure::Http(_) => "http_error",
            Failure::Backend(e) => e.code(),
            Failure::Payment(e) => e.code(),
            Failure::Changed { .. } => "payment_changed",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Failure::Transport(e) => e.to_string(),
            Failure::RateLimited(_) => "The payment server asked us to slow down.".into(),
            Failure::Http(404 | 410) => "The payment was not found at this address.".into(),
            Failure::Http(s) => format!("The payment server answered HTTP {s}."),
            Failure::Backend(e) => e.to_string(),
            Failure::Payment(e) => e.to_string(),
            Failure::Changed { what, from, to } => format!(
                "The payment's {what} changed from {from} to {to} while this page was open. The old \
                 details are hidden so nothing is sent to them: reload the page to see the new ones."
            ),
        }
    }

    /// A payment that arrived but fails validation must not be displayed at all. (A body
    /// that is not JSON is a transport glitch: the last valid payment stays on screen.)
    pub fn is_unsafe_payment(&self) -> bool {
        match self {
            Failure::Backend(BackendError::Json(_)) => false,
            Failure::Backend(_) | Failure::Payment(_) | Failure::Changed { .. } => true,
            _ => false,
        }
    }

    /// Client errors that retrying will not fix (a wrong URL, a forbidden payment).
    pub fn is_permanent(&self) -> bool {
        match self {
            Failure::Http(code) => (400..500).contains(code) && *code != 408,
            Failure::Changed { .. } => true,
            _ => false,
        }
    }

    fn outcome(&self) -> Outcome {
        match self {
            Failure::RateLimited(ms) => Outcome::RateLimited { retry_after_ms: *ms },
            _ => Outcome::Failed,
        }
    }
}

/// A problem to show the shopper: what is wrong and, if the form retries, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub retry_in_ms: Option<u64>,
    /// The payment itself is unsafe to show: no address, QR or amount may stay on screen.
    pub fatal: bool,
}

/// A DOM event of the contract, to fire after the view has rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Ready(Payment),
    Status { status: Status, previous: Option<Status>, payment: Payment },
    Paid(Payment),
    Expired(Payment),
    Failed(Payment),
    Error(Problem),
}

/// What to do after a reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    /// A valid payment to show (set only when it differs from what is shown).
    pub show: Option<Payment>,
    /// The problem to show; `Some(None)` clears it.
    pub problem: Option<Option<Problem>>,
    /// Events in the order they must be dispatched.
    pub events: Vec<Event>,
    /// Milliseconds until the next request, or `None` to stop for good.
    pub next_in_ms: Option<u64>,
    /// A detected payment disappeared (confirming fell back to awaiting payment).
    pub dropped: bool,
}

/// The state of one form's session.
#[derive(Debug, Clone)]
pub struct Session {
    preset: Preset,
    schedule: Schedule,
    tracker: Tracker,
    etag: Option<String>,
    seq: u64,
    shown: Option<Payment>,
    problem: bool,
    /// Server clock minus local clock, from the newest reply that told the server's time.
    clock_offset_ms: Option<i64>,
}

impl Session {
    pub fn new(preset: Preset, poll_interval_ms: u64) -> Session {
        Session {
            preset,
            schedule: Schedule::new(poll_interval_ms),
            tracker: Tracker::new(),
            etag: None,
            seq: 0,
            shown: None,
            problem: false,
            clock_offset_ms: None,
        }
    }

    /// Starts a request: its sequence number and the `If-None-Match` value to send.
    pub fn begin(&mut self) -> (u64, Option<String>) {
        self.seq += 1;
        (self.seq, self.etag.clone())
    }

    /// The payment on screen, if any.
    pub fn shown(&self) -> Option<&Payment> {
        self.shown.as_ref()
    }

    /// How far the server's clock is ahead of the local one (ms; negative if behind), so a
    /// countdown shows the right time left even when the shopper's clock is wrong.
    pub fn clock_offset_ms(&self) -> Option<i64> {
        self.clock_offset_ms
    }

    /// Refuses a payment whose address, network or currency differ from the one on screen.
    fn check_unchanged(&self, next: &Payment) -> Result<(), Failure> {
        let Some(prev) = &self.shown else { return Ok(()) };
        let changed =
            |what, from: &str, to: &str| Failure::Changed { what, from: from.into(), to: to.into() };
        if prev.network() != next.network() {
            return Err(changed("network", prev.network().id(), next.network().id()));
        }
        if prev.asset.currency != next.asset.currency {
            return Err(changed("currency", prev.asset.currency, next.asset.currency));
        }
        if prev.address != next.address {
            return Err(changed("address", &prev.address, &next.address));
        }
        Ok(())
    }

    fn read(
        &mut self,
        reply: Result<Reply, TransportError>,
    ) -> Result<Option<(Payment, Option<String>)>, Failure> {
        let reply = reply.map_err(Failure::Transport)?;
        let header_time = reply.date.as_deref().and_then(crate::time::parse_http_date);
        match reply.status {
            304 => {
                if let Some(server) = header_time {
                    self.clock_offset_ms = Some(server - reply.received_at_ms);
                }
                Ok(None)
            }
            200..=299 => {
                let raw = self.preset.read(&reply.body).map_err(Failure::Backend)?;
                let payment = raw.validate().map_err(Failure::Payment)?;
                if let Some(server) = payment.server_time.or(header_time) {
                    self.clock_offset_ms = Some(server - reply.received_at_ms);
                }
                Ok(Some((payment, reply.etag)))
            }
            429 => {
                let secs = reply.retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok());
                Err(Failure::RateLimited(secs.map(|s| s.saturating_mul(1000))))
            }
            code => Err(Failure::Http(code)),
        }
    }

    /// Applies the reply to request `seq`. `hidden` is whether the page is in the background.
    pub fn on_reply(
        &mut self,
        seq: u64,
        reply: Result<Reply, TransportError>,
        hidden: bool,
        jitter: &mut impl Jitter,
    ) -> Step {
        let mut step = Step::default();
        let confirming = |t: &Tracker| t.current() == Some(Status::Confirming);
        // Only an answer the status machine would apply may raise `payment_changed`: a late
        // answer to an older request is ignored whatever it says.
        let read = self.read(reply).and_then(|answer| match answer {
            Some((payment, etag)) if !self.tracker.would_ignore(seq) => {
                self.check_unchanged(&payment).map(|()| Some((payment, etag)))
            }
            other => Ok(other),
        });
        let outcome = match read {
            Ok(Some((payment, etag))) => {
                let change = self.tracker.observe(seq, payment.status);
                if !change.ignored {
                    self.etag = etag;
                    if self.problem {
                        self.problem = false;
                        step.problem = Some(None);
                    }
                    if self.shown.is_none() {
                        step.events.push(Event::Ready(payment.clone()));
                    }
                    if let Some((previous, status)) = change.changed {
                        step.dropped = previous == Some(Status::Confirming) && status.accepts_funds();
                        step.events.push(Event::Status { status, previous, payment: payment.clone() });
                    }
                    match change.completed {
                        Some(Completion::Paid) => step.events.push(Event::Paid(payment.clone())),
                        Some(Completion::Expired) => step.events.push(Event::Expired(payment.clone())),
                        Some(Completion::Failed) => step.events.push(Event::Failed(payment.clone())),
                        None => {}
                    }
                    if self.shown.as_ref() != Some(&payment) {
                        self.shown = Some(payment.clone());
                        step.show = Some(payment);
                    }
                }
                Outcome::Ok { confirming: confirming(&self.tracker) }
            }
            Ok(None) => {
                // Unchanged, but the server answered: a shown connection problem is over.
                if self.problem && self.shown.is_some() {
                    self.problem = false;
                    step.problem = Some(None);
                }
                Outcome::Ok { confirming: confirming(&self.tracker) }
            }
            Err(failure) => {
                let retry = if failure.is_permanent() || self.tracker.is_final() {
                    None
                } else {
                    Some(self.schedule.next_delay(failure.outcome(), hidden, jitter))
                };
                let fatal = failure.is_unsafe_payment();
                if fatal {
                    self.shown = None;
                }
                let problem =
                    Problem { code: failure.code(), message: failure.message(), retry_in_ms: retry, fatal };
                self.problem = true;
                step.problem = Some(Some(problem.clone()));
                step.events.push(Event::Error(problem));
                step.next_in_ms = retry;
                return step;
            }
        };
        if !self.tracker.is_final() {
            step.next_in_ms = Some(self.schedule.next_delay(outcome, hidden, jitter));
        }
        step
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll::Max;

    fn body(status: &str) -> Result<Reply, TransportError> {
        Ok(Reply {
            status: 200,
            etag: Some(format!("\"{status}\"")),
            body: format!(
                r#"{{"id":"p","status":"{status}","amount":"25","currency":"USDT","network":"tron","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}}"#
            ),
            ..Reply::default()
        })
    }

    fn names(step: &Step) -> Vec<&'static str> {
        step.events
            .iter()
            .map(|e| match e {
                Event::Ready(_) => "ready",
                Event::Status { .. } => "status",
                Event::Paid(_) => "paid",
                Event::Expired(_) => "expired",
                Event::Failed(_) => "failed",
                Event::Error(_) => "error",
            })
            .collect()
    }

    fn reply(s: &mut Session, r: Result<Reply, TransportError>) -> Step {
        let (seq, _) = s.begin();
        s.on_reply(seq, r, false, &mut Max)
    }

    #[test]
    fn first_payment_is_ready_then_paid_once_then_stop() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let first = reply(&mut s, body("awaiting_payment"));
        assert_eq!(names(&first), ["ready", "status"]);
        assert!(first.show.is_some());
        assert_eq!(first.next_in_ms, Some(3_000));
        assert_eq!(s.begin().1.as_deref(), Some("\"awaiting_payment\""), "the ETag is sent back");
        let paid = reply(&mut s, body("paid"));
        assert_eq!(names(&paid), ["status", "paid"]);
        assert_eq!(paid.next_in_ms, None, "polling stops at a final status");
    }

    #[test]
    fn not_modified_changes_nothing() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let step = reply(&mut s, Ok(Reply { status: 304, ..Reply::default() }));
        assert_eq!(step, Step { next_in_ms: Some(3_000), ..Step::default() });
    }

    #[test]
    fn a_stale_reply_is_ignored() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let (a, _) = s.begin();
        let (b, _) = s.begin();
        assert_eq!(names(&s.on_reply(b, body("confirming"), false, &mut Max)), ["ready", "status"]);
        let late = s.on_reply(a, body("awaiting_payment"), false, &mut Max);
        assert!(late.events.is_empty() && late.show.is_none());
    }

    #[test]
    fn a_stale_reply_with_other_details_is_ignored_not_a_change() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let (a, _) = s.begin();
        let (b, _) = s.begin();
        s.on_reply(b, body("awaiting_payment"), false, &mut Max);
        let mut older = body("awaiting_payment");
        if let Ok(r) = &mut older {
            r.body =
                r.body.replace("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE");
        }
        let late = s.on_reply(a, older.clone(), false, &mut Max);
        assert!(late.problem.is_none() && late.events.is_empty() && late.show.is_none(), "{late:?}");
        // The same details in an answer the machine applies are a change.
        let (c, _) = s.begin();
        let now = s.on_reply(c, older, false, &mut Max);
        assert!(matches!(&now.problem, Some(Some(p)) if p.code == "payment_changed"), "{now:?}");
    }

    #[test]
    fn errors_back_off_and_recovery_clears_the_problem() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let e1 = reply(&mut s, Ok(Reply { status: 503, ..Reply::default() }));
        assert_eq!(e1.next_in_ms, Some(6_000));
        let Some(Some(p)) = &e1.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.retry_in_ms, p.fatal), ("http_error", Some(6_000), false));
        let e2 = reply(&mut s, Err(TransportError::Timeout(10)));
        assert_eq!(e2.next_in_ms, Some(12_000));
        let ok = reply(&mut s, body("awaiting_payment"));
        assert_eq!(ok.problem, Some(None));
        assert_eq!(ok.next_in_ms, Some(3_000));
    }

    #[test]
    fn an_unchanged_answer_after_errors_clears_the_problem() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        reply(&mut s, Ok(Reply { status: 500, ..Reply::default() }));
        let step = reply(&mut s, Ok(Reply { status: 304, ..Reply::default() }));
        assert_eq!(step.problem, Some(None));
        assert_eq!(step.next_in_ms, Some(3_000));
    }

    #[test]
    fn rate_limit_obeys_retry_after_and_404_stops() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let r = reply(&mut s, Ok(Reply { status: 429, retry_after: Some("30".into()), ..Reply::default() }));
        assert_eq!(r.next_in_ms, Some(30_000));
        let gone = reply(&mut s, Ok(Reply { status: 404, ..Reply::default() }));
        assert_eq!(gone.next_in_ms, None);
        assert!(matches!(
            &gone.events[..],
            [Event::Error(Problem { code: "not_found", retry_in_ms: None, .. })]
        ));
    }

    #[test]
    fn malformed_json_changes_nothing_but_reports_an_error() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let bad = reply(&mut s, Ok(Reply { status: 200, body: "{\"id\":".into(), ..Reply::default() }));
        assert_eq!(names(&bad), ["error"]);
        assert!(bad.show.is_none());
        let Some(Some(p)) = &bad.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.fatal), ("malformed_response", false));
        assert!(s.shown().is_some(), "the last valid payment stays");
    }

    #[test]
    fn an_invalid_payment_is_taken_off_screen() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let wrong = body("awaiting_payment").map(|r| Reply { body: r.body.replace("TR7N", "0x5a"), ..r });
        let bad = reply(&mut s, wrong);
        let Some(Some(p)) = &bad.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.fatal), ("invalid_address", true));
        assert!(s.shown().is_none());
    }

    fn with_field(status: &str, field: &str, value: &str) -> Result<Reply, TransportError> {
        body(status)
            .map(|r| Reply { body: r.body.replacen('}', &format!(",\"{field}\":\"{value}\"}}"), 1), ..r })
    }

    #[test]
    fn a_changed_address_or_network_is_never_swapped_in_silently() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let other = body("awaiting_payment").map(|r| Reply {
            body: r.body.replace("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"),
            ..r
        });
        let step = reply(&mut s, other);
        assert!(step.show.is_none());
        let [Event::Error(p)] = &step.events[..] else { panic!("one error event") };
        assert_eq!((p.code, p.fatal, p.retry_in_ms), ("payment_changed", true, None));
        assert!(
            p.message.contains("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
                && p.message.contains("TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8")
        );
        assert_eq!(step.next_in_ms, None);
        assert!(s.shown().is_none(), "the old QR is taken down too");
    }

    #[test]
    fn clock_offset_comes_from_server_time_else_the_date_header() {
        let mut s = Session::new(Preset::Payform, 3_000);
        // The shopper's clock is 10 minutes fast.
        let local = 1_795_485_600_000 + 600_000;
        let r = with_field("awaiting_payment", "server_time", "2026-11-24T02:00:00Z")
            .map(|r| Reply { received_at_ms: local, ..r });
        let (seq, _) = s.begin();
        s.on_reply(seq, r, false, &mut Max);
        assert_eq!(s.clock_offset_ms(), Some(-600_000));
        let r = Ok(Reply {
            status: 304,
            date: Some("Tue, 24 Nov 2026 02:00:05 GMT".into()),
            received_at_ms: local,
            ..Reply::default()
        });
        let (seq, _) = s.begin();
        s.on_reply(seq, r, false, &mut Max);
        assert_eq!(s.clock_offset_ms(), Some(-595_000));
    }

    #[test]
    fn a_dropped_payment_is_flagged() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("confirming"));
        let back = reply(&mut s, body("awaiting_payment"));
        assert!(back.dropped);
        assert_eq!(names(&back), ["status"]);
    }

    #[test]
    fn a_500_burst_backs_off_then_recovers() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let delays: Vec<_> =
            (0..6).map(|_| reply(&mut s, Ok(Reply { status: 500, ..Reply::default() })).next_in_ms).collect();
        assert_eq!(
            delays,
            [Some(6_000), Some(12_000), Some(24_000), Some(48_000), Some(60_000), Some(60_000)]
        );
        let ok = reply(&mut s, body("paid"));
        assert_eq!(names(&ok), ["status", "paid"]);
        assert_eq!(ok.problem, Some(None));
    }

    #[test]
    fn a_hung_request_times_out_into_backoff() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let step = reply(&mut s, Err(TransportError::Timeout(10)));
        assert_eq!(step.next_in_ms, Some(6_000));
        let [Event::Error(p)] = &step.events[..] else { panic!("one error event") };
        assert_eq!((p.code, p.retry_in_ms), ("timeout", Some(6_000)));
    }

    #[test]
    fn a_terminal_status_repeated_ten_times_fires_once() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let mut all = Vec::new();
        for _ in 0..10 {
            all.extend(names(&reply(&mut s, body("paid"))));
        }
        assert_eq!(all, ["ready", "status", "paid"]);
    }

    /// 10,000 random interleavings of a payment's life (awaiting → confirming → paid, with
    /// duplicates, 304s, 500s and late answers delivered in random order): never more than one
    /// completion, never a status applied after the final one, never an answer older than one
    /// already applied.
    #[test]
    fn randomized_orderings_never_duplicate_or_regress_a_completion() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let mut completions_seen = 0;
        for _ in 0..10_000 {
            let mut s = Session::new(Preset::Payform, 3_000);
            let life = [
                "awaiting_payment",
                "awaiting_payment",
                "confirming",
                "confirming",
                "paid",
                "paid",
                "overpaid",
            ];
            // Issue one request per step of the payment's life; answers come back shuffled.
            let mut pending: Vec<(u64, Result<Reply, TransportError>)> = life
                .iter()
                .map(|st| {
                    let (seq, _) = s.begin();
                    let r = match next(6) {
                        0 => Ok(Reply { status: 500, ..Reply::default() }),
                        1 => Ok(Reply { status: 304, ..Reply::default() }),
                        _ => body(st),
                    };
                    (seq, r)
                })
                .collect();
            let mut completions = 0;
            let mut applied_after_final = false;
            let mut last_applied = 0;
            let mut finished = false;
            while !pending.is_empty() {
                let (seq, r) = pending.swap_remove(next(pending.len() as u64) as usize);
                let step = s.on_reply(seq, r, false, &mut Max);
                for e in &step.events {
                    match e {
                        Event::Paid(_) | Event::Expired(_) | Event::Failed(_) => completions += 1,
                        Event::Status { .. } => {
                            applied_after_final |= finished;
                            assert!(seq > last_applied, "an older answer was applied after a newer one");
                            last_applied = seq;
                        }
                        _ => {}
                    }
                }
                finished |= completions > 0;
            }
            assert!(completions <= 1, "completion fired {completions} times");
            assert!(!applied_after_final, "a status was applied after the final one");
            completions_seen += completions;
        }
        assert!(completions_seen > 5_000, "the scenarios do reach completion ({completions_seen})");
    }
}
