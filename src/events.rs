//! The DOM events of the public contract, in one place: their names, the plain-object
//! `detail` each carries, and dispatching them (`bubbles` and `composed`, so they cross the
//! shadow root and reach the merchant's listener on `<pay-form>` or the mount target).

use crate::payment::Payment;
use crate::status::Status;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

pub const READY: &str = "payform:ready";
pub const STATUS: &str = "payform:status";
pub const PAID: &str = "payform:paid";
pub const EXPIRED: &str = "payform:expired";
pub const FAILED: &str = "payform:failed";
pub const ERROR: &str = "payform:error";

/// Dispatches `name` with `detail` on `target`.
pub fn dispatch(target: &EventTarget, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// A plain object from key/value pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn opt_str(v: &Option<String>) -> JsValue {
    v.as_deref().map_or(JsValue::NULL, JsValue::from_str)
}

fn opt_time(ms: Option<i64>) -> JsValue {
    ms.map_or(JsValue::NULL, |ms| js_sys::Date::new(&JsValue::from_f64(ms as f64)).to_iso_string().into())
}

fn opt_u32(v: Option<u32>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from)
}

/// The normalized payment as a plain object with the contract's field names; amounts are
/// exact decimal strings.
pub fn payment_object(p: &Payment) -> JsValue {
    let fiat = p.fiat.as_ref().map_or(JsValue::NULL, |f| {
        object(&[("amount", f.amount.as_str().into()), ("currency", f.currency.as_str().into())])
    });
    let options = p
        .options
        .iter()
        .map(|o| {
            object(&[
                ("currency", o.currency.as_str().into()),
                ("network", o.network.as_str().into()),
                ("src", o.src.as_str().into()),
            ])
        })
        .collect::<js_sys::Array>();
    object(&[
        ("id", p.id.as_str().into()),
        ("status", p.status.as_str().into()),
        ("amount", p.amount.to_string().into()),
        ("currency", p.asset.currency.into()),
        ("network", p.network().id().into()),
        ("address", p.address.as_str().into()),
        ("paid", p.paid.to_string().into()),
        ("due", p.due.to_string().into()),
        ("expires_at", opt_time(p.expires_at)),
        ("server_time", opt_time(p.server_time)),
        ("confirmations", opt_u32(p.confirmations)),
        ("confirmations_required", opt_u32(p.confirmations_required)),
        ("fiat", fiat),
        ("description", opt_str(&p.description)),
        ("merchant", opt_str(&p.merchant)),
        ("return_url", opt_str(&p.return_url)),
        ("options", options.into()),
    ])
}

/// `{payment}`, for ready / paid / expired.
pub fn payment_detail(p: &Payment) -> JsValue {
    object(&[("payment", payment_object(p))])
}

/// `{status, previous, payment}` for `payform:status`.
pub fn status_detail(status: Status, previous: Option<Status>, p: &Payment) -> JsValue {
    let previous = previous.map_or(JsValue::NULL, |s| s.as_str().into());
    object(&[("status", status.as_str().into()), ("previous", previous), ("payment", payment_object(p))])
}

/// `{payment, reason}` for `payform:failed`; the reason is the terminal status.
pub fn failed_detail(p: &Payment) -> JsValue {
    object(&[("payment", payment_object(p)), ("reason", p.status.as_str().into())])
}

/// `{code, message, retry_in_ms}` for `payform:error` (`retry_in_ms` is null when the form
/// will not retry on its own).
pub fn error_detail(code: &str, message: &str, retry_in_ms: Option<u64>) -> JsValue {
    let retry = retry_in_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64));
    object(&[("code", code.into()), ("message", message.into()), ("retry_in_ms", retry)])
}
