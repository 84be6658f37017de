//! The first line as a declarative mapping (or a provider description: every construct of the
//! engine), the rest as the body it maps: parsing the mapping, reading the body and validating
//! never panic; a mapping a link may carry reads exactly as the merchant's own would; and a
//! valid payment yields a URI that contains its address.
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
            assert!(Preset::from_untrusted_mapping(mapping).is_err(), "a link may not carry more");
            return;
        }
    };
    if let Ok(linked) = Preset::from_untrusted_mapping(mapping) {
        assert_eq!(linked, preset, "a link's mapping is the same mapping, only checked more");
    }
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
