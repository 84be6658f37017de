//! The currency/network picker, shown when the payment offers `options` and nothing has been
//! sent yet: choosing one switches the form to that option's payment URL.

use crate::i18n::{Catalog, Msg};
use crate::network::{self, Network};
use crate::payment::Payment;
use leptos::prelude::*;
use std::sync::Arc;

/// One choice: its label, the payment URL it switches to, and whether it is the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// Its name for keeping focus across a rebuilt screen (`data-focus`): `option-USDT-tron`.
    pub focus: String,
    pub src: String,
    pub current: bool,
}

/// The options that can be offered: a known network and asset, and a URL on the origin of the
/// current `src` (resolved by `resolve`). Unknown or foreign options are left out.
pub fn choices(payment: &Payment, resolve: impl Fn(&str) -> Option<String>) -> Vec<Choice> {
    payment
        .options
        .iter()
        .filter_map(|o| {
            let net = Network::parse(&o.network).ok()?;
            let asset = network::asset(net, &o.currency).ok()?;
            let current = asset.network == payment.asset.network && asset.currency == payment.asset.currency;
            Some(Choice {
                label: [asset.currency, " · ", net.display_name()].concat(),
                focus: ["option-", asset.currency, "-", net.id()].concat(),
                src: resolve(&o.src)?,
                current,
            })
        })
        .collect()
}

/// Buttons "USDT · Tron (TRC-20)", "BTC · Bitcoin", …; the current one is `aria-pressed`.
#[component]
pub fn Picker(
    /// The payment whose options are offered.
    payment: Payment,
    /// The form's payment URL: setting it switches the form to another option.
    src: RwSignal<String>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let base = src.get_untracked();
    let list = choices(&payment, |url| super::browser::same_origin_url(url, &base));
    // Nothing to choose between once unknown or foreign options are left out.
    if list.len() < 2 {
        return None;
    }
    let buttons = list
        .into_iter()
        .map(|c| {
            let Choice { label, focus, src: url, current } = c;
            let pick = move |_| {
                if !current {
                    src.set(url.clone());
                }
            };
            view! {
                <button type="button" class="pf-choice" part="button" aria-pressed=if current { "true" } else { "false" } on:click=pick
                    data-focus=focus data-testid="option">{label}</button>
            }
        })
        .collect_view();
    let title = t.get(Msg::PayWith).to_owned();
    let label = title.clone(); // the view moves its children before reading attributes
    Some(view! {
        <div class="pf-picker" role="group" aria-label=label data-testid="picker">
            <span class="pf-label">{title}</span>
            <div class="pf-choices">{buttons}</div>
        </div>
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::{PayOption, RawPayment};

    #[test]
    fn offers_known_same_origin_options_and_marks_the_current_one() {
        let option = |currency: &str, network: &str, src: &str| PayOption {
            currency: currency.into(),
            network: network.into(),
            src: src.into(),
        };
        let p = RawPayment {
            options: vec![
                option("USDT", "tron", "/p"),
                option("BTC", "bitcoin", "/p?option=btc"),
                option("DOGE", "ethereum", "/p?option=nonsense"),
                option("ETH", "ethereum", "https://elsewhere.example/p"),
            ],
            ..crate::payment::tron_usdt("awaiting_payment")
        }
        .validate()
        .unwrap();
        let resolve = |s: &str| s.starts_with('/').then(|| format!("https://shop.example{s}"));
        let c = choices(&p, resolve);
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0],
            Choice {
                label: "USDT · Tron (TRC-20)".into(),
                focus: "option-USDT-tron".into(),
                src: "https://shop.example/p".into(),
                current: true
            }
        );
        assert_eq!(c[1].label, "BTC · Bitcoin");
        assert!(!c[1].current);
    }
}
