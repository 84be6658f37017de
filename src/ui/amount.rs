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
        </div>
    }
}
