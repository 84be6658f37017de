//! The demo page (Trunk binary only, not part of the library): a merchant-like page that
//! creates a payment on the devserver, shows the form, and has buttons that make the simulated
//! provider pay, underpay or expire it, with a log of the DOM events the page received.
//!
//! Without `?src=`, the page creates the default payment (25 USDT on Tron) as it opens, so the
//! form is on screen at once; the create controls make another (other currency or bank rail,
//! amount, Lightning invoice, late note). `fiat` is sent only where the rate is real (USDT and USDC:
//! one US dollar each); the form-option checkboxes re-render the form with `refund_address`
//! and `more_time`.
//!
//! When the devserver watches a chain (`make dev` starts anvil and runs it with `--chain-rpc`;
//! `GET /api/chain` answers 200), a "Local chain" switch appears: on, the currencies are ETH and
//! USDC on that chain (network `sepolia`, payments the devserver watches), the form is in test
//! mode, and the page has a wallet to pay with: index.html then installs the "Payform dev
//! wallet" (`js/dev-wallet.js`, forwarding to the node's JSON-RPC) and watches the page's
//! wallets as `payform.js` does, handing them to this wasm's `offerDemoWallets` ([`wallets`]).
//! Turning the switch (either way) creates a payment at once, as opening the page does.
//!
//! `?src=<payment URL>` skips creation and shows that payment directly (used by `make bench`,
//! the tests and the screenshots); `?lang=`, `?theme=`, `?poll-interval=` and `?preset=` set
//! those options (the ones a checkout link may set as written, read by the options table).

use leptos::prelude::*;
use payform::events;
use payform::network::NetworkMode;
use payform::options::{Given, HostList, Lang, Link, OptionError, Options, Theme, TABLE};
use payform::ui::browser::{reason, Wake};
use payform::PayForm;
use wasm_bindgen::JsCast;

const CHOICES: &[(&str, &str, &str)] = &[
    ("USDT on Tron", "tron", "USDT"),
    ("BTC on Bitcoin", "bitcoin", "BTC"),
    ("ETH on Ethereum", "ethereum", "ETH"),
    ("USDC on Base", "base", "USDC"),
    ("USDT on BSC", "bsc", "USDT"),
    ("SOL on Solana", "solana", "SOL"),
    ("LTC on Litecoin", "litecoin", "LTC"),
    ("DOGE on Dogecoin", "dogecoin", "DOGE"),
    // The bank-QR rails (the form loads their module, payform_rails.wasm, on first use).
    ("EUR by SEPA transfer (EPC QR)", "sepa_epc", "EUR"),
    ("CHF by Swiss QR-bill", "swiss_qr", "CHF"),
    ("BRL by Pix", "pix", "BRL"),
    ("SGD by PayNow", "paynow", "SGD"),
    ("THB by PromptPay", "promptpay", "THB"),
    ("MYR by DuitNow", "duitnow", "MYR"),
    ("INR by UPI", "upi", "INR"),
];

/// The currencies with the "Local chain" switch on: on the devserver's watched chain (anvil as
/// Sepolia, chain id 11155111; `make dev` deploys the USDC token at Sepolia's USDC address).
const LOCAL_CHOICES: &[(&str, &str, &str)] =
    &[("ETH on the local chain", "sepolia", "ETH"), ("USDC on the local chain", "sepolia", "USDC")];

/// The currency choices offered: the local chain's with the switch on.
fn choices(local: bool) -> &'static [(&'static str, &'static str, &'static str)] {
    if local {
        LOCAL_CHOICES
    } else {
        CHOICES
    }
}

/// Other currencies the demo offers with "Offer other currencies" (the devserver creates one
/// payment per option and lists them all in `options`).
const OPTIONS: &str = r#"[{"currency":"BTC","network":"bitcoin","amount":"0.00025"},{"currency":"ETH","network":"ethereum","amount":"0.0071"},{"currency":"USDC","network":"base","amount":"25.00"}]"#;

/// The languages offered by the demo's language menu (`auto` follows the browser).
const LANGS: &[&str] = &[
    "auto", "en", "ar", "cs", "de", "es", "fa", "fr", "he", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt",
    "ru", "th", "tr", "uk", "ur", "vi", "zh",
];

fn query(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(key).filter(|v| !v.is_empty())
}

/// The options the demo's own URL sets: every option a checkout link may give as written.
fn query_options() -> Result<Options, OptionError> {
    let mut options = Options::default();
    for spec in TABLE.iter().filter(|s| s.link == Link::Plain) {
        if let Some(value) = query(spec.name) {
            options.set(spec.key, spec.name, Given::Text(&value))?;
        }
    }
    Ok(options)
}

/// The USD stablecoins: their amount is their price in US dollars, the one exchange rate the
/// demo knows for real. Every other currency is created without `fiat`, so the form shows no
/// made-up price beside it.
const USD_STABLECOINS: &[&str] = &["USDT", "USDC"];

/// What the create controls hold.
struct Order {
    /// The network and currency chosen.
    network: &'static str,
    currency: &'static str,
    amount: String,
    confirmations: u32,
    offer: bool,
    lightning: bool,
    late_note: String,
}

/// The body of `POST /api/payments` for `order`.
fn create_body(order: &Order) -> String {
    use payform::json::Json;
    let (network, currency) = (order.network, order.currency);
    let object = |members: Vec<(&str, Json)>| {
        Json::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    };
    let text = |s: &str| Json::String(s.to_owned());
    let amount = order.amount.trim();
    let mut body = vec![
        ("amount", text(amount)),
        ("currency", text(currency)),
        ("network", text(network)),
        ("description", text("Order #1042")),
        ("merchant", text("Example Store")),
        ("return_url", text("https://shop.example/thanks")),
    ];
    // Confirmations are a blockchain's: a bank transfer has none.
    let bank = payform::network::Network::parse(network).is_ok_and(|n| n.is_bank());
    if !bank {
        body.push(("confirmations_required", Json::Number(order.confirmations.to_string())));
    }
    // A real rate only: a USD stablecoin's price in USD is its amount. (The options created
    // beside it carry no price: the devserver never copies the main one to them.)
    if USD_STABLECOINS.contains(&currency) {
        body.push(("fiat", object(vec![("amount", text(amount)), ("currency", text("USD"))])));
    }
    if order.lightning && network == "bitcoin" {
        body.push(("lightning", Json::Bool(true)));
    }
    if !order.late_note.trim().is_empty() {
        body.push(("late_note", text(order.late_note.trim())));
    }
    if let (true, Ok(options)) = (order.offer, Json::parse(OPTIONS)) {
        body.push(("options", options));
    }
    object(body).to_string()
}

/// Why a request to the devserver failed.
enum Failure {
    /// It answered 4xx: what it said (`{"error": "..."}`), e.g. why an action does not apply.
    Refused(String),
    /// No answer, or a 5xx (the dev proxy's when the devserver is down).
    Unreachable(String),
}

async fn post(url: &str, body: String) -> Result<String, Failure> {
    let answer =
        payform::ui::browser::post_json(url, &body).await.map_err(|e| Failure::Unreachable(e.to_string()))?;
    match answer.status {
        200..=299 => Ok(answer.body),
        400..=499 => {
            let said = payform::json::Json::parse(&answer.body)
                .ok()
                .and_then(|j| j.get("error").and_then(|e| e.as_str().map(str::to_owned)));
            Err(Failure::Refused(said.unwrap_or_else(|| format!("HTTP {}: {}", answer.status, answer.body))))
        }
        status => Err(Failure::Unreachable(format!("HTTP {status}: {}", answer.body))),
    }
}

/// The page's browser wallets, for the "Local chain" switch. The demo has no `payform.js`: its
/// wasm exports `offerDemoWallets` itself (not `offerWallets`, the merchant bundle's export in
/// `payform::embed::api`: a demo built with the `embed` feature would export both), which the
/// wallet module (`js/payform-wallet.js`, started by index.html once the switch is on) calls
/// with its `attach`. It is handed to the forms only while the switch is on, so the simulated
/// payments (on live networks, to made-up addresses) never offer a real wallet.
mod wallets {
    use js_sys::{Function, Object, Reflect};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::prelude::*;

    /// The event index.html listens for: `detail.rpcUrl` is the node's JSON-RPC URL.
    const LOCAL_CHAIN_EVENT: &str = "payform-demo:local-chain";

    thread_local! {
        /// The wallet module's `attach`, once it has started.
        static OFFERED: RefCell<Option<Function>> = const { RefCell::new(None) };
        /// Whether the switch is on.
        static ON: Cell<bool> = const { Cell::new(false) };
    }

    /// Called by the wallet module once it has started (see `payform::ui::wallet::offer`).
    #[wasm_bindgen(js_name = offerDemoWallets)]
    pub fn offer_wallets(attach: Function) {
        OFFERED.with(|o| *o.borrow_mut() = Some(attach));
        forward();
    }

    /// Hands the forms the wallet module, or takes it back with the switch off.
    fn forward() {
        let attach = OFFERED.with(|o| o.borrow().clone()).filter(|_| ON.with(Cell::get));
        payform::ui::wallet::offer(attach);
    }

    /// The switch turned: on, the dev wallet for the node at `rpc_url` joins the page.
    pub fn local_chain(on: bool, rpc_url: &str) {
        ON.with(|c| c.set(on));
        forward();
        if !on {
            return;
        }
        let detail = Object::new();
        let _ = Reflect::set(&detail, &JsValue::from_str("rpcUrl"), &JsValue::from_str(rpc_url));
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        if let (Some(window), Ok(event)) =
            (web_sys::window(), web_sys::CustomEvent::new_with_event_init_dict(LOCAL_CHAIN_EVENT, &init))
        {
            let _ = window.dispatch_event(&event);
        }
    }
}

/// The JSON-RPC URL of the chain the devserver watches (`GET /api/chain`), or `None` when it
/// watches none (404) or does not answer.
async fn watched_chain() -> Option<String> {
    let answer = payform::ui::browser::get("/api/chain", None).await.ok()?;
    if answer.status != 200 {
        return None;
    }
    let json = payform::json::Json::parse(&answer.body).ok()?;
    json.get("rpc_url").and_then(|v| v.as_str().map(str::to_owned)).filter(|u| u.starts_with("http"))
}

/// The whole demo page.
#[component]
pub fn Demo() -> impl IntoView {
    let payment_id = RwSignal::new(None::<String>);
    // Whether the payment on screen was created on the local chain (its form is in test mode).
    let created_local = RwSignal::new(false);
    // The "Local chain" switch: the node's JSON-RPC URL when the devserver watches one.
    let chain_rpc = RwSignal::new(None::<String>);
    let local = RwSignal::new(false);
    let fixed_src = query("src");
    let error = RwSignal::new(None::<String>);
    let base = query_options().unwrap_or_else(|e| {
        error.set(Some(format!("This page's URL: {e}")));
        Options::default()
    });
    // `?lang=` and `?theme=` preset the menus (the screenshots script uses them).
    let lang = RwSignal::new(base.lang.tag().unwrap_or("auto").to_owned());
    let theme = RwSignal::new(base.theme.as_str().to_owned());
    let refund_address = RwSignal::new(base.refund_address);
    let more_time = RwSignal::new(base.more_time);
    let offer = RwSignal::new(false);
    // The payment the simulate buttons act on: the created one, or the option the shopper picked.
    let active = RwSignal::new(None::<String>);
    // Its status as the form last reported it (`payform:status`).
    let status = RwSignal::new(String::new());
    let log = RwSignal::new(Vec::<String>::new());
    let choice = RwSignal::new(0usize);
    let push = RwSignal::new(false);
    let confirmations = RwSignal::new(0u32);
    let amount = RwSignal::new("25.00".to_string());
    let lightning = RwSignal::new(false);
    let late_note = RwSignal::new(String::new());
    let creating = RwSignal::new(false);
    // The form's doorbell: after each simulated provider action the page asks the form to look
    // at once, as a merchant page calls `refresh()` when its server hears the provider's
    // webhook (else a payment after the deadline would show only at the next slow poll, 15 s).
    let wake = StoredValue::new_local(Wake::default());
    let on_bitcoin = move || choices(local.get()).get(choice.get()).is_some_and(|c| c.1 == "bitcoin");

    for name in [
        events::READY,
        events::STATUS,
        events::PAID,
        events::EXPIRED,
        events::FAILED,
        events::ERROR,
        events::LATE,
        events::REFUND_ADDRESS,
        events::MORE_TIME,
        events::SUBMITTED,
    ] {
        let handle = window_event_listener_untyped(name, move |ev| {
            let detail = ev.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail());
            let field = |key: &str| {
                detail
                    .as_ref()
                    .and_then(|d| js_sys::Reflect::get(d, &key.into()).ok())
                    .and_then(|v| v.as_string())
            };
            let summary = field("status")
                .or_else(|| field("code"))
                .or_else(|| field("address"))
                .or_else(|| field("tx_hash"))
                .unwrap_or_default();
            if name == events::STATUS {
                status.set(summary.clone());
            }
            if name == events::READY {
                let id = detail
                    .as_ref()
                    .and_then(|d| js_sys::Reflect::get(d, &"payment".into()).ok())
                    .and_then(|p| js_sys::Reflect::get(&p, &"id".into()).ok())
                    .and_then(|v| v.as_string());
                if id.is_some() {
                    active.set(id);
                }
            }
            log.update(|l| l.push(format!("{name} {summary}")));
        });
        on_cleanup(move || handle.remove());
    }

    let create = move || {
        let on_chain = local.get_untracked();
        let (_, network, currency) =
            choices(on_chain).get(choice.get_untracked()).copied().unwrap_or(choices(on_chain)[0]);
        let body = create_body(&Order {
            network,
            currency,
            amount: amount.get_untracked(),
            confirmations: confirmations.get_untracked(),
            // The other currencies are live networks: not beside a test payment.
            offer: offer.get_untracked() && !on_chain,
            lightning: lightning.get_untracked(),
            late_note: late_note.get_untracked(),
        });
        creating.set(true);
        leptos::task::spawn_local_scoped(async move {
            let answer = post("/api/payments", body).await;
            creating.set(false);
            match answer {
                Ok(text) => {
                    let id = payform::json::Json::parse(&text)
                        .ok()
                        .and_then(|j| j.get("id").and_then(|v| v.as_str().map(str::to_owned)));
                    log.set(Vec::new());
                    error.set(None);
                    status.set(String::new());
                    active.set(id.clone());
                    created_local.set(on_chain);
                    payment_id.set(id);
                }
                Err(Failure::Refused(e)) => {
                    error.set(Some(format!("The devserver refused the payment: {e}")))
                }
                Err(Failure::Unreachable(e)) => {
                    error.set(Some(format!("Could not create a payment: {e}. Is the devserver running?")))
                }
            }
        });
    };
    // The product at once: a payment and its form as the page opens (not with `?src=`, which
    // shows that payment).
    // The "Local chain" switch too, when the devserver watches a chain (neither with `?src=`).
    if fixed_src.is_none() {
        create();
        leptos::task::spawn_local_scoped(async move {
            chain_rpc.set(watched_chain().await);
        });
    }
    let switch_local = move |on: bool| {
        let Some(rpc_url) = chain_rpc.get_untracked() else {
            return;
        };
        local.set(on);
        choice.set(0);
        wallets::local_chain(on, &rpc_url);
        create();
    };
    let simulate = move |action: &'static str| {
        move |_| {
            let Some(id) = active.get_untracked() else {
                return;
            };
            leptos::task::spawn_local_scoped(async move {
                let body = format!(r#"{{"action":"{action}"}}"#);
                match post(&format!("/api/payments/{id}/simulate"), body).await {
                    Ok(_) => {
                        error.set(None);
                        wake.with_value(|w| w.ring(reason::REFRESH));
                    }
                    Err(Failure::Refused(e)) => error.set(Some(format!("Simulate {action}: {e}"))),
                    Err(Failure::Unreachable(e)) => {
                        error.set(Some(format!("Simulate {action}: {e}. Is the devserver running?")))
                    }
                }
            });
        }
    };

    let fault = move |mode: &'static str, count: u32| {
        move |_| {
            leptos::task::spawn_local_scoped(async move {
                let body = format!(r#"{{"mode":"{mode}","count":{count},"retry_after":5}}"#);
                if let Err(Failure::Refused(e) | Failure::Unreachable(e)) = post("/api/faults", body).await {
                    error.set(Some(e));
                }
            });
        }
    };

    let form = move || {
        let id = payment_id.get();
        let src = fixed_src.clone().or_else(|| id.as_ref().map(|id| format!("/api/payments/{id}")))?;
        let options = Options {
            events_src: (push.get() && id.is_some()).then(|| format!("{src}/events")),
            src: Some(src),
            // The menus offer only what parses; a hand-edited `?lang=` was checked above.
            lang: Lang::parse(&lang.get()).unwrap_or_default(),
            theme: Theme::parse(&theme.get()).unwrap_or_default(),
            return_hosts: HostList::parse("shop.example").unwrap_or_default(),
            refund_address: refund_address.get(),
            more_time: more_time.get(),
            // A payment on the local chain is on a test network: only a form in test mode shows it.
            network_mode: if id.is_some() && created_local.get() {
                NetworkMode::Test
            } else {
                base.network_mode
            },
            ..base.clone()
        };
        Some(view! { <PayForm options=options wake=wake.get_value() /> })
    };
    view! {
        <main class="demo">
            <header>
                <h1>"Example Store — checkout"</h1>
                <p>"Payform demo against the simulated provider: a payment is created as the page opens. Make the simulator pay it, or create another."</p>
                {move || local.get().then(|| view! {
                    <p data-testid="local-chain-note">"Local chain: the devserver watches "{chain_rpc.get()}" (chain id 11155111, as Sepolia). Pay with the Payform dev wallet under the QR, or from your own wallet on that network."</p>
                })}
            </header>
            <section class="demo-controls" aria-label="Create a payment">
                {move || chain_rpc.get().map(|url| view! {
                    <label title=format!("ETH and USDC on the chain the devserver watches ({url}), paid from the Payform dev wallet or your own")>
                        <input type="checkbox" data-testid="local-chain" prop:checked=local on:change=move |ev| switch_local(event_target_checked(&ev)) />
                        " Local chain"
                    </label>
                })}
                <label>"Pay with "
                    <select data-testid="choice" on:change=move |ev| choice.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {move || choices(local.get()).iter().enumerate().map(|(i, (label, _, _))| view! { <option value=i.to_string() selected=move || choice.get() == i>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label>" Amount "
                    <input data-testid="amount-input" inputmode="decimal" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                </label>
                <label>" Confirmations "
                    <select data-testid="confirmations" on:change=move |ev| confirmations.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"0"</option>
                        <option value="2">"2"</option>
                    </select>
                </label>
                <label>
                    <input type="checkbox" data-testid="offer" prop:disabled=move || local.get() on:change=move |ev| offer.set(event_target_checked(&ev)) />
                    " Offer other currencies"
                </label>
                <label title="BTC on Bitcoin only: a BOLT11 invoice beside the address, one unified QR">
                    <input type="checkbox" data-testid="lightning" prop:disabled=move || !on_bitcoin() on:change=move |ev| lightning.set(event_target_checked(&ev)) />
                    " Lightning invoice too"
                </label>
                <label>" Late note "
                    <input data-testid="late-note" maxlength="200" placeholder="what happens to a late payment" prop:value=late_note on:input=move |ev| late_note.set(event_target_value(&ev)) />
                </label>
                <button type="button" data-testid="create" on:click=move |_| create()>"Create payment"</button>
                {move || creating.get().then(|| view! { <span role="status">"Creating a payment…"</span> })}
            </section>
            <section class="demo-controls" aria-label="Form options">
                <label>
                    <input type="checkbox" data-testid="push" on:change=move |ev| push.set(event_target_checked(&ev)) />
                    " Live push (SSE)"
                </label>
                <label>
                    <input type="checkbox" data-testid="opt-refund" prop:checked=refund_address on:change=move |ev| refund_address.set(event_target_checked(&ev)) />
                    " Refund address field"
                </label>
                <label>
                    <input type="checkbox" data-testid="opt-more-time" prop:checked=more_time on:change=move |ev| more_time.set(event_target_checked(&ev)) />
                    " Need more time? button"
                </label>
                <label>" Language "
                    <select data-testid="lang" on:change=move |ev| lang.set(event_target_value(&ev))>
                        {LANGS.iter().map(|l| view! { <option value=*l selected=move || lang.get() == *l>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label>" Theme "
                    <select data-testid="theme" on:change=move |ev| theme.set(event_target_value(&ev))>
                        {["light", "dark", "auto"].map(|t| view! { <option value=t selected=move || theme.get() == t>{t}</option> })}
                    </select>
                </label>
            </section>
            <section class="demo-simulate" aria-label="Simulate the provider">
                <span>"Simulate: "</span>
                <button type="button" data-testid="sim-pay" on:click=simulate("pay")>"Pay"</button>
                <button type="button" data-testid="sim-partial" on:click=simulate("pay_partial")>"Pay partially"</button>
                <button type="button" data-testid="sim-short" on:click=simulate("pay_short")>"Pay short (exchange fee)"</button>
                <button type="button" data-testid="sim-over" on:click=simulate("pay_over")>"Overpay"</button>
                <button type="button" data-testid="sim-confirm" on:click=simulate("confirm")>"Confirm"</button>
                <button type="button" data-testid="sim-drop" on:click=simulate("drop")>"Drop"</button>
                <button type="button" data-testid="sim-expire" on:click=simulate("expire")>"Expire"</button>
                <button type="button" data-testid="sim-late" title="Once the payment has expired: the full amount arrives after the deadline" prop:disabled=move || status.get() != "expired" on:click=simulate("pay_late")>"Pay after the deadline"</button>
                <button type="button" data-testid="sim-fail" on:click=simulate("fail")>"Fail"</button>
                <button type="button" data-testid="sim-cancel" on:click=simulate("cancel")>"Cancel"</button>
                <button type="button" data-testid="sim-refund" on:click=simulate("refund")>"Refund"</button>
            </section>
            <section class="demo-simulate" aria-label="Inject faults">
                <span>"Faults: "</span>
                <button type="button" on:click=fault("500", 3)>"3 × HTTP 500"</button>
                <button type="button" on:click=fault("429", 1)>"429 (5 s)"</button>
                <button type="button" on:click=fault("malformed", 1)>"Malformed JSON"</button>
                <button type="button" on:click=fault("drop", 2)>"Drop connection"</button>
                <button type="button" on:click=fault("none", 1)>"Clear"</button>
            </section>
            {move || error.get().map(|e| view! { <p class="demo-error" role="alert" data-testid="demo-error">{e}</p> })}
            <section class="demo-form">{form}</section>
            <section class="demo-log" aria-label="Events received by the page">
                <h2>"Events"</h2>
                <ol data-testid="event-log">{move || log.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            </section>
        </main>
    }
}
