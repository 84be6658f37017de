//! [`PayForm`]: the whole form, composed from the row components, driven by the live loop.
//! One screen per status: pay (awaiting, underpaid: address, QR, countdown), confirming,
//! receipt (paid, overpaid), and the endings (expired, failed, cancelled, refunded).

use super::amount::AmountRow;
use super::browser::Wake;
use super::countdown::{Countdown, MoreTime};
use super::events::{Callbacks, ErrorDetail, RefundAddress, StatusChange};
use super::live::{self, FormState, Shown, Source};
use super::picker::Picker;
use super::qr::PayWays;
use super::receipt::Receipt;
use super::refund::RefundField;
use super::sent::SentIt;
use super::status::StatusLine;
use crate::backend::Preset;
use crate::i18n::{Catalog, Msg};
use crate::options::{Format, Lang, Options, Theme};
use crate::payment::Payment;
use crate::session::Problem;
use crate::status::Status;
use leptos::either::{EitherOf3, EitherOf4};
use leptos::html::Div;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The payment form: fetches the payment at `options.src`, shows what to pay and where, keeps
/// the status live, and dispatches the `payform:*` DOM events on its root element (they bubble
/// and are `composed`, so a listener on any ancestor hears them). Options that cannot be used
/// (no `src` nor `payment`, an unknown `preset`, a broken `mapping`: [`Options::check`]) are
/// shown as a problem in place of the form, with a `payform:error`; nothing is fetched.
///
/// Each event also runs its optional `on_*` callback with the same data as a Rust value (see
/// [`events`](crate::events)), right after the DOM event and exactly as often.
///
/// ```no_run
/// use leptos::prelude::*;
/// use payform::options::{Options, Theme};
/// use payform::ui::PayForm;
///
/// let options = Options { theme: Theme::Auto, ..Options::new("/api/payments/pay_123") };
/// leptos::mount::mount_to_body(move || view! { <PayForm options=options.clone() /> });
/// ```
#[component]
pub fn PayForm(
    /// What to show and how: one field per option of `<pay-form>` (see [`Options`] and the
    /// README's options table).
    options: Options,
    /// A doorbell the host rings to ask the backend at once (`refresh()`).
    #[prop(optional)]
    wake: Option<super::browser::Wake>,
    /// The first request of `src`, already started by `payform.js` (see [`super::browser::Prefetch`]).
    #[prop(default = None)]
    prefetch: Option<super::browser::Prefetch>,
    /// `payform:ready`: the first valid payment is on screen.
    #[prop(optional, into)]
    on_ready: Option<Callback<Payment>>,
    /// `payform:status`: the status changed (the first one too, with `previous: None`).
    #[prop(optional, into)]
    on_status: Option<Callback<StatusChange>>,
    /// `payform:paid`: `paid` or `overpaid`, exactly once.
    #[prop(optional, into)]
    on_paid: Option<Callback<Payment>>,
    /// `payform:expired`.
    #[prop(optional, into)]
    on_expired: Option<Callback<Payment>>,
    /// `payform:failed`: `failed`, `cancelled` or `refunded` (the reason is the payment's status).
    #[prop(optional, into)]
    on_failed: Option<Callback<Payment>>,
    /// `payform:error`: a fetch, validation or setup problem.
    #[prop(optional, into)]
    on_error: Option<Callback<ErrorDetail>>,
    /// `payform:late`: the payment moved on after it had expired (once).
    #[prop(optional, into)]
    on_late: Option<Callback<Payment>>,
    /// `payform:refund_address`: the shopper saved a refund address (`refund_address` on).
    #[prop(optional, into)]
    on_refund_address: Option<Callback<RefundAddress>>,
    /// `payform:more_time`: the shopper asked for more time (`more_time` on).
    #[prop(optional, into)]
    on_more_time: Option<Callback<Payment>>,
    /// `payform:submitted`: the shopper's wallet sent the payment's transaction ("Pay with
    /// <wallet>"; only with the wallet module of the embed bundle).
    #[prop(optional, into)]
    on_submitted: Option<Callback<super::events::Submitted>>,
) -> impl IntoView {
    let on = Callbacks {
        ready: on_ready,
        status: on_status,
        paid: on_paid,
        expired: on_expired,
        failed: on_failed,
        error: on_error,
        late: on_late,
        refund_address: on_refund_address,
        more_time: on_more_time,
        submitted: on_submitted,
    };
    let state = FormState::new();
    let root = NodeRef::<Div>::new();
    let target = move || root.get_untracked().map(|el| el.unchecked_into::<web_sys::EventTarget>());
    // The format to read with: known at once, or once a provider's description has arrived.
    let preset = RwSignal::new(None::<Preset>);
    match options.check() {
        Ok(Format::Ready(ready)) => preset.set(Some(ready)),
        Ok(Format::Provider { file }) => {
            let (name, url) = (options.preset.clone().unwrap_or_default(), options.description_url(file));
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                match live::describe(name, url).await {
                    Ok(described) => preset.set(Some(described)),
                    Err(problem) => live::refuse(problem, state, target, on).await,
                }
            })
        }
        Err(problem) => {
            leptos::task::spawn_local_scoped_with_cancellation(live::refuse(problem, state, target, on))
        }
    }
    let Options {
        src,
        payment,
        poll_interval_ms,
        events_src,
        theme,
        lang,
        locales,
        rails,
        return_hosts,
        refund_address,
        more_time,
        network_mode,
        ..
    } = options;
    load_locale(state, &lang, locales.unwrap_or_else(|| "locales/".to_owned()));
    // "I've sent the payment" only where something asks the backend again: a form with `src`.
    let live = src.as_deref().is_some_and(|s| !s.is_empty());
    // Choosing another option sets `current`; the effect then drops the running loop (its owner
    // is cleaned up, cancelling its request and timer) and starts one for the new URL.
    let current = RwSignal::new(src.unwrap_or_default());
    let wake = wake.unwrap_or_default();
    provide_context(Extras {
        wake: live.then(|| StoredValue::new_local(wake.clone())),
        refund_address,
        more_time,
        on,
    });
    let (poll_interval_ms, return_hosts) = (poll_interval_ms.ms(), return_hosts.hosts().to_vec());
    let rails = rails.unwrap_or_else(|| "payform_rails.wasm".to_owned());
    let mut first = Some((events_src, payment, prefetch));
    // A render effect runs at once (the first request starts while the view is being built, not
    // a tick later) and again whenever `current` (or, once, `preset`) changes; it lives as long
    // as the form.
    let switcher = RenderEffect::new(move |_| {
        let src = current.get();
        let Some(preset) = preset.get() else { return };
        // The push stream and the inline JSON belong to the payment the form was given.
        let (events_src, payment, prefetch) = first.take().unwrap_or_default();
        if payment.is_none() {
            state.reset();
        }
        let source = Source {
            src,
            preset,
            poll_interval_ms,
            events_src,
            payment,
            wake: wake.clone(),
            return_hosts: return_hosts.clone(),
            prefetch,
            rails: rails.clone(),
            on,
            network_mode,
        };
        // The task belongs to this run's owner: unmounting (or switching) cancels it.
        leptos::task::spawn_local_scoped_with_cancellation(live::run(source, state, target));
    });
    StoredValue::new_local(switcher);
    view! { <FormView state=state current=current root=root theme=theme network_mode=network_mode /> }
}

/// What the screens offer beyond the payment (from the options), and the live loop's doorbell
/// ("I've sent the payment" rings it). A [`FormView`] without a [`PayForm`] has none of them.
#[derive(Clone, Default)]
struct Extras {
    wake: Option<StoredValue<Wake, LocalStorage>>,
    refund_address: bool,
    more_time: bool,
    /// The host's callbacks (the screens' own events: refund address, more time).
    on: Callbacks,
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
    /// `light` (the default), `dark` or `auto`.
    #[prop(optional)]
    theme: Theme,
    /// `test`: the "TEST — no real funds" banner on every screen.
    #[prop(optional)]
    network_mode: crate::network::NetworkMode,
) -> impl IntoView {
    let theme_class = super::theme::theme_class(theme, root);
    // Focus survives a rebuilt screen (a status change, another currency picked): the body
    // below runs while the old screen is still in the document and notes the `data-focus` name
    // of the focused control; in the next frame, with the new screen in, the control of the
    // same name is focused, else the screen's heading (read out, so the change is announced).
    // While the form is loading, the name waits for the screen that follows.
    let refocus = StoredValue::new(None::<String>);
    let restore = move || {
        // `try_`: the form may have been destroyed before this frame.
        let Some(root) = root.try_get_untracked().flatten() else { return };
        if root.query_selector(".pf-loading").ok().flatten().is_some() {
            return;
        }
        let Some(name) = refocus.try_update_value(Option::take).flatten() else { return };
        let same = root.query_selector(&["[data-focus=\"", &name, "\"]"].concat()).ok().flatten();
        let target = same.or_else(|| root.query_selector("h2").ok().flatten());
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    };
    let body = move || {
        let focused = root.get_untracked().and_then(|r| r.query_selector(":focus").ok().flatten());
        if let Some(name) = focused.and_then(|f| f.get_attribute("data-focus")) {
            refocus.set_value(Some(name));
        }
        if refocus.with_value(Option::is_some) {
            request_animation_frame(restore);
        }
        let Some(t) = state.catalog.get() else {
            return EitherOf3::C(view! { <p class="pf-loading" data-testid="loading">{"…".to_owned()}</p> });
        };
        match state.shown.get() {
            // The screen reads no long-lived signal itself (an effect that outlives no rebuild
            // but subscribes to a signal that never changes would stay in that signal's
            // subscriber list): what it needs is read here and passed as values.
            Some(shown) => {
                let (dropped, problem) = (state.dropped.get(), state.problem.get());
                let late = state.late.get();
                let notice = problem.filter(|p| !p.fatal);
                EitherOf3::A(view! {
                    <Screen shown=shown state=state src=current t=t dropped=dropped notice=notice
                        late=late root=root />
                })
            }
            None => match state.problem.get() {
                Some(p) => {
                    // A problem nothing retries (a 404, a payment unsafe to show) is not a dead
                    // end: "Try again" asks the backend anew (a new session, as a reload would).
                    let again = (p.retry_in_ms.is_none()
                        && !p.code.is_setup()
                        && !current.get_untracked().is_empty())
                    .then_some(current);
                    EitherOf3::B(
                        view! { <ProblemBox problem=p retry_at=state.retry_at_ms again=again t=t /> },
                    )
                }
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
        let p = &shown.payment;
        let (lang, currency) = (t.lang, p.asset.currency);
        let mut text = super::status::headline(p, &t, &|a| super::intl::money(lang, a, currency));
        if state.late.get() && p.status != Status::Expired {
            text = [t.get(Msg::LateTitle), ". ", &text].concat();
        }
        if p.status.accepts_funds() {
            match state.looking.get() {
                1 => text = [text.as_str(), " ", t.get(Msg::Looking)].concat(),
                2 => text = [text.as_str(), " ", t.get(Msg::NotSeenYet)].concat(),
                _ => {}
            }
        }
        if p.status == Status::AwaitingPayment {
            // What to send and on which network too: picking another currency changes no
            // headline, and this is how the shopper hears that the amount and address changed.
            let amount = super::intl::money(lang, p.to_pay(), currency);
            text = [text.as_str(), " ", &amount, " ", &super::amount::network_warning(p, &t)].concat();
        }
        // The last two minutes and the end, said once each: the countdown only moves `urgency`
        // across those thresholds, and this region outlives the screens it rebuilds.
        if p.status.accepts_funds() {
            match state.urgency.get() {
                1 => text = [text.as_str(), " ", t.get(Msg::TimeUrgent)].concat(),
                2 => text = [text.as_str(), " ", t.get(Msg::TimeUp)].concat(),
                _ => {}
            }
        }
        Some(text)
    };
    let lang = move || state.catalog.get().map(|c| c.lang);
    // A landmark of its own on the merchant's page ("Payment", in the shopper's language).
    let name = move || state.catalog.get().map(|c| c.get(Msg::FrameTitle).to_owned());
    let dir = move || state.catalog.get().map(|c| if c.rtl() { "rtl" } else { "ltr" });
    view! {
        <div class=theme_class part="container" node_ref=root lang=lang dir=dir role="region" aria-label=name data-testid="payform">
            <span class="pf-brand-probe" aria-hidden="true"></span>
            <super::testmode::TestBanner mode=network_mode catalog=state.catalog />
            <p class="pf-sr-only" role="status" aria-live="polite" data-testid="announcer">{announce}</p>
            {body}
        </div>
    }
}

/// How long the form waits for a locale file before it goes on in English.
const LOCALE_PATIENCE_MS: u64 = 2_500;

/// Puts the shopper's catalog into `state`: English at once, any other locale once its file
/// has arrived (the view shows a neutral placeholder until then, and events wait for it).
fn load_locale(state: FormState, lang: &Lang, base: String) {
    let browser = match lang {
        Lang::Auto => super::intl::requested_languages(None),
        Lang::Tag(_) => Vec::new(),
    };
    let chosen = lang.locale(browser.iter().map(String::as_str));
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
    /// What is shown happened after the deadline.
    late: bool,
    /// The form's root element (where the screens' own events are dispatched).
    root: NodeRef<Div>,
) -> impl IntoView {
    let extras = use_context::<Extras>().unwrap_or_default();
    let p = &shown.payment;
    let (lang, currency) = (t.lang, p.asset.currency);
    let money = move |a: crate::money::Amount| super::intl::money(lang, a, currency);
    let merchant =
        p.merchant.clone().map(|m| view! { <p class="pf-merchant" data-testid="merchant">{m}</p> });
    let description =
        p.description.clone().map(|d| view! { <p class="pf-description" data-testid="description">{d}</p> });
    let middle = match p.status {
        Status::AwaitingPayment | Status::Underpaid => {
            // A countdown that ran out is no reason to stop a late payment from counting: past
            // the deadline, the backend decides, and the screen does not count below zero.
            let countdown = p.expires_at.filter(|_| !late).map(|at| {
                view! { <Countdown expires_at=at clock_offset_ms=state.clock_offset_ms.into() urgency=state.urgency t=t.clone() /> }
            });
            let more_time = (extras.more_time && p.expires_at.is_some() && !late)
                .then(|| view! { <MoreTime payment=p.clone() root=root on=extras.on.more_time t=t.clone() /> });
            let sent = extras
                .wake
                .and_then(|w| w.try_get_value())
                .map(|wake| view! { <SentIt wake=wake state=state t=t.clone() /> });
            // One click from a browser wallet, above the QR (EVM payments, wallets present).
            let wallets = view! { <super::wallet::WalletPay payment=p.clone() wake=extras.wake on=extras.on.submitted t=t.clone() /> };
            let ways = match p.bank.clone() {
                Some(bank) => leptos::either::Either::Left(view! {
                    <super::bank::BankPay shown=shown.clone() bank=bank amount=money(p.to_pay()) t=t.clone() />
                }),
                None => leptos::either::Either::Right(view! {
                    <PayWays shown=shown.clone() amount=money(p.to_pay()) choice=state.way t=t.clone() />
                }),
            };
            EitherOf4::A(view! {
                {wallets}
                {ways}
                // Under the QR: on a phone the amount and the whole QR stay above the fold.
                {fee_hint(p, &t, &money).map(|h| view! { <p class="pf-hint pf-fee-hint" data-testid="fee-hint">{h}</p> })}
                {sent}
                {countdown}
                {more_time}
            })
        }
        Status::Confirming => EitherOf4::B(
            // Once a payment is seen, the deadline no longer decides anything: say so.
            (p.expires_at.is_some() && !late).then(|| {
                view! { <p class="pf-hint" data-testid="timer-stopped">{t.get(Msg::TimerStopped).to_owned()}</p> }
            }),
        ),
        Status::Paid | Status::Overpaid => EitherOf4::C(view! { <Receipt payment=p.clone() t=t.clone() /> }),
        _ => EitherOf4::D(()),
    };
    // A payment that arrived after the deadline, in the merchant's words when it gave them.
    // (Not for `refunded`: nothing will be confirmed then.)
    let late_status =
        matches!(p.status, Status::Confirming | Status::Underpaid | Status::Paid | Status::Overpaid);
    let late_note = (late && late_status).then(|| {
        let merchant = p.merchant.as_deref().unwrap_or(t.get(Msg::TheMerchant));
        let next = p.late_note.clone().unwrap_or_else(|| t.fill(Msg::LateNext, &[("merchant", merchant)]));
        view! {
            <div class="pf-late" role="note" data-testid="late">
                <strong class="pf-late-title">{t.get(Msg::LateTitle).to_owned()}</strong>
                <p class="pf-late-next" data-testid="late-next">{next}</p>
            </div>
        }
    });
    // Where a refund may be needed: while paying, once over- or late-paid, or partly paid and
    // expired.
    let refundable = match p.status {
        Status::AwaitingPayment | Status::Underpaid | Status::Confirming | Status::Overpaid => true,
        Status::Expired | Status::Paid => !p.paid.is_zero() && (late || p.status == Status::Expired),
        _ => false,
    };
    // A bank transfer is refunded to the account it came from: no address to ask for.
    let refund = (extras.refund_address && refundable && p.bank.is_none())
        .then(|| view! { <RefundField payment=p.clone() root=root record=state.refund on=extras.on.refund_address t=t.clone() /> });
    // Every ending offers the way back to the shop when the payment names one: paid, and also
    // expired, failed, cancelled and refunded, which would otherwise be dead ends.
    let back = p.status.is_terminal().then(|| p.return_url.clone()).flatten().map(|url| {
        view! { <a class="pf-return" part="link" href=url data-focus="return" data-testid="return">{t.get(Msg::ReturnToStore).to_owned()}</a> }
    });
    let dropped = dropped.then(|| {
        view! { <p class="pf-notice" role="alert" data-testid="dropped">{t.get(Msg::Dropped).to_owned()}</p> }
    });
    let notice =
        notice.map(|problem| view! { <ProblemBox problem=problem retry_at=state.retry_at_ms t=t.clone() /> });
    // Options can be switched only before anything was sent to this one.
    let picker = (p.status == Status::AwaitingPayment && p.paid.is_zero() && p.options.len() > 1)
        .then(|| view! { <Picker payment=p.clone() src=src t=t.clone() /> });
    // Mobile-first order: what is happening, then amount → network → address → QR.
    view! {
        {merchant}
        {description}
        <StatusLine payment=p.clone() t=t.clone() />
        {late_note}
        {dropped}
        {picker}
        <AmountRow payment=p.clone() t=t.clone() />
        {middle}
        {refund}
        {back}
        {notice}
    }
}

/// What went wrong, and whether the form is retrying.
#[component]
fn ProblemBox(
    /// The problem to explain.
    problem: Problem,
    /// When the form asks again (local clock, ms), if `problem` is retried.
    retry_at: RwSignal<i64>,
    /// For a problem that is not retried by itself: the payment URL, set again by "Try again"
    /// (which starts a new session on it, as a reload would).
    #[prop(default = None)]
    again: Option<RwSignal<String>>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    // The code says what the shopper reads; the merchant's English explanation stays out of
    // the text (it is in `payform:error`'s `detail.message`, and `data-message` for debugging).
    let (title, text) = (problem.title(&t).to_owned(), problem.text(&t));
    let try_again = t.get(Msg::TryAgain).to_owned();
    // "Retrying in N s", counted down each second, outside the alert: a live region would
    // read every tick aloud. The timer exists only for a problem that is retried, and is
    // cleared with the box.
    let retry = problem.retry_in_ms.is_some().then(|| {
        let now = RwSignal::new(super::browser::now_ms());
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(super::browser::now_ms()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
        let text = move || {
            // At zero the request is on its way: the line says 1 s until its answer replaces it.
            let left = (retry_at.get() - now.get()).max(1_000) as u64;
            t.fill(Msg::RetryIn, &[("seconds", &crate::cat!(left.div_ceil(1_000)))])
        };
        view! { <p class="pf-retry" data-testid="retry">{text}</p> }
    });
    view! {
        <div class="pf-problem" data-testid="problem" data-code=problem.code.as_str() data-message=problem.message>
            <div role="alert">
                <h2 class="pf-problem-title" tabindex="-1">{title}</h2>
                <p>{text}</p>
            </div>
            {retry}
            {again.map(|src| view! {
                <button type="button" class="pf-again" part="button" data-focus="try-again" data-testid="try-again"
                    on:click=move |_| src.set(src.get_untracked())>
                    {try_again}
                </button>
            })}
        </div>
    }
}

/// A form that only shows what is wrong with its setup (`bad_config`: the hosted checkout's
/// link or frame cannot be used), in the shopper's language (`auto`: the browser's), with no
/// payment and no request. `message` is the English explanation for the merchant.
#[component]
pub fn SetupProblem(
    /// Why the form cannot start, for the merchant (the box's `data-message`).
    message: String,
) -> impl IntoView {
    let state = FormState::new();
    state.problem.set(Some(Problem::setup(crate::error::ErrorCode::BadConfig, message)));
    load_locale(state, &Lang::Auto, "locales/".to_owned());
    view! { <FormView state=state current=RwSignal::new(String::new()) /> }
}

/// The one-line advice for shoppers paying from an exchange, which often subtracts its
/// withdrawal fee from what arrives: before anything was paid, a warning; when a payment came
/// up short by a little (what is left is at most 5 % of the amount), why, and how much must
/// arrive.
fn fee_hint(p: &crate::payment::Payment, t: &Catalog, money: super::status::MoneyText) -> Option<String> {
    if p.bank.is_some() {
        // A bank transfer arrives whole (no exchange in between).
        return None;
    }
    match p.status {
        Status::AwaitingPayment if p.paid.is_zero() => {
            Some(t.fill(Msg::ExchangeWarning, &[("amount", &money(p.amount))]))
        }
        Status::Underpaid if p.short_by_a_fee() => Some(t.fill(Msg::FeeHint, &[("due", &money(p.due))])),
        _ => None,
    }
}
