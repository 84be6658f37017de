//! `preset="heleket"` (also Cryptomus, same format): the `result` object of
//! `POST /v1/payment/info` (doc.heleket.com/methods/payments/payment-information.md; statuses:
//! doc.heleket.com/methods/payments/payment-statuses.md).

use super::{difference, network_alias, status_of, BackendError, Fields};
use crate::json::Json;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

/// `payment_status` → normalized status. `wrong_amount` (final: paid less) and `locked` (AML
/// hold) end the payment as failed; a refund in progress or done shows as refunded.
pub const STATUSES: &[(&str, Status)] = &[
    ("check", AwaitingPayment),
    ("process", Confirming),
    ("confirm_check", Confirming),
    ("paid", Paid),
    ("paid_over", Overpaid),
    ("wrong_amount", Failed),
    ("wrong_amount_waiting", Underpaid),
    ("cancel", Cancelled),
    ("fail", Failed),
    ("system_fail", Failed),
    ("refund_process", Refunded),
    ("refund_fail", Failed),
    ("refund_paid", Refunded),
    ("locked", Failed),
];

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let result = Fields::root(json).object("result", "result.")?;
    let status = result.text("payment_status")?;
    let amount = result.text("payer_amount")?;
    let paid = result.opt_text("payment_amount")?;
    // Heleket does not return what is still due: amount − paid, when both are exact.
    let due = paid.as_ref().and_then(|p| difference(&amount, p));
    Ok(RawPayment {
        id: result.text("uuid")?,
        status: status_of(STATUSES, &status, "result.payment_status")?,
        amount,
        currency: result.text("payer_currency")?.to_ascii_uppercase(),
        network: network_alias(&result.text("network")?),
        address: result.text("address")?,
        paid,
        due,
        expires_at: result.opt_text("expired_at")?,
        ..RawPayment::default()
    })
}
