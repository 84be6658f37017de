//! The networks and assets Payform can show: per (network, currency) the decimals, the token
//! contract or mint, and the EVM chain id.
//!
//! This table is the single source of truth for "how many decimals does USDT have on BSC"
//! (18) versus on Tron (6): a wrong answer here would show a wrong payable amount.

use std::fmt;

/// A payment network of the contract's first set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    Bitcoin,
    Lightning,
    Litecoin,
    Dogecoin,
    Ethereum,
    Bsc,
    Polygon,
    Arbitrum,
    Base,
    Tron,
    Solana,
}

/// The address family a network uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Bitcoin-like UTXO chains (base58check + bech32).
    Utxo,
    /// BOLT11 invoices.
    Lightning,
    /// EVM chains (EIP-55 hex addresses).
    Evm,
    Tron,
    Solana,
}

/// One asset on one network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    pub network: Network,
    /// Ticker as the contract spells it (`BTC`, `USDT`, …).
    pub currency: &'static str,
    pub decimals: u8,
    /// Token contract (EVM, Tron) or mint (Solana); `None` for the native coin.
    pub contract: Option<&'static str>,
}

/// Why a (network, currency) pair cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("unknown network \"{0}\"; supported: bitcoin, lightning, litecoin, dogecoin, ethereum, bsc, polygon, arbitrum, base, tron, solana")]
    UnknownNetwork(String),
    #[error("{currency} is not supported on {network}; supported there: {supported}")]
    UnknownAsset { currency: String, network: Network, supported: String },
}

impl NetworkError {
    pub fn code(&self) -> &'static str {
        match self {
            NetworkError::UnknownNetwork(_) => "unsupported_network",
            NetworkError::UnknownAsset { .. } => "unsupported_currency",
        }
    }
}

const fn coin(network: Network, currency: &'static str, decimals: u8) -> Asset {
    Asset { network, currency, decimals, contract: None }
}

const fn token(network: Network, currency: &'static str, decimals: u8, contract: &'static str) -> Asset {
    Asset { network, currency, decimals, contract: Some(contract) }
}

use Network::*;

/// Every supported asset. Contract addresses are the issuers' canonical deployments.
pub const ASSETS: &[Asset] = &[
    coin(Bitcoin, "BTC", 8),
    coin(Lightning, "BTC", 8),
    coin(Litecoin, "LTC", 8),
    coin(Dogecoin, "DOGE", 8),
    coin(Ethereum, "ETH", 18),
    token(Ethereum, "USDT", 6, "0xdAC17F958D2ee523a2206206994597C13D831ec7"),
    token(Ethereum, "USDC", 6, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
    coin(Bsc, "BNB", 18),
    token(Bsc, "USDT", 18, "0x55d398326f99059fF775485246999027B3197955"),
    token(Bsc, "USDC", 18, "0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d"),
    coin(Polygon, "POL", 18),
    token(Polygon, "USDT", 6, "0xc2132D05D31c914a87C6611C10748AEb04B58e8F"),
    token(Polygon, "USDC", 6, "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359"),
    coin(Arbitrum, "ETH", 18),
    token(Arbitrum, "USDT", 6, "0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9"),
    token(Arbitrum, "USDC", 6, "0xaf88d065e77c8cC2239327C5EDb3A432268e5831"),
    coin(Base, "ETH", 18),
    token(Base, "USDC", 6, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"),
    coin(Tron, "TRX", 6),
    token(Tron, "USDT", 6, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
    token(Tron, "USDC", 6, "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"),
    coin(Solana, "SOL", 9),
    token(Solana, "USDT", 6, "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB"),
    token(Solana, "USDC", 6, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"),
];

impl Network {
    pub const ALL: [Network; 11] =
        [Bitcoin, Lightning, Litecoin, Dogecoin, Ethereum, Bsc, Polygon, Arbitrum, Base, Tron, Solana];

    /// Parses the contract's lowercase network id.
    pub fn parse(id: &str) -> Result<Network, NetworkError> {
        Network::ALL
            .into_iter()
            .find(|n| n.id() == id)
            .ok_or_else(|| NetworkError::UnknownNetwork(id.to_owned()))
    }

    /// The contract's id (`"bitcoin"`, `"bsc"`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Bitcoin => "bitcoin",
            Lightning => "lightning",
            Litecoin => "litecoin",
            Dogecoin => "dogecoin",
            Ethereum => "ethereum",
            Bsc => "bsc",
            Polygon => "polygon",
            Arbitrum => "arbitrum",
            Base => "base",
            Tron => "tron",
            Solana => "solana",
        }
    }

    /// The name a shopper recognises, with the token standard where it matters.
    pub const fn display_name(self) -> &'static str {
        match self {
            Bitcoin => "Bitcoin",
            Lightning => "Lightning",
            Litecoin => "Litecoin",
            Dogecoin => "Dogecoin",
            Ethereum => "Ethereum (ERC-20)",
            Bsc => "BNB Smart Chain (BEP-20)",
            Polygon => "Polygon",
            Arbitrum => "Arbitrum One",
            Base => "Base",
            Tron => "Tron (TRC-20)",
            Solana => "Solana",
        }
    }

    pub const fn family(self) -> Family {
        match self {
            Bitcoin | Litecoin | Dogecoin => Family::Utxo,
            Lightning => Family::Lightning,
            Ethereum | Bsc | Polygon | Arbitrum | Base => Family::Evm,
            Tron => Family::Tron,
            Solana => Family::Solana,
        }
    }

    /// The EIP-155 chain id of EVM networks.
    pub const fn chain_id(self) -> Option<u64> {
        match self {
            Ethereum => Some(1),
            Bsc => Some(56),
            Polygon => Some(137),
            Arbitrum => Some(42161),
            Base => Some(8453),
            _ => None,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Looks up `currency` (case-insensitive ticker) on `network`.
pub fn asset(network: Network, currency: &str) -> Result<&'static Asset, NetworkError> {
    let on_network = || ASSETS.iter().filter(move |a| a.network == network);
    on_network().find(|a| a.currency.eq_ignore_ascii_case(currency)).ok_or_else(|| {
        NetworkError::UnknownAsset {
            currency: currency.to_owned(),
            network,
            supported: on_network().map(|a| a.currency).collect::<Vec<_>>().join(", "),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usdt_decimals_differ_by_network() {
        assert_eq!(asset(Ethereum, "USDT").unwrap().decimals, 6);
        assert_eq!(asset(Tron, "usdt").unwrap().decimals, 6);
        assert_eq!(asset(Bsc, "USDT").unwrap().decimals, 18);
        assert_eq!(asset(Bitcoin, "BTC").unwrap().decimals, 8);
        assert_eq!(asset(Solana, "SOL").unwrap().decimals, 9);
    }

    #[test]
    fn every_network_round_trips_its_id_and_has_a_native_coin() {
        for n in Network::ALL {
            assert_eq!(Network::parse(n.id()), Ok(n));
            assert!(ASSETS.iter().any(|a| a.network == n && a.contract.is_none()), "{n}");
            assert_eq!(n.chain_id().is_some(), n.family() == Family::Evm);
        }
    }

    #[test]
    fn unknown_network_and_asset_are_clear_errors() {
        assert_eq!(Network::parse("ripple"), Err(NetworkError::UnknownNetwork("ripple".into())));
        let err = asset(Bitcoin, "USDT").unwrap_err();
        assert_eq!(err.code(), "unsupported_currency");
        assert_eq!(err.to_string(), "USDT is not supported on bitcoin; supported there: BTC");
    }
}
