//! [`PayForm`]: the whole form, composed from the row components, driven by the live loop.
//! One screen per status: pay (awaiting, underpaid: address, QR, countdown), confirming,
//! receipt (paid, overpaid), and the endings (expired, failed, cancelled, refunded).

use super::address::AddressRow;
use super::amount::AmountRow;
use super::countdown::Countdown;
use super::live::{self, FormState, Shown, Source};
use super::qr::QrCode;
use super::status::StatusLine;
use crate::backend::Preset;
use crate::poll::DEFAULT_INTERVAL_MS;
use crate::session::Problem;
use crate::status::Status;
use leptos::either::{Either, EitherOf3};
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
) -> impl IntoView {
    let theme_class = match theme.as_deref() {
        Some("dark") => "payform pf-theme-dark",
        Some("auto") => "payform pf-theme-auto",
        _ => "payform pf-theme-light",
    };
    let state = FormState::new();
    let root = NodeRef::<Div>::new();
    let source = Source {
        src,
        preset: preset.unwrap_or(Preset::Payform),
        poll_interval_ms: poll_interval_ms.unwrap_or(DEFAULT_INTERVAL_MS),
        events_src,
        payment,
        wake: wake.unwrap_or_default(),
    };
    // The task belongs to this component's owner: unmounting cancels it, its timer and request.
    leptos::task::spawn_local_scoped_with_cancellation(live::run(source, state, move || {
        root.get_untracked().map(|el| el.unchecked_into::<web_sys::EventTarget>())
    }));

    let body = move || match state.shown.get() {
        Some(shown) => EitherOf3::A(view! { <Screen shown=shown state=state /> }),
        None => match state.problem.get() {
            Some(p) => EitherOf3::B(view! { <ProblemBox problem=p /> }),
            None => {
                EitherOf3::C(view! { <p class="pf-loading" data-testid="loading">"Loading payment…"</p> })
            }
        },
    };
    view! {
        <div class=theme_class node_ref=root data-testid="payform">
            {body}
        </div>
    }
}

/// The screen for a payment that is safe to show.
#[component]
fn Screen(
    /// The validated payment with its URI and QR.
    shown: Arc<Shown>,
    /// The form's signals (problem notice, clock offset, dropped flag).
    state: FormState,
) -> impl IntoView {
    let p = &shown.payment;
    let merchant =
        p.merchant.clone().map(|m| view! { <p class="pf-merchant" data-testid="merchant">{m}</p> });
    let description =
        p.description.clone().map(|d| view! { <p class="pf-description" data-testid="description">{d}</p> });
    let middle = match p.status {
        Status::AwaitingPayment | Status::Underpaid => {
            let countdown = p.expires_at.map(|at| {
                view! { <Countdown expires_at=at clock_offset_ms=state.clock_offset_ms.into() /> }
            });
            EitherOf3::A(view! {
                <AddressRow address=p.address.clone() />
                <QrCode qr=shown.qr.clone() uri=shown.uri.clone() />
                {countdown}
            })
        }
        Status::Paid | Status::Overpaid => {
            let back = p.return_url.clone().map(|url| {
                view! { <a class="pf-return" href=url data-testid="return">"Return to the store"</a> }
            });
            EitherOf3::B(view! {
                <div class="pf-receipt" data-testid="receipt">
                    <p class="pf-receipt-id">"Payment " <code>{p.id.clone()}</code></p>
                    {back}
                </div>
            })
        }
        _ => EitherOf3::C(()),
    };
    let dropped = move || {
        state.dropped.get().then(|| {
            view! {
                <p class="pf-notice" role="alert" data-testid="dropped">
                    "The payment we had detected was dropped by the network. If your wallet shows it as \
                     failed or replaced, send the payment again."
                </p>
            }
        })
    };
    let notice = move || match state.problem.get() {
        Some(problem) if !problem.fatal => Either::Left(view! { <ProblemBox problem=problem /> }),
        _ => Either::Right(()),
    };
    view! {
        {merchant}
        {description}
        <AmountRow payment=p.clone() />
        <StatusLine payment=p.clone() />
        {dropped}
        {middle}
        {notice}
    }
}

/// What went wrong, and whether the form is retrying.
#[component]
fn ProblemBox(
    /// The problem to explain.
    problem: Problem,
) -> impl IntoView {
    let title = match (problem.fatal, problem.code) {
        (true, "payment_changed") => "The payment details changed",
        (true, _) => "This payment cannot be displayed safely",
        (false, _) => "Connection problem",
    };
    let retry = problem.retry_in_ms.map(|ms| format!("Retrying in {} s.", ms.div_ceil(1000)));
    view! {
        <div class="pf-problem" role="alert" data-testid="problem" data-code=problem.code>
            <strong>{title}</strong>
            <p>{problem.message}</p>
            {retry.map(|r| view! { <p class="pf-retry" data-testid="retry">{r}</p> })}
        </div>
    }
}
