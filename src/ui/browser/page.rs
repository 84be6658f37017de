//! What the form asks of the page: the clock and randomness behind the core's traits, whether
//! the tab is hidden, the clipboard, `sessionStorage` flags, and URL resolution against the page
//! (`web_sys::Url`, so URLs are parsed the way the browser will fetch them).

use crate::poll::Jitter;

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
