//! Any text and decimals as an amount: parsing never panics, and an accepted amount formats to
//! a plain decimal (no exponent) that parses back to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::money::Amount;

fuzz_target!(|data: &[u8]| {
    let Some((&decimals, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let decimals = decimals % 40;
    if let Ok(amount) = Amount::parse(text, decimals) {
        let shown = amount.to_string();
        assert!(!shown.contains(['e', 'E']));
        assert_eq!(Amount::parse(&shown, decimals), Ok(amount));
    }
});
