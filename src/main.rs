//! The Trunk app: the demo page (a merchant-like checkout against the devserver).

mod demo;

fn main() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("payform:start");
    }
    leptos::mount::mount_to_body(demo::Demo);
}
