//! Wallet URIs: the one canonical string per payment that feeds the "open in wallet" link and
//! the QR code.
//!
//! BIP21 for bitcoin, litecoin and dogecoin; EIP-681 for EVM coins and tokens; Solana Pay;
//! `lightning:` for BOLT11; the bare address for Tron, which has no standard URI. Each scheme
//! is the network's own ([`Network::uri_scheme`]). Inside the QR only, bech32 addresses (the
//! network's segwit ones, [`Network::segwit_hrp`]) and BOLT11 invoices are upper-cased (QR
//! alphanumeric mode makes the code smaller and easier to scan); the scheme stays lowercase.
//! Base58 addresses are case-sensitive and never change case.

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
        (Family::Lightning | Family::Tron, _) => crate::cat!(scheme, ':', address),
    }
}

/// The text to encode in the QR: the URI with a bech32 address or BOLT11 invoice upper-cased.
/// `address` is canonical (`address::validate`), so a segwit address is in lower case.
pub fn qr_text(uri: &str, asset: &Asset, address: &str) -> String {
    let network = asset.network;
    let segwit = |hrp: &str| address.strip_prefix(hrp).is_some_and(|rest| rest.starts_with('1'));
    let bech32 = network == Network::Lightning || network.segwit_hrp().is_some_and(segwit);
    if bech32 {
        uri.replacen(address, &address.to_ascii_uppercase(), 1)
    } else {
        uri.to_owned()
    }
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
            (Family::Lightning | Family::Tron, _) => format!("{scheme}:{address}"),
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
