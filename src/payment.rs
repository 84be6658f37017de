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
    #[error("return_url \"{0}\" must be an https:// (or http://localhost) URL")]
    ReturnUrl(String),
}

impl PaymentError {
    /// The stable snake_case code sent in `payform:error`.
    pub fn code(&self) -> &'static str {
        match self {
            PaymentError::Missing(_) => "missing_field",
            PaymentError::UnknownStatus(_) => "unknown_status",
            PaymentError::Network(e) => e.code(),
            PaymentError::Amount { source, .. } => source.code(),
            PaymentError::Address(e) => e.code(),
            PaymentError::Time { .. } => "invalid_time",
            PaymentError::ReturnUrl(_) => "invalid_return_url",
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
            Some(u) if !safe_return_url(&u) => return Err(PaymentError::ReturnUrl(u)),
            other => other,
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

/// A return URL may only send the shopper to a web page, never `javascript:` or `data:`.
fn safe_return_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://localhost") || url.starts_with("http://127.0.0.1")
}

impl Payment {
    pub fn network(&self) -> Network {
        self.asset.network
    }

    /// What the shopper still has to send: the remaining amount after a partial payment,
    /// else the full amount.
    pub fn to_pay(&self) -> Amount {
        if self.due.is_zero() || self.due > self.amount {
            self.amount
        } else {
            self.due
        }
    }
}

/// A 25 USDT-on-Tron payment with `status`, as the tests of several modules need one.
#[cfg(test)]
pub(crate) fn tron_usdt(status: &str) -> RawPayment {
    RawPayment {
        id: "p".into(),
        status: status.into(),
        amount: "25".into(),
        currency: "USDT".into(),
        network: "tron".into(),
        address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(),
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
            address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into(),
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
        let cases: [Case; 7] = [
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
}
