//! "Pay with <wallet>": one button per browser wallet the page has, for an EVM payment. The
//! wallets are announced by the wallet module (`js/payform-wallet.js`, loaded by `payform.js`
//! only when a wallet is present: EIP-6963 announcements or a lone `window.ethereum`) through
//! [`offer`]; without it there are no buttons and nothing of this runs. Pressing one asks that
//! wallet for exactly the transaction the core builds from the payment on screen
//! (`core::wallet::evm_transaction`: the same payee and amount as the QR), then shows "Confirm
//! in …", "Sent — waiting for the network" with the hash, or what went wrong; the QR stays
//! below either way. The wallet's word never marks the payment paid: only the backend's status
//! does, and a send only makes the form ask it sooner. The phase lives in the form's state, so
//! a screen rebuilt by a payment update carries it on.

use super::browser::{reason, Wake};
use super::events::{self, Submitted};
use super::live::FormState;
use crate::i18n::{Catalog, Msg};
use crate::money::Amount;
use crate::payment::Payment;
use crate::status::Status;
use crate::wallet::{self, ChainParams, EvmTransaction, Step, WalletFailure, WalletInfo};
use js_sys::{Array, Function, Promise, Reflect};
use leptos::html::Div;
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the wallet flow of a form stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WalletPhase {
    #[default]
    Idle,
    /// Waiting for the shopper in `wallet` (its name as shown).
    Asking(String),
    /// The wallet sent `hash` for payment `id` while `paid` had arrived and it was `status`:
    /// shown until the backend's payment moves on.
    Sent { hash: String, id: String, paid: Amount, status: Status },
    /// The last attempt failed; the buttons are back.
    Failed(WalletFailure),
}

thread_local! {
    /// The wallets on the page, as [`offer`] last gave them (checked), for every form.
    static WALLETS: ArcRwSignal<Vec<WalletInfo>> = ArcRwSignal::new(Vec::new());
    /// The wallet module's `pay(uuid, request) → Promise<{hash, from}>`.
    static PAY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called by the wallet module whenever the wallets on the page change: `list` is an array of
/// EIP-6963 `info`-like objects (`{uuid, name, icon, rdns}`, untrusted: each is checked by
/// [`WalletInfo::parse`], at most [`wallet::MAX_WALLETS`] are kept), `pay` the function that
/// runs the requests.
pub fn offer(list: &JsValue, pay: Function) {
    let text = |o: &JsValue, key: &str| {
        Reflect::get(o, &JsValue::from_str(key)).ok().and_then(|v| v.as_string()).unwrap_or_default()
    };
    let mut wallets: Vec<WalletInfo> = Vec::new();
    if let Some(list) = list.dyn_ref::<Array>() {
        for item in list.iter().take(wallet::MAX_WALLETS * 4) {
            let info = WalletInfo::parse(
                &text(&item, "uuid"),
                &text(&item, "name"),
                &text(&item, "icon"),
                &text(&item, "rdns"),
            );
            if let Some(info) = info.filter(|i| wallets.iter().all(|w| w.uuid != i.uuid)) {
                wallets.push(info);
            }
            if wallets.len() == wallet::MAX_WALLETS {
                break;
            }
        }
    }
    PAY.with(|p| *p.borrow_mut() = Some(pay));
    WALLETS.with(|w| w.set(wallets));
}

/// The buttons, and the line saying where the payment stands.
#[component]
pub fn WalletPay(
    /// The payment on screen (awaiting or underpaid, on an EVM network).
    payment: Payment,
    /// The form's state (the phase, read once and written).
    state: FormState,
    /// The form's root, where `payform:submitted` is dispatched.
    root: NodeRef<Div>,
    /// Rung with HURRY after a send: the form asks the backend at once and quickly for a while.
    wake: Option<StoredValue<Wake, LocalStorage>>,
    /// `on_submitted`.
    on: Option<Callback<Submitted>>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    wire(node, payment, state, root, wake, on, t);
    view! { <div class="pf-wallet-box" data-testid="wallets" hidden node_ref=node></div> }
}

/// Everything behind the box: kept out of line, so the screens' view code (generic over every
/// view they hold) does not carry a copy of it (docs/size.md, "Wallet buttons").
#[inline(never)]
fn wire(
    node: NodeRef<Div>,
    payment: Payment,
    state: FormState,
    root: NodeRef<Div>,
    wake: Option<StoredValue<Wake, LocalStorage>>,
    on: Option<Callback<Submitted>>,
    t: Arc<Catalog>,
) {
    // Only a transaction the core could build from this payment is ever offered.
    let tx = wallet::evm_transaction(payment.asset, &payment.address, payment.to_pay()).ok();
    let Some(tx) = tx.filter(|_| !payment.to_pay().is_zero()) else {
        // Not an EVM payment (or nothing due): the box stays empty and hidden.
        return;
    };
    // A send shown for an earlier state of the payment is over once the backend moved on.
    let at_send = |p: &Payment| (p.id.clone(), p.paid, p.status);
    if let WalletPhase::Sent { id, paid, status, .. } = state.wallet.get_untracked() {
        if (id, paid, status) != at_send(&payment) {
            state.wallet.set(WalletPhase::Idle);
        }
    }
    let network = payment.asset.network;
    let chain = wallet::chain_params(network);
    let browser_wallet = t.get(Msg::BrowserWallet).to_owned();
    let press = {
        let payment = payment.clone();
        move |w: WalletInfo| {
            if matches!(state.wallet.get_untracked(), WalletPhase::Asking(_) | WalletPhase::Sent { .. }) {
                return;
            }
            state.wallet.set(WalletPhase::Asking(w.name.clone().unwrap_or_else(|| browser_wallet.clone())));
            let sent = at_send(&payment);
            let chain_id = tx.chain_id;
            let request = request(&tx, chain.clone());
            leptos::task::spawn_local(async move {
                let phase = match ask(&w.uuid, &request).await {
                    Ok((hash, from)) => {
                        // A form destroyed meanwhile says nothing.
                        if state.wallet.try_get_untracked().is_none() {
                            return;
                        }
                        let detail = Submitted { tx_hash: hash.clone(), chain_id, from };
                        if let Some(el) = root.try_get_untracked().flatten() {
                            events::dispatch(
                                el.as_ref(),
                                events::SUBMITTED,
                                &events::submitted_detail(&detail),
                            );
                        }
                        events::call(on, || detail);
                        if let Some(wake) = wake.and_then(|w| w.try_get_value()) {
                            wake.ring(reason::HURRY);
                        }
                        WalletPhase::Sent { hash, id: sent.0, paid: sent.1, status: sent.2 }
                    }
                    Err(failure) => WalletPhase::Failed(failure),
                };
                let _ = state.wallet.try_set(phase);
            });
        }
    };
    // The box is drawn with plain DOM calls from one effect rather than as a Leptos view: the
    // same elements as a view! would make, at a fraction of the bundle (docs/size.md, "Wallet
    // buttons"). Text goes in only as text (`set_text_content`), the icon only as an `<img>`'s
    // checked `data:` URI. One click listener on the box (removed with the form) finds the
    // wallet by the button's `data-wallet`.
    let drawn = StoredValue::new(String::new());
    Effect::new(move |_| {
        let list = WALLETS.with(|w| w.get());
        let phase = state.wallet.get();
        let Some(el) = node.get() else { return };
        draw(&el, &list, &phase, drawn, network, &t);
    });
    let listener = StoredValue::new_local(None::<gloo_events::EventListener>);
    node.on_load(move |el| {
        let target: web_sys::EventTarget = el.into();
        let on_click = gloo_events::EventListener::new(&target, "click", move |event| {
            let button = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("button[data-wallet]").ok().flatten());
            let uuid = button.and_then(|b| b.get_attribute("data-wallet"));
            let chosen = uuid.and_then(|u| {
                WALLETS.with(|w| w.with_untracked(|l| l.iter().find(|w| w.uuid == u).cloned()))
            });
            if let Some(w) = chosen {
                press(w);
            }
        });
        listener.set_value(Some(on_click));
    });
    on_cleanup(move || drop(listener.try_update_value(Option::take)));
}

/// Draws the box: a button per wallet (rebuilt only when the list changes, so the pressed one
/// keeps its focus), disabled while one is asked, hidden once sent; then the line saying
/// where the payment stands.
fn draw(
    el: &web_sys::HtmlDivElement,
    list: &[WalletInfo],
    phase: &WalletPhase,
    drawn: StoredValue<String>,
    network: crate::network::Network,
    t: &Catalog,
) {
    let Some(doc) = el.owner_document() else { return };
    let make = |tag: &str, class: &str| {
        let e = doc.create_element(tag).ok()?;
        e.set_class_name(class);
        Some(e)
    };
    let sent = matches!(phase, WalletPhase::Sent { .. });
    let _ = if list.is_empty() { el.set_attribute("hidden", "") } else { el.remove_attribute("hidden") };
    // The buttons' key: which wallets, and whether they are shown at all.
    let key: String =
        list.iter().flat_map(|w| [w.uuid.as_str(), " "]).chain([if sent { "sent" } else { "" }]).collect();
    if drawn.get_value() != key {
        drawn.set_value(key);
        el.set_text_content(None);
        for w in list.iter().filter(|_| !sent) {
            let Some(button) = make("button", "pf-wallet-pay") else { return };
            let _ = button.set_attribute("type", "button");
            let _ = button.set_attribute("part", "button");
            let _ = button.set_attribute("data-testid", "wallet-pay");
            let _ = button.set_attribute("data-wallet", &w.uuid);
            if let (Some(icon), Some(img)) = (&w.icon, make("img", "pf-wallet-icon")) {
                let _ = img.set_attribute("src", icon);
                let _ = img.set_attribute("alt", "");
                let _ = button.append_child(&img);
            }
            if let Some(span) = make("span", "") {
                let name = w.name.as_deref().unwrap_or(t.get(Msg::BrowserWallet));
                span.set_text_content(Some(&t.fill(Msg::PayWithWallet, &[("wallet", name)])));
                let _ = button.append_child(&span);
            }
            let _ = el.append_child(&button);
        }
        if let Some(line) = make("div", "pf-wallet-state") {
            let _ = line.set_attribute("role", "status");
            let _ = line.set_attribute("data-testid", "wallet-state");
            let _ = el.append_child(&line);
        }
    }
    let busy = matches!(phase, WalletPhase::Asking(_));
    let buttons = el.get_elements_by_tag_name("button");
    for i in 0..buttons.length() {
        if let Some(b) = buttons.item(i) {
            let _ = if busy { b.set_attribute("disabled", "") } else { b.remove_attribute("disabled") };
        }
    }
    let Some(line) = el.last_element_child() else { return };
    let (name, failure, text, hash) = match phase {
        WalletPhase::Idle => ("", "", String::new(), ""),
        WalletPhase::Asking(wallet) => ("confirm", "", t.fill(Msg::WalletConfirm, &[("wallet", wallet)]), ""),
        WalletPhase::Sent { hash, .. } => ("sent", "", t.get(Msg::WalletSent).to_owned(), hash.as_str()),
        WalletPhase::Failed(f) => {
            ("failed", f.as_str(), t.fill(f.msg(), &[("network", network.display_name())]), "")
        }
    };
    let _ = line.set_attribute("data-state", name);
    let _ = line.set_attribute("data-failure", failure);
    line.set_text_content(None);
    for (class, testid, words) in [("", "", text.as_str()), ("pf-wallet-hash", "wallet-hash", hash)] {
        if let (false, Some(p)) = (words.is_empty(), make("p", class)) {
            if !testid.is_empty() {
                let _ = p.set_attribute("data-testid", testid);
            }
            p.set_text_content(Some(words));
            let _ = line.append_child(&p);
        }
    }
    if let (Some((explorer, url)), Some(a)) =
        (wallet::explorer_link(network, hash).filter(|_| !hash.is_empty()), make("a", "pf-wallet-tx"))
    {
        for (k, v) in [
            ("href", url.as_str()),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
            ("part", "link"),
            ("data-testid", "wallet-tx"),
        ] {
            let _ = a.set_attribute(k, v);
        }
        a.set_text_content(Some(&t.fill(Msg::ViewTx, &[("txid", &short(hash)), ("explorer", explorer)])));
        let _ = line.append_child(&a);
    }
}

/// `0x1234…cdef`: the hash as the link's text reads it.
fn short(hash: &str) -> String {
    match (hash.get(..6), hash.get(hash.len().saturating_sub(4)..)) {
        (Some(head), Some(tail)) if hash.len() > 12 => crate::cat!(head, "…", tail),
        _ => hash.to_owned(),
    }
}

/// What the wallet module is asked for: the transaction (EIP-1193's `eth_sendTransaction`
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

/// Runs the wallet module's `pay` and reads its answer: the checked hash and account, or the
/// failure.
async fn ask(uuid: &str, request: &JsValue) -> Result<(String, String), WalletFailure> {
    let pay = PAY.with(|p| p.borrow().clone()).ok_or(WalletFailure::Disconnected)?;
    let started = pay.call2(&JsValue::NULL, &JsValue::from_str(uuid), request).map_err(|e| read_error(&e))?;
    let reply = JsFuture::from(Promise::resolve(&started)).await.map_err(|e| read_error(&e))?;
    let text = |key: &str| Reflect::get(&reply, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
    let hash = text("hash").and_then(|h| wallet::tx_hash(&h)).ok_or(WalletFailure::BadReply)?;
    let from = text("from").filter(|f| wallet::account(f).is_some()).ok_or(WalletFailure::BadReply)?;
    Ok((hash, from))
}

/// The wallet module's rejection: `{step, code, tag, message, nested}` (see
/// `js/payform-wallet.js`); anything else is an unexplained failure.
fn read_error(error: &JsValue) -> WalletFailure {
    let get = |key: &str| Reflect::get(error, &JsValue::from_str(key)).ok();
    let number = |v: Option<JsValue>| {
        v.and_then(|v| v.as_f64()).filter(|n| n.fract() == 0.0 && n.abs() < 1e12).map(|n| n as i64)
    };
    let text = |key: &str| get(key).and_then(|v| v.as_string()).unwrap_or_default();
    let message: String = text("message").chars().take(500).collect();
    wallet::failure(
        Step::parse(&text("step")),
        number(get("code")),
        &text("tag"),
        &message,
        number(get("nested")),
    )
}
