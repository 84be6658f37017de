//! Any body through every preset (the native format and each provider's description from
//! `presets/`, read by the mapping engine): reading and validation never panic, and a valid
//! payment always yields a wallet URI that contains its address.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::backend::{builtin, preset_names, Preset};
use payform_core::uri;
use std::sync::OnceLock;

fn presets() -> &'static [(&'static str, Preset)] {
    static PRESETS: OnceLock<Vec<(&'static str, Preset)>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        preset_names().map(|name| (name, builtin(name).expect("a preset the form documents"))).collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    for (name, preset) in presets() {
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
