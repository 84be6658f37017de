//! Any text, as the address of every network: validation never panics, and whatever it
//! accepts re-validates to the same canonical text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::address;
use payform_core::network::Network;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for network in Network::ALL {
        if let Ok(canonical) = address::validate(network, text) {
            assert_eq!(address::validate(network, &canonical).as_deref(), Ok(canonical.as_str()));
        }
    }
    let _ = address::invoice_amount_msat(text);
});
