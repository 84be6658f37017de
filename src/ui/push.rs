//! Pushed payment snapshots (server-sent events), read with `fetch` and the core's
//! [`SseParser`](crate::sse::SseParser). Not `EventSource` (nor gloo-net's wrapper of it),
//! for two reasons:
//! - **bounded while reading**: a line or event larger than the body limit ends the stream as
//!   soon as the byte that breaks the bound arrives (an `EventSource` buffers any event whole);
//! - **one stream per URL per page**: forms that follow the same `events-src` share one
//!   connection (a browser allows six per host, so a seventh form would never load).
//!
//! A [`Push`] is one form's subscription. The stream ([`Hub`]) lives as long as some form
//! subscribes: dropping the last subscription aborts the request, so a destroyed form leaves
//! nothing running. When the stream ends or breaks, every subscriber is told (it falls back to
//! polling) and the next form to subscribe opens a new one.

use super::browser::{body_reader, next_chunk, reason, Wake, MAX_BODY_BYTES};
use crate::sse::SseParser;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit, Response};

/// The most pushed snapshots kept waiting for one form's loop (the oldest is dropped: each
/// snapshot is the whole payment, so only the newest matter).
const MAX_QUEUED: usize = 8;

/// One form's subscription to a stream.
pub struct Push {
    inbox: Rc<Inbox>,
    /// Keeps the stream open while this form follows it.
    _hub: Rc<Hub>,
}

struct Inbox {
    queue: RefCell<Vec<String>>,
    failed: Cell<bool>,
    wake: Wake,
}

/// One stream, shared by the forms that follow its URL.
struct Hub {
    url: String,
    inboxes: RefCell<Vec<Weak<Inbox>>>,
    abort: AbortController,
    failed: Cell<bool>,
}

thread_local! {
    /// The open streams by URL (a page follows one or two: a list beats a hash map in size).
    static HUBS: RefCell<Vec<(String, Weak<Hub>)>> = const { RefCell::new(Vec::new()) };
}

fn find_hub(url: &str) -> Option<Rc<Hub>> {
    HUBS.with_borrow(|hubs| hubs.iter().find(|(u, _)| u == url).and_then(|(_, w)| w.upgrade()))
}

/// Forgets `url`'s stream unless it is alive and `only_if_dead`.
fn forget_hub(url: &str, only_if_dead: bool) {
    HUBS.with_borrow_mut(|hubs| hubs.retain(|(u, w)| u != url || (only_if_dead && w.strong_count() > 0)));
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.abort.abort();
        forget_hub(&self.url, true);
    }
}

impl Hub {
    /// Hands `data` to every form following this stream.
    fn deliver(&self, data: &str) {
        for inbox in self.inboxes.borrow().iter().filter_map(Weak::upgrade) {
            let mut queue = inbox.queue.borrow_mut();
            if queue.len() >= MAX_QUEUED {
                queue.remove(0);
            }
            queue.push(data.to_owned());
            inbox.wake.ring(reason::PUSH);
        }
    }

    /// The stream is over: every form polls instead, and a new form opens a new stream.
    fn fail(&self) {
        self.failed.set(true);
        forget_hub(&self.url, false);
        for inbox in self.inboxes.borrow().iter().filter_map(Weak::upgrade) {
            inbox.failed.set(true);
            inbox.wake.ring(reason::REFRESH);
        }
    }
}

impl Push {
    /// Follows the stream at `url` (resolved against the page), opening it if no form on the
    /// page follows it yet.
    pub fn open(url: &str, wake: &Wake) -> Option<Push> {
        let window = web_sys::window()?;
        let page = window.location().href().ok()?;
        let url = web_sys::Url::new_with_base(url, &page).ok()?.href();
        let hub = match find_hub(&url) {
            Some(hub) => hub,
            None => {
                let hub = Rc::new(Hub {
                    url: url.clone(),
                    inboxes: RefCell::new(Vec::new()),
                    abort: AbortController::new().ok()?,
                    failed: Cell::new(false),
                });
                HUBS.with_borrow_mut(|hubs| hubs.push((url.clone(), Rc::downgrade(&hub))));
                let weak = Rc::downgrade(&hub);
                let signal = hub.abort.signal();
                wasm_bindgen_futures::spawn_local(async move {
                    // Ended, broken or over a bound: unless the last form left (then the request
                    // was aborted and nobody listens), the forms fall back to polling.
                    let _ = read(&url, &signal, &weak).await;
                    if let Some(hub) = weak.upgrade() {
                        hub.fail();
                    }
                });
                hub
            }
        };
        let inbox =
            Rc::new(Inbox { queue: RefCell::new(Vec::new()), failed: Cell::new(false), wake: wake.clone() });
        {
            let mut inboxes = hub.inboxes.borrow_mut();
            inboxes.retain(|w| w.strong_count() > 0);
            inboxes.push(Rc::downgrade(&inbox));
        }
        Some(Push { inbox, _hub: hub })
    }

    /// The snapshots received since the last call.
    pub fn drain(&self) -> Vec<String> {
        std::mem::take(&mut *self.inbox.queue.borrow_mut())
    }

    /// Whether the stream broke or ended (the loop then drops it and polls instead).
    pub fn failed(&self) -> bool {
        self.inbox.failed.get() || self._hub.failed.get()
    }
}

/// Reads the stream until it ends, breaks, exceeds a bound, or the hub is dropped (which
/// aborts the request through `signal`).
async fn read(url: &str, signal: &web_sys::AbortSignal, hub: &Weak<Hub>) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::UNDEFINED)?;
    let headers = Headers::new()?;
    headers.set("Accept", "text/event-stream")?;
    let init = RequestInit::new();
    init.set_headers(&headers);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(signal));
    let resp: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await?.unchecked_into();
    let is_stream = resp
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/event-stream"));
    if !resp.ok() || !is_stream {
        return Err(JsValue::UNDEFINED); // not an event stream
    }
    let reader = body_reader(&resp).ok_or(JsValue::UNDEFINED)?;
    let mut parser = SseParser::new(MAX_BODY_BYTES);
    while let Some(bytes) = next_chunk(&reader).await? {
        // Why the stream ended does not matter to the forms (they poll either way).
        let fail = |_: crate::sse::SseError| {
            let _ = reader.cancel();
            JsValue::UNDEFINED
        };
        let events = parser.feed(&bytes).map_err(fail)?;
        let Some(hub) = hub.upgrade() else {
            let _ = reader.cancel();
            return Ok(());
        };
        for event in events.iter().filter(|e| e.event == "payment" || e.event == "message") {
            hub.deliver(&event.data);
        }
        // A bound broken after some complete events: deliver those, then stop at once rather
        // than wait for a next chunk that a hostile server may never send.
        if let Some(e) = parser.error() {
            return Err(fail(e));
        }
    }
    Ok(())
}
