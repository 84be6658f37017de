//! The transaction a connected EVM wallet is asked to send, built from the same validated
//! payment the QR shows (issue 17's first part, not yet wired to the UI), and what a wallet's
//! EIP-1193 error means for the shopper.
//!
//! - [`evm_transaction`]: the `eth_sendTransaction` parameters for what is due now: the native
//!   coin as `value` in wei to the payee, or an ERC-20 `transfer(payee, due)` to the token
//!   contract of that network with `value` zero. The chain id comes from [`crate::network`].
//! - [`transfer_calldata`]: the ABI encoding of `transfer(address,uint256)` (selector
//!   `0xa9059cbb`), tested against vectors computed with viem and ethers.
//! - [`WalletFailure::classify`]: an EIP-1193 / EIP-1474 error (`code`, `message`, MetaMask's
//!   nested `data.originalError.code`) as one of the failures the form explains. A wallet's
//!   reply is never trusted for what is shown: only its error code and whether it gave a hash.

use crate::money::Amount;
use crate::network::{Asset, Family};
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

/// What went wrong in the wallet, as the form explains it; after each, the shopper is back at
/// the QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletFailure {
    /// 4001: the shopper declined in the wallet.
    Rejected,
    /// 4100: the wallet is locked or the site is not connected.
    Locked,
    /// -32002: a request is already waiting in the wallet.
    Pending,
    /// 4902 (MetaMask; inside -32603 on MetaMask Mobile): the wallet does not know the chain.
    UnknownChain,
    /// 4200: the wallet cannot do this (e.g. switch chains).
    Unsupported,
    /// 4900 / 4901: the wallet is disconnected from every chain, or from this one.
    Disconnected,
    /// The account cannot pay the amount and the fee.
    InsufficientFunds,
    /// Anything else.
    Other,
}

impl WalletFailure {
    /// Reads an EIP-1193 error: its `code`, its `message`, and the nested code some wallets
    /// put in `data.originalError.code`.
    pub fn classify(code: i64, message: &str, nested: Option<i64>) -> WalletFailure {
        match (code, nested) {
            (4001, _) => WalletFailure::Rejected,
            (4100, _) => WalletFailure::Locked,
            (-32002, _) => WalletFailure::Pending,
            (4902, _) | (-32603, Some(4902)) => WalletFailure::UnknownChain,
            (4200, _) => WalletFailure::Unsupported,
            (4900 | 4901, _) => WalletFailure::Disconnected,
            _ if message.to_ascii_lowercase().contains("insufficient funds") => {
                WalletFailure::InsufficientFunds
            }
            _ => WalletFailure::Other,
        }
    }
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
    fn wallet_errors_are_classified_by_code() {
        use WalletFailure::*;
        assert_eq!(WalletFailure::classify(4001, "User rejected the request.", None), Rejected);
        assert_eq!(WalletFailure::classify(4100, "", None), Locked);
        assert_eq!(WalletFailure::classify(-32002, "already pending", None), Pending);
        assert_eq!(WalletFailure::classify(4902, "Unrecognized chain ID", None), UnknownChain);
        assert_eq!(WalletFailure::classify(-32603, "Internal error", Some(4902)), UnknownChain);
        assert_eq!(WalletFailure::classify(-32603, "Internal error", None), Other);
        assert_eq!(WalletFailure::classify(4200, "", None), Unsupported);
        assert_eq!(WalletFailure::classify(4901, "", None), Disconnected);
        assert_eq!(
            WalletFailure::classify(-32000, "Insufficient funds for gas * price + value", None),
            InsufficientFunds
        );
        assert_eq!(WalletFailure::classify(-32000, "nonce too low", None), Other);
    }
}
