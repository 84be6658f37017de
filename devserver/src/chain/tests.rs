//! The watcher against a scripted node ([`Fake`]: blocks, receipts and logs in memory), through
//! the devserver's router; the HTTP client against a JSON-RPC server on loopback.

use super::*;
use crate::{cors, router, Limits};
use axum::body::{to_bytes, Body};
use axum::routing::post;
use axum::Router;
use payform_core::status::Status;
use tower::ServiceExt;

const SEPOLIA: u64 = 11_155_111;
const USDC: &str = "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238";
const SHOPPER: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const ELSEWHERE: &str = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
/// 0.01 ETH in wei.
const CENT_ETH: u128 = 10_000_000_000_000_000;

/// A node in memory.
#[derive(Default)]
struct FakeChain {
    /// The transactions of each block, from block 0.
    blocks: Vec<Vec<Value>>,
    receipts: HashMap<String, Value>,
    logs: Vec<Value>,
    /// Every call fails as an unreachable node's would.
    down: bool,
    /// `eth_getLogs` answers every log to the payees, whatever the blocks asked, each twice.
    sloppy: bool,
    next_tx: u64,
    calls: Vec<String>,
}

#[derive(Default)]
struct Fake(Mutex<FakeChain>);

impl Fake {
    fn new(head: u64) -> Fake {
        let fake = Fake::default();
        fake.state().blocks = vec![Vec::new(); head as usize + 1];
        fake
    }

    fn state(&self) -> std::sync::MutexGuard<'_, FakeChain> {
        crate::lock(&self.0)
    }

    fn head(&self) -> u64 {
        self.state().blocks.len() as u64 - 1
    }

    /// Mines an empty block; returns its number.
    fn mine(&self) -> u64 {
        let mut c = self.state();
        c.blocks.push(Vec::new());
        c.blocks.len() as u64 - 1
    }

    fn new_hash(c: &mut FakeChain) -> String {
        c.next_tx += 1;
        format!("0x{:064x}", 0xfeed_0000 + c.next_tx)
    }

    /// A native transfer in `block` (a new block when `None`); `ok`: its receipt's status is
    /// 1, else the transaction reverted. Returns its hash.
    fn send_in(&self, block: Option<u64>, to: &str, wei: u128, ok: bool) -> String {
        let mut c = self.state();
        let n = block.unwrap_or_else(|| {
            c.blocks.push(Vec::new());
            c.blocks.len() as u64 - 1
        });
        let hash = Fake::new_hash(&mut c);
        let tx = json!({"hash": hash, "from": SHOPPER, "to": to, "value": format!("0x{wei:x}"),
            "blockNumber": hex(n), "input": "0x"});
        c.blocks[n as usize].push(tx);
        let status = if ok { "0x1" } else { "0x0" };
        c.receipts
            .insert(hash.clone(), json!({"transactionHash": hash, "status": status, "blockNumber": hex(n)}));
        hash
    }

    fn send(&self, to: &str, wei: u128, ok: bool) -> String {
        self.send_in(None, to, wei, ok)
    }

    /// An ERC-20 `Transfer` log of `contract` to `to` in `block` (a new block when `None`),
    /// in the transaction `hash` (a new one when `None`) at `index`. Returns the hash.
    fn token_in(
        &self,
        block: Option<u64>,
        hash: Option<&str>,
        index: u64,
        contract: &str,
        to: &str,
        atomic: u128,
    ) -> String {
        let mut c = self.state();
        let n = block.unwrap_or_else(|| {
            c.blocks.push(Vec::new());
            c.blocks.len() as u64 - 1
        });
        let hash = hash.map_or_else(|| Fake::new_hash(&mut c), str::to_owned);
        let topic = |a: &str| format!("0x{:0>64}", a[2..].to_ascii_lowercase());
        c.logs.push(json!({
            "address": contract.to_ascii_lowercase(),
            "topics": [TRANSFER_TOPIC, topic(SHOPPER), topic(to)],
            "data": format!("0x{atomic:064x}"),
            "blockNumber": hex(n), "transactionHash": hash, "logIndex": hex(index), "removed": false,
        }));
        hash
    }

    fn token(&self, to: &str, atomic: u128) -> String {
        self.token_in(None, None, 0, USDC, to, atomic)
    }

    fn answer(&self, method: &str, params: &Value) -> Result<Value, RpcError> {
        let mut c = self.state();
        c.calls.push(method.to_owned());
        if c.down {
            return Err(RpcError::Unreachable("tcp connect error: Connection refused (os error 111)".into()));
        }
        let head = c.blocks.len() as u64 - 1;
        match method {
            "eth_chainId" => Ok(json!(hex(SEPOLIA))),
            "eth_blockNumber" => Ok(json!(hex(head))),
            "eth_getBlockByNumber" => {
                let n = quantity_u64(&params[0]).expect("a block number");
                assert_eq!(params[1], true, "full transactions");
                Ok(c.blocks
                    .get(n as usize)
                    .map_or(Value::Null, |txs| json!({"number": hex(n), "transactions": txs})))
            }
            "eth_getTransactionReceipt" => {
                Ok(params[0].as_str().and_then(|h| c.receipts.get(h)).cloned().unwrap_or(Value::Null))
            }
            "eth_getLogs" => {
                let filter = &params[0];
                let (from, to) = (quantity_u64(&filter["fromBlock"]), quantity_u64(&filter["toBlock"]));
                let (from, to) = (from.expect("fromBlock"), to.expect("toBlock"));
                assert_eq!(filter["topics"][0], TRANSFER_TOPIC);
                assert!(filter["topics"][1].is_null());
                let payees = filter["topics"][2].as_array().expect("payee topics");
                assert!(payees.len() <= TOPICS_PER_CALL);
                let address = filter["address"].as_str().expect("a contract");
                let mut logs: Vec<Value> = c
                    .logs
                    .iter()
                    .filter(|l| l["address"].as_str().is_some_and(|a| a.eq_ignore_ascii_case(address)))
                    .filter(|l| payees.contains(&l["topics"][2]))
                    .filter(|l| {
                        let n = quantity_u64(&l["blockNumber"]).unwrap_or(0);
                        c.sloppy || (from..=to).contains(&n)
                    })
                    .cloned()
                    .collect();
                if c.sloppy {
                    logs = logs.into_iter().flat_map(|l| [l.clone(), l]).collect();
                }
                Ok(Value::Array(logs))
            }
            _ => Err(RpcError::Node { code: -32601, message: format!("method {method} not found") }),
        }
    }
}

impl Rpc for Fake {
    fn call(
        &self,
        method: &'static str,
        params: Value,
    ) -> impl Future<Output = Result<Value, RpcError>> + Send {
        std::future::ready(self.answer(method, &params))
    }
}

/// A devserver watching `fake` (a Sepolia node), and its router.
fn watching(fake: &Fake) -> (App, Router) {
    let mut app = App::new(Limits::default(), cors::Origins::default());
    app.chain = Some(Arc::new(Node::new("http://127.0.0.1:8545", SEPOLIA, Duration::from_millis(250))));
    app.lock().chain.start(fake.head());
    let router = router(app.clone(), None);
    (app, router)
}

async fn call(router: &Router, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::builder().method(method).uri(uri).body(Body::from(body.to_owned())).unwrap();
    let res = router.clone().oneshot(request).await.unwrap();
    let status = res.status();
    let bytes = to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Creates a payment; returns its id and address.
async fn create(router: &Router, body: Value) -> (String, String) {
    let (status, json) = call(router, "POST", "/api/payments", &body.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    (json["id"].as_str().unwrap().to_owned(), json["address"].as_str().unwrap().to_owned())
}

fn eth(confirmations: u32) -> Value {
    json!({"amount": "0.01", "currency": "ETH", "network": "sepolia", "confirmations_required": confirmations})
}

fn usdc(amount: &str, confirmations: u32) -> Value {
    json!({"amount": amount, "currency": "USDC", "network": "sepolia", "confirmations_required": confirmations})
}

fn payment(app: &App, id: &str) -> SimPayment {
    app.lock().payments.get(id).cloned().expect("the payment")
}

/// (status, confirmations, paid, due, txids) as the native JSON says.
fn seen(app: &App, id: &str) -> (String, u64, String, String, Vec<String>) {
    let native = payment(app, id).to_native(0);
    let txids = native
        .get("txids")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |list| list.iter().map(|t| t.as_str().unwrap_or_default().to_owned()).collect());
    (
        native["status"].as_str().unwrap().to_owned(),
        native["confirmations"].as_u64().unwrap(),
        native["paid"].as_str().unwrap().to_owned(),
        native["due"].as_str().unwrap().to_owned(),
        txids,
    )
}

fn state(
    status: &str,
    confirmations: u64,
    paid: &str,
    due: &str,
    txids: &[&String],
) -> (String, u64, String, String, Vec<String>) {
    (status.into(), confirmations, paid.into(), due.into(), txids.iter().map(|t| t.to_string()).collect())
}

fn watched(app: &App) -> usize {
    app.lock().chain.watches.len()
}

#[tokio::test]
async fn a_native_payment_confirms_1_of_2_then_is_paid_and_no_longer_watched() {
    let fake = Fake::new(10);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(2)).await;
    assert_eq!(watched(&app), 1);
    let mut changes = app.changes.subscribe();
    tick(&app, &fake).await.unwrap();
    assert_eq!(payment(&app, &id).version, 1, "no block, no change");
    assert!(changes.try_recv().is_err());

    let hash = fake.send(&address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("confirming", 1, "0.01", "0", &[&hash]));
    assert_eq!(changes.try_recv().ok(), Some(id.clone()), "the change is broadcast (SSE)");
    let version = payment(&app, &id).version;
    assert!(version > 1);
    // The same head again: nothing moves.
    tick(&app, &fake).await.unwrap();
    assert_eq!(payment(&app, &id).version, version);

    fake.mine();
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("paid", 2, "0.01", "0", &[&hash]));
    assert!(payment(&app, &id).paid_at_ms.is_some());
    assert_eq!(changes.try_recv().ok(), Some(id.clone()));
    // Paid is final: the next tick forgets it, and more blocks change nothing.
    fake.mine();
    tick(&app, &fake).await.unwrap();
    assert_eq!(watched(&app), 0);
    assert_eq!(seen(&app, &id).1, 2, "confirmations stop at the required number");
    let (status, chain) = call(&router, "GET", "/api/chain", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (chain["head"].as_u64(), chain["scanned"].as_u64(), chain["watched"].as_u64()),
        (Some(13), Some(13), Some(0))
    );
}

#[tokio::test]
async fn a_token_payment_partial_then_topped_up_is_underpaid_then_confirming_then_paid() {
    let fake = Fake::new(3);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, usdc("25", 2)).await;
    let first = fake.token(&address, 10_000_000);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("underpaid", 0, "10", "15", &[&first]));
    let second = fake.token(&address, 15_000_000);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("confirming", 1, "25", "0", &[&first, &second]));
    fake.mine();
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("paid", 2, "25", "0", &[&first, &second]));
}

#[tokio::test]
async fn more_than_due_without_confirmations_is_overpaid_at_once() {
    let fake = Fake::new(0);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(0)).await;
    let hash = fake.send(&address, 2 * CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("overpaid", 0, "0.02", "0", &[&hash]));
}

#[tokio::test]
async fn a_reverted_transaction_is_ignored() {
    let fake = Fake::new(5);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(1)).await;
    fake.send(&address, CENT_ETH, false);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("awaiting_payment", 0, "0", "0.01", &[]));
    assert_eq!(payment(&app, &id).version, 1);
    // The retry that succeeds counts, and one confirmation is enough.
    let hash = fake.send(&address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("paid", 1, "0.01", "0", &[&hash]));
}

#[tokio::test]
async fn transfers_to_other_addresses_are_ignored() {
    let fake = Fake::new(5);
    let (app, router) = watching(&fake);
    let (native, native_address) = create(&router, eth(1)).await;
    let (token, token_address) = create(&router, usdc("5", 1)).await;
    fake.send(ELSEWHERE, CENT_ETH, true);
    fake.token(ELSEWHERE, 5_000_000);
    // The token's payee sent ETH, the native payee got USDC, and another token's log.
    fake.send(&token_address, CENT_ETH, true);
    fake.token(&native_address, 5_000_000);
    fake.token_in(None, None, 0, "0x94a9d9ac8a22534e3faca9f4e7f2e2cf85d5e4c8", &token_address, 5_000_000);
    for _ in 0..2 {
        tick(&app, &fake).await.unwrap();
    }
    assert_eq!(seen(&app, &native), state("awaiting_payment", 0, "0", "0.01", &[]));
    assert_eq!(seen(&app, &token), state("awaiting_payment", 0, "0", "5", &[]));
    assert_eq!(watched(&app), 2);
}

#[tokio::test]
async fn transfers_in_blocks_before_the_payment_are_ignored() {
    let fake = Fake::new(10);
    let (app, router) = watching(&fake);
    // One watched payment keeps the watcher reading blocks; 100 blocks put it behind.
    create(&router, eth(1)).await;
    for _ in 0..100 {
        fake.mine();
    }
    tick(&app, &fake).await.unwrap();
    let progress = |app: &App| {
        let inner = app.lock();
        (inner.chain.head, inner.chain.scanned)
    };
    assert_eq!(progress(&app), (110, 10 + BLOCKS_PER_TICK), "64 blocks a tick");
    // Created at head 110: blocks up to 110 do not count for these, though not read yet.
    let (native, native_address) = create(&router, eth(1)).await;
    let (token, token_address) = create(&router, usdc("5", 1)).await;
    fake.send_in(Some(80), &native_address, CENT_ETH, true);
    fake.token_in(Some(90), None, 0, USDC, &token_address, 5_000_000);
    fake.token_in(Some(110), None, 1, USDC, &token_address, 5_000_000);
    tick(&app, &fake).await.unwrap();
    assert_eq!(progress(&app), (110, 110));
    assert_eq!(seen(&app, &native), state("awaiting_payment", 0, "0", "0.01", &[]));
    assert_eq!(seen(&app, &token), state("awaiting_payment", 0, "0", "5", &[]));
    // The next block counts.
    let hash = fake.send(&native_address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &native), state("paid", 1, "0.01", "0", &[&hash]));
}

#[tokio::test]
async fn the_same_log_seen_twice_is_counted_once() {
    let fake = Fake::new(1);
    fake.state().sloppy = true;
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, usdc("25", 3)).await;
    let hash = fake.token(&address, 10_000_000);
    for _ in 0..3 {
        tick(&app, &fake).await.unwrap();
        fake.mine();
    }
    assert_eq!(seen(&app, &id), state("underpaid", 0, "10", "15", &[&hash]));
    // Two transfers in one transaction (two log indexes) are two payments, listed once.
    let n = fake.mine();
    fake.token_in(Some(n), Some(&hash), 7, USDC, &address, 5_000_000);
    fake.token_in(Some(n), Some(&hash), 8, USDC, &address, 10_000_000);
    tick(&app, &fake).await.unwrap();
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("confirming", 1, "25", "0", &[&hash]));
}

#[tokio::test]
async fn an_unreachable_node_leaves_the_payment_unchanged_then_is_read_again() {
    let fake = Fake::new(4);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(2)).await;
    let hash = fake.send(&address, CENT_ETH, true);
    fake.state().down = true;
    let err = tick(&app, &fake).await.unwrap_err();
    assert!(err.starts_with("eth_blockNumber: no answer"), "{err}");
    assert_eq!(seen(&app, &id), state("awaiting_payment", 0, "0", "0.01", &[]));
    assert_eq!(payment(&app, &id).version, 1);
    assert_eq!(app.lock().chain.scanned, 4);
    // Back: the block missed is read.
    fake.state().down = false;
    fake.mine();
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("paid", 2, "0.01", "0", &[&hash]));
}

#[tokio::test]
async fn a_failure_mid_tick_changes_nothing_and_the_retry_counts_once() {
    /// A node whose receipts fail until allowed.
    struct NoReceipts<'a>(&'a Fake, AtomicBool);
    impl Rpc for NoReceipts<'_> {
        fn call(
            &self,
            method: &'static str,
            params: Value,
        ) -> impl Future<Output = Result<Value, RpcError>> + Send {
            let r = if method == "eth_getTransactionReceipt" && !self.1.load(Ordering::Relaxed) {
                Err(RpcError::Timeout(RPC_TIMEOUT))
            } else {
                self.0.answer(method, &params)
            };
            std::future::ready(r)
        }
    }
    let fake = Fake::new(0);
    let (app, router) = watching(&fake);
    let (native, native_address) = create(&router, eth(1)).await;
    let (token, token_address) = create(&router, usdc("5", 1)).await;
    let token_hash = fake.token(&token_address, 5_000_000);
    let native_hash = fake.send(&native_address, CENT_ETH, true);
    let node = NoReceipts(&fake, AtomicBool::new(false));
    let err = tick(&app, &node).await.unwrap_err();
    assert!(err.contains("eth_getTransactionReceipt") && err.contains("no answer within 5000 ms"), "{err}");
    assert_eq!(
        (seen(&app, &native).0, seen(&app, &token).0),
        ("awaiting_payment".into(), "awaiting_payment".into())
    );
    assert_eq!(app.lock().chain.scanned, 0);
    node.1.store(true, Ordering::Relaxed);
    tick(&app, &node).await.unwrap();
    tick(&app, &node).await.unwrap();
    assert_eq!(seen(&app, &native), state("paid", 1, "0.01", "0", &[&native_hash]));
    assert_eq!(seen(&app, &token), state("paid", 1, "5", "0", &[&token_hash]));
}

#[tokio::test]
async fn a_restarted_node_is_read_from_its_new_head() {
    let fake = Fake::new(30);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(1)).await;
    // The node restarts with a new chain at block 2; the payment was made at block 30.
    fake.state().blocks.truncate(3);
    let hash = fake.send(&address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id), state("paid", 1, "0.01", "0", &[&hash]));
    let inner = app.lock();
    assert_eq!((inner.chain.head, inner.chain.scanned), (3, 3));
}

#[tokio::test]
async fn a_transfer_after_the_deadline_pays_the_expired_payment_late() {
    let fake = Fake::new(2);
    let (app, router) = watching(&fake);
    let (id, address) = create(&router, eth(1)).await;
    let (status, _) =
        call(&router, "POST", &format!("/api/payments/{id}/simulate"), r#"{"action": "expire"}"#).await;
    assert_eq!(status, StatusCode::OK);
    tick(&app, &fake).await.unwrap();
    assert_eq!(watched(&app), 1, "expired is not final: a late payment may still come");
    let hash = fake.send(&address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    let (status, confirmations, paid, _, txids) = seen(&app, &id);
    assert_eq!((status.as_str(), confirmations, paid.as_str(), txids), ("paid", 1, "0.01", vec![hash]));
}

#[tokio::test]
async fn only_payments_of_the_nodes_chain_are_watched_and_simulate_still_works() {
    let fake = Fake::new(0);
    let (app, router) = watching(&fake);
    for body in [
        json!({"amount": "0.01", "currency": "ETH", "network": "holesky"}),
        json!({"amount": "0.01", "currency": "ETH", "network": "ethereum"}),
        json!({"amount": "25", "currency": "USDT", "network": "tron"}),
        json!({"amount": "0.5", "currency": "BTC", "network": "bitcoin", "test": true}),
        json!({"amount": "10", "currency": "EUR", "network": "sepa_epc"}),
    ] {
        create(&router, body).await;
    }
    assert_eq!(watched(&app), 0);
    // Options: each sibling on Sepolia is watched.
    let body = json!({"amount": "0.01", "currency": "ETH", "network": "sepolia", "confirmations_required": 2,
        "options": [{"currency": "USDC", "network": "sepolia", "amount": "25"},
            {"currency": "USDT", "network": "tron", "amount": "25"}]});
    let (id, address) = create(&router, body).await;
    assert_eq!(watched(&app), 2);
    // A simulated payment: its generated transaction is not the chain's, so `confirm` drives it.
    let simulate = |action: &str| {
        let (router, uri) = (router.clone(), format!("/api/payments/{id}/simulate"));
        let body = json!({"action": action}).to_string();
        async move { call(&router, "POST", &uri, &body).await }
    };
    let (status, json) = simulate("pay").await;
    assert_eq!((status, json["status"].as_str()), (StatusCode::OK, Some("confirming")), "{json}");
    fake.mine();
    fake.mine();
    tick(&app, &fake).await.unwrap();
    assert_eq!(seen(&app, &id).1, 0, "the chain does not confirm a simulated payment");
    // A real transfer on top (more funds while confirming) is received, and confirms.
    let hash = fake.send(&address, CENT_ETH, true);
    tick(&app, &fake).await.unwrap();
    let (status, confirmations, paid, _, txids) = seen(&app, &id);
    assert_eq!((status.as_str(), confirmations, paid.as_str()), ("confirming", 1, "0.02"));
    assert_eq!((txids.len(), txids.last()), (2, Some(&hash)));
    let (status, json) = simulate("confirm").await;
    assert_eq!((status, json["status"].as_str()), (StatusCode::OK, Some("overpaid")), "{json}");
}

#[tokio::test]
async fn evicted_payments_are_no_longer_watched() {
    let mut app = App::new(Limits { max_payments: 2, ..Limits::default() }, cors::Origins::default());
    app.chain = Some(Arc::new(Node::new("http://127.0.0.1:8545", SEPOLIA, Duration::from_millis(250))));
    let router = router(app.clone(), None);
    for _ in 0..3 {
        create(&router, eth(1)).await;
    }
    assert_eq!(watched(&app), 2);
}

#[tokio::test]
async fn get_api_chain_says_what_is_watched_or_404_without_the_flag() {
    let off = router(App::new(Limits::default(), cors::Origins::default()), None);
    let (status, json) = call(&off, "GET", "/api/chain", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json["error"].as_str().unwrap().contains("the devserver runs without --chain-rpc"), "{json}");

    let fake = Fake::new(7);
    let (_app, router) = watching(&fake);
    create(&router, eth(1)).await;
    let request =
        Request::get("/api/chain").header("origin", "https://shop.example").body(Body::empty()).unwrap();
    let res = router.clone().oneshot(request).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("access-control-allow-origin").map(|v| v.as_bytes()), Some(&b"*"[..]));
    let json: Value = serde_json::from_slice(&to_bytes(res.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!(
        json,
        json!({"rpc_url": "http://127.0.0.1:8545", "chain_id": SEPOLIA, "networks": ["sepolia"], "head": 7,
            "scanned": 7, "watched": 1, "poll_ms": 250})
    );
}

#[test]
fn hex_quantities_and_words_are_read_strictly() {
    assert_eq!(quantity_u64(&json!("0x0")), Some(0));
    assert_eq!(quantity_u64(&json!("0xaa36a7")), Some(SEPOLIA));
    assert_eq!(quantity_u64(&json!("0xFFFFFFFFFFFFFFFF")), Some(u64::MAX));
    for bad in [json!("0x"), json!("12"), json!("0x1g"), json!(12), json!(null), json!("0x10000000000000000")]
    {
        assert_eq!(quantity_u64(&bad), None, "{bad}");
    }
    let word = format!("0x{:064x}", u128::MAX);
    assert_eq!(quantity_u128(&json!(word)), Some(u128::MAX));
    assert_eq!(quantity_u128(&json!(format!("0x1{}", "0".repeat(32)))), None, "beyond u128");
    assert_eq!(quantity_u128(&json!(format!("0x{}", "0".repeat(65)))), None, "beyond 32 bytes");
    let topic = format!("0x{:0>64}", &SHOPPER[2..]);
    assert_eq!(topic_address(&json!(topic)).as_deref(), Some(SHOPPER));
    assert_eq!(topic_address(&json!(format!("0x1{}", &topic[3..]))), None, "not an address");
    assert!(
        hash32(&json!(format!("0x{}", "A".repeat(64)))).is_some_and(|h| h == format!("0x{}", "a".repeat(64)))
    );
    assert_eq!(hash32(&json!("0xabc")), None);
}

#[test]
fn chain_flags() {
    let args = |a: &[&str]| crate::parse_args(a.iter().map(|s| s.to_string()), "127.0.0.1:8787".into());
    let c = args(&["--chain-rpc", "http://127.0.0.1:8545", "--chain-poll-ms", "50"]).unwrap();
    assert_eq!((c.chain_rpc.as_deref(), c.chain_poll_ms), (Some("http://127.0.0.1:8545"), Some(50)));
    let c = args(&["--chain-rpc", "http://127.0.0.1:8545"]).unwrap();
    assert_eq!(c.chain_poll_ms, None, "the default, {POLL_MS_DEFAULT} ms");
    assert_eq!(args(&[]).unwrap().chain_rpc, None);
    for bad in [
        &["--chain-rpc", "https://127.0.0.1:8545"][..],
        &["--chain-rpc"],
        &["--chain-rpc", "http://127.0.0.1:8545", "--chain-poll-ms", "49"],
        &["--chain-rpc", "http://127.0.0.1:8545", "--chain-poll-ms", "10001"],
        &["--chain-rpc", "http://127.0.0.1:8545", "--chain-poll-ms", "fast"],
        &["--chain-poll-ms", "250"],
    ] {
        assert!(args(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn rpc_urls_are_plain_http_and_bounded() {
    for good in [
        "http://127.0.0.1:8545",
        "http://localhost:8545/",
        "http://node.internal/rpc/v1",
        "HTTP://[::1]:8545",
    ] {
        assert!(parse_url(good).is_ok(), "{good}");
    }
    let long = format!("http://127.0.0.1:8545/{}", "a".repeat(URL_MAX));
    for bad in [
        "https://rpc.sepolia.org",
        "127.0.0.1:8545",
        "http://",
        "http://user:pw@127.0.0.1:8545",
        "ws://127.0.0.1:8545",
        "http://a b",
        long.as_str(),
    ] {
        assert!(parse_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn json_rpc_answers_are_told_apart() {
    let ok = StatusCode::OK;
    assert_eq!(answer(ok, br#"{"jsonrpc":"2.0","id":1,"result":"0x1"}"#), Ok(json!("0x1")));
    assert_eq!(answer(ok, br#"{"jsonrpc":"2.0","id":1,"result":null}"#), Ok(Value::Null));
    assert_eq!(
        answer(
            StatusCode::BAD_REQUEST,
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad params"}}"#
        ),
        Err(RpcError::Node { code: -32602, message: "bad params".into() })
    );
    assert_eq!(answer(StatusCode::BAD_GATEWAY, b"<html>"), Err(RpcError::Http(502)));
    assert!(matches!(answer(ok, b"<html>"), Err(RpcError::Malformed(_))));
    assert!(matches!(answer(ok, br#"{"jsonrpc":"2.0","id":1}"#), Err(RpcError::Malformed(_))));
}

// --- Over HTTP --------------------------------------------------------------------------

/// A JSON-RPC server on loopback answering as `fake`, plus `slow`, `big`, `html` for the
/// client's failures. Returns its URL.
async fn serve(fake: Arc<Fake>) -> String {
    async fn rpc(State(fake): State<Arc<Fake>>, body: String) -> Response {
        let request: Value = serde_json::from_str(&body).expect("a JSON-RPC request");
        assert_eq!(request["jsonrpc"], "2.0");
        let (id, method, params) =
            (request["id"].clone(), request["method"].as_str().unwrap_or(""), &request["params"]);
        match method {
            "slow" => tokio::time::sleep(Duration::from_secs(3)).await,
            "big" => {
                let result = "0".repeat(RESPONSE_MAX);
                return axum::Json(json!({"jsonrpc": "2.0", "id": id, "result": result})).into_response();
            }
            "html" => return (StatusCode::BAD_GATEWAY, "<html>bad gateway</html>").into_response(),
            _ => {}
        }
        let reply = match fake.answer(method, params) {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(RpcError::Node { code, message }) => {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
            }
            Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
        };
        axum::Json(reply).into_response()
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(
        async move { axum::serve(listener, Router::new().route("/", post(rpc)).with_state(fake)).await },
    );
    format!("http://{addr}/")
}

#[tokio::test]
async fn the_http_client_reads_results_and_names_each_failure() {
    let fake = Arc::new(Fake::new(5));
    let url = serve(fake.clone()).await;
    let rpc = HttpRpc::new(&url, Duration::from_millis(500)).unwrap();
    assert_eq!(rpc.call("eth_blockNumber", json!([])).await, Ok(json!("0x5")));
    assert_eq!(
        rpc.call("eth_nope", json!([])).await,
        Err(RpcError::Node { code: -32601, message: "method eth_nope not found".into() })
    );
    assert_eq!(rpc.call("html", json!([])).await, Err(RpcError::Http(502)));
    assert_eq!(rpc.call("big", json!([])).await, Err(RpcError::TooLarge));
    assert_eq!(rpc.call("slow", json!([])).await, Err(RpcError::Timeout(Duration::from_millis(500))));
    // Still usable after the failures.
    let (node, head) = connect(&rpc, &url, Duration::from_millis(250)).await.unwrap();
    assert_eq!((node.chain_id, head, node.networks()), (SEPOLIA, 5, vec![Network::Sepolia]));

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let rpc = HttpRpc::new(&url, Duration::from_millis(500)).unwrap();
    let err = rpc.call("eth_chainId", json!([])).await.unwrap_err();
    assert!(matches!(err, RpcError::Unreachable(_)), "{err:?}");
    let Err(message) = connect(&rpc, &url, Duration::from_millis(250)).await else { panic!("no node") };
    assert!(
        message.starts_with(&format!("the chain node at {url} does not answer eth_chainId: no answer")),
        "{message}"
    );
}

#[tokio::test]
async fn the_background_watcher_moves_a_payment_over_http() {
    let fake = Arc::new(Fake::new(20));
    let url = serve(fake.clone()).await;
    let mut app = App::new(Limits::default(), cors::Origins::default());
    start(&mut app, &url, Duration::from_millis(50)).await.unwrap();
    let router = router(app.clone(), None);
    let (id, address) = create(&router, usdc("1.5", 2)).await;
    let mut events = app.changes.subscribe();
    let hash = fake.token(&address, 1_500_000);
    let wait_for = |want: &'static str| {
        let (app, id) = (app.clone(), id.clone());
        async move {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            while payment(&app, &id).status.as_str() != want {
                assert!(tokio::time::Instant::now() < deadline, "never {want}: {:?}", seen(&app, &id));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    wait_for("confirming").await;
    assert_eq!(events.recv().await.ok(), Some(id.clone()));
    let (status, json) = call(&router, "GET", &format!("/api/payments/{id}"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((json["confirmations"].as_u64(), json["confirmations_required"].as_u64()), (Some(1), Some(2)));
    assert_eq!(json["txids"], json!([hash]));
    fake.mine();
    wait_for("paid").await;
    assert_eq!(payment(&app, &id).status, Status::Paid);
    let (_, chain) = call(&router, "GET", "/api/chain", "").await;
    assert_eq!((chain["chain_id"].as_u64(), chain["head"].as_u64()), (Some(SEPOLIA), Some(22)));
}
