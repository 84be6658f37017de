//! The DOM events of the public contract: the plain-object `detail` each carries, and
//! dispatching them (`bubbles` and `composed`, so they cross the shadow root and reach the
//! merchant's listener on `<pay-form>` or the mount target). Their names are the core's
//! `contract`, re-exported here.

use crate::error::ErrorCode;
use crate::payment::{FieldValue, Payment, FIELDS};
use crate::status::Status;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

/// The names, defined once in the core (`contract`), where a native test holds
/// `payform.d.ts` and the README to them.
pub use crate::contract::{
    ERROR, EXPIRED, FAILED, FORM_EVENTS, LATE, MORE_TIME, PAID, READY, REFUND_ADDRESS, RESIZE, STATUS,
};

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

/// One field's value as the contract writes it: amounts as exact decimal strings, times as
/// ISO 8601, absent values as `null`.
fn js(value: FieldValue<'_>) -> JsValue {
    match value {
        FieldValue::Null => JsValue::NULL,
        FieldValue::Text(text) => text.into(),
        FieldValue::Amount(amount) => amount.to_decimal().into(),
        FieldValue::Time(ms) => js_sys::Date::new(&JsValue::from_f64(ms as f64)).to_iso_string().into(),
        FieldValue::Count(n) => n.into(),
        FieldValue::Fiat(f) => {
            object(&[("amount", f.amount.as_str().into()), ("currency", f.currency.as_str().into())])
        }
        FieldValue::Options(options) => options
            .iter()
            .map(|o| {
                object(&[
                    ("currency", o.currency.as_str().into()),
                    ("network", o.network.as_str().into()),
                    ("src", o.src.as_str().into()),
                ])
            })
            .collect::<js_sys::Array>()
            .into(),
        FieldValue::Texts(texts) => {
            texts.iter().map(|t| JsValue::from_str(t)).collect::<js_sys::Array>().into()
        }
    }
}

/// The normalized payment as a plain object: every field of the core's field table
/// (`payment::FIELDS`, the one list of the payment's fields), by its contract name.
pub fn payment_object(p: &Payment) -> JsValue {
    let pairs: Vec<(&str, JsValue)> = FIELDS.iter().map(|f| (f.name, js(p.value(f.field)))).collect();
    object(&pairs)
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

/// `{status, payment}` for `payform:late`.
pub fn late_detail(p: &Payment) -> JsValue {
    object(&[("status", p.status.as_str().into()), ("payment", payment_object(p))])
}

/// `{address, network, payment}` for `payform:refund_address`.
pub fn refund_detail(address: &str, network: &str, p: &Payment) -> JsValue {
    object(&[("address", address.into()), ("network", network.into()), ("payment", payment_object(p))])
}

/// `{payment, reason}` for `payform:failed`; the reason is the terminal status.
pub fn failed_detail(p: &Payment) -> JsValue {
    object(&[("payment", payment_object(p)), ("reason", p.status.as_str().into())])
}

/// `{code, message, retry_in_ms}` for `payform:error` (`retry_in_ms` is null when the form
/// will not retry on its own).
pub fn error_detail(code: ErrorCode, message: &str, retry_in_ms: Option<u64>) -> JsValue {
    let retry = retry_in_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64));
    object(&[("code", code.as_str().into()), ("message", message.into()), ("retry_in_ms", retry)])
}
