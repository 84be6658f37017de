//! `preset="coingate"`: a CoinGate order (`GET /v2/orders/{id}`, coingate/openapi
//! reference/v2.json; statuses: developer.coingate.com/docs/order-statuses).

use super::{difference, network_alias, status_of, BackendError, Fields};
use crate::json::Json;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

/// `status` → normalized status. `new` (the shopper has not chosen a currency yet) has no
/// amount to pay, so such an order is refused with a clear "missing pay_amount" error.
pub const STATUSES: &[(&str, Status)] = &[
    ("new", AwaitingPayment),
    ("pending", AwaitingPayment),
    ("confirming", Confirming),
    ("paid", Paid),
    ("invalid", Failed),
    ("expired", Expired),
    ("canceled", Cancelled),
    ("refunded", Refunded),
    ("partially_refunded", Refunded),
];

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let f = Fields::root(json);
    let status = f.text("status")?;
    let amount = f.text("pay_amount")?;
    let currency = f.text("pay_currency")?.to_ascii_uppercase();
    let network = if f.opt("lightning_network").is_some_and(|v| *v == Json::Bool(true)) {
        "lightning".to_owned()
    } else if let Some(platform) = f.opt("platform") {
        network_alias(&Fields { json: platform, prefix: "platform." }.text("id_name")?)
    } else {
        network_alias(&currency)
    };
    // Paid so far = pay_amount − underpaid_amount (CoinGate reports what is still missing).
    let underpaid = f.opt_text("underpaid_amount")?;
    let paid = underpaid.as_ref().and_then(|u| difference(&amount, u));
    Ok(RawPayment {
        id: f.text("id")?,
        status: status_of(STATUSES, &status, "status")?,
        amount,
        currency,
        network,
        address: f.text("payment_address")?,
        paid,
        due: underpaid,
        expires_at: f.opt_text("expire_at")?,
        description: f.opt_text("title")?,
        ..RawPayment::default()
    })
}
