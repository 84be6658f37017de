//! The hosted checkout page (`checkout.html`, usually in an iframe): reads its options from
//! the URL, mounts the form into the page, and posts the contract's events to the parent page
//! at exactly `parent_origin` (never `"*"`), plus `payform:resize` with the height of the page's
//! content, so the frame grows and shrinks with it. Inside a mobile app's WebView, `checkout.js`
//! passes a relay that hands the same messages to the app's bridges. The link may also theme
//! the form, with colours and a radius only ([`color::link_style`]).

use super::api::FormHandle;
use super::{checkout_options, mount_prefetched, mount_problem};
use crate::color;
use crate::events;
use crate::options::Theme;
use crate::ui::browser::{Listener, Prefetch, Wake};
use wasm_bindgen::prelude::*;
use web_sys::{EventTarget, Window};

/// Checks `parent_origin`: exactly a scheme, host and optional port (`https://shop.example`).
pub fn valid_origin(origin: &str) -> bool {
    let Ok(url) = web_sys::Url::new(origin) else { return false };
    matches!(url.protocol().as_str(), "https:" | "http:") && url.origin() == origin
}

/// The parent window and its origin.
struct Parent {
    window: Window,
    origin: String,
}

/// Where the page posts its messages: the parent frame (when framed) and the relay `checkout.js`
/// gives when the page is in a mobile app's WebView (it passes each message on to the app's
/// bridges). Each message is built once and goes once to each.
struct Sinks {
    parent: Option<Parent>,
    relay: Option<js_sys::Function>,
}

impl Sinks {
    fn post(&self, kind: &str, detail: &JsValue) {
        let message = events::object(&[
            ("source", "payform".into()),
            ("version", JsValue::from(1)),
            ("type", kind.into()),
            ("detail", detail.clone()),
        ]);
        if let Some(parent) = &self.parent {
            let _ = parent.window.post_message(&message, &parent.origin);
        }
        if let Some(relay) = &self.relay {
            let _ = relay.call1(&JsValue::NULL, &message);
        }
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn warn(message: &str);
}

/// Sets the link's theming keys (`accent`, `radius`, …) on `page` as the form's custom
/// properties, each value written by [`color::link_style`] (never the link's text); says in the
/// console which were left out and why.
fn theme_from_link(page: &web_sys::HtmlElement, get: impl Fn(&str) -> Option<String>, theme: Theme) {
    let style = color::link_style(get, theme);
    for (property, value) in &style.properties {
        let _ = page.style().set_property(property, value);
    }
    for (key, why) in style.ignored {
        warn(&crate::cat!("Payform checkout: ", key, " ", why, ": ignored"));
    }
}

/// The page-size observer and its callback (the callback must outlive the observer).
type Resize = (web_sys::ResizeObserver, Closure<dyn FnMut(JsValue)>);

/// Everything the checkout page keeps alive: the form, the event relays, the size observer.
struct Checkout {
    _form: FormHandle,
    _relays: Vec<Listener>,
    _resize: Option<Resize>,
}

/// Runs the hosted checkout page. `prefetch` is the `GET` of a same-origin `src` that
/// `checkout.js` started while the wasm was loading (`{url, response, controller}`), used only if
/// the link's options are accepted; otherwise dropping it aborts it. `relay`, if a function, is
/// called with every message the page would post to a parent frame (`checkout.js` passes one
/// when the page runs in a mobile app's WebView with a bridge), framed or not.
#[wasm_bindgen(js_name = mountCheckout)]
pub fn mount_checkout(prefetch: JsValue, relay: JsValue) {
    let prefetch = Prefetch::from_js(&prefetch);
    let relay = relay.dyn_into::<js_sys::Function>().ok();
    let Some(window) = web_sys::window() else { return };
    let Some(body) = window.document().and_then(|d| d.body()) else { return };
    // The form goes into the page's `<main>` landmark (checkout.html has one), else the body;
    // events bubble up to the body either way.
    let place: web_sys::HtmlElement = window
        .document()
        .and_then(|d| d.query_selector("main").ok().flatten())
        .and_then(|m| m.dyn_into().ok())
        .unwrap_or_else(|| body.clone());
    let params = web_sys::UrlSearchParams::new_with_str(&window.location().search().unwrap_or_default()).ok();
    let hash = window.location().hash().unwrap_or_default();
    let fragment = web_sys::UrlSearchParams::new_with_str(hash.trim_start_matches('#')).ok();
    let parent_origin = params
        .as_ref()
        .and_then(|p| p.get("parent_origin"))
        .or_else(|| fragment.as_ref().and_then(|f| f.get("parent_origin")));
    let framed = window.parent().ok().flatten().is_some_and(|p| p != window);
    let parent = match (framed, parent_origin) {
        (false, _) => None, // opened as a page of its own: nobody to tell
        (true, Some(origin)) if valid_origin(&origin) => {
            window.parent().ok().flatten().map(|w| Parent { window: w, origin })
        }
        (true, origin) => {
            let why = match origin {
                None => "parent_origin is missing".to_owned(),
                Some(o) => {
                    crate::cat!("parent_origin \"", o, "\" is not an origin such as https://shop.example")
                }
            };
            let message = crate::cat!(
                "This checkout page is framed, but ",
                why,
                ": it cannot report the payment to the shop."
            );
            std::mem::forget(mount_problem(place, message));
            return;
        }
    };
    let form = match checkout_options(&window) {
        Ok(options) => {
            let get = |key: &str| {
                let query = params.as_ref().and_then(|p| p.get(key));
                query.or_else(|| fragment.as_ref().and_then(|f| f.get(key)))
            };
            theme_from_link(&body, get, options.theme);
            let wake = Wake::default();
            FormHandle::new(mount_prefetched(place, options, wake.clone(), prefetch), wake)
        }
        Err(problem) => {
            std::mem::forget(mount_problem(place, problem.message()));
            return;
        }
    };
    if parent.is_none() && relay.is_none() {
        std::mem::forget(form);
        return;
    }
    let sinks = std::rc::Rc::new(Sinks { parent, relay });
    let target: EventTarget = body.clone().into();
    // Every event a form dispatches (the contract's list, so a new one is relayed too).
    let relays = events::FORM_EVENTS
        .into_iter()
        .map(|name| {
            let sinks = sinks.clone();
            Listener::new(&target, name, move |e| {
                let detail = e.dyn_ref::<web_sys::CustomEvent>().map(|c| c.detail()).unwrap_or(JsValue::NULL);
                sinks.post(name, &detail);
            })
        })
        .collect();
    // The height of the page's content: the body's own box (auto height, its padding
    // included), which shrinks when a shorter screen replaces a taller one. (The document's
    // scrollHeight never goes below the frame's height, so a frame sized by it only grew.)
    let resize = {
        let (sinks, page) = (sinks.clone(), body.clone());
        let on_resize = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let height = page.offset_height();
            sinks.post("payform:resize", &events::object(&[("height", JsValue::from(height))]));
        });
        web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok().map(|observer| {
            observer.observe(&body);
            (observer, on_resize)
        })
    };
    std::mem::forget(Checkout { _form: form, _relays: relays, _resize: resize });
}
