//! The native preset (`preset="payform"`): the normalized payment JSON of DESIGN.md.

use super::{BackendError, Fields};
use crate::json::Json;
use crate::payment::{Fiat, PayOption, RawPayment};

/// Maps a native payment object.
pub fn map(json: &Json) -> Result<RawPayment, BackendError> {
    if !matches!(json, Json::Object(_)) {
        return Err(BackendError::WrongType {
            field: "(body)".into(),
            expected: "an object",
            found: json.kind(),
        });
    }
    let f = Fields { json, prefix: "" };
    let fiat = match f.opt("fiat") {
        None => None,
        Some(v) => {
            let ff = Fields { json: v, prefix: "fiat." };
            Some(Fiat { amount: ff.text("amount")?, currency: ff.text("currency")? })
        }
    };
    let options = match f.opt("options") {
        None => Vec::new(),
        Some(v) => {
            let items = v.as_array().ok_or_else(|| BackendError::WrongType {
                field: "options".into(),
                expected: "an array",
                found: v.kind(),
            })?;
            items
                .iter()
                .map(|o| {
                    let of = Fields { json: o, prefix: "options[]." };
                    Ok(PayOption {
                        currency: of.text("currency")?,
                        network: of.text("network")?,
                        src: of.text("src")?,
                    })
                })
                .collect::<Result<_, BackendError>>()?
        }
    };
    Ok(RawPayment {
        id: f.text("id")?,
        status: f.text("status")?,
        amount: f.text("amount")?,
        currency: f.text("currency")?,
        network: f.text("network")?,
        address: f.text("address")?,
        paid: f.opt_text("paid")?,
        due: f.opt_text("due")?,
        expires_at: f.opt_text("expires_at")?,
        server_time: f.opt_text("server_time")?,
        confirmations: f.opt_u32("confirmations")?,
        confirmations_required: f.opt_u32("confirmations_required")?,
        fiat,
        description: f.opt_text("description")?,
        merchant: f.opt_text("merchant")?,
        return_url: f.opt_text("return_url")?,
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Preset;

    /// The example payment of DESIGN.md, verbatim.
    const DESIGN_EXAMPLE: &str = r#"{"id": "pay_123", "status": "awaiting_payment",
 "amount": "25.00", "currency": "USDT", "network": "tron",
 "address": "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6",
 "paid": "0", "due": "25.00",
 "expires_at": "2026-11-24T02:00:00Z", "server_time": "2026-11-24T01:00:00Z",
 "confirmations": 0, "confirmations_required": 19,
 "fiat": {"amount": "25.00", "currency": "USD"},
 "description": "Order #1042", "merchant": "Example Store", "return_url": null,
 "options": [{"currency": "BTC", "network": "bitcoin", "src": "/api/payments/pay_123?option=btc"}]}"#;

    #[test]
    fn reads_the_design_example() {
        let raw = Preset::Payform.read(DESIGN_EXAMPLE).unwrap();
        assert_eq!(raw.id, "pay_123");
        assert_eq!(raw.confirmations_required, Some(19));
        assert_eq!(raw.fiat.as_ref().unwrap().currency, "USD");
        assert_eq!(raw.return_url, None);
        assert_eq!(raw.options[0].network, "bitcoin");
        let p = raw.validate().unwrap();
        assert_eq!(p.amount.to_string(), "25");
        assert_eq!(p.expires_at, Some(1_795_485_600_000));
    }

    #[test]
    fn names_the_missing_or_mistyped_field() {
        let err = Preset::Payform.read(r#"{"id":"x","status":"paid"}"#).unwrap_err();
        assert_eq!(err, BackendError::Missing { field: "amount".into() });
        let err = Preset::Payform.read(r#"{"id":"x","status":"paid","amount":["1"]}"#).unwrap_err();
        assert_eq!(err.to_string(), "field \"amount\" should be a string, found an array");
        assert_eq!(Preset::Payform.read("<html>").unwrap_err().code(), "malformed_response");
        assert_eq!(Preset::Payform.read("[]").unwrap_err().code(), "invalid_payment");
    }
}
