//! The provider presets against the providers' documented example responses
//! (`tests/fixtures/providers/`, copied from shared/fixtures; `SOURCES.md` there names the
//! docs page, SDK file or schema of every example), and the full status table of each preset.

use payform_core::backend::{btcpay, coinbase, Preset};
use payform_core::json::Json;
use payform_core::payment::RawPayment;
use payform_core::status::Status;

fn fixtures(provider: &str) -> Json {
    let path = format!("{}/tests/fixtures/providers/{provider}.json", env!("CARGO_MANIFEST_DIR"));
    Json::parse(&std::fs::read_to_string(&path).expect("fixture file")).expect("fixture is JSON")
}

fn example(provider: &str, key: &str) -> String {
    fixtures(provider).get(key).unwrap_or_else(|| panic!("{provider}.{key}")).to_string()
}

fn read(preset: &str, body: &str) -> RawPayment {
    Preset::parse(preset).unwrap().read(body).unwrap_or_else(|e| panic!("{preset}: {e}"))
}

/// Sets the value at `pointer` (object members only) in a JSON body.
fn with(body: &str, path: &[&str], value: Json) -> String {
    fn set(v: &mut Json, path: &[&str], value: Json) {
        let Json::Object(members) = v else { panic!("not an object") };
        match path {
            [last] => match members.iter_mut().find(|(k, _)| k == last) {
                Some((_, slot)) => *slot = value,
                None => members.push(((*last).to_owned(), value)),
            },
            [first, rest @ ..] => {
                set(&mut members.iter_mut().find(|(k, _)| k == first).unwrap().1, rest, value)
            }
            [] => unreachable!(),
        }
    }
    let mut json = Json::parse(body).unwrap();
    set(&mut json, path, value);
    json.to_string()
}

fn s(text: &str) -> Json {
    Json::String(text.to_owned())
}

#[test]
fn heleket_and_cryptomus_docs_examples() {
    // Heleket docs "Payment information" example: a cancelled USDT-on-Tron payment.
    let raw = read("heleket", &example("heleket", "heleket_docs_payment_info_cancel"));
    assert_eq!(raw.id, "70b8db5c-b952-406d-af26-4e1c34c27f15");
    assert_eq!(
        (raw.status.as_str(), raw.amount.as_str(), raw.currency.as_str()),
        ("cancelled", "15.75", "USDT")
    );
    assert_eq!((raw.network.as_str(), raw.address.as_str()), ("tron", "TXhfYSWt2oKRrHAJVJeYRuit6ZzKuoEKXj"));
    assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("0.00"), Some("15.75")));
    let p = raw.validate().expect("a real Tron address and exact amounts");
    assert_eq!(p.expires_at, Some(1_689_099_831_000));
    // Cryptomus: the same format, read by the same preset.
    let c = read("cryptomus", &example("heleket", "cryptomus_docs_payment_info_cancel"));
    assert_eq!(c.address, "TXhfYSWt2oKRrHAJVJeYRuit6ZzKuoEKXj");
    // php-sdk fixture: `payment_amount` is null before payment.
    let sdk = read("heleket", &example("heleket", "heleket_sdk_fixture_invoice_check"));
    assert_eq!((sdk.status.as_str(), sdk.paid.as_deref()), ("awaiting_payment", None));
    assert!(sdk.validate().is_ok());
}

#[test]
fn nowpayments_docs_examples() {
    let raw = read("nowpayments", &example("nowpayments", "docs_get_payment_status_finished"));
    assert_eq!((raw.id.as_str(), raw.status.as_str()), ("5524759814", "paid"));
    assert_eq!(
        (raw.amount.as_str(), raw.currency.as_str(), raw.network.as_str()),
        ("165.652609", "TRX", "tron")
    );
    assert_eq!(raw.paid.as_deref(), Some("180"));
    assert!(raw.validate().is_ok());
    let btc = read("nowpayments", &example("nowpayments", "docs_list_item_waiting_btc"));
    assert_eq!(
        (btc.network.as_str(), btc.address.as_str()),
        ("bitcoin", "3EZ2uTdVDAMFXTfc6uLDDKR6o8qKBZXVkj")
    );
    assert!(btc.validate().is_ok());
    let expired = read("nowpayments", &example("nowpayments", "docs_list_item_expired_trx"));
    assert_eq!(expired.status, "expired");
    // MANA is not a currency of the contract: a clear, typed error naming the field.
    let err = Preset::NowPayments.read(&example("nowpayments", "docs_ipn_body_waiting")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field \"pay_currency\" has the value \"mana\", which this preset does not know"
    );
}

#[test]
fn btcpay_invoice_with_payment_methods() {
    let invoice = example("btcpay", "constructed_get_invoice_new_paidpartial");
    let methods = fixtures("btcpay").get("constructed_get_payment_methods_paidpartial").unwrap().clone();
    let body = with(&invoice, &["paymentMethods"], methods);
    let raw = read("btcpay", &body);
    assert_eq!((raw.id.as_str(), raw.status.as_str()), ("HMprBnL9BTXWuPvpoKBS6e", "underpaid"));
    assert_eq!(
        (raw.network.as_str(), raw.currency.as_str(), raw.amount.as_str()),
        ("bitcoin", "BTC", "0.00007765")
    );
    assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("0.00005000"), Some("0.00002765")));
    assert_eq!(raw.expires_at.as_deref(), Some("1592312918"));
    // The fixture's address is a documented placeholder: never shown as payable.
    assert_eq!(raw.validate().unwrap_err().code(), "invalid_address");
    let no_methods = Preset::Btcpay.read(&invoice).unwrap_err();
    assert_eq!(no_methods.to_string(), "field \"paymentMethods\" is missing from the payment");
}

#[test]
fn coinbase_legacy_charges() {
    let raw = read("coinbase", &example("coinbase_commerce", "docs_legacy_charge_resource_fixed_price"));
    assert_eq!(
        (raw.id.as_str(), raw.status.as_str()),
        ("66BEOV2A", "paid"),
        "last timeline entry is RESOLVED"
    );
    assert_eq!(
        (raw.network.as_str(), raw.currency.as_str(), raw.amount.as_str()),
        ("bitcoin", "BTC", "1.00")
    );
    // The SDK fixture is a no_price charge: no amount to show, a typed error names the field.
    let err = Preset::Coinbase
        .read(&example("coinbase_commerce", "sdk_fixture_charge_no_price_expired"))
        .unwrap_err();
    assert!(err.to_string().contains("data.pricing"), "{err}");
}

#[test]
fn coingate_orders() {
    let raw = read("coingate", &example("coingate", "docs_checkout_pending"));
    assert_eq!((raw.id.as_str(), raw.status.as_str()), ("10568600", "awaiting_payment"));
    assert_eq!(
        (raw.network.as_str(), raw.amount.as_str(), raw.due.as_deref()),
        ("bitcoin", "0.00001225", Some("0.00001225"))
    );
    assert_eq!(raw.paid.as_deref(), Some("0"));
    // A testnet address on a mainnet form is refused.
    assert_eq!(raw.validate().unwrap_err().code(), "invalid_address");
    let paid = read("coingate", &example("coingate", "docs_get_order_paid"));
    assert_eq!(paid.status, "paid");
    let new = Preset::Coingate.read(&example("coingate", "docs_create_order_new")).unwrap_err();
    assert_eq!(new.to_string(), "field \"pay_amount\" is missing from the payment");
    let canceled = read("coingate", &example("coingate", "docs_list_orders_item_canceled"));
    assert_eq!(canceled.status, "cancelled");
}

#[test]
fn opennode_charges() {
    let raw = read("opennode", &example("opennode", "constructed_charge_info_underpaid_onchain"));
    assert_eq!(
        (raw.status.as_str(), raw.amount.as_str(), raw.currency.as_str()),
        ("underpaid", "0.00014659", "BTC")
    );
    assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("0.00014"), Some("0.00000659")));
    assert_eq!(raw.network, "bitcoin");
    assert_eq!(raw.expires_at.as_deref(), Some("1700086400"));
    for (key, status) in [
        ("constructed_charge_info_unpaid", "awaiting_payment"),
        ("constructed_charge_info_paid_onchain", "paid"),
        ("constructed_charge_info_expired", "expired"),
    ] {
        assert_eq!(read("opennode", &example("opennode", key)).status, status);
    }
}

/// Every documented status value (SOURCES.md) of every provider maps to exactly one status.
#[test]
fn every_provider_status_maps_to_exactly_one_normalized_status() {
    let simple: [(&str, &str, &[&str], &[&str]); 4] = [
        (
            "heleket",
            "heleket_docs_payment_info_cancel",
            &["result", "payment_status"],
            &[
                "check",
                "process",
                "confirm_check",
                "paid",
                "paid_over",
                "wrong_amount",
                "wrong_amount_waiting",
                "cancel",
                "fail",
                "system_fail",
                "refund_process",
                "refund_fail",
                "refund_paid",
                "locked",
            ],
        ),
        (
            "nowpayments",
            "docs_get_payment_status_finished",
            &["payment_status"],
            &[
                "waiting",
                "confirming",
                "confirmed",
                "sending",
                "partially_paid",
                "finished",
                "failed",
                "refunded",
                "expired",
            ],
        ),
        (
            "coingate",
            "docs_checkout_pending",
            &["status"],
            &[
                "new",
                "pending",
                "confirming",
                "paid",
                "invalid",
                "expired",
                "canceled",
                "refunded",
                "partially_refunded",
            ],
        ),
        (
            "opennode",
            "constructed_charge_info_unpaid",
            &["data", "status"],
            &["unpaid", "processing", "underpaid", "paid", "expired", "refunded"],
        ),
    ];
    let file = |p: &str| if p == "coinbase" { "coinbase_commerce".to_owned() } else { p.to_owned() };
    for (preset, key, path, statuses) in simple {
        let body = example(&file(preset), key);
        for st in statuses {
            let raw = read(preset, &with(&body, path, s(st)));
            assert!(Status::parse(&raw.status).is_some(), "{preset} {st} -> {}", raw.status);
        }
        let unknown = Preset::parse(preset).unwrap().read(&with(&body, path, s("bogus"))).unwrap_err();
        assert_eq!(unknown.code(), "unknown_status", "{preset}");
    }
    // BTCPay: status × additionalStatus.
    for st in ["New", "Processing", "Settled", "Expired", "Invalid"] {
        for add in ["None", "PaidPartial", "PaidOver", "PaidLate", "Marked", "Invalid"] {
            assert!(btcpay::status(st, add).is_some(), "btcpay {st}/{add}");
        }
    }
    assert_eq!(btcpay::status("Settled", "PaidOver"), Some(Status::Overpaid));
    assert_eq!(btcpay::status("Expired", "PaidPartial"), Some(Status::Expired));
    // Coinbase: timeline status × context (legacy and onchain statuses).
    for st in [
        "NEW",
        "SIGNED",
        "PENDING",
        "COMPLETED",
        "EXPIRED",
        "UNRESOLVED",
        "RESOLVED",
        "CANCELED",
        "FAILED",
        "REFUND PENDING",
        "REFUNDED",
    ] {
        for ctx in ["", "UNDERPAID", "OVERPAID", "DELAYED", "MULTIPLE", "MANUAL", "OTHER"] {
            assert!(coinbase::status(st, ctx).is_some(), "coinbase {st}/{ctx}");
        }
    }
    assert_eq!(coinbase::status("UNRESOLVED", "UNDERPAID"), Some(Status::Underpaid));
}

#[test]
fn malformed_bodies_are_typed_errors_for_every_preset() {
    // The field each preset reads first: an empty object must be refused naming it.
    let first = [
        ("payform", "id"),
        ("heleket", "result"),
        ("nowpayments", "payment_status"),
        ("btcpay", "paymentMethods"),
        ("coinbase", "data"),
        ("coingate", "status"),
        ("opennode", "data"),
    ];
    for (preset, field) in first {
        let p = Preset::parse(preset).unwrap();
        for body in ["", "{"] {
            let err = p.read(body).unwrap_err();
            assert_eq!(err.code(), "malformed_response", "{preset} {body:?}");
            assert!(err.to_string().starts_with("the response is not valid JSON"), "{preset}: {err}");
        }
        for body in ["[]", "null", "{}", "{\"result\": 5}", "{\"data\": []}", "\"x\""] {
            let err = p.read(body).unwrap_err();
            assert_eq!(err.code(), "invalid_payment", "{preset} {body}: {err}");
            assert!(err.to_string().starts_with("field \""), "{preset} {body}: {err}");
        }
        let err = p.read("{}").unwrap_err();
        assert_eq!(err.to_string(), format!("field \"{field}\" is missing from the payment"), "{preset}");
    }
}
