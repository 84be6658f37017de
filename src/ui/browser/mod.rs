//! The browser side of the core's traits, in three small parts: [`fetch`] (HTTP with a timeout,
//! abort on drop and a size limit), [`wake`] (timers and the live loop's doorbell) and [`page`]
//! (clock, randomness, visibility, clipboard, storage, URLs); and [`rails`], the bank rails'
//! module, loaded when a bank-rail payment arrives. DOM listeners are
//! `gloo-events`' [`Listener`], removed when dropped; timers are `gloo-timers`', cleared when
//! dropped. Dropping anything here cancels its browser work.

pub mod fetch;
pub mod page;
pub mod rails;
pub mod wake;

pub(crate) use fetch::{body_reader, next_chunk};
pub use fetch::{get, get_or_prefetched, post_json, Prefetch, MAX_BODY_BYTES};
/// A DOM event listener that is removed when dropped.
pub use gloo_events::EventListener as Listener;
pub use page::*;
pub use wake::{reason, refresh_on_visible_or_online, sleep, Wake};
