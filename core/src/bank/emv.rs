//! EMVCo Merchant-Presented Mode QR codes (EMV® QR Code Specification for Payment Systems,
//! Merchant-Presented Mode, "EMV QRCPS-MPM" v1.1): the TLV payload that PIX, PayNow, PromptPay
//! and DuitNow all build on. This module owns the data objects (two-digit ID, two-digit length,
//! value; lengths 01 to 99 counted in characters), the templates (26–51 merchant account
//! information, 62 additional data with its sub-IDs, 64 language template, 80–99 unreserved),
//! the CRC-16/CCITT-FALSE over the whole payload, a strict decoder (00 first and 63 last, the CRC
//! checked, duplicate IDs refused, every length exact) and an encoder from typed fields, plus the
//! three national schemes as data ("template ID + fields": [`PAYNOW`], [`PROMPTPAY`],
//! [`DUITNOW`]). The PIX rules on top of it live in `bank::pix`.
//!
//! Sources: EMVCo, *EMV QRCPS Merchant-Presented Mode* v1.1 (its data object tables and its
//! example payload, whose CRC is A13A); PayNow: the SGQR PayNow template (proxy type 0 mobile or
//! 2 UEN, proxy value, editable flag, expiry YYYYMMDD) as the open encoders `chewhx/paynowqr` and
//! `jaynzr/go-paynow` write it; PromptPay: the Thai QR credit-transfer template as
//! `dtinth/promptpay-qr` writes it; DuitNow: PayNet's *DuitNow National QR Code Standard,
//! Merchant-Presented Mode* v1.5 (its "QR Data Object" and "Examples" pages on
//! docs.developer.paynet.my). Every test vector names its source.
//!
//! Choices the specification leaves open, made here:
//! - Values are printable ASCII (EMV's "ans" set, U+0020–U+007E), except the alternate-language
//!   name and city (64.01, 64.02), which may hold any non-control character; lengths count
//!   characters, so the EMVCo example's "最佳运输" has length 04.
//! - The Payload Format Indicator is "01" (EMVCo) or "02" (PayNet's DuitNow standard calls its
//!   payloads "Version 02" and all its published examples carry it); anything else is refused.
//! - An amount is a plain decimal with at most the currency's ISO 4217 minor units of decimals,
//!   never zero, at most 13 characters; the encoder writes exactly the minor units ("10.00").
//! - RFU IDs (root 65–79, 62.00, 64.03–99) are refused; 62.10–49 are kept as opaque text (RFU in
//!   v1.1, used by PayNet for tax ID and merchant channel).
//! - [`decode_objects`] checks the structure and the CRC only; [`MerchantQr::decode`] also
//!   requires the mandatory objects (an account, 52, 53, 58, 59, 60). Real PromptPay codes from
//!   `promptpay-qr` omit 52, 59 and 60: they decode as objects, not as a [`MerchantQr`].

use crate::money::{Amount, AmountError};
use std::fmt;

/// The longest value a data object can state: two decimal digits.
pub const MAX_LEN: usize = 99;

/// A data object's value: text, or the data objects of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Template(Vec<DataObject>),
}

/// One TLV data object: an ID from 00 to 99 and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataObject {
    pub id: u8,
    pub value: Value,
}

impl DataObject {
    /// A primitive data object.
    pub fn text(id: u8, value: impl Into<String>) -> DataObject {
        DataObject { id, value: Value::Text(value.into()) }
    }

    /// A template holding `children`.
    pub fn template(id: u8, children: Vec<DataObject>) -> DataObject {
        DataObject { id, value: Value::Template(children) }
    }

    /// The text of a primitive data object.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(t) => Some(t),
            Value::Template(_) => None,
        }
    }

    /// The data objects of a template (none for a primitive one).
    pub fn children(&self) -> &[DataObject] {
        match &self.value {
            Value::Template(c) => c,
            Value::Text(_) => &[],
        }
    }

    /// The text of this template's data object `id`.
    pub fn child_text(&self, id: u8) -> Option<&str> {
        self.children().iter().find(|c| c.id == id).and_then(DataObject::as_text)
    }
}

/// Why a payload or a field set is not a valid merchant-presented QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmvError {
    /// The payload is empty.
    Empty,
    /// The payload ends inside a data object starting at character `at`.
    Truncated { at: usize },
    /// An ID or a length at character `at` is not two decimal digits.
    Header { at: usize },
    /// A data object states length 00.
    ZeroLength { path: String },
    /// A value longer than its data object allows.
    TooLong { path: String, len: usize, max: usize },
    /// A character outside the data object's character set.
    Charset { path: String, found: char },
    /// The same ID twice at one level.
    Duplicate { path: String },
    /// The first data object is not the Payload Format Indicator (00).
    FormatNotFirst,
    /// A Payload Format Indicator other than "01" or "02".
    Format { found: String },
    /// The last data object is not the CRC (63).
    CrcNotLast,
    /// The CRC is not four upper-case hexadecimal digits.
    CrcShape { found: String },
    /// The CRC does not match the payload.
    CrcMismatch { found: String, computed: String },
    /// A template where text belongs (`template: true`), or text where a template belongs.
    Kind { path: String, template: bool },
    /// A mandatory data object is absent.
    Missing { path: String },
    /// An ID the specification reserves for future use.
    Reserved { path: String },
    /// A value of the wrong shape for its data object.
    Invalid { path: String, value: String, reason: &'static str },
    /// An amount that is not exact money in the payload's currency.
    Amount { path: String, error: AmountError },
}

impl EmvError {
    /// The stable snake_case code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            EmvError::Empty => "emv_empty",
            EmvError::Truncated { .. } => "emv_truncated",
            EmvError::Header { .. } => "emv_bad_header",
            EmvError::ZeroLength { .. } => "emv_zero_length",
            EmvError::TooLong { .. } => "emv_too_long",
            EmvError::Charset { .. } => "emv_charset",
            EmvError::Duplicate { .. } => "emv_duplicate",
            EmvError::FormatNotFirst => "emv_format_not_first",
            EmvError::Format { .. } => "emv_unknown_format",
            EmvError::CrcNotLast => "emv_crc_not_last",
            EmvError::CrcShape { .. } => "emv_crc_shape",
            EmvError::CrcMismatch { .. } => "emv_crc_mismatch",
            EmvError::Kind { .. } => "emv_wrong_kind",
            EmvError::Missing { .. } => "emv_missing",
            EmvError::Reserved { .. } => "emv_reserved",
            EmvError::Invalid { .. } => "emv_invalid",
            EmvError::Amount { .. } => "emv_amount",
        }
    }

    /// The English explanation.
    pub fn message(&self) -> String {
        match self {
            EmvError::Empty => "the QR payload is empty".into(),
            EmvError::Truncated { at } => {
                crate::cat!("the QR payload ends inside the data object starting at character ", at)
            }
            EmvError::Header { at } => crate::cat!(
                "the data object at character ",
                at,
                " does not start with a two-digit ID and a two-digit length"
            ),
            EmvError::ZeroLength { path } => {
                crate::cat!("data object ", path, " has length 00; lengths run from 01 to 99")
            }
            EmvError::TooLong { path, len, max } => {
                crate::cat!("data object ", path, " is ", len, " characters long; it allows at most ", max)
            }
            EmvError::Charset { path, found } => crate::cat!(
                "data object ",
                path,
                " holds the character ",
                code_point(*found),
                ", outside its character set (printable ASCII)"
            ),
            EmvError::Duplicate { path } => crate::cat!("data object ", path, " appears twice"),
            EmvError::FormatNotFirst => {
                "the QR payload does not start with the Payload Format Indicator (ID 00)".into()
            }
            EmvError::Format { found } => crate::cat!(
                "Payload Format Indicator \"",
                found,
                "\" is unknown: EMVCo defines \"01\" and DuitNow uses \"02\""
            ),
            EmvError::CrcNotLast => "the QR payload does not end with its CRC (ID 63, length 04)".into(),
            EmvError::CrcShape { found } => {
                crate::cat!("CRC \"", found, "\" is not four upper-case hexadecimal digits")
            }
            EmvError::CrcMismatch { found, computed } => crate::cat!(
                "the CRC says ",
                found,
                " but the payload's CRC is ",
                computed,
                ": the code is damaged or was edited"
            ),
            EmvError::Kind { path, template: true } => {
                crate::cat!("data object ", path, " is text, but a template was given")
            }
            EmvError::Kind { path, template: false } => {
                crate::cat!("data object ", path, " is a template, but text was given")
            }
            EmvError::Missing { path } => crate::cat!("mandatory data object ", path, " is missing"),
            EmvError::Reserved { path } => {
                crate::cat!("data object ", path, " uses an ID reserved for future use")
            }
            EmvError::Invalid { path, value, reason } => {
                crate::cat!("data object ", path, " (\"", value, "\") ", reason)
            }
            EmvError::Amount { path, error } => crate::cat!("data object ", path, ": ", error.message()),
        }
    }
}

impl fmt::Display for EmvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for EmvError {}

/// "U+00E9": a character named without `core::fmt`.
fn code_point(c: char) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let n = u32::from(c);
    let mut out = String::from("U+");
    let digits = if n > 0xFFFF { 6 } else { 4 };
    for shift in (0..digits).rev() {
        out.push(char::from(HEX[((n >> (shift * 4)) & 15) as usize]));
    }
    out
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR
/// (ISO/IEC 13239, as EMV QRCPS specifies for data object 63), over the payload's UTF-8 bytes up
/// to and including "6304". Its check value ("123456789") is 0x29B1.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// The CRC of `text` (UTF-8 bytes) as four upper-case hexadecimal digits.
fn crc_hex(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let crc = crc16(text.as_bytes());
    (0..4).rev().map(|k| char::from(HEX[usize::from((crc >> (k * 4)) & 15)])).collect()
}

/// "62.05" for data object 05 of template 62.
fn path_of(prefix: &[u8], id: u8) -> String {
    let mut out = String::new();
    for &p in prefix.iter().chain(std::iter::once(&id)) {
        if !out.is_empty() {
            out.push('.');
        }
        crate::text::push_padded(&mut out, u128::from(p), 2);
    }
    out
}

/// Whether data object `id` under `prefix` is a template: at the root 26–51, 62, 64 and 80–99;
/// in 62, its payment-system templates 50–99.
fn is_template(prefix: &[u8], id: u8) -> bool {
    match prefix {
        [] => matches!(id, 26..=51 | 62 | 64 | 80..=99),
        [62] => (50..=99).contains(&id),
        _ => false,
    }
}

/// Whether `c` may appear in data object `id` under `prefix`.
fn allowed_char(prefix: &[u8], id: u8, c: char) -> bool {
    if prefix == [64] && matches!(id, 1 | 2) {
        !c.is_control()
    } else {
        (' '..='~').contains(&c)
    }
}

fn check_charset(prefix: &[u8], id: u8, text: &str) -> Result<(), EmvError> {
    match text.chars().find(|&c| !allowed_char(prefix, id, c)) {
        Some(found) => Err(EmvError::Charset { path: path_of(prefix, id), found }),
        None => Ok(()),
    }
}

/// Two ASCII digits as a number (`char::to_digit` reads only ASCII digits in radix 10).
fn two_digits(a: char, b: char) -> Option<u8> {
    Some((a.to_digit(10)? * 10 + b.to_digit(10)?) as u8)
}

/// Parses one level of data objects from `chars` (character `base` of the payload).
fn parse_level(chars: &[char], prefix: &[u8], base: usize) -> Result<Vec<DataObject>, EmvError> {
    let mut out: Vec<DataObject> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at = base + i;
        let header = chars.get(i..i + 4).ok_or(EmvError::Truncated { at })?;
        let (Some(id), Some(len)) = (two_digits(header[0], header[1]), two_digits(header[2], header[3]))
        else {
            return Err(EmvError::Header { at });
        };
        let path = path_of(prefix, id);
        if len == 0 {
            return Err(EmvError::ZeroLength { path });
        }
        let start = i + 4;
        let end = start + usize::from(len);
        let value = chars.get(start..end).ok_or(EmvError::Truncated { at })?;
        if out.iter().any(|o| o.id == id) {
            return Err(EmvError::Duplicate { path });
        }
        let value = if is_template(prefix, id) {
            let mut inner = prefix.to_vec();
            inner.push(id);
            Value::Template(parse_level(value, &inner, base + start)?)
        } else {
            let text: String = value.iter().collect();
            check_charset(prefix, id, &text)?;
            Value::Text(text)
        };
        out.push(DataObject { id, value });
        i = end;
    }
    Ok(out)
}

/// Writes `objects` (one level under `prefix`) after checking IDs, kinds, lengths and characters.
fn serialize(objects: &[DataObject], prefix: &[u8], out: &mut String) -> Result<(), EmvError> {
    for (k, o) in objects.iter().enumerate() {
        if o.id > 99 {
            return Err(EmvError::Invalid {
                path: crate::text::decimal(u128::from(o.id)),
                value: String::new(),
                reason: "is not an ID: IDs are two decimal digits, 00 to 99",
            });
        }
        let path = path_of(prefix, o.id);
        if objects[..k].iter().any(|p| p.id == o.id) {
            return Err(EmvError::Duplicate { path });
        }
        let template = is_template(prefix, o.id);
        let value = match (&o.value, template) {
            (Value::Text(t), false) => {
                check_charset(prefix, o.id, t)?;
                t.clone()
            }
            (Value::Template(children), true) => {
                let mut inner_prefix = prefix.to_vec();
                inner_prefix.push(o.id);
                let mut inner = String::new();
                serialize(children, &inner_prefix, &mut inner)?;
                inner
            }
            (_, template) => return Err(EmvError::Kind { path, template: !template }),
        };
        let len = value.chars().count();
        if len == 0 {
            return Err(EmvError::ZeroLength { path });
        }
        if len > MAX_LEN {
            return Err(EmvError::TooLong { path, len, max: MAX_LEN });
        }
        crate::text::push_padded(out, u128::from(o.id), 2);
        crate::text::push_padded(out, len as u128, 2);
        out.push_str(&value);
    }
    Ok(())
}

/// Parses a payload into its data objects, strictly: every length exact, no duplicate ID at any
/// level, the Payload Format Indicator (00, "01" or "02") first, the CRC (63, four upper-case
/// hex digits) last and matching. Returns the data objects in payload order, without the CRC.
pub fn decode_objects(payload: &str) -> Result<Vec<DataObject>, EmvError> {
    if payload.is_empty() {
        return Err(EmvError::Empty);
    }
    let chars: Vec<char> = payload.chars().collect();
    let mut objects = parse_level(&chars, &[], 0)?;
    if objects.first().map(|o| o.id) != Some(0) {
        return Err(EmvError::FormatNotFirst);
    }
    let crc = match objects.pop() {
        Some(DataObject { id: 63, value: Value::Text(t) }) => t,
        _ => return Err(EmvError::CrcNotLast),
    };
    if crc.len() != 4 || !crc.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)) {
        return Err(EmvError::CrcShape { found: crc });
    }
    // The last four characters are the CRC's ASCII digits: the byte slice ends on a boundary.
    let computed = crc_hex(&payload[..payload.len() - 4]);
    if computed != crc {
        return Err(EmvError::CrcMismatch { found: crc, computed });
    }
    // ID 00 is primitive at the root, so the first object is text.
    PayloadFormat::parse(objects.first().and_then(DataObject::as_text).unwrap_or_default())?;
    Ok(objects)
}

/// Writes `objects` in the given order and appends the CRC. The first must be the Payload Format
/// Indicator; the CRC (63) is computed here and must not be given.
pub fn encode_objects(objects: &[DataObject]) -> Result<String, EmvError> {
    match objects.first() {
        Some(DataObject { id: 0, value: Value::Text(v) }) => {
            PayloadFormat::parse(v)?;
        }
        _ => return Err(EmvError::FormatNotFirst),
    }
    if let Some(o) = objects.iter().find(|o| o.id == 63) {
        return Err(EmvError::Invalid {
            path: "63".into(),
            value: o.as_text().unwrap_or_default().to_owned(),
            reason: "is computed by the encoder and must not be given",
        });
    }
    let mut out = String::new();
    serialize(objects, &[], &mut out)?;
    out.push_str("6304");
    let crc = crc_hex(&out);
    out.push_str(&crc);
    Ok(out)
}

/// The Payload Format Indicator (ID 00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadFormat {
    /// "01": EMV QRCPS-MPM.
    V01,
    /// "02": PayNet's DuitNow QR standard ("Version 02").
    V02,
}

impl PayloadFormat {
    pub const fn as_str(self) -> &'static str {
        match self {
            PayloadFormat::V01 => "01",
            PayloadFormat::V02 => "02",
        }
    }

    fn parse(text: &str) -> Result<PayloadFormat, EmvError> {
        match text {
            "01" => Ok(PayloadFormat::V01),
            "02" => Ok(PayloadFormat::V02),
            _ => Err(EmvError::Format { found: text.to_owned() }),
        }
    }
}

/// The Point of Initiation Method (ID 01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiation {
    /// "11": the same code for many payments.
    Static,
    /// "12": a new code for each payment.
    Dynamic,
}

impl Initiation {
    pub const fn as_str(self) -> &'static str {
        match self {
            Initiation::Static => "11",
            Initiation::Dynamic => "12",
        }
    }
}

/// The Tip or Convenience Indicator (55) with its value (56 or 57).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tip {
    /// "01": the payer's app asks for a tip.
    Prompt,
    /// "02": a fixed convenience fee (56), in the transaction currency.
    Fixed(Amount),
    /// "03": a percentage convenience fee (57), 0.01 to 99.99, two decimals.
    Percentage(Amount),
}

/// The Merchant Information—Language Template (64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// 64.00: ISO 639 two-letter code.
    pub preference: String,
    /// 64.01: the merchant's name in that language, at most 25 characters.
    pub name: String,
    /// 64.02: the merchant's city in that language, at most 15 characters.
    pub city: Option<String>,
}

/// A merchant-presented QR code as typed fields (the root data objects of EMV QRCPS-MPM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantQr {
    /// 00.
    pub format: PayloadFormat,
    /// 01 (optional).
    pub initiation: Option<Initiation>,
    /// 02–51, at least one: 02–25 text (card networks), 26–51 templates with a GUI (00).
    pub accounts: Vec<DataObject>,
    /// 52: ISO 18245 merchant category code, four digits ("0000" where not applicable).
    pub mcc: String,
    /// 53: ISO 4217 numeric currency code.
    pub currency: String,
    /// 54: with the currency's minor units as decimals ([`minor_units`]).
    pub amount: Option<Amount>,
    /// 55–57.
    pub tip: Option<Tip>,
    /// 58: ISO 3166-1 alpha-2.
    pub country: String,
    /// 59: at most 25 characters.
    pub name: String,
    /// 60: at most 15 characters.
    pub city: String,
    /// 61: at most 10 characters.
    pub postal_code: Option<String>,
    /// 62's data objects (01–08 at most 25 characters, 09 of "A", "M", "E", 50–99 templates).
    pub additional: Vec<DataObject>,
    /// 64.
    pub language: Option<Language>,
    /// 80–99, templates with a GUI (00).
    pub unreserved: Vec<DataObject>,
}

/// ISO 4217 minor units of a numeric currency code: 0, 3 and 4 for the currencies listed by
/// ISO 4217 with those exponents, 2 for every other code.
pub fn minor_units(currency: &str) -> u8 {
    match currency {
        // BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF
        "108" | "152" | "262" | "324" | "352" | "392" | "174" | "410" | "600" | "646" | "800" | "940"
        | "704" | "548" | "950" | "952" | "953" => 0,
        // BHD IQD JOD KWD LYD OMR TND
        "048" | "368" | "400" | "414" | "434" | "512" | "788" => 3,
        // CLF UYW
        "990" | "927" => 4,
        _ => 2,
    }
}

/// `amount` with exactly its decimals ("10.00", "1000", "4.220"), the EMV way.
pub fn format_amount(amount: Amount) -> String {
    let d = u32::from(amount.decimals());
    let mut out = String::new();
    match 10u128.checked_pow(d) {
        Some(scale) => {
            crate::text::push_u128(&mut out, amount.atomic() / scale);
            if d > 0 {
                out.push('.');
                crate::text::push_padded(&mut out, amount.atomic() % scale, d as usize);
            }
        }
        None => out.push_str(&amount.to_decimal()),
    }
    out
}

fn text_of<'a>(o: &'a DataObject, prefix: &[u8]) -> Result<&'a str, EmvError> {
    o.as_text().ok_or_else(|| EmvError::Kind { path: path_of(prefix, o.id), template: true })
}

fn max_len(path: String, text: &str, max: usize) -> Result<(), EmvError> {
    let len = text.chars().count();
    if len > max {
        return Err(EmvError::TooLong { path, len, max });
    }
    Ok(())
}

fn invalid(path: String, value: &str, reason: &'static str) -> EmvError {
    EmvError::Invalid { path, value: value.to_owned(), reason }
}

fn digits(path: String, text: &str, n: usize, reason: &'static str) -> Result<String, EmvError> {
    if text.len() != n || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(path, text, reason));
    }
    Ok(text.to_owned())
}

/// A template from 26–51 or 80–99: its GUI (00) is mandatory, at most 32 characters.
fn check_gui(o: &DataObject, prefix: &[u8]) -> Result<(), EmvError> {
    let mut inner = prefix.to_vec();
    inner.push(o.id);
    if !matches!(o.value, Value::Template(_)) {
        return Err(EmvError::Kind { path: path_of(prefix, o.id), template: false });
    }
    match o.child_text(0) {
        Some(gui) => max_len(path_of(&inner, 0), gui, 32),
        None => Err(EmvError::Missing { path: path_of(&inner, 0) }),
    }
}

fn parse_amount(path: &str, text: &str, decimals: u8) -> Result<Amount, EmvError> {
    max_len(path.to_owned(), text, 13)?;
    let amount =
        Amount::parse(text, decimals).map_err(|error| EmvError::Amount { path: path.to_owned(), error })?;
    if amount.is_zero() {
        return Err(invalid(path.to_owned(), text, "is zero; an amount to pay never is"));
    }
    Ok(amount)
}

fn parse_percentage(text: &str) -> Result<Amount, EmvError> {
    max_len("57".into(), text, 5)?;
    let p = Amount::parse(text, 2).map_err(|error| EmvError::Amount { path: "57".into(), error })?;
    if p.is_zero() || p.atomic() >= 10_000 {
        return Err(invalid("57".into(), text, "is not a percentage from 0.01 to 99.99"));
    }
    Ok(p)
}

fn check_additional(o: &DataObject) -> Result<Vec<DataObject>, EmvError> {
    let Value::Template(children) = &o.value else {
        return Err(EmvError::Kind { path: "62".into(), template: false });
    };
    for c in children {
        let path = path_of(&[62], c.id);
        match c.id {
            1..=8 => max_len(path, text_of(c, &[62])?, 25)?,
            9 => {
                let t = text_of(c, &[62])?;
                let mut seen = String::new();
                for ch in t.chars() {
                    if !"AME".contains(ch) || seen.contains(ch) {
                        return Err(invalid(path, t, "is not a set of the letters A, M and E"));
                    }
                    seen.push(ch);
                }
            }
            10..=49 => {
                text_of(c, &[62])?;
            }
            50..=99 => check_gui(c, &[62])?,
            _ => return Err(EmvError::Reserved { path }),
        }
    }
    Ok(children.clone())
}

impl Language {
    fn from_object(o: &DataObject) -> Result<Language, EmvError> {
        if !matches!(o.value, Value::Template(_)) {
            return Err(EmvError::Kind { path: "64".into(), template: false });
        }
        let (mut preference, mut name, mut city) = (None, None, None);
        for c in o.children() {
            let path = path_of(&[64], c.id);
            let t = text_of(c, &[64])?;
            match c.id {
                0 => {
                    if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_alphabetic()) {
                        return Err(invalid(path, t, "is not a two-letter ISO 639 language code"));
                    }
                    preference = Some(t.to_owned());
                }
                1 => {
                    max_len(path, t, 25)?;
                    name = Some(t.to_owned());
                }
                2 => {
                    max_len(path, t, 15)?;
                    city = Some(t.to_owned());
                }
                _ => return Err(EmvError::Reserved { path }),
            }
        }
        Ok(Language {
            preference: preference.ok_or_else(|| EmvError::Missing { path: "64.00".into() })?,
            name: name.ok_or_else(|| EmvError::Missing { path: "64.01".into() })?,
            city,
        })
    }

    fn to_object(&self) -> DataObject {
        let mut children =
            vec![DataObject::text(0, self.preference.clone()), DataObject::text(1, self.name.clone())];
        if let Some(city) = &self.city {
            children.push(DataObject::text(2, city.clone()));
        }
        DataObject::template(64, children)
    }
}

impl MerchantQr {
    /// Decodes a payload: [`decode_objects`], then every field's rules and the mandatory objects.
    pub fn decode(payload: &str) -> Result<MerchantQr, EmvError> {
        MerchantQr::from_objects(&decode_objects(payload)?)
    }

    /// Reads typed fields from root data objects (without the CRC), checking each field's rules.
    pub fn from_objects(objects: &[DataObject]) -> Result<MerchantQr, EmvError> {
        let mut format = None;
        let mut initiation = None;
        let mut accounts = Vec::new();
        let (mut mcc, mut currency, mut amount, mut tip, mut fixed, mut percent) =
            (None, None, None, None, None, None);
        let (mut country, mut name, mut city, mut postal_code) = (None, None, None, None);
        let mut additional = Vec::new();
        let mut language = None;
        let mut unreserved = Vec::new();
        for (k, o) in objects.iter().enumerate() {
            let path = path_of(&[], o.id);
            if objects[..k].iter().any(|p| p.id == o.id) {
                return Err(EmvError::Duplicate { path });
            }
            match o.id {
                2..=25 => {
                    text_of(o, &[])?;
                    accounts.push(o.clone());
                }
                26..=51 => {
                    check_gui(o, &[])?;
                    accounts.push(o.clone());
                }
                62 => additional = check_additional(o)?,
                64 => language = Some(Language::from_object(o)?),
                65..=79 => return Err(EmvError::Reserved { path }),
                80..=99 => {
                    check_gui(o, &[])?;
                    unreserved.push(o.clone());
                }
                0 | 1 | 52..=61 | 63 => {
                    let t = text_of(o, &[])?;
                    match o.id {
                        0 => format = Some(PayloadFormat::parse(t)?),
                        1 => {
                            initiation = Some(match t {
                                "11" => Initiation::Static,
                                "12" => Initiation::Dynamic,
                                _ => return Err(invalid(path, t, "is neither 11 (static) nor 12 (dynamic)")),
                            })
                        }
                        52 => mcc = Some(digits(path, t, 4, "is not a four-digit merchant category code")?),
                        53 => currency = Some(digits(path, t, 3, "is not a three-digit ISO 4217 code")?),
                        54 => amount = Some(t),
                        55 => tip = Some(t),
                        56 => fixed = Some(t),
                        57 => percent = Some(t),
                        58 => {
                            if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_uppercase()) {
                                return Err(invalid(path, t, "is not an ISO 3166-1 alpha-2 country code"));
                            }
                            country = Some(t.to_owned());
                        }
                        59 => {
                            max_len(path, t, 25)?;
                            name = Some(t.to_owned());
                        }
                        60 => {
                            max_len(path, t, 15)?;
                            city = Some(t.to_owned());
                        }
                        61 => {
                            max_len(path, t, 10)?;
                            postal_code = Some(t.to_owned());
                        }
                        _ => return Err(invalid(path, t, "is the CRC, which is not a field")),
                    }
                }
                _ => {
                    return Err(EmvError::Invalid {
                        path: crate::text::decimal(u128::from(o.id)),
                        value: String::new(),
                        reason: "is not an ID: IDs are two decimal digits, 00 to 99",
                    })
                }
            }
        }
        let missing = |path: &str| EmvError::Missing { path: path.to_owned() };
        let format = format.ok_or_else(|| missing("00"))?;
        if accounts.is_empty() {
            return Err(missing("02-51 (merchant account information)"));
        }
        let mcc = mcc.ok_or_else(|| missing("52"))?;
        let currency: String = currency.ok_or_else(|| missing("53"))?;
        let decimals = minor_units(&currency);
        let amount = amount.map(|t| parse_amount("54", t, decimals)).transpose()?;
        let tip = match (tip, fixed, percent) {
            (None, None, None) => None,
            (Some("01"), None, None) => Some(Tip::Prompt),
            (Some("02"), Some(f), None) => Some(Tip::Fixed(parse_amount("56", f, decimals)?)),
            (Some("03"), None, Some(p)) => Some(Tip::Percentage(parse_percentage(p)?)),
            (Some(t @ ("01" | "02" | "03")), _, _) => {
                return Err(invalid(
                    "55".into(),
                    t,
                    "needs 56 (fee) exactly when it is 02 and 57 (percentage) exactly when it is 03",
                ))
            }
            (Some(t), _, _) => return Err(invalid("55".into(), t, "is not 01, 02 or 03")),
            (None, _, _) => return Err(missing("55 (56 and 57 need the tip indicator)")),
        };
        Ok(MerchantQr {
            format,
            initiation,
            accounts,
            mcc,
            currency,
            amount,
            tip,
            country: country.ok_or_else(|| missing("58"))?,
            name: name.ok_or_else(|| missing("59"))?,
            city: city.ok_or_else(|| missing("60"))?,
            postal_code,
            additional,
            language,
            unreserved,
        })
    }

    /// The root data objects in ascending ID order (accounts and unreserved templates sorted by
    /// ID, template contents as given), after checking every field.
    pub fn to_objects(&self) -> Result<Vec<DataObject>, EmvError> {
        let mut out = vec![DataObject::text(0, self.format.as_str())];
        if let Some(i) = self.initiation {
            out.push(DataObject::text(1, i.as_str()));
        }
        let mut accounts = self.accounts.clone();
        accounts.sort_by_key(|o| o.id);
        if let Some(a) = accounts.iter().find(|a| !(2..=51).contains(&a.id)) {
            return Err(invalid(path_of(&[], a.id), "", "is not a merchant account ID (02 to 51)"));
        }
        out.extend(accounts);
        out.push(DataObject::text(52, self.mcc.clone()));
        out.push(DataObject::text(53, self.currency.clone()));
        let decimals = minor_units(&self.currency);
        let money = |path: &str, a: Amount, decimals: u8| {
            if a.decimals() != decimals {
                return Err(invalid(
                    path.to_owned(),
                    &a.to_decimal(),
                    "does not have the currency's number of decimals (ISO 4217 minor units)",
                ));
            }
            Ok(format_amount(a))
        };
        if let Some(a) = self.amount {
            out.push(DataObject::text(54, money("54", a, decimals)?));
        }
        match self.tip {
            None => {}
            Some(Tip::Prompt) => out.push(DataObject::text(55, "01")),
            Some(Tip::Fixed(a)) => {
                out.push(DataObject::text(55, "02"));
                out.push(DataObject::text(56, money("56", a, decimals)?));
            }
            Some(Tip::Percentage(p)) => {
                out.push(DataObject::text(55, "03"));
                out.push(DataObject::text(57, money("57", p, 2)?));
            }
        }
        out.push(DataObject::text(58, self.country.clone()));
        out.push(DataObject::text(59, self.name.clone()));
        out.push(DataObject::text(60, self.city.clone()));
        if let Some(p) = &self.postal_code {
            out.push(DataObject::text(61, p.clone()));
        }
        if !self.additional.is_empty() {
            out.push(DataObject::template(62, self.additional.clone()));
        }
        if let Some(l) = &self.language {
            out.push(l.to_object());
        }
        let mut unreserved = self.unreserved.clone();
        unreserved.sort_by_key(|o| o.id);
        if let Some(u) = unreserved.iter().find(|u| !(80..=99).contains(&u.id)) {
            return Err(invalid(path_of(&[], u.id), "", "is not an unreserved template ID (80 to 99)"));
        }
        out.extend(unreserved);
        MerchantQr::from_objects(&out)?;
        Ok(out)
    }

    /// The payload: [`MerchantQr::to_objects`], then [`encode_objects`] (structure and CRC).
    pub fn encode(&self) -> Result<String, EmvError> {
        encode_objects(&self.to_objects()?)
    }
}

/// A national scheme's merchant account template: where it goes and what it is paid in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    pub name: &'static str,
    /// The merchant account information ID the scheme's encoders use.
    pub template: u8,
    /// The template's GUI (data object 00), compared case-insensitively.
    pub gui: &'static str,
    pub country: &'static str,
    pub currency: &'static str,
    pub format: PayloadFormat,
}

/// Singapore's PayNow (SGQR): template 26, GUI "SG.PAYNOW", SGD.
pub const PAYNOW: Scheme = Scheme {
    name: "PayNow",
    template: 26,
    gui: "SG.PAYNOW",
    country: "SG",
    currency: "702",
    format: PayloadFormat::V01,
};

/// Thailand's PromptPay credit transfer: template 29, AID "A000000677010111", THB.
pub const PROMPTPAY: Scheme = Scheme {
    name: "PromptPay",
    template: 29,
    gui: "A000000677010111",
    country: "TH",
    currency: "764",
    format: PayloadFormat::V01,
};

/// Malaysia's DuitNow QR: template 26, AID "A0000006150001", MYR, format "02".
pub const DUITNOW: Scheme = Scheme {
    name: "DuitNow",
    template: 26,
    gui: "A0000006150001",
    country: "MY",
    currency: "458",
    format: PayloadFormat::V02,
};

/// The schemes this module knows.
pub const SCHEMES: [Scheme; 3] = [PAYNOW, PROMPTPAY, DUITNOW];

impl Scheme {
    /// The scheme whose template `account` is (by GUI, in any of 26–51).
    pub fn of(account: &DataObject) -> Option<Scheme> {
        if !(26..=51).contains(&account.id) {
            return None;
        }
        let gui = account.child_text(0)?;
        SCHEMES.into_iter().find(|s| s.gui.eq_ignore_ascii_case(gui))
    }

    /// A static code of this scheme for `account`, with MCC "0000" (no category) and no amount;
    /// set [`MerchantQr::amount`] and [`MerchantQr::initiation`] as needed.
    pub fn merchant_qr(&self, account: DataObject, name: &str, city: &str) -> MerchantQr {
        MerchantQr {
            format: self.format,
            initiation: Some(Initiation::Static),
            accounts: vec![account],
            mcc: "0000".into(),
            currency: self.currency.into(),
            amount: None,
            tip: None,
            country: self.country.into(),
            name: name.into(),
            city: city.into(),
            postal_code: None,
            additional: Vec::new(),
            language: None,
            unreserved: Vec::new(),
        }
    }

    /// `account` checked to be a template of this scheme; its sub-objects by ID.
    fn open<'a>(&self, account: &'a DataObject, known: &[u8]) -> Result<&'a [DataObject], EmvError> {
        if Scheme::of(account) != Some(*self) {
            return Err(invalid(
                path_of(&[], account.id),
                account.child_text(0).unwrap_or_default(),
                "is not this scheme's template (its GUI differs)",
            ));
        }
        let children = account.children();
        if let Some(c) = children.iter().find(|c| c.id != 0 && !known.contains(&c.id)) {
            return Err(EmvError::Reserved { path: path_of(&[account.id], c.id) });
        }
        Ok(children)
    }
}

/// A PayNow proxy (26.01 type, 26.02 value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayNowProxy {
    /// Type "0": "+65" and the eight-digit number.
    Mobile(String),
    /// Type "2": a Unique Entity Number in one of ACRA's shapes: 8 digits and a letter
    /// (businesses), 4-digit year, 5 digits and a letter (local companies), or T/S/R, 2 digits,
    /// 2-character entity type, 4 digits and a letter (other entities). Its check letter is not
    /// verified: the payer's bank resolves the proxy.
    Uen(String),
}

/// A PayNow merchant account template (26): proxy, editable amount (26.03), expiry (26.04).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayNowAccount {
    pub proxy: PayNowProxy,
    /// 26.03: "1" lets the payer change the amount, "0" does not.
    pub editable: bool,
    /// 26.04: YYYYMMDD.
    pub expiry: Option<String>,
}

fn uen_shape(t: &str) -> bool {
    let b = t.as_bytes();
    let d = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let upper = |i: usize| b[i].is_ascii_uppercase();
    match b.len() {
        9 => d(0..8) && upper(8),
        10 if matches!(b[0], b'T' | b'S' | b'R') => {
            d(1..3)
                && b[3..5].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && d(5..9)
                && upper(9)
        }
        10 => d(0..9) && upper(9),
        _ => false,
    }
}

fn date_shape(t: &str) -> bool {
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| t[r].bytes().fold(0u32, |a, b| a * 10 + u32::from(b - b'0'));
    let (year, month, day) = (n(0..4), n(4..6), n(6..8));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

impl PayNowAccount {
    /// The template (ID 26).
    pub fn to_object(&self) -> Result<DataObject, EmvError> {
        let (kind, value) = match &self.proxy {
            PayNowProxy::Mobile(m) => ("0", m),
            PayNowProxy::Uen(u) => ("2", u),
        };
        check_paynow_proxy(kind, value)?;
        let mut children = vec![
            DataObject::text(0, PAYNOW.gui),
            DataObject::text(1, kind),
            DataObject::text(2, value.clone()),
            DataObject::text(3, if self.editable { "1" } else { "0" }),
        ];
        if let Some(e) = &self.expiry {
            if !date_shape(e) {
                return Err(invalid("26.04".into(), e, "is not a date as YYYYMMDD"));
            }
            children.push(DataObject::text(4, e.clone()));
        }
        Ok(DataObject::template(PAYNOW.template, children))
    }

    /// Reads a PayNow template (any ID from 26 to 51 with GUI "SG.PAYNOW").
    pub fn from_object(account: &DataObject) -> Result<PayNowAccount, EmvError> {
        let children = PAYNOW.open(account, &[1, 2, 3, 4])?;
        let id = account.id;
        let get = |sub: u8| {
            children
                .iter()
                .find(|c| c.id == sub)
                .ok_or_else(|| EmvError::Missing { path: path_of(&[id], sub) })
                .and_then(|c| text_of(c, &[id]))
        };
        let (kind, value) = (get(1)?, get(2)?);
        check_paynow_proxy(kind, value)?;
        let proxy = if kind == "0" {
            PayNowProxy::Mobile(value.to_owned())
        } else {
            PayNowProxy::Uen(value.to_owned())
        };
        let editable = match get(3)? {
            "0" => false,
            "1" => true,
            other => return Err(invalid(path_of(&[id], 3), other, "is neither 0 nor 1")),
        };
        let expiry = match children.iter().find(|c| c.id == 4) {
            Some(c) => {
                let e = text_of(c, &[id])?;
                if !date_shape(e) {
                    return Err(invalid(path_of(&[id], 4), e, "is not a date as YYYYMMDD"));
                }
                Some(e.to_owned())
            }
            None => None,
        };
        Ok(PayNowAccount { proxy, editable, expiry })
    }
}

fn check_paynow_proxy(kind: &str, value: &str) -> Result<(), EmvError> {
    match kind {
        "0" => {
            let ok = value.len() == 11
                && value.starts_with("+65")
                && value[3..].bytes().all(|b| b.is_ascii_digit());
            if !ok {
                return Err(invalid(
                    "26.02".into(),
                    value,
                    "is not a Singapore mobile number (+65 and 8 digits)",
                ));
            }
        }
        "2" => {
            if !uen_shape(value) {
                return Err(invalid("26.02".into(), value, "is not a UEN in one of ACRA's formats"));
            }
        }
        other => return Err(invalid("26.01".into(), other, "is neither 0 (mobile) nor 2 (UEN)")),
    }
    Ok(())
}

/// A PromptPay credit-transfer target (29.01, 29.02 or 29.03).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPayAccount {
    /// 29.01: "0066" and the nine-digit national number (13 characters).
    Mobile(String),
    /// 29.02: a 13-digit national ID or tax ID. Its check digit is not verified: PromptPay
    /// resolves the ID, and `promptpay-qr`'s own vectors use IDs that would fail it.
    TaxId(String),
    /// 29.03: a 15-digit e-wallet ID.
    EWallet(String),
}

impl PromptPayAccount {
    /// A mobile target from "0" and nine digits (Thai national form) or "+66" and nine digits.
    pub fn mobile(number: &str) -> Result<PromptPayAccount, EmvError> {
        let national = number.strip_prefix("+66").or_else(|| number.strip_prefix('0'));
        match national {
            Some(n) if n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(PromptPayAccount::Mobile(crate::cat!("0066", n)))
            }
            _ => {
                Err(invalid("29.01".into(), number, "is not a Thai mobile number (0 or +66, then 9 digits)"))
            }
        }
    }

    fn sub(&self) -> (u8, &str, usize) {
        match self {
            PromptPayAccount::Mobile(m) => (1, m, 13),
            PromptPayAccount::TaxId(t) => (2, t, 13),
            PromptPayAccount::EWallet(w) => (3, w, 15),
        }
    }

    /// The template (ID 29).
    pub fn to_object(&self) -> Result<DataObject, EmvError> {
        let (sub, value, len) = self.sub();
        check_promptpay(PROMPTPAY.template, sub, value, len)?;
        Ok(DataObject::template(
            PROMPTPAY.template,
            vec![DataObject::text(0, PROMPTPAY.gui), DataObject::text(sub, value)],
        ))
    }

    /// Reads a PromptPay template (any ID from 26 to 51 with AID "A000000677010111").
    pub fn from_object(account: &DataObject) -> Result<PromptPayAccount, EmvError> {
        let children = PROMPTPAY.open(account, &[1, 2, 3])?;
        let targets: Vec<&DataObject> = children.iter().filter(|c| c.id != 0).collect();
        let [target] = targets.as_slice() else {
            return Err(invalid(
                path_of(&[], account.id),
                "",
                "must hold exactly one target: 01 (mobile), 02 (ID) or 03 (e-wallet)",
            ));
        };
        let value = text_of(target, &[account.id])?.to_owned();
        let out = match target.id {
            1 => PromptPayAccount::Mobile(value),
            2 => PromptPayAccount::TaxId(value),
            _ => PromptPayAccount::EWallet(value),
        };
        let (sub, value, len) = out.sub();
        check_promptpay(account.id, sub, value, len)?;
        Ok(out)
    }
}

fn check_promptpay(template: u8, sub: u8, value: &str, len: usize) -> Result<(), EmvError> {
    let digits = value.len() == len && value.bytes().all(|b| b.is_ascii_digit());
    let ok = digits && (sub != 1 || value.starts_with("0066"));
    if !ok {
        let reason = match sub {
            1 => "is not 0066 and a 9-digit Thai mobile number",
            2 => "is not a 13-digit national ID or tax ID",
            _ => "is not a 15-digit e-wallet ID",
        };
        return Err(invalid(path_of(&[template], sub), value, reason));
    }
    Ok(())
}

/// A DuitNow merchant account template (26): the acquirer's ID and the QR ID it assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuitNowAccount {
    /// 26.01: the six-digit acquirer ID from PayNet's list.
    pub acquirer: String,
    /// 26.02: the QR ID (merchant ID) the acquirer assigned.
    pub qr_id: String,
}

impl DuitNowAccount {
    /// The template (ID 26).
    pub fn to_object(&self) -> Result<DataObject, EmvError> {
        check_duitnow(26, &self.acquirer, &self.qr_id)?;
        Ok(DataObject::template(
            DUITNOW.template,
            vec![
                DataObject::text(0, DUITNOW.gui),
                DataObject::text(1, self.acquirer.clone()),
                DataObject::text(2, self.qr_id.clone()),
            ],
        ))
    }

    /// Reads a DuitNow template (any ID from 26 to 51 with AID "A0000006150001"); only its
    /// sub-objects 01 and 02 are modelled, any other is refused.
    pub fn from_object(account: &DataObject) -> Result<DuitNowAccount, EmvError> {
        DUITNOW.open(account, &[1, 2])?;
        let id = account.id;
        let get =
            |sub: u8| account.child_text(sub).ok_or_else(|| EmvError::Missing { path: path_of(&[id], sub) });
        let out = DuitNowAccount { acquirer: get(1)?.to_owned(), qr_id: get(2)?.to_owned() };
        check_duitnow(id, &out.acquirer, &out.qr_id)?;
        Ok(out)
    }
}

fn check_duitnow(template: u8, acquirer: &str, qr_id: &str) -> Result<(), EmvError> {
    if acquirer.len() != 6 || !acquirer.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(path_of(&[template], 1), acquirer, "is not a six-digit acquirer ID"));
    }
    if qr_id.is_empty() {
        return Err(EmvError::ZeroLength { path: path_of(&[template], 2) });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// EMVCo, EMV QRCPS Merchant-Presented Mode v1.1: the specification's example payload (two
    /// merchant account templates, a tip prompt, additional data, a Chinese language template,
    /// an unreserved template; CRC A13A).
    const EMVCO: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    /// `dtinth/promptpay-qr`, index.test.js: the target as that test writes it, our target, the
    /// amount, the expected payload.
    fn promptpay_qr() -> [(&'static str, PromptPayAccount, Option<&'static str>, &'static str); 5] {
        let mobile = |n| PromptPayAccount::mobile(n).unwrap();
        [
            (
                "0801234567",
                mobile("0801234567"),
                None,
                "00020101021129370016A000000677010111011300668012345675802TH530376463046197",
            ),
            (
                "+66-89-123-4567",
                mobile("+66891234567"),
                None,
                "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1",
            ),
            (
                "1111111111111",
                PromptPayAccount::TaxId("1111111111111".into()),
                None,
                "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A",
            ),
            (
                "0123456789012",
                PromptPayAccount::TaxId("0123456789012".into()),
                None,
                "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD",
            ),
            (
                "000-000-0000",
                mobile("0000000000"),
                Some("4.22"),
                "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469",
            ),
        ]
    }

    /// `chewhx/paynowqr`, tests/paynow-sg-uen.test.ts ("should give correct paynow qr string").
    const PAYNOW_CHEWHX: &str = "00020101021226490009SG.PAYNOW010120210201723769K0301004082022123152040000530370254041.995802SG5921Lyte Ventures Pte Ltd6009Singapore62170113LP2-INVOICE01630460B8";
    /// `jaynzr/go-paynow`, paynow_test.go, TestPayNowMobile.
    const PAYNOW_GO_MOBILE: &str = "00020101021226500009SG.PAYNOW010100211+659099123403011040899991231520400005303702540512.345802SG5902NA6009Singapore62110107INV123463048AF5";
    /// `jaynzr/go-paynow`, paynow_test.go, TestPayNowUEN (its UEN "S99345678ABCD" fits none of
    /// ACRA's formats).
    const PAYNOW_GO_UEN: &str = "00020101021226520009SG.PAYNOW010120213S99345678ABCD03011040899991231520400005303702540512.345802SG5912ACME Pte Ltd6009Singapore62110107INV123463041E74";
    /// PayNet, DuitNow QR Merchant-Presented Mode v1.5, "Examples" page, examples 1 (retail
    /// POS) and 2 (P2P), both "Version 02".
    const DUITNOW_PAYNET: [&str; 2] = [
        "00020201021126410014A000000615000101065016640209123456789520499995303458540510.005802MY5909QRCSDNBHD6005BANGI6304343F",
        "00020201021126410014A000000615000101065016640209123456789520400005303458540510.005802MY5909AUSERNAME6005BANGI63043A23",
    ];
    /// Banco Central do Brasil, Manual do BR Code: its example with a card network (04), PIX
    /// (26), another scheme (27), a postal code and an unreserved template; as quoted by
    /// `naomijub/brcode`'s README (CRC AD38).
    const BR_CODE_MANUAL: &str = "00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-42665544000027300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR6008BRASILIA61087007490062190515RP12345678-201980390012BR.COM.OUTRO01190123.ABCD.3456.WXYZ6304AD38";

    fn with_crc(body: &str) -> String {
        let body = format!("{body}6304");
        let crc = crc_hex(&body);
        body + &crc
    }

    fn money(text: &str, decimals: u8) -> Amount {
        Amount::parse(text, decimals).unwrap()
    }

    #[test]
    fn crc_check_value() {
        // The catalogue check value of CRC-16/CCITT-FALSE.
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc_hex("123456789"), "29B1");
        assert_eq!(crc16(b""), 0xFFFF);
    }

    #[test]
    fn the_emvco_example_byte_for_byte() {
        let objects = decode_objects(EMVCO).unwrap();
        assert_eq!(encode_objects(&objects).unwrap(), EMVCO);
        let qr = MerchantQr::decode(EMVCO).unwrap();
        assert_eq!(qr.format, PayloadFormat::V01);
        assert_eq!(qr.initiation, Some(Initiation::Dynamic));
        assert_eq!(qr.accounts.iter().map(|a| a.id).collect::<Vec<_>>(), [29, 31]);
        assert_eq!(qr.accounts[0].child_text(0), Some("D15600000000"));
        assert_eq!(qr.accounts[0].child_text(5), Some("A93FO3230Q"));
        assert_eq!((qr.mcc.as_str(), qr.currency.as_str()), ("4111", "156"));
        assert_eq!(qr.amount, Some(money("23.72", 2)));
        assert_eq!(qr.tip, Some(Tip::Prompt));
        assert_eq!(
            (qr.country.as_str(), qr.name.as_str(), qr.city.as_str()),
            ("CN", "BEST TRANSPORT", "BEIJING")
        );
        let additional: Vec<(u8, &str)> =
            qr.additional.iter().map(|o| (o.id, o.as_text().unwrap())).collect();
        assert_eq!(additional, [(3, "1234"), (6, "***"), (7, "A6008667"), (9, "ME")]);
        let language = qr.language.clone().unwrap();
        assert_eq!(language.preference, "ZH");
        assert_eq!(language.name, "最佳运输");
        assert_eq!(language.city.as_deref(), Some("北京"));
        assert_eq!(qr.unreserved[0].id, 91);
        assert_eq!(qr.unreserved[0].child_text(7), Some("12345678"));
        // Our encoder writes the same fields in ascending ID order: other bytes, same code.
        let canonical = qr.encode().unwrap();
        assert_ne!(canonical, EMVCO);
        assert_eq!(MerchantQr::decode(&canonical).unwrap(), qr);
    }

    #[test]
    fn promptpay_vectors_byte_for_byte() {
        for (written, account, amount, payload) in promptpay_qr() {
            let mut objects = vec![
                DataObject::text(0, "01"),
                DataObject::text(1, if amount.is_some() { "12" } else { "11" }),
                account.to_object().unwrap(),
                DataObject::text(58, PROMPTPAY.country),
                DataObject::text(53, PROMPTPAY.currency),
            ];
            if let Some(a) = amount {
                objects.push(DataObject::text(54, format_amount(money(a, 2))));
            }
            assert_eq!(encode_objects(&objects).unwrap(), payload, "{written}");
            let decoded = decode_objects(payload).unwrap();
            assert_eq!(decoded, objects);
            assert_eq!(Scheme::of(&decoded[2]), Some(PROMPTPAY));
            assert_eq!(PromptPayAccount::from_object(&decoded[2]).unwrap(), account);
            // These codes omit 52, 59 and 60, which EMV QRCPS makes mandatory.
            assert_eq!(MerchantQr::decode(payload), Err(EmvError::Missing { path: "52".into() }));
        }
        assert!(PromptPayAccount::mobile("080-123-4567").is_err());
        assert!(PromptPayAccount::mobile("66891234567").is_err());
        assert!(PromptPayAccount::TaxId("123".into()).to_object().is_err());
        assert!(PromptPayAccount::EWallet("123456789012345".into()).to_object().is_ok());
    }

    #[test]
    fn paynow_vectors_byte_for_byte() {
        let uen = PayNowAccount {
            proxy: PayNowProxy::Uen("201723769K".into()),
            editable: false,
            expiry: Some("20221231".into()),
        };
        let chewhx = MerchantQr {
            initiation: Some(Initiation::Dynamic),
            amount: Some(money("1.99", 2)),
            additional: vec![DataObject::text(1, "LP2-INVOICE01")],
            ..PAYNOW.merchant_qr(uen.to_object().unwrap(), "Lyte Ventures Pte Ltd", "Singapore")
        };
        assert_eq!(chewhx.encode().unwrap(), PAYNOW_CHEWHX);
        assert_eq!(MerchantQr::decode(PAYNOW_CHEWHX).unwrap(), chewhx);
        assert_eq!(PayNowAccount::from_object(&chewhx.accounts[0]).unwrap(), uen);

        let mobile = PayNowAccount {
            proxy: PayNowProxy::Mobile("+6590991234".into()),
            editable: true,
            expiry: Some("99991231".into()),
        };
        let go = MerchantQr {
            initiation: Some(Initiation::Dynamic),
            amount: Some(money("12.34", 2)),
            additional: vec![DataObject::text(1, "INV1234")],
            ..PAYNOW.merchant_qr(mobile.to_object().unwrap(), "NA", "Singapore")
        };
        assert_eq!(go.encode().unwrap(), PAYNOW_GO_MOBILE);
        assert_eq!(
            PayNowAccount::from_object(&MerchantQr::decode(PAYNOW_GO_MOBILE).unwrap().accounts[0]),
            Ok(mobile)
        );

        // A valid EMV code whose PayNow proxy is not a UEN: the scheme view refuses it.
        let qr = MerchantQr::decode(PAYNOW_GO_UEN).unwrap();
        assert_eq!(Scheme::of(&qr.accounts[0]), Some(PAYNOW));
        let err = PayNowAccount::from_object(&qr.accounts[0]).unwrap_err();
        assert_eq!(err.code(), "emv_invalid");

        for bad in ["91234567", "+659123456", "+65912345678"] {
            assert!(PayNowAccount { proxy: PayNowProxy::Mobile(bad.into()), editable: false, expiry: None }
                .to_object()
                .is_err());
        }
        for good in ["12345678A", "201403121W", "T08LL0001A"] {
            assert!(uen_shape(good), "{good}");
        }
        for bad in ["1234567A", "2014031W2", "X08LL0001A", "201403121w"] {
            assert!(!uen_shape(bad), "{bad}");
        }
        for (date, ok) in [
            ("20240229", true),
            ("20230229", false),
            ("21000229", false),
            ("20001301", false),
            ("2024011", false),
        ] {
            assert_eq!(date_shape(date), ok, "{date}");
        }
    }

    #[test]
    fn duitnow_vectors_byte_for_byte() {
        let account = DuitNowAccount { acquirer: "501664".into(), qr_id: "123456789".into() };
        for (payload, mcc, name) in
            [(DUITNOW_PAYNET[0], "9999", "QRCSDNBHD"), (DUITNOW_PAYNET[1], "0000", "AUSERNAME")]
        {
            let qr = MerchantQr {
                mcc: mcc.into(),
                amount: Some(money("10.00", 2)),
                ..DUITNOW.merchant_qr(account.to_object().unwrap(), name, "BANGI")
            };
            assert_eq!(qr.encode().unwrap(), payload);
            let decoded = MerchantQr::decode(payload).unwrap();
            assert_eq!(decoded, qr);
            assert_eq!(decoded.format, PayloadFormat::V02);
            assert_eq!(DuitNowAccount::from_object(&decoded.accounts[0]).unwrap(), account);
        }
        assert!(DuitNowAccount { acquirer: "50166".into(), qr_id: "1".into() }.to_object().is_err());
        assert!(DuitNowAccount { acquirer: "501664".into(), qr_id: String::new() }.to_object().is_err());
    }

    #[test]
    fn the_br_code_manual_example_byte_for_byte() {
        let objects = decode_objects(BR_CODE_MANUAL).unwrap();
        assert_eq!(encode_objects(&objects).unwrap(), BR_CODE_MANUAL);
        let qr = MerchantQr::decode(BR_CODE_MANUAL).unwrap();
        assert_eq!(qr.accounts.iter().map(|a| a.id).collect::<Vec<_>>(), [4, 26, 27]);
        assert_eq!(qr.accounts[0].as_text(), Some("12345678901234"));
        assert_eq!(qr.postal_code.as_deref(), Some("70074900"));
        assert_eq!(qr.amount, Some(money("123.45", 2)));
        assert_eq!(qr.unreserved[0].child_text(1), Some("0123.ABCD.3456.WXYZ"));
        // Ascending ID order is the manual's order: our encoder gives the same bytes back.
        assert_eq!(qr.encode().unwrap(), BR_CODE_MANUAL);
    }

    #[test]
    fn every_single_character_change_is_caught() {
        // A CRC of degree 16 detects every error burst of at most 16 bits, so every change of
        // one byte; here checked exhaustively on ASCII payloads, for every printable ASCII
        // replacement (a change of a length or an ID fails earlier, which is also a refusal).
        let payloads =
            [promptpay_qr()[0].3, promptpay_qr()[4].3, PAYNOW_CHEWHX, DUITNOW_PAYNET[0], BR_CODE_MANUAL];
        let mut checked = 0;
        for payload in payloads {
            assert!(decode_objects(payload).is_ok());
            let chars: Vec<char> = payload.chars().collect();
            for i in 0..chars.len() {
                for c in ' '..='~' {
                    if c == chars[i] {
                        continue;
                    }
                    let mut changed = chars.clone();
                    changed[i] = c;
                    let changed: String = changed.into_iter().collect();
                    assert!(decode_objects(&changed).is_err(), "{changed}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 50_000);
    }

    /// A minimal valid MerchantQr body (without the CRC): PayNow's GUI alone as account.
    fn base(extra: &str) -> String {
        format!("00020126130009SG.PAYNOW520400005303702{extra}5802SG5902NA6009Singapore")
    }

    #[test]
    fn structure_refusals() {
        let cases: Vec<(String, EmvError)> = vec![
            (String::new(), EmvError::Empty),
            ("00020101".into(), EmvError::Truncated { at: 6 }),
            ("000201010312".into(), EmvError::Truncated { at: 6 }),
            ("00X201".into(), EmvError::Header { at: 0 }),
            (with_crc("0002010100"), EmvError::ZeroLength { path: "01".into() }),
            (with_crc("000201000201"), EmvError::Duplicate { path: "00".into() }),
            (with_crc("000201620A"), EmvError::Header { at: 6 }),
            (with_crc("00020162100501A0501B"), EmvError::Duplicate { path: "62.05".into() }),
            (with_crc("5802BR000201"), EmvError::FormatNotFirst),
            (with_crc("000203"), EmvError::Format { found: "03".into() }),
            ("000201".into(), EmvError::CrcNotLast),
            ("0002016304ABCD5802BR".into(), EmvError::CrcNotLast),
            ("000201630529B1A".into(), EmvError::CrcShape { found: "29B1A".into() }),
            (
                with_crc("000201").to_lowercase(),
                EmvError::CrcShape { found: with_crc("000201")[10..].to_lowercase() },
            ),
            (with_crc("0002015903A\tB"), EmvError::Charset { path: "59".into(), found: '\t' }),
            (with_crc("0002015902é1"), EmvError::Charset { path: "59".into(), found: 'é' }),
        ];
        for (payload, want) in cases {
            assert_eq!(decode_objects(&payload), Err(want), "{payload:?}");
        }
        let good = with_crc("000201");
        let bad = format!("{}{}", &good[..10], if &good[10..] == "0000" { "0001" } else { "0000" });
        assert_eq!(decode_objects(&bad).unwrap_err().code(), "emv_crc_mismatch");
        // A payload is read as characters: the EMVCo example's 64.01 has length 04.
        assert!(decode_objects(EMVCO).is_ok());
    }

    #[test]
    fn field_refusals() {
        assert!(MerchantQr::decode(&with_crc(&base(""))).is_ok());
        let cases: Vec<(String, &str)> = vec![
            (base("6502AB"), "emv_reserved"),
            (base("54040.00"), "emv_invalid"),
            (base("54051.001"), "emv_amount"),
            (base("54041e-5"), "emv_amount"),
            (base("540310."), "emv_amount"),
            (base("5414123456789012.0"), "emv_too_long"),
            (base("550202"), "emv_invalid"),
            (base("5603100"), "emv_missing"),
            (base("5502035705100.0"), "emv_invalid"),
            (base("550203570512.50"), "ok"),
            (base("55020256041.50"), "ok"),
            (base("550204"), "emv_invalid"),
            (base("61110123456789A"), "emv_too_long"),
            (base("62060902AA"), "emv_invalid"),
            (base("620609024Z"), "emv_invalid"),
            (base("62060902ME"), "ok"),
            (base("62060002AB"), "emv_reserved"),
            (base("620950050101X"), "emv_missing"),
            (base("64060002EN"), "emv_missing"),
            (base("6413000100104NAME"), "emv_invalid"),
            (base("64150002EN0105NAMES"), "ok"),
            (base("64190002EN0105NAMES0300"), "emv_zero_length"),
            (base("64200002EN0105NAMES0301X"), "emv_reserved"),
            (base("8006010201"), "emv_missing"),
            (base("010213"), "emv_invalid"),
        ];
        for (body, code) in cases {
            let got = MerchantQr::decode(&with_crc(&body)).map(|_| ()).map_err(|e| e.code());
            let want = if code == "ok" { Ok(()) } else { Err(code) };
            assert_eq!(got, want, "{body}");
        }
        let missing = |without: &str| {
            let body = base("").replacen(without, "", 1);
            MerchantQr::decode(&with_crc(&body)).unwrap_err()
        };
        assert_eq!(missing("26130009SG.PAYNOW").code(), "emv_missing");
        for (object, id) in [
            ("52040000", "52"),
            ("5303702", "53"),
            ("5802SG", "58"),
            ("5902NA", "59"),
            ("6009Singapore", "60"),
        ] {
            assert_eq!(missing(object), EmvError::Missing { path: id.into() });
        }
        let long_name = with_crc(&base("").replace("5902NA", "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        assert_eq!(
            MerchantQr::decode(&long_name),
            Err(EmvError::TooLong { path: "59".into(), len: 26, max: 25 })
        );
    }

    #[test]
    fn encoder_refusals() {
        let account =
            PayNowAccount { proxy: PayNowProxy::Mobile("+6591234567".into()), editable: false, expiry: None };
        let qr = PAYNOW.merchant_qr(account.to_object().unwrap(), "NA", "Singapore");
        assert!(qr.encode().is_ok());
        let code = |qr: MerchantQr| qr.encode().unwrap_err().code();
        assert_eq!(code(MerchantQr { amount: Some(money("1", 0)), ..qr.clone() }), "emv_invalid");
        assert_eq!(code(MerchantQr { amount: Some(Amount::zero(2)), ..qr.clone() }), "emv_invalid");
        assert_eq!(code(MerchantQr { name: "Ä".into(), ..qr.clone() }), "emv_charset");
        assert_eq!(code(MerchantQr { city: "A".repeat(16), ..qr.clone() }), "emv_too_long");
        assert_eq!(code(MerchantQr { accounts: vec![], ..qr.clone() }), "emv_missing");
        assert_eq!(
            code(MerchantQr { accounts: vec![DataObject::text(26, "x")], ..qr.clone() }),
            "emv_wrong_kind"
        );
        assert_eq!(
            code(MerchantQr { accounts: vec![DataObject::text(52, "x")], ..qr.clone() }),
            "emv_invalid"
        );
        assert_eq!(
            code(MerchantQr { additional: vec![DataObject::text(1, "A".repeat(26))], ..qr.clone() }),
            "emv_too_long"
        );
        assert_eq!(
            code(MerchantQr { additional: vec![DataObject::text(1, "A".repeat(25)); 4], ..qr.clone() }),
            "emv_duplicate"
        );
        let long: Vec<DataObject> = (1..=5).map(|id| DataObject::text(id, "A".repeat(20))).collect();
        assert_eq!(code(MerchantQr { additional: long, ..qr.clone() }), "emv_too_long");
        assert_eq!(
            code(MerchantQr { tip: Some(Tip::Percentage(money("100", 2))), ..qr.clone() }),
            "emv_too_long"
        );
        assert_eq!(
            code(MerchantQr { tip: Some(Tip::Percentage(Amount::zero(2))), ..qr.clone() }),
            "emv_invalid"
        );
        assert_eq!(encode_objects(&[DataObject::text(58, "SG")]).unwrap_err(), EmvError::FormatNotFirst);
        assert_eq!(
            encode_objects(&[DataObject::text(0, "01"), DataObject::text(63, "ABCD")]).unwrap_err().code(),
            "emv_invalid"
        );
        assert_eq!(
            encode_objects(&[DataObject::text(0, "01"), DataObject::text(100, "A")]).unwrap_err().code(),
            "emv_invalid"
        );
        assert_eq!(
            encode_objects(&[DataObject::text(0, "01"), DataObject::template(52, vec![])]).unwrap_err(),
            EmvError::Kind { path: "52".into(), template: true }
        );
        assert_eq!(
            encode_objects(&[DataObject::text(0, "01"), DataObject::template(26, vec![])]).unwrap_err(),
            EmvError::ZeroLength { path: "26".into() }
        );
    }

    #[test]
    fn schemes_are_recognised_by_gui() {
        let paynow = DataObject::template(31, vec![DataObject::text(0, "sg.paynow")]);
        assert_eq!(Scheme::of(&paynow), Some(PAYNOW));
        assert_eq!(Scheme::of(&DataObject::template(26, vec![DataObject::text(0, "XX")])), None);
        assert_eq!(Scheme::of(&DataObject::text(4, "A000000677010111")), None);
        let mut extra = PromptPayAccount::mobile("0812345678").unwrap().to_object().unwrap();
        if let Value::Template(c) = &mut extra.value {
            c.push(DataObject::text(9, "X"));
        }
        assert_eq!(PromptPayAccount::from_object(&extra), Err(EmvError::Reserved { path: "29.09".into() }));
        let two = DataObject::template(
            29,
            vec![
                DataObject::text(0, PROMPTPAY.gui),
                DataObject::text(1, "0066812345678"),
                DataObject::text(2, "1234567890123"),
            ],
        );
        assert_eq!(PromptPayAccount::from_object(&two).unwrap_err().code(), "emv_invalid");
        assert!(DuitNowAccount::from_object(&paynow).is_err());
    }

    #[test]
    fn every_error_has_a_code_and_says_it() {
        let errors = [
            EmvError::Empty,
            EmvError::Truncated { at: 4 },
            EmvError::Header { at: 0 },
            EmvError::ZeroLength { path: "01".into() },
            EmvError::TooLong { path: "59".into(), len: 26, max: 25 },
            EmvError::Charset { path: "59".into(), found: '\u{1F600}' },
            EmvError::Duplicate { path: "62.05".into() },
            EmvError::FormatNotFirst,
            EmvError::Format { found: "03".into() },
            EmvError::CrcNotLast,
            EmvError::CrcShape { found: "abcd".into() },
            EmvError::CrcMismatch { found: "0000".into(), computed: "1D3D".into() },
            EmvError::Kind { path: "26".into(), template: false },
            EmvError::Missing { path: "52".into() },
            EmvError::Reserved { path: "65".into() },
            EmvError::Invalid { path: "01".into(), value: "13".into(), reason: "is bad" },
            EmvError::Amount { path: "54".into(), error: AmountError::Empty },
        ];
        let mut codes: Vec<&str> = errors.iter().map(EmvError::code).collect();
        for (e, code) in errors.iter().zip(&codes) {
            assert!(code.starts_with("emv_") && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(e.to_string(), e.message());
            assert!(!e.message().is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        assert_eq!(
            errors[5].message(),
            "data object 59 holds the character U+01F600, outside its character set (printable ASCII)"
        );
        assert_eq!(
            errors[11].message(),
            "the CRC says 0000 but the payload's CRC is 1D3D: the code is damaged or was edited"
        );
        assert_eq!(code_point('é'), "U+00E9");
    }

    #[test]
    fn amounts_are_written_with_the_minor_units() {
        assert_eq!(format_amount(money("10", 2)), "10.00");
        assert_eq!(format_amount(money("4.22", 2)), "4.22");
        assert_eq!(format_amount(money("1000", 0)), "1000");
        assert_eq!(format_amount(money("1.5", 3)), "1.500");
        assert_eq!(format_amount(Amount::from_atomic(7, 40)), Amount::from_atomic(7, 40).to_decimal());
        assert_eq!(
            (minor_units("392"), minor_units("048"), minor_units("986"), minor_units("990")),
            (0, 3, 2, 4)
        );
    }

    fn ans(min: usize, max: usize) -> BoxedStrategy<String> {
        proptest::string::string_regex(&format!("[ -~]{{{min},{max}}}")).unwrap().boxed()
    }

    fn accounts() -> impl Strategy<Value = Vec<DataObject>> {
        let primitive = proptest::collection::btree_map(2u8..=25, "[0-9A-Z]{1,19}", 0..2);
        let templates = proptest::collection::btree_map(
            26u8..=51,
            ("[A-Z0-9.]{1,32}", proptest::collection::btree_map(1u8..=99, ans(1, 20), 0..3)),
            1..3,
        );
        (primitive, templates).prop_map(|(p, t)| {
            let mut out: Vec<DataObject> = p.into_iter().map(|(id, v)| DataObject::text(id, v)).collect();
            for (id, (gui, subs)) in t {
                let mut children = vec![DataObject::text(0, gui)];
                children.extend(subs.into_iter().map(|(s, v)| DataObject::text(s, v)));
                out.push(DataObject::template(id, children));
            }
            out
        })
    }

    fn additional() -> impl Strategy<Value = Vec<DataObject>> {
        (
            proptest::collection::btree_map(1u8..=8, ans(1, 20), 0..3),
            proptest::option::of(prop::sample::select(vec!["A", "M", "E", "AM", "EA", "MEA"])),
            proptest::option::of(("[A-Z.]{1,10}", ans(1, 10))),
        )
            .prop_map(|(subs, request, system)| {
                let mut out: Vec<DataObject> =
                    subs.into_iter().map(|(id, v)| DataObject::text(id, v)).collect();
                if let Some(r) = request {
                    out.push(DataObject::text(9, r));
                }
                if let Some((gui, v)) = system {
                    out.push(DataObject::template(
                        50,
                        vec![DataObject::text(0, gui), DataObject::text(1, v)],
                    ));
                }
                out
            })
    }

    /// 0: none, 1: prompt, 2: fixed fee (atomic), 3: percentage (hundredths).
    fn tips() -> impl Strategy<Value = (u8, u128)> {
        prop_oneof![
            Just((0, 0)),
            Just((1, 0)),
            (1u128..1_000_000_000_000).prop_map(|a| (2, a)),
            (1u128..10_000).prop_map(|p| (3, p))
        ]
    }

    fn merchant_qrs() -> impl Strategy<Value = MerchantQr> {
        let head = (
            prop::sample::select(vec![PayloadFormat::V01, PayloadFormat::V02]),
            proptest::option::of(prop::sample::select(vec![Initiation::Static, Initiation::Dynamic])),
            accounts(),
            "[0-9]{4}",
            prop::sample::select(vec!["986", "702", "764", "458", "392", "048", "840", "990"]),
            proptest::option::of(1u128..1_000_000_000_000),
            tips(),
        );
        let tail = (
            "[A-Z]{2}",
            ans(1, 25),
            ans(1, 15),
            proptest::option::of(ans(1, 10)),
            additional(),
            proptest::option::of(("[A-Za-z]{2}", "\\PC{1,25}", proptest::option::of("\\PC{1,15}"))),
            proptest::collection::btree_map(80u8..=99, ("[A-Z.]{1,32}", ans(1, 20)), 0..2),
        );
        (head, tail).prop_map(|((format, initiation, accounts, mcc, currency, amount, tip), tail)| {
            let (country, name, city, postal_code, additional, language, unreserved) = tail;
            let d = minor_units(currency);
            MerchantQr {
                format,
                initiation,
                accounts,
                mcc,
                currency: currency.into(),
                amount: amount.map(|a| Amount::from_atomic(a, d)),
                tip: match tip {
                    (1, _) => Some(Tip::Prompt),
                    (2, a) => Some(Tip::Fixed(Amount::from_atomic(a, d))),
                    (3, p) => Some(Tip::Percentage(Amount::from_atomic(p, 2))),
                    _ => None,
                },
                country,
                name,
                city,
                postal_code,
                additional,
                language: language.map(|(preference, name, city)| Language { preference, name, city }),
                unreserved: unreserved
                    .into_iter()
                    .map(|(id, (gui, v))| {
                        DataObject::template(id, vec![DataObject::text(0, gui), DataObject::text(1, v)])
                    })
                    .collect(),
            }
        })
    }

    fn paynow_accounts() -> impl Strategy<Value = PayNowAccount> {
        let proxy = prop_oneof![
            "\\+65[0-9]{8}".prop_map(PayNowProxy::Mobile),
            "[0-9]{8}[A-Z]|[0-9]{9}[A-Z]|[TSR][0-9]{2}[A-Z0-9]{2}[0-9]{4}[A-Z]".prop_map(PayNowProxy::Uen),
        ];
        let expiry = proptest::option::of((1900u32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| {
            let mut s = String::new();
            crate::text::push_padded(&mut s, u128::from(y), 4);
            crate::text::push_padded(&mut s, u128::from(m), 2);
            crate::text::push_padded(&mut s, u128::from(d), 2);
            s
        }));
        (proxy, any::<bool>(), expiry).prop_map(|(proxy, editable, expiry)| PayNowAccount {
            proxy,
            editable,
            expiry,
        })
    }

    fn promptpay_accounts() -> impl Strategy<Value = PromptPayAccount> {
        prop_oneof![
            "0[0-9]{9}".prop_map(|n| PromptPayAccount::mobile(&n).unwrap()),
            "[0-9]{13}".prop_map(PromptPayAccount::TaxId),
            "[0-9]{15}".prop_map(PromptPayAccount::EWallet),
        ]
    }

    proptest! {
        #[test]
        fn encode_then_decode_gives_the_same_fields(qr in merchant_qrs()) {
            let payload = qr.encode().unwrap();
            prop_assert_eq!(MerchantQr::decode(&payload).unwrap(), qr);
            prop_assert_eq!(encode_objects(&decode_objects(&payload).unwrap()).unwrap(), payload);
        }

        #[test]
        fn scheme_accounts_round_trip(
            paynow in paynow_accounts(),
            promptpay in promptpay_accounts(),
            acquirer in "[0-9]{6}",
            qr_id in "[ -~]{1,40}",
        ) {
            let o = paynow.to_object().unwrap();
            prop_assert_eq!(PayNowAccount::from_object(&o).unwrap(), paynow);
            let payload = PAYNOW.merchant_qr(o, "NA", "Singapore").encode().unwrap();
            let qr = MerchantQr::decode(&payload).unwrap();
            prop_assert_eq!(Scheme::of(&qr.accounts[0]), Some(PAYNOW));

            let o = promptpay.to_object().unwrap();
            prop_assert_eq!(PromptPayAccount::from_object(&o).unwrap(), promptpay);
            prop_assert!(PROMPTPAY.merchant_qr(o, "NA", "Bangkok").encode().is_ok());

            let duitnow = DuitNowAccount { acquirer, qr_id };
            let o = duitnow.to_object().unwrap();
            prop_assert_eq!(DuitNowAccount::from_object(&o).unwrap(), duitnow);
            let payload = DUITNOW.merchant_qr(o, "NA", "KL").encode().unwrap();
            prop_assert!(payload.starts_with("000202"));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,160}", cut in 0usize..200, insert in "[0-9A-Z]{0,6}") {
            let _ = MerchantQr::decode(&s);
            // Valid payloads with a cut or an insertion somewhere.
            for p in [EMVCO, PAYNOW_CHEWHX, BR_CODE_MANUAL] {
                let chars: Vec<char> = p.chars().collect();
                let at = cut.min(chars.len());
                let edited: String = chars[..at].iter().copied().chain(insert.chars()).chain(chars[at..].iter().copied()).collect();
                let result = decode_objects(&edited);
                if insert.is_empty() {
                    prop_assert!(result.is_ok());
                }
            }
        }
    }
}
