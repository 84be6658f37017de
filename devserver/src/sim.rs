//! The simulated payments: creation, the `simulate` actions as state transitions, expiry, and
//! the native JSON the form reads. Pure (time is passed in), so the transitions are unit-tested.
//!
//! Bank-rail payments (`sepa_epc`, `swiss_qr`, `pix`, `paynow`, `promptpay`, `duitnow`, `upi`)
//! get their account and rail fields from [`crate::bank`]; they have no confirmations (`pay`
//! goes straight to `paid`), no transaction ids and no Lightning invoice. One whose `address`
//! is a whole code for the amount (`"payload": true`, and every DuitNow payment) cannot be paid
//! in part: the bank pays what the code says.

use crate::addresses::TestChain;
use payform_core::bank::rail::RawBank;
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
    /// A BOLT11 invoice for `amount` beside the bitcoin address (`"lightning": true`), for a
    /// unified BIP-321 QR.
    pub lightning: Option<String>,
    /// One transaction id per received payment, oldest first (none on Lightning).
    pub txids: Vec<String>,
    /// When the payment became paid or overpaid (Unix ms).
    pub paid_at_ms: Option<i64>,
    /// The merchant's words on what happens to a payment after the deadline.
    pub late_note: Option<String>,
    /// A bank rail's fields (`Some`, possibly empty, on the bank networks only).
    pub bank: Option<RawBank>,
    /// `address` is a code for exactly `amount` (`"payload": true`, DuitNow): it cannot be paid
    /// in part.
    pub fixed_amount: bool,
}

/// The longest `late_note`, in characters.
pub const LATE_NOTE_MAX: usize = 200;

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
    /// `test`: absent or `false` (a real payment), `true` or `"testnet"`, `"signet"`,
    /// `"regtest"`: testnet, signet or regtest addresses on bitcoin, lightning, litecoin and
    /// dogecoin (the chains whose addresses name their chain; `None` is returned for the test
    /// networks, whose addresses look like their mainnets', and which need no flag).
    fn test(&self, network: Network) -> Result<Option<TestChain>, Rejection> {
        let chain = match self.body.get("test") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => return Ok(None),
            Some(Value::Bool(true)) => TestChain::Testnet,
            Some(Value::String(s)) => TestChain::parse(s)
                .ok_or_else(|| bad("test", "`test` must be true, \"testnet\", \"signet\" or \"regtest\""))?,
            Some(_) => {
                return Err(bad("test", "`test` must be true, \"testnet\", \"signet\" or \"regtest\""))
            }
        };
        let supported = match network {
            Network::Bitcoin | Network::Lightning => true,
            Network::Litecoin => chain != TestChain::Signet,
            Network::Dogecoin => chain == TestChain::Testnet,
            n if n.is_test() => return Ok(None),
            n if n.is_bank() => {
                return Err(bad(
                    "test",
                    format!("a {} payment has no test mode: its accounts are real", n.id()),
                ))
            }
            n => {
                return Err(bad(
                    "test",
                    format!(
                    "`test` gives testnet addresses on bitcoin, lightning, litecoin and dogecoin; {} has a \
                         test network of its own instead: use network sepolia, holesky, hoodi, tron_nile or \
                         solana_devnet",
                    n.id()
                ),
                ))
            }
        };
        if !supported {
            return Err(bad(
                "test",
                format!("{} has no {} the form shows; use \"testnet\"", network.id(), chain.name()),
            ));
        }
        Ok(Some(chain))
    }

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
        let test = self.test(network)?;
        if network == Network::Lightning
            && test.is_none()
            && amount.to_string() != crate::addresses::LIGHTNING_AMOUNT
        {
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
        if network.is_bank() && confirmations_required > 0 {
            return Err(bad(
                "confirmations_required",
                format!(
                    "a {} payment has no confirmations: the bank pays it or not; leave out `confirmations_required`",
                    network.id()
                ),
            ));
        }
        let payload = match self.body.get("payload") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) if crate::bank::takes_payload(network) => true,
            Some(Value::Bool(true)) => {
                return Err(bad(
                    "payload",
                    format!(
                        "`payload` (the provider sends the whole code) is for pix, paynow, promptpay and duitnow, not {}",
                        network.id()
                    ),
                ))
            }
            Some(_) => return Err(bad("payload", "`payload` must be true or false")),
        };
        let beneficiary = self.text("beneficiary")?;
        match beneficiary {
            Some(_) if !network.is_bank() => {
                return Err(bad(
                    "beneficiary",
                    format!(
                        "`beneficiary` (the account holder) is for the bank networks, not {}",
                        network.id()
                    ),
                ))
            }
            Some(b) if b.trim().is_empty() => {
                return Err(bad("beneficiary", "`beneficiary` must not be blank"));
            }
            _ => {}
        }
        let lightning = match self.body.get("lightning") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) if network == Network::Bitcoin => {
                // Beside a test address, an invoice of the same test chain.
                let prefix = test.map_or("lnbc", TestChain::lightning_prefix);
                Some(crate::addresses::invoice(prefix, amount).ok_or_else(|| {
                    bad("lightning", "the amount is too large for a Lightning invoice")
                })?)
            }
            Some(Value::Bool(true)) => {
                return Err(bad(
                    "lightning",
                    format!(
                        "`lightning` is only for bitcoin payments (an invoice beside the on-chain address), not {}",
                        network.id()
                    ),
                ))
            }
            Some(_) => return Err(bad("lightning", "`lightning` must be true or false")),
        };
        let late_note = self.text("late_note")?.map(str::to_owned);
        if late_note.as_ref().is_some_and(|n| n.chars().count() > LATE_NOTE_MAX) {
            return Err(bad("late_note", format!("`late_note` must be at most {LATE_NOTE_MAX} characters")));
        }
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
        let (address, bank, fixed_amount) = if network.is_bank() {
            let account = crate::bank::account(asset, &id, amount, payload, beneficiary)?;
            (account.address, Some(account.fields), account.fixed_amount)
        } else if let Some(chain) = test {
            // Seeded by the id, which is unique, so every test payment has its own address.
            let mut seed = crate::addresses::Seed(crate::addresses::fnv1a(&id));
            let made = crate::addresses::generate_test(network, chain, amount, &mut seed);
            (
                made.ok_or_else(|| bad("amount", "the amount is too large for a Lightning invoice"))?,
                None,
                false,
            )
        } else {
            (address(network)?, None, false)
        };
        Ok(SimPayment {
            id,
            asset,
            status: Status::AwaitingPayment,
            amount,
            paid: Amount::zero(asset.decimals),
            address,
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
            lightning,
            txids: Vec::new(),
            paid_at_ms: None,
            late_note,
            bank,
            fixed_amount,
        })
    }
}

/// The bodies of the alternative payments in `options: [{currency, network, amount,
/// lightning?, payload?, beneficiary?}]`: the main body with each option's currency, network
/// and amount (at most 8 options). `lightning`, `payload` and `beneficiary` are the option's own
/// (an invoice, a whole code, an account holder only for the options that ask); a bank option
/// has no `confirmations_required`.
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
                // An invoice and a fiat price belong to one amount in one currency: an option
                // has its own, or none (never the main payment's "≈ $25.00" beside 0.00025 BTC).
                // So do a whole code and an account holder, of one network.
                for key in ["lightning", "fiat", "payload", "beneficiary"] {
                    m.remove(key);
                    if let Some(v) = o.get(key) {
                        m.insert(key.into(), v.clone());
                    }
                }
                let network = o.get("network").and_then(Value::as_str).and_then(|n| Network::parse(n).ok());
                if network.is_some_and(Network::is_bank) {
                    m.remove("confirmations_required");
                }
            }
            Ok(merged)
        })
        .collect()
}

/// The actions of `POST /api/payments/{id}/simulate`.
pub const ACTIONS: [&str; 11] = [
    "pay",
    "pay_partial",
    "pay_over",
    "pay_short",
    "pay_late",
    "confirm",
    "drop",
    "expire",
    "fail",
    "cancel",
    "refund",
];

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

    /// Why a payment with a fixed-amount code cannot receive less than what is due.
    fn fixed_refusal(&self, field: &'static str) -> Rejection {
        Rejection {
            status: 400,
            field: Some(field),
            message: format!(
                "payment {} shows a {} code for exactly {} {} (the provider's whole payload): a bank pays \
                 what the code says, so it cannot be paid in part; use `pay`",
                self.id,
                self.asset.network.id(),
                self.amount,
                self.asset.currency
            ),
        }
    }

    /// Receives `received` (one more transaction on chain, or a bank transfer): confirming if
    /// confirmations are required, else settled.
    fn receive(&mut self, received: Amount) -> Result<(), Rejection> {
        self.receive_as(received, None)
    }

    /// [`SimPayment::receive`] under the transaction id `txid` (one seen on a real chain), or a
    /// generated one of the network's shape.
    fn receive_as(&mut self, received: Amount, txid: Option<&str>) -> Result<(), Rejection> {
        if self.fixed_amount && received < self.due() {
            return Err(self.fixed_refusal("amount"));
        }
        if received.decimals() != self.amount.decimals() {
            return Err(bad("amount", "the amount has other decimals than the payment's asset"));
        }
        self.paid_before = self.paid;
        self.paid = self.paid.checked_add(received).ok_or_else(|| bad("amount", "amount overflows"))?;
        match txid {
            // Two transfers of one transaction (two token logs) list it once.
            Some(txid) if self.txids.iter().any(|t| t == txid) => {}
            Some(txid) => self.txids.push(txid.to_owned()),
            None => {
                if let Some(txid) = crate::addresses::txid(self.asset.network, &self.id, self.txids.len()) {
                    self.txids.push(txid);
                }
            }
        }
        self.confirmations = 0;
        let settled = self.settled_status();
        let confirms = self.confirmations_required > 0 && !self.asset.network.is_bank();
        self.status = if confirms && settled != Status::Underpaid { Status::Confirming } else { settled };
        Ok(())
    }

    /// Applies a `simulate` action at `now_ms`. `amount` overrides the default sum for the pay
    /// actions (for `pay_short`, it is the short sum that arrives).
    pub fn simulate(&mut self, action: &str, amount: Option<&str>, now_ms: i64) -> Result<(), Rejection> {
        // Final statuses are frozen, but for a refund and for a late payment of an expired one.
        let late = self.status == Status::Expired && action == "pay_late";
        if self.status.is_terminal() && action != "refund" && !late {
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
            "pay" | "pay_partial" | "pay_over" | "pay_short" if !accepting => {
                return Err(conflict(format!(
                    "payment {} is {}; it does not accept funds now",
                    self.id, self.status
                )))
            }
            "pay_partial" | "pay_short" if self.fixed_amount => return Err(self.fixed_refusal("action")),
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
            "pay_short" => {
                // What an exchange's withdrawal fee leaves: 1 % of what is due, at least 1
                // atomic unit, and less than what is due.
                let due = self.due().atomic();
                if due < 2 {
                    return Err(conflict(format!(
                        "payment {} has too little due ({}) to arrive short of it",
                        self.id,
                        self.due()
                    )));
                }
                let fee = (due / 100).max(1);
                let short = given.unwrap_or(Amount::from_atomic(due - fee, decimals));
                if short.is_zero() || short >= self.due() {
                    return Err(bad(
                        "amount",
                        "a short payment must be more than 0 and less than what is due",
                    ));
                }
                self.receive(short)?
            }
            "pay_late" => {
                if self.status != Status::Expired {
                    return Err(conflict(format!(
                        "payment {} is {}; only an expired payment can be paid late",
                        self.id, self.status
                    )));
                }
                let sum = given.unwrap_or(self.due());
                if sum.is_zero() {
                    return Err(bad("amount", "a late payment must be more than 0"));
                }
                self.receive(sum)?
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
                self.txids.pop();
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
                // Expired now: the deadline is the last whole second before now, if it was later
                // (times are written in whole seconds: a payment after `expire`, even in the same
                // second, is then after the deadline too).
                self.expires_ms = self.expires_ms.min((now_ms.div_euclid(1_000) * 1_000 - 1_000).max(0));
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
        self.changed(now_ms);
        Ok(())
    }

    /// After a change at `now_ms`: the deadline, `paid_at`, and a new version.
    fn changed(&mut self, now_ms: i64) {
        // A payment that still (or again) waits for funds after its deadline has expired: a
        // late payment that fell short, or one dropped.
        if self.status.accepts_funds() && now_ms >= self.expires_ms {
            self.status = Status::Expired;
        }
        if matches!(self.status, Status::Paid | Status::Overpaid) && self.paid_at_ms.is_none() {
            self.paid_at_ms = Some(now_ms);
        }
        self.version += 1;
    }

    /// A transfer of `amount` to this payment seen on a real chain (the chain watcher,
    /// [`crate::chain`]), under its transaction id: received as `pay` with that amount would
    /// be (partial: underpaid; in full: confirming, or paid without confirmations; more:
    /// overpaid once confirmed), on an expired payment as `pay_late`. Refused on a final
    /// payment.
    pub fn receive_transfer(&mut self, amount: Amount, txid: &str, now_ms: i64) -> Result<(), Rejection> {
        if self.status.is_final() {
            return Err(conflict(format!(
                "payment {} is already {}; it cannot change any more",
                self.id, self.status
            )));
        }
        if amount.is_zero() {
            return Err(bad("amount", "a transfer of 0 pays nothing"));
        }
        self.receive_as(amount, Some(txid))?;
        self.changed(now_ms);
        Ok(())
    }

    /// The confirmations a real chain gives the latest transfer of a confirming payment
    /// (capped at `confirmations_required`; they never go back): at `confirmations_required`
    /// the payment settles. Returns whether the payment changed.
    pub fn chain_confirmations(&mut self, confirmations: u32, now_ms: i64) -> bool {
        let confirmations = confirmations.min(self.confirmations_required);
        if self.status != Status::Confirming || confirmations <= self.confirmations {
            return false;
        }
        self.confirmations = confirmations;
        if self.confirmations >= self.confirmations_required {
            self.status = self.settled_status();
        }
        self.changed(now_ms);
        true
    }

    /// The ETag of the current version.
    pub fn etag(&self) -> String {
        format!("\"{}-{}\"", self.id, self.version)
    }

    /// The payment in the native (`payform`) format.
    pub fn to_native(&self, now_ms: i64) -> Value {
        let mut native = json!({
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
        });
        // The optional fields, only when they say something.
        if let Some(m) = native.as_object_mut() {
            if let Some(invoice) = &self.lightning {
                m.insert("lightning".into(), invoice.as_str().into());
            }
            if !self.txids.is_empty() {
                m.insert("txids".into(), self.txids.clone().into());
            }
            if let Some(ms) = self.paid_at_ms {
                m.insert("paid_at".into(), rfc3339(ms).into());
            }
            if let Some(note) = &self.late_note {
                m.insert("late_note".into(), note.as_str().into());
            }
            if let Some(bank) = &self.bank {
                m.insert("rail".into(), self.asset.network.rail().id().into());
                for field in payform_core::bank::rail::RAIL_FIELDS {
                    if let Some(value) = bank.get(field) {
                        m.insert(field.name().into(), value.into());
                    }
                }
            }
        }
        native
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

/// (network, currency, `payload`): every bank network, and the payload variants (the
/// tests' cases, here and over HTTP in `tests.rs`).
#[cfg(test)]
pub(crate) const BANK_CASES: [(&str, &str, bool); 12] = [
    ("sepa_epc", "EUR", false),
    ("swiss_qr", "CHF", false),
    ("swiss_qr", "EUR", false),
    ("pix", "BRL", false),
    ("pix", "BRL", true),
    ("paynow", "SGD", false),
    ("paynow", "SGD", true),
    ("promptpay", "THB", false),
    ("promptpay", "THB", true),
    ("duitnow", "MYR", false),
    ("duitnow", "MYR", true),
    ("upi", "INR", false),
];

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
        p.simulate("pay_partial", None, 0).unwrap();
        assert_eq!(
            (p.status, p.paid.to_string(), p.due().to_string()),
            (Status::Underpaid, "12.5".into(), "12.5".into())
        );
        p.simulate("pay", None, 0).unwrap();
        assert_eq!(p.status, Status::Paid);
        assert_eq!(p.simulate("pay", None, 0).unwrap_err().status, 409);
    }

    #[test]
    fn confirmations_and_drop() {
        let mut p = tron(json!({"confirmations_required": 2}));
        p.simulate("pay", None, 0).unwrap();
        assert_eq!(p.status, Status::Confirming);
        p.simulate("drop", None, 0).unwrap();
        assert_eq!(p.status, Status::AwaitingPayment);
        p.simulate("pay_over", None, 0).unwrap();
        p.simulate("confirm", None, 0).unwrap();
        assert_eq!(p.status, Status::Confirming);
        p.simulate("confirm", None, 0).unwrap();
        assert_eq!(p.status, Status::Overpaid);
        p.simulate("refund", None, 0).unwrap();
        assert_eq!(p.status, Status::Refunded);
    }

    #[test]
    fn expiry_keeps_a_partial_payment_and_bumps_the_version() {
        let mut p = tron(json!({"expires_in": 60}));
        p.simulate("pay_partial", Some("5"), 0).unwrap();
        let v = p.version;
        assert!(!p.tick(59_999));
        assert!(p.tick(60_000));
        assert_eq!((p.status, p.paid.to_string(), p.version), (Status::Expired, "5".into(), v + 1));
        assert_eq!(p.simulate("bogus", None, 0).unwrap_err().status, 409);
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
        p.simulate("cancel", None, 0).unwrap();
        assert_eq!(p.status, Status::Cancelled);
        let mut q = tron(json!({}));
        q.simulate("pay_partial", None, 0).unwrap();
        assert_eq!(q.simulate("cancel", None, 0).unwrap_err().status, 409);
    }

    #[test]
    fn unknown_action_is_a_400() {
        let mut p = tron(json!({}));
        assert_eq!(p.simulate("bogus", None, 0).unwrap_err().field, Some("action"));
    }

    fn bitcoin(extra: Value) -> Result<SimPayment, Rejection> {
        let mut body = json!({"amount": "0.0025", "currency": "BTC", "network": "bitcoin"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        new(body)
    }

    #[test]
    fn a_lightning_invoice_for_exactly_the_amount_beside_a_bitcoin_address() {
        use payform_core::address::{check_invoice_amount, invoice_amount_msat, validate};
        for (amount, hrp) in [
            ("0.0025", "lnbc2500u"),
            ("0.001", "lnbc1m"),
            ("1", "lnbc1000m"),
            ("0.00012345", "lnbc123450n"),
            ("0.00000001", "lnbc10n"),
            ("21000000", "lnbc21000000000m"),
        ] {
            let p = bitcoin(json!({"amount": amount, "lightning": true})).unwrap();
            let invoice = p.lightning.clone().unwrap();
            assert!(invoice.starts_with(&format!("{hrp}1")), "{amount}: {invoice}");
            // The form's own checks: bech32 checksum, lnbc, length, and the amount.
            assert_eq!(validate(Network::Lightning, &invoice), Ok(invoice.clone()), "{amount}");
            assert_eq!(invoice_amount_msat(&invoice), Ok(Some(p.amount.atomic() * 1000)), "{amount}");
            assert_eq!(check_invoice_amount(&invoice, p.amount), Ok(()), "{amount}");
            let other = Amount::from_atomic(p.amount.atomic() + 1, 8);
            assert!(check_invoice_amount(&invoice, other).is_err(), "{amount}");
            assert_eq!(p.to_native(0)["lightning"], invoice.as_str());
        }
        // The example's data part is kept; its own amount gives back the example itself.
        let example = bitcoin(json!({"lightning": true})).unwrap().lightning.unwrap();
        assert_eq!(example, crate::addresses::LIGHTNING_INVOICE);
        // Not asked for: none.
        for flag in [json!({}), json!({"lightning": false}), json!({"lightning": null})] {
            let p = bitcoin(flag).unwrap();
            assert_eq!((p.lightning.as_deref(), p.to_native(0).get("lightning")), (None, None));
        }
    }

    #[test]
    fn lightning_is_refused_off_bitcoin_and_when_not_a_boolean() {
        for (network, currency, amount) in
            [("tron", "USDT", "25"), ("litecoin", "LTC", "1"), ("lightning", "BTC", "0.0025")]
        {
            let body = json!({"amount": amount, "currency": currency, "network": network, "lightning": true});
            let err = new(body).unwrap_err();
            assert_eq!((err.status, err.field), (400, Some("lightning")), "{network}: {}", err.message);
            assert!(err.message.contains(network), "{}", err.message);
        }
        let err = bitcoin(json!({"lightning": "yes"})).unwrap_err();
        assert_eq!((err.status, err.field), (400, Some("lightning")));
    }

    #[test]
    fn options_carry_their_own_lightning_flag() {
        let body = json!({"amount": "0.0025", "currency": "BTC", "network": "bitcoin", "lightning": true,
            "late_note": "Late payments are refunded.",
            "options": [{"currency": "USDT", "network": "tron", "amount": "25"},
                {"currency": "BTC", "network": "bitcoin", "amount": "0.001", "lightning": true}]});
        let bodies = option_bodies(&body).unwrap();
        assert!(bodies[0].get("lightning").is_none(), "{}", bodies[0]);
        assert_eq!(bodies[1]["lightning"], true);
        assert_eq!(bodies[0]["late_note"], "Late payments are refunded.");
        assert!(new(bodies[0].clone()).unwrap().lightning.is_none());
        assert!(new(bodies[1].clone()).unwrap().lightning.unwrap().starts_with("lnbc1m1"));
    }

    #[test]
    fn options_never_inherit_the_main_fiat_price() {
        let body = json!({"amount": "25", "currency": "USDT", "network": "tron",
            "fiat": {"amount": "25.00", "currency": "USD"},
            "options": [{"currency": "BTC", "network": "bitcoin", "amount": "0.00025"},
                {"currency": "USDC", "network": "tron", "amount": "25", "fiat": {"amount": "25.00", "currency": "USD"}}]});
        let bodies = option_bodies(&body).unwrap();
        assert!(bodies[0].get("fiat").is_none(), "no made-up price beside BTC: {}", bodies[0]);
        assert_eq!(bodies[1]["fiat"]["amount"], "25.00", "an option's own price is kept");
    }

    /// Whether `txid` is a transaction id of `network`'s shape.
    fn txid_shape(network: Network, txid: &str) -> bool {
        let hex64 = |t: &str| t.len() == 64 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        match network.family() {
            network::Family::Evm => txid.strip_prefix("0x").is_some_and(hex64),
            network::Family::Solana => {
                (87..=88).contains(&txid.len())
                    && bs58::decode(txid).into_vec().is_ok_and(|bytes| bytes.len() == 64)
            }
            network::Family::Utxo | network::Family::Tron => hex64(txid),
            network::Family::Lightning | network::Family::Bank => false,
        }
    }

    #[test]
    fn one_txid_per_received_payment_in_the_network_s_shape() {
        let cases = [
            ("bitcoin", "BTC", "0.001"),
            ("litecoin", "LTC", "1"),
            ("dogecoin", "DOGE", "100"),
            ("tron", "USDT", "25"),
            ("ethereum", "ETH", "0.5"),
            ("bsc", "USDT", "25"),
            ("polygon", "USDC", "25"),
            ("arbitrum", "USDT", "25"),
            ("base", "USDC", "25"),
            ("solana", "SOL", "1"),
        ];
        for (network, currency, amount) in cases {
            let body = json!({"amount": amount, "currency": currency, "network": network});
            let mut p = new(body.clone()).unwrap();
            assert!(p.to_native(0).get("txids").is_none(), "{network}: none before any payment");
            p.simulate("pay_partial", None, 0).unwrap();
            p.simulate("pay_over", None, 0).unwrap();
            let native = p.to_native(0);
            let txids: Vec<&str> =
                native["txids"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            assert_eq!(txids.len(), 2, "{network}");
            assert_ne!(txids[0], txids[1], "{network}");
            for t in &txids {
                assert!(txid_shape(p.asset.network, t), "{network}: {t}");
            }
            // Deterministic per payment and index.
            let mut again = new(body).unwrap();
            again.simulate("pay", None, 0).unwrap();
            assert_eq!(again.txids, [txids[0]], "{network}");
        }
        // Solana signatures are 87 or 88 characters whatever the seed.
        for i in 0..500 {
            let t = crate::addresses::txid(Network::Solana, &format!("pay_{i}"), i).unwrap();
            assert!(txid_shape(Network::Solana, &t), "{t}");
        }
        // Lightning: a payment hash is not a transaction.
        let mut ln = new(json!({"amount": "0.0025", "currency": "BTC", "network": "lightning"})).unwrap();
        ln.simulate("pay", None, 0).unwrap();
        assert!(ln.txids.is_empty());
        assert!(ln.to_native(0).get("txids").is_none());
    }

    #[test]
    fn a_dropped_payment_takes_its_txid_with_it() {
        let mut p = tron(json!({"confirmations_required": 1}));
        p.simulate("pay_short", None, 0).unwrap();
        p.simulate("pay", None, 0).unwrap();
        assert_eq!(p.txids.len(), 2);
        let first = p.txids[0].clone();
        p.simulate("drop", None, 0).unwrap();
        assert_eq!(p.txids, [first]);
    }

    #[test]
    fn paid_at_is_when_the_payment_became_paid() {
        let mut p = tron(json!({"confirmations_required": 2}));
        p.simulate("pay", None, 1_000).unwrap();
        assert!(p.to_native(1_000).get("paid_at").is_none(), "confirming is not paid yet");
        p.simulate("confirm", None, 2_000).unwrap();
        p.simulate("confirm", None, 3_000).unwrap();
        assert_eq!(p.status, Status::Paid);
        assert_eq!(p.to_native(9_000)["paid_at"], rfc3339(3_000));
        p.simulate("refund", None, 5_000).unwrap();
        assert_eq!(p.to_native(9_000)["paid_at"], rfc3339(3_000), "refunded keeps when it was paid");
        let mut q = tron(json!({}));
        q.simulate("pay_over", None, 7_000).unwrap();
        assert_eq!(
            (q.status, q.to_native(0)["paid_at"].as_str()),
            (Status::Overpaid, Some("1970-01-01T00:00:07Z"))
        );
        let mut r = tron(json!({}));
        r.simulate("pay_partial", None, 0).unwrap();
        assert!(r.to_native(0).get("paid_at").is_none(), "underpaid");
    }

    #[test]
    fn pay_confirms_one_block_at_a_time() {
        let mut p = tron(json!({"confirmations_required": 3}));
        p.simulate("pay", None, 0).unwrap();
        let native = p.to_native(0);
        assert_eq!(
            (
                native["status"].as_str(),
                native["confirmations"].as_u64(),
                native["confirmations_required"].as_u64()
            ),
            (Some("confirming"), Some(0), Some(3)),
            "detected in the network"
        );
        for k in 1..=3 {
            p.simulate("confirm", None, 0).unwrap();
            assert_eq!(p.confirmations, k);
            assert_eq!(p.status, if k < 3 { Status::Confirming } else { Status::Paid }, "{k} of 3");
        }
        assert_eq!(p.simulate("confirm", None, 0).unwrap_err().status, 409);
    }

    #[test]
    fn pay_short_leaves_the_exchange_fee_due() {
        let mut p = tron(json!({}));
        p.simulate("pay_short", None, 0).unwrap();
        assert_eq!(
            (p.status, p.paid.to_string(), p.due().to_string()),
            (Status::Underpaid, "24.75".into(), "0.25".into()),
            "1 % of 25 USDT"
        );
        // With confirmations required, still underpaid at once (as any short payment).
        let mut c = tron(json!({"confirmations_required": 2}));
        c.simulate("pay_short", None, 0).unwrap();
        assert_eq!((c.status, c.due().to_string()), (Status::Underpaid, "0.25".into()));
        // The fee is at least one atomic unit, and less than what is due.
        let mut tiny = tron(json!({"amount": "0.000050"}));
        tiny.simulate("pay_short", None, 0).unwrap();
        assert_eq!((tiny.paid.to_string(), tiny.due().to_string()), ("0.000049".into(), "0.000001".into()));
        let mut one = tron(json!({"amount": "0.000001"}));
        assert_eq!(one.simulate("pay_short", None, 0).unwrap_err().status, 409);
        // `amount` is what arrives, short of what is due.
        let mut given = tron(json!({}));
        given.simulate("pay_short", Some("20"), 0).unwrap();
        assert_eq!(given.due().to_string(), "5");
        assert_eq!(given.simulate("pay_short", Some("5"), 0).unwrap_err().field, Some("amount"));
        assert_eq!(given.simulate("pay_short", Some("0"), 0).unwrap_err().field, Some("amount"));
        // A second short payment takes 1 % of what is still due.
        given.simulate("pay_short", None, 0).unwrap();
        assert_eq!(given.due().to_string(), "0.05");
        let mut paid = tron(json!({}));
        paid.simulate("pay", None, 0).unwrap();
        assert_eq!(paid.simulate("pay_short", None, 0).unwrap_err().status, 409);
    }

    #[test]
    fn pay_late_only_after_the_deadline_then_confirms_to_paid() {
        let mut p = tron(json!({"expires_in": 60, "confirmations_required": 2}));
        let err = p.simulate("pay_late", None, 0).unwrap_err();
        assert_eq!(err.status, 409, "{}", err.message);
        p.simulate("pay_partial", Some("5"), 0).unwrap();
        assert!(p.tick(60_000));
        assert_eq!(p.status, Status::Expired);
        p.simulate("pay_late", None, 70_000).unwrap();
        let native = p.to_native(70_000);
        assert_eq!(
            (native["status"].as_str(), native["confirmations"].as_u64(), native["paid"].as_str()),
            (Some("confirming"), Some(0), Some("25"))
        );
        assert_eq!(native["expires_at"], rfc3339(60_000), "the deadline stays in the past");
        assert_eq!(p.txids.len(), 2);
        p.simulate("confirm", None, 71_000).unwrap();
        p.simulate("confirm", None, 72_000).unwrap();
        assert_eq!(p.status, Status::Paid);
        assert_eq!(p.to_native(80_000)["paid_at"], rfc3339(72_000));
        assert!(p.to_native(0).get("late").is_none());
        // Paid is frozen again.
        assert_eq!(p.simulate("pay_late", None, 80_000).unwrap_err().status, 409);
        assert_eq!(p.simulate("pay", None, 80_000).unwrap_err().status, 409);
    }

    #[test]
    fn a_dropped_late_payment_leaves_the_payment_expired() {
        let mut p = tron(json!({"confirmations_required": 1}));
        p.simulate("expire", None, 5_000).unwrap();
        assert_eq!(p.expires_ms, 4_000, "expired now: the deadline is the second before");
        p.simulate("pay_late", None, 6_000).unwrap();
        assert_eq!(p.status, Status::Confirming);
        p.simulate("drop", None, 7_000).unwrap();
        assert_eq!((p.status, p.paid.is_zero(), p.txids.len()), (Status::Expired, true, 0));
        // A late payment that falls short leaves it expired, with the funds counted.
        p.simulate("pay_late", Some("10"), 8_000).unwrap();
        assert_eq!((p.status, p.paid.to_string()), (Status::Expired, "10".into()));
        p.simulate("pay_late", None, 9_000).unwrap();
        p.simulate("confirm", None, 9_000).unwrap();
        assert_eq!((p.status, p.paid.to_string()), (Status::Paid, "25".into()));
    }

    #[test]
    fn pay_late_does_not_thaw_the_other_final_statuses() {
        for action in ["fail", "cancel"] {
            let mut p = tron(json!({}));
            p.simulate(action, None, 0).unwrap();
            assert_eq!(p.simulate("pay_late", None, 0).unwrap_err().status, 409, "{action}");
        }
        let mut p = tron(json!({}));
        p.simulate("expire", None, 0).unwrap();
        for action in ["pay", "pay_short", "confirm", "drop", "cancel", "fail"] {
            assert_eq!(p.simulate(action, None, 0).unwrap_err().status, 409, "{action} on expired");
        }
    }

    #[test]
    fn late_note_is_passed_through_up_to_200_characters() {
        let note = "é".repeat(LATE_NOTE_MAX);
        let p = tron(json!({"late_note": note}));
        assert_eq!(p.to_native(0)["late_note"], note.as_str());
        assert!(tron(json!({})).to_native(0).get("late_note").is_none());
        let long =
            json!({"amount": "25", "currency": "USDT", "network": "tron", "late_note": "x".repeat(201)});
        let err = new(long).unwrap_err();
        assert_eq!((err.status, err.field), (400, Some("late_note")), "{}", err.message);
        let number = json!({"amount": "25", "currency": "USDT", "network": "tron", "late_note": 3});
        assert_eq!(new(number).unwrap_err().field, Some("late_note"));
    }

    #[test]
    fn unknown_action_lists_the_new_ones() {
        let err = tron(json!({})).simulate("bogus", None, 0).unwrap_err();
        assert!(err.message.contains("pay_short") && err.message.contains("pay_late"), "{}", err.message);
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(1_795_485_600_000), "2026-11-24T02:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    // --- Bank rails ---------------------------------------------------------------------------

    use payform_core::backend::Preset;
    use payform_core::bank::{emv::MerchantQr, epc, pix::PixCharge, swiss, upi::UpiLink};
    use payform_core::network::Rail;
    use payform_core::payment::Payment;

    fn bank(network: &str, currency: &str, payload: bool) -> SimPayment {
        let body = json!({"amount": "100.50", "currency": currency, "network": network, "payload": payload,
            "description": "Order #7"});
        NewPayment { body: &body }
            .build("pay_18f3a2b4c000001".into(), 0, |_| panic!("a bank account is not an address"))
            .unwrap_or_else(|e| panic!("{network}: {}", e.message))
    }

    /// The payment as the form reads and validates it (the native JSON, `preset` payform).
    fn form(p: &SimPayment) -> Payment {
        let body = p.to_native(0).to_string();
        let raw = Preset::Payform.read(&body).unwrap_or_else(|e| panic!("{e}\n{body}"));
        raw.validate().unwrap_or_else(|e| panic!("{e}\n{body}"))
    }

    /// What the form's code (the payload it shows for what is due) asks for, decoded by the
    /// scheme's own decoder, with the reference it carries.
    fn code(payment: &Payment) -> (Option<Amount>, Option<String>) {
        let code = payment.bank.as_ref().expect("a bank payment").payload.clone();
        match payment.network().rail() {
            Rail::SepaEpc => {
                let t = epc::Transfer::decode(&code).unwrap();
                let reference = match t.remittance {
                    epc::Remittance::Structured(rf) => Some(rf.as_str().to_owned()),
                    _ => None,
                };
                assert_eq!(t.name, crate::bank::SHOP);
                (t.amount, reference)
            }
            Rail::SwissQr => {
                let bill = swiss::Bill::decode(&code).unwrap();
                let reference = match bill.reference {
                    swiss::Reference::Qrr(qrr) => Some(qrr.as_str().to_owned()),
                    _ => None,
                };
                assert_eq!(
                    (bill.creditor.town.as_str(), bill.creditor.postcode.as_str()),
                    ("Zürich", "8000")
                );
                assert_eq!(bill.currency.as_str(), payment.asset.currency);
                (bill.amount, reference)
            }
            Rail::Pix => {
                let charge = PixCharge::decode(&code).unwrap();
                assert_eq!(
                    (charge.name.as_str(), charge.city.as_str()),
                    (crate::bank::SHOP_SHORT, "Sao Paulo")
                );
                (charge.amount, charge.txid)
            }
            Rail::EmvMpm => {
                let qr = MerchantQr::decode(&code).unwrap();
                let bill =
                    qr.additional.iter().find(|o| o.id == 1).and_then(|o| o.as_text()).map(str::to_owned);
                (qr.amount, bill)
            }
            Rail::Upi => {
                let link = UpiLink::parse(&code).unwrap();
                assert_eq!((link.payee.as_str(), link.name.as_str()), (crate::bank::VPA, crate::bank::SHOP));
                (link.amount, link.reference)
            }
            Rail::Crypto => panic!("not a bank rail"),
        }
    }

    #[test]
    fn every_bank_network_makes_a_payment_the_form_accepts_and_its_code_asks_for_what_is_due() {
        for (network, currency, payload) in BANK_CASES {
            let case = format!("{network} {currency} payload: {payload}");
            let p = bank(network, currency, payload);
            let native = p.to_native(0);
            assert_eq!(native["rail"], Network::parse(network).unwrap().rail().id(), "{case}");
            assert!(native.get("txids").is_none() && native.get("lightning").is_none(), "{case}");
            let payment = form(&p);
            assert_eq!((payment.status, payment.amount), (Status::AwaitingPayment, p.amount), "{case}");
            let (asks, reference) = code(&payment);
            assert_eq!(asks, Some(p.amount), "{case}: the code asks for the amount");
            let sent = payment.bank.as_ref().unwrap().reference.as_ref().map(|r| r.copy.clone());
            assert_eq!(reference, sent, "{case}: the code carries the reference shown");
            assert!(reference.is_some(), "{case}: every simulated bank payment has a reference");
            // The whole code the provider sent is shown as sent.
            if p.fixed_amount {
                let view = payment.bank.as_ref().unwrap();
                assert!(view.given && view.payload == p.address, "{case}");
                assert!(native.get("beneficiary").is_none(), "{case}: the code carries it");
            } else {
                assert!(native["beneficiary"].is_string(), "{case}");
            }
        }
    }

    #[test]
    fn a_bank_payment_is_paid_at_once_and_in_part_only_when_the_form_builds_the_code() {
        for (network, currency, payload) in BANK_CASES {
            let case = format!("{network} {currency} payload: {payload}");
            let mut p = bank(network, currency, payload);
            if p.fixed_amount {
                for action in ["pay_partial", "pay_short"] {
                    let err = p.simulate(action, None, 0).unwrap_err();
                    assert_eq!((err.status, err.field), (400, Some("action")), "{case} {action}");
                    assert!(err.message.contains("cannot be paid in part"), "{case}: {}", err.message);
                }
                let err = p.simulate("pay", Some("50"), 0).unwrap_err();
                assert_eq!((err.status, err.field), (400, Some("amount")), "{case}");
                assert_eq!(
                    (p.status, p.paid.is_zero()),
                    (Status::AwaitingPayment, true),
                    "{case}: unchanged"
                );
            } else {
                p.simulate("pay_short", None, 0).unwrap();
                assert_eq!(p.status, Status::Underpaid, "{case}");
                let payment = form(&p);
                assert_eq!(payment.to_pay().to_string(), "1", "{case}: 1 % of 100.50, in whole cents");
                assert_eq!(code(&payment).0, Some(payment.to_pay()), "{case}: the code asks for the rest");
            }
            p.simulate("pay", None, 1_000).unwrap();
            assert_eq!(p.status, Status::Paid, "{case}: never confirming");
            assert!(p.txids.is_empty(), "{case}");
            let paid = form(&p);
            assert_eq!((paid.status, paid.paid_at), (Status::Paid, Some(1_000)), "{case}");
            assert_eq!(p.simulate("confirm", None, 0).unwrap_err().status, 409, "{case}");
        }
    }

    #[test]
    fn bank_only_flags_are_refused_elsewhere_and_named() {
        let refused = |body: Value, field: &str| {
            let err = new(body.clone()).unwrap_err();
            assert_eq!((err.status, err.field), (400, Some(field)), "{body}: {}", err.message);
            err.message
        };
        let sepa = |extra: Value| {
            let mut b = json!({"amount": "10", "currency": "EUR", "network": "sepa_epc"});
            b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            b
        };
        assert!(refused(sepa(json!({"payload": true})), "payload").contains("sepa_epc"));
        refused(json!({"amount": "25", "currency": "USDT", "network": "tron", "payload": true}), "payload");
        refused(json!({"amount": "10", "currency": "BRL", "network": "pix", "payload": "yes"}), "payload");
        assert!(refused(sepa(json!({"confirmations_required": 2})), "confirmations_required")
            .contains("no confirmations"));
        refused(sepa(json!({"lightning": true})), "lightning");
        refused(
            json!({"amount": "25", "currency": "USDT", "network": "tron", "beneficiary": "X"}),
            "beneficiary",
        );
        refused(sepa(json!({"beneficiary": "  "})), "beneficiary");
        refused(sepa(json!({"amount": "10.001"})), "amount");
        refused(json!({"amount": "10", "currency": "USD", "network": "sepa_epc"}), "currency");
        let long =
            json!({"amount": "10", "currency": "BRL", "network": "pix", "beneficiary": "x".repeat(26)});
        assert!(refused(long, "beneficiary").contains("25 characters"));
        // A merchant's own account holder, on every rail that names one.
        let own = new(sepa(json!({"beneficiary": "Stichting Mollie Payments"}))).unwrap();
        assert_eq!(form(&own).bank.unwrap().beneficiary, "Stichting Mollie Payments");
        let pix = new(json!({"amount": "10", "currency": "BRL", "network": "pix", "payload": true,
            "beneficiary": "Loja Exemplo"}))
        .unwrap();
        assert_eq!(PixCharge::decode(&pix.address).unwrap().name, "Loja Exemplo");
    }

    #[test]
    fn bank_options_have_their_own_payload_and_no_confirmations() {
        let body = json!({"amount": "25", "currency": "USDT", "network": "tron", "confirmations_required": 19,
            "beneficiary": "Main", "payload": false,
            "options": [{"currency": "EUR", "network": "sepa_epc", "amount": "23.10"},
                {"currency": "BRL", "network": "pix", "amount": "130.00", "payload": true}]});
        let bodies = option_bodies(&body).unwrap();
        assert!(bodies[0].get("confirmations_required").is_none() && bodies[0].get("beneficiary").is_none());
        assert_eq!(bodies[1]["payload"], true);
        let sepa = new(bodies[0].clone()).unwrap();
        assert_eq!((sepa.confirmations_required, sepa.fixed_amount), (0, false));
        let pix = new(bodies[1].clone()).unwrap();
        assert!(pix.fixed_amount && pix.address.starts_with("000201"));
        assert_eq!(form(&pix).amount.to_string(), "130");
    }
}
