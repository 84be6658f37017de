//! The hosted checkout page (checkout.html): the form alone, for an iframe or a redirect.
//! Reads `src`, `preset` and `poll-interval` from the query (or the fragment). Only mounts.

use payform::embed;

fn main() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("payform:start");
    }
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else {
        return;
    };
    let handle = match embed::checkout_options() {
        Ok(options) => embed::mount(body, options),
        Err(message) => embed::mount_problem(body, message),
    };
    // The page lives as long as the form: keep it mounted.
    std::mem::forget(handle);
}
