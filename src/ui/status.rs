//! The status line: what is happening, in words a shopper understands, announced to screen
//! readers (`role="status"`).

use crate::payment::Payment;
use crate::status::Status;
use leptos::prelude::*;

/// The sentence shown for a status.
pub fn headline(status: Status, payment: &Payment) -> String {
    let cur = payment.asset.currency;
    match status {
        Status::AwaitingPayment => "Waiting for your payment".into(),
        Status::Confirming => match (payment.confirmations, payment.confirmations_required) {
            (Some(n), Some(m)) => {
                format!("Payment received, confirming ({n} of {m} confirmations)")
            }
            _ => "Payment received, waiting for confirmations".into(),
        },
        Status::Underpaid => {
            format!("Received {} {cur}; please send the remaining {} {cur}", payment.paid, payment.due)
        }
        Status::Paid => "Paid. Thank you!".into(),
        Status::Overpaid => {
            "Paid. You sent more than required; the merchant can refund the difference.".into()
        }
        Status::Expired => "This payment has expired".into(),
        Status::Failed => "The payment failed".into(),
        Status::Cancelled => "The payment was cancelled".into(),
        Status::Refunded => "The payment was refunded".into(),
    }
}

/// The live status line.
#[component]
pub fn StatusLine(
    /// The current status.
    status: Signal<Option<Status>>,
    /// The payment the status belongs to.
    payment: Payment,
) -> impl IntoView {
    let text = move || status.get().map(|s| headline(s, &payment)).unwrap_or_default();
    let class = move || format!("pf-status pf-status-{}", status.get().map_or("loading", |s| s.as_str()));
    view! {
        <p class=class role="status" aria-live="polite" data-testid="status"
            data-status=move || status.get().map(|s| s.as_str())>
            {text}
        </p>
    }
}
