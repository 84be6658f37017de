//! Waiting: [`sleep`] and the live loop's doorbell [`Wake`], whose sleep ends early when an
//! event rings it (a pushed snapshot, the page becoming visible, the network coming back).
//! Timers are `gloo-timers` futures and listeners `gloo-events` listeners: dropping either
//! clears it, so a disposed form leaves nothing running.

use super::page_hidden;
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

/// Resolves after `ms`; dropping it clears the timer.
pub async fn sleep(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32).await;
}

/// Why a [`Wake`] cut a sleep short.
pub mod reason {
    /// A pushed payment snapshot is waiting.
    pub const PUSH: u8 = 1;
    /// Ask the backend now (the page became visible, the network came back, the stream failed).
    pub const REFRESH: u8 = 2;
    /// The shopper pressed "I've sent the payment": ask now and quickly for a while.
    pub const HURRY: u8 = 4;
}

/// A doorbell for the live loop: events ring it, and [`Wake::sleep`] returns early.
#[derive(Clone, Default)]
pub struct Wake(Rc<WakeInner>);

#[derive(Default)]
struct WakeInner {
    reasons: Cell<u8>,
    waker: RefCell<Option<std::task::Waker>>,
}

impl Wake {
    /// Rings with `reason` (see [`reason`]).
    pub fn ring(&self, reason: u8) {
        self.0.reasons.set(self.0.reasons.get() | reason);
        if let Some(w) = self.0.waker.borrow_mut().take() {
            w.wake();
        }
    }

    /// Sleeps `ms`, or less if rung (also if rung before the call). Returns the reasons rung,
    /// 0 when the time simply ran out. Dropping the future clears the timer.
    pub async fn sleep(&self, ms: u64) -> u8 {
        let mut timer = gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32);
        std::future::poll_fn(|cx| {
            let rung = self.0.reasons.replace(0);
            if rung != 0 {
                return std::task::Poll::Ready(rung);
            }
            if std::pin::Pin::new(&mut timer).poll(cx).is_ready() {
                return std::task::Poll::Ready(0);
            }
            *self.0.waker.borrow_mut() = Some(cx.waker().clone());
            std::task::Poll::Pending
        })
        .await
    }
}

/// Rings `wake` with REFRESH when the page becomes visible or the network comes back.
pub fn refresh_on_visible_or_online(wake: &Wake) -> Vec<EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let mut listeners = Vec::new();
    if let Some(document) = window.document() {
        let w = wake.clone();
        listeners.push(EventListener::new(&document, "visibilitychange", move |_| {
            if !page_hidden() {
                w.ring(reason::REFRESH);
            }
        }));
    }
    let w = wake.clone();
    listeners.push(EventListener::new(&window, "online", move |_| w.ring(reason::REFRESH)));
    listeners
}
