//! The browser side of the core's traits: HTTP through `fetch` (with a timeout, aborted when
//! dropped), sleeping through `setTimeout` (cleared when dropped), jitter from `Math.random`,
//! and page visibility. Dropping any future here cancels its browser work, so a disposed form
//! leaves no timer or request behind.

use crate::poll::{Jitter, REQUEST_TIMEOUT_MS};
use crate::session::{Reply, TransportError};
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

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
    let body = if status == 304 {
        String::new()
    } else {
        let text = JsFuture::from(resp.text().map_err(fail)?).await.map_err(fail)?;
        text.as_string().unwrap_or_default()
    };
    Ok(Reply { status, etag: header("etag"), retry_after: header("retry-after"), body })
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
