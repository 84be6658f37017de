//! Receiving addresses: full checksum validation per network before the form shows anything
//! as payable, and the canonical text of each address.
//!
//! - Bitcoin: base58check P2PKH/P2SH, and segwit bech32 v0 / bech32m v1+ (BIP173, BIP350);
//! - Litecoin and Dogecoin: their base58check version bytes, and Litecoin's `ltc` HRP;
//! - EVM chains: EIP-55 (all-lowercase and all-uppercase accepted, mixed case must match);
//! - Tron: base58check with the 0x41 prefix; Solana: base58 of exactly 32 bytes;
//! - Lightning: BOLT11 invoices (bech32 checksum, the `lnbc` mainnet prefix, the amount in
//!   the human-readable part). Signatures are not verified: that needs secp256k1.
//!
//! A valid address of another network fails (tb1 on mainnet, an EVM address for tron).

use crate::money::Amount;
use crate::network::{Family, Network};
use bech32::primitives::decode::CheckedHrpstring;
use bech32::Bech32;

/// Why an address cannot be shown as payable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the payment has no address")]
    Empty,
    #[error("address \"{address}\" is not a valid {network} address: {reason}")]
    Invalid { address: String, network: Network, reason: &'static str },
    #[error("the Lightning invoice is for {invoice} BTC but the payment is for {payment} BTC")]
    InvoiceAmount { invoice: String, payment: String },
}

impl AddressError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> &'static str {
        match self {
            AddressError::InvoiceAmount { .. } => "invoice_amount_mismatch",
            _ => "invalid_address",
        }
    }
}

/// Checks `address` for `network` and returns its canonical text (bech32 and BOLT11 in lower
/// case; everything else as given, which is already its only valid form).
pub fn validate(network: Network, address: &str) -> Result<String, AddressError> {
    if address.is_empty() {
        return Err(AddressError::Empty);
    }
    let invalid = |reason| AddressError::Invalid { address: address.to_owned(), network, reason };
    match network.family() {
        Family::Utxo => utxo(network, address).map_err(invalid),
        Family::Lightning => bolt11(address).map(|_| address.to_ascii_lowercase()).map_err(invalid),
        Family::Evm => evm(address).map(|()| address.to_owned()).map_err(invalid),
        Family::Tron => {
            let bytes = base58check(address).map_err(invalid)?;
            match bytes.as_slice() {
                [0x41, rest @ ..] if rest.len() == 20 => Ok(address.to_owned()),
                _ => Err(invalid("not a Tron address (base58check with the 0x41 prefix)")),
            }
        }
        Family::Solana => match bs58::decode(address).into_vec() {
            Ok(bytes) if bytes.len() == 32 => Ok(address.to_owned()),
            Ok(_) => Err(invalid("a Solana address is 32 bytes in base58")),
            Err(_) => Err(invalid("not base58")),
        },
    }
}

/// The amount in the invoice's human-readable part, in millisatoshi (`None`: any amount).
pub fn invoice_amount_msat(invoice: &str) -> Result<Option<u128>, &'static str> {
    bolt11(invoice)
}

/// Checks that a BOLT11 invoice asks for exactly `amount` (BTC, 8 decimals), when it names one.
pub fn check_invoice_amount(invoice: &str, amount: Amount) -> Result<(), AddressError> {
    let Ok(Some(msat)) = invoice_amount_msat(invoice) else { return Ok(()) };
    let payment_msat = amount.atomic().saturating_mul(1000);
    if msat == payment_msat {
        return Ok(());
    }
    let as_btc = |msat: u128| {
        let (whole, frac) = (msat / 100_000_000_000, msat % 100_000_000_000);
        let frac = format!("{frac:011}");
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{frac}")
        }
    };
    Err(AddressError::InvoiceAmount { invoice: as_btc(msat), payment: as_btc(payment_msat) })
}

fn base58check(address: &str) -> Result<Vec<u8>, &'static str> {
    bs58::decode(address).with_check(None).into_vec().map_err(|e| match e {
        bs58::decode::Error::InvalidChecksum { .. } => "the base58check checksum does not match",
        _ => "not base58check",
    })
}

fn utxo(network: Network, address: &str) -> Result<String, &'static str> {
    let (hrp, versions): (Option<&str>, &[u8]) = match network {
        Network::Litecoin => (Some("ltc"), &[0x30, 0x32, 0x05]),
        Network::Dogecoin => (None, &[0x1e, 0x16]),
        _ => (Some("bc"), &[0x00, 0x05]),
    };
    if let Some(hrp) = hrp {
        let lower = address.to_ascii_lowercase();
        if lower.starts_with(hrp) && lower.as_bytes().get(hrp.len()) == Some(&b'1') {
            let (got, _version, _program) =
                bech32::segwit::decode(address).map_err(|_| "not a valid segwit (bech32/bech32m) address")?;
            if got.to_lowercase() != hrp {
                return Err("the address belongs to another network");
            }
            return Ok(lower);
        }
    }
    let bytes = base58check(address)?;
    match bytes.split_first() {
        Some((v, payload)) if versions.contains(v) && payload.len() == 20 => Ok(address.to_owned()),
        Some(_) => Err("the address belongs to another network"),
        None => Err("not base58check"),
    }
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

/// Checks a BOLT11 invoice (mainnet) and reads its amount in millisatoshi.
fn bolt11(invoice: &str) -> Result<Option<u128>, &'static str> {
    let checked =
        CheckedHrpstring::new::<Bech32>(invoice).map_err(|_| "not a BOLT11 invoice (bech32 checksum)")?;
    let hrp = checked.hrp().to_lowercase();
    let amount = hrp.strip_prefix("lnbc").ok_or("not a Lightning invoice for Bitcoin mainnet (lnbc…)")?;
    if amount.starts_with("rt") {
        return Err("a regtest invoice (lnbcrt…), not mainnet");
    }
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
        for a in BIP350_VALID_MAINNET {
            assert_eq!(validate(Bitcoin, a), Ok(a.to_ascii_lowercase()), "{a}");
        }
        for a in BIP350_VALID_TESTNET
            .iter()
            .chain(&BIP350_INVALID)
            .chain(&BIP173_INVALID)
            .chain(&BIP173_V1_NOW_INVALID)
        {
            assert!(validate(Bitcoin, a).is_err(), "{a} must be rejected on mainnet");
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
        // USDT's TRC-20 contract and the USDC mint: published, well-known addresses.
        assert!(validate(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_ok());
        assert!(validate(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u").is_err(), "checksum");
        assert!(validate(Tron, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_err(), "EVM address on tron");
        assert!(validate(Tron, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_err(), "bitcoin base58check");
        assert!(validate(Solana, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v").is_ok());
        assert!(validate(Solana, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_err(), "25 bytes, not 32");
        assert!(validate(Solana, "0OIl").is_err());
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
            assert!(validate(Lightning, inv).is_err(), "{inv}");
        }
        assert!(validate(Lightning, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").is_err());
    }

    #[test]
    fn invoice_amount_must_match_the_payment() {
        assert_eq!(check_invoice_amount(COFFEE_2500U, Amount::parse("0.0025", 8).unwrap()), Ok(()));
        let err = check_invoice_amount(COFFEE_2500U, Amount::parse("0.003", 8).unwrap()).unwrap_err();
        assert_eq!(err.code(), "invoice_amount_mismatch");
        assert_eq!(
            err.to_string(),
            "the Lightning invoice is for 0.0025 BTC but the payment is for 0.003 BTC"
        );
    }
}
