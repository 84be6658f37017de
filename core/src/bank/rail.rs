//! A bank-rail payment: the rail fields of the payment (`beneficiary`, `bic`, `reference`,
//! `street`, `building`, `postcode`, `city`, `country`) and its `address` (an IBAN, a Pix key,
//! a UPI ID, a PayNow or PromptPay proxy, or a whole payload the backend built), checked per
//! rail into a [`BankView`] with the one QR payload the form shows for the amount due, built by
//! the scheme's encoder in this module's siblings.
//!
//! A payload the backend sends (a Pix BR Code, an EMV merchant QR) is shown as sent, after its
//! CRC, its scheme, its currency and its amount are checked against the payment; everything
//! the form builds itself is built from the validated fields, so what the QR asks for is what
//! the screen says.
//!
//! The payment model holds the result as a [`BankView`]. Who computes it is a [`RailCheck`]:
//! natively (tests, the devserver) this module's own [`Local`] check; in the browser the form's
//! bundle does not carry the rails' code at all (41 KB gzip it would add for every shopper):
//! it loads `payform_rails.wasm`, a module of this very code, the first time a bank-rail
//! payment arrives, and asks it through [`ask`] / [`serve`], one text each way (fields joined
//! by the ASCII unit separator).

use super::emv::{self, DataObject, EmvError, Initiation, MerchantQr, PayNowAccount, PayNowProxy};
use super::epc::{self, Remittance, Transfer};
use super::iban::{BankError, Bic, Iban};
use super::pix::{PixCharge, PixError, PixKey, PixLocation};
use super::reference::{CreditorReference, QrReference};
use super::swiss::{self, Bill};
use super::upi::{UpiError, UpiLink, Vpa};
use crate::error::ErrorCode;
use crate::money::Amount;
use crate::network::{Asset, Network, Rail};
use crate::payment::Field;
use std::fmt;

/// The countries whose IBANs a SEPA credit transfer reaches (the EPC's register of SEPA
/// countries and territories, EPC409-09, with the 2024–2025 accessions): the EU, the EEA, Switzerland, the United Kingdom,
/// Andorra, Monaco, San Marino, the Vatican, Albania, Moldova, Montenegro, North Macedonia
/// and Serbia; territories such as the French overseas departments, Jersey, Guernsey and Man
/// use the IBANs of FR and GB). Gibraltar and the Vatican have IBAN country codes of their own.
pub const SEPA_COUNTRIES: [&str; 42] = [
    "AD", "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR",
    "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL",
    "PT", "RO", "RS", "SE", "SI", "SK", "SM", "VA",
];

/// The longest `reference` any rail carries as free text (EPC unstructured remittance).
pub const MAX_REFERENCE_CHARS: usize = 140;

/// The rail fields of a payment as the backend sent them (trimmed; `None` when absent or blank).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawBank {
    pub beneficiary: Option<String>,
    pub bic: Option<String>,
    pub reference: Option<String>,
    pub street: Option<String>,
    pub building: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// The payment's rail fields, in the contract's order (`payment::FIELDS`): what [`RawBank`]
/// holds, what the rails' module is handed, what a shown payment's identity keeps.
pub const RAIL_FIELDS: [Field; 8] = [
    Field::Beneficiary,
    Field::Bic,
    Field::Reference,
    Field::Street,
    Field::Building,
    Field::Postcode,
    Field::City,
    Field::Country,
];

impl RawBank {
    /// The values, in the order of [`RAIL_FIELDS`].
    fn values_mut(&mut self) -> [&mut Option<String>; 8] {
        [
            &mut self.beneficiary,
            &mut self.bic,
            &mut self.reference,
            &mut self.street,
            &mut self.building,
            &mut self.postcode,
            &mut self.city,
            &mut self.country,
        ]
    }

    /// Where the payment field `field` goes, if it is a rail field.
    pub fn slot(&mut self, field: Field) -> Option<&mut Option<String>> {
        let i = RAIL_FIELDS.iter().position(|f| *f == field)?;
        self.values_mut().into_iter().nth(i)
    }

    /// The value given for the rail field `field`.
    pub fn get(&self, field: Field) -> Option<&str> {
        let i = RAIL_FIELDS.iter().position(|f| *f == field)?;
        let values = [
            &self.beneficiary,
            &self.bic,
            &self.reference,
            &self.street,
            &self.building,
            &self.postcode,
            &self.city,
            &self.country,
        ];
        values[i].as_deref()
    }
}

/// The reference as the shopper reads it and as it is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankReference {
    /// Grouped for reading (`RF18 5390 0754 7034`), or as given for free text.
    pub shown: String,
    /// The electronic form a banking app takes.
    pub copy: String,
}

/// What the account is, for its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Iban,
    PixKey,
    UpiId,
    /// A PayNow or PromptPay proxy (mobile number, UEN, national or e-wallet ID).
    Proxy,
}

impl AccountKind {
    const ALL: [AccountKind; 4] =
        [AccountKind::Iban, AccountKind::PixKey, AccountKind::UpiId, AccountKind::Proxy];

    const fn id(self) -> &'static str {
        match self {
            AccountKind::Iban => "iban",
            AccountKind::PixKey => "pix_key",
            AccountKind::UpiId => "upi_id",
            AccountKind::Proxy => "proxy",
        }
    }
}

/// A bank-rail payment as the form shows it: its checked details and the QR's exact text for
/// the amount due. Made by a [`RailCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankView {
    /// The account holder's name.
    pub beneficiary: String,
    /// The account as read (an IBAN in groups of four, a Pix key, a UPI ID, a proxy); `None`
    /// when the backend sent a whole payload without one.
    pub account: Option<(AccountKind, String)>,
    /// The account as copied (an IBAN without spaces).
    pub account_copy: Option<String>,
    pub bic: Option<String>,
    pub reference: Option<BankReference>,
    /// The beneficiary's town.
    pub city: Option<String>,
    /// A QR-bill creditor's street, building, postcode and country.
    pub street: Option<String>,
    pub building: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    /// The QR code's exact text for the amount due (empty when nothing is due).
    pub payload: String,
    /// The largest QR version the scheme allows.
    pub max_qr_version: u8,
    /// Whether the payload is the backend's own (shown as sent).
    pub given: bool,
    /// Whether the payload is also a text to paste in a banking app (Pix "copia e cola").
    pub pasteable: bool,
}

impl BankView {
    /// The shown value of the rail field `field` (the reference as copied), if any.
    pub fn field(&self, field: Field) -> Option<&str> {
        fn text(t: &Option<String>) -> Option<&str> {
            t.as_deref().filter(|t| !t.is_empty())
        }
        match field {
            Field::Beneficiary => Some(&self.beneficiary),
            Field::Bic => text(&self.bic),
            Field::Reference => self.reference.as_ref().map(|r| r.copy.as_str()),
            Field::Street => text(&self.street),
            Field::Building => text(&self.building),
            Field::Postcode => text(&self.postcode),
            Field::City => text(&self.city),
            Field::Country => text(&self.country),
            _ => None,
        }
    }
}

/// What a [`RailCheck`] is asked: the payment's bank network and currency, its `address`, its
/// rail fields, the whole amount and what is due now (the payload asks for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RailRequest<'a> {
    pub network: Network,
    pub currency: &'a str,
    pub address: &'a str,
    pub raw: &'a RawBank,
    pub amount: Amount,
    pub due: Amount,
}

/// Why a bank-rail payment was refused, as the payment model carries it: the `payform:error`
/// code and the English explanation. (Flat, so that the form's bundle, which only receives
/// these from the rails' module, links none of [`RailError`]'s messages.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RailFailure {
    pub code: ErrorCode,
    pub message: String,
}

impl RailFailure {
    /// No rails' module could be loaded, or it gave no answer that could be read: like a
    /// request that failed (`network_error`), retried with backoff, the module loaded again.
    pub fn unavailable() -> RailFailure {
        RailFailure {
            code: ErrorCode::NetworkError,
            message: "the bank rails' module (payform_rails.wasm) could not be loaded or did not answer"
                .to_owned(),
        }
    }
}

impl From<RailError> for RailFailure {
    fn from(e: RailError) -> RailFailure {
        RailFailure { code: e.code(), message: e.message() }
    }
}

/// Checks a bank-rail payment and builds its payload.
pub trait RailCheck: Sync {
    fn check(&self, request: &RailRequest<'_>) -> Result<BankView, RailFailure>;
}

/// This module's own check (the rails' code, linked in).
pub struct Local;

impl Local {
    fn check_typed(&self, r: &RailRequest<'_>) -> Result<BankView, RailError> {
        let asset = crate::network::asset(r.network, r.currency).map_err(|_| RailError::PayloadScheme {
            network: r.network,
            reason: "its currency is not the rail's",
        })?;
        let bank = Bank::check(asset, r.address, r.raw, r.amount, r.due)?;
        bank.view(asset, r.due)
    }
}

impl RailCheck for Local {
    fn check(&self, r: &RailRequest<'_>) -> Result<BankView, RailFailure> {
        self.check_typed(r).map_err(RailFailure::from)
    }
}

static INSTALLED: std::sync::OnceLock<&'static dyn RailCheck> = std::sync::OnceLock::new();

/// Makes `check` the one the payment model uses (once; later calls change nothing).
pub fn install(check: &'static dyn RailCheck) {
    let _ = INSTALLED.set(check);
}

/// The check in use: the installed one; natively, [`Local`] when none was installed. In the
/// browser `None` until the rails' module is loaded.
pub fn checker() -> Option<&'static dyn RailCheck> {
    if let Some(c) = INSTALLED.get() {
        return Some(*c);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Some(&Local)
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

/// The version of the exchange between the form and the rails' module (`pf_protocol`): a
/// form never asks a module of another (a cached file of another release).
pub const PROTOCOL: u32 = 1;

/// The separator of the texts the form and the rails' module exchange (ASCII unit separator,
/// a control character no checked field may hold).
const SEP: char = '\u{1f}';

/// The request as one text: network, currency, address, amount, due, then the rail fields of
/// [`RawBank`] in its order (absent: empty), joined by [`SEP`]. `None` if a value holds the
/// separator (a control character, which no rail accepts).
pub fn request_text(r: &RailRequest<'_>) -> Option<String> {
    let (amount, due) = (r.amount.to_decimal(), r.due.to_decimal());
    let mut fields = vec![r.network.id(), r.currency, r.address, &amount, &due];
    fields.extend(RAIL_FIELDS.map(|f| r.raw.get(f).unwrap_or_default()));
    join(&fields)
}

fn join(fields: &[&str]) -> Option<String> {
    if fields.iter().any(|f| f.contains(SEP)) {
        return None;
    }
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.push_str(f);
    }
    Some(out)
}

/// The rails' module's side: reads a request (as [`request_text`] writes it), checks it with
/// [`Local`] and writes the answer ([`ask`] reads it): `ok` and the [`BankView`]'s fields, or
/// `error`, the code and the English message, joined by [`SEP`].
pub fn serve(request: &str) -> String {
    let answer = match read_request(request) {
        Some((network, currency, address, raw, amount, due)) => {
            let r = RailRequest { network, currency, address, raw: &raw, amount, due };
            Local.check(&r)
        }
        None => Err(RailFailure::unavailable()),
    };
    let written = match &answer {
        Ok(v) => {
            let opt = |t: &Option<String>| t.clone().unwrap_or_default();
            let version = crate::text::decimal(u128::from(v.max_qr_version));
            let flag = |b: bool| if b { "1" } else { "0" };
            join(&[
                "ok",
                &v.beneficiary,
                v.account.as_ref().map_or("", |a| a.0.id()),
                v.account.as_ref().map_or("", |a| a.1.as_str()),
                &opt(&v.account_copy),
                &opt(&v.bic),
                v.reference.as_ref().map_or("", |r| r.shown.as_str()),
                v.reference.as_ref().map_or("", |r| r.copy.as_str()),
                &opt(&v.city),
                &opt(&v.street),
                &opt(&v.building),
                &opt(&v.postcode),
                &opt(&v.country),
                &v.payload,
                &version,
                flag(v.given),
                flag(v.pasteable),
            ])
        }
        Err(e) => join(&["error", e.code.as_str(), &e.message]),
    };
    written.unwrap_or_else(|| crate::cat!("error", SEP, ErrorCode::NetworkError.as_str(), SEP))
}

type Request<'a> = (Network, &'a str, &'a str, RawBank, Amount, Amount);

fn read_request(text: &str) -> Option<Request<'_>> {
    let f: Vec<&str> = text.split(SEP).collect();
    let [network, currency, address, amount, due, rail @ ..] = f.as_slice() else { return None };
    if rail.len() != RAIL_FIELDS.len() {
        return None;
    }
    let mut raw = RawBank::default();
    for (field, value) in RAIL_FIELDS.into_iter().zip(rail) {
        if let Some(slot) = raw.slot(field) {
            *slot = (!value.is_empty()).then(|| (*value).to_owned());
        }
    }
    let network = Network::parse(network).ok()?;
    Some((network, currency, address, raw, Amount::parse(amount, 2).ok()?, Amount::parse(due, 2).ok()?))
}

/// The form's side: hands `r` to the rails' module through `call` (its one exported function:
/// request text in, answer text out; `None` when it could not be called) and reads the answer.
pub fn ask(r: &RailRequest<'_>, call: impl FnOnce(&str) -> Option<String>) -> Result<BankView, RailFailure> {
    let Some(request) = request_text(r) else {
        // The account of the rail, or another field, holds a control character.
        let code = match (r.address.contains(SEP), r.network.rail()) {
            (true, Rail::SepaEpc | Rail::SwissQr) => ErrorCode::InvalidIban,
            (true, Rail::Pix) => ErrorCode::InvalidPixKey,
            (true, Rail::Upi) => ErrorCode::InvalidUpiId,
            (true, _) => ErrorCode::InvalidProxy,
            (false, _) => ErrorCode::InvalidBankDetails,
        };
        return Err(RailFailure { code, message: "a rail field holds a control character".to_owned() });
    };
    let answer = call(&request).ok_or_else(RailFailure::unavailable)?;
    let f: Vec<&str> = answer.split(SEP).collect();
    let some = |t: &str| (!t.is_empty()).then(|| t.to_owned());
    match f.as_slice() {
        ["error", code, message] => {
            let code = ErrorCode::ALL.iter().find(|c| c.as_str() == *code).copied();
            Err(RailFailure {
                code: code.ok_or_else(RailFailure::unavailable)?,
                message: (*message).to_owned(),
            })
        }
        ["ok", beneficiary, kind, account, account_copy, bic, reference, reference_copy, city, street, building, postcode, country, payload, version, given, pasteable]
            if !beneficiary.is_empty() =>
        {
            let kind = AccountKind::ALL.into_iter().find(|a| a.id() == *kind);
            let max_qr_version = version.parse::<u8>().ok().filter(|v| (1..=40).contains(v));
            Ok(BankView {
                beneficiary: (*beneficiary).to_owned(),
                account: kind.zip(some(account)),
                account_copy: some(account_copy),
                bic: some(bic),
                reference: some(reference)
                    .zip(some(reference_copy))
                    .map(|(shown, copy)| BankReference { shown, copy }),
                city: some(city),
                street: some(street),
                building: some(building),
                postcode: some(postcode),
                country: some(country),
                payload: (*payload).to_owned(),
                max_qr_version: max_qr_version.ok_or_else(RailFailure::unavailable)?,
                given: *given == "1",
                pasteable: *pasteable == "1",
            })
        }
        _ => Err(RailFailure::unavailable()),
    }
}

/// A bank-rail payment's checked details, with what the scheme's encoder needs (made by
/// [`Bank::check`], shown as its [`BankView`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    pub network: Network,
    /// The account holder's name.
    pub beneficiary: String,
    /// The account the shopper may type into a banking app (an IBAN in groups of four, a Pix
    /// key, a UPI ID, a proxy); `None` when the backend sent a whole payload.
    pub account: Option<(AccountKind, String)>,
    /// The account as copied (an IBAN without spaces).
    pub account_copy: Option<String>,
    pub bic: Option<String>,
    pub reference: Option<BankReference>,
    /// The creditor's town (Swiss QR-bill, Pix, EMV).
    pub city: Option<String>,
    /// A payload the backend built (Pix BR Code, EMV merchant QR), shown as sent.
    pub given: Option<String>,
    /// The fixed amount in [`Bank::given`], if it names one.
    pub given_amount: Option<Amount>,
    /// The backend's code asks for the whole amount after a part was paid: not shown.
    pub withheld: bool,
    // What the encoders need beyond the above.
    iban: Option<Iban>,
    creditor: Option<swiss::Address>,
    swiss_reference: Option<swiss::Reference>,
    epc_remittance: Option<Remittance>,
    pix_key: Option<PixKey>,
    vpa: Option<Vpa>,
    emv_account: Option<DataObject>,
}

/// Why a bank-rail payment cannot be shown: the scheme module's error, or a rule between the
/// payment and its rail. Each has a stable `payform:error` code ([`RailError::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RailError {
    Bank(BankError),
    Pix(PixError),
    Emv(EmvError),
    Upi(UpiError),
    /// A required rail field is absent (`field`: its name in the native format).
    Missing {
        network: Network,
        field: &'static str,
    },
    /// A field longer than the rail's scheme carries, or with a character it does not.
    Field {
        network: Network,
        field: &'static str,
        reason: &'static str,
    },
    /// An IBAN of a country the rail does not reach.
    IbanCountry {
        network: Network,
        iban: String,
    },
    /// A proxy that is not one of the scheme's.
    Proxy {
        network: Network,
        proxy: String,
        reason: &'static str,
    },
    /// A payload of another scheme, currency or country than the payment's.
    PayloadScheme {
        network: Network,
        reason: &'static str,
    },
    /// A payload that asks for another amount than the one due.
    PayloadAmount {
        asks: String,
        due: String,
    },
}

impl RailError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            RailError::Bank(e) => e.message(),
            RailError::Pix(e) => e.message(),
            RailError::Emv(e) => e.message(),
            RailError::Upi(e) => e.message(),
            RailError::Missing { network, field } => {
                crate::cat!("a ", network.id(), " payment needs `", field, "`")
            }
            RailError::Field { network, field, reason } => {
                crate::cat!("`", field, "` of a ", network.id(), " payment ", reason)
            }
            RailError::IbanCountry { network, iban } => crate::cat!(
                "the IBAN ",
                iban,
                " is of a country ",
                network.id(),
                if *network == Network::SwissQr {
                    " does not serve (a QR-bill's account is Swiss or Liechtenstein)"
                } else {
                    " does not serve (not a SEPA country)"
                }
            ),
            RailError::Proxy { network, proxy, reason } => {
                crate::cat!("\"", proxy, "\" is not a ", network.display_name(), " account: ", reason)
            }
            RailError::PayloadScheme { network, reason } => {
                crate::cat!("the payload is not a ", network.display_name(), " code: ", reason)
            }
            RailError::PayloadAmount { asks, due } => {
                crate::cat!("the payload asks for ", asks, " but ", due, " is due")
            }
        }
    }

    /// The stable `payform:error` code.
    pub fn code(&self) -> ErrorCode {
        use super::iban::BankError as B;
        match self {
            RailError::Bank(e) => match e {
                B::IbanEmpty
                | B::IbanCharacter { .. }
                | B::IbanCountry { .. }
                | B::IbanCheckDigits { .. }
                | B::IbanLength { .. }
                | B::IbanChecksum { .. }
                | B::SwissAccountCountry { .. } => ErrorCode::InvalidIban,
                B::BicShape { .. } => ErrorCode::InvalidBic,
                B::ReferenceShape { .. }
                | B::ReferenceChecksum { .. }
                | B::QrReferenceShape { .. }
                | B::QrReferenceChecksum { .. }
                | B::SwissQrIbanNeedsQrr
                | B::SwissQrrNeedsQrIban => ErrorCode::InvalidReference,
                B::Amount { .. } => ErrorCode::InvalidAmount,
                B::Missing { .. }
                | B::TooLong { .. }
                | B::Character { .. }
                | B::Unexpected { .. }
                | B::SwissCombinedAddress { .. }
                | B::SwissUltimateCreditor
                | B::SwissAdditionalInformation { .. } => ErrorCode::InvalidBankDetails,
                _ => ErrorCode::InvalidBankPayload,
            },
            RailError::Pix(PixError::Key { .. }) => ErrorCode::InvalidPixKey,
            RailError::Pix(PixError::Field { field: "62.05", .. }) => ErrorCode::InvalidReference,
            RailError::Pix(PixError::Field { field: "59" | "60", .. }) => ErrorCode::InvalidBankDetails,
            RailError::Pix(_) | RailError::Emv(_) => ErrorCode::InvalidBankPayload,
            RailError::Upi(UpiError::Vpa { .. }) => ErrorCode::InvalidUpiId,
            RailError::Upi(UpiError::Amount { .. }) => ErrorCode::InvalidAmount,
            RailError::Upi(UpiError::Field { key, .. }) if key == "tr" => ErrorCode::InvalidReference,
            RailError::Upi(_) => ErrorCode::InvalidBankDetails,
            RailError::Missing { field: "reference", .. } | RailError::Field { field: "reference", .. } => {
                ErrorCode::InvalidReference
            }
            RailError::Missing { .. } | RailError::Field { .. } => ErrorCode::InvalidBankDetails,
            RailError::IbanCountry { .. } => ErrorCode::InvalidIban,
            RailError::Proxy { .. } => ErrorCode::InvalidProxy,
            RailError::PayloadScheme { .. } | RailError::PayloadAmount { .. } => {
                ErrorCode::InvalidBankPayload
            }
        }
    }
}

impl fmt::Display for RailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for RailError {}

impl From<BankError> for RailError {
    fn from(e: BankError) -> RailError {
        RailError::Bank(e)
    }
}

impl From<PixError> for RailError {
    fn from(e: PixError) -> RailError {
        RailError::Pix(e)
    }
}

impl From<EmvError> for RailError {
    fn from(e: EmvError) -> RailError {
        RailError::Emv(e)
    }
}

impl From<UpiError> for RailError {
    fn from(e: UpiError) -> RailError {
        RailError::Upi(e)
    }
}

/// Checks `rail` (the payment's optional `rail` field) against `network` (in the form's
/// bundle, for crypto payments too: its message is written here, not by [`RailError`]).
pub fn check_rail(network: Network, rail: Option<&str>) -> Result<(), RailFailure> {
    match rail.map(str::trim) {
        None | Some("") => Ok(()),
        Some(r) if Rail::parse(r) == Some(network.rail()) => Ok(()),
        Some(r) => Err(RailFailure {
            code: ErrorCode::InvalidBankDetails,
            message: crate::cat!(
                "rail \"",
                r,
                "\" disagrees with network ",
                network.id(),
                ", whose rail is ",
                network.rail().id()
            ),
        }),
    }
}

/// Whether `text` looks like an EMV merchant-presented payload (a BR Code, an SGQR, …): it
/// starts with the Payload Format Indicator `000201` or `000202`.
pub fn is_payload(text: &str) -> bool {
    text.starts_with("000201") || text.starts_with("000202")
}

/// The EMV scheme of a network of the `emv_mpm` rail.
fn scheme(network: Network) -> Option<emv::Scheme> {
    match network {
        Network::PayNow => Some(emv::PAYNOW),
        Network::PromptPay => Some(emv::PROMPTPAY),
        Network::DuitNow => Some(emv::DUITNOW),
        _ => None,
    }
}

/// Characters a name or a town may not hold on any rail: control characters (a line break
/// would end an EPC or Swiss line early; EMV and UPI refuse them).
/// A character no shown bank field may hold: a control character (a line break would end an
/// EPC or Swiss line early; EMV and UPI refuse them) or a bidirectional-text control, which
/// could reorder what the shopper reads (`U+202E` turns "RF18…" around).
fn hidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn plain(network: Network, field: &'static str, text: &str, max: usize) -> Result<(), RailError> {
    if text.chars().any(hidden_char) {
        return Err(RailError::Field {
            network,
            field,
            reason: "holds a control or text-direction character",
        });
    }
    if text.chars().count() > max {
        return Err(RailError::Field {
            network,
            field,
            reason: match max {
                25 => "is longer than 25 characters (the scheme's merchant name)",
                15 => "is longer than 15 characters (the scheme's merchant city)",
                35 => "is longer than 35 characters (the town of a QR-bill)",
                _ => "is longer than 70 characters (the scheme's name field)",
            },
        });
    }
    Ok(())
}

fn need(network: Network, field: &'static str, value: &Option<String>) -> Result<String, RailError> {
    value.clone().ok_or(RailError::Missing { network, field })
}

impl Bank {
    fn empty(network: Network, beneficiary: String) -> Bank {
        Bank {
            network,
            beneficiary,
            account: None,
            account_copy: None,
            bic: None,
            reference: None,
            city: None,
            given: None,
            given_amount: None,
            withheld: false,
            iban: None,
            creditor: None,
            swiss_reference: None,
            epc_remittance: None,
            pix_key: None,
            vpa: None,
            emv_account: None,
        }
    }

    /// Checks a bank-rail payment's `address` and rail fields for `asset` (a bank network's
    /// currency), and that its payload for `due` can be built (so a payment whose code cannot
    /// be made is never shown). `amount` is the whole amount: a payload the backend sent must
    /// ask for what is due (a stale one for the whole amount after a part was paid is
    /// withheld, not shown).
    pub fn check(
        asset: &Asset,
        address: &str,
        raw: &RawBank,
        amount: Amount,
        due: Amount,
    ) -> Result<Bank, RailError> {
        let network = asset.network;
        let address = address.trim();
        let bank = match network.rail() {
            Rail::SepaEpc => Bank::sepa(network, address, raw)?,
            Rail::SwissQr => Bank::swiss(network, address, raw)?,
            Rail::Pix => Bank::pix(network, address, raw)?,
            Rail::EmvMpm => Bank::emv(network, address, raw)?,
            Rail::Upi => Bank::upi(network, address, raw)?,
            Rail::Crypto => {
                return Err(RailError::PayloadScheme { network, reason: "not a bank rail" });
            }
        };
        let mut bank = bank;
        if let Some(asks) = bank.given_amount {
            // The backend's code must ask for what is due now. Still the whole amount after a
            // part was paid (a code not yet replaced): withheld, the screen says what remains.
            if due.is_zero() || asks == due {
            } else if asks == amount {
                bank.withheld = true;
            } else {
                return Err(RailError::PayloadAmount { asks: asks.to_decimal(), due: due.to_decimal() });
            }
        }
        // The code must be one the scheme's encoder writes, for what is due, or (nothing due)
        // for the whole amount: every field is checked, whatever the status.
        let asked = if due.is_zero() { amount } else { due };
        if !asked.is_zero() {
            bank.payload(asset, asked)?;
        }
        Ok(bank)
    }

    fn iban(network: Network, address: &str, countries: &[&str]) -> Result<Iban, RailError> {
        let iban = Iban::parse(address)?;
        if !countries.contains(&iban.country()) {
            return Err(RailError::IbanCountry { network, iban: iban.as_str().to_owned() });
        }
        Ok(iban)
    }

    fn sepa(network: Network, address: &str, raw: &RawBank) -> Result<Bank, RailError> {
        let iban = Bank::iban(network, address, &SEPA_COUNTRIES)?;
        let name = need(network, "beneficiary", &raw.beneficiary)?;
        plain(network, "beneficiary", &name, 70)?;
        let mut bank = Bank::empty(network, name);
        if let Some(bic) = &raw.bic {
            bank.bic = Some(Bic::parse(bic)?.as_str().to_owned());
        }
        let remittance = match raw.reference.as_deref() {
            None => Remittance::None,
            // "RF" and two digits: a creditor reference, which must then be a valid one.
            // (Hyphens are read as the spaces of the printed form: some providers print
            // `RF12-3456-…`.)
            Some(r)
                if r.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("RF"))
                    && r.as_bytes().get(2..4).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) =>
            {
                let rf = CreditorReference::parse(&r.replace('-', " "))?;
                bank.reference = Some(BankReference { shown: rf.grouped(), copy: rf.as_str().to_owned() });
                Remittance::Structured(rf)
            }
            Some(text) => {
                if text.chars().count() > MAX_REFERENCE_CHARS || text.chars().any(hidden_char) {
                    return Err(RailError::Field {
                        network,
                        field: "reference",
                        reason: "is not 1 to 140 characters of one line (the EPC remittance information)",
                    });
                }
                bank.reference = Some(BankReference { shown: text.to_owned(), copy: text.to_owned() });
                Remittance::Unstructured(text.to_owned())
            }
        };
        bank.account = Some((AccountKind::Iban, iban.grouped()));
        bank.account_copy = Some(iban.as_str().to_owned());
        bank.epc_remittance = Some(remittance);
        bank.iban = Some(iban);
        Ok(bank)
    }

    fn swiss(network: Network, address: &str, raw: &RawBank) -> Result<Bank, RailError> {
        let iban = Bank::iban(network, address, &["CH", "LI"])?;
        let name = need(network, "beneficiary", &raw.beneficiary)?;
        let creditor = swiss::Address {
            name: name.clone(),
            street: raw.street.clone().unwrap_or_default(),
            building: raw.building.clone().unwrap_or_default(),
            postcode: need(network, "postcode", &raw.postcode)?,
            town: need(network, "city", &raw.city)?,
            country: need(network, "country", &raw.country)?.to_ascii_uppercase(),
        };
        let qr_iban = swiss::is_qr_iban(&iban);
        let (reference, shown) = match raw.reference.as_deref() {
            None if qr_iban => return Err(RailError::Missing { network, field: "reference" }),
            None => (swiss::Reference::Non, None),
            Some(r) if r.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("RF")) => {
                let rf = CreditorReference::parse(r)?;
                let shown = BankReference { shown: rf.grouped(), copy: rf.as_str().to_owned() };
                (swiss::Reference::Scor(rf), Some(shown))
            }
            Some(r) => {
                let qrr = QrReference::parse(r)?;
                let shown = BankReference { shown: qrr.grouped(), copy: qrr.as_str().to_owned() };
                (swiss::Reference::Qrr(qrr), Some(shown))
            }
        };
        let mut bank = Bank::empty(network, name);
        bank.city = Some(creditor.town.clone());
        bank.account = Some((AccountKind::Iban, iban.grouped()));
        bank.account_copy = Some(iban.as_str().to_owned());
        bank.reference = shown;
        bank.iban = Some(iban);
        bank.creditor = Some(creditor);
        bank.swiss_reference = Some(reference);
        Ok(bank)
    }

    fn pix(network: Network, address: &str, raw: &RawBank) -> Result<Bank, RailError> {
        if is_payload(address) {
            let charge = PixCharge::decode(address)?;
            if MerchantQr::decode(address)?.tip.is_some() {
                return Err(RailError::PayloadScheme {
                    network,
                    reason: "it lets the payer add a tip or a fee",
                });
            }
            // A static code must name the amount; a dynamic one (a location) fetches it from the
            // provider that created this payment, which the form cannot check.
            if charge.amount.is_none() && matches!(charge.location, PixLocation::Key(_)) {
                return Err(RailError::PayloadScheme { network, reason: "it names no amount" });
            }
            let mut bank = Bank::empty(network, charge.name.clone());
            bank.city = Some(charge.city.clone());
            if let PixLocation::Key(key) = &charge.location {
                bank.account = Some((AccountKind::PixKey, key.as_str().to_owned()));
                bank.account_copy = Some(key.as_str().to_owned());
            }
            bank.reference = charge
                .txid
                .clone()
                .filter(|t| t != "***")
                .map(|t| BankReference { shown: t.clone(), copy: t });
            bank.given_amount = charge.amount;
            bank.given = Some(address.to_owned());
            return Ok(bank);
        }
        let key = PixKey::parse(address)?;
        let name = need(network, "beneficiary", &raw.beneficiary)?;
        plain(network, "beneficiary", &name, 25)?;
        let city = need(network, "city", &raw.city)?;
        plain(network, "city", &city, 15)?;
        let mut bank = Bank::empty(network, name);
        if let Some(txid) = &raw.reference {
            if txid.is_empty() || txid.len() > 25 || !txid.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(RailError::Field {
                    network,
                    field: "reference",
                    reason: "is not a Pix txid (1 to 25 letters and digits)",
                });
            }
            bank.reference = Some(BankReference { shown: txid.clone(), copy: txid.clone() });
        }
        bank.city = Some(city);
        bank.account = Some((AccountKind::PixKey, key.as_str().to_owned()));
        bank.account_copy = Some(key.as_str().to_owned());
        bank.pix_key = Some(key);
        Ok(bank)
    }

    fn emv(network: Network, address: &str, raw: &RawBank) -> Result<Bank, RailError> {
        let Some(scheme) = scheme(network) else {
            return Err(RailError::PayloadScheme { network, reason: "no EMV scheme" });
        };
        if is_payload(address) {
            let qr = MerchantQr::decode(address)?;
            let ours = qr.accounts.iter().any(|a| emv::Scheme::of(a) == Some(scheme));
            let reason = if !ours {
                Some("it has no merchant account of the scheme")
            } else if qr.currency != scheme.currency {
                Some("its currency is not the scheme's")
            } else if qr.country != scheme.country {
                Some("its country is not the scheme's")
            } else {
                None
            };
            let editable = qr
                .accounts
                .iter()
                .filter(|a| emv::Scheme::of(a) == Some(emv::PAYNOW))
                .any(|a| PayNowAccount::from_object(a).is_ok_and(|p| p.editable));
            let reason = reason.or(if qr.tip.is_some() {
                Some("it lets the payer add a tip or a fee")
            } else if qr.amount.is_none() {
                Some("it names no amount")
            } else if editable {
                Some("it lets the payer change the amount")
            } else {
                None
            });
            if let Some(reason) = reason {
                return Err(RailError::PayloadScheme { network, reason });
            }
            let mut bank = Bank::empty(network, qr.name.clone());
            bank.city = Some(qr.city.clone());
            bank.reference = qr
                .additional
                .iter()
                .find(|o| o.id == 1)
                .and_then(DataObject::as_text)
                .map(|t| BankReference { shown: t.to_owned(), copy: t.to_owned() });
            bank.given_amount = qr.amount;
            bank.given = Some(address.to_owned());
            return Ok(bank);
        }
        let proxy = |reason| RailError::Proxy { network, proxy: address.to_owned(), reason };
        let account = match network {
            Network::PayNow => {
                let p = if address.starts_with('+') {
                    PayNowProxy::Mobile(address.to_owned())
                } else {
                    PayNowProxy::Uen(address.to_ascii_uppercase())
                };
                PayNowAccount { proxy: p, editable: false, expiry: None }
                    .to_object()
                    .map_err(|_| proxy("expected +65 and 8 digits, or a UEN"))?
            }
            Network::PromptPay => {
                let digits = address.len() >= 13 && address.bytes().all(|b| b.is_ascii_digit());
                let account = match address.len() {
                    13 if digits => emv::PromptPayAccount::TaxId(address.to_owned()),
                    15 if digits => emv::PromptPayAccount::EWallet(address.to_owned()),
                    _ => emv::PromptPayAccount::mobile(address).map_err(|_| {
                        proxy("expected a mobile number (0 or +66 and 9 digits), a 13-digit ID or a 15-digit e-wallet ID")
                    })?,
                };
                account.to_object().map_err(|_| proxy("not a PromptPay target"))?
            }
            _ => return Err(proxy("a DuitNow QR is the acquirer's payload; the backend must send it whole")),
        };
        let name = need(network, "beneficiary", &raw.beneficiary)?;
        plain(network, "beneficiary", &name, 25)?;
        let city = need(network, "city", &raw.city)?;
        plain(network, "city", &city, 15)?;
        let mut bank = Bank::empty(network, name);
        if let Some(r) = &raw.reference {
            if r.chars().count() > 25 || r.chars().any(hidden_char) {
                return Err(RailError::Field {
                    network,
                    field: "reference",
                    reason: "is longer than 25 characters (the EMV bill number)",
                });
            }
            bank.reference = Some(BankReference { shown: r.clone(), copy: r.clone() });
        }
        // PayNow's proxy as the code carries it (a UEN in capitals).
        let shown = match network {
            Network::PayNow => account.child_text(2).unwrap_or(address).to_owned(),
            _ => address.to_owned(),
        };
        bank.city = Some(city);
        bank.account = Some((AccountKind::Proxy, shown.clone()));
        bank.account_copy = Some(shown);
        bank.emv_account = Some(account);
        Ok(bank)
    }

    fn upi(network: Network, address: &str, raw: &RawBank) -> Result<Bank, RailError> {
        let vpa = Vpa::parse(address)?;
        let name = need(network, "beneficiary", &raw.beneficiary)?;
        plain(network, "beneficiary", &name, 70)?;
        let mut bank = Bank::empty(network, name);
        if let Some(r) = &raw.reference {
            if r.chars().count() > 35 || r.chars().any(hidden_char) {
                return Err(RailError::Field {
                    network,
                    field: "reference",
                    reason: "is longer than 35 characters (a UPI transaction reference)",
                });
            }
            bank.reference = Some(BankReference { shown: r.clone(), copy: r.clone() });
        }
        bank.account = Some((AccountKind::UpiId, vpa.as_str().to_owned()));
        bank.account_copy = Some(vpa.as_str().to_owned());
        bank.vpa = Some(vpa);
        Ok(bank)
    }

    /// The QR code's text for `due` of `asset`: the scheme's exact payload (EPC, SPC, BR Code,
    /// EMV MPM, `upi://pay` link), or the backend's payload as sent.
    pub fn payload(&self, asset: &Asset, due: Amount) -> Result<String, RailError> {
        if let Some(given) = &self.given {
            return Ok(given.clone());
        }
        let network = self.network;
        let missing = || RailError::PayloadScheme { network, reason: "its fields were not checked" };
        match network.rail() {
            Rail::SepaEpc => {
                let transfer = Transfer {
                    version: epc::Version::V002,
                    bic: self.bic.as_deref().map(Bic::parse).transpose()?,
                    name: self.beneficiary.clone(),
                    iban: self.iban.clone().ok_or_else(missing)?,
                    amount: Some(due),
                    purpose: String::new(),
                    remittance: self.epc_remittance.clone().unwrap_or(Remittance::None),
                    information: String::new(),
                };
                Ok(transfer.encode()?)
            }
            Rail::SwissQr => {
                let bill = Bill {
                    account: self.iban.clone().ok_or_else(missing)?,
                    creditor: self.creditor.clone().ok_or_else(missing)?,
                    amount: Some(due),
                    currency: if asset.currency == "EUR" {
                        swiss::Currency::Eur
                    } else {
                        swiss::Currency::Chf
                    },
                    debtor: None,
                    reference: self.swiss_reference.clone().unwrap_or(swiss::Reference::Non),
                    message: String::new(),
                    billing: String::new(),
                    alternatives: Vec::new(),
                };
                Ok(bill.encode()?)
            }
            Rail::Pix => {
                let charge = PixCharge {
                    location: PixLocation::Key(self.pix_key.clone().ok_or_else(missing)?),
                    info: None,
                    withdrawal_agent: None,
                    amount: Some(due),
                    name: self.beneficiary.clone(),
                    city: self.city.clone().unwrap_or_default(),
                    txid: self.reference.as_ref().map(|r| r.copy.clone()),
                    single_use: false,
                };
                Ok(charge.encode()?)
            }
            Rail::EmvMpm => {
                let scheme = scheme(network).ok_or_else(missing)?;
                let account = self.emv_account.clone().ok_or_else(missing)?;
                let city = self.city.clone().unwrap_or_default();
                let mut qr = scheme.merchant_qr(account, &self.beneficiary, &city);
                qr.amount = Some(due);
                // A code with this payment's amount is for this payment only.
                qr.initiation = Some(Initiation::Dynamic);
                if let Some(r) = &self.reference {
                    qr.additional.push(DataObject::text(1, r.copy.clone()));
                }
                Ok(qr.encode()?)
            }
            Rail::Upi => {
                let mut link = UpiLink::new(self.vpa.clone().ok_or_else(missing)?, &self.beneficiary);
                link.reference = self.reference.as_ref().map(|r| r.copy.clone());
                link.amount = Some(due);
                Ok(link.to_uri()?)
            }
            Rail::Crypto => Err(missing()),
        }
    }

    /// The Swiss QR-bill's creditor (its address lines).
    pub fn creditor(&self) -> Option<&swiss::Address> {
        self.creditor.as_ref()
    }

    /// What the form shows: these details and the payload for `due` (none when nothing is due).
    pub fn view(&self, asset: &Asset, due: Amount) -> Result<BankView, RailError> {
        let payload = if due.is_zero() || self.withheld { String::new() } else { self.payload(asset, due)? };
        let part = |f: fn(&swiss::Address) -> &String| {
            self.creditor.as_ref().map(f).filter(|t| !t.is_empty()).cloned()
        };
        Ok(BankView {
            beneficiary: self.beneficiary.clone(),
            account: self.account.clone(),
            account_copy: self.account_copy.clone(),
            bic: self.bic.clone(),
            reference: self.reference.clone(),
            city: self.city.clone(),
            street: part(|c| &c.street),
            building: part(|c| &c.building),
            postcode: part(|c| &c.postcode),
            country: part(|c| &c.country),
            // Pix's code is also the "copia e cola" text; the other schemes' are scanned only.
            pasteable: !payload.is_empty() && self.network == Network::Pix,
            payload,
            max_qr_version: self.max_qr_version(),
            given: self.given.is_some(),
        })
    }

    /// The largest QR version the scheme allows (EPC: 13; Swiss QR-bill: 25; the others: 40).
    pub fn max_qr_version(&self) -> u8 {
        match self.network.rail() {
            Rail::SepaEpc => epc::MAX_QR_VERSION as u8,
            Rail::SwissQr => 25,
            _ => 40,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Sources of the vectors: the EPC's own example (EPC069-12 v3.1, "Red Cross of Belgium",
    //! BE72 0000 0000 1616, BIC BPOTBEB1); ISO 11649's example reference RF18 5390 0754 7034;
    //! the SWIFT IBAN Registry's example DE89 3704 0044 0532 0130 00; SIX's QR-bill example
    //! account CH44 3199 9123 0008 8901 2 (QR-IBAN) with QR reference 21 00000 00003 13947
    //! 14300 09017; the Brazilian central bank's BR Code manual's example key and CPF
    //! 123.456.789-09; the scheme modules' tests hold the rest of each scheme's vectors.

    use super::*;
    use crate::bank::epc::Transfer;
    use crate::bank::swiss::Bill;
    use crate::bank::upi::UpiLink;
    use crate::payment::{Payment, RawPayment};
    use crate::status::Status;

    fn raw(network: &str, currency: &str, amount: &str, address: &str, bank: RawBank) -> RawPayment {
        RawPayment {
            id: "p1".into(),
            status: Status::AwaitingPayment,
            amount: amount.into(),
            currency: currency.into(),
            network: network.into(),
            address: address.into(),
            bank,
            ..RawPayment::default()
        }
    }

    fn named(name: &str) -> RawBank {
        RawBank { beneficiary: Some(name.into()), ..RawBank::default() }
    }

    fn payload(p: &Payment) -> String {
        p.bank.as_ref().unwrap().payload.clone()
    }

    fn code(r: RawPayment) -> ErrorCode {
        r.validate().unwrap_err().code()
    }

    #[test]
    fn sepa_builds_the_epc_payload_of_the_guidelines_example() {
        let bank = RawBank {
            bic: Some("BPOTBEB1".into()),
            reference: Some("Urgency fund".into()),
            ..named("Red Cross of Belgium")
        };
        let p = raw("sepa_epc", "EUR", "1", "BE72 0000 0000 1616", bank).validate().unwrap();
        assert_eq!(p.address, "BE72000000001616");
        let b = p.bank.as_ref().unwrap();
        assert_eq!(b.account, Some((AccountKind::Iban, "BE72 0000 0000 1616".into())));
        assert_eq!(
            payload(&p),
            "BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\n\n\nUrgency fund"
        );
        let back = Transfer::decode(&payload(&p)).unwrap();
        assert_eq!(back.amount.unwrap().to_decimal(), "1");
    }

    #[test]
    fn sepa_takes_an_rf_reference_as_structured_and_asks_for_what_is_due() {
        let hyphens = RawBank { reference: Some("RF18-5390-0754-7034".into()), ..named("Payform Shop") };
        let p = raw("sepa_epc", "EUR", "1", "DE89370400440532013000", hyphens).validate().unwrap();
        assert_eq!(p.bank.unwrap().reference.unwrap().copy, "RF18539007547034");
        let bank = RawBank { reference: Some("rf18 5390 0754 7034".into()), ..named("Payform Shop") };
        let mut r = raw("sepa_epc", "EUR", "100.50", "DE89370400440532013000", bank);
        r.status = Status::Underpaid;
        r.paid = Some("40".into());
        let p = r.validate().unwrap();
        let b = p.bank.as_ref().unwrap();
        let rf = b.reference.as_ref().unwrap();
        assert_eq!((rf.shown.as_str(), rf.copy.as_str()), ("RF18 5390 0754 7034", "RF18539007547034"));
        let back = Transfer::decode(&payload(&p)).unwrap();
        assert_eq!(back.amount.unwrap().to_decimal(), "60.5");
        assert!(matches!(back.remittance, Remittance::Structured(ref r) if r.as_str() == "RF18539007547034"));
        assert_eq!(
            p.value(crate::payment::Field::Reference),
            crate::payment::FieldValue::Text("RF18539007547034")
        );
        assert_eq!(p.value(crate::payment::Field::Rail), crate::payment::FieldValue::Text("sepa_epc"));
    }

    #[test]
    fn swiss_builds_a_qr_bill_with_its_qr_reference() {
        let bank = RawBank {
            reference: Some("21 00000 00003 13947 14300 09017".into()),
            street: Some("Rue du Lac".into()),
            building: Some("1268".into()),
            postcode: Some("2501".into()),
            city: Some("Biel".into()),
            country: Some("ch".into()),
            ..named("Robert Schneider AG")
        };
        let p =
            raw("swiss_qr", "CHF", "1949.75", "CH44 3199 9123 0008 8901 2", bank.clone()).validate().unwrap();
        let text = payload(&p);
        assert!(text.starts_with("SPC\n0200\n1\nCH4431999123000889012\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH\n"), "{text}");
        let bill = Bill::decode(&text).unwrap();
        assert_eq!(bill.amount.unwrap().to_decimal(), "1949.75");
        assert!(
            matches!(bill.reference, swiss::Reference::Qrr(ref q) if q.as_str() == "210000000003139471430009017")
        );
        assert_eq!(p.bank.as_ref().unwrap().max_qr_version, 25);
        // EUR on a QR-bill too.
        let eur =
            raw("swiss_qr", "EUR", "10", "CH44 3199 9123 0008 8901 2", bank.clone()).validate().unwrap();
        assert_eq!(Bill::decode(&payload(&eur)).unwrap().currency, swiss::Currency::Eur);
        // A QR-IBAN needs its QR reference; a plain IBAN may not take one.
        let none = RawBank { reference: None, ..bank.clone() };
        assert_eq!(
            code(raw("swiss_qr", "CHF", "10", "CH4431999123000889012", none.clone())),
            ErrorCode::InvalidReference
        );
        assert!(raw("swiss_qr", "CHF", "10", "CH9300762011623852957", none).validate().is_ok());
        assert_eq!(
            code(raw("swiss_qr", "CHF", "10", "CH9300762011623852957", bank.clone())),
            ErrorCode::InvalidReference
        );
        // A German IBAN is no QR-bill account.
        assert_eq!(
            code(raw("swiss_qr", "CHF", "10", "DE89370400440532013000", bank.clone())),
            ErrorCode::InvalidIban
        );
        // The creditor's town is required.
        let no_town = RawBank { city: None, ..bank };
        assert_eq!(
            code(raw("swiss_qr", "CHF", "10", "CH4431999123000889012", no_town)),
            ErrorCode::InvalidBankDetails
        );
    }

    #[test]
    fn pix_builds_a_static_br_code_and_reads_one_sent_whole() {
        let bank = RawBank {
            city: Some("Sao Paulo".into()),
            reference: Some("PEDIDO42".into()),
            ..named("Fulano de Tal")
        };
        let p = raw("pix", "BRL", "10.50", "123e4567-e12b-12d1-a456-426655440000", bank).validate().unwrap();
        let text = payload(&p);
        let charge = PixCharge::decode(&text).unwrap();
        assert_eq!(charge.amount.unwrap().to_decimal(), "10.5");
        assert_eq!((charge.name.as_str(), charge.city.as_str()), ("Fulano de Tal", "Sao Paulo"));
        assert_eq!(charge.txid.as_deref(), Some("PEDIDO42"));
        assert!(p.bank.as_ref().unwrap().pasteable);
        // The same code, sent whole by the backend: shown as sent, its fields read from it.
        let whole = raw("pix", "BRL", "10.50", &text, RawBank::default()).validate().unwrap();
        assert_eq!(payload(&whole), text);
        let b = whole.bank.as_ref().unwrap();
        assert_eq!(b.beneficiary, "Fulano de Tal");
        assert_eq!(b.account.as_ref().map(|a| a.1.as_str()), Some("123e4567-e12b-12d1-a456-426655440000"));
        // …but not for another amount, nor once part of it was paid.
        assert_eq!(code(raw("pix", "BRL", "11", &text, RawBank::default())), ErrorCode::InvalidBankPayload);
        // Once part was paid, the whole amount's code is withheld (the screen says what
        // remains); a code for the remainder is shown; a code for another amount is refused.
        let mut part = raw("pix", "BRL", "10.50", &text, RawBank::default());
        part.status = Status::Underpaid;
        part.paid = Some("5".into());
        let withheld = part.clone().validate().unwrap().bank.unwrap();
        assert!(withheld.payload.is_empty() && !withheld.pasteable);
        let rest = raw(
            "pix",
            "BRL",
            "5.50",
            "123e4567-e12b-12d1-a456-426655440000",
            RawBank { city: Some("Sao Paulo".into()), ..named("Fulano de Tal") },
        );
        let rest = payload(&rest.validate().unwrap());
        let shown = RawPayment { address: rest.clone(), ..part.clone() }.validate().unwrap();
        assert_eq!(payload(&shown), rest);
        let other = raw(
            "pix",
            "BRL",
            "3",
            "123e4567-e12b-12d1-a456-426655440000",
            RawBank { city: Some("Sao Paulo".into()), ..named("Fulano de Tal") },
        );
        let other = payload(&other.validate().unwrap());
        assert_eq!(code(RawPayment { address: other, ..part }), ErrorCode::InvalidBankPayload);
        // A damaged code (its CRC no longer matches).
        let damaged = text.replacen("Sao Paulo", "Sao Paula", 1);
        assert_eq!(
            code(raw("pix", "BRL", "10.50", &damaged, RawBank::default())),
            ErrorCode::InvalidBankPayload
        );
    }

    #[test]
    fn emv_schemes_build_their_payload_with_the_scheme_template() {
        let bank = RawBank { city: Some("Singapore".into()), ..named("Payform Demo") };
        let p = raw("paynow", "SGD", "12.30", "201403121W", bank.clone()).validate().unwrap();
        let qr = MerchantQr::decode(&payload(&p)).unwrap();
        assert_eq!(qr.currency, "702");
        assert_eq!(qr.amount.unwrap().to_decimal(), "12.3");
        assert_eq!(emv::Scheme::of(&qr.accounts[0]), Some(emv::PAYNOW));
        assert_eq!(qr.initiation, Some(Initiation::Dynamic));
        let mobile = raw("paynow", "SGD", "1", "+6591234567", bank.clone()).validate().unwrap();
        assert!(MerchantQr::decode(&payload(&mobile)).is_ok());
        let th = RawBank { city: Some("Bangkok".into()), ..named("Payform Demo") };
        let p = raw("promptpay", "THB", "100", "0812345678", th.clone()).validate().unwrap();
        let qr = MerchantQr::decode(&payload(&p)).unwrap();
        assert_eq!((qr.currency.as_str(), qr.country.as_str()), ("764", "TH"));
        assert_eq!(
            emv::PromptPayAccount::from_object(&qr.accounts[0]).unwrap(),
            emv::PromptPayAccount::Mobile("0066812345678".into())
        );
        // A payload of another scheme is refused on this one.
        assert_eq!(
            code(raw("paynow", "SGD", "100", &payload(&p), RawBank::default())),
            ErrorCode::InvalidBankPayload
        );
        // Proxies of the wrong shape.
        assert_eq!(code(raw("paynow", "SGD", "1", "+6512", bank.clone())), ErrorCode::InvalidProxy);
        assert_eq!(code(raw("promptpay", "THB", "1", "12345", th)), ErrorCode::InvalidProxy);
        assert_eq!(code(raw("duitnow", "MYR", "1", "+60123456789", bank)), ErrorCode::InvalidProxy);
    }

    #[test]
    fn upi_builds_the_intent_link() {
        let bank = RawBank { reference: Some("ORDER-42".into()), ..named("Payform Demo") };
        let p = raw("upi", "INR", "499", "payform.demo@okaxis", bank.clone()).validate().unwrap();
        let link = UpiLink::parse(&payload(&p)).unwrap();
        assert_eq!(link.payee.as_str(), "payform.demo@okaxis");
        assert_eq!(link.amount.unwrap().to_decimal(), "499");
        assert_eq!(link.reference.as_deref(), Some("ORDER-42"));
        assert_eq!(code(raw("upi", "INR", "1", "payform.demo", bank.clone())), ErrorCode::InvalidUpiId);
        assert_eq!(
            code(raw("upi", "INR", "1", "payform.demo@okaxis", RawBank::default())),
            ErrorCode::InvalidBankDetails
        );
    }

    /// One test per invalid input class, with its own code.
    #[test]
    fn each_invalid_input_class_has_its_code() {
        let shop = || named("Payform Shop");
        let cases: Vec<(RawPayment, ErrorCode)> = vec![
            (raw("sepa_epc", "EUR", "1", "DE89370400440532013001", shop()), ErrorCode::InvalidIban),
            (raw("sepa_epc", "EUR", "1", "DE8937040044053201300", shop()), ErrorCode::InvalidIban),
            (raw("sepa_epc", "EUR", "1", "XX89370400440532013000", shop()), ErrorCode::InvalidIban),
            // Brazil has IBANs, but SEPA does not reach it.
            (raw("sepa_epc", "EUR", "1", "BR1800360305000010009795493C1", shop()), ErrorCode::InvalidIban),
            (
                raw(
                    "sepa_epc",
                    "EUR",
                    "1",
                    "DE89370400440532013000",
                    RawBank { bic: Some("DEUT".into()), ..shop() },
                ),
                ErrorCode::InvalidBic,
            ),
            (
                raw(
                    "sepa_epc",
                    "EUR",
                    "1",
                    "DE89370400440532013000",
                    RawBank { reference: Some("RF19539007547034".into()), ..shop() },
                ),
                ErrorCode::InvalidReference,
            ),
            (
                raw(
                    "sepa_epc",
                    "EUR",
                    "1",
                    "DE89370400440532013000",
                    RawBank { reference: Some("x".repeat(141)), ..shop() },
                ),
                ErrorCode::InvalidReference,
            ),
            (
                raw("sepa_epc", "EUR", "1", "DE89370400440532013000", RawBank::default()),
                ErrorCode::InvalidBankDetails,
            ),
            (
                raw("sepa_epc", "EUR", "1", "DE89370400440532013000", named(&"n".repeat(71))),
                ErrorCode::InvalidBankDetails,
            ),
            (
                raw("sepa_epc", "EUR", "1", "DE89370400440532013000", named("a\nb")),
                ErrorCode::InvalidBankDetails,
            ),
            (
                raw("sepa_epc", "EUR", "1000000000", "DE89370400440532013000", shop()),
                ErrorCode::InvalidAmount,
            ),
            (raw("sepa_epc", "EUR", "1.001", "DE89370400440532013000", shop()), ErrorCode::InvalidAmount),
            (raw("sepa_epc", "USD", "1", "DE89370400440532013000", shop()), ErrorCode::UnsupportedCurrency),
            (
                RawPayment {
                    rail: Some("pix".into()),
                    ..raw("sepa_epc", "EUR", "1", "DE89370400440532013000", shop())
                },
                ErrorCode::InvalidBankDetails,
            ),
            (
                raw("pix", "BRL", "1", "12345678900", RawBank { city: Some("Recife".into()), ..shop() }),
                ErrorCode::InvalidPixKey,
            ),
            (
                raw("pix", "BRL", "1", "fulano@", RawBank { city: Some("Recife".into()), ..shop() }),
                ErrorCode::InvalidPixKey,
            ),
            (
                raw(
                    "pix",
                    "BRL",
                    "1",
                    "12345678909",
                    RawBank { city: Some("Recife".into()), reference: Some("ab-c".into()), ..shop() },
                ),
                ErrorCode::InvalidReference,
            ),
            (
                raw(
                    "pix",
                    "BRL",
                    "1",
                    "12345678909",
                    RawBank { city: Some("Cidade Muito Comprida".into()), ..shop() },
                ),
                ErrorCode::InvalidBankDetails,
            ),
            (raw("pix", "BRL", "1", "000201010212", RawBank::default()), ErrorCode::InvalidBankPayload),
            (raw("upi", "INR", "1", "a@b@c", shop()), ErrorCode::InvalidUpiId),
            (
                raw("paynow", "SGD", "1", "12345", RawBank { city: Some("Singapore".into()), ..shop() }),
                ErrorCode::InvalidProxy,
            ),
        ];
        for (r, expected) in cases {
            let what = format!("{} {:?}", r.address, r.bank);
            let err = r.validate().unwrap_err();
            assert_eq!(err.code(), expected, "{what}: {err}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn a_crypto_payment_keeps_its_rail_and_ignores_bank_fields() {
        let mut r = raw("tron", "USDT", "25", "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6", named("Ignored"));
        r.rail = Some("crypto".into());
        let p = r.clone().validate().unwrap();
        assert!(p.bank.is_none());
        assert_eq!(p.value(crate::payment::Field::Beneficiary), crate::payment::FieldValue::Null);
        r.rail = Some("sepa_epc".into());
        assert_eq!(r.validate().unwrap_err().code(), ErrorCode::InvalidBankDetails);
    }

    /// Every single-character change of an IBAN or a creditor reference, to another character
    /// of its kind, is caught by its checksum (what mod 97 guarantees: see `iban`'s module
    /// docs), and the payment is not shown; a CPF key's changes are caught but for what its
    /// check digits cannot promise.
    #[test]
    fn every_single_character_change_is_caught() {
        let shop = || RawBank { city: Some("Recife".into()), ..named("Payform Shop") };
        let change = |text: &str, i: usize, c: char| {
            let mut v: Vec<char> = text.chars().collect();
            v[i] = c;
            v.into_iter().collect::<String>()
        };
        let same_kind = |c: char| -> Vec<char> {
            if c.is_ascii_digit() {
                ('0'..='9').collect()
            } else {
                ('A'..='Z').collect()
            }
        };
        for iban in ["DE89370400440532013000", "BE72000000001616", "CH9300762011623852957"] {
            let network = if iban.starts_with("CH") { "swiss_qr" } else { "sepa_epc" };
            let mut bank = shop();
            bank.postcode = Some("8000".into());
            bank.country = Some("CH".into());
            for (i, c) in iban.chars().enumerate() {
                for d in same_kind(c).into_iter().filter(|&d| d != c) {
                    let changed = change(iban, i, d);
                    let r = raw(
                        network,
                        if network == "sepa_epc" { "EUR" } else { "CHF" },
                        "1",
                        &changed,
                        bank.clone(),
                    );
                    assert!(r.validate().is_err(), "{changed} passed");
                }
            }
        }
        let rf = "RF18539007547034";
        for (i, c) in rf.chars().enumerate().skip(2) {
            for d in same_kind(c).into_iter().filter(|&d| d != c) {
                let bank = RawBank { reference: Some(change(rf, i, d)), ..shop() };
                let r = raw("sepa_epc", "EUR", "1", "DE89370400440532013000", bank);
                assert_eq!(
                    r.validate().unwrap_err().code(),
                    ErrorCode::InvalidReference,
                    "{}",
                    change(rf, i, d)
                );
            }
        }
        // A CPF's two mod-11 check digits write a remainder of 10 as 0, so they do not promise
        // to catch every change: a change may pass only through that collapse (both remainders
        // of the changed number, uncollapsed, differ from its check digits only by 10 → 0).
        let remainders = |d: &[u32]| {
            let r1 = (0..9).map(|i| d[i] * (10 - i as u32)).sum::<u32>() * 10 % 11;
            let r2 = (0..10).map(|i| d[i] * (11 - i as u32)).sum::<u32>() * 10 % 11;
            (r1, r2)
        };
        let cpf = "12345678909";
        let (mut caught, mut collapsed) = (0, 0);
        for (i, c) in cpf.chars().enumerate() {
            for d in same_kind(c).into_iter().filter(|&d| d != c) {
                let changed = change(cpf, i, d);
                match raw("pix", "BRL", "1", &changed, shop()).validate() {
                    Err(e) => {
                        assert_eq!(e.code(), ErrorCode::InvalidPixKey, "{changed}");
                        caught += 1;
                    }
                    Ok(_) => {
                        let digits: Vec<u32> = changed.chars().filter_map(|c| c.to_digit(10)).collect();
                        let original: Vec<u32> = cpf.chars().filter_map(|c| c.to_digit(10)).collect();
                        let ((a1, a2), (b1, b2)) = (remainders(&original), remainders(&digits));
                        let collapse = |a: u32, b: u32| a == b || (a.max(b) == 10 && a.min(b) == 0);
                        assert!(
                            collapse(a1, b1) && collapse(a2, b2) && (a1 != b1 || a2 != b2),
                            "{changed} passed without the 10 → 0 collapse"
                        );
                        collapsed += 1;
                    }
                }
            }
        }
        assert!(caught >= 95 && collapsed <= 4, "{caught} caught, {collapsed} through the collapse");
    }

    proptest::proptest! {
        /// Any valid field set round-trips: payment fields → the form's payload → the scheme's
        /// decoder → the same account, amount and reference.
        #[test]
        fn any_valid_sepa_payment_round_trips(
            cents in 1u64..99_999_999_999,
            body in "[0-9]{10}",
            reference in "[A-Z0-9]{1,21}",
            name in "[A-Za-z][A-Za-z .&-]{0,69}",
        ) {
            let prefix = "DE00";
            let check = crate::bank::iban::check_digits(&prefix[..2], &crate::cat!("37040044", body)).unwrap();
            let iban = crate::cat!("DE", crate::text::padded(u128::from(check), 2), "37040044", body);
            let rf = CreditorReference::create(&reference).unwrap();
            let amount = crate::cat!(crate::text::decimal(u128::from(cents / 100)), '.', crate::text::padded(u128::from(cents % 100), 2));
            let bank = RawBank { reference: Some(rf.as_str().into()), ..named(name.trim_end()) };
            let p = raw("sepa_epc", "EUR", &amount, &iban, bank).validate().unwrap();
            let back = Transfer::decode(&payload(&p)).unwrap();
            proptest::prop_assert_eq!(back.iban.as_str(), iban.as_str());
            proptest::prop_assert_eq!(back.amount.unwrap(), p.amount);
            proptest::prop_assert_eq!(back.name.as_str(), name.trim_end());
            proptest::prop_assert!(matches!(back.remittance, Remittance::Structured(ref r) if r == &rf));
            let m = crate::qr::QrMatrix::encode_bytes(&payload(&p), 13).unwrap();
            proptest::prop_assert!(m.version() <= 13);
        }

        #[test]
        fn any_valid_pix_and_upi_payment_round_trips(cents in 1u64..99_999_999, txid in "[A-Za-z0-9]{1,25}") {
            let amount = crate::cat!(crate::text::decimal(u128::from(cents / 100)), '.', crate::text::padded(u128::from(cents % 100), 2));
            let bank = RawBank { city: Some("Recife".into()), reference: Some(txid.clone()), ..named("Loja") };
            let p = raw("pix", "BRL", &amount, "+5561912345678", bank.clone()).validate().unwrap();
            let charge = PixCharge::decode(&payload(&p)).unwrap();
            proptest::prop_assert_eq!(charge.amount, Some(p.amount));
            proptest::prop_assert_eq!(charge.txid.as_deref(), Some(txid.as_str()));
            let whole = raw("pix", "BRL", &amount, &payload(&p), RawBank::default()).validate().unwrap();
            proptest::prop_assert_eq!(whole.bank.unwrap().reference.map(|r| r.copy), Some(txid.clone()));
            let u = raw("upi", "INR", &amount, "shop@upi", bank).validate().unwrap();
            let link = UpiLink::parse(&payload(&u)).unwrap();
            proptest::prop_assert_eq!(link.amount, Some(u.amount));
            proptest::prop_assert_eq!(link.reference, Some(txid));
        }
    }

    #[test]
    fn the_swiss_cross_sits_in_the_centre_at_seven_forty_sixths() {
        let m = crate::qr::QrMatrix::encode_bytes("SPC\n0200\n1", 25).unwrap();
        let [(frame, false), (square, true), (h, false), (v, false)] = crate::qr::swiss_cross(m.width())
        else {
            panic!("frame, square, two bars")
        };
        let centre = (crate::qr::QUIET_ZONE * 100 + m.width() * 50) as u64;
        for r in [frame, square, h, v] {
            assert!(
                (r[0] + r[2] / 2).abs_diff(centre) <= 1 && (r[1] + r[3] / 2).abs_diff(centre) <= 1,
                "{r:?}"
            );
        }
        assert_eq!(frame[2], (m.width() as u64 * 100) * 7 / 46);
        assert!(square[2] < frame[2] && h[2] < square[2] && h[3] < h[2] && v == [h[1], h[0], h[3], h[2]]);
        assert_eq!(crate::qr::hundredths(1234), "12.34");
        assert_eq!(crate::qr::hundredths(5), "0.05");
    }

    /// Each rail's code, drawn by the form's encoder (byte mode, level M) and read back by an
    /// independent decoder (rqrr), is its payload byte for byte, UTF-8 included.
    #[test]
    fn every_rail_s_qr_decodes_to_its_payload() {
        let swiss = RawBank {
            postcode: Some("8000".into()),
            city: Some("Zürich".into()),
            country: Some("CH".into()),
            street: Some("Bahnhofstraße".into()),
            ..named("Café Müller & Söhne")
        };
        let city = |c: &str| RawBank { city: Some(c.into()), ..named("Payform Demo") };
        let payments = [
            raw("sepa_epc", "EUR", "12.30", "DE89370400440532013000", named("Ökö Straße GmbH")),
            raw("swiss_qr", "CHF", "199.95", "CH9300762011623852957", swiss),
            raw("pix", "BRL", "10", "12345678909", city("Sao Paulo")),
            raw("paynow", "SGD", "5", "201403121W", city("Singapore")),
            raw("promptpay", "THB", "100", "0812345678", city("Bangkok")),
            raw("upi", "INR", "499", "shop@okaxis", named("Payform Demo")),
        ];
        for r in payments {
            let p = r.validate().unwrap();
            let text = payload(&p);
            let max = p.bank.as_ref().unwrap().max_qr_version;
            let m = crate::qr::QrMatrix::encode_bytes(&text, max).unwrap();
            assert!(m.version() <= max as usize);
            assert_eq!(crate::qr::tests::decode_svg_path(&m.svg_path(), m.view_size(), 4), text);
        }
    }

    /// The browser asks the rails' module through one JSON text each way: whatever `Local`
    /// answers, `ask` over `serve` answers the same (views and errors alike), and an answer
    /// that cannot be read is `Unavailable`, never a payment.
    #[test]
    fn asking_the_module_answers_what_local_answers() {
        let city =
            |c: &str| RawBank { city: Some(c.into()), reference: Some("A1".into()), ..named("Payform Demo") };
        let swiss = RawBank {
            reference: Some("RF18539007547034".into()),
            postcode: Some("8000".into()),
            city: Some("Zürich".into()),
            country: Some("CH".into()),
            street: Some("Bahnhofstrasse".into()),
            building: Some("1".into()),
            ..named("Müller \"AG\"")
        };
        let cases = [
            (
                "sepa_epc",
                "EUR",
                "DE89370400440532013000",
                RawBank { bic: Some("COBADEFFXXX".into()), ..city("x") },
            ),
            ("sepa_epc", "EUR", "DE89370400440532013001", city("x")),
            ("swiss_qr", "CHF", "CH9300762011623852957", swiss),
            ("pix", "BRL", "12345678909", city("Recife")),
            ("pix", "BRL", "12345678900", city("Recife")),
            ("paynow", "SGD", "+6591234567", city("Singapore")),
            ("upi", "INR", "shop@okaxis", city("x")),
            ("upi", "EUR", "shop@okaxis", city("x")),
        ];
        for (network, currency, address, raw) in cases {
            let r = RailRequest {
                network: Network::parse(network).unwrap(),
                currency,
                address,
                raw: &raw,
                amount: Amount::parse("12.5", 2).unwrap(),
                due: Amount::parse("12.5", 2).unwrap(),
            };
            let local = Local.check(&r);
            let remote = ask(&r, |text| Some(serve(text)));
            assert_eq!(local, remote, "{network} {address}");
        }
        let r = RailRequest {
            network: Network::Upi,
            currency: "INR",
            address: "shop@okaxis",
            raw: &named("x"),
            amount: Amount::parse("1", 2).unwrap(),
            due: Amount::parse("1", 2).unwrap(),
        };
        let ok = serve(&request_text(&r).unwrap());
        let short = ok.rsplit_once(SEP).unwrap().0.to_owned();
        let bad_version = ok.replace(&crate::cat!(SEP, "40", SEP), &crate::cat!(SEP, "41", SEP));
        assert!(ask(&r, |_| Some(ok.clone())).is_ok());
        for broken in [
            None,
            Some(String::new()),
            Some("{}".into()),
            Some("error\u{1f}nope\u{1f}x".into()),
            Some(short),
            Some(bad_version),
        ] {
            assert_eq!(ask(&r, |_| broken.clone()), Err(RailFailure::unavailable()), "{broken:?}");
        }
        assert_eq!(RailFailure::unavailable().code, ErrorCode::NetworkError);
        assert!(serve("not a request").starts_with("error\u{1f}network_error\u{1f}"));
        // A field holding the separator (a control character) never reaches the module.
        let raw = named("a\u{1f}b");
        let r = RailRequest { raw: &raw, ..r };
        assert_eq!(ask(&r, |_| panic!("not called")).unwrap_err().code, ErrorCode::InvalidBankDetails);
    }

    /// A backend's code that would let the shopper pay another amount is refused: no amount in
    /// a static code, a tip or fee indicator, a PayNow amount marked editable. A dynamic Pix
    /// code (a location) fetches its amount from the provider: accepted.
    #[test]
    fn a_backend_code_must_fix_the_amount() {
        let emv = |objects: Vec<DataObject>| crate::bank::emv::encode_objects(&objects).unwrap();
        let t = |id: u8, v: &str| DataObject::text(id, v);
        let pix_account = |sub: DataObject| DataObject::template(26, vec![t(0, "br.gov.bcb.pix"), sub]);
        let base = |account: DataObject, extra: Vec<DataObject>| {
            let mut o = vec![t(0, "01"), account, t(52, "0000"), t(53, "986")];
            o.extend(extra);
            o.extend([
                t(58, "BR"),
                t(59, "Loja"),
                t(60, "Recife"),
                DataObject::template(62, vec![t(5, "***")]),
            ]);
            o
        };
        let key = || pix_account(t(1, "12345678909"));
        let no_amount = emv(base(key(), vec![]));
        assert_eq!(
            code(raw("pix", "BRL", "10", &no_amount, RawBank::default())),
            ErrorCode::InvalidBankPayload
        );
        let tip = emv(base(key(), vec![t(54, "10.00"), t(55, "01")]));
        assert_eq!(code(raw("pix", "BRL", "10", &tip, RawBank::default())), ErrorCode::InvalidBankPayload);
        let fixed = emv(base(key(), vec![t(54, "10.00")]));
        assert!(raw("pix", "BRL", "10", &fixed, RawBank::default()).validate().is_ok());
        let dynamic = emv(base(pix_account(t(25, "pix.example.com/qr/v2/9d36b84f")), vec![]));
        let p = raw("pix", "BRL", "10", &dynamic, RawBank::default()).validate().unwrap();
        assert_eq!(payload(&p), dynamic);
        let paynow = |editable: &str| {
            let account = DataObject::template(
                26,
                vec![t(0, "SG.PAYNOW"), t(1, "2"), t(2, "201403121W"), t(3, editable)],
            );
            emv(vec![
                t(0, "01"),
                t(1, "12"),
                account,
                t(52, "0000"),
                t(53, "702"),
                t(54, "5.00"),
                t(58, "SG"),
                t(59, "Shop"),
                t(60, "Singapore"),
            ])
        };
        assert!(raw("paynow", "SGD", "5", &paynow("0"), RawBank::default()).validate().is_ok());
        assert_eq!(
            code(raw("paynow", "SGD", "5", &paynow("1"), RawBank::default())),
            ErrorCode::InvalidBankPayload
        );
    }

    /// Text a backend could use to mislead: direction controls in a name or a reference are
    /// refused; a reference in another script never breaks the reading (no slicing inside a
    /// character), it is free text or a refused reference.
    #[test]
    fn misleading_or_multibyte_text_is_refused_or_read_safely() {
        for name in ["Shop\u{202e}gfE", "\u{2066}Shop", "Shop\u{200f}"] {
            assert_eq!(
                code(raw("sepa_epc", "EUR", "1", "DE89370400440532013000", named(name))),
                ErrorCode::InvalidBankDetails
            );
        }
        let rtl = RawBank { reference: Some("RF18\u{202e}5390".into()), ..named("Shop") };
        assert_eq!(
            code(raw("sepa_epc", "EUR", "1", "DE89370400440532013000", rtl)),
            ErrorCode::InvalidReference
        );
        for reference in ["R€1234", "€", "RF€", "Rф", "ü"] {
            let sepa = RawBank { reference: Some(reference.into()), ..named("Shop") };
            let p = raw("sepa_epc", "EUR", "1", "DE89370400440532013000", sepa).validate().unwrap();
            assert_eq!(p.bank.unwrap().reference.unwrap().copy, reference);
            let swiss = RawBank {
                reference: Some(reference.into()),
                postcode: Some("8000".into()),
                city: Some("Zürich".into()),
                country: Some("CH".into()),
                ..named("Shop")
            };
            assert_eq!(
                code(raw("swiss_qr", "CHF", "1", "CH9300762011623852957", swiss)),
                ErrorCode::InvalidReference
            );
        }
        let uen = RawBank { city: Some("Singapore".into()), ..named("Shop") };
        let p = raw("paynow", "SGD", "1", "201403121w", uen).validate().unwrap();
        assert_eq!(p.bank.unwrap().account.unwrap().1, "201403121W", "the UEN as the code carries it");
    }

    /// When nothing is due, the fields are still checked (the code for the whole amount is
    /// built and dropped): a paid QR-bill with an overlong town is refused as well.
    #[test]
    fn fields_are_checked_whatever_the_status() {
        let swiss = RawBank {
            postcode: Some("8000".into()),
            city: Some("Z".repeat(36)),
            country: Some("CH".into()),
            ..named("Shop")
        };
        let mut r = raw("swiss_qr", "CHF", "10", "CH9300762011623852957", swiss);
        r.status = Status::Paid;
        r.paid = Some("10".into());
        assert_eq!(code(r), ErrorCode::InvalidBankDetails);
    }
}
