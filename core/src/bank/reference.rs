//! Payment references with check digits: the ISO 11649 creditor reference (`RF`, two check
//! digits, then 1 to 21 letters or digits; ISO 7064 MOD 97-10 as for an IBAN, the first four
//! characters moved to the end, see `iban`), and the Swiss QR reference (QRR: 27 digits, the
//! last a check digit by "modulo 10, recursive", the carry table 0 9 4 6 8 2 7 1 3 5 of the
//! Swiss Implementation Guidelines for the QR-bill (SIX, v2.3; the appendix on the modulo 10
//! recursive check digit, the former ISR reference's algorithm).
//!
//! Vectors: RF18539007547034 (ISO 11649's example, also the EPC QR guidelines'), RF712348231
//! (the SCOR reference of SIX's pain.001 examples), RF185390075470Y (python-stdnum's
//! documentation: "70Y" reads as the digits 7034, so mod 97 cannot tell them apart), and
//! 210000000003139471430009017 (the QR-bill guidelines' example QR reference).
//!
//! Modulo 10 recursive catches every single-digit error: each digit moves the carry through a
//! permutation, so a changed digit changes every carry after it. It catches every swap of two
//! adjacent digits whose difference is not 3 or 7; for a difference of 3 or 7 exactly one carry
//! in ten lets the swap through (the tests enumerate every case). The guidelines promise nothing
//! about swaps.

use super::iban::{check_digits, checksum, grouped, normalise, BankError};
use std::fmt;

/// An ISO 11649 creditor reference with valid check digits, upper case, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditorReference(String);

/// `text` is 1 to 21 letters A–Z or digits.
fn reference_body(text: &str) -> bool {
    (1..=21).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl CreditorReference {
    /// Reads a reference in its electronic or printed form (`"RF18 5390 0754 7034"`).
    pub fn parse(text: &str) -> Result<CreditorReference, BankError> {
        let reference = normalise(text);
        let digits = reference.get(2..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        let body = reference.get(4..).filter(|b| reference_body(b));
        if !reference.starts_with("RF") || digits.is_none() || body.is_none() {
            return Err(BankError::ReferenceShape { reference });
        }
        // 01 and 98 (00 and 97, 02 and 99) leave the same remainder; ISO 11649 uses 02–98.
        if digits.is_some_and(|d| matches!(d, "00" | "01" | "99")) || checksum(&reference) != Some(1) {
            return Err(BankError::ReferenceChecksum { reference });
        }
        Ok(CreditorReference(reference))
    }

    /// The creditor reference of `reference` (1 to 21 letters or digits; white space dropped,
    /// letters upper-cased): `"539007547034"` → `RF18539007547034`.
    pub fn create(reference: &str) -> Result<CreditorReference, BankError> {
        let body = normalise(reference);
        match check_digits("RF", &body).filter(|_| reference_body(&body)) {
            Some(cd) => {
                Ok(CreditorReference(crate::cat!("RF", crate::text::padded(u128::from(cd), 2), body)))
            }
            None => Err(BankError::ReferenceShape { reference: body }),
        }
    }

    /// The electronic form: `"RF18539007547034"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The printed form, in groups of four: `"RF18 5390 0754 7034"`.
    pub fn grouped(&self) -> String {
        grouped(&self.0, 4, 4)
    }
}

impl fmt::Display for CreditorReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The carry table of modulo 10 recursive.
const MOD10_TABLE: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];

/// The modulo 10 recursive check digit of `digits`, or `None` if one is not a digit.
pub fn mod10_recursive(digits: &str) -> Option<u8> {
    let mut carry = 0u8;
    for b in digits.bytes() {
        let d = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        carry = MOD10_TABLE[usize::from((carry + d) % 10)];
    }
    Some((10 - carry) % 10)
}

/// A Swiss QR reference (QRR) with a valid check digit: 27 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QrReference(String);

impl QrReference {
    /// Reads a QR reference in its electronic or printed form
    /// (`"21 00000 00003 13947 14300 09017"`).
    pub fn parse(text: &str) -> Result<QrReference, BankError> {
        let reference = normalise(text);
        if reference.len() != 27 || !reference.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BankError::QrReferenceShape { reference });
        }
        let check = reference.get(..26).and_then(mod10_recursive).map(|d| b'0' + d);
        if check != reference.bytes().last() {
            return Err(BankError::QrReferenceChecksum { reference });
        }
        Ok(QrReference(reference))
    }

    /// The QR reference of `digits` (1 to 26 digits, white space dropped): zeros in front up to
    /// 26 digits, then the check digit.
    pub fn create(digits: &str) -> Result<QrReference, BankError> {
        let body = normalise(digits);
        if body.is_empty() || body.len() > 26 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BankError::QrReferenceShape { reference: body });
        }
        let mut reference = "0".repeat(26 - body.len());
        reference.push_str(&body);
        let check = mod10_recursive(&reference).unwrap_or_default();
        reference.push(char::from(b'0' + check));
        Ok(QrReference(reference))
    }

    /// The electronic form: 27 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The printed form, in groups of five from the right: `"21 00000 00003 13947 14300 09017"`.
    pub fn grouped(&self) -> String {
        grouped(&self.0, 2, 5)
    }
}

impl fmt::Display for QrReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn creditor_reference_vectors() {
        for (text, electronic) in [
            ("RF18539007547034", "RF18539007547034"),
            ("RF18 5390 0754 7034", "RF18539007547034"),
            ("RF712348231", "RF712348231"),
            ("rf71 2348 231", "RF712348231"),
            ("RF185390075470Y", "RF185390075470Y"),
            ("RF18000000000539007547034", "RF18000000000539007547034"),
            ("RF240191230100405JSH0438", "RF240191230100405JSH0438"),
        ] {
            let r = CreditorReference::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(r.as_str(), electronic);
            assert_eq!(CreditorReference::parse(&r.grouped()), Ok(r.clone()));
        }
        assert_eq!(CreditorReference::parse("RF18539007547034").unwrap().grouped(), "RF18 5390 0754 7034");
        assert_eq!(CreditorReference::create("539007547034").unwrap().as_str(), "RF18539007547034");
        assert_eq!(CreditorReference::create("2348231").unwrap().as_str(), "RF712348231");
        assert_eq!(CreditorReference::create("5390 0754 70y").unwrap().as_str(), "RF185390075470Y");
    }

    #[test]
    fn creditor_reference_errors() {
        let code = |t: &str| CreditorReference::parse(t).unwrap_err().code();
        for bad in ["", "RF", "RF18", "18539007547034", "RX18539007547034", "RF1A539007547034", "RF18-5390"] {
            assert_eq!(code(bad), "reference_shape", "{bad}");
        }
        assert_eq!(code("RF181234567890123456789012"), "reference_shape"); // 22 after the check digits
        assert_eq!(code("RF17539007547034"), "reference_checksum");
        assert_eq!(code("RF18539007547043"), "reference_checksum");
        assert_eq!(CreditorReference::create("").unwrap_err().code(), "reference_shape");
        assert_eq!(
            CreditorReference::create("1234567890123456789012").unwrap_err().code(),
            "reference_shape"
        );
        assert_eq!(CreditorReference::create("INV-1").unwrap_err().code(), "reference_shape");
        assert_eq!(
            CreditorReference::parse("RF17539007547034").unwrap_err().message(),
            "creditor reference \"RF17539007547034\" fails its check digits: a character is mistyped"
        );
    }

    #[test]
    fn qr_reference_vectors() {
        // The guidelines' example, electronic and printed.
        let r = QrReference::parse("210000000003139471430009017").unwrap();
        assert_eq!(r.grouped(), "21 00000 00003 13947 14300 09017");
        assert_eq!(QrReference::parse("21 00000 00003 13947 14300 09017"), Ok(r.clone()));
        assert_eq!(QrReference::create("21000000000313947143000901"), Ok(r));
        assert_eq!(mod10_recursive("21000000000313947143000901"), Some(7));
        // Python qrbill's short reference "18 78583" is 187858 and its check digit 3.
        let short = QrReference::create("18 7858").unwrap();
        assert_eq!(short.grouped(), "00 00000 00000 00000 00018 78583");
        let code = |t: &str| QrReference::parse(t).unwrap_err().code();
        assert_eq!(code("210000000003139471430009018"), "qr_reference_checksum");
        assert_eq!(code("21000000000313947143000901"), "qr_reference_shape");
        assert_eq!(code("2100000000031394714300090170"), "qr_reference_shape");
        assert_eq!(code("21000000000313947143000901A"), "qr_reference_shape");
        assert_eq!(code("RF18539007547034"), "qr_reference_shape");
        assert_eq!(code(""), "qr_reference_shape");
        assert_eq!(QrReference::create("").unwrap_err().code(), "qr_reference_shape");
        assert_eq!(
            QrReference::create("123456789012345678901234567").unwrap_err().code(),
            "qr_reference_shape"
        );
        assert_eq!(mod10_recursive("12a"), None);
    }

    /// Every swap of adjacent digits a ≠ b after every carry, and every swap of the last digit
    /// with the check digit: what passes is exactly a difference of 3 or 7, after one carry.
    #[test]
    fn mod10_recursive_swaps_that_pass() {
        let step = |c: u8, d: u8| MOD10_TABLE[usize::from((c + d) % 10)];
        let mut passing = Vec::new();
        for c in 0..10 {
            for a in 0..10 {
                for b in (0..10).filter(|&b| b != a) {
                    if step(step(c, a), b) == step(step(c, b), a) {
                        passing.push((c, a, b));
                    }
                }
            }
        }
        assert_eq!(passing.len(), 20);
        for a in 0..10u8 {
            for b in (0..10).filter(|&b| b != a) {
                let carries = passing.iter().filter(|p| (p.1, p.2) == (a, b)).count();
                assert_eq!(carries, usize::from(matches!(a.abs_diff(b), 3 | 7)), "{a} {b}");
            }
        }
        // The last digit d and the check digit k swapped: the check digit of "…k" would be d.
        let check = |c: u8| (10 - c) % 10;
        let last = (0..10)
            .flat_map(|c| (0..10).map(move |d| (c, d)))
            .filter(|&(c, d)| check(step(c, d)) != d && check(step(c, check(step(c, d)))) == d)
            .map(|(c, d)| (d, check(step(c, d))))
            .collect::<Vec<_>>();
        assert_eq!(last, [(2, 9), (9, 2)]);
    }

    proptest! {
        #[test]
        fn creditor_references_round_trip_and_catch_one_kind_errors(
            body in "[0-9A-Z]{1,21}",
            i in 0usize..25,
            j in 0usize..36,
        ) {
            let r = CreditorReference::create(&body).unwrap();
            prop_assert_eq!(CreditorReference::parse(r.as_str()), Ok(r.clone()));
            prop_assert_eq!(CreditorReference::parse(&r.grouped().to_lowercase()), Ok(r.clone()));
            let b = r.as_str().as_bytes();
            let i = 2 + i % (b.len() - 2);
            let new = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[j];
            if new != b[i] && new.is_ascii_digit() == b[i].is_ascii_digit() {
                let mut s = b.to_vec();
                s[i] = new;
                prop_assert!(CreditorReference::parse(std::str::from_utf8(&s).unwrap()).is_err());
            }
        }

        #[test]
        fn qr_references_catch_every_single_digit_error(digits in "[0-9]{26}") {
            let r = QrReference::create(&digits).unwrap();
            prop_assert_eq!(QrReference::parse(r.as_str()), Ok(r.clone()));
            let b = r.as_str().as_bytes();
            for i in 0..27 {
                for new in (b'0'..=b'9').filter(|&d| d != b[i]) {
                    let mut s = b.to_vec();
                    s[i] = new;
                    prop_assert!(QrReference::parse(std::str::from_utf8(&s).unwrap()).is_err());
                }
            }
        }

        #[test]
        fn qr_references_catch_swaps_of_digits_not_3_or_7_apart(digits in "[0-9]{26}") {
            let r = QrReference::create(&digits).unwrap();
            let b = r.as_str().as_bytes();
            for i in 0..26 {
                let diff = b[i].abs_diff(b[i + 1]);
                if diff != 0 && diff != 3 && diff != 7 {
                    let mut s = b.to_vec();
                    s.swap(i, i + 1);
                    prop_assert!(QrReference::parse(std::str::from_utf8(&s).unwrap()).is_err());
                }
            }
        }

        #[test]
        fn any_text_is_refused_or_read(s in "\\PC{0,30}") {
            let _ = CreditorReference::parse(&s);
            let _ = CreditorReference::create(&s);
            let _ = QrReference::parse(&s);
            let _ = QrReference::create(&s);
        }
    }
}
