//! [`PayForm`]: the whole form, composed from the row components, driven by the live loop.

use super::address::AddressRow;
use super::amount::AmountRow;
use super::live::{self, FormState, Source};
use super::qr::QrCode;
use super::status::StatusLine;
use crate::backend::Preset;
use crate::poll::DEFAULT_INTERVAL_MS;
use crate::session::Problem;
use leptos::either::EitherOf3;
use leptos::html::Div;
use leptos::prelude::*;
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
) -> impl IntoView {
    let state = FormState::new();
    let root = NodeRef::<Div>::new();
    let source = Source {
        src,
        preset: preset.unwrap_or(Preset::Payform),
        poll_interval_ms: poll_interval_ms.unwrap_or(DEFAULT_INTERVAL_MS),
    };
    // The task belongs to this component's owner: unmounting cancels it, its timer and request.
    leptos::task::spawn_local_scoped_with_cancellation(live::run(source, state, move || {
        root.get_untracked().map(|el| el.unchecked_into::<web_sys::EventTarget>())
    }));

    let status = Signal::derive(move || state.status.get());
    let body = move || {
        let Some(shown) = state.shown.get() else {
            return match state.problem.get() {
                Some(p) => EitherOf3::A(view! { <ProblemBox problem=p /> }),
                None => {
                    EitherOf3::B(view! { <p class="pf-loading" data-testid="loading">"Loading payment…"</p> })
                }
            };
        };
        let payment = shown.payment.clone();
        let payable = move || status.get().is_some_and(|s| s.accepts_funds());
        let (address, qr, uri) = (payment.address.clone(), shown.qr.clone(), shown.uri.clone());
        EitherOf3::C(view! {
            <AmountRow payment=payment.clone() />
            {move || payable().then(|| view! {
                <AddressRow address=address.clone() />
                <QrCode qr=qr.clone() uri=uri.clone() />
            })}
            <StatusLine status=status payment=payment.clone() />
            {move || state.problem.get().map(|p| view! { <ProblemBox problem=p /> })}
        })
    };
    view! {
        <div class="payform" node_ref=root data-testid="payform">
            {body}
        </div>
    }
}

/// What went wrong, and whether the form is retrying.
#[component]
fn ProblemBox(
    /// The problem to explain.
    problem: Problem,
) -> impl IntoView {
    let title = if problem.fatal { "This payment cannot be displayed safely" } else { "Connection problem" };
    let retry = problem.retry_in_ms.map(|ms| format!("Retrying in {} s.", ms.div_ceil(1000)));
    view! {
        <div class="pf-problem" role="alert" data-testid="problem" data-code=problem.code>
            <strong>{title}</strong>
            <p>{problem.message}</p>
            {retry.map(|r| view! { <p class="pf-retry">{r}</p> })}
        </div>
    }
}
