//! The simulated payments: creation, the `simulate` actions as state transitions, expiry, and
//! the native JSON the form reads. Pure (time is passed in), so the transitions are unit-tested.

use payform_core::money::Amount;
use payform_core::network::{self, Asset, Network};
use payform_core::status::Status;
use serde_json::{json, Value};

/// One simulated payment.
#[derive(Debug, Clone)]
pub struct SimPayment {
    pub id: String,
    pub asset: &'static Asset,
    pub status: Status,
    pub amount: Amount,
    pub paid: Amount,
    pub address: String,
    pub expires_ms: i64,
    pub confirmations: u32,
    pub confirmations_required: u32,
    pub fiat: Option<(String, String)>,
    pub description: Option<String>,
    pub merchant: String,
    pub return_url: Option<String>,
    /// Bumped on every change; the ETag is derived from it.
    pub version: u64,
    /// `paid` before the last detected payment, for `drop`.
    pub paid_before: Amount,
    /// The currencies/networks the shopper may choose between: `(currency, network, id)` of
    /// each sibling payment, this one included.
    pub options: Vec<(String, String, String)>,
}

/// A request the simulator refuses, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub status: u16,
    pub field: Option<&'static str>,
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> Rejection {
    Rejection { status: 400, field: Some(field), message: message.into() }
}

fn conflict(message: impl Into<String>) -> Rejection {
    Rejection { status: 409, field: None, message: message.into() }
}

/// The body of `POST /api/payments`, already read from JSON.
pub struct NewPayment<'a> {
    pub body: &'a Value,
}

impl NewPayment<'_> {
    fn text(&self, field: &'static str) -> Result<Option<&str>, Rejection> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(field, format!("`{field}` must be a string"))),
        }
    }

    fn required(&self, field: &'static str) -> Result<&str, Rejection> {
        self.text(field)?.ok_or_else(|| bad(field, format!("`{field}` is required")))
    }

    /// Validates the request and builds the payment (`address` comes from the caller).
    pub fn build(
        &self,
        id: String,
        now_ms: i64,
        address: impl FnOnce(Network) -> Result<String, Rejection>,
    ) -> Result<SimPayment, Rejection> {
        if !self.body.is_object() {
            return Err(bad("body", "the body must be a JSON object"));
        }
        let network = Network::parse(self.required("network")?).map_err(|e| bad("network", e.to_string()))?;
        let asset = network::asset(network, self.required("currency")?)
            .map_err(|e| bad("currency", e.to_string()))?;
        let amount = Amount::parse(self.required("amount")?, asset.decimals)
            .map_err(|e| bad("amount", e.to_string()))?;
        if amount.is_zero() {
            return Err(bad("amount", "`amount` must be greater than zero"));
        }
        if network == Network::Lightning && amount.to_string() != crate::addresses::LIGHTNING_AMOUNT {
            return Err(bad(
                "amount",
                format!(
                    "the simulator's Lightning invoice is for {} BTC",
                    crate::addresses::LIGHTNING_AMOUNT
                ),
            ));
        }
        let expires_in = match self.body.get("expires_in") {
            None | Some(Value::Null) => 3600,
            Some(v) => v.as_u64().filter(|s| (1..=7 * 86_400).contains(s)).ok_or_else(|| {
                bad("expires_in", "`expires_in` must be a whole number of seconds between 1 and 604800")
            })?,
        };
        let confirmations_required = match self.body.get("confirmations_required") {
            None | Some(Value::Null) => 0,
            Some(v) => v.as_u64().filter(|n| *n <= 100).ok_or_else(|| {
                bad("confirmations_required", "`confirmations_required` must be a whole number from 0 to 100")
            })? as u32,
        };
        let fiat = match self.body.get("fiat") {
            None | Some(Value::Null) => None,
            Some(f) => {
                let a = f.get("amount").and_then(Value::as_str);
                let c = f.get("currency").and_then(Value::as_str);
                match (a, c) {
                    (Some(a), Some(c)) => Some((a.to_owned(), c.to_owned())),
                    _ => {
                        return Err(bad(
                            "fiat",
                            "`fiat` must be {\"amount\": \"25.00\", \"currency\": \"USD\"}",
                        ))
                    }
                }
            }
        };
        Ok(SimPayment {
            id,
            asset,
            status: Status::AwaitingPayment,
            amount,
            paid: Amount::zero(asset.decimals),
            address: address(network)?,
            expires_ms: now_ms + expires_in as i64 * 1000,
            confirmations: 0,
            confirmations_required,
            fiat,
            description: self.text("description")?.map(str::to_owned),
            merchant: self.text("merchant")?.unwrap_or("Example Store").to_owned(),
            return_url: self.text("return_url")?.map(str::to_owned),
            version: 1,
            paid_before: Amount::zero(asset.decimals),
            options: Vec::new(),
        })
    }
}

/// The bodies of the alternative payments in `options: [{currency, network, amount}]`: the
/// main body with each option's currency, network and amount (at most 8 options).
pub fn option_bodies(body: &Value) -> Result<Vec<Value>, Rejection> {
    let list = match body.get("options") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) if list.len() <= 8 => list,
        Some(_) => {
            return Err(bad("options", "`options` must be an array of at most 8 {currency, network, amount}"))
        }
    };
    list.iter()
        .map(|o| {
            let mut merged = body.clone();
            for key in ["currency", "network", "amount"] {
                let v = o.get(key).and_then(Value::as_str).ok_or_else(|| {
                    bad("options", format!("every option needs `{key}` as a string, e.g. {{\"currency\": \"BTC\", \"network\": \"bitcoin\", \"amount\": \"0.00025\"}}"))
                })?;
                merged[key] = Value::String(v.to_owned());
            }
            if let Some(m) = merged.as_object_mut() {
                m.remove("options");
            }
            Ok(merged)
        })
        .collect()
}

/// The actions of `POST /api/payments/{id}/simulate`.
pub const ACTIONS: [&str; 9] =
    ["pay", "pay_partial", "pay_over", "confirm", "drop", "expire", "fail", "cancel", "refund"];

impl SimPayment {
    fn due(&self) -> Amount {
        self.amount.checked_sub(self.paid).unwrap_or(Amount::zero(self.amount.decimals()))
    }

    /// Moves an unpaid payment past its deadline to `expired`. Returns whether it changed.
    pub fn tick(&mut self, now_ms: i64) -> bool {
        if now_ms >= self.expires_ms && self.status.accepts_funds() {
            self.status = Status::Expired;
            self.version += 1;
            return true;
        }
        false
    }

    /// The status once `paid` is settled (enough confirmations).
    fn settled_status(&self) -> Status {
        match self.paid.cmp(&self.amount) {
            std::cmp::Ordering::Less => Status::Underpaid,
            std::cmp::Ordering::Equal => Status::Paid,
            std::cmp::Ordering::Greater => Status::Overpaid,
        }
    }

    /// Receives `received` on chain: confirming if confirmations are required, else settled.
    fn receive(&mut self, received: Amount) -> Result<(), Rejection> {
        self.paid_before = self.paid;
        self.paid = self.paid.checked_add(received).ok_or_else(|| bad("amount", "amount overflows"))?;
        self.confirmations = 0;
        let settled = self.settled_status();
        self.status = if self.confirmations_required > 0 && settled != Status::Underpaid {
            Status::Confirming
        } else {
            settled
        };
        Ok(())
    }

    /// Applies a `simulate` action. `amount` overrides the default sum for the pay actions.
    pub fn simulate(&mut self, action: &str, amount: Option<&str>) -> Result<(), Rejection> {
        if self.status.is_terminal() && action != "refund" {
            return Err(conflict(format!(
                "payment {} is already {}; it cannot change any more",
                self.id, self.status
            )));
        }
        let decimals = self.amount.decimals();
        let given = amount
            .map(|a| Amount::parse(a, decimals).map_err(|e| bad("amount", e.to_string())))
            .transpose()?;
        let accepting = self.status.accepts_funds();
        match action {
            "pay" | "pay_partial" | "pay_over" if !accepting => {
                return Err(conflict(format!(
                    "payment {} is {}; it does not accept funds now",
                    self.id, self.status
                )))
            }
            "pay" => self.receive(given.unwrap_or(self.due()))?,
            "pay_partial" => {
                let half = Amount::from_atomic(self.due().atomic() / 2, decimals);
                let part = given.unwrap_or(half);
                if part.is_zero() || part >= self.due() {
                    return Err(bad(
                        "amount",
                        "a partial payment must be more than 0 and less than what is due",
                    ));
                }
                self.receive(part)?
            }
            "pay_over" => {
                let extra = Amount::from_atomic((self.amount.atomic() / 10).max(1), decimals);
                let over = given.unwrap_or(self.due().checked_add(extra).unwrap_or(self.due()));
                if over <= self.due() {
                    return Err(bad("amount", "an overpayment must be more than what is due"));
                }
                self.receive(over)?
            }
            "confirm" => {
                if self.status != Status::Confirming {
                    return Err(conflict(format!("payment {} is {}, not confirming", self.id, self.status)));
                }
                self.confirmations += 1;
                if self.confirmations >= self.confirmations_required {
                    self.status = self.settled_status();
                }
            }
            "drop" => {
                if self.status != Status::Confirming {
                    return Err(conflict(format!("payment {} has no unconfirmed payment to drop", self.id)));
                }
                self.paid = self.paid_before;
                self.confirmations = 0;
                self.status = if self.paid.is_zero() { Status::AwaitingPayment } else { Status::Underpaid };
            }
            "expire" => {
                if !accepting {
                    return Err(conflict(format!(
                        "payment {} is {}; only unpaid payments expire",
                        self.id, self.status
                    )));
                }
                self.status = Status::Expired;
            }
            "fail" => self.status = Status::Failed,
            "cancel" => {
                if !self.paid.is_zero() {
                    return Err(conflict(format!(
                        "payment {} already received funds; refund it instead",
                        self.id
                    )));
                }
                self.status = Status::Cancelled;
            }
            "refund" => {
                if self.paid.is_zero() || self.status == Status::Refunded {
                    return Err(conflict(format!("payment {} has nothing to refund", self.id)));
                }
                self.status = Status::Refunded;
            }
            other => {
                return Err(bad(
                    "action",
                    format!("unknown action {other:?}; one of {}", ACTIONS.join(", ")),
                ));
            }
        }
        self.version += 1;
        Ok(())
    }

    /// The ETag of the current version.
    pub fn etag(&self) -> String {
        format!("\"{}-{}\"", self.id, self.version)
    }

    /// The payment in the native (`payform`) format.
    pub fn to_native(&self, now_ms: i64) -> Value {
        json!({
            "id": self.id,
            "status": self.status.as_str(),
            "amount": self.amount.to_string(),
            "currency": self.asset.currency,
            "network": self.asset.network.id(),
            "address": self.address,
            "paid": self.paid.to_string(),
            "due": self.due().to_string(),
            "expires_at": rfc3339(self.expires_ms),
            "server_time": rfc3339(now_ms),
            "confirmations": self.confirmations,
            "confirmations_required": self.confirmations_required,
            "fiat": self.fiat.as_ref().map(|(a, c)| json!({"amount": a, "currency": c})),
            "description": self.description,
            "merchant": self.merchant,
            "return_url": self.return_url,
            "options": self.options.iter().map(|(currency, network, id)| {
                json!({"currency": currency, "network": network, "src": format!("/api/payments/{id}")})
            }).collect::<Vec<_>>(),
        })
    }
}

/// Formats Unix milliseconds as `2026-11-24T01:00:00Z`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(body: Value) -> Result<SimPayment, Rejection> {
        NewPayment { body: &body }
            .build("pay_t".into(), 0, |_| Ok("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into()))
    }

    fn tron(extra: Value) -> SimPayment {
        let mut body = json!({"amount": "25.00", "currency": "USDT", "network": "tron"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        new(body).unwrap()
    }

    #[test]
    fn bad_bodies_name_the_field() {
        assert_eq!(new(json!({"currency": "USDT", "network": "tron"})).unwrap_err().field, Some("amount"));
        assert_eq!(
            new(json!({"amount": "1e3", "currency": "USDT", "network": "tron"})).unwrap_err().field,
            Some("amount")
        );
        assert_eq!(
            new(json!({"amount": "1", "currency": "USDT", "network": "ripple"})).unwrap_err().field,
            Some("network")
        );
        assert_eq!(
            new(json!({"amount": "1", "currency": "BTC", "network": "tron"})).unwrap_err().field,
            Some("currency")
        );
        assert_eq!(
            new(json!({"amount": 1, "currency": "USDT", "network": "tron"})).unwrap_err().field,
            Some("amount")
        );
        assert_eq!(new(json!([])).unwrap_err().field, Some("body"));
    }

    #[test]
    fn partial_then_top_up_reaches_paid() {
        let mut p = tron(json!({}));
        p.simulate("pay_partial", None).unwrap();
        assert_eq!(
            (p.status, p.paid.to_string(), p.due().to_string()),
            (Status::Underpaid, "12.5".into(), "12.5".into())
        );
        p.simulate("pay", None).unwrap();
        assert_eq!(p.status, Status::Paid);
        assert_eq!(p.simulate("pay", None).unwrap_err().status, 409);
    }

    #[test]
    fn confirmations_and_drop() {
        let mut p = tron(json!({"confirmations_required": 2}));
        p.simulate("pay", None).unwrap();
        assert_eq!(p.status, Status::Confirming);
        p.simulate("drop", None).unwrap();
        assert_eq!(p.status, Status::AwaitingPayment);
        p.simulate("pay_over", None).unwrap();
        p.simulate("confirm", None).unwrap();
        assert_eq!(p.status, Status::Confirming);
        p.simulate("confirm", None).unwrap();
        assert_eq!(p.status, Status::Overpaid);
        p.simulate("refund", None).unwrap();
        assert_eq!(p.status, Status::Refunded);
    }

    #[test]
    fn expiry_keeps_a_partial_payment_and_bumps_the_version() {
        let mut p = tron(json!({"expires_in": 60}));
        p.simulate("pay_partial", Some("5")).unwrap();
        let v = p.version;
        assert!(!p.tick(59_999));
        assert!(p.tick(60_000));
        assert_eq!((p.status, p.paid.to_string(), p.version), (Status::Expired, "5".into(), v + 1));
        assert_eq!(p.simulate("bogus", None).unwrap_err().status, 409);
    }

    #[test]
    fn options_become_sibling_bodies_and_bad_options_name_the_field() {
        let body = json!({"amount": "25", "currency": "USDT", "network": "tron", "description": "x",
            "options": [{"currency": "BTC", "network": "bitcoin", "amount": "0.00025"}]});
        let bodies = option_bodies(&body).unwrap();
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0]["currency"], "BTC");
        assert_eq!(bodies[0]["amount"], "0.00025");
        assert_eq!(bodies[0]["description"], "x");
        assert!(bodies[0].get("options").is_none());
        let missing = json!({"options": [{"currency": "BTC"}]});
        let err = option_bodies(&missing).unwrap_err();
        assert_eq!(err.field, Some("options"));
        assert!(err.message.contains("`network`"), "{}", err.message);
        assert_eq!(option_bodies(&json!({"options": 3})).unwrap_err().field, Some("options"));
        let mut p = tron(json!({}));
        p.options = vec![("BTC".into(), "bitcoin".into(), "pay_1_1".into())];
        assert_eq!(p.to_native(0)["options"][0]["src"], "/api/payments/pay_1_1");
    }

    #[test]
    fn cancel_only_before_funds_arrive() {
        let mut p = tron(json!({}));
        p.simulate("cancel", None).unwrap();
        assert_eq!(p.status, Status::Cancelled);
        let mut q = tron(json!({}));
        q.simulate("pay_partial", None).unwrap();
        assert_eq!(q.simulate("cancel", None).unwrap_err().status, 409);
    }

    #[test]
    fn unknown_action_is_a_400() {
        let mut p = tron(json!({}));
        assert_eq!(p.simulate("bogus", None).unwrap_err().field, Some("action"));
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(1_795_485_600_000), "2026-11-24T02:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
