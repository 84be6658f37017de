//! What the status means to the shopper: the headline of every status screen and the longer
//! explanation under it, in the shopper's language. Screen readers hear the headline through
//! the form's one persistent live region (`PayForm`'s announcer).

use crate::i18n::{Catalog, Msg};
use crate::money::Amount;
use crate::payment::Payment;
use crate::status::Status;
use leptos::prelude::*;
use std::sync::Arc;

/// Formats an amount of the payment's currency for display (`Intl` in the browser).
pub type MoneyText<'a> = &'a dyn Fn(Amount) -> String;

/// The headline shown for the payment's status.
pub fn headline(p: &Payment, t: &Catalog, money: MoneyText) -> String {
    let msg = match p.status {
        Status::AwaitingPayment => Msg::HeadAwaiting,
        Status::Confirming => match (p.confirmations, p.confirmations_required) {
            // Seen in the network, not yet in a block: not "confirming 0 of 6".
            (Some(0), _) => Msg::HeadDetected,
            (Some(n), Some(m)) if m > 0 => {
                let (n, m) = (crate::cat!(n), crate::cat!(m));
                return t.fill(Msg::HeadConfirmingCount, &[("count", &n), ("required", &m)]);
            }
            _ => Msg::HeadConfirming,
        },
        Status::Underpaid => {
            return t.fill(Msg::HeadUnderpaid, &[("paid", &money(p.paid)), ("due", &money(p.due))]);
        }
        Status::Paid | Status::Overpaid => Msg::HeadPaid,
        Status::Expired if !p.paid.is_zero() => Msg::HeadExpiredPartial,
        Status::Expired => Msg::HeadExpired,
        Status::Failed => Msg::HeadFailed,
        Status::Cancelled => Msg::HeadCancelled,
        Status::Refunded => Msg::HeadRefunded,
    };
    t.get(msg).to_owned()
}

/// The explanation under the headline, if the status needs one.
pub fn detail(p: &Payment, t: &Catalog, money: MoneyText) -> Option<String> {
    let merchant = p.merchant.as_deref().unwrap_or(t.get(Msg::TheMerchant));
    let m = ("merchant", merchant);
    Some(match p.status {
        Status::AwaitingPayment => return None,
        Status::Confirming => t.get(Msg::DetailConfirming).to_owned(),
        Status::Underpaid => t.fill(Msg::DetailUnderpaid, &[("due", &money(p.due))]),
        Status::Paid => t.fill(Msg::DetailPaid, &[("amount", &money(p.paid.max(p.amount))), m]),
        Status::Overpaid => {
            let extra = p.paid.checked_sub(p.amount).unwrap_or(Amount::zero(p.amount.decimals()));
            t.fill(Msg::DetailOverpaid, &[("paid", &money(p.paid)), ("extra", &money(extra)), m])
        }
        Status::Expired if !p.paid.is_zero() => {
            t.fill(Msg::DetailExpiredPartial, &[("paid", &money(p.paid)), ("amount", &money(p.amount)), m])
        }
        Status::Expired => t.get(Msg::DetailExpired).to_owned(),
        Status::Failed => t.fill(Msg::DetailFailed, &[m]),
        Status::Cancelled => t.get(Msg::DetailCancelled).to_owned(),
        Status::Refunded => t.fill(Msg::DetailRefunded, &[m]),
    })
}

/// The live status line and its explanation.
#[component]
pub fn StatusLine(
    /// The payment whose status is shown.
    payment: Payment,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let class = ["pf-status pf-status-", payment.status.as_str()].concat();
    let (lang, currency) = (t.lang, payment.asset.currency);
    let money = move |a: Amount| super::intl::money(lang, a, currency);
    view! {
        <div class=class data-testid="status" data-status=payment.status.as_str()>
            <h2 class="pf-headline" tabindex="-1">{headline(&payment, &t, &money)}</h2>
            {detail(&payment, &t, &money).map(|d| view! { <p class="pf-detail">{d}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::RawPayment;

    fn payment(status: &str, paid: &str) -> Payment {
        RawPayment {
            paid: Some(paid.into()),
            merchant: Some("Example Store".into()),
            ..crate::payment::tron_usdt(status)
        }
        .validate()
        .unwrap()
    }

    fn plain(a: Amount) -> String {
        format!("{a} USDT")
    }

    #[test]
    fn every_status_has_words_and_partial_expiry_is_distinct() {
        let t = Catalog::english();
        let head = |s: &str, paid: &str| headline(&payment(s, paid), &t, &plain);
        let det = |s: &str, paid: &str| detail(&payment(s, paid), &t, &plain).unwrap();
        for s in Status::ALL {
            let h = head(s.as_str(), "0");
            assert!(!h.is_empty() && !h.contains('{'), "{s:?}: {h}");
        }
        assert_ne!(head("expired", "0"), head("expired", "10"));
        assert!(det("expired", "10").contains("10 USDT of 25 USDT"));
        assert_eq!(head("underpaid", "10"), "Received 10 USDT; please send the remaining 15 USDT");
        assert!(det("overpaid", "27.5").contains("2.5 USDT more than required"));
        assert_eq!(det("refunded", "25"), "Example Store returned the funds to you.");
    }

    #[test]
    fn a_translation_fills_the_same_amounts() {
        let path = format!("{}/locales/de.json", env!("CARGO_MANIFEST_DIR"));
        let de = Catalog::parse("de", &std::fs::read_to_string(path).unwrap(), None).unwrap();
        let h = headline(&payment("underpaid", "10"), &de, &plain);
        assert!(h.contains("10 USDT") && h.contains("15 USDT") && h.contains("restlichen"), "{h}");
    }
}
