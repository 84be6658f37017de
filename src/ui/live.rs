//! The live loop of one form: fetch the payment, map and validate it, update the view's
//! signals, fire the contract's events, and wait the schedule's delay; stop at a terminal
//! status. It runs in a task owned by the form, so unmounting the form cancels it (and with
//! it the pending request and timer).

use super::browser::{self, BrowserJitter, FetchError};
use crate::backend::{BackendError, Preset};
use crate::events;
use crate::payment::{Payment, PaymentError};
use crate::poll::{Outcome, Schedule};
use crate::qr::{QrError, QrMatrix};
use crate::status::{Completion, Status, Step, Tracker};
use crate::uri;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::EventTarget;

/// A validated payment with everything derived for display.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub payment: Payment,
    /// The canonical wallet URI (the "open in wallet" link).
    pub uri: String,
    /// The QR of the URI (bech32 parts upper-cased), or why it cannot be drawn.
    pub qr: Result<QrMatrix, QrError>,
}

impl Shown {
    pub fn new(payment: Payment) -> Shown {
        let link = uri::payment_uri(payment.asset, &payment.address, payment.to_pay());
        let qr = QrMatrix::encode(&uri::qr_text(&link, payment.asset, &payment.address));
        Shown { payment, uri: link, qr }
    }
}

/// A problem to show the shopper: what is wrong and, if the form retries, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub retry_in_ms: Option<u64>,
    /// True when the payment itself is unsafe to show (no QR or address may be displayed).
    pub fatal: bool,
}

/// The signals the view reads.
#[derive(Clone, Copy)]
pub struct FormState {
    pub shown: RwSignal<Option<Arc<Shown>>>,
    pub status: RwSignal<Option<Status>>,
    pub problem: RwSignal<Option<Problem>>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState { shown: RwSignal::new(None), status: RwSignal::new(None), problem: RwSignal::new(None) }
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the form gets its payment from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub src: String,
    pub preset: Preset,
    pub poll_interval_ms: u64,
}

enum Failure {
    Fetch(FetchError),
    RateLimited(Option<u64>),
    Http(u16),
    Backend(BackendError),
    Payment(PaymentError),
}

impl Failure {
    fn code(&self) -> &'static str {
        match self {
            Failure::Fetch(e) => e.code(),
            Failure::RateLimited(_) => "rate_limited",
            Failure::Http(404 | 410) => "not_found",
            Failure::Http(_) => "http_error",
            Failure::Backend(e) => e.code(),
            Failure::Payment(e) => e.code(),
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Fetch(e) => e.to_string(),
            Failure::RateLimited(_) => "The payment server asked us to slow down.".into(),
            Failure::Http(404 | 410) => "The payment was not found at this address.".into(),
            Failure::Http(s) => format!("The payment server answered HTTP {s}."),
            Failure::Backend(e) => e.to_string(),
            Failure::Payment(e) => e.to_string(),
        }
    }

    /// A payment that arrived but fails validation must not be displayed at all.
    fn is_unsafe_payment(&self) -> bool {
        matches!(self, Failure::Backend(_) | Failure::Payment(_))
    }

    /// Client errors that retrying will not fix (a wrong URL, a forbidden payment).
    fn is_permanent(&self) -> bool {
        matches!(self, Failure::Http(code) if (400..500).contains(code) && *code != 408)
    }

    fn outcome(&self) -> Outcome {
        match self {
            Failure::RateLimited(ms) => Outcome::RateLimited { retry_after_ms: *ms },
            _ => Outcome::Failed,
        }
    }
}

/// One request: `Ok(Some(payment))` for a fresh valid payment, `Ok(None)` for 304.
async fn fetch_once(source: &Source, etag: &mut Option<String>) -> Result<Option<Payment>, Failure> {
    let answer = browser::get(&source.src, etag.as_deref()).await.map_err(Failure::Fetch)?;
    match answer.status {
        304 => Ok(None),
        200..=299 => {
            let raw = source.preset.read(&answer.body).map_err(Failure::Backend)?;
            let payment = raw.validate().map_err(Failure::Payment)?;
            *etag = answer.etag;
            Ok(Some(payment))
        }
        429 => {
            let secs = answer.retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok());
            Err(Failure::RateLimited(secs.map(|s| s.saturating_mul(1000))))
        }
        code => Err(Failure::Http(code)),
    }
}

/// Runs until the payment is final or the owning form is disposed. `target` is where the
/// contract's events are dispatched (looked up at each event, as the view may re-render).
pub async fn run(source: Source, state: FormState, target: impl Fn() -> Option<EventTarget>) {
    let emit = |name: &str, detail: JsValue| {
        if let Some(t) = target() {
            events::dispatch(&t, name, &detail);
        }
    };
    let mut schedule = Schedule::new(source.poll_interval_ms);
    let mut tracker = Tracker::new();
    let mut etag = None;
    let mut ready_sent = false;
    for seq in 1.. {
        let fetched = fetch_once(&source, &mut etag).await;
        let outcome = match &fetched {
            Ok(Some(payment)) => {
                let step = tracker.observe(seq, payment.status);
                if !step.ignored {
                    show(payment.clone(), state);
                    // Let the view render before the merchant page hears about it.
                    leptos::task::tick().await;
                    if !ready_sent {
                        ready_sent = true;
                        emit(events::READY, events::payment_detail(payment));
                    }
                    announce(step, payment, &emit);
                }
                Outcome::Ok { confirming: payment.status == Status::Confirming }
            }
            Ok(None) => Outcome::Ok { confirming: tracker.current() == Some(Status::Confirming) },
            Err(failure) if failure.is_permanent() => {
                report(failure, None, state, &emit);
                return;
            }
            Err(failure) => failure.outcome(),
        };
        if tracker.is_final() {
            return;
        }
        let delay = schedule.next_delay(outcome, browser::page_hidden(), &mut BrowserJitter);
        if let Err(failure) = &fetched {
            report(failure, Some(delay), state, &emit);
        }
        browser::sleep(delay).await;
    }
}

/// Puts a valid payment on screen (only what changed is re-rendered).
fn show(payment: Payment, state: FormState) {
    let status = payment.status;
    let unchanged = state.shown.with_untracked(|s| s.as_ref().is_some_and(|s| s.payment == payment));
    if !unchanged {
        state.shown.set(Some(Arc::new(Shown::new(payment))));
    }
    if state.status.get_untracked() != Some(status) {
        state.status.set(Some(status));
    }
    if state.problem.with_untracked(Option::is_some) {
        state.problem.set(None);
    }
}

/// Fires `payform:status` and, once, the completion event.
fn announce(step: Step, payment: &Payment, emit: &impl Fn(&str, JsValue)) {
    if let Some((previous, status)) = step.changed {
        emit(events::STATUS, events::status_detail(status, previous, payment));
    }
    match step.completed {
        Some(Completion::Paid) => emit(events::PAID, events::payment_detail(payment)),
        Some(Completion::Expired) => emit(events::EXPIRED, events::payment_detail(payment)),
        Some(Completion::Failed) => emit(events::FAILED, events::failed_detail(payment)),
        None => {}
    }
}

/// Shows a problem and fires `payform:error`. A payment that fails validation is taken off
/// the screen: an unverified address or amount is never left payable.
fn report(failure: &Failure, retry_in_ms: Option<u64>, state: FormState, emit: &impl Fn(&str, JsValue)) {
    let fatal = failure.is_unsafe_payment();
    if fatal {
        state.shown.set(None);
    }
    let problem = Problem { code: failure.code(), message: failure.message(), retry_in_ms, fatal };
    emit(events::ERROR, events::error_detail(problem.code, &problem.message, retry_in_ms));
    state.problem.set(Some(problem));
}
