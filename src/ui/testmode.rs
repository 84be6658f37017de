//! The test-mode banner: "TEST — no real funds" across the top of every screen of a form whose
//! `network-mode` is `test` (loading, problems, paying, confirming, the receipt, the endings),
//! so a test payment is never mistaken for a real one. A live form has none.

use crate::i18n::{Catalog, Msg};
use crate::network::NetworkMode;
use leptos::prelude::*;
use std::sync::Arc;

/// The banner, outside the screens (which are rebuilt on every status change), so it stays put.
/// A note in reading order, not a live region: the form has one status region, and a banner
/// that never changes has nothing to announce (a screen reader reads it where it stands, first
/// in the form).
#[component]
pub fn TestBanner(
    /// The form's mode: the banner exists only in test mode.
    mode: NetworkMode,
    /// The shopper's texts; `None` while the locale file is on its way (the stripes show, the
    /// words follow).
    catalog: RwSignal<Option<Arc<Catalog>>>,
) -> impl IntoView {
    mode.is_test().then(|| {
        let text = move || catalog.get().map(|t| t.get(Msg::TestMode).to_owned()).unwrap_or_default();
        view! {
            <p class="pf-test-banner" role="note" data-testid="test-banner"><strong>{text}</strong></p>
        }
    })
}
