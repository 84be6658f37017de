//! Any backend body: JSON reading, the native preset, validation, the wallet URI and the QR
//! never panic; a valid payment always yields a URI that contains its address.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::backend::Preset;
use payform_core::network::NetworkMode;
use payform_core::qr::QrMatrix;
use payform_core::uri;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let Ok(raw) = Preset::Payform.read(body) else { return };
    // In test mode (test networks, testnet addresses) as in live mode; never both.
    let (live, test) = (raw.clone().validate(), raw.validate_in(NetworkMode::Test));
    assert!(!(live.is_ok() && test.is_ok()), "{body}");
    let Ok(payment) = live.or(test) else { return };
    let link = uri::payment_uri(payment.asset, &payment.address, payment.to_pay());
    assert!(link.contains(&payment.address));
    let _ = QrMatrix::encode(&uri::qr_text(&link, payment.asset, &payment.address));
});
