//! Browser tests (wasm-bindgen-test in headless Chromium): mount the real form against a
//! payment served by the devserver and check what the shopper sees and what the page hears.
//!
//! Needs the devserver at `$PAYFORM_DEVSERVER` (default `http://127.0.0.1:8787`); `make test`
//! starts it.
#![cfg(target_arch = "wasm32")]

use payform::embed;
use payform::json::Json;
use payform::options::{Lang, Options, PollInterval};
use payform::qr::QrMatrix;
use payform::ui::browser::Wake;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CustomEvent, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const DEVSERVER: &str = match option_env!("PAYFORM_DEVSERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};

async fn post(route: &str, body: &str) -> Json {
    let resp = gloo_net::http::Request::post(&format!("{DEVSERVER}{route}"))
        .header("Content-Type", "application/json")
        .body(body)
        .expect("request builds")
        .send()
        .await
        .expect("the devserver answers (is it running? make test starts it)");
    let text = resp.text().await.expect("body");
    assert!(resp.ok(), "{route}: HTTP {} {text}", resp.status());
    Json::parse(&text).expect("devserver answers JSON")
}

async fn get_json(route: &str) -> Json {
    let resp = gloo_net::http::Request::get(&format!("{DEVSERVER}{route}")).send().await.expect("devserver");
    Json::parse(&resp.text().await.expect("body")).expect("JSON")
}

fn text(j: &Json, key: &str) -> String {
    j.get(key).and_then(Json::as_text).unwrap_or_default().to_owned()
}

/// Creates a payment on the devserver; returns (id, address).
async fn create(network: &str, currency: &str, amount: &str) -> (String, String) {
    let body = format!(r#"{{"amount":"{amount}","currency":"{currency}","network":"{network}"}}"#);
    let p = post("/api/payments", &body).await;
    (text(&p, "id"), text(&p, "address"))
}

/// A fresh element in the page, with a recorder of every `payform:*` event reaching it.
struct Target {
    el: HtmlElement,
    events: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Target {
    fn new() -> Target {
        let doc = web_sys::window().unwrap().document().unwrap();
        let el: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
        doc.body().unwrap().append_child(&el).unwrap();
        let events = Rc::new(RefCell::new(Vec::new()));
        let mut listeners = Vec::new();
        for name in payform::events::FORM_EVENTS {
            let log = events.clone();
            let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let detail = e.dyn_ref::<CustomEvent>().map(|c| c.detail()).unwrap_or(JsValue::NULL);
                log.borrow_mut().push((e.type_(), detail));
            });
            el.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref()).unwrap();
            listeners.push(cb);
        }
        Target { el, events, _listeners: listeners }
    }

    fn count(&self, name: &str) -> usize {
        self.events.borrow().iter().filter(|(n, _)| n == name).count()
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.el.query_selector(selector).ok().flatten()
    }

    async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..200 {
            if let Some(el) = self.find(selector) {
                return el;
            }
            sleep(50).await;
        }
        panic!("{selector} did not appear; the form shows: {}", self.el.inner_text());
    }
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

fn detail_field(detail: &JsValue, path: &[&str]) -> JsValue {
    path.iter()
        .fold(detail.clone(), |v, k| js_sys::Reflect::get(&v, &(*k).into()).unwrap_or(JsValue::UNDEFINED))
}

fn options(id: &str, poll_ms: u64) -> Options {
    Options {
        poll_interval_ms: PollInterval::new(poll_ms),
        lang: Lang::Tag("en".into()),
        ..Options::new(format!("{DEVSERVER}/api/payments/{id}"))
    }
}

/// The JavaScript reader loops over the options table: JavaScript names in `options`, attribute
/// names in `attributes` (the element's), typed values, and errors that name the spelling the
/// merchant used and carry their `payform:error` code.
#[wasm_bindgen_test]
fn the_js_reader_reads_every_option_by_the_table() {
    use payform::embed::api::options_from_js;
    use payform::error::ErrorCode;
    use payform::options::{OptionError, Theme, TABLE};
    let object = |pairs: &[(&str, &str)]| {
        payform::events::object(&pairs.iter().map(|(k, v)| (*k, JsValue::from_str(v))).collect::<Vec<_>>())
    };
    let none = JsValue::UNDEFINED;
    let valid = |name: &str| match name {
        "payment" => "{}",
        "preset" => "nowpayments",
        "mapping" => {
            r#"{"fields":{"id":"/id","status":"/status","amount":"/amount","currency":"/currency","network":"/network","address":"/address"}}"#
        }
        "poll-interval" => "5000",
        "theme" => "dark",
        "lang" => "de",
        "return-hosts" => "shop.example",
        "refund-address" | "more-time" => "true",
        "network-mode" => "test",
        _ => "/api/payments/p1",
    };
    for spec in TABLE {
        let given = [("src", "/api/payments/p0"), (spec.js, valid(spec.name))];
        let by_js = options_from_js(&object(&given), &none).unwrap_or_else(|e| panic!("{}: {e}", spec.js));
        assert_ne!(by_js, options_from_js(&object(&given[..1]), &none).unwrap(), "{} is read", spec.js);
        let attributes = object(&[("src", "/api/payments/p0"), (spec.name, valid(spec.name))]);
        let by_attribute = options_from_js(&none, &attributes).unwrap();
        assert_eq!(by_attribute == by_js, spec.element, "{} as an attribute", spec.name);
    }
    let o = options_from_js(
        &payform::events::object(&[("src", "/p".into()), ("pollInterval", JsValue::from_f64(2_500.0))]),
        &none,
    )
    .unwrap();
    assert_eq!((o.poll_interval_ms.ms(), o.theme), (2_500, Theme::Light));
    let kebab = options_from_js(&object(&[("src", "/p"), ("poll-interval", "9000")]), &none).unwrap();
    assert_eq!(kebab.poll_interval_ms.ms(), 3_000, "attribute names are not JavaScript options");

    let err = |options: &JsValue, attributes: &JsValue| options_from_js(options, attributes).unwrap_err();
    let e = err(&object(&[("src", "/p"), ("pollInterval", "soon")]), &none);
    assert_eq!(e.to_string(), "pollInterval \"soon\" is not a number of milliseconds");
    let e = err(&none, &object(&[("src", "/p"), ("poll-interval", "soon")]));
    assert_eq!(e.to_string(), "poll-interval \"soon\" is not a number of milliseconds");
    let e = err(&payform::events::object(&[("src", "/p".into()), ("theme", JsValue::TRUE)]), &none);
    assert_eq!(e, OptionError::NotAString { option: "theme" });
    let e = err(&object(&[("src", "/p"), ("preset", "stripe")]), &none);
    assert_eq!(e.code(), ErrorCode::UnknownPreset);
    assert_eq!(err(&object(&[("theme", "dark")]), &none), OptionError::NoPayment);
    // The flags: a JavaScript boolean, or an attribute present without a value.
    let flags = options_from_js(
        &payform::events::object(&[
            ("src", "/p".into()),
            ("refundAddress", JsValue::TRUE),
            ("moreTime", JsValue::FALSE),
        ]),
        &none,
    )
    .unwrap();
    assert_eq!((flags.refund_address, flags.more_time), (true, false));
    let present =
        options_from_js(&none, &object(&[("src", "/p"), ("refund-address", ""), ("more-time", "")])).unwrap();
    assert_eq!((present.refund_address, present.more_time), (true, true));
    let e =
        err(&payform::events::object(&[("src", "/p".into()), ("moreTime", JsValue::from_f64(1.0))]), &none);
    assert_eq!(e.code(), ErrorCode::BadConfig);
}

/// The `Intl` wrappers format for display only, exactly (string in, no float rounding), and fall
/// back to the canonical text when the browser cannot format.
#[wasm_bindgen_test]
fn intl_formats_exact_decimals_per_locale() {
    use payform::ui::intl;
    assert_eq!(intl::decimal("de", "1234.5"), "1.234,5");
    assert_eq!(intl::decimal("en", "0.000000000000000001"), "0.000000000000000001");
    // 2^64 + 1 wei is not representable as a float; the string path keeps every digit.
    assert_eq!(intl::decimal("en", "18446744073709551617"), "18,446,744,073,709,551,617");
    assert_eq!(intl::decimal("fa", "25"), "۲۵");
    assert_eq!(intl::time_left("en", 3_723_000), "1:02:03");
    assert_eq!(intl::time_left("fa", 65_000), "۰۱:۰۵");
    assert_eq!(intl::fiat("en", "25.00", "USD"), "$25.00");
    assert_eq!(
        intl::fiat("en", "1e9", "USD"),
        "1e9 USD",
        "backend text that is not a plain decimal is shown as sent"
    );
    assert_eq!(intl::decimal("not a locale!", "1.5"), "1.5");
    assert_eq!(intl::fiat("en", "1.2.3", "USD"), "1.2.3 USD", "English takes the same check");
    assert_eq!(intl::fiat("de", "25", "dollars"), "25 dollars", "not a currency code");
}

/// The form in another language through the Rust API: the locale file is fetched from
/// `locales` (here the devserver serves the repository's `locales/`), the words are that
/// locale's, the numbers its format, and Persian is laid out right to left; the amount the
/// shopper copies stays canonical.
#[wasm_bindgen_test]
async fn mounts_in_german_and_persian_from_the_locale_files() {
    let (id, _) = create("tron", "USDT", "1234.5").await;
    for (lang, dir, amount) in [("de", "ltr", "1.234,5"), ("fa", "rtl", "۱٬۲۳۴٫۵")] {
        let file = match lang {
            "de" => include_str!("../locales/de.json"),
            _ => include_str!("../locales/fa.json"),
        };
        let words = payform::json::Json::parse(file).unwrap();
        let awaiting = words.get("head_awaiting").and_then(|v| v.as_str()).unwrap().to_owned();
        let t = Target::new();
        let mut o = options(&id, 3_000);
        o.lang = Lang::parse(lang).unwrap();
        o.locales = Some(format!("{DEVSERVER}/locales/"));
        let _form = embed::mount(t.el.clone(), o, Wake::default());
        t.wait_for("svg[data-testid=qr]").await;
        let root = t.wait_for("[data-testid=payform]").await;
        assert_eq!(root.get_attribute("lang").as_deref(), Some(lang));
        assert_eq!(root.get_attribute("dir").as_deref(), Some(dir));
        let headline = t.wait_for(".pf-headline").await.text_content().unwrap_or_default();
        assert_eq!(headline, awaiting);
        let shown = t.wait_for("[data-testid=amount]").await;
        assert_eq!(shown.text_content().as_deref(), Some(amount));
        assert_eq!(shown.get_attribute("data-amount").as_deref(), Some("1234.5"));
    }
}

/// English is formatted in Rust (the first screen does not wait for `Intl` to start); it must
/// print exactly what the browser's `Intl` prints.
#[wasm_bindgen_test]
fn english_in_rust_matches_the_browsers_intl() {
    use payform::ui::intl;
    let intl_js = |expr: String| js_sys::eval(&expr).ok().and_then(|v| v.as_string()).unwrap_or_default();
    for n in ["0", "25", "1234.5", "1000000", "0.00000001", "123456789012.123456", "999"] {
        let d = n.split_once('.').map_or(0, |(_, f)| f.len());
        let expected = intl_js(format!(
            "new Intl.NumberFormat('en', {{minimumFractionDigits: {d}, maximumFractionDigits: {d}}}).format('{n}')"
        ));
        assert_eq!(intl::decimal("en", n), expected, "{n}");
    }
    for (amount, currency) in
        [("25.00", "USD"), ("25", "EUR"), ("1234.5", "GBP"), ("1000", "JPY"), ("25.00", "CHF")]
    {
        let expected = intl_js(format!(
            "new Intl.NumberFormat('en', {{style: 'currency', currency: '{currency}'}}).format('{amount}')"
        ));
        assert_eq!(
            intl::fiat("en", amount, currency),
            expected.replace('\u{a0}', " "),
            "{amount} {currency}"
        );
    }
    assert_eq!(intl::digits("en", 5, 2), "05");
}

#[wasm_bindgen_test]
async fn shows_amount_address_and_a_qr_of_the_wallet_uri() {
    let (id, address) = create("bitcoin", "BTC", "0.00012").await;
    let t = Target::new();
    let _form = embed::mount(t.el.clone(), options(&id, 3_000), Wake::default());
    let svg = t.wait_for("svg[data-testid=qr]").await;

    assert_eq!(t.find("[data-testid=amount]").unwrap().text_content().unwrap(), "0.00012");
    assert_eq!(t.find("[data-testid=currency]").unwrap().text_content().unwrap(), "BTC");
    let shown = t.find("[data-testid=address]").unwrap();
    assert_eq!(shown.get_attribute("data-address").unwrap(), address);
    assert_eq!(shown.text_content().unwrap(), address, "the grouped text holds every character");

    // The QR is SVG elements whose path is exactly the matrix of the upper-cased BIP21 URI.
    let uri = format!("bitcoin:{}?amount=0.00012", address.to_uppercase());
    let m = QrMatrix::encode(&uri).unwrap();
    let size = m.view_size();
    assert_eq!(svg.get_attribute("viewBox").unwrap(), format!("0 0 {size} {size}"));
    assert_eq!(svg.query_selector("path").unwrap().unwrap().get_attribute("d").unwrap(), m.svg_path());
    assert_eq!(
        t.find("[data-testid=wallet-link]").unwrap().get_attribute("href").unwrap(),
        format!("bitcoin:{address}?amount=0.00012")
    );

    assert_eq!(t.count("payform:ready"), 1);
    let ready = &t.events.borrow()[0].1;
    assert_eq!(detail_field(ready, &["payment", "amount"]).as_string().unwrap(), "0.00012");
    assert_eq!(detail_field(ready, &["payment", "address"]).as_string().unwrap(), address);
}

#[wasm_bindgen_test]
async fn paid_fires_exactly_once_and_polling_stops() {
    let (id, _) = create("tron", "USDT", "25.00").await;
    let t = Target::new();
    let _form = embed::mount(t.el.clone(), options(&id, 500), Wake::default());
    t.wait_for("[data-status=awaiting_payment]").await;
    post(&format!("/api/payments/{id}/simulate"), r#"{"action":"pay"}"#).await;
    t.wait_for("[data-status=paid]").await;

    let gets_at_paid = get_json("/api/stats").await;
    let polled =
        |j: &Json| j.pointer(&format!("/by_payment/{id}")).and_then(Json::as_text).unwrap_or("0").to_owned();
    let before = polled(&gets_at_paid);
    sleep(1_600).await; // more than three poll intervals
    assert_eq!(polled(&get_json("/api/stats").await), before, "no request after the terminal status");
    assert_eq!(t.count("payform:paid"), 1);
    let paid = t.events.borrow().iter().find(|(n, _)| n == "payform:paid").map(|(_, d)| d.clone()).unwrap();
    assert_eq!(detail_field(&paid, &["payment", "status"]).as_string().unwrap(), "paid");
    let statuses: Vec<String> = t
        .events
        .borrow()
        .iter()
        .filter(|(n, _)| n == "payform:status")
        .map(|(_, d)| detail_field(d, &["status"]).as_string().unwrap())
        .collect();
    assert_eq!(statuses, ["awaiting_payment", "paid"]);
}

#[wasm_bindgen_test]
async fn expired_and_failed_fire_their_events() {
    let (id, _) = create("ethereum", "USDC", "10").await;
    let t = Target::new();
    let _form = embed::mount(t.el.clone(), options(&id, 500), Wake::default());
    t.wait_for("[data-status=awaiting_payment]").await;
    post(&format!("/api/payments/{id}/simulate"), r#"{"action":"expire"}"#).await;
    t.wait_for("[data-status=expired]").await;
    assert_eq!((t.count("payform:expired"), t.count("payform:paid")), (1, 0));

    let (id, _) = create("solana", "SOL", "1.5").await;
    let t = Target::new();
    let _form = embed::mount(t.el.clone(), options(&id, 500), Wake::default());
    t.wait_for("[data-status=awaiting_payment]").await;
    post(&format!("/api/payments/{id}/simulate"), r#"{"action":"fail"}"#).await;
    t.wait_for("[data-status=failed]").await;
    let failed =
        t.events.borrow().iter().find(|(n, _)| n == "payform:failed").map(|(_, d)| d.clone()).unwrap();
    assert_eq!(detail_field(&failed, &["reason"]).as_string().unwrap(), "failed");
}

#[wasm_bindgen_test]
async fn a_destroyed_form_sends_no_more_requests() {
    let (id, _) = create("tron", "USDT", "5").await;
    let t = Target::new();
    let mut form = embed::mount(t.el.clone(), options(&id, 500), Wake::default());
    t.wait_for("[data-testid=qr]").await;
    form.destroy();
    assert!(t.find("[data-testid=payform]").is_none(), "the form is removed from the page");
    let count =
        |j: Json| j.pointer(&format!("/by_payment/{id}")).and_then(Json::as_text).unwrap_or("0").to_owned();
    let before = count(get_json("/api/stats").await);
    sleep(1_600).await;
    assert_eq!(count(get_json("/api/stats").await), before);
}

#[wasm_bindgen_test]
async fn a_missing_payment_is_a_clear_error_not_a_blank_box() {
    let t = Target::new();
    let _form = embed::mount(t.el.clone(), options("pay_does_not_exist", 500), Wake::default());
    let problem = t.wait_for("[data-testid=problem]").await;
    assert_eq!(problem.get_attribute("data-code").unwrap(), "not_found");
    assert!(problem.text_content().unwrap().contains("not found"));
    let err = t.events.borrow().iter().find(|(n, _)| n == "payform:error").map(|(_, d)| d.clone()).unwrap();
    assert_eq!(detail_field(&err, &["code"]).as_string().unwrap(), "not_found");
    assert!(detail_field(&err, &["retry_in_ms"]).is_null(), "a 404 is not retried");
}

#[wasm_bindgen_test]
async fn an_inline_payment_is_shown_without_any_request() {
    let t = Target::new();
    let body = r#"{"id":"inline_1","status":"awaiting_payment","amount":"7.25","currency":"USDT","network":"tron","address":"TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6"}"#;
    let options = Options { src: None, payment: Some(body.into()), ..options("unused", 500) };
    let _form = embed::mount(t.el.clone(), options, Wake::default());
    t.wait_for("[data-testid=qr]").await;
    assert_eq!(t.find("[data-testid=amount]").unwrap().text_content().unwrap(), "7.25");
    assert_eq!(t.count("payform:ready"), 1);
}

/// A bank-rail payment: the form fetches the rails' module (a release build, by `make test-browser`, into
/// target/, served by the devserver), and shows the beneficiary, the IBAN in groups and a QR
/// whose path is exactly the byte-mode, level-M matrix of the EPC payload the core's own check
/// builds for the amount due.
#[wasm_bindgen_test]
async fn a_bank_payment_loads_the_rails_module_and_shows_the_epc_code() {
    use payform::bank::rail::{Local, RailCheck, RailRequest, RawBank};
    use payform::money::Amount;
    let p = post("/api/payments", r#"{"amount":"12.50","currency":"EUR","network":"sepa_epc"}"#).await;
    let id = text(&p, "id");
    let t = Target::new();
    let options = Options {
        rails: Some(format!("{DEVSERVER}/target/wasm32-unknown-unknown/release/payform_rails.wasm")),
        ..options(&id, 3_000)
    };
    let _form = embed::mount(t.el.clone(), options, Wake::default());
    let svg = t.wait_for("svg[data-testid=qr]").await;

    let raw = RawBank {
        beneficiary: Some(text(&p, "beneficiary")),
        bic: Some(text(&p, "bic")).filter(|b| !b.is_empty()),
        reference: Some(text(&p, "reference")).filter(|r| !r.is_empty()),
        ..RawBank::default()
    };
    let amount = Amount::parse("12.50", 2).unwrap();
    let request = RailRequest {
        network: payform::network::Network::Sepa,
        currency: "EUR",
        address: &text(&p, "address"),
        raw: &raw,
        amount,
        due: amount,
    };
    let view = Local.check(&request).expect("the devserver's payment is valid");
    assert!(view.payload.starts_with("BCD\n002\n1\nSCT\n"), "{}", view.payload);
    let m = QrMatrix::encode_bytes(&view.payload, 13).unwrap();
    assert_eq!(svg.query_selector("path").unwrap().unwrap().get_attribute("d").unwrap(), m.svg_path());
    assert_eq!(t.find("[data-testid=amount]").unwrap().text_content().unwrap(), "12.50");
    assert_eq!(t.find("[data-testid=beneficiary]").unwrap().text_content().unwrap(), text(&p, "beneficiary"));
    let iban = t.find("[data-testid=bank-account]").unwrap().text_content().unwrap();
    assert_eq!(iban.replace(' ', ""), text(&p, "address"));
    assert!(iban.split(' ').all(|g| g.len() <= 4), "{iban}");
    assert_eq!(t.count("payform:ready"), 1);
    let ready = &t.events.borrow()[0].1;
    assert_eq!(detail_field(ready, &["payment", "rail"]).as_string().unwrap(), "sepa_epc");
    assert_eq!(
        detail_field(ready, &["payment", "beneficiary"]).as_string().unwrap(),
        text(&p, "beneficiary")
    );
}

#[wasm_bindgen_test]
async fn refresh_asks_the_backend_at_once() {
    let (id, _) = create("tron", "USDT", "5").await;
    let t = Target::new();
    let wake = Wake::default();
    let _form = embed::mount(t.el.clone(), options(&id, 60_000), wake.clone());
    t.wait_for("[data-testid=qr]").await;
    let count =
        |j: Json| j.pointer(&format!("/by_payment/{id}")).and_then(Json::as_text).unwrap_or("0").to_owned();
    let before = count(get_json("/api/stats").await);
    wake.ring(payform::ui::browser::reason::REFRESH);
    // At once, but never within 1 s of the previous request (the schedule's floor).
    sleep(1_400).await;
    let after = count(get_json("/api/stats").await);
    assert_eq!(after.parse::<u32>().unwrap(), before.parse::<u32>().unwrap() + 1);
}

/// The Leptos component's `on_*` callbacks: each runs right after its DOM event, with the same
/// data as a Rust value, exactly as often (a paid payment: ready, two statuses, one paid; the
/// shopper's more-time and refund-address actions; a missing payment's error).
#[wasm_bindgen_test]
async fn the_components_callbacks_run_with_their_dom_events() {
    use leptos::prelude::*;
    use payform::error::ErrorCode;
    use payform::events::{ErrorDetail, RefundAddress, StatusChange, FORM_EVENTS};
    use payform::payment::Payment;
    use payform::status::Status;
    use payform::PayForm;
    use std::sync::{Arc, Mutex};

    /// Each callback's calls, by the name of its DOM event, in order.
    type Calls = Arc<Mutex<Vec<(&'static str, String)>>>;
    fn mount(el: HtmlElement, options: Options, calls: &Calls) -> (Owner, impl Drop) {
        let c = calls.clone();
        let log = move |name: &'static str| {
            let c = c.clone();
            move |text: String| c.lock().unwrap().push((name, text))
        };
        let (ready, paid, expired, failed, late, more) = (
            log("payform:ready"),
            log("payform:paid"),
            log("payform:expired"),
            log("payform:failed"),
            log("payform:late"),
            log("payform:more_time"),
        );
        let (status, error, refund) =
            (log("payform:status"), log("payform:error"), log("payform:refund_address"));
        let owner = Owner::new();
        let view = owner.with(|| {
            leptos::mount::mount_to(el, move || {
                view! {
                    <PayForm options=options
                        on_ready=move |p: Payment| ready(p.id)
                        on_status=move |c: StatusChange| status(
                            [c.previous.map_or("none", Status::as_str), "->", c.status.as_str(), " ", &c.payment.id].concat(),
                        )
                        on_paid=move |p: Payment| paid([p.id.as_str(), " ", p.status.as_str()].concat())
                        on_expired=move |p: Payment| expired(p.id)
                        on_failed=move |p: Payment| failed(p.id)
                        on_error=move |e: ErrorDetail| error(format!("{} {:?} {}", e.code.as_str(), e.retry_in_ms, e.message))
                        on_late=move |p: Payment| late(p.id)
                        on_refund_address=move |r: RefundAddress| refund([r.address, " ".into(), r.network, " ".into(), r.payment.id].concat())
                        on_more_time=move |p: Payment| more(p.id)
                    />
                }
            })
        });
        (owner, view)
    }
    let of = |calls: &Calls, name: &str| -> Vec<String> {
        calls.lock().unwrap().iter().filter(|(n, _)| *n == name).map(|(_, t)| t.clone()).collect()
    };

    let (id, address) = create("tron", "USDT", "25").await;
    let t = Target::new();
    let calls = Calls::default();
    let extras = Options { more_time: true, refund_address: true, ..options(&id, 500) };
    let (owner, view) = mount(t.el.clone(), extras, &calls);
    t.wait_for("[data-status=awaiting_payment]").await;
    t.wait_for("[data-testid=ask-time]").await.unchecked_into::<HtmlElement>().click();
    let input = t.wait_for("[data-testid=refund-input]").await;
    js_sys::Reflect::set(&input, &"value".into(), &address.as_str().into()).unwrap();
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    t.find("[data-testid=refund-save]").unwrap().unchecked_into::<HtmlElement>().click();
    post(&format!("/api/payments/{id}/simulate"), r#"{"action":"pay"}"#).await;
    t.wait_for("[data-status=paid]").await;
    sleep(1_600).await; // more than three poll intervals: nothing fires again

    assert_eq!(of(&calls, "payform:ready"), [id.as_str()]);
    assert_eq!(
        of(&calls, "payform:status"),
        [format!("none->awaiting_payment {id}"), format!("awaiting_payment->paid {id}")]
    );
    assert_eq!(of(&calls, "payform:paid"), [format!("{id} paid")]);
    assert_eq!(of(&calls, "payform:more_time"), [id.as_str()]);
    assert_eq!(of(&calls, "payform:refund_address"), [format!("{address} tron {id}")]);
    let refund =
        t.events.borrow().iter().find(|(n, _)| n == "payform:refund_address").map(|(_, d)| d.clone());
    assert_eq!(detail_field(&refund.unwrap(), &["address"]).as_string().unwrap(), address);
    // Each callback ran exactly as often as its DOM event reached the page (none for the others).
    for name in FORM_EVENTS {
        assert_eq!(of(&calls, name).len(), t.count(name), "{name}: callback calls vs DOM events");
    }
    drop(view);
    owner.cleanup();

    // A payment that is not there: on_error with the DOM event's code, message and retry.
    let t = Target::new();
    let calls = Calls::default();
    let (owner, view) = mount(t.el.clone(), options("pay_does_not_exist", 500), &calls);
    t.wait_for("[data-testid=problem]").await;
    sleep(300).await;
    let err = t.events.borrow().iter().find(|(n, _)| n == "payform:error").map(|(_, d)| d.clone()).unwrap();
    let message = detail_field(&err, &["message"]).as_string().unwrap();
    assert_eq!(of(&calls, "payform:error"), [format!("{} None {message}", ErrorCode::NotFound.as_str())]);
    for name in FORM_EVENTS {
        assert_eq!(of(&calls, name).len(), t.count(name), "{name}: callback calls vs DOM events");
    }
    drop(view);
    owner.cleanup();
}

/// The wasm memory, in bytes (it only ever grows: the allocator reuses what was freed).
fn memory_bytes() -> usize {
    core::arch::wasm32::memory_size::<0>() * 65_536
}

/// Renders `n` updates of an underpaid payment (each a different remainder, so the screen
/// changes every time) into a form mounted on `state`.
async fn render_updates(state: payform::ui::FormState, from: u64, n: u64) {
    use payform::payment::RawPayment;
    use payform::ui::live::Shown;
    for i in from..from + n {
        let paid = 1 + i % 24_000_000;
        let raw = RawPayment {
            id: "mem".into(),
            status: payform::status::Status::Underpaid,
            amount: "25".into(),
            currency: "USDT".into(),
            network: "tron".into(),
            address: "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6".into(),
            paid: Some(format!("{}.{:06}", paid / 1_000_000, paid % 1_000_000)),
            ..RawPayment::default()
        };
        let payment = raw.validate().expect("a valid payment");
        leptos::prelude::Set::set(&state.shown, Some(std::sync::Arc::new(Shown::new(payment))));
        leptos::task::tick().await;
        if i % 100 == 0 {
            sleep(0).await; // let the browser breathe (and the test runner ask how it goes)
        }
    }
}

/// Memory is flat over time: 10,000 rendered updates of a form's payment do not grow the wasm
/// memory (nothing is kept per update), and destroying the form and mounting a new one for
/// another 10,000 does not grow it either.
#[wasm_bindgen_test]
async fn memory_stays_flat_over_ten_thousand_rendered_updates() {
    use leptos::prelude::*;
    use payform::i18n::Catalog;
    use payform::ui::{FormState, FormView};
    let mount = |el: HtmlElement, state: FormState| {
        let owner = Owner::new();
        let view = owner.with(|| {
            leptos::mount::mount_to(el, move || {
                view! { <FormView state=state current=RwSignal::new(String::new()) /> }
            })
        });
        (owner, view)
    };
    let t = Target::new();
    let state = FormState::new();
    state.catalog.set(Some(std::sync::Arc::new(Catalog::english())));
    let (owner, view) = mount(t.el.clone(), state);
    render_updates(state, 0, 1_000).await; // warm up: the allocator settles
    assert!(t.find("[data-testid=qr]").is_some(), "the updates are rendered");
    let warm = memory_bytes();
    render_updates(state, 1_000, 10_000).await;
    let after = memory_bytes();
    web_sys::console::log_1(
        &format!("memory: {warm} bytes after 1,000 updates, {after} after 11,000").into(),
    );
    assert!(after <= warm + 256 * 1024, "10,000 updates grew the wasm memory from {warm} to {after} bytes");
    drop(view);
    owner.cleanup();
    let state = FormState::new();
    state.catalog.set(Some(std::sync::Arc::new(Catalog::english())));
    let (owner, view) = mount(t.el.clone(), state);
    render_updates(state, 0, 10_000).await;
    let again = memory_bytes();
    web_sys::console::log_1(&format!("memory: {again} bytes after destroy, remount and 10,000 more").into());
    assert!(again <= after + 256 * 1024, "a remounted form grew the memory from {after} to {again} bytes");
    drop(view);
    owner.cleanup();
}
