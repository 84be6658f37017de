//! The normalized payment: what every preset maps a backend's JSON into ([`RawPayment`],
//! plain strings as the backend sent them) and what the form renders ([`Payment`], every
//! field checked: known network and asset, exact amounts, a well-formed address, real times).

use crate::address::{self, AddressError};
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

/// A payment as a preset read it: strings, not yet trusted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawPayment {
    pub id: String,
    pub status: String,
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
    #[error("unknown status \"{0}\"")]
    UnknownStatus(String),
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
    /// The stable snake_case code sent in `payform:error`.
    pub fn code(&self) -> &'static str {
        match self {
            PaymentError::Missing(_) => "missing_field",
            PaymentError::UnknownStatus(_) => "unknown_status",
            PaymentError::Network(e) => e.code(),
            PaymentError::Amount { source, .. } => source.code(),
            PaymentError::Inconsistent(_) => "invalid_amount",
            PaymentError::Address(e) => e.code(),
            PaymentError::Time { .. } => "invalid_time",
            PaymentError::ReturnUrl { .. } => "invalid_return_url",
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
        non_empty("status", &self.status)?;
        non_empty("network", &self.network)?;
        non_empty("currency", &self.currency)?;
        non_empty("amount", &self.amount)?;
        let status = Status::parse(&self.status).ok_or(PaymentError::UnknownStatus(self.status))?;
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

/// A 25 USDT-on-Tron payment with `status`, as the tests of several modules (and of the ui
/// floor) need one. Unused in a build, so it never reaches the wasm.
#[doc(hidden)]
pub fn tron_usdt(status: &str) -> RawPayment {
    RawPayment {
        id: "p".into(),
        status: status.into(),
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
            status: "awaiting_payment".into(),
            amount: "25.00".into(),
            currency: "USDT".into(),
            network: "tron".into(),
            address: "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6".into(),
            paid: Some("10".into()),
            ..RawPayment::default()
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
        type Case = (fn(&mut RawPayment), &'static str);
        let cases: [Case; 12] = [
            (|r| r.due = Some("14".into()), "invalid_amount"),
            (|r| r.paid = Some("25".into()), "invalid_amount"),
            (|r| r.paid = Some("30".into()), "invalid_amount"),
            (|r| r.amount = "0".into(), "invalid_amount"),
            (|r| r.return_url = Some("http://shop.example/".into()), "invalid_return_url"),
            (|r| r.amount = "1e5".into(), "invalid_amount"),
            (|r| r.amount = "1.0000001".into(), "invalid_amount"),
            (|r| r.network = "ripple".into(), "unsupported_network"),
            (|r| r.currency = "DOGE".into(), "unsupported_currency"),
            (|r| r.address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into(), "invalid_address"),
            (|r| r.status = "done".into(), "unknown_status"),
            (|r| r.return_url = Some("javascript:alert(1)".into()), "invalid_return_url"),
        ];
        for (mutate, code) in cases {
            let mut r = raw();
            mutate(&mut r);
            assert_eq!(r.validate().unwrap_err().code(), code);
        }
        let mut r = raw();
        r.id.clear();
        assert_eq!(r.validate(), Err(PaymentError::Missing("id")));
    }

    #[test]
    fn the_numbers_agree_exactly_while_money_is_due() {
        let mut r = raw();
        r.due = Some("15.000000".into());
        assert_eq!(r.validate().unwrap().to_pay().to_string(), "15");
        // Once nothing more is accepted, paid may exceed the amount (overpaid) and due is moot.
        let mut r = raw();
        r.status = "overpaid".into();
        r.paid = Some("30".into());
        r.due = Some("0".into());
        assert_eq!(r.validate().unwrap().to_pay().to_string(), "25");
        let mut r = raw();
        r.due = Some("15.000001".into());
        let err = r.validate().unwrap_err();
        assert_eq!(err.code(), "invalid_amount");
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
                status: if paid == 0 { "awaiting_payment" } else { "underpaid" }.into(),
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
                    assert_eq!(e.code(), "invalid_amount");
                }
            }
        }
    }
}
