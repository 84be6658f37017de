//! The hosted checkout's `checkout.js`, inside a mobile app's WebView, hands the links the form
//! renders that leave the page to the app (`payform:open`), by scheme. Its list must be exactly
//! the form's: every wallet scheme (a missing one would be followed inside the WebView, where it
//! fails), UPI's `upi://` and `https` (the way back to the shop, the explorers), and nothing
//! else (never `javascript:`, `data:`, `file:`, `intent:`, …).

use payform_core::network::Network;
use std::collections::BTreeSet;

fn checkout_js_schemes() -> BTreeSet<String> {
    let js = include_str!("../../js/checkout.js");
    let start = js.find("const OUTSIDE_SCHEMES = [").expect("checkout.js lists OUTSIDE_SCHEMES");
    let list = &js[start..];
    let list = &list[list.find('[').unwrap() + 1..list.find(']').unwrap()];
    list.split(',').map(|s| s.trim().trim_matches('\'').to_owned()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn the_webview_link_schemes_are_the_forms_own() {
    let mut expected: BTreeSet<String> = ["https:".to_owned(), "upi:".to_owned()].into();
    for network in Network::ALL.into_iter().chain(Network::BANK).chain(Network::TEST) {
        if let Some(scheme) = network.uri_scheme() {
            expected.insert([scheme, ":"].concat());
        }
        if let Some((_, base)) = network.explorer() {
            assert!(base.starts_with("https://"), "{base}");
        }
    }
    assert_eq!(checkout_js_schemes(), expected);
}
