//! The provider descriptions (`presets/*.json`, read by the mapping engine) against the
//! providers' documented example responses (`tests/fixtures/providers/`; `SOURCES.md` there
//! names the docs page, SDK file or schema of every example), and the full status table of
//! each provider, as documented.

use payform_core::backend::{builtin, preset_file, preset_names, BackendError, Preset};
use payform_core::bank::epc::{Remittance, Transfer};
use payform_core::bank::pix::PixCharge;
use payform_core::bank::rail::RawBank;
use payform_core::error::ErrorCode;
use payform_core::json::Json;
use payform_core::network::Network;
use payform_core::payment::RawPayment;
use payform_core::status::Status::{self, *};

fn fixtures(provider: &str) -> Json {
    let path = format!("{}/tests/fixtures/providers/{provider}.json", env!("CARGO_MANIFEST_DIR"));
    Json::parse(&std::fs::read_to_string(&path).expect("fixture file")).expect("fixture is JSON")
}

fn example(provider: &str, key: &str) -> Json {
    fixtures(provider).get(key).unwrap_or_else(|| panic!("{provider}.{key}")).clone()
}

fn preset(name: &str) -> Preset {
    builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read(name: &str, body: &Json) -> RawPayment {
    preset(name).read(&body.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn error(name: &str, body: &Json) -> BackendError {
    preset(name).read(&body.to_string()).expect_err(name)
}

/// Sets (or with `None` removes) the value at a JSON Pointer whose parent exists.
fn set(mut json: Json, pointer: &str, value: Option<Json>) -> Json {
    fn walk(v: &mut Json, path: &[&str], value: Option<Json>) {
        match (v, path) {
            (Json::Object(members), [last]) => {
                members.retain(|(k, _)| k != last);
                if let Some(value) = value {
                    members.push(((*last).to_owned(), value));
                }
            }
            (Json::Array(items), [last]) => {
                let i: usize = last.parse().expect("an index");
                match value {
                    Some(value) => items[i] = value,
                    None => drop(items.remove(i)),
                }
            }
            (Json::Object(members), [first, rest @ ..]) => {
                walk(&mut members.iter_mut().find(|(k, _)| k == first).expect("a member").1, rest, value)
            }
            (Json::Array(items), [first, rest @ ..]) => {
                walk(&mut items[first.parse::<usize>().unwrap()], rest, value)
            }
            (other, path) => panic!("{path:?}: no such parent in {other}"),
        }
    }
    let path: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    walk(&mut json, &path, value);
    json
}

fn s(text: &str) -> Json {
    Json::String(text.to_owned())
}

fn n(text: &str) -> Json {
    Json::Number(text.to_owned())
}

/// The fields every test compares: (id, status, amount, currency, network, address).
fn core(raw: &RawPayment) -> (&str, Status, &str, &str, &str, &str) {
    (&raw.id, raw.status, &raw.amount, &raw.currency, &raw.network, &raw.address)
}

fn money(raw: &RawPayment) -> (Option<&str>, Option<&str>, Option<&str>) {
    (raw.paid.as_deref(), raw.due.as_deref(), raw.expires_at.as_deref())
}

#[test]
fn heleket_and_cryptomus_docs_examples() {
    // Heleket docs "Payment information" example: a cancelled USDT-on-Tron payment.
    let raw = read("heleket", &example("heleket", "heleket_docs_payment_info_cancel"));
    assert_eq!(
        core(&raw),
        (
            "70b8db5c-b952-406d-af26-4e1c34c27f15",
            Cancelled,
            "15.75",
            "USDT",
            "tron",
            "TXhfYSWt2oKRrHAJVJeYRuit6ZzKuoEKXj"
        )
    );
    assert_eq!(money(&raw), (Some("0.00"), Some("15.75"), Some("1689099831")));
    assert_eq!(raw.description, None);
    let p = raw.clone().validate().expect("a real Tron address and exact amounts");
    assert_eq!(p.expires_at, Some(1_689_099_831_000));
    // Cryptomus: the same format, read by the same description.
    assert_eq!(preset_file("cryptomus").unwrap(), Some("heleket"));
    let c = read("cryptomus", &example("heleket", "cryptomus_docs_payment_info_cancel"));
    assert_eq!(c, raw);
    // php-sdk fixture: `payment_amount` is null before payment, so nothing is derived.
    let sdk = read("heleket", &example("heleket", "heleket_sdk_fixture_invoice_check"));
    assert_eq!(
        core(&sdk),
        (
            "1ec87133-b22d-4643-988f-cac29a6ac85d",
            AwaitingPayment,
            "15.00",
            "USDT",
            "tron",
            "TDD97yguPESTpcrJMqU6h2ozZbibv4Vaqm"
        )
    );
    assert_eq!(money(&sdk), (None, None, Some("1753202502")));
    assert_eq!(sdk.validate().unwrap().to_pay().to_string(), "15");
    // A partial payment: what is due is derived exactly.
    let partial = set(
        example("heleket", "heleket_sdk_fixture_invoice_check"),
        "/result/payment_amount",
        Some(s("5.5")),
    );
    let partial = set(partial, "/result/payment_status", Some(s("wrong_amount_waiting")));
    let raw = read("heleket", &partial);
    assert_eq!((raw.status, raw.paid.as_deref(), raw.due.as_deref()), (Underpaid, Some("5.5"), Some("9.5")));
    assert_eq!(raw.validate().unwrap().to_pay().to_string(), "9.5");
}

#[test]
fn nowpayments_docs_examples() {
    let raw = read("nowpayments", &example("nowpayments", "docs_get_payment_status_finished"));
    assert_eq!(
        core(&raw),
        ("5524759814", Paid, "165.652609", "TRX", "tron", "TNDFkiSmBQorNFacb3735q8MnT29sn8BLn")
    );
    // Paid more than the amount: nothing is due, and none is derived.
    assert_eq!(money(&raw), (Some("180"), None, None));
    assert_eq!(raw.description.as_deref(), Some("Apple Macbook Pro 2019 x 1"));
    assert!(raw.validate().is_ok());
    let btc = read("nowpayments", &example("nowpayments", "docs_list_item_waiting_btc"));
    assert_eq!(
        core(&btc),
        ("5745459419", AwaitingPayment, "0.17070286", "BTC", "bitcoin", "3EZ2uTdVDAMFXTfc6uLDDKR6o8qKBZXVkj")
    );
    assert_eq!(money(&btc), (Some("0"), Some("0.17070286"), None));
    assert_eq!(btc.validate().unwrap().to_pay().to_string(), "0.17070286");
    let expired = read("nowpayments", &example("nowpayments", "docs_list_item_expired_trx"));
    assert_eq!((expired.status, expired.address.as_str()), (Expired, "TVKHbLc47BnMbdE7QN4X5Q1FtyZLGGiTo8"));
    // The code names network and currency, through one table, ignoring case.
    let usdt =
        set(example("nowpayments", "docs_list_item_waiting_btc"), "/pay_currency", Some(s("USDTTRC20")));
    let usdt = read("nowpayments", &usdt);
    assert_eq!((usdt.network.as_str(), usdt.currency.as_str()), ("tron", "USDT"));
    // MANA is not a currency of the contract: a clear, typed error naming the field.
    let err = error("nowpayments", &example("nowpayments", "docs_ipn_body_waiting"));
    assert_eq!(
        err.to_string(),
        "field \"/pay_currency (currency)\" has the value \"mana\", which this format does not know"
    );
    assert_eq!(err.code(), ErrorCode::UnsupportedValue);
}

fn btcpay(invoice: &str, methods: &str) -> Json {
    let methods = example("btcpay", methods);
    set(example("btcpay", invoice), "/paymentMethods", Some(methods))
}

#[test]
fn btcpay_invoice_with_payment_methods() {
    let body =
        btcpay("constructed_get_invoice_new_paidpartial", "constructed_get_payment_methods_paidpartial");
    let raw = read("btcpay", &body);
    assert_eq!(
        core(&raw),
        (
            "HMprBnL9BTXWuPvpoKBS6e",
            Underpaid,
            "0.00007765",
            "BTC",
            "bitcoin",
            "bc1qexampleconstructedaddressxxxxxxxxxxxxxx"
        )
    );
    assert_eq!(money(&raw), (Some("0.00005000"), Some("0.00002765"), Some("1592312918")));
    // The fixture's address is a documented placeholder: never shown as payable.
    assert_eq!(raw.validate().unwrap_err().code(), ErrorCode::InvalidAddress);
    for (invoice, status, paid, due) in [
        ("constructed_get_invoice_new", AwaitingPayment, "0", "0.00007765"),
        ("constructed_get_invoice_settled", Paid, "0", "0.00007765"),
        ("constructed_get_invoice_expired", Expired, "0", "0.00007765"),
    ] {
        let raw = read("btcpay", &btcpay(invoice, "constructed_get_payment_methods_new"));
        assert_eq!(
            (raw.status, raw.paid.as_deref(), raw.due.as_deref()),
            (status, Some(paid), Some(due)),
            "{invoice}"
        );
    }
    // The on-chain method is preferred wherever it is; Lightning when it is the only one.
    let methods = example("btcpay", "constructed_get_payment_methods_new");
    let Json::Array(list) = methods else { panic!("an array") };
    let reversed = Json::Array(list.iter().rev().cloned().collect());
    let body = set(example("btcpay", "constructed_get_invoice_new"), "/paymentMethods", Some(reversed));
    assert_eq!(read("btcpay", &body).network, "bitcoin");
    let lightning_only = set(body, "/paymentMethods/1", None);
    let raw = read("btcpay", &lightning_only);
    assert_eq!(
        (raw.network.as_str(), raw.address.as_str()),
        ("lightning", "lnbc77650n1CONSTRUCTED-PLACEHOLDER-NOT-A-VALID-BOLT11")
    );
    let unknown = set(lightning_only, "/paymentMethods/0/paymentMethodId", Some(s("XMR-CHAIN")));
    let err = error("btcpay", &unknown);
    assert_eq!(
        err.to_string(),
        "field \"/paymentMethods/0/paymentMethodId (network)\" has the value \"XMR-CHAIN\", which this format does not know"
    );
    let no_methods = error("btcpay", &example("btcpay", "constructed_get_invoice_new"));
    assert_eq!(
        no_methods.to_string(),
        "field \"/paymentMethods/{method}/amount (amount)\" is missing from the payment"
    );
}

#[test]
fn coinbase_legacy_charges() {
    let charge = example("coinbase_commerce", "docs_legacy_charge_resource_fixed_price");
    let raw = read("coinbase", &charge);
    // The last timeline entry is RESOLVED; the first priced network is bitcoin.
    assert_eq!(
        core(&raw),
        ("66BEOV2A", Paid, "1.00", "BTC", "bitcoin", "mymZkiXhQNd6VWWG7VGSVdDX9bKmviti3U")
    );
    // The only payment arrived on ethereum: nothing on bitcoin.
    assert_eq!(money(&raw), (None, None, Some("2017-01-31T21:49:02Z")));
    assert_eq!(raw.description.as_deref(), Some("Mastering the Transition to the Information Age"));
    // A testnet address on a mainnet form is refused.
    assert_eq!(raw.validate().unwrap_err().code(), ErrorCode::InvalidAddress);
    // Without bitcoin, ethereum is shown, and its payments are summed.
    let eth = set(charge.clone(), "/data/addresses/bitcoin", None);
    let raw = read("coinbase", &eth);
    assert_eq!(
        core(&raw),
        ("66BEOV2A", Paid, "10.00", "ETH", "ethereum", "0x419f91df39951fd4e8acc8f1874b01c0c78ceba6")
    );
    assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("10"), Some("0")));
    let payment = example("coinbase_commerce", "docs_legacy_charge_resource_fixed_price");
    let payment = payment.pointer("/data/payments/0").unwrap().clone();
    let part = set(set(payment, "/value/crypto/amount", Some(s("2.5"))), "/network", None);
    let two = set(eth.clone(), "/data/payments", Some(Json::Array(vec![part.clone(), part])));
    let two = set(two, "/data/timeline/4", None);
    let raw = read("coinbase", &two);
    assert_eq!((raw.status, raw.paid.as_deref(), raw.due.as_deref()), (Underpaid, Some("5"), Some("5")));
    // The SDK fixture is a no_price charge: no amount to show, a typed error names the field.
    let err = error("coinbase", &example("coinbase_commerce", "sdk_fixture_charge_no_price_expired"));
    assert_eq!(
        err.to_string(),
        "field \"/data/pricing/{chain}/amount (amount)\" is missing from the payment"
    );
    // The onchain protocol has no per-network pricing either.
    let err = error("coinbase", &example("coinbase_commerce", "constructed_onchain_charge_pending"));
    assert!(err.to_string().contains("/data/pricing/"), "{err}");
}

#[test]
fn coingate_orders() {
    let raw = read("coingate", &example("coingate", "docs_checkout_pending"));
    assert_eq!(
        core(&raw),
        (
            "10568600",
            AwaitingPayment,
            "0.00001225",
            "BTC",
            "bitcoin",
            "tb1qjye4n592z2zrn8k4984cqlx7v6qyns89dx6cxh"
        )
    );
    assert_eq!(money(&raw), (Some("0"), Some("0.00001225"), Some("2024-09-19T11:25:13+00:00")));
    assert_eq!(raw.description.as_deref(), Some("Merchant Title"));
    // A testnet address on a mainnet form is refused.
    assert_eq!(raw.validate().unwrap_err().code(), ErrorCode::InvalidAddress);
    let paid = read("coingate", &example("coingate", "docs_get_order_paid"));
    assert_eq!((paid.id.as_str(), paid.status, paid.network.as_str()), ("535", Paid, "bitcoin"));
    let lightning =
        set(example("coingate", "docs_checkout_pending"), "/lightning_network", Some(Json::Bool(true)));
    assert_eq!(read("coingate", &lightning).network, "lightning");
    let new = error("coingate", &example("coingate", "docs_create_order_new"));
    assert_eq!(new.to_string(), "field \"/pay_amount (amount)\" is missing from the payment");
    let canceled = read("coingate", &example("coingate", "docs_list_orders_item_canceled"));
    assert_eq!(canceled.status, Cancelled);
}

#[test]
fn opennode_charges() {
    let charge = example("opennode", "constructed_charge_info_underpaid_onchain");
    let raw = read("opennode", &charge);
    assert_eq!(
        core(&raw),
        (
            "00000000-0000-4000-8000-00000000c0de",
            Underpaid,
            "0.00014659",
            "BTC",
            "bitcoin",
            "bc1qexampleconstructedopennodeaddressxxxxx"
        )
    );
    assert_eq!(money(&raw), (Some("0.00014"), Some("0.00000659"), Some("1700086400")));
    assert_eq!(raw.description.as_deref(), Some("Order #1234"));
    for (key, status) in [
        ("constructed_charge_info_unpaid", AwaitingPayment),
        ("constructed_charge_info_paid_onchain", Paid),
        ("constructed_charge_info_expired", Expired),
    ] {
        let raw = read("opennode", &example("opennode", key));
        assert_eq!((raw.status, raw.paid.as_deref(), raw.due.as_deref()), (status, None, None), "{key}");
    }
    // Lightning only: the invoice is the address.
    let lightning = set(charge.clone(), "/data/chain_invoice", None);
    let raw = read("opennode", &lightning);
    assert_eq!(
        (raw.network.as_str(), raw.address.as_str()),
        ("lightning", "lnbc146590n1CONSTRUCTED-PLACEHOLDER-NOT-A-VALID-BOLT11")
    );
    // No invoice expiry: created_at + ttl minutes.
    let ttl =
        set(set(charge.clone(), "/data/lightning_invoice/expires_at", None), "/data/ttl", Some(n("60")));
    assert_eq!(read("opennode", &ttl).expires_at.as_deref(), Some("1700003600"));
    let neither = set(set(charge.clone(), "/data/lightning_invoice", None), "/data/ttl", None);
    assert_eq!(read("opennode", &neither).expires_at, None);
    let no_invoice = set(lightning, "/data/lightning_invoice", None);
    assert_eq!(
        error("opennode", &no_invoice).to_string(),
        "field \"/data/chain_invoice/address or /data/lightning_invoice/payreq (network)\" is missing from the payment"
    );
    let bad = set(charge, "/data/missing_amt", Some(s("6.59")));
    assert_eq!(
        error("opennode", &bad).to_string(),
        "field \"/data/missing_amt (due)\" should be a whole number of atomic units, found another value"
    );
}

/// Mercado Pago's BR Code in the fixtures (constructed: SOURCES.md).
const MP_QR: &str = "00020126580014br.gov.bcb.pix0136d1f7e9a2-4b3c-4e5f-8a6b-7c8d9e0f1a2b5204000053039865406100.005802BR5917Loja Exemplo Ltda6009SAO PAULO62230519mpqrinter132015487963048625";

#[test]
fn mercadopago_pix_payments() {
    let pending = example("mercadopago", "constructed_get_payment_pix_pending");
    let raw = read("mercadopago", &pending);
    assert_eq!(core(&raw), ("1320154879", AwaitingPayment, "100.0", "BRL", "pix", MP_QR));
    assert_eq!(money(&raw), (None, None, Some("2024-06-11T14:21:37.000-04:00")));
    assert_eq!((raw.description.as_deref(), raw.paid_at.as_deref()), (Some("Pedido #4521"), None));
    assert_eq!(raw.bank, RawBank::default(), "the BR Code carries the beneficiary and the city");
    // The form shows Mercado Pago's own code, after checking it asks for the amount in reais.
    let p = raw.validate().expect("a valid BR Code for transaction_amount");
    assert_eq!(
        (p.network(), p.amount.to_string(), p.to_pay().to_string()),
        (Network::Pix, "100".into(), "100".into())
    );
    assert_eq!(p.expires_at, Some(1_718_130_097_000));
    let view = p.bank.as_ref().expect("a bank view");
    assert!(view.given, "shown as sent");
    assert_eq!(view.payload, MP_QR);
    assert_eq!((view.beneficiary.as_str(), view.city.as_deref()), ("Loja Exemplo Ltda", Some("SAO PAULO")));
    assert_eq!(view.reference.as_ref().map(|r| r.copy.as_str()), Some("mpqrinter1320154879"));
    let charge = PixCharge::decode(&view.payload).unwrap();
    assert_eq!(charge.amount, Some(p.amount));
    // Approved: paid, with the time.
    let approved = read("mercadopago", &example("mercadopago", "constructed_get_payment_pix_approved"));
    assert_eq!((approved.status, approved.paid_at.as_deref()), (Paid, Some("2024-06-10T14:23:05.000-04:00")));
    assert_eq!(approved.validate().unwrap().paid_at, Some(1_718_043_785_000));
    // An unpaid Pix code past its date is cancelled with status_detail expired.
    let cancelled = set(pending.clone(), "/status", Some(s("cancelled")));
    for (detail, status) in [("expired", Expired), ("by_collector", Cancelled), ("by_payer", Cancelled)] {
        let body = set(cancelled.clone(), "/status_detail", Some(s(detail)));
        assert_eq!(read("mercadopago", &body).status, status, "cancelled/{detail}");
    }
    assert_eq!(read("mercadopago", &set(cancelled, "/status_detail", None)).status, Cancelled);
    // A code for another amount than the payment's is never shown.
    let other = set(pending.clone(), "/transaction_amount", Some(n("90")));
    assert_eq!(read("mercadopago", &other).validate().unwrap_err().code(), ErrorCode::InvalidBankPayload);
    // A damaged code neither.
    let damaged = set(
        pending.clone(),
        "/point_of_interaction/transaction_data/qr_code",
        Some(s(&MP_QR.replace("100.00", "900.00"))),
    );
    assert_eq!(read("mercadopago", &damaged).validate().unwrap_err().code(), ErrorCode::InvalidBankPayload);
    // A card payment is not Pix: a typed error naming the field.
    let card = set(pending, "/payment_method_id", Some(s("master")));
    let err = error("mercadopago", &card);
    assert_eq!(
        err.to_string(),
        "field \"/payment_method_id (network)\" has the value \"master\", which this format does not know"
    );
}

#[test]
fn mollie_bank_transfers() {
    let open = example("mollie", "constructed_get_payment_banktransfer_open");
    let raw = read("mollie", &open);
    assert_eq!(
        core(&raw),
        ("tr_7UhSN1zuXS", AwaitingPayment, "10.00", "EUR", "sepa_epc", "NL53ABNA0627535577")
    );
    assert_eq!(money(&raw), (None, None, Some("2024-06-22T09:13:37+00:00")));
    assert_eq!(
        raw.bank,
        RawBank {
            beneficiary: Some("Stichting Mollie Payments".into()),
            bic: Some("ABNANL2A".into()),
            reference: Some("RF18539007547034".into()),
            ..RawBank::default()
        }
    );
    let p = raw.validate().expect("a SEPA IBAN, a BIC and a valid RF reference");
    assert_eq!((p.network(), p.to_pay().to_string()), (Network::Sepa, "10".into()));
    let view = p.bank.as_ref().expect("a bank view");
    assert!(!view.given, "the form builds the EPC code");
    assert_eq!(view.account_copy.as_deref(), Some("NL53ABNA0627535577"));
    assert_eq!(view.reference.as_ref().map(|r| r.shown.as_str()), Some("RF18 5390 0754 7034"));
    let transfer = Transfer::decode(&view.payload).unwrap();
    assert_eq!(
        (
            transfer.name.as_str(),
            transfer.iban.as_str(),
            transfer.bic.as_ref().map(|b| b.as_str()),
            transfer.amount
        ),
        ("Stichting Mollie Payments", "NL53ABNA0627535577", Some("ABNANL2A"), Some(p.amount))
    );
    assert!(matches!(&transfer.remittance, Remittance::Structured(rf) if rf.as_str() == "RF18539007547034"));
    let paid = read("mollie", &example("mollie", "constructed_get_payment_banktransfer_paid"));
    assert_eq!((paid.status, paid.paid_at.as_deref()), (Paid, Some("2024-06-11T08:02:14+00:00")));
    assert!(paid.validate().is_ok());
    // The documented example: read as written; its reference is a placeholder (wrong check
    // digits, hyphens), which the form refuses.
    let docs = read("mollie", &example("mollie", "docs_cancel_payment_banktransfer_canceled"));
    assert_eq!(core(&docs), ("tr_WDqYK6vllg", Cancelled, "35.07", "EUR", "sepa_epc", "NL53ABNA0627535577"));
    assert_eq!(docs.bank.reference.as_deref(), Some("RF12-3456-7890-1234"));
    assert_eq!(docs.validate().unwrap_err().code(), ErrorCode::InvalidReference);
    // bankName is the bank's, whatever it says: the beneficiary stays the account holder.
    let named = set(open.clone(), "/details/bankName", Some(s("ABN AMRO Bank N.V.")));
    assert_eq!(read("mollie", &named).bank.beneficiary.as_deref(), Some("Stichting Mollie Payments"));
    // Other methods are not bank transfers.
    let ideal = set(open, "/method", Some(s("ideal")));
    assert_eq!(
        error("mollie", &ideal).to_string(),
        "field \"/method (network)\" has the value \"ideal\", which this format does not know"
    );
}

/// `(provider status, Payform status)`: every value the provider documents (SOURCES.md).
type Table = &'static [(&'static str, Status)];

const HELEKET: Table = &[
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
const NOWPAYMENTS: Table = &[
    ("waiting", AwaitingPayment),
    ("confirming", Confirming),
    ("confirmed", Paid),
    ("sending", Paid),
    ("partially_paid", Underpaid),
    ("finished", Paid),
    ("failed", Failed),
    ("refunded", Refunded),
    ("expired", Expired),
    // The official SDK's normalizer accepts both spellings.
    ("cancelled", Cancelled),
    ("canceled", Cancelled),
];
const COINGATE: Table = &[
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
const OPENNODE: Table = &[
    ("unpaid", AwaitingPayment),
    ("processing", Confirming),
    ("underpaid", Underpaid),
    ("paid", Paid),
    ("expired", Expired),
    ("refunded", Refunded),
];
/// With any `status_detail` but `expired` (`cancelled`/`expired` is tested apart).
const MERCADOPAGO: Table = &[
    ("pending", AwaitingPayment),
    ("in_process", Confirming),
    ("authorized", Confirming),
    ("approved", Paid),
    ("in_mediation", Paid),
    ("rejected", Failed),
    ("cancelled", Cancelled),
    ("refunded", Refunded),
    ("charged_back", Refunded),
];
const MOLLIE: Table = &[
    ("open", AwaitingPayment),
    ("pending", Confirming),
    ("authorized", Confirming),
    ("paid", Paid),
    ("expired", Expired),
    ("canceled", Cancelled),
    ("failed", Failed),
];

/// The distinct status values of a description's table.
fn values(name: &str) -> Vec<String> {
    let preset = preset(name);
    let mut out: Vec<String> = Vec::new();
    for e in preset.mapping().statuses().expect("a status table") {
        if !out.contains(&e.value) {
            out.push(e.value.clone());
        }
    }
    out
}

/// Every documented status value of every provider maps to the status its docs mean, and the
/// tables hold nothing else.
#[test]
fn every_documented_status_maps_and_the_tables_are_exhaustive() {
    let simple: [(&str, &str, &str, &str, Table); 6] = [
        ("heleket", "heleket", "heleket_docs_payment_info_cancel", "/result/payment_status", HELEKET),
        ("nowpayments", "nowpayments", "docs_get_payment_status_finished", "/payment_status", NOWPAYMENTS),
        ("coingate", "coingate", "docs_checkout_pending", "/status", COINGATE),
        ("opennode", "opennode", "constructed_charge_info_unpaid", "/data/status", OPENNODE),
        ("mercadopago", "mercadopago", "constructed_get_payment_pix_pending", "/status", MERCADOPAGO),
        ("mollie", "mollie", "constructed_get_payment_banktransfer_open", "/status", MOLLIE),
    ];
    for (name, file, key, pointer, table) in simple {
        let body = example(file, key);
        for (value, status) in table {
            let raw = read(name, &set(body.clone(), pointer, Some(s(value))));
            assert_eq!(raw.status, *status, "{name} {value}");
        }
        let documented: Vec<&str> = table.iter().map(|(v, _)| *v).collect();
        assert_eq!(values(name), documented, "{name}: the table is the documented list");
        let unknown = error(name, &set(body, pointer, Some(s("bogus"))));
        assert_eq!(unknown.code(), ErrorCode::UnknownStatus, "{name}");
        assert!(unknown.to_string().contains("has the status \"bogus\""), "{unknown}");
    }
    // BTCPay: status × additionalStatus (every value of both enums in the swagger file).
    let body = btcpay("constructed_get_invoice_new", "constructed_get_payment_methods_new");
    let btcpay_status = |st: &str, add: &str| {
        let body = set(set(body.clone(), "/status", Some(s(st))), "/additionalStatus", Some(s(add)));
        read("btcpay", &body).status
    };
    let additional = ["None", "PaidPartial", "PaidOver", "PaidLate", "Marked", "Invalid"];
    for (st, special, otherwise) in [
        ("New", &[("PaidPartial", Underpaid)][..], AwaitingPayment),
        ("Processing", &[], Confirming),
        ("Settled", &[("PaidOver", Overpaid)], Paid),
        ("Expired", &[("PaidLate", Paid)], Expired),
        ("Invalid", &[], Failed),
    ] {
        for add in additional {
            let want = special.iter().find(|(a, _)| *a == add).map_or(otherwise, |(_, s)| *s);
            assert_eq!(btcpay_status(st, add), want, "btcpay {st}/{add}");
        }
    }
    assert_eq!(values("btcpay"), ["New", "Processing", "Settled", "Expired", "Invalid"]);
    let no_additional = set(body.clone(), "/additionalStatus", None);
    assert_eq!(read("btcpay", &no_additional).status, AwaitingPayment);
    assert_eq!(error("btcpay", &set(body, "/status", Some(s("Paid")))).code(), ErrorCode::UnknownStatus);
    // Coinbase: the last timeline entry's status × context (legacy and onchain statuses).
    let charge = example("coinbase_commerce", "docs_legacy_charge_resource_fixed_price");
    let coinbase_status = |st: &str, ctx: &str| {
        let mut entry = Json::Object(vec![("status".into(), s(st))]);
        if !ctx.is_empty() {
            entry = set(entry, "/context", Some(s(ctx)));
        }
        read("coinbase", &set(charge.clone(), "/data/timeline/4", Some(entry))).status
    };
    for (st, want) in [
        ("NEW", AwaitingPayment),
        ("SIGNED", Confirming),
        ("PENDING", Confirming),
        ("COMPLETED", Paid),
        ("RESOLVED", Paid),
        ("EXPIRED", Expired),
        ("UNRESOLVED", Confirming),
        ("CANCELED", Cancelled),
        ("FAILED", Failed),
        ("REFUND PENDING", Refunded),
        ("REFUNDED", Refunded),
    ] {
        for ctx in ["", "UNDERPAID", "OVERPAID", "DELAYED", "MULTIPLE", "MANUAL", "OTHER"] {
            let want = match (st, ctx) {
                ("UNRESOLVED", "UNDERPAID") => Underpaid,
                ("UNRESOLVED", "OVERPAID") => Overpaid,
                _ => want,
            };
            assert_eq!(coinbase_status(st, ctx), want, "coinbase {st}/{ctx}");
        }
    }
    assert_eq!(
        values("coinbase"),
        [
            "NEW",
            "SIGNED",
            "PENDING",
            "COMPLETED",
            "RESOLVED",
            "EXPIRED",
            "UNRESOLVED",
            "CANCELED",
            "FAILED",
            "REFUND PENDING",
            "REFUNDED"
        ]
    );
}

#[test]
fn malformed_bodies_are_typed_errors_for_every_preset() {
    // The field each format reads first: an empty object is refused naming it and where.
    let first = [
        ("payform", "id"),
        ("heleket", "/result/uuid (id)"),
        ("cryptomus", "/result/uuid (id)"),
        ("nowpayments", "/payment_id (id)"),
        ("btcpay", "id"),
        ("coinbase", "/data/code (id)"),
        ("coingate", "id"),
        ("opennode", "/data/id (id)"),
        ("mercadopago", "id"),
        ("mollie", "id"),
    ];
    assert_eq!(first.map(|(p, _)| p).to_vec(), preset_names().collect::<Vec<_>>());
    for (name, field) in first {
        let p = preset(name);
        for body in ["", "{"] {
            let err = p.read(body).unwrap_err();
            assert_eq!(err.code(), ErrorCode::MalformedResponse, "{name} {body:?}");
            assert!(err.to_string().starts_with("the response is not valid JSON"), "{name}: {err}");
        }
        for body in [
            "[]",
            "null",
            "{}",
            "{\"result\": 5}",
            "{\"data\": []}",
            "\"x\"",
            "{\"data\": {\"timeline\": 5}}",
        ] {
            let err = p.read(body).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidPayment, "{name} {body}: {err}");
            assert!(err.to_string().starts_with("field \""), "{name} {body}: {err}");
        }
        let err = p.read("{}").unwrap_err();
        assert_eq!(err.to_string(), format!("field \"{field}\" is missing from the payment"), "{name}");
    }
}

#[test]
fn preset_names_name_files_and_unknown_names_list_the_known_ones() {
    assert_eq!(preset_file(""), Ok(None));
    assert_eq!(preset_file("payform"), Ok(None));
    assert_eq!(preset_file("cryptomus"), Ok(Some("heleket")));
    assert_eq!(preset_file("opennode"), Ok(Some("opennode")));
    let err = preset_file("stripe").unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownPreset);
    assert_eq!(
        err.to_string(),
        "unknown preset \"stripe\"; supported: payform, heleket, cryptomus, nowpayments, btcpay, coinbase, coingate, opennode, mercadopago, mollie, or a mapping"
    );
    assert_eq!(builtin("Heleket").unwrap_err(), BackendError::UnknownPreset("Heleket".into()));
    assert_eq!(builtin("payform"), Ok(Preset::Payform));
    // Every file of presets/ is a preset, and reads through `from_description` as the form does.
    let dir = format!("{}/../presets", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("presets/")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut stems: Vec<String> =
        preset_names().filter_map(|n| preset_file(n).unwrap()).map(|s| format!("{s}.json")).collect();
    stems.sort();
    stems.dedup();
    assert_eq!(files, stems);
    for file in files {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        let described = Preset::from_description(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(Some(described), builtin(file.trim_end_matches(".json")).ok());
        assert!(described_write(&text), "{file} says how the devserver writes it");
    }
}

fn described_write(text: &str) -> bool {
    Preset::from_description(text).is_ok_and(|p| p.mapping().write().is_some())
}
