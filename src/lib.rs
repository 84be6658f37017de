//! # Payform
//!
//! An embeddable, provider-agnostic crypto payment form. Give it a payment URL; it shows the
//! shopper what to pay (amount, currency, network), where (address, wallet link, QR code) and
//! what is happening (live status), and tells the merchant page the outcome through DOM events.
//!
//! The crate is layered so the architecture reads from the file tree:
//! - **pure core** (no DOM, tested natively): [`json`], [`money`], [`network`], [`address`],
//!   [`uri`], [`url`], [`qr`], [`time`], [`payment`], [`status`], [`backend`], [`poll`], [`session`],
//!   [`i18n`], [`color`], [`sse`];
//! - **view** ([`ui`]): Leptos components, with [`ui::PayForm`] as the public component;
//! - **embedding** ([`embed`], [`events`]): mounting into a page and the contract's DOM events.
//!
//! The view and embedding layers are behind the default `ui` feature; without it the crate is
//! the pure core alone (no Leptos, no web-sys), as the devserver and the fuzz targets use it.

pub mod address;
pub mod backend;
pub mod color;
pub mod i18n;
pub mod json;
pub mod money;
pub mod network;
pub mod payment;
pub mod poll;
pub mod qr;
pub mod session;
pub mod sse;
pub mod status;
pub mod time;
pub mod uri;
pub mod url;

#[cfg(feature = "ui")]
pub mod embed;
#[cfg(feature = "ui")]
pub mod events;
#[cfg(feature = "ui")]
pub mod ui;

#[cfg(feature = "ui")]
pub use ui::PayForm;
