//! An address and an amount (first line, rest) for every asset: after both validate, the
//! wallet URI and the QR text never panic, the URI contains the address, and the QR text is
//! the URI up to the case of the address; the first such QR text also encodes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::address;
use payform_core::money::Amount;
use payform_core::network::ASSETS;
use payform_core::qr::QrMatrix;
use payform_core::uri;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (address_text, amount_text) = text.split_once('\n').unwrap_or((text, "1"));
    let mut encoded = false;
    for asset in ASSETS {
        let Ok(address) = address::validate(asset.network, address_text) else { continue };
        let Ok(amount) = Amount::parse(amount_text, asset.decimals) else { continue };
        let link = uri::payment_uri(asset, &address, amount);
        assert!(link.contains(&address), "{link}");
        let qr = uri::qr_text(&link, asset, &address);
        assert!(qr.eq_ignore_ascii_case(&link), "{qr} / {link}");
        if !encoded {
            let _ = QrMatrix::encode(&qr);
            encoded = true;
        }
    }
});
