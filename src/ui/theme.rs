//! The form's appearance: which theme is in force (`light`, `dark`, or `auto`, which follows
//! the shopper's `prefers-color-scheme` and flips with it), and keeping the merchant's brand
//! colour readable on it. After every render of a theme, the colours the page actually gave
//! the form through the `--pf-*` custom properties are read back, and the form's private
//! `--_accent-ink` (brand colour as text) and `--_accent-fg` (text on the brand colour) are set
//! so both reach WCAG AA (see `color`).
//!
//! Measured only once the form's stylesheet applies (the probe is `display: none`, no colour
//! is transparent), and again whenever a stylesheet finishes loading in the form's shadow root
//! or the page: in `<pay-form>` the stylesheet arrives after the first render on about half of
//! all loads, and a measurement without it (transparent read as black) left a grey accent.

use crate::color::{self, Rgb};
use crate::options::Theme;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn style(el: &web_sys::Element, property: &str) -> Option<String> {
    web_sys::window()?.get_computed_style(el).ok()??.get_property_value(property).ok()
}

/// An opaque colour of `el` (a transparent one, `rgba(…, 0)`, is no colour to measure).
fn computed(el: &web_sys::Element, property: &str) -> Option<Rgb> {
    let text = style(el, property)?;
    let transparent = text == "transparent" || (text.starts_with("rgba(") && text.ends_with(", 0)"));
    if transparent {
        return None;
    }
    Rgb::parse(&text)
}

/// Reads the accent (from the probe element's `color` and `background-color`) and the form's
/// background, and writes the readable pair onto the form's root; nothing while the stylesheet
/// does not apply yet.
fn adjust(root: &web_sys::HtmlElement) {
    let Some(probe) = root.query_selector(".pf-brand-probe").ok().flatten() else { return };
    if style(&probe, "display").as_deref() != Some("none") {
        return; // payform.css has not arrived: a stylesheet `load` measures again
    }
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
    // The first run also starts listening for stylesheets that finish loading later (`load`
    // does not bubble, so in the capture phase): in the form's shadow root (payform.css) and
    // in the page (the merchant's `--pf-*`); the listeners go with the form.
    let listeners = StoredValue::new_local(Vec::new());
    Effect::new(move |_| {
        dark.track();
        let Some(el) = root.get() else { return };
        adjust(el.unchecked_ref());
        if listeners.with_value(Vec::is_empty) {
            let remeasure = move |_: &web_sys::Event| {
                if let Some(el) = root.get_untracked() {
                    adjust(el.unchecked_ref());
                }
            };
            let capture = gloo_events::EventListenerOptions::run_in_capture_phase();
            let scope = el.get_root_node();
            let mut found =
                vec![super::browser::Listener::new_with_options(&scope, "load", capture, remeasure)];
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                if !scope.is_same_node(Some(&document)) {
                    found.push(super::browser::Listener::new_with_options(
                        &document, "load", capture, remeasure,
                    ));
                }
            }
            listeners.set_value(found);
        }
    });
    Signal::derive(move || if dark.get() { "payform pf-theme-dark" } else { "payform pf-theme-light" })
}
