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
    /// Extra hosts a payment's `return_url` may name (`return-hosts`).
    pub return_hosts: Vec<String>,
}

/// Splits a `return-hosts` list (spaces or commas between names).
pub fn host_list(text: &str) -> Vec<String> {
    text.split([' ', ',']).filter(|h| !h.is_empty()).map(str::to_ascii_lowercase).collect()
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
    let Options {
        src,
        preset,
        poll_interval_ms,
        events_src,
        payment,
        wake,
        theme,
        lang,
        locales,
        return_hosts,
    } = options;
    let poll_interval_ms = poll_interval_ms.unwrap_or(crate::poll::DEFAULT_INTERVAL_MS);
    Handle::new(move || {
        mount_to(target, move || {
            view! { <PayForm src=src preset=preset poll_interval_ms=poll_interval_ms events_src=events_src payment=payment wake=wake theme=theme lang=lang locales=locales return_hosts=return_hosts /> }
        })
    })
}

/// Reads the hosted checkout's options from the page URL: `?src=…&preset=…&poll-interval=…
/// &events-src=…&theme=…&lang=…&mapping=<JSON>`, or the same keys in the fragment (which never
/// reaches the server's logs).
///
/// A link is not trusted with the payment (see `docs/security.md`): no payment value is ever
/// read from it (a `mapping` is refused unless the page allows mappings from links with
/// `<meta name="payform-link-mapping" content="paths">`, and then may only hold JSON Pointers), and `src` / `events-src` must be on
/// this page's origin unless the page itself (not the link) lists more origins in
/// `<meta name="payform-allowed-origins" content="https://api.shop.example …">`. Hosts a
/// `return_url` may name: this page's, `src`'s, the framing shop's (`parent_origin`) and those
/// in `<meta name="payform-return-hosts" content="shop.example …">`.
pub fn checkout_options() -> Result<Options, String> {
    let window = web_sys::window().ok_or("no window")?;
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let params = |text: &str| web_sys::UrlSearchParams::new_with_str(text.trim_start_matches('#')).ok();
    let (query, fragment) = (params(&search), params(&hash));
    let get = |key: &str| {
        query.as_ref().and_then(|q| q.get(key)).or_else(|| fragment.as_ref().and_then(|f| f.get(key)))
    };
    let meta = |name: &str| {
        window
            .document()
            .and_then(|d| d.query_selector(&format!("meta[name=\"{name}\"]")).ok().flatten())
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_default()
    };
    let page = location.href().map_err(|_| "no page URL")?;
    let allowed_origins = meta("payform-allowed-origins");
    let check_origin = |key: &str, url: &str| -> Result<String, String> {
        let resolved =
            web_sys::Url::new_with_base(url, &page).map_err(|_| format!("{key} \"{url}\" is not a URL"))?;
        let origin = resolved.origin();
        let page_origin = location.origin().unwrap_or_default();
        if origin == page_origin || allowed_origins.split_whitespace().any(|o| o == origin) {
            Ok(resolved.href())
        } else {
            Err(format!(
                "{key} points to {origin}, which this checkout page does not allow: it reads payments only \
                 from its own origin ({page_origin}) and the origins its operator lists in \
                 <meta name=\"payform-allowed-origins\">."
            ))
        }
    };
    let src = get("src").filter(|s| !s.is_empty()).ok_or_else(|| {
        "This checkout page needs the payment URL: checkout.html?src=<payment URL>".to_owned()
    })?;
    let src = check_origin("src", &src)?;
    // Even without literals, a link's mapping could point `address` at a field the attacker
    // can write (an order note): a page takes mappings from links only if its operator says so.
    let preset = match get("mapping").filter(|m| !m.is_empty()) {
        Some(_) if meta("payform-link-mapping") != "paths" => {
            Err("This checkout page does not take a mapping from its link: use preset=…, or let the page's \
             operator allow it with <meta name=\"payform-link-mapping\" content=\"paths\">."
                .to_owned())
        }
        Some(mapping) => Preset::from_untrusted_mapping(&mapping).map_err(|e| e.to_string()),
        None => Preset::parse(&get("preset").unwrap_or_default()).map_err(|e| e.to_string()),
    }?;
    let poll_interval_ms = match get("poll-interval") {
        None => None,
        Some(v) => Some(
            v.parse::<u64>().map_err(|_| format!("poll-interval \"{v}\" is not a number of milliseconds"))?,
        ),
    };
    let events_src = match get("events-src").filter(|s| !s.is_empty()) {
        Some(url) => Some(check_origin("events-src", &url)?),
        None => None,
    };
    let theme = get("theme").filter(|t| !t.is_empty());
    let lang = get("lang").filter(|l| !l.is_empty());
    let mut return_hosts = host_list(&meta("payform-return-hosts"));
    let framed = window.parent().ok().flatten().is_some_and(|p| p != window);
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
        let parent_host = web_sys::Url::new(&claimed).ok().map(|u| u.hostname());
        return_hosts.extend(parent_host.filter(|h| confirmed && !h.is_empty()));
    }
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
        return_hosts,
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
