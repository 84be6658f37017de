//! Fresh, checksum-valid receiving addresses for the simulated payments, one per payment as a
//! real provider would hand out: bech32 (bitcoin, litecoin), base58check (dogecoin, tron),
//! EIP-55 (EVM chains), base58 32-byte keys (solana). Nobody holds the keys: they are for
//! display and tests only.

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Fe32IterExt, Hrp};
use payform_core::money::Amount;
use payform_core::network::{Family, Network};

/// A BOLT #11 example invoice (mainnet, 2500 µBTC), used for every simulated Lightning payment,
/// and the data part of the `lightning` invoice beside a bitcoin address ([`invoice`]).
/// From the "Examples" section of BOLT #11 (lightning/bolts, 11-payment-encoding.md).
/// Its amount is fixed, so simulated Lightning payments must be for [`LIGHTNING_AMOUNT`].
pub const LIGHTNING_AMOUNT: &str = "0.0025";
pub const LIGHTNING_INVOICE: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

/// The amount part of a BOLT11 human-readable part for `amount` (BTC): the shortest exact
/// multiplier among m, u, n, p (1 BTC = 10^3 m = 10^6 u = 10^9 n = 10^12 p), e.g. 0.0025 BTC →
/// `2500u`. None if the amount does not fit.
pub fn bolt11_amount(amount: Amount) -> Option<String> {
    let pico =
        amount.atomic().checked_mul(10u128.checked_pow(12u32.checked_sub(amount.decimals().into())?)?)?;
    [("m", 1_000_000_000u128), ("u", 1_000_000), ("n", 1_000), ("p", 1)]
        .into_iter()
        .find(|(_, unit)| pico % unit == 0)
        .map(|(suffix, unit)| format!("{}{suffix}", pico / unit))
}

/// A BOLT11 invoice for exactly `amount` (BTC, non-zero) under `prefix` (`lnbc` mainnet; a
/// test chain's `lntb`, `lntbs`, `lnbcrt`, see [`TestChain::lightning_prefix`]): the data part
/// of [`LIGHTNING_INVOICE`] (timestamp, tagged fields, signature) under the human-readable part
/// `<prefix><amount>`, with a fresh bech32 checksum. The signature no longer matches (it signs the
/// human-readable part too), so no wallet would pay it; the form checks only the checksum, the
/// prefix, the length and the amount (`fn bolt11` in core/src/address.rs), which is all a
/// simulated invoice needs. None if the amount does not fit.
pub fn invoice(prefix: &str, amount: Amount) -> Option<String> {
    if amount.is_zero() {
        return None;
    }
    let hrp = Hrp::parse(&format!("{prefix}{}", bolt11_amount(amount)?)).ok()?;
    let example =
        CheckedHrpstring::new::<Bech32>(LIGHTNING_INVOICE).expect("the BOLT11 example is valid bech32");
    Some(example.fe32_iter::<std::iter::Empty<u8>>().with_checksum::<Bech32>(&hrp).chars().collect())
}

/// FNV-1a, to seed per-payment values from an id.
pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The id of the `index`-th transaction received by payment `payment` on `network`,
/// deterministic and well-formed for the network: 64 lowercase hex digits (bitcoin, litecoin,
/// dogecoin, tron), `0x` and 64 lowercase hex digits (EVM chains), base58 of a 64-byte
/// signature, 87 or 88 characters (solana). None for Lightning (a payment hash is not a
/// transaction) and the bank rails.
pub fn txid(network: Network, payment: &str, index: usize) -> Option<String> {
    let mut seed = Seed(fnv1a(payment) ^ (index as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let hex = |bytes: [u8; 32]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    match network.family() {
        // A payment hash is not a transaction; a bank transfer has no public id.
        Family::Lightning | Family::Bank => None,
        Family::Utxo | Family::Tron => Some(hex(seed.bytes())),
        Family::Evm => Some(format!("0x{}", hex(seed.bytes()))),
        Family::Solana => {
            let mut signature = seed.bytes::<64>();
            // A non-zero first byte keeps the encoding at 87 or 88 characters.
            signature[0] = signature[0].max(1);
            Some(bs58::encode(signature).into_string())
        }
    }
}

/// A small deterministic generator (splitmix64), seeded per payment.
pub struct Seed(pub u64);

impl Seed {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

fn base58check(version: u8, payload: &[u8; 20]) -> String {
    let mut data = vec![version];
    data.extend_from_slice(payload);
    bs58::encode(data).with_check().into_string()
}

/// EIP-55 mixed-case checksum encoding of a 20-byte address (the form's own encoder).
fn eip55(bytes: &[u8; 20]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{}", payform_core::address::eip55(&hex))
}

fn segwit_v0(hrp: &str, program: &[u8; 20]) -> String {
    let hrp = bech32::Hrp::parse(hrp).expect("static hrp is valid");
    bech32::segwit::encode_v0(hrp, program).expect("a 20-byte v0 program always encodes")
}

/// A new address for `network` (a blockchain: a bank rail's account is made with its rail
/// fields by [`crate::bank::account`], never here; this gives it nothing).
pub fn generate(network: Network, seed: &mut Seed) -> String {
    match (network.family(), network) {
        (_, Network::Bitcoin) => segwit_v0("bc", &seed.bytes()),
        (_, Network::Litecoin) => segwit_v0("ltc", &seed.bytes()),
        (_, Network::Dogecoin) => base58check(0x1e, &seed.bytes()),
        (Family::Lightning, _) => LIGHTNING_INVOICE.to_owned(),
        (Family::Evm, _) => eip55(&seed.bytes()),
        (Family::Tron, _) => base58check(0x41, &seed.bytes()),
        (Family::Solana, _) => bs58::encode(seed.bytes::<32>()).into_string(),
        (Family::Utxo, _) => segwit_v0("bc", &seed.bytes()),
        (Family::Bank, _) => String::new(),
    }
}

/// The test chain of a test payment on bitcoin, lightning, litecoin or dogecoin (`"test"` in
/// `POST /api/payments`): its addresses are the ones a form in test mode shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestChain {
    Testnet,
    Signet,
    Regtest,
}

impl TestChain {
    /// `testnet`, `signet` or `regtest`.
    pub fn parse(text: &str) -> Option<TestChain> {
        match text {
            "testnet" => Some(TestChain::Testnet),
            "signet" => Some(TestChain::Signet),
            "regtest" => Some(TestChain::Regtest),
            _ => None,
        }
    }

    /// Its name in `"test"`.
    pub fn name(self) -> &'static str {
        match self {
            TestChain::Testnet => "testnet",
            TestChain::Signet => "signet",
            TestChain::Regtest => "regtest",
        }
    }

    /// The BOLT11 prefix of its invoices (BOLT #11, "Human-Readable Part").
    pub fn lightning_prefix(self) -> &'static str {
        match self {
            TestChain::Testnet => "lntb",
            TestChain::Signet => "lntbs",
            TestChain::Regtest => "lnbcrt",
        }
    }
}

/// A new test address on `network` of `chain` (`amount` for a Lightning invoice): `tb1…`
/// (testnet and signet share it) or `bcrt1…` on bitcoin, `tltc1…` or `rltc1…` on litecoin,
/// `n…` (version 0x71) on dogecoin's testnet, an `lntb…`/`lntbs…`/`lnbcrt…` invoice for
/// exactly `amount`. None where that chain has no such network (no litecoin or dogecoin
/// signet, no dogecoin regtest prefix the form takes) or the amount does not fit an invoice.
pub fn generate_test(network: Network, chain: TestChain, amount: Amount, seed: &mut Seed) -> Option<String> {
    use TestChain::*;
    match (network, chain) {
        (Network::Bitcoin, Testnet | Signet) => Some(segwit_v0("tb", &seed.bytes())),
        (Network::Bitcoin, Regtest) => Some(segwit_v0("bcrt", &seed.bytes())),
        (Network::Litecoin, Testnet) => Some(segwit_v0("tltc", &seed.bytes())),
        (Network::Litecoin, Regtest) => Some(segwit_v0("rltc", &seed.bytes())),
        (Network::Dogecoin, Testnet) => Some(base58check(0x71, &seed.bytes())),
        (Network::Lightning, _) => invoice(chain.lightning_prefix(), amount),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_gets_an_address_the_form_accepts() {
        let mut seed = Seed(7);
        for n in Network::ALL {
            let a = generate(n, &mut seed);
            assert!(payform_core::address::validate(n, &a).is_ok(), "{n}: {a}");
        }
        assert!(generate(Network::Tron, &mut seed).starts_with('T'));
        assert!(generate(Network::Dogecoin, &mut seed).starts_with('D'));
    }

    #[test]
    fn test_addresses_are_the_ones_a_test_form_accepts_and_a_live_one_refuses() {
        use payform_core::address::{validate, validate_in};
        use payform_core::network::NetworkMode::Test;
        let mut seed = Seed(9);
        let amount = Amount::parse("0.0025", 8).unwrap();
        let cases = [
            (Network::Bitcoin, TestChain::Testnet, "tb1"),
            (Network::Bitcoin, TestChain::Signet, "tb1"),
            (Network::Bitcoin, TestChain::Regtest, "bcrt1"),
            (Network::Litecoin, TestChain::Testnet, "tltc1"),
            (Network::Litecoin, TestChain::Regtest, "rltc1"),
            (Network::Dogecoin, TestChain::Testnet, "n"),
            (Network::Lightning, TestChain::Testnet, "lntb2500u1"),
            (Network::Lightning, TestChain::Signet, "lntbs2500u1"),
            (Network::Lightning, TestChain::Regtest, "lnbcrt2500u1"),
        ];
        for (n, chain, prefix) in cases {
            let a = generate_test(n, chain, amount, &mut seed).unwrap();
            assert!(a.starts_with(prefix), "{n} {chain:?}: {a}");
            assert_eq!(validate_in(n, Test, &a).as_deref(), Ok(a.as_str()), "{n} {chain:?}");
            assert!(validate(n, &a).is_err(), "{n} {chain:?}: refused by a live form");
        }
        let invoice = generate_test(Network::Lightning, TestChain::Regtest, amount, &mut seed).unwrap();
        assert_eq!(payform_core::address::check_invoice_amount(&invoice, amount), Ok(()));
        assert_eq!(generate_test(Network::Litecoin, TestChain::Signet, amount, &mut seed), None);
        assert_eq!(generate_test(Network::Dogecoin, TestChain::Regtest, amount, &mut seed), None);
        assert_eq!(generate_test(Network::Ethereum, TestChain::Testnet, amount, &mut seed), None);
        // The test networks' own addresses are generated as their mainnets' are.
        for n in Network::TEST {
            let a = generate(n, &mut seed);
            assert_eq!(validate_in(n, Test, &a).as_deref(), Ok(a.as_str()), "{n}");
        }
    }
}
