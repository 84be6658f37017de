//! [`PayForm`]: the whole form, composed from the row components, driven by the live loop.
//! One screen per status: pay (awaiting, underpaid: address, QR, countdown), confirming,
//! receipt (paid, overpaid), and the endings (expired, failed, cancelled, refunded).

use super::address::AddressRow;
use super::amount::AmountRow;
use super::countdown::Countdown;
use super::live::{self, FormState, Shown, Source};
use super::picker::Picker;
use super::qr::QrCode;
use super::status::StatusLine;
use crate::backend::Preset;
use crate::i18n::{Catalog, Msg};
use crate::poll::DEFAULT_INTERVAL_MS;
use crate::session::Problem;
use crate::status::Status;
use leptos::either::EitherOf3;
use leptos::html::Div;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The payment form: fetches the payment at `src`, shows what to pay and where, keeps the
/// status live, and dispatches the `payform:*` DOM events on its root element (they bubble
/// and are `composed`, so a listener on any ancestor hears them).
///
/// ```no_run
/// use leptos::prelude::*;
/// use payform::ui::PayForm;
///
/// leptos::mount::mount_to_body(|| view! { <PayForm src="/api/payments/pay_123".to_string() /> });
/// ```
#[component]
pub fn PayForm(
    /// The payment URL: a `GET` that returns the payment JSON.
    src: String,
    /// The JSON format of the payment (see `backend::Preset`); the native format by default.
    #[prop(optional)]
    preset: Option<Preset>,
    /// Milliseconds between status polls (default 3000).
    #[prop(optional)]
    poll_interval_ms: Option<u64>,
    /// A Server-Sent Events URL that pushes payment snapshots; polling is the fallback.
    #[prop(default = None)]
    events_src: Option<String>,
    /// The payment JSON itself, for server-rendered pages (shown at once; `src`, if given,
    /// keeps it live).
    #[prop(default = None)]
    payment: Option<String>,
    /// A doorbell the host rings to ask the backend at once (`refresh()`).
    #[prop(default = None)]
    wake: Option<super::browser::Wake>,
    /// `light` (default), `dark`, or `auto` (follows the shopper's `prefers-color-scheme`).
    #[prop(default = None)]
    theme: Option<String>,
    /// A BCP 47 language tag, or `auto` (default: the browser's `navigator.languages`).
    #[prop(default = None)]
    lang: Option<String>,
    /// Where the locale files are (`<locales><lang>.json`); default `locales/` next to the page.
    #[prop(default = None)]
    locales: Option<String>,
    /// Hosts a payment's `return_url` may send the shopper to, besides the page's own host and
    /// the payment URL's host (exact names, no wildcards).
    #[prop(default = Vec::new())]
    return_hosts: Vec<String>,
) -> impl IntoView {
    let state = FormState::new();
    let root = NodeRef::<Div>::new();
    load_locale(state, lang.as_deref(), locales.unwrap_or_else(|| "locales/".to_owned()));

    // Choosing another option sets `current`; the effect then drops the running loop (its owner
    // is cleaned up, cancelling its request and timer) and starts one for the new URL.
    let current = RwSignal::new(src);
    let (preset, wake) = (preset.unwrap_or(Preset::Payform), wake.unwrap_or_default());
    let poll_interval_ms = poll_interval_ms.unwrap_or(DEFAULT_INTERVAL_MS);
    let mut first = Some((events_src, payment));
    // A render effect runs at once (the first request starts while the view is being built,
    // not a tick later) and again whenever `current` changes; it lives as long as the form.
    let switcher = RenderEffect::new(move |_| {
        let src = current.get();
        // The push stream and the inline JSON belong to the payment the form was given.
        let (events_src, payment) = first.take().unwrap_or_default();
        if payment.is_none() {
            state.reset();
        }
        let source = Source {
            src,
            preset: preset.clone(),
            poll_interval_ms,
            events_src,
            payment,
            wake: wake.clone(),
            return_hosts: return_hosts.clone(),
        };
        // The task belongs to this run's owner: unmounting (or switching) cancels it.
        leptos::task::spawn_local_scoped_with_cancellation(live::run(source, state, move || {
            root.get_untracked().map(|el| el.unchecked_into::<web_sys::EventTarget>())
        }));
    });
    StoredValue::new_local(switcher);
    view! { <FormView state=state current=current root=root theme=theme /> }
}

/// The view of one form's state, without the live loop that fills it: [`PayForm`] pairs the
/// two. Hosts that drive a [`FormState`] themselves (and the memory test, which renders
/// thousands of updates) use it directly.
#[component]
pub fn FormView(
    /// The signals the view reads.
    state: FormState,
    /// The payment URL being shown (the picker switches it).
    current: RwSignal<String>,
    /// The form's root element, where events are dispatched.
    #[prop(optional)]
    root: NodeRef<Div>,
    /// `light`, `dark` or `auto`.
    #[prop(default = None)]
    theme: Option<String>,
) -> impl IntoView {
    let theme_class = super::theme::theme_class(theme.as_deref(), root);

    let body = move || {
        let Some(t) = state.catalog.get() else {
            return EitherOf3::C(view! { <p class="pf-loading" data-testid="loading">{"…".to_owned()}</p> });
        };
        match state.shown.get() {
            // The screen reads no long-lived signal itself (an effect that outlives no rebuild
            // but subscribes to a signal that never changes would stay in that signal's
            // subscriber list): what it needs is read here and passed as values.
            Some(shown) => {
                let (dropped, problem) = (state.dropped.get(), state.problem.get());
                let notice = problem.filter(|p| !p.fatal);
                EitherOf3::A(
                    view! { <Screen shown=shown state=state src=current t=t dropped=dropped notice=notice /> },
                )
            }
            None => match state.problem.get() {
                Some(p) => EitherOf3::B(view! { <ProblemBox problem=p t=t /> }),
                None => EitherOf3::C(view! {
                    <p class="pf-loading" data-testid="loading">{t.get(Msg::Loading).to_owned()}</p>
                }),
            },
        }
    };
    // One live region for the whole life of the form: the screens below are rebuilt when the
    // status changes, and a region inserted with its text is not reliably announced.
    let announce = move || {
        let (t, shown) = (state.catalog.get()?, state.shown.get()?);
        let (lang, currency) = (t.lang, shown.payment.asset.currency);
        Some(super::status::headline(&shown.payment, &t, &|a| super::intl::money(lang, a, currency)))
    };
    let lang = move || state.catalog.get().map(|c| c.lang);
    let dir = move || state.catalog.get().map(|c| if c.rtl() { "rtl" } else { "ltr" });
    view! {
        <div class=theme_class node_ref=root lang=lang dir=dir data-testid="payform">
            <span class="pf-brand-probe" aria-hidden="true"></span>
            <p class="pf-sr-only" role="status" aria-live="polite" data-testid="announcer">{announce}</p>
            {body}
        </div>
    }
}

/// How long the form waits for a locale file before it goes on in English.
const LOCALE_PATIENCE_MS: u64 = 2_500;

/// Puts the shopper's catalog into `state`: English at once, any other locale once its file
/// has arrived (the view shows a neutral placeholder until then, and events wait for it).
fn load_locale(state: FormState, lang: Option<&str>, base: String) {
    let chosen = super::intl::choose(lang);
    if chosen == "en" {
        state.catalog.set(Some(Arc::new(Catalog::english())));
        return;
    }
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        let catalog = super::intl::load(chosen, &base).await;
        state.catalog.set(Some(Arc::new(catalog)));
    });
    // On a slow network the shopper should not stare at a placeholder: after a moment the form
    // goes on in English, and switches to the translation if it still arrives.
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        super::browser::sleep(LOCALE_PATIENCE_MS).await;
        if state.catalog.get_untracked().is_none() {
            state.catalog.set(Some(Arc::new(Catalog::english())));
        }
    });
}

/// The screen for a payment that is safe to show.
#[component]
fn Screen(
    /// The validated payment with its URI and QR.
    shown: Arc<Shown>,
    /// The form's signals (the clock offset, read by the countdown without subscribing).
    state: FormState,
    /// The payment URL (the picker switches it).
    src: RwSignal<String>,
    /// The shopper's language.
    t: Arc<Catalog>,
    /// A detected payment disappeared from the network.
    dropped: bool,
    /// A passing problem to show under the payment (connection trouble while retrying).
    notice: Option<Problem>,
) -> impl IntoView {
    let p = &shown.payment;
    let merchant =
        p.merchant.clone().map(|m| view! { <p class="pf-merchant" data-testid="merchant">{m}</p> });
    let description =
        p.description.clone().map(|d| view! { <p class="pf-description" data-testid="description">{d}</p> });
    let middle = match p.status {
        Status::AwaitingPayment | Status::Underpaid => {
            let countdown = p.expires_at.map(|at| {
                view! { <Countdown expires_at=at clock_offset_ms=state.clock_offset_ms.into() t=t.clone() /> }
            });
            EitherOf3::A(view! {
                <AddressRow address=p.address.clone() t=t.clone() />
                <QrCode qr=shown.qr.clone() uri=shown.uri.clone() t=t.clone() />
                {countdown}
            })
        }
        Status::Paid | Status::Overpaid => {
            let back = p.return_url.clone().map(|url| {
                view! { <a class="pf-return" href=url data-testid="return">{t.get(Msg::ReturnToStore).to_owned()}</a> }
            });
            EitherOf3::B(view! {
                <div class="pf-receipt" data-testid="receipt">
                    <p class="pf-receipt-id">{t.get(Msg::PaymentRef).to_owned()} " " <code>{p.id.clone()}</code></p>
                    {back}
                </div>
            })
        }
        _ => EitherOf3::C(()),
    };
    let dropped = dropped.then(|| {
        view! { <p class="pf-notice" role="alert" data-testid="dropped">{t.get(Msg::Dropped).to_owned()}</p> }
    });
    let notice = notice.map(|problem| view! { <ProblemBox problem=problem t=t.clone() /> });
    // Options can be switched only before anything was sent to this one.
    let picker = (p.status == Status::AwaitingPayment && p.paid.is_zero() && p.options.len() > 1)
        .then(|| view! { <Picker payment=p.clone() src=src t=t.clone() /> });
    // Mobile-first order: what is happening, then amount → network → address → QR.
    view! {
        {merchant}
        {description}
        <StatusLine payment=p.clone() t=t.clone() />
        {dropped}
        {picker}
        <AmountRow payment=p.clone() t=t.clone() />
        {middle}
        {notice}
    }
}

/// What went wrong, and whether the form is retrying.
#[component]
fn ProblemBox(
    /// The problem to explain.
    problem: Problem,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let title = t.get(match (problem.fatal, problem.code) {
        (true, "payment_changed") => Msg::ProblemChanged,
        (true, _) => Msg::ProblemUnsafe,
        (false, _) => Msg::ProblemConnection,
    });
    let title = title.to_owned();
    let retry =
        problem.retry_in_ms.map(|ms| t.fill(Msg::RetryIn, &[("seconds", &ms.div_ceil(1000).to_string())]));
    view! {
        <div class="pf-problem" role="alert" data-testid="problem" data-code=problem.code>
            <strong>{title}</strong>
            <p>{problem.message}</p>
            {retry.map(|r| view! { <p class="pf-retry" data-testid="retry">{r}</p> })}
        </div>
    }
}
