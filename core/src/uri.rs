//! Wallet URIs: the one canonical string per payment that feeds the "open in wallet" link and
//! the QR code.
//!
//! BIP21 for bitcoin, litecoin and dogecoin; EIP-681 for EVM coins and tokens; Solana Pay;
//! `lightning:` for BOLT11; the bare address for Tron, which has no standard URI. Each scheme
//! is the network's own ([`Network::uri_scheme`]). Inside the QR only, bech32 addresses (the
//! network's segwit ones, [`Network::segwit_hrps`], test ones too) and BOLT11 invoices are upper-cased (QR
//! alphanumeric mode makes the code smaller and easier to scan); the scheme stays lowercase.
//! Base58 addresses are case-sensitive and never change case.
//!
//! A Bitcoin payment that can also be paid over Lightning has one unified URI (BIP-321, which
//! replaces BIP-21): the on-chain `bitcoin:` URI with the BOLT11 invoice in a `lightning=`
//! parameter ([`unified_uri`], and [`unified_qr_text`] for its QR code).

use crate::money::Amount;
use crate::network::{Asset, Family, Network};

/// The URI to pay `amount` of `asset` to `address` (already canonical, see `address`).
/// Without a scheme (Tron) it is the bare address.
pub fn payment_uri(asset: &Asset, address: &str, amount: Amount) -> String {
    let network = asset.network;
    let Some(scheme) = network.uri_scheme() else { return address.to_owned() };
    // Joined with `cat!`, not `format!`: no `core::fmt` in the wasm (see `crate::text`).
    match (network.family(), asset.contract) {
        (Family::Utxo, _) => crate::cat!(scheme, ':', address, "?amount=", amount.to_decimal()),
        (Family::Evm, None) => {
            let chain = network.chain_id().unwrap_or(1);
            crate::cat!(scheme, ':', address, '@', chain, "?value=", amount.atomic())
        }
        (Family::Evm, Some(token)) => {
            let chain = network.chain_id().unwrap_or(1);
            crate::cat!(
                scheme,
                ':',
                token,
                '@',
                chain,
                "/transfer?address=",
                address,
                "&uint256=",
                amount.atomic()
            )
        }
        (Family::Solana, Some(mint)) => {
            crate::cat!(scheme, ':', address, "?amount=", amount.to_decimal(), "&spl-token=", mint)
        }
        (Family::Solana, None) => crate::cat!(scheme, ':', address, "?amount=", amount.to_decimal()),
        (Family::Lightning | Family::Tron | Family::Bank, _) => crate::cat!(scheme, ':', address),
    }
}

/// The text to encode in the QR: the URI with a bech32 address or BOLT11 invoice upper-cased.
/// `address` is canonical (`address::validate`), so a segwit address is in lower case.
pub fn qr_text(uri: &str, asset: &Asset, address: &str) -> String {
    let network = asset.network;
    if network == Network::Lightning || is_segwit(network, address) {
        uri.replacen(address, &address.to_ascii_uppercase(), 1)
    } else {
        uri.to_owned()
    }
}

/// Whether a canonical `address` is one of `network`'s segwit (bech32/bech32m) addresses, of
/// either mode: its human-readable part and the `1` separator (`bc1…`, `ltc1…`; `tb1…`,
/// `bcrt1…`, `tltc1…`, `rltc1…`). Base58 addresses never start so (Bitcoin's start with `1`
/// or `3`, its test ones with `m`, `n` or `2`).
fn is_segwit(network: Network, address: &str) -> bool {
    let segwit = |hrp: &&str| address.strip_prefix(*hrp).is_some_and(|rest| rest.starts_with('1'));
    crate::network::NetworkMode::ALL.into_iter().any(|mode| network.segwit_hrps(mode).iter().any(segwit))
}

/// The unified Bitcoin + Lightning URI of BIP-321 (bitcoin/bips, bip-0321.mediawiki):
/// `bitcoin:<address>?amount=<BTC>&lightning=<BOLT11 invoice>`.
///
/// The on-chain part is exactly [`payment_uri`]'s for bitcoin: the amount in decimal BTC
/// ("If an amount is provided, it MUST be specified in decimal BTC"), written by
/// [`Amount::to_decimal`] (a period, no exponent, trailing zeros trimmed: `20.3`, `1`,
/// `0.00012345`), always present, as `payment_uri` writes it. The invoice follows in BIP-321's
/// `lightning` key ("lightning: Lightning BOLT 11 invoices"), so a BIP-21-only wallet still
/// pays on chain and ignores the parameter it does not know. `address` is a canonical bitcoin
/// address and `invoice` a canonical (lower-case) BOLT11 invoice, both checked by
/// `address::validate`; `amount` is in BTC (8 decimals). Neither needs percent-encoding: both
/// are letters and digits only.
pub fn unified_uri(address: &str, amount: Amount, invoice: &str) -> String {
    crate::cat!(UNIFIED_SCHEME, ':', address, "?amount=", amount.to_decimal(), "&lightning=", invoice)
}

/// The bitcoin scheme, lower case as in [`payment_uri`] and [`qr_text`].
const UNIFIED_SCHEME: &str = "bitcoin";

/// The text for the QR code of [`unified_uri`]: the same URI with its bech32 parts upper-cased,
/// so that the encoder (`crate::qr`) can put them in alphanumeric segments.
///
/// The rule, from BIP-321 (bitcoin/bips, bip-0321.mediawiki, "ABNF grammar"): "The scheme
/// component ("bitcoin:") is case-insensitive [...] The query parameter keys are also
/// case-insensitive. Query parameter values and bitcoin address fields may be case-sensitive
/// depending on their content." So only what is case-insensitive by its own content changes:
/// - a segwit address (`bc1…`, bech32/bech32m) is upper-cased: BIP-173 "inside QR codes
///   uppercase SHOULD be used", and decoders accept an all-upper-case string; a base58 address
///   (`1…`, `3…`) is case-sensitive and is kept exactly as given;
/// - the BOLT11 invoice is bech32 too, upper-cased whatever the address;
/// - the scheme and the keys stay lower case, although BIP-321 allows upper case: `?`, `=` and
///   `&` are not in the QR alphanumeric set (0-9 A-Z space $ % * + - . / :), so `amount` and
///   `lightning` sit in short runs that stay in byte mode (runs under 12 characters, see
///   `crate::qr`) and upper case would not make the code one module smaller; and BIP-321's
///   "Backward compatibility" names case-insensitive keys as the one change a BIP-21 wallet
///   may lack: such a wallet would ignore an `AMOUNT=` it does not recognise and pay without
///   the amount. The scheme stays `bitcoin:` as in [`qr_text`], so the on-chain part is the
///   text the single-network QR shows today.
///
/// The amount's digits and `.` have no case.
pub fn unified_qr_text(address: &str, amount: Amount, invoice: &str) -> String {
    let address = match is_segwit(Network::Bitcoin, address) {
        true => std::borrow::Cow::Owned(address.to_ascii_uppercase()),
        false => std::borrow::Cow::Borrowed(address),
    };
    crate::cat!(
        UNIFIED_SCHEME,
        ':',
        address,
        "?amount=",
        amount.to_decimal(),
        "&lightning=",
        invoice.to_ascii_uppercase()
    )
}

/// What [`parse_unified`] reads from a BIP-321 URI. Values are as written (case kept, no
/// percent-decoding): compare bech32 parts case-insensitively.
#[cfg(any(test, not(target_arch = "wasm32")))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unified {
    /// The on-chain address of the URI's body; empty when the URI has none (BIP-321 allows it
    /// when a parameter carries a payment instruction).
    pub address: String,
    /// The `amount` parameter's text, in decimal BTC.
    pub amount: Option<String>,
    /// The first `lightning` parameter's BOLT11 invoice.
    pub lightning: Option<String>,
}

/// Decodes a BIP-321 `bitcoin:` URI (what [`unified_uri`] or [`unified_qr_text`] write, and
/// what a wallet scanning the QR reads) into its address, amount and Lightning invoice. Native
/// only: the form writes these URIs and never reads one; tests decode the QR with it.
///
/// From BIP-321 (bitcoin/bips, bip-0321.mediawiki): the scheme and the query keys are
/// case-insensitive ("ABNF grammar"); the amount is "*digit [ "." *digit ]", in decimal BTC,
/// and "amount=50,000.00 is invalid" (at least one digit is asked here); a URI is `None` when:
/// - a key starting with `req-` is present: "If a client does not implement handling a query
///   parameter which has a key prefixed with req-, it MUST consider the entire URI invalid"
///   (this decoder implements none, `req-pop` included: a wallet that will not open the pop
///   URI "MUST NOT initiate payment");
/// - `amount`, `label`, `message` or `pop` appear twice (its "Invalid URIs": "Amounts must not
///   appear twice", and "Multiple query parameters with the same key MUST NOT be included for
///   keys "label", "message", or "pop"");
/// - a `bc` or `tb` parameter holds an address of another human-readable part ("A testnet
///   segwit addresses must be included in the `tb` parameter, not the `bc` parameter");
/// - the body is empty and no parameter can be a payment instruction (the address "MAY be left
///   empty if there is at least one payment instruction provided in a query parameter"; any
///   key but `amount`, `label`, `message` and `pop` is taken for one);
/// - a `lightning` value is empty.
///
/// Other parameters are ignored ("Any other query parameters which are not implemented, but
/// which are not prefixed with a req-, can be safely ignored"). Payment-instruction keys may
/// repeat; of several `lightning` invoices the first is returned. Neither the address nor the
/// invoice is validated (BIP-321's own examples use "intentionally invalid" ones): that is
/// `address::validate`'s work.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn parse_unified(uri: &str) -> Option<Unified> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case(UNIFIED_SCHEME) {
        return None;
    }
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut out = Unified { address: address.to_owned(), amount: None, lightning: None };
    let (mut labels, mut messages, mut pops, mut instruction) = (0, 0, 0, false);
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "amount" => {
                let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
                let (int, frac) = value.split_once('.').unwrap_or((value, ""));
                let decimal = digits(int) && digits(frac) && value.bytes().any(|b| b.is_ascii_digit());
                if out.amount.is_some() || !decimal {
                    return None;
                }
                out.amount = Some(value.to_owned());
            }
            "label" => labels += 1,
            "message" => messages += 1,
            "pop" => pops += 1,
            _ if key.starts_with("req-") => return None,
            "lightning" if value.is_empty() => return None,
            "lightning" => {
                instruction = true;
                out.lightning.get_or_insert_with(|| value.to_owned());
            }
            "bc" | "tb" => {
                let hrp = value.get(..key.len()).is_some_and(|h| h.eq_ignore_ascii_case(&key));
                if !hrp || !value[key.len()..].starts_with('1') {
                    return None;
                }
                instruction = true;
            }
            _ => instruction = true,
        }
    }
    let valid = labels <= 1 && messages <= 1 && pops <= 1 && (instruction || !address.is_empty());
    valid.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::asset;

    #[test]
    fn bip21_uses_decimal_coins() {
        let btc = asset(Network::Bitcoin, "BTC").unwrap();
        let a = Amount::parse("0.00012", 8).unwrap();
        // BIP173's P2WPKH example, checked by the address module.
        let addr = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        assert!(crate::address::validate(Network::Bitcoin, addr).is_ok());
        let uri = payment_uri(btc, addr, a);
        assert_eq!(uri, "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.00012");
        assert_eq!(
            qr_text(&uri, btc, addr),
            "bitcoin:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?amount=0.00012"
        );
    }

    /// What each UTXO network's real addresses do in the QR: segwit (bech32, case-insensitive)
    /// goes upper-case for the alphanumeric mode; base58check (case-sensitive) never changes.
    /// Every address here passes `address::validate` for its network first.
    #[test]
    fn only_segwit_addresses_change_case_in_the_qr() {
        let hash = [0x75; 20];
        let base58 = |version: u8| bs58::encode([&[version][..], &hash].concat()).with_check().into_string();
        let segwit = |hrp: &str, version: u8, program: &[u8]| {
            let version = bech32::Fe32::try_from(version).unwrap();
            bech32::segwit::encode(bech32::Hrp::parse(hrp).unwrap(), version, program).unwrap()
        };
        let cases = [
            // Bitcoin: P2PKH (the genesis block's), P2SH, segwit v0 (BIP173) and taproot (BIP350).
            (Network::Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".to_owned(), false),
            (Network::Bitcoin, "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX".to_owned(), false),
            (Network::Bitcoin, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".to_owned(), true),
            (Network::Bitcoin, segwit("bc", 1, &[0x75; 32]), true),
            // Litecoin: L (P2PKH), M (P2SH), ltc1 (segwit v0).
            (Network::Litecoin, base58(0x30), false),
            (Network::Litecoin, base58(0x32), false),
            (Network::Litecoin, segwit("ltc", 0, &hash), true),
            // Dogecoin: D (P2PKH) and A/9 (P2SH); it has no segwit, so no bech32 address at all.
            (Network::Dogecoin, base58(0x1e), false),
            (Network::Dogecoin, base58(0x16), false),
        ];
        for (network, address, upper) in cases {
            let address = crate::address::validate(network, &address).unwrap_or_else(|e| panic!("{e}"));
            let asset = crate::network::ASSETS.iter().find(|a| a.network == network).unwrap();
            let uri = payment_uri(asset, &address, Amount::parse("1", 8).unwrap());
            assert_eq!(uri, format!("{}:{address}?amount=1", network.uri_scheme().unwrap()));
            let expected = if upper { address.to_ascii_uppercase() } else { address.clone() };
            assert_eq!(qr_text(&uri, asset, &address), uri.replace(&address, &expected), "{address}");
        }
        assert_eq!(Network::Dogecoin.segwit_hrp(), None);
        for hrp in ["doge", "dc", "bc", "ltc"] {
            let refused = crate::address::validate(Network::Dogecoin, &segwit(hrp, 0, &hash));
            assert!(refused.is_err(), "a {hrp}1 address is no Dogecoin address");
        }
    }

    #[test]
    fn lightning_invoices_are_upper_cased_and_tron_has_no_scheme() {
        let ln = asset(Network::Lightning, "BTC").unwrap();
        // BOLT11's example invoice for 2500u (0.0025 BTC).
        let invoice = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";
        assert!(crate::address::validate(Network::Lightning, invoice).is_ok());
        let uri = payment_uri(ln, invoice, Amount::parse("0.0025", 8).unwrap());
        assert_eq!(uri, format!("lightning:{invoice}"));
        assert_eq!(qr_text(&uri, ln, invoice), format!("lightning:{}", invoice.to_ascii_uppercase()));
        let trx = asset(Network::Tron, "TRX").unwrap();
        let to = "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6";
        assert_eq!(qr_text(&payment_uri(trx, to, Amount::parse("1", 6).unwrap()), trx, to), to);
        assert!(!Network::Tron.has_wallet_link());
    }

    #[test]
    fn test_networks_keep_the_standard_schemes_with_their_own_chain() {
        use crate::network::{asset, NetworkMode::Test};
        let tb1 = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
        let bcrt1 = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
        let btc = asset(Network::Bitcoin, "BTC").unwrap();
        for (a, upper) in [(tb1, true), (bcrt1, true), ("mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP", false)] {
            assert_eq!(crate::address::validate_in(Network::Bitcoin, Test, a).as_deref(), Ok(a));
            let uri = payment_uri(btc, a, Amount::parse("0.5", 8).unwrap());
            assert_eq!(uri, format!("bitcoin:{a}?amount=0.5"));
            // BIP-173: bech32 upper-cased in the QR, whatever the network; base58 never.
            let qr = if upper { a.to_uppercase() } else { a.to_owned() };
            assert_eq!(qr_text(&uri, btc, a), format!("bitcoin:{qr}?amount=0.5"));
        }
        let ltc = asset(Network::Litecoin, "LTC").unwrap();
        let program = [0x75; 20];
        let tltc = bech32::segwit::encode_v0(bech32::Hrp::parse("tltc").unwrap(), &program).unwrap();
        assert_eq!(crate::address::validate_in(Network::Litecoin, Test, &tltc), Ok(tltc.clone()));
        assert_eq!(
            qr_text(&format!("litecoin:{tltc}?amount=1"), ltc, &tltc),
            format!("litecoin:{}?amount=1", tltc.to_uppercase())
        );
        let invoice = "lnbcrt2500u1pvjluez";
        assert_eq!(
            unified_qr_text(tb1, Amount::parse("0.0025", 8).unwrap(), invoice),
            format!("bitcoin:{}?amount=0.0025&lightning={}", tb1.to_uppercase(), invoice.to_uppercase())
        );
        // EIP-681 names the test chain's id; Solana Pay names the devnet mint.
        let eth = asset(Network::Sepolia, "ETH").unwrap();
        let to = "0x52908400098527886E0F7030069857D2E4169EE7";
        assert_eq!(
            payment_uri(eth, to, Amount::parse("0.1", 18).unwrap()),
            format!("ethereum:{to}@11155111?value=100000000000000000")
        );
        let usdc = asset(Network::Sepolia, "USDC").unwrap();
        assert_eq!(
            payment_uri(usdc, to, Amount::parse("25", 6).unwrap()),
            format!("ethereum:0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238@11155111/transfer?address={to}&uint256=25000000")
        );
        let hoodi = asset(Network::Hoodi, "ETH").unwrap();
        assert!(payment_uri(hoodi, to, Amount::parse("1", 18).unwrap()).contains("@560048?"));
        let sol = asset(Network::SolanaDevnet, "USDC").unwrap();
        let wallet = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
        assert_eq!(
            payment_uri(sol, wallet, Amount::parse("1.5", 6).unwrap()),
            format!("solana:{wallet}?amount=1.5&spl-token=4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
        );
        let nile = asset(Network::TronNile, "USDT").unwrap();
        assert_eq!(
            payment_uri(nile, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", Amount::parse("1", 6).unwrap()),
            "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
        );
    }

    #[test]
    fn eip681_uses_atomic_units_and_chain_id() {
        let usdt = asset(Network::Bsc, "USDT").unwrap();
        let to = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        let a = Amount::parse("25.5", 18).unwrap();
        assert_eq!(
            payment_uri(usdt, to, a),
            "ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed&uint256=25500000000000000000"
        );
        let eth = asset(Network::Base, "ETH").unwrap();
        assert_eq!(
            payment_uri(eth, to, Amount::parse("0.01", 18).unwrap()),
            format!("ethereum:{to}@8453?value=10000000000000000")
        );
    }

    #[test]
    fn tron_is_the_bare_address_and_solana_pay_names_the_mint() {
        let usdt = asset(Network::Tron, "USDT").unwrap();
        let to = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
        assert_eq!(payment_uri(usdt, to, Amount::parse("25", 6).unwrap()), to);
        let usdc = asset(Network::Solana, "USDC").unwrap();
        let sol_to = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
        assert_eq!(
            payment_uri(usdc, sol_to, Amount::parse("1.5", 6).unwrap()),
            format!("solana:{sol_to}?amount=1.5&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
        );
    }

    // BIP-321's own examples, verbatim: bitcoin/bips, bip-0321.mediawiki ("Appendix",
    // "Examples": "URIs", "Invalid URIs", "Proof of Payment"), read at bitcoin/bips commit
    // 7fe0b034ec967b52a5a28276419117326df93263. "The addresses used in these examples are
    // intentionally invalid to prevent accidental transactions."
    const SPEC_ADDRESS: &str = "175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W";
    const SPEC_INVOICE: &str = "lnbc420bogusinvoice";
    /// "Request 20.30 BTC to "Luke-Jr"".
    const SPEC_AMOUNT: &str = "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=20.3&label=Luke-Jr";
    /// "Request funds to be paid over lightning to a BOLT 11 invoice with a fallback to
    /// on-chain payments".
    const SPEC_LIGHTNING: &str = "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?lightning=lnbc420bogusinvoice";

    /// Every valid example URI of BIP-321, with the address, amount and invoice it carries.
    const SPEC_VALID: [(&str, &str, Option<&str>, Option<&str>); 19] = [
        ("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W", SPEC_ADDRESS, None, None),
        ("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?label=Luke-Jr", SPEC_ADDRESS, None, None),
        (SPEC_AMOUNT, SPEC_ADDRESS, Some("20.3"), None),
        (
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=50&label=Luke-Jr&message=Donation%20for%20project%20xyz",
            SPEC_ADDRESS,
            Some("50"),
            None,
        ),
        (SPEC_LIGHTNING, SPEC_ADDRESS, None, Some(SPEC_INVOICE)),
        ("bitcoin:?lightning=lnbc420bogusinvoice", "", None, Some(SPEC_INVOICE)),
        ("bitcoin:?lno=lno1bogusoffer", "", None, None),
        ("bitcoin:?lno=lno1bogusoffer&sp=sp1qsilentpayment", "", None, None),
        ("bitcoin:?sp=sp1qsilentpayment", "", None, None),
        ("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?sp=sp1qsilentpayment", SPEC_ADDRESS, None, None),
        (
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?somethingyoudontunderstand=50&somethingelseyoudontget=999",
            SPEC_ADDRESS,
            None,
            None,
        ),
        (
            "bitcoin:?bc=bc1qufgy354j3kmvuch987xe4s40836x3h0lg8f5nq&bc=bc1p5swkugezn97763tl0yty6556856uug0q6jflljvep9m4p7339x5qzyrh4q",
            "",
            None,
            None,
        ),
        (
            "BITCOIN:BC1QUFGY354J3KMVUCH987XE4S40836X3H0LG8F5NQ?BC=BC1P5SWKUGEZN97763TL0YTY6556856UUG0Q6JFLLJVEP9M4P7339X5QZYRH4Q",
            "BC1QUFGY354J3KMVUCH987XE4S40836X3H0LG8F5NQ",
            None,
            None,
        ),
        (
            "BITCOIN:?BC=BC1QUFGY354J3KMVUCH987XE4S40836X3H0LG8F5NQ&BC=BC1P5SWKUGEZN97763TL0YTY6556856UUG0Q6JFLLJVEP9M4P7339X5QZYRH4Q",
            "",
            None,
            None,
        ),
        ("bitcoin:?tb=tb1qghfhmd4zh7ncpmxl3qzhmq566jk8ckq4gafnmq", "", None, None),
        // "Proof of Payment": URIs a wallet pays (a `pop` it may or may not open).
        ("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?pop=initiatingapp%3a", SPEC_ADDRESS, None, None),
        ("bitcoin:?lightning=lnbc420bogusinvoice&pop=callbackuri%3abody%3fpop=", "", None, Some(SPEC_INVOICE)),
        (
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?lightning=lnbc420bogusinvoice&pop=app%3a%3f",
            SPEC_ADDRESS,
            None,
            Some(SPEC_INVOICE),
        ),
        ("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?pop=https%3aiwantyouripaddress.com", SPEC_ADDRESS, None, None),
    ];

    /// BIP-321's invalid examples ("Invalid URIs", the `req-` ones of "URIs", and the
    /// `req-pop` of "Proof of Payment" whose wallet "MUST NOT make a payment").
    const SPEC_INVALID: [&str; 7] = [
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?req-somethingyoudontunderstand=50&req-somethingelseyoudontget=999",
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?label=Luke-Jr&label=Matt",
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=42&amount=10",
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=42&amount=42",
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?pop=callback%3a&req-pop=callback%3a",
        "bitcoin:?bc=tb1qghfhmd4zh7ncpmxl3qzhmq566jk8ckq4gafnmq",
        "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?req-pop=https%3aevilwebsite.com",
    ];

    fn unified(address: &str, amount: Option<&str>, lightning: Option<&str>) -> Unified {
        Unified {
            address: address.to_owned(),
            amount: amount.map(str::to_owned),
            lightning: lightning.map(str::to_owned),
        }
    }

    /// A BTC amount, as the form holds one (8 decimals).
    fn btc(text: &str) -> Amount {
        Amount::parse(text, 8).unwrap()
    }

    /// Whether a value is bech32 by its human-readable part (`bc1`, `tb1`, `lnbc`, `lno1`,
    /// `sp1`), so case-insensitive; the spec's base58 address is not.
    fn is_bech32(value: &str) -> bool {
        let v = value.to_ascii_lowercase();
        ["bc1", "tb1", "lnbc", "lno1", "sp1"].iter().any(|hrp| v.starts_with(hrp))
    }

    /// The all-upper-case form of a URI that QR codes use, as far as BIP-321 allows: scheme
    /// and keys, and bech32 values and address; anything else (a base58 address, a label, a
    /// percent-encoded `pop`) keeps its case.
    fn shout(uri: &str) -> String {
        let up = |v: &str| if is_bech32(v) { v.to_ascii_uppercase() } else { v.to_owned() };
        let (scheme, rest) = uri.split_once(':').unwrap();
        let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
        let params: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => format!("{}={}", k.to_ascii_uppercase(), up(v)),
                None => p.to_ascii_uppercase(),
            })
            .collect();
        let query = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
        format!("{}:{}{query}", scheme.to_ascii_uppercase(), up(address))
    }

    /// (a) BIP-321 has no example with both an amount and an invoice, so ours is checked
    /// against two of its examples: without `amount=20.3&` it is exactly "…with a fallback to
    /// on-chain payments" (`SPEC_LIGHTNING`), and without `&lightning=…` it is exactly
    /// "Request 20.30 BTC to "Luke-Jr"" (`SPEC_AMOUNT`) minus its `&label=Luke-Jr`, which we
    /// never write.
    #[test]
    fn unified_uri_matches_bip321_examples() {
        let ours = unified_uri(SPEC_ADDRESS, btc("20.30"), SPEC_INVOICE);
        assert_eq!(
            ours,
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=20.3&lightning=lnbc420bogusinvoice"
        );
        assert_eq!(ours.replacen("amount=20.3&", "", 1), SPEC_LIGHTNING);
        assert_eq!(
            ours.replacen("&lightning=lnbc420bogusinvoice", "", 1),
            SPEC_AMOUNT.replacen("&label=Luke-Jr", "", 1)
        );
        assert_eq!(parse_unified(&ours), Some(unified(SPEC_ADDRESS, Some("20.3"), Some(SPEC_INVOICE))));
        // A base58 address and an invoice the QR may not upper-case alike.
        assert_eq!(
            unified_qr_text(SPEC_ADDRESS, btc("20.30"), SPEC_INVOICE),
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=20.3&lightning=LNBC420BOGUSINVOICE"
        );
    }

    /// (b) Every valid example decodes to its address, amount and invoice, as written and in
    /// upper case; every invalid one is refused, in both forms too.
    #[test]
    fn parse_unified_decodes_every_bip321_example() {
        for (uri, address, amount, lightning) in SPEC_VALID {
            let expected = unified(address, amount, lightning);
            assert_eq!(parse_unified(uri), Some(expected.clone()), "{uri}");
            let upper = shout(uri);
            let up = |v: &str| if is_bech32(v) { v.to_ascii_uppercase() } else { v.to_owned() };
            let expected = Unified {
                address: up(address),
                lightning: lightning.map(str::to_ascii_uppercase),
                ..expected
            };
            assert_eq!(parse_unified(&upper), Some(expected), "{upper}");
        }
        // The spec's own upper-case examples are among the valid ones, unchanged by `shout`.
        assert_eq!(shout(SPEC_VALID[12].0), SPEC_VALID[12].0);
        assert_eq!(shout(SPEC_VALID[13].0), SPEC_VALID[13].0);
        assert_eq!(
            shout(SPEC_VALID[3].0),
            "BITCOIN:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?AMOUNT=50&LABEL=Luke-Jr&MESSAGE=Donation%20for%20project%20xyz"
        );
        for uri in SPEC_INVALID {
            assert_eq!(parse_unified(uri), None, "{uri}");
            assert_eq!(parse_unified(&shout(uri)), None, "{}", shout(uri));
        }
        // "amount=50,000.00 is invalid"; no payment instruction at all; another scheme.
        for uri in [
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=50,000.00",
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=",
            "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=1e-3",
            "bitcoin:",
            "bitcoin:?amount=1&label=x",
            "bitcoin:?lightning=",
            "litecoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?lightning=lnbc420bogusinvoice",
            "175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W",
        ] {
            assert_eq!(parse_unified(uri), None, "{uri}");
        }
        // "amount=50.00 or amount=50 is treated as 50 BTC": both are amounts (kept as written).
        let fifty = "bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W?amount=50.00";
        assert_eq!(parse_unified(fifty).unwrap().amount.as_deref(), Some("50.00"));
    }

    /// A real segwit address and BOLT11 invoice: BIP-173's P2WPKH example and BOLT11's
    /// "0.0025 BTC" example invoice (the same two the tests above use), both valid.
    const SEGWIT: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    const COFFEE: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    /// Decodes the QR code of `text` (the matrix `crate::qr` draws, quiet zone included) with
    /// an independent decoder, as a wallet's camera would.
    fn scan(text: &str) -> String {
        use crate::qr::{QrMatrix, QUIET_ZONE};
        let m = QrMatrix::encode(text).unwrap();
        let (scale, px) = (3, m.view_size() * 3);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            let (x, y) = (x / scale, y / scale);
            let dark = x >= QUIET_ZONE && y >= QUIET_ZONE && m.is_dark(x - QUIET_ZONE, y - QUIET_ZONE);
            if dark {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code");
        grids[0].decode().unwrap().1
    }

    /// (c) The QR text decodes, through the QR code itself, to the same values: bech32 parts
    /// equal up to case, a base58 address exactly.
    #[test]
    fn unified_qr_text_round_trips_through_the_qr() {
        let p2pkh = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        let p2sh = "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX";
        // A taproot address (BIP-350, bech32m) of a made-up key: BIP-321's are invalid.
        let v1 = bech32::Fe32::try_from(1u8).unwrap();
        let taproot = bech32::segwit::encode(bech32::hrp::BC, v1, &[0x75; 32]).unwrap();
        for address in [SEGWIT, &taproot, p2pkh, p2sh] {
            assert_eq!(crate::address::validate(Network::Bitcoin, address).as_deref(), Ok(address));
            for amount in ["0.0025", "0.00012345", "1", "20.3"] {
                let text = unified_qr_text(address, btc(amount), COFFEE);
                assert_eq!(scan(&text), text);
                let read = parse_unified(&text).unwrap();
                assert!(read.address.eq_ignore_ascii_case(address), "{text}");
                assert_eq!(read.amount.as_deref(), Some(amount));
                assert_eq!(read.lightning.as_deref(), Some(COFFEE.to_ascii_uppercase().as_str()));
                assert_eq!(read.lightning.map(|i| i.to_ascii_lowercase()).as_deref(), Some(COFFEE));
                if address.starts_with("bc1") {
                    assert_eq!(read.address, address.to_ascii_uppercase());
                } else {
                    assert_eq!(read.address, address, "a base58 address keeps its case");
                }
                // The QR text and the link are the same URI up to the case of bech32 parts.
                let link = unified_uri(address, btc(amount), COFFEE);
                assert!(text.eq_ignore_ascii_case(&link));
                assert_eq!(parse_unified(&link), Some(unified(address, Some(amount), Some(COFFEE))));
            }
        }
        assert_eq!(
            unified_qr_text(SEGWIT, btc("0.0025"), COFFEE),
            format!(
                "bitcoin:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?amount=0.0025&lightning={}",
                COFFEE.to_ascii_uppercase()
            )
        );
    }

    /// (d) Amounts are written exactly: every decimal, no trailing zero, no exponent.
    #[test]
    fn unified_amounts_are_exact_decimal_btc() {
        let cases = [
            (btc("0.00012345"), "0.00012345"),
            (btc("1"), "1"),
            (Amount::from_atomic(100_000_000, 8), "1"),
            (Amount::from_atomic(1, 8), "0.00000001"),
            (btc("0.10000000"), "0.1"),
            (btc("20999999.9769"), "20999999.9769"),
        ];
        for (amount, text) in cases {
            let uri = unified_uri(SEGWIT, amount, COFFEE);
            assert_eq!(uri, format!("bitcoin:{SEGWIT}?amount={text}&lightning={COFFEE}"));
            assert!(unified_qr_text(SEGWIT, amount, COFFEE).contains(&format!("?amount={text}&")));
            assert_eq!(parse_unified(&uri).unwrap().amount.as_deref(), Some(text));
        }
    }

    /// Upper-case keys (`AMOUNT=`, `LIGHTNING=`), which BIP-321 allows, would not make the QR
    /// code smaller: `?`, `=` and `&` keep them in byte mode. (Why `unified_qr_text` keeps
    /// them lower case.)
    #[test]
    fn upper_case_keys_would_not_shrink_the_qr() {
        use crate::qr::QrMatrix;
        for address in [SEGWIT, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"] {
            for amount in ["0.00012345", "20999999.9769"] {
                let ours = unified_qr_text(address, btc(amount), COFFEE);
                let keys = ours.replacen("?amount=", "?AMOUNT=", 1).replacen("&lightning=", "&LIGHTNING=", 1);
                assert_eq!(parse_unified(&keys), parse_unified(&ours));
                let width = |t: &str| QrMatrix::encode(t).unwrap().width();
                assert_eq!(width(&keys), width(&ours), "{ours}");
            }
        }
    }

    /// The on-chain part is today's bitcoin URI, character for character.
    #[test]
    fn the_on_chain_part_is_the_bitcoin_payment_uri() {
        let btc_asset = asset(Network::Bitcoin, "BTC").unwrap();
        for atomic in [0, 1, 12_345, 100_000_000, 2_099_999_997_690_000, u128::MAX] {
            let amount = Amount::from_atomic(atomic, 8);
            for address in [SEGWIT, SPEC_ADDRESS] {
                let link = payment_uri(btc_asset, address, amount);
                assert_eq!(unified_uri(address, amount, COFFEE), format!("{link}&lightning={COFFEE}"));
                let qr = qr_text(&link, btc_asset, address);
                assert_eq!(
                    unified_qr_text(address, amount, COFFEE),
                    format!("{qr}&lightning={}", COFFEE.to_ascii_uppercase())
                );
            }
        }
    }

    /// `payment_uri` before `crate::text`: the oracle.
    fn old_payment_uri(asset: &Asset, address: &str, amount: Amount) -> String {
        let network = asset.network;
        let Some(scheme) = network.uri_scheme() else { return address.to_owned() };
        match (network.family(), asset.contract) {
            (Family::Utxo, _) => format!("{scheme}:{address}?amount={amount}"),
            (Family::Evm, None) => {
                let chain = network.chain_id().unwrap_or(1);
                format!("{scheme}:{address}@{chain}?value={}", amount.atomic())
            }
            (Family::Evm, Some(token)) => {
                let chain = network.chain_id().unwrap_or(1);
                format!("{scheme}:{token}@{chain}/transfer?address={address}&uint256={}", amount.atomic())
            }
            (Family::Solana, Some(mint)) => format!("{scheme}:{address}?amount={amount}&spl-token={mint}"),
            (Family::Solana, None) => format!("{scheme}:{address}?amount={amount}"),
            (Family::Lightning | Family::Tron | Family::Bank, _) => format!("{scheme}:{address}"),
        }
    }

    proptest::proptest! {
        #[test]
        fn every_asset_s_uri_is_written_as_before(atomic in proptest::prelude::any::<u128>(), small in 0u128..10_000_000_000) {
            for asset in crate::network::ASSETS {
                for atomic in [atomic, small] {
                    let amount = Amount::from_atomic(atomic, asset.decimals);
                    let address = "addr\u{e9}@?&";
                    proptest::prop_assert_eq!(
                        payment_uri(asset, address, amount),
                        old_payment_uri(asset, address, amount)
                    );
                }
            }
        }
    }
}
