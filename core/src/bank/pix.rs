//! PIX BR Codes: the Brazilian instant-payment QR code and its "Pix Copia e Cola" text (which is
//! the same payload). This module owns the Pix merchant account template on top of
//! `bank::emv` (GUI "br.gov.bcb.pix"; 01 key for a static code, 25 URL without scheme for a
//! dynamic one, 02 free text, 03 cash-withdrawal facilitator), the BR Code fields Pix fixes (52
//! "0000", 53 "986", 58 "BR", 62.05 txid or "***") and the validation of Pix keys: CPF and CNPJ
//! with their check digits, phone, e-mail and random key (EVP).
//!
//! Sources: Banco Central do Brasil, *Manual de Padrões para Iniciação do Pix* (Anexo II of the
//! Regulamento Pix): §2.5 (GUI, key formats, URLs of at most 77 characters without scheme), §2.6
//! (static code: key 01..77, infoAdicional 01..72, fss 8, txid of at most 25 letters and digits,
//! its example with CRC 1D3D), §2.7 (dynamic code, its example with CRC 64E4; amount and txid
//! "must not be filled in"), §2.8 (composite code, example F2DA); BCB's DICT API
//! (`bacen/pix-dict-api`, openapi.yaml, "Chave"): the key patterns, e-mail in lower case of at
//! most 77 characters, EVP as lower-case hexadecimal 8-4-4-4-12; Receita Federal's CPF and CNPJ
//! check digits (mod 11; the alphanumeric CNPJ maps each character to its ASCII code minus 48,
//! the manual's example "12ABC34501DE35").
//!
//! Choices: an EVP is checked against the DICT pattern, not as a UUID v4 (the manual's own
//! example key "123e4567-e12b-12d1-a456-426655440000" has version nibble 1); a phone key is
//! "+55", a two-digit area code not starting with 0 and 8 or 9 digits; keys are taken exactly as
//! the BR Code carries them (no punctuation, no normalisation). The mod-11 check digits fold the
//! remainders 0 and 1 (and 10) into the digit 0, so a CPF or CNPJ whose first check digit is 0
//! can hide a one-digit typo (tested, with the counterexamples); and in an alphanumeric CNPJ two
//! characters whose values differ by a multiple of 11 (such as '1' and 'R') swap unseen.

use super::emv::{DataObject, EmvError, Initiation, MerchantQr, PayloadFormat, Value};
use crate::money::Amount;
use std::fmt;

/// The Pix GUI (compared case-insensitively, written in lower case).
pub const GUI: &str = "br.gov.bcb.pix";

/// The five kinds of Pix key the DICT registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Cpf,
    Cnpj,
    Phone,
    Email,
    /// A random key (endereço virtual de pagamento).
    Evp,
}

impl KeyKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyKind::Cpf => "cpf",
            KeyKind::Cnpj => "cnpj",
            KeyKind::Phone => "phone",
            KeyKind::Email => "email",
            KeyKind::Evp => "evp",
        }
    }
}

/// A Pix key that passed its kind's checks; made only by [`PixKey::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PixKey {
    kind: KeyKind,
    text: String,
}

/// Why a payload or a charge is not a valid Pix BR Code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixError {
    /// The EMV layer refused it.
    Emv(EmvError),
    /// No merchant account template (26–51) carries the Pix GUI.
    NotPix,
    /// A key that is not a valid Pix key.
    Key { key: String, reason: &'static str },
    /// A BR Code field that Pix does not accept.
    Field { field: &'static str, value: String, reason: &'static str },
}

impl PixError {
    /// The stable snake_case code of the error (the EMV code for [`PixError::Emv`]).
    pub fn code(&self) -> &'static str {
        match self {
            PixError::Emv(e) => e.code(),
            PixError::NotPix => "pix_not_pix",
            PixError::Key { .. } => "pix_invalid_key",
            PixError::Field { .. } => "pix_invalid_field",
        }
    }

    /// The English explanation.
    pub fn message(&self) -> String {
        match self {
            PixError::Emv(e) => e.message(),
            PixError::NotPix => "the QR code has no Pix merchant account (GUI br.gov.bcb.pix)".into(),
            PixError::Key { key, reason } => crate::cat!("Pix key \"", key, "\" ", reason),
            PixError::Field { field, value, reason } => {
                crate::cat!("Pix field ", field, " (\"", value, "\") ", reason)
            }
        }
    }
}

impl fmt::Display for PixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PixError {}

impl From<EmvError> for PixError {
    fn from(e: EmvError) -> PixError {
        PixError::Emv(e)
    }
}

/// One mod-11 check digit over `values` with `weight(k)` for the k-th value from the right:
/// 11 minus the remainder, 10 and 11 written as 0.
fn check_digit(values: &[u32], weight: impl Fn(usize) -> u32) -> u32 {
    let sum: u32 = values.iter().rev().enumerate().map(|(k, v)| v * weight(k)).sum();
    let r = 11 - sum % 11;
    if r >= 10 {
        0
    } else {
        r
    }
}

/// The two check digits of a CPF's first nine digits (weights 2, 3, … from the right).
fn cpf_digits(base: &[u32]) -> (u32, u32) {
    let weight = |k: usize| k as u32 + 2;
    let first = check_digit(base, weight);
    let mut with_first = base.to_vec();
    with_first.push(first);
    (first, check_digit(&with_first, weight))
}

/// The two check digits of a CNPJ's first twelve character values (weights 2 to 9 from the
/// right, repeating).
fn cnpj_digits(base: &[u32]) -> (u32, u32) {
    let weight = |k: usize| (k % 8) as u32 + 2;
    let first = check_digit(base, weight);
    let mut with_first = base.to_vec();
    with_first.push(first);
    (first, check_digit(&with_first, weight))
}

/// Whether `text` is a CPF as Pix writes it: eleven digits, not all the same, both check digits
/// right.
pub fn cpf_is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) || b.iter().all(|&c| c == b[0]) {
        return false;
    }
    let v: Vec<u32> = b.iter().map(|&c| u32::from(c - b'0')).collect();
    cpf_digits(&v[..9]) == (v[9], v[10])
}

/// Whether `text` is a CNPJ as Pix writes it: twelve digits or upper-case letters (the
/// alphanumeric CNPJ), two check digits, not all the same character.
pub fn cnpj_is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 14
        || !b[..12].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        || !b[12..].iter().all(u8::is_ascii_digit)
        || b.iter().all(|&c| c == b[0])
    {
        return false;
    }
    let v: Vec<u32> = b.iter().map(|&c| u32::from(c - b'0')).collect();
    cnpj_digits(&v[..12]) == (v[12], v[13])
}

fn phone_is_valid(text: &str) -> bool {
    match text.strip_prefix("+55") {
        Some(n) => matches!(n.len(), 10 | 11) && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'),
        None => false,
    }
}

/// The DICT's e-mail pattern, at most 77 characters.
fn email_is_valid(text: &str) -> bool {
    const LOCAL: &str = ".!#$&'*+/=?^_`{|}~-";
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    text.len() <= 77
        && !local.is_empty()
        && local.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || LOCAL.contains(c))
        && domain.split('.').all(label)
}

/// The DICT's EVP pattern: lower-case hexadecimal, 8-4-4-4-12.
fn evp_is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

impl PixKey {
    /// Classifies and checks a key as a BR Code carries it: "@" makes an e-mail, "+" a phone
    /// number, 36 characters with hyphens a random key, 11 digits a CPF, 14 characters a CNPJ.
    pub fn parse(text: &str) -> Result<PixKey, PixError> {
        let refuse = |reason| Err(PixError::Key { key: text.to_owned(), reason });
        let b = text.as_bytes();
        let (kind, ok, reason) = if text.contains('@') {
            (
                KeyKind::Email,
                email_is_valid(text),
                "is not an e-mail address as the DICT takes it (lower case, at most 77 characters)",
            )
        } else if text.starts_with('+') {
            (
                KeyKind::Phone,
                phone_is_valid(text),
                "is not a Brazilian phone number: +55, a two-digit area code and 8 or 9 digits",
            )
        } else if b.len() == 36 && text.contains('-') {
            (
                KeyKind::Evp,
                evp_is_valid(text),
                "is not a random key: lower-case hexadecimal in groups of 8-4-4-4-12",
            )
        } else if b.len() == 11 && b.iter().all(u8::is_ascii_digit) {
            (KeyKind::Cpf, cpf_is_valid(text), "is not a valid CPF: its check digits do not match")
        } else if b.len() == 14 {
            (KeyKind::Cnpj, cnpj_is_valid(text), "is not a valid CNPJ: its check digits do not match")
        } else {
            return refuse(
                "is not a Pix key: expected a CPF (11 digits), a CNPJ (14 characters), a phone \
                 number (+55…), an e-mail address or a random key",
            );
        };
        if !ok {
            let same = !b.is_empty() && b.iter().all(|&c| c == b[0]);
            return refuse(match kind {
                KeyKind::Cpf | KeyKind::Cnpj if same => "repeats one character, which no CPF or CNPJ does",
                _ => reason,
            });
        }
        Ok(PixKey { kind, text: text.to_owned() })
    }

    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Where the payer's app finds the receiver: a key (static code) or the PSP's URL (dynamic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixLocation {
    /// 26.01.
    Key(PixKey),
    /// 26.25: the payload location, without "https://", at most 77 characters.
    Url(String),
}

/// A Pix charge as BR Code fields; [`PixCharge::encode`] gives the QR payload, which is also the
/// "Pix Copia e Cola" text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PixCharge {
    pub location: PixLocation,
    /// 26.02 infoAdicional: free text shown to the payer, at most 72 characters (static only).
    pub info: Option<String>,
    /// 26.03 fss: the ISPB (8 digits) of a cash-withdrawal facilitator (Pix Saque; static only).
    pub withdrawal_agent: Option<String>,
    /// 54: in reais, two decimals (static only: a dynamic code's amount comes from its URL).
    pub amount: Option<Amount>,
    /// 59: at most 25 characters.
    pub name: String,
    /// 60: at most 15 characters.
    pub city: String,
    /// 62.05: at most 25 letters and digits; `None` is written "***" (static only).
    pub txid: Option<String>,
    /// 01 "12": the code must not be paid twice. `false` writes no 01.
    pub single_use: bool,
}

fn field(field: &'static str, value: &str, reason: &'static str) -> PixError {
    PixError::Field { field, value: value.to_owned(), reason }
}

fn check_url(url: &str) -> Result<(), PixError> {
    let reason = "is not a Pix location: host/path, without scheme, at most 77 visible ASCII characters";
    if url.contains("://") {
        return Err(field("26.25", url, "must not carry a scheme (the payer's app adds https://)"));
    }
    let ok = url.len() <= 77
        && url.bytes().all(|b| b.is_ascii_graphic())
        && url.split_once('/').is_some_and(|(host, path)| {
            host.contains('.')
                && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                && !path.is_empty()
        });
    if !ok {
        return Err(field("26.25", url, reason));
    }
    Ok(())
}

fn check_txid(txid: &str) -> Result<(), PixError> {
    if txid.is_empty() || txid.len() > 25 || !txid.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(field("62.05", txid, "is not a txid: 1 to 25 letters and digits (or \"***\" for none)"));
    }
    Ok(())
}

fn check_info(info: &str) -> Result<(), PixError> {
    let len = info.chars().count();
    if len == 0 || len > 72 {
        return Err(field("26.02", info, "must be 1 to 72 characters"));
    }
    Ok(())
}

fn check_agent(ispb: &str) -> Result<(), PixError> {
    if ispb.len() != 8 || !ispb.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field("26.03", ispb, "is not an ISPB (8 digits)"));
    }
    Ok(())
}

impl PixCharge {
    /// The EMV fields of this charge (template 26, MCC "0000", BRL, BR).
    pub fn to_merchant_qr(&self) -> Result<MerchantQr, PixError> {
        let mut account = vec![DataObject::text(0, GUI)];
        match &self.location {
            PixLocation::Key(key) => account.push(DataObject::text(1, key.as_str())),
            PixLocation::Url(url) => {
                check_url(url)?;
                let static_only = [
                    ("26.02", self.info.as_deref()),
                    ("26.03", self.withdrawal_agent.as_deref()),
                    ("62.05", self.txid.as_deref()),
                ];
                for (name, value) in static_only {
                    if let Some(v) = value {
                        return Err(field(name, v, "must not be set in a dynamic code (its URL carries it)"));
                    }
                }
                if let Some(a) = self.amount {
                    return Err(field(
                        "54",
                        &a.to_decimal(),
                        "must not be set in a dynamic code (its URL carries it)",
                    ));
                }
                account.push(DataObject::text(25, url.clone()));
            }
        }
        if let Some(info) = &self.info {
            check_info(info)?;
            account.push(DataObject::text(2, info.clone()));
        }
        if let Some(ispb) = &self.withdrawal_agent {
            check_agent(ispb)?;
            account.push(DataObject::text(3, ispb.clone()));
        }
        if let Some(t) = &self.txid {
            check_txid(t)?;
        }
        let txid = self.txid.clone().unwrap_or_else(|| "***".into());
        Ok(MerchantQr {
            format: PayloadFormat::V01,
            initiation: self.single_use.then_some(Initiation::Dynamic),
            accounts: vec![DataObject::template(26, account)],
            mcc: "0000".into(),
            currency: "986".into(),
            amount: self.amount,
            tip: None,
            country: "BR".into(),
            name: self.name.clone(),
            city: self.city.clone(),
            postal_code: None,
            additional: vec![DataObject::text(5, txid)],
            language: None,
            unreserved: Vec::new(),
        })
    }

    /// The BR Code payload ("Pix Copia e Cola").
    pub fn encode(&self) -> Result<String, PixError> {
        Ok(self.to_merchant_qr()?.encode()?)
    }

    /// Reads a BR Code with a Pix account: the EMV layer's checks, then Pix's. Other accounts,
    /// the MCC, 61, 64 and 80–99 are allowed and not kept; a dynamic code's amount and txid are
    /// read, though the manual tells payers to ignore them.
    pub fn decode(payload: &str) -> Result<PixCharge, PixError> {
        let qr = MerchantQr::decode(payload)?;
        if qr.currency != "986" {
            return Err(field("53", &qr.currency, "is not 986 (Brazilian real)"));
        }
        if qr.country != "BR" {
            return Err(field("58", &qr.country, "is not BR"));
        }
        let mut pix = qr.accounts.iter().filter(|a| {
            (26..=51).contains(&a.id) && a.child_text(0).is_some_and(|g| g.eq_ignore_ascii_case(GUI))
        });
        let account = pix.next().ok_or(PixError::NotPix)?;
        if let Some(other) = pix.next() {
            return Err(field(
                "26-51",
                &crate::text::decimal(u128::from(other.id)),
                "is a second Pix template",
            ));
        }
        let Value::Template(children) = &account.value else {
            return Err(PixError::NotPix);
        };
        if let Some(c) = children.iter().find(|c| !matches!(c.id, 0..=3 | 25)) {
            return Err(field(
                "26",
                &crate::text::decimal(u128::from(c.id)),
                "is not a Pix sub-field (00-03, 25)",
            ));
        }
        let sub = |id: u8| account.child_text(id).map(str::to_owned);
        let location = match (sub(1), sub(25)) {
            (Some(key), None) => PixLocation::Key(PixKey::parse(&key)?),
            (None, Some(url)) => {
                check_url(&url)?;
                if let Some(v) = sub(2).or_else(|| sub(3)) {
                    return Err(field("26", &v, "has a static code's field in a dynamic code"));
                }
                PixLocation::Url(url)
            }
            (Some(_), Some(url)) => return Err(field("26", &url, "has both a key (01) and a URL (25)")),
            (None, None) => {
                return Err(field(
                    "26",
                    "",
                    "has neither a key (01) nor a URL (25); recurrence-only codes are not supported",
                ))
            }
        };
        let info = sub(2);
        if let Some(i) = &info {
            check_info(i)?;
        }
        let withdrawal_agent = sub(3);
        if let Some(a) = &withdrawal_agent {
            check_agent(a)?;
        }
        let txid = match qr.additional.iter().find(|o| o.id == 5).and_then(DataObject::as_text) {
            Some("***") => None,
            Some(t) => {
                check_txid(t)?;
                Some(t.to_owned())
            }
            None => return Err(field("62.05", "", "is missing; a BR Code always has it (\"***\" for none)")),
        };
        Ok(PixCharge {
            location,
            info,
            withdrawal_agent,
            amount: qr.amount,
            name: qr.name,
            city: qr.city,
            txid,
            single_use: qr.initiation == Some(Initiation::Dynamic),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// BCB, Manual de Padrões para Iniciação do Pix, §2.6.3: the static example (random key,
    /// no amount, no txid; CRC 1D3D).
    const BCB_STATIC: &str = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";
    /// Same manual, §2.7.2: the dynamic example (URL, single use; CRC 64E4).
    const BCB_DYNAMIC: &str = "00020101021226700014br.gov.bcb.pix2548pix.example.com/8b3da2f39a4140d1a91abd93113bd4415204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***630464E4";
    /// Same manual, §2.8.5.1: a composite code with only recurrence parameters (CRC F2DA).
    const BCB_COMPOSITE: &str = "00020126180014br.gov.bcb.pix5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***80740014br.gov.bcb.pix2552pix.example.com/rec/2353c790eefb11eaadc10242ac1200026304F2DA";
    /// `saskenuba/pix-toolbelt`, crates/emv-qrcps/src/parser.rs, `generated_sample`: e-mail key,
    /// infoAdicional, amount (CRC 8287).
    const TOOLBELT: &str = "00020126530014br.gov.bcb.pix0119saskenuba@gmail.com0208[Pix.ae]520400005303986540550.005802BR5903Pix6003Pix62070503***63048287";
    /// BCB, Manual do BR Code: its example (quoted by `naomijub/brcode`'s README), whose txid
    /// "RP12345678-2019" predates Pix's letters-and-digits rule.
    const BR_CODE_MANUAL: &str = "00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-42665544000027300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR6008BRASILIA61087007490062190515RP12345678-201980390012BR.COM.OUTRO01190123.ABCD.3456.WXYZ6304AD38";

    fn key(text: &str) -> PixKey {
        PixKey::parse(text).unwrap()
    }

    fn charge(location: PixLocation) -> PixCharge {
        PixCharge {
            location,
            info: None,
            withdrawal_agent: None,
            amount: None,
            name: "Fulano de Tal".into(),
            city: "BRASILIA".into(),
            txid: None,
            single_use: false,
        }
    }

    fn with_crc(body: &str) -> String {
        let body = format!("{body}6304");
        let crc = super::super::emv::crc16(body.as_bytes());
        let hex: String = (0..4)
            .rev()
            .map(|k| char::from(b"0123456789ABCDEF"[usize::from((crc >> (k * 4)) & 15)]))
            .collect();
        body + &hex
    }

    #[test]
    fn the_manual_static_example_byte_for_byte() {
        let c = charge(PixLocation::Key(key("123e4567-e12b-12d1-a456-426655440000")));
        assert_eq!(c.encode().unwrap(), BCB_STATIC);
        assert_eq!(PixCharge::decode(BCB_STATIC).unwrap(), c);
        assert_eq!(key("123e4567-e12b-12d1-a456-426655440000").kind(), KeyKind::Evp);
    }

    #[test]
    fn the_manual_dynamic_example_byte_for_byte() {
        let c = PixCharge {
            single_use: true,
            ..charge(PixLocation::Url("pix.example.com/8b3da2f39a4140d1a91abd93113bd441".into()))
        };
        assert_eq!(c.encode().unwrap(), BCB_DYNAMIC);
        assert_eq!(PixCharge::decode(BCB_DYNAMIC).unwrap(), c);
    }

    #[test]
    fn an_open_encoder_with_amount_and_description_byte_for_byte() {
        let c = PixCharge {
            info: Some("[Pix.ae]".into()),
            amount: Some(Amount::parse("50", 2).unwrap()),
            name: "Pix".into(),
            city: "Pix".into(),
            ..charge(PixLocation::Key(key("saskenuba@gmail.com")))
        };
        assert_eq!(c.encode().unwrap(), TOOLBELT);
        assert_eq!(PixCharge::decode(TOOLBELT).unwrap(), c);
    }

    #[test]
    fn codes_beyond_static_and_dynamic() {
        // The composite code decodes as EMV, but a recurrence-only Pix template is not a charge.
        assert!(MerchantQr::decode(BCB_COMPOSITE).is_ok());
        assert_eq!(PixCharge::decode(BCB_COMPOSITE).unwrap_err().code(), "pix_invalid_field");
        // The BR Code manual's example: an upper-case GUI is a Pix GUI, but its txid has a '-'.
        assert!(MerchantQr::decode(BR_CODE_MANUAL).is_ok());
        assert_eq!(
            PixCharge::decode(BR_CODE_MANUAL),
            Err(PixError::Field {
                field: "62.05",
                value: "RP12345678-2019".into(),
                reason: "is not a txid: 1 to 25 letters and digits (or \"***\" for none)",
            })
        );
        let fixed = BR_CODE_MANUAL.replace("62190515RP12345678-2019", "62180514RP123456782019");
        let fixed = with_crc(&fixed[..fixed.len() - 8]);
        let c = PixCharge::decode(&fixed).unwrap();
        assert_eq!(c.location, PixLocation::Key(key("123e4567-e12b-12d1-a456-426655440000")));
        assert_eq!(c.txid.as_deref(), Some("RP123456782019"));
        assert_eq!(c.amount, Some(Amount::parse("123.45", 2).unwrap()));
    }

    #[test]
    fn cpf_vectors() {
        // 529.982.247-25 and 111.444.777-35: the usual valid examples; 123.456.789-09 too.
        for good in ["52998224725", "11144477735", "12345678909"] {
            assert!(cpf_is_valid(good), "{good}");
            assert_eq!(key(good).kind(), KeyKind::Cpf);
        }
        // "12345678900" is the manual's format example, not a valid CPF (its digits are 09).
        for bad in ["52998224726", "52998224715", "12345678900", "5299822472", "529982247250", "5299822472a"]
        {
            assert!(!cpf_is_valid(bad), "{bad}");
        }
        // Checksum-valid, refused by Receita Federal's rule: all digits the same.
        for same in ["00000000000", "11111111111", "99999999999"] {
            assert!(!cpf_is_valid(same));
            assert_eq!(
                PixKey::parse(same).unwrap_err(),
                PixError::Key {
                    key: same.into(),
                    reason: "repeats one character, which no CPF or CNPJ does"
                }
            );
        }
        // Keys are written without punctuation.
        assert_eq!(PixKey::parse("529.982.247-25").unwrap_err().code(), "pix_invalid_key");
    }

    #[test]
    fn cnpj_vectors() {
        // 00.038.166/0001-05 (the BCB's own, the manual's example), 11.222.333/0001-81, and the
        // manual's alphanumeric example.
        for good in ["00038166000105", "11222333000181", "12ABC34501DE35"] {
            assert!(cnpj_is_valid(good), "{good}");
            assert_eq!(key(good).kind(), KeyKind::Cnpj);
        }
        for bad in [
            "00038166000106",
            "11222333000182",
            "12ABC34501DE36",
            "12abc34501de35",
            "12ABC34501DE3A",
            "1122233300018",
        ] {
            assert!(!cnpj_is_valid(bad), "{bad}");
        }
        assert!(!cnpj_is_valid("00000000000000"));
    }

    /// Every one-digit change of `text` at the positions `positions`, as (position, new text).
    fn one_digit_changes(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, c) in text.char_indices() {
            for d in '0'..='9' {
                if d != c && c.is_ascii_digit() {
                    let mut t = text.to_owned();
                    t.replace_range(i..i + 1, d.encode_utf8(&mut [0; 4]));
                    out.push((i, t));
                }
            }
        }
        out
    }

    #[test]
    fn the_mod_11_folding_lets_some_typos_through() {
        // Both check digits are computed mod 11 with 10 and 11 written 0: when the first check
        // digit is 0, a change that moves the remainder between 0 and 1 keeps it. Found by the
        // exhaustive search below; the property test shows nothing else escapes.
        assert!(cpf_is_valid("00009063102") && cpf_is_valid("10009063102"));
        assert!(cnpj_is_valid("57090006277000") && cnpj_is_valid("77090006277000"));
        // Alphanumeric CNPJ: '1' (1) and 'R' (82 - 48 = 34) differ by 33, a multiple of 11.
        assert!(cnpj_is_valid("R2ABC34501DE35"));
        // With a first check digit other than 0, every one-digit change is caught.
        for valid in ["52998224725", "11144477735"] {
            for (_, changed) in one_digit_changes(valid) {
                assert!(!cpf_is_valid(&changed), "{changed}");
            }
        }
        // 123.456.789-09 has first check digit 0: changing its first digit to 2 still passes.
        assert!(cpf_is_valid("22345678909"));
        for valid in ["00038166000105", "11222333000181", "12ABC34501DE35"] {
            for (_, changed) in one_digit_changes(valid) {
                assert!(!cnpj_is_valid(&changed), "{changed}");
            }
        }
    }

    #[test]
    fn other_key_kinds() {
        // The manual's examples (§2.5.1) and the DICT API's.
        for (text, kind) in [
            ("+5561912345678", KeyKind::Phone),
            ("+5510998765432", KeyKind::Phone),
            ("+556132345678", KeyKind::Phone),
            ("fulano_da_silva.recebedor@example.com", KeyKind::Email),
            ("pix@bcb.gov.br", KeyKind::Email),
            ("a@b", KeyKind::Email),
            ("123e4567-e89b-12d3-a456-426655440000", KeyKind::Evp),
        ] {
            assert_eq!(key(text).kind(), kind, "{text}");
            assert_eq!(key(text).as_str(), text);
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert_eq!(long.len(), 77);
        assert!(PixKey::parse(&long).is_ok());
        let too_long = format!("{}@example.com", "a".repeat(66));
        for bad in [
            "+55619123456",
            "+556191234567890",
            "+5501912345678",
            "+1415555267",
            "5561912345678",
            "+55 61 91234-5678",
            "Pix@bcb.gov.br",
            "pix@-bcb.gov.br",
            "pix@bcb..gov.br",
            "pix@bcb.gov.br.",
            "pi x@bcb.gov.br",
            "a@b@c",
            "@bcb.gov.br",
            too_long.as_str(),
            "123E4567-E89B-12D3-A456-426655440000",
            "123e4567e89b12d3a456426655440000",
            "123e4567-e89b-12d3-a456_426655440000",
            "",
        ] {
            assert_eq!(PixKey::parse(bad).unwrap_err().code(), "pix_invalid_key", "{bad:?}");
        }
    }

    #[test]
    fn the_encoder_keeps_to_the_manual() {
        let code = |c: PixCharge| c.encode().unwrap_err().code();
        let stat = charge(PixLocation::Key(key("pix@bcb.gov.br")));
        let dynamic = charge(PixLocation::Url("pix.example.com/abc".into()));
        let two = |t: &str| Amount::parse(t, 2).unwrap();
        assert!(stat.encode().is_ok() && dynamic.encode().is_ok());
        assert_eq!(code(PixCharge { amount: Some(two("1")), ..dynamic.clone() }), "pix_invalid_field");
        assert_eq!(code(PixCharge { txid: Some("ABC".into()), ..dynamic.clone() }), "pix_invalid_field");
        assert_eq!(code(PixCharge { info: Some("x".into()), ..dynamic.clone() }), "pix_invalid_field");
        for url in [
            "https://pix.example.com/abc",
            "pix.example.com",
            "pix.example.com/",
            "pix example.com/a",
            "localhost/abc",
        ] {
            assert_eq!(code(charge(PixLocation::Url(url.into()))), "pix_invalid_field", "{url}");
        }
        let long_url = format!("pix.example.com/{}", "a".repeat(62));
        assert_eq!(long_url.len(), 78);
        assert_eq!(code(charge(PixLocation::Url(long_url))), "pix_invalid_field");
        for txid in ["abc-1", "", "***", "A".repeat(26).as_str()] {
            assert_eq!(
                code(PixCharge { txid: Some(txid.into()), ..stat.clone() }),
                "pix_invalid_field",
                "{txid}"
            );
        }
        assert!(PixCharge { txid: Some("A".repeat(25)), ..stat.clone() }.encode().is_ok());
        assert_eq!(code(PixCharge { info: Some("i".repeat(73)), ..stat.clone() }), "pix_invalid_field");
        assert_eq!(code(PixCharge { info: Some(String::new()), ..stat.clone() }), "pix_invalid_field");
        assert_eq!(
            code(PixCharge { withdrawal_agent: Some("1234567".into()), ..stat.clone() }),
            "pix_invalid_field"
        );
        assert!(PixCharge { withdrawal_agent: Some("12345678".into()), ..stat.clone() }.encode().is_ok());
        // Key, free text and withdrawal agent share the template's 99 characters.
        let evp = charge(PixLocation::Key(key("123e4567-e12b-12d1-a456-426655440000")));
        assert!(PixCharge { info: Some("i".repeat(37)), ..evp.clone() }.encode().is_ok());
        assert_eq!(code(PixCharge { info: Some("i".repeat(38)), ..evp.clone() }), "emv_too_long");
        assert_eq!(code(PixCharge { name: "N".repeat(26), ..stat.clone() }), "emv_too_long");
        assert_eq!(code(PixCharge { city: "São Paulo".into(), ..stat.clone() }), "emv_charset");
        assert_eq!(
            code(PixCharge { amount: Some(Amount::parse("1", 8).unwrap()), ..stat.clone() }),
            "emv_invalid"
        );
        assert_eq!(code(PixCharge { amount: Some(Amount::zero(2)), ..stat }), "emv_invalid");
    }

    #[test]
    fn the_decoder_keeps_to_the_manual() {
        let body = |s: &str| with_crc(s);
        let pix = "26360014br.gov.bcb.pix0114+5561912345678";
        let tail = "5802BR5913Fulano de Tal6008BRASILIA62070503***";
        assert!(PixCharge::decode(&body(&format!("000201{pix}52040000530398654041.00{tail}"))).is_ok());
        let cases = [
            (format!("000201{pix}52040000530384054041.00{tail}"), "pix_invalid_field"),
            (format!("000201{pix}5204000053039865802US5913Fulano de Tal6008BRASILIA62070503***"), "pix_invalid_field"),
            (format!("000201{pix}52040000530398654041.005802BR5913Fulano de Tal6008BRASILIA"), "pix_invalid_field"),
            (format!("00020126180014BR.GOV.BCB.PIX52040000530398654041.00{tail}"), "pix_invalid_field"),
            (format!("000201{pix}27360014br.gov.bcb.pix0114+556191234567852040000530398654041.00{tail}"), "pix_invalid_field"),
            (format!("00020126420014br.gov.bcb.pix0114+55619123456780402AB52040000530398654041.00{tail}"), "pix_invalid_field"),
            (format!("00020126130009SG.PAYNOW52040000530398654041.00{tail}"), "pix_not_pix"),
            (format!("00020126360014br.gov.bcb.pix0114+556191234567852040000530398654041.00{tail}"), "ok"),
            (format!("00020126360014br.gov.bcb.pix0114+556191234567X52040000530398654041.00{tail}"), "pix_invalid_key"),
            (format!("00020126530014br.gov.bcb.pix2519pix.example.com/abc0208anything52040000530398654041.00{tail}"), "pix_invalid_field"),
        ];
        for (payload, want) in cases {
            let got = PixCharge::decode(&body(&payload)).map(|_| "ok").unwrap_or_else(|e| e.code());
            assert_eq!(got, want, "{payload}");
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        for payload in [BCB_STATIC, BCB_DYNAMIC, TOOLBELT] {
            let chars: Vec<char> = payload.chars().collect();
            for i in 0..chars.len() {
                for c in ' '..='~' {
                    if c != chars[i] {
                        let mut changed = chars.clone();
                        changed[i] = c;
                        let changed: String = changed.into_iter().collect();
                        assert!(PixCharge::decode(&changed).is_err(), "{changed}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_error_has_a_code_and_says_it() {
        let errors = [
            PixError::Emv(EmvError::Empty),
            PixError::NotPix,
            PixError::Key { key: "x".into(), reason: "is bad" },
            PixError::Field { field: "62.05", value: "a-b".into(), reason: "is bad" },
        ];
        let codes: Vec<&str> = errors.iter().map(PixError::code).collect();
        assert_eq!(codes, ["emv_empty", "pix_not_pix", "pix_invalid_key", "pix_invalid_field"]);
        for e in &errors {
            assert_eq!(e.to_string(), e.message());
        }
        assert_eq!(errors[2].message(), "Pix key \"x\" is bad");
        assert_eq!(errors[3].message(), "Pix field 62.05 (\"a-b\") is bad");
        assert_eq!(KeyKind::Evp.as_str(), "evp");
    }

    fn with_cpf_digits(base: &str) -> String {
        let v: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        let (a, b) = cpf_digits(&v);
        crate::cat!(base, a, b)
    }

    fn with_cnpj_digits(base: &str) -> String {
        let v: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        let (a, b) = cnpj_digits(&v);
        crate::cat!(base, a, b)
    }

    fn keys() -> impl Strategy<Value = PixKey> {
        prop_oneof![
            "[0-9]{9}"
                .prop_filter("repeated", |b| b.bytes().any(|c| c != b.as_bytes()[0]))
                .prop_map(|b| key(&with_cpf_digits(&b))),
            "[0-9A-Z]{12}"
                .prop_filter("repeated", |b| b.bytes().any(|c| c != b.as_bytes()[0]))
                .prop_map(|b| key(&with_cnpj_digits(&b))),
            "\\+55[1-9][0-9]{9,10}".prop_map(|t| key(&t)),
            "[a-z0-9._+-]{1,20}@[a-z0-9]{1,10}\\.[a-z]{2,5}".prop_map(|t| key(&t)),
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".prop_map(|t| key(&t)),
        ]
    }

    fn charges() -> impl Strategy<Value = PixCharge> {
        let fixed = ("[ -~]{1,25}", "[ -~]{1,15}", any::<bool>());
        let stat = (
            keys(),
            proptest::option::of("[ -~]{1,20}"),
            proptest::option::of("[0-9]{8}"),
            proptest::option::of(1u128..1_000_000_000_000),
            proptest::option::of("[A-Za-z0-9]{1,25}"),
        )
            .prop_map(|(k, info, agent, amount, txid)| (PixLocation::Key(k), info, agent, amount, txid));
        let dynamic = "[a-z]{1,10}\\.[a-z]{2,5}/[A-Za-z0-9/]{1,40}"
            .prop_map(|u| (PixLocation::Url(u), None, None, None, None));
        (prop_oneof![stat, dynamic], fixed).prop_map(
            |((location, info, withdrawal_agent, amount, txid), (name, city, single_use))| PixCharge {
                location,
                info,
                withdrawal_agent,
                amount: amount.map(|a| Amount::from_atomic(a, 2)),
                name,
                city,
                txid,
                single_use,
            },
        )
    }

    proptest! {
        #[test]
        fn encode_then_decode_gives_the_same_charge(c in charges()) {
            let payload = c.encode().unwrap();
            prop_assert_eq!(PixCharge::decode(&payload).unwrap(), c);
        }

        #[test]
        fn every_one_digit_change_of_a_cpf_is_caught_unless_its_first_check_digit_is_0(base in "[0-9]{9}") {
            let cpf = with_cpf_digits(&base);
            prop_assume!(cpf_is_valid(&cpf));
            for (i, changed) in one_digit_changes(&cpf) {
                // A change of a check digit itself is always caught.
                if i >= 9 || cpf.as_bytes()[9] != b'0' {
                    prop_assert!(!cpf_is_valid(&changed), "{} -> {}", cpf, changed);
                }
            }
        }

        #[test]
        fn every_one_digit_change_of_a_cnpj_is_caught_unless_its_first_check_digit_is_0(base in "[0-9]{12}") {
            let cnpj = with_cnpj_digits(&base);
            prop_assume!(cnpj_is_valid(&cnpj));
            for (i, changed) in one_digit_changes(&cnpj) {
                if i >= 12 || cnpj.as_bytes()[12] != b'0' {
                    prop_assert!(!cnpj_is_valid(&changed), "{} -> {}", cnpj, changed);
                }
            }
        }

        #[test]
        fn arbitrary_keys_never_panic(s in "\\PC{0,80}") {
            let _ = PixKey::parse(&s);
            let _ = PixCharge::decode(&s);
        }
    }
}
