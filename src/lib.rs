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
//! - **ui** ([`ui`]): Leptos components, with [`ui::PayForm`] as the public component;
//! - **embed** ([`embed`], [`events`]): mounting into a page and the contract's DOM events.

pub use payform_core::{
    address, backend, color, error, i18n, json, money, network, payment, poll, qr, session, sse, status, time, uri,
    url,
};

pub mod embed;
pub mod events;
pub mod ui;

pub use ui::PayForm;
