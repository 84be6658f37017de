//! Receiving addresses: full checksum validation per network before the form shows anything
//! as payable, the canonical text of each address, and the refusal of addresses that are
//! well-formed but that no shopper may pay.
//!
//! - Bitcoin: base58check P2PKH/P2SH (`1`, `3`), and segwit bech32 v0 / bech32m v1 (BIP173,
//!   BIP350) under `bc`;
//! - Litecoin: `L`, `M` and `ltc1` (not Bitcoin's `3`); Dogecoin: `D`, `A`/`9`;
//! - EVM chains: EIP-55 (all-lowercase and all-uppercase accepted, mixed case must match);
//! - Tron: base58check with the 0x41 prefix; Solana: base58 of exactly 32 bytes;
//! - Lightning: BOLT11 invoices (bech32 checksum, the `lnbc` mainnet prefix, the amount in
//!   the human-readable part). Signatures are not verified: that needs secp256k1.
//!
//! A valid address of another network fails with what it is (an EVM address for tron, a `3…`
//! for litecoin): code `invalid_address`. So does one of the other [`NetworkMode`]: a form in
//! live mode (the default) refuses testnet, signet and regtest addresses and invoices (`tb1…`,
//! `bcrt1…`, `m…`/`n…`/`2…`, `tltc1…`, `lntb…`, `lnbcrt…`), saying that `network-mode="test"`
//! shows them; a form in test mode accepts only those, and refuses mainnet ones. The mode is
//! the merchant's option, never guessed from an address. A valid address that
//! must not be paid fails with code `forbidden_address`: a token contract, mint or program
//! (the table `network::UNPAYABLE`), a burn address (all-zero hash, key or program; the EVM and
//! Tron reserved addresses below 0x10000; named ones in the table), and a segwit output with no
//! spending rules yet (witness version 2 to 16, or version 1 with a program other than 32 bytes:
//! anyone can spend those today).

use crate::error::ErrorCode;
use crate::money::Amount;
use crate::network::{self, Family, Network, NetworkMode, Unpayable};
use crate::text;
use bech32::primitives::decode::CheckedHrpstring;
use bech32::Bech32;
use std::fmt;

/// Why an address cannot be shown as payable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    Empty {
        network: Network,
    },
    Invalid {
        address: String,
        network: Network,
        reason: &'static str,
    },
    /// A valid address of another network's format.
    OtherNetwork {
        address: String,
        network: Network,
        found: &'static str,
    },
    /// A testnet, signet or regtest address (or invoice) of the network, in a live form.
    TestAddress {
        address: String,
        network: Network,
        found: &'static str,
    },
    /// A mainnet address (or invoice) of the network, in a test form.
    LiveAddress {
        address: String,
        network: Network,
        found: &'static str,
    },
    /// A token contract, mint or program (`on` the network where it is one).
    Contract {
        address: String,
        network: Network,
        what: &'static str,
        on: Network,
    },
    /// An address nobody can spend from.
    Burn {
        address: String,
        network: Network,
        what: &'static str,
    },
    /// A segwit output whose witness version has no spending rules yet: anyone can spend it.
    UndefinedWitness {
        address: String,
        network: Network,
        version: u8,
        program_len: usize,
    },
    InvoiceAmount {
        invoice: String,
        payment: String,
    },
}

// The messages are built with `cat!` and `Display` only writes them: `thiserror`'s
// `#[error("… {address}")]` expands to `write!`, which would put `core::fmt` in the wasm
// (see `crate::text`).
impl AddressError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            AddressError::Empty { .. } => "the payment has no address".into(),
            AddressError::Invalid { address, network, reason } => {
                crate::cat!("address \"", address, "\" is not a valid ", network.id(), " address: ", reason)
            }
            AddressError::OtherNetwork { address, network, found } => crate::cat!(
                "address \"",
                address,
                "\" is ",
                found,
                ", not a ",
                network.id(),
                " address; ",
                expected(*network)
            ),
            AddressError::TestAddress { address, found, .. } => crate::cat!(
                "address \"",
                address,
                "\" is ",
                found,
                ", for testing: set network-mode=\"test\" to show test payments"
            ),
            AddressError::LiveAddress { address, network, found } => crate::cat!(
                "address \"",
                address,
                "\" is ",
                found,
                ", which moves real funds; test mode shows only test networks (",
                test_expected(*network),
                ")"
            ),
            AddressError::Contract { address, what, on, .. } => crate::cat!(
                "address \"",
                address,
                "\" is ",
                what,
                " on ",
                on.display_name(),
                ", not a wallet: a payment sent there never reaches the merchant and is usually lost; \
                 use the merchant's own receiving address"
            ),
            AddressError::Burn { address, what, .. } => crate::cat!(
                "address \"",
                address,
                "\" is ",
                what,
                ": nobody can spend from it, so a payment sent there is lost"
            ),
            AddressError::UndefinedWitness { address, version, program_len, .. } => crate::cat!(
                "address \"",
                address,
                "\" is a segwit version ",
                version,
                " address with a ",
                program_len,
                "-byte program, which has no spending rules yet (only version 0 and 32-byte version 1, \
                 taproot, are defined): anyone could take a payment sent there"
            ),
            AddressError::InvoiceAmount { invoice, payment } => crate::cat!(
                "the Lightning invoice is for ",
                invoice,
                " BTC but the payment is for ",
                payment,
                " BTC"
            ),
        }
    }
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AddressError {}

impl AddressError {
    /// The stable `payform:error` code: `invalid_address` for a malformed address or one of
    /// another network, `forbidden_address` for a valid one that must not be paid.
    pub fn code(&self) -> ErrorCode {
        match self {
            AddressError::InvoiceAmount { .. } => ErrorCode::InvoiceAmountMismatch,
            AddressError::Contract { .. }
            | AddressError::Burn { .. }
            | AddressError::UndefinedWitness { .. } => ErrorCode::ForbiddenAddress,
            AddressError::Empty { .. }
            | AddressError::Invalid { .. }
            | AddressError::OtherNetwork { .. }
            | AddressError::TestAddress { .. }
            | AddressError::LiveAddress { .. } => ErrorCode::InvalidAddress,
        }
    }

    /// The network the address was checked for (Lightning for an invoice's amount).
    pub fn network(&self) -> Network {
        match self {
            AddressError::Empty { network }
            | AddressError::Invalid { network, .. }
            | AddressError::OtherNetwork { network, .. }
            | AddressError::TestAddress { network, .. }
            | AddressError::LiveAddress { network, .. }
            | AddressError::Contract { network, .. }
            | AddressError::Burn { network, .. }
            | AddressError::UndefinedWitness { network, .. } => *network,
            AddressError::InvoiceAmount { .. } => Network::Lightning,
        }
    }
}

/// What the addresses of `network` look like, for [`AddressError::OtherNetwork`].
fn expected(network: Network) -> &'static str {
    match network {
        Network::Bitcoin => "bitcoin addresses start with 1, 3 or bc1",
        Network::Litecoin => "litecoin addresses start with L, M or ltc1",
        Network::Dogecoin => "dogecoin addresses start with D, A or 9",
        Network::Lightning => "Lightning invoices for bitcoin mainnet start with lnbc",
        Network::Tron => "tron addresses start with T",
        Network::Solana => "solana addresses are 32 bytes in base58",
        _ => "EVM addresses are 0x and 40 hex digits",
    }
}

/// What the test addresses of `network` look like, for [`AddressError::LiveAddress`].
fn test_expected(network: Network) -> &'static str {
    match network {
        Network::Bitcoin => "bitcoin test addresses start with tb1, bcrt1, m, n or 2",
        Network::Litecoin => "litecoin test addresses start with tltc1, rltc1, m, n, Q or 2",
        Network::Dogecoin => "dogecoin test addresses start with n or 2",
        Network::Lightning => "test Lightning invoices start with lntb, lntbs or lnbcrt",
        _ => "use a test network",
    }
}

/// Checks `address` for `network` in live mode (see [`validate_in`]).
pub fn validate(network: Network, address: &str) -> Result<String, AddressError> {
    validate_in(network, NetworkMode::Live, address)
}

/// Checks `address` for `network` in `mode` and returns its canonical text (bech32 and BOLT11
/// in lower case; everything else as given, which is already its only valid form). On
/// `bitcoin`, `lightning`, `litecoin` and `dogecoin` the mode decides which addresses are the
/// network's: mainnet ones in live mode, testnet, signet and regtest ones in test mode; one of
/// the other mode is refused as such ([`AddressError::TestAddress`],
/// [`AddressError::LiveAddress`]). On the other networks the mode is the network's own (a
/// Sepolia address looks like an Ethereum one): `Network::check_mode` decides.
pub fn validate_in(network: Network, mode: NetworkMode, address: &str) -> Result<String, AddressError> {
    let err = match check(network, mode, address) {
        Ok(canonical) => return Ok(canonical),
        Err(err) => err,
    };
    let format_failure = matches!(err, AddressError::Invalid { .. } | AddressError::OtherNetwork { .. });
    let other = match mode {
        NetworkMode::Live => NetworkMode::Test,
        NetworkMode::Test => NetworkMode::Live,
    };
    let own_chain = matches!(network.family(), Family::Utxo | Family::Lightning);
    // The other mode's format (even an address that mode would refuse as unpayable).
    let other_format = !matches!(
        check(network, other, address),
        Err(AddressError::Empty { .. } | AddressError::Invalid { .. } | AddressError::OtherNetwork { .. })
    );
    if !(format_failure && own_chain && other_format) {
        return Err(err);
    }
    let (address, found) = (address.to_owned(), recognise(address).unwrap_or("an address of another mode"));
    Err(match mode {
        NetworkMode::Live => AddressError::TestAddress { address, network, found },
        NetworkMode::Test => AddressError::LiveAddress { address, network, found },
    })
}

fn check(network: Network, mode: NetworkMode, address: &str) -> Result<String, AddressError> {
    if address.is_empty() {
        return Err(AddressError::Empty { network });
    }
    let owned = || address.to_owned();
    let invalid = |reason| AddressError::Invalid { address: owned(), network, reason };
    // A format failure: name the other network's address it is, if it is one.
    let refuse = |reason| match recognise(address) {
        Some(found) => AddressError::OtherNetwork { address: owned(), network, found },
        None => invalid(reason),
    };
    let burn = |what| AddressError::Burn { address: owned(), network, what };
    // The canonical text, and the hash, key or program it encodes (empty for BOLT11).
    let (canonical, payload) = match network.family() {
        Family::Utxo => utxo(network, mode, address, invalid, refuse)?,
        Family::Lightning => match bolt11(address, mode) {
            Ok(_) => (address.to_ascii_lowercase(), Vec::new()),
            // A mainnet invoice that fails says why; anything else says what it is.
            Err(reason) if bolt11_hrp(address, mode).is_some() => return Err(invalid(reason)),
            Err(reason) => return Err(refuse(reason)),
        },
        Family::Evm => {
            evm(address).map_err(refuse)?;
            (owned(), hex20(&address[2..]))
        }
        Family::Tron => match base58check(address).map_err(refuse)?.split_first() {
            Some((0x41, rest)) if rest.len() == 20 => (owned(), rest.to_vec()),
            _ => return Err(refuse("not a Tron address (base58check with the 0x41 prefix)")),
        },
        Family::Solana => match bs58::decode(address).into_vec() {
            Ok(bytes) if bytes.len() == 32 => (owned(), bytes),
            Ok(_) => return Err(refuse("a Solana address is 32 bytes in base58")),
            Err(_) => return Err(refuse("not base58")),
        },
        // A bank rail's account is checked by its rail (`bank::rail`), never as an address.
        Family::Bank => return Err(refuse("not a blockchain address")),
    };
    if let Some(k) = network::unpayable(network, &canonical) {
        return Err(match k.kind {
            Unpayable::Contract => {
                AddressError::Contract { address: owned(), network, what: k.what, on: k.network }
            }
            Unpayable::Burn => burn(k.what),
        });
    }
    let zero = |bytes: &[u8]| !bytes.is_empty() && bytes.iter().all(|&b| b == 0);
    match network.family() {
        Family::Evm | Family::Tron if zero(&payload) => Err(burn("the zero address")),
        // Precompiles and system contracts (0x01–0x0a on Ethereum, 0x64… on Arbitrum, 0x1000…
        // on BSC, Tron's own): 18 leading zero bytes, no one's wallet.
        Family::Evm | Family::Tron if zero(&payload[..18]) => Err(AddressError::Contract {
            address: owned(),
            network,
            what: "a reserved system address (a precompile or system contract below 0x10000)",
            on: network,
        }),
        // Solana's all-zero key is the System Program, in the table.
        Family::Utxo if zero(&payload) => {
            Err(burn("a burn address (its hash or witness program is all zero bytes)"))
        }
        _ => Ok(canonical),
    }
}

/// The amount in a mainnet invoice's human-readable part, in millisatoshi (`None`: any amount).
pub fn invoice_amount_msat(invoice: &str) -> Result<Option<u128>, &'static str> {
    bolt11(invoice, NetworkMode::Live)
}

/// The amount in the human-readable part of an invoice of `mode` (mainnet `lnbc…`; testnet
/// `lntb…`, signet `lntbs…` or regtest `lnbcrt…`), in millisatoshi (`None`: any amount).
pub fn invoice_amount_msat_in(invoice: &str, mode: NetworkMode) -> Result<Option<u128>, &'static str> {
    bolt11(invoice, mode)
}

/// Checks that a BOLT11 invoice (of either mode) asks for exactly `amount` (BTC, 8 decimals),
/// when it names one.
pub fn check_invoice_amount(invoice: &str, amount: Amount) -> Result<(), AddressError> {
    let read = bolt11(invoice, NetworkMode::Live).or_else(|_| bolt11(invoice, NetworkMode::Test));
    let Ok(Some(msat)) = read else { return Ok(()) };
    let payment_msat = amount.atomic().saturating_mul(1000);
    if msat == payment_msat {
        return Ok(());
    }
    let as_btc = |msat: u128| {
        let (whole, frac) = (msat / 100_000_000_000, msat % 100_000_000_000);
        let mut btc = text::decimal(whole);
        if frac != 0 {
            btc.push('.');
            text::push_padded(&mut btc, frac, 11);
            btc.truncate(btc.trim_end_matches('0').len());
        }
        btc
    };
    Err(AddressError::InvoiceAmount { invoice: as_btc(msat), payment: as_btc(payment_msat) })
}

fn base58check(address: &str) -> Result<Vec<u8>, &'static str> {
    bs58::decode(address).with_check(None).into_vec().map_err(|e| match e {
        bs58::decode::Error::InvalidChecksum { .. } => "the base58check checksum does not match",
        _ => "not base58check",
    })
}

/// The segwit human-readable parts Payform recognises, with what an address under each is.
const SEGWIT_HRPS: [(&str, &str); 6] = [
    ("bc", "a Bitcoin segwit address (bc1…)"),
    ("tb", "a Bitcoin testnet segwit address (tb1…)"),
    ("bcrt", "a Bitcoin regtest segwit address (bcrt1…)"),
    ("ltc", "a Litecoin segwit address (ltc1…)"),
    ("tltc", "a Litecoin testnet segwit address (tltc1…)"),
    ("rltc", "a Litecoin regtest segwit address (rltc1…)"),
];

/// What a base58check address with this version byte (and a 20-byte payload) is.
fn base58_name(version: u8) -> &'static str {
    match version {
        0x00 => "a Bitcoin P2PKH address (1…)",
        0x05 => "a Bitcoin P2SH address (3…)",
        0x30 => "a Litecoin address (L…)",
        0x32 => "a Litecoin P2SH address (M…)",
        0x1e => "a Dogecoin address (D…)",
        0x16 => "a Dogecoin P2SH address (A… or 9…)",
        0x41 => "a Tron address (T…)",
        0x6f => "a testnet address (m… or n…)",
        0xc4 => "a testnet P2SH address (2…)",
        0x3a => "a Litecoin testnet P2SH address (Q…)",
        0x71 => "a Dogecoin testnet address (n…)",
        _ => "a base58check address with another network's version byte",
    }
}

/// What `address` is, when it is a valid address of some network's format.
fn recognise(address: &str) -> Option<&'static str> {
    if evm(address).is_ok() {
        return Some("an EVM address (0x…)");
    }
    if let Ok((hrp, _, _)) = bech32::segwit::decode(address) {
        let hrp = hrp.to_lowercase();
        let name = SEGWIT_HRPS.iter().find(|(h, _)| *h == hrp).map(|(_, name)| *name);
        return Some(name.unwrap_or("a segwit address of another network"));
    }
    if let Ok(checked) = CheckedHrpstring::new::<Bech32>(address) {
        let hrp = checked.hrp().to_lowercase();
        return match () {
            _ if hrp.starts_with("lnbcrt") => Some("a regtest Lightning invoice (lnbcrt…)"),
            _ if hrp.starts_with("lnbc") => Some("a Lightning invoice (lnbc…)"),
            _ if hrp.starts_with("lntbs") => Some("a signet Lightning invoice (lntbs…)"),
            _ if hrp.starts_with("lntb") => Some("a testnet Lightning invoice (lntb…)"),
            _ => None,
        };
    }
    if let Ok(bytes) = base58check(address) {
        return (bytes.len() == 21).then(|| base58_name(bytes[0]));
    }
    match bs58::decode(address).into_vec() {
        Ok(bytes) if bytes.len() == 32 => Some("a Solana address"),
        _ => None,
    }
}

/// Bitcoin, Litecoin, Dogecoin: the canonical text and the hash or witness program.
fn utxo(
    network: Network,
    mode: NetworkMode,
    address: &str,
    invalid: impl Fn(&'static str) -> AddressError,
    refuse: impl Fn(&'static str) -> AddressError,
) -> Result<(String, Vec<u8>), AddressError> {
    let (hrps, versions) = (network.segwit_hrps(mode), network.base58_versions(mode));
    let lower = address.to_ascii_lowercase();
    if lower.rsplit_once('1').is_some_and(|(h, _)| hrps.contains(&h)) {
        // The bech32 crate enforces versions 0–16, bech32 for v0 and bech32m for v1+, a 2–40
        // byte program, 20 or 32 bytes for v0, and the padding.
        let (_, version, program) = bech32::segwit::decode(address).map_err(|_| {
            invalid("not a valid segwit address (checksum, witness version or program length)")
        })?;
        let version = version.to_u8();
        if version >= 2 || (version == 1 && program.len() != 32) {
            return Err(AddressError::UndefinedWitness {
                address: address.to_owned(),
                network,
                version,
                program_len: program.len(),
            });
        }
        return Ok((lower, program));
    }
    if network == Network::Litecoin && lower.starts_with("ltcmweb1") {
        return Err(invalid(
            "a MWEB address (ltcmweb1…), which most wallets cannot pay; use an ltc1, L or M address",
        ));
    }
    match base58check(address).map_err(&refuse)?.split_first() {
        Some((v, payload)) if versions.contains(v) && payload.len() == 20 => {
            Ok((address.to_owned(), payload.to_vec()))
        }
        Some((v, _)) if versions.contains(v) => Err(invalid("a base58check address holds a 20-byte hash")),
        Some((0x05, payload)) if network == Network::Litecoin && !mode.is_test() && payload.len() == 20 => {
            Err(AddressError::OtherNetwork {
                address: address.to_owned(),
                network,
                found: "a P2SH address in Bitcoin's format (3…), which litecoin wallets no longer issue \
                        (convert it to its M… form)",
            })
        }
        _ => Err(refuse("the address belongs to another network")),
    }
}

/// The 20 bytes of 40 hex digits (already checked).
fn hex20(hex: &str) -> Vec<u8> {
    (0..40).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)).collect()
}

fn evm(address: &str) -> Result<(), &'static str> {
    let hex = address.strip_prefix("0x").ok_or("EVM addresses start with 0x")?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("expected 0x and 40 hex digits");
    }
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper && eip55(hex) != hex {
        return Err("the EIP-55 checksum (mixed case) does not match");
    }
    Ok(())
}

/// EIP-55: upper-cases the hex digits whose keccak-256 nibble is 8 or more.
pub fn eip55(hex: &str) -> String {
    use tiny_keccak::{Hasher, Keccak};
    let lower = hex.to_ascii_lowercase();
    let mut hash = [0u8; 32];
    let mut k = Keccak::v256();
    k.update(lower.as_bytes());
    k.finalize(&mut hash);
    lower
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0xf;
            if nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// The longest refund address a shopper may type (no address of any network is longer).
pub const MAX_REFUND_CHARS: usize = 128;

/// The network a refund of a payment on `network` goes to: Lightning payments are refunded
/// on-chain (an invoice is no place to send funds back to).
pub fn refund_network(network: Network) -> Network {
    match network {
        Network::Lightning => Network::Bitcoin,
        other => other,
    }
}

/// The canonical refund address for what a shopper typed, checked by the same validator as a
/// payment's address, on [`refund_network`]; `None` when it is not one.
pub fn refund_address(network: Network, text: &str) -> Option<String> {
    refund_address_in(network, NetworkMode::Live, text)
}

/// [`refund_address`] for a payment shown in `mode` (a test payment is refunded to a test
/// address).
pub fn refund_address_in(network: Network, mode: NetworkMode, text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_REFUND_CHARS {
        return None;
    }
    validate_in(refund_network(network), mode, text).ok()
}

/// The BOLT11 prefixes of `mode` (BOLT #11, "Human-Readable Part": `lnbc` Bitcoin mainnet,
/// `lntb` testnet, `lntbs` signet, `lnbcrt` regtest), longest first where one begins another.
const fn bolt11_prefixes(mode: NetworkMode) -> &'static [&'static str] {
    match mode {
        NetworkMode::Live => &["lnbc"],
        NetworkMode::Test => &["lnbcrt", "lntbs", "lntb"],
    }
}

/// The amount part of a bech32 string's human-readable part under one of `mode`'s BOLT11
/// prefixes (mainnet's `lnbc` never taken for regtest's `lnbcrt`), if it has one.
fn bolt11_hrp(invoice: &str, mode: NetworkMode) -> Option<String> {
    let hrp = CheckedHrpstring::new::<Bech32>(invoice).ok()?.hrp().to_lowercase();
    let amount = bolt11_prefixes(mode).iter().find_map(|p| hrp.strip_prefix(p))?;
    // What follows a prefix is an amount, which starts with a digit (or is empty).
    amount.bytes().next().is_none_or(|b| b.is_ascii_digit()).then(|| amount.to_owned())
}

/// Checks a BOLT11 invoice of `mode` and reads its amount in millisatoshi.
fn bolt11(invoice: &str, mode: NetworkMode) -> Result<Option<u128>, &'static str> {
    let checked =
        CheckedHrpstring::new::<Bech32>(invoice).map_err(|_| "not a BOLT11 invoice (bech32 checksum)")?;
    let amount = bolt11_hrp(invoice, mode).ok_or(match mode {
        NetworkMode::Live => "not a Lightning invoice for Bitcoin mainnet (lnbc…)",
        NetworkMode::Test => "not a test Lightning invoice (lntb…, lntbs… or lnbcrt…)",
    })?;
    let amount = amount.as_str();
    // Timestamp (7 words) plus signature (104 words) at the least.
    if checked.data_part_ascii_no_checksum().len() < 7 + 104 {
        return Err("the invoice is too short to hold a timestamp and a signature");
    }
    if amount.is_empty() {
        return Ok(None);
    }
    let (digits, unit) = match amount.as_bytes().last() {
        Some(b'm' | b'u' | b'n' | b'p') => amount.split_at(amount.len() - 1),
        _ => (amount, ""),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return Err("the invoice amount is malformed");
    }
    let n: u128 = digits.parse().map_err(|_| "the invoice amount is too large")?;
    // 1 BTC = 10^11 msat. m = 10^-3, u = 10^-6, n = 10^-9, p = 10^-12 BTC.
    let msat = match unit {
        "" => n.checked_mul(100_000_000_000),
        "m" => n.checked_mul(100_000_000),
        "u" => n.checked_mul(100_000),
        "n" => n.checked_mul(100),
        _ if !n.is_multiple_of(10) => return Err("the invoice amount has sub-millisatoshi precision"),
        _ => Some(n / 10),
    };
    msat.map(Some).ok_or("the invoice amount is too large")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Network::*;

    // BIP350 "Test vectors for v0-v16 native segregated witness addresses"
    // (github.com/bitcoin/bips/blob/master/bip-0350.mediawiki), mainnet ones: valid.
    const BIP350_VALID_MAINNET: [&str; 5] = [
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "BC1SW50QGDZ25J",
        "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ];
    // The testnet ones of the same list: valid segwit, but not for a mainnet form.
    const BIP350_VALID_TESTNET: [&str; 3] = [
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
        "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
    ];
    // BIP350's invalid segwit addresses (every reason: HRP, bech32-vs-bech32m checksum,
    // characters, version, program length, mixed case, padding, empty data).
    const BIP350_INVALID: [&str; 15] = [
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
        "bc1pw5dgrnzv",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
        "bc1gmk9yu",
    ];
    // BIP173's invalid segwit list (bip-0173.mediawiki, "Test vectors"); its v1+ "valid"
    // entries were re-specified by BIP350 (bech32m) and are invalid now, also tested here.
    const BIP173_INVALID: [&str; 10] = [
        "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
        "bc1rw5uspcuh",
        "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
        "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
        "bc1gmk9yu",
    ];
    const BIP173_V1_NOW_INVALID: [&str; 3] = [
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
        "BC1SW50QA3JX3S",
        "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
    ];

    #[test]
    fn bip350_and_bip173_segwit_vectors() {
        // Valid encodings all; payable only v0 and the 32-byte v1 (taproot).
        let [v0, v1_40, v16, v2, v1_32] = BIP350_VALID_MAINNET;
        for a in [v0, v1_32] {
            assert_eq!(validate(Bitcoin, a), Ok(a.to_ascii_lowercase()), "{a}");
        }
        for (a, version, program_len) in [(v1_40, 1, 40), (v16, 16, 2), (v2, 2, 16)] {
            assert!(bech32::segwit::decode(a).is_ok(), "{a} is a valid encoding");
            let err = validate(Bitcoin, a).unwrap_err();
            let want =
                AddressError::UndefinedWitness { address: a.into(), network: Bitcoin, version, program_len };
            assert_eq!(err, want, "{a}");
            assert_eq!(err.code(), ErrorCode::ForbiddenAddress);
        }
        for a in BIP350_VALID_TESTNET {
            let err = validate(Bitcoin, a).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidAddress);
            assert!(
                matches!(err, AddressError::TestAddress { found, .. } if found.contains("testnet")),
                "{a}"
            );
            // The same vectors are what a test form shows (canonical: lower case).
            assert_eq!(validate_in(Bitcoin, NetworkMode::Test, a), Ok(a.to_ascii_lowercase()), "{a}");
        }
        for a in BIP350_VALID_MAINNET {
            let err = validate_in(Bitcoin, NetworkMode::Test, a).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidAddress, "{a}");
            assert!(matches!(err, AddressError::LiveAddress { .. }), "{a}: {err:?}");
        }
        for a in BIP350_INVALID.iter().chain(&BIP173_INVALID).chain(&BIP173_V1_NOW_INVALID) {
            let err = validate_in(Bitcoin, NetworkMode::Test, a).expect_err(a);
            assert_eq!(err.code(), ErrorCode::InvalidAddress, "{a} is malformed in test mode too");
        }
        for a in BIP350_INVALID.iter().chain(&BIP173_INVALID).chain(&BIP173_V1_NOW_INVALID) {
            let err = validate(Bitcoin, a).expect_err(a);
            assert_eq!(err.code(), ErrorCode::InvalidAddress, "{a} must be rejected as malformed");
        }
    }

    // BIP173 "The following strings are valid Bech32" / "not valid Bech32": the checksum layer
    // that BOLT11 invoices use.
    #[test]
    fn bip173_bech32_checksum_vectors() {
        let valid = [
            "A12UEL5L",
            "a12uel5l",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
            "?1ezyfcl",
        ];
        for s in valid {
            assert!(CheckedHrpstring::new::<Bech32>(s).is_ok(), "{s}");
        }
        let invalid =
            ["pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "10a06t8", "1qzzfhee"];
        for s in invalid {
            assert!(CheckedHrpstring::new::<Bech32>(s).is_err(), "{s}");
        }
    }

    #[test]
    fn base58check_addresses_per_network() {
        // The genesis coinbase address and a well-known P2SH address (BOLT11's fallback example).
        assert!(validate(Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_ok());
        assert!(validate(Bitcoin, "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX").is_ok());
        assert!(validate(Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").is_err(), "checksum");
        assert!(validate(Litecoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_err(), "bitcoin version byte");
        assert!(validate(Dogecoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_err());
        assert!(validate(Litecoin, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").is_err(), "bc1 on litecoin");
        // Each network's own versions and segwit HRP.
        let hash = [0x75; 20];
        assert!(validate(Litecoin, &b58(0x30, &hash)).is_ok_and(|a| a.starts_with('L')));
        assert!(validate(Litecoin, &b58(0x32, &hash)).is_ok_and(|a| a.starts_with('M')));
        assert!(validate(Litecoin, &segwit("ltc", 0, &hash)).is_ok());
        assert!(validate(Litecoin, &segwit("ltc", 1, &[0x75; 32])).is_ok(), "taproot on litecoin");
        assert!(validate(Dogecoin, &b58(0x1e, &hash)).is_ok_and(|a| a.starts_with('D')));
        assert!(validate(Dogecoin, &b58(0x16, &hash)).is_ok());
        assert!(validate(Bitcoin, &b58(0x00, &[0x75; 19])).is_err(), "19-byte hash");
    }

    fn b58(version: u8, payload: &[u8]) -> String {
        bs58::encode([&[version], payload].concat()).with_check().into_string()
    }

    fn segwit(hrp: &str, version: u8, program: &[u8]) -> String {
        let version = bech32::Fe32::try_from(version).unwrap();
        bech32::segwit::encode(bech32::Hrp::parse(hrp).unwrap(), version, program).unwrap()
    }

    /// The error's kind and code, for compact assertions.
    fn refusal(network: Network, address: &str) -> (&'static str, &'static str) {
        let err = validate(network, address).expect_err(address);
        let kind = match err {
            AddressError::Empty { .. } => "empty",
            AddressError::Invalid { .. } => "invalid",
            AddressError::OtherNetwork { .. } => "other network",
            AddressError::TestAddress { .. } => "test address",
            AddressError::LiveAddress { .. } => "live address",
            AddressError::Contract { .. } => "contract",
            AddressError::Burn { .. } => "burn",
            AddressError::UndefinedWitness { .. } => "witness",
            AddressError::InvoiceAmount { .. } => "amount",
        };
        (kind, err.code().as_str())
    }

    #[test]
    fn another_networks_address_says_what_it_is() {
        let other = ("other network", "invalid_address");
        let hash = [0x75; 20];
        // Litecoin: only L, M and ltc1; Bitcoin's 1 and 3 (version bytes 0 and 5) are refused.
        let p2sh = b58(0x05, &hash);
        assert_eq!(refusal(Litecoin, &b58(0x00, &hash)), other);
        assert_eq!(refusal(Litecoin, &p2sh), other);
        let msg = validate(Litecoin, &p2sh).unwrap_err().to_string();
        assert_eq!(
            msg,
            format!(
                "address \"{p2sh}\" is a P2SH address in Bitcoin's format (3…), which litecoin wallets \
                 no longer issue (convert it to its M… form), not a litecoin address; litecoin \
                 addresses start with L, M or ltc1"
            )
        );
        // A test form's addresses, in a live form: said so (see test_mode_*).
        let test = ("test address", "invalid_address");
        assert_eq!(refusal(Litecoin, &b58(0x3a, &hash)), test, "litecoin testnet Q…");
        assert_eq!(refusal(Litecoin, &b58(0x6f, &hash)), test, "testnet m…/n…");
        assert_eq!(refusal(Litecoin, &segwit("tltc", 0, &hash)), test);
        assert_eq!(refusal(Litecoin, &b58(0x1e, &hash)), other, "dogecoin D…");
        // Dogecoin: only D and A/9.
        assert_eq!(refusal(Dogecoin, &b58(0x30, &hash)), other);
        assert_eq!(refusal(Dogecoin, &b58(0x05, &hash)), other);
        assert_eq!(refusal(Dogecoin, &b58(0x71, &hash)), test, "dogecoin testnet");
        assert_eq!(refusal(Dogecoin, &segwit("bc", 0, &hash)), other);
        // Bitcoin: only 1, 3 and bc1.
        assert_eq!(refusal(Bitcoin, &b58(0x30, &hash)), other);
        assert_eq!(refusal(Bitcoin, &b58(0x32, &hash)), other);
        assert_eq!(refusal(Bitcoin, &b58(0x6f, &hash)), test);
        assert_eq!(refusal(Bitcoin, &b58(0xc4, &hash)), test);
        assert_eq!(refusal(Bitcoin, &segwit("ltc", 0, &hash)), other);
        assert_eq!(refusal(Bitcoin, &segwit("tltc", 0, &hash)), other, "litecoin's testnet is not bitcoin's");
        assert_eq!(refusal(Bitcoin, &segwit("bcrt", 0, &hash)), test);
        let tb1 = segwit("tb", 1, &[0x75; 32]);
        assert_eq!(
            validate(Bitcoin, &tb1).unwrap_err().to_string(),
            format!(
                "address \"{tb1}\" is a Bitcoin testnet segwit address (tb1…), for testing: set \
                 network-mode=\"test\" to show test payments"
            )
        );
        assert_eq!(refusal(Bitcoin, COFFEE_2500U), other, "a Lightning invoice on bitcoin");
        // Account chains.
        assert_eq!(refusal(Tron, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), other);
        assert_eq!(refusal(Tron, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"), other);
        assert_eq!(refusal(Solana, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"), other);
        assert_eq!(refusal(Ethereum, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"), other);
        assert_eq!(refusal(Ethereum, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"), other, "solana");
        // Shape errors stay plain invalid.
        assert_eq!(
            refusal(Ethereum, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"),
            ("invalid", "invalid_address")
        );
        assert_eq!(refusal(Litecoin, "ltcmweb1qqxyz"), ("invalid", "invalid_address"));
    }

    #[test]
    fn token_contracts_and_programs_are_refused_on_every_network() {
        let contract = ("contract", "forbidden_address");
        // Every table entry, on its own network: the USDT/USDC contracts and mints of every
        // network, the wrapped coins, bridged USDC, the Solana programs.
        for k in network::UNPAYABLE {
            let want = match k.kind {
                Unpayable::Contract => contract,
                Unpayable::Burn => ("burn", "forbidden_address"),
            };
            assert_eq!(refusal(k.network, k.address), want, "{}", k.address);
        }
        // In any case, and another EVM chain's contract on an EVM chain.
        assert_eq!(refusal(Ethereum, "0xdac17f958d2ee523a2206206994597c13d831ec7"), contract);
        assert_eq!(refusal(Bsc, "0xDAC17F958D2EE523A2206206994597C13D831EC7"), contract);
        assert_eq!(
            validate(Ethereum, "0xdAC17F958D2ee523a2206206994597C13D831ec7").unwrap_err().to_string(),
            "address \"0xdAC17F958D2ee523a2206206994597C13D831ec7\" is the USDT token contract on Ethereum \
             (ERC-20), not a wallet: a payment sent there never reaches the merchant and is usually lost; \
             use the merchant's own receiving address"
        );
        assert_eq!(
            validate(Base, "0x55d398326f99059fF775485246999027B3197955"),
            Err(AddressError::Contract {
                address: "0x55d398326f99059fF775485246999027B3197955".into(),
                network: Base,
                what: "the USDT (BSC-USD) token contract",
                on: Bsc,
            })
        );
        // Tron: the WTRX table entry is TRC-20 0x891cdb…4c18 under the 0x41 prefix.
        let wtrx = [0x41, 0x89, 0x1c, 0xdb, 0x91, 0xd1, 0x49, 0xf2, 0x3b, 0x1a, 0x45, 0xd9, 0xc5, 0xca, 0x78];
        let wtrx = [&wtrx[..], &[0xa8, 0x8d, 0x0c, 0xb4, 0x4c, 0x18]].concat();
        assert_eq!(bs58::encode(wtrx).with_check().into_string(), "TNUC9Qb1rRpS5CbWLmNMxXBjyFoydXjWFR");
        // Solana's System Program is the all-zero key.
        assert_eq!(bs58::encode([0u8; 32]).into_string(), "11111111111111111111111111111111");
        assert_eq!(refusal(Solana, "11111111111111111111111111111111"), contract);
        // A wallet that merely resembles a contract is fine.
        assert!(validate(Tron, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE").is_ok());
        assert!(validate(Solana, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM").is_ok());
    }

    #[test]
    fn zero_and_burn_addresses_are_refused() {
        let burn = ("burn", "forbidden_address");
        let contract = ("contract", "forbidden_address");
        // EVM: the zero address (digits only: one casing), 0x…dEaD in every casing; the
        // reserved precompile and system addresses below it are refused as contracts.
        for n in [Ethereum, Bsc, Polygon, Arbitrum, Base] {
            assert_eq!(refusal(n, "0x0000000000000000000000000000000000000000"), burn);
            assert_eq!(refusal(n, "0x000000000000000000000000000000000000dEaD"), burn);
            assert_eq!(refusal(n, "0x000000000000000000000000000000000000dead"), burn);
            assert_eq!(refusal(n, "0x000000000000000000000000000000000000DEAD"), burn);
            assert_eq!(refusal(n, "0x0000000000000000000000000000000000000001"), contract, "ecrecover");
        }
        assert_eq!(
            eip55("000000000000000000000000000000000000dead"),
            "000000000000000000000000000000000000dEaD"
        );
        assert_eq!(refusal(Arbitrum, "0x0000000000000000000000000000000000000064"), contract, "ArbSys");
        assert_eq!(refusal(Bsc, "0x0000000000000000000000000000000000001000"), contract, "BSC ValidatorSet");
        assert!(
            validate(Ethereum, "0x0000000000000000000000000000000000010000").is_ok(),
            "above the reserved range"
        );
        // Tron: the zero ("black hole") address is base58check of 0x41 and 20 zero bytes.
        let tron_zero = b58(0x41, &[0; 20]);
        assert_eq!(tron_zero, "T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb");
        assert_eq!(refusal(Tron, &tron_zero), burn);
        let mut low = [0u8; 20];
        low[19] = 1;
        assert_eq!(refusal(Tron, &b58(0x41, &low)), contract, "a Tron precompile");
        // Solana: the incinerator (the System Program is in the contract test).
        assert_eq!(refusal(Solana, "1nc1nerator11111111111111111111111111111111"), burn);
        // Bitcoin family: the all-zero hash under each version, and the "Bitcoin Eater".
        assert_eq!(b58(0x00, &[0; 20]), "1111111111111111111114oLvT2");
        assert_eq!(refusal(Bitcoin, "1111111111111111111114oLvT2"), burn);
        assert_eq!(refusal(Bitcoin, &b58(0x05, &[0; 20])), burn);
        assert_eq!(refusal(Bitcoin, "1BitcoinEaterAddressDontSendf59kuE"), burn);
        assert_eq!(refusal(Bitcoin, &segwit("bc", 0, &[0; 20])), burn);
        assert_eq!(refusal(Bitcoin, &segwit("bc", 1, &[0; 32])), burn);
        assert_eq!(refusal(Litecoin, &b58(0x30, &[0; 20])), burn);
        assert_eq!(refusal(Litecoin, &segwit("ltc", 0, &[0; 32])), burn);
        assert_eq!(refusal(Dogecoin, &b58(0x1e, &[0; 20])), burn);
        assert_eq!(
            validate(Tron, &tron_zero).unwrap_err().to_string(),
            "address \"T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb\" is the zero address: nobody can spend from it, \
             so a payment sent there is lost"
        );
    }

    #[test]
    fn segwit_versions_without_spending_rules_are_refused() {
        let witness = ("witness", "forbidden_address");
        for (network, hrp) in [(Bitcoin, "bc"), (Litecoin, "ltc")] {
            for version in 2..=16 {
                for len in [2, 20, 32, 40] {
                    let a = segwit(hrp, version, &vec![0x75; len]);
                    assert_eq!(refusal(network, &a), witness, "{a}");
                }
            }
            for len in [2, 20, 31, 33, 40] {
                let a = segwit(hrp, 1, &vec![0x75; len]);
                let err = validate(network, &a).unwrap_err();
                let want = AddressError::UndefinedWitness {
                    address: a.clone(),
                    network,
                    version: 1,
                    program_len: len,
                };
                assert_eq!(err, want);
            }
            // Defined: v0 of 20 or 32 bytes, v1 of 32; other v0 lengths do not even decode.
            for (version, len) in [(0, 20), (0, 32), (1, 32)] {
                let a = segwit(hrp, version, &vec![0x75; len]);
                assert_eq!(validate(network, &a.to_uppercase()), Ok(a), "{network} v{version}");
            }
            assert!(bech32::segwit::encode(bech32::Hrp::parse(hrp).unwrap(), bech32::Fe32::Q, &[0x75; 21])
                .is_err());
        }
        let v2 = segwit("bc", 2, &[0x75; 16]);
        assert_eq!(
            validate(Bitcoin, &v2).unwrap_err().to_string(),
            format!(
                "address \"{v2}\" is a segwit version 2 address with a 16-byte program, which has no \
                 spending rules yet (only version 0 and 32-byte version 1, taproot, are defined): \
                 anyone could take a payment sent there"
            )
        );
    }

    // EIP-55 test cases (eips.ethereum.org/EIPS/eip-55, "Test Cases").
    #[test]
    fn eip55_vectors() {
        let cases = [
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
            "0xde709f2102306220921060314715629080e2fb77",
            "0x27b1fdb04752bbc536007a920d24acb045561c26",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ];
        for a in cases {
            assert_eq!(validate(Ethereum, a), Ok(a.to_owned()), "{a}");
            assert!(validate(Polygon, &a.to_ascii_lowercase()).is_ok(), "all lowercase is accepted");
        }
        assert!(validate(Bsc, "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").is_ok(), "all uppercase");
        let wrong = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"; // last letter's case flipped
        assert!(validate(Ethereum, wrong).is_err());
        assert!(validate(Ethereum, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA").is_err(), "too short");
    }

    #[test]
    fn tron_and_solana() {
        // Real wallets (not contracts): accepted.
        assert!(validate(Tron, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE").is_ok());
        assert!(validate(Tron, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSF").is_err(), "checksum");
        assert!(validate(Tron, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_err(), "EVM address on tron");
        assert!(validate(Tron, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_err(), "bitcoin base58check");
        assert!(validate(Solana, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM").is_ok());
        assert!(validate(Solana, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_err(), "25 bytes, not 32");
        assert!(validate(Solana, "0OIl").is_err());
        // The USDT TRC-20 contract and the USDC mint: well-formed, never payable.
        assert_eq!(refusal(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), ("contract", "forbidden_address"));
        assert_eq!(
            refusal(Solana, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"),
            ("contract", "forbidden_address")
        );
    }

    // BOLT #11 "Examples" (github.com/lightning/bolts/blob/master/11-payment-encoding.md).
    const COFFEE_2500U: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";
    const FALLBACK_20M: &str = "lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppj3a24vwu6r8ejrss3axul8rxldph2q7z9kmrgvr7xlaqm47apw3d48zm203kzcq357a4ls9al2ea73r8jcceyjtya6fu5wzzpe50zrge6ulk4nvjcpxlekvmxl6qcs9j3tz0469gq5g658y";
    const PICO_9678785340P: &str = "lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9qn07ytgrxxzad9hc4xt3mawjjt8znfv8xzscs7007v9gh9j569lencxa8xeujzkxs0uamak9aln6ez02uunw6rd2ht2sqe4hz8thcdagpleym0j";
    const UPPER_25M: &str = "LNBC25M1PVJLUEZPP5QQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQYPQDQ5VDHKVEN9V5SXYETPDEESSP5ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYGS9Q5SQQQQQQQQQQQQQQQPQSQ67GYE39HFG3ZD8RGC80K32TVY9XK2XUNWM5LZEXNVPX6FD77EN8QAQ424DXGT56CAG2DPT359K3SSYHETKTKPQH24JQNJYW6UQD08SGPTQ44QU";

    #[test]
    fn bolt11_valid_examples_and_their_amounts() {
        assert_eq!(invoice_amount_msat(COFFEE_2500U), Ok(Some(250_000_000)));
        assert_eq!(invoice_amount_msat(FALLBACK_20M), Ok(Some(2_000_000_000)));
        assert_eq!(invoice_amount_msat(PICO_9678785340P), Ok(Some(967_878_534)));
        assert_eq!(invoice_amount_msat(UPPER_25M), Ok(Some(2_500_000_000)));
        assert_eq!(validate(Lightning, UPPER_25M), Ok(UPPER_25M.to_ascii_lowercase()));
    }

    #[test]
    fn bolt11_invalid_examples() {
        let invalid = [
            // Bech32 checksum is invalid.
            "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrnt",
            // Malformed bech32 string (no 1).
            "pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
            // Malformed bech32 string (mixed case).
            "LNBC2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
            // String is too short.
            "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6na6hlh",
            // Invalid multiplier.
            "lnbc2500x1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpujr6jxr9gq9pv6g46y7d20jfkegkg4gljz2ea2a3m9lmvvr95tq2s0kvu70u3axgelz3kyvtp2ywwt0y8hkx2869zq5dll9nelr83zzqqpgl2zg",
            // Invalid sub-millisatoshi precision.
            "lnbc2500000001p1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu7hqtk93pkf7sw55rdv4k9z2vj050rxdr6za9ekfs3nlt5lr89jqpdmxsmlj9urqumg0h9wzpqecw7th56tdms40p2ny9q4ddvjsedzcplva53s",
        ];
        for inv in invalid {
            assert_eq!(refusal(Lightning, inv), ("invalid", "invalid_address"), "{inv}");
        }
        let other = ("other network", "invalid_address");
        assert_eq!(refusal(Lightning, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), other);
        // The coffee invoice's data under the testnet, signet and regtest prefixes: checksums
        // valid, networks wrong.
        let data = CheckedHrpstring::new::<Bech32>(COFFEE_2500U).unwrap();
        for prefix in ["lntb2500u", "lntbs2500u", "lnbcrt2500u"] {
            let hrp = bech32::Hrp::parse(prefix).unwrap();
            use bech32::primitives::iter::Fe32IterExt;
            let inv: String =
                data.fe32_iter::<std::iter::Empty<u8>>().with_checksum::<Bech32>(&hrp).chars().collect();
            assert!(inv.starts_with(prefix) && CheckedHrpstring::new::<Bech32>(&inv).is_ok(), "{inv}");
            assert_eq!(refusal(Lightning, &inv), ("test address", "invalid_address"), "{inv}");
            assert!(invoice_amount_msat(&inv).is_err());
        }
    }

    #[test]
    fn every_error_says_what_it_said() {
        let address = String::from("bc1q\"odd\"…");
        let (network, on, what, found, reason) =
            (Litecoin, Bsc, "the USDT token contract", "a Tron address (T…)", "not base58check");
        let cases = [
            (AddressError::Empty { network }, "the payment has no address".to_string()),
            (
                AddressError::Invalid { address: address.clone(), network, reason },
                format!("address \"{address}\" is not a valid {network} address: {reason}"),
            ),
            (
                AddressError::OtherNetwork { address: address.clone(), network, found },
                format!("address \"{address}\" is {found}, not a {network} address; {}", expected(network)),
            ),
            (
                AddressError::Contract { address: address.clone(), network, what, on },
                format!(
                    "address \"{address}\" is {what} on {}, not a wallet: a payment sent there never reaches \
                     the merchant and is usually lost; use the merchant's own receiving address",
                    on.display_name()
                ),
            ),
            (
                AddressError::Burn { address: address.clone(), network, what },
                format!(
                    "address \"{address}\" is {what}: nobody can spend from it, so a payment sent there is lost"
                ),
            ),
            (
                AddressError::UndefinedWitness { address: address.clone(), network, version: 16, program_len: 40 },
                format!(
                    "address \"{address}\" is a segwit version {} address with a {}-byte program, \
                     which has no spending rules yet (only version 0 and 32-byte version 1, taproot, are defined): \
                     anyone could take a payment sent there",
                    16u8, 40usize
                ),
            ),
            (
                AddressError::InvoiceAmount { invoice: "0.0025".into(), payment: "0.003".into() },
                format!("the Lightning invoice is for {} BTC but the payment is for {} BTC", "0.0025", "0.003"),
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
        for n in Network::ALL {
            let err = AddressError::OtherNetwork { address: "x".into(), network: n, found };
            assert_eq!(
                err.to_string(),
                format!("address \"x\" is {found}, not a {n} address; {}", expected(n))
            );
        }
    }

    #[test]
    fn invoice_amounts_in_btc_are_written_as_before() {
        let old = |msat: u128| {
            let (whole, frac) = (msat / 100_000_000_000, msat % 100_000_000_000);
            let frac = format!("{frac:011}");
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{frac}")
            }
        };
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..5_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let msat = match i % 4 {
                0 => u128::from(x),
                1 => u128::from(x % 1_000_000_000_000),
                2 => u128::from(x % 1_000) * 100_000_000_000,
                _ => u128::from(x) * u128::from(x),
            };
            // Through the error's text: the invoice asks for 0.0025 BTC.
            let payment = Amount::from_atomic(msat / 1000, 8);
            if let Err(AddressError::InvoiceAmount { invoice, payment: paid }) =
                check_invoice_amount(COFFEE_2500U, payment)
            {
                assert_eq!(invoice, old(250_000_000));
                assert_eq!(paid, old(payment.atomic().saturating_mul(1000)), "{msat}");
            }
        }
        assert_eq!(old(250_000_000), "0.0025");
    }

    #[test]
    fn invoice_amount_must_match_the_payment() {
        assert_eq!(check_invoice_amount(COFFEE_2500U, Amount::parse("0.0025", 8).unwrap()), Ok(()));
        let err = check_invoice_amount(COFFEE_2500U, Amount::parse("0.003", 8).unwrap()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvoiceAmountMismatch);
        assert_eq!(
            err.to_string(),
            "the Lightning invoice is for 0.0025 BTC but the payment is for 0.003 BTC"
        );
    }

    // BOLT #11 "Examples": "The same, on testnet, with a fallback address
    // mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP" (20 mBTC).
    const TESTNET_20M: &str = "lntb20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un989qrsgqdj545axuxtnfemtpwkc45hx9d2ft7x04mt8q7y6t0k2dge9e7h8kpy9p34ytyslj3yu569aalz2xdk8xkd7ltxqld94u8h2esmsmacgpghe9k8";
    // That example's fallback address: a testnet P2PKH (version 0x6f).
    const TESTNET_P2PKH: &str = "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP";
    // BIP-173's first mainnet program (w508d6…) under the regtest prefix.
    const REGTEST_V0: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

    /// The coffee invoice's data under another BOLT11 prefix, with a fresh checksum.
    fn reprefixed(prefix: &str) -> String {
        use bech32::primitives::iter::Fe32IterExt;
        let data = CheckedHrpstring::new::<Bech32>(COFFEE_2500U).unwrap();
        let hrp = bech32::Hrp::parse(prefix).unwrap();
        data.fe32_iter::<std::iter::Empty<u8>>().with_checksum::<Bech32>(&hrp).chars().collect()
    }

    #[test]
    fn test_mode_accepts_testnet_signet_and_regtest_addresses_only() {
        let test = |network, a: &str| validate_in(network, NetworkMode::Test, a);
        let hash = [0x75; 20];
        let cases: Vec<(Network, String)> = vec![
            (Bitcoin, BIP350_VALID_TESTNET[0].into()),
            (Bitcoin, BIP350_VALID_TESTNET[2].into()), // taproot (tb1p…)
            (Bitcoin, REGTEST_V0.into()),
            (Bitcoin, segwit("bcrt", 1, &[0x75; 32])),
            (Bitcoin, TESTNET_P2PKH.into()),
            (Bitcoin, b58(0xc4, &hash)), // 2… (P2SH)
            (Litecoin, segwit("tltc", 0, &hash)),
            (Litecoin, segwit("rltc", 0, &[0x75; 32])),
            (Litecoin, b58(0x6f, &hash)),
            (Litecoin, b58(0x3a, &hash)), // Q…
            (Dogecoin, b58(0x71, &hash)), // n…
            (Dogecoin, b58(0xc4, &hash)),
            (Lightning, TESTNET_20M.into()),
            (Lightning, reprefixed("lntbs2500u")),
            (Lightning, reprefixed("lnbcrt2500u")),
        ];
        for (network, a) in &cases {
            assert_eq!(test(*network, a).as_deref(), Ok(a.as_str()), "{network} {a}: already canonical");
            // The same address in a live form: refused, saying how to show it.
            let err = validate(*network, a).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidAddress, "{a}");
            assert!(matches!(err, AddressError::TestAddress { .. }), "{a}: {err:?}");
            assert!(
                err.to_string().ends_with(", for testing: set network-mode=\"test\" to show test payments"),
                "{err}"
            );
        }
        assert_eq!(
            REGTEST_V0,
            segwit("bcrt", 0, &bech32::segwit::decode(BIP350_VALID_MAINNET[0]).unwrap().2)
        );
        assert_eq!(
            test(Bitcoin, &REGTEST_V0.to_uppercase()),
            Ok(REGTEST_V0.to_owned()),
            "canonical lower case"
        );
        // Mainnet addresses in a test form: refused, saying what a test address looks like.
        let mainnet = [
            (Bitcoin, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".to_owned()),
            (Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".to_owned()),
            (Litecoin, segwit("ltc", 0, &hash)),
            (Litecoin, b58(0x30, &hash)),
            (Dogecoin, b58(0x1e, &hash)),
            (Lightning, COFFEE_2500U.to_owned()),
        ];
        for (network, a) in &mainnet {
            let err = test(*network, a).unwrap_err();
            assert!(matches!(err, AddressError::LiveAddress { .. }), "{a}: {err:?}");
            assert_eq!(err.code(), ErrorCode::InvalidAddress);
        }
        let err = test(Bitcoin, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").unwrap_err();
        assert_eq!(
            err.to_string(),
            "address \"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\" is a Bitcoin segwit address (bc1…), which moves \
             real funds; test mode shows only test networks (bitcoin test addresses start with tb1, bcrt1, m, n or 2)"
        );
        // Another chain's test address stays another network's; a broken one stays broken.
        assert!(matches!(test(Bitcoin, &segwit("tltc", 0, &hash)), Err(AddressError::OtherNetwork { .. })));
        assert!(
            matches!(test(Dogecoin, TESTNET_P2PKH), Err(AddressError::OtherNetwork { .. })),
            "bitcoin's m…"
        );
        let broken = [&TESTNET_P2PKH[..33], "Q"].concat();
        assert!(matches!(
            test(Bitcoin, &broken),
            Err(AddressError::Invalid { .. } | AddressError::OtherNetwork { .. })
        ));
        // The account chains' addresses look alike in both modes: the network decides.
        for (network, a) in [
            (Sepolia, "0x52908400098527886E0F7030069857D2E4169EE7"),
            (TronNile, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"),
            (SolanaDevnet, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"),
        ] {
            assert_eq!(test(network, a).as_deref(), Ok(a));
        }
        // Test tokens are contracts there, as the mainnet ones are.
        let usdc = validate_in(Sepolia, NetworkMode::Test, "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238");
        assert_eq!(usdc.unwrap_err().code(), ErrorCode::ForbiddenAddress);
        // Burn rules hold in test mode too.
        assert_eq!(
            test(Bitcoin, &segwit("tb", 0, &[0; 20])).unwrap_err().code(),
            ErrorCode::ForbiddenAddress
        );
        assert_eq!(
            test(Bitcoin, &segwit("tb", 2, &[0x75; 16])).unwrap_err().code(),
            ErrorCode::ForbiddenAddress
        );
    }

    #[test]
    fn test_invoices_carry_their_amount_and_are_checked_against_the_payment() {
        assert_eq!(invoice_amount_msat_in(TESTNET_20M, NetworkMode::Test), Ok(Some(2_000_000_000)));
        assert!(invoice_amount_msat_in(TESTNET_20M, NetworkMode::Live).is_err());
        assert!(invoice_amount_msat_in(COFFEE_2500U, NetworkMode::Test).is_err());
        for prefix in ["lntbs2500u", "lnbcrt2500u", "lntb2500u"] {
            let inv = reprefixed(prefix);
            assert_eq!(invoice_amount_msat_in(&inv, NetworkMode::Test), Ok(Some(250_000_000)), "{prefix}");
            assert_eq!(check_invoice_amount(&inv, Amount::parse("0.0025", 8).unwrap()), Ok(()));
            let err = check_invoice_amount(&inv, Amount::parse("0.003", 8).unwrap()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvoiceAmountMismatch, "{prefix}");
        }
        // An amountless signet invoice, and a malformed amount, under the test prefixes.
        assert_eq!(invoice_amount_msat_in(&reprefixed("lntbs"), NetworkMode::Test), Ok(None));
        let odd = reprefixed("lntb2500x");
        assert_eq!(refusal_in(Lightning, NetworkMode::Test, &odd), ("invalid", "invalid_address"));
        assert!(matches!(
            validate_in(Lightning, NetworkMode::Test, &reprefixed("lnsb2500u")),
            Err(AddressError::Invalid { .. } | AddressError::OtherNetwork { .. })
        ));
        // The refund of a test payment goes to a test address.
        assert_eq!(refund_address_in(Lightning, NetworkMode::Test, REGTEST_V0).as_deref(), Some(REGTEST_V0));
        assert_eq!(refund_address_in(Lightning, NetworkMode::Live, REGTEST_V0), None);
        assert_eq!(
            refund_address_in(Bitcoin, NetworkMode::Test, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            None
        );
    }

    fn refusal_in(network: Network, mode: NetworkMode, address: &str) -> (&'static str, &'static str) {
        let err = validate_in(network, mode, address).expect_err(address);
        let kind = match err {
            AddressError::Invalid { .. } => "invalid",
            AddressError::OtherNetwork { .. } => "other network",
            _ => "other",
        };
        (kind, err.code().as_str())
    }

    #[test]
    fn the_refund_address_is_checked_like_the_payment_address() {
        let tron = "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6";
        assert_eq!(refund_address(Tron, &[" ", tron, "\n"].concat()).as_deref(), Some(tron));
        assert_eq!(refund_address(Tron, "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU7"), None, "checksum");
        assert_eq!(
            refund_address(Tron, "0x52908400098527886E0F7030069857D2E4169EE7"),
            None,
            "another network"
        );
        assert_eq!(refund_address(Tron, ""), None);
        assert_eq!(refund_address(Tron, &"T".repeat(500)), None);
        // A Lightning payment is refunded on-chain: an invoice is no refund address.
        let segwit = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        assert_eq!(refund_address(Lightning, segwit).as_deref(), Some(segwit));
    }
}
