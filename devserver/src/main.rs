//! Payform's devserver: the simulated payment provider of DESIGN.md, in memory, for `make dev`,
//! the browser tests and the end-to-end tests. Not for production (by default it listens on
//! loopback only).
//!
//! Usage: `devserver [--addr 127.0.0.1:8787] [--static DIR] [--max-payments 10000]
//! [--allow-origin https://shop.example]… [--frame-ancestors "'self' https://shop.example"]
//! [--chain-rpc http://127.0.0.1:8545 [--chain-poll-ms 250]]`
//!
//! Payments (README.md, "The devserver"):
//! - `POST /api/payments` creates a payment (and one sibling per `options` entry) → 201. On a
//!   bank network (`sepa_epc`, `swiss_qr`, `pix`, `paynow`, `promptpay`, `duitnow`, `upi`, in
//!   its currency, at most 2 decimals) the payment has a valid account and its rail fields
//!   (`rail`, `beneficiary`, `bic`, `reference`, the creditor's address; [`bank`]);
//!   `"payload": true` (`pix`, `paynow`, `promptpay`; `duitnow` always is one) makes `address`
//!   the whole code a provider builds, for the amount; `beneficiary` replaces the default
//!   account holder. No `lightning` and no `confirmations_required` there.
//! - `GET /api/payments/{id}[?format=<preset>]`, with `ETag` / 304 on `If-None-Match`; a format
//!   that cannot carry the payment (a crypto provider's for a SEPA transfer, `mollie`'s for
//!   another account holder than its own) is a 400 saying why.
//! - `GET /api/payments/{id}/events`: Server-Sent Events, a `payment` snapshot now and on
//!   every change.
//! - `POST /api/payments/{id}/simulate` `{action, amount?}`, action one of [`sim::ACTIONS`]
//!   (`pay_short`: what is due less a 1 % exchange fee; `pay_late`: an expired payment paid in
//!   full after the deadline, the one action besides `refund` a final status accepts). A bank
//!   payment is paid without confirmations or transaction ids; one whose `address` is a whole
//!   code cannot be paid in part (`pay_partial`, `pay_short` or a short `amount`: 400).
//! - `POST /api/faults` `{mode, count?, retry_after?, delay_ms?}`: the next GETs of payments
//!   fail that way.
//! - `GET /api/stats`: `{gets, by_payment: {id: gets}, payments, evicted, max_payments,
//!   event_streams, scripts: {count, evicted, bytes, streams_open}}`.
//!
//! The hostile backend, for the security tests ([`script`]):
//! - `POST /api/script/{id}` stores replies; `GET /api/script/{id}` serves them in order,
//!   verbatim (status, headers, raw body; delays, a slow chunked body, a wrong
//!   `Content-Length`).
//! - `POST /api/script/{id}/events` stores an event stream; `GET /api/script/{id}/events`
//!   serves it as `text/event-stream`.
//! - `GET /api/script/{id}/log`: every GET of the script (arrival time, `If-None-Match`,
//!   `Cache-Control`, `Origin`) and its open/total streams.
//!
//! The chain watcher ([`chain`]): with `--chain-rpc URL` (plain `http://`, at most 2,048
//! bytes; `--chain-poll-ms` from 50 to 10,000, default 250) the node is asked `eth_chainId` at
//! startup (the devserver exits if it does not answer), and payments created afterwards on an
//! EVM network of that chain id are watched from the block after the head: a successful
//! transaction to the address (native coin), or a `Transfer` log of the network's token
//! contract to it, is received as `simulate pay` with that amount would be, under its real
//! transaction hash, and `confirmations` follow the head (head − block + 1) up to
//! `confirmations_required`, where the payment settles. `GET /api/chain`: `{rpc_url, chain_id,
//! networks, head, scanned, watched, poll_ms}`, or 404 without `--chain-rpc`.
//!
//! With `--static DIR`, other paths serve DIR (the built demo, `checkout.html` with a strict
//! CSP, `examples/`) on the same origin.
//!
//! Bounds: at most `--max-payments` (10,000) created payments are kept, the oldest evicted
//! first with their counters and open event streams (the seeded `demo` is kept); 16 event
//! streams per payment and 1,024 in all (429 beyond); a stream that falls behind the change
//! feed skips to the payment's current state. Request bodies: 16 KiB for payments, 1 MiB for
//! scripts; at most 1,000 scripts (64 MiB in all, the oldest evicted), 1,000 replies or events
//! each, 8 MiB per generated body, 16 streams per script (256 in all), 1,000 log entries per
//! script.
//!
//! CORS ([`cors`]): safe reads (`GET`/`HEAD`: payments, events, stats, script replies and
//! logs, static files) answer `Access-Control-Allow-Origin: *`. Requests that change state
//! (every `POST`, and any method but `GET`/`HEAD`/`OPTIONS`) reflect the `Origin`, with `Vary: Origin`, only for loopback origins
//! (`http://127.0.0.1:<port>`, `http://localhost:<port>`, `http://[::1]:<port>`) and those
//! given with `--allow-origin`; with any other `Origin` they are refused with 403 (their
//! preflight too). Requests without `Origin` (curl, Node) pass.

mod addresses;
mod bank;
mod chain;
mod cors;
mod formats;
mod script;
mod sim;
#[cfg(test)]
mod tests;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use sim::{NewPayment, Rejection, SimPayment};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The largest body of the payment routes (create, simulate, faults).
const PAYMENT_BODY_LIMIT: usize = 16 * 1024;

/// How much the devserver keeps and serves at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Created payments kept in memory (`--max-payments`); the oldest are evicted.
    pub max_payments: usize,
    /// Concurrent event streams of one payment.
    pub sse_per_payment: usize,
    /// Concurrent event streams of all payments.
    pub sse_total: usize,
    pub scripts: script::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_payments: 10_000,
            sse_per_payment: 16,
            sse_total: 1024,
            scripts: script::Limits::default(),
        }
    }
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
    /// The created payments, oldest first, for eviction (the seeded `demo` is not here).
    order: VecDeque<String>,
    /// Payments evicted so far.
    evicted: u64,
    fault: Option<(Fault, u32)>,
    next_id: u64,
    /// GETs of payments served, for tests that check a destroyed form stopped polling.
    gets: u64,
    /// GETs per payment kept in memory (evicted with the payment).
    gets_by_payment: HashMap<String, u64>,
    /// Open event streams per payment, and in all.
    sse: HashMap<String, usize>,
    sse_open: usize,
    /// The payments the chain watcher watches (`--chain-rpc`; empty without).
    chain: chain::Watcher,
}

impl Inner {
    /// Keeps `batch`, then evicts the oldest created payments beyond `max`; returns their ids.
    fn insert(&mut self, batch: Vec<SimPayment>, max: usize) -> Vec<String> {
        for p in batch {
            self.order.push_back(p.id.clone());
            self.payments.insert(p.id.clone(), p);
        }
        let mut evicted = Vec::new();
        while self.order.len() > max {
            let Some(id) = self.order.pop_front() else { break };
            self.payments.remove(&id);
            self.gets_by_payment.remove(&id);
            self.chain.forget(&id);
            self.evicted += 1;
            evicted.push(id);
        }
        evicted
    }
}

#[derive(Clone)]
pub struct App {
    inner: Arc<Mutex<Inner>>,
    /// Payment ids, sent whenever a payment changes or is evicted (for the SSE streams).
    changes: broadcast::Sender<String>,
    limits: Limits,
    origins: Arc<cors::Origins>,
    scripts: Arc<Mutex<script::Store>>,
    /// The node watched with `--chain-rpc` ([`chain`]), if any.
    chain: Option<Arc<chain::Node>>,
}

/// Locks a mutex whose data stays consistent even if a holder panicked (every mutation is
/// a few assignments), so the devserver keeps serving.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    fn new(limits: Limits, origins: cors::Origins) -> App {
        App::with_feed(limits, origins, 256)
    }

    /// `feed`: how many changes the broadcast channel holds for a stream that falls behind.
    fn with_feed(limits: Limits, origins: cors::Origins, feed: usize) -> App {
        let (changes, _) = broadcast::channel(feed);
        App {
            inner: Arc::default(),
            changes,
            limits,
            origins: Arc::new(origins),
            scripts: Arc::default(),
            chain: None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Takes one of the payment's event-stream slots, or says why not (a 429).
    fn open_sse(&self, id: &str) -> Result<SseSlot, String> {
        let mut inner = self.lock();
        let open = inner.sse.get(id).copied().unwrap_or(0);
        if open >= self.limits.sse_per_payment {
            return Err(format!(
                "payment {id:?} already has {open} open event streams, the most the devserver allows; close one"
            ));
        }
        if inner.sse_open >= self.limits.sse_total {
            return Err(format!(
                "{} event streams are open, the most the devserver allows; close some",
                inner.sse_open
            ));
        }
        *inner.sse.entry(id.to_owned()).or_default() += 1;
        inner.sse_open += 1;
        Ok(SseSlot { inner: self.inner.clone(), id: id.to_owned() })
    }
}

/// An open event stream of a payment; dropping it (the client left, or the stream ended)
/// frees the slot.
struct SseSlot {
    inner: Arc<Mutex<Inner>>,
    id: String,
}

impl Drop for SseSlot {
    fn drop(&mut self) {
        let mut inner = lock(&self.inner);
        inner.sse_open = inner.sse_open.saturating_sub(1);
        if let Some(n) = inner.sse.get_mut(&self.id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                inner.sse.remove(&self.id);
            }
        }
    }
}

fn error(status: u16, field: Option<&str>, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (code, axum::Json(json!({"error": message, "field": field}))).into_response()
}

/// 429 with `Retry-After: 1`.
fn too_many(message: &str) -> Response {
    let mut r = error(429, None, message);
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(1));
    r
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
    if bodies.len() > app.limits.max_payments {
        return error(
            400,
            Some("options"),
            &format!(
                "this payment and its options are {} payments, more than the {} the devserver keeps (--max-payments)",
                bodies.len(),
                app.limits.max_payments
            ),
        );
    }
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
    chain::watch_new(&app, &mut inner, &built);
    let evicted = inner.insert(built, app.limits.max_payments);
    drop(inner);
    // The streams of an evicted payment hear of it and end.
    for id in evicted {
        let _ = app.changes.send(id);
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
        // Only payments in memory are counted one by one, so unknown ids cannot grow the map.
        if inner.payments.contains_key(&id) {
            *inner.gets_by_payment.entry(id.clone()).or_default() += 1;
        }
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

/// A snapshot now, then one on every change. Each stream reads the change feed (a bounded
/// broadcast channel) at its own pace: one that falls behind (`Lagged`) may have missed a
/// change of its payment, so it sends the current state instead; the memory a slow client
/// holds is the channel's, not a queue of its own. The stream ends when its payment is evicted.
async fn events(State(app): State<App>, Path(id): Path<String>) -> Response {
    // Subscribe first, so no change between the snapshot and the subscription is missed.
    let rx = app.changes.subscribe();
    let first = match current(&app, &id) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let slot = match app.open_sse(&id) {
        Ok(slot) => slot,
        Err(message) => return too_many(&message),
    };
    let snapshot = |p: &SimPayment| Event::default().event("payment").data(p.to_native(now_ms()).to_string());
    let start =
        futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(snapshot(&first))));
    let app2 = app.clone();
    let updates = futures_util::stream::unfold((rx, slot), move |(mut rx, slot)| {
        let (app, id) = (app2.clone(), id.clone());
        async move {
            loop {
                let resend = match rx.recv().await {
                    Ok(changed) => changed == id,
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                if resend {
                    let p = app.lock().payments.get(&id).cloned();
                    return Some((Ok(snapshot(&p?)), (rx, slot)));
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
    match p.simulate(action, amount, now) {
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
        Some("slow") => Some(Fault::Slow { delay_ms: num("delay_ms", 15_000).min(600_000) }),
        Some("malformed") => Some(Fault::Malformed),
        Some("drop") => Some(Fault::Drop),
        _ => return error(400, Some("mode"), "`mode` must be one of 500, 429, slow, malformed, drop, none"),
    };
    app.lock().fault = fault.map(|f| (f, count));
    axum::Json(json!({"mode": body.get("mode"), "count": count})).into_response()
}

async fn stats(State(app): State<App>) -> Response {
    let scripts = lock(&app.scripts).summary();
    let inner = app.lock();
    axum::Json(json!({
        "gets": inner.gets,
        "payments": inner.payments.len(),
        "by_payment": inner.gets_by_payment,
        "evicted": inner.evicted,
        "max_payments": app.limits.max_payments,
        "event_streams": inner.sse_open,
        "scripts": scripts,
    }))
    .into_response()
}

fn router(app: App, static_dir: Option<String>) -> Router {
    let origins = app.origins.clone();
    let payments = Router::new()
        .route("/api/payments", post(create))
        .route("/api/payments/{id}", get(get_payment))
        .route("/api/payments/{id}/events", get(events))
        .route("/api/payments/{id}/simulate", post(simulate))
        .route("/api/faults", post(faults))
        .route("/api/stats", get(stats))
        .route("/api/chain", get(chain::info))
        .layer(DefaultBodyLimit::max(PAYMENT_BODY_LIMIT));
    let api = payments.merge(script::routes()).with_state(app);
    let api = match static_dir {
        // As a CDN would: the build writes `.br` and `.gz` beside each file, and a browser
        // that accepts them gets them with `Content-Encoding` and the file's own MIME type.
        Some(dir) => api.fallback_service(
            tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        ),
        None => api,
    };
    api.layer(middleware::from_fn_with_state(origins, cors::layer))
}

fn seed(app: &App) {
    let body = json!({
        "amount": "25.00", "currency": "USDT", "network": "tron",
        "fiat": {"amount": "25.00", "currency": "USD"},
        "description": "Order #1042", "expires_in": 7 * 86_400,
    });
    let now = now_ms();
    // A fixed wallet-like address (not a token contract, which the form refuses to show).
    let mut p = NewPayment { body: &body }
        .build("demo".into(), now, |net| Ok(addresses::generate(net, &mut addresses::Seed(1042))))
        .expect("the seed payment is valid");
    p.merchant = "Example Store".into();
    app.lock().payments.insert("demo".into(), p);
}

const USAGE: &str = "usage: devserver [--addr HOST:PORT] [--static DIR] [--max-payments N] \
    [--allow-origin ORIGIN]... [--frame-ancestors \"'self' https://shop.example\"] \
    [--chain-rpc http://HOST:PORT [--chain-poll-ms 250]]";

/// The command line.
#[derive(Debug)]
struct Config {
    addr: String,
    static_dir: Option<String>,
    limits: Limits,
    origins: cors::Origins,
    frame_ancestors: Option<String>,
    /// `--chain-rpc`: the node's JSON-RPC URL, checked.
    chain_rpc: Option<String>,
    /// `--chain-poll-ms`.
    chain_poll_ms: Option<u64>,
}

fn parse_args(args: impl IntoIterator<Item = String>, default_addr: String) -> Result<Config, String> {
    let mut config = Config {
        addr: default_addr,
        static_dir: None,
        limits: Limits::default(),
        origins: cors::Origins::default(),
        frame_ancestors: None,
        chain_rpc: None,
        chain_poll_ms: None,
    };
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--addr" => config.addr = value()?,
            "--static" => config.static_dir = Some(value()?),
            "--frame-ancestors" => config.frame_ancestors = Some(value()?),
            "--allow-origin" => config.origins.allow(&value()?)?,
            "--max-payments" => {
                config.limits.max_payments =
                    value()?
                        .parse()
                        .ok()
                        .filter(|n| (1..=10_000_000).contains(n))
                        .ok_or("--max-payments must be a whole number from 1 to 10000000")?;
            }
            "--chain-rpc" => {
                let url = value()?;
                chain::parse_url(&url)?;
                config.chain_rpc = Some(url);
            }
            "--chain-poll-ms" => {
                let (low, high) = (*chain::POLL_MS.start(), *chain::POLL_MS.end());
                config.chain_poll_ms = Some(
                    value()?
                        .parse()
                        .ok()
                        .filter(|n| chain::POLL_MS.contains(n))
                        .ok_or(format!("--chain-poll-ms must be a whole number from {low} to {high}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if config.chain_poll_ms.is_some() && config.chain_rpc.is_none() {
        return Err("--chain-poll-ms needs --chain-rpc".into());
    }
    Ok(config)
}

#[tokio::main]
async fn main() {
    let default_addr = std::env::var("PAYFORM_DEVSERVER_ADDR").unwrap_or_else(|_| "127.0.0.1:8787".into());
    let config = match parse_args(std::env::args().skip(1), default_addr) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("devserver: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    // By default any local port may frame the checkout (the demo, the examples, the tests).
    let ancestors =
        config.frame_ancestors.unwrap_or_else(|| "'self' http://127.0.0.1:* http://localhost:*".into());
    let _ = cors::FRAME_ANCESTORS.set(ancestors);
    let mut app = App::new(config.limits, config.origins);
    seed(&app);
    if let Some(url) = &config.chain_rpc {
        let poll = Duration::from_millis(config.chain_poll_ms.unwrap_or(chain::POLL_MS_DEFAULT));
        if let Err(e) = chain::start(&mut app, url, poll).await {
            eprintln!("devserver: {e}");
            std::process::exit(1);
        }
    }
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
    let addr = config.addr;
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devserver: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("devserver: simulated payment provider on http://{addr} (demo payment: /api/payments/demo)");
    if let Err(e) = axum::serve(listener, router(app, config.static_dir)).await {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}
