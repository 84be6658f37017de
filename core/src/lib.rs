//! # payform-core
//!
//! The pure core of Payform: everything that decides what a shopper is shown, with no DOM.
//! It builds without leptos, web-sys, js-sys or wasm-bindgen (a compile error, not a convention:
//! they are not dependencies), runs natively, and is tested with a fake clock and fake replies.
//!
//! - values: [`money`] (exact amounts), [`network`] (chains and assets), [`address`] (checksummed
//!   payee addresses), [`uri`] (wallet links), [`qr`] (the QR matrix), [`color`];
//! - the payment: [`json`] (the bounded reader), [`backend`] (presets and mappings → a raw
//!   payment), [`payment`] (validation → a payable [`payment::Payment`]), [`status`] (the status
//!   machine);
//! - the contract: [`error`] (the `payform:error` codes and what the shopper reads for each),
//!   [`contract`] (the event names);
//! - the life of a form: [`time`], [`url`], [`sse`], [`poll`] (every wait), [`session`] (replies
//!   in, screens out), [`i18n`] (every shopper-visible string), [`options`] (what a form is
//!   given, described once), [`text`] (strings joined without `core::fmt`);
//! - [`wallet`]: the transaction a connected EVM wallet is asked to send and what its errors
//!   mean (not yet wired to the UI);
//! - bank-QR rails: [`bank`] (IBAN, creditor and QR references, EPC, Swiss QR-bill, EMVCo MPM
//!   with PayNow / PromptPay / DuitNow, PIX, UPI; the browser runs its checks and encoders in
//!   the separate `payform_rails.wasm`).

pub mod address;
pub mod backend;
pub mod bank;
pub mod color;
pub mod contract;
pub mod error;
pub mod i18n;
pub mod json;
pub mod money;
pub mod network;
pub mod options;
pub mod payment;
pub mod poll;
pub mod qr;
pub mod session;
pub mod sse;
pub mod status;
pub mod text;
pub mod time;
pub mod uri;
pub mod url;
pub mod wallet;
