//! The DOM events of the public contract: the plain-object `detail` each carries, and
//! dispatching them (`bubbles` and `composed`, so they cross the shadow root and reach the
//! merchant's listener on `<pay-form>` or the mount target). Their names are the core's
//! `contract`, re-exported here. A Leptos app can have the same events as Rust values instead:
//! [`PayForm`](crate::PayForm)'s `on_*` callbacks, with the values defined here.

use crate::error::ErrorCode;
use crate::payment::{FieldValue, Payment, FIELDS};
use crate::session::Event;
use crate::status::Status;
use js_sys::{Object, Reflect};
use leptos::prelude::{Callable, Callback};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

/// The names, defined once in the core (`contract`), where a native test holds
/// `payform.d.ts` and the README to them.
pub use crate::contract::{
    ERROR, EXPIRED, FAILED, FORM_EVENTS, LATE, MORE_TIME, PAID, READY, REFUND_ADDRESS, RESIZE, STATUS,
    SUBMITTED,
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

/// `payform:submitted`'s detail as a Rust value (the `on_submitted` callback; the DOM event
/// itself is dispatched by the wallet module): the shopper's wallet sent the payment's
/// transaction. Not a payment yet: `payform:paid` follows when the backend sees it confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The transaction hash, `0x` and 64 lower-case hex digits.
    pub tx_hash: String,
    /// The EIP-155 chain id it was sent on (the payment's network's).
    pub chain_id: u64,
    /// The wallet's account that sent it.
    pub from: String,
}

/// `payform:status`'s detail as a Rust value (the `on_status` callback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
    /// The status before; `None` for the first one.
    pub previous: Option<Status>,
    /// The payment, as shown.
    pub payment: Payment,
}

/// `payform:error`'s detail as a Rust value (the `on_error` callback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetail {
    /// What went wrong (the README's codes table).
    pub code: ErrorCode,
    /// The English explanation, for the merchant's logs (the shopper never reads it).
    pub message: String,
    /// When the form asks again by itself; `None` when it will not (a 404, another 4xx).
    pub retry_in_ms: Option<u64>,
}

/// `payform:refund_address`'s detail as a Rust value (the `on_refund_address` callback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAddress {
    /// The address, in its canonical form.
    pub address: String,
    /// The network it is valid on (its id: `bitcoin`, `tron`, …).
    pub network: String,
    /// The payment the refund would be for.
    pub payment: Payment,
}

/// The Rust callbacks of one form, one per event of the contract; each runs right after its
/// DOM event is dispatched, and only then (so as often: the completion events once).
#[derive(Clone, Copy, Default)]
pub struct Callbacks {
    pub ready: Option<Callback<Payment>>,
    pub status: Option<Callback<StatusChange>>,
    pub paid: Option<Callback<Payment>>,
    pub expired: Option<Callback<Payment>>,
    /// `reason` is the payment's status.
    pub failed: Option<Callback<Payment>>,
    pub error: Option<Callback<ErrorDetail>>,
    /// `status` is the payment's status.
    pub late: Option<Callback<Payment>>,
    pub refund_address: Option<Callback<RefundAddress>>,
    pub more_time: Option<Callback<Payment>>,
    pub submitted: Option<Callback<Submitted>>,
}

impl Callbacks {
    /// Runs the callback of `event`, if there is one.
    pub fn run(&self, event: &Event) {
        match event {
            Event::Ready(p) => call(self.ready, || p.clone()),
            Event::Status { status, previous, payment } => call(self.status, || StatusChange {
                status: *status,
                previous: *previous,
                payment: payment.clone(),
            }),
            Event::Paid(p) => call(self.paid, || p.clone()),
            Event::Expired(p) => call(self.expired, || p.clone()),
            Event::Failed(p) => call(self.failed, || p.clone()),
            Event::Late(p) => call(self.late, || p.clone()),
            Event::Error(e) => call(self.error, || ErrorDetail {
                code: e.code,
                message: e.message.clone(),
                retry_in_ms: e.retry_in_ms,
            }),
        }
    }
}

/// Runs `callback`, if any, with the value `make` builds; a callback whose owner is gone is
/// skipped.
pub fn call<T: 'static>(callback: Option<Callback<T>>, make: impl FnOnce() -> T) {
    if let Some(callback) = callback {
        let _ = callback.try_run(make());
    }
}
