//! `?format=<preset>`: each simulated payment answered in a real provider's JSON shape, written
//! from the very description the form reads it with (`presets/<name>.json`): one generic writer
//! puts each field's value where the description's source reads it (creating objects and
//! arrays), writes the provider's status by the inverse of the status table (or the
//! description's `write` choice where the provider has several values or none), atomic units
//! where the description reads them, lookup codes by the inverse table, and the picked element
//! of an array or object. So the simulated formats cannot drift from the presets.
//!
//! A bank payment's rail fields (`beneficiary`, `bic`, `reference`, the creditor's address) are
//! written where the description reads them; a format with no place for one the payment has
//! (a crypto provider's, for a SEPA transfer) is refused with the field's name, rather than
//! written without it. A fixed value of the description (`"=pix"`, `"=Stichting Mollie
//! Payments"`) is written when the payment's value is that value, and refused otherwise.

use crate::sim::{rfc3339, SimPayment};
use payform_core::backend::mapping::{Entries, Mapping, Source, Template};
use payform_core::backend::{builtin, preset_names, Preset};
use payform_core::bank::rail::RAIL_FIELDS;
use payform_core::money::Amount;
use payform_core::payment::Field;
use serde_json::{Number, Value};

/// The payment in `format`, or why this payment cannot be shown in it.
pub fn render(p: &SimPayment, now_ms: i64, format: &str) -> Result<Value, String> {
    let preset = builtin(format).map_err(|_| {
        format!("unknown format \"{format}\"; supported: {}", preset_names().collect::<Vec<_>>().join(", "))
    })?;
    match preset {
        Preset::Payform => Ok(p.to_native(now_ms)),
        Preset::Mapping(mapping) => write(&mapping, p, now_ms)
            .map_err(|why| format!("the {format} format cannot show this payment: {why}")),
    }
}

fn due(p: &SimPayment) -> Amount {
    p.amount.checked_sub(p.paid).unwrap_or(Amount::zero(p.amount.decimals()))
}

/// A value to write for one field.
#[derive(Debug, Clone, PartialEq)]
enum Want {
    Text(String),
    /// Unix milliseconds, written as the description says (`"times"`).
    Time(i64),
    Json(Value),
}

/// The simulated payment's value of `field` (the status is written apart).
fn want(p: &SimPayment, now_ms: i64, field: Field) -> Option<Want> {
    let text = |t: String| Some(Want::Text(t));
    match field {
        Field::Id => text(p.id.clone()),
        Field::Amount => text(p.amount.to_string()),
        Field::Currency => text(p.asset.currency.to_owned()),
        Field::Network => text(p.asset.network.id().to_owned()),
        Field::Address => text(p.address.clone()),
        Field::Paid => text(p.paid.to_string()),
        Field::Due => text(due(p).to_string()),
        Field::ExpiresAt => Some(Want::Time(p.expires_ms)),
        Field::ServerTime => Some(Want::Time(now_ms)),
        Field::Confirmations => Some(Want::Json(p.confirmations.into())),
        Field::ConfirmationsRequired => Some(Want::Json(p.confirmations_required.into())),
        Field::Description => p.description.clone().map(Want::Text),
        Field::Merchant => text(p.merchant.clone()),
        Field::ReturnUrl => p.return_url.clone().map(Want::Text),
        Field::Lightning => p.lightning.clone().map(Want::Text),
        Field::Txids => (!p.txids.is_empty()).then(|| Want::Json(p.txids.clone().into())),
        Field::PaidAt => p.paid_at_ms.map(Want::Time),
        Field::LateNote => p.late_note.clone().map(Want::Text),
        Field::Rail => p.bank.as_ref().map(|_| Want::Text(p.asset.network.rail().id().to_owned())),
        Field::Beneficiary
        | Field::Bic
        | Field::Reference
        | Field::Street
        | Field::Building
        | Field::Postcode
        | Field::City
        | Field::Country => p.bank.as_ref()?.get(field).map(|v| Want::Text(v.to_owned())),
        Field::Status | Field::Fiat | Field::Options => None,
    }
}

/// Whether `source` gives its field the key of pick `pick`.
fn keys(source: &Source, pick: usize) -> bool {
    match source {
        Source::KeyOf(i) => *i == pick,
        Source::First(alternatives) => alternatives.iter().any(|a| keys(a, pick)),
        _ => false,
    }
}

/// Writes `p` in the format `m` describes.
fn write(m: &Mapping, p: &SimPayment, now_ms: i64) -> Result<Value, String> {
    let rules = m.write().ok_or("its description has no \"write\" section")?;
    // A rail field the payment has and the format cannot carry would be lost: the form would
    // then refuse the payment for its absence, or show it without it.
    for field in RAIL_FIELDS {
        if want(p, now_ms, field).is_some() && !m.fields().iter().any(|(f, _)| *f == field) {
            return Err(format!(
                "it has no field for {}, which this {} payment has",
                field.name(),
                p.asset.network.id()
            ));
        }
    }
    // Each pick's element: the member named by the field that reads its key, else the first.
    let tokens = (0..m.picks().len())
        .map(|i| match m.fields().iter().find(|(_, s)| keys(s, i)) {
            Some((field, _)) => match want(p, now_ms, *field) {
                Some(Want::Text(key)) => Ok(Some(key)),
                _ => Err(format!("no {} to name the pick {}", field.name(), m.picks()[i].name)),
            },
            None => Ok(Some("0".to_owned())),
        })
        .collect::<Result<Vec<_>, String>>()?;
    // Fields that look their value up in the same code must agree on one code.
    let joint = m
        .fields()
        .iter()
        .filter_map(|(field, source)| match (source, want(p, now_ms, *field)) {
            (Source::Map { from, entries, .. }, Some(Want::Text(w))) => {
                Some(((**from).clone(), entries.clone(), w))
            }
            _ => None,
        })
        .collect();
    let mut w = Writer {
        root: Value::Null,
        tokens,
        forbidden: Vec::new(),
        claimed: Vec::new(),
        joint,
        unix: rules.unix_times,
    };
    for (field, source) in m.fields() {
        if *field == Field::Status {
            let choice = rules.status(p.status, !p.paid.is_zero()).ok_or("no status value")?;
            w.put(source, &Want::Text(choice.value.clone()))
                .map_err(|why| format!("status \"{}\": {why}", choice.value))?;
            if let (Some(q), Some(source)) = (&choice.qualifier, m.qualifier()) {
                w.put(source, &Want::Text(q.clone())).map_err(|why| format!("qualifier \"{q}\": {why}"))?;
            }
            continue;
        }
        let Some(value) = want(p, now_ms, *field) else { continue };
        w.put(source, &value).map_err(|why| format!("{} {}: {why}", field.name(), w.text(&value)))?;
    }
    for (i, pick) in m.picks().iter().enumerate() {
        let base = w.render(&pick.within)?;
        let element = format!("{base}/{}", escape(w.tokens[i].as_deref().unwrap_or("0")));
        // Without a fallback, the element must pass the pick's tests.
        if !pick.else_first {
            for test in &pick.filter {
                let at = format!("{element}{}", test.pointer);
                if let Some(Some(value)) = test.values.first() {
                    if w.root.pointer(&at).is_none() {
                        let value = w.render_value(value)?;
                        w.set(&at, Value::String(value))?;
                    }
                }
            }
        }
        for required in &pick.requires {
            let at = w.render(required)?;
            if w.root.pointer(&at).is_none() {
                return Err(format!("the pick {} needs {at}, which no field writes", pick.name));
            }
        }
    }
    for at in &w.claimed {
        if w.root.pointer(at).is_none_or(Value::is_null) {
            return Err(format!("{at} must be present, and no field writes it"));
        }
    }
    Ok(w.root)
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A description's sources, run backwards.
#[derive(Clone)]
struct Writer {
    root: Value,
    tokens: Vec<Option<String>>,
    /// Pointers that must stay absent (the alternatives before the one written).
    forbidden: Vec<String>,
    /// Pointers that must end up present (a lookup's `"*"` gives any value).
    claimed: Vec<String>,
    /// (the code a lookup reads, its entries, the value wanted through it), per lookup field.
    joint: Vec<(Source, Entries, String)>,
    unix: bool,
}

impl Writer {
    fn render(&self, t: &Template) -> Result<String, String> {
        t.render(&self.tokens, true).ok_or_else(|| format!("{} names a pick with no element", t.text()))
    }

    fn render_value(&self, t: &Template) -> Result<String, String> {
        t.render(&self.tokens, false).ok_or_else(|| format!("{} names a pick with no element", t.text()))
    }

    fn text(&self, want: &Want) -> String {
        match want {
            Want::Text(t) => t.clone(),
            Want::Time(ms) if self.unix => ms.div_euclid(1000).to_string(),
            Want::Time(ms) => rfc3339(*ms),
            Want::Json(Value::String(s)) => s.clone(),
            Want::Json(v) => v.to_string(),
        }
    }

    fn json(&self, want: &Want) -> Value {
        match want {
            Want::Text(t) => Value::String(t.clone()),
            Want::Time(ms) if self.unix => Value::from(ms.div_euclid(1000)),
            Want::Time(ms) => Value::String(rfc3339(*ms)),
            Want::Json(v) => v.clone(),
        }
    }

    /// Writes `want` so that `source` reads it back.
    fn put(&mut self, source: &Source, want: &Want) -> Result<(), String> {
        match source {
            Source::Pointer(t) => {
                let at = self.render(t)?;
                let value = self.json(want);
                self.set(&at, value)
            }
            Source::Literal(fixed) => {
                let text = self.text(want);
                if text.eq_ignore_ascii_case(fixed) {
                    Ok(())
                } else {
                    Err(format!("the format can only say \"{fixed}\""))
                }
            }
            Source::First(alternatives) => {
                for (i, alternative) in alternatives.iter().enumerate() {
                    let mut trial = self.clone();
                    let before = alternatives[..i].iter().try_for_each(|a| trial.forbid(a));
                    if before.is_ok() && trial.put(alternative, want).is_ok() {
                        *self = trial;
                        return Ok(());
                    }
                }
                Err("none of its alternatives can say it".into())
            }
            Source::Map { from, entries, otherwise } => {
                let text = self.text(want);
                let agrees = |key: &str| {
                    self.joint.iter().filter(|(f, _, _)| f == &**from).all(|(_, entries, wanted)| {
                        entries.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.as_deref())
                            == Some(wanted.as_str())
                    })
                };
                let code = entries.iter().find(|(k, v)| v.as_deref() == Some(text.as_str()) && agrees(k));
                if let Some((key, _)) = code {
                    let raw = match key.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        _ => Value::String(key.clone()),
                    };
                    return self.put(from, &Want::Json(raw));
                }
                match (otherwise, &**from) {
                    (Some(Some(any)), Source::Pointer(t)) if *any == text => {
                        let at = self.render(t)?;
                        if self.is_forbidden(&at) {
                            return Err(format!("{at} must stay absent"));
                        }
                        self.claimed.push(at);
                        Ok(())
                    }
                    _ => Err(format!("no code of the lookup means \"{text}\"")),
                }
            }
            Source::Atomic { from, decimals } => {
                let text = self.text(want);
                let amount = Amount::parse(&text, *decimals).map_err(|e| e.to_string())?;
                let units = u64::try_from(amount.atomic()).map_err(|_| format!("{text} is too large"))?;
                self.put(from, &Want::Json(Value::Number(Number::from(units))))
            }
            Source::PlusMinutes { .. } => Err("a computed time is only read".into()),
            Source::Sum { items, of, filter } => {
                let element = format!("{}/0", self.render(items)?);
                let value = self.json(want);
                self.set(&format!("{element}{of}"), value)?;
                for test in filter {
                    if let Some(Some(value)) = test.values.first() {
                        let value = self.render_value(value)?;
                        self.set(&format!("{element}{}", test.pointer), Value::String(value))?;
                    }
                }
                Ok(())
            }
            Source::KeyOf(i) => match self.tokens.get(*i).cloned().flatten() {
                Some(key) if key == self.text(want) => Ok(()),
                _ => Err("the pick's key says otherwise".into()),
            },
        }
    }

    /// Makes sure `source` reads as absent (an alternative before the one written).
    fn forbid(&mut self, source: &Source) -> Result<(), String> {
        match source {
            Source::Pointer(t) => {
                let at = self.render(t)?;
                if self.root.pointer(&at).is_some_and(|v| !v.is_null()) || self.claimed.contains(&at) {
                    return Err(format!("{at} is already written"));
                }
                self.forbidden.push(at);
                Ok(())
            }
            Source::Map { from, .. } | Source::Atomic { from, .. } | Source::PlusMinutes { from, .. } => {
                self.forbid(from)
            }
            Source::First(alternatives) => alternatives.iter().try_for_each(|a| self.forbid(a)),
            Source::Sum { items, .. } => self.forbid(&Source::Pointer(items.clone())),
            Source::Literal(_) | Source::KeyOf(_) => Err("it is always present".into()),
        }
    }

    fn is_forbidden(&self, at: &str) -> bool {
        self.forbidden.iter().any(|f| at == f || at.starts_with(&format!("{f}/")))
    }

    /// Sets the value at the JSON Pointer `at`, creating objects (and arrays, for numeric
    /// tokens) on the way; a different value already there is a conflict.
    fn set(&mut self, at: &str, value: Value) -> Result<(), String> {
        if self.is_forbidden(at) {
            return Err(format!("{at} must stay absent"));
        }
        match self.root.pointer(at) {
            Some(existing) if *existing == value => return Ok(()),
            Some(existing) if !existing.is_null() => return Err(format!("{at} already holds {existing}")),
            _ => {}
        }
        let tokens: Vec<String> = at
            .strip_prefix('/')
            .ok_or_else(|| format!("{at} is not a JSON Pointer"))?
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut cur = &mut self.root;
        for (i, token) in tokens.iter().enumerate() {
            if cur.is_null() {
                *cur = if token.bytes().all(|b| b.is_ascii_digit()) {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Default::default())
                };
            }
            let last = i + 1 == tokens.len();
            cur = match cur {
                Value::Object(members) => members.entry(token.clone()).or_insert(Value::Null),
                Value::Array(items) => {
                    let index: usize =
                        token.parse().map_err(|_| format!("{at}: \"{token}\" indexes an array"))?;
                    if index == items.len() {
                        items.push(Value::Null);
                    }
                    items.get_mut(index).ok_or_else(|| format!("{at}: no element {index}"))?
                }
                other => return Err(format!("{at}: {other} is neither an object nor an array")),
            };
            if last {
                *cur = value;
                return Ok(());
            }
        }
        Err(format!("{at} names the whole document"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::NewPayment;
    use payform_core::network::Network;
    use payform_core::status::Status::{self, *};

    fn payment(network: &str, currency: &str, amount: &str, confirmations: u32) -> SimPayment {
        let body = serde_json::json!({"amount": amount, "currency": currency, "network": network,
            "confirmations_required": confirmations, "description": "Order #7"});
        // A generated wallet address (a token contract's would be refused by the presets).
        let address = |n| Ok(crate::addresses::generate(n, &mut crate::addresses::Seed(7)));
        NewPayment { body: &body }.build("pay_t".into(), 0, address).unwrap()
    }

    /// A simulated payment brought to `status` by the simulator's own actions.
    fn in_status(
        network: &str,
        currency: &str,
        amount: &str,
        status: Status,
        partly_paid: bool,
    ) -> SimPayment {
        let mut p = payment(network, currency, amount, if status == Confirming { 2 } else { 0 });
        let actions: &[&str] = match status {
            AwaitingPayment => &[],
            Confirming | Paid => &["pay"],
            Underpaid => &["pay_partial"],
            Overpaid => &["pay_over"],
            Expired if partly_paid => &["pay_partial", "expire"],
            Expired => &["expire"],
            Failed => &["fail"],
            Cancelled => &["cancel"],
            Refunded => &["pay", "refund"],
        };
        for action in actions {
            p.simulate(action, None, 0).unwrap();
        }
        assert_eq!(p.status, status);
        p
    }

    const CASES: [(&str, &str, &str, &str); 15] = [
        ("heleket", "tron", "USDT", "25"),
        ("cryptomus", "tron", "USDT", "25"),
        ("heleket", "bitcoin", "BTC", "0.001"),
        ("nowpayments", "tron", "USDT", "25"),
        ("nowpayments", "bsc", "USDT", "25"),
        ("nowpayments", "bitcoin", "BTC", "0.001"),
        ("btcpay", "bitcoin", "BTC", "0.001"),
        ("btcpay", "lightning", "BTC", "0.0025"),
        ("coinbase", "bitcoin", "BTC", "0.001"),
        ("coinbase", "ethereum", "ETH", "0.5"),
        ("coingate", "tron", "USDT", "25"),
        ("coingate", "lightning", "BTC", "0.0025"),
        ("coingate", "bitcoin", "BTC", "0.001"),
        ("opennode", "bitcoin", "BTC", "0.001"),
        ("opennode", "lightning", "BTC", "0.0025"),
    ];

    fn read_back(format: &str, p: &SimPayment) -> payform_core::payment::Payment {
        let body = render(p, 0, format).unwrap_or_else(|e| panic!("{format}: {e}")).to_string();
        let raw = builtin(format).unwrap().read(&body).unwrap_or_else(|e| panic!("{format}: {e}\n{body}"));
        raw.validate().unwrap_or_else(|e| panic!("{format}: {e}\n{body}"))
    }

    #[test]
    fn every_format_reads_back_through_its_preset() {
        for (format, network, currency, amount) in CASES {
            let mut p = payment(network, currency, amount, 0);
            let first = read_back(format, &p);
            assert_eq!(
                (first.status, first.amount, first.address.clone()),
                (AwaitingPayment, p.amount, p.address.clone()),
                "{format} {network}"
            );
            p.simulate("pay_partial", None, 0).unwrap();
            let partial = read_back(format, &p);
            assert_eq!(partial.to_pay(), due(&p), "{format} {network}: the remaining amount");
            p.simulate("pay", None, 0).unwrap();
            assert_eq!(read_back(format, &p).status, Paid, "{format} {network}");
        }
    }

    /// A payment paid after its deadline (`pay_late`), short (`pay_short`), with the new native
    /// fields set: every format still shows it, as it shows any payment in that status.
    #[test]
    fn late_and_short_payments_read_back_in_every_format() {
        for (format, network, currency, amount) in CASES {
            let case = format!("{format} {network}");
            let mut p = payment(network, currency, amount, 2);
            p.late_note = Some("Late payments are refunded.".into());
            p.simulate("expire", None, 0).unwrap();
            p.simulate("pay_late", None, 1_000).unwrap();
            assert_eq!(read_back(format, &p).status, Confirming, "{case}");
            p.simulate("confirm", None, 2_000).unwrap();
            p.simulate("confirm", None, 3_000).unwrap();
            let read = read_back(format, &p);
            assert_eq!((read.status, read.amount), (Paid, p.amount), "{case}");
            let mut q = payment(network, currency, amount, 0);
            q.simulate("pay_short", None, 0).unwrap();
            let read = read_back(format, &q);
            assert!(read.status.accepts_funds(), "{case}: {}", read.status);
            assert_eq!(read.to_pay(), due(&q), "{case}: the fee still to pay");
        }
        // A bitcoin payment with its Lightning invoice, in the formats that take bitcoin.
        let body = serde_json::json!({"amount": "0.001", "currency": "BTC", "network": "bitcoin", "lightning": true});
        let address = |n| Ok(crate::addresses::generate(n, &mut crate::addresses::Seed(7)));
        let mut p = NewPayment { body: &body }.build("pay_t".into(), 0, address).unwrap();
        p.simulate("pay", None, 0).unwrap();
        for format in ["heleket", "nowpayments", "btcpay", "coinbase", "coingate", "opennode"] {
            assert_eq!(read_back(format, &p).status, Paid, "{format}");
        }
    }

    /// Every Payform status, in every format: a status the provider can express reads back as
    /// itself; one it cannot reads back as the description's `write` choice says.
    #[test]
    fn every_status_round_trips_where_the_provider_can_express_it() {
        for (format, network, currency, amount) in CASES {
            let mapping = builtin(format).unwrap().mapping().clone();
            let rules = mapping.write().unwrap();
            let table = mapping.statuses().unwrap();
            for status in Status::ALL {
                for partly_paid in [false, true] {
                    if partly_paid && status != Expired {
                        continue;
                    }
                    let p = in_status(network, currency, amount, status, partly_paid);
                    let read = read_back(format, &p);
                    let choice = rules.status(status, !p.paid.is_zero()).unwrap();
                    let expected = if table.iter().any(|e| e.status == status) {
                        status
                    } else {
                        mapping
                            .status_of(&choice.value, choice.qualifier.as_deref().unwrap_or_default())
                            .unwrap()
                    };
                    let case = format!("{format} {network} {status} (partly paid: {partly_paid})");
                    assert_eq!(read.status, expected, "{case}");
                    assert_eq!(
                        (read.amount, read.address.as_str()),
                        (p.amount, p.address.as_str()),
                        "{case}"
                    );
                    if read.status.accepts_funds() {
                        assert_eq!(read.to_pay(), due(&p), "{case}");
                    }
                }
            }
        }
        // The fallbacks the descriptions choose (today's devserver behaviour).
        let heleket = |status, partly| {
            let p = in_status("tron", "USDT", "25", status, partly);
            read_back("heleket", &p).status
        };
        assert_eq!(heleket(Expired, false), Cancelled, "heleket has no expired: cancel");
        assert_eq!(heleket(Expired, true), Failed, "after a partial payment: wrong_amount");
        let coingate = in_status("tron", "USDT", "25", Underpaid, false);
        assert_eq!(read_back("coingate", &coingate).status, AwaitingPayment);
    }

    #[test]
    fn the_written_shapes_are_the_providers() {
        let p = in_status("bitcoin", "BTC", "0.001", Underpaid, false);
        let btcpay = render(&p, 0, "btcpay").unwrap();
        assert_eq!(btcpay["status"], "New");
        assert_eq!(btcpay["additionalStatus"], "PaidPartial");
        assert_eq!(btcpay["paymentMethods"][0]["paymentMethodId"], "BTC-CHAIN");
        assert_eq!(btcpay["expirationTime"], 3600);
        let coinbase = render(&p, 0, "coinbase").unwrap();
        assert_eq!(coinbase["data"]["addresses"]["bitcoin"], p.address.as_str());
        assert_eq!(coinbase["data"]["pricing"]["bitcoin"]["currency"], "BTC");
        assert_eq!(coinbase["data"]["timeline"][0]["context"], "UNDERPAID");
        assert_eq!(coinbase["data"]["payments"][0]["network"], "bitcoin");
        assert_eq!(coinbase["data"]["expires_at"], "1970-01-01T01:00:00Z");
        let opennode = render(&p, 0, "opennode").unwrap();
        assert_eq!(opennode["data"]["amount"], 100_000);
        assert_eq!(opennode["data"]["missing_amt"], 50_000);
        assert_eq!(opennode["data"]["chain_invoice"]["address"], p.address.as_str());
        assert!(opennode["data"]["lightning_invoice"].get("payreq").is_none());
        let q = in_status("tron", "USDT", "25", Confirming, false);
        let nowpayments = render(&q, 0, "nowpayments").unwrap();
        assert_eq!(
            (&nowpayments["pay_currency"], &nowpayments["payment_status"]),
            (&"usdttrc20".into(), &"confirming".into())
        );
        let coingate = render(&q, 0, "coingate").unwrap();
        assert_eq!(
            (&coingate["platform"]["id_name"], coingate.get("lightning_network")),
            (&"tron".into(), None)
        );
        let heleket = render(&q, 0, "heleket").unwrap();
        assert_eq!(heleket["result"]["payment_status"], "confirm_check");
    }

    /// A bank payment brought along by `actions`, with `extra` in its body.
    fn bank(
        network: &str,
        currency: &str,
        amount: &str,
        extra: serde_json::Value,
        actions: &[&str],
    ) -> SimPayment {
        let mut body = serde_json::json!({"amount": amount, "currency": currency, "network": network,
            "description": "Order #7"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let mut p =
            NewPayment { body: &body }.build("pay_t".into(), 0, |_| panic!("not an address")).unwrap();
        for action in actions {
            p.simulate(action, None, 1_000).unwrap();
        }
        p
    }

    /// Every status a bank payment reaches, by the simulator's actions.
    const BANK_ACTIONS: [(&[&str], Status); 6] = [
        (&[], AwaitingPayment),
        (&["pay"], Paid),
        (&["expire"], Expired),
        (&["cancel"], Cancelled),
        (&["fail"], Failed),
        (&["pay", "refund"], Refunded),
    ];

    #[test]
    fn mercadopago_writes_a_pix_payment_with_its_own_code() {
        let extra = serde_json::json!({"payload": true});
        let p = bank("pix", "BRL", "100.00", extra.clone(), &[]);
        let body = render(&p, 0, "mercadopago").unwrap();
        assert_eq!(body["point_of_interaction"]["transaction_data"]["qr_code"], p.address.as_str());
        assert_eq!((&body["payment_method_id"], &body["status"]), (&"pix".into(), &"pending".into()));
        assert_eq!((&body["transaction_amount"], &body["currency_id"]), (&"100".into(), &"BRL".into()));
        assert_eq!(body["date_of_expiration"], "1970-01-01T01:00:00Z");
        let read = read_back("mercadopago", &p);
        assert_eq!((read.network(), read.amount, read.to_pay()), (Network::Pix, p.amount, p.amount));
        let view = read.bank.as_ref().unwrap();
        assert!(view.given && view.payload == p.address, "Mercado Pago's code, shown as sent");
        for (actions, status) in BANK_ACTIONS {
            let p = bank("pix", "BRL", "100.00", extra.clone(), actions);
            assert_eq!(read_back("mercadopago", &p).status, status, "{actions:?}");
        }
        let expired =
            render(&bank("pix", "BRL", "100.00", extra.clone(), &["expire"]), 0, "mercadopago").unwrap();
        assert_eq!((&expired["status"], &expired["status_detail"]), (&"cancelled".into(), &"expired".into()));
        let paid = render(&bank("pix", "BRL", "100.00", extra, &["pay"]), 0, "mercadopago").unwrap();
        assert_eq!(
            (&paid["status"], &paid["date_approved"]),
            (&"approved".into(), &"1970-01-01T00:00:01Z".into())
        );
    }

    #[test]
    fn mollie_writes_a_sepa_transfer_to_its_account_holder() {
        let extra = serde_json::json!({"beneficiary": "Stichting Mollie Payments"});
        let p = bank("sepa_epc", "EUR", "10.00", extra.clone(), &[]);
        let body = render(&p, 0, "mollie").unwrap();
        let fields = p.bank.clone().unwrap();
        assert_eq!((&body["method"], &body["status"]), (&"banktransfer".into(), &"open".into()));
        assert_eq!((&body["amount"]["value"], &body["amount"]["currency"]), (&"10".into(), &"EUR".into()));
        assert_eq!(body["details"]["bankAccount"], p.address.as_str());
        assert_eq!(body["details"]["bankBic"], fields.bic.unwrap().as_str());
        assert_eq!(body["details"]["transferReference"], fields.reference.clone().unwrap().as_str());
        assert!(body["details"].get("bankName").is_none(), "the account holder is the preset's fixed value");
        let read = read_back("mollie", &p);
        assert_eq!((read.network(), read.to_pay()), (Network::Sepa, p.amount));
        let view = read.bank.as_ref().unwrap();
        assert_eq!(view.beneficiary, "Stichting Mollie Payments");
        assert_eq!(view.reference.as_ref().map(|r| r.copy.clone()), fields.reference);
        for (actions, status) in BANK_ACTIONS {
            let p = bank("sepa_epc", "EUR", "10.00", extra.clone(), actions);
            // Mollie keeps a refunded payment paid (refunds are apart from the status).
            let want = if status == Refunded { Paid } else { status };
            assert_eq!(read_back("mollie", &p).status, want, "{actions:?}");
        }
        // Mollie has no partial transfer: a short one leaves the payment open, for the whole.
        let short = bank("sepa_epc", "EUR", "10.00", extra, &["pay_short"]);
        let read = read_back("mollie", &short);
        assert_eq!((read.status, read.to_pay()), (AwaitingPayment, short.amount));
    }

    #[test]
    fn a_bank_payment_a_format_cannot_carry_is_a_clear_refusal() {
        let refusal = |p: &SimPayment, format: &str| render(p, 0, format).unwrap_err();
        let sepa = bank("sepa_epc", "EUR", "10", serde_json::json!({}), &[]);
        assert_eq!(
            refusal(&sepa, "mollie"),
            "the mollie format cannot show this payment: beneficiary Payform Demo Shop: the format can only say \"Stichting Mollie Payments\""
        );
        assert_eq!(
            refusal(&sepa, "heleket"),
            "the heleket format cannot show this payment: it has no field for beneficiary, which this sepa_epc payment has"
        );
        let pix_key = bank("pix", "BRL", "100", serde_json::json!({}), &[]);
        assert_eq!(
            refusal(&pix_key, "mercadopago"),
            "the mercadopago format cannot show this payment: it has no field for beneficiary, which this pix payment has"
        );
        let pix_code = bank("pix", "BRL", "100", serde_json::json!({"payload": true}), &[]);
        assert_eq!(
            refusal(&pix_code, "mollie"),
            "the mollie format cannot show this payment: network pix: no code of the lookup means \"pix\""
        );
        let tron = payment("tron", "USDT", "25", 0);
        assert_eq!(
            refusal(&tron, "mercadopago"),
            "the mercadopago format cannot show this payment: network tron: no code of the lookup means \"tron\""
        );
    }

    #[test]
    fn what_a_format_cannot_say_is_a_clear_refusal() {
        let tron = payment("tron", "USDT", "25", 0);
        assert_eq!(
            render(&tron, 0, "opennode").unwrap_err(),
            "the opennode format cannot show this payment: currency USDT: the format can only say \"BTC\""
        );
        assert_eq!(
            render(&tron, 0, "btcpay").unwrap_err(),
            "the btcpay format cannot show this payment: network tron: no code of the lookup means \"tron\""
        );
        let ltc = payment("litecoin", "LTC", "1", 0);
        assert!(render(&ltc, 0, "opennode").unwrap_err().contains("currency LTC"));
        assert!(render(&tron, 0, "stripe")
            .unwrap_err()
            .starts_with("unknown format \"stripe\"; supported: payform, heleket"));
    }
}
