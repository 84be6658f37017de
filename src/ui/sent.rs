//! "I've sent the payment": the shopper says the payment is on its way, the form asks the
//! backend at once and then quickly for a while ([`poll::HURRY_WINDOW_MS`](crate::poll)), and
//! says "Looking for your payment…" meanwhile, then, if nothing was seen, that it keeps
//! checking. Shown while funds are due; the status screen that follows a detected payment
//! replaces it.

use super::browser::{reason, Wake};
use crate::i18n::{Catalog, Msg};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// The button and the search's line. `looking_until` is when the fast search ends (local
/// clock, ms; 0 before the button was pressed); the screen is rebuilt when it changes.
#[component]
pub fn SentIt(
    /// Rung with HURRY when pressed (no doorbell: the form is not live, no button).
    wake: Wake,
    /// When the fast search ends (0: not started).
    looking_until: i64,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let over = RwSignal::new(looking_until != 0 && super::browser::now_ms() >= looking_until);
    if looking_until != 0 && !over.get_untracked() {
        let wait = (looking_until - super::browser::now_ms()).max(0) as u64;
        // One timer, for the moment the search's line changes; cleared with the screen.
        if let Ok(handle) = set_timeout_with_handle(move || over.set(true), Duration::from_millis(wait)) {
            on_cleanup(move || handle.clear());
        }
    }
    let (looking, not_seen) = (t.get(Msg::Looking).to_owned(), t.get(Msg::NotSeenYet).to_owned());
    let line = move || match (looking_until, over.get()) {
        (0, _) => None,
        (_, false) => Some(
            view! { <p class="pf-looking" data-testid="looking" data-state="looking">{looking.clone()}</p> },
        ),
        (_, true) => Some(
            view! { <p class="pf-looking" data-testid="looking" data-state="not-seen">{not_seen.clone()}</p> },
        ),
    };
    view! {
        <div class="pf-sent">
            <button type="button" class="pf-sent-it" data-focus="sent-it" data-testid="sent-it"
                on:click=move |_| wake.ring(reason::HURRY)>
                {t.get(Msg::SentIt).to_owned()}
            </button>
            {line}
        </div>
    }
}
