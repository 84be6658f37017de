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

/// The receipt of `payment` (paid or overpaid). Every row is one element type (a label and a
/// text), so the view costs little code however many rows it has (docs/size.md).
#[component]
pub fn Receipt(
    /// The paid payment.
    payment: Payment,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let p = payment;
    let (lang, currency) = (t.lang, p.asset.currency);
    // (label, text, data-testid, class of the value)
    let mut rows: Vec<(&str, String, &'static str, &'static str)> = vec![
        (
            t.get(Msg::Amount),
            super::intl::money(lang, p.paid.max(p.amount), currency),
            "receipt-amount",
            "pf-bidi",
        ),
        (t.get(Msg::Network), p.network().display_name().to_owned(), "receipt-network", ""),
    ];
    if let Some(at) = p.paid_at {
        rows.push((
            t.get(Msg::ReceiptTime),
            super::intl::moment(lang, at, at + 86_400_000),
            "receipt-time",
            "",
        ));
    }
    rows.push((t.get(Msg::PaymentRef), p.id.clone(), "receipt-ref", "pf-mono"));
    if let Some(order) = &p.description {
        rows.push((t.get(Msg::ReceiptOrder), order.clone(), "receipt-order", ""));
    }
    if let Some(merchant) = &p.merchant {
        rows.push((t.get(Msg::ReceiptMerchant), merchant.clone(), "receipt-merchant", ""));
    }
    let rows = rows
        .into_iter()
        .map(|(label, value, id, class)| {
            view! {
                <div class="pf-receipt-row">
                    <dt>{label.to_owned()}</dt>
                    <dd class=class data-testid=id>{value}</dd>
                </div>
            }
        })
        .collect_view();
    // The transactions, each a link to the network's explorer (none for Lightning, whose
    // payments are not public): the id was checked to have the network's shape.
    let explorer = p.explorer();
    let txs = (!p.txids.is_empty()).then(|| {
        let links = p
            .txids
            .iter()
            .map(|id| {
                let text = short(id);
                let (href, label) = match explorer {
                    Some((site, base)) => (
                        Some([base, id.as_str()].concat()),
                        Some(t.fill(Msg::ViewTx, &[("txid", &text), ("explorer", site)])),
                    ),
                    None => (None, None),
                };
                view! {
                    <a class="pf-tx pf-mono" href=href target="_blank" rel="noopener noreferrer"
                        aria-label=label data-txid=id.clone()>{text}</a>
                }
            })
            .collect_view();
        view! {
            <div class="pf-receipt-row">
                <dt>{t.get(Msg::ReceiptTx).to_owned()}</dt>
                <dd data-testid="receipt-tx">{links}</dd>
            </div>
        }
    });
    let print = t.get(Msg::PrintReceipt).to_owned();
    view! {
        <section class="pf-receipt" data-testid="receipt">
            <h3 class="pf-receipt-title">{t.get(Msg::Receipt).to_owned()}</h3>
            <dl class="pf-receipt-list">{rows} {txs}</dl>
            <button type="button" class="pf-print" part="button" data-focus="print" data-testid="print"
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
