//! Keeps the merchant's brand colour readable: once the form is on the page (and whenever the
//! shopper's colour scheme flips), reads the colours the page actually gave it through the
//! `--pf-*` custom properties, and sets the form's private `--_accent-ink` (brand colour as
//! text) and `--_accent-fg` (text on the brand colour) so both reach WCAG AA (see `color`).

use crate::color::{self, Rgb};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn computed(el: &web_sys::Element, property: &str) -> Option<Rgb> {
    let style = web_sys::window()?.get_computed_style(el).ok()??;
    Rgb::parse(&style.get_property_value(property).ok()?)
}

/// Reads the accent (from the probe element's `color` and `background-color`) and the form's
/// background, and writes the readable pair onto the form's root.
fn adjust(root: &web_sys::HtmlElement) {
    let Some(probe) = root.query_selector(".pf-brand-probe").ok().flatten() else { return };
    let (Some(accent), Some(fg), Some(bg)) =
        (computed(&probe, "background-color"), computed(&probe, "color"), computed(root, "background-color"))
    else {
        return;
    };
    let style = root.style();
    let _ = style.set_property("--_accent-ink", &color::ink_on(accent, bg).hex());
    let _ = style.set_property("--_accent-fg", &color::text_on(accent, Some(fg)).hex());
}

/// Adjusts the brand colours of the form at `root` after it mounts, and again when
/// `prefers-color-scheme` changes (the `auto` theme swaps the background). The listener is
/// removed with the form.
pub fn keep_readable(root: NodeRef<Div>) {
    let media = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    let listener = media.map(|m| {
        super::browser::Listener::new(&m, "change", move |_| {
            if let Some(el) = root.get_untracked() {
                adjust(el.unchecked_ref());
            }
        })
    });
    // Kept in the form's reactive owner: dropped (and so removed) when the form is disposed.
    StoredValue::new_local(listener);
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            adjust(el.unchecked_ref());
        }
    });
}
