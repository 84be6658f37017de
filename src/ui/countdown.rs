//! The time left to pay, counted on the server's clock: the local clock plus the offset the
//! session measured, so a shopper whose clock is ten minutes off still sees the right time.

use leptos::prelude::*;
use std::time::Duration;

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn format_left(ms: i64) -> String {
    let s = ms.max(0).div_euclid(1000);
    let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// The countdown to `expires_at`. Calm until the last two minutes; at zero it says time is up
/// while the form keeps asking the backend (a late payment may still count).
#[component]
pub fn Countdown(
    /// When the payment expires (Unix ms, server clock).
    expires_at: i64,
    /// Server clock minus local clock, in ms.
    clock_offset_ms: Signal<i64>,
) -> impl IntoView {
    let now = RwSignal::new(super::browser::now_ms());
    // One timer per countdown, cleared when the form goes away.
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(super::browser::now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let left = move || expires_at - (now.get() + clock_offset_ms.get());
    let class = move || match left() {
        ms if ms <= 0 => "pf-countdown pf-countdown-over",
        ms if ms <= 120_000 => "pf-countdown pf-countdown-urgent",
        _ => "pf-countdown",
    };
    let text = move || match left() {
        ms if ms > 0 => format!("Time left to pay: {}", format_left(ms)),
        _ => "Time is up. Checking with the payment server whether your payment arrived…".to_owned(),
    };
    view! { <p class=class data-testid="countdown" data-left-ms=move || left().to_string()>{text}</p> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_minutes_and_hours() {
        assert_eq!(super::format_left(59_999), "00:59");
        assert_eq!(super::format_left(600_000), "10:00");
        assert_eq!(super::format_left(3_723_000), "1:02:03");
        assert_eq!(super::format_left(-5), "00:00");
    }
}
