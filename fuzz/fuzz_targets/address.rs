//! Any text, as the address of every network in both modes (live and test): validation never
//! panics, whatever it accepts re-validates to the same canonical text, and no text is accepted
//! by both modes on the same network.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::address;
use payform_core::network::{Network, NetworkMode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for network in Network::ALL.into_iter().chain(Network::TEST) {
        for mode in NetworkMode::ALL {
            if let Ok(canonical) = address::validate_in(network, mode, text) {
                assert_eq!(
                    address::validate_in(network, mode, &canonical).as_deref(),
                    Ok(canonical.as_str())
                );
            }
        }
        // On the chains whose addresses name their chain, an address is of one mode only.
        if !network.is_test()
            && matches!(
                network.family(),
                payform_core::network::Family::Utxo | payform_core::network::Family::Lightning
            )
        {
            let live = address::validate_in(network, NetworkMode::Live, text).is_ok();
            assert!(!(live && address::validate_in(network, NetworkMode::Test, text).is_ok()), "{text}");
        }
    }
    let _ = address::invoice_amount_msat(text);
    let _ = address::invoice_amount_msat_in(text, NetworkMode::Test);
});
