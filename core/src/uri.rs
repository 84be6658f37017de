//! Wallet URIs: the one canonical string per payment that feeds the "open in wallet" link and
//! the QR code.
//!
//! BIP21 for bitcoin, litecoin and dogecoin; EIP-681 for EVM coins and tokens; Solana Pay;
//! `lightning:` for BOLT11; the bare address for Tron, which has no standard URI. Inside the
//! QR only, bech32 addresses and BOLT11 invoices are upper-cased (QR alphanumeric mode makes
//! the code smaller and easier to scan); the scheme stays lowercase.

use crate::money::Amount;
use crate::network::{Asset, Family, Network};

/// The URI to pay `amount` of `asset` to `address` (already canonical, see `address`).
pub fn payment_uri(asset: &Asset, address: &str, amount: Amount) -> String {
    let network = asset.network;
    match (network.family(), asset.contract) {
        (Family::Utxo, _) => {
            let scheme = match network {
                Network::Litecoin => "litecoin",
                Network::Dogecoin => "dogecoin",
                _ => "bitcoin",
            };
            format!("{scheme}:{address}?amount={amount}")
        }
        (Family::Lightning, _) => format!("lightning:{address}"),
        (Family::Evm, None) => {
            let chain = network.chain_id().unwrap_or(1);
            format!("ethereum:{address}@{chain}?value={}", amount.atomic())
        }
        (Family::Evm, Some(token)) => {
            let chain = network.chain_id().unwrap_or(1);
            format!("ethereum:{token}@{chain}/transfer?address={address}&uint256={}", amount.atomic())
        }
        (Family::Solana, None) => format!("solana:{address}?amount={amount}"),
        (Family::Solana, Some(mint)) => {
            format!("solana:{address}?amount={amount}&spl-token={mint}")
        }
        (Family::Tron, _) => address.to_owned(),
    }
}

/// The text to encode in the QR: the URI with a bech32 address or BOLT11 invoice upper-cased.
pub fn qr_text(uri: &str, asset: &Asset, address: &str) -> String {
    let bech32 = match asset.network {
        Network::Lightning => true,
        Network::Bitcoin | Network::Litecoin | Network::Dogecoin => {
            address.starts_with("bc1") || address.starts_with("ltc1") || address.starts_with("doge1")
        }
        _ => false,
    };
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
        let addr = "bc1qw508d6qejxtdg4c3zxkt0jqx6jt8enk7lg83u2x";
        let uri = payment_uri(btc, addr, a);
        assert_eq!(uri, "bitcoin:bc1qw508d6qejxtdg4c3zxkt0jqx6jt8enk7lg83u2x?amount=0.00012");
        assert_eq!(
            qr_text(&uri, btc, addr),
            "bitcoin:BC1QW508D6QEJXTDG4C3ZXKT0JQX6JT8ENK7LG83U2X?amount=0.00012"
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
}
