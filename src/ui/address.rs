//! The receiving address, shown whole in 4-character groups (the first and last emphasised,
//! against address poisoning), with a copy button that confirms it copied.

use crate::i18n::{Catalog, Msg};
use leptos::prelude::*;
use std::sync::Arc;

/// Splits an address into 4-character groups for reading (the copied text stays whole).
fn groups(address: &str) -> Vec<String> {
    let chars: Vec<char> = address.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect()).collect()
}

/// The address to pay, in 4-character groups, with a copy button.
#[component]
pub fn AddressRow(
    /// Canonical address text, already validated by `address::validate`.
    address: String,
    /// The row's label, when it is not "Address" (a Lightning invoice).
    #[prop(default = None)]
    label: Option<String>,
    /// In groups of four (an address); `false` shows the text whole, wrapping anywhere (a Pix
    /// "copia e cola" code, which has spaces of its own), and not read out (its copy button
    /// is what a screen-reader user needs).
    #[prop(default = true)]
    grouped: bool,
    /// The copy button's label, when it is not "Copy address".
    #[prop(default = None)]
    copy_label: Option<String>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let parts = if grouped { groups(&address) } else { vec![address.clone()] };
    let class = if grouped { "pf-group" } else { "pf-whole" };
    let label = label.unwrap_or_else(|| t.get(Msg::Address).to_owned());
    // Read by assistive technology in its groups ("TXK9 R9U7 …"), one group at a time; the
    // visible text stays one token without spaces, so a shopper who selects and copies it by
    // hand gets the exact address.
    let spoken = if grouped { parts.join(" ") } else { String::new() };
    let copy_label = copy_label.unwrap_or_else(|| t.get(Msg::CopyAddress).to_owned());
    view! {
        <div class="pf-address">
            <div class="pf-row">
                <span class="pf-label">{label}</span>
                <CopyButton text=address.clone() label=copy_label focus="copy-address" t=t />
            </div>
            <p class="pf-sr-only" dir="ltr" data-testid="address-spoken">{spoken}</p>
            <p class="pf-address-text" dir="ltr" aria-hidden="true" data-testid="address" data-address=address.clone()>
                {parts.into_iter().map(|g| view! { <span class=class>{g}</span> }).collect_view()}
            </p>
        </div>
    }
}

/// A button that copies `text` and says "Copied" for two seconds (announced politely).
#[component]
pub fn CopyButton(
    /// The exact text to put on the clipboard.
    text: String,
    /// The button's accessible label.
    label: String,
    /// Its name for keeping focus across a rebuilt screen (`data-focus`, see `FormView`).
    focus: &'static str,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let text = text.clone();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            if super::browser::copy_text(&text).await {
                copied.set(true);
                super::browser::sleep(2_000).await;
                copied.set(false);
            }
        });
    };
    let (copy, done) = (t.get(Msg::Copy).to_owned(), t.get(Msg::Copied).to_owned());
    view! {
        <button type="button" class="pf-copy" part="button" aria-label=label data-focus=focus on:click=on_click>
            <span aria-live="polite">{move || if copied.get() { done.clone() } else { copy.clone() }}</span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_by_four_keeping_every_character() {
        let g = super::groups("TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6");
        assert_eq!(g.first().map(String::as_str), Some("TXK9"));
        assert_eq!(g.last().map(String::as_str), Some("U6"));
        assert_eq!(g.concat(), "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6");
    }
}
