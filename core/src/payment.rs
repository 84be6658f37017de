//! The normalized payment: what every preset maps a backend's JSON into ([`RawPayment`],
//! plain strings as the backend sent them) and what the form renders ([`Payment`], every
//! field checked: known network and asset, exact amounts, a well-formed address, real times).

use crate::address::{self, AddressError};
use crate::error::ErrorCode;
use crate::money::{Amount, AmountError};
use crate::network::{self, Asset, Network, NetworkError};
use crate::status::Status;
use crate::time::{self, TimeError, UnixMs};

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
pub const FIELDS: [FieldSpec; 17] = [
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
}

/// A payment as a preset read it: strings, not yet trusted (the status is already one of the
/// contract's: each format's reader looks it up once).
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

impl Default for RawPayment {
    fn default() -> RawPayment {
        RawPayment {
            id: String::new(),
            status: Status::AwaitingPayment,
            amount: String::new(),
            currency: String::new(),
            network: String::new(),
            address: String::new(),
            paid: None,
            due: None,
            expires_at: None,
            server_time: None,
            confirmations: None,
            confirmations_required: None,
            fiat: None,
            description: None,
            merchant: None,
            return_url: None,
            options: Vec::new(),
        }
    }
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
}

/// Why a payment cannot be displayed safely. Each has a stable `payform:error` code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("the payment has no {0}")]
    Missing(&'static str),
    #[error(transparent)]
    Network(#[from] NetworkError),
    #[error("{field}: {source}")]
    Amount { field: &'static str, source: AmountError },
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error("{field}: {source}")]
    Time { field: &'static str, source: TimeError },
    #[error("return_url \"{url}\" was refused: {why}")]
    ReturnUrl { url: String, why: crate::url::UrlError },
    /// `amount`, `paid` and `due` do not add up, or nothing is left to pay while money is due.
    #[error("the amounts disagree: {0}")]
    Inconsistent(String),
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
        }
    }

    /// The payment's network, where the error knows it (the shopper's sentence names it).
    pub fn network(&self) -> Option<Network> {
        match self {
            PaymentError::Network(e) => e.network(),
            PaymentError::Address(e) => Some(e.network()),
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
    /// Checks every field and produces a payment that is safe to show.
    pub fn validate(self) -> Result<Payment, PaymentError> {
        non_empty("id", &self.id)?;
        non_empty("network", &self.network)?;
        non_empty("currency", &self.currency)?;
        non_empty("amount", &self.amount)?;
        let status = self.status;
        let network = Network::parse(&self.network)?;
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
        let address = address::validate(network, self.address.trim())?;
        if network == Network::Lightning {
            address::check_invoice_amount(&address, amount)?;
        }
        let when = |field: &'static str, v: &Option<String>| {
            v.as_deref()
                .map(|t| time::parse_timestamp(t).map_err(|source| PaymentError::Time { field, source }))
                .transpose()
        };
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
        None => fail(format!("paid {paid} is more than the amount {amount} while funds are still due")),
        Some(rest) if rest.is_zero() => {
            fail(format!("paid {paid} covers the amount {amount}, yet funds are still due"))
        }
        Some(rest) if rest != due => {
            fail(format!("due {due} is not amount {amount} minus paid {paid} ({rest})"))
        }
        Some(_) => Ok(()),
    }
}

impl Payment {
    pub fn network(&self) -> Network {
        self.asset.network
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
        }
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
}

/// A 25 USDT-on-Tron payment with `status` (one of the contract's names; anything else is a
/// bug in the calling test), as the tests of several modules (and of the ui floor) need one.
/// Unused in a build, so it never reaches the wasm.
#[doc(hidden)]
pub fn tron_usdt(status: &str) -> RawPayment {
    RawPayment {
        id: "p".into(),
        status: Status::parse(status).unwrap_or_else(|| panic!("tron_usdt: \"{status}\" is not a status")),
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

    /// For every split of an amount into paid + due (atomic units, any decimals), the form
    /// accepts exactly the consistent ones and asks for exactly `due`.
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
}
