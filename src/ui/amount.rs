//! The amount to send, its currency and network, the fiat price beside it, and the warning
//! that names the one network the funds must travel on.

use crate::i18n::{Catalog, Msg};
use crate::payment::Payment;
use leptos::prelude::*;
use std::sync::Arc;

/// "Send 25 USDT on Tron (TRC-20)": the amount in the shopper's number format, with a copy
/// button that copies the canonical amount.
#[component]
pub fn AmountRow(
    /// The validated payment.
    payment: Payment,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let amount = payment.to_pay().to_shown();
    let shown = super::intl::decimal(t.lang, &amount);
    let label =
        t.get(if payment.status == crate::status::Status::Underpaid { Msg::Remaining } else { Msg::Amount });
    let currency = payment.asset.currency;
    let network = payment.network().display_name();
    let fiat =
        payment.fiat_to_pay().map(|f| ["≈ ", &super::intl::fiat(t.lang, &f.amount, &f.currency)].concat());
    // Shown only while funds may be sent: the most common costly mistake is the wrong network.
    let open = payment.status.accepts_funds();
    let warning = open.then(|| network_warning(&payment, &t));
    // No copy button once nothing more is to be sent: it would invite a second payment.
    let copy = open.then(|| {
        view! { <super::address::CopyButton text=amount.clone() label=t.get(Msg::CopyAmount).to_owned() focus="copy-amount" t=t.clone() /> }
    });
    view! {
        <div class="pf-amount">
            <span class="pf-label">{label.to_owned()}</span>
            <p class="pf-value">
                <bdi class="pf-amount-value" data-testid="amount" data-amount=amount.clone()>{shown}</bdi>
                " "
                <span class="pf-currency" data-testid="currency">{currency}</span>
                {fiat.map(|f| view! { " " <span class="pf-fiat" data-testid="fiat">{f}</span> })}
                {copy}
            </p>
            <p class="pf-network" data-testid="network">
                <span class="pf-label">{t.get(if payment.bank.is_some() { Msg::PayMethod } else { Msg::Network }).to_owned()}</span>
                " "
                <strong>{network}</strong>
            </p>
            {warning.map(|w| view! { <p class="pf-warning" role="note" data-testid="network-warning">{w}</p> })}
        </div>
    }
}

/// "Send only USDT on Tron (TRC-20); other networks lose the funds."
pub fn network_warning(payment: &Payment, t: &Catalog) -> String {
    if payment.bank.is_some() {
        return t.get(Msg::WarnBank).to_owned();
    }
    if payment.network() == crate::network::Network::Lightning {
        return t.get(Msg::WarnLightning).to_owned();
    }
    let (currency, network) = (payment.asset.currency, payment.network().display_name());
    t.fill(Msg::WarnNetwork, &[("currency", currency), ("network", network)])
}

#[cfg(test)]
mod tests {
    use crate::i18n::Catalog;

    #[test]
    fn the_warning_names_the_currency_and_network() {
        let p = crate::payment::tron_usdt("awaiting_payment").validate().unwrap();
        assert_eq!(
            super::network_warning(&p, &Catalog::english()),
            "Send only USDT on Tron (TRC-20); other networks lose the funds."
        );
    }
}
