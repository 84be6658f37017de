//! # Payform
//!
//! An embeddable, provider-agnostic crypto payment form. Give it a payment URL; it shows the
//! shopper what to pay (amount, currency, network), where (address, wallet link, QR code) and
//! what is happening (live status), and tells the merchant page the outcome through DOM events.
//!
//! Three floors, each only calling the one below:
//! - **core** (the `payform-core` crate in `core/`, no DOM, tested natively): money, addresses,
//!   URIs, QR, the payment model, the status machine, backend presets, the polling schedule.
//!   Its modules are re-exported here under their own names (`payform::money`, …);
//! - **ui** ([`ui`]): Leptos components, with [`ui::PayForm`] as the public component, the live
//!   loop, the contract's DOM events ([`events`]) and the browser plumbing;
//! - **embed** ([`embed`]): mounting into a page, the JS API and the hosted checkout page (the
//!   JS API and the checkout page with the `embed` feature only).
//!
//! ## In a Leptos app
//!
//! The crate leaves the rendering mode to the app: depend on it with no feature and enable
//! `csr` on your own `leptos`. Features: `csr` (Leptos' client-side rendering, for this
//! repository's demo page) and `embed` (the `#[wasm_bindgen]` exports of the merchant bundle
//! behind `payform.js`; implies `csr`). Neither is on by default.
//!
//! ```toml
//! [dependencies]
//! leptos = { version = "0.8", features = ["csr"] }
//! payform = "0.1"
//! ```
//!
//! [`PayForm`] takes typed [`options::Options`] and an optional callback per event of the
//! contract (`on_ready`, `on_status`, `on_paid`, …; their values are in [`events`]), called
//! as often as the matching `payform:*` DOM event fires; [`STYLESHEET`] is its CSS.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use payform::payment::Payment;
//! use payform::{options::Options, PayForm, STYLESHEET};
//!
//! let paid = RwSignal::new(false);
//! leptos::mount::mount_to_body(move || view! {
//!     <style>{STYLESHEET}</style>
//!     <PayForm options=Options::new("/api/payments/pay_123") on_paid=move |_: Payment| paid.set(true) />
//!     <Show when=move || paid.get()><p>"Thanks, your order is paid."</p></Show>
//! });
//! ```

pub use payform_core::cat;
pub use payform_core::{
    address, backend, bank, color, contract, error, i18n, json, money, network, options, payment, poll, qr,
    session, sse, status, text, time, uri, url, wallet,
};

pub mod embed;
pub mod ui;

pub use ui::events;

pub use ui::PayForm;

/// The form's stylesheet (`style/payform.css`, the same file the merchant bundle ships as
/// `payform.css`): every rule is scoped under `.payform`, themed with `--pf-*` custom
/// properties. A Leptos app puts it in the page with `<style>{payform::STYLESHEET}</style>` in
/// its view (or leptos_meta's `<Style>`), or serves the file itself, e.g. with Trunk's
/// `<link data-trunk rel="css" href="…/style/payform.css">`.
pub const STYLESHEET: &str = include_str!("../style/payform.css");
