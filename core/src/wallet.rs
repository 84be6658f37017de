//! Paying from a connected EVM wallet, without the DOM: the transaction a wallet is asked to
//! send, built from the same validated payment the QR shows, and what Payform tells a wallet
//! about a chain it lacks. The browser side (EIP-6963 discovery, the buttons, the requests, the
//! checks of what a wallet announces and replies, its errors) is `js/payform-wallet.js`, loaded
//! only when the page has a wallet; the form's part is `ui::wallet`.
//!
//! - [`evm_transaction`]: the `eth_sendTransaction` parameters for what is due now: the native
//!   coin as `value` in wei to the payee, or an ERC-20 `transfer(payee, due)` to the token
//!   contract of that network with `value` zero. The chain id comes from [`crate::network`].
//! - [`transfer_calldata`]: the ABI encoding of `transfer(address,uint256)` (selector
//!   `0xa9059cbb`), tested against vectors computed with viem and ethers.
//! - [`chain_params`]: `wallet_addEthereumChain`'s parameters (EIP-3085) for each EVM network.
//! - [`tx_hash`]: a wallet's transaction hash, checked (for `on_submitted`).

use crate::money::Amount;
use crate::network::{Asset, Family, Network};
use crate::text;

/// The selector of `transfer(address,uint256)`: `keccak256(signature)[..4]`.
pub const TRANSFER_SELECTOR: &str = "0xa9059cbb";

/// The parameters of `eth_sendTransaction` (without `from`, which is the wallet's account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmTransaction {
    /// The chain the wallet must be on (`wallet_switchEthereumChain` first).
    pub chain_id: u64,
    /// The payee for the native coin, the token contract for a token.
    pub to: String,
    /// Wei for the native coin; zero for a token.
    pub value: u128,
    /// `transfer(payee, amount)` calldata for a token.
    pub data: Option<String>,
}

impl EvmTransaction {
    /// `chain_id` as EIP-1193 wants it (`wallet_switchEthereumChain`'s `chainId`): `0x`-hex.
    pub fn chain_id_hex(&self) -> String {
        quantity(u128::from(self.chain_id))
    }

    /// `value` as a JSON-RPC QUANTITY (`0x0` for zero, no leading zeros).
    pub fn value_hex(&self) -> String {
        quantity(self.value)
    }
}

/// Why a payment cannot be paid from an EVM wallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletError {
    /// The network is not an EVM chain.
    NotEvm,
    /// The payee is not `0x` and 40 hex digits.
    BadPayee,
    /// The asset's decimals and the amount's differ (a caller's mistake, never shown).
    Decimals,
}

/// The transaction that pays `due` of `asset` to `payee`.
pub fn evm_transaction(asset: &Asset, payee: &str, due: Amount) -> Result<EvmTransaction, WalletError> {
    let chain_id = asset.network.chain_id().filter(|_| asset.network.family() == Family::Evm);
    let chain_id = chain_id.ok_or(WalletError::NotEvm)?;
    if due.decimals() != asset.decimals {
        return Err(WalletError::Decimals);
    }
    let payee_hex = hex_address(payee).ok_or(WalletError::BadPayee)?;
    Ok(match asset.contract {
        None => EvmTransaction { chain_id, to: payee.to_owned(), value: due.atomic(), data: None },
        Some(contract) => EvmTransaction {
            chain_id,
            to: contract.to_owned(),
            value: 0,
            data: Some(transfer_data(payee_hex, due.atomic())),
        },
    })
}

/// The calldata of `transfer(payee, amount)`: the selector, then the address and the amount
/// each as a 32-byte word, lower-case hex. `None` for a payee that is not `0x` + 40 hex digits.
pub fn transfer_calldata(payee: &str, amount: u128) -> Option<String> {
    hex_address(payee).map(|hex| transfer_data(hex, amount))
}

fn transfer_data(payee_hex: &str, amount: u128) -> String {
    let mut out = String::with_capacity(10 + 128);
    out.push_str(TRANSFER_SELECTOR);
    out.push_str("000000000000000000000000");
    out.extend(payee_hex.chars().map(|c| c.to_ascii_lowercase()));
    out.push_str("00000000000000000000000000000000"); // a u128 fills the low 16 bytes
    for byte in amount.to_be_bytes() {
        text::push_hex2(&mut out, byte);
    }
    out
}

/// The 40 hex digits of a `0x` address, any case.
fn hex_address(payee: &str) -> Option<&str> {
    let hex = payee.strip_prefix("0x")?;
    (hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

/// A JSON-RPC QUANTITY: `0x` and the shortest hex (`0x0` for zero).
pub fn quantity(n: u128) -> String {
    let mut digits = String::new();
    for byte in n.to_be_bytes() {
        text::push_hex2(&mut digits, byte);
    }
    let trimmed = digits.trim_start_matches('0');
    crate::cat!("0x", if trimmed.is_empty() { "0" } else { trimmed })
}

/// A wallet's transaction hash: `0x` and 64 hex digits, in lower case; `None` for anything else
/// (the form then says the reply could not be read, and never shows it).
pub fn tx_hash(reply: &str) -> Option<String> {
    let hex = reply.strip_prefix("0x")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| reply.to_ascii_lowercase())
}

/// What `wallet_addEthereumChain` (EIP-3085) is told about a chain Payform knows, for a wallet
/// that does not: its name, native currency, a public RPC endpoint and the explorer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainParams {
    pub chain_id_hex: String,
    pub name: &'static str,
    /// The native currency: name, symbol (18 decimals on every chain here).
    pub currency: (&'static str, &'static str),
    pub rpc_url: &'static str,
    /// The explorer's origin (EIP-3085's `blockExplorerUrls`).
    pub explorer: Option<String>,
}

/// The parameters for adding `network`'s chain to a wallet; `None` off EVM.
pub fn chain_params(network: Network) -> Option<ChainParams> {
    use Network::*;
    // The chains' own public endpoints where they publish one, else PublicNode's (free, no key).
    let (name, currency, rpc_url) = match network {
        Ethereum => ("Ethereum", ("Ether", "ETH"), "https://ethereum-rpc.publicnode.com"),
        Bsc => ("BNB Smart Chain", ("BNB", "BNB"), "https://bsc-dataseed.bnbchain.org"),
        Polygon => ("Polygon", ("POL", "POL"), "https://polygon-rpc.com"),
        Arbitrum => ("Arbitrum One", ("Ether", "ETH"), "https://arb1.arbitrum.io/rpc"),
        Base => ("Base", ("Ether", "ETH"), "https://mainnet.base.org"),
        Sepolia => ("Sepolia", ("Sepolia Ether", "ETH"), "https://ethereum-sepolia-rpc.publicnode.com"),
        Holesky => ("Holesky", ("Holesky Ether", "ETH"), "https://ethereum-holesky-rpc.publicnode.com"),
        Hoodi => ("Hoodi", ("Hoodi Ether", "ETH"), "https://ethereum-hoodi-rpc.publicnode.com"),
        _ => return None,
    };
    let chain_id = network.chain_id()?;
    let explorer =
        network.explorer().map(|(_, tx)| tx.trim_end_matches("tx/").trim_end_matches('/').to_owned());
    Some(ChainParams { chain_id_hex: quantity(u128::from(chain_id)), name, currency, rpc_url, explorer })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{asset, Network};

    // Computed with viem 2 (`encodeFunctionData`) and checked with ethers 6 (issue 17's notes).
    const VECTORS: [(&str, u128, &str); 4] = [
        (
            "0x000000000000000000000000000000000000dEaD",
            25_000_000,
            "0xa9059cbb000000000000000000000000000000000000000000000000000000000000dead00000000000000000000000000000000000000000000000000000000017d7840",
        ),
        (
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            1_234_567_891,
            "0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb9226600000000000000000000000000000000000000000000000000000000499602d3",
        ),
        (
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            25_100_000_000_000_000_000,
            "0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c80000000000000000000000000000000000000000000000015c551d03b64e0000",
        ),
        (
            "0x000000000000000000000000000000000000dEaD",
            u128::MAX,
            "0xa9059cbb000000000000000000000000000000000000000000000000000000000000dead00000000000000000000000000000000ffffffffffffffffffffffffffffffff",
        ),
    ];

    #[test]
    fn transfer_calldata_matches_the_vectors() {
        for (payee, amount, expected) in VECTORS {
            assert_eq!(transfer_calldata(payee, amount).as_deref(), Some(expected), "{payee} {amount}");
            assert_eq!(expected.len(), 2 + 8 + 64 + 64);
        }
        assert_eq!(transfer_calldata("0xdead", 1), None);
        assert_eq!(transfer_calldata("000000000000000000000000000000000000dEaD", 1), None);
        assert_eq!(transfer_calldata("0x000000000000000000000000000000000000dEaG", 1), None);
    }

    #[test]
    fn a_token_is_a_transfer_to_its_contract_and_a_coin_is_value_to_the_payee() {
        let payee = "0x000000000000000000000000000000000000dEaD";
        let usdt = asset(Network::Bsc, "USDT").unwrap();
        let due = Amount::parse("25.1", usdt.decimals).unwrap();
        let tx = evm_transaction(usdt, payee, due).unwrap();
        assert_eq!((tx.chain_id, tx.chain_id_hex().as_str()), (56, "0x38"));
        assert_eq!(Some(tx.to.as_str()), usdt.contract);
        assert_eq!((tx.value, tx.value_hex().as_str()), (0, "0x0"));
        assert_eq!(tx.data, transfer_calldata(payee, 25_100_000_000_000_000_000));

        let eth = asset(Network::Ethereum, "ETH").unwrap();
        let tx = evm_transaction(eth, payee, Amount::parse("0.2", 18).unwrap()).unwrap();
        assert_eq!((tx.chain_id, tx.to.as_str(), tx.data.as_deref()), (1, payee, None));
        assert_eq!(tx.value_hex(), "0x2c68af0bb140000"); // 0.2 ETH in wei

        let sepolia = asset(Network::Sepolia, "USDC").unwrap();
        let tx = evm_transaction(sepolia, payee, Amount::parse("25", 6).unwrap()).unwrap();
        assert_eq!(tx.chain_id_hex(), "0xaa36a7");
        assert_eq!(tx.data.as_deref(), Some(VECTORS[0].2));

        let btc = asset(Network::Bitcoin, "BTC").unwrap();
        assert_eq!(evm_transaction(btc, payee, Amount::parse("1", 8).unwrap()), Err(WalletError::NotEvm));
        assert_eq!(
            evm_transaction(eth, "0xnope", Amount::parse("1", 18).unwrap()),
            Err(WalletError::BadPayee)
        );
        assert_eq!(evm_transaction(eth, payee, Amount::parse("1", 6).unwrap()), Err(WalletError::Decimals));
    }

    #[test]
    fn quantities_are_shortest_hex() {
        assert_eq!(quantity(0), "0x0");
        assert_eq!(quantity(1), "0x1");
        assert_eq!(quantity(255), "0xff");
        assert_eq!(quantity(u128::MAX), "0xffffffffffffffffffffffffffffffff");
    }

    #[test]
    fn a_reply_is_a_hash_or_nothing() {
        let hash = "0xABCDEF0000000000000000000000000000000000000000000000000000000001";
        assert_eq!(tx_hash(hash).as_deref(), Some(hash.to_ascii_lowercase().as_str()));
        assert_eq!(tx_hash(&hash[..65]), None);
        assert_eq!(tx_hash("0x<b>not</b>"), None);
        assert_eq!(tx_hash(&hash[2..]), None);
    }

    #[test]
    fn chains_are_described_for_wallets_that_lack_them() {
        let sepolia = chain_params(Network::Sepolia).unwrap();
        assert_eq!(sepolia.chain_id_hex, "0xaa36a7");
        assert_eq!(sepolia.explorer.as_deref(), Some("https://sepolia.etherscan.io"));
        assert!(sepolia.rpc_url.starts_with("https://"));
        assert_eq!(chain_params(Network::Bsc).unwrap().currency.1, "BNB");
        for n in Network::ALL.into_iter().chain(Network::BANK).chain(Network::TEST) {
            assert_eq!(chain_params(n).is_some(), n.family() == Family::Evm, "{n}");
        }
    }
}
