//! The browser side of the core's traits: HTTP through `fetch` (with a timeout over headers
//! *and* body, aborted when dropped, never answered from the HTTP cache, the body counted
//! against a size limit while it is read), sleeping through `setTimeout` (cleared when
//! dropped), jitter from `Math.random`, and page visibility. Dropping any future here cancels
//! its browser work, so a disposed form leaves no timer or request behind.
//!
//! Why not `gloo-net`: its `Request` has no timeout and no size limit while reading a body,
//! and dropping its future does not abort the request; these three are what this file adds.

use crate::poll::{Jitter, REQUEST_TIMEOUT_MS};
use crate::session::{Reply, TransportError};
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit, Response};

/// The largest body the form reads (fetch and server-sent events alike).
pub const MAX_BODY_BYTES: usize = crate::json::MAX_LEN;

/// Aborts the request if it is still running when dropped.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `GET url`, with `If-None-Match` when an ETag is known; gives up after the request timeout.
pub async fn get(url: &str, etag: Option<&str>) -> Result<Reply, TransportError> {
    request("GET", url, etag, None).await
}

/// `POST url` with a JSON body (used by the demo page to drive the devserver).
pub async fn post_json(url: &str, body: &str) -> Result<Reply, TransportError> {
    request("POST", url, None, Some(body)).await
}

async fn request(
    method: &str,
    url: &str,
    etag: Option<&str>,
    body: Option<&str>,
) -> Result<Reply, TransportError> {
    let js_err = |e: JsValue| TransportError::Network(js_message(&e));
    let window = web_sys::window().ok_or_else(|| TransportError::Network("no window".into()))?;
    let guard = AbortOnDrop(AbortController::new().map_err(js_err)?);
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (ctrl, flag) = (guard.0.clone(), timed_out.clone());
        Timeout::new(REQUEST_TIMEOUT_MS as u32, move || {
            flag.set(true);
            ctrl.abort();
        })
    };
    let headers = Headers::new().map_err(js_err)?;
    headers.set("Accept", "application/json").map_err(js_err)?;
    if let Some(tag) = etag {
        headers.set("If-None-Match", tag).map_err(js_err)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(js_err)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&guard.0.signal()));
    let fail = |e: JsValue| {
        if timed_out.get() {
            TransportError::Timeout(REQUEST_TIMEOUT_MS / 1000)
        } else {
            TransportError::Network(js_message(&e))
        }
    };
    let resp: Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(fail)?.unchecked_into();
    let status = resp.status();
    let header = |name: &str| resp.headers().get(name).ok().flatten();
    let declared = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(TransportError::TooLarge(MAX_BODY_BYTES));
    }
    let body = if status == 304 {
        String::new()
    } else {
        let bytes = read_limited(&resp, MAX_BODY_BYTES).await.map_err(|e| match e {
            Limited::Js(e) => fail(e),
            Limited::TooLarge => TransportError::TooLarge(MAX_BODY_BYTES),
        })?;
        String::from_utf8(bytes).map_err(|_| TransportError::NotText)?
    };
    Ok(Reply {
        status,
        etag: header("etag"),
        retry_after: header("retry-after"),
        date: header("date"),
        body,
        received_at_ms: now_ms(),
    })
}

enum Limited {
    Js(JsValue),
    TooLarge,
}

/// The reader of a response's body (`None` when it has none).
pub(crate) fn body_reader(resp: &Response) -> Option<web_sys::ReadableStreamDefaultReader> {
    resp.body().map(|body| body.get_reader().unchecked_into())
}

/// The next chunk of a body, `None` at its end.
pub(crate) async fn next_chunk(
    reader: &web_sys::ReadableStreamDefaultReader,
) -> Result<Option<Vec<u8>>, JsValue> {
    let chunk = JsFuture::from(reader.read()).await?;
    if js_sys::Reflect::get(&chunk, &"done".into())?.is_truthy() {
        return Ok(None);
    }
    Ok(Some(js_sys::Uint8Array::new(&js_sys::Reflect::get(&chunk, &"value".into())?).to_vec()))
}

/// Reads a response body chunk by chunk, giving up (and cancelling the stream) as soon as more
/// than `limit` bytes have arrived: a huge body is never buffered whole.
async fn read_limited(resp: &Response, limit: usize) -> Result<Vec<u8>, Limited> {
    let Some(reader) = body_reader(resp) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    while let Some(bytes) = next_chunk(&reader).await.map_err(Limited::Js)? {
        if out.len() + bytes.len() > limit {
            let _ = reader.cancel();
            return Err(Limited::TooLarge);
        }
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| "request failed".into(), |e| String::from(e.message()))
}

/// Resolves after `ms`; dropping it clears the timer.
pub async fn sleep(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32).await;
}

/// Jitter from `Math.random()`.
pub struct BrowserJitter;

impl Jitter for BrowserJitter {
    fn upto(&mut self, max: u64) -> u64 {
        (js_sys::Math::random() * (max as f64 + 1.0)).floor() as u64
    }
}

/// `Date.now()`.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Whether the page is in a background tab.
pub fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Copies `text` to the clipboard; resolves to whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Why a [`Wake`] cut a sleep short.
pub mod reason {
    /// A pushed payment snapshot is waiting.
    pub const PUSH: u8 = 1;
    /// Ask the backend now (the page became visible, the network came back, the stream failed).
    pub const REFRESH: u8 = 2;
}

/// A doorbell for the live loop: events ring it, and [`Wake::sleep`] returns early.
#[derive(Clone, Default)]
pub struct Wake(Rc<WakeInner>);

#[derive(Default)]
struct WakeInner {
    reasons: Cell<u8>,
    waker: std::cell::RefCell<Option<std::task::Waker>>,
}

impl Wake {
    /// Rings with `reason` (see [`reason`]).
    pub fn ring(&self, reason: u8) {
        self.0.reasons.set(self.0.reasons.get() | reason);
        if let Some(w) = self.0.waker.borrow_mut().take() {
            w.wake();
        }
    }

    /// Sleeps `ms`, or less if rung (also if rung before the call). Returns the reasons rung,
    /// 0 when the time simply ran out. Dropping the future clears the timer.
    pub async fn sleep(&self, ms: u64) -> u8 {
        let mut timer = gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32);
        std::future::poll_fn(|cx| {
            let rung = self.0.reasons.replace(0);
            if rung != 0 {
                return std::task::Poll::Ready(rung);
            }
            if std::pin::Pin::new(&mut timer).poll(cx).is_ready() {
                return std::task::Poll::Ready(0);
            }
            *self.0.waker.borrow_mut() = Some(cx.waker().clone());
            std::task::Poll::Pending
        })
        .await
    }
}

/// A DOM event listener that is removed when dropped.
pub struct Listener {
    target: web_sys::EventTarget,
    name: &'static str,
    callback: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub fn new(
        target: &web_sys::EventTarget,
        name: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let _ = target.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        Listener { target: target.clone(), name, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.callback.as_ref().unchecked_ref());
    }
}

/// Rings `wake` with REFRESH when the page becomes visible or the network comes back.
pub fn refresh_on_visible_or_online(wake: &Wake) -> Vec<Listener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let mut listeners = Vec::new();
    if let Some(document) = window.document() {
        let w = wake.clone();
        listeners.push(Listener::new(&document, "visibilitychange", move |_| {
            if !page_hidden() {
                w.ring(reason::REFRESH);
            }
        }));
    }
    let w = wake.clone();
    listeners.push(Listener::new(&window, "online", move |_| w.ring(reason::REFRESH)));
    listeners
}

/// Reads a flag from `sessionStorage` (survives a reload of the tab, not a new tab).
pub fn session_flag(key: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| s.get_item(key).ok().flatten())
        .is_some()
}

/// Sets a flag in `sessionStorage` (ignored where storage is unavailable).
pub fn set_session_flag(key: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.set_item(key, "1");
    }
}

/// The page's own host name (`location.hostname`).
pub fn page_host() -> Option<String> {
    web_sys::window()?.location().hostname().ok().filter(|h| !h.is_empty())
}

/// The host of `url`, resolved against the page.
pub fn url_host(url: &str) -> Option<String> {
    let page = web_sys::window()?.location().href().ok()?;
    let host = web_sys::Url::new_with_base(url, &page).ok()?.hostname();
    (!host.is_empty()).then_some(host)
}

/// `url` resolved against `base` (itself resolved against the page), if both are on the same
/// origin. A payment's `options[].src` comes from the backend: the form follows it only to the
/// origin it already trusts.
pub fn same_origin_url(url: &str, base: &str) -> Option<String> {
    let page = web_sys::window()?.location().href().ok()?;
    let base = web_sys::Url::new_with_base(base, &page).ok()?;
    let resolved = web_sys::Url::new_with_base(url, &base.href()).ok()?;
    (resolved.origin() == base.origin()).then(|| resolved.href())
}
