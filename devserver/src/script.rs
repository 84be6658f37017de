//! The hostile backend: scripted replies and event streams, served verbatim, for the
//! end-to-end security tests (what does the form do with duplicate keys, invalid JSON, a huge
//! or slow body, a lying `Content-Length`, odd headers, events out of order?).
//!
//! - `POST /api/script/{id}` `{"replies": [reply…], "repeat_last": true}` stores the replies
//!   (replacing earlier ones, and clearing the request log) → `{"id", "replies": n,
//!   "repeat_last"}`. `GET /api/script/{id}` answers the next reply, then the last one again
//!   (`repeat_last`, the default) or 404 once they run out. A reply (every field optional):
//!   `{"status": 200, "headers": {"ETag": "\"x\"", "Content-Type": null} | [["ETag", "a"],
//!   ["ETag", "b"]], "body": "<text>" | "body_hex": "ff00" | "body_repeat": {"text": "…",
//!   "times": N}, "delay_ms": 0, "chunks": 1, "chunk_delay_ms": 0, "content_length": null | N |
//!   "chunked"}`.
//!   - `status` 200–999; the body exactly as given (no body: empty); without a
//!     `Content-Type` header, `application/json` (`"Content-Type": null`: none at all).
//!     Headers as an object, or as `[name, value]` pairs to repeat a name; the framing
//!     headers (`Connection`, `Transfer-Encoding`, …) are refused, and `Content-Length` is
//!     `content_length`. Naming any `Access-Control-*` header (`null`: leave it out) turns
//!     off the devserver's own CORS headers for that reply.
//!   - `delay_ms` before the headers; the body in `chunks` pieces (at most one per byte)
//!     with `chunk_delay_ms` between them; `content_length`: null = the real length, N = this
//!     one (hyper cuts a longer body to N; after a shorter one it closes the connection, so
//!     the client sees a truncated body), `"chunked"` = none, chunked transfer encoding.
//! - `POST /api/script/{id}/events` `{"events": [{"event": "payment", "id": "7", "data":
//!   "<text>" | "data_repeat": {"text": "<one line>", "times": N}, "delay_ms": N} | {"raw":
//!   "<text>", "delay_ms": N}, …], "raw": "<text sent after the events>", "hold_open": true}`
//!   → `{"id", "events": n, "hold_open"}`. `GET /api/script/{id}/events` answers
//!   `text/event-stream`: each item after its delay (`data` split into one `data:` line per
//!   line; `raw` verbatim), then it stays open (`hold_open`, the default) or ends.
//! - `GET /api/script/{id}/log` → `{"requests": [{"at_ms", "if_none_match", "cache_control",
//!   "origin", "reply"}…], "gets", "dropped", "streams_open", "streams_total",
//!   "stream_requests": [{"at_ms", "last_event_id", "origin"}…]}`: `at_ms` is the arrival
//!   time (Unix ms, server clock), `reply` the index served (null: none left), header values
//!   as sent (cut at 1 KiB) or null.
//!
//! Bounds ([`Limits`]): ids of 1–64 `[A-Za-z0-9_.-]`; request bodies up to 1 MiB; 1,000
//! scripts and 64 MiB in all (the oldest scripts evicted); 1,000 replies or events per script;
//! 8 MiB per `body_repeat` / `data_repeat` (generated while sent, 64 KiB at a time); delays up
//! to 600,000 ms; 10,000 chunks; 100 headers; 1,000 log entries of each kind per script (the
//! oldest dropped, counted in `dropped`); 16 open streams per script and 256 in all (429).

use crate::cors::OwnCors;
use crate::sim::Rejection;
use crate::{error, lock, now_ms, read_body, App};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The largest body of `POST /api/script/…`.
pub const BODY_LIMIT: usize = 1 << 20;
/// Bodies are written in frames of at most this many bytes (a generated body is never whole
/// in memory).
const FRAME: u64 = 64 * 1024;
const MAX_DELAY_MS: u64 = 600_000;
const MAX_CHUNKS: u64 = 10_000;
const MAX_HEADERS: usize = 100;
/// Log entries kept per script (the oldest are dropped and counted).
const MAX_LOG: usize = 1000;
/// Logged header values are cut to this many bytes.
const MAX_LOGGED_VALUE: usize = 1024;

/// How much the scripts may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Scripts kept; the oldest is evicted beyond.
    pub max_scripts: usize,
    /// Replies per script, and events per event script.
    pub max_replies: usize,
    /// The largest `body_repeat` / `data_repeat`, in bytes.
    pub max_generated: u64,
    /// What all scripts may store in all; the oldest are evicted beyond.
    pub max_bytes: usize,
    /// Concurrent event streams of one script, and of all scripts.
    pub streams_per_script: usize,
    pub streams_total: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_scripts: 1000,
            max_replies: 1000,
            max_generated: 8 << 20,
            max_bytes: 64 << 20,
            streams_per_script: 16,
            streams_total: 256,
        }
    }
}

fn bad(message: impl Into<String>) -> Rejection {
    Rejection { status: 400, field: Some("body"), message: message.into() }
}

fn not_found(id: &str) -> Response {
    error(404, None, &format!("no script with id {id:?}; POST /api/script/{id} first"))
}

/// Part of a body: stored bytes, or `text` repeated `times` (generated while it is sent).
#[derive(Debug, Clone)]
enum Segment {
    Bytes(Bytes),
    Repeat { text: Bytes, times: u64 },
}

impl Segment {
    fn len(&self) -> u64 {
        match self {
            Segment::Bytes(b) => b.len() as u64,
            Segment::Repeat { text, times } => text.len() as u64 * times,
        }
    }
}

/// A body made of segments.
#[derive(Debug, Clone, Default)]
struct Payload {
    segments: Vec<Segment>,
    len: u64,
}

impl Payload {
    fn push(&mut self, s: Segment) {
        if s.len() > 0 {
            self.len += s.len();
            self.segments.push(s);
        }
    }

    fn text(&mut self, s: &str) {
        self.push(Segment::Bytes(Bytes::copy_from_slice(s.as_bytes())));
    }

    /// The bytes kept in memory.
    fn stored(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Bytes(b) => b.len(),
                Segment::Repeat { text, .. } => text.len(),
            })
            .sum()
    }

    /// The bytes in `start..end`.
    fn slice(&self, start: u64, end: u64) -> Bytes {
        let mut out: Option<Vec<u8>> = None;
        let mut offset = 0;
        for seg in &self.segments {
            let (s0, s1) = (offset, offset + seg.len());
            offset = s1;
            if s1 <= start || s0 >= end {
                continue;
            }
            let (a, b) = (start.max(s0) - s0, end.min(s1) - s0);
            match seg {
                Segment::Bytes(bytes) => {
                    let part = bytes.slice(a as usize..b as usize);
                    if out.is_none() && end <= s1 {
                        return part;
                    }
                    out.get_or_insert_with(Vec::new).extend_from_slice(&part);
                }
                Segment::Repeat { text, .. } => {
                    let out = out.get_or_insert_with(Vec::new);
                    let n = text.len() as u64;
                    let mut i = a;
                    while i < b {
                        let k = (i % n) as usize;
                        let take = ((b - i) as usize).min(text.len() - k);
                        out.extend_from_slice(&text[k..k + take]);
                        i += take as u64;
                    }
                }
            }
        }
        out.map(Bytes::from).unwrap_or_default()
    }
}

/// `payload` in `pieces` pieces (at most one per byte) with `gap` between them; each piece is
/// written in frames of at most [`FRAME`] bytes.
fn frames(
    payload: Arc<Payload>,
    pieces: u64,
    gap: Duration,
) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    let total = payload.len;
    let n = pieces.clamp(1, total.max(1));
    let boundary = move |k: u64| (u128::from(total) * u128::from(k) / u128::from(n)) as u64;
    futures_util::stream::unfold((0u64, 1u64), move |(pos, piece)| {
        let payload = payload.clone();
        async move {
            if pos >= total {
                return None;
            }
            let mut piece = piece;
            if pos >= boundary(piece) {
                piece += 1;
                if !gap.is_zero() {
                    tokio::time::sleep(gap).await;
                }
            }
            let end = (pos + FRAME).min(boundary(piece));
            Some((Ok(payload.slice(pos, end)), (end, piece)))
        }
    })
    .boxed()
}

/// The `Content-Length` a reply is sent with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Length {
    /// The body's length.
    Actual,
    /// This one, whatever the body's length (hyper then cuts a longer body, and closes the
    /// connection after a shorter one).
    Declared(u64),
    /// None: `Transfer-Encoding: chunked`.
    Chunked,
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// `"Content-Type": null` was given: no default `application/json`.
    no_content_type: bool,
    /// An `Access-Control-*` header was named: the CORS layer adds none.
    own_cors: bool,
    body: Arc<Payload>,
    delay_ms: u64,
    chunks: u64,
    chunk_delay_ms: u64,
    length: Length,
}

impl Reply {
    fn stored(&self) -> usize {
        self.body.stored() + self.headers.iter().map(|(n, v)| n.as_str().len() + v.len()).sum::<usize>() + 64
    }

    fn response(&self) -> Response {
        let gap = Duration::from_millis(self.chunk_delay_ms);
        let mut body = frames(self.body.clone(), self.chunks, gap);
        if matches!(self.length, Length::Declared(n) if n > self.body.len) {
            // hyper closes the connection when a body ends short of its Content-Length,
            // dropping what it has not written yet: pause so the headers and the short body
            // reach the client first.
            let pause = futures_util::stream::once(tokio::time::sleep(Duration::from_millis(50)));
            body = body.chain(pause.filter_map(|()| std::future::ready(None))).boxed();
        }
        let mut res = Response::new(Body::from_stream(body));
        *res.status_mut() = self.status;
        let h = res.headers_mut();
        if !self.no_content_type && !self.headers.iter().any(|(n, _)| n == header::CONTENT_TYPE) {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &self.headers {
            h.append(name.clone(), value.clone());
        }
        let bodyless = self.status.is_informational()
            || self.status == StatusCode::NO_CONTENT
            || self.status == StatusCode::NOT_MODIFIED;
        match self.length {
            Length::Actual if !bodyless => {
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(self.body.len));
            }
            Length::Declared(n) => {
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
            }
            Length::Actual | Length::Chunked => {}
        }
        if self.own_cors {
            res.extensions_mut().insert(OwnCors);
        }
        res
    }
}

/// An event stream: each item after its delay, then (`hold_open`) the connection stays open.
#[derive(Debug)]
struct EventScript {
    items: Vec<(u64, Arc<Payload>)>,
    hold_open: bool,
}

impl EventScript {
    fn stored(&self) -> usize {
        self.items.iter().map(|(_, p)| p.stored() + 16).sum()
    }
}

#[derive(Debug)]
struct Logged {
    at_ms: i64,
    if_none_match: Option<String>,
    cache_control: Option<String>,
    origin: Option<String>,
    last_event_id: Option<String>,
    reply: Option<usize>,
}

impl Logged {
    /// Roughly what it holds in memory.
    fn size(&self) -> usize {
        [&self.if_none_match, &self.cache_control, &self.origin, &self.last_event_id]
            .iter()
            .map(|v| v.as_ref().map_or(0, String::len))
            .sum::<usize>()
            + 128
    }
}

#[derive(Debug, Default)]
struct Script {
    /// Tells a re-created script (same id) from an evicted one.
    serial: u64,
    replies: Vec<Arc<Reply>>,
    repeat_last: bool,
    next: usize,
    requests: VecDeque<Logged>,
    gets: u64,
    dropped: u64,
    events: Option<Arc<EventScript>>,
    stream_requests: VecDeque<Logged>,
    streams_open: usize,
    streams_total: u64,
    /// What its replies and events store, what its logs hold, and the sum (for the budget).
    content_bytes: usize,
    log_bytes: usize,
    bytes: usize,
}

impl Script {
    fn stored(&self) -> usize {
        self.content_bytes + self.log_bytes
    }

    /// Recomputes what the replies and events store (after they are replaced).
    fn measure(&mut self) {
        self.content_bytes = self.replies.iter().map(|r| r.stored()).sum::<usize>()
            + self.events.as_ref().map_or(0, |e| e.stored());
        self.log_bytes = self.requests.iter().chain(&self.stream_requests).map(Logged::size).sum();
    }

    /// Logs a GET of the replies, or (`stream`) of the events; the oldest entry beyond
    /// [`MAX_LOG`] is dropped.
    fn log(&mut self, entry: Logged, stream: bool) {
        self.log_bytes += entry.size();
        let log = if stream { &mut self.stream_requests } else { &mut self.requests };
        log.push_back(entry);
        if log.len() > MAX_LOG {
            if let Some(old) = log.pop_front() {
                self.log_bytes -= old.size();
                if !stream {
                    self.dropped += 1;
                }
            }
        }
    }
}

/// Every script, oldest first.
#[derive(Debug, Default)]
pub struct Store {
    scripts: HashMap<String, Script>,
    order: VecDeque<String>,
    serial: u64,
    bytes: usize,
    streams_open: usize,
    evicted: u64,
}

impl Store {
    /// Creates or updates the script `id`, then evicts the oldest others beyond the limits.
    fn upsert(&mut self, id: &str, limits: &Limits, update: impl FnOnce(&mut Script)) {
        if !self.scripts.contains_key(id) {
            self.serial += 1;
            self.scripts.insert(id.to_owned(), Script { serial: self.serial, ..Script::default() });
            self.order.push_back(id.to_owned());
        }
        if let Some(s) = self.scripts.get_mut(id) {
            update(s);
            s.measure();
        }
        self.account(id, limits);
    }

    /// Brings the budget up to date after the script `id` changed, and evicts the oldest
    /// other scripts beyond the limits.
    fn account(&mut self, id: &str, limits: &Limits) {
        if let Some(s) = self.scripts.get_mut(id) {
            let before = s.bytes;
            s.bytes = s.stored();
            self.bytes = self.bytes - before + s.bytes;
        }
        while self.scripts.len() > limits.max_scripts || self.bytes > limits.max_bytes {
            let Some(at) = self.order.iter().position(|k| k != id) else { break };
            let Some(old) = self.order.remove(at) else { break };
            if let Some(s) = self.scripts.remove(&old) {
                self.bytes -= s.bytes;
                self.evicted += 1;
            }
        }
    }
}

impl Store {
    /// For `/api/stats`.
    pub fn summary(&self) -> Value {
        json!({"count": self.scripts.len(), "evicted": self.evicted, "bytes": self.bytes,
            "streams_open": self.streams_open})
    }
}

/// Script ids: 1 to 64 of `A-Z a-z 0-9 _ - .`.
fn check_id(id: &str) -> Result<(), Rejection> {
    let ok =
        (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Rejection {
            status: 400,
            field: Some("id"),
            message: "a script id is 1 to 64 of the characters A-Z a-z 0-9 _ - .".into(),
        })
    }
}

fn delay(v: &Value, key: &str, at: &str) -> Result<u64, Rejection> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(d) => d.as_u64().filter(|d| *d <= MAX_DELAY_MS).ok_or_else(|| {
            bad(format!("{at}.{key} must be a whole number of milliseconds up to {MAX_DELAY_MS}"))
        }),
    }
}

/// `{"text": "…", "times": N}`, at most `max` bytes in all.
fn repeat(v: &Value, at: &str, max: u64, single_line: bool) -> Result<Segment, Rejection> {
    let text = v.get("text").and_then(Value::as_str).filter(|t| !t.is_empty());
    let times = v.get("times").and_then(Value::as_u64);
    let (Some(text), Some(times)) = (text, times) else {
        return Err(bad(format!("{at} must be {{\"text\": \"<non-empty>\", \"times\": N}}")));
    };
    if single_line && text.contains(['\r', '\n']) {
        return Err(bad(format!("{at}.text must be one line (a data line is repeated)")));
    }
    if (text.len() as u64).checked_mul(times).is_none_or(|n| n > max) {
        return Err(bad(format!("{at} makes more than {max} bytes")));
    }
    Ok(Segment::Repeat { text: Bytes::copy_from_slice(text.as_bytes()), times })
}

fn hex(s: &str, at: &str) -> Result<Bytes, Rejection> {
    let digit = |c: u8| (c as char).to_digit(16);
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(bad(format!("{at}.body_hex must have an even number of hex digits")));
    }
    b.chunks(2)
        .map(|p| match (digit(p[0]), digit(p[1])) {
            (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
            _ => Err(bad(format!("{at}.body_hex must be hex digits only"))),
        })
        .collect::<Result<Vec<u8>, _>>()
        .map(Bytes::from)
}

/// Headers a reply may not set: hyper owns the framing of the connection.
const FRAMING: [&str; 7] =
    ["connection", "transfer-encoding", "keep-alive", "upgrade", "te", "trailer", "proxy-connection"];

/// A reply's headers, and whether `Content-Type: null` and an `Access-Control-*` header were given.
struct Headers {
    list: Vec<(HeaderName, HeaderValue)>,
    no_content_type: bool,
    own_cors: bool,
}

fn parse_headers(v: Option<&Value>, at: &str) -> Result<Headers, Rejection> {
    let pairs: Vec<(&str, Option<&str>)> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.as_str(), Some(s.as_str()))),
                Value::Null => Ok((k.as_str(), None)),
                _ => Err(bad(format!("{at}.headers.{k} must be a string (or null)"))),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Array(list)) => list
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((k.as_str(), Some(v.as_str()))),
                _ => Err(bad(format!("{at}.headers, as a list, holds [\"Name\", \"value\"] pairs"))),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(bad(format!("{at}.headers must be an object or a list of [name, value] pairs")))
        }
    };
    if pairs.len() > MAX_HEADERS {
        return Err(bad(format!("{at}.headers: at most {MAX_HEADERS}")));
    }
    let (mut headers, mut no_content_type, mut own_cors) = (Vec::new(), false, false);
    for (name, value) in pairs {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| bad(format!("{at}.headers: {name:?} is not a header name")))?;
        if FRAMING.contains(&n.as_str()) {
            return Err(bad(format!("{at}.headers: {name} is hyper's to set (framing of the connection)")));
        }
        if n == header::CONTENT_LENGTH {
            return Err(bad(format!("{at}.headers: give Content-Length as \"content_length\": N")));
        }
        own_cors |= n.as_str().starts_with("access-control-");
        match value {
            None => no_content_type |= n == header::CONTENT_TYPE,
            Some(value) => {
                let v = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
                    bad(format!("{at}.headers.{name}: a header value cannot hold control characters"))
                })?;
                headers.push((n, v));
            }
        }
    }
    Ok(Headers { list: headers, no_content_type, own_cors })
}

fn parse_reply(v: &Value, at: &str, limits: &Limits) -> Result<Reply, Rejection> {
    if !v.is_object() {
        return Err(bad(format!("{at} must be an object")));
    }
    let status = match v.get("status") {
        None | Some(Value::Null) => StatusCode::OK,
        Some(s) => s
            .as_u64()
            .filter(|s| (200..=999).contains(s))
            .and_then(|s| StatusCode::from_u16(s as u16).ok())
            .ok_or_else(|| bad(format!("{at}.status must be a whole number from 200 to 999")))?,
    };
    let Headers { list: headers, no_content_type, own_cors } = parse_headers(v.get("headers"), at)?;
    let mut body = Payload::default();
    let given: Vec<&str> = ["body", "body_hex", "body_repeat"]
        .into_iter()
        .filter(|k| v.get(*k).is_some_and(|b| !b.is_null()))
        .collect();
    match given.as_slice() {
        [] => {}
        ["body"] => match v.get("body") {
            Some(Value::String(s)) => body.text(s),
            _ => return Err(bad(format!("{at}.body must be a string (sent verbatim)"))),
        },
        ["body_hex"] => match v.get("body_hex") {
            Some(Value::String(s)) => body.push(Segment::Bytes(hex(s, at)?)),
            _ => return Err(bad(format!("{at}.body_hex must be a string of hex digits"))),
        },
        ["body_repeat"] => {
            let spec = v.get("body_repeat").unwrap_or(&Value::Null);
            body.push(repeat(spec, &format!("{at}.body_repeat"), limits.max_generated, false)?)
        }
        _ => return Err(bad(format!("{at}: give one of body, body_hex, body_repeat"))),
    }
    let chunks = match v.get("chunks") {
        None | Some(Value::Null) => 1,
        Some(c) => c
            .as_u64()
            .filter(|c| (1..=MAX_CHUNKS).contains(c))
            .ok_or_else(|| bad(format!("{at}.chunks must be a whole number from 1 to {MAX_CHUNKS}")))?,
    };
    let length = match v.get("content_length") {
        None | Some(Value::Null) => Length::Actual,
        Some(Value::String(s)) if s == "chunked" => Length::Chunked,
        Some(n) => Length::Declared(n.as_u64().ok_or_else(|| {
            bad(format!("{at}.content_length must be null (the real length), a whole number, or \"chunked\""))
        })?),
    };
    Ok(Reply {
        status,
        headers,
        no_content_type,
        own_cors,
        body: Arc::new(body),
        delay_ms: delay(v, "delay_ms", at)?,
        chunks,
        chunk_delay_ms: delay(v, "chunk_delay_ms", at)?,
        length,
    })
}

/// The script id and JSON body of a request that stores a script.
fn script_request(id: &str, body: &str) -> Result<Value, Rejection> {
    check_id(id)?;
    read_body(body)
}

async fn store_replies(State(app): State<App>, Path(id): Path<String>, body: String) -> Response {
    let v = match script_request(&id, &body) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let limits = app.limits.scripts;
    let Some(list) = v.get("replies").and_then(Value::as_array) else {
        return bad("`replies` must be a list of replies").into_response();
    };
    if list.len() > limits.max_replies {
        return bad(format!("at most {} replies per script", limits.max_replies)).into_response();
    }
    let replies = match list
        .iter()
        .enumerate()
        .map(|(i, r)| parse_reply(r, &format!("replies[{i}]"), &limits).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let repeat_last = match v.get("repeat_last") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return bad("`repeat_last` must be true or false").into_response(),
    };
    let n = replies.len();
    lock(&app.scripts).upsert(&id, &limits, |s| {
        s.replies = replies;
        s.repeat_last = repeat_last;
        s.next = 0;
        s.requests.clear();
        s.gets = 0;
        s.dropped = 0;
    });
    axum::Json(json!({"id": id, "replies": n, "repeat_last": repeat_last})).into_response()
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let v = headers.get(name)?;
    let cut = &v.as_bytes()[..v.len().min(MAX_LOGGED_VALUE)];
    Some(String::from_utf8_lossy(cut).into_owned())
}

fn logged(headers: &HeaderMap, reply: Option<usize>) -> Logged {
    Logged {
        at_ms: now_ms(),
        if_none_match: header_text(headers, header::IF_NONE_MATCH),
        cache_control: header_text(headers, header::CACHE_CONTROL),
        origin: header_text(headers, header::ORIGIN),
        last_event_id: header_text(headers, HeaderName::from_static("last-event-id")),
        reply,
    }
}

async fn serve_reply(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let reply = {
        let mut store = lock(&app.scripts);
        let Some(s) = store.scripts.get_mut(&id) else { return not_found(&id) };
        let pick = if s.next < s.replies.len() {
            s.next += 1;
            Some(s.next - 1)
        } else if s.repeat_last && !s.replies.is_empty() {
            Some(s.replies.len() - 1)
        } else {
            None
        };
        s.gets += 1;
        s.log(logged(&headers, pick), false);
        let reply = pick.map(|i| s.replies[i].clone());
        store.account(&id, &app.limits.scripts);
        reply
    };
    let Some(reply) = reply else {
        return error(404, None, &format!("script {id:?} has no more replies (repeat_last is false)"));
    };
    if reply.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(reply.delay_ms)).await;
    }
    reply.response()
}

/// `event:`, `id:` and `data:` lines (one per line of the data), then a blank line.
fn parse_event(v: &Value, at: &str, limits: &Limits) -> Result<(u64, Arc<Payload>), Rejection> {
    let wait = delay(v, "delay_ms", at)?;
    let text = |key: &str| -> Result<Option<&str>, Rejection> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(format!("{at}.{key} must be a string"))),
        }
    };
    let mut p = Payload::default();
    if let Some(raw) = text("raw")? {
        if ["event", "id", "data", "data_repeat"].iter().any(|k| v.get(*k).is_some()) {
            return Err(bad(format!("{at}: a raw item has only `raw` and `delay_ms`")));
        }
        p.text(raw);
        return Ok((wait, Arc::new(p)));
    }
    for key in ["event", "id"] {
        if let Some(value) = text(key)? {
            if value.contains(['\r', '\n']) {
                return Err(bad(format!("{at}.{key} must be one line (use raw for anything else)")));
            }
            p.text(&format!("{key}: {value}\n"));
        }
    }
    match (text("data")?, v.get("data_repeat")) {
        (Some(data), None) => {
            for line in data.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
                p.text(&format!("data: {line}\n"));
            }
        }
        (None, Some(spec)) => {
            p.text("data: ");
            p.push(repeat(spec, &format!("{at}.data_repeat"), limits.max_generated, true)?);
            p.text("\n");
        }
        _ => return Err(bad(format!("{at}: give one of data, data_repeat (or raw)"))),
    }
    p.text("\n");
    Ok((wait, Arc::new(p)))
}

async fn store_events(State(app): State<App>, Path(id): Path<String>, body: String) -> Response {
    let v = match script_request(&id, &body) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let limits = app.limits.scripts;
    let list = match v.get("events") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(list)) if list.len() <= limits.max_replies => list,
        Some(_) => {
            return bad(format!("`events` must be a list of at most {} events", limits.max_replies))
                .into_response()
        }
    };
    let mut items = match list
        .iter()
        .enumerate()
        .map(|(i, e)| parse_event(e, &format!("events[{i}]"), &limits))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(items) => items,
        Err(r) => return r.into_response(),
    };
    match v.get("raw") {
        None | Some(Value::Null) => {}
        Some(Value::String(raw)) => {
            let mut p = Payload::default();
            p.text(raw);
            items.push((0, Arc::new(p)));
        }
        Some(_) => return bad("`raw` must be a string (sent verbatim after the events)").into_response(),
    }
    let hold_open = match v.get("hold_open") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return bad("`hold_open` must be true or false").into_response(),
    };
    let n = items.len();
    let events = Arc::new(EventScript { items, hold_open });
    lock(&app.scripts).upsert(&id, &limits, |s| {
        s.events = Some(events);
        s.stream_requests.clear();
        s.streams_total = 0;
    });
    axum::Json(json!({"id": id, "events": n, "hold_open": hold_open})).into_response()
}

/// An open scripted stream; dropping it frees the slot.
struct StreamSlot {
    store: Arc<Mutex<Store>>,
    id: String,
    serial: u64,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut store = lock(&self.store);
        store.streams_open = store.streams_open.saturating_sub(1);
        if let Some(s) = store.scripts.get_mut(&self.id).filter(|s| s.serial == self.serial) {
            s.streams_open = s.streams_open.saturating_sub(1);
        }
    }
}

async fn serve_events(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let limits = app.limits.scripts;
    let (script, slot) = {
        let mut store = lock(&app.scripts);
        let total_open = store.streams_open;
        let Some(s) = store.scripts.get_mut(&id) else { return not_found(&id) };
        let Some(events) = s.events.clone() else {
            return error(
                404,
                None,
                &format!("script {id:?} has no events; POST /api/script/{id}/events first"),
            );
        };
        if s.streams_open >= limits.streams_per_script || total_open >= limits.streams_total {
            return crate::too_many(&format!(
                "script {id:?} has {} open streams ({total_open} in all), the most the devserver allows",
                s.streams_open
            ));
        }
        s.streams_open += 1;
        s.streams_total += 1;
        s.log(logged(&headers, None), true);
        let serial = s.serial;
        store.streams_open += 1;
        store.account(&id, &limits);
        (events, StreamSlot { store: app.scripts.clone(), id: id.clone(), serial })
    };
    let items = futures_util::stream::iter(script.items.clone())
        .then(|(wait, payload)| async move {
            if wait > 0 {
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
            frames(payload, 1, Duration::ZERO)
        })
        .flatten();
    let tail = if script.hold_open {
        futures_util::stream::pending().boxed()
    } else {
        futures_util::stream::empty().boxed()
    };
    let stream = items.chain(tail).map(move |frame| {
        let _open = &slot;
        frame
    });
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

fn log_json(entries: &VecDeque<Logged>, stream: bool) -> Vec<Value> {
    entries
        .iter()
        .map(|e| {
            if stream {
                json!({"at_ms": e.at_ms, "last_event_id": e.last_event_id, "origin": e.origin})
            } else {
                json!({"at_ms": e.at_ms, "if_none_match": e.if_none_match, "cache_control": e.cache_control,
                    "origin": e.origin, "reply": e.reply})
            }
        })
        .collect()
}

async fn log(State(app): State<App>, Path(id): Path<String>) -> Response {
    let store = lock(&app.scripts);
    let Some(s) = store.scripts.get(&id) else { return not_found(&id) };
    axum::Json(json!({
        "requests": log_json(&s.requests, false),
        "gets": s.gets,
        "dropped": s.dropped,
        "streams_open": s.streams_open,
        "streams_total": s.streams_total,
        "stream_requests": log_json(&s.stream_requests, true),
    }))
    .into_response()
}

/// The script routes (bodies up to [`BODY_LIMIT`]).
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/script/{id}", get(serve_reply).post(store_replies))
        .route("/api/script/{id}/events", get(serve_events).post(store_events))
        .route("/api/script/{id}/log", get(log))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cross_segments_and_repeats() {
        let mut p = Payload::default();
        p.text("ab");
        p.push(Segment::Repeat { text: Bytes::from_static(b"xyz"), times: 3 });
        p.text("");
        p.text("cd");
        assert_eq!(p.segments.len(), 3, "empty segments are skipped");
        let whole = p.slice(0, p.len);
        assert_eq!(&whole[..], b"abxyzxyzxyzcd");
        for s in 0..=p.len {
            for e in s..=p.len {
                assert_eq!(&p.slice(s, e)[..], &whole[s as usize..e as usize], "{s}..{e}");
            }
        }
        assert_eq!(p.stored(), 7, "a repeat stores its text once");
    }

    #[tokio::test]
    async fn pieces_are_never_empty_and_frames_stay_small() {
        let collect = |p: Payload, pieces: u64| async move {
            frames(Arc::new(p), pieces, Duration::ZERO).map(|f| f.unwrap().len()).collect::<Vec<_>>().await
        };
        let mut five = Payload::default();
        five.text("12345");
        assert_eq!(collect(five.clone(), 10).await, [1, 1, 1, 1, 1]);
        assert_eq!(collect(five.clone(), 2).await, [2, 3]);
        assert_eq!(collect(five, 1).await, [5]);
        assert!(collect(Payload::default(), 3).await.is_empty());
        let mut big = Payload::default();
        big.push(Segment::Repeat { text: Bytes::from_static(b"ab"), times: 100_000 });
        assert_eq!(collect(big, 1).await, [65_536, 65_536, 65_536, 3_392]);
    }
}
