//! The networks and assets Payform can show: per (network, currency) the decimals, the token
//! contract or mint, and the EVM chain id.
//!
//! This table is the single source of truth for "how many decimals does USDT have on BSC"
//! (18) versus on Tron (6): a wrong answer here would show a wrong payable amount.

use crate::error::ErrorCode;
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
    /// SEPA credit transfer by EPC QR code (rail `sepa_epc`): an IBAN, euros.
    Sepa,
    /// Swiss QR-bill (rail `swiss_qr`): a Swiss or Liechtenstein IBAN or QR-IBAN, CHF or EUR.
    SwissQr,
    /// Brazil's Pix (rail `pix`): a Pix key or a BR Code, reais.
    Pix,
    /// Singapore's PayNow (rail `emv_mpm`): a mobile number or UEN, or an SGQR payload.
    PayNow,
    /// Thailand's PromptPay (rail `emv_mpm`): a mobile number, national or e-wallet ID, or a payload.
    PromptPay,
    /// Malaysia's DuitNow QR (rail `emv_mpm`): the acquirer's payload.
    DuitNow,
    /// India's UPI (rail `upi`): a UPI ID (VPA), rupees.
    Upi,
    /// Ethereum's Sepolia testnet (chain id 11155111): test mode only.
    Sepolia,
    /// Ethereum's Holešky testnet (chain id 17000), sunset in 2025: test mode only.
    Holesky,
    /// Ethereum's Hoodi testnet (chain id 560048), Holešky's successor: test mode only.
    Hoodi,
    /// Tron's Nile testnet: test mode only.
    TronNile,
    /// Solana's devnet cluster: test mode only.
    SolanaDevnet,
}

/// Which payments a form may show ([`crate::options`]'s `network-mode`): real ones (`live`, the
/// default) or test ones (`test`): the test networks ([`Network::TEST`]) and, on `bitcoin`,
/// `lightning`, `litecoin` and `dogecoin`, testnet, signet and regtest addresses and invoices.
/// Never guessed from a payment: a form in one mode refuses every payment of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NetworkMode {
    #[default]
    Live,
    Test,
}

impl NetworkMode {
    /// Both modes, in the order of the documentation.
    pub const ALL: [NetworkMode; 2] = [NetworkMode::Live, NetworkMode::Test];

    /// The option's text.
    pub const fn as_str(self) -> &'static str {
        match self {
            NetworkMode::Live => "live",
            NetworkMode::Test => "test",
        }
    }

    /// `live` or `test` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<NetworkMode> {
        let text = text.trim();
        NetworkMode::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether this is test mode.
    pub const fn is_test(self) -> bool {
        matches!(self, NetworkMode::Test)
    }
}

/// How a payment is made: on a blockchain, or by one of the bank-QR rails (each rail's
/// payload is built by [`crate::bank`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rail {
    Crypto,
    SepaEpc,
    SwissQr,
    Pix,
    /// EMVCo merchant-presented QR, with the network's scheme (PayNow, PromptPay, DuitNow).
    EmvMpm,
    Upi,
}

impl Rail {
    pub const ALL: [Rail; 6] =
        [Rail::Crypto, Rail::SepaEpc, Rail::SwissQr, Rail::Pix, Rail::EmvMpm, Rail::Upi];

    /// The contract's id (`"crypto"`, `"sepa_epc"`, …): the payment's `rail` field.
    pub const fn id(self) -> &'static str {
        match self {
            Rail::Crypto => "crypto",
            Rail::SepaEpc => "sepa_epc",
            Rail::SwissQr => "swiss_qr",
            Rail::Pix => "pix",
            Rail::EmvMpm => "emv_mpm",
            Rail::Upi => "upi",
        }
    }

    pub fn parse(id: &str) -> Option<Rail> {
        Rail::ALL.into_iter().find(|r| r.id() == id)
    }
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
    /// A bank rail: the "address" is an account (IBAN, Pix key, UPI ID, proxy) or a payload.
    Bank,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkError {
    UnknownNetwork(String),
    UnknownAsset {
        currency: String,
        network: Network,
        supported: String,
    },
    /// A test network in a live form.
    TestNetwork(Network),
    /// A network with real funds (or a bank rail) in a test form.
    LiveNetwork(Network),
}

// The messages are built with `cat!` and `Display` only writes them: `thiserror`'s
// `#[error("… {0}")]` expands to `write!`, which would put `core::fmt` in the wasm
// (see `crate::text`).
impl NetworkError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            NetworkError::UnknownNetwork(name) => crate::cat!(
                "unknown network \"",
                name,
                "\"; supported: bitcoin, lightning, litecoin, dogecoin, ethereum, bsc, polygon, arbitrum, \
                 base, tron, solana, sepa_epc, swiss_qr, pix, paynow, promptpay, duitnow, upi; \
                 with network-mode=\"test\": sepolia, holesky, hoodi, tron_nile, solana_devnet"
            ),
            NetworkError::TestNetwork(network) => crate::cat!(
                "network \"",
                network.id(),
                "\" is a test network (",
                network.display_name(),
                "): set network-mode=\"test\" to show test payments"
            ),
            NetworkError::LiveNetwork(network) => crate::cat!(
                "network \"",
                network.id(),
                "\" moves real funds; test mode shows only test networks: ",
                TEST_NETWORKS_TEXT
            ),
            NetworkError::UnknownAsset { currency, network, supported } => {
                crate::cat!(currency, " is not supported on ", network.id(), "; supported there: ", supported)
            }
        }
    }
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for NetworkError {}

impl NetworkError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> ErrorCode {
        match self {
            NetworkError::UnknownNetwork(_) | NetworkError::TestNetwork(_) | NetworkError::LiveNetwork(_) => {
                ErrorCode::UnsupportedNetwork
            }
            NetworkError::UnknownAsset { .. } => ErrorCode::UnsupportedCurrency,
        }
    }

    /// The network the error is about, when it is a known one (for the shopper's sentence).
    pub fn network(&self) -> Option<Network> {
        match self {
            NetworkError::UnknownNetwork(_) => None,
            NetworkError::UnknownAsset { network, .. }
            | NetworkError::TestNetwork(network)
            | NetworkError::LiveNetwork(network) => Some(*network),
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
    // The bank rails' currencies, in the schemes' minor units (two decimals each).
    coin(Sepa, "EUR", 2),
    coin(SwissQr, "CHF", 2),
    coin(SwissQr, "EUR", 2),
    coin(Pix, "BRL", 2),
    coin(PayNow, "SGD", 2),
    coin(PromptPay, "THB", 2),
    coin(DuitNow, "MYR", 2),
    coin(Upi, "INR", 2),
    token(Solana, "USDT", 6, "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB"),
    token(Solana, "USDC", 6, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"),
    // The test networks (test mode only): their native coins, and the issuers' test tokens.
    coin(Sepolia, "ETH", 18),
    // Circle, "USDC contract addresses", testnet (developers.circle.com/stablecoins/usdc-contract-addresses).
    token(Sepolia, "USDC", 6, "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"),
    coin(Holesky, "ETH", 18),
    coin(Hoodi, "ETH", 18),
    coin(TronNile, "TRX", 6),
    // Tether's USDT on Nile (nileex.io; nile.tronscan.org token page).
    token(TronNile, "USDT", 6, "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf"),
    coin(SolanaDevnet, "SOL", 9),
    // Circle, "USDC contract addresses", testnet (Solana Devnet mint).
    token(SolanaDevnet, "USDC", 6, "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"),
];

/// What an entry of [`UNPAYABLE`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpayable {
    /// A token contract, token mint or on-chain program: a payment sent there does not reach
    /// the merchant (a token sent to its own contract is lost).
    Contract,
    /// A burn address: nobody holds its key.
    Burn,
}

/// An address that no shopper may pay, on the network where it is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownAddress {
    pub network: Network,
    pub address: &'static str,
    /// Completes "… is ": "the USDT token contract".
    pub what: &'static str,
    pub kind: Unpayable,
}

const fn contract(network: Network, address: &'static str, what: &'static str) -> KnownAddress {
    KnownAddress { network, address, what, kind: Unpayable::Contract }
}

const fn burn(network: Network, address: &'static str, what: &'static str) -> KnownAddress {
    KnownAddress { network, address, what, kind: Unpayable::Burn }
}

/// The one table of known addresses that `address::validate` refuses as a payee: every token
/// contract and mint of [`ASSETS`] (a test keeps them in step), the wrapped native coins and
/// the bridged stablecoins a merchant might paste instead, the Solana programs, and named burn
/// addresses. EVM entries are refused on every EVM network (the same address on another chain
/// is no one's wallet either). All-zero and reserved low addresses are refused by rule in
/// `address`, not listed here.
pub const UNPAYABLE: &[KnownAddress] = &[
    // Tether, "Supported protocols" (tether.to/en/supported-protocols); the etherscan.io token page.
    contract(Ethereum, "0xdAC17F958D2ee523a2206206994597C13D831ec7", "the USDT token contract"),
    // Circle, "USDC contract addresses" (developers.circle.com/stablecoins/usdc-contract-addresses).
    contract(Ethereum, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "the USDC token contract"),
    // WETH9, the etherscan.io token page ("Wrapped Ether").
    contract(Ethereum, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "the WETH (wrapped ETH) token contract"),
    // Maker/Sky chainlog, MCD_DAI (chainlog.sky.money); the etherscan.io token page.
    contract(Ethereum, "0x6B175474E89094C44Da98b954EedeAC495271d0F", "the DAI token contract"),
    // Etherscan label "Null: 0x000…dEaD": the customary EVM burn address, on every EVM chain.
    burn(Ethereum, "0x000000000000000000000000000000000000dEaD", "the 0x…dEaD burn address"),
    // Binance-Peg BSC-USD, the bscscan.com token page.
    contract(Bsc, "0x55d398326f99059fF775485246999027B3197955", "the USDT (BSC-USD) token contract"),
    // Binance-Peg USD Coin, the bscscan.com token page.
    contract(Bsc, "0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d", "the USDC token contract"),
    // Wrapped BNB, the bscscan.com token page.
    contract(Bsc, "0xbb4CdB9CBd36B01bD1cBaEBF2De08d9173bc095c", "the WBNB (wrapped BNB) token contract"),
    // Tether, "Supported protocols"; the polygonscan.com token page.
    contract(Polygon, "0xc2132D05D31c914a87C6611C10748AEb04B58e8F", "the USDT token contract"),
    // Circle, "USDC contract addresses" (native USDC on Polygon PoS).
    contract(Polygon, "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", "the USDC token contract"),
    // Bridged USDC.e, the polygonscan.com token page.
    contract(Polygon, "0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174", "the bridged USDC.e token contract"),
    // Wrapped POL (formerly WMATIC), the polygonscan.com token page.
    contract(Polygon, "0x0d500B1d8E8eF31E21C99d1Db9A6444d3ADf1270", "the WPOL (wrapped POL) token contract"),
    // Tether, "Supported protocols" (USD₮0); the arbiscan.io token page.
    contract(Arbitrum, "0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9", "the USDT token contract"),
    // Circle, "USDC contract addresses" (native USDC on Arbitrum One).
    contract(Arbitrum, "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", "the USDC token contract"),
    // Arbitrum docs, "USDC on Arbitrum One" (bridged USDC.e); the arbiscan.io token page.
    contract(Arbitrum, "0xFF970A61A04b1cA14834A43f5dE4533eBDDB5CC8", "the bridged USDC.e token contract"),
    // Wrapped Ether on Arbitrum One, the arbiscan.io token page.
    contract(Arbitrum, "0x82aF49447D8a07e3bd95BD0d56f35241523fBab1", "the WETH (wrapped ETH) token contract"),
    // Circle, "USDC contract addresses" (native USDC on Base).
    contract(Base, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "the USDC token contract"),
    // Bridged USD Base Coin (USDbC), the basescan.org token page.
    contract(Base, "0xd9aAEc86B65D86f6A7B5B1b0c42FFA531710b6CA", "the bridged USDbC token contract"),
    // OP Stack predeploy WETH9 (docs.optimism.io, "Predeploys"; Base docs, "Contract addresses").
    contract(Base, "0x4200000000000000000000000000000000000006", "the WETH (wrapped ETH) token contract"),
    // Tether, "Supported protocols"; the tronscan.org token page.
    contract(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "the USDT token contract"),
    // Circle's TRC-20 USDC (issuance ended 2024); the tronscan.org token page.
    contract(Tron, "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", "the USDC token contract"),
    // Wrapped TRX, the tronscan.org token page.
    contract(Tron, "TNUC9Qb1rRpS5CbWLmNMxXBjyFoydXjWFR", "the WTRX (wrapped TRX) token contract"),
    // Tether, "Supported protocols"; the solscan.io token page.
    contract(Solana, "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", "the USDT mint"),
    // Circle, "USDC contract addresses" (Solana mint).
    contract(Solana, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "the USDC mint"),
    // SPL Token's native mint (spl-token `native_mint::id()`).
    contract(Solana, "So11111111111111111111111111111111111111112", "the wrapped SOL mint"),
    // Solana SDK `system_program::id()`: the all-zero key.
    contract(Solana, "11111111111111111111111111111111", "the System Program"),
    // SPL docs (spl.solana.com/token): the Token program id.
    contract(Solana, "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "the SPL Token program"),
    // SPL docs (spl.solana.com/token-2022): the Token-2022 program id.
    contract(Solana, "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb", "the SPL Token-2022 program"),
    // SPL docs (spl.solana.com/associated-token-account): the Associated Token Account program id.
    contract(Solana, "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL", "the Associated Token Account program"),
    // Solana SDK `incinerator::id()`: lamports credited to it are burned at the end of the block.
    burn(Solana, "1nc1nerator11111111111111111111111111111111", "the Solana incinerator"),
    // The "Bitcoin Eater" burn address: a readable string with a valid checksum, so its hash
    // was chosen by hand and no known key hashes to it.
    burn(Bitcoin, "1BitcoinEaterAddressDontSendf59kuE", "the \"Bitcoin Eater\" burn address"),
    // The test tokens of [`ASSETS`] (same sources as there).
    contract(Sepolia, "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", "the test USDC token contract"),
    contract(TronNile, "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf", "the test USDT token contract"),
    contract(SolanaDevnet, "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "the test USDC mint"),
];

/// The test networks and the chains with test addresses, for messages.
const TEST_NETWORKS_TEXT: &str = "sepolia, holesky, hoodi, tron_nile, solana_devnet, and testnet, signet or \
                                  regtest addresses on bitcoin, lightning, litecoin and dogecoin";

/// The entry of [`UNPAYABLE`] that `address` (already validated for `network`) is, if any:
/// EVM addresses compare case-insensitively and against every EVM network's entries (the
/// payment network's own first); the others compare exactly, on their own network.
pub fn unpayable(network: Network, address: &str) -> Option<&'static KnownAddress> {
    let evm = network.family() == Family::Evm;
    let matches = |k: &&KnownAddress| {
        if evm {
            k.network.family() == Family::Evm && k.address.eq_ignore_ascii_case(address)
        } else {
            k.network == network && k.address == address
        }
    };
    let mut found = UNPAYABLE.iter().filter(matches);
    let first = found.next()?;
    Some(if first.network == network { first } else { found.find(|k| k.network == network).unwrap_or(first) })
}

impl Network {
    /// The blockchains.
    pub const ALL: [Network; 11] =
        [Bitcoin, Lightning, Litecoin, Dogecoin, Ethereum, Bsc, Polygon, Arbitrum, Base, Tron, Solana];

    /// The bank-QR rails' networks.
    pub const BANK: [Network; 7] = [Sepa, SwissQr, Pix, PayNow, PromptPay, DuitNow, Upi];

    /// The test networks: shown only by a form in test mode ([`NetworkMode::Test`]).
    pub const TEST: [Network; 5] = [Sepolia, Holesky, Hoodi, TronNile, SolanaDevnet];

    /// Parses the contract's lowercase network id.
    pub fn parse(id: &str) -> Result<Network, NetworkError> {
        Network::ALL
            .into_iter()
            .chain(Network::BANK)
            .chain(Network::TEST)
            .find(|n| n.id() == id)
            .ok_or_else(|| NetworkError::UnknownNetwork(id.to_owned()))
    }

    /// Whether this network exists only for testing ([`Network::TEST`]).
    pub const fn is_test(self) -> bool {
        matches!(self, Sepolia | Holesky | Hoodi | TronNile | SolanaDevnet)
    }

    /// Whether a form in `mode` may show a payment on this network: in live mode every network
    /// but the test ones; in test mode the test networks, and the chains whose addresses say
    /// their chain (`bitcoin`, `lightning`, `litecoin`, `dogecoin`: their testnet, signet and
    /// regtest addresses, checked by `address`). Never a bank rail in test mode: its accounts
    /// are real.
    pub fn check_mode(self, mode: NetworkMode) -> Result<(), NetworkError> {
        let test_addresses = matches!(self.family(), Family::Utxo | Family::Lightning);
        match mode {
            NetworkMode::Live if self.is_test() => Err(NetworkError::TestNetwork(self)),
            NetworkMode::Test if !self.is_test() && !test_addresses => Err(NetworkError::LiveNetwork(self)),
            _ => Ok(()),
        }
    }

    /// The rail a payment on this network is made by.
    pub const fn rail(self) -> Rail {
        match self {
            Sepa => Rail::SepaEpc,
            SwissQr => Rail::SwissQr,
            Pix => Rail::Pix,
            PayNow | PromptPay | DuitNow => Rail::EmvMpm,
            Upi => Rail::Upi,
            _ => Rail::Crypto,
        }
    }

    /// Whether this is a bank rail (not a blockchain).
    pub const fn is_bank(self) -> bool {
        !matches!(self.rail(), Rail::Crypto)
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
            Sepa => "sepa_epc",
            SwissQr => "swiss_qr",
            Pix => "pix",
            PayNow => "paynow",
            PromptPay => "promptpay",
            DuitNow => "duitnow",
            Upi => "upi",
            Sepolia => "sepolia",
            Holesky => "holesky",
            Hoodi => "hoodi",
            TronNile => "tron_nile",
            SolanaDevnet => "solana_devnet",
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
            Sepa => "SEPA",
            SwissQr => "Swiss QR",
            Pix => "Pix",
            PayNow => "PayNow",
            PromptPay => "PromptPay",
            DuitNow => "DuitNow",
            Upi => "UPI",
            Sepolia => "Sepolia testnet",
            Holesky => "Holešky testnet",
            Hoodi => "Hoodi testnet",
            TronNile => "Tron Nile testnet",
            SolanaDevnet => "Solana devnet",
        }
    }

    pub const fn family(self) -> Family {
        match self {
            Bitcoin | Litecoin | Dogecoin => Family::Utxo,
            Lightning => Family::Lightning,
            Ethereum | Bsc | Polygon | Arbitrum | Base | Sepolia | Holesky | Hoodi => Family::Evm,
            Tron | TronNile => Family::Tron,
            Solana | SolanaDevnet => Family::Solana,
            Sepa | SwissQr | Pix | PayNow | PromptPay | DuitNow | Upi => Family::Bank,
        }
    }

    /// The public block explorer the receipt links a transaction to: its name and the URL
    /// the transaction id is appended to. `None` for Lightning (a payment is not public).
    pub const fn explorer(self) -> Option<(&'static str, &'static str)> {
        match self {
            Bitcoin => Some(("mempool.space", "https://mempool.space/tx/")),
            Lightning => None,
            Litecoin => Some(("litecoinspace.org", "https://litecoinspace.org/tx/")),
            Dogecoin => Some(("blockchair.com", "https://blockchair.com/dogecoin/transaction/")),
            Ethereum => Some(("etherscan.io", "https://etherscan.io/tx/")),
            Bsc => Some(("bscscan.com", "https://bscscan.com/tx/")),
            Polygon => Some(("polygonscan.com", "https://polygonscan.com/tx/")),
            Arbitrum => Some(("arbiscan.io", "https://arbiscan.io/tx/")),
            Base => Some(("basescan.org", "https://basescan.org/tx/")),
            Tron => Some(("tronscan.org", "https://tronscan.org/#/transaction/")),
            Solana => Some(("solscan.io", "https://solscan.io/tx/")),
            Sepolia => Some(("sepolia.etherscan.io", "https://sepolia.etherscan.io/tx/")),
            Holesky => Some(("holesky.etherscan.io", "https://holesky.etherscan.io/tx/")),
            Hoodi => Some(("hoodi.etherscan.io", "https://hoodi.etherscan.io/tx/")),
            TronNile => Some(("nile.tronscan.org", "https://nile.tronscan.org/#/transaction/")),
            // The explorers name the devnet cluster in a query after the id, which this
            // prefix-only link cannot carry.
            SolanaDevnet => None,
            Sepa | SwissQr | Pix | PayNow | PromptPay | DuitNow | Upi => None,
        }
    }

    /// The scheme of the network's wallet URI (`bitcoin:`, `ethereum:`, …), or `None` when it
    /// has no standard one (Tron): the form then offers no "open in wallet" link, and the QR
    /// holds the bare address.
    pub const fn uri_scheme(self) -> Option<&'static str> {
        match self {
            Bitcoin => Some("bitcoin"),
            Lightning => Some("lightning"),
            Litecoin => Some("litecoin"),
            Dogecoin => Some("dogecoin"),
            Ethereum | Bsc | Polygon | Arbitrum | Base | Sepolia | Holesky | Hoodi => Some("ethereum"),
            Tron | TronNile => None,
            Solana | SolanaDevnet => Some("solana"),
            // The bank rails' codes are read by banking apps, not opened as links (UPI's
            // `upi://pay` link is the bank view's own).
            Sepa | SwissQr | Pix | PayNow | PromptPay | DuitNow | Upi => None,
        }
    }

    /// Whether the wallet URI is a link a wallet app opens ("open in wallet").
    pub const fn has_wallet_link(self) -> bool {
        self.uri_scheme().is_some()
    }

    /// The human-readable part of the network's segwit (bech32) addresses, `bc` for
    /// `bc1…`, `ltc` for `ltc1…`; `None` where there are none: Dogecoin never activated
    /// segwit, so its addresses are base58check only (`D…`, `A…`/`9…`).
    pub const fn segwit_hrp(self) -> Option<&'static str> {
        match self {
            Bitcoin => Some("bc"),
            Litecoin => Some("ltc"),
            _ => None,
        }
    }

    /// The human-readable parts of the network's segwit addresses in `mode`: in test mode the
    /// testnet (and signet) and regtest ones: `tb` and `bcrt` (BIP-173, "Segwit address
    /// format"; Bitcoin Core's chainparams), `tltc` and `rltc` (Litecoin Core's chainparams).
    pub const fn segwit_hrps(self, mode: NetworkMode) -> &'static [&'static str] {
        match (self, mode) {
            (Bitcoin, NetworkMode::Live) => &["bc"],
            (Bitcoin, NetworkMode::Test) => &["tb", "bcrt"],
            (Litecoin, NetworkMode::Live) => &["ltc"],
            (Litecoin, NetworkMode::Test) => &["tltc", "rltc"],
            _ => &[],
        }
    }

    /// The version bytes of the network's base58check addresses (P2PKH, P2SH) in `mode`: in
    /// test mode Bitcoin's testnet, signet and regtest `0x6f` (`m`/`n`) and `0xc4` (`2`);
    /// Litecoin's testnet `0x6f`, `0x3a` (`Q`) and the older `0xc4`; Dogecoin's testnet `0x71`
    /// (`n`) and `0xc4` (each project's chainparams).
    pub const fn base58_versions(self, mode: NetworkMode) -> &'static [u8] {
        match (self, mode) {
            (Bitcoin, NetworkMode::Live) => &[0x00, 0x05],
            (Bitcoin, NetworkMode::Test) => &[0x6f, 0xc4],
            (Litecoin, NetworkMode::Live) => &[0x30, 0x32],
            (Litecoin, NetworkMode::Test) => &[0x6f, 0x3a, 0xc4],
            (Dogecoin, NetworkMode::Live) => &[0x1e, 0x16],
            (Dogecoin, NetworkMode::Test) => &[0x71, 0xc4],
            _ => &[],
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
            // EIP-155 chain ids of the testnets (the eth-clients/sepolia, holesky and hoodi
            // READMEs: "Chain ID").
            Sepolia => Some(11_155_111),
            Holesky => Some(17_000),
            Hoodi => Some(560_048),
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
            // Only Tron lacks a wallet URI scheme; EVM chains share `ethereum:` (EIP-681 names
            // the chain id); only Bitcoin and Litecoin have segwit addresses.
            assert_eq!(n.has_wallet_link(), n != Tron, "{n}");
            assert_eq!(n.uri_scheme() == Some("ethereum"), n.family() == Family::Evm, "{n}");
            assert_eq!(n.segwit_hrp().is_some(), matches!(n, Bitcoin | Litecoin), "{n}");
        }
    }

    #[test]
    fn test_networks_are_their_own_and_say_so() {
        for n in Network::TEST {
            assert_eq!(Network::parse(n.id()), Ok(n));
            assert!(n.is_test() && !n.is_bank(), "{n}");
            assert!(ASSETS.iter().any(|a| a.network == n && a.contract.is_none()), "{n}: a native coin");
            let name = n.display_name();
            assert!(name.contains("testnet") || name.contains("devnet"), "{n}: {name}");
            assert!(!Network::ALL.contains(&n) && !Network::BANK.contains(&n), "{n}");
        }
        // EIP-155 chain ids (eth-clients/sepolia, holesky, hoodi: "Chain ID").
        assert_eq!(Sepolia.chain_id(), Some(11_155_111));
        assert_eq!(Holesky.chain_id(), Some(17_000));
        assert_eq!(Hoodi.chain_id(), Some(560_048));
        assert_eq!((TronNile.family(), TronNile.uri_scheme()), (Family::Tron, None));
        assert_eq!((SolanaDevnet.family(), SolanaDevnet.uri_scheme()), (Family::Solana, Some("solana")));
        assert_eq!(
            asset(Sepolia, "usdc").unwrap().contract,
            Some("0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238")
        );
        assert_eq!(asset(TronNile, "USDT").unwrap().decimals, 6);
        assert_eq!(
            asset(SolanaDevnet, "USDC").unwrap().contract,
            Some("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
        );
        assert_eq!(
            asset(Sepolia, "USDT").unwrap_err().to_string(),
            "USDT is not supported on sepolia; supported there: ETH, USDC"
        );
    }

    #[test]
    fn each_mode_shows_only_its_own_networks() {
        use NetworkMode::{Live, Test};
        for n in Network::ALL.into_iter().chain(Network::BANK) {
            assert_eq!(n.check_mode(Live), Ok(()), "{n}");
        }
        for n in Network::TEST {
            assert_eq!(n.check_mode(Test), Ok(()), "{n}");
            let err = n.check_mode(Live).unwrap_err();
            assert_eq!((err.code(), err.network()), (ErrorCode::UnsupportedNetwork, Some(n)));
        }
        // The chains whose addresses say their chain: checked address by address.
        for n in [Bitcoin, Lightning, Litecoin, Dogecoin] {
            assert_eq!(n.check_mode(Test), Ok(()), "{n}");
        }
        for n in [Ethereum, Bsc, Polygon, Arbitrum, Base, Tron, Solana].into_iter().chain(Network::BANK) {
            let err = n.check_mode(Test).unwrap_err();
            assert_eq!(err, NetworkError::LiveNetwork(n));
            assert_eq!(err.code(), ErrorCode::UnsupportedNetwork);
        }
        assert_eq!(
            Sepolia.check_mode(Live).unwrap_err().to_string(),
            "network \"sepolia\" is a test network (Sepolia testnet): set network-mode=\"test\" to show test payments"
        );
        assert_eq!(
            Ethereum.check_mode(Test).unwrap_err().to_string(),
            "network \"ethereum\" moves real funds; test mode shows only test networks: sepolia, holesky, hoodi, \
             tron_nile, solana_devnet, and testnet, signet or regtest addresses on bitcoin, lightning, litecoin and dogecoin"
        );
        // Segwit prefixes and version bytes per mode (BIP-173; the projects' chainparams).
        assert_eq!(Bitcoin.segwit_hrps(Test), ["tb", "bcrt"]);
        assert_eq!(Litecoin.segwit_hrps(Test), ["tltc", "rltc"]);
        assert!(Dogecoin.segwit_hrps(Test).is_empty() && Dogecoin.segwit_hrps(Live).is_empty());
        assert_eq!(Bitcoin.base58_versions(Test), [0x6f, 0xc4]);
        assert_eq!(Dogecoin.base58_versions(Test), [0x71, 0xc4]);
        assert_eq!(Bitcoin.segwit_hrps(Live), [Bitcoin.segwit_hrp().unwrap()]);
    }

    #[test]
    fn every_asset_contract_is_in_the_unpayable_table() {
        for a in ASSETS {
            let Some(contract) = a.contract else { continue };
            let k = unpayable(a.network, contract).unwrap_or_else(|| panic!("{contract} is not listed"));
            assert_eq!((k.network, k.kind), (a.network, Unpayable::Contract), "{contract}");
            assert!(k.what.contains(a.currency), "{contract}: {}", k.what);
        }
    }

    #[test]
    fn unpayable_lookup_per_family() {
        // EVM: any case, and another EVM chain's contract too (naming the chain it is on).
        let k = unpayable(Ethereum, "0xdac17f958d2ee523a2206206994597c13d831ec7").unwrap();
        assert_eq!((k.network, k.what), (Ethereum, "the USDT token contract"));
        assert_eq!(unpayable(Base, "0xDAC17F958D2EE523A2206206994597C13D831EC7").unwrap().network, Ethereum);
        assert_eq!(
            unpayable(Polygon, "0x000000000000000000000000000000000000dead").unwrap().kind,
            Unpayable::Burn
        );
        // Base58: exact, and only on its own network.
        assert!(unpayable(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_some());
        assert!(unpayable(Solana, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_none());
        assert!(unpayable(Litecoin, "1BitcoinEaterAddressDontSendf59kuE").is_none());
        assert!(unpayable(Tron, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE").is_none());
    }

    #[test]
    fn every_error_says_what_it_said() {
        let unknown = NetworkError::UnknownNetwork("ripple \"xrp\"".into());
        assert_eq!(
            unknown.to_string(),
            format!(
                "unknown network \"{}\"; supported: bitcoin, lightning, litecoin, dogecoin, ethereum, bsc, polygon, arbitrum, base, tron, solana, sepa_epc, swiss_qr, pix, paynow, promptpay, duitnow, upi; with network-mode=\"test\": sepolia, holesky, hoodi, tron_nile, solana_devnet",
                "ripple \"xrp\""
            )
        );
        for network in Network::ALL {
            let (currency, supported) = (String::from("DOGE"), String::from("USDT, USDC"));
            let err = NetworkError::UnknownAsset {
                currency: currency.clone(),
                network,
                supported: supported.clone(),
            };
            assert_eq!(
                err.to_string(),
                format!("{currency} is not supported on {network}; supported there: {supported}")
            );
            assert_eq!(network.to_string(), network.id());
        }
    }

    #[test]
    fn unknown_network_and_asset_are_clear_errors() {
        assert_eq!(Network::parse("ripple"), Err(NetworkError::UnknownNetwork("ripple".into())));
        let err = asset(Bitcoin, "USDT").unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedCurrency);
        assert_eq!(err.network(), Some(Bitcoin));
        assert_eq!(NetworkError::UnknownNetwork("ripple".into()).code(), ErrorCode::UnsupportedNetwork);
        assert_eq!(err.to_string(), "USDT is not supported on bitcoin; supported there: BTC");
    }
}
