//! Embedding the form in a page: [`mount`] puts a [`PayForm`](crate::ui::PayForm) into an
//! element and returns a [`Handle`] whose drop (or `destroy`) removes it and stops everything
//! it started. [`api`] exposes it to JavaScript (`payform.js`: the `<pay-form>` element and
//! `Payform.mount`); [`frame`] is the hosted checkout page and its `postMessage` relay. Both
//! carry `#[wasm_bindgen]` exports, so they exist only with the crate's `embed` feature (the
//! merchant bundle's): a Leptos app that uses the component gets no `mount` or `version` of
//! ours among its own exports.

#[cfg(feature = "embed")]
pub mod api;
#[cfg(feature = "embed")]
pub mod frame;

use crate::backend::Preset;
pub use crate::options::Options;
use crate::options::{quoted, Given, HostList, Link, OptionError, TABLE};
use crate::ui::browser::Wake;
use crate::ui::PayForm;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use web_sys::HtmlElement;

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
/// bubble to it. Ringing `wake` asks the backend at once (`refresh()`).
pub fn mount(target: HtmlElement, options: Options, wake: Wake) -> Handle {
    mount_prefetched(target, options, wake, None)
}

/// [`mount`], with the first request of `options.src` already started by `payform.js`.
pub fn mount_prefetched(
    target: HtmlElement,
    options: Options,
    wake: Wake,
    prefetch: Option<crate::ui::browser::Prefetch>,
) -> Handle {
    Handle::new(move || {
        mount_to(target, move || view! { <PayForm options=options wake=wake prefetch=prefetch /> })
    })
}

/// Reads the hosted checkout's options from the page URL: `?src=…&preset=…&poll-interval=…
/// &events-src=…&theme=…&lang=…&mapping=<JSON>`, or the same keys in the fragment (which never
/// reaches the server's logs). Each option of [`TABLE`] is read by its [`Link`] rule.
///
/// A link is not trusted with the payment (see `docs/security.md`): no payment value is ever
/// read from it (a `mapping` is refused unless the page allows mappings from links with
/// `<meta name="payform-link-mapping" content="paths">`, and then may only hold JSON Pointers), and `src` / `events-src` must be on
/// this page's origin unless the page itself (not the link) lists more origins in
/// `<meta name="payform-allowed-origins" content="https://api.shop.example …">`. Hosts a
/// `return_url` may name: this page's, `src`'s, the framing shop's (`parent_origin`) and those
/// in `<meta name="payform-return-hosts" content="shop.example …">`.
pub fn checkout_options(window: &web_sys::Window) -> Result<Options, OptionError> {
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let params = |text: &str| web_sys::UrlSearchParams::new_with_str(text.trim_start_matches('#')).ok();
    let (query, fragment) = (params(&search), params(&hash));
    let get = |key: &str| {
        query.as_ref().and_then(|q| q.get(key)).or_else(|| fragment.as_ref().and_then(|f| f.get(key)))
    };
    let meta = |name: &str| {
        let selector = ["meta[name=\"", name, "\"]"].concat();
        window
            .document()
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_default()
    };
    // A page whose own URL cannot be read has no link to read either.
    let page = location.href().map_err(|_| OptionError::LinkWithoutSrc)?;
    let allowed_origins = meta("payform-allowed-origins");
    let check_origin = |option: &'static str, url: &str| -> Result<String, OptionError> {
        let resolved = web_sys::Url::new_with_base(url, &page)
            .map_err(|_| OptionError::NotAUrl { option, value: quoted(url) })?;
        let origin = resolved.origin();
        let page_origin = location.origin().unwrap_or_default();
        if origin == page_origin || allowed_origins.split_whitespace().any(|o| o == origin) {
            Ok(resolved.href())
        } else {
            Err(OptionError::ForeignOrigin { option, origin, page: page_origin })
        }
    };
    let mut options = Options::default();
    for spec in TABLE {
        // A flag is on when present, even without a value (`&refund-address`).
        let Some(value) = get(spec.name).filter(|v| !v.is_empty() || spec.key.is_flag()) else { continue };
        let value = match spec.link {
            Link::Never => continue,
            Link::Plain => value,
            Link::SameOrigin => check_origin(spec.name, &value)?,
            // Even without literals, a link's mapping could point `address` at a field the
            // attacker can write (an order note): a page takes mappings from links only if its
            // operator says so, and then only JSON Pointers.
            Link::PointersIfAllowed if meta("payform-link-mapping") != "paths" => {
                return Err(OptionError::LinkMapping)
            }
            Link::PointersIfAllowed => {
                Preset::from_untrusted_mapping(&value).map_err(OptionError::InvalidMapping)?;
                value
            }
        };
        options.set(spec.key, spec.name, Given::Text(&value))?;
    }
    if options.src.is_none() {
        return Err(OptionError::LinkWithoutSrc);
    }
    let operator_hosts = "payform-return-hosts";
    options.return_hosts = HostList::parse(&meta(operator_hosts))
        .map_err(|bad| OptionError::NotAHost { option: operator_hosts, value: quoted(bad) })?;
    let framed = window.parent().ok().flatten().is_some_and(|p| p != *window);
    if framed {
        // The claimed parent, where the browser can confirm it (`location.ancestorOrigins`:
        // Chromium and WebKit; Firefox has none, and the claim is then taken as given).
        let claimed = get("parent_origin").unwrap_or_default();
        let ancestors = js_sys::Reflect::get(&location, &"ancestorOrigins".into()).ok();
        let actual =
            ancestors.filter(|a| a.is_object()).and_then(|a| js_sys::Reflect::get(&a, &0.into()).ok());
        let confirmed = match actual {
            Some(a) if !a.is_undefined() => a.as_string().is_some_and(|a| a == claimed),
            _ => true,
        };
        if let Some(host) = web_sys::Url::new(&claimed).ok().map(|u| u.hostname()) {
            if confirmed && !host.is_empty() {
                options.return_hosts.add(&host);
            }
        }
    }
    options.check()?;
    Ok(options)
}

/// Shows a configuration problem where the form would be (never a blank box): `bad_config`,
/// in the shopper's language, with `message` (English, for the merchant) in `data-message`.
pub fn mount_problem(target: HtmlElement, message: String) -> Handle {
    Handle::new(move || mount_to(target, move || view! { <crate::ui::SetupProblem message=message /> }))
}
