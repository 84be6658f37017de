//! "I've sent the payment": the shopper says the payment is on its way, the form asks the
//! backend at once and then quickly for a while ([`HURRY_WINDOW_MS`]), and says "Looking for
//! your payment…" meanwhile, then, if nothing was seen, that it keeps checking. Shown while
//! funds are due; the status screen that follows a detected payment replaces it. The search
//! lives in the form's state, so a screen rebuilt by a payment update carries it on.

use super::browser::{reason, Wake};
use super::live::FormState;
use crate::i18n::{Catalog, Msg};
use crate::poll::HURRY_WINDOW_MS;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// The button and the search's line.
#[component]
pub fn SentIt(
    /// Rung with HURRY when pressed (only a live form has one, and shows the button).
    wake: Wake,
    /// The form's state: the search's phase and end, read once and written, never subscribed.
    state: FormState,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let phase = RwSignal::new(state.looking.get_untracked());
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    // At the end of the fast search: "not seen yet", here and in the form's live region.
    let arm = move |until: i64| {
        if let Some(old) = timer.try_update_value(Option::take).flatten() {
            old.clear();
        }
        let wait = (until - super::browser::now_ms()).max(0) as u64;
        let end = move || {
            phase.set(2);
            state.looking.set(2);
        };
        if let Ok(handle) = set_timeout_with_handle(end, Duration::from_millis(wait)) {
            timer.set_value(Some(handle));
        }
    };
    if phase.get_untracked() == 1 {
        arm(state.looking_until.get_untracked());
    }
    on_cleanup(move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
    let press = move |_| {
        let until = super::browser::now_ms() + HURRY_WINDOW_MS as i64;
        state.looking_until.set(until);
        state.looking.set(1);
        phase.set(1);
        arm(until);
        wake.ring(reason::HURRY);
    };
    let (looking, not_seen) = (t.get(Msg::Looking).to_owned(), t.get(Msg::NotSeenYet).to_owned());
    let line = move || match phase.get() {
        1 => Some(
            view! { <p class="pf-looking" data-testid="looking" data-state="looking">{looking.clone()}</p> },
        ),
        2 => Some(
            view! { <p class="pf-looking" data-testid="looking" data-state="not-seen">{not_seen.clone()}</p> },
        ),
        _ => None,
    };
    view! {
        <div class="pf-sent">
            <button type="button" class="pf-sent-it" part="button" data-focus="sent-it" data-testid="sent-it" on:click=press>
                {t.get(Msg::SentIt).to_owned()}
            </button>
            {line}
        </div>
    }
}
