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
//! - **embed** ([`embed`]): mounting into a page, the JS API and the hosted checkout page.

pub use payform_core::cat;
pub use payform_core::{
    address, backend, bank, color, contract, error, i18n, json, money, network, options, payment, poll, qr,
    session, sse, status, text, time, uri, url,
};

pub mod embed;
pub mod ui;

pub use ui::events;

pub use ui::PayForm;
