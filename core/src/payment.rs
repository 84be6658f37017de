//! The normalized payment: what every preset maps a backend's JSON into ([`RawPayment`],
//! plain strings as the backend sent them) and what the form renders ([`Payment`], every
//! field checked: known network and asset, exact amounts, a well-formed address, real times).

use crate::address::{self, AddressError};
use crate::bank::rail::{BankView, RailFailure, RailRequest, RawBank};
use crate::error::ErrorCode;
use crate::money::{Amount, AmountError};
use crate::network::{self, Asset, Network, NetworkError, NetworkMode};
use crate::status::Status;
use crate::time::{self, TimeError, UnixMs};
use std::fmt;

/// A fiat price shown next to the crypto amount; display text only, never used for paying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fiat {
    pub amount: String,
    pub currency: String,
}

/// Another currency/network the shopper may pay with instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayOption {
    pub currency: String,
    pub network: String,
    pub src: String,
}

/// A field of the payment. [`FIELDS`] describes each one; the order is the native format's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Status,
    Amount,
    Currency,
    Network,
    Address,
    Paid,
    Due,
    ExpiresAt,
    ServerTime,
    Confirmations,
    ConfirmationsRequired,
    Fiat,
    Description,
    Merchant,
    ReturnUrl,
    Options,
    Lightning,
    Txids,
    PaidAt,
    LateNote,
    Rail,
    Beneficiary,
    Bic,
    Reference,
    Street,
    Building,
    Postcode,
    City,
    Country,
}

/// What a field holds: how a reader turns the backend's value into it, and which mapping
/// constructs may produce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text as sent (an id, an address, a URL, a description).
    Text,
    /// The payment status, read through the format's status table.
    Status,
    /// An exact decimal amount, a string or a number in the body.
    Amount,
    /// A ticker; upper-cased.
    Currency,
    /// A network name; the usual aliases (`eth`, `trc20`, …) are accepted.
    Network,
    /// A time: Unix seconds or RFC 3339.
    Time,
    /// A whole number.
    Count,
    /// The object `{"amount", "currency"}`.
    Fiat,
    /// The array `[{"currency", "network", "src"}]`.
    Options,
    /// An array of texts (`["…", "…"]`).
    Texts,
}

/// One row of [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    /// The name in the native format, in mappings and in `detail.payment`.
    pub name: &'static str,
    /// Whether every format must give it.
    pub required: bool,
    pub kind: Kind,
}

const fn spec(field: Field, name: &'static str, required: bool, kind: Kind) -> FieldSpec {
    FieldSpec { field, name, required, kind }
}

/// The payment's fields, written once: the native reader, the mapping engine (known and
/// required names, error messages) and the events' `detail.payment` all walk this table.
pub const FIELDS: [FieldSpec; 30] = [
    spec(Field::Id, "id", true, Kind::Text),
    spec(Field::Status, "status", true, Kind::Status),
    spec(Field::Amount, "amount", true, Kind::Amount),
    spec(Field::Currency, "currency", true, Kind::Currency),
    spec(Field::Network, "network", true, Kind::Network),
    spec(Field::Address, "address", true, Kind::Text),
    spec(Field::Paid, "paid", false, Kind::Amount),
    spec(Field::Due, "due", false, Kind::Amount),
    spec(Field::ExpiresAt, "expires_at", false, Kind::Time),
    spec(Field::ServerTime, "server_time", false, Kind::Time),
    spec(Field::Confirmations, "confirmations", false, Kind::Count),
    spec(Field::ConfirmationsRequired, "confirmations_required", false, Kind::Count),
    spec(Field::Fiat, "fiat", false, Kind::Fiat),
    spec(Field::Description, "description", false, Kind::Text),
    spec(Field::Merchant, "merchant", false, Kind::Text),
    spec(Field::ReturnUrl, "return_url", false, Kind::Text),
    spec(Field::Options, "options", false, Kind::Options),
    spec(Field::Lightning, "lightning", false, Kind::Text),
    spec(Field::Txids, "txids", false, Kind::Texts),
    spec(Field::PaidAt, "paid_at", false, Kind::Time),
    spec(Field::LateNote, "late_note", false, Kind::Text),
    spec(Field::Rail, "rail", false, Kind::Text),
    spec(Field::Beneficiary, "beneficiary", false, Kind::Text),
    spec(Field::Bic, "bic", false, Kind::Text),
    spec(Field::Reference, "reference", false, Kind::Text),
    spec(Field::Street, "street", false, Kind::Text),
    spec(Field::Building, "building", false, Kind::Text),
    spec(Field::Postcode, "postcode", false, Kind::Text),
    spec(Field::City, "city", false, Kind::Text),
    spec(Field::Country, "country", false, Kind::Text),
];

impl Field {
    /// This field's row of [`FIELDS`].
    pub const fn spec(self) -> &'static FieldSpec {
        &FIELDS[self as usize]
    }

    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The field named `name` in the native format.
    pub fn parse(name: &str) -> Option<Field> {
        FIELDS.iter().find(|f| f.name == name).map(|f| f.field)
    }

    /// What the field means and must satisfy, in one line: the fields table of
    /// `docs/contract.md` (generated by `core/tests/contract.rs`). Native only: the bundle never
    /// carries it.
    #[cfg(not(target_arch = "wasm32"))]
    pub const fn doc(self) -> &'static str {
        match self {
            Field::Id => "The payment's id at the provider; not blank. Fixed once shown.",
            Field::Status => "One of the statuses below (a preset maps its provider's values to them).",
            Field::Amount => {
                "The price in whole units of `currency`: digits with an optional `.` (no sign, \
                 exponent or spaces), no more decimals than the asset has (trailing zeros aside); \
                 above 0 while funds are due. Fixed once shown."
            }
            Field::Currency => {
                "The asset's ticker, any case: one of the network's assets below. Fixed once shown."
            }
            Field::Network => {
                "A network id below (aliases such as `eth` or `trc20` are accepted). Fixed once shown."
            }
            Field::Address => {
                "Where to pay: valid on the network (format, checksum) and not an address no shopper \
                 may pay (a token contract, a burn address, …); for `lightning`, a BOLT11 invoice \
                 whose amount, if it names one, is `amount`. Fixed once shown."
            }
            Field::Paid => {
                "Received so far, written as `amount` is; absent: 0, or `amount − due` when only \
                 `due` is given."
            }
            Field::Due => {
                "Still to pay, written as `amount` is; absent: `amount − paid`. While funds are \
                 accepted (`awaiting_payment`, `underpaid`) exactly `amount − paid`, and above 0: \
                 the QR code asks for it."
            }
            Field::ExpiresAt => {
                "The deadline, RFC 3339 (`2026-11-24T02:00:00Z`) or Unix seconds: the countdown \
                 runs to it."
            }
            Field::ServerTime => {
                "The server's clock when it answered, as `expires_at`: the countdown's clock, and a \
                 snapshot older than one shown is ignored."
            }
            Field::Confirmations => "Confirmations so far (the *n* of *n of m* while `confirming`).",
            Field::ConfirmationsRequired => "Confirmations needed (the *m* of *n of m*, when above 0).",
            Field::Fiat => {
                "`{amount, currency}`, both required: the price in fiat, display text beside the \
                 amount, never used for paying."
            }
            Field::Description => "Shown above the status (an order number, say).",
            Field::Merchant => {
                "The shop's name, shown above the status and in the sentences that name the merchant."
            }
            Field::ReturnUrl => {
                "The paid screen's \"Return to the store\" link: https (http only to loopback), to an \
                 allowed host (the page's, `src`'s, one in `return-hosts`; in the hosted checkout also \
                 the framing shop's)."
            }
            Field::Options => {
                "`[{currency, network, src}]`, each required: other ways to pay, offered by the \
                 picker while nothing is paid; an option's `src` is followed only on the same origin."
            }
            Field::Lightning => {
                "`bitcoin` only: a BOLT11 invoice for exactly `amount`, offered beside the on-chain \
                 address in one BIP-321 QR (`bitcoin:ADDR?amount=…&lightning=…`) and on tabs of their \
                 own while nothing is paid. Checked as a `lightning` address is. Fixed once shown."
            }
            Field::Txids => {
                "The payment's transaction ids, at most 16: each shown on the receipt with a link to \
                 the network's block explorer when it has the network's shape (64 hex digits; `0x` + \
                 64 on EVM networks; base58 of 64 bytes on Solana); others are not shown."
            }
            Field::PaidAt => "When the payment was paid, as `expires_at`: the receipt's time.",
            Field::LateNote => {
                "What happens to a payment that arrives after `expires_at`, in the merchant's words \
                 (text, the first 280 characters): shown under \"Payment received after the deadline\"."
            }
            Field::Rail => {
                "How the payment is made: `crypto`, `sepa_epc`, `swiss_qr`, `pix`, `emv_mpm` or `upi`. \
                 Optional: `network` implies it (a bank rail's networks: `sepa_epc`, `swiss_qr`, `pix`, \
                 `paynow`, `promptpay`, `duitnow`, `upi`); given, it must agree."
            }
            Field::Beneficiary => {
                "Bank rails: the account holder's name, shown and put in the code (EPC and UPI: at \
                 most 70 characters; Swiss: 70, Latin characters; Pix and EMV: 25). Required unless \
                 `address` is a whole payload, which carries it."
            }
            Field::Bic => {
                "`sepa_epc`: the beneficiary bank's BIC (8 or 11 characters of its shape); optional."
            }
            Field::Reference => {
                "Bank rails: the payment reference, shown with a copy button and put in the code. \
                 `sepa_epc`: an `RF` creditor reference (checked, mod 97) or free text up to 140 \
                 characters; `swiss_qr`: a QR reference (27 digits, mod 10; required with a QR-IBAN, \
                 only with one) or an `RF` reference; `pix`: the txid (1–25 letters and digits); \
                 EMV: the bill number (up to 25); `upi`: `tr` (up to 35)."
            }
            Field::Street => "`swiss_qr`: the creditor's street (up to 70 characters); optional.",
            Field::Building => "`swiss_qr`: the creditor's building number (up to 16 characters); optional.",
            Field::Postcode => "`swiss_qr`: the creditor's postcode (1–16 characters); required there.",
            Field::City => {
                "The beneficiary's town: required for `swiss_qr` (up to 35 characters), `pix`, \
                 `paynow` and `promptpay` (the merchant city, up to 15), unless a payload carries it."
            }
            Field::Country => "`swiss_qr`: the creditor's country (two letters, ISO 3166-1); required there.",
        }
    }
}

/// One field of a validated payment, as the contract writes it (`detail.payment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    Null,
    Text(&'a str),
    /// An amount, written as its exact decimal text.
    Amount(Amount),
    /// A time, written as ISO 8601.
    Time(UnixMs),
    Count(u32),
    Fiat(&'a Fiat),
    Options(&'a [PayOption]),
    Texts(&'a [String]),
}

/// A payment as a preset read it: strings, not yet trusted (the status is already one of the
/// contract's: each format's reader looks it up once).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawPayment {
    pub id: String,
    pub status: Status,
    pub amount: String,
    pub currency: String,
    pub network: String,
    pub address: String,
    pub paid: Option<String>,
    pub due: Option<String>,
    pub expires_at: Option<String>,
    pub server_time: Option<String>,
    pub confirmations: Option<u32>,
    pub confirmations_required: Option<u32>,
    pub fiat: Option<Fiat>,
    pub description: Option<String>,
    pub merchant: Option<String>,
    pub return_url: Option<String>,
    pub options: Vec<PayOption>,
    pub lightning: Option<String>,
    pub txids: Vec<String>,
    pub paid_at: Option<String>,
    pub late_note: Option<String>,
    pub rail: Option<String>,
    /// The bank rails' fields (`beneficiary`, `bic`, `reference`, the creditor's address).
    pub bank: RawBank,
}

/// A validated payment, safe to show as payable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub status: Status,
    pub asset: &'static Asset,
    pub amount: Amount,
    /// Canonical address text (for Lightning: the BOLT11 invoice).
    pub address: String,
    pub paid: Amount,
    pub due: Amount,
    pub expires_at: Option<UnixMs>,
    pub server_time: Option<UnixMs>,
    pub confirmations: Option<u32>,
    pub confirmations_required: Option<u32>,
    pub fiat: Option<Fiat>,
    pub description: Option<String>,
    pub merchant: Option<String>,
    pub return_url: Option<String>,
    pub options: Vec<PayOption>,
    /// For an on-chain `bitcoin` payment, a BOLT11 invoice for `amount` (checked).
    pub lightning: Option<String>,
    /// Transaction ids of the network's shape (others were left out), at most [`MAX_TXIDS`].
    pub txids: Vec<String>,
    pub paid_at: Option<UnixMs>,
    /// At most [`MAX_NOTE_CHARS`] characters.
    pub late_note: Option<String>,
    /// A bank rail's checked details and its QR's text for what is due (`None` for crypto).
    pub bank: Option<BankView>,
    /// The mode the payment was checked in: a test payment (test network, testnet address)
    /// when [`NetworkMode::Test`].
    pub mode: NetworkMode,
}

/// The most transaction ids a payment keeps.
pub const MAX_TXIDS: usize = 16;
/// The longest `late_note` shown, in characters.
pub const MAX_NOTE_CHARS: usize = 280;

/// Whether `txid` has the shape of a transaction id on `network` (so a link to an explorer
/// built from it cannot point anywhere else): 64 hex digits (Bitcoin, Litecoin, Dogecoin,
/// Tron; a Lightning payment hash), `0x` and 64 hex digits (EVM), base58 of 86 to 88
/// characters (a Solana signature: 64 bytes).
pub fn txid_shape_ok(network: Network, txid: &str) -> bool {
    let hex64 = |t: &str| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit());
    match network.family() {
        network::Family::Evm => txid.strip_prefix("0x").is_some_and(hex64),
        network::Family::Bank => false,
        network::Family::Solana => {
            (86..=88).contains(&txid.len())
                && txid.bytes().all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'))
        }
        _ => hex64(txid),
    }
}

/// Why a payment cannot be displayed safely. Each has a stable `payform:error` code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentError {
    Missing(&'static str),
    Network(NetworkError),
    Amount {
        field: &'static str,
        source: AmountError,
    },
    Address(AddressError),
    Time {
        field: &'static str,
        source: TimeError,
    },
    ReturnUrl {
        url: String,
        why: crate::url::UrlError,
    },
    /// `amount`, `paid` and `due` do not add up, or nothing is left to pay while money is due.
    Inconsistent(String),
    /// A bank rail's account, fields or payload.
    Rail {
        network: Network,
        error: RailFailure,
    },
}

// Hand-written instead of `thiserror`, whose `#[error("{field}: {source}")]` expands to
// `write!` and would put `core::fmt` in the wasm (see `crate::text`): the message is built
// with `cat!`, `Display` only writes it, and `source` and `From` are what `thiserror` derived.
impl PaymentError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            PaymentError::Missing(field) => crate::cat!("the payment has no ", field),
            PaymentError::Network(e) => e.message(),
            PaymentError::Amount { field, source } => crate::cat!(field, ": ", source.message()),
            PaymentError::Address(e) => e.message(),
            PaymentError::Time { field, source } => crate::cat!(field, ": ", source.message()),
            PaymentError::ReturnUrl { url, why } => {
                crate::cat!("return_url \"", url, "\" was refused: ", why.message())
            }
            PaymentError::Inconsistent(why) => crate::cat!("the amounts disagree: ", why),
            PaymentError::Rail { error, .. } => error.message.clone(),
        }
    }
}

impl fmt::Display for PaymentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PaymentError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // `#[error(transparent)]`: the wrapped error stands in for this one, source and all.
            PaymentError::Network(e) => std::error::Error::source(e),
            PaymentError::Address(e) => std::error::Error::source(e),
            PaymentError::Amount { source, .. } => Some(source),
            PaymentError::Time { source, .. } => Some(source),
            PaymentError::Missing(_)
            | PaymentError::Rail { .. }
            | PaymentError::ReturnUrl { .. }
            | PaymentError::Inconsistent(_) => None,
        }
    }
}

impl From<NetworkError> for PaymentError {
    fn from(e: NetworkError) -> PaymentError {
        PaymentError::Network(e)
    }
}

impl From<AddressError> for PaymentError {
    fn from(e: AddressError) -> PaymentError {
        PaymentError::Address(e)
    }
}

impl PaymentError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> ErrorCode {
        match self {
            PaymentError::Missing(_) => ErrorCode::MissingField,
            PaymentError::Network(e) => e.code(),
            PaymentError::Amount { source, .. } => source.code(),
            PaymentError::Inconsistent(_) => ErrorCode::InvalidAmount,
            PaymentError::Address(e) => e.code(),
            PaymentError::Time { .. } => ErrorCode::InvalidTime,
            PaymentError::ReturnUrl { .. } => ErrorCode::InvalidReturnUrl,
            PaymentError::Rail { error, .. } => error.code,
        }
    }

    /// The payment's network, where the error knows it (the shopper's sentence names it).
    pub fn network(&self) -> Option<Network> {
        match self {
            PaymentError::Network(e) => e.network(),
            PaymentError::Address(e) => Some(e.network()),
            PaymentError::Rail { network, .. } => Some(*network),
            _ => None,
        }
    }
}

fn non_empty(field: &'static str, value: &str) -> Result<(), PaymentError> {
    if value.trim().is_empty() {
        Err(PaymentError::Missing(field))
    } else {
        Ok(())
    }
}

impl RawPayment {
    /// Checks every field and produces a payment that is safe to show, in live mode (real
    /// funds only: see [`RawPayment::validate_in`]).
    pub fn validate(self) -> Result<Payment, PaymentError> {
        self.validate_in(NetworkMode::Live)
    }

    /// Checks every field for a form in `mode`: in live mode a test network or a testnet
    /// address is refused, in test mode everything but those (`Network::check_mode`,
    /// `address::validate_in`).
    pub fn validate_in(self, mode: NetworkMode) -> Result<Payment, PaymentError> {
        non_empty("id", &self.id)?;
        non_empty("network", &self.network)?;
        non_empty("currency", &self.currency)?;
        non_empty("amount", &self.amount)?;
        let status = self.status;
        let network = Network::parse(&self.network)?;
        network.check_mode(mode)?;
        let asset = network::asset(network, &self.currency)?;
        let money = |field: &'static str, text: &str| {
            Amount::parse(text, asset.decimals).map_err(|source| PaymentError::Amount { field, source })
        };
        let amount = money("amount", &self.amount)?;
        let paid = match &self.paid {
            Some(p) => money("paid", p)?,
            None => Amount::zero(asset.decimals),
        };
        let due = match &self.due {
            Some(d) => money("due", d)?,
            None => amount.checked_sub(paid).unwrap_or(Amount::zero(asset.decimals)),
        };
        if status.accepts_funds() {
            check_due(amount, paid, due)?;
        }
        let rail = |error| PaymentError::Rail { network, error };
        crate::bank::rail::check_rail(network, self.rail.as_deref()).map_err(rail)?;
        let (address, bank) = if network.is_bank() {
            let to_pay = if status.accepts_funds() { due } else { Amount::zero(asset.decimals) };
            let request = RailRequest {
                network,
                currency: asset.currency,
                address: &self.address,
                raw: &self.bank,
                amount,
                due: to_pay,
            };
            let check = crate::bank::rail::checker().ok_or_else(RailFailure::unavailable).map_err(rail)?;
            let bank = check.check(&request).map_err(rail)?;
            let address = if bank.given {
                self.address.trim().to_owned()
            } else {
                bank.account_copy.clone().unwrap_or_default()
            };
            (address, Some(bank))
        } else {
            (address::validate_in(network, mode, self.address.trim())?, None)
        };
        if network == Network::Lightning {
            address::check_invoice_amount(&address, amount)?;
        }
        let when = |field: &'static str, v: &Option<String>| {
            v.as_deref()
                .map(|t| time::parse_timestamp(t).map_err(|source| PaymentError::Time { field, source }))
                .transpose()
        };
        let lightning = match self.lightning.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(invoice) => {
                if network != Network::Bitcoin {
                    return Err(PaymentError::Inconsistent(crate::cat!(
                        "a lightning invoice comes only with a bitcoin payment, not ",
                        network.id()
                    )));
                }
                let invoice = address::validate_in(Network::Lightning, mode, invoice)?;
                address::check_invoice_amount(&invoice, amount)?;
                // Beside an address, the invoice must ask for the amount itself: one without
                // an amount would let the shopper's wallet ask them to type one.
                if !matches!(address::invoice_amount_msat_in(&invoice, mode), Ok(Some(_))) {
                    return Err(PaymentError::Inconsistent(
                        "the lightning invoice names no amount; it must ask for `amount`".to_owned(),
                    ));
                }
                Some(invoice)
            }
        };
        let txids = self
            .txids
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| txid_shape_ok(network, t))
            .take(MAX_TXIDS)
            .collect();
        let late_note = self.late_note.map(|n| n.trim().chars().take(MAX_NOTE_CHARS).collect::<String>());
        let return_url = match self.return_url {
            Some(url) => match crate::url::parse_return_url(&url) {
                Ok(_) => Some(url),
                Err(why) => return Err(PaymentError::ReturnUrl { url, why }),
            },
            None => None,
        };
        Ok(Payment {
            id: self.id,
            status,
            asset,
            amount,
            address,
            paid,
            due,
            expires_at: when("expires_at", &self.expires_at)?,
            server_time: when("server_time", &self.server_time)?,
            confirmations: self.confirmations,
            confirmations_required: self.confirmations_required,
            fiat: self.fiat,
            description: self.description,
            merchant: self.merchant,
            return_url,
            options: self.options,
            lightning,
            txids,
            paid_at: when("paid_at", &self.paid_at)?,
            late_note: late_note.filter(|n| !n.is_empty()),
            bank,
            mode,
        })
    }
}

/// While money is due, the numbers must agree exactly, in atomic units: something is due
/// (`amount > 0`, `due > 0`) and `due == amount - paid`. Otherwise the text could say one
/// remainder while the QR asks for another.
fn check_due(amount: Amount, paid: Amount, due: Amount) -> Result<(), PaymentError> {
    let fail = |why: String| Err(PaymentError::Inconsistent(why));
    if amount.is_zero() {
        return fail("amount is 0 while the payment is awaiting funds".into());
    }
    match amount.checked_sub(paid) {
        None => fail(crate::cat!(
            "paid ",
            paid.to_decimal(),
            " is more than the amount ",
            amount.to_decimal(),
            " while funds are still due"
        )),
        Some(rest) if rest.is_zero() => fail(crate::cat!(
            "paid ",
            paid.to_decimal(),
            " covers the amount ",
            amount.to_decimal(),
            ", yet funds are still due"
        )),
        Some(rest) if rest != due => fail(crate::cat!(
            "due ",
            due.to_decimal(),
            " is not amount ",
            amount.to_decimal(),
            " minus paid ",
            paid.to_decimal(),
            " (",
            rest.to_decimal(),
            ")"
        )),
        Some(_) => Ok(()),
    }
}

impl Payment {
    pub fn network(&self) -> Network {
        self.asset.network
    }

    /// The block explorer the receipt links a transaction to (`Network::explorer`), except
    /// for a test payment on a chain whose test networks share one address format (bitcoin's
    /// testnet, testnet4, signet and regtest all use `tb1…`/`bcrt1…`): no explorer can be
    /// named for it, and a mainnet one would show nothing.
    pub fn explorer(&self) -> Option<(&'static str, &'static str)> {
        let network = self.network();
        (!self.mode.is_test() || network.is_test()).then(|| network.explorer()).flatten()
    }

    /// The value of `field`, as the contract writes it (the events' `detail.payment` walks
    /// [`FIELDS`] with this).
    pub fn value(&self, field: Field) -> FieldValue<'_> {
        fn text(t: &Option<String>) -> FieldValue<'_> {
            t.as_deref().map_or(FieldValue::Null, FieldValue::Text)
        }
        let time = |t: Option<UnixMs>| t.map_or(FieldValue::Null, FieldValue::Time);
        let count = |n: Option<u32>| n.map_or(FieldValue::Null, FieldValue::Count);
        match field {
            Field::Id => FieldValue::Text(&self.id),
            Field::Status => FieldValue::Text(self.status.as_str()),
            Field::Amount => FieldValue::Amount(self.amount),
            Field::Currency => FieldValue::Text(self.asset.currency),
            Field::Network => FieldValue::Text(self.network().id()),
            Field::Address => FieldValue::Text(&self.address),
            Field::Paid => FieldValue::Amount(self.paid),
            Field::Due => FieldValue::Amount(self.due),
            Field::ExpiresAt => time(self.expires_at),
            Field::ServerTime => time(self.server_time),
            Field::Confirmations => count(self.confirmations),
            Field::ConfirmationsRequired => count(self.confirmations_required),
            Field::Fiat => self.fiat.as_ref().map_or(FieldValue::Null, FieldValue::Fiat),
            Field::Description => text(&self.description),
            Field::Merchant => text(&self.merchant),
            Field::ReturnUrl => text(&self.return_url),
            Field::Options => FieldValue::Options(&self.options),
            Field::Lightning => text(&self.lightning),
            Field::Txids => FieldValue::Texts(&self.txids),
            Field::PaidAt => time(self.paid_at),
            Field::LateNote => text(&self.late_note),
            Field::Rail => FieldValue::Text(self.network().rail().id()),
            _ => self.bank_value(field),
        }
    }

    /// A bank rail field's value (`null` for crypto, and for a field the rail does not use).
    fn bank_value(&self, field: Field) -> FieldValue<'_> {
        self.bank.as_ref().and_then(|b| b.field(field)).map_or(FieldValue::Null, FieldValue::Text)
    }

    /// Whether an underpaid payment is short by about what an exchange's withdrawal fee takes:
    /// what is left is at most 5 % of the amount (the form then says why, and how much must
    /// still arrive).
    pub fn short_by_a_fee(&self) -> bool {
        self.status == Status::Underpaid && self.due.atomic().saturating_mul(20) <= self.amount.atomic()
    }

    /// Whether the backend's own times say the payment was paid after its deadline.
    pub fn paid_after_deadline(&self) -> bool {
        matches!((self.paid_at, self.expires_at), (Some(paid), Some(end)) if paid > end)
    }

    /// The BOLT11 invoice to offer beside the address: only while the whole amount is to pay
    /// (the invoice is for `amount`, not for a remainder).
    pub fn invoice_to_offer(&self) -> Option<&str> {
        (self.status == Status::AwaitingPayment && self.paid.is_zero())
            .then_some(self.lightning.as_deref())?
    }

    /// What the shopper still has to send: while funds are accepted, `due` (checked to be
    /// exactly `amount - paid`, and more than zero); otherwise the full amount (shown only as
    /// the price). The text, the copy button, the wallet link and the QR all use this value.
    pub fn to_pay(&self) -> Amount {
        if self.status.accepts_funds() {
            self.due
        } else {
            self.amount
        }
    }

    /// The fiat value of [`to_pay`](Self::to_pay): the order's fiat price while the whole
    /// amount is to pay; for a remainder, the same share of it (`fiat × to_pay / amount`),
    /// rounded half up to the price's decimals (at least 2, at most 18). `None` without a fiat
    /// price, when the price is not a plain decimal, or when the share does not fit in 128 bits:
    /// no figure rather than the whole order's beside a remainder.
    pub fn fiat_to_pay(&self) -> Option<Fiat> {
        let fiat = self.fiat.as_ref()?;
        let part = self.to_pay();
        if part == self.amount {
            return Some(fiat.clone());
        }
        let whole = self.amount.atomic();
        if whole == 0 || part.decimals() != self.amount.decimals() {
            return None;
        }
        let shown = fiat.amount.split_once('.').map_or(0, |(_, f)| f.len());
        let decimals = u8::try_from(shown.clamp(2, 18)).ok()?;
        let price = Amount::parse(&fiat.amount, decimals).ok()?.atomic();
        let product = price.checked_mul(part.atomic())?;
        let (share, rest) = (product / whole, product % whole);
        // Half up: the rest is at least half of `whole` (written so that nothing overflows).
        let share = if rest >= whole - rest { share.checked_add(1)? } else { share };
        Some(Fiat {
            amount: Amount::from_atomic(share, decimals).to_decimal(),
            currency: fiat.currency.clone(),
        })
    }
}

/// A 25 USDT-on-Tron payment with `status` (one of the contract's names; anything else is a
/// bug in the calling test), as the tests of several modules (and of the ui floor) need one.
/// Unused in a build, so it never reaches the wasm.
#[doc(hidden)]
pub fn tron_usdt(status: &str) -> RawPayment {
    RawPayment {
        id: "p".into(),
        // `panic_any` with the text built by `cat!`: the same message, without `core::fmt`.
        status: Status::parse(status).unwrap_or_else(|| {
            std::panic::panic_any(crate::cat!("tron_usdt: \"", status, "\" is not a status"))
        }),
        amount: "25".into(),
        currency: "USDT".into(),
        network: "tron".into(),
        address: "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6".into(),
        ..RawPayment::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawPayment {
        RawPayment {
            id: "pay_1".into(),
            status: Status::AwaitingPayment,
            amount: "25.00".into(),
            currency: "USDT".into(),
            network: "tron".into(),
            address: "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6".into(),
            paid: Some("10".into()),
            ..RawPayment::default()
        }
    }

    #[test]
    fn the_field_table_is_in_the_order_of_its_enum() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.field as usize, i, "{}", f.name);
            assert_eq!(Field::parse(f.name), Some(f.field));
        }
        let required: Vec<&str> = FIELDS.iter().filter(|f| f.required).map(|f| f.name).collect();
        assert_eq!(required, ["id", "status", "amount", "currency", "network", "address"]);
        let p = raw().validate().unwrap();
        assert_eq!(p.value(Field::Due), FieldValue::Amount(p.due));
        assert_eq!(p.value(Field::Network), FieldValue::Text("tron"));
        assert_eq!(p.value(Field::ExpiresAt), FieldValue::Null);
    }

    fn with_fiat(amount: &str, paid: Option<&str>, status: Status, fiat: &str) -> Payment {
        RawPayment {
            amount: amount.into(),
            paid: paid.map(Into::into),
            status,
            fiat: Some(Fiat { amount: fiat.into(), currency: "USD".into() }),
            ..raw()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn the_fiat_figure_is_that_of_what_is_left_to_pay() {
        use Status::*;
        let fiat = |p: &Payment| p.fiat_to_pay().map(|f| f.amount);
        // Nothing paid: the order's price as the backend wrote it.
        assert_eq!(fiat(&with_fiat("25", None, AwaitingPayment, "25.00")).as_deref(), Some("25.00"));
        // A remainder: its share of the price, half up at the price's decimals (at least 2).
        assert_eq!(fiat(&with_fiat("25", Some("12.5"), Underpaid, "25.00")).as_deref(), Some("12.5"));
        assert_eq!(fiat(&with_fiat("3", Some("1"), Underpaid, "10.00")).as_deref(), Some("6.67"));
        assert_eq!(fiat(&with_fiat("3", Some("2"), Underpaid, "10.00")).as_deref(), Some("3.33"));
        assert_eq!(fiat(&with_fiat("4", Some("3"), Underpaid, "0.1")).as_deref(), Some("0.03"));
        assert_eq!(fiat(&with_fiat("4", Some("3"), Underpaid, "0.099")).as_deref(), Some("0.025"));
        assert_eq!(fiat(&with_fiat("25", Some("10"), Underpaid, "1999")).as_deref(), Some("1199.4"));
        // Paid: the receipt shows the order, so its price.
        assert_eq!(fiat(&with_fiat("25", Some("25"), Paid, "25.00")).as_deref(), Some("25.00"));
        // No figure rather than a wrong one: a price that is not a plain decimal, or none.
        assert_eq!(fiat(&with_fiat("25", Some("10"), Underpaid, "25,00")), None);
        assert_eq!(fiat(&with_fiat("25", Some("10"), Underpaid, "1e3")), None);
        assert_eq!(RawPayment { status: Underpaid, ..raw() }.validate().unwrap().fiat_to_pay(), None);
        // The currency stays the price's.
        let p = with_fiat("25", Some("10"), Underpaid, "30");
        assert_eq!(p.fiat_to_pay(), Some(Fiat { amount: "18".into(), currency: "USD".into() }));
    }

    proptest::proptest! {
        /// The share is `price × part / whole` to within half a unit of the price's last decimal.
        #[test]
        fn the_remainder_share_is_exact_to_half_a_cent(
            whole in 2u128..1_000_000_000_000u128,
            paid_part in 1u128..1_000_000u128,
            cents in 0u128..10_000_000_000u128,
        ) {
            let paid = 1 + paid_part % (whole - 1);
            let text = |units: u128| Amount::from_atomic(units, 6).to_decimal();
            let price = Amount::from_atomic(cents, 2).to_decimal();
            let p = with_fiat(&text(whole), Some(&text(paid)), Status::Underpaid, &price);
            let share = Amount::parse(&p.fiat_to_pay().unwrap().amount, 2).unwrap().atomic();
            let exact = cents * (whole - paid);
            let got = share * whole;
            proptest::prop_assert!(2 * got.abs_diff(exact) <= whole, "{share} for {cents} x {}/{whole}", whole - paid);
        }
    }

    #[test]
    fn validates_and_derives_the_due_amount() {
        let p = raw().validate().unwrap();
        assert_eq!(p.amount.to_string(), "25");
        assert_eq!(p.due.to_string(), "15");
        assert_eq!(p.asset.decimals, 6);
    }

    #[test]
    fn every_bad_field_has_a_code() {
        use ErrorCode::*;
        // The code, and the network the shopper's sentence names where it has one.
        type Case = (fn(&mut RawPayment), ErrorCode, Option<Network>);
        let tron = Some(Network::Tron);
        let cases: [Case; 13] = [
            (|r| r.due = Some("14".into()), InvalidAmount, None),
            (|r| r.paid = Some("25".into()), InvalidAmount, None),
            (|r| r.paid = Some("30".into()), InvalidAmount, None),
            (|r| r.amount = "0".into(), InvalidAmount, None),
            (|r| r.return_url = Some("http://shop.example/".into()), InvalidReturnUrl, None),
            (|r| r.amount = "1e5".into(), InvalidAmount, None),
            (|r| r.amount = "1.0000001".into(), InvalidAmount, None),
            (|r| r.network = "ripple".into(), UnsupportedNetwork, None),
            (|r| r.currency = "DOGE".into(), UnsupportedCurrency, tron),
            (|r| r.address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into(), InvalidAddress, tron),
            (|r| r.address = " ".into(), InvalidAddress, tron),
            (|r| r.address = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(), ForbiddenAddress, tron),
            (|r| r.return_url = Some("javascript:alert(1)".into()), InvalidReturnUrl, None),
        ];
        for (mutate, code, network) in cases {
            let mut r = raw();
            mutate(&mut r);
            let err = r.validate().unwrap_err();
            assert_eq!((err.code(), err.network()), (code, network), "{err}");
        }
        let mut r = raw();
        r.id.clear();
        assert_eq!(r.validate(), Err(PaymentError::Missing("id")));
        assert_eq!(PaymentError::Missing("id").code(), MissingField);
    }

    #[test]
    fn the_numbers_agree_exactly_while_money_is_due() {
        let mut r = raw();
        r.due = Some("15.000000".into());
        assert_eq!(r.validate().unwrap().to_pay().to_string(), "15");
        // Once nothing more is accepted, paid may exceed the amount (overpaid) and due is moot.
        let mut r = raw();
        r.status = Status::Overpaid;
        r.paid = Some("30".into());
        r.due = Some("0".into());
        assert_eq!(r.validate().unwrap().to_pay().to_string(), "25");
        let mut r = raw();
        r.due = Some("15.000001".into());
        let err = r.validate().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidAmount);
        assert!(err.to_string().contains("due 15.000001 is not amount 25 minus paid 10 (15)"), "{err}");
    }

    #[test]
    fn every_error_says_what_it_said() {
        use crate::url::UrlError;
        use std::error::Error;
        let network = NetworkError::UnknownNetwork("ripple".into());
        let address =
            AddressError::Burn { address: "T9y".into(), network: Network::Tron, what: "the zero address" };
        let amount = AmountError::TooPrecise("0.001".into(), 3, 2);
        let time = TimeError("tomorrow".into());
        let cases = [
            (PaymentError::Missing("currency"), format!("the payment has no {}", "currency")),
            (PaymentError::from(network.clone()), format!("{network}")),
            (
                PaymentError::Amount { field: "paid", source: amount.clone() },
                format!("{}: {}", "paid", amount),
            ),
            (PaymentError::from(address.clone()), format!("{address}")),
            (
                PaymentError::Time { field: "expires_at", source: time.clone() },
                format!("{}: {}", "expires_at", time),
            ),
            (
                PaymentError::ReturnUrl { url: "http://shop.example/".into(), why: UrlError::Insecure },
                format!("return_url \"{}\" was refused: {}", "http://shop.example/", UrlError::Insecure),
            ),
            (
                PaymentError::Inconsistent("paid 30 covers the amount 25".into()),
                format!("the amounts disagree: {}", "paid 30 covers the amount 25"),
            ),
        ];
        for (err, want) in &cases {
            assert_eq!(&err.to_string(), want);
        }
        // What `thiserror` derived: `From` for the transparent ones, `source` for `source` fields.
        assert_eq!(
            PaymentError::from(network),
            PaymentError::Network(NetworkError::UnknownNetwork("ripple".into()))
        );
        let sources: Vec<Option<String>> =
            cases.iter().map(|(e, _)| e.source().map(|s| s.to_string())).collect();
        let want = [None, None, Some(amount.to_string()), None, Some(time.to_string()), None, None];
        assert_eq!(sources, want);
    }

    #[test]
    fn the_disagreements_say_what_they_said() {
        let cases = [("25", "30", "0"), ("25", "25", "1"), ("25", "10", "15.000001"), ("0.000001", "0", "1")];
        for (amount, paid, due) in cases {
            let r = RawPayment {
                status: Status::Underpaid,
                amount: amount.into(),
                paid: Some(paid.into()),
                due: Some(due.into()),
                ..tron_usdt("awaiting_payment")
            };
            let a = |t: &str| Amount::parse(t, 6).unwrap();
            let (amount, paid, due) = (a(amount), a(paid), a(due));
            let why = match amount.checked_sub(paid) {
                None => format!("paid {paid} is more than the amount {amount} while funds are still due"),
                Some(rest) if rest.is_zero() => {
                    format!("paid {paid} covers the amount {amount}, yet funds are still due")
                }
                Some(rest) => format!("due {due} is not amount {amount} minus paid {paid} ({rest})"),
            };
            assert_eq!(r.validate(), Err(PaymentError::Inconsistent(why)));
        }
        let r = RawPayment { amount: "0".into(), ..tron_usdt("awaiting_payment") };
        let want = PaymentError::Inconsistent("amount is 0 while the payment is awaiting funds".into());
        assert_eq!(r.validate(), Err(want));
    }

    #[test]
    #[should_panic(expected = "tron_usdt: \"nope\" is not a status")]
    fn the_fixture_names_a_wrong_status() {
        tron_usdt("nope");
    }

    /// For every split of an amount into paid + due (atomic units, any decimals), the form
    /// accepts exactly the consistent ones and asks for exactly `due`.
    #[test]
    fn test_payments_need_test_mode_and_test_mode_needs_test_payments() {
        use crate::network::NetworkMode::{Live, Test};
        let raw = |network: &str, currency: &str, amount: &str, address: &str| RawPayment {
            network: network.into(),
            currency: currency.into(),
            amount: amount.into(),
            address: address.into(),
            ..tron_usdt("awaiting_payment")
        };
        // BOLT #11's testnet example (20 mBTC); BIP-350's testnet P2WSH.
        let lntb = "lntb20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un989qrsgqdj545axuxtnfemtpwkc45hx9d2ft7x04mt8q7y6t0k2dge9e7h8kpy9p34ytyslj3yu569aalz2xdk8xkd7ltxqld94u8h2esmsmacgpghe9k8";
        let tb1 = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
        let cases = [
            raw("bitcoin", "BTC", "0.5", tb1),
            raw("lightning", "BTC", "0.02", lntb),
            raw("sepolia", "USDC", "25", "0x52908400098527886E0F7030069857D2E4169EE7"),
            raw("hoodi", "ETH", "0.1", "0x52908400098527886E0F7030069857D2E4169EE7"),
            raw("tron_nile", "USDT", "25", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"),
            raw("solana_devnet", "SOL", "1", "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"),
        ];
        for r in cases {
            let p = r.clone().validate_in(Test).unwrap_or_else(|e| panic!("{}: {e}", r.network));
            assert_eq!(p.mode, Test);
            let err = r.clone().validate().unwrap_err();
            let want = if r.network == "bitcoin" || r.network == "lightning" {
                ErrorCode::InvalidAddress
            } else {
                ErrorCode::UnsupportedNetwork
            };
            assert_eq!(err.code(), want, "{}: {err}", r.network);
            assert!(err.to_string().contains("set network-mode=\"test\""), "{err}");
        }
        // A test invoice's amount is checked as a mainnet one's.
        let wrong = raw("lightning", "BTC", "0.03", lntb).validate_in(Test).unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::InvoiceAmountMismatch);
        // Beside a testnet address, a test invoice (BIP-321's `lightning=`), in test mode only.
        let both = RawPayment { lightning: Some(lntb.into()), ..raw("bitcoin", "BTC", "0.02", tb1) };
        assert_eq!(both.clone().validate_in(Test).unwrap().lightning.as_deref(), Some(lntb));
        let both_mainnet =
            RawPayment { lightning: Some(INVOICE_2500U.into()), ..raw("bitcoin", "BTC", "0.0025", tb1) };
        assert_eq!(both_mainnet.validate_in(Test).unwrap_err().code(), ErrorCode::InvalidAddress);
        // Real payments in a test form: refused.
        let live = tron_usdt("awaiting_payment");
        assert_eq!(live.clone().validate().unwrap().mode, Live);
        let err = live.validate_in(Test).unwrap_err();
        assert_eq!((err.code(), err.network()), (ErrorCode::UnsupportedNetwork, Some(Network::Tron)));
        let err = raw("bitcoin", "BTC", "1", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
            .validate_in(Test)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidAddress);
        assert!(err.to_string().contains("test mode shows only test networks"), "{err}");
    }

    #[test]
    fn a_test_payment_links_only_to_a_test_explorer() {
        use crate::network::NetworkMode::Test;
        let txid = "0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b";
        let sepolia = RawPayment {
            network: "sepolia".into(),
            currency: "ETH".into(),
            address: "0x52908400098527886E0F7030069857D2E4169EE7".into(),
            txids: vec![txid.into()],
            ..tron_usdt("paid")
        };
        assert_eq!(sepolia.validate_in(Test).unwrap().explorer().map(|e| e.0), Some("sepolia.etherscan.io"));
        let regtest = RawPayment {
            network: "bitcoin".into(),
            currency: "BTC".into(),
            address: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080".into(),
            ..tron_usdt("paid")
        };
        assert_eq!(
            regtest.validate_in(Test).unwrap().explorer(),
            None,
            "no mainnet explorer for a test chain"
        );
        assert_eq!(tron_usdt("paid").validate().unwrap().explorer().map(|e| e.0), Some("tronscan.org"));
    }

    #[test]
    fn due_is_accepted_iff_it_is_amount_minus_paid() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let amount = 1 + x % 1_000_000;
            let paid = (x >> 20) % (amount + 2);
            let due = if x & 1 == 0 { amount.saturating_sub(paid) } else { (x >> 40) % (amount + 2) };
            let r = RawPayment {
                status: if paid == 0 { Status::AwaitingPayment } else { Status::Underpaid },
                amount: format!("{}.{:06}", amount / 1_000_000, amount % 1_000_000),
                paid: Some(format!("{}.{:06}", paid / 1_000_000, paid % 1_000_000)),
                due: Some(format!("{}.{:06}", due / 1_000_000, due % 1_000_000)),
                ..tron_usdt("awaiting_payment")
            };
            let consistent = paid < amount && due == amount - paid;
            match r.validate() {
                Ok(p) => {
                    assert!(consistent, "{amount} {paid} {due} accepted");
                    assert_eq!(p.to_pay(), p.due);
                }
                Err(e) => {
                    assert!(!consistent, "{amount} {paid} {due} refused: {e}");
                    assert_eq!(e.code(), ErrorCode::InvalidAmount);
                }
            }
        }
    }

    // BOLT #11's "Examples" (lightning/bolts, 11-payment-encoding.md): 2500u = 0.0025 BTC.
    const INVOICE_2500U: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    fn bitcoin(amount: &str) -> RawPayment {
        RawPayment {
            id: "p".into(),
            status: Status::AwaitingPayment,
            amount: amount.into(),
            currency: "BTC".into(),
            network: "bitcoin".into(),
            address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".into(),
            ..RawPayment::default()
        }
    }

    #[test]
    fn a_lightning_invoice_is_checked_like_a_lightning_address_and_only_beside_bitcoin() {
        let ok =
            RawPayment { lightning: Some(INVOICE_2500U.into()), ..bitcoin("0.0025") }.validate().unwrap();
        assert_eq!(ok.lightning.as_deref(), Some(INVOICE_2500U));
        assert_eq!(ok.invoice_to_offer(), Some(INVOICE_2500U));
        let wrong_amount =
            RawPayment { lightning: Some(INVOICE_2500U.into()), ..bitcoin("0.003") }.validate();
        assert_eq!(wrong_amount.unwrap_err().code(), ErrorCode::InvoiceAmountMismatch);
        let mut broken = INVOICE_2500U.to_owned();
        broken.replace_range(20..21, "q");
        let bad = RawPayment { lightning: Some(broken), ..bitcoin("0.0025") }.validate().unwrap_err();
        assert_eq!(bad.code(), ErrorCode::InvalidAddress);
        let tron =
            RawPayment { lightning: Some(INVOICE_2500U.into()), ..tron_usdt("awaiting_payment") }.validate();
        assert!(tron.unwrap_err().to_string().contains("only with a bitcoin payment"));
        // The same invoice with no amount (a valid `lnbc` invoice): refused beside an address.
        use bech32::primitives::decode::CheckedHrpstring;
        use bech32::{Bech32, Fe32IterExt, Hrp};
        let amountless: String = CheckedHrpstring::new::<Bech32>(INVOICE_2500U)
            .unwrap()
            .fe32_iter::<std::iter::Empty<u8>>()
            .with_checksum::<Bech32>(&Hrp::parse("lnbc").unwrap())
            .chars()
            .collect();
        let none = RawPayment { lightning: Some(amountless), ..bitcoin("0.0025") }.validate().unwrap_err();
        assert!(none.to_string().contains("names no amount"), "{none}");
        let blank = RawPayment { lightning: Some("  ".into()), ..bitcoin("0.0025") }.validate().unwrap();
        assert_eq!(blank.lightning, None);
        // The invoice is for the whole amount: not offered for a remainder, nor once paid.
        let part = RawPayment {
            status: Status::Underpaid,
            paid: Some("0.001".into()),
            lightning: Some(INVOICE_2500U.into()),
            ..bitcoin("0.0025")
        };
        assert_eq!(part.validate().unwrap().invoice_to_offer(), None);
        let paid =
            RawPayment { status: Status::Paid, lightning: Some(INVOICE_2500U.into()), ..bitcoin("0.0025") };
        assert_eq!(paid.validate().unwrap().invoice_to_offer(), None);
    }

    #[test]
    fn only_transaction_ids_of_the_networks_shape_are_kept_and_at_most_sixteen() {
        let hex = "9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b";
        let evm = ["0x", hex].concat();
        let sol = "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";
        assert!(txid_shape_ok(Network::Tron, hex) && txid_shape_ok(Network::Bitcoin, hex));
        assert!(!txid_shape_ok(Network::Ethereum, hex) && txid_shape_ok(Network::Ethereum, &evm));
        assert!(txid_shape_ok(Network::Solana, sol) && !txid_shape_ok(Network::Solana, hex));
        for hostile in ["javascript:alert(1)", "../../x", &[hex, "0"].concat(), &hex[1..], "", "0x0"] {
            assert!(!txid_shape_ok(Network::Bitcoin, hostile), "{hostile}");
            assert!(!txid_shape_ok(Network::Ethereum, hostile), "{hostile}");
        }
        let many: Vec<String> =
            std::iter::once("bad".to_owned()).chain(std::iter::repeat_n(hex.to_owned(), 40)).collect();
        let p = RawPayment { txids: many, ..tron_usdt("paid") }.validate().unwrap();
        assert_eq!(p.txids.len(), MAX_TXIDS);
        assert!(p.txids.iter().all(|t| t == hex));
    }

    #[test]
    fn the_late_note_is_text_of_at_most_280_characters_and_paid_at_a_time() {
        let long = "é".repeat(500);
        let p = RawPayment { late_note: Some(long), ..tron_usdt("paid") }.validate().unwrap();
        assert_eq!(p.late_note.as_deref().map(|n| n.chars().count()), Some(MAX_NOTE_CHARS));
        let blank = RawPayment { late_note: Some(" ".into()), ..tron_usdt("paid") }.validate().unwrap();
        assert_eq!(blank.late_note, None);
        let late = RawPayment {
            paid_at: Some("2026-11-24T02:00:01Z".into()),
            expires_at: Some("2026-11-24T02:00:00Z".into()),
            ..tron_usdt("paid")
        };
        assert!(late.validate().unwrap().paid_after_deadline());
        let bad = RawPayment { paid_at: Some("yesterday".into()), ..tron_usdt("paid") }.validate();
        assert_eq!(bad.unwrap_err().code(), ErrorCode::InvalidTime);
    }

    #[test]
    fn short_by_a_fee_is_at_most_five_percent_left() {
        let under = |paid: &str| {
            RawPayment { status: Status::Underpaid, paid: Some(paid.into()), ..tron_usdt("underpaid") }
                .validate()
                .unwrap()
        };
        assert!(under("23.75").short_by_a_fee(), "1.25 of 25 left: 5 %");
        assert!(under("24.75").short_by_a_fee());
        assert!(!under("23.74").short_by_a_fee(), "1.26 left: more than 5 %");
        assert!(!under("10").short_by_a_fee());
        assert!(!tron_usdt("awaiting_payment").validate().unwrap().short_by_a_fee());
    }
}
