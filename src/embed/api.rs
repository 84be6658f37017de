//! The JavaScript API behind `payform.js`: `mount(element, options)` returns a handle with
//! `destroy()` and `refresh()`; `mountCheckout()` runs the hosted checkout page; `version()`.
//! Options come as a plain object: `{src, payment, preset, mapping, pollInterval, eventsSrc,
//! theme, lang, locales, returnHosts}`.

use super::{mount as mount_options, Handle, Options};
use crate::backend::Preset;
use crate::ui::browser::{reason, Wake};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// A mounted form, as JavaScript sees it.
#[wasm_bindgen]
pub struct FormHandle {
    inner: Option<Handle>,
    wake: Wake,
}

impl FormHandle {
    pub(crate) fn new(handle: Handle, wake: Wake) -> FormHandle {
        FormHandle { inner: Some(handle), wake }
    }
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes the form and stops every timer, request and listener it started.
    pub fn destroy(&mut self) {
        if let Some(mut h) = self.inner.take() {
            h.destroy();
        }
    }

    /// Asks the backend now instead of at the next poll.
    pub fn refresh(&self) {
        self.wake.ring(reason::REFRESH);
    }
}

fn text(options: &JsValue, key: &str) -> Result<Option<String>, JsError> {
    let v = Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| JsError::new(&format!("Payform option \"{key}\" must be a string")))
}

/// Reads the options object of `Payform.mount` / the `<pay-form>` attributes.
pub fn options_from_js(options: &JsValue) -> Result<Options, JsError> {
    let src = text(options, "src")?.filter(|s| !s.is_empty());
    let payment = text(options, "payment")?.filter(|s| !s.is_empty());
    if src.is_none() && payment.is_none() {
        return Err(JsError::new("Payform needs `src` (the payment URL) or `payment` (the payment JSON)"));
    }
    let preset = match text(options, "mapping")? {
        Some(mapping) => Preset::from_mapping(&mapping),
        None => Preset::parse(&text(options, "preset")?.unwrap_or_default()),
    }
    .map_err(|e| JsError::new(&e.to_string()))?;
    let interval = Reflect::get(options, &JsValue::from_str("pollInterval")).unwrap_or(JsValue::UNDEFINED);
    let poll_interval_ms = match interval.as_f64() {
        Some(ms) if ms.is_finite() && ms >= 0.0 => Some(ms as u64),
        Some(_) => {
            return Err(JsError::new("Payform option \"pollInterval\" must be a number of milliseconds"))
        }
        None => None,
    };
    Ok(Options {
        src: src.unwrap_or_default(),
        preset,
        poll_interval_ms,
        events_src: text(options, "eventsSrc")?.filter(|s| !s.is_empty()),
        payment,
        wake: None,
        theme: text(options, "theme")?.filter(|t| !t.is_empty()),
        lang: text(options, "lang")?.filter(|l| !l.is_empty()),
        locales: text(options, "locales")?.filter(|l| !l.is_empty()),
        return_hosts: text(options, "returnHosts")?.as_deref().map(super::host_list).unwrap_or_default(),
    })
}

/// `Payform.mount(element, options)`: the form is rendered into `target` and its events are
/// dispatched there.
#[wasm_bindgen]
pub fn mount(target: HtmlElement, options: JsValue) -> Result<FormHandle, JsError> {
    let mut options = options_from_js(&options)?;
    let wake = Wake::default();
    options.wake = Some(wake.clone());
    Ok(FormHandle { inner: Some(mount_options(target, options)), wake })
}

/// The library version (`Payform.version`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
