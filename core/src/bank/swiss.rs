//! The Swiss QR Code of a QR-bill: the payload of SIX's "Swiss Implementation Guidelines for the
//! QR-bill" (v2.3, in force from 21 November 2025; v2.2 before), written from checked fields and
//! read back.
//!
//! The payload is 31 to 34 lines: the header (QR type `SPC`, version `0200`, coding type `1`);
//! the account, an IBAN or QR-IBAN of Switzerland or Liechtenstein; the creditor's address; the
//! ultimate creditor (7 lines the guidelines reserve, always empty); the amount (nothing, or
//! 0.01 to 999999999.99 with exactly two decimals: `1949.75`); the currency, `CHF` or `EUR`; the
//! ultimate debtor's address or 7 empty lines; the reference type and the reference; the
//! unstructured message; the trailer `EPD`; then, if any, the billing information (the message
//! and it hold 140 characters together) and up to two alternative procedures (100 characters
//! each). Lines are separated by LF here: the guidelines accept CR LF or LF, and LF is also the
//! EPC code's separator. Nothing follows the last element that is not empty (the guidelines let
//! a final separator be kept or left out); reading accepts CR LF, LF and a final separator.
//!
//! An address is structured (type `S`): name (1–70 characters), street (up to 70), building
//! number (up to 16), postcode (1–16), town (1–35), a two-letter country code (its shape, not
//! the ISO 3166 list). Combined addresses (type `K`, two free lines) are not allowed since v2.3
//! and are refused, written or read. A QR-IBAN (institution identifier, positions 5 to 9, from
//! 30000 to 31999) takes a QR reference (QRR) and nothing else; any other IBAN takes a creditor
//! reference (SCOR) or none (NON), never QRR. Text is limited to the guidelines' (v2.3) Latin
//! characters: Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €.
//!
//! The code is printed 46 × 46 mm at error-correction level M, with a 7 × 7 mm Swiss cross in
//! its centre ([`ERROR_CORRECTION`], [`CODE_MM`], [`CROSS_MM`]; the cross is a rendering
//! matter for later).
//!
//! Vectors: the test data of the open library manuelbl/SwissQRBill (SampleQrCodeText.java of
//! its generator tests): text 2, after the guidelines' example bill (Robert Schneider AG, QR-IBAN,
//! QR reference, billing information, two alternative procedures); texts 1 and 3, an IBAN with
//! NON; text 4, a combined (K) debtor, now refused. And the minimal bill of the Python library
//! qrbill (claudep/swiss-qr-bill, tests/test_qrbill.py, `test_minimal_data`, CR LF).

use super::iban::{check_amount, check_text, expect, payload_lines, BankError, Field, Iban};
use super::reference::{CreditorReference, QrReference};
use crate::money::Amount;
use crate::text;

/// The QR error-correction level the guidelines require: M.
pub const ERROR_CORRECTION: char = 'M';

/// The side of the printed code, in millimetres (without the quiet zone), whatever its version.
pub const CODE_MM: u32 = 46;

/// The side of the Swiss cross printed in the code's centre, in millimetres.
pub const CROSS_MM: u32 = 7;

/// A structured (`S`) address. Optional parts are empty when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// 1 to 70 characters.
    pub name: String,
    /// Up to 70 characters.
    pub street: String,
    /// Up to 16 characters.
    pub building: String,
    /// 1 to 16 characters.
    pub postcode: String,
    /// 1 to 35 characters.
    pub town: String,
    /// Two letters A–Z (ISO 3166-1 alpha-2).
    pub country: String,
}

/// The currency of a QR-bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    Chf,
    Eur,
}

impl Currency {
    pub const fn as_str(self) -> &'static str {
        match self {
            Currency::Chf => "CHF",
            Currency::Eur => "EUR",
        }
    }
}

/// The reference: a QR reference (with a QR-IBAN only), a creditor reference, or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Qrr(QrReference),
    Scor(CreditorReference),
    Non,
}

/// The fields of a Swiss QR Code. Free-text fields are empty when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// A Swiss or Liechtenstein IBAN or QR-IBAN.
    pub account: Iban,
    pub creditor: Address,
    /// Two decimals (`Amount::parse(text, 2)`), 0.01 to 999999999.99; none lets the payer fill it.
    pub amount: Option<Amount>,
    pub currency: Currency,
    /// The ultimate debtor; none lets the payer fill it.
    pub debtor: Option<Address>,
    pub reference: Reference,
    /// The unstructured message.
    pub message: String,
    /// The billing information (for instance Swico's `//S1/…`).
    pub billing: String,
    /// At most two, each 1 to 100 characters.
    pub alternatives: Vec<String>,
}

/// Whether `iban` is a QR-IBAN: Swiss or Liechtenstein, institution identifier 30000–31999.
pub fn is_qr_iban(iban: &Iban) -> bool {
    let iid = iban.as_str().get(4..9).unwrap_or_default();
    matches!(iban.country(), "CH" | "LI")
        && iid.bytes().all(|b| b.is_ascii_digit())
        && ("30000"..="31999").contains(&iid)
}

/// The characters of the guidelines (v2.3): Basic Latin, Latin-1 Supplement, Latin Extended-A,
/// Ș ș Ț ț and €.
fn latin(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{17f}' | '\u{218}'..='\u{21b}' | '€')
}

/// The fields of one party's address lines: type, name, street, building, postcode, town,
/// country.
type Party = [Field; 7];

const CREDITOR: Party = [
    Field::CreditorAddressType,
    Field::CreditorName,
    Field::CreditorStreet,
    Field::CreditorBuilding,
    Field::CreditorPostcode,
    Field::CreditorTown,
    Field::CreditorCountry,
];

const DEBTOR: Party = [
    Field::DebtorAddressType,
    Field::DebtorName,
    Field::DebtorStreet,
    Field::DebtorBuilding,
    Field::DebtorPostcode,
    Field::DebtorTown,
    Field::DebtorCountry,
];

impl Address {
    fn check(&self, party: &Party) -> Result<(), BankError> {
        let [_, name, street, building, postcode, town, country] = *party;
        check_text(name, &self.name, 70, true, latin)?;
        check_text(street, &self.street, 70, false, latin)?;
        check_text(building, &self.building, 16, false, latin)?;
        check_text(postcode, &self.postcode, 16, true, latin)?;
        check_text(town, &self.town, 35, true, latin)?;
        let c = self.country.as_bytes();
        if c.len() != 2 || !c.iter().all(u8::is_ascii_uppercase) {
            let found = self.country.clone();
            return Err(BankError::Unexpected {
                field: country,
                found,
                expected: "a two-letter country code",
            });
        }
        Ok(())
    }

    /// The address's seven lines, or seven empty ones.
    fn lines(address: Option<&Address>) -> [&str; 7] {
        match address {
            Some(a) => ["S", &a.name, &a.street, &a.building, &a.postcode, &a.town, &a.country],
            None => [""; 7],
        }
    }

    /// Seven lines back into an address; `None` if all are empty.
    fn read(lines: Option<&[&str]>, party: &Party) -> Result<Option<Address>, BankError> {
        let Some(&[kind, name, street, building, postcode, town, country]) = lines else {
            return Ok(None);
        };
        let field = party[0];
        match kind {
            "S" => Ok(Some(Address {
                name: name.into(),
                street: street.into(),
                building: building.into(),
                postcode: postcode.into(),
                town: town.into(),
                country: country.into(),
            })),
            "K" => Err(BankError::SwissCombinedAddress { field }),
            "" if [name, street, building, postcode, town, country].iter().all(|l| l.is_empty()) => Ok(None),
            found => Err(BankError::Unexpected { field, found: found.into(), expected: "S (structured)" }),
        }
    }
}

/// An amount with exactly two decimals: `0.50`, `1949.75`.
fn amount_text(amount: &Amount) -> String {
    let cents = amount.atomic();
    crate::cat!(text::decimal(cents / 100), '.', text::padded(cents % 100, 2))
}

impl Bill {
    /// Checks every field against the guidelines, and the QR-IBAN ⇔ QRR rule.
    pub fn check(&self) -> Result<(), BankError> {
        if !matches!(self.account.country(), "CH" | "LI") {
            return Err(BankError::SwissAccountCountry { iban: self.account.as_str().into() });
        }
        self.creditor.check(&CREDITOR)?;
        if let Some(debtor) = &self.debtor {
            debtor.check(&DEBTOR)?;
        }
        if let Some(amount) = &self.amount {
            check_amount(Field::SwissAmount, amount)?;
        }
        match (is_qr_iban(&self.account), &self.reference) {
            (true, Reference::Qrr(_)) | (false, Reference::Scor(_) | Reference::Non) => {}
            (true, _) => return Err(BankError::SwissQrIbanNeedsQrr),
            (false, Reference::Qrr(_)) => return Err(BankError::SwissQrrNeedsQrIban),
        }
        check_text(Field::SwissMessage, &self.message, 140, false, latin)?;
        check_text(Field::SwissBilling, &self.billing, 140, false, latin)?;
        let together = self.message.chars().count() + self.billing.chars().count();
        if together > 140 {
            return Err(BankError::SwissAdditionalInformation { found: together });
        }
        if self.alternatives.len() > 2 {
            return Err(BankError::SwissAlternatives { found: self.alternatives.len() });
        }
        for alternative in &self.alternatives {
            check_text(Field::SwissAlternative, alternative, 100, true, latin)?;
        }
        Ok(())
    }

    /// The payload: the checked fields, one a line, joined by LF, up to the trailer `EPD` and
    /// then to the last line that is not empty.
    pub fn encode(&self) -> Result<String, BankError> {
        self.check()?;
        let amount = self.amount.as_ref().map(amount_text).unwrap_or_default();
        let (kind, reference) = match &self.reference {
            Reference::Qrr(r) => ("QRR", r.as_str()),
            Reference::Scor(r) => ("SCOR", r.as_str()),
            Reference::Non => ("NON", ""),
        };
        let mut lines = vec!["SPC", "0200", "1", self.account.as_str()];
        lines.extend(Address::lines(Some(&self.creditor)));
        lines.extend([""; 7]);
        lines.extend([amount.as_str(), self.currency.as_str()]);
        lines.extend(Address::lines(self.debtor.as_ref()));
        lines.extend([kind, reference, self.message.as_str(), "EPD", self.billing.as_str()]);
        lines.extend(self.alternatives.iter().map(String::as_str));
        while lines.len() > 31 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        Ok(lines.join("\n"))
    }

    /// Reads a payload back (LF or CR LF; a separator after the last line is allowed) and checks
    /// it as [`encode`](Bill::encode) does.
    pub fn decode(payload: &str) -> Result<Bill, BankError> {
        let lines = payload_lines(payload);
        if !(31..=34).contains(&lines.len()) {
            return Err(BankError::Lines { scheme: "Swiss QR", found: lines.len(), expected: "31 to 34" });
        }
        let line = |i: usize| lines.get(i).copied().unwrap_or_default();
        expect(Field::SwissHeader, line(0), "SPC")?;
        expect(Field::SwissVersion, line(1), "0200")?;
        expect(Field::SwissCoding, line(2), "1")?;
        let account = Iban::parse(line(3))?;
        let creditor = Address::read(lines.get(4..11), &CREDITOR)?
            .ok_or(BankError::Missing { field: Field::CreditorAddressType })?;
        if lines.get(11..18).unwrap_or_default().iter().any(|l| !l.is_empty()) {
            return Err(BankError::SwissUltimateCreditor);
        }
        let amount = match line(18) {
            "" => None,
            text => Some(read_amount(text)?),
        };
        let currency = match line(19) {
            "CHF" => Currency::Chf,
            "EUR" => Currency::Eur,
            found => {
                let found = found.into();
                return Err(BankError::Unexpected {
                    field: Field::SwissCurrency,
                    found,
                    expected: "CHF or EUR",
                });
            }
        };
        let debtor = Address::read(lines.get(20..27), &DEBTOR)?;
        let reference = match (line(27), line(28)) {
            ("QRR", r) => Reference::Qrr(QrReference::parse(r)?),
            ("SCOR", r) => Reference::Scor(CreditorReference::parse(r)?),
            ("NON", "") => Reference::Non,
            ("NON", found) => {
                let (field, found) = (Field::SwissReference, found.into());
                return Err(BankError::Unexpected {
                    field,
                    found,
                    expected: "nothing, for reference type NON",
                });
            }
            (found, _) => {
                let (field, found) = (Field::SwissReferenceType, found.into());
                return Err(BankError::Unexpected { field, found, expected: "QRR, SCOR or NON" });
            }
        };
        expect(Field::SwissTrailer, line(30), "EPD")?;
        let bill = Bill {
            account,
            creditor,
            amount,
            currency,
            debtor,
            reference,
            message: line(29).into(),
            billing: line(31).into(),
            alternatives: lines.get(32..).unwrap_or_default().iter().map(|&l| String::from(l)).collect(),
        };
        bill.check()?;
        Ok(bill)
    }
}

/// An amount as the guidelines write it: digits without leading zeros, a point, two decimals.
fn read_amount(text: &str) -> Result<Amount, BankError> {
    let field = Field::SwissAmount;
    match Amount::parse(text, 2) {
        Ok(amount) if amount_text(&amount) == text => check_amount(field, &amount).map(|_| amount),
        _ => Err(BankError::Amount { field, text: text.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::iban::{check_digits, read_back};
    use proptest::prelude::*;

    /// Lines joined by LF.
    fn joined(lines: &[&str]) -> String {
        lines.join("\n")
    }

    const EMPTY7: [&str; 7] = [""; 7];

    fn address(name: &str, street: &str, building: &str, postcode: &str, town: &str) -> Address {
        Address {
            name: name.into(),
            street: street.into(),
            building: building.into(),
            postcode: postcode.into(),
            town: town.into(),
            country: "CH".into(),
        }
    }

    fn schneider() -> Address {
        address("Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel")
    }

    /// manuelbl/SwissQRBill, SampleQrCodeText.java, text 2: after the guidelines' example bill.
    fn text_2() -> (Bill, String) {
        let bill = Bill {
            account: Iban::parse("CH4431999123000889012").unwrap(),
            creditor: schneider(),
            amount: Some(Amount::parse("1949.75", 2).unwrap()),
            currency: Currency::Chf,
            debtor: Some(address(
                "Pia-Maria Rutschmann-Schnyder",
                "Grosse Marktgasse",
                "28",
                "9400",
                "Rorschach",
            )),
            reference: Reference::Qrr(QrReference::parse("210000000003139471430009017").unwrap()),
            message: "Order dated 18.06.2020".into(),
            billing: "//S1/01/20170309/11/10201409/20/14000000/22/36958/30/CH106017086/40/1020/41/3010"
                .into(),
            alternatives: vec!["UV;UltraPay005;12345".into(), "XY;XYService;54321".into()],
        };
        let mut lines = vec!["SPC", "0200", "1", "CH4431999123000889012"];
        lines.extend(["S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"]);
        lines.extend(EMPTY7);
        lines.extend(["1949.75", "CHF"]);
        lines.extend([
            "S",
            "Pia-Maria Rutschmann-Schnyder",
            "Grosse Marktgasse",
            "28",
            "9400",
            "Rorschach",
            "CH",
        ]);
        lines.extend(["QRR", "210000000003139471430009017", "Order dated 18.06.2020", "EPD"]);
        lines.push("//S1/01/20170309/11/10201409/20/14000000/22/36958/30/CH106017086/40/1020/41/3010");
        lines.extend(["UV;UltraPay005;12345", "XY;XYService;54321"]);
        (bill, joined(&lines))
    }

    /// manuelbl/SwissQRBill, text 1: an IBAN, no reference, a message; the sample ends with LF.
    fn text_1() -> (Bill, String) {
        let message = "Bill no. 3139 for gardening work and disposal of waste material";
        let bill = Bill {
            account: Iban::parse("CH5800791123000889012").unwrap(),
            creditor: schneider(),
            amount: Some(Amount::parse("3949.75", 2).unwrap()),
            currency: Currency::Chf,
            debtor: Some(address("Pia Rutschmann", "Marktgasse", "28", "9400", "Rorschach")),
            reference: Reference::Non,
            message: message.into(),
            billing: String::new(),
            alternatives: Vec::new(),
        };
        let mut lines = vec!["SPC", "0200", "1", "CH5800791123000889012"];
        lines.extend(["S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"]);
        lines.extend(EMPTY7);
        lines.extend(["3949.75", "CHF"]);
        lines.extend(["S", "Pia Rutschmann", "Marktgasse", "28", "9400", "Rorschach", "CH"]);
        lines.extend(["NON", "", message, "EPD", ""]);
        (bill, joined(&lines))
    }

    /// manuelbl/SwissQRBill, text 3: no amount, no debtor, no street; ends with LF.
    fn text_3() -> (Bill, String) {
        let bill = Bill {
            account: Iban::parse("CH3709000000304442225").unwrap(),
            creditor: address("Salvation Army Foundation Switzerland", "", "", "3000", "Bern"),
            amount: None,
            currency: Currency::Chf,
            debtor: None,
            reference: Reference::Non,
            message: "Donnation to the Winterfest campaign".into(),
            billing: String::new(),
            alternatives: Vec::new(),
        };
        let mut lines = vec!["SPC", "0200", "1", "CH3709000000304442225"];
        lines.extend(["S", "Salvation Army Foundation Switzerland", "", "", "3000", "Bern", "CH"]);
        lines.extend(EMPTY7);
        lines.extend(["", "CHF"]);
        lines.extend(EMPTY7);
        lines.extend(["NON", "", "Donnation to the Winterfest campaign", "EPD", ""]);
        (bill, joined(&lines))
    }

    #[test]
    fn the_published_examples_byte_for_byte() {
        let (bill, payload) = text_2();
        assert_eq!(bill.encode().as_ref(), Ok(&payload));
        assert_eq!(Bill::decode(&payload), Ok(bill.clone()));
        assert_eq!(Bill::decode(&payload.replace('\n', "\r\n")), Ok(bill.clone()));
        assert_eq!(payload_lines(&payload).len(), 34);
        assert_eq!(read_back(&payload).1, payload);
        for (bill, payload) in [text_1(), text_3()] {
            // The samples keep the final separator; the encoder leaves it out.
            let written = payload.strip_suffix('\n').unwrap();
            assert_eq!(bill.encode().as_deref(), Ok(written));
            assert_eq!(Bill::decode(&payload), Ok(bill.clone()));
            assert_eq!(Bill::decode(written), Ok(bill.clone()));
            assert_eq!(read_back(written).1, written);
        }
        assert_eq!((ERROR_CORRECTION, CODE_MM, CROSS_MM), ('M', 46, 7));
    }

    #[test]
    fn the_python_qrbill_minimal_bill_in_crlf() {
        let mut lines = vec!["SPC", "0200", "1", "CH5380005000010283664"];
        lines.extend(["S", "Jane", "", "", "1000", "Lausanne", "CH"]);
        lines.extend(EMPTY7);
        lines.extend(["", "CHF"]);
        lines.extend(EMPTY7);
        lines.extend(["NON", "", "", "EPD"]);
        let crlf = lines.join("\r\n");
        let bill = Bill::decode(&crlf).unwrap();
        assert_eq!(bill.creditor, address("Jane", "", "", "1000", "Lausanne"));
        assert_eq!((bill.amount, bill.debtor.as_ref(), &bill.reference), (None, None, &Reference::Non));
        assert_eq!(bill.encode(), Ok(crlf.replace("\r\n", "\n")));
    }

    #[test]
    fn combined_addresses_are_refused() {
        // manuelbl/SwissQRBill, text 4: a K debtor (valid before v2.3).
        let mut lines = vec!["SPC", "0200", "1", "CH5800791123000889012"];
        lines.extend(["S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"]);
        lines.extend(EMPTY7);
        lines.extend(["199.95", "CHF"]);
        lines.extend([
            "K",
            "Pia-Maria Rutschmann-Schnyder",
            "Grosse Marktgasse 28",
            "9400 Rorschach",
            "",
            "",
            "CH",
        ]);
        lines.extend(["SCOR", "RF18539007547034", "", "EPD", ""]);
        let e = Bill::decode(&joined(&lines)).unwrap_err();
        assert_eq!(e, BankError::SwissCombinedAddress { field: Field::DebtorAddressType });
        assert_eq!(e.code(), "swiss_combined_address");
        assert_eq!(
            e.message(),
            "the debtor's address type is K (combined): QR-bills accept only structured addresses (S)"
        );
    }

    /// A Swiss IBAN with institution identifier `iid` and its check digits.
    fn swiss_iban(iid: u32, account: &str) -> Iban {
        let bban = crate::cat!(text::padded(u128::from(iid), 5), account);
        let cd = check_digits("CH", &bban).unwrap();
        Iban::parse(&crate::cat!("CH", text::padded(u128::from(cd), 2), bban)).unwrap()
    }

    #[test]
    fn a_qr_iban_takes_qrr_and_only_a_qr_iban_does() {
        let qrr = Reference::Qrr(QrReference::parse("210000000003139471430009017").unwrap());
        let scor = Reference::Scor(CreditorReference::parse("RF18539007547034").unwrap());
        let (base, _) = text_2();
        let with = |account: Iban, reference: &Reference| {
            Bill { account, reference: reference.clone(), ..base.clone() }
                .encode()
                .map(|_| ())
                .map_err(|e| e.code())
        };
        for (iid, qr) in
            [(0, false), (29_999, false), (30_000, true), (31_999, true), (32_000, false), (99_999, false)]
        {
            let iban = swiss_iban(iid, "123000889012");
            assert_eq!(is_qr_iban(&iban), qr, "{iid}");
            if qr {
                assert_eq!(with(iban.clone(), &qrr), Ok(()));
                assert_eq!(with(iban.clone(), &scor), Err("swiss_qr_iban_needs_qrr"));
                assert_eq!(with(iban, &Reference::Non), Err("swiss_qr_iban_needs_qrr"));
            } else {
                assert_eq!(with(iban.clone(), &qrr), Err("swiss_qrr_needs_qr_iban"));
                assert_eq!(with(iban.clone(), &scor), Ok(()));
                assert_eq!(with(iban, &Reference::Non), Ok(()));
            }
        }
        let bban = "30123000000000000";
        let cd = check_digits("LI", bban).unwrap();
        let li = Iban::parse(&crate::cat!("LI", text::padded(u128::from(cd), 2), bban)).unwrap();
        assert!(is_qr_iban(&li));
        assert!(!is_qr_iban(&Iban::parse("LI21088100002324013AA").unwrap()));
        assert!(!is_qr_iban(&Iban::parse("DE89370400440532013000").unwrap()));
        // And when read: the example with an ordinary IBAN, or with SCOR.
        let (_, payload) = text_2();
        let code = |from: &str, to: &str| Bill::decode(&payload.replacen(from, to, 1)).unwrap_err().code();
        assert_eq!(code("CH4431999123000889012", "CH5800791123000889012"), "swiss_qrr_needs_qr_iban");
        assert_eq!(
            code("QRR\n210000000003139471430009017", "SCOR\nRF18539007547034"),
            "swiss_qr_iban_needs_qrr"
        );
        assert_eq!(code("QRR\n210000000003139471430009017", "NON\n"), "swiss_qr_iban_needs_qrr");
    }

    #[test]
    fn each_field_has_its_error() {
        let (base, _) = text_2();
        let with = |f: &dyn Fn(&mut Bill)| {
            let mut b = base.clone();
            f(&mut b);
            b.encode().unwrap_err()
        };
        let e = with(&|b| b.account = Iban::parse("DE89370400440532013000").unwrap());
        assert_eq!(e.code(), "swiss_account_country");
        let e = with(&|b| b.creditor.name = "x".repeat(71));
        assert_eq!(e, BankError::TooLong { field: Field::CreditorName, max: 70, found: 71 });
        let e = with(&|b| b.creditor.town.clear());
        assert_eq!(e, BankError::Missing { field: Field::CreditorTown });
        let e = with(&|b| b.creditor.postcode = "x".repeat(17));
        assert_eq!(e.field(), Some(Field::CreditorPostcode));
        let e = with(&|b| b.creditor.building = "x".repeat(17));
        assert_eq!(e.field(), Some(Field::CreditorBuilding));
        let e = with(&|b| b.creditor.country = "Ch".into());
        assert_eq!((e.code(), e.field()), ("field_value", Some(Field::CreditorCountry)));
        let e = with(&|b| b.debtor.as_mut().unwrap().town = "x".repeat(36));
        assert_eq!(e.field(), Some(Field::DebtorTown));
        let e = with(&|b| b.creditor.name = "Zürich – AG".into());
        assert_eq!(e, BankError::Character { field: Field::CreditorName, found: '–' });
        assert_eq!(e.message(), "the creditor's name contains '–' (U+2013), not allowed there");
        let e = with(&|b| b.message = "tab\there".into());
        assert_eq!(e, BankError::Character { field: Field::SwissMessage, found: '\t' });
        let e = with(&|b| b.amount = Some(Amount::from_atomic(0, 2)));
        assert_eq!((e.code(), e.field()), ("amount_invalid", Some(Field::SwissAmount)));
        let e = with(&|b| b.message = "x".repeat(141));
        assert_eq!(e.field(), Some(Field::SwissMessage));
        let e = with(&|b| b.billing = "x".repeat(119));
        assert_eq!(e, BankError::SwissAdditionalInformation { found: 22 + 119 });
        let e = with(&|b| b.alternatives.push("ZZ;third".into()));
        assert_eq!(e.code(), "swiss_alternatives");
        let e = with(&|b| b.alternatives[0] = "x".repeat(101));
        assert_eq!(e.field(), Some(Field::SwissAlternative));
        let e = with(&|b| b.alternatives[0].clear());
        assert_eq!(e, BankError::Missing { field: Field::SwissAlternative });
        // The v2.3 characters pass: Latin Extended-A, Ș ș Ț ț, €.
        let mut fine = base.clone();
        fine.creditor.name = "Łódź Ștefan Țară Œuvre €".into();
        assert!(fine.encode().is_ok());
    }

    #[test]
    fn each_line_has_its_error_when_read() {
        let (_, payload) = text_2();
        let code = |from: &str, to: &str| Bill::decode(&payload.replacen(from, to, 1)).unwrap_err().code();
        assert_eq!(code("SPC", "SPD"), "field_value");
        assert_eq!(code("0200", "0100"), "field_value");
        assert_eq!(code("0200\n1\n", "0200\n2\n"), "field_value");
        assert_eq!(code("CH4431999123000889012", "CH4431999123000889013"), "iban_checksum");
        assert_eq!(code("\nS\nRobert", "\nX\nRobert"), "field_value");
        assert_eq!(
            code("\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH", "\n\n\n\n\n\n\n"),
            "field_missing"
        );
        assert_eq!(code("Biel\nCH\n\n", "Biel\nCH\nS\n"), "swiss_ultimate_creditor");
        for amount in ["1949.7", "1949", "01949.75", "1,949.75", "0.00", "1000000000.00", "-1.00"] {
            assert_eq!(code("1949.75", amount), "amount_invalid", "{amount}");
        }
        assert_eq!(code("CHF", "USD"), "field_value");
        assert_eq!(code("QRR\n", "ISR\n"), "field_value");
        assert_eq!(
            code("210000000003139471430009017", "210000000003139471430009018"),
            "qr_reference_checksum"
        );
        assert_eq!(code("\nEPD\n", "\nEND\n"), "field_value");
        assert_eq!(code("\nUV;UltraPay005;12345", "\n"), "field_missing");
        assert_eq!(Bill::decode(&crate::cat!(payload, "\nZZ;third")).unwrap_err().code(), "payload_lines");
        assert_eq!(Bill::decode("SPC\n0200\n1").unwrap_err().code(), "payload_lines");
        let (_, text_1) = text_1();
        let code = |from: &str, to: &str| Bill::decode(&text_1.replacen(from, to, 1)).unwrap_err().code();
        assert_eq!(code("NON\n\n", "NON\nRF18539007547034\n"), "field_value");
        assert_eq!(code("NON\n\n", "SCOR\nRF18539007547035\n"), "reference_checksum");
    }

    fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
        let class = "[ -~\u{a0}-\u{17f}\u{218}-\u{21b}€]";
        proptest::string::string_regex(&format!("{class}{{{min},{max}}}")).unwrap()
    }

    fn any_address() -> impl Strategy<Value = Address> {
        (text(1, 70), text(0, 70), text(0, 16), text(1, 16), text(1, 35), "[A-Z]{2}").prop_map(
            |(name, street, building, postcode, town, country)| Address {
                name,
                street,
                building,
                postcode,
                town,
                country,
            },
        )
    }

    /// An account (QR-IBAN or not, CH or LI) with a reference it may take.
    fn any_account() -> impl Strategy<Value = (Iban, Reference)> {
        (
            any::<bool>(),
            any::<bool>(),
            0u32..100_000,
            "[0-9A-Z]{12}",
            "[0-9]{1,26}",
            "[0-9A-Z]{1,21}",
            any::<bool>(),
        )
            .prop_map(|(qr, li, iid, account, qrr, scor, non)| {
                let iid = if qr {
                    30_000 + iid % 2_000
                } else if (30_000..32_000).contains(&iid) {
                    iid - 30_000
                } else {
                    iid
                };
                let country = if li { "LI" } else { "CH" };
                let bban = crate::cat!(text::padded(u128::from(iid), 5), account);
                let cd = check_digits(country, &bban).unwrap();
                let iban = Iban::parse(&crate::cat!(country, text::padded(u128::from(cd), 2), bban)).unwrap();
                let reference = match (qr, non) {
                    (true, _) => Reference::Qrr(QrReference::create(&qrr).unwrap()),
                    (false, true) => Reference::Non,
                    (false, false) => Reference::Scor(CreditorReference::create(&scor).unwrap()),
                };
                (iban, reference)
            })
    }

    fn any_bill() -> impl Strategy<Value = Bill> {
        let info = text(0, 140).prop_flat_map(|message| {
            let room = 140 - message.chars().count();
            (Just(message), text(0, room))
        });
        (
            any_account(),
            any_address(),
            proptest::option::of(1u128..=99_999_999_999),
            any::<bool>(),
            proptest::option::of(any_address()),
            info,
            proptest::collection::vec(text(1, 100), 0..=2),
        )
            .prop_map(
                |((account, reference), creditor, cents, chf, debtor, (message, billing), alternatives)| {
                    Bill {
                        account,
                        creditor,
                        amount: cents.map(|c| Amount::from_atomic(c, 2)),
                        currency: if chf { Currency::Chf } else { Currency::Eur },
                        debtor,
                        reference,
                        message,
                        billing,
                        alternatives,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn any_valid_bill_round_trips(bill in any_bill()) {
            let payload = bill.encode().unwrap();
            let lines = payload_lines(&payload).len();
            prop_assert!((31..=34).contains(&lines) && !payload.ends_with('\n'));
            prop_assert_eq!(Bill::decode(&payload), Ok(bill.clone()));
            prop_assert_eq!(Bill::decode(&payload.replace('\n', "\r\n")), Ok(bill));
        }

        #[test]
        fn any_line_replaced_is_refused_or_read_and_written_back(
            bill in any_bill(),
            i in 0usize..34,
            s in "\\PC{0,30}",
        ) {
            let payload = bill.encode().unwrap();
            let mut lines = payload_lines(&payload);
            let i = i % lines.len();
            lines[i] = &s;
            if let Ok(read) = Bill::decode(&lines.join("\n")) {
                prop_assert_eq!(Bill::decode(&read.encode().unwrap()), Ok(read));
            }
        }

        #[test]
        fn any_text_is_refused_without_panicking(s in "\\PC{0,40}(\n\\PC{0,20}){0,35}") {
            let _ = Bill::decode(&s);
        }
    }
}
