//! One form's conversation with the backend, as a pure state machine: it is told what each
//! request (or pushed snapshot) answered, at what time, and says what to show, which events to
//! fire, and when the next request may start (or that none will). The browser loop in
//! `ui::live` only performs the I/O, so every rule here is tested natively with scripted
//! answers, a virtual clock and a fixed jitter.
//!
//! The guarantees, each a property tested below:
//! - **What was shown is remembered until the form is destroyed.** The first accepted payment
//!   fixes its identity (id, network, currency, address, amount; for Lightning the invoice,
//!   which carries its amount; for a bank rail the beneficiary, BIC, reference and the
//!   beneficiary's town and address). A later reply that differs in any of them is refused with
//!   `payment_changed` and the QR is withdrawn, however many invalid replies came in between;
//!   `payform:ready` fires once per form; the form recovers when the backend returns to the
//!   payment it showed.
//! - **Validators belong to accepted replies only**, so a `304` can never pin a rejected
//!   state: a `304` means "the payment you accepted", and puts it back on screen.
//! - **Order and freshness.** Requests and pushed snapshots are numbered as they start or
//!   arrive; an answer older than one applied (by that number, or by the payment's own
//!   `server_time`) never replaces it.
//! - **Every wait comes from [`crate::poll::Schedule`]**: floor, ceiling, `Retry-After`.
//! - **Expired is watched, not dropped.** After `expired` the form keeps asking, slowly, for
//!   [`poll::LATE_WATCH_MS`]: a payment the backend reports after the deadline moves the form on
//!   (`payform:late` once, then `payform:paid` once when it is paid); then it stops.
//! - **"I've sent the payment"** ([`Session::hurry`]) asks at once and then quickly for
//!   [`poll::HURRY_WINDOW_MS`].

use crate::backend::{BackendError, Preset};
use crate::error::{ErrorCode, Facts};
use crate::i18n::Catalog;
use crate::money::Amount;
use crate::payment::{Payment, PaymentError};
use crate::poll::{self, Jitter, Outcome, Pace, Schedule};
use crate::status::{Completion, Deadline, Status, Tracker};
use crate::time::UnixMs;

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

/// A request that got no usable HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No answer within this many seconds.
    Timeout(u64),
    /// The request failed; what the browser said.
    Network(String),
    /// The body was larger than the form accepts (counted while reading, not after).
    TooLarge(usize),
    /// The body is not UTF-8 text.
    NotText,
}

// The messages are built with `cat!` and `Display` only writes them: `thiserror`'s
// `#[error("… {0}")]` expands to `write!`, which would put `core::fmt` in the wasm
// (see `crate::text`).
impl TransportError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            TransportError::Timeout(s) => crate::cat!("the payment server did not answer within ", s, " s"),
            TransportError::Network(why) => {
                crate::cat!("the payment server could not be reached (", why, ")")
            }
            TransportError::TooLarge(n) => crate::cat!("the payment server sent more than ", n, " bytes"),
            TransportError::NotText => "the payment server's answer is not text".into(),
        }
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for TransportError {}

/// Why the last request did not give a usable payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Transport(TransportError),
    /// 429, with the wait the server asked for (ms) if it said one.
    RateLimited(Option<u64>),
    /// Another HTTP status; `retry_after_ms` from a `503` with `Retry-After`.
    Http {
        status: u16,
        retry_after_ms: Option<u64>,
    },
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
    pub fn code(&self) -> ErrorCode {
        match self {
            Failure::Transport(TransportError::Timeout(_)) => ErrorCode::Timeout,
            Failure::Transport(TransportError::Network(_)) => ErrorCode::NetworkError,
            Failure::Transport(TransportError::TooLarge(_) | TransportError::NotText) => {
                ErrorCode::MalformedResponse
            }
            Failure::RateLimited(_) => ErrorCode::RateLimited,
            Failure::Http { status: 404 | 410, .. } => ErrorCode::NotFound,
            Failure::Http { .. } => ErrorCode::HttpError,
            Failure::Backend(e) => e.code(),
            Failure::Payment(e) => e.code(),
            Failure::Changed { .. } => ErrorCode::PaymentChanged,
        }
    }

    /// The safe values the shopper's sentence for [`code`](Self::code) names: the timeout,
    /// the HTTP status, the payment's network. Never the backend's own text.
    pub fn facts(&self) -> Facts {
        let none = Facts::default();
        match self {
            Failure::Transport(TransportError::Timeout(s)) => Facts { seconds: Some(*s), ..none },
            Failure::Http { status, .. } => Facts { http_status: Some(*status), ..none },
            Failure::Payment(e) => Facts { network: e.network().map(|n| n.display_name()), ..none },
            _ => none,
        }
    }

    /// The English technical explanation, for the merchant (`payform:error`'s
    /// `detail.message`); the shopper reads [`Problem::text`] instead.
    pub fn message(&self) -> String {
        match self {
            Failure::Transport(e) => e.message(),
            Failure::RateLimited(_) => "The payment server asked us to slow down.".into(),
            Failure::Http { status: 404 | 410, .. } => "The payment was not found at this address.".into(),
            Failure::Http { status, .. } => crate::cat!("The payment server answered HTTP ", status, "."),
            Failure::Backend(e) => e.message(),
            Failure::Payment(e) => e.message(),
            Failure::Changed { what, from, to } => crate::cat!(
                "The payment's ",
                what,
                " changed from ",
                from,
                " to ",
                to,
                " while this page was open. The old details are hidden so nothing is sent to them: \
                 reload the page to see the new ones."
            ),
        }
    }

    /// A payment that arrived but fails validation must not be displayed at all. (A body
    /// that is not JSON, or too large, is a transport glitch: the last valid payment stays.)
    pub fn is_unsafe_payment(&self) -> bool {
        match self {
            Failure::Backend(BackendError::Json(_)) => false,
            Failure::Backend(_) | Failure::Payment(_) | Failure::Changed { .. } => true,
            _ => false,
        }
    }

    /// Client errors that retrying will not fix (a wrong URL, a forbidden payment).
    pub fn is_permanent(&self) -> bool {
        matches!(self, Failure::Http { status, .. } if (400..500).contains(status) && *status != 408)
    }

    fn outcome(&self) -> Outcome {
        match self {
            Failure::RateLimited(Some(ms)) | Failure::Http { retry_after_ms: Some(ms), .. } => {
                Outcome::Told { retry_after_ms: *ms }
            }
            _ => Outcome::Failed,
        }
    }
}

/// A problem to show the shopper: what is wrong and, if the form retries, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: ErrorCode,
    /// The English technical explanation, for the merchant (`payform:error`'s `detail.message`).
    pub message: String,
    /// The safe values the shopper's sentence names.
    pub facts: Facts,
    pub retry_in_ms: Option<u64>,
    /// The payment itself is unsafe to show: no address, QR or amount may stay on screen.
    pub fatal: bool,
}

impl Problem {
    /// A problem with the form's own setup (`bad_config`, `unknown_preset`, `invalid_mapping`):
    /// nothing is shown and nothing retried; `message` is the English explanation.
    pub fn setup(code: ErrorCode, message: String) -> Problem {
        Problem { code, message, facts: Facts::default(), retry_in_ms: None, fatal: true }
    }

    /// The title the shopper reads, in `t`'s language.
    pub fn title<'a>(&self, t: &'a Catalog) -> &'a str {
        t.get(self.code.title())
    }

    /// What happened and what the shopper can do, in `t`'s language.
    pub fn text(&self, t: &Catalog) -> String {
        self.code.text(self.facts, t)
    }
}

/// A DOM event of the contract, to fire after the view has rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Ready(Payment),
    Status {
        status: Status,
        previous: Option<Status>,
        payment: Payment,
    },
    Paid(Payment),
    Expired(Payment),
    Failed(Payment),
    /// The payment moved on after it had expired (`payform:late`, once).
    Late(Payment),
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
    /// Milliseconds until the next regular request, or `None` when the session is over.
    pub next_in_ms: Option<u64>,
    /// A detected payment disappeared (confirming fell back to awaiting payment).
    pub dropped: bool,
    /// What is shown happened after the deadline (the payment left `expired`, or the backend's
    /// `paid_at` is after `expires_at`).
    pub late: bool,
}

impl Step {
    /// A problem (and its `payform:error`) says when the form asks next: the step's delay.
    fn stamp_retry(&mut self) {
        if let Some(Some(p)) = &mut self.problem {
            p.retry_in_ms = self.next_in_ms;
            if let Some(Event::Error(e)) = self.events.last_mut() {
                e.retry_in_ms = self.next_in_ms;
            }
        }
    }
}

/// What must never change once shown: what to pay and where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    id: String,
    network: &'static str,
    currency: &'static str,
    address: String,
    amount: Amount,
    lightning: Option<String>,
    /// A bank rail's details that the code carries besides the account: who is paid (and
    /// where), and how the payment is matched; `(name, value)`, absent values empty.
    bank: Vec<(&'static str, String)>,
}

impl Identity {
    fn of(p: &Payment) -> Identity {
        Identity {
            id: p.id.clone(),
            network: p.network().id(),
            currency: p.asset.currency,
            // A code the backend wrote is its amount's: a new one for what remains after a part
            // was paid is the same payment, so the identity holds the account it pays (a Pix
            // key; none for a DuitNow code) and, below, the beneficiary and reference.
            address: match &p.bank {
                Some(b) if b.given => b.account_copy.clone().unwrap_or_default(),
                _ => p.address.clone(),
            },
            amount: p.amount,
            lightning: p.lightning.clone(),
            bank: p.bank.as_ref().map_or_else(Vec::new, |b| {
                crate::bank::rail::RAIL_FIELDS
                    .iter()
                    .map(|f| (f.name(), b.field(*f).unwrap_or_default().to_owned()))
                    .collect()
            }),
        }
    }

    /// The first difference from `next`, as a `payment_changed` failure.
    fn check(&self, next: &Identity) -> Result<(), Failure> {
        let changed =
            |what, from: &str, to: &str| Failure::Changed { what, from: from.into(), to: to.into() };
        if self.id != next.id {
            return Err(changed("id", &self.id, &next.id));
        }
        if self.network != next.network {
            return Err(changed("network", self.network, next.network));
        }
        if self.currency != next.currency {
            return Err(changed("currency", self.currency, next.currency));
        }
        if self.address != next.address {
            return Err(changed("address", &self.address, &next.address));
        }
        if self.amount != next.amount {
            return Err(changed("amount", &self.amount.to_decimal(), &next.amount.to_decimal()));
        }
        // An invoice may be dropped (once paid, say), never replaced by another.
        if let (Some(was), Some(now)) = (&self.lightning, &next.lightning) {
            if was != now {
                return Err(changed("lightning", was, now));
            }
        }
        // A bank transfer's beneficiary, BIC, reference and address stay what was shown.
        for ((what, was), (_, now)) in self.bank.iter().zip(&next.bank) {
            if was != now {
                return Err(changed(what, was, now));
            }
        }
        Ok(())
    }
}

/// What a reply said, once read.
enum Answer {
    Fresh(Box<Payment>, Option<String>),
    NotModified,
}

/// The state of one form's session.
#[derive(Debug, Clone)]
pub struct Session {
    preset: Preset,
    schedule: Schedule,
    tracker: Tracker,
    /// The validator of the last *accepted* reply.
    etag: Option<String>,
    seq: u64,
    /// The payment on screen (`None` while a problem withdrew it).
    shown: Option<Payment>,
    /// The last accepted payment, which a `304` refers to.
    accepted: Option<Payment>,
    /// What the first accepted payment was: never forgotten.
    identity: Option<Identity>,
    /// `payform:ready` has fired.
    ready: bool,
    problem: bool,
    /// The newest `server_time` applied: an older snapshot never replaces it.
    newest_server_time: Option<UnixMs>,
    /// Server clock minus local clock, from the newest reply that told the server's time.
    clock_offset_ms: Option<i64>,
    /// Hosts a `return_url` may point to (exact, case-insensitive).
    return_hosts: Vec<String>,
    /// Real payments or test ones (the `network-mode` option).
    mode: crate::network::NetworkMode,
    /// No more requests: the payment is final or the backend said it is gone.
    stopped: bool,
    /// When this form first saw the payment `expired` (local clock): the late watch's start.
    expired_seen_at: Option<UnixMs>,
    /// "I've sent the payment": ask quickly until then (local clock).
    hurry_until: Option<UnixMs>,
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
            accepted: None,
            identity: None,
            ready: false,
            problem: false,
            newest_server_time: None,
            clock_offset_ms: None,
            return_hosts: Vec::new(),
            mode: crate::network::NetworkMode::Live,
            stopped: false,
            expired_seen_at: None,
            hurry_until: None,
        }
    }

    /// The shopper says the payment is on its way: ask as soon as allowed and then every
    /// [`poll::HURRY_INTERVAL_MS`] for [`poll::HURRY_WINDOW_MS`]. Returns when the fast pace
    /// ends (local clock), or `None` when the session is over or nothing is being waited for.
    pub fn hurry(&mut self, now: UnixMs) -> Option<UnixMs> {
        let waiting = self.tracker.current().is_some_and(Status::accepts_funds);
        if self.stopped || !waiting {
            return None;
        }
        let until = now.saturating_add(poll::HURRY_WINDOW_MS as i64);
        self.hurry_until = Some(until);
        Some(until)
    }

    /// Whether what is shown happened after the deadline.
    pub fn is_late(&self) -> bool {
        self.tracker.is_late() || self.shown.as_ref().is_some_and(Payment::paid_after_deadline)
    }

    /// The hosts a payment's `return_url` may name (none by default: any `return_url` is
    /// then refused). The form passes its page's host, the payment URL's host and the
    /// merchant's `return-hosts`.
    pub fn with_return_hosts(mut self, hosts: Vec<String>) -> Session {
        self.return_hosts = hosts;
        self
    }

    /// Which payments the form shows: real ones (the default) or test ones; a payment of the
    /// other mode is a problem like any payment unsafe to show.
    pub fn with_network_mode(mut self, mode: crate::network::NetworkMode) -> Session {
        self.mode = mode;
        self
    }

    /// Starts a request at `now`: its sequence number and the `If-None-Match` value to send.
    pub fn begin(&mut self, now: UnixMs) -> (u64, Option<String>) {
        self.seq += 1;
        self.schedule.started(now);
        (self.seq, self.etag.clone())
    }

    /// When the next request may start (`refresh`: as soon as the schedule allows, for the
    /// page becoming visible, the network coming back or `refresh()`); `None` when the
    /// session is over.
    pub fn next_request_at(&self, now: UnixMs, refresh: bool) -> Option<UnixMs> {
        (!self.stopped).then(|| self.schedule.next_at(now, refresh))
    }

    /// Whether a push stream is carrying updates (the poll then runs as a slow backup).
    pub fn set_push(&mut self, healthy: bool) {
        self.schedule.set_push(healthy);
    }

    /// Whether no more requests will be made.
    pub fn is_over(&self) -> bool {
        self.stopped
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

    fn read(&mut self, reply: Result<Reply, TransportError>, now: UnixMs) -> Result<Answer, Failure> {
        let reply = reply.map_err(Failure::Transport)?;
        let header_time = reply.date.as_deref().and_then(crate::time::parse_http_date);
        let retry_after = || {
            let server_now = header_time.unwrap_or(now);
            reply.retry_after.as_deref().and_then(|v| poll::parse_retry_after(v, server_now))
        };
        match reply.status {
            304 => {
                if let Some(server) = header_time {
                    self.clock_offset_ms = Some(server - reply.received_at_ms);
                }
                Ok(Answer::NotModified)
            }
            200..=299 => {
                let raw = self.preset.read(&reply.body).map_err(Failure::Backend)?;
                let payment = raw.validate_in(self.mode).map_err(Failure::Payment)?;
                if let Some(url) = &payment.return_url {
                    crate::url::check_return_url(url, &self.return_hosts)
                        .map_err(|why| Failure::Payment(PaymentError::ReturnUrl { url: url.clone(), why }))?;
                }
                if let Some(server) = payment.server_time.or(header_time) {
                    self.clock_offset_ms = Some(server - reply.received_at_ms);
                }
                Ok(Answer::Fresh(Box::new(payment), reply.etag))
            }
            429 => Err(Failure::RateLimited(retry_after())),
            503 => Err(Failure::Http { status: 503, retry_after_ms: retry_after() }),
            status => Err(Failure::Http { status, retry_after_ms: None }),
        }
    }

    /// Whether a snapshot is older than the one applied (by the backend's own clock).
    fn is_stale(&self, payment: &Payment) -> bool {
        matches!((payment.server_time, self.newest_server_time), (Some(t), Some(newest)) if t < newest)
    }

    /// Applies the reply to request `seq`, which arrived at `now`. `hidden` is whether the
    /// page is in the background.
    pub fn on_reply(
        &mut self,
        seq: u64,
        reply: Result<Reply, TransportError>,
        now: UnixMs,
        hidden: bool,
        jitter: &mut impl Jitter,
    ) -> Step {
        let (mut step, outcome) = self.apply(seq, reply, now);
        step.late = self.is_late();
        step.next_in_ms = match outcome {
            _ if self.stopped => None,
            Some(outcome) => Some(self.schedule.finished(outcome, now, hidden, jitter)),
            None => {
                self.stopped = true;
                None
            }
        };
        step.stamp_retry();
        step
    }

    /// Applies a snapshot that was pushed (server-sent events) or given inline, at `now`. It
    /// is numbered as it arrives, and does not move the poll's own schedule.
    pub fn on_push(&mut self, body: String, now: UnixMs) -> Step {
        self.seq += 1;
        let reply = Reply { status: 200, body, received_at_ms: now, ..Reply::default() };
        let (mut step, outcome) = self.apply(self.seq, Ok(reply), now);
        step.late = self.is_late();
        if outcome.is_none() {
            self.stopped = true;
        }
        step.next_in_ms =
            self.next_request_at(now, false).map(|at| u64::try_from(at.saturating_sub(now)).unwrap_or(0));
        step.stamp_retry();
        step
    }

    /// The state change of one answer; the outcome for the schedule, `None` to stop.
    fn apply(
        &mut self,
        seq: u64,
        reply: Result<Reply, TransportError>,
        now: UnixMs,
    ) -> (Step, Option<Outcome>) {
        let mut step = Step::default();
        // Only an answer the status machine would apply may raise `payment_changed`: a late
        // answer (to an older request, or an older snapshot) is ignored whatever it says.
        let read = self.read(reply, now).and_then(|answer| match answer {
            Answer::Fresh(payment, _) if self.tracker.would_ignore(seq) || self.is_stale(&payment) => {
                Ok(None)
            }
            Answer::Fresh(payment, etag) => {
                let id = Identity::of(&payment);
                match &self.identity {
                    Some(known) => {
                        known.check(&id)?;
                        // An invoice that appears later is fixed from then on too.
                        if known.lightning.is_none() && id.lightning.is_some() {
                            self.identity = Some(id);
                        }
                    }
                    None => self.identity = Some(id),
                }
                Ok(Some(Answer::Fresh(payment, etag)))
            }
            Answer::NotModified => Ok(Some(Answer::NotModified)),
        });
        match read {
            Ok(None) => {}
            Ok(Some(Answer::Fresh(payment, etag))) => {
                let payment = *payment;
                // A deadline the backend moved into the future (more time given) reopens an
                // expired payment; otherwise what comes after `expired` is late.
                let server_now = payment.server_time.unwrap_or(now + self.clock_offset_ms.unwrap_or(0));
                let deadline = match payment.expires_at {
                    Some(end) if end > server_now => Deadline::Extended,
                    _ => Deadline::Past,
                };
                let change = self.tracker.observe_with(seq, payment.status, deadline);
                if change
                    .changed
                    .is_some_and(|(from, to)| from == Some(Status::Expired) && to.accepts_funds())
                    && !change.late
                {
                    self.expired_seen_at = None;
                }
                if change.ignored {
                    // A status that may not follow the one shown (awaiting after expired): the
                    // screen stays as it is, as for a stale answer.
                    let outcome = self.pace(now).map(|pace| Outcome::Ok { pace });
                    return (step, outcome);
                }
                self.etag = etag;
                if let Some(t) = payment.server_time {
                    self.newest_server_time = Some(self.newest_server_time.map_or(t, |n| n.max(t)));
                }
                self.accepted = Some(payment.clone());
                if self.problem {
                    self.problem = false;
                    step.problem = Some(None);
                }
                if !self.ready {
                    self.ready = true;
                    step.events.push(Event::Ready(payment.clone()));
                }
                if let Some((previous, status)) = change.changed {
                    step.dropped = previous == Some(Status::Confirming) && status.accepts_funds();
                    step.events.push(Event::Status { status, previous, payment: payment.clone() });
                }
                if change.late {
                    step.events.push(Event::Late(payment.clone()));
                }
                if payment.status == Status::Expired {
                    self.expired_seen_at.get_or_insert(now);
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
            Ok(Some(Answer::NotModified)) => {
                // "Unchanged since the payment you accepted": a shown problem is over, and a
                // payment withdrawn by a rejected reply in between comes back.
                if self.problem && self.accepted.is_some() {
                    self.problem = false;
                    step.problem = Some(None);
                    if self.shown.is_none() {
                        self.shown = self.accepted.clone();
                        step.show = self.accepted.clone();
                    }
                }
            }
            Err(failure) => {
                // An unsafe payment is taken down; so is one the backend says is gone for good
                // (a 404 or another 4xx): no more updates would reach a QR left on screen.
                let withdraw = failure.is_unsafe_payment() || failure.is_permanent();
                if withdraw {
                    self.shown = None;
                }
                let problem = Problem {
                    code: failure.code(),
                    message: failure.message(),
                    facts: failure.facts(),
                    retry_in_ms: None,
                    fatal: withdraw,
                };
                self.problem = true;
                step.problem = Some(Some(problem.clone()));
                step.events.push(Event::Error(problem));
                let outcome =
                    (!failure.is_permanent() && self.pace(now).is_some()).then(|| failure.outcome());
                return (step, outcome);
            }
        }
        let outcome = self.pace(now).map(|pace| Outcome::Ok { pace });
        (step, outcome)
    }

    /// How fast to ask next, or `None` when nothing can change any more: a final status, or
    /// an expired payment watched for [`poll::LATE_WATCH_MS`] already.
    fn pace(&self, now: UnixMs) -> Option<Pace> {
        match self.tracker.current() {
            Some(s) if s.is_final() => None,
            // Expired, or late (moved on from expired, not yet final): watched at the late pace
            // for an hour from when the form saw it expire, then no more.
            Some(s) if s == Status::Expired || self.tracker.is_late() => {
                let since = self.expired_seen_at.map_or(0, |t| now.saturating_sub(t));
                (since < poll::LATE_WATCH_MS as i64).then_some(Pace::AfterExpiry)
            }
            Some(s) if s.accepts_funds() && self.hurry_until.is_some_and(|until| now < until) => {
                Some(Pace::Hurry)
            }
            Some(Status::Confirming) => Some(Pace::Confirming),
            _ => Some(Pace::Normal),
        }
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
                r#"{{"id":"p","status":"{status}","amount":"25","currency":"USDT","network":"tron","address":"TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6"}}"#
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
                Event::Late(_) => "late",
                Event::Error(_) => "error",
            })
            .collect()
    }

    fn reply(s: &mut Session, r: Result<Reply, TransportError>) -> Step {
        let (seq, _) = s.begin(0);
        s.on_reply(seq, r, 0, false, &mut Max)
    }

    #[test]
    fn every_error_says_what_it_said() {
        let cases = [
            (TransportError::Timeout(10), format!("the payment server did not answer within {} s", 10u64)),
            (
                TransportError::Timeout(u64::MAX),
                format!("the payment server did not answer within {} s", u64::MAX),
            ),
            (
                TransportError::Network("TypeError: Failed to fetch".into()),
                format!("the payment server could not be reached ({})", "TypeError: Failed to fetch"),
            ),
            (
                TransportError::TooLarge(262_144),
                format!("the payment server sent more than {} bytes", 262_144usize),
            ),
            (TransportError::NotText, "the payment server's answer is not text".to_string()),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
            assert_eq!(Failure::Transport(err).message(), want);
        }
        let payment = PaymentError::Missing("address");
        let backend = BackendError::Missing { field: "amount".into() };
        let cases = [
            (Failure::RateLimited(Some(5)), "The payment server asked us to slow down.".to_string()),
            (
                Failure::Http { status: 404, retry_after_ms: None },
                "The payment was not found at this address.".into(),
            ),
            (
                Failure::Http { status: 410, retry_after_ms: None },
                "The payment was not found at this address.".into(),
            ),
            (
                Failure::Http { status: 503, retry_after_ms: Some(1) },
                format!("The payment server answered HTTP {}.", 503u16),
            ),
            (
                Failure::Http { status: 0, retry_after_ms: None },
                format!("The payment server answered HTTP {}.", 0u16),
            ),
            (Failure::Backend(backend.clone()), format!("{backend}")),
            (Failure::Payment(payment.clone()), format!("{payment}")),
            (
                Failure::Changed { what: "amount", from: "25".into(), to: "2.5".into() },
                format!(
                    "The payment's {} changed from {} to {} while this page was open. The old \
                     details are hidden so nothing is sent to them: reload the page to see the new ones.",
                    "amount", "25", "2.5"
                ),
            ),
        ];
        for (failure, want) in cases {
            assert_eq!(failure.message(), want);
        }
    }

    #[test]
    fn first_payment_is_ready_then_paid_once_then_stop() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let first = reply(&mut s, body("awaiting_payment"));
        assert_eq!(names(&first), ["ready", "status"]);
        assert!(first.show.is_some());
        assert_eq!(first.next_in_ms, Some(3_750));
        assert_eq!(s.begin(0).1.as_deref(), Some("\"awaiting_payment\""), "the ETag is sent back");
        let paid = reply(&mut s, body("paid"));
        assert_eq!(names(&paid), ["status", "paid"]);
        assert_eq!(paid.next_in_ms, None, "polling stops at a final status");
    }

    fn reply_at(s: &mut Session, r: Result<Reply, TransportError>, now: UnixMs) -> Step {
        let (seq, _) = s.begin(now);
        s.on_reply(seq, r, now, false, &mut Max)
    }

    #[test]
    fn a_payment_after_the_deadline_is_late_and_paid_fires_once() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply_at(&mut s, body("awaiting_payment"), 0);
        let expired = reply_at(&mut s, body("expired"), 1_000);
        assert_eq!(names(&expired), ["status", "expired"]);
        assert!(!expired.late);
        assert_eq!(expired.next_in_ms, Some(18_750), "expired is still watched, every 15 s ± 25 %");
        let seen = reply_at(&mut s, body("confirming"), 20_000);
        assert_eq!(names(&seen), ["status", "late"]);
        assert!(seen.late && s.is_late());
        assert_eq!(reply_at(&mut s, body("expired"), 40_000).events.len(), 1, "no second expired");
        let paid = reply_at(&mut s, body("paid"), 60_000);
        assert_eq!(names(&paid), ["status", "paid"]);
        assert!(paid.late);
        assert_eq!(paid.next_in_ms, None, "paid is final");
        for at in [70_000, 80_000] {
            assert!(reply_at(&mut s, body("paid"), at).events.is_empty());
        }
        // Never back to awaiting, and an expired payment is not failed or cancelled later.
        let mut s = Session::new(Preset::Payform, 3_000);
        reply_at(&mut s, body("expired"), 0);
        for status in ["awaiting_payment", "failed", "cancelled"] {
            let step = reply_at(&mut s, body(status), 5_000);
            assert!(step.events.is_empty() && step.show.is_none(), "{status}");
        }
    }

    #[test]
    fn a_late_payment_stays_late_across_a_rejected_reply_and_a_304_and_is_watched_an_hour() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply_at(&mut s, body("expired"), 0);
        assert!(
            reply_at(
                &mut s,
                body("underpaid")
                    .map(|r| Reply { body: r.body.replace("\"p\",", "\"p\",\"paid\":\"10\","), ..r }),
                1_000
            )
            .late
        );
        let bad = body("underpaid").map(|r| Reply { body: r.body.replace("TXK9", "0x5a"), ..r });
        assert!(reply_at(&mut s, bad, 2_000).show.is_none());
        let back = reply_at(&mut s, Ok(Reply { status: 304, ..Reply::default() }), 3_000);
        assert!(back.show.is_some() && back.late, "the accepted payment comes back, still late");
        // A late payment that never settles is not polled forever: the hour from expiry holds.
        let end = poll::LATE_WATCH_MS as i64;
        assert_eq!(
            reply_at(&mut s, Ok(Reply { status: 304, ..Reply::default() }), end - 1).next_in_ms,
            Some(18_750)
        );
        assert_eq!(reply_at(&mut s, Ok(Reply { status: 304, ..Reply::default() }), end).next_in_ms, None);
    }

    #[test]
    fn more_time_from_the_backend_reopens_an_expired_payment_without_calling_it_late() {
        let snapshot = |status: &str, expires: &str| {
            body(status).map(|r| Reply {
                body: r.body.replacen(
                    '{',
                    &format!("{{\"expires_at\":\"{expires}\",\"server_time\":\"2026-11-24T02:00:30Z\","),
                    1,
                ),
                ..r
            })
        };
        let mut s = Session::new(Preset::Payform, 3_000);
        reply_at(&mut s, snapshot("awaiting_payment", "2026-11-24T02:00:00Z"), 0);
        reply_at(&mut s, snapshot("expired", "2026-11-24T02:00:00Z"), 1_000);
        // The same deadline: awaiting again is refused; a later one reopens the payment.
        assert!(reply_at(&mut s, snapshot("awaiting_payment", "2026-11-24T02:00:00Z"), 2_000)
            .events
            .is_empty());
        let open = reply_at(&mut s, snapshot("awaiting_payment", "2026-11-24T02:10:00Z"), 3_000);
        assert_eq!(names(&open), ["status"]);
        assert!(!open.late);
        assert_eq!(open.next_in_ms, Some(3_750), "the normal pace again");
    }

    #[test]
    fn an_invoice_that_appears_later_cannot_be_swapped_afterwards() {
        const A: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";
        // The same invoice data under another spelling of the same amount (2500000n = 2500u),
        // with its own checksum: a different, valid invoice for 0.0025 BTC.
        use bech32::primitives::decode::CheckedHrpstring;
        use bech32::{Bech32, Fe32IterExt, Hrp};
        let b: String = CheckedHrpstring::new::<Bech32>(A)
            .unwrap()
            .fe32_iter::<std::iter::Empty<u8>>()
            .with_checksum::<Bech32>(&Hrp::parse("lnbc2500000n").unwrap())
            .chars()
            .collect();
        let btc = |invoice: Option<&str>| {
            let ln = invoice.map_or(String::new(), |i| format!(",\"lightning\":\"{i}\""));
            ok_reply(format!(
                r#"{{"id":"p","status":"awaiting_payment","amount":"0.0025","currency":"BTC","network":"bitcoin","address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"{ln}}}"#
            ))
        };
        let mut s = Session::new(Preset::Payform, 3_000);
        assert!(reply(&mut s, btc(None)).show.is_some());
        assert!(reply(&mut s, btc(Some(A))).show.is_some(), "an invoice may be added");
        let swapped = reply(&mut s, btc(Some(&b)));
        let Some(Some(p)) = &swapped.problem else { panic!("a problem is shown") };
        assert_eq!(p.code, ErrorCode::PaymentChanged);
    }

    #[test]
    fn an_expired_payment_is_watched_for_an_hour_then_the_form_stops() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply_at(&mut s, body("expired"), 0);
        let watch = poll::LATE_WATCH_MS as i64;
        assert!(reply_at(&mut s, body("expired"), watch - 1).next_in_ms.is_some());
        // A failure inside the window is retried; at its end nothing is asked any more.
        assert!(reply_at(&mut s, Ok(Reply { status: 500, ..Reply::default() }), watch - 1)
            .next_in_ms
            .is_some());
        assert_eq!(reply_at(&mut s, body("expired"), watch).next_in_ms, None);
        assert!(s.is_over() && s.next_request_at(watch, true).is_none());
    }

    #[test]
    fn paid_at_after_the_deadline_is_late_too() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let late = with_field("paid", "paid_at", "2026-11-24T02:00:01Z");
        let late = late.map(|r| Reply {
            body: r.body.replacen('{', "{\"expires_at\":\"2026-11-24T02:00:00Z\",", 1),
            ..r
        });
        assert!(reply(&mut s, late).late);
        let mut s = Session::new(Preset::Payform, 3_000);
        let on_time = with_field("paid", "paid_at", "2026-11-24T01:59:59Z").map(|r| Reply {
            body: r.body.replacen('{', "{\"expires_at\":\"2026-11-24T02:00:00Z\",", 1),
            ..r
        });
        assert!(!reply(&mut s, on_time).late);
    }

    #[test]
    fn ive_sent_it_asks_quickly_for_two_minutes_only_while_waiting() {
        let mut s = Session::new(Preset::Payform, 3_000);
        assert_eq!(s.hurry(0), None, "nothing shown yet");
        reply_at(&mut s, body("awaiting_payment"), 0);
        assert_eq!(s.hurry(1_000), Some(1_000 + poll::HURRY_WINDOW_MS as i64));
        assert_eq!(s.next_request_at(1_000, true), Some(1_000), "the first request goes at once");
        assert_eq!(reply_at(&mut s, body("awaiting_payment"), 1_000).next_in_ms, Some(1_875));
        let end = 1_000 + poll::HURRY_WINDOW_MS as i64;
        assert_eq!(reply_at(&mut s, body("awaiting_payment"), end - 1).next_in_ms, Some(1_875));
        assert_eq!(reply_at(&mut s, body("awaiting_payment"), end).next_in_ms, Some(3_750), "back to 3 s");
        reply_at(&mut s, body("paid"), end + 5_000);
        assert_eq!(s.hurry(end + 6_000), None, "nothing to look for once paid");
    }

    #[test]
    fn not_modified_changes_nothing() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let step = reply(&mut s, Ok(Reply { status: 304, ..Reply::default() }));
        assert_eq!(step, Step { next_in_ms: Some(3_750), ..Step::default() });
    }

    #[test]
    fn a_stale_reply_is_ignored() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let (a, _) = s.begin(0);
        let (b, _) = s.begin(0);
        assert_eq!(names(&s.on_reply(b, body("confirming"), 0, false, &mut Max)), ["ready", "status"]);
        let late = s.on_reply(a, body("awaiting_payment"), 0, false, &mut Max);
        assert!(late.events.is_empty() && late.show.is_none());
    }

    #[test]
    fn a_stale_reply_with_other_details_is_ignored_not_a_change() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let (a, _) = s.begin(0);
        let (b, _) = s.begin(0);
        s.on_reply(b, body("awaiting_payment"), 0, false, &mut Max);
        let mut older = body("awaiting_payment");
        if let Ok(r) = &mut older {
            r.body =
                r.body.replace("TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6", "THwjJ5iZPKvX8k9C9cbm3waDfAZPoFctWv");
        }
        let late = s.on_reply(a, older.clone(), 0, false, &mut Max);
        assert!(late.problem.is_none() && late.events.is_empty() && late.show.is_none(), "{late:?}");
        // The same details in an answer the machine applies are a change.
        let (c, _) = s.begin(0);
        let now = s.on_reply(c, older, 0, false, &mut Max);
        assert!(matches!(&now.problem, Some(Some(p)) if p.code == ErrorCode::PaymentChanged), "{now:?}");
    }

    #[test]
    fn errors_back_off_and_recovery_clears_the_problem() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let e1 = reply(&mut s, Ok(Reply { status: 503, ..Reply::default() }));
        assert_eq!(e1.next_in_ms, Some(6_000));
        let Some(Some(p)) = &e1.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.retry_in_ms, p.fatal), (ErrorCode::HttpError, Some(6_000), false));
        let e2 = reply(&mut s, Err(TransportError::Timeout(10)));
        assert_eq!(e2.next_in_ms, Some(12_000));
        let ok = reply(&mut s, body("awaiting_payment"));
        assert_eq!(ok.problem, Some(None));
        assert_eq!(ok.next_in_ms, Some(3_750));
    }

    #[test]
    fn an_unchanged_answer_after_errors_clears_the_problem() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        reply(&mut s, Ok(Reply { status: 500, ..Reply::default() }));
        let step = reply(&mut s, Ok(Reply { status: 304, ..Reply::default() }));
        assert_eq!(step.problem, Some(None));
        assert_eq!(step.next_in_ms, Some(3_750));
    }

    #[test]
    fn rate_limit_obeys_retry_after_and_404_stops() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let r = reply(&mut s, Ok(Reply { status: 429, retry_after: Some("30".into()), ..Reply::default() }));
        assert_eq!(r.next_in_ms, Some(37_500), "30 s plus up to a quarter more");
        assert!(s.next_request_at(1, true).unwrap() >= 30_000, "a refresh does not skip it");
        let gone = reply(&mut s, Ok(Reply { status: 404, ..Reply::default() }));
        assert_eq!(gone.next_in_ms, None);
        assert!(matches!(
            &gone.events[..],
            [Event::Error(Problem { code: ErrorCode::NotFound, retry_in_ms: None, .. })]
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
        assert_eq!((p.code, p.fatal), (ErrorCode::MalformedResponse, false));
        assert!(s.shown().is_some(), "the last valid payment stays");
    }

    #[test]
    fn the_network_mode_decides_which_payments_are_shown() {
        let on = |network: &str, address: &str| {
            body("awaiting_payment").map(|r| Reply {
                body: r
                    .body
                    .replace("\"tron\"", &format!("\"{network}\""))
                    .replace("TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6", address),
                ..r
            })
        };
        let nile = || on("tron_nile", "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6");
        // Default (live): the test payment is a problem, never shown.
        let mut live = Session::new(Preset::Payform, 3_000);
        let step = reply(&mut live, nile());
        let Some(Some(p)) = &step.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.fatal), (ErrorCode::UnsupportedNetwork, true));
        assert!(p.message.contains("set network-mode=\"test\""), "{}", p.message);
        assert!(live.shown().is_none());
        // Test mode: shown, and the same mode refuses the real one.
        let mut test =
            Session::new(Preset::Payform, 3_000).with_network_mode(crate::network::NetworkMode::Test);
        reply(&mut test, nile());
        assert_eq!(test.shown().map(|p| p.network().id()), Some("tron_nile"));
        let mut test =
            Session::new(Preset::Payform, 3_000).with_network_mode(crate::network::NetworkMode::Test);
        let step = reply(&mut test, body("awaiting_payment"));
        let Some(Some(p)) = &step.problem else { panic!("a problem is shown") };
        assert_eq!(p.code, ErrorCode::UnsupportedNetwork);
        assert!(test.shown().is_none());
    }

    #[test]
    fn an_invalid_payment_is_taken_off_screen() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, body("awaiting_payment"));
        let wrong = body("awaiting_payment").map(|r| Reply { body: r.body.replace("TXK9", "0x5a"), ..r });
        let bad = reply(&mut s, wrong);
        let Some(Some(p)) = &bad.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.fatal), (ErrorCode::InvalidAddress, true));
        assert!(s.shown().is_none());
        // The shopper reads the code's title and sentence, naming the network; the merchant's
        // English message says what exactly is wrong.
        let t = Catalog::english();
        assert_eq!(p.title(&t), "This payment cannot be displayed safely");
        assert_eq!(
            p.text(&t),
            "The payment address is not valid for Tron (TRC-20), so it is not shown. Please contact the shop."
        );
        assert!(p.message.contains("0x5aR9U7zBd9QZkJKa1qBgEzj8KVzKrjU6"), "{}", p.message);
    }

    /// Every failure carries the facts its code's sentence names, so no `{placeholder}` ever
    /// reaches the shopper; a code no failure here produces names none.
    #[test]
    fn every_failure_carries_what_its_sentence_names() {
        let t = Catalog::english();
        let invalid = |mutate: fn(&mut crate::payment::RawPayment)| {
            let mut raw = crate::payment::tron_usdt("awaiting_payment");
            mutate(&mut raw);
            Failure::Payment(raw.validate().unwrap_err())
        };
        let failures = [
            Failure::Transport(TransportError::Timeout(10)),
            Failure::Transport(TransportError::Network("offline".into())),
            Failure::Transport(TransportError::TooLarge(262_144)),
            Failure::Transport(TransportError::NotText),
            Failure::RateLimited(Some(1_000)),
            Failure::Http { status: 404, retry_after_ms: None },
            Failure::Http { status: 503, retry_after_ms: None },
            Failure::Backend(Preset::Payform.read("<html>").unwrap_err()),
            Failure::Backend(Preset::Payform.read("[]").unwrap_err()),
            invalid(|r| r.network = "ripple".into()),
            invalid(|r| r.currency = "DOGE".into()),
            invalid(|r| r.amount = "1e5".into()),
            invalid(|r| r.address = "T123".into()),
            invalid(|r| r.address = String::new()),
            invalid(|r| r.address = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into()),
            invalid(|r| r.expires_at = Some("tomorrow".into())),
            invalid(|r| r.return_url = Some("javascript:alert(1)".into())),
            invalid(|r| {
                r.network = "lightning".into();
                r.currency = "BTC".into();
                r.amount = "0.003".into();
                // BOLT11's example invoice for 2500u (0.0025 BTC).
                r.address = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh".into();
            }),
            invalid(|r| {
                r.network = "paynow".into();
                r.currency = "SGD".into();
                r.address = "+6512".into();
                r.bank.beneficiary = Some("Shop".into());
                r.bank.city = Some("Singapore".into());
            }),
            invalid(|r| {
                r.network = "sepa_epc".into();
                r.currency = "EUR".into();
                r.address = "DE89370400440532013000".into();
            }),
            Failure::Changed { what: "address", from: "a".into(), to: "b".into() },
        ];
        let mut covered = std::collections::HashSet::new();
        for f in &failures {
            let text = f.code().text(f.facts(), &t);
            assert!(!text.contains(['{', '}']), "{}: {text}", f.code());
            covered.insert(f.code());
        }
        assert!(covered.contains(&ErrorCode::InvoiceAmountMismatch) && covered.len() >= 15, "{covered:?}");
        for code in ErrorCode::ALL.iter().filter(|c| !covered.contains(c)) {
            let sentence = t.get(code.message());
            assert!(crate::i18n::placeholders(sentence).is_empty(), "{code}: {sentence}");
        }
        let timeout = &failures[0];
        assert_eq!(
            timeout.code().text(timeout.facts(), &t),
            "The payment server did not answer within 10 s."
        );
        let busy = &failures[6];
        assert_eq!(busy.code().text(busy.facts(), &t), "The payment server answered with error 503.");
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
            body: r.body.replace("TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6", "TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu"),
            ..r
        });
        let step = reply(&mut s, other);
        assert!(step.show.is_none());
        let [Event::Error(p)] = &step.events[..] else { panic!("one error event") };
        assert_eq!((p.code, p.fatal, p.retry_in_ms), (ErrorCode::PaymentChanged, true, Some(6_000)));
        assert!(
            p.message.contains("TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6")
                && p.message.contains("TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu")
        );
        assert_eq!(step.next_in_ms, Some(6_000), "it keeps asking, with backoff, to recover");
        assert!(s.shown().is_none(), "the old QR is taken down too");
    }

    /// A bank transfer is matched by its beneficiary and reference: a later answer that names
    /// another is refused as a change, like another IBAN; a status update keeps them and passes.
    #[test]
    fn a_bank_payment_s_beneficiary_and_reference_are_fixed_once_shown() {
        let sepa = |status: &str, reference: &str, name: &str| {
            Ok(Reply {
                status: 200,
                body: format!(
                    r#"{{"id":"p","status":"{status}","amount":"25","currency":"EUR","network":"sepa_epc","address":"DE89370400440532013000","beneficiary":"{name}","reference":"{reference}"}}"#
                ),
                ..Reply::default()
            })
        };
        let mut s = Session::new(Preset::Payform, 3_000);
        assert!(reply(&mut s, sepa("awaiting_payment", "RF18539007547034", "Shop")).show.is_some());
        for (what, changed) in [
            ("reference", sepa("awaiting_payment", "RF712348231", "Shop")),
            ("beneficiary", sepa("awaiting_payment", "RF18539007547034", "Other")),
        ] {
            let step = reply(&mut s, changed);
            let [Event::Error(p)] = &step.events[..] else { panic!("{what}: one error event") };
            assert_eq!(p.code, ErrorCode::PaymentChanged, "{what}");
            assert!(p.message.contains(what), "{what}: {}", p.message);
        }
        let step = reply(&mut s, sepa("paid", "RF18539007547034", "Shop"));
        assert_eq!(step.show.map(|p| p.status), Some(Status::Paid));
    }

    /// A Pix code the backend wrote for the whole amount, then (a part paid) one for what
    /// remains: the same payment, shown; a code paying another key is a change.
    #[test]
    fn a_backend_code_for_the_remainder_is_the_same_payment() {
        use crate::bank::rail::{Local, RailCheck, RailRequest, RawBank};
        let code = |key: &str, due: &str| {
            let raw = RawBank {
                beneficiary: Some("Loja".into()),
                city: Some("Recife".into()),
                ..RawBank::default()
            };
            let due = Amount::parse(due, 2).unwrap();
            let r = RailRequest {
                network: crate::network::Network::Pix,
                currency: "BRL",
                address: key,
                raw: &raw,
                amount: due,
                due,
            };
            Local.check(&r).unwrap().payload
        };
        let pix = |status: &str, paid: &str, address: &str| {
            Ok(Reply {
                status: 200,
                body: format!(
                    r#"{{"id":"p","status":"{status}","amount":"10","paid":"{paid}","currency":"BRL","network":"pix","address":"{address}"}}"#
                ),
                ..Reply::default()
            })
        };
        let mut s = Session::new(Preset::Payform, 3_000);
        assert!(reply(&mut s, pix("awaiting_payment", "0", &code("12345678909", "10"))).show.is_some());
        let rest = reply(&mut s, pix("underpaid", "4", &code("12345678909", "6")));
        assert_eq!(rest.show.map(|p| p.bank.unwrap().payload), Some(code("12345678909", "6")));
        let step = reply(&mut s, pix("underpaid", "4", &code("+5561912345678", "6")));
        let [Event::Error(p)] = &step.events[..] else { panic!("one error event") };
        assert_eq!(p.code, ErrorCode::PaymentChanged);
    }

    #[test]
    fn clock_offset_comes_from_server_time_else_the_date_header() {
        let mut s = Session::new(Preset::Payform, 3_000);
        // The shopper's clock is 10 minutes fast.
        let local = 1_795_485_600_000 + 600_000;
        let r = with_field("awaiting_payment", "server_time", "2026-11-24T02:00:00Z")
            .map(|r| Reply { received_at_ms: local, ..r });
        let (seq, _) = s.begin(0);
        s.on_reply(seq, r, 0, false, &mut Max);
        assert_eq!(s.clock_offset_ms(), Some(-600_000));
        let r = Ok(Reply {
            status: 304,
            date: Some("Tue, 24 Nov 2026 02:00:05 GMT".into()),
            received_at_ms: local,
            ..Reply::default()
        });
        let (seq, _) = s.begin(0);
        s.on_reply(seq, r, 0, false, &mut Max);
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
        assert_eq!((p.code, p.retry_in_ms), (ErrorCode::Timeout, Some(6_000)));
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
                    let (seq, _) = s.begin(0);
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
                let step = s.on_reply(seq, r, 0, false, &mut Max);
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

    /// A xorshift jitter and dice for the simulations below.
    struct Dice(u64);

    impl Dice {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
    }

    impl Jitter for Dice {
        fn upto(&mut self, max: u64) -> u64 {
            self.next(max.saturating_add(1))
        }
    }

    const PAYEE: &str = "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6";
    const OTHER: &str = "TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu";

    fn snapshot(status: &str, address: &str, amount: &str, server_time: i64) -> String {
        let secs = server_time / 1000;
        format!(
            r#"{{"id":"p","status":"{status}","amount":"{amount}","currency":"USDT","network":"tron","address":"{address}","server_time":"{secs}"}}"#
        )
    }

    /// What a hostile or flaky backend may answer, at random.
    fn random_reply(d: &mut Dice, now: i64, life: &str) -> Result<Reply, TransportError> {
        let date = Some("Tue, 24 Nov 2026 02:00:00 GMT".to_owned());
        let ok = |body: String, etag: &str| {
            Ok(Reply { status: 200, etag: Some(etag.into()), body, received_at_ms: now, ..Reply::default() })
        };
        let retry_after = match d.next(6) {
            0 => "0".to_owned(),
            1 => "99999999999999999999".to_owned(),
            2 => "Tue, 24 Nov 2026 02:30:00 GMT".to_owned(),
            3 => "Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
            4 => "nonsense".to_owned(),
            _ => d.next(5_000).to_string(),
        };
        match d.next(14) {
            0 => ok(snapshot(life, OTHER, "25", now), "\"other\""),
            1 => ok(snapshot(life, PAYEE, "26", now), "\"more\""),
            2 => ok(snapshot(life, "not an address", "25", now), "\"bad\""),
            3 => ok("{\"id\":".into(), "\"broken\""),
            4 => Ok(Reply { status: 304, received_at_ms: now, date, ..Reply::default() }),
            5 => Ok(Reply {
                status: 429,
                retry_after: Some(retry_after),
                date,
                received_at_ms: now,
                ..Reply::default()
            }),
            6 => Ok(Reply {
                status: 503,
                retry_after: Some(retry_after),
                received_at_ms: now,
                ..Reply::default()
            }),
            7 => Ok(Reply { status: 500, received_at_ms: now, ..Reply::default() }),
            8 => Err(TransportError::Timeout(10)),
            9 => ok(snapshot(life, PAYEE, "25", now - 600_000), "\"old\""),
            _ => ok(snapshot(life, PAYEE, "25", now), "\"good\""),
        }
    }

    /// 10,000 random lives of a form against a hostile backend, driven the way `ui::live`
    /// drives the session (sleep until `next_request_at`; refresh wakes; pushes applied as they
    /// arrive), on a virtual clock: no two requests closer than the floor, no wait beyond the
    /// ceiling, a server's wait never cut short, the shown payee never changes, `ready` fires
    /// exactly once, `paid` at most once.
    #[test]
    fn random_hostile_lives_keep_every_promise() {
        use crate::poll::{MAX_DELAY_MS, MIN_DELAY_MS};
        let mut d = Dice(0x9E37_79B9_7F4A_7C15);
        let (mut total_requests, mut lives_paid) = (0u64, 0u64);
        for _ in 0..10_000 {
            let mut s = Session::new(Preset::Payform, d.next(10_000));
            let mut now: i64 = 1_795_485_600_000;
            let mut refresh = false;
            let mut hidden = false;
            let (mut ready, mut paid) = (0, 0);
            let mut last_request: Option<i64> = None;
            let mut not_before = i64::MIN;
            let mut life = "awaiting_payment";
            // One valid reply first, so there is a payee to keep.
            let (seq, _) = s.begin(now);
            last_request = last_request.or(Some(now));
            let first = s.on_reply(seq, ok_reply(snapshot(life, PAYEE, "25", now)), now, false, &mut d);
            let mut steps = vec![first];
            for _ in 0..40 {
                for step in steps.drain(..) {
                    for e in &step.events {
                        match e {
                            Event::Ready(p) => {
                                ready += 1;
                                assert_eq!(p.address, PAYEE);
                            }
                            Event::Paid(_) => paid += 1,
                            _ => {}
                        }
                    }
                    if let Some(p) = &step.show {
                        assert_eq!((p.address.as_str(), p.amount.to_string().as_str()), (PAYEE, "25"));
                    }
                    if let Some(ms) = step.next_in_ms {
                        assert!(ms <= MAX_DELAY_MS, "a wait of {ms} ms");
                    }
                }
                let Some(at) = s.next_request_at(now, refresh) else { break };
                assert!(at - now <= MAX_DELAY_MS as i64, "next request {} ms away", at - now);
                // Something from outside may happen first: a push, a refresh, visibility.
                let outside = now + d.next(40_000) as i64;
                if d.next(3) == 0 && outside < at {
                    now = outside;
                    match d.next(4) {
                        0 => refresh = true,
                        1 => hidden = !hidden,
                        2 => {
                            s.set_push(d.next(2) == 0);
                        }
                        _ => {
                            let body = match d.next(4) {
                                0 => snapshot(life, OTHER, "25", now),
                                1 => snapshot("confirming", PAYEE, "25", now - 900_000),
                                _ => snapshot(life, PAYEE, "25", now),
                            };
                            steps.push(s.on_push(body, now));
                        }
                    }
                    continue;
                }
                now = at;
                refresh = false;
                if let Some(last) = last_request {
                    assert!(now - last >= MIN_DELAY_MS as i64, "requests {} ms apart", now - last);
                }
                assert!(now >= not_before, "a request {} ms before the server allowed", not_before - now);
                last_request = Some(now);
                total_requests += 1;
                let (seq, _) = s.begin(now);
                let arrived = now + d.next(12_000) as i64;
                if d.next(8) == 0 {
                    life = ["confirming", "paid", "underpaid", "expired"][d.next(4) as usize];
                }
                let reply = random_reply(&mut d, arrived, life);
                let told = match &reply {
                    Ok(r) if r.status == 429 || r.status == 503 => {
                        let server_now =
                            r.date.as_deref().and_then(crate::time::parse_http_date).unwrap_or(arrived);
                        r.retry_after.as_deref().and_then(|v| poll::parse_retry_after(v, server_now))
                    }
                    _ => None,
                };
                now = arrived;
                steps.push(s.on_reply(seq, reply, now, hidden, &mut d));
                if let Some(ms) = told {
                    not_before = not_before.max(now + poll::clamp(ms) as i64);
                }
            }
            for step in &steps {
                ready += step.events.iter().filter(|e| matches!(e, Event::Ready(_))).count();
                paid += step.events.iter().filter(|e| matches!(e, Event::Paid(_))).count();
            }
            assert_eq!(ready, 1, "ready fires exactly once");
            assert!(paid <= 1, "paid fired {paid} times");
            lives_paid += paid as u64;
        }
        assert!(
            total_requests > 100_000 && lives_paid > 1_000,
            "{total_requests} requests, {lives_paid} paid"
        );
    }

    fn ok_reply(body: String) -> Result<Reply, TransportError> {
        Ok(Reply { status: 200, etag: Some("\"good\"".into()), body, ..Reply::default() })
    }

    #[test]
    fn what_was_shown_is_remembered_across_invalid_replies() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let first = reply(&mut s, ok_reply(snapshot("awaiting_payment", PAYEE, "25", 0)));
        assert_eq!(names(&first), ["ready", "status"]);
        // An invalid reply withdraws the payment...
        let bad = reply(&mut s, ok_reply(snapshot("awaiting_payment", "nope", "25", 0)));
        assert!(matches!(&bad.problem, Some(Some(p)) if p.fatal));
        // ...and a later one with another address is still a change, not a new payment.
        let other = reply(&mut s, ok_reply(snapshot("awaiting_payment", OTHER, "25", 0)));
        assert!(matches!(&other.problem, Some(Some(p)) if p.code == ErrorCode::PaymentChanged), "{other:?}");
        assert!(other.show.is_none());
        // So is another amount.
        let more = reply(&mut s, ok_reply(snapshot("awaiting_payment", PAYEE, "250", 0)));
        assert!(
            matches!(&more.problem, Some(Some(p)) if p.code == ErrorCode::PaymentChanged && p.message.contains("amount"))
        );
        // The original payment comes back: shown again, without a second `ready`.
        let back = reply(&mut s, ok_reply(snapshot("awaiting_payment", PAYEE, "25", 0)));
        assert_eq!(names(&back), Vec::<&str>::new());
        assert_eq!(back.problem, Some(None));
        assert_eq!(back.show.map(|p| p.address), Some(PAYEE.to_owned()));
    }

    #[test]
    fn a_304_after_a_rejected_reply_brings_back_the_accepted_payment() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let accepted = Ok(Reply {
            etag: Some("\"a\"".into()),
            ..ok_reply(snapshot("awaiting_payment", PAYEE, "25", 0)).unwrap()
        });
        reply(&mut s, accepted);
        let rejected = Ok(Reply {
            etag: Some("\"b\"".into()),
            ..ok_reply(snapshot("awaiting_payment", OTHER, "25", 0)).unwrap()
        });
        reply(&mut s, rejected);
        assert!(s.shown().is_none());
        assert_eq!(s.begin(0).1.as_deref(), Some("\"a\""), "only an accepted reply's validator is sent");
        let step = reply(&mut s, Ok(Reply { status: 304, ..Reply::default() }));
        assert_eq!(step.problem, Some(None));
        assert_eq!(step.show.map(|p| p.address), Some(PAYEE.to_owned()));
    }

    #[test]
    fn an_older_snapshot_never_replaces_a_newer_one() {
        let mut s = Session::new(Preset::Payform, 3_000);
        let t = 1_795_485_600_000;
        s.on_push(snapshot("confirming", PAYEE, "25", t), t);
        // A poll that was answered from an older state arrives later.
        let (seq, _) = s.begin(t + 1_000);
        let late = s.on_reply(
            seq,
            ok_reply(snapshot("awaiting_payment", PAYEE, "25", t - 5_000)),
            t + 2_000,
            false,
            &mut Max,
        );
        assert!(late.events.is_empty() && late.show.is_none(), "{late:?}");
        assert_eq!(s.shown().map(|p| p.status), Some(Status::Confirming));
    }

    #[test]
    fn a_return_url_must_name_an_allowed_host() {
        let body = |url: &str| {
            ok_reply(format!(
                r#"{{"id":"p","status":"awaiting_payment","amount":"25","currency":"USDT","network":"tron","address":"{PAYEE}","return_url":"{url}"}}"#
            ))
        };
        let mut s = Session::new(Preset::Payform, 3_000).with_return_hosts(vec!["shop.example".into()]);
        assert!(reply(&mut s, body("https://shop.example/thanks")).show.is_some());
        let mut s = Session::new(Preset::Payform, 3_000).with_return_hosts(vec!["shop.example".into()]);
        let step = reply(&mut s, body("https://shop.example.evil.test/thanks"));
        assert!(matches!(&step.problem, Some(Some(p)) if p.code == ErrorCode::InvalidReturnUrl), "{step:?}");
    }

    #[test]
    fn a_503_with_retry_after_is_obeyed_and_a_huge_one_is_capped() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, ok_reply(snapshot("awaiting_payment", PAYEE, "25", 0)));
        let step =
            reply(&mut s, Ok(Reply { status: 503, retry_after: Some("120".into()), ..Reply::default() }));
        assert_eq!(step.next_in_ms, Some(150_000));
        let step =
            reply(&mut s, Ok(Reply { status: 429, retry_after: Some("9".repeat(40)), ..Reply::default() }));
        assert_eq!(step.next_in_ms, Some(crate::poll::MAX_DELAY_MS));
    }

    #[test]
    fn a_payment_that_is_gone_is_taken_off_screen() {
        let mut s = Session::new(Preset::Payform, 3_000);
        reply(&mut s, ok_reply(snapshot("awaiting_payment", PAYEE, "25", 0)));
        let gone = reply(&mut s, Ok(Reply { status: 404, ..Reply::default() }));
        let Some(Some(p)) = &gone.problem else { panic!("a problem is shown") };
        assert_eq!((p.code, p.fatal, p.retry_in_ms), (ErrorCode::NotFound, true, None));
        assert!(s.shown().is_none() && s.is_over(), "no payable QR is left that nothing updates");
    }

    /// The backup poll keeps its own clock: pushes arriving every second neither postpone it
    /// (a stream that keeps pushing would otherwise starve it) nor bring it forward.
    #[test]
    fn pushes_do_not_move_the_backup_poll() {
        let t = 1_795_485_600_000;
        let mut s = Session::new(Preset::Payform, 3_000);
        s.set_push(true);
        let (seq, _) = s.begin(t);
        s.on_reply(seq, ok_reply(snapshot("awaiting_payment", PAYEE, "25", t)), t + 100, false, &mut Max);
        let due = s.next_request_at(t + 100, false).unwrap();
        assert_eq!(due, t + 100 + crate::poll::PUSH_SAFETY_POLL_MS as i64);
        for i in 1..60 {
            let now = t + 100 + i * 1_000;
            s.on_push(
                snapshot(if i % 2 == 0 { "awaiting_payment" } else { "confirming" }, PAYEE, "25", now),
                now,
            );
            assert_eq!(s.next_request_at(now, false), Some(due), "push {i} moved the backup poll");
        }
    }
}
