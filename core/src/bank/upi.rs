//! UPI payment links: `upi://pay?pa=<VPA>&pn=<name>&am=<amount>&cu=INR&tn=<note>&tr=<ref>`, the
//! deep link and QR text every Indian UPI app reads. This module owns the link's parameters, the
//! shape of a VPA, exact rupee amounts and the percent-encoding, with an encoder and a strict
//! parser.
//!
//! Sources: NPCI, *UPI Linking Specifications* v1.6 ("Common URL specifications for deep linking
//! and proximity integration"): the parameters pa, pn, mc, tid, tr, tn, am, mam, cu, url, their
//! order in its samples, and its sample link (quoted in the tests); RFC 3986 (§2.3 unreserved
//! characters, §3.4 query); the open encoder `bhar4t/upiqr` (npm `upiqr`) for a link as
//! `URLSearchParams` writes it.
//!
//! Rules chosen, and why:
//! - VPA (`pa`): `local@handle`, the local part 2 to 256 of `A–Z a–z 0–9 . - _`, the handle 2 to
//!   64 letters, digits and dots, starting and ending with a letter or digit, no "..". NPCI
//!   publishes no grammar; this admits the handles PSPs issue ("okhdfcbank", "ybl") and NPCI's
//!   global addresses (`ACCOUNT@IFSC.ifsc.npci`), and refuses what cannot be an address
//!   (spaces, a second "@", an empty side). It is a shape check: the payer's app resolves it.
//! - `am` and `mam` are rupees with at most two decimals, never zero, `mam` at most `am`; they
//!   are written with two decimals ("10.00"). NPCI's per-transaction limit (₹1 lakh in general,
//!   more for some categories and banks) changes with circulars and merchant category, so no
//!   upper bound is applied here: that is the merchant's to set.
//! - `cu` is always written "INR"; when read it must be "INR" (or absent).
//! - Values are percent-encoded as RFC 3986 says: the unreserved characters stay, every other
//!   UTF-8 byte is written `%XX` (a space is `%20`, a "+" is `%2B`). The VPA is written as is:
//!   its characters are unreserved apart from "@", which a query may carry unescaped, and UPI
//!   apps expect it raw (NPCI's sample writes `pa=nadeem@npci`). The parser takes `%XX` in any
//!   case, the characters a query may carry raw, and "+" as a space (as `URLSearchParams` and
//!   Android's `Uri.getQueryParameter` read it); a raw space or non-ASCII character is refused.
//! - Unknown parameters (NPCI has more: mode, purpose, orgid, sign…) are kept in order in
//!   [`UpiLink::other`]; a repeated parameter or an empty value is refused. `mam=null`, as NPCI's
//!   sample writes it, reads as no minimum.

use crate::money::Amount;
use std::fmt;

/// A Virtual Payment Address that passed [`Vpa::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpa(String);

/// A `upi://pay` link as typed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpiLink {
    /// pa: the payee's address.
    pub payee: Vpa,
    /// pn: the payee's name.
    pub name: String,
    /// mc: the merchant category code (four digits).
    pub merchant_code: Option<String>,
    /// tid: the transaction ID the payee's PSP generated.
    pub transaction_id: Option<String>,
    /// tr: the merchant's transaction reference (order, invoice).
    pub reference: Option<String>,
    /// tn: a note shown to the payer.
    pub note: Option<String>,
    /// am: in rupees, two decimals.
    pub amount: Option<Amount>,
    /// mam: the minimum amount the payer may pay, at most `amount`.
    pub minimum: Option<Amount>,
    /// url: a link to the transaction's details (http or https).
    pub url: Option<String>,
    /// Every other parameter, in order: (key, decoded value).
    pub other: Vec<(String, String)>,
}

/// Why a link or its fields are not a valid UPI payment link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpiError {
    /// The text does not start with `upi://pay` followed by `?` or nothing.
    NotUpi,
    /// A fragment (`#`), which a payment link does not have.
    Fragment,
    /// An empty parameter (`&&`, or `&` at the end).
    EmptyParameter,
    /// A parameter without `=`.
    NoValue { key: String },
    /// A key that is not letters and digits (or a typed key among [`UpiLink::other`]).
    BadKey { key: String },
    /// The same parameter twice.
    Duplicate { key: String },
    /// A parameter with an empty value.
    EmptyValue { key: String },
    /// A value that is not valid percent-encoded UTF-8.
    Escape { key: String },
    /// A mandatory parameter (pa, pn) is absent.
    Missing { key: &'static str },
    /// A VPA of the wrong shape.
    Vpa { vpa: String, reason: &'static str },
    /// An amount that is not exact rupees.
    Amount { key: &'static str, text: String, reason: String },
    /// A currency other than INR.
    Currency { found: String },
    /// Another value of the wrong shape.
    Field { key: String, value: String, reason: &'static str },
}

impl UpiError {
    /// The stable snake_case code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            UpiError::NotUpi => "upi_not_upi",
            UpiError::Fragment => "upi_fragment",
            UpiError::EmptyParameter => "upi_empty_parameter",
            UpiError::NoValue { .. } => "upi_no_value",
            UpiError::BadKey { .. } => "upi_bad_key",
            UpiError::Duplicate { .. } => "upi_duplicate",
            UpiError::EmptyValue { .. } => "upi_empty_value",
            UpiError::Escape { .. } => "upi_bad_escape",
            UpiError::Missing { .. } => "upi_missing",
            UpiError::Vpa { .. } => "upi_invalid_vpa",
            UpiError::Amount { .. } => "upi_invalid_amount",
            UpiError::Currency { .. } => "upi_currency",
            UpiError::Field { .. } => "upi_invalid_field",
        }
    }

    /// The English explanation.
    pub fn message(&self) -> String {
        match self {
            UpiError::NotUpi => "the link does not start with upi://pay?".into(),
            UpiError::Fragment => "a UPI payment link has no fragment (#)".into(),
            UpiError::EmptyParameter => "the UPI link has an empty parameter (&& or a trailing &)".into(),
            UpiError::NoValue { key } => crate::cat!("UPI parameter \"", key, "\" has no '='"),
            UpiError::BadKey { key } => {
                crate::cat!("\"", key, "\" is not a UPI parameter name (letters and digits, not a typed one)")
            }
            UpiError::Duplicate { key } => crate::cat!("UPI parameter ", key, " appears twice"),
            UpiError::EmptyValue { key } => crate::cat!("UPI parameter ", key, " is empty"),
            UpiError::Escape { key } => crate::cat!(
                "UPI parameter ",
                key,
                " is not percent-encoded UTF-8 (a raw space, non-ASCII character or bad %XX)"
            ),
            UpiError::Missing { key } => crate::cat!("mandatory UPI parameter ", key, " is missing"),
            UpiError::Vpa { vpa, reason } => crate::cat!("UPI address \"", vpa, "\" ", reason),
            UpiError::Amount { key, text, reason } => crate::cat!("UPI ", key, " \"", text, "\": ", reason),
            UpiError::Currency { found } => {
                crate::cat!("UPI currency \"", found, "\" is not INR, the only currency UPI pays in")
            }
            UpiError::Field { key, value, reason } => crate::cat!("UPI ", key, " \"", value, "\" ", reason),
        }
    }
}

impl fmt::Display for UpiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for UpiError {}

/// The parameters with a typed field, in the order NPCI's samples write them.
const TYPED: [&str; 10] = ["pa", "pn", "mc", "tid", "tr", "tn", "am", "mam", "cu", "url"];

impl Vpa {
    /// Checks the shape `local@handle` (see the module's rules).
    pub fn parse(text: &str) -> Result<Vpa, UpiError> {
        let refuse = |reason| Err(UpiError::Vpa { vpa: text.to_owned(), reason });
        let Some((local, handle)) = text.split_once('@') else {
            return refuse("has no '@': a UPI address is name@handle");
        };
        if handle.contains('@') {
            return refuse("has more than one '@'");
        }
        let local_ok = (2..=256).contains(&local.len())
            && local.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !local_ok {
            return refuse("has a name part that is not 2 to 256 letters, digits, '.', '-' or '_'");
        }
        let h = handle.as_bytes();
        let handle_ok = (2..=64).contains(&h.len())
            && h.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'.')
            && h[0].is_ascii_alphanumeric()
            && h[h.len() - 1].is_ascii_alphanumeric()
            && !handle.contains("..");
        if !handle_ok {
            return refuse("has a handle that is not 2 to 64 letters, digits and single dots");
        }
        Ok(Vpa(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn amount(key: &'static str, text: &str) -> Result<Amount, UpiError> {
    let refuse = |reason: String| UpiError::Amount { key, text: text.to_owned(), reason };
    let a = Amount::parse(text, 2).map_err(|e| refuse(e.message()))?;
    if a.is_zero() {
        return Err(refuse("is zero; an amount to pay never is".into()));
    }
    Ok(a)
}

fn field(key: &str, value: &str, reason: &'static str) -> UpiError {
    UpiError::Field { key: key.to_owned(), value: value.to_owned(), reason }
}

/// A free-text value: not empty, no control character.
fn check_text(key: &str, value: &str) -> Result<(), UpiError> {
    if value.is_empty() {
        return Err(UpiError::EmptyValue { key: key.to_owned() });
    }
    if value.chars().any(char::is_control) {
        return Err(field(key, value, "contains a control character"));
    }
    Ok(())
}

fn check_merchant_code(mc: &str) -> Result<(), UpiError> {
    if mc.len() != 4 || !mc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field("mc", mc, "is not a four-digit merchant category code"));
    }
    Ok(())
}

fn check_url(url: &str) -> Result<(), UpiError> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    if !rest.is_some_and(|r| !r.is_empty() && !r.chars().any(|c| c.is_whitespace() || c.is_control())) {
        return Err(field("url", url, "is not an http or https link"));
    }
    Ok(())
}

fn check_amounts(amount: Option<Amount>, minimum: Option<Amount>) -> Result<(), UpiError> {
    if let (Some(am), Some(mam)) = (amount, minimum) {
        if mam > am {
            return Err(UpiError::Amount {
                key: "mam",
                text: mam.to_decimal(),
                reason: crate::cat!("is more than the amount, ", am.to_decimal()),
            });
        }
    }
    Ok(())
}

/// Whether RFC 3986 keeps `b` unescaped everywhere (§2.3).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` percent-encoded: unreserved bytes as they are, the others as `%XX`.
fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// Decodes a query value: `%XX`, "+" as a space, and the characters RFC 3986 lets a query carry
/// raw (except "&", "#" and "+"); the bytes must be UTF-8.
fn decode_value(key: &str, raw: &str) -> Result<String, UpiError> {
    let bad = || UpiError::Escape { key: key.to_owned() };
    let hex = |b: u8| char::from(b).to_digit(16);
    let b = raw.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(&h), Some(&l)) = (b.get(i + 1), b.get(i + 2)) else {
                    return Err(bad());
                };
                let (Some(h), Some(l)) = (hex(h), hex(l)) else {
                    return Err(bad());
                };
                bytes.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            b'+' => bytes.push(b' '),
            c if unreserved(c) || b"!$'()*,;=:@/?".contains(&c) => bytes.push(c),
            _ => return Err(bad()),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| bad())
}

impl UpiLink {
    /// A link paying `payee`, named `name`, with no other parameter.
    pub fn new(payee: Vpa, name: &str) -> UpiLink {
        UpiLink {
            payee,
            name: name.to_owned(),
            merchant_code: None,
            transaction_id: None,
            reference: None,
            note: None,
            amount: None,
            minimum: None,
            url: None,
            other: Vec::new(),
        }
    }

    fn check(&self) -> Result<(), UpiError> {
        check_text("pn", &self.name)?;
        if let Some(mc) = &self.merchant_code {
            check_merchant_code(mc)?;
        }
        for (key, value) in [("tid", &self.transaction_id), ("tr", &self.reference), ("tn", &self.note)] {
            if let Some(v) = value {
                check_text(key, v)?;
            }
        }
        for (key, a) in [("am", self.amount), ("mam", self.minimum)] {
            if let Some(a) = a {
                if a.decimals() != 2 {
                    return Err(UpiError::Amount {
                        key,
                        text: a.to_decimal(),
                        reason: "is not in rupees with two decimals".into(),
                    });
                }
                amount(key, &a.to_decimal())?;
            }
        }
        check_amounts(self.amount, self.minimum)?;
        if let Some(url) = &self.url {
            check_url(url)?;
        }
        for (k, (key, value)) in self.other.iter().enumerate() {
            if key.is_empty()
                || !key.bytes().all(|b| b.is_ascii_alphanumeric())
                || TYPED.contains(&key.as_str())
            {
                return Err(UpiError::BadKey { key: key.clone() });
            }
            if self.other[..k].iter().any(|(p, _)| p == key) {
                return Err(UpiError::Duplicate { key: key.clone() });
            }
            check_text(key, value)?;
        }
        Ok(())
    }

    /// The link, parameters in NPCI's order (pa, pn, mc, tid, tr, tn, am, mam, cu, url), then
    /// [`UpiLink::other`]; `cu=INR` always.
    pub fn to_uri(&self) -> Result<String, UpiError> {
        self.check()?;
        let mut out = String::from("upi://pay?pa=");
        out.push_str(self.payee.as_str());
        let mut push = |key: &str, value: &str| {
            out.push('&');
            out.push_str(key);
            out.push('=');
            push_encoded(&mut out, value);
        };
        push("pn", &self.name);
        let amounts = [self.amount, self.minimum].map(|a| a.map(super::emv::format_amount));
        let texts = [
            ("mc", self.merchant_code.as_deref()),
            ("tid", self.transaction_id.as_deref()),
            ("tr", self.reference.as_deref()),
            ("tn", self.note.as_deref()),
            ("am", amounts[0].as_deref()),
            ("mam", amounts[1].as_deref()),
            ("cu", Some("INR")),
            ("url", self.url.as_deref()),
        ];
        for (key, value) in texts {
            if let Some(v) = value {
                push(key, v);
            }
        }
        for (key, value) in &self.other {
            push(key, value);
        }
        Ok(out)
    }

    /// Parses a link strictly (see the module's rules).
    pub fn parse(uri: &str) -> Result<UpiLink, UpiError> {
        const SCHEME: &str = "upi://pay";
        let rest = match uri.get(..SCHEME.len()) {
            Some(head) if head.eq_ignore_ascii_case(SCHEME) => &uri[SCHEME.len()..],
            _ => return Err(UpiError::NotUpi),
        };
        if rest.contains('#') {
            return Err(UpiError::Fragment);
        }
        let query = match rest.strip_prefix('?') {
            Some(q) => q,
            None if rest.is_empty() => "",
            None => return Err(UpiError::NotUpi),
        };
        let mut params: Vec<(&str, String)> = Vec::new();
        if !query.is_empty() {
            for part in query.split('&') {
                if part.is_empty() {
                    return Err(UpiError::EmptyParameter);
                }
                let (key, raw) =
                    part.split_once('=').ok_or_else(|| UpiError::NoValue { key: part.to_owned() })?;
                if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(UpiError::BadKey { key: key.to_owned() });
                }
                if params.iter().any(|(k, _)| *k == key) {
                    return Err(UpiError::Duplicate { key: key.to_owned() });
                }
                let value = decode_value(key, raw)?;
                check_text(key, &value)?;
                params.push((key, value));
            }
        }
        let mut payee = None;
        let mut link = UpiLink::new(Vpa(String::new()), "");
        let mut name = None;
        for (key, value) in params {
            match key {
                "pa" => payee = Some(Vpa::parse(&value)?),
                "pn" => name = Some(value),
                "mc" => {
                    check_merchant_code(&value)?;
                    link.merchant_code = Some(value);
                }
                "tid" => link.transaction_id = Some(value),
                "tr" => link.reference = Some(value),
                "tn" => link.note = Some(value),
                "am" => link.amount = Some(amount("am", &value)?),
                "mam" if value == "null" => {}
                "mam" => link.minimum = Some(amount("mam", &value)?),
                "cu" if value == "INR" => {}
                "cu" => return Err(UpiError::Currency { found: value }),
                "url" => {
                    check_url(&value)?;
                    link.url = Some(value);
                }
                _ => link.other.push((key.to_owned(), value)),
            }
        }
        link.payee = payee.ok_or(UpiError::Missing { key: "pa" })?;
        link.name = name.ok_or(UpiError::Missing { key: "pn" })?;
        check_amounts(link.amount, link.minimum)?;
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// NPCI, UPI Linking Specifications v1.6, §2 "Implementation Samples" (hyperlink and QR
    /// code): the specification's sample link, on one line.
    const NPCI: &str = "upi://pay?pa=nadeem@npci&pn=nadeem%20chinna&mc=0000&tid=cxnkjcnkjdfdvjndkjfvn&tr=4894398cndhcd23&tn=Pay%20to%20mystar%20store&am=10&mam=null&cu=INR&url=https://mystar.com/orderid=9298yw89e8973e87389e78923ue892";

    /// `bhar4t/upiqr`, src/__tests__/index.test.ts: the intent its first test expects.
    const UPIQR: &str = "upi://pay?pa=bhar4t%40upi&pn=Bharat+Sahu";

    fn vpa(t: &str) -> Vpa {
        Vpa::parse(t).unwrap()
    }

    fn rupees(t: &str) -> Amount {
        Amount::parse(t, 2).unwrap()
    }

    #[test]
    fn the_npci_sample() {
        let link = UpiLink::parse(NPCI).unwrap();
        let want = UpiLink {
            merchant_code: Some("0000".into()),
            transaction_id: Some("cxnkjcnkjdfdvjndkjfvn".into()),
            reference: Some("4894398cndhcd23".into()),
            note: Some("Pay to mystar store".into()),
            amount: Some(rupees("10")),
            url: Some("https://mystar.com/orderid=9298yw89e8973e87389e78923ue892".into()),
            ..UpiLink::new(vpa("nadeem@npci"), "nadeem chinna")
        };
        assert_eq!(link, want);
        // Our encoder writes the same parameters in the same order; it differs where the sample
        // writes "am=10" (we write two decimals), "mam=null" (we write no minimum) and the
        // url's reserved characters raw (we escape them).
        let ours = link.to_uri().unwrap();
        assert_eq!(
            ours,
            "upi://pay?pa=nadeem@npci&pn=nadeem%20chinna&mc=0000&tid=cxnkjcnkjdfdvjndkjfvn&tr=4894398cndhcd23\
             &tn=Pay%20to%20mystar%20store&am=10.00&cu=INR&url=https%3A%2F%2Fmystar.com%2Forderid%3D9298yw89e8973e87389e78923ue892"
        );
        assert!(NPCI.starts_with(&ours[..ours.find("&am=").unwrap()]));
        assert_eq!(UpiLink::parse(&ours).unwrap(), want);
    }

    #[test]
    fn an_open_encoders_links() {
        // URLSearchParams writes "@" as %40 and a space as "+": both read as meant.
        let link = UpiLink::parse(UPIQR).unwrap();
        assert_eq!(link, UpiLink::new(vpa("bhar4t@upi"), "Bharat Sahu"));
        assert_eq!(link.to_uri().unwrap(), "upi://pay?pa=bhar4t@upi&pn=Bharat%20Sahu&cu=INR");
        // The link upiqr's buildUPIIntent makes for the parameters of its second test (the test
        // checks only fragments of it; the order is that function's).
        let full = "upi://pay?pa=merchant%40okhdfcbank&pn=Merchant+Store&am=499.00&mam=100.00&cu=INR&mc=1234&tid=txn123&tr=ref456&tn=Order+42";
        let link = UpiLink::parse(full).unwrap();
        assert_eq!(
            link,
            UpiLink {
                merchant_code: Some("1234".into()),
                transaction_id: Some("txn123".into()),
                reference: Some("ref456".into()),
                note: Some("Order 42".into()),
                amount: Some(rupees("499")),
                minimum: Some(rupees("100")),
                ..UpiLink::new(vpa("merchant@okhdfcbank"), "Merchant Store")
            }
        );
        assert_eq!(
            link.to_uri().unwrap(),
            "upi://pay?pa=merchant@okhdfcbank&pn=Merchant%20Store&mc=1234&tid=txn123&tr=ref456&tn=Order%2042&am=499.00&mam=100.00&cu=INR"
        );
        // upiqr refuses "a@b" as too short; so does the VPA shape here.
        assert_eq!(Vpa::parse("a@b").unwrap_err().code(), "upi_invalid_vpa");
    }

    #[test]
    fn vpa_shapes() {
        for good in [
            "nadeem@npci",
            "9876543210@ybl",
            "merchant.name-1_x@okhdfcbank",
            "BHARATPE.90070065432@fbpe",
            "1234567890123@SBIN0000001.ifsc.npci",
            "ab@cd",
        ] {
            assert_eq!(vpa(good).as_str(), good);
        }
        let long_local = format!("{}@upi", "a".repeat(257));
        let long_handle = format!("ab@{}", "a".repeat(65));
        for bad in [
            "nadeem",
            "a@upi",
            "ab@c",
            "ab@@upi",
            "ab@upi@x",
            "a b@upi",
            "ab@.upi",
            "ab@upi.",
            "ab@up..i",
            "ab@up-i",
            "ab+c@upi",
            "@upi",
            "ab@",
            long_local.as_str(),
            long_handle.as_str(),
        ] {
            assert_eq!(Vpa::parse(bad).unwrap_err().code(), "upi_invalid_vpa", "{bad}");
        }
        assert!(Vpa::parse(&format!("{}@upi", "a".repeat(256))).is_ok());
    }

    #[test]
    fn the_parser_refuses() {
        let cases = [
            ("", "upi_not_upi"),
            ("https://pay?pa=ab@upi&pn=X", "upi_not_upi"),
            ("upi://payx?pa=ab@upi&pn=X", "upi_not_upi"),
            ("upi://mandate?pa=ab@upi&pn=X", "upi_not_upi"),
            ("upi://pay", "upi_missing"),
            ("upi://pay?pn=X", "upi_missing"),
            ("upi://pay?pa=ab@upi", "upi_missing"),
            ("upi://pay?pa=ab@upi&pn=X#frag", "upi_fragment"),
            ("upi://pay?pa=ab@upi&&pn=X", "upi_empty_parameter"),
            ("upi://pay?pa=ab@upi&pn=X&", "upi_empty_parameter"),
            ("upi://pay?pa=ab@upi&pn", "upi_no_value"),
            ("upi://pay?pa=ab@upi&pn=X&p-n=Y", "upi_bad_key"),
            ("upi://pay?pa=ab@upi&pn=X&=Y", "upi_bad_key"),
            ("upi://pay?pa=ab@upi&pn=X&pn=Y", "upi_duplicate"),
            ("upi://pay?pa=ab@upi&pn=", "upi_empty_value"),
            ("upi://pay?pa=ab@upi&pn=A B", "upi_bad_escape"),
            ("upi://pay?pa=ab@upi&pn=Ä", "upi_bad_escape"),
            ("upi://pay?pa=ab@upi&pn=%4", "upi_bad_escape"),
            ("upi://pay?pa=ab@upi&pn=%G1", "upi_bad_escape"),
            ("upi://pay?pa=ab@upi&pn=%C3", "upi_bad_escape"),
            ("upi://pay?pa=ab@upi&pn=%0A", "upi_invalid_field"),
            ("upi://pay?pa=ab%20c@upi&pn=X", "upi_invalid_vpa"),
            ("upi://pay?pa=ab@upi&pn=X&am=0", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=0.00", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=1.001", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=-1", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=1e3", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=1,000", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&am=10&mam=20", "upi_invalid_amount"),
            ("upi://pay?pa=ab@upi&pn=X&cu=USD", "upi_currency"),
            ("upi://pay?pa=ab@upi&pn=X&cu=inr", "upi_currency"),
            ("upi://pay?pa=ab@upi&pn=X&mc=12345", "upi_invalid_field"),
            ("upi://pay?pa=ab@upi&pn=X&url=ftp://x", "upi_invalid_field"),
        ];
        for (uri, code) in cases {
            assert_eq!(UpiLink::parse(uri).unwrap_err().code(), code, "{uri}");
        }
        // Accepted: the scheme in any case, "%xx" in lower case, a query-legal raw character.
        let link =
            UpiLink::parse("UPI://PAY?pa=ab@upi&pn=A%2bB+%c3%a9&tn=a/b?c:d@e!f$g'(h)*i,j;k=l").unwrap();
        assert_eq!(link.name, "A+B é");
        assert_eq!(link.note.as_deref(), Some("a/b?c:d@e!f$g'(h)*i,j;k=l"));
        assert_eq!(
            UpiLink::parse("upi://pay?pa=ab@upi&pn=X&am=10&mam=10").unwrap().minimum,
            Some(rupees("10"))
        );
        let other = UpiLink::parse("upi://pay?pa=ab@upi&pn=X&mode=02&purpose=00").unwrap();
        assert_eq!(
            other.other,
            [("mode".to_owned(), "02".to_owned()), ("purpose".to_owned(), "00".to_owned())]
        );
        assert_eq!(other.to_uri().unwrap(), "upi://pay?pa=ab@upi&pn=X&cu=INR&mode=02&purpose=00");
    }

    #[test]
    fn the_encoder_refuses() {
        let base = UpiLink::new(vpa("ab@upi"), "Shop");
        assert_eq!(base.to_uri().unwrap(), "upi://pay?pa=ab@upi&pn=Shop&cu=INR");
        let code = |l: UpiLink| l.to_uri().unwrap_err().code();
        assert_eq!(code(UpiLink { name: String::new(), ..base.clone() }), "upi_empty_value");
        assert_eq!(code(UpiLink { note: Some("a\u{7}".into()), ..base.clone() }), "upi_invalid_field");
        assert_eq!(
            code(UpiLink { amount: Some(Amount::parse("1", 8).unwrap()), ..base.clone() }),
            "upi_invalid_amount"
        );
        assert_eq!(code(UpiLink { amount: Some(Amount::zero(2)), ..base.clone() }), "upi_invalid_amount");
        assert_eq!(
            code(UpiLink { amount: Some(rupees("5")), minimum: Some(rupees("6")), ..base.clone() }),
            "upi_invalid_amount"
        );
        assert_eq!(code(UpiLink { merchant_code: Some("12a4".into()), ..base.clone() }), "upi_invalid_field");
        assert_eq!(code(UpiLink { url: Some("mystar.com".into()), ..base.clone() }), "upi_invalid_field");
        assert_eq!(code(UpiLink { other: vec![("am".into(), "1".into())], ..base.clone() }), "upi_bad_key");
        assert_eq!(code(UpiLink { other: vec![("a b".into(), "1".into())], ..base.clone() }), "upi_bad_key");
        assert_eq!(
            code(UpiLink { other: vec![("x".into(), "1".into()), ("x".into(), "2".into())], ..base.clone() }),
            "upi_duplicate"
        );
        // No upper bound: the merchant sets it.
        assert!(UpiLink { amount: Some(rupees("10000000.00")), ..base }.to_uri().is_ok());
    }

    #[test]
    fn percent_encoding_keeps_only_the_unreserved() {
        let all: String = (' '..='~').chain("é₹😀".chars()).collect();
        let mut out = String::new();
        push_encoded(&mut out, &all);
        let kept: String = out
            .split('%')
            .enumerate()
            .flat_map(|(i, s)| s.chars().skip(if i == 0 { 0 } else { 2 }))
            .collect();
        assert!(kept.bytes().all(unreserved), "{kept}");
        assert!(
            out.contains("%20") && out.contains("%2B") && out.contains("%E2%82%B9") && !out.contains('+')
        );
        assert_eq!(decode_value("tn", &out).unwrap(), all);
    }

    #[test]
    fn every_error_has_a_code_and_says_it() {
        let errors = [
            UpiError::NotUpi,
            UpiError::Fragment,
            UpiError::EmptyParameter,
            UpiError::NoValue { key: "pn".into() },
            UpiError::BadKey { key: "a-b".into() },
            UpiError::Duplicate { key: "pn".into() },
            UpiError::EmptyValue { key: "pn".into() },
            UpiError::Escape { key: "pn".into() },
            UpiError::Missing { key: "pa" },
            UpiError::Vpa { vpa: "x".into(), reason: "is bad" },
            UpiError::Amount { key: "am", text: "0".into(), reason: "is zero".into() },
            UpiError::Currency { found: "USD".into() },
            UpiError::Field { key: "mc".into(), value: "1".into(), reason: "is bad" },
        ];
        let mut codes: Vec<&str> = errors.iter().map(UpiError::code).collect();
        for (e, code) in errors.iter().zip(&codes) {
            assert!(code.starts_with("upi_") && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(e.to_string(), e.message());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        assert_eq!(errors[10].message(), "UPI am \"0\": is zero");
        assert_eq!(errors[9].message(), "UPI address \"x\" is bad");
    }

    fn links() -> impl Strategy<Value = UpiLink> {
        let local = "[A-Za-z0-9._-]{2,30}";
        let handle = "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,2}[a-z0-9]";
        let text = "\\PC{1,30}";
        (
            (local, handle),
            text,
            proptest::option::of("[0-9]{4}"),
            proptest::option::of(text),
            proptest::option::of(text),
            proptest::option::of(text),
            proptest::option::of((1u128..10_000_000_000, 0u128..=100)),
            proptest::option::of("https?://[a-z]{1,10}\\.[a-z]{2,4}/[!-~]{0,20}"),
            proptest::collection::btree_map("x[a-z0-9]{0,5}", text, 0..3),
        )
            .prop_map(|((l, h), name, mc, tid, tr, tn, amounts, url, other)| UpiLink {
                payee: Vpa::parse(&format!("{l}@{h}")).unwrap(),
                name,
                merchant_code: mc,
                transaction_id: tid,
                reference: tr,
                note: tn,
                amount: amounts.map(|(a, _)| Amount::from_atomic(a, 2)),
                minimum: amounts.and_then(|(a, pct)| {
                    let m = a * pct / 100;
                    (m > 0).then(|| Amount::from_atomic(m, 2))
                }),
                url,
                other: other.into_iter().collect(),
            })
    }

    proptest! {
        #[test]
        fn to_uri_then_parse_gives_the_same_link(link in links()) {
            let uri = link.to_uri().unwrap();
            prop_assert!(uri.is_ascii());
            prop_assert_eq!(UpiLink::parse(&uri).unwrap(), link);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,80}", tail in "[ -~]{0,60}") {
            let _ = UpiLink::parse(&s);
            let _ = UpiLink::parse(&format!("upi://pay?{tail}"));
            let _ = Vpa::parse(&s);
        }
    }
}
