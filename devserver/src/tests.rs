//! The devserver through its router (`tower::ServiceExt::oneshot`), and over real TCP where
//! hyper's framing matters (a wrong `Content-Length`).

use super::*;
use axum::body::{to_bytes, Bytes};
use axum::http::Request;
use futures_util::StreamExt;
use std::time::Instant;
use tower::ServiceExt;

fn app(limits: Limits) -> App {
    let app = App::new(limits, cors::Origins::default());
    seed(&app);
    app
}

fn req(method: &str, uri: &str, origin: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(o) = origin {
        r = r.header(header::ORIGIN, o);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

async fn send(router: &Router, r: Request<Body>) -> Response {
    router.clone().oneshot(r).await.unwrap()
}

async fn call(router: &Router, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
    let res = send(router, req(method, uri, None, body)).await;
    let status = res.status();
    let bytes = to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn create(router: &Router, body: &str) -> String {
    let (status, json) = call(router, "POST", "/api/payments", body).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    json["id"].as_str().unwrap().to_owned()
}

const TRON: &str = r#"{"amount": "25", "currency": "USDT", "network": "tron"}"#;

fn header_of<'a>(res: &'a Response, name: &str) -> Option<&'a str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

async fn text(res: Response) -> String {
    String::from_utf8(to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap()
}

/// The next server-sent event (the text before its blank line), or None when the stream ends.
async fn next_event(stream: &mut axum::body::BodyDataStream, buf: &mut String) -> Option<String> {
    loop {
        if let Some(i) = buf.find("\n\n") {
            let event = buf[..i].to_owned();
            buf.drain(..i + 2);
            return Some(event);
        }
        let frame =
            tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event in time");
        buf.push_str(std::str::from_utf8(&frame?.ok()?).unwrap());
    }
}

fn data(event: &str) -> Value {
    let line = event.lines().find_map(|l| l.strip_prefix("data:")).expect("a data line");
    serde_json::from_str(line.trim()).unwrap()
}

// --- Test payments -----------------------------------------------------------------------

#[tokio::test]
async fn test_payments_get_test_addresses_that_only_a_test_form_shows() {
    use payform_core::network::NetworkMode::{Live, Test};
    let router = router(app(Limits::default()), None);
    let cases = [
        (r#"{"amount": "0.5", "currency": "BTC", "network": "bitcoin", "test": true}"#, "tb1"),
        (r#"{"amount": "0.5", "currency": "BTC", "network": "bitcoin", "test": "regtest"}"#, "bcrt1"),
        (r#"{"amount": "0.01", "currency": "BTC", "network": "lightning", "test": "signet"}"#, "lntbs10m1"),
        (r#"{"amount": "1", "currency": "LTC", "network": "litecoin", "test": "testnet"}"#, "tltc1"),
        (r#"{"amount": "25", "currency": "USDC", "network": "sepolia"}"#, "0x"),
        (r#"{"amount": "25", "currency": "USDT", "network": "tron_nile", "test": true}"#, "T"),
        (r#"{"amount": "1", "currency": "SOL", "network": "solana_devnet"}"#, ""),
    ];
    for (body, prefix) in cases {
        let id = create(&router, body).await;
        let (status, json) = call(&router, "GET", &format!("/api/payments/{id}"), "").await;
        assert_eq!(status, StatusCode::OK);
        assert!(json["address"].as_str().unwrap().starts_with(prefix), "{body}: {json}");
        let raw = payform_core::backend::Preset::Payform.read(&json.to_string()).unwrap();
        assert_eq!(raw.clone().validate_in(Test).unwrap().mode, Test, "{body}");
        assert!(raw.validate_in(Live).is_err(), "{body}: a live form refuses it");
    }
    // A test address with a test invoice beside it, for a unified QR.
    let id = create(&router, r#"{"amount": "0.001", "currency": "BTC", "network": "bitcoin", "test": "regtest", "lightning": true}"#).await;
    let (_, json) = call(&router, "GET", &format!("/api/payments/{id}"), "").await;
    assert!(json["lightning"].as_str().unwrap().starts_with("lnbcrt1m1"), "{json}");
    // Where `test` cannot mean anything, the devserver says what to use instead.
    for (body, field, says) in [
        (r#"{"amount": "1", "currency": "ETH", "network": "ethereum", "test": true}"#, "test", "sepolia"),
        (
            r#"{"amount": "1", "currency": "DOGE", "network": "dogecoin", "test": "regtest"}"#,
            "test",
            "testnet",
        ),
        (r#"{"amount": "1", "currency": "LTC", "network": "litecoin", "test": "signet"}"#, "test", "signet"),
        (r#"{"amount": "1", "currency": "BTC", "network": "bitcoin", "test": "mainnet"}"#, "test", "regtest"),
        (
            r#"{"amount": "1", "currency": "EUR", "network": "sepa_epc", "test": true}"#,
            "test",
            "no test mode",
        ),
    ] {
        let (status, json) = call(&router, "POST", "/api/payments", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(json["field"], field, "{body}: {json}");
        assert!(json.to_string().contains(says), "{body}: {json}");
    }
}

// --- Bounded state -----------------------------------------------------------------------

#[tokio::test]
async fn the_oldest_payments_are_evicted_with_their_counters() {
    let router = router(app(Limits { max_payments: 3, ..Limits::default() }), None);
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(create(&router, TRON).await);
    }
    assert_eq!(call(&router, "GET", &format!("/api/payments/{}", ids[0]), "").await.0, StatusCode::OK);
    assert_eq!(call(&router, "GET", "/api/payments/no_such_payment", "").await.0, StatusCode::NOT_FOUND);
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert_eq!(stats["by_payment"], json!({ids[0].as_str(): 1}), "unknown ids are not counted one by one");
    assert_eq!(stats["gets"], 2);
    for _ in 0..2 {
        ids.push(create(&router, TRON).await);
    }
    for (n, id) in ids.iter().enumerate() {
        let want = if n < 2 { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(call(&router, "GET", &format!("/api/payments/{id}"), "").await.0, want, "payment {n}");
        let sim = call(&router, "POST", &format!("/api/payments/{id}/simulate"), r#"{"action":"pay"}"#).await;
        assert_eq!(sim.0, want, "simulate payment {n}");
    }
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert_eq!(stats["payments"], 4, "three created and the seeded demo: {stats}");
    assert_eq!(stats["evicted"], 2);
    assert!(stats["by_payment"].get(&ids[0]).is_none(), "evicted with its counter: {stats}");
    assert_eq!(call(&router, "GET", "/api/payments/demo", "").await.0, StatusCode::OK, "the demo is kept");
}

#[tokio::test]
async fn a_payment_with_more_options_than_the_cap_is_refused() {
    let router = router(app(Limits { max_payments: 2, ..Limits::default() }), None);
    let body = r#"{"amount": "25", "currency": "USDT", "network": "tron", "options": [
        {"currency": "BTC", "network": "bitcoin", "amount": "0.00025"},
        {"currency": "LTC", "network": "litecoin", "amount": "0.3"}]}"#;
    let (status, json) = call(&router, "POST", "/api/payments", body).await;
    assert_eq!((status, json["field"].as_str()), (StatusCode::BAD_REQUEST, Some("options")), "{json}");
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert_eq!(stats["payments"], 1);
}

#[tokio::test]
async fn oversized_payment_bodies_are_refused() {
    let router = router(app(Limits::default()), None);
    let body = format!(
        r#"{{"amount": "25", "currency": "USDT", "network": "tron", "description": "{}"}}"#,
        "x".repeat(20_000)
    );
    let (status, _) = call(&router, "POST", "/api/payments", &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn event_streams_per_payment_are_capped() {
    let router = router(app(Limits { sse_per_payment: 2, ..Limits::default() }), None);
    let open = || send(&router, req("GET", "/api/payments/demo/events", None, ""));
    let (a, b) = (open().await, open().await);
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    let third = open().await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header_of(&third, "retry-after"), Some("1"));
    assert_eq!(call(&router, "GET", "/api/stats", "").await.1["event_streams"], 2);
    drop(a);
    assert_eq!(open().await.status(), StatusCode::OK, "a closed stream frees its slot");
    drop(b);
    assert_eq!(call(&router, "GET", "/api/stats", "").await.1["event_streams"], 0);
}

#[tokio::test]
async fn the_total_of_event_streams_is_capped() {
    let router = router(app(Limits { sse_total: 1, ..Limits::default() }), None);
    let other = create(&router, TRON).await;
    let a = send(&router, req("GET", "/api/payments/demo/events", None, "")).await;
    assert_eq!(a.status(), StatusCode::OK);
    let b = send(&router, req("GET", &format!("/api/payments/{other}/events"), None, "")).await;
    assert_eq!(b.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_lagging_stream_skips_to_the_current_state() {
    let app = App::with_feed(Limits::default(), cors::Origins::default(), 2);
    let router = router(app, None);
    let id = create(
        &router,
        r#"{"amount": "25", "currency": "USDT", "network": "tron", "confirmations_required": 50}"#,
    )
    .await;
    let res = send(&router, req("GET", &format!("/api/payments/{id}/events"), None, "")).await;
    let (mut stream, mut buf) = (res.into_body().into_data_stream(), String::new());
    let first = next_event(&mut stream, &mut buf).await.unwrap();
    assert_eq!(data(&first)["status"], "awaiting_payment");
    // Twelve changes while the client reads nothing: the feed holds two.
    call(&router, "POST", &format!("/api/payments/{id}/simulate"), r#"{"action":"pay"}"#).await;
    for _ in 0..11 {
        call(&router, "POST", &format!("/api/payments/{id}/simulate"), r#"{"action":"confirm"}"#).await;
    }
    let next = data(&next_event(&mut stream, &mut buf).await.unwrap());
    assert_eq!((next["status"].as_str(), next["confirmations"].as_u64()), (Some("confirming"), Some(11)));
}

#[tokio::test]
async fn eviction_ends_the_streams_of_the_evicted_payment() {
    let router = router(app(Limits { max_payments: 1, ..Limits::default() }), None);
    let a = create(&router, TRON).await;
    let res = send(&router, req("GET", &format!("/api/payments/{a}/events"), None, "")).await;
    let (mut stream, mut buf) = (res.into_body().into_data_stream(), String::new());
    assert!(next_event(&mut stream, &mut buf).await.is_some());
    create(&router, TRON).await;
    assert_eq!(next_event(&mut stream, &mut buf).await, None, "the stream ends");
    drop(stream);
    assert_eq!(call(&router, "GET", "/api/stats", "").await.1["event_streams"], 0);
}

// --- The payment routes ------------------------------------------------------------------

#[tokio::test]
async fn the_new_fields_and_actions_over_http() {
    let router = router(app(Limits::default()), None);
    let simulate = |id: &str, body: &'static str| {
        let (router, uri) = (router.clone(), format!("/api/payments/{id}/simulate"));
        async move { call(&router, "POST", &uri, body).await }
    };
    // A bitcoin payment with its invoice, paid and confirmed.
    let (status, created) = call(
        &router,
        "POST",
        "/api/payments",
        r#"{"amount": "0.0025", "currency": "BTC", "network": "bitcoin", "lightning": true,
            "confirmations_required": 1, "late_note": "Late payments are refunded."}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["lightning"].as_str().unwrap().starts_with("lnbc2500u1"), "{created}");
    assert_eq!(created["late_note"], "Late payments are refunded.");
    assert!(created.get("txids").is_none() && created.get("paid_at").is_none(), "{created}");
    let id = created["id"].as_str().unwrap();
    let (_, paying) = simulate(id, r#"{"action": "pay"}"#).await;
    assert_eq!((paying["status"].as_str(), paying["confirmations"].as_u64()), (Some("confirming"), Some(0)));
    assert_eq!(paying["txids"].as_array().map(Vec::len), Some(1));
    let (_, paid) = simulate(id, r#"{"action": "confirm"}"#).await;
    assert_eq!(paid["status"], "paid");
    assert!(paid["paid_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{paid}");
    let (_, read) = call(&router, "GET", &format!("/api/payments/{id}"), "").await;
    assert_eq!((&read["txids"], &read["paid_at"]), (&paid["txids"], &paid["paid_at"]));
    // `lightning` elsewhere, and a long `late_note`, name their field.
    for (body, field) in [
        r#"{"amount": "25", "currency": "USDT", "network": "tron", "lightning": true}"#.to_owned(),
        format!(
            r#"{{"amount": "25", "currency": "USDT", "network": "tron", "late_note": "{}"}}"#,
            "x".repeat(201)
        ),
    ]
    .iter()
    .zip(["lightning", "late_note"])
    {
        let (status, json) = call(&router, "POST", "/api/payments", body).await;
        assert_eq!((status, json["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{json}");
    }
    // Short, then expired, then paid late.
    let id = create(&router, TRON).await;
    let (status, json) = simulate(&id, r#"{"action": "pay_late"}"#).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    let (_, short) = simulate(&id, r#"{"action": "pay_short"}"#).await;
    assert_eq!((short["status"].as_str(), short["due"].as_str()), (Some("underpaid"), Some("0.25")));
    simulate(&id, r#"{"action": "expire"}"#).await;
    let (status, late) = simulate(&id, r#"{"action": "pay_late"}"#).await;
    assert_eq!(
        (status, late["status"].as_str(), late["due"].as_str()),
        (StatusCode::OK, Some("paid"), Some("0"))
    );
    assert_eq!(late["txids"].as_array().map(Vec::len), Some(2));
    assert!(late.get("late").is_none(), "the form derives lateness itself");
    for format in ["heleket", "nowpayments", "coingate"] {
        let (status, json) = call(&router, "GET", &format!("/api/payments/{id}?format={format}"), "").await;
        assert_eq!(status, StatusCode::OK, "{format}: {json}");
    }
    let (status, json) = simulate(&id, r#"{"action": "bogus"}"#).await;
    assert_eq!(status, StatusCode::CONFLICT, "paid is frozen: {json}");
    let id = create(&router, TRON).await;
    let (_, json) = simulate(&id, r#"{"action": "bogus"}"#).await;
    assert!(json["error"].as_str().unwrap().contains("pay_short, pay_late"), "{json}");
    let (_, json) = simulate(&id, r#"{}"#).await;
    assert!(json["error"].as_str().unwrap().contains("pay_late"), "{json}");
}

#[tokio::test]
async fn bank_payments_over_http() {
    use payform_core::backend::{builtin, Preset};
    let router = router(app(Limits::default()), None);
    let simulate = |id: &str, body: &'static str| {
        let (router, uri) = (router.clone(), format!("/api/payments/{id}/simulate"));
        async move { call(&router, "POST", &uri, body).await }
    };
    // Every bank network, and the codes a provider builds: created, read and validated by the
    // form's own reader, paid without confirmations.
    for (network, currency, payload) in crate::sim::BANK_CASES {
        let case = format!("{network} payload: {payload}");
        let body = json!({"amount": "42.50", "currency": currency, "network": network, "payload": payload});
        let (status, created) = call(&router, "POST", "/api/payments", &body.to_string()).await;
        assert_eq!(status, StatusCode::CREATED, "{case}: {created}");
        let id = created["id"].as_str().unwrap().to_owned();
        let res = send(&router, req("GET", &format!("/api/payments/{id}"), None, "")).await;
        let native = text(res).await;
        let payment =
            Preset::Payform.read(&native).unwrap().validate().unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(payment.bank.as_ref().map(|b| b.given), Some(payload || network == "duitnow"), "{case}");
        let (status, short) = simulate(&id, r#"{"action": "pay_short"}"#).await;
        if payload || network == "duitnow" {
            assert_eq!(
                (status, short["field"].as_str()),
                (StatusCode::BAD_REQUEST, Some("action")),
                "{case}"
            );
            assert!(short["error"].as_str().unwrap().contains("cannot be paid in part"), "{case}: {short}");
        } else {
            assert_eq!((status, short["status"].as_str()), (StatusCode::OK, Some("underpaid")), "{case}");
        }
        let (_, paid) = simulate(&id, r#"{"action": "pay"}"#).await;
        assert_eq!(paid["status"], "paid", "{case}: straight to paid");
        assert!(paid.get("txids").is_none(), "{case}: {paid}");
    }
    // The bank providers' formats, read back through their presets.
    for (body, format) in [
        (r#"{"amount": "100.00", "currency": "BRL", "network": "pix", "payload": true}"#, "mercadopago"),
        (
            r#"{"amount": "10.00", "currency": "EUR", "network": "sepa_epc", "beneficiary": "Stichting Mollie Payments"}"#,
            "mollie",
        ),
    ] {
        let id = create(&router, body).await;
        let res = send(&router, req("GET", &format!("/api/payments/{id}?format={format}"), None, "")).await;
        assert_eq!(res.status(), StatusCode::OK, "{format}");
        let written = text(res).await;
        let read = builtin(format).unwrap().read(&written).unwrap().validate();
        assert!(read.is_ok(), "{format}: {read:?}\n{written}");
    }
    // A format that cannot carry the payment says why.
    let id = create(&router, r#"{"amount": "10", "currency": "EUR", "network": "sepa_epc"}"#).await;
    let (status, json) = call(&router, "GET", &format!("/api/payments/{id}?format=coingate"), "").await;
    assert_eq!((status, json["field"].as_str()), (StatusCode::BAD_REQUEST, Some("format")), "{json}");
    assert!(json["error"].as_str().unwrap().contains("no field for beneficiary"), "{json}");
    // A bank network in the options.
    let body = r#"{"amount": "25", "currency": "USDT", "network": "tron", "confirmations_required": 19,
        "options": [{"currency": "EUR", "network": "sepa_epc", "amount": "23.10"},
            {"currency": "BRL", "network": "pix", "amount": "130.00", "payload": true}]}"#;
    let (status, created) = call(&router, "POST", "/api/payments", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let sibling = created["options"][1]["src"].as_str().unwrap().to_owned();
    let (_, sepa) = call(&router, "GET", &sibling, "").await;
    assert_eq!(
        (&sepa["network"], &sepa["rail"], &sepa["confirmations_required"]),
        (&json!("sepa_epc"), &json!("sepa_epc"), &json!(0))
    );
    // Refusals name their field.
    for (body, field) in [
        (r#"{"amount": "10", "currency": "EUR", "network": "sepa_epc", "payload": true}"#, "payload"),
        (
            r#"{"amount": "10", "currency": "EUR", "network": "sepa_epc", "confirmations_required": 1}"#,
            "confirmations_required",
        ),
        (r#"{"amount": "10.001", "currency": "EUR", "network": "sepa_epc"}"#, "amount"),
        (r#"{"amount": "25", "currency": "USDT", "network": "tron", "beneficiary": "Me"}"#, "beneficiary"),
    ] {
        let (status, json) = call(&router, "POST", "/api/payments", body).await;
        assert_eq!((status, json["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{json}");
    }
}

// --- CORS ---------------------------------------------------------------------------------

fn cors_router() -> Router {
    let mut origins = cors::Origins::default();
    origins.allow("https://shop.example").unwrap();
    let app = App::new(Limits::default(), origins);
    seed(&app);
    router(app, None)
}

#[tokio::test]
async fn safe_reads_allow_any_origin() {
    let router = cors_router();
    for uri in ["/api/stats", "/api/payments/demo", "/api/payments/demo?format=heleket"] {
        let res = send(&router, req("GET", uri, Some("https://evil.example"), "")).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(header_of(&res, "access-control-allow-origin"), Some("*"), "{uri}");
        assert_eq!(header_of(&res, "access-control-expose-headers"), Some("etag, retry-after, date"));
    }
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/payments/demo")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .body(Body::empty())
        .unwrap();
    let res = send(&router, preflight).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(header_of(&res, "access-control-allow-origin"), Some("*"));
    assert!(header_of(&res, "access-control-allow-headers").unwrap().contains("if-none-match"));
}

#[tokio::test]
async fn state_changes_only_from_loopback_or_allowed_origins() {
    let router = cors_router();
    let allowed =
        ["http://127.0.0.1:5555", "http://localhost:8080", "http://[::1]:9", "https://shop.example"];
    for origin in allowed {
        let res = send(&router, req("POST", "/api/payments", Some(origin), TRON)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{origin}");
        assert_eq!(header_of(&res, "access-control-allow-origin"), Some(origin));
        assert_eq!(header_of(&res, "vary"), Some("Origin"));
    }
    let refused =
        ["https://evil.example", "null", "http://localhost.evil.example:8080", "https://shop.example:444"];
    for origin in refused {
        let res = send(&router, req("POST", "/api/payments", Some(origin), TRON)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(header_of(&res, "access-control-allow-origin"), None, "{origin}");
        assert_eq!(header_of(&res, "vary"), Some("Origin"));
        assert_eq!(serde_json::from_str::<Value>(&text(res).await).unwrap()["field"], "origin");
    }
    // Without Origin (curl, Node, the tests): allowed, no CORS headers needed.
    let res = send(&router, req("POST", "/api/payments", None, TRON)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header_of(&res, "access-control-allow-origin"), None);
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert_eq!(stats["payments"], 1 + allowed.len() + 1, "no refused request created a payment");
}

#[tokio::test]
async fn refused_origins_change_nothing() {
    let router = cors_router();
    let evil = Some("https://evil.example");
    let res = send(&router, req("POST", "/api/payments/demo/simulate", evil, r#"{"action":"pay"}"#)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = send(&router, req("POST", "/api/faults", evil, r#"{"mode":"500","count":5}"#)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = send(&router, req("POST", "/api/script/x", evil, r#"{"replies":[]}"#)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = send(&router, req("POST", "/api/script/x/events", evil, r#"{"events":[]}"#)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, demo) = call(&router, "GET", "/api/payments/demo", "").await;
    assert_eq!(
        (status, demo["status"].as_str()),
        (StatusCode::OK, Some("awaiting_payment")),
        "no fault armed, not paid"
    );
    assert_eq!(call(&router, "GET", "/api/script/x/log", "").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn preflights_of_state_changes_follow_the_same_rule() {
    let router = cors_router();
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/payments/demo/simulate")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let ok = send(&router, preflight("http://127.0.0.1:41234")).await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(header_of(&ok, "access-control-allow-origin"), Some("http://127.0.0.1:41234"));
    assert_eq!(header_of(&ok, "access-control-allow-methods"), Some("GET, POST, OPTIONS"));
    assert_eq!(header_of(&ok, "access-control-allow-headers"), Some("content-type, accept"));
    assert_eq!(header_of(&ok, "vary"), Some("Origin"));
    let no = send(&router, preflight("https://evil.example")).await;
    assert_eq!(no.status(), StatusCode::FORBIDDEN);
    assert_eq!(header_of(&no, "access-control-allow-origin"), None);
    assert_eq!(header_of(&no, "access-control-allow-methods"), None);
    assert_eq!(header_of(&no, "vary"), Some("Origin"));
}

#[tokio::test]
async fn the_checkout_page_keeps_its_csp() {
    let dir = std::env::temp_dir().join(format!("devserver-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("checkout.html"), "<!doctype html>").unwrap();
    let router = router(app(Limits::default()), Some(dir.to_string_lossy().into_owned()));
    let res = send(&router, req("GET", "/checkout.html", None, "")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header_of(&res, "content-security-policy").unwrap().contains("frame-ancestors"));
    assert_eq!(header_of(&res, "access-control-allow-origin"), Some("*"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn static_files_are_served_precompressed_when_accepted() {
    let dir = std::env::temp_dir().join(format!("devserver-br-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x_bg.wasm"), b"\0asm plain").unwrap();
    std::fs::write(dir.join("x_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.join("x_bg.wasm.gz"), b"gzip bytes").unwrap();
    let router = router(app(Limits::default()), Some(dir.to_string_lossy().into_owned()));
    let get = |encoding: &'static str| {
        let mut r = Request::builder().uri("/x_bg.wasm");
        if !encoding.is_empty() {
            r = r.header(header::ACCEPT_ENCODING, encoding);
        }
        r.body(Body::empty()).unwrap()
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("", None, "\0asm plain"),
    ] {
        let res = send(&router, get(accept)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header_of(&res, "content-encoding"), encoding, "{accept}");
        assert_eq!(header_of(&res, "content-type"), Some("application/wasm"), "{accept}");
        let bytes = to_bytes(res.into_body(), usize::MAX).await.unwrap();
        assert_eq!(bytes, body.as_bytes(), "{accept}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn command_line_flags() {
    let args = |a: &[&str]| parse_args(a.iter().map(|s| s.to_string()), "127.0.0.1:8787".into());
    let c = args(&[
        "--max-payments",
        "5",
        "--allow-origin",
        "https://a.example",
        "--allow-origin",
        "http://b.example:8080",
    ])
    .unwrap();
    assert_eq!(c.limits.max_payments, 5);
    assert!(c.origins.allows("https://a.example") && c.origins.allows("http://b.example:8080"));
    assert!(!c.origins.allows("https://c.example"));
    assert_eq!(c.addr, "127.0.0.1:8787");
    assert_eq!(args(&[]).unwrap().limits.max_payments, 10_000);
    for bad in [
        &["--max-payments", "0"][..],
        &["--max-payments", "x"],
        &["--allow-origin", "*"],
        &["--allow-origin"],
        &["--nope"],
    ] {
        assert!(args(bad).is_err(), "{bad:?}");
    }
}

// --- The hostile backend ------------------------------------------------------------------

async fn script(router: &Router, id: &str, body: Value) -> (StatusCode, Value) {
    call(router, "POST", &format!("/api/script/{id}"), &body.to_string()).await
}

#[tokio::test]
async fn replies_come_in_order_then_the_last_again() {
    let router = router(app(Limits::default()), None);
    let body = json!({"replies": [
        {"status": 200, "body": "one", "headers": {"ETag": "\"1\""}},
        {"status": 429, "body": "two", "headers": {"Retry-After": "5"}},
        {"status": 503, "body": "three"},
    ]});
    assert_eq!(script(&router, "s1", body).await.0, StatusCode::OK);
    let mut got = Vec::new();
    for _ in 0..5 {
        let res = send(&router, req("GET", "/api/script/s1", None, "")).await;
        let (status, etag, retry) = (
            res.status().as_u16(),
            header_of(&res, "etag").map(str::to_owned),
            header_of(&res, "retry-after").map(str::to_owned),
        );
        got.push((status, text(res).await, etag, retry));
    }
    let want = |s: u16, b: &str, e: Option<&str>, r: Option<&str>| {
        (s, b.to_owned(), e.map(str::to_owned), r.map(str::to_owned))
    };
    assert_eq!(
        got,
        vec![
            want(200, "one", Some("\"1\""), None),
            want(429, "two", None, Some("5")),
            want(503, "three", None, None),
            want(503, "three", None, None),
            want(503, "three", None, None),
        ]
    );
}

#[tokio::test]
async fn without_repeat_last_the_script_runs_out() {
    let router = router(app(Limits::default()), None);
    script(&router, "s2", json!({"replies": [{"body": "{}"}], "repeat_last": false})).await;
    assert_eq!(call(&router, "GET", "/api/script/s2", "").await.0, StatusCode::OK);
    assert_eq!(call(&router, "GET", "/api/script/s2", "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&router, "GET", "/api/script/unknown", "").await.0, StatusCode::NOT_FOUND);
    // Posting again starts over, with a fresh log.
    script(&router, "s2", json!({"replies": [{"body": "again"}], "repeat_last": false})).await;
    let res = send(&router, req("GET", "/api/script/s2", None, "")).await;
    assert_eq!(text(res).await, "again");
    assert_eq!(call(&router, "GET", "/api/script/s2/log", "").await.1["gets"], 1);
}

#[tokio::test]
async fn bodies_and_headers_are_served_verbatim() {
    let router = router(app(Limits::default()), None);
    let dup = r#"{"status": "paid", "status": "expired", "amount": 1e999}"#;
    let body = json!({"replies": [
        {"body": dup, "headers": [["Content-Type", "application/json; charset=utf-8"], ["ETag", "\"a\""], ["ETag", "\"b\""]]},
        {"body": "{\"id\": \"pay_", "headers": {"Content-Type": null, "Date": "Mon, 01 Jan 2001 00:00:00 GMT"}},
        {"body_hex": "7b22ff fe"},
        {"body_hex": "7b22fffe7d"},
        {"status": 204},
    ]});
    let (status, json) = script(&router, "v", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a space is not a hex digit: {json}");
    let body = json!({"replies": [
        {"body": dup, "headers": [["Content-Type", "application/json; charset=utf-8"], ["ETag", "\"a\""], ["ETag", "\"b\""]]},
        {"body": "{\"id\": \"pay_", "headers": {"Content-Type": null, "Date": "Mon, 01 Jan 2001 00:00:00 GMT"}},
        {"body_hex": "7b22fffe7d"},
        {"status": 204},
    ]});
    assert_eq!(script(&router, "v", body).await.0, StatusCode::OK);
    let res = send(&router, req("GET", "/api/script/v", None, "")).await;
    let etags: Vec<_> =
        res.headers().get_all("etag").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert_eq!(etags, ["\"a\"", "\"b\""]);
    assert_eq!(header_of(&res, "content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(header_of(&res, "content-length"), Some(dup.len().to_string().as_str()));
    assert_eq!(text(res).await, dup);
    let res = send(&router, req("GET", "/api/script/v", None, "")).await;
    assert_eq!(header_of(&res, "content-type"), None, "no default Content-Type when it is null");
    assert_eq!(header_of(&res, "date"), Some("Mon, 01 Jan 2001 00:00:00 GMT"));
    assert_eq!(text(res).await, "{\"id\": \"pay_");
    let res = send(&router, req("GET", "/api/script/v", None, "")).await;
    assert_eq!(header_of(&res, "content-type"), Some("application/json"), "the default");
    assert_eq!(to_bytes(res.into_body(), usize::MAX).await.unwrap(), Bytes::from_static(b"{\"\xff\xfe}"));
    let res = send(&router, req("GET", "/api/script/v", None, "")).await;
    assert_eq!((res.status(), header_of(&res, "content-length")), (StatusCode::NO_CONTENT, None));
}

#[tokio::test]
async fn a_generated_body_has_its_exact_length_and_content() {
    let router = router(app(Limits::default()), None);
    let body = json!({"replies": [{"body_repeat": {"text": "[1,", "times": 2_500_000}, "chunks": 3}]});
    assert_eq!(script(&router, "big", body).await.0, StatusCode::OK);
    let res = send(&router, req("GET", "/api/script/big", None, "")).await;
    assert_eq!(header_of(&res, "content-length"), Some("7500000"));
    let bytes = to_bytes(res.into_body(), usize::MAX).await.unwrap();
    assert_eq!(bytes.len(), 7_500_000);
    assert!(bytes.chunks(3).all(|c| c == b"[1,"));
    let too_big = json!({"replies": [{"body_repeat": {"text": "0123456789", "times": 900_000}}]});
    let (status, json) = script(&router, "big", too_big).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert!(json["error"].as_str().unwrap().contains("replies[0].body_repeat"), "{json}");
}

#[tokio::test]
async fn a_slow_chunked_body_arrives_intact_in_its_pieces() {
    let router = router(app(Limits::default()), None);
    let text: String = (0..1000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    let body = json!({"replies": [{"body": text, "delay_ms": 150, "chunks": 4, "chunk_delay_ms": 80}]});
    script(&router, "slow", body).await;
    let start = Instant::now();
    let res = send(&router, req("GET", "/api/script/slow", None, "")).await;
    let headers_at = start.elapsed();
    assert!(headers_at >= Duration::from_millis(150), "the headers wait delay_ms: {headers_at:?}");
    let mut stream = res.into_body().into_data_stream();
    let mut pieces = Vec::new();
    while let Some(frame) = stream.next().await {
        pieces.push((frame.unwrap(), start.elapsed()));
    }
    let lens: Vec<usize> = pieces.iter().map(|(b, _)| b.len()).collect();
    assert_eq!(lens, [250, 250, 250, 250]);
    let whole: Vec<u8> = pieces.iter().flat_map(|(b, _)| b.to_vec()).collect();
    assert_eq!(whole, text.as_bytes());
    for pair in pieces.windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= Duration::from_millis(70),
            "chunk_delay_ms between pieces: {:?}",
            pair[1].1 - pair[0].1
        );
    }
}

/// Serves `router` on a loopback port; returns the address.
async fn serve(router: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// A raw HTTP/1.1 GET (the connection closed after it): everything the server sent.
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await.unwrap();
    assert!(read.is_ok() || !out.is_empty(), "{read:?}");
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn a_wrong_content_length_is_sent_as_given() {
    let router = router(app(Limits::default()), None);
    let body = json!({"replies": [
        {"body": "{\"a\": 1}", "content_length": 100},
        {"body": "{\"a\": 1} and more", "content_length": 8},
        {"body": "{\"a\": 1}", "content_length": "chunked", "chunks": 2},
    ]});
    script(&router, "len", body).await;
    let addr = serve(router).await;
    // Longer than the body: the headers and the short body, then the connection closes.
    let short = raw_get(addr, "/api/script/len").await;
    assert!(short.starts_with("HTTP/1.1 200 OK\r\n"), "{short}");
    assert!(short.contains("\r\ncontent-length: 100\r\n"), "{short}");
    assert!(short.ends_with("\r\n\r\n{\"a\": 1}"), "{short}");
    // Shorter: hyper sends only the declared bytes.
    let cut = raw_get(addr, "/api/script/len").await;
    assert!(cut.contains("\r\ncontent-length: 8\r\n"), "{cut}");
    assert!(cut.ends_with("\r\n\r\n{\"a\": 1}"), "{cut}");
    let chunked = raw_get(addr, "/api/script/len").await;
    assert!(chunked.contains("\r\ntransfer-encoding: chunked\r\n"), "{chunked}");
    assert!(!chunked.contains("content-length"), "{chunked}");
    assert!(chunked.ends_with("\r\n\r\n4\r\n{\"a\"\r\n4\r\n: 1}\r\n0\r\n\r\n"), "{chunked}");
}

#[tokio::test]
async fn every_get_is_logged_with_its_time_and_headers() {
    let router = router(app(Limits::default()), None);
    script(&router, "log", json!({"replies": [{"body": "a"}, {"body": "b"}], "repeat_last": false})).await;
    let before = now_ms();
    let r1 = Request::get("/api/script/log")
        .header("if-none-match", "\"v1\"")
        .header("cache-control", "no-cache")
        .body(Body::empty())
        .unwrap();
    send(&router, r1).await;
    let r2 =
        Request::get("/api/script/log").header("origin", "http://127.0.0.1:9").body(Body::empty()).unwrap();
    send(&router, r2).await;
    send(&router, req("GET", "/api/script/log", None, "")).await;
    let after = now_ms();
    let (status, log) = call(&router, "GET", "/api/script/log/log", "").await;
    assert_eq!(status, StatusCode::OK);
    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3);
    let at: Vec<i64> = requests.iter().map(|r| r["at_ms"].as_i64().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]) && at[0] >= before && at[2] <= after, "{at:?}");
    assert_eq!(requests[0]["if_none_match"], "\"v1\"");
    assert_eq!(requests[0]["cache_control"], "no-cache");
    assert_eq!(requests[0]["origin"], Value::Null);
    assert_eq!(requests[1]["if_none_match"], Value::Null);
    assert_eq!(requests[1]["origin"], "http://127.0.0.1:9");
    let replies: Vec<&Value> = requests.iter().map(|r| &r["reply"]).collect();
    assert_eq!(replies, [&json!(0), &json!(1), &Value::Null], "which reply each GET got (null: none left)");
    assert_eq!((log["gets"].as_u64(), log["dropped"].as_u64()), (Some(3), Some(0)));
}

#[tokio::test]
async fn scripted_events_stream_in_order_and_are_counted() {
    let limits = Limits {
        scripts: script::Limits { streams_per_script: 2, ..script::Limits::default() },
        ..Limits::default()
    };
    let router = router(app(limits), None);
    let body = json!({
        "events": [
            {"event": "payment", "data": "{\"status\": \"paid\"}", "id": "1"},
            {"event": "payment", "data": "line one\nline two", "delay_ms": 100},
            {"raw": "data: {\"half\": ", "delay_ms": 50},
            {"event": "payment", "data_repeat": {"text": "x", "times": 200_000}},
        ],
        "raw": ": bye\n\n",
        "hold_open": true,
    });
    let (status, json) = call(&router, "POST", "/api/script/ev/events", &body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let start = Instant::now();
    let res = send(
        &router,
        Request::get("/api/script/ev/events").header("last-event-id", "0").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header_of(&res, "content-type"), Some("text/event-stream"));
    assert_eq!(header_of(&res, "access-control-allow-origin"), Some("*"));
    let mut stream = res.into_body().into_data_stream();
    let mut got = Vec::new();
    let head = "event: payment\nid: 1\ndata: {\"status\": \"paid\"}\n\nevent: payment\ndata: line one\ndata: line two\n\ndata: {\"half\": ";
    let want_len = head.len() + "event: payment\ndata: ".len() + 200_000 + "\n\n".len() + ": bye\n\n".len();
    while got.len() < want_len {
        let frame =
            tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        got.extend_from_slice(&frame);
    }
    assert!(start.elapsed() >= Duration::from_millis(150), "the delays: {:?}", start.elapsed());
    let got = String::from_utf8(got).unwrap();
    assert_eq!(got.len(), want_len);
    assert_eq!(&got[..head.len()], head);
    assert!(got[head.len()..].starts_with("event: payment\ndata: xxx"));
    assert!(got.ends_with("xxx\n\n: bye\n\n"));
    // Held open: nothing more, and no end.
    assert!(tokio::time::timeout(Duration::from_millis(100), stream.next()).await.is_err());
    let second = send(&router, req("GET", "/api/script/ev/events", None, "")).await;
    let third = send(&router, req("GET", "/api/script/ev/events", None, "")).await;
    assert_eq!((second.status(), third.status()), (StatusCode::OK, StatusCode::TOO_MANY_REQUESTS));
    let (_, log) = call(&router, "GET", "/api/script/ev/log", "").await;
    assert_eq!((log["streams_open"].as_u64(), log["streams_total"].as_u64()), (Some(2), Some(2)), "{log}");
    assert_eq!(log["stream_requests"][0]["last_event_id"], "0");
    drop((stream, second));
    let (_, log) = call(&router, "GET", "/api/script/ev/log", "").await;
    assert_eq!((log["streams_open"].as_u64(), log["streams_total"].as_u64()), (Some(0), Some(2)), "{log}");
}

#[tokio::test]
async fn a_stream_not_held_open_ends() {
    let router = router(app(Limits::default()), None);
    let body = json!({"events": [{"event": "payment", "data": "{}"}], "hold_open": false});
    call(&router, "POST", "/api/script/end/events", &body.to_string()).await;
    let res = send(&router, req("GET", "/api/script/end/events", None, "")).await;
    let all = tokio::time::timeout(Duration::from_secs(5), text(res)).await.unwrap();
    assert_eq!(all, "event: payment\ndata: {}\n\n");
    assert_eq!(call(&router, "GET", "/api/script/nope/events", "").await.0, StatusCode::NOT_FOUND);
    script(&router, "replies_only", json!({"replies": []})).await;
    assert_eq!(call(&router, "GET", "/api/script/replies_only/events", "").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_scripted_reply_may_set_or_drop_its_own_cors() {
    let router = router(app(Limits::default()), None);
    let body = json!({"replies": [
        {"body": "{}", "headers": {"Access-Control-Allow-Origin": null}},
        {"body": "{}", "headers": {"Access-Control-Allow-Origin": "https://other.example"}},
        {"body": "{}"},
    ]});
    script(&router, "cors", body).await;
    let get = || send(&router, req("GET", "/api/script/cors", Some("http://127.0.0.1:1"), ""));
    let (a, b, c) = (get().await, get().await, get().await);
    assert_eq!(header_of(&a, "access-control-allow-origin"), None);
    assert_eq!(header_of(&b, "access-control-allow-origin"), Some("https://other.example"));
    assert_eq!(header_of(&c, "access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn scripts_are_bounded() {
    let limits = Limits {
        scripts: script::Limits { max_scripts: 2, max_replies: 3, ..script::Limits::default() },
        ..Limits::default()
    };
    let router = router(app(limits), None);
    let one = json!({"replies": [{"body": "{}"}]});
    for id in ["a", "b", "c"] {
        assert_eq!(script(&router, id, one.clone()).await.0, StatusCode::OK);
    }
    assert_eq!(
        call(&router, "GET", "/api/script/a", "").await.0,
        StatusCode::NOT_FOUND,
        "the oldest is evicted"
    );
    assert_eq!(call(&router, "GET", "/api/script/c", "").await.0, StatusCode::OK);
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert_eq!(
        (stats["scripts"]["count"].as_u64(), stats["scripts"]["evicted"].as_u64()),
        (Some(2), Some(1))
    );
    let four = json!({"replies": [{}, {}, {}, {}]});
    assert_eq!(script(&router, "b", four).await.0, StatusCode::BAD_REQUEST);
    let bad_replies = [
        json!({"replies": [{"status": 199}]}),
        json!({"replies": [{"status": "200"}]}),
        json!({"replies": [{"headers": {"Transfer-Encoding": "chunked"}}]}),
        json!({"replies": [{"headers": {"Content-Length": "5"}}]}),
        json!({"replies": [{"headers": {"X-Bad": "a\r\nb"}}]}),
        json!({"replies": [{"headers": {"bad name": "x"}}]}),
        json!({"replies": [{"body": "a", "body_hex": "62"}]}),
        json!({"replies": [{"chunks": 0}]}),
        json!({"replies": [{"delay_ms": 600_001}]}),
        json!({"replies": [{"content_length": -1}]}),
        json!({"replies": "no"}),
        json!({"replies": [], "repeat_last": "yes"}),
    ];
    for body in bad_replies {
        assert_eq!(script(&router, "b", body.clone()).await.0, StatusCode::BAD_REQUEST, "{body}");
    }
    let bad_events = [
        json!({"events": [{"event": "a\nb", "data": "x"}]}),
        json!({"events": [{"event": "payment"}]}),
        json!({"events": [{"raw": "x", "data": "y"}]}),
        json!({"events": [{"data_repeat": {"text": "a\nb", "times": 2}}]}),
        json!({"events": [{"data": "x"}], "hold_open": 1}),
    ];
    for body in bad_events {
        let (status, _) = call(&router, "POST", "/api/script/b/events", &body.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(script(&router, "bad%20id", one.clone()).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(script(&router, &"x".repeat(65), one).await.0, StatusCode::BAD_REQUEST);
    let huge = format!(r#"{{"replies": [{{"body": "{}"}}]}}"#, "x".repeat(script::BODY_LIMIT));
    assert_eq!(call(&router, "POST", "/api/script/b", &huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_script_budget_evicts_the_oldest() {
    let limits = Limits {
        scripts: script::Limits { max_bytes: 350_000, ..script::Limits::default() },
        ..Limits::default()
    };
    let router = router(app(limits), None);
    let body = json!({"replies": [{"body": "x".repeat(100_000)}]});
    for id in ["a", "b", "c", "d"] {
        assert_eq!(script(&router, id, body.clone()).await.0, StatusCode::OK);
    }
    assert_eq!(call(&router, "GET", "/api/script/a/log", "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&router, "GET", "/api/script/b/log", "").await.0, StatusCode::OK);
    let (_, stats) = call(&router, "GET", "/api/stats", "").await;
    assert!(stats["scripts"]["bytes"].as_u64().unwrap() <= 350_000, "{stats}");
}
