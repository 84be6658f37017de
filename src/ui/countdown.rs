//! The time left to pay, counted on the server's clock: the local clock plus the offset the
//! session measured, so a shopper whose clock is ten minutes off still sees the right time.
//! Calm (muted) until the last two minutes; the deadline is also given as a clock time.
//! The last two minutes and the end are said in words, not colour alone, and announced once
//! each: the countdown moves the form's `urgency` across those two thresholds only, and the
//! form's one live region (which outlives this countdown, rebuilt with every payment update)
//! says it.

use crate::i18n::{Catalog, Msg};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// The last stretch, said in words and in colour.
const URGENT_MS: i64 = 120_000;

/// The countdown to `expires_at`. At zero it says time is up while the form keeps asking the
/// backend (a late payment may still count). Not a timing trap: the deadline is the
/// payment's, set by the backend, and the text says what happens next.
#[component]
pub fn Countdown(
    /// When the payment expires (Unix ms, server clock).
    expires_at: i64,
    /// Server clock minus local clock, in ms.
    clock_offset_ms: Signal<i64>,
    /// The form's urgency (0 calm, 1 the last two minutes, 2 time is up), set when it changes.
    urgency: RwSignal<u8>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let now = RwSignal::new(super::browser::now_ms());
    let lang = t.lang;
    // The deadline as a clock time, written at the first tick: `Intl.DateTimeFormat` is slow to
    // initialise, and the first screen should not wait for it.
    let deadline = RwSignal::new(None::<String>);
    let pay_by = t.get(Msg::PayBy).to_owned();
    // Moves the form's urgency only across a threshold, so its live region speaks once.
    let mark = move |local_now: i64| {
        let level = match expires_at - (local_now + clock_offset_ms.get_untracked()) {
            ms if ms <= 0 => 2,
            ms if ms <= URGENT_MS => 1,
            _ => 0,
        };
        if urgency.get_untracked() != level {
            urgency.set(level);
        }
    };
    mark(now.get_untracked());
    let tick = move || {
        let local_now = super::browser::now_ms();
        now.set(local_now);
        mark(local_now);
        if deadline.get_untracked().is_none() {
            // Server time converted to the shopper's clock with the measured offset.
            let local = expires_at - clock_offset_ms.get_untracked();
            let time = super::intl::moment(lang, local, local_now);
            deadline.set(Some(crate::i18n::fill(&pay_by, &[("time", &time)])));
        }
    };
    // One timer per countdown, cleared when the form goes away.
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    // The offset is read untracked: `now` ticks every second anyway, and the countdown is
    // rebuilt with each payment update, so it must not subscribe to the form's long-lived
    // signal (a dropped effect would stay in that signal's subscriber list).
    let left = move || expires_at - (now.get() + clock_offset_ms.get_untracked());
    let class = move || match left() {
        ms if ms <= 0 => "pf-countdown pf-countdown-over",
        ms if ms <= URGENT_MS => "pf-countdown pf-countdown-urgent",
        _ => "pf-countdown",
    };
    let (urgent, up) = (t.get(Msg::TimeUrgent).to_owned(), t.get(Msg::TimeUp).to_owned());
    let text = move || match left() {
        ms if ms > 0 => t.fill(Msg::TimeLeft, &[("time", &super::intl::time_left(lang, ms))]),
        _ => String::new(),
    };
    let note = move || match left() {
        ms if ms > URGENT_MS => String::new(),
        ms if ms > 0 => urgent.clone(),
        _ => up.clone(),
    };
    view! {
        <p class=class data-testid="countdown" data-left-ms=move || crate::cat!(left())>
            {text}
            <span class="pf-countdown-note" data-testid="countdown-note">{note}</span>
            <span class="pf-deadline" data-testid="deadline">{move || deadline.get()}</span>
        </p>
    }
}

/// "Need more time?" (the `more-time` option): asks the merchant page, with
/// `payform:more_time`, to extend the deadline or re-quote; the form then shows whatever the
/// backend answers (a later `expires_at`, or a new payment).
#[component]
pub fn MoreTime(
    /// The payment the time is for.
    payment: crate::payment::Payment,
    /// The form's root element (where the event is dispatched).
    root: NodeRef<leptos::html::Div>,
    /// The host's `on_more_time`, run after the event.
    on: Option<Callback<crate::payment::Payment>>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let asked = RwSignal::new(false);
    let done = t.get(Msg::MoreTimeAsked).to_owned();
    let ask = move |_| {
        if let Some(el) = root.get_untracked() {
            super::events::dispatch(&el, super::events::MORE_TIME, &super::events::payment_detail(&payment));
            super::events::call(on, || payment.clone());
        }
        asked.set(true);
    };
    view! {
        <div class="pf-more-time">
            <button type="button" class="pf-more-time-ask" part="button" data-focus="ask-time" data-testid="ask-time" on:click=ask>
                {t.get(Msg::MoreTime).to_owned()}
            </button>
            <p class="pf-more-time-msg" role="status" data-testid="ask-time-msg">
                {move || if asked.get() { done.clone() } else { String::new() }}
            </p>
        </div>
    }
}
