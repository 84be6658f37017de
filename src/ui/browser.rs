//! The browser side of the core's traits: HTTP through `fetch` (with a timeout, aborted when
//! dropped), sleeping through `setTimeout` (cleared when dropped), jitter from `Math.random`,
//! and page visibility. Dropping any future here cancels its browser work, so a disposed form
//! leaves no timer or request behind.

use crate::poll::{Jitter, REQUEST_TIMEOUT_MS};
use gloo_timers::callback::Timeout;
use web_sys::AbortController;

/// What the backend answered.
pub struct HttpAnswer {
    pub status: u16,
    pub etag: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

/// A transport failure: no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the payment server did not answer within {0} s")]
    Timeout(u64),
    #[error("the payment server could not be reached ({0})")]
    Network(String),
}

impl FetchError {
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Timeout(_) => "timeout",
            FetchError::Network(_) => "network_error",
        }
    }
}

/// Aborts the request if it is still running when dropped.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `GET url`, with `If-None-Match` when an ETag is known; gives up after the request timeout.
pub async fn get(url: &str, etag: Option<&str>) -> Result<HttpAnswer, FetchError> {
    let controller =
        AbortController::new().map_err(|_| FetchError::Network("AbortController".into()))?;
    let signal = controller.signal();
    let guard = AbortOnDrop(controller);
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = {
        let (ctrl, flag) = (guard.0.clone(), timed_out.clone());
        Timeout::new(REQUEST_TIMEOUT_MS as u32, move || {
            flag.set(true);
            ctrl.abort();
        })
    };
    let mut req = gloo_net::http::Request::get(url)
        .abort_signal(Some(&signal))
        .header("Accept", "application/json");
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let fail = |e: gloo_net::Error| {
        if timed_out.get() {
            FetchError::Timeout(REQUEST_TIMEOUT_MS / 1000)
        } else {
            FetchError::Network(e.to_string())
        }
    };
    let resp = req.send().await.map_err(fail)?;
    let headers = resp.headers();
    let status = resp.status();
    let body = if status == 304 {
        String::new()
    } else {
        resp.text().await.map_err(fail)?
    };
    drop(timer);
    drop(guard);
    Ok(HttpAnswer {
        status,
        etag: headers.get("etag"),
        retry_after: headers.get("retry-after"),
        body,
    })
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
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Copies `text` to the clipboard; resolves to whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
