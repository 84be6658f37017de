//! The demo page (Trunk binary only, not part of the library): a merchant-like page that
//! creates a payment on the devserver, shows the form, and has buttons that make the simulated
//! provider pay, underpay or expire it, with a log of the DOM events the page received.
//!
//! `?src=<payment URL>` skips creation and shows that payment directly (used by `make bench`,
//! the tests and the screenshots); `?lang=`, `?theme=`, `?poll-interval=` and `?preset=` set
//! those options (the ones a checkout link may set as written, read by the options table).

use leptos::prelude::*;
use payform::events;
use payform::options::{Given, HostList, Lang, Link, OptionError, Options, Theme, TABLE};
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
];

/// Other currencies the demo offers with "Offer other currencies" (the devserver creates one
/// payment per option and lists them all in `options`).
const OPTIONS: &str = r#"[{"currency":"BTC","network":"bitcoin","amount":"0.00025"},{"currency":"ETH","network":"ethereum","amount":"0.0071"},{"currency":"USDC","network":"base","amount":"25.00"}]"#;

/// The languages offered by the demo's language menu (`auto` follows the browser).
const LANGS: &[&str] = &[
    "auto", "en", "ar", "cs", "de", "es", "fa", "fr", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru",
    "th", "tr", "uk", "vi", "zh",
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

async fn post(url: &str, body: String) -> Result<String, String> {
    let answer = payform::ui::browser::post_json(url, &body).await.map_err(|e| e.to_string())?;
    if (200..300).contains(&answer.status) {
        Ok(answer.body)
    } else {
        Err(format!("HTTP {}: {}", answer.status, answer.body))
    }
}

/// The whole demo page.
#[component]
pub fn Demo() -> impl IntoView {
    let payment_id = RwSignal::new(None::<String>);
    let fixed_src = query("src");
    let error = RwSignal::new(None::<String>);
    let base = query_options().unwrap_or_else(|e| {
        error.set(Some(format!("This page's URL: {e}")));
        Options::default()
    });
    // `?lang=` and `?theme=` preset the menus (the screenshots script uses them).
    let lang = RwSignal::new(base.lang.tag().unwrap_or("auto").to_owned());
    let theme = RwSignal::new(base.theme.as_str().to_owned());
    let offer = RwSignal::new(false);
    // The payment the simulate buttons act on: the created one, or the option the shopper picked.
    let active = RwSignal::new(None::<String>);
    let log = RwSignal::new(Vec::<String>::new());
    let choice = RwSignal::new(0usize);
    let push = RwSignal::new(false);
    let confirmations = RwSignal::new(0u32);
    let amount = RwSignal::new("25.00".to_string());

    for name in [events::READY, events::STATUS, events::PAID, events::EXPIRED, events::FAILED, events::ERROR]
    {
        let handle = window_event_listener_untyped(name, move |ev| {
            let detail = ev.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail());
            let summary = detail
                .clone()
                .and_then(|d| {
                    js_sys::Reflect::get(&d, &"status".into())
                        .ok()
                        .filter(|v| !v.is_undefined())
                        .or_else(|| js_sys::Reflect::get(&d, &"code".into()).ok())
                })
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            if name == events::READY {
                let id = detail
                    .and_then(|d| js_sys::Reflect::get(&d, &"payment".into()).ok())
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

    let create = move |_| {
        let (_, network, currency) = CHOICES[choice.get_untracked()];
        let body = format!(
            r#"{{"amount":"{}","currency":"{currency}","network":"{network}","confirmations_required":{},"description":"Order #1042","merchant":"Example Store","return_url":"https://shop.example/thanks","fiat":{{"amount":"25.00","currency":"USD"}}{}}}"#,
            amount.get_untracked().replace(['"', '\\'], ""),
            confirmations.get_untracked(),
            if offer.get_untracked() { format!(r#","options":{OPTIONS}"#) } else { String::new() }
        );
        leptos::task::spawn_local_scoped(async move {
            match post("/api/payments", body).await {
                Ok(text) => {
                    let id = payform::json::Json::parse(&text)
                        .ok()
                        .and_then(|j| j.get("id").and_then(|v| v.as_str().map(str::to_owned)));
                    log.set(Vec::new());
                    error.set(None);
                    active.set(id.clone());
                    payment_id.set(id);
                }
                Err(e) => {
                    error.set(Some(format!("Could not create a payment: {e}. Is the devserver running?")))
                }
            }
        });
    };
    let simulate = move |action: &'static str| {
        move |_| {
            let Some(id) = active.get_untracked() else {
                return;
            };
            leptos::task::spawn_local_scoped(async move {
                let body = format!(r#"{{"action":"{action}"}}"#);
                if let Err(e) = post(&format!("/api/payments/{id}/simulate"), body).await {
                    error.set(Some(e));
                }
            });
        }
    };

    let fault = move |mode: &'static str, count: u32| {
        move |_| {
            leptos::task::spawn_local_scoped(async move {
                let body = format!(r#"{{"mode":"{mode}","count":{count},"retry_after":5}}"#);
                if let Err(e) = post("/api/faults", body).await {
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
            ..base.clone()
        };
        Some(view! { <PayForm options=options /> })
    };
    view! {
        <main class="demo">
            <header>
                <h1>"Example Store — checkout"</h1>
                <p>"Payform demo against the simulated provider. Create a payment, then make the simulator pay it."</p>
            </header>
            <section class="demo-controls" aria-label="Create a payment">
                <label>"Pay with "
                    <select data-testid="choice" on:change=move |ev| choice.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {CHOICES.iter().enumerate().map(|(i, (label, _, _))| view! { <option value=i.to_string()>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label>" Amount "
                    <input data-testid="amount-input" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                </label>
                <label>" Confirmations "
                    <select data-testid="confirmations" on:change=move |ev| confirmations.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"0"</option>
                        <option value="2">"2"</option>
                    </select>
                </label>
                <label>
                    <input type="checkbox" data-testid="push" on:change=move |ev| push.set(event_target_checked(&ev)) />
                    " Live push (SSE)"
                </label>
                <label>
                    <input type="checkbox" data-testid="offer" on:change=move |ev| offer.set(event_target_checked(&ev)) />
                    " Offer other currencies"
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
                <button type="button" data-testid="create" on:click=create>"Create payment"</button>
            </section>
            <section class="demo-simulate" aria-label="Simulate the provider">
                <span>"Simulate: "</span>
                <button type="button" data-testid="sim-pay" on:click=simulate("pay")>"Pay"</button>
                <button type="button" data-testid="sim-partial" on:click=simulate("pay_partial")>"Pay partially"</button>
                <button type="button" data-testid="sim-over" on:click=simulate("pay_over")>"Overpay"</button>
                <button type="button" data-testid="sim-confirm" on:click=simulate("confirm")>"Confirm"</button>
                <button type="button" data-testid="sim-drop" on:click=simulate("drop")>"Drop"</button>
                <button type="button" data-testid="sim-expire" on:click=simulate("expire")>"Expire"</button>
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
            {move || error.get().map(|e| view! { <p class="demo-error" role="alert">{e}</p> })}
            <section class="demo-form">{form}</section>
            <section class="demo-log" aria-label="Events received by the page">
                <h2>"Events"</h2>
                <ol data-testid="event-log">{move || log.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            </section>
        </main>
    }
}
