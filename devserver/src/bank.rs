//! The bank-rail accounts of the simulated payments: for each bank network an account and the
//! rail fields a real provider would send (`beneficiary`, `bic`, `reference`, the creditor's
//! address), or with `"payload": true` the whole code a provider builds (a Pix BR Code, an SGQR,
//! a PromptPay or DuitNow QR) for the payment's amount. Deterministic per payment id, as the
//! transaction ids are ([`crate::addresses::txid`]); built with the core's own encoders and
//! checked by the core's `Bank::check`, so every one is what the form accepts. Nobody holds
//! these accounts: they are for display and tests only.
//!
//! | network | `address` | rail fields |
//! |---|---|---|
//! | `sepa_epc` | a German IBAN (`DE`, bank code 12345678, mod-97 check digits) | beneficiary, BIC `DEMODEFFXXX`, an `RF` creditor reference of the id's digits |
//! | `swiss_qr` | a QR-IBAN (`CH`, institution 30808) | beneficiary, Bahnhofstrasse 1, 8000 Zürich, CH, a QR reference of the id's digits |
//! | `pix` | a random key (lower-case UUID) | beneficiary, city Sao Paulo, the id as txid |
//! | `paynow` | the UEN `201403121W` | beneficiary, city Singapore, the id as bill number |
//! | `promptpay` | the mobile number `0812345678` | beneficiary, city Bangkok, the id as bill number |
//! | `duitnow` | always a payload (acquirer 501664, a QR id of the id's digits, Kuala Lumpur) | — |
//! | `upi` | the UPI ID `payform.demo@okaxis` | beneficiary, the id as `tr` |
//!
//! With `payload`, a pix, paynow or promptpay payment's `address` is the code itself, for the
//! whole amount, and it has no rail fields (the code carries them): Pix as a static BR Code with
//! the amount and txid (a dynamic one needs the provider's URL), EMV codes as dynamic ones.

use crate::addresses::{fnv1a, Seed};
use crate::sim::Rejection;
use payform_core::bank::emv::{
    self, DataObject, DuitNowAccount, Initiation, PayNowAccount, PayNowProxy, PromptPayAccount,
};
use payform_core::bank::iban::check_digits;
use payform_core::bank::pix::{PixCharge, PixKey, PixLocation};
use payform_core::bank::rail::{Bank, RailError, RawBank};
use payform_core::bank::reference::{CreditorReference, QrReference};
use payform_core::money::Amount;
use payform_core::network::{Asset, Network};

/// The account holder of the SEPA, Swiss and UPI payments.
pub const SHOP: &str = "Payform Demo Shop";
/// The merchant name of the Pix and EMV codes (which carry at most 25 characters).
pub const SHOP_SHORT: &str = "Payform Demo";
/// The BIC of the SEPA payments: of the ISO 9362 shape, and nobody's.
pub const BIC: &str = "DEMODEFFXXX";
/// The German bank code (BLZ) of the SEPA IBANs.
const BLZ: &str = "12345678";
/// The institution id of the Swiss QR-IBANs (30000–31999 makes a QR-IBAN).
const QR_IID: &str = "30808";
/// PayNow's UEN (a local company's shape: year, five digits, a letter).
pub const UEN: &str = "201403121W";
/// PromptPay's mobile number (Thai national form).
pub const PROMPTPAY_MOBILE: &str = "0812345678";
/// DuitNow's acquirer id (PayNet's own example's).
pub const DUITNOW_ACQUIRER: &str = "501664";
/// UPI's payee.
pub const VPA: &str = "payform.demo@okaxis";

/// A bank payment's account and rail fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The payment's `address`: the account, or the whole code.
    pub address: String,
    /// The rail fields (none when `address` is a code, which carries them).
    pub fields: RawBank,
    /// Whether `address` is a code for exactly the amount: then nothing less can be paid with
    /// it, and the form refuses to show it once part was paid.
    pub fixed_amount: bool,
}

/// Whether `network` takes `"payload": true` (DuitNow is always a payload).
pub fn takes_payload(network: Network) -> bool {
    matches!(network, Network::Pix | Network::PayNow | Network::PromptPay | Network::DuitNow)
}

/// `n` digits derived from the payment id (`salt` tells the uses apart).
fn digits(id: &str, salt: u64, n: usize) -> String {
    let mut seed = Seed(fnv1a(id) ^ salt);
    (0..n).map(|_| char::from(b'0' + (seed.next() % 10) as u8)).collect()
}

/// The payment id's own digits (the last `max` of them), or 12 derived from it if it has none.
fn id_digits(id: &str, max: usize) -> String {
    let own: Vec<char> = id.chars().filter(char::is_ascii_digit).collect();
    if own.is_empty() {
        return digits(id, 0x5EED, max.min(12));
    }
    own[own.len().saturating_sub(max)..].iter().collect()
}

/// The payment id as a reference of at most `max` letters and digits (Pix's txid).
fn alphanumeric(id: &str, max: usize) -> String {
    let text: String = id.chars().filter(char::is_ascii_alphanumeric).take(max).collect();
    if text.is_empty() {
        digits(id, 0x7A1D, max.min(12))
    } else {
        text
    }
}

/// The payment id cut to `max` characters (a bill number, a UPI `tr`).
fn cut(id: &str, max: usize) -> String {
    id.chars().take(max).collect()
}

/// An IBAN of `country` with its mod-97 check digits.
fn iban(country: &str, bban: &str) -> String {
    let cd = check_digits(country, bban).expect("digits and capitals only");
    format!("{country}{cd:02}{bban}")
}

/// A random Pix key (EVP) of the payment: a version-4 UUID in lower case.
fn evp(id: &str) -> String {
    let mut seed = Seed(fnv1a(id) ^ 0xE7B0);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.next().to_le_bytes());
    bytes[8..].copy_from_slice(&seed.next().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// An EMV merchant code of `scheme` for exactly `amount`, dynamic (for this payment only),
/// with `bill` as its bill number (62.01).
fn emv_code(
    scheme: emv::Scheme,
    account: DataObject,
    name: &str,
    city: &str,
    amount: Amount,
    bill: String,
) -> Result<String, String> {
    let mut qr = scheme.merchant_qr(account, name, city);
    qr.amount = Some(amount);
    qr.initiation = Some(Initiation::Dynamic);
    qr.additional.push(DataObject::text(1, bill));
    qr.encode().map_err(|e| e.to_string())
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// The account of payment `id` of `amount` on `asset`'s bank network, with `payload` (a whole
/// code, for the networks of [`takes_payload`]) and the account holder's name `beneficiary`
/// instead of the default. Checked as the form checks it; a 400 naming the field when it
/// cannot be made (a name too long for the scheme, an amount too large for it).
pub fn account(
    asset: &Asset,
    id: &str,
    amount: Amount,
    payload: bool,
    beneficiary: Option<&str>,
) -> Result<Account, Rejection> {
    let network = asset.network;
    let refuse = |field: Option<&'static str>, why: String| Rejection {
        status: 400,
        field: Some(field.unwrap_or(if beneficiary.is_some() { "beneficiary" } else { "amount" })),
        message: format!("a {} payment cannot be made with these details: {why}", network.id()),
    };
    let long = beneficiary.unwrap_or(SHOP).to_owned();
    let short = beneficiary.unwrap_or(SHOP_SHORT).to_owned();
    let mut fields = RawBank::default();
    let mut fixed_amount = false;
    let address = match network {
        Network::Sepa => {
            fields.beneficiary = Some(long);
            fields.bic = text(BIC);
            let rf =
                CreditorReference::create(&id_digits(id, 21)).map_err(|e| refuse(None, e.to_string()))?;
            fields.reference = text(rf.as_str());
            iban("DE", &format!("{BLZ}{}", digits(id, 0x5E9A, 10)))
        }
        Network::SwissQr => {
            fields.beneficiary = Some(long);
            fields.street = text("Bahnhofstrasse");
            fields.building = text("1");
            fields.postcode = text("8000");
            fields.city = text("Zürich");
            fields.country = text("CH");
            let qrr = QrReference::create(&id_digits(id, 26)).map_err(|e| refuse(None, e.to_string()))?;
            fields.reference = text(qrr.as_str());
            iban("CH", &format!("{QR_IID}{}", digits(id, 0xC41B, 12)))
        }
        Network::Pix => {
            let key = evp(id);
            let txid = alphanumeric(id, 25);
            if payload {
                fixed_amount = true;
                let charge = PixCharge {
                    location: PixLocation::Key(PixKey::parse(&key).map_err(|e| refuse(None, e.to_string()))?),
                    info: None,
                    withdrawal_agent: None,
                    amount: Some(amount),
                    name: short,
                    city: "Sao Paulo".into(),
                    txid: Some(txid),
                    single_use: false,
                };
                charge.encode().map_err(|e| refuse(None, e.to_string()))?
            } else {
                fields.beneficiary = Some(short);
                fields.city = text("Sao Paulo");
                fields.reference = Some(txid);
                key
            }
        }
        Network::PayNow | Network::PromptPay if payload => {
            fixed_amount = true;
            let (scheme, account, city) = if network == Network::PayNow {
                let proxy =
                    PayNowAccount { proxy: PayNowProxy::Uen(UEN.into()), editable: false, expiry: None };
                (emv::PAYNOW, proxy.to_object(), "Singapore")
            } else {
                let mobile = PromptPayAccount::mobile(PROMPTPAY_MOBILE).and_then(|m| m.to_object());
                (emv::PROMPTPAY, mobile, "Bangkok")
            };
            let account = account.map_err(|e| refuse(None, e.to_string()))?;
            emv_code(scheme, account, &short, city, amount, cut(id, 25)).map_err(|e| refuse(None, e))?
        }
        Network::PayNow | Network::PromptPay => {
            let (proxy, city) =
                if network == Network::PayNow { (UEN, "Singapore") } else { (PROMPTPAY_MOBILE, "Bangkok") };
            fields.beneficiary = Some(short);
            fields.city = text(city);
            fields.reference = Some(cut(id, 25));
            proxy.to_owned()
        }
        Network::DuitNow => {
            fixed_amount = true;
            let account = DuitNowAccount { acquirer: DUITNOW_ACQUIRER.into(), qr_id: id_digits(id, 19) };
            let account = account.to_object().map_err(|e| refuse(None, e.to_string()))?;
            emv_code(emv::DUITNOW, account, &short, "Kuala Lumpur", amount, cut(id, 25))
                .map_err(|e| refuse(None, e))?
        }
        Network::Upi => {
            fields.beneficiary = Some(long);
            fields.reference = Some(cut(id, 35));
            VPA.to_owned()
        }
        _ => return Err(refuse(Some("network"), "not a bank network".into())),
    };
    // What the form will do with it: refused here, not on the shopper's screen.
    Bank::check(asset, &address, &fields, amount, amount).map_err(|e| {
        let field = match &e {
            RailError::Missing { field, .. } | RailError::Field { field, .. } => Some(*field),
            _ => None,
        };
        refuse(field, e.message())
    })?;
    Ok(Account { address, fields, fixed_amount })
}

#[cfg(test)]
mod tests {
    use super::*;
    use payform_core::bank::iban::Iban;
    use payform_core::network::asset;

    fn make(network: Network, currency: &str, id: &str, payload: bool) -> Account {
        let asset = asset(network, currency).unwrap();
        account(asset, id, Amount::parse("100.50", 2).unwrap(), payload, None).unwrap()
    }

    #[test]
    fn accounts_are_deterministic_per_payment_id_and_valid() {
        for (network, currency) in [
            (Network::Sepa, "EUR"),
            (Network::SwissQr, "CHF"),
            (Network::SwissQr, "EUR"),
            (Network::Pix, "BRL"),
            (Network::PayNow, "SGD"),
            (Network::PromptPay, "THB"),
            (Network::DuitNow, "MYR"),
            (Network::Upi, "INR"),
        ] {
            for id in ["pay_18f3a2b4c000001", "pay_18f3a2b4c000002_1", "demo"] {
                let a = make(network, currency, id, false);
                assert_eq!(a, make(network, currency, id, false), "{network} {id}");
            }
        }
        let a = make(Network::Sepa, "EUR", "pay_18f3a2b4c000001", false);
        let b = make(Network::Sepa, "EUR", "pay_18f3a2b4c000002", false);
        assert_ne!(a.address, b.address, "a virtual IBAN per payment");
        assert_eq!(Iban::parse(&a.address).unwrap().country(), "DE");
        let rf = CreditorReference::create("18324000001").unwrap();
        assert_eq!(a.fields.reference.as_deref(), Some(rf.as_str()), "the id's digits");
        let swiss = make(Network::SwissQr, "CHF", "pay_18f3a2b4c000001", false);
        assert!(payform_core::bank::swiss::is_qr_iban(&Iban::parse(&swiss.address).unwrap()));
        assert_eq!(swiss.fields.reference.as_deref().map(str::len), Some(27));
        let pix = make(Network::Pix, "BRL", "pay_18f3a2b4c000001", false);
        assert_eq!(PixKey::parse(&pix.address).unwrap().kind(), payform_core::bank::pix::KeyKind::Evp);
        assert_eq!(pix.fields.reference.as_deref(), Some("pay18f3a2b4c000001"));
        assert!(!pix.fixed_amount);
    }

    #[test]
    fn payloads_are_for_exactly_the_amount() {
        for (network, currency) in [
            (Network::Pix, "BRL"),
            (Network::PayNow, "SGD"),
            (Network::PromptPay, "THB"),
            (Network::DuitNow, "MYR"),
        ] {
            let a = make(network, currency, "pay_1", true);
            assert!(payform_core::bank::rail::is_payload(&a.address), "{network}: {}", a.address);
            assert!(a.fixed_amount && a.fields == RawBank::default(), "{network}");
            let qr = emv::MerchantQr::decode(&a.address).unwrap();
            assert_eq!(qr.amount.map(|a| a.to_string()), Some("100.5".to_owned()), "{network}");
        }
        // DuitNow is a payload whatever the flag says.
        assert!(make(Network::DuitNow, "MYR", "pay_1", false).fixed_amount);
    }

    #[test]
    fn a_name_the_scheme_cannot_carry_is_a_400_naming_beneficiary() {
        let pix = asset(Network::Pix, "BRL").unwrap();
        let amount = Amount::parse("10", 2).unwrap();
        let long = "A name much longer than twenty-five characters";
        for payload in [false, true] {
            let err = account(pix, "pay_1", amount, payload, Some(long)).unwrap_err();
            assert_eq!((err.status, err.field), (400, Some("beneficiary")), "{}", err.message);
        }
        let sepa = asset(Network::Sepa, "EUR").unwrap();
        assert!(account(sepa, "pay_1", amount, false, Some(long)).is_ok(), "SEPA takes 70 characters");
        let huge = Amount::parse("1000000000", 2).unwrap();
        let err = account(sepa, "pay_1", huge, false, None).unwrap_err();
        assert_eq!((err.status, err.field), (400, Some("amount")), "{}", err.message);
    }
}
