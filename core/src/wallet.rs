//! Paying from a connected EVM wallet, without the DOM: the transaction a wallet is asked to
//! send, built from the same validated payment the QR shows; what Payform tells a wallet about
//! a chain it lacks; which announced wallets are shown (their name and icon are untrusted);
//! what a wallet's reply and its EIP-1193 errors mean for the shopper. The browser side (EIP-6963
//! discovery and the requests) is `js/payform-wallet.js`, loaded only when a wallet is present;
//! the view is `ui::wallet`.
//!
//! - [`evm_transaction`]: the `eth_sendTransaction` parameters for what is due now: the native
//!   coin as `value` in wei to the payee, or an ERC-20 `transfer(payee, due)` to the token
//!   contract of that network with `value` zero. The chain id comes from [`crate::network`].
//! - [`transfer_calldata`]: the ABI encoding of `transfer(address,uint256)` (selector
//!   `0xa9059cbb`), tested against vectors computed with viem and ethers.
//! - [`WalletFailure::classify`]: an EIP-1193 / EIP-1474 error (`code`, `message`, MetaMask's
//!   nested `data.originalError.code`) as one of the failures the form explains. A wallet's
//!   reply is never trusted for what is shown: only its error code and whether it gave a hash.

use crate::i18n::Msg;
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
    /// The shopper refused to switch to the payment's chain, or the wallet stayed on another.
    WrongChain,
    /// The wallet did not answer in time ([`ANSWER_TIMEOUT_MS`]).
    NoAnswer,
    /// The wallet's answer was not an account or a transaction hash.
    BadReply,
    /// Anything else.
    Other,
}

/// The step of the request a wallet failed at (`js/payform-wallet.js` names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `eth_requestAccounts`.
    Connect,
    /// `wallet_switchEthereumChain`, and the check that the wallet is on the chain afterwards.
    Switch,
    /// `wallet_addEthereumChain`.
    AddChain,
    /// `eth_sendTransaction`.
    Send,
}

impl Step {
    /// The step named by the wallet module; anything else is the send.
    pub fn parse(name: &str) -> Step {
        match name {
            "connect" => Step::Connect,
            "switch" => Step::Switch,
            "add" => Step::AddChain,
            _ => Step::Send,
        }
    }
}

/// How long the wallet module waits for a wallet's answer to a request the shopper must
/// confirm (connect, switch, add, send) before it gives up; a read (`eth_chainId`) gets 30 s.
pub const ANSWER_TIMEOUT_MS: u64 = 5 * 60 * 1000;

/// What the wallet module reports when a request did not end in an EIP-1193 error: `tag` is
/// `"timeout"`, `"gone"` (the provider vanished or threw something that is not an error),
/// `"wrong_chain"` (still on another chain after switching) or `"bad_reply"`.
pub fn failure(
    step: Step,
    code: Option<i64>,
    tag: &str,
    message: &str,
    nested: Option<i64>,
) -> WalletFailure {
    match tag {
        "timeout" => return WalletFailure::NoAnswer,
        "gone" => return WalletFailure::Disconnected,
        "wrong_chain" => return WalletFailure::WrongChain,
        "bad_reply" => return WalletFailure::BadReply,
        _ => {}
    }
    let Some(code) = code else { return WalletFailure::Other };
    let read = WalletFailure::classify(code, message, nested);
    match (step, read) {
        // Declining the switch is refusing the payment's chain, not the payment.
        (Step::Switch, WalletFailure::Rejected) => WalletFailure::WrongChain,
        // A chain the wallet lacks and the shopper would not (or could not) add.
        (Step::AddChain, WalletFailure::Rejected | WalletFailure::Other | WalletFailure::Unsupported) => {
            WalletFailure::UnknownChain
        }
        (_, read) => read,
    }
}

impl WalletFailure {
    /// The shopper's sentence for it; `{network}` and `{currency}` are the payment's.
    pub const fn msg(self) -> Msg {
        match self {
            WalletFailure::Rejected => Msg::WalletRejected,
            WalletFailure::Locked => Msg::WalletLocked,
            WalletFailure::Pending => Msg::WalletPending,
            WalletFailure::UnknownChain => Msg::WalletUnknownChain,
            WalletFailure::WrongChain => Msg::WalletWrongChain,
            WalletFailure::Unsupported => Msg::WalletUnsupported,
            WalletFailure::Disconnected => Msg::WalletGone,
            WalletFailure::InsufficientFunds => Msg::WalletFunds,
            WalletFailure::NoAnswer => Msg::WalletNoAnswer,
            WalletFailure::BadReply | WalletFailure::Other => Msg::WalletOther,
        }
    }

    /// The failure's name, for `data-failure` (the tests) and the console.
    pub const fn as_str(self) -> &'static str {
        match self {
            WalletFailure::Rejected => "rejected",
            WalletFailure::Locked => "locked",
            WalletFailure::Pending => "pending",
            WalletFailure::UnknownChain => "unknown_chain",
            WalletFailure::WrongChain => "wrong_chain",
            WalletFailure::Unsupported => "unsupported",
            WalletFailure::Disconnected => "disconnected",
            WalletFailure::InsufficientFunds => "insufficient_funds",
            WalletFailure::NoAnswer => "no_answer",
            WalletFailure::BadReply => "bad_reply",
            WalletFailure::Other => "other",
        }
    }
}

/// The most wallets shown (one button each); later announcements are ignored.
pub const MAX_WALLETS: usize = 6;
/// The longest wallet name shown, in characters (a longer one is cut with `…`).
pub const NAME_MAX: usize = 40;
/// The largest icon shown, in bytes of its `data:` URI (EIP-6963 asks for a 96×96 px image).
pub const ICON_MAX: usize = 64 * 1024;
/// The longest `uuid` or `rdns` kept.
const ID_MAX: usize = 100;

/// An announced wallet as the form shows it: EIP-6963's `info`, checked. The provider object
/// itself stays in the wallet module, found again by `uuid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletInfo {
    /// EIP-6963's UUIDv4 of this announcement (or `"injected"` for a lone `window.ethereum`).
    pub uuid: String,
    /// The wallet's name, as plain text: control and bidi-override characters removed, cut to
    /// [`NAME_MAX`]; an unnamed wallet is "Browser wallet" (the locale's).
    pub name: Option<String>,
    /// A `data:image/…` URI of at most [`ICON_MAX`] bytes, for an `<img>`; anything else is
    /// dropped (a remote URL would tell a third party the shopper is paying).
    pub icon: Option<String>,
    /// The wallet's reverse-DNS id (`io.metamask`), `[a-z0-9.-]` only.
    pub rdns: Option<String>,
}

impl WalletInfo {
    /// Checks an announcement's `info`; `None` when it cannot be told apart from others (no
    /// usable `uuid`).
    pub fn parse(uuid: &str, name: &str, icon: &str, rdns: &str) -> Option<WalletInfo> {
        let id_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
        if uuid.is_empty() || uuid.len() > ID_MAX || !uuid.chars().all(id_char) {
            return None;
        }
        let clean: String = name
            .chars()
            .filter(|c| !c.is_control() && !is_bidi_control(*c))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name = match clean.chars().count() {
            0 => None,
            n if n > NAME_MAX => Some(clean.chars().take(NAME_MAX - 1).chain(['…']).collect()),
            _ => Some(clean),
        };
        let rdns_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
        let rdns = (!rdns.is_empty() && rdns.len() <= ID_MAX && rdns.chars().all(rdns_char))
            .then(|| rdns.to_owned());
        Some(WalletInfo { uuid: uuid.to_owned(), name, icon: icon_uri(icon).map(str::to_owned), rdns })
    }
}

/// The bidirectional formatting characters (a name could reorder the text around it).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `icon` if it is a `data:` URI of an image type an `<img>` shows, of at most [`ICON_MAX`]
/// bytes, with nothing that could end an attribute or a URL early.
pub fn icon_uri(icon: &str) -> Option<&str> {
    const TYPES: [&str; 6] = ["png", "jpeg", "gif", "webp", "svg+xml", "avif"];
    if icon.len() > ICON_MAX || !icon.is_ascii() {
        return None;
    }
    let rest = icon.strip_prefix("data:image/")?;
    let (head, data) = rest.split_once(',')?;
    let media = head.split(';').next().unwrap_or_default().to_ascii_lowercase();
    let printable =
        data.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'<' && b != b'>');
    (TYPES.contains(&media.as_str()) && printable && !data.is_empty()).then_some(icon)
}

/// A wallet's transaction hash: `0x` and 64 hex digits, in lower case; `None` for anything else
/// (the form then says the reply could not be read, and never shows it).
pub fn tx_hash(reply: &str) -> Option<String> {
    let hex = reply.strip_prefix("0x")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| reply.to_ascii_lowercase())
}

/// A wallet's account: `0x` and 40 hex digits (any case; kept as the wallet wrote it).
pub fn account(reply: &str) -> Option<&str> {
    hex_address(reply).map(|_| reply)
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

/// The explorer page of transaction `hash` on `network`, with the explorer's name.
pub fn explorer_link(network: Network, hash: &str) -> Option<(&'static str, String)> {
    network.explorer().map(|(name, prefix)| (name, crate::cat!(prefix, hash)))
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

    #[test]
    fn a_failure_is_read_by_the_step_it_happened_at() {
        use WalletFailure::*;
        let at = |step, code, tag, nested| failure(step, code, tag, "", nested);
        assert_eq!(at(Step::Send, Some(4001), "", None), Rejected);
        assert_eq!(at(Step::Connect, Some(4001), "", None), Rejected);
        assert_eq!(at(Step::Switch, Some(4001), "", None), WrongChain, "declining the switch");
        assert_eq!(at(Step::Switch, Some(4902), "", None), UnknownChain);
        assert_eq!(at(Step::Switch, Some(-32603), "", Some(4902)), UnknownChain);
        assert_eq!(at(Step::AddChain, Some(4001), "", None), UnknownChain, "declining to add it");
        assert_eq!(at(Step::AddChain, Some(-32002), "", None), Pending);
        assert_eq!(at(Step::Send, None, "timeout", None), NoAnswer);
        assert_eq!(at(Step::Connect, None, "gone", None), Disconnected);
        assert_eq!(at(Step::Switch, None, "wrong_chain", None), WrongChain);
        assert_eq!(at(Step::Send, None, "bad_reply", None), BadReply);
        assert_eq!(at(Step::Send, None, "", None), Other);
        assert_eq!(
            failure(Step::Send, Some(-32000), "", "insufficient funds for gas", None),
            InsufficientFunds
        );
        assert_eq!(
            (Step::parse("add"), Step::parse("switch"), Step::parse("??")),
            (Step::AddChain, Step::Switch, Step::Send)
        );
        // Every failure has its own name and a sentence.
        let all = [
            Rejected,
            Locked,
            Pending,
            UnknownChain,
            Unsupported,
            Disconnected,
            InsufficientFunds,
            WrongChain,
            NoAnswer,
            BadReply,
            Other,
        ];
        let names: std::collections::BTreeSet<_> = all.iter().map(|f| f.as_str()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(Rejected.msg(), Msg::WalletRejected);
        assert_eq!(BadReply.msg(), Msg::WalletOther);
    }

    #[test]
    fn announced_names_are_plain_bounded_text_and_icons_only_bounded_data_images() {
        let svg = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=";
        let w = WalletInfo::parse(
            "350670db-19fa-4704-a166-e52e178b59d2",
            "  Meta\u{202e}Mask\n ",
            svg,
            "io.metamask",
        )
        .unwrap();
        assert_eq!(w.name.as_deref(), Some("MetaMask"));
        assert_eq!(w.icon.as_deref(), Some(svg));
        assert_eq!(w.rdns.as_deref(), Some("io.metamask"));
        let long = "W".repeat(300);
        let w = WalletInfo::parse("a", &long, "", "Not RDNS!").unwrap();
        assert_eq!(w.name.as_ref().map(|n| n.chars().count()), Some(NAME_MAX));
        assert!(w.name.unwrap().ends_with('…'));
        assert_eq!((w.icon, w.rdns), (None, None));
        assert_eq!(WalletInfo::parse("a", "", "", "").unwrap().name, None, "unnamed: the locale's words");
        assert_eq!(WalletInfo::parse("", "X", "", ""), None, "no uuid");
        assert_eq!(WalletInfo::parse("a b", "X", "", ""), None);
        assert_eq!(WalletInfo::parse(&"a".repeat(101), "X", "", ""), None);

        for bad in [
            "https://evil.example/icon.png",
            "javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "data:image/png;base64,abc\" onerror=\"x",
            "data:image/png;base64,",
            "data:image/bmp;base64,Qk0=",
            "DATA:image/png;base64,iVBORw0KGgo=",
        ] {
            assert_eq!(icon_uri(bad), None, "{bad}");
        }
        assert_eq!(
            icon_uri("data:image/PNG;base64,iVBORw0KGgo="),
            Some("data:image/PNG;base64,iVBORw0KGgo=")
        );
        let big = ["data:image/png;base64,", &"A".repeat(ICON_MAX)].concat();
        assert_eq!(icon_uri(&big), None, "over the bound");
        let fits = ["data:image/png;base64,", &"A".repeat(ICON_MAX - 22)].concat();
        assert_eq!(icon_uri(&fits).map(str::len), Some(ICON_MAX));
    }

    #[test]
    fn replies_are_hashes_and_accounts_or_nothing() {
        let hash = "0xABCDEF0000000000000000000000000000000000000000000000000000000001";
        assert_eq!(tx_hash(hash).as_deref(), Some(hash.to_ascii_lowercase().as_str()));
        assert_eq!(tx_hash(&hash[..65]), None);
        assert_eq!(tx_hash("0x<b>not</b>"), None);
        assert_eq!(tx_hash(&hash[2..]), None);
        assert_eq!(
            account("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            Some("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
        );
        assert_eq!(account("0x70997970C51812dc3A010C7d01b50e0d17dc79C"), None);
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
        let (name, url) = explorer_link(Network::Sepolia, "0xab").unwrap();
        assert_eq!((name, url.as_str()), ("sepolia.etherscan.io", "https://sepolia.etherscan.io/tx/0xab"));
    }
}
