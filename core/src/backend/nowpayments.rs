//! `preset="nowpayments"`: `GET /v1/payment/{payment_id}` (NOWPayments API docs,
//! documenter.getpostman.com/view/7907941/S1a32n38, "Get payment status").

use super::{status_of, BackendError, Fields};
use crate::json::Json;
use crate::payment::RawPayment;
use crate::status::Status::{self, *};

/// `payment_status` → normalized status. `confirmed` and `sending` already mean the shopper's
/// part is done (funds confirmed, on their way to the merchant), so they show as paid.
pub const STATUSES: &[(&str, Status)] = &[
    ("waiting", AwaitingPayment),
    ("confirming", Confirming),
    ("confirmed", Paid),
    ("sending", Paid),
    ("partially_paid", Underpaid),
    ("finished", Paid),
    ("failed", Failed),
    ("refunded", Refunded),
    ("expired", Expired),
    ("cancelled", Cancelled),
    ("canceled", Cancelled),
];

/// NOWPayments `pay_currency` codes name the network too: code → (network, currency).
pub const CURRENCIES: &[(&str, &str, &str)] = &[
    ("btc", "bitcoin", "BTC"),
    ("btcln", "lightning", "BTC"),
    ("ltc", "litecoin", "LTC"),
    ("doge", "dogecoin", "DOGE"),
    ("eth", "ethereum", "ETH"),
    ("usdterc20", "ethereum", "USDT"),
    ("usdc", "ethereum", "USDC"),
    ("bnbbsc", "bsc", "BNB"),
    ("usdtbsc", "bsc", "USDT"),
    ("usdcbsc", "bsc", "USDC"),
    ("maticmainnet", "polygon", "POL"),
    ("pol", "polygon", "POL"),
    ("usdtmatic", "polygon", "USDT"),
    ("usdcmatic", "polygon", "USDC"),
    ("etharb", "arbitrum", "ETH"),
    ("usdtarb", "arbitrum", "USDT"),
    ("usdcarb", "arbitrum", "USDC"),
    ("ethbase", "base", "ETH"),
    ("usdcbase", "base", "USDC"),
    ("trx", "tron", "TRX"),
    ("usdttrc20", "tron", "USDT"),
    ("sol", "solana", "SOL"),
    ("usdtsol", "solana", "USDT"),
    ("usdcsol", "solana", "USDC"),
];

pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    let f = Fields::root(json);
    let status = f.text("payment_status")?;
    let code = f.text("pay_currency")?.to_ascii_lowercase();
    let (network, currency) = CURRENCIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, n, c)| (n.to_string(), c.to_string()))
        .ok_or(BackendError::Unsupported { field: "pay_currency".into(), value: code })?;
    Ok(RawPayment {
        id: f.text("payment_id")?,
        status: status_of(STATUSES, &status, "payment_status")?,
        amount: f.text("pay_amount")?,
        currency,
        network,
        address: f.text("pay_address")?,
        paid: f.opt_text("actually_paid")?,
        expires_at: f.opt_text("expiration_estimate_date")?,
        description: f.opt_text("order_description")?,
        ..RawPayment::default()
    })
}
