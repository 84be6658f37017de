//! The chain watcher (`--chain-rpc`): the devserver as a provider watching a real EVM node
//! (anvil in the end-to-end tests). It owns the JSON-RPC client ([`HttpRpc`], behind the
//! [`Rpc`] trait so the logic is tested against a scripted node), the watches (which payments
//! are watched, from which block, which transfers they already received: [`Watcher`], kept in
//! the devserver's state beside the payments), the polling loop ([`run`], one [`tick`] per
//! poll interval) and `GET /api/chain`. A payment is watched when its network is EVM and its
//! chain id is the node's; it then receives every transfer to its address in a block after
//! its creation (a successful transaction whose `to` is the address, for the native coin; an
//! ERC-20 `Transfer` log of the network's token contract, for a token) as `simulate pay` with
//! that amount would, under the real transaction hash, and its confirmations follow the
//! node's head until `confirmations_required`. The `simulate` actions still apply to it.
//! Everything is bounded: the URL, each answer (4 MiB, 5 s), the blocks, receipts and topics of
//! one tick, the payments watched and the transfers each receives; a failing node is logged
//! once per distinct message and asked again at the next tick.

use crate::sim::SimPayment;
use crate::{now_ms, App, Inner};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use payform_core::money::Amount;
use payform_core::network::{Family, Network};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `keccak256("Transfer(address,address,uint256)")`: topic 0 of an ERC-20 transfer log.
pub const TRANSFER_TOPIC: &str = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
/// The longest `--chain-rpc` URL.
pub const URL_MAX: usize = 2048;
/// `--chain-poll-ms`: the default and the bounds.
pub const POLL_MS_DEFAULT: u64 = 250;
pub const POLL_MS: RangeInclusive<u64> = 50..=10_000;
/// How long one JSON-RPC call may take, answer included.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest JSON-RPC answer read (a block with its transactions, a page of logs).
pub const RESPONSE_MAX: usize = 4 * 1024 * 1024;
/// Blocks read in one tick; a watcher further behind catches up over the next ticks.
pub const BLOCKS_PER_TICK: u64 = 64;
/// Receipts asked for in one tick (a tick ends after the block that reaches it).
pub const RECEIPTS_PER_TICK: usize = 256;
/// Native transfers to watched addresses counted in one block.
pub const MATCHES_PER_BLOCK: usize = 1024;
/// Payments watched at once; newer ones are not watched until some are final or evicted.
pub const MAX_WATCHED: usize = 1000;
/// Transfers one payment receives from the chain.
pub const TRANSFERS_PER_PAYMENT: usize = 256;
/// Payee topics in one `eth_getLogs` filter.
pub const TOPICS_PER_CALL: usize = 100;
/// Distinct messages remembered so that each is logged once.
const NOTES_MAX: usize = 256;

/// Why a JSON-RPC call gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpcError {
    /// No answer: the connection was refused or broke.
    Unreachable(String),
    /// No whole answer within the timeout.
    Timeout(Duration),
    /// An HTTP error status without a JSON-RPC error in the body.
    Http(u16),
    /// The answer is larger than [`RESPONSE_MAX`].
    TooLarge,
    /// The answer is not a JSON-RPC response.
    Malformed(String),
    /// The node's JSON-RPC error.
    Node { code: i64, message: String },
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::Unreachable(why) => write!(f, "no answer: {why}"),
            RpcError::Timeout(t) => write!(f, "no answer within {} ms", t.as_millis()),
            RpcError::Http(status) => write!(f, "HTTP {status}"),
            RpcError::TooLarge => write!(f, "the answer is larger than {RESPONSE_MAX} bytes"),
            RpcError::Malformed(why) => write!(f, "not a JSON-RPC answer: {why}"),
            RpcError::Node { code, message } => write!(f, "the node's error {code}: {message}"),
        }
    }
}

impl std::error::Error for RpcError {}

/// A JSON-RPC endpoint: the node over HTTP ([`HttpRpc`]), or a scripted one in the tests.
pub trait Rpc: Send + Sync {
    /// Calls `method` with `params` (a JSON array) and returns its `result`.
    fn call(
        &self,
        method: &'static str,
        params: Value,
    ) -> impl Future<Output = Result<Value, RpcError>> + Send;
}

/// Checks a `--chain-rpc` value: `http://host[:port][/path]`, at most [`URL_MAX`] bytes.
pub fn parse_url(url: &str) -> Result<Uri, String> {
    let expected = "expected http://host:port (plain HTTP, e.g. http://127.0.0.1:8545)";
    if url.len() > URL_MAX {
        return Err(format!("--chain-rpc: the URL is longer than {URL_MAX} bytes"));
    }
    if !url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) {
        return Err(format!("--chain-rpc {url:?}: {expected}"));
    }
    let uri: Uri = url.parse().map_err(|e| format!("--chain-rpc {url:?}: {e}; {expected}"))?;
    match uri.authority() {
        Some(a) if a.as_str().contains('@') => {
            Err(format!("--chain-rpc {url:?}: credentials in the URL are not supported"))
        }
        Some(a) if !a.host().is_empty() && uri.query().is_none() => Ok(uri),
        _ => Err(format!("--chain-rpc {url:?}: {expected}")),
    }
}

/// The node over HTTP/1.1 (hyper's pooled client: one kept-alive connection while polling).
pub struct HttpRpc {
    uri: Uri,
    client: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
    next_id: AtomicU64,
}

impl HttpRpc {
    pub fn new(url: &str, timeout: Duration) -> Result<HttpRpc, String> {
        let uri = parse_url(url)?;
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(timeout));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(2)
            .build(connector);
        Ok(HttpRpc { uri, client, timeout, next_id: AtomicU64::new(1) })
    }

    async fn exchange(&self, body: String) -> Result<(StatusCode, Bytes), RpcError> {
        let request = Request::post(self.uri.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| RpcError::Malformed(format!("cannot build the request: {e}")))?;
        let response = self.client.request(request).await.map_err(|e| RpcError::Unreachable(chain_of(&e)))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), RESPONSE_MAX).collect().await.map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                RpcError::TooLarge
            } else {
                RpcError::Unreachable(format!("the answer broke off: {}", chain_of(e.as_ref())))
            }
        })?;
        Ok((status, body.to_bytes()))
    }
}

/// An error with its sources ("client error (Connect): tcp connect error: Connection refused").
fn chain_of(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The `result` of a JSON-RPC answer, or why there is none.
fn answer(status: StatusCode, body: &[u8]) -> Result<Value, RpcError> {
    let parsed: Result<Value, _> = serde_json::from_slice(body);
    if let Ok(Value::Object(reply)) = &parsed {
        if let Some(error) = reply.get("error").filter(|e| !e.is_null()) {
            let code = error.get("code").and_then(Value::as_i64).unwrap_or(0);
            let message = error.get("message").and_then(Value::as_str).unwrap_or("(no message)");
            return Err(RpcError::Node { code, message: message.chars().take(300).collect() });
        }
        if status.is_success() {
            if let Some(result) = reply.get("result") {
                return Ok(result.clone());
            }
        }
    }
    if !status.is_success() {
        return Err(RpcError::Http(status.as_u16()));
    }
    match parsed {
        Ok(_) => Err(RpcError::Malformed("no `result` and no `error`".into())),
        Err(e) => Err(RpcError::Malformed(e.to_string())),
    }
}

impl Rpc for HttpRpc {
    fn call(
        &self,
        method: &'static str,
        params: Value,
    ) -> impl Future<Output = Result<Value, RpcError>> + Send {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        async move {
            let (status, bytes) = tokio::time::timeout(self.timeout, self.exchange(body))
                .await
                .map_err(|_| RpcError::Timeout(self.timeout))??;
            answer(status, &bytes)
        }
    }
}

/// The node the devserver watches: fixed at startup.
pub struct Node {
    pub rpc_url: String,
    pub chain_id: u64,
    pub poll: Duration,
    /// The messages logged so far (each once), until the node answers again.
    notes: Mutex<HashSet<String>>,
    failing: AtomicBool,
}

impl Node {
    pub fn new(rpc_url: &str, chain_id: u64, poll: Duration) -> Node {
        Node {
            rpc_url: rpc_url.to_owned(),
            chain_id,
            poll,
            notes: Mutex::default(),
            failing: AtomicBool::new(false),
        }
    }

    /// The networks whose chain id is the node's.
    pub fn networks(&self) -> Vec<Network> {
        Network::ALL
            .iter()
            .chain(&Network::TEST)
            .copied()
            .filter(|n| n.chain_id() == Some(self.chain_id))
            .collect()
    }

    /// Logs `message` on stderr unless it was already.
    fn note(&self, message: &str) {
        let mut notes = crate::lock(&self.notes);
        if notes.contains(message) {
            return;
        }
        if notes.len() >= NOTES_MAX {
            notes.clear();
        }
        notes.insert(message.to_owned());
        eprintln!("devserver: chain: {message}");
    }

    fn failed(&self, message: &str) {
        self.failing.store(true, Ordering::Relaxed);
        self.note(message);
    }

    fn answered(&self) {
        if self.failing.swap(false, Ordering::Relaxed) {
            crate::lock(&self.notes).clear();
            eprintln!("devserver: chain: the node at {} answers again", self.rpc_url);
        }
    }
}

/// Asks the node its chain id and head block (at startup: an unreachable node is an error).
pub async fn connect<R: Rpc>(rpc: &R, url: &str, poll: Duration) -> Result<(Node, u64), String> {
    let failed = |method: &str, e: String| format!("the chain node at {url} does not answer {method}: {e}");
    let id = rpc.call("eth_chainId", json!([])).await.map_err(|e| failed("eth_chainId", e.to_string()))?;
    let chain_id =
        quantity_u64(&id).ok_or_else(|| failed("eth_chainId", format!("{id} is not a quantity")))?;
    let head =
        rpc.call("eth_blockNumber", json!([])).await.map_err(|e| failed("eth_blockNumber", e.to_string()))?;
    let head =
        quantity_u64(&head).ok_or_else(|| failed("eth_blockNumber", format!("{head} is not a quantity")))?;
    Ok((Node::new(url, chain_id, poll), head))
}

/// One watched payment.
#[derive(Debug)]
struct Watch {
    /// The payment's address, lowercase.
    address: String,
    /// The token contract, lowercase; `None` for the native coin.
    contract: Option<String>,
    decimals: u8,
    /// The first block whose transfers count: the one after the head at creation.
    start: u64,
    /// The transfers received: transaction hash and log index (`None` for a native transfer).
    seen: HashSet<(String, Option<u64>)>,
    /// The latest transfer received: its transaction hash and block.
    last: Option<(String, u64)>,
}

/// The watches and the node's progress, in the devserver's state (`Inner::chain`).
#[derive(Debug, Default)]
pub struct Watcher {
    /// The node's latest block, as last polled.
    head: u64,
    /// The last block whose transfers were read.
    scanned: u64,
    watches: HashMap<String, Watch>,
}

impl Watcher {
    /// Starts at the node's head: only later blocks are read.
    pub fn start(&mut self, head: u64) {
        self.head = head;
        self.scanned = head;
    }

    /// Watches `p` if the node runs its network. `Err` when [`MAX_WATCHED`] payments are
    /// watched already.
    pub fn watch(&mut self, node: &Node, p: &SimPayment) -> Result<bool, String> {
        let network = p.asset.network;
        if network.family() != Family::Evm || network.chain_id() != Some(node.chain_id) {
            return Ok(false);
        }
        if self.watches.len() >= MAX_WATCHED {
            return Err(format!(
                "{MAX_WATCHED} payments are watched, the most the devserver watches: newer ones are not \
                 watched until some are paid, cancelled or evicted"
            ));
        }
        let watch = Watch {
            address: p.address.to_ascii_lowercase(),
            contract: p.asset.contract.map(str::to_ascii_lowercase),
            decimals: p.asset.decimals,
            start: self.head.saturating_add(1),
            seen: HashSet::new(),
            last: None,
        };
        self.watches.insert(p.id.clone(), watch);
        Ok(true)
    }

    /// Stops watching an evicted payment.
    pub fn forget(&mut self, id: &str) {
        self.watches.remove(id);
    }
}

/// A transfer to a watched address found on chain.
#[derive(Debug, Clone)]
struct Transfer {
    /// The payee, lowercase.
    to: String,
    /// The token contract, lowercase; `None` for the native coin.
    contract: Option<String>,
    /// Atomic units (wei, or the token's).
    amount: u128,
    hash: String,
    /// The log index of a token transfer; a native transfer's position in its block.
    log_index: Option<u64>,
    position: u64,
    block: u64,
}

/// `0x…` as a number (at most 64 hex digits, the value within `max_digits` significant ones).
fn quantity(v: &Value, max_digits: usize) -> Option<u128> {
    let digits = v.as_str()?.strip_prefix("0x")?;
    if digits.is_empty() || digits.len() > 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > max_digits {
        return None;
    }
    if significant.is_empty() {
        return Some(0);
    }
    u128::from_str_radix(significant, 16).ok()
}

fn quantity_u64(v: &Value) -> Option<u64> {
    quantity(v, 16).and_then(|n| u64::try_from(n).ok())
}

fn quantity_u128(v: &Value) -> Option<u128> {
    quantity(v, 32)
}

/// A 32-byte hash (`0x` and 64 hex digits), lowercase.
fn hash32(v: &Value) -> Option<String> {
    let s = v.as_str()?;
    let digits = s.strip_prefix("0x")?;
    (digits.len() == 64 && digits.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// The address in a 32-byte topic (12 zero bytes, then the 20 bytes), lowercase.
fn topic_address(v: &Value) -> Option<String> {
    let word = hash32(v)?;
    let (zeros, address) = word[2..].split_at(24);
    zeros.bytes().all(|b| b == b'0').then(|| format!("0x{address}"))
}

fn hex(n: u64) -> String {
    format!("0x{n:x}")
}

/// What one tick reads: the watched addresses, per kind.
struct Scan {
    from: u64,
    to: u64,
    /// Native payees and the earliest block that counts for each.
    natives: HashMap<String, u64>,
    /// Token contract → payees.
    tokens: HashMap<String, Vec<String>>,
}

/// Reads blocks `from..=to` for native transfers to `natives`; returns the last block read
/// whole (earlier than `to` when a block is not there yet or the receipts of a tick ran out).
async fn scan_blocks<R: Rpc>(
    rpc: &R,
    node: &Node,
    scan: &Scan,
    out: &mut Vec<Transfer>,
) -> Result<u64, String> {
    let mut receipts = 0;
    let mut last = scan.from - 1;
    for n in scan.from..=scan.to {
        let block = rpc
            .call("eth_getBlockByNumber", json!([hex(n), true]))
            .await
            .map_err(|e| format!("eth_getBlockByNumber {n}: {e}"))?;
        if block.is_null() {
            break;
        }
        let Some(txs) = block.get("transactions").and_then(Value::as_array) else {
            return Err(format!("eth_getBlockByNumber {n}: the block has no `transactions` array"));
        };
        let mut found = Vec::new();
        for (position, tx) in txs.iter().enumerate() {
            // A contract creation has no `to`.
            let Some(to) = tx.get("to").and_then(Value::as_str).map(str::to_ascii_lowercase) else {
                continue;
            };
            if scan.natives.get(&to).is_none_or(|start| n < *start) {
                continue;
            }
            let (Some(hash), Some(amount)) =
                (tx.get("hash").and_then(hash32), tx.get("value").and_then(quantity_u128))
            else {
                node.note(&format!(
                    "block {n}: a transaction to {to} without a valid `hash` and `value`; skipped"
                ));
                continue;
            };
            if amount == 0 {
                continue;
            }
            if found.len() >= MATCHES_PER_BLOCK {
                node.note(&format!(
                    "block {n}: more than {MATCHES_PER_BLOCK} transactions to watched addresses; the rest are skipped"
                ));
                break;
            }
            found.push(Transfer {
                to,
                contract: None,
                amount,
                hash,
                log_index: None,
                position: position as u64,
                block: n,
            });
        }
        for t in found {
            let receipt = rpc
                .call("eth_getTransactionReceipt", json!([t.hash]))
                .await
                .map_err(|e| format!("eth_getTransactionReceipt {}: {e}", t.hash))?;
            receipts += 1;
            if receipt.is_null() {
                return Err(format!("eth_getTransactionReceipt {}: no receipt yet", t.hash));
            }
            // Status 1: the transaction succeeded (0: reverted, nothing moved).
            if receipt.get("status").and_then(quantity_u64) == Some(1) {
                out.push(t);
            }
        }
        last = n;
        if receipts >= RECEIPTS_PER_TICK {
            break;
        }
    }
    Ok(last)
}

/// Reads the `Transfer` logs of `contract` to `payees` in blocks `from..=to`.
async fn token_logs<R: Rpc>(
    rpc: &R,
    node: &Node,
    contract: &str,
    payees: &[String],
    (from, to): (u64, u64),
    out: &mut Vec<Transfer>,
) -> Result<(), String> {
    let topics: Vec<String> = payees.iter().map(|a| format!("0x{:0>64}", &a[2..])).collect();
    let filter = json!({
        "address": contract, "fromBlock": hex(from), "toBlock": hex(to),
        "topics": [TRANSFER_TOPIC, null, topics],
    });
    let logs = rpc
        .call("eth_getLogs", json!([filter]))
        .await
        .map_err(|e| format!("eth_getLogs {contract} blocks {from}..{to}: {e}"))?;
    let Some(logs) = logs.as_array() else {
        return Err(format!("eth_getLogs {contract}: the answer is not an array of logs"));
    };
    for log in logs {
        if log.get("removed").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let address = log.get("address").and_then(Value::as_str).unwrap_or("");
        let topics = log.get("topics").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        // ERC-20's Transfer has 3 topics (ERC-721's, with the token id indexed, has 4).
        if !address.eq_ignore_ascii_case(contract)
            || topics.len() != 3
            || !topics[0].as_str().is_some_and(|t| t.eq_ignore_ascii_case(TRANSFER_TOPIC))
        {
            continue;
        }
        let fields = (
            topic_address(&topics[2]),
            log.get("data").and_then(quantity_u128),
            log.get("transactionHash").and_then(hash32),
            log.get("logIndex").and_then(quantity_u64),
            log.get("blockNumber").and_then(quantity_u64),
        );
        let (Some(payee), Some(amount), Some(hash), Some(index), Some(block)) = fields else {
            // A pending log has no block yet; anything else malformed is said once.
            if log.get("blockNumber").is_some_and(|b| !b.is_null()) {
                node.note(&format!(
                    "eth_getLogs {contract}: a Transfer log that cannot be read; skipped: {log}"
                ));
            }
            continue;
        };
        if amount == 0 || block > to || !payees.contains(&payee) {
            continue;
        }
        out.push(Transfer {
            to: payee,
            contract: Some(contract.to_owned()),
            amount,
            hash,
            log_index: Some(index),
            position: index,
            block,
        });
    }
    Ok(())
}

/// Receives the new transfers and moves the confirmations to `head`; returns the ids of the
/// payments that changed.
fn apply(inner: &mut Inner, node: &Node, head: u64, mut transfers: Vec<Transfer>, now: i64) -> Vec<String> {
    let Inner { payments, chain, .. } = inner;
    let mut changed = Vec::new();
    transfers.sort_by_key(|t| (t.block, t.position));
    // Payee (and token contract) → the payments watching it.
    let mut by_payee: HashMap<(String, Option<String>), Vec<String>> = HashMap::new();
    for (id, w) in &chain.watches {
        by_payee.entry((w.address.clone(), w.contract.clone())).or_default().push(id.clone());
    }
    for t in &transfers {
        for id in by_payee.get(&(t.to.clone(), t.contract.clone())).into_iter().flatten() {
            let (Some(w), Some(p)) = (chain.watches.get_mut(id), payments.get_mut(id)) else { continue };
            let key = (t.hash.clone(), t.log_index);
            if t.block < w.start || w.seen.contains(&key) {
                continue;
            }
            if w.seen.len() >= TRANSFERS_PER_PAYMENT {
                node.note(&format!(
                    "payment {id} received {TRANSFERS_PER_PAYMENT} transfers, the most the devserver counts; \
                     later ones are not"
                ));
                continue;
            }
            w.seen.insert(key);
            if p.tick(now) {
                changed.push(p.id.clone());
            }
            match p.receive_transfer(Amount::from_atomic(t.amount, w.decimals), &t.hash, now) {
                Ok(()) => {
                    w.last = Some((t.hash.clone(), t.block));
                    changed.push(p.id.clone());
                }
                Err(r) => {
                    node.note(&format!("payment {id}: transfer {} not received: {}", t.hash, r.message))
                }
            }
        }
    }
    for (id, w) in &chain.watches {
        let (Some((hash, block)), Some(p)) = (&w.last, payments.get_mut(id)) else { continue };
        // Only while the latest payment received is this chain's (not a simulated one).
        if p.txids.last() != Some(hash) {
            continue;
        }
        let confirmations = head.saturating_sub(*block).saturating_add(1).min(u64::from(u32::MAX)) as u32;
        if *block <= head && p.chain_confirmations(confirmations, now) {
            changed.push(id.clone());
        }
    }
    changed.dedup();
    changed
}

/// One poll: the node's head, the transfers in the blocks not read yet (at most
/// [`BLOCKS_PER_TICK`]), then the confirmations. Nothing changes when a call fails (the same
/// blocks are read again at the next tick; a transfer is counted once).
pub async fn tick<R: Rpc>(app: &App, rpc: &R) -> Result<(), String> {
    let Some(node) = app.chain.clone() else { return Ok(()) };
    let head = rpc.call("eth_blockNumber", json!([])).await.map_err(|e| format!("eth_blockNumber: {e}"))?;
    let head = quantity_u64(&head).ok_or_else(|| format!("eth_blockNumber: {head} is not a quantity"))?;
    let scan = {
        let mut inner = app.lock();
        let Inner { payments, chain, .. } = &mut *inner;
        // A payment evicted or final is not watched any more.
        chain.watches.retain(|id, _| payments.get(id).is_some_and(|p| !p.status.is_final()));
        if head < chain.scanned {
            // The node restarted (another chain) or reorganised: its last blocks are read
            // again, and count for every payment (a transfer counted already is not again).
            let from = head.saturating_sub(BLOCKS_PER_TICK);
            node.note(&format!(
                "the node's head went back from block {} to {head}; reading again from block {}",
                chain.scanned,
                from + 1
            ));
            chain.scanned = from;
            for w in chain.watches.values_mut() {
                w.start = w.start.min(from + 1);
            }
        }
        chain.head = head;
        if chain.watches.is_empty() {
            chain.scanned = head;
            return Ok(());
        }
        let mut scan = Scan {
            from: chain.scanned + 1,
            to: head.min(chain.scanned.saturating_add(BLOCKS_PER_TICK)),
            natives: HashMap::new(),
            tokens: HashMap::new(),
        };
        for w in chain.watches.values() {
            match &w.contract {
                None => {
                    let start = scan.natives.entry(w.address.clone()).or_insert(w.start);
                    *start = (*start).min(w.start);
                }
                Some(c) => scan.tokens.entry(c.clone()).or_default().push(w.address.clone()),
            }
        }
        scan
    };
    let mut transfers = Vec::new();
    let mut to = scan.to;
    if scan.from <= scan.to {
        if !scan.natives.is_empty() {
            to = scan_blocks(rpc, &node, &scan, &mut transfers).await?;
        }
        if to >= scan.from {
            for (contract, payees) in &scan.tokens {
                for chunk in payees.chunks(TOPICS_PER_CALL) {
                    token_logs(rpc, &node, contract, chunk, (scan.from, to), &mut transfers).await?;
                }
            }
        }
    }
    let changed = {
        let mut inner = app.lock();
        let changed = apply(&mut inner, &node, head, transfers, now_ms());
        inner.chain.scanned = inner.chain.scanned.max(to);
        changed
    };
    for id in changed {
        let _ = app.changes.send(id);
    }
    Ok(())
}

/// Polls the node every `--chain-poll-ms` for as long as the devserver runs.
pub async fn run<R: Rpc>(app: App, rpc: R) {
    let Some(node) = app.chain.clone() else { return };
    let mut every = tokio::time::interval(node.poll);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match tick(&app, &rpc).await {
            Ok(()) => node.answered(),
            Err(e) => node.failed(&e),
        }
    }
}

/// Starts watching the payments just built, when the devserver watches a chain (called by
/// `POST /api/payments` with the state locked).
pub fn watch_new(app: &App, inner: &mut Inner, built: &[SimPayment]) {
    let Some(node) = &app.chain else { return };
    for p in built {
        if let Err(e) = inner.chain.watch(node, p) {
            node.note(&e);
        }
    }
}

/// `GET /api/chain`: the node, its head and how many payments are watched; 404 without
/// `--chain-rpc`.
pub async fn info(State(app): State<App>) -> Response {
    let Some(node) = &app.chain else {
        return crate::error(
            404,
            None,
            "the devserver runs without --chain-rpc: start it with --chain-rpc http://127.0.0.1:8545 to watch a node",
        );
    };
    let inner = app.lock();
    axum::Json(json!({
        "rpc_url": node.rpc_url,
        "chain_id": node.chain_id,
        "networks": node.networks().iter().map(|n| n.id()).collect::<Vec<_>>(),
        "head": inner.chain.head,
        "scanned": inner.chain.scanned,
        "watched": inner.chain.watches.len(),
        "poll_ms": node.poll.as_millis() as u64,
    }))
    .into_response()
}

/// Starts the watcher for `--chain-rpc`: asks the node (an error if it does not answer),
/// then polls it in the background.
pub async fn start(app: &mut App, url: &str, poll: Duration) -> Result<(), String> {
    let rpc = HttpRpc::new(url, RPC_TIMEOUT)?;
    let (node, head) = connect(&rpc, url, poll).await?;
    let networks = node.networks();
    if networks.is_empty() {
        eprintln!(
            "devserver: chain: no network of Payform has chain id {} (sepolia is 11155111, holesky 17000, \
             hoodi 560048, ethereum 1): no payment will be watched; start the node with e.g. --chain-id 11155111",
            node.chain_id
        );
    }
    let names: Vec<&str> = networks.iter().map(|n| n.id()).collect();
    println!(
        "devserver: watching chain {} ({}) at {url} from block {head}, every {} ms",
        node.chain_id,
        if names.is_empty() { "no payform network".to_owned() } else { names.join(", ") },
        poll.as_millis()
    );
    app.chain = Some(Arc::new(node));
    app.lock().chain.start(head);
    tokio::spawn(run(app.clone(), rpc));
    Ok(())
}

#[cfg(test)]
mod tests;
