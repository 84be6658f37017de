//! What the status means to the shopper: the headline of every status screen and the longer
//! explanation under it, announced to screen readers (`role="status"`).

use crate::money::Amount;
use crate::payment::Payment;
use crate::status::Status;
use leptos::prelude::*;

fn money(a: Amount, currency: &str) -> String {
    format!("{a} {currency}")
}

/// The headline shown for the payment's status.
pub fn headline(p: &Payment) -> String {
    let cur = p.asset.currency;
    match p.status {
        Status::AwaitingPayment => "Waiting for your payment".into(),
        Status::Confirming => match (p.confirmations, p.confirmations_required) {
            (Some(n), Some(m)) if m > 0 => format!("Payment received, confirming ({n} of {m} confirmations)"),
            _ => "Payment received, waiting for confirmations".into(),
        },
        Status::Underpaid => {
            format!("Received {}; please send the remaining {}", money(p.paid, cur), money(p.due, cur))
        }
        Status::Paid => "Paid. Thank you!".into(),
        Status::Overpaid => "Paid. Thank you!".into(),
        Status::Expired if !p.paid.is_zero() => "This payment expired before the full amount arrived".into(),
        Status::Expired => "This payment has expired".into(),
        Status::Failed => "The payment failed".into(),
        Status::Cancelled => "The payment was cancelled".into(),
        Status::Refunded => "The payment was refunded".into(),
    }
}

/// The explanation under the headline, if the status needs one.
pub fn detail(p: &Payment) -> Option<String> {
    let cur = p.asset.currency;
    let merchant = p.merchant.as_deref().unwrap_or("the merchant");
    Some(match p.status {
        Status::AwaitingPayment => return None,
        Status::Confirming => {
            "You can close this page: the payment is on its way and needs no further action.".into()
        }
        Status::Underpaid => format!(
            "Send the remaining {} to the same address, on the same network, before the time runs out.",
            money(p.due, cur)
        ),
        Status::Paid => format!("{} received by {merchant}.", money(p.paid.max(p.amount), cur)),
        Status::Overpaid => match p.paid.checked_sub(p.amount) {
            Some(extra) => format!(
                "You sent {}, {} more than required; {merchant} can refund the difference.",
                money(p.paid, cur),
                money(extra, cur)
            ),
            None => format!("You sent more than required; {merchant} can refund the difference."),
        },
        Status::Expired if !p.paid.is_zero() => format!(
            "{} of {} arrived before the time ran out. Do not send more to this address; contact \
             {merchant} about the amount already sent.",
            money(p.paid, cur),
            money(p.amount, cur)
        ),
        Status::Expired => "No payment arrived in time. Do not send anything to this address; start a new \
                            checkout if you still want to pay."
            .into(),
        Status::Failed => {
            format!("Nothing more will happen with this payment. Contact {merchant} if you sent funds.")
        }
        Status::Cancelled => "Do not send anything to this address.".into(),
        Status::Refunded => format!("{merchant} returned the funds to you."),
    })
}

/// The live status line and its explanation.
#[component]
pub fn StatusLine(
    /// The payment whose status is shown.
    payment: Payment,
) -> impl IntoView {
    let class = format!("pf-status pf-status-{}", payment.status.as_str());
    view! {
        <div class=class role="status" aria-live="polite" data-testid="status" data-status=payment.status.as_str()>
            <strong class="pf-headline">{headline(&payment)}</strong>
            {detail(&payment).map(|d| view! { <p class="pf-detail">{d}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::RawPayment;

    fn payment(status: &str, paid: &str) -> Payment {
        RawPayment {
            id: "p".into(),
            status: status.into(),
            amount: "25".into(),
            currency: "USDT".into(),
            network: "tron".into(),
            address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(),
            paid: Some(paid.into()),
            merchant: Some("Example Store".into()),
            ..RawPayment::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn every_status_has_words_and_partial_expiry_is_distinct() {
        for s in Status::ALL {
            assert!(!headline(&payment(s.as_str(), "0")).is_empty());
        }
        assert_ne!(headline(&payment("expired", "0")), headline(&payment("expired", "10")));
        assert!(detail(&payment("expired", "10")).unwrap().contains("10 USDT of 25 USDT"));
        assert_eq!(
            headline(&payment("underpaid", "10")),
            "Received 10 USDT; please send the remaining 15 USDT"
        );
        assert!(detail(&payment("overpaid", "27.5")).unwrap().contains("2.5 USDT more than required"));
    }
}
