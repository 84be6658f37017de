//! The browser loop of one form: perform the request the [`Session`] asks for, hand it the
//! reply, apply the resulting [`Step`] to the view's signals, dispatch its events once the view
//! has rendered, and sleep. It runs in a task owned by the form, so unmounting the form cancels
//! it, and with it the pending request and timer.

use super::browser::{self, BrowserJitter};
use crate::backend::Preset;
use crate::events;
use crate::payment::Payment;
use crate::qr::{QrError, QrMatrix};
use crate::session::{Event, Problem, Session};
use crate::status::Status;
use crate::uri;
use leptos::prelude::*;
use std::sync::Arc;
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

/// Runs until the payment is final or the owning form is disposed. `target` is where the
/// contract's events are dispatched (looked up at each event, as the view may re-render).
pub async fn run(source: Source, state: FormState, target: impl Fn() -> Option<EventTarget>) {
    let mut session = Session::new(source.preset, source.poll_interval_ms);
    loop {
        let (seq, etag) = session.begin();
        let reply = browser::get(&source.src, etag.as_deref()).await;
        let step = session.on_reply(seq, reply, browser::page_hidden(), &mut BrowserJitter);
        apply(&step.show, &step.problem, session.shown().map(|p| p.status), state);
        if !step.events.is_empty() {
            // Let the view render before the merchant page hears about it.
            leptos::task::tick().await;
            if let Some(t) = target() {
                step.events.iter().for_each(|e| dispatch(&t, e));
            }
        }
        match step.next_in_ms {
            Some(ms) => browser::sleep(ms).await,
            None => return,
        }
    }
}

/// Puts a step on screen (only what changed is re-rendered).
fn apply(
    show: &Option<Payment>,
    problem: &Option<Option<Problem>>,
    status: Option<Status>,
    state: FormState,
) {
    if let Some(p) = show {
        state.shown.set(Some(Arc::new(Shown::new(p.clone()))));
    }
    if let Some(problem) = problem {
        if problem.as_ref().is_some_and(|p| p.fatal) {
            state.shown.set(None);
        }
        state.problem.set(problem.clone());
    }
    if state.status.get_untracked() != status && status.is_some() {
        state.status.set(status);
    }
}

fn dispatch(target: &EventTarget, event: &Event) {
    let (name, detail) = match event {
        Event::Ready(p) => (events::READY, events::payment_detail(p)),
        Event::Status { status, previous, payment } => {
            (events::STATUS, events::status_detail(*status, *previous, payment))
        }
        Event::Paid(p) => (events::PAID, events::payment_detail(p)),
        Event::Expired(p) => (events::EXPIRED, events::payment_detail(p)),
        Event::Failed(p) => (events::FAILED, events::failed_detail(p)),
        Event::Error(e) => (events::ERROR, events::error_detail(e.code, &e.message, e.retry_in_ms)),
    };
    events::dispatch(target, name, &detail);
}
