//! IBAN (ISO 13616) and BIC (ISO 9362), and what the four files of the SEPA and Swiss rails
//! (`iban`, `reference`, `epc`, `swiss`) share: their one error type [`BankError`], the payload
//! [`Field`]s it names, and the checks of text fields, amounts and payload lines.
//!
//! An IBAN is read as ISO 13616-1 says: white space dropped and ASCII letters upper-cased; then
//! only A–Z and 0–9, a country code with an entry in the SWIFT IBAN Registry, two check digits
//! from 02 to 98, the registry's length for that country, and ISO 7064 MOD 97-10: with the first
//! four characters moved to the end and each letter read as two digits (A = 10 … Z = 35), the
//! number's remainder by 97 is 1. The remainder is carried one digit at a time, so no big
//! integer is needed. The lengths are the registry's, Release 100 (SWIFT, "IBAN Registry",
//! <https://www.swift.com/standards/data-standards/iban-international-bank-account-number>,
//! iban-registry-100.txt): all 89 countries it lists. Territories it folds into a country (the
//! Åland Islands, the French overseas territories, the Channel Islands and Man) use that
//! country's code. The BBAN's pattern per country (which positions are digits) is not checked,
//! only that it is alphanumeric.
//!
//! What mod 97 catches, measured by the tests over the registry's 89 examples and random IBANs:
//! every character replaced by another of its kind (digit by digit, letter by letter) and every
//! swap of two adjacent distinct characters of one kind. The arithmetic promises it: such an
//! error changes the number by d × 10^k, or 9 × d × 10^k (two digits swapped), or 99 × d × 10^k
//! (two letters), with 0 < d ≤ 25, and the prime 97 divides none of these; a swap of the second
//! check digit and the first BBAN digit, apart once the prefix is moved, changes it by
//! d × (10^(n-1) - 1) for an n-digit number, n < 96, and 10^k ≡ 1 (mod 97) first at k = 96. Not
//! so a digit replaced by a letter (459 of the examples' 75,425 substitutions pass) or a digit
//! and a letter swapped (2 of 1,560 swaps): a letter counts as two digits.
//!
//! A BIC is checked for its shape (ISO 9362): four letters (the institution), two letters (the
//! country), two letters or digits (the location), optionally three letters or digits (the
//! branch); 8 or 11 characters.

use crate::money::Amount;
use crate::text;
use std::fmt;

/// The length of each IBAN country's IBANs, SWIFT IBAN Registry Release 100, sorted by code.
#[rustfmt::skip]
const LENGTHS: &[(&str, u8)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16), ("BG", 22),
    ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22), ("CY", 28), ("CZ", 24),
    ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24), ("FI", 18),
    ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27),
    ("GT", 28), ("HN", 28), ("HR", 21), ("HU", 28), ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26),
    ("IT", 27), ("JO", 30), ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20),
    ("LU", 20), ("LV", 21), ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20),
    ("MR", 27), ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24),
    ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33), ("SA", 24),
    ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27), ("SO", 23), ("ST", 25),
    ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29), ("VA", 22), ("VG", 24), ("XK", 20),
    ("YE", 30),
];

/// The IBAN length the registry gives `country` (two upper-case letters), if it lists it.
pub fn iban_length(country: &str) -> Option<usize> {
    let i = LENGTHS.binary_search_by(|(code, _)| code.cmp(&country)).ok()?;
    LENGTHS.get(i).map(|&(_, len)| usize::from(len))
}

/// ISO 7064 MOD 97-10 of `text` as ISO 13616 and ISO 11649 read it, continuing from remainder
/// `r`: a digit is itself, a letter A–Z two digits (10–35). `None` for any other character.
fn mod97_from(mut r: u32, text: &str) -> Option<u32> {
    for b in text.bytes() {
        r = match b {
            b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(r)
}

/// The remainder by 97 of an IBAN or RF reference with its first four characters (the
/// prefix and the check digits) moved to the end: 1 when the check digits are right.
pub(super) fn checksum(text: &str) -> Option<u32> {
    mod97_from(mod97_from(0, text.get(4..)?)?, text.get(..4)?)
}

/// The two check digits (2–98) that make `prefix` (a country code, or `RF`), the check digits
/// and `body` pass MOD 97-10. `None` if a character is not 0–9 or A–Z.
pub fn check_digits(prefix: &str, body: &str) -> Option<u8> {
    let r = mod97_from(mod97_from(mod97_from(0, body)?, prefix)?, "00")?;
    u8::try_from(98 - r).ok()
}

/// White space dropped, ASCII letters upper-cased: the electronic form of a printed code.
pub(super) fn normalise(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

/// `text` in groups of `size` after a first group of `first` characters, one space between.
pub(super) fn grouped(text: &str, first: usize, size: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i >= first && (i - first).is_multiple_of(size) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A valid IBAN in its electronic form: upper case, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

impl Iban {
    /// Reads an IBAN in its electronic or printed form (`"DE89 3704 0044 0532 0130 00"`).
    pub fn parse(text: &str) -> Result<Iban, BankError> {
        let iban = normalise(text);
        if iban.is_empty() {
            return Err(BankError::IbanEmpty);
        }
        if let Some(found) = iban.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(BankError::IbanCharacter { iban, found });
        }
        // Only ASCII from here: byte ranges are character ranges.
        let country = iban.get(..2).filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
        let Some(expected) = country.and_then(iban_length) else {
            return Err(BankError::IbanCountry { iban });
        };
        let digits = iban.get(2..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        if digits.is_none_or(|d| matches!(d, "00" | "01" | "99")) {
            return Err(BankError::IbanCheckDigits { iban });
        }
        if iban.len() != expected {
            return Err(BankError::IbanLength { iban, expected });
        }
        if checksum(&iban) != Some(1) {
            return Err(BankError::IbanChecksum { iban });
        }
        Ok(Iban(iban))
    }

    /// The electronic form: `"DE89370400440532013000"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country code: `"DE"`.
    pub fn country(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }

    /// The BBAN, everything after the check digits.
    pub fn bban(&self) -> &str {
        self.0.get(4..).unwrap_or_default()
    }

    /// The printed form, in groups of four: `"DE89 3704 0044 0532 0130 00"`.
    pub fn grouped(&self) -> String {
        grouped(&self.0, 4, 4)
    }
}

impl fmt::Display for Iban {
    /// The electronic form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A BIC of a valid shape, upper case: `"BHBLDEHHXXX"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bic(String);

impl Bic {
    /// Reads a BIC: white space dropped, letters upper-cased, then 8 or 11 characters of the
    /// ISO 9362 shape (`AAAA BB CC [DDD]`: letters, letters, then letters or digits).
    pub fn parse(text: &str) -> Result<Bic, BankError> {
        let bic = normalise(text);
        let b = bic.as_bytes();
        let letters = b.get(..6).is_some_and(|h| h.iter().all(u8::is_ascii_uppercase));
        let rest = b.get(6..).is_some_and(|t| t.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        if (b.len() == 8 || b.len() == 11) && letters && rest {
            Ok(Bic(bic))
        } else {
            Err(BankError::BicShape { bic })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! fields {
    ($($variant:ident = $key:literal, $name:literal;)+) => {
        /// A field of an EPC or Swiss QR payload, named by an error so a form can point at it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($variant,)+
        }

        impl Field {
            /// Every field, in payload order.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)+];

            /// The field's stable snake_case key.
            pub const fn key(self) -> &'static str {
                match self {
                    $(Field::$variant => $key,)+
                }
            }

            /// The field in English, for messages.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)+
                }
            }
        }
    };
}

fields! {
    EpcServiceTag = "epc_service_tag", "the EPC service tag";
    EpcVersion = "epc_version", "the EPC version";
    EpcCharacterSet = "epc_character_set", "the EPC character set";
    EpcIdentification = "epc_identification", "the EPC identification";
    EpcName = "epc_name", "the beneficiary's name";
    EpcAmount = "epc_amount", "the EPC amount";
    EpcPurpose = "epc_purpose", "the purpose code";
    EpcRemittance = "epc_remittance", "the unstructured remittance information";
    EpcInformation = "epc_information", "the beneficiary-to-originator information";
    SwissHeader = "swiss_header", "the QR type";
    SwissVersion = "swiss_version", "the QR-bill version";
    SwissCoding = "swiss_coding", "the coding type";
    CreditorAddressType = "creditor_address_type", "the creditor's address type";
    CreditorName = "creditor_name", "the creditor's name";
    CreditorStreet = "creditor_street", "the creditor's street";
    CreditorBuilding = "creditor_building", "the creditor's building number";
    CreditorPostcode = "creditor_postcode", "the creditor's postcode";
    CreditorTown = "creditor_town", "the creditor's town";
    CreditorCountry = "creditor_country", "the creditor's country";
    DebtorAddressType = "debtor_address_type", "the debtor's address type";
    DebtorName = "debtor_name", "the debtor's name";
    DebtorStreet = "debtor_street", "the debtor's street";
    DebtorBuilding = "debtor_building", "the debtor's building number";
    DebtorPostcode = "debtor_postcode", "the debtor's postcode";
    DebtorTown = "debtor_town", "the debtor's town";
    DebtorCountry = "debtor_country", "the debtor's country";
    SwissAmount = "swiss_amount", "the QR-bill amount";
    SwissCurrency = "swiss_currency", "the currency";
    SwissReferenceType = "swiss_reference_type", "the reference type";
    SwissReference = "swiss_reference", "the reference";
    SwissMessage = "swiss_message", "the unstructured message";
    SwissTrailer = "swiss_trailer", "the trailer";
    SwissBilling = "swiss_billing", "the billing information";
    SwissAlternative = "swiss_alternative", "an alternative procedure";
}

/// Why an IBAN, BIC, reference or EPC / Swiss QR payload cannot be used. Each variant has a
/// stable snake_case [`code`](BankError::code); the field errors also say which [`Field`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankError {
    IbanEmpty,
    /// A character other than A–Z and 0–9 (white space aside).
    IbanCharacter {
        iban: String,
        found: char,
    },
    /// Not two letters, or a country without an entry in the IBAN registry.
    IbanCountry {
        iban: String,
    },
    /// Positions 3–4 are not two digits from 02 to 98.
    IbanCheckDigits {
        iban: String,
    },
    IbanLength {
        iban: String,
        expected: usize,
    },
    IbanChecksum {
        iban: String,
    },
    BicShape {
        bic: String,
    },
    /// Not `RF`, two digits and 1 to 21 letters or digits.
    ReferenceShape {
        reference: String,
    },
    ReferenceChecksum {
        reference: String,
    },
    /// Not 27 digits.
    QrReferenceShape {
        reference: String,
    },
    QrReferenceChecksum {
        reference: String,
    },
    /// A required field is empty.
    Missing {
        field: Field,
    },
    /// More characters than the scheme allows.
    TooLong {
        field: Field,
        max: usize,
        found: usize,
    },
    /// A character the scheme does not allow there (a line break would end the field early).
    Character {
        field: Field,
        found: char,
    },
    /// A line that must hold one of a few values holds another.
    Unexpected {
        field: Field,
        found: String,
        expected: &'static str,
    },
    /// Not a plain decimal from 0.01 to 999999999.99 with two decimals at most.
    Amount {
        field: Field,
        text: String,
    },
    /// A payload with too few or too many lines (`scheme`: "EPC", "Swiss QR"; `expected`: the
    /// scheme's range).
    Lines {
        scheme: &'static str,
        found: usize,
        expected: &'static str,
    },
    /// An EPC payload over 331 bytes.
    EpcPayloadSize {
        bytes: usize,
    },
    /// Version 001 without a BIC.
    EpcBicRequired,
    /// Both the structured and the unstructured remittance information.
    EpcRemittanceBoth,
    /// A QR-bill account outside Switzerland and Liechtenstein.
    SwissAccountCountry {
        iban: String,
    },
    /// A QR-IBAN with a reference type other than QRR.
    SwissQrIbanNeedsQrr,
    /// A QR reference (QRR) on an account that is not a QR-IBAN.
    SwissQrrNeedsQrIban,
    /// Address type K (combined lines): not allowed since 21 November 2025.
    SwissCombinedAddress {
        field: Field,
    },
    /// The ultimate creditor's lines are reserved and must stay empty.
    SwissUltimateCreditor,
    /// More than two alternative procedures.
    SwissAlternatives {
        found: usize,
    },
    /// The unstructured message and the billing information over 140 characters together.
    SwissAdditionalInformation {
        found: usize,
    },
}

// The messages are built with `cat!` and `Display` only writes them: the release wasm carries
// no `core::fmt` (see `crate::text`).
impl BankError {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        use BankError::*;
        match self {
            IbanEmpty => "iban_empty",
            IbanCharacter { .. } => "iban_character",
            IbanCountry { .. } => "iban_country",
            IbanCheckDigits { .. } => "iban_check_digits",
            IbanLength { .. } => "iban_length",
            IbanChecksum { .. } => "iban_checksum",
            BicShape { .. } => "bic_shape",
            ReferenceShape { .. } => "reference_shape",
            ReferenceChecksum { .. } => "reference_checksum",
            QrReferenceShape { .. } => "qr_reference_shape",
            QrReferenceChecksum { .. } => "qr_reference_checksum",
            Missing { .. } => "field_missing",
            TooLong { .. } => "field_too_long",
            Character { .. } => "field_character",
            Unexpected { .. } => "field_value",
            Amount { .. } => "amount_invalid",
            Lines { .. } => "payload_lines",
            EpcPayloadSize { .. } => "epc_payload_size",
            EpcBicRequired => "epc_bic_required",
            EpcRemittanceBoth => "epc_remittance_both",
            SwissAccountCountry { .. } => "swiss_account_country",
            SwissQrIbanNeedsQrr => "swiss_qr_iban_needs_qrr",
            SwissQrrNeedsQrIban => "swiss_qrr_needs_qr_iban",
            SwissCombinedAddress { .. } => "swiss_combined_address",
            SwissUltimateCreditor => "swiss_ultimate_creditor",
            SwissAlternatives { .. } => "swiss_alternatives",
            SwissAdditionalInformation { .. } => "swiss_additional_information",
        }
    }

    /// The payload field at fault, if the error is about one.
    pub fn field(&self) -> Option<Field> {
        use BankError::*;
        match self {
            Missing { field }
            | TooLong { field, .. }
            | Character { field, .. }
            | Unexpected { field, .. }
            | Amount { field, .. }
            | SwissCombinedAddress { field } => Some(*field),
            _ => None,
        }
    }

    /// The English explanation.
    pub fn message(&self) -> String {
        use crate::cat;
        use BankError::*;
        match self {
            IbanEmpty => "the IBAN is empty".into(),
            IbanCharacter { iban, found } => {
                cat!(
                    "IBAN \"",
                    iban,
                    "\" contains ",
                    describe(*found),
                    "; only letters A-Z and digits belong in one"
                )
            }
            IbanCountry { iban } => {
                cat!("IBAN \"", iban, "\" does not start with the code of a country of the IBAN registry")
            }
            IbanCheckDigits { iban } => {
                cat!(
                    "IBAN \"",
                    iban,
                    "\" does not have two check digits from 02 to 98 after its country code"
                )
            }
            IbanLength { iban, expected } => cat!(
                "IBAN \"",
                iban,
                "\" has ",
                iban.chars().count(),
                " characters; IBANs of its country have ",
                *expected
            ),
            IbanChecksum { iban } => {
                cat!("IBAN \"", iban, "\" fails its check digits: a character is mistyped")
            }
            BicShape { bic } => cat!(
                "BIC \"",
                bic,
                "\" is not 4 letters, 2 letters and 2 letters or digits, with an optional 3 more"
            ),
            ReferenceShape { reference } => cat!(
                "creditor reference \"",
                reference,
                "\" is not RF, two check digits and 1 to 21 letters or digits"
            ),
            ReferenceChecksum { reference } => {
                cat!("creditor reference \"", reference, "\" fails its check digits: a character is mistyped")
            }
            QrReferenceShape { reference } => cat!("QR reference \"", reference, "\" is not 27 digits"),
            QrReferenceChecksum { reference } => {
                cat!("QR reference \"", reference, "\" fails its check digit: a digit is mistyped")
            }
            Missing { field } => cat!(field.name(), " is required"),
            TooLong { field, max, found } => {
                cat!(field.name(), " has ", *found, " characters; at most ", *max, " are allowed")
            }
            Character { field, found } => {
                cat!(field.name(), " contains ", describe(*found), ", not allowed there")
            }
            Unexpected { field, found, expected } => {
                cat!(field.name(), " is \"", found, "\"; expected ", *expected)
            }
            Amount { field, text } => cat!(
                field.name(),
                " \"",
                text,
                "\" is not an amount from 0.01 to 999999999.99 with at most two decimals"
            ),
            Lines { scheme, found, expected } => {
                cat!("the ", *scheme, " payload has ", *found, " lines, not ", *expected)
            }
            EpcPayloadSize { bytes } => cat!("the EPC payload has ", *bytes, " bytes; at most 331 fit"),
            EpcBicRequired => "EPC version 001 requires the beneficiary's BIC".into(),
            EpcRemittanceBoth => {
                "an EPC transfer has a structured or an unstructured remittance information, not both".into()
            }
            SwissAccountCountry { iban } => {
                cat!("QR-bill account \"", iban, "\" is not a Swiss or Liechtenstein IBAN")
            }
            SwissQrIbanNeedsQrr => "a QR-IBAN requires a QR reference (type QRR)".into(),
            SwissQrrNeedsQrIban => "a QR reference (type QRR) requires a QR-IBAN".into(),
            SwissCombinedAddress { field } => {
                cat!(field.name(), " is K (combined): QR-bills accept only structured addresses (S)")
            }
            SwissUltimateCreditor => "the ultimate creditor is reserved and must be left empty".into(),
            SwissAlternatives { found } => {
                cat!("a QR-bill has at most 2 alternative procedures, not ", *found)
            }
            SwissAdditionalInformation { found } => cat!(
                "the unstructured message and the billing information have ",
                *found,
                " characters together; at most 140 are allowed"
            ),
        }
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for BankError {}

/// A character for a message: `'é' (U+00E9)`, or only the code point for a control character.
fn describe(c: char) -> String {
    let mut hex = String::new();
    for b in u32::from(c).to_be_bytes() {
        text::push_hex2(&mut hex, b);
    }
    let digits = hex.trim_start_matches('0').to_ascii_uppercase();
    let code = crate::cat!("U+", "0000".get(digits.len().min(4)..).unwrap_or_default(), digits);
    if c.is_control() {
        code
    } else {
        crate::cat!("'", c, "' (", code, ")")
    }
}

/// `found` (a line of a payload) must be `want`.
pub(super) fn expect(field: Field, found: &str, want: &'static str) -> Result<(), BankError> {
    if found == want {
        Ok(())
    } else {
        Err(BankError::Unexpected { field, found: found.into(), expected: want })
    }
}

/// Checks a text field: not empty if `required`, at most `max` characters, each `allowed` and
/// none a control character (a line break would end the field early).
pub(super) fn check_text(
    field: Field,
    text: &str,
    max: usize,
    required: bool,
    allowed: fn(char) -> bool,
) -> Result<(), BankError> {
    if required && text.is_empty() {
        return Err(BankError::Missing { field });
    }
    let found = text.chars().count();
    if found > max {
        return Err(BankError::TooLong { field, max, found });
    }
    match text.chars().find(|&c| c.is_control() || !allowed(c)) {
        Some(found) => Err(BankError::Character { field, found }),
        None => Ok(()),
    }
}

/// Checks an amount of both schemes: two decimals (`Amount::parse(text, 2)`), from 0.01 to
/// 999999999.99.
pub(super) fn check_amount(field: Field, amount: &Amount) -> Result<(), BankError> {
    if amount.decimals() == 2 && (1..=99_999_999_999).contains(&amount.atomic()) {
        Ok(())
    } else {
        Err(BankError::Amount { field, text: amount.to_decimal() })
    }
}

/// The lines of a payload: separated by LF or CR LF, one separator after the last line allowed
/// (both schemes let it be kept or left out).
pub(super) fn payload_lines(payload: &str) -> Vec<&str> {
    let body = match payload.strip_suffix('\n') {
        Some(p) => p.strip_suffix('\r').unwrap_or(p),
        None => payload,
    };
    body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// Encodes `payload` at level M with the form's QR encoder, paints it and reads it back with
/// an independent decoder (`rqrr`): the matrix's width and the text read.
#[cfg(test)]
pub(super) fn read_back(payload: &str) -> (usize, String) {
    let m = crate::qr::QrMatrix::encode(payload).expect("the payload fits in a QR code");
    let (scale, q) = (4, crate::qr::QUIET_ZONE);
    let px = m.view_size() * scale;
    let dark = |x: usize, y: usize| {
        let (x, y) = (x / scale, y / scale);
        x >= q && y >= q && m.is_dark(x - q, y - q)
    };
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| if dark(x, y) { 0 } else { 255 });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected exactly one QR code");
    (m.width(), grids[0].decode().expect("rqrr decodes it").1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The electronic example of every country of the SWIFT IBAN Registry, Release 100.
    #[rustfmt::skip]
    const REGISTRY_EXAMPLES: &[&str] = &[
        "AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741",
        "AT611904300234573201", "AZ21NABZ00000000137010001944", "BA391290079401028494", "BE68539007547034",
        "BG80BNBG96611020345678", "BH67BMAG00001299123456", "BI4210000100010000332045181",
        "BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00", "CH9300762011623852957",
        "CR05015202001026284066", "CY17002001280000001200527600", "CZ6508000000192000145399",
        "DE89370400440532013000", "DJ2100010000000154000100186", "DK5000400440116243",
        "DO28BAGR00000001212453611324", "EE382200221020145685", "EG380019000500000000263180002",
        "ES9121000418450200051332", "FI2112345600000785", "FK88SC123456789012", "FO6264600001631634",
        "FR1420041010050500013M02606", "GB29NWBK60161331926819", "GE29NB0000000101904917",
        "GI75NWBK000000007099453", "GL8964710001000206", "GR1601101250000000012300695",
        "GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469", "HR1210010051863000160",
        "HU42117730161111101800000000", "IE29AIBK93115212345678", "IL620108000000099999999",
        "IQ98NBIQ850123456789012", "IS140159260076545510730339", "IT60X0542811101000000123456",
        "JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
        "LB62099900000001001901229114", "LC55HEMM000100010012001200023015", "LI21088100002324013AA",
        "LT121000011101001000", "LU280019400644750000", "LV80BANK0000435195001",
        "LY83002048000020100120361", "MC5811222000010123456789030", "MD24AG000225100013104168",
        "ME25505000012345678951", "MK07250120000058984", "MN121234123456789123",
        "MR1300020001010000123456753", "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR",
        "NI45BAPR00000013000003558124", "NL91ABNA0417164300", "NO9386011117947", "OM810180000001299123456",
        "PK36SCBL0000001123456702", "PL61109010140000071219812874", "PS92PALS000000000400123456702",
        "PT50000201231234567890154", "QA58DOHB00001234567890ABCDEFG", "RO49AAAA1B31007593840000",
        "RS35260005601001611379", "RU0304452522540817810538091310419", "SA0380000000608010167519",
        "SC18SSCB11010000000000001497USD", "SD2129010501234001", "SE4550000000058398257466",
        "SI56263300012039086", "SK3112000000198742637541", "SM86U0322509800000000270100",
        "SO211000001001000100141", "ST23000100010051845310146", "SV62CENR00000000000000700025",
        "TL380080012345678910157", "TN5910006035183598478831", "TR330006100519786457841326",
        "UA213223130000026007233566001", "VA59001123000012345678", "VG96VPVG0000012345678901",
        "XK051212012345678906", "YE15CBYE0001018861234567891234",
    ];

    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    #[test]
    fn every_registry_example_is_valid_and_the_table_is_the_registry() {
        assert_eq!(REGISTRY_EXAMPLES.len(), LENGTHS.len());
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0), "sorted, for the binary search");
        for (example, &(country, len)) in REGISTRY_EXAMPLES.iter().zip(LENGTHS) {
            let iban = Iban::parse(example).unwrap_or_else(|e| panic!("{example}: {e}"));
            assert_eq!((iban.country(), iban.as_str().len()), (country, usize::from(len)));
            assert_eq!(iban.as_str(), *example);
        }
    }

    #[test]
    fn reads_the_printed_form_and_prints_it() {
        // The ECBS's example (EBS204) and the registry's.
        for (printed, electronic) in [
            ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
            ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("ch93 0076 2011 6238 5295 7", "CH9300762011623852957"),
            (" FR14\t2004 1010 0505 0001 3M02 606 ", "FR1420041010050500013M02606"),
        ] {
            let iban = Iban::parse(printed).unwrap();
            assert_eq!(iban.as_str(), electronic);
            assert_eq!(iban.to_string(), electronic);
            assert_eq!(iban.grouped(), printed.trim().replace('\t', " ").to_uppercase());
            assert_eq!(Iban::parse(&iban.grouped()), Ok(iban.clone()));
        }
        let de = Iban::parse("DE89370400440532013000").unwrap();
        assert_eq!((de.country(), de.bban()), ("DE", "370400440532013000"));
    }

    #[test]
    fn each_rule_has_its_error() {
        let code = |t: &str| Iban::parse(t).unwrap_err().code();
        assert_eq!(code(""), "iban_empty");
        assert_eq!(code("   "), "iban_empty");
        assert_eq!(code("DE89-3704-0044-0532-0130-00"), "iban_character");
        assert_eq!(code("DE89370400440532013ÄÄ"), "iban_character");
        assert_eq!(code("XX89370400440532013000"), "iban_country");
        assert_eq!(code("1289370400440532013000"), "iban_country");
        assert_eq!(code("D"), "iban_country");
        assert_eq!(code("DEAB370400440532013000"), "iban_check_digits");
        assert_eq!(code("DE"), "iban_check_digits");
        assert_eq!(code("DE8937040044053201300"), "iban_length");
        assert_eq!(code("DE893704004405320130000"), "iban_length");
        assert_eq!(code("DE88370400440532013000"), "iban_checksum");
        assert_eq!(code("GB82WEST12345698765433"), "iban_checksum");
        // 01 and 98 (like 00 and 97, 02 and 99) leave the same remainder; ISO 13616 uses 02–98.
        let bban = "370400440532013000";
        let cd = check_digits("DE", bban).unwrap();
        assert_eq!(cd, 89);
        for bad in ["00", "01", "99"] {
            assert_eq!(code(&["DE", bad, bban].concat()), "iban_check_digits");
        }
        let e = Iban::parse("DE8937040044053201300").unwrap_err();
        assert_eq!(
            e.message(),
            "IBAN \"DE8937040044053201300\" has 21 characters; IBANs of its country have 22"
        );
        assert_eq!(e.to_string(), e.message());
        assert_eq!(
            Iban::parse("DE89\u{7}").unwrap_err().message(),
            "IBAN \"DE89\u{7}\" contains U+0007; only letters A-Z and digits belong in one"
        );
        assert_eq!(
            Iban::parse("DE89é").unwrap_err().message(),
            "IBAN \"DE89é\" contains 'é' (U+00E9); only letters A-Z and digits belong in one"
        );
    }

    #[test]
    fn bic_shapes() {
        for ok in ["BHBLDEHHXXX", "BPOTBEB1", "DEUTDEFF", "deutdeff500", " BNPA FRPP "] {
            assert!(Bic::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Bic::parse("deutdeff500").unwrap().as_str(), "DEUTDEFF500");
        for bad in [
            "",
            "BHBLDE",
            "BHBLDEHHX",
            "BHBLDEHHXX",
            "BHBLDEHHXXXX",
            "BHB1DEHH",
            "BHBLD3HH",
            "BHBLDEH_",
            "BHBLDEHHXX-",
        ] {
            assert_eq!(Bic::parse(bad).unwrap_err().code(), "bic_shape", "{bad}");
        }
    }

    /// Every character of the examples replaced by every other letter or digit. Mod 97 is what
    /// is measured: a replaced country letter or check digit is often refused earlier, by the
    /// country table or the check digits' shape.
    #[test]
    fn mod_97_catches_every_substitution_of_a_character_by_one_of_its_kind() {
        let (mut tried, mut passed_mixed) = (0, 0);
        for example in REGISTRY_EXAMPLES {
            for (i, old) in example.bytes().enumerate() {
                for &new in ALNUM.iter().filter(|&&c| c != old) {
                    let mut s = example.as_bytes().to_vec();
                    s[i] = new;
                    let s = String::from_utf8(s).unwrap();
                    tried += 1;
                    if old.is_ascii_digit() == new.is_ascii_digit() {
                        assert_ne!(checksum(&s), Some(1), "{example} -> {s}");
                        assert!(Iban::parse(&s).is_err(), "{s}");
                    } else if checksum(&s) == Some(1) {
                        passed_mixed += 1;
                    }
                }
            }
        }
        assert_eq!((tried, passed_mixed), (75_425, 459));
        // One that gets through every check: a digit for a letter in an alphanumeric position.
        assert_eq!(checksum("AD1200012030G00359100100"), Some(1));
        assert!(Iban::parse("AD1200012030G00359100100").is_ok());
    }

    #[test]
    fn mod_97_catches_every_swap_of_adjacent_distinct_characters_of_one_kind() {
        let (mut tried, mut passed) = (0, Vec::new());
        for example in REGISTRY_EXAMPLES {
            let b = example.as_bytes();
            for i in 0..b.len() - 1 {
                if b[i] == b[i + 1] {
                    continue;
                }
                let mut s = b.to_vec();
                s.swap(i, i + 1);
                let s = String::from_utf8(s).unwrap();
                tried += 1;
                if b[i].is_ascii_digit() == b[i + 1].is_ascii_digit() {
                    assert!(Iban::parse(&s).is_err(), "{example} -> {s}");
                } else if Iban::parse(&s).is_ok() {
                    passed.push(s);
                }
            }
        }
        assert_eq!(tried, 1560);
        // A digit and a letter swapped: two of the examples' swaps pass.
        assert_eq!(passed, ["RO49AAAAB131007593840000", "SC18SSC1B1010000000000001497USD"]);
    }

    /// A random valid IBAN: a registry country, a random BBAN of its length, its check digits.
    fn any_iban() -> impl Strategy<Value = String> {
        (0..LENGTHS.len()).prop_flat_map(|i| {
            let (country, len) = LENGTHS[i];
            proptest::collection::vec(proptest::sample::select(ALNUM), usize::from(len) - 4).prop_map(
                move |b| {
                    let bban = String::from_utf8(b).unwrap();
                    let cd = check_digits(country, &bban).unwrap();
                    crate::cat!(country, text::padded(u128::from(cd), 2), bban)
                },
            )
        })
    }

    proptest! {
        #[test]
        fn generated_ibans_are_valid_and_grouping_round_trips(iban in any_iban()) {
            let parsed = Iban::parse(&iban).unwrap();
            prop_assert_eq!(parsed.as_str(), iban.as_str());
            prop_assert_eq!(Iban::parse(&parsed.grouped().to_lowercase()).unwrap(), parsed);
        }

        #[test]
        fn one_kind_substitutions_and_swaps_are_caught(iban in any_iban(), i in 0usize..40, j in 0usize..36) {
            let b = iban.as_bytes();
            let i = i % b.len();
            let new = ALNUM[j];
            if new != b[i] && new.is_ascii_digit() == b[i].is_ascii_digit() {
                let mut s = b.to_vec();
                s[i] = new;
                prop_assert!(Iban::parse(std::str::from_utf8(&s).unwrap()).is_err());
            }
            let i = i.min(b.len() - 2);
            if b[i] != b[i + 1] && b[i].is_ascii_digit() == b[i + 1].is_ascii_digit() {
                let mut s = b.to_vec();
                s.swap(i, i + 1);
                prop_assert!(Iban::parse(std::str::from_utf8(&s).unwrap()).is_err());
            }
        }

        #[test]
        fn any_text_is_refused_or_read_without_panicking(s in "\\PC{0,40}") {
            if let Ok(iban) = Iban::parse(&s) {
                prop_assert_eq!(checksum(iban.as_str()), Some(1));
            }
            let _ = Bic::parse(&s);
        }
    }

    #[test]
    fn field_keys_are_distinct_snake_case() {
        let keys: std::collections::BTreeSet<_> = Field::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(keys.len(), Field::ALL.len());
        assert!(keys.iter().all(|k| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        assert!(Field::ALL.iter().all(|f| f.name().starts_with("the ") || f.name().starts_with("an ")));
    }

    #[test]
    fn messages_name_the_character() {
        assert_eq!(describe('\n'), "U+000A");
        assert_eq!(describe('€'), "'€' (U+20AC)");
        assert_eq!(describe('😃'), "'😃' (U+1F603)");
        assert_eq!(grouped("210000000003139471430009017", 2, 5), "21 00000 00003 13947 14300 09017");
    }

    #[test]
    fn payload_lines_take_lf_or_crlf_and_one_trailing_separator() {
        assert_eq!(payload_lines("a\nb"), ["a", "b"]);
        assert_eq!(payload_lines("a\r\nb\r\n"), ["a", "b"]);
        assert_eq!(payload_lines("a\n\nb\n\n"), ["a", "", "b", ""]);
        assert_eq!(payload_lines(""), [""]);
    }
}
