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
    pub body: String,
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
        }
    }

    /// A payment that arrived but fails validation must not be displayed at all. (A body
    /// that is not JSON is a transport glitch: the last valid payment stays on screen.)
    pub fn is_unsafe_payment(&self) -> bool {
        match self {
            Failure::Backend(BackendError::Json(_)) => false,
            Failure::Backend(_) | Failure::Payment(_) => true,
            _ => false,
        }
    }

    /// Client errors that retrying will not fix (a wrong URL, a forbidden payment).
    pub fn is_permanent(&self) -> bool {
        matches!(self, Failure::Http(code) if (400..500).contains(code) && *code != 408)
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

    fn read(
        &self,
        reply: Result<Reply, TransportError>,
    ) -> Result<Option<(Payment, Option<String>)>, Failure> {
        let reply = reply.map_err(Failure::Transport)?;
        match reply.status {
            304 => Ok(None),
            200..=299 => {
                let raw = self.preset.read(&reply.body).map_err(Failure::Backend)?;
                let payment = raw.validate().map_err(Failure::Payment)?;
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
        let outcome = match self.read(reply) {
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
            Ok(None) => Outcome::Ok { confirming: confirming(&self.tracker) },
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

    struct Max;
    impl Jitter for Max {
        fn upto(&mut self, max: u64) -> u64 {
            max
        }
    }

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
}
