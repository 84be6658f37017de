//! "Pay with <wallet>": the wasm's part is small on purpose. For a payment on an EVM network,
//! [`WalletPay`] renders an empty, hidden box and builds the transaction that pays what is due
//! (`core::wallet::evm_transaction`: the same payee and amount as the QR, token calldata
//! included) with the form's words. The wallet module, `js/payform-wallet.js`, loaded by
//! `payform.js` only when the page has a wallet (EIP-6963 announcements or a lone
//! `window.ethereum`), gives its `attach` function through [`offer`]; each box is then handed to
//! it, and it draws the buttons, runs the wallet's requests, checks what the wallet says and
//! dispatches `payform:submitted` on the box. The form hears that event: it asks the backend at
//! once and quickly for a while, and runs `on_submitted`. The wallet's word never marks the
//! payment paid: only the backend's status does. A shopper without a wallet loads none of the
//! module (docs/size.md, "Wallet buttons").

use super::browser::{reason, Wake};
use super::events::{self, Submitted};
use crate::i18n::{Catalog, Msg};
use crate::payment::Payment;
use crate::wallet::{self, ChainParams, EvmTransaction};
use js_sys::{Array, Function, Reflect};
use leptos::html::Div;
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The wallet module's `attach(box, tx, texts, info)`, once it has started.
    static ATTACH: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// Bumped by [`offer`], so the boxes on screen are handed over too.
    static OFFERED: ArcRwSignal<u32> = ArcRwSignal::new(0);
}

/// Called by the wallet module once it has started (`offerWallets(attach)` in the bundle):
/// `attach` receives every payment box from now on, and the boxes already on screen. `None`
/// takes it back (new boxes stay empty).
pub fn offer(attach: Option<Function>) {
    ATTACH.with(|a| *a.borrow_mut() = attach);
    OFFERED.with(|o| o.update(|n| *n += 1));
}

/// The words the wallet module shows, by their locale keys.
const WORDS: [Msg; 15] = [
    Msg::PayWithWallet,
    Msg::BrowserWallet,
    Msg::WalletConfirm,
    Msg::WalletSent,
    Msg::ViewTx,
    Msg::WalletRejected,
    Msg::WalletLocked,
    Msg::WalletPending,
    Msg::WalletUnknownChain,
    Msg::WalletWrongChain,
    Msg::WalletUnsupported,
    Msg::WalletGone,
    Msg::WalletFunds,
    Msg::WalletNoAnswer,
    Msg::WalletOther,
];

/// The box the wallet module fills; empty and hidden without one.
#[component]
pub fn WalletPay(
    /// The payment on screen (awaiting or underpaid).
    payment: Payment,
    /// Rung with HURRY after a send: the form asks the backend at once and quickly for a while.
    wake: Option<StoredValue<Wake, LocalStorage>>,
    /// `on_submitted`.
    on: Option<Callback<Submitted>>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    wire(node, payment, wake, on, t);
    view! { <div class="pf-wallet-box" data-testid="wallets" hidden node_ref=node></div> }
}

/// Hands the box to the wallet module once both exist, and listens for its sends.
fn wire(
    node: NodeRef<Div>,
    payment: Payment,
    wake: Option<StoredValue<Wake, LocalStorage>>,
    on: Option<Callback<Submitted>>,
    t: Arc<Catalog>,
) {
    // Only a transaction the core could build from this payment is ever offered.
    let Ok(tx) = wallet::evm_transaction(payment.asset, &payment.address, payment.to_pay()) else { return };
    if payment.to_pay().is_zero() {
        return;
    }
    let network = payment.asset.network;
    // A send stays shown while the payment is as it was when it was sent.
    let key = crate::cat!(payment.id, ' ', payment.paid.to_decimal(), ' ', payment.status.as_str());
    let explorer = network.explorer().map_or("", |(_, prefix)| prefix);
    let chain_id = tx.chain_id;
    let given = StoredValue::new(false);
    Effect::new(move |_| {
        OFFERED.with(|o| o.track());
        let (Some(el), Some(attach)) = (node.get(), ATTACH.with(|a| a.borrow().clone())) else { return };
        if given.get_value() {
            return;
        }
        given.set_value(true);
        let texts = js_sys::Object::new();
        for m in WORDS {
            let _ = Reflect::set(&texts, &m.key().into(), &t.get(m).into());
        }
        let info = events::object(&[
            ("key", key.as_str().into()),
            ("network", network.display_name().into()),
            ("explorer", explorer.into()),
        ]);
        let args = Array::of4(&el, &request(&tx, wallet::chain_params(network)), &texts, &info);
        let _ = attach.apply(&JsValue::NULL, &args);
    });
    // The module's `payform:submitted` bubbles through the form: ask the backend now, and tell
    // a Leptos host.
    let listener = StoredValue::new_local(None::<gloo_events::EventListener>);
    node.on_load(move |el| {
        let target: web_sys::EventTarget = el.into();
        let heard = gloo_events::EventListener::new(&target, events::SUBMITTED, move |event| {
            if let Some(wake) = wake.and_then(|w| w.try_get_value()) {
                wake.ring(reason::HURRY);
            }
            let detail = event.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail()).unwrap_or_default();
            let text = |k: &str| Reflect::get(&detail, &k.into()).ok().and_then(|v| v.as_string());
            if let (Some(tx_hash), Some(from)) =
                (text("tx_hash").and_then(|h| wallet::tx_hash(&h)), text("from"))
            {
                events::call(on, || Submitted { tx_hash, chain_id, from });
            }
        });
        listener.set_value(Some(heard));
    });
    on_cleanup(move || drop(listener.try_update_value(Option::take)));
}

/// What the wallet module is asked to send: the transaction (EIP-1193's `eth_sendTransaction`
/// fields, quantities in hex) and, for `wallet_addEthereumChain`, the chain.
fn request(tx: &EvmTransaction, chain: Option<ChainParams>) -> JsValue {
    let mut fields = vec![
        ("chainId", JsValue::from_str(&tx.chain_id_hex())),
        ("to", JsValue::from_str(&tx.to)),
        ("value", JsValue::from_str(&tx.value_hex())),
    ];
    if let Some(data) = &tx.data {
        fields.push(("data", JsValue::from_str(data)));
    }
    if let Some(c) = chain {
        let currency = events::object(&[
            ("name", c.currency.0.into()),
            ("symbol", c.currency.1.into()),
            ("decimals", 18.into()),
        ]);
        let one = |s: &str| Array::of1(&JsValue::from_str(s)).into();
        let mut add = vec![
            ("chainId", JsValue::from_str(&c.chain_id_hex)),
            ("chainName", c.name.into()),
            ("nativeCurrency", currency),
            ("rpcUrls", one(c.rpc_url)),
        ];
        if let Some(explorer) = &c.explorer {
            add.push(("blockExplorerUrls", one(explorer)));
        }
        fields.push(("addChain", events::object(&add)));
    }
    events::object(&fields)
}
