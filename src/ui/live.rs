//! The browser loop of one form: perform the request the [`Session`] asks for, hand it the
//! reply, apply the resulting [`Step`] to the view's signals, dispatch its events once the view
//! has rendered, and sleep. It runs in a task owned by the form, so unmounting the form cancels
//! it, and with it the pending request and timer.

use super::browser::{self, reason, BrowserJitter, Wake};
use super::push::Push;
use crate::backend::Preset;
use crate::events;
use crate::i18n::Catalog;
use crate::options::OptionError;
use crate::payment::Payment;
use crate::qr::{QrError, QrMatrix};
use crate::session::{Event, Problem, Session, Step};
use crate::uri;
use leptos::prelude::*;
use std::sync::Arc;
use web_sys::EventTarget;

/// One way to pay the payment: what the copy button copies, the wallet URI and its QR.
#[derive(Debug, Clone, PartialEq)]
pub struct Way {
    pub kind: WayKind,
    /// The address (or, for Lightning, the invoice) to copy.
    pub target: String,
    /// The wallet URI (the "open in wallet" link).
    pub uri: String,
    /// The QR of the URI (bech32 parts upper-cased), or why it cannot be drawn.
    pub qr: Result<QrMatrix, QrError>,
}

/// Which way: the payment's own, or one of a Bitcoin payment's three when the backend gave
/// a Lightning invoice beside the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WayKind {
    /// The payment's address (on-chain, or the invoice of a `lightning` payment).
    Direct,
    /// BIP-321: `bitcoin:ADDR?amount=…&lightning=…`, either wallet pays.
    Unified,
    /// The Lightning invoice alone.
    Lightning,
}

/// A validated payment with everything derived for display.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub payment: Payment,
    /// The canonical wallet URI (the "open in wallet" link); for a bank rail, the scheme's
    /// payload (the QR's exact text).
    pub uri: String,
    /// The QR of the URI (bech32 parts upper-cased), or why it cannot be drawn.
    pub qr: Result<QrMatrix, QrError>,
    /// With a Lightning invoice beside a Bitcoin address (only while the whole amount is to
    /// pay): unified, on-chain, Lightning, in that order (the first is also `uri` and `qr`).
    /// Empty otherwise.
    pub ways: Vec<Way>,
}

impl Shown {
    pub fn new(payment: Payment) -> Shown {
        if let Some(bank) = &payment.bank {
            // A bank rail: the scheme's payload for what is due (built when the payment was
            // checked), in byte mode at level M, no larger than the scheme allows.
            let payload = bank.payload.clone();
            let qr = if payload.is_empty() {
                Err(QrError(0))
            } else {
                QrMatrix::encode_bytes(&payload, bank.max_qr_version)
            };
            return Shown { payment, uri: payload, qr, ways: Vec::new() };
        }
        let link = uri::payment_uri(payment.asset, &payment.address, payment.to_pay());
        let qr = QrMatrix::encode(&uri::qr_text(&link, payment.asset, &payment.address));
        let direct = Way { kind: WayKind::Direct, target: payment.address.clone(), uri: link, qr };
        let ways = match (
            payment.invoice_to_offer(),
            crate::network::asset(crate::network::Network::Lightning, "BTC"),
        ) {
            (Some(invoice), Ok(ln)) => {
                let (address, amount) = (payment.address.as_str(), payment.to_pay());
                let both = uri::unified_uri(address, amount, invoice);
                let both_qr = QrMatrix::encode(&uri::unified_qr_text(address, amount, invoice));
                let alone = uri::payment_uri(ln, invoice, amount);
                let alone_qr = QrMatrix::encode(&uri::qr_text(&alone, ln, invoice));
                vec![
                    Way { kind: WayKind::Unified, target: payment.address.clone(), uri: both, qr: both_qr },
                    direct.clone(),
                    Way { kind: WayKind::Lightning, target: invoice.to_owned(), uri: alone, qr: alone_qr },
                ]
            }
            _ => Vec::new(),
        };
        let first = ways.first().unwrap_or(&direct).clone();
        Shown { payment, uri: first.uri, qr: first.qr, ways }
    }
}

/// The signals the view reads.
#[derive(Clone, Copy)]
pub struct FormState {
    pub shown: RwSignal<Option<Arc<Shown>>>,
    /// The problem on screen, with its retry time left out (`Some(0)` when it is retried; the
    /// time is in `retry_at_ms`): a retry of the same problem changes nothing here, so its
    /// `role="alert"` is not re-inserted (announced again) and the screen under it is not rebuilt.
    pub problem: RwSignal<Option<Problem>>,
    /// When the form asks again after the problem (local clock, ms), for "Retrying in N s".
    pub retry_at_ms: RwSignal<i64>,
    /// How close the deadline is, as the countdown last saw it: 0 calm, 1 the last two
    /// minutes, 2 time is up. Read by the form's one live region, which says it once.
    pub urgency: RwSignal<u8>,
    /// Server clock minus local clock (ms), for the countdown.
    pub clock_offset_ms: RwSignal<i64>,
    /// A detected payment disappeared from the network (confirming fell back).
    pub dropped: RwSignal<bool>,
    /// What is shown happened after the deadline (a late payment).
    pub late: RwSignal<bool>,
    /// "I've sent the payment": 0 not pressed, 1 looking for the payment, 2 looked for the
    /// fast while and not seen yet. Read by the form's one live region.
    pub looking: RwSignal<u8>,
    /// When the fast search ends (local clock, ms), so a rebuilt screen picks it up. The
    /// screens read this and the two below once, when built, and write them; they never
    /// subscribe to them (a screen is rebuilt on every payment update).
    pub looking_until: RwSignal<i64>,
    /// Which way to pay the shopper chose (Bitcoin with Lightning: 0 both, 1 on-chain, 2
    /// Lightning).
    pub way: RwSignal<usize>,
    /// The refund-address field: what the shopper typed, and whether "Save" took it.
    pub refund: RwSignal<(String, Option<bool>)>,
    /// The shopper's texts; `None` while the locale file is on its way.
    pub catalog: RwSignal<Option<Arc<Catalog>>>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState {
            shown: RwSignal::new(None),
            problem: RwSignal::new(None),
            retry_at_ms: RwSignal::new(0),
            urgency: RwSignal::new(0),
            clock_offset_ms: RwSignal::new(0),
            dropped: RwSignal::new(false),
            late: RwSignal::new(false),
            looking: RwSignal::new(0),
            looking_until: RwSignal::new(0),
            way: RwSignal::new(0),
            refund: RwSignal::new((String::new(), None)),
            catalog: RwSignal::new(None),
        }
    }

    /// Clears what was shown for a previous payment URL (switching to another option).
    pub fn reset(&self) {
        self.shown.set(None);
        self.problem.set(None);
        self.dropped.set(false);
        self.late.set(false);
        self.looking.set(0);
        self.looking_until.set(0);
        self.way.set(0);
        self.refund.set((String::new(), None));
        self.urgency.set(0);
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the form gets its payment from.
pub struct Source {
    pub src: String,
    pub preset: Preset,
    pub poll_interval_ms: u64,
    /// A Server-Sent Events URL pushing payment snapshots; polling is the fallback.
    pub events_src: Option<String>,
    /// The payment JSON given inline; without `src` it is shown as is and never polled.
    pub payment: Option<String>,
    /// Rung (REFRESH) to ask the backend at once.
    pub wake: Wake,
    /// Hosts a payment's `return_url` may name, besides the page's and `src`'s own.
    pub return_hosts: Vec<String>,
    /// The first `GET` of `src`, started by `payform.js` while the wasm was loading.
    pub prefetch: Option<browser::Prefetch>,
    /// The bank rails' module, fetched when a bank-rail payment arrives.
    pub rails: String,
    /// Real payments or test ones (the `network-mode` option).
    pub network_mode: crate::network::NetworkMode,
    /// The host's Rust callbacks, run with the DOM events.
    pub on: events::Callbacks,
}

impl Source {
    /// The hosts a `return_url` may point to: the merchant's list, the page's host and the
    /// payment URL's host.
    fn allowed_return_hosts(&self) -> Vec<String> {
        let mut hosts = self.return_hosts.clone();
        hosts.extend(browser::page_host());
        hosts.extend(browser::url_host(&self.src));
        hosts
    }
}

/// Runs until the payment is final or the owning form is disposed. `target` is where the
/// contract's events are dispatched (looked up at each event, as the view may re-render).
/// Every wait comes from [`Session::next_request_at`]: this loop only sleeps until then, wakes
/// early for pushes and refresh requests, and performs the request.
pub async fn run(source: Source, state: FormState, target: impl Fn() -> Option<EventTarget>) {
    let mut session = Session::new(source.preset.clone(), source.poll_interval_ms)
        .with_return_hosts(source.allowed_return_hosts())
        .with_network_mode(source.network_mode);
    let scope = source.src.as_str();
    let wake = source.wake.clone();
    if let Some(body) = source.payment.clone() {
        browser::rails::prepare(&source.preset, &body, &source.rails).await;
        let step = session.on_push(body, browser::now_ms());
        handle(step, &session, state, &target, scope, source.on).await;
        if session.is_over() || source.src.is_empty() {
            return; // final, or nothing to keep live
        }
    }
    let _listeners = browser::refresh_on_visible_or_online(&wake);
    let mut push = source.events_src.as_deref().and_then(|url| Push::open(url, &wake));
    session.set_push(push.is_some());
    let mut refresh = true; // the first request goes at once
    let mut prefetch = source.prefetch;
    loop {
        let now = browser::now_ms();
        let Some(at) = session.next_request_at(now, refresh) else { return };
        if at > now {
            let rung = wake.sleep((at - now) as u64).await;
            if rung & reason::PUSH != 0 {
                if let Some(stream) = &push {
                    for body in stream.drain() {
                        browser::rails::prepare(&source.preset, &body, &source.rails).await;
                        let step = session.on_push(body, browser::now_ms());
                        handle(step, &session, state, &target, scope, source.on).await;
                        if session.is_over() {
                            return;
                        }
                    }
                }
            }
            if push.as_ref().is_some_and(Push::failed) {
                push = None; // closes the stream: polling takes over
                session.set_push(false);
                refresh = true;
            }
            if rung & reason::HURRY != 0 {
                // "I've sent the payment" (the button shows "looking" for the same while): ask
                // now, then quickly.
                session.hurry(browser::now_ms());
                refresh = true;
            }
            refresh |= rung & reason::REFRESH != 0;
            continue;
        }
        refresh = false;
        let (seq, etag) = session.begin(now);
        // The first request may already be on its way (payform.js started it).
        let reply = browser::get_or_prefetched(&source.src, etag.as_deref(), prefetch.take()).await;
        if let Ok(r) = &reply {
            if (200..300).contains(&r.status) {
                browser::rails::prepare(&source.preset, &r.body, &source.rails).await;
            }
        }
        let step =
            session.on_reply(seq, reply, browser::now_ms(), browser::page_hidden(), &mut BrowserJitter);
        handle(step, &session, state, &target, scope, source.on).await;
    }
}

/// Loads a provider preset's description (`<presets><file>.json`, see
/// [`Options::description_url`](crate::options::Options::description_url)) and reads it.
pub async fn describe(preset: String, url: String) -> Result<Preset, OptionError> {
    let why = match browser::get(&url, None).await {
        Ok(reply) if reply.status == 200 => match Preset::from_description(&reply.body) {
            Ok(described) => return Ok(described),
            Err(e) => e.message(),
        },
        Ok(reply) => crate::cat!("HTTP ", reply.status),
        Err(e) => e.message(),
    };
    Err(OptionError::PresetUnavailable { preset, url, why })
}

/// A form whose options cannot be used: shows why in place of the payment and tells the page
/// once (`payform:error`, after the view has rendered); nothing is fetched.
pub async fn refuse(
    error: OptionError,
    state: FormState,
    target: impl Fn() -> Option<EventTarget>,
    on: events::Callbacks,
) {
    let problem = Problem::setup(error.code(), error.message());
    state.problem.set(Some(problem.clone()));
    while state.catalog.get_untracked().is_none() {
        browser::sleep(15).await;
    }
    leptos::task::tick().await;
    if let Some(t) = target() {
        dispatch(&t, &Event::Error(problem), on);
    }
}

/// Applies a step to the view, then (after it rendered) dispatches its events.
async fn handle(
    step: Step,
    session: &Session,
    state: FormState,
    target: &impl Fn() -> Option<EventTarget>,
    scope: &str,
    on: events::Callbacks,
) {
    apply(&step, session, state);
    if !step.events.is_empty() {
        // The merchant page hears of a payment only once the shopper can read it: wait for the
        // locale file (it is fetched in parallel with the payment, and never takes long).
        while state.catalog.get_untracked().is_none() {
            browser::sleep(15).await;
        }
        // Let the view render before the merchant page hears about it.
        leptos::task::tick().await;
        if let Some(t) = target() {
            step.events.iter().filter(|e| first_time(e, scope)).for_each(|e| dispatch(&t, e, on));
        }
    }
}

/// Puts a step on screen (only what changed is re-rendered).
fn apply(step: &Step, session: &Session, state: FormState) {
    // The clock offset first: the countdown reads it (untracked) when the screen is built.
    if let Some(offset) = session.clock_offset_ms() {
        if state.clock_offset_ms.get_untracked() != offset {
            state.clock_offset_ms.set(offset);
        }
    }
    if let Some(p) = &step.show {
        state.shown.set(Some(Arc::new(Shown::new(p.clone()))));
    }
    if let Some(problem) = &step.problem {
        if problem.as_ref().is_some_and(|p| p.fatal) {
            state.shown.set(None);
        }
        if let Some(ms) = problem.as_ref().and_then(|p| p.retry_in_ms) {
            state.retry_at_ms.set(browser::now_ms() + ms as i64);
        }
        let shown = problem.as_ref().map(|p| Problem { retry_in_ms: p.retry_in_ms.map(|_| 0), ..p.clone() });
        if state.problem.get_untracked() != shown {
            state.problem.set(shown);
        }
    }
    if step.show.is_some() && state.dropped.get_untracked() != step.dropped {
        state.dropped.set(step.dropped);
    }
    if step.show.is_some() && state.late.get_untracked() != step.late {
        state.late.set(step.late);
    }
    // Found (or over): the search for a payment the shopper said they sent is done.
    if step.show.as_ref().is_some_and(|p| !p.status.accepts_funds()) && state.looking.get_untracked() != 0 {
        state.looking.set(0);
    }
}

/// Completion events fire once per payment, also across a reload of the page (the session's
/// state is gone then, so `sessionStorage` remembers). The key is scoped to the payment's
/// source URL as well as its id, so two backends' ids never collide.
fn first_time(event: &Event, scope: &str) -> bool {
    let (kind, payment) = match event {
        Event::Paid(p) => ("paid", p),
        Event::Expired(p) => ("expired", p),
        Event::Failed(p) => ("failed", p),
        Event::Late(p) => ("late", p),
        _ => return true,
    };
    let key = crate::cat!("payform:", kind, ':', scope, '#', payment.id);
    if browser::session_flag(&key) {
        return false;
    }
    browser::set_session_flag(&key);
    true
}

/// Dispatches `event` on `target`, then runs its callback.
fn dispatch(target: &EventTarget, event: &Event, on: events::Callbacks) {
    let (name, detail) = match event {
        Event::Ready(p) => (events::READY, events::payment_detail(p)),
        Event::Status { status, previous, payment } => {
            (events::STATUS, events::status_detail(*status, *previous, payment))
        }
        Event::Paid(p) => (events::PAID, events::payment_detail(p)),
        Event::Expired(p) => (events::EXPIRED, events::payment_detail(p)),
        Event::Failed(p) => (events::FAILED, events::failed_detail(p)),
        Event::Late(p) => (events::LATE, events::late_detail(p)),
        Event::Error(e) => (events::ERROR, events::error_detail(e.code, &e.message, e.retry_in_ms)),
    };
    events::dispatch(target, name, &detail);
    on.run(event);
}
