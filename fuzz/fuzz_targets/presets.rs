//! Any body through every provider preset: reading and validation never panic, and a valid
//! payment always yields a wallet URI that contains its address.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::backend::Preset;
use payform_core::uri;

const PRESETS: [&str; 8] =
    ["payform", "heleket", "cryptomus", "nowpayments", "btcpay", "coinbase", "coingate", "opennode"];

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    for name in PRESETS {
        let preset = Preset::parse(name).expect("a preset name the form documents");
        let raw = match preset.read(body) {
            Ok(raw) => raw,
            Err(e) => {
                let _ = (e.code(), e.to_string());
                continue;
            }
        };
        match raw.validate() {
            Ok(payment) => {
                let link = uri::payment_uri(payment.asset, &payment.address, payment.to_pay());
                assert!(link.contains(&payment.address), "{name}: {link}");
            }
            Err(e) => {
                let _ = (e.code(), e.to_string());
            }
        }
    }
});
