//! Embedding the form in a page: [`mount`] puts a [`PayForm`](crate::ui::PayForm) into an
//! element and returns a [`Handle`] whose drop (or `destroy`) removes it and stops everything
//! it started. [`api`] exposes it to JavaScript (`payform.js`: the `<pay-form>` element and
//! `Payform.mount`); [`frame`] is the hosted checkout page and its `postMessage` relay.

pub mod api;
pub mod frame;

use crate::backend::Preset;
use crate::ui::browser::Wake;
use crate::ui::PayForm;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use web_sys::HtmlElement;

/// What to show: the options of `Payform.mount` / the `<pay-form>` attributes.
#[derive(Clone)]
pub struct Options {
    pub src: String,
    pub preset: Preset,
    pub poll_interval_ms: Option<u64>,
    /// Optional Server-Sent Events URL (`events-src`).
    pub events_src: Option<String>,
    /// The payment JSON itself (the `payment` attribute, for server-rendered pages).
    pub payment: Option<String>,
    /// Rung to ask the backend at once (`refresh()`).
    pub wake: Option<Wake>,
    /// `light`, `dark` or `auto`.
    pub theme: Option<String>,
    /// A BCP 47 tag or `auto` (the browser's languages).
    pub lang: Option<String>,
    /// The base URL of the locale files (`payform.js` passes the `locales/` next to itself).
    pub locales: Option<String>,
}

/// A mounted form. Dropping it (or `destroy`) unmounts the form and cancels its timers,
/// requests and listeners.
pub struct Handle {
    /// The reactive owner above the form. Leptos' own unmount handle only removes the DOM: the
    /// form's task keeps its owner alive, so the owner is cleaned up explicitly here, which
    /// runs every `on_cleanup` below it (aborting the live loop, its timer and its request).
    owner: Owner,
    /// Leptos' unmount handle (its type names the view; boxed to keep `Handle` simple and to
    /// avoid type-erasing the view itself, which costs bundle size).
    view: Option<Box<dyn std::any::Any>>,
}

impl Handle {
    fn new<V: 'static>(make: impl FnOnce() -> V) -> Handle {
        let owner = Owner::new();
        let view = owner.with(make);
        Handle { owner, view: Some(Box::new(view)) }
    }

    /// Removes the form from the page and stops everything it started.
    pub fn destroy(&mut self) {
        if self.view.take().is_some() {
            self.owner.cleanup();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.destroy();
    }
}

/// Mounts a form into `target`; events are dispatched on the form's root inside `target` and
/// bubble to it.
pub fn mount(target: HtmlElement, options: Options) -> Handle {
    let Options { src, preset, poll_interval_ms, events_src, payment, wake, theme, lang, locales } = options;
    let poll_interval_ms = poll_interval_ms.unwrap_or(crate::poll::DEFAULT_INTERVAL_MS);
    Handle::new(move || {
        mount_to(target, move || {
            view! { <PayForm src=src preset=preset poll_interval_ms=poll_interval_ms events_src=events_src payment=payment wake=wake theme=theme lang=lang locales=locales /> }
        })
    })
}

/// Reads the hosted checkout's options from the page URL: `?src=…&preset=…&poll-interval=…
/// &events-src=…&theme=…&lang=…&mapping=<JSON>`,
/// or the same keys in the fragment (which never reaches the server's logs).
pub fn checkout_options() -> Result<Options, String> {
    let location = web_sys::window().ok_or("no window")?.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let params = |text: &str| web_sys::UrlSearchParams::new_with_str(text.trim_start_matches('#')).ok();
    let (query, fragment) = (params(&search), params(&hash));
    let get = |key: &str| {
        query.as_ref().and_then(|q| q.get(key)).or_else(|| fragment.as_ref().and_then(|f| f.get(key)))
    };
    let src = get("src").filter(|s| !s.is_empty()).ok_or_else(|| {
        "This checkout page needs the payment URL: checkout.html?src=<payment URL>".to_owned()
    })?;
    let preset = match get("mapping").filter(|m| !m.is_empty()) {
        Some(mapping) => Preset::from_mapping(&mapping),
        None => Preset::parse(&get("preset").unwrap_or_default()),
    }
    .map_err(|e| e.to_string())?;
    let poll_interval_ms = match get("poll-interval") {
        None => None,
        Some(v) => Some(
            v.parse::<u64>().map_err(|_| format!("poll-interval \"{v}\" is not a number of milliseconds"))?,
        ),
    };
    let events_src = get("events-src").filter(|s| !s.is_empty());
    let theme = get("theme").filter(|t| !t.is_empty());
    let lang = get("lang").filter(|l| !l.is_empty());
    Ok(Options {
        src,
        preset,
        poll_interval_ms,
        events_src,
        payment: None,
        wake: None,
        theme,
        lang,
        locales: None,
    })
}

/// Shows a configuration problem where the form would be (never a blank box).
pub fn mount_problem(target: HtmlElement, message: String) -> Handle {
    Handle::new(move || {
        mount_to(target, move || {
            view! {
                <div class="payform">
                    <div class="pf-problem" role="alert" data-testid="problem" data-code="bad_config">
                        <strong>"The payment form is not set up correctly"</strong>
                        <p>{message}</p>
                    </div>
                </div>
            }
        })
    })
}
