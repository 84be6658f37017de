//! `preset="coinbase"`: a Coinbase Commerce charge (`GET /charges/{code}`, the `data` object;
//! legacy charge resource with per-network `addresses` and `pricing`). The status is the last
//! `timeline` entry (with its `context`). The first network the form supports is shown.

use super::{network_alias, BackendError, Fields};
use crate::json::Json;
use crate::money::Amount;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

/// (timeline `status`, `context`) → normalized status; `*` is any context. An unresolved charge
/// other than under- or overpaid waits for the merchant, so it stays "confirming".
pub const STATUSES: &[(&str, &str, Status)] = &[
    ("NEW", "*", AwaitingPayment),
    ("SIGNED", "*", Confirming),
    ("PENDING", "*", Confirming),
    ("COMPLETED", "*", Paid),
    ("RESOLVED", "*", Paid),
    ("EXPIRED", "*", Expired),
    ("UNRESOLVED", "UNDERPAID", Underpaid),
    ("UNRESOLVED", "OVERPAID", Overpaid),
    ("UNRESOLVED", "DELAYED", Confirming),
    ("UNRESOLVED", "*", Confirming),
    ("CANCELED", "*", Cancelled),
    ("FAILED", "*", Failed),
    ("REFUND PENDING", "*", Refunded),
    ("REFUNDED", "*", Refunded),
];

pub fn status(status: &str, context: &str) -> Option<Status> {
    super::status_of_pair(STATUSES, status, context)
}

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let data = Fields::root(json).object("data", "data.")?;
    let timeline = data.array("timeline")?;
    let last = timeline.last().ok_or(BackendError::Missing { field: "data.timeline[-1]".into() })?;
    let t = Fields { json: last, prefix: "data.timeline[-1]." };
    let (st, context) = (t.text("status")?, t.opt_text("context")?.unwrap_or_default());
    let normalized = status(&st, &context)
        .ok_or(BackendError::Unsupported { field: "data.timeline[-1].status".into(), value: st })?;
    let addresses = data.object("addresses", "data.addresses.")?;
    let pricing = data.object("pricing", "data.pricing.")?;
    let Json::Object(entries) = addresses.json else { unreachable!("object() checked the type") };
    let (key, address) = entries
        .iter()
        .find(|(k, _)| crate::network::Network::parse(&network_alias(k)).is_ok() && pricing.opt(k).is_some())
        .ok_or(BackendError::Missing { field: "data.pricing.<network> for a supported network".into() })?;
    let price = pricing.object(key, "data.pricing.<network>.")?;
    let currency = price.text("currency")?;
    // Sum what arrived on this network.
    let mut paid: Option<Amount> = None;
    for p in data.opt("payments").and_then(Json::as_array).unwrap_or_default() {
        let on_network = p.get("network").and_then(Json::as_str).is_none_or(|n| n == key);
        let value = p.pointer("/value/crypto/amount").and_then(Json::as_text);
        if let (true, Some(v)) = (on_network, value) {
            let v = Amount::parse(v, 18).map_err(|_| BackendError::WrongType {
                field: "data.payments[].value.crypto.amount".into(),
                expected: "a decimal amount",
                found: "something else",
            })?;
            paid = Some(paid.map_or(Some(v), |sum| sum.checked_add(v)).unwrap_or(v));
        }
    }
    Ok(RawPayment {
        id: data.text("code")?,
        status: normalized.as_str().into(),
        amount: price.text("amount")?,
        currency,
        network: network_alias(key),
        address: address
            .as_str()
            .ok_or(BackendError::WrongType {
                field: format!("data.addresses.{key}"),
                expected: "a string",
                found: address.kind(),
            })?
            .to_owned(),
        paid: paid.map(|p| p.to_string()),
        expires_at: data.opt_text("expires_at")?,
        description: data.opt_text("description")?,
        ..RawPayment::default()
    })
}
