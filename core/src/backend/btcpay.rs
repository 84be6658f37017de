//! `preset="btcpay"`: a BTCPay Server Greenfield invoice fetched with
//! `?includePaymentMethods=true` (`GET /api/v1/invoices/{invoiceId}`; schemas `InvoiceData`,
//! `InvoicePaymentMethodDataModel` in btcpayserver's swagger.template.invoices.json). The
//! on-chain method is shown when there is one, else Lightning.

use super::{network_alias, BackendError, Fields};
use crate::json::Json;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

/// (`status`, `additionalStatus`) → normalized status; `*` is any additional status.
pub const STATUSES: &[(&str, &str, Status)] = &[
    ("New", "PaidPartial", Underpaid),
    ("New", "*", AwaitingPayment),
    ("Processing", "*", Confirming),
    ("Settled", "PaidOver", Overpaid),
    ("Settled", "*", Paid),
    ("Expired", "PaidLate", Paid),
    ("Expired", "*", Expired),
    ("Invalid", "*", Failed),
];

pub fn status(status: &str, additional: &str) -> Option<Status> {
    super::status_of_pair(STATUSES, status, additional)
}

/// `paymentMethodId` → network (`BTC-CHAIN`, legacy `BTC`, `BTC-LN`, `BTC-LightningNetwork`,
/// `LTC-CHAIN`, …).
fn network_of(method: &str) -> String {
    let (coin, kind) = method.split_once('-').unwrap_or((method, "CHAIN"));
    match kind {
        "LN" | "LightningNetwork" | "LNURL" | "LNURLPAY" => "lightning".into(),
        _ => network_alias(coin),
    }
}

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let f = Fields::root(json);
    let methods = f.array("paymentMethods")?;
    let pick = methods
        .iter()
        .find(|m| m.get("paymentMethodId").and_then(Json::as_str).is_some_and(|id| !id.contains("-LN")))
        .or_else(|| methods.first())
        .ok_or(BackendError::Missing { field: "paymentMethods[0]".into() })?;
    let m = Fields { json: pick, prefix: "paymentMethods[]." };
    let (st, additional) = (f.text("status")?, f.opt_text("additionalStatus")?.unwrap_or_default());
    let normalized =
        status(&st, &additional).ok_or(BackendError::Unsupported { field: "status".into(), value: st })?;
    // `due` goes negative on overpayment; the form derives what is due itself then.
    let due = m.opt_text("due")?.filter(|d| !d.starts_with('-'));
    Ok(RawPayment {
        id: f.text("id")?,
        status: normalized.as_str().into(),
        amount: m.text("amount")?,
        currency: m.text("currency")?,
        network: network_of(&m.text("paymentMethodId")?),
        address: m.text("destination")?,
        paid: m.opt_text("totalPaid")?,
        due,
        expires_at: f.opt_text("expirationTime")?,
        ..RawPayment::default()
    })
}
