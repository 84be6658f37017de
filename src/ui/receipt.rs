//! The receipt of a paid payment: what was paid, on which network, when, the transactions with
//! links to the network's block explorer, the payment's reference, the order and the merchant,
//! and a "Print receipt" button (the print stylesheet prints the receipt alone).

use crate::i18n::{Catalog, Msg};
use crate::payment::Payment;
use leptos::prelude::*;
use std::sync::Arc;

/// A transaction id shortened for reading (`1a2b3c…7d8e9f`); the link holds it whole.
fn short(txid: &str) -> String {
    let chars: Vec<char> = txid.chars().collect();
    if chars.len() <= 16 {
        return txid.to_owned();
    }
    let (head, tail) = (&chars[..8], &chars[chars.len() - 6..]);
    [head.iter().collect::<String>(), "…".to_owned(), tail.iter().collect()].concat()
}

/// The receipt of `payment` (paid or overpaid).
#[component]
pub fn Receipt(
    /// The paid payment.
    payment: Payment,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let p = payment;
    let (lang, currency) = (t.lang, p.asset.currency);
    let received = super::intl::money(lang, p.paid.max(p.amount), currency);
    let row = |label: &str, value: AnyView, id: &'static str| {
        view! {
            <div class="pf-receipt-row">
                <dt>{label.to_owned()}</dt>
                <dd data-testid=id>{value}</dd>
            </div>
        }
    };
    let when = p.paid_at.or(p.server_time).map(|at| {
        let text = super::intl::moment(lang, at, at + 86_400_000);
        row(t.get(Msg::ReceiptTime), view! { <time>{text}</time> }.into_any(), "receipt-time")
    });
    let explorer = p.network().explorer();
    let txs = (!p.txids.is_empty()).then(|| {
        let links = p
            .txids
            .iter()
            .map(|id| {
                let text = short(id);
                match explorer {
                    Some((site, base)) => {
                        let label = t.fill(Msg::ViewTx, &[("txid", &text), ("explorer", site)]);
                        view! {
                            <a class="pf-tx" href=[base, id.as_str()].concat() target="_blank"
                                rel="noopener noreferrer" aria-label=label data-txid=id.clone()>
                                <code>{text}</code>
                            </a>
                        }
                        .into_any()
                    }
                    None => view! { <code class="pf-tx" data-txid=id.clone()>{text}</code> }.into_any(),
                }
            })
            .collect_view();
        row(t.get(Msg::ReceiptTx), links.into_any(), "receipt-tx")
    });
    let order = p.description.clone().map(|d| row(t.get(Msg::ReceiptOrder), d.into_any(), "receipt-order"));
    let merchant =
        p.merchant.clone().map(|m| row(t.get(Msg::ReceiptMerchant), m.into_any(), "receipt-merchant"));
    let print = t.get(Msg::PrintReceipt).to_owned();
    view! {
        <section class="pf-receipt" data-testid="receipt">
            <h3 class="pf-receipt-title">{t.get(Msg::Receipt).to_owned()}</h3>
            <dl class="pf-receipt-list">
                {row(t.get(Msg::Amount), view! { <bdi>{received}</bdi> }.into_any(), "receipt-amount")}
                {row(t.get(Msg::Network), p.network().display_name().into_any(), "receipt-network")}
                {when}
                {txs}
                {row(t.get(Msg::PaymentRef), view! { <code class="pf-receipt-id">{p.id.clone()}</code> }.into_any(), "receipt-ref")}
                {order}
                {merchant}
            </dl>
            <button type="button" class="pf-print" data-focus="print" data-testid="print"
                on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                {print}
            </button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_transaction_id_is_shortened_a_short_one_kept() {
        let id = "0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b";
        assert_eq!(super::short(id), "0x9fc764…836d8b");
        assert_eq!(super::short("abc"), "abc");
    }
}
