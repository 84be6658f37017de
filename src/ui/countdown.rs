//! The time left to pay, counted on the server's clock: the local clock plus the offset the
//! session measured, so a shopper whose clock is ten minutes off still sees the right time.
//! Calm (muted) until the last two minutes; the deadline is also given as a clock time.

use crate::i18n::{Catalog, Msg};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// The countdown to `expires_at`. At zero it says time is up while the form keeps asking the
/// backend (a late payment may still count). Not a timing trap: the deadline is the
/// payment's, set by the backend, and the text says what happens next.
#[component]
pub fn Countdown(
    /// When the payment expires (Unix ms, server clock).
    expires_at: i64,
    /// Server clock minus local clock, in ms.
    clock_offset_ms: Signal<i64>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let now = RwSignal::new(super::browser::now_ms());
    // One timer per countdown, cleared when the form goes away.
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(super::browser::now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let lang = t.lang;
    let left = move || expires_at - (now.get() + clock_offset_ms.get());
    let class = move || match left() {
        ms if ms <= 0 => "pf-countdown pf-countdown-over",
        ms if ms <= 120_000 => "pf-countdown pf-countdown-urgent",
        _ => "pf-countdown",
    };
    let deadline = {
        // The deadline in the shopper's local time (server time converted with the offset).
        let local = expires_at - clock_offset_ms.get_untracked();
        t.fill(Msg::PayBy, &[("time", &super::intl::moment(lang, local, super::browser::now_ms()))])
    };
    let text = move || match left() {
        ms if ms > 0 => t.fill(Msg::TimeLeft, &[("time", &super::intl::time_left(lang, ms))]),
        _ => t.get(Msg::TimeUp).to_owned(),
    };
    view! {
        <p class=class data-testid="countdown" data-left-ms=move || left().to_string()>
            {text}
            <span class="pf-deadline">{deadline}</span>
        </p>
    }
}
