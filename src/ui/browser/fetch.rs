//! HTTP through `fetch`: a timeout over headers *and* body, aborted when the future is dropped,
//! never answered from the HTTP cache, the body counted against a size limit while it is read
//! (a huge body is never buffered whole). The event stream (`super::super::push`) reads its
//! body with the same two helpers. A [`Prefetch`] is the first request of a form, started by
//! `payform.js` while the wasm was still loading; it is read here with the same timeout, abort
//! and limit as any other.
//!
//! Why not `gloo-net`: its `Request` has no timeout and no size limit while reading a body, and
//! dropping its future does not abort the request; those three are all this file does beyond
//! building the request, so it is written on `web-sys` directly (gloo-net would add its `http`
//! crate dependency and error type for the few lines of request building it would save).

use super::now_ms;
use crate::poll::REQUEST_TIMEOUT_MS;
use crate::session::{Reply, TransportError};
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit, Response};

/// The largest body the form reads (fetch and server-sent events alike).
pub const MAX_BODY_BYTES: usize = crate::json::MAX_LEN;

/// Aborts the request if it is still running when dropped (also the rails' module's fetch).
pub(crate) struct AbortOnDrop(pub(crate) AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `GET url`, with `If-None-Match` when an ETag is known; gives up after the request timeout.
pub async fn get(url: &str, etag: Option<&str>) -> Result<Reply, TransportError> {
    request("GET", url, etag, None, None).await
}

/// [`get`], or the reply of `prefetch` when it is this very request (the same URL, no ETag).
pub async fn get_or_prefetched(
    url: &str,
    etag: Option<&str>,
    prefetch: Option<Prefetch>,
) -> Result<Reply, TransportError> {
    let started = prefetch.filter(|p| etag.is_none() && p.url == url);
    request("GET", url, etag, None, started).await
}

/// `POST url` with a JSON body (used by the demo page to drive the devserver).
pub async fn post_json(url: &str, body: &str) -> Result<Reply, TransportError> {
    request("POST", url, None, Some(body), None).await
}

/// A `GET` of the payment that `payform.js` started before the wasm was ready (`fetch(src,
/// {cache: "no-store", signal})`, no ETag), handed over so the first request does not wait for
/// the wasm. Dropping it unread aborts the request.
pub struct Prefetch {
    /// The `src` it fetched, as the form has it (the element's and `Payform.mount`'s as given,
    /// the hosted checkout's resolved against the page, as `checkout_options` keeps it).
    pub url: String,
    response: js_sys::Promise,
    controller: AbortController,
}

impl Prefetch {
    /// From `payform.js`'s `{url, response, controller}`; `None` when it is not one.
    pub fn from_js(value: &JsValue) -> Option<Prefetch> {
        let get = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok();
        Some(Prefetch {
            url: get("url")?.as_string()?,
            response: get("response")?.dyn_into().ok()?,
            controller: get("controller")?.dyn_into().ok()?,
        })
    }
}

/// The one request path: sends it (or takes over `started`, whose timeout counts from now) and
/// reads the reply.
async fn request(
    method: &str,
    url: &str,
    etag: Option<&str>,
    body: Option<&str>,
    started: Option<Prefetch>,
) -> Result<Reply, TransportError> {
    let (response, guard) = match started {
        Some(p) => (JsFuture::from(p.response), AbortOnDrop(p.controller)),
        None => send(method, url, etag, body)?,
    };
    read_reply(response, guard).await
}

fn send(
    method: &str,
    url: &str,
    etag: Option<&str>,
    body: Option<&str>,
) -> Result<(JsFuture, AbortOnDrop), TransportError> {
    let js_err = |e: JsValue| TransportError::Network(js_message(&e));
    let window = web_sys::window().ok_or_else(|| TransportError::Network("no window".into()))?;
    let guard = AbortOnDrop(AbortController::new().map_err(js_err)?);
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
    Ok((JsFuture::from(window.fetch_with_str_and_init(url, &init)), guard))
}

/// Waits for `response` and reads its body, aborting through `guard` after the request timeout
/// or when dropped.
async fn read_reply(response: JsFuture, guard: AbortOnDrop) -> Result<Reply, TransportError> {
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (ctrl, flag) = (guard.0.clone(), timed_out.clone());
        Timeout::new(REQUEST_TIMEOUT_MS as u32, move || {
            flag.set(true);
            ctrl.abort();
        })
    };
    let fail = |e: JsValue| {
        if timed_out.get() {
            TransportError::Timeout(REQUEST_TIMEOUT_MS / 1000)
        } else {
            TransportError::Network(js_message(&e))
        }
    };
    let resp: Response = response.await.map_err(fail)?.unchecked_into();
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
