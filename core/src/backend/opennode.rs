//! `preset="opennode"`: an OpenNode charge (`GET /v1/charge/{id}`, the `data` object; fields
//! from the official SDK's `OpenNodeCharge`, statuses from developers.opennode.com/docs/
//! charges-webhooks). Amounts are satoshis. On-chain is shown when the charge has an address,
//! else the Lightning invoice.

use super::{status_of, BackendError, Fields};
use crate::json::Json;
use crate::money::Amount;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

pub const STATUSES: &[(&str, Status)] = &[
    ("unpaid", AwaitingPayment),
    ("processing", Confirming),
    ("underpaid", Underpaid),
    ("paid", Paid),
    ("expired", Expired),
    ("refunded", Refunded),
];

fn sats(field: &str, text: &str) -> Result<Amount, BackendError> {
    text.parse::<u128>().map(|s| Amount::from_atomic(s, 8)).map_err(|_| BackendError::WrongType {
        field: field.into(),
        expected: "a whole number of satoshis",
        found: "something else",
    })
}

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let data = Fields::root(json).object("data", "data.")?;
    let status = data.text("status")?;
    let amount = sats("data.amount", &data.text("amount")?)?;
    let missing = data.opt_text("missing_amt")?.map(|m| sats("data.missing_amt", &m)).transpose()?;
    let chain = data.opt("chain_invoice").and_then(|c| c.get("address")).and_then(Json::as_str);
    let invoice =
        data.opt("lightning_invoice").map(|l| Fields { json: l, prefix: "data.lightning_invoice." });
    let (network, address) = match (chain, &invoice) {
        (Some(a), _) => ("bitcoin", a.to_owned()),
        (None, Some(l)) => ("lightning", l.text("payreq")?),
        (None, None) => return Err(BackendError::Missing { field: "data.chain_invoice.address".into() }),
    };
    let expires_at = match invoice.as_ref().map(|l| l.opt_text("expires_at")).transpose()?.flatten() {
        Some(t) => Some(t),
        None => {
            let (created, ttl) = (data.opt_text("created_at")?, data.opt_text("ttl")?);
            created
                .zip(ttl)
                .and_then(|(c, t)| Some((c.parse::<i64>().ok()? + t.parse::<i64>().ok()? * 60).to_string()))
        }
    };
    Ok(RawPayment {
        id: data.text("id")?,
        status: status_of(STATUSES, &status, "data.status")?,
        amount: amount.to_string(),
        currency: "BTC".into(),
        network: network.into(),
        address,
        paid: missing.and_then(|m| amount.checked_sub(m)).map(|p| p.to_string()),
        due: missing.map(|m| m.to_string()),
        expires_at,
        description: data.opt_text("description")?,
        ..RawPayment::default()
    })
}
