//! The bank rails' module in the browser: `payform_rails.wasm` (the `rails/` crate), fetched and
//! instantiated the first time a bank-rail payment arrives ([`prepare`]), then asked
//! synchronously by the core's payment model through [`Remote`], the [`RailCheck`] this file
//! installs. A form that only ever shows crypto never fetches it.
//!
//! The module imports nothing; its exports are `memory`, `pf_protocol`, `pf_alloc`,
//! `pf_check` and `pf_answer` (see `rails/src/lib.rs`); a module of another protocol is not
//! used. A failed load is retried on the next payment snapshot:
//! meanwhile the payment fails as `network_error` (retried with backoff), never shown unchecked.

use crate::backend::Preset;
use crate::bank::rail::{self, BankView, RailCheck, RailFailure, RailRequest};
use crate::network::Network;
use gloo_timers::callback::Timeout;
use js_sys::{Function, Reflect, Uint8Array, WebAssembly};
use std::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// The largest module accepted (it is about 110 KB).
const MAX_MODULE_BYTES: f64 = 1_048_576.0;
/// The longest request or answer handed across (a payload is at most a few KB).
const MAX_TEXT_BYTES: usize = 65_536;
/// How long the fetch may take.
const LOAD_TIMEOUT_MS: u32 = 20_000;

/// The exchange this bundle speaks (`pf_protocol`): a module cached from another release that
/// speaks another is not used.
const PROTOCOL: u32 = payform_core::bank::rail::PROTOCOL;

/// The instantiated module's exports.
struct Exports {
    memory: WebAssembly::Memory,
    alloc: Function,
    check: Function,
    answer: Function,
}

thread_local! {
    static MODULE: RefCell<Option<Exports>> = const { RefCell::new(None) };
    /// A load is under way (a second form waits for it rather than fetching again).
    static LOADING: Cell<bool> = const { Cell::new(false) };
}

impl Exports {
    fn from_instance(instance: &JsValue) -> Option<Exports> {
        let exports = Reflect::get(instance, &"exports".into()).ok()?;
        let get = |name: &str| Reflect::get(&exports, &name.into()).ok();
        let protocol: Function = get("pf_protocol")?.dyn_into().ok()?;
        if protocol.call0(&JsValue::NULL).ok()?.as_f64()? != f64::from(PROTOCOL) {
            return None;
        }
        Some(Exports {
            memory: get("memory")?.dyn_into().ok()?,
            alloc: get("pf_alloc")?.dyn_into().ok()?,
            check: get("pf_check")?.dyn_into().ok()?,
            answer: get("pf_answer")?.dyn_into().ok()?,
        })
    }

    /// One request in, one answer out; `None` if the module misbehaves.
    fn call(&self, request: &str) -> Option<String> {
        if request.len() > MAX_TEXT_BYTES {
            return None;
        }
        let len = JsValue::from(request.len() as u32);
        let ptr = self.alloc.call1(&JsValue::NULL, &len).ok()?.as_f64()? as u32;
        // The memory's buffer is read after the call: allocating may have grown it. A room
        // outside it is the module's fault, never a write out of bounds (which would throw).
        let memory = Uint8Array::new(&self.memory.buffer());
        if ptr.checked_add(request.len() as u32)? > memory.length() {
            return None;
        }
        memory.set(&Uint8Array::from(request.as_bytes()), ptr);
        let n = self.check.call2(&JsValue::NULL, &JsValue::from(ptr), &len).ok()?.as_f64()? as u32;
        let at = self.answer.call0(&JsValue::NULL).ok()?.as_f64()? as u32;
        let memory = Uint8Array::new(&self.memory.buffer());
        if n as usize > MAX_TEXT_BYTES || at.checked_add(n)? > memory.length() {
            return None;
        }
        String::from_utf8(memory.subarray(at, at + n).to_vec()).ok()
    }
}

/// The check the payment model uses in the browser: the loaded module, asked through
/// [`rail::ask`]; `Unavailable` while it is not loaded.
pub struct Remote;

impl RailCheck for Remote {
    fn check(&self, request: &RailRequest<'_>) -> Result<BankView, RailFailure> {
        rail::ask(request, |text| MODULE.with(|m| m.borrow().as_ref().and_then(|e| e.call(text))))
    }
}

/// Whether `body` (a reply of `preset`'s format) is a bank-rail payment.
fn is_bank(preset: &Preset, body: &str) -> bool {
    preset.read(body).ok().and_then(|raw| Network::parse(&raw.network).ok()).is_some_and(Network::is_bank)
}

/// Before a snapshot is handed to the session: if it is a bank-rail payment and the module is
/// not loaded, load it from `url` (once; a failure is retried with the next snapshot).
pub async fn prepare(preset: &Preset, body: &str, url: &str) {
    if MODULE.with(|m| m.borrow().is_some()) || !is_bank(preset, body) {
        return;
    }
    rail::install(&Remote);
    if LOADING.with(Cell::get) {
        // Another form is loading it: wait for that (bounded by its timeout).
        for _ in 0..(LOAD_TIMEOUT_MS / 50) {
            super::sleep(50).await;
            if !LOADING.with(Cell::get) {
                return;
            }
        }
        return;
    }
    // Set while this load runs, cleared however it ends: a form unmounted (or switched to
    // another option) mid-load drops this future, and the next form must not wait for it.
    struct Loading;
    impl Drop for Loading {
        fn drop(&mut self) {
            LOADING.with(|l| l.set(false));
        }
    }
    LOADING.with(|l| l.set(true));
    let guard = Loading;
    let loaded = load(url).await;
    drop(guard);
    if let Some(exports) = loaded {
        MODULE.with(|m| *m.borrow_mut() = Some(exports));
    }
}

/// Fetches and instantiates the module; `None` on any failure (HTTP, size, not a module).
async fn load(url: &str) -> Option<Exports> {
    let window = web_sys::window()?;
    // Aborted when the load is dropped (the form went away) or after the timeout.
    let controller = super::fetch::AbortOnDrop(AbortController::new().ok()?);
    let init = RequestInit::new();
    init.set_signal(Some(&controller.0.signal()));
    let _timer = {
        let c = controller.0.clone();
        Timeout::new(LOAD_TIMEOUT_MS, move || c.abort())
    };
    let response: Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let buffer: js_sys::ArrayBuffer =
        JsFuture::from(response.array_buffer().ok()?).await.ok()?.dyn_into().ok()?;
    if buffer.byte_length() as f64 > MAX_MODULE_BYTES {
        return None;
    }
    let bytes = Uint8Array::new(&buffer).to_vec();
    let result =
        JsFuture::from(WebAssembly::instantiate_buffer(&bytes, &js_sys::Object::new())).await.ok()?;
    let instance = Reflect::get(&result, &"instance".into()).ok()?;
    Exports::from_instance(&instance)
}
