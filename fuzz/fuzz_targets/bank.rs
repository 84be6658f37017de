//! Any text as a bank scheme's payload, and as a request to the rails' module: the decoders
//! (EPC, Swiss QR-bill, EMV MPM, Pix BR Code, UPI link) never panic, and what one accepts it
//! writes back to a payload that decodes to the same fields; the module's `serve` never panics
//! and its answer is one the form can read (`ask`) or an error code.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::bank::{emv::MerchantQr, epc::Transfer, pix::PixCharge, rail, swiss::Bill, upi::UpiLink};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = Transfer::decode(text) {
        assert_eq!(Transfer::decode(&t.encode().expect("a decoded EPC code encodes")).as_ref(), Ok(&t));
    }
    if let Ok(b) = Bill::decode(text) {
        assert_eq!(Bill::decode(&b.encode().expect("a decoded QR-bill encodes")).as_ref(), Ok(&b));
    }
    if let Ok(q) = MerchantQr::decode(text) {
        assert_eq!(MerchantQr::decode(&q.encode().expect("a decoded EMV code encodes")).as_ref(), Ok(&q));
    }
    if let Ok(c) = PixCharge::decode(text) {
        assert_eq!(PixCharge::decode(&c.encode().expect("a decoded BR Code encodes")).as_ref(), Ok(&c));
    }
    if let Ok(l) = UpiLink::parse(text) {
        assert_eq!(UpiLink::parse(&l.to_uri().expect("a parsed UPI link writes")).as_ref(), Ok(&l));
    }
    let answer = rail::serve(text);
    assert!(answer.starts_with("ok\u{1f}") || answer.starts_with("error\u{1f}"), "{answer:?}");
});
