//! Embedding the form in a page: [`mount`] puts a [`PayForm`](crate::ui::PayForm) into an
//! element and returns a [`Handle`] whose drop (or `destroy`) removes it and stops everything
//! it started. The custom element and the JS API build on this.

use crate::backend::Preset;
use crate::ui::PayForm;
use leptos::mount::mount_to;
use leptos::prelude::*;
use web_sys::HtmlElement;

/// What to show: the options of `Payform.mount` / the `<pay-form>` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub src: String,
    pub preset: Preset,
    pub poll_interval_ms: Option<u64>,
}

/// A mounted form. Dropping it unmounts the form and cancels its timers and requests.
pub struct Handle {
    inner: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

impl Handle {
    /// Removes the form from the page and stops its polling.
    pub fn destroy(&mut self) {
        self.inner.take();
    }
}

/// Mounts a form into `target`; events are dispatched on the form's root inside `target` and
/// bubble to it.
pub fn mount(target: HtmlElement, options: Options) -> Handle {
    let Options {
        src,
        preset,
        poll_interval_ms,
    } = options;
    let handle = mount_to(target, move || {
        view! { <PayForm src=src preset=preset poll_interval_ms=poll_interval_ms.unwrap_or(crate::poll::DEFAULT_INTERVAL_MS) /> }
            .into_any()
    });
    Handle {
        inner: Some(handle),
    }
}
