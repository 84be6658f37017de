//! The demo page (index.html): a merchant-like checkout against the devserver. Only mounts.

mod page;

fn main() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("payform:start");
    }
    leptos::mount::mount_to_body(page::Demo);
}
