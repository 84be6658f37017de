//! The amount to send, its currency and network, and the fiat price beside it.

use crate::payment::Payment;
use leptos::prelude::*;

/// "Send 25 USDT on Tron (TRC-20)", with the exact amount copyable.
#[component]
pub fn AmountRow(
    /// The validated payment.
    payment: Payment,
) -> impl IntoView {
    let amount = payment.to_pay().to_string();
    let label =
        if payment.status == crate::status::Status::Underpaid { "Remaining to send" } else { "Amount" };
    let currency = payment.asset.currency;
    let network = payment.network().display_name();
    let fiat = payment.fiat.clone().map(|f| format!("≈ {} {}", f.amount, f.currency));
    // Shown only while funds may be sent: the most common costly mistake is the wrong network.
    let warning = payment.status.accepts_funds().then(|| network_warning(&payment));
    view! {
        <div class="pf-amount">
            <span class="pf-label">{label}</span>
            <p class="pf-value">
                <strong class="pf-amount-value" data-testid="amount">{amount.clone()}</strong>
                " "
                <span class="pf-currency" data-testid="currency">{currency}</span>
                <super::address::CopyButton text=amount label="Copy amount" />
            </p>
            {fiat.map(|f| view! { <p class="pf-fiat">{f}</p> })}
            <p class="pf-network" data-testid="network">
                <span class="pf-label">"Network"</span>
                " "
                <strong>{network}</strong>
            </p>
            {warning.map(|w| view! { <p class="pf-warning" role="note" data-testid="network-warning">{w}</p> })}
        </div>
    }
}

/// "Send only USDT on Tron (TRC-20); other networks lose the funds."
pub fn network_warning(payment: &Payment) -> String {
    let (currency, network) = (payment.asset.currency, payment.network().display_name());
    if payment.network() == crate::network::Network::Lightning {
        return "Pay this invoice from a Lightning wallet; an on-chain payment to it is lost.".into();
    }
    format!("Send only {currency} on {network}; other networks lose the funds.")
}

#[cfg(test)]
mod tests {
    use crate::payment::RawPayment;

    #[test]
    fn the_warning_names_the_currency_and_network() {
        let p = RawPayment {
            id: "p".into(),
            status: "awaiting_payment".into(),
            amount: "25".into(),
            currency: "USDT".into(),
            network: "tron".into(),
            address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(),
            ..RawPayment::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            super::network_warning(&p),
            "Send only USDT on Tron (TRC-20); other networks lose the funds."
        );
    }
}
