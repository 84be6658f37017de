//! The JavaScript API behind `payform.js`: `mount(element, options, attributes)` returns a handle
//! with `destroy()` and `refresh()`; `mountCheckout()` runs the hosted checkout page; `version()`.
//! Options come as a plain object keyed by the options' JavaScript names (`{src, pollInterval,
//! …}`), and for `<pay-form>` as a second object of its attributes keyed by the attribute
//! names (`poll-interval`); both are read by looping over [`TABLE`].

use super::{mount_prefetched, Handle};
use crate::options::{Given, OptionError, Options, TABLE};
use crate::ui::browser::{reason, Prefetch, Wake};
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

/// Reads the options object of `Payform.mount` (JavaScript names) and the attributes of
/// `<pay-form>` (attribute names; `undefined` for `mount`), then checks them as a whole. An
/// option given both ways is taken from `options`.
pub fn options_from_js(options: &JsValue, attributes: &JsValue) -> Result<Options, OptionError> {
    let mut read = Options::default();
    for spec in TABLE {
        let (name, value) = match property(options, spec.js) {
            Some(value) => (spec.js, value),
            None => match property(attributes, spec.name).filter(|_| spec.element) {
                Some(value) => (spec.name, value),
                None => continue,
            },
        };
        let text = value.as_string();
        let given = match (&text, value.as_f64(), value.as_bool()) {
            (Some(text), _, _) => Given::Text(text),
            (None, Some(number), _) => Given::Number(number),
            (None, None, Some(on)) => Given::Bool(on),
            _ => Given::Other,
        };
        read.set(spec.key, name, given)?;
    }
    read.check()?;
    Ok(read)
}

/// `object[key]`, unless it is absent, `undefined` or `null`.
fn property(object: &JsValue, key: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// An option error as a JavaScript `Error` whose `code` is the `payform:error` code.
fn js_error(error: &OptionError) -> JsValue {
    let js = js_sys::Error::new(&error.message());
    let _ = Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(error.code().as_str()));
    js.into()
}

/// `Payform.mount(element, options)`: the form is rendered into `target` and its events are
/// dispatched there. `payform.js` passes `<pay-form>`'s attributes as `attributes`, and as
/// `prefetch` the `GET` of the payment it started while the wasm was loading
/// (`{url, response, controller}`; see [`Prefetch`]).
#[wasm_bindgen]
pub fn mount(
    target: HtmlElement,
    options: JsValue,
    attributes: JsValue,
    prefetch: JsValue,
) -> Result<FormHandle, JsValue> {
    let options = options_from_js(&options, &attributes).map_err(|e| js_error(&e))?;
    let wake = Wake::default();
    let prefetch = Prefetch::from_js(&prefetch);
    Ok(FormHandle { inner: Some(mount_prefetched(target, options, wake.clone(), prefetch)), wake })
}

/// The library version (`Payform.version`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Called by the wallet module (`payform-wallet.js`) once it has started, with its
/// `attach(box, tx, texts, info)`: every payment box of every form is handed to it (see
/// [`crate::ui::wallet`]).
#[wasm_bindgen(js_name = offerWallets)]
pub fn offer_wallets(attach: js_sys::Function) {
    crate::ui::wallet::offer(Some(attach));
}
