//! Payform's devserver: the simulated payment provider of DESIGN.md, in memory.
//!
//! Routes: create / get (with ETag) / server-sent events / simulate per payment, fault
//! injection for the next GETs, and (with `--static DIR`) the built demo pages on the same
//! origin. Every response allows cross-origin reads (the browser tests run on another port).
//!
//! Usage: `devserver [--addr 127.0.0.1:8787] [--static dist]`

mod addresses;
mod formats;
mod sim;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use sim::{NewPayment, Rejection, SimPayment};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// A fault armed by `POST /api/faults` for the next `remaining` GETs of a payment.
#[derive(Debug, Clone, PartialEq)]
enum Fault {
    ServerError,
    RateLimited { retry_after_s: u64 },
    Slow { delay_ms: u64 },
    Malformed,
    Drop,
}

#[derive(Default)]
struct Inner {
    payments: HashMap<String, SimPayment>,
    fault: Option<(Fault, u32)>,
    next_id: u64,
    /// GETs of payments served, for tests that check a destroyed form stopped polling.
    gets: u64,
    gets_by_payment: HashMap<String, u64>,
}

#[derive(Clone)]
struct App {
    inner: Arc<Mutex<Inner>>,
    /// Payment ids, sent whenever a payment changes (for the SSE streams).
    changes: broadcast::Sender<String>,
}

impl App {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock would poison it; the data is still consistent
        // (every mutation is a single assignment), so keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn error(status: u16, field: Option<&str>, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (code, axum::Json(json!({"error": message, "field": field}))).into_response()
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        error(self.status, self.field, &self.message)
    }
}

fn read_body(body: &str) -> Result<Value, Rejection> {
    serde_json::from_str(body).map_err(|e| Rejection {
        status: 400,
        field: Some("body"),
        message: format!("the body is not valid JSON: {e}"),
    })
}

async fn create(State(app): State<App>, body: String) -> Response {
    let body = match read_body(&body) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let now = now_ms();
    let mut inner = app.lock();
    inner.next_id += 1;
    let id = format!("pay_{:x}{:04}", now, inner.next_id);
    let mut seed = addresses::Seed(now as u64 ^ inner.next_id.rotate_left(32));
    // The payment itself, then one sibling per option (each with its own address and status).
    let bodies = match sim::option_bodies(&body) {
        Ok(extra) => std::iter::once(body.clone()).chain(extra).collect::<Vec<_>>(),
        Err(r) => return r.into_response(),
    };
    let mut built = Vec::new();
    for (n, b) in bodies.iter().enumerate() {
        let pid = if n == 0 { id.clone() } else { format!("{id}_{n}") };
        match (NewPayment { body: b }).build(pid, now, |net| Ok(addresses::generate(net, &mut seed))) {
            Ok(p) => built.push(p),
            Err(mut r) => {
                if n > 0 {
                    r.message = format!("options[{}]: {}", n - 1, r.message);
                }
                return r.into_response();
            }
        }
    }
    if built.len() > 1 {
        let list: Vec<(String, String, String)> = built
            .iter()
            .map(|p| (p.asset.currency.to_owned(), p.asset.network.id().to_owned(), p.id.clone()))
            .collect();
        built.iter_mut().for_each(|p| p.options = list.clone());
    }
    let json = built[0].to_native(now);
    for p in built {
        inner.payments.insert(p.id.clone(), p);
    }
    (StatusCode::CREATED, axum::Json(json)).into_response()
}

/// Applies expiry and returns the payment, or a 404 naming the id.
fn current(app: &App, id: &str) -> Result<SimPayment, Rejection> {
    let mut inner = app.lock();
    let Some(p) = inner.payments.get_mut(id) else {
        return Err(Rejection { status: 404, field: None, message: format!("no payment with id {id:?}") });
    };
    if p.tick(now_ms()) {
        let _ = app.changes.send(id.to_owned());
    }
    Ok(p.clone())
}

async fn get_payment(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let fault = {
        let mut inner = app.lock();
        inner.gets += 1;
        *inner.gets_by_payment.entry(id.clone()).or_default() += 1;
        match inner.fault.take() {
            Some((f, n)) => {
                if n > 1 {
                    inner.fault = Some((f.clone(), n - 1));
                }
                Some(f)
            }
            None => None,
        }
    };
    match fault {
        Some(Fault::ServerError) => return error(500, None, "simulated server error"),
        Some(Fault::RateLimited { retry_after_s }) => {
            let mut r = error(429, None, "simulated rate limit");
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
            return r;
        }
        Some(Fault::Malformed) => {
            return ([(header::CONTENT_TYPE, "application/json")], "{\"id\": \"pay_").into_response();
        }
        Some(Fault::Drop) => {
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::other("simulated dropped connection"))
            });
            return Response::new(Body::from_stream(broken));
        }
        Some(Fault::Slow { delay_ms }) => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        None => {}
    }
    let p = match current(&app, &id) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let format = query.get("format").map_or("payform", String::as_str);
    let body = match formats::render(&p, now_ms(), format) {
        Ok(body) => body,
        Err(message) => return error(400, Some("format"), &message),
    };
    let etag = format!("{}-{format}\"", p.etag().trim_end_matches('"'));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    ([(header::ETAG, etag), (header::CACHE_CONTROL, "no-cache".into())], axum::Json(body)).into_response()
}

async fn events(State(app): State<App>, Path(id): Path<String>) -> Response {
    let first = match current(&app, &id) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let rx = app.changes.subscribe();
    let snapshot = |p: &SimPayment| Event::default().event("payment").data(p.to_native(now_ms()).to_string());
    let start =
        futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(snapshot(&first))));
    let app2 = app.clone();
    let updates = futures_util::stream::unfold(rx, move |mut rx| {
        let (app, id) = (app2.clone(), id.clone());
        async move {
            loop {
                match rx.recv().await {
                    Ok(changed) if changed == id => {
                        let p = app.lock().payments.get(&id).cloned()?;
                        return Some((Ok(snapshot(&p)), rx));
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    });
    use futures_util::StreamExt;
    Sse::new(start.chain(updates)).keep_alive(KeepAlive::default()).into_response()
}

async fn simulate(State(app): State<App>, Path(id): Path<String>, body: String) -> Response {
    let body = match read_body(&body) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let Some(action) = body.get("action").and_then(Value::as_str) else {
        return error(
            400,
            Some("action"),
            &format!("`action` is required: one of {}", sim::ACTIONS.join(", ")),
        );
    };
    let amount = match body.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return error(400, Some("amount"), "`amount` must be a decimal string"),
    };
    let now = now_ms();
    let mut inner = app.lock();
    let Some(p) = inner.payments.get_mut(&id) else {
        return error(404, None, &format!("no payment with id {id:?}"));
    };
    p.tick(now);
    match p.simulate(action, amount) {
        Ok(()) => {
            let json = p.to_native(now);
            let _ = app.changes.send(id);
            axum::Json(json).into_response()
        }
        Err(r) => r.into_response(),
    }
}

async fn faults(State(app): State<App>, body: String) -> Response {
    let body = match read_body(&body) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let count = match body.get("count") {
        None | Some(Value::Null) => 1,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=1000) => n as u32,
            _ => return error(400, Some("count"), "`count` must be a whole number from 1 to 1000"),
        },
    };
    let num = |key: &str, default: u64| body.get(key).and_then(Value::as_u64).unwrap_or(default);
    let fault = match body.get("mode").and_then(Value::as_str) {
        Some("none") => None,
        Some("500") => Some(Fault::ServerError),
        Some("429") => Some(Fault::RateLimited { retry_after_s: num("retry_after", 30) }),
        Some("slow") => Some(Fault::Slow { delay_ms: num("delay_ms", 15_000) }),
        Some("malformed") => Some(Fault::Malformed),
        Some("drop") => Some(Fault::Drop),
        _ => return error(400, Some("mode"), "`mode` must be one of 500, 429, slow, malformed, drop, none"),
    };
    app.lock().fault = fault.map(|f| (f, count));
    axum::Json(json!({"mode": body.get("mode"), "count": count})).into_response()
}

async fn stats(State(app): State<App>) -> Response {
    let inner = app.lock();
    axum::Json(json!({
        "gets": inner.gets,
        "payments": inner.payments.len(),
        "by_payment": inner.gets_by_payment,
    }))
    .into_response()
}

/// Who may frame the hosted checkout (`--frame-ancestors`, CSP syntax).
static FRAME_ANCESTORS: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The strict policy the hosted checkout page is served with: no inline script, no eval, only
/// its own files, and framing only by the allowed shops.
fn checkout_csp() -> String {
    let ancestors = FRAME_ANCESTORS.get().map_or("'self'", String::as_str);
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; frame-ancestors {ancestors}"
    )
}

/// Lets pages on other origins (the browser tests, merchant dev pages) read the API, and puts
/// the strict CSP on the hosted checkout page.
async fn cors(req: Request<Body>, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let checkout_page = req.uri().path().ends_with("/checkout.html");
    let mut res = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(req).await };
    let h = res.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert("access-control-allow-headers", HeaderValue::from_static("content-type, if-none-match, accept"));
    h.insert("access-control-expose-headers", HeaderValue::from_static("etag, retry-after, date"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    if checkout_page {
        if let Ok(v) = HeaderValue::from_str(&checkout_csp()) {
            h.insert("content-security-policy", v);
        }
    }
    res
}

fn router(app: App, static_dir: Option<String>) -> Router {
    let api = Router::new()
        .route("/api/payments", post(create))
        .route("/api/payments/{id}", get(get_payment))
        .route("/api/payments/{id}/events", get(events))
        .route("/api/payments/{id}/simulate", post(simulate))
        .route("/api/faults", post(faults))
        .route("/api/stats", get(stats))
        .with_state(app);
    let api = match static_dir {
        Some(dir) => api.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => api,
    };
    api.layer(middleware::from_fn(cors))
}

fn seed(app: &App) {
    let body = json!({
        "amount": "25.00", "currency": "USDT", "network": "tron",
        "fiat": {"amount": "25.00", "currency": "USD"},
        "description": "Order #1042", "expires_in": 7 * 86_400,
    });
    let now = now_ms();
    let mut p = NewPayment { body: &body }
        .build("demo".into(), now, |_| Ok("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into()))
        .expect("the seed payment is valid");
    p.merchant = "Example Store".into();
    app.lock().payments.insert("demo".into(), p);
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut addr = std::env::var("PAYFORM_DEVSERVER_ADDR").unwrap_or_else(|_| "127.0.0.1:8787".into());
    let mut static_dir = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().unwrap_or(addr),
            "--static" => static_dir = args.next(),
            "--frame-ancestors" => {
                let _ = FRAME_ANCESTORS.set(args.next().unwrap_or_else(|| "'self'".into()));
            }
            other => {
                eprintln!("devserver: unknown argument {other:?}\nusage: devserver [--addr HOST:PORT] [--static DIR] [--frame-ancestors 'self' https://shop.example]");
                std::process::exit(2);
            }
        }
    }
    // By default any local port may frame the checkout (the demo, the examples, the tests).
    let _ = FRAME_ANCESTORS.set("'self' http://127.0.0.1:* http://localhost:*".into());
    let (changes, _) = broadcast::channel(256);
    let app = App { inner: Arc::default(), changes };
    seed(&app);
    // Expire payments on time even when nobody polls, so push streams hear it too.
    let ticker = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            every.tick().await;
            let now = now_ms();
            let expired: Vec<String> = {
                let mut inner = ticker.lock();
                inner.payments.values_mut().filter_map(|p| p.tick(now).then(|| p.id.clone())).collect()
            };
            for id in expired {
                let _ = ticker.changes.send(id);
            }
        }
    });
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devserver: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("devserver: simulated payment provider on http://{addr} (demo payment: /api/payments/demo)");
    if let Err(e) = axum::serve(listener, router(app, static_dir)).await {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}
