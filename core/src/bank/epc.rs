//! The EPC QR code of a SEPA credit transfer: the payload of the European Payments Council's
//! "Quick Response Code: Guidelines to Enable Data Capture for the Initiation of a SEPA Credit
//! Transfer" (EPC069-12, v3.0), written from checked fields and read back.
//!
//! The payload is up to 12 lines joined by LF, in the guidelines' order: the service tag `BCD`;
//! the version, `001` or `002` (with 002 the BIC may be left out, inside the EEA); the character
//! set `1` (UTF-8, the only one written or read here); the identification `SCT`; the BIC; the
//! beneficiary's name (1–70 characters); the IBAN; the amount (`EUR` and a plain decimal from
//! 0.01 to 999999999.99 with at most two decimals, written without trailing zeros: `EUR12.3`;
//! or nothing); the purpose code (four letters, or nothing); the structured remittance
//! information (an ISO 11649 creditor reference) or the unstructured one (1–140 characters),
//! not both; the beneficiary-to-originator information (up to 70 characters). Nothing follows
//! the last element that is not empty, and the whole is at most 331 bytes: the code is printed
//! at error-correction level M ([`ERROR_CORRECTION`]; `crate::qr::QrMatrix::encode` encodes at
//! M), version 13 at most.
//!
//! Lengths count characters. Text fields refuse control characters: a line break would shift
//! every element after it. Structured references other than RF (the Belgian +++…+++) are
//! refused, and the IBAN is checked as an IBAN, not for membership of SEPA.
//!
//! Vectors: the guidelines' two examples (EPC069-12 v2.1, examples 1 and 2), as the tests of
//! the open library segno reproduce them (heuer/segno, tests/test_epc.py: `test_reference_002`,
//! 96 bytes; `test_text_002`, 103 bytes in ISO 8859-1, 104 here in UTF-8), and the sample of
//! Wikipedia's "EPC QR code" (the Belgian Red Cross, version 001).

use super::iban::{check_amount, check_text, expect, payload_lines, BankError, Bic, Field, Iban};
use super::reference::CreditorReference;
use crate::money::Amount;

/// The QR error-correction level the guidelines require: M (about 15 % of codewords restorable).
pub const ERROR_CORRECTION: char = 'M';

/// The largest payload, in bytes: what a version 13 code holds at level M.
pub const MAX_BYTES: usize = 331;

/// The largest QR version the guidelines allow (69 × 69 modules).
pub const MAX_QR_VERSION: usize = 13;

/// The payload version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `001`: the BIC is required.
    V001,
    /// `002`: the BIC may be left out (payer and beneficiary inside the EEA).
    V002,
}

impl Version {
    pub const fn as_str(self) -> &'static str {
        match self {
            Version::V001 => "001",
            Version::V002 => "002",
        }
    }
}

/// The remittance information: a creditor reference, or free text, or neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remittance {
    None,
    Structured(CreditorReference),
    /// 1 to 140 characters.
    Unstructured(String),
}

/// The fields of an EPC QR code. Free-text fields are empty when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub version: Version,
    pub bic: Option<Bic>,
    /// 1 to 70 characters.
    pub name: String,
    pub iban: Iban,
    /// Euros with two decimals (`Amount::parse(text, 2)`), 0.01 to 999999999.99.
    pub amount: Option<Amount>,
    /// Four letters A–Z (an ISO 20022 purpose code such as `GDDS`), or empty.
    pub purpose: String,
    pub remittance: Remittance,
    /// Up to 70 characters.
    pub information: String,
}

/// Any character but a control character (which `check_text` refuses anyway).
fn any_char(_: char) -> bool {
    true
}

impl Transfer {
    /// Checks every field against the guidelines.
    pub fn check(&self) -> Result<(), BankError> {
        if self.version == Version::V001 && self.bic.is_none() {
            return Err(BankError::EpcBicRequired);
        }
        check_text(Field::EpcName, &self.name, 70, true, any_char)?;
        if let Some(amount) = &self.amount {
            check_amount(Field::EpcAmount, amount)?;
        }
        let p = self.purpose.as_bytes();
        let four_letters = p.len() == 4 && p.iter().all(u8::is_ascii_uppercase);
        if !p.is_empty() && !four_letters {
            return Err(BankError::Unexpected {
                field: Field::EpcPurpose,
                found: self.purpose.clone(),
                expected: "four letters A-Z (an ISO 20022 purpose code) or nothing",
            });
        }
        if let Remittance::Unstructured(text) = &self.remittance {
            check_text(Field::EpcRemittance, text, 140, true, any_char)?;
        }
        check_text(Field::EpcInformation, &self.information, 70, false, any_char)
    }

    /// The payload: the checked fields, one a line, joined by LF, up to the last that is not
    /// empty.
    pub fn encode(&self) -> Result<String, BankError> {
        self.check()?;
        let amount = match &self.amount {
            Some(a) => crate::cat!("EUR", a.to_decimal()),
            None => String::new(),
        };
        let (structured, unstructured) = match &self.remittance {
            Remittance::None => ("", ""),
            Remittance::Structured(r) => (r.as_str(), ""),
            Remittance::Unstructured(text) => ("", text.as_str()),
        };
        let lines: [&str; 12] = [
            "BCD",
            self.version.as_str(),
            "1",
            "SCT",
            self.bic.as_ref().map_or("", Bic::as_str),
            &self.name,
            self.iban.as_str(),
            &amount,
            &self.purpose,
            structured,
            unstructured,
            &self.information,
        ];
        let used = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
        let payload = lines.get(..used).unwrap_or_default().join("\n");
        if payload.len() > MAX_BYTES {
            return Err(BankError::EpcPayloadSize { bytes: payload.len() });
        }
        Ok(payload)
    }

    /// Reads a payload back (LF or CR LF; a separator after the last line is allowed) and checks
    /// it as [`encode`](Transfer::encode) does.
    pub fn decode(payload: &str) -> Result<Transfer, BankError> {
        if payload.len() > MAX_BYTES {
            return Err(BankError::EpcPayloadSize { bytes: payload.len() });
        }
        let lines = payload_lines(payload);
        if !(7..=12).contains(&lines.len()) {
            return Err(BankError::Lines { scheme: "EPC", found: lines.len(), expected: "7 to 12" });
        }
        let line = |i: usize| lines.get(i).copied().unwrap_or_default();
        expect(Field::EpcServiceTag, line(0), "BCD")?;
        let version = match line(1) {
            "001" => Version::V001,
            "002" => Version::V002,
            found => {
                let found = found.into();
                return Err(BankError::Unexpected {
                    field: Field::EpcVersion,
                    found,
                    expected: "001 or 002",
                });
            }
        };
        expect(Field::EpcCharacterSet, line(2), "1")?;
        expect(Field::EpcIdentification, line(3), "SCT")?;
        let bic = match line(4) {
            "" => None,
            bic => Some(Bic::parse(bic)?),
        };
        let iban = Iban::parse(line(6))?;
        let amount = match line(7) {
            "" => None,
            text => Some(read_amount(text)?),
        };
        let remittance = match (line(9), line(10)) {
            ("", "") => Remittance::None,
            (reference, "") => Remittance::Structured(CreditorReference::parse(reference)?),
            ("", text) => Remittance::Unstructured(text.into()),
            _ => return Err(BankError::EpcRemittanceBoth),
        };
        let transfer = Transfer {
            version,
            bic,
            name: line(5).into(),
            iban,
            amount,
            purpose: line(8).into(),
            remittance,
            information: line(11).into(),
        };
        transfer.check()?;
        Ok(transfer)
    }
}

/// `EUR` and a plain decimal with at most two decimals.
fn read_amount(text: &str) -> Result<Amount, BankError> {
    let field = Field::EpcAmount;
    let Some(number) = text.strip_prefix("EUR") else {
        return Err(BankError::Unexpected {
            field,
            found: text.into(),
            expected: "EUR followed by the amount",
        });
    };
    let too_precise = number.split_once('.').is_some_and(|(_, frac)| frac.len() > 2);
    match Amount::parse(number, 2) {
        Ok(amount) if !too_precise => check_amount(field, &amount).map(|_| amount),
        _ => Err(BankError::Amount { field, text: number.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::iban::read_back;
    use proptest::prelude::*;

    fn iban(text: &str) -> Iban {
        Iban::parse(text).unwrap()
    }

    fn bic(text: &str) -> Option<Bic> {
        Some(Bic::parse(text).unwrap())
    }

    fn euros(text: &str) -> Option<Amount> {
        Some(Amount::parse(text, 2).unwrap())
    }

    /// EPC069-12 v2.1, example 1, as segno's `test_reference_002` gives it (96 bytes).
    fn example_1() -> (Transfer, &'static str) {
        let transfer = Transfer {
            version: Version::V002,
            bic: bic("BHBLDEHHXXX"),
            name: "Franz Mustermänn".into(),
            iban: iban("DE71110220330123456789"),
            amount: euros("12.30"),
            purpose: "GDDS".into(),
            remittance: Remittance::Structured(CreditorReference::parse("RF18539007547034").unwrap()),
            information: String::new(),
        };
        let payload =
            "BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\nGDDS\n\
                       RF18539007547034";
        (transfer, payload)
    }

    /// EPC069-12 v2.1, example 2, as segno's `test_text_002` gives it, in UTF-8 (104 bytes).
    fn example_2() -> (Transfer, &'static str) {
        let transfer = Transfer {
            version: Version::V002,
            bic: None,
            name: "François D'Alsace S.A.".into(),
            iban: iban("FR1420041010050500013M02606"),
            amount: euros("12.3"),
            purpose: String::new(),
            remittance: Remittance::Unstructured("Client:Marie Louise La Lune".into()),
            information: String::new(),
        };
        let payload =
            "BCD\n002\n1\nSCT\n\nFrançois D'Alsace S.A.\nFR1420041010050500013M02606\nEUR12.3\n\n\n\
                       Client:Marie Louise La Lune";
        (transfer, payload)
    }

    /// Wikipedia, "EPC QR code": the sample payment of €1 to the Belgian Red Cross.
    fn red_cross() -> (Transfer, &'static str) {
        let transfer = Transfer {
            version: Version::V001,
            bic: bic("BPOTBEB1"),
            name: "Red Cross of Belgium".into(),
            iban: iban("BE72000000001616"),
            amount: euros("1"),
            purpose: "CHAR".into(),
            remittance: Remittance::Unstructured("Urgency fund".into()),
            information: "Sample EPC QR code".into(),
        };
        let payload = "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\n\
                       Urgency fund\nSample EPC QR code";
        (transfer, payload)
    }

    #[test]
    fn the_published_examples_byte_for_byte() {
        for (transfer, payload) in [example_1(), example_2(), red_cross()] {
            assert_eq!(transfer.encode().as_deref(), Ok(payload));
            assert_eq!(Transfer::decode(payload), Ok(transfer));
            let (width, read) = read_back(payload);
            assert_eq!(read, payload);
            assert!(width <= 17 + 4 * MAX_QR_VERSION, "version 13 at most");
        }
        assert_eq!((example_1().1.len(), example_2().1.len()), (96, 104));
        assert_eq!(ERROR_CORRECTION, 'M');
    }

    #[test]
    fn reading_accepts_crlf_a_trailing_separator_and_trailing_zeros() {
        let (transfer, payload) = example_1();
        assert_eq!(Transfer::decode(&payload.replace('\n', "\r\n")), Ok(transfer.clone()));
        assert_eq!(Transfer::decode(&crate::cat!(payload, "\n")), Ok(transfer.clone()));
        assert_eq!(Transfer::decode(&payload.replace("EUR12.3", "EUR12.30")), Ok(transfer));
        // Seven lines: no amount and nothing after the IBAN.
        let short = "BCD\n002\n1\nSCT\n\nACME\nDE89370400440532013000";
        let t = Transfer::decode(short).unwrap();
        assert_eq!((t.amount, t.remittance.clone()), (None, Remittance::None));
        assert_eq!(t.encode().as_deref(), Ok(short));
    }

    #[test]
    fn each_field_has_its_error() {
        let (base, _) = example_2();
        let with = |f: &dyn Fn(&mut Transfer)| {
            let mut t = base.clone();
            f(&mut t);
            t.encode().unwrap_err()
        };
        let v1 = with(&|t| t.version = Version::V001);
        assert_eq!(v1.code(), "epc_bic_required");
        let e = with(&|t| t.name.clear());
        assert_eq!((e.code(), e.field()), ("field_missing", Some(Field::EpcName)));
        let e = with(&|t| t.name = "ä".repeat(71));
        assert_eq!(e, BankError::TooLong { field: Field::EpcName, max: 70, found: 71 });
        assert_eq!(e.message(), "the beneficiary's name has 71 characters; at most 70 are allowed");
        let e = with(&|t| t.name = "Two\nlines".into());
        assert_eq!((e.code(), e.field()), ("field_character", Some(Field::EpcName)));
        for amount in
            [Amount::from_atomic(0, 2), Amount::from_atomic(100_000_000_000, 2), Amount::from_atomic(1, 8)]
        {
            let e = with(&|t| t.amount = Some(amount));
            assert_eq!((e.code(), e.field()), ("amount_invalid", Some(Field::EpcAmount)));
        }
        for purpose in ["GDD", "gdds", "GDDS1", "GD1S"] {
            assert_eq!(with(&|t| t.purpose = purpose.into()).code(), "field_value", "{purpose}");
        }
        let e = with(&|t| t.remittance = Remittance::Unstructured("x".repeat(141)));
        assert_eq!((e.code(), e.field()), ("field_too_long", Some(Field::EpcRemittance)));
        let e = with(&|t| t.remittance = Remittance::Unstructured(String::new()));
        assert_eq!(e.code(), "field_missing");
        let e = with(&|t| t.information = "x".repeat(71));
        assert_eq!((e.code(), e.field()), ("field_too_long", Some(Field::EpcInformation)));
        // Every field within its length, the whole over 331 bytes.
        let e = with(&|t| {
            t.name = "ä".repeat(70);
            t.remittance = Remittance::Unstructured("ö".repeat(140));
        });
        assert_eq!(e, BankError::EpcPayloadSize { bytes: 3 + 3 + 1 + 3 + 140 + 27 + 7 + 280 + 10 });
        assert_eq!(e.code(), "epc_payload_size");
    }

    #[test]
    fn each_line_has_its_error_when_read() {
        let (_, payload) = red_cross();
        let code =
            |from: &str, to: &str| Transfer::decode(&payload.replacen(from, to, 1)).unwrap_err().code();
        assert_eq!(code("BCD", "BCC"), "field_value");
        assert_eq!(code("\n001\n", "\n003\n"), "field_value");
        assert_eq!(code("\n1\n", "\n2\n"), "field_value");
        assert_eq!(code("SCT", "INST"), "field_value");
        assert_eq!(code("BPOTBEB1", "BPOTBE"), "bic_shape");
        assert_eq!(code("BPOTBEB1", ""), "epc_bic_required");
        assert_eq!(code("BE72000000001616", "BE72000000001617"), "iban_checksum");
        for amount in ["USD1", "EUR", "EUR0", "EUR1.001", "EUR1,5", "EUR1000000000", "EUR-1", "EUR 1"] {
            assert!(matches!(code("EUR1", amount), "amount_invalid" | "field_value"), "{amount}");
        }
        assert_eq!(code("\n\nUrgency", "\nRF18539007547034\nUrgency"), "epc_remittance_both");
        assert_eq!(code("\n\nUrgency fund", "\nRF19539007547034\n"), "reference_checksum");
        assert_eq!(code("CHAR", "Charity"), "field_value");
        assert_eq!(
            Transfer::decode("BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross").unwrap_err().code(),
            "payload_lines"
        );
        assert_eq!(Transfer::decode(&crate::cat!(payload, "\nmore")).unwrap_err().code(), "payload_lines");
        let e = Transfer::decode("").unwrap_err();
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("payload_lines", "the EPC payload has 1 lines, not 7 to 12")
        );
        let long = crate::cat!(payload, "x".repeat(300));
        assert_eq!(Transfer::decode(&long).unwrap_err().code(), "epc_payload_size");
    }

    #[test]
    fn the_largest_payload_fits_version_13_at_level_m() {
        let transfer = Transfer {
            version: Version::V001,
            bic: bic("BHBLDEHHXXX"),
            name: "ä".repeat(70),
            iban: iban("MT84MALT011000012345MTLCAST001S"),
            amount: euros("999999999.99"),
            purpose: "GDDS".into(),
            remittance: Remittance::Unstructured(crate::cat!("é".repeat(19), "x")),
            information: "x".repeat(70),
        };
        let payload = transfer.encode().unwrap();
        assert_eq!(payload.len(), MAX_BYTES);
        let (width, read) = read_back(&payload);
        assert_eq!(read, payload);
        assert!(width <= 17 + 4 * MAX_QR_VERSION, "{width}");
    }

    const IBANS: &[&str] = &[
        "DE89370400440532013000",
        "FR1420041010050500013M02606",
        "BE68539007547034",
        "NL91ABNA0417164300",
        "AT611904300234573201",
        "IT60X0542811101000000123456",
        "MT84MALT011000012345MTLCAST001S",
    ];
    const BICS: &[&str] = &["BHBLDEHHXXX", "BPOTBEB1", "DEUTDEFF500", "ABNANL2A"];
    /// Mostly ASCII, some Latin and other letters, no control characters.
    const TEXT: &str = "[ -~äöüßéèçñÅ€ąłżЖ中]";

    fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("{TEXT}{{{min},{max}}}")).unwrap()
    }

    fn any_transfer() -> impl Strategy<Value = Transfer> {
        let remittance = prop_oneof![
            Just(Remittance::None),
            "[0-9A-Z]{1,21}".prop_map(|r| Remittance::Structured(CreditorReference::create(&r).unwrap())),
            text(1, 140).prop_map(Remittance::Unstructured),
        ];
        (
            any::<bool>(),
            proptest::option::of(proptest::sample::select(BICS)),
            text(1, 70),
            proptest::sample::select(IBANS),
            proptest::option::of(1u128..=99_999_999_999),
            prop_oneof![Just(String::new()), "[A-Z]{4}"],
            remittance,
            text(0, 70),
        )
            .prop_map(|(v1, bic, name, iban, cents, purpose, remittance, information)| Transfer {
                version: if v1 { Version::V001 } else { Version::V002 },
                bic: bic.or(if v1 { Some("BPOTBEB1") } else { None }).map(|b| Bic::parse(b).unwrap()),
                name,
                iban: Iban::parse(iban).unwrap(),
                amount: cents.map(|c| Amount::from_atomic(c, 2)),
                purpose,
                remittance,
                information,
            })
    }

    proptest! {
        #[test]
        fn any_valid_transfer_round_trips(transfer in any_transfer()) {
            match transfer.encode() {
                Ok(payload) => {
                    prop_assert!(payload.len() <= MAX_BYTES && !payload.ends_with('\n'));
                    prop_assert_eq!(Transfer::decode(&payload), Ok(transfer));
                }
                Err(BankError::EpcPayloadSize { bytes }) => prop_assert!(bytes > MAX_BYTES),
                Err(e) => prop_assert!(false, "{}", e),
            }
        }

        #[test]
        fn any_line_replaced_is_refused_or_read_and_written_back(
            transfer in any_transfer(),
            i in 0usize..12,
            s in "\\PC{0,30}",
        ) {
            let Ok(payload) = transfer.encode() else { return Ok(()) };
            let mut lines = payload_lines(&payload);
            let i = i % lines.len();
            lines[i] = &s;
            if let Ok(read) = Transfer::decode(&lines.join("\n")) {
                prop_assert_eq!(Transfer::decode(&read.encode().unwrap()), Ok(read));
            }
        }

        #[test]
        fn any_text_is_refused_or_read_and_written_back(s in "\\PC{0,60}(\n\\PC{0,30}){0,13}") {
            if let Ok(transfer) = Transfer::decode(&s) {
                let payload = transfer.encode().unwrap();
                prop_assert_eq!(Transfer::decode(&payload), Ok(transfer));
            }
        }
    }
}
