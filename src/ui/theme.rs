//! The form's appearance: which theme is in force (`light`, `dark`, or `auto`, which follows
//! the shopper's `prefers-color-scheme` and flips with it), and keeping the merchant's brand
//! colour readable on it. After every render of a theme, the colours the page actually gave
//! the form through the `--pf-*` custom properties are read back, and the form's private
//! `--_accent-ink` (brand colour as text) and `--_accent-fg` (text on the brand colour) are set
//! so both reach WCAG AA (see `color`).

use crate::color::{self, Rgb};
use crate::options::Theme;
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

/// The root's class for `theme`. With `auto`, a listener on `prefers-color-scheme` (removed
/// with the form) flips it. After each change of theme the brand colours of the form at `root`
/// are re-measured.
pub fn theme_class(theme: Theme, root: NodeRef<Div>) -> Signal<&'static str> {
    let media = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    let dark = RwSignal::new(match theme {
        Theme::Light => false,
        Theme::Dark => true,
        Theme::Auto => media.as_ref().is_some_and(|m| m.matches()),
    });
    if theme == Theme::Auto {
        let listener = media.map(|m| {
            let list = m.clone();
            super::browser::Listener::new(&m, "change", move |_| dark.set(list.matches()))
        });
        // Kept in the form's reactive owner: dropped (and so removed) with the form.
        StoredValue::new_local(listener);
    }
    // Effects run after the view has updated, so the new theme's colours are the ones read.
    Effect::new(move |_| {
        dark.track();
        if let Some(el) = root.get() {
            adjust(el.unchecked_ref());
        }
    });
    Signal::derive(move || if dark.get() { "payform pf-theme-dark" } else { "payform pf-theme-light" })
}
