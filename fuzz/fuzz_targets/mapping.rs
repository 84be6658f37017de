//! The first line as a declarative mapping, the rest as the body it maps: parsing the mapping,
//! reading the body and validating never panic, and a valid payment yields a URI that
//! contains its address.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::backend::Preset;
use payform_core::uri;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (mapping, body) = text.split_once('\n').unwrap_or((text, ""));
    let preset = match Preset::from_mapping(mapping) {
        Ok(preset) => preset,
        Err(e) => {
            let _ = (e.code(), e.to_string());
            return;
        }
    };
    let raw = match preset.read(body) {
        Ok(raw) => raw,
        Err(e) => {
            let _ = (e.code(), e.to_string());
            return;
        }
    };
    if let Ok(payment) = raw.validate() {
        let link = uri::payment_uri(payment.asset, &payment.address, payment.to_pay());
        assert!(link.contains(&payment.address), "{link}");
    }
});
