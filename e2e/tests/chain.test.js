// The chain harness itself (e2e/chain.js), against a real anvil from npm: the node answers as
// Sepolia, the ERC-20 compiled by solc sits at Sepolia's USDC address with 6 decimals and emits
// real Transfer logs, a transfer beyond the balance reverts on chain, a transaction signed in
// Node lands with its value; then the injected EIP-1193 / EIP-6963 test wallet, on a blank page
// in chromium (no form): its announcement, requests, chain switching and each failure it can
// be told to give.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startChain, deployToken, installTestWallet, WALLET_ERRORS, USDC_SEPOLIA, TRANSFER_TOPIC,
} from '../chain.js';
import { launchBrowser } from '../lib.js';

const PAYEE = '0x00000000000000000000000000000000000bee01';
const word = (address) => '0x' + address.slice(2).toLowerCase().padStart(64, '0');

describe('the local chain', () => {
  let chain;
  let token;
  before(async () => {
    const t0 = performance.now();
    chain = await startChain({ port: 8871 });
    const t1 = performance.now();
    token = await deployToken(chain);
    const t2 = performance.now();
    console.log(`anvil up in ${(t1 - t0).toFixed(0)} ms; Token compiled + deployed + copied in ${(t2 - t1).toFixed(0)} ms`);
  });
  after(() => chain?.stop());

  test('anvil answers with Sepolia chain id 11155111 and its dev accounts', async () => {
    assert.equal(await chain.rpc('eth_chainId'), '0xaa36a7');
    const nodeAccounts = await chain.rpc('eth_accounts');
    assert.deepEqual(nodeAccounts.map((a) => a.toLowerCase()), chain.accounts.map((a) => a.address.toLowerCase()));
    assert.ok(await chain.balance(chain.accounts[1].address) > 10n ** 18n);
  });

  test('the token sits at the USDC address with constant decimals 6', async () => {
    assert.equal(token.address, USDC_SEPOLIA);
    assert.notEqual(token.deployedAt, USDC_SEPOLIA);
    const code = await chain.rpc('eth_getCode', [USDC_SEPOLIA, 'latest']);
    assert.equal(code, await chain.rpc('eth_getCode', [token.deployedAt, 'latest']));
    assert.ok(code.length > 100);
    assert.equal(token.decimals, 6);
    assert.equal((await token.call('symbol', []))[0], 'USDC');
  });

  test('mint and transfer emit Transfer logs with the payee as topic 2', async () => {
    const shopper = chain.accounts[2].address;
    const minted = await token.mint(shopper, 5_000_000n);
    assert.equal(minted.status, '0x1');
    assert.equal(minted.logs[0].topics[0], TRANSFER_TOPIC);
    assert.equal(minted.logs[0].topics[1], word('0x0000000000000000000000000000000000000000'));
    assert.equal(minted.logs[0].topics[2], word(shopper));
    assert.equal(await token.balanceOf(shopper), 5_000_000n);

    const paid = await token.transfer(2, PAYEE, 1_250_000n);
    assert.equal(paid.status, '0x1');
    assert.equal(paid.logs.length, 1);
    const [log] = paid.logs;
    assert.equal(log.address.toLowerCase(), USDC_SEPOLIA.toLowerCase());
    assert.deepEqual(log.topics, [TRANSFER_TOPIC, word(shopper), word(PAYEE)]);
    assert.equal(BigInt(log.data), 1_250_000n);
    assert.equal(await token.balanceOf(PAYEE), 1_250_000n);
    assert.equal(await token.balanceOf(shopper), 3_750_000n);
    const seen = await token.transfers({ to: PAYEE });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].value, 1_250_000n);
  });

  test('a transfer beyond the balance reverts on chain (receipt status 0)', async () => {
    const before = await token.balanceOf(chain.accounts[3].address);
    const receipt = await token.transfer(3, PAYEE, before + 1n, { gas: 100_000n });
    assert.equal(receipt.status, '0x0');
    assert.equal(receipt.logs.length, 0);
    assert.equal(await token.balanceOf(chain.accounts[3].address), before);
  });

  test('a native send signed in Node lands with the right value', async () => {
    const to = '0x00000000000000000000000000000000000bee02';
    const value = 123_456_789_000_000_000n;
    const hash = await chain.send(4, { to, value });
    const receipt = await chain.receipt(hash);
    assert.equal(receipt.status, '0x1');
    const tx = await chain.rpc('eth_getTransactionByHash', [hash]);
    assert.equal(BigInt(tx.value), value);
    assert.equal(tx.from.toLowerCase(), chain.accounts[4].address.toLowerCase());
    assert.equal(BigInt(tx.chainId), 11155111n);
    assert.equal(tx.type, '0x2');
    assert.equal(await chain.balance(to), value);
  });

  test('mine(n) makes blocks; with automine off a transaction waits for one', async () => {
    const start = BigInt(await chain.rpc('eth_blockNumber'));
    await chain.mine(3);
    assert.equal(BigInt(await chain.rpc('eth_blockNumber')), start + 3n);
    await chain.automine(false);
    try {
      const hash = await chain.send(5, { to: PAYEE, value: 1n });
      assert.equal(await chain.rpc('eth_getTransactionReceipt', [hash]), null);
      await chain.mine(1);
      assert.equal((await chain.receipt(hash)).status, '0x1');
    } finally {
      await chain.automine(true);
    }
  });
});

describe('the test wallet in a page', () => {
  const PAGE = 'http://127.0.0.1:8873/';
  let chain;
  let token;
  let browser;
  before(async () => {
    chain = await startChain({ port: 8872 });
    token = await deployToken(chain);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await chain?.stop();
  });

  // A blank page at PAGE (served by a route, no server) with `wallets` installed on it.
  async function open(opts = {}) {
    const page = await browser.newPage();
    // Before the wallet's own script: records every announcement, including the one on load.
    await page.addInitScript(() => {
      window.__announced = [];
      window.addEventListener('eip6963:announceProvider', (e) => window.__announced.push(e.detail));
    });
    const wallet = await installTestWallet(page, chain, opts);
    await page.route(PAGE, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
    await page.goto(PAGE);
    await page.evaluate(() => {
      window.__events = [];
      window.provider = window.__announced[0]?.provider;
      for (const name of ['chainChanged', 'accountsChanged', 'disconnect']) {
        window.provider?.on(name, (data) => window.__events.push([name, data?.code ?? data]));
      }
      window.ask = (method, params) => window.provider.request({ method, params }).then(
        (result) => ({ result }),
        (e) => ({ error: { code: e.code, message: e.message, data: e.data, isError: e instanceof Error } }),
      );
    });
    return { page, wallet };
  }

  test('announces itself by EIP-6963 on load and on request', async () => {
    const { page, wallet } = await open();
    const seen = await page.evaluate(() => {
      const onLoad = window.__announced.length;
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      const d = window.__announced.at(-1);
      return {
        onLoad,
        total: window.__announced.length,
        info: d.info,
        frozen: Object.isFrozen(d),
        hasRequest: typeof d.provider.request === 'function',
        legacy: 'ethereum' in window,
      };
    });
    assert.equal(seen.onLoad, 1);
    assert.equal(seen.total, 2);
    assert.ok(seen.frozen);
    assert.ok(seen.hasRequest);
    assert.equal(seen.legacy, false);
    assert.deepEqual(seen.info, wallet.info);
    assert.equal(seen.info.name, 'Test Wallet');
    assert.equal(seen.info.rdns, 'org.payform.testwallet');
    assert.match(seen.info.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(seen.info.icon, /^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/);
    assert.match(Buffer.from(seen.info.icon.split(',')[1], 'base64').toString(), /^<svg /);
    await page.close();
  });

  test('connects, pays natively and in the token, each request recorded', async () => {
    const { page, wallet } = await open();
    const account = wallet.address.toLowerCase();
    assert.deepEqual(await page.evaluate(() => ask('eth_accounts')), { result: [] });
    assert.deepEqual(await page.evaluate(() => ask('eth_requestAccounts')), { result: [account] });
    assert.deepEqual(await page.evaluate(() => ask('eth_chainId')), { result: '0xaa36a7' });

    const native = await page.evaluate((from) => ask('eth_sendTransaction', [{ from, to: '0x00000000000000000000000000000000000bee03', value: '0x2386f26fc10000' }]), account);
    const receipt = await chain.receipt(native.result);
    assert.equal(receipt.status, '0x1');
    assert.equal(BigInt((await chain.rpc('eth_getTransactionByHash', [native.result])).value), 10n ** 16n);
    assert.equal(receipt.from.toLowerCase(), account);

    await token.mint(wallet.address, 2_000_000n);
    const data = token.iface.encodeFunctionData('transfer', [PAYEE, 1_500_000n]);
    const paid = await page.evaluate(([from, to, data]) => ask('eth_sendTransaction', [{ from, to, value: '0x0', data }]), [account, USDC_SEPOLIA, data]);
    assert.equal((await chain.receipt(paid.result)).logs[0].topics[2], word(PAYEE));
    // Reads go to the node.
    const balance = await page.evaluate(([to, data]) => ask('eth_call', [{ to, data }, 'latest']), [USDC_SEPOLIA, token.iface.encodeFunctionData('balanceOf', [wallet.address])]);
    assert.equal(BigInt(balance.result), 500_000n);

    assert.deepEqual(wallet.requests().map((r) => r.method),
      ['eth_accounts', 'eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction', 'eth_sendTransaction', 'eth_call']);
    assert.deepEqual(wallet.requests()[4].params, [{ from: account, to: USDC_SEPOLIA, value: '0x0', data }]);
    assert.deepEqual(wallet.sent().map((s) => s.hash), [native.result, paid.result]);
    assert.deepEqual(await page.evaluate(() => window.__events), [['accountsChanged', [account]]]);
    await page.close();
  });

  test('checks what it is asked to send: connected, from, chain', async () => {
    const { page, wallet } = await open();
    const tx = { from: wallet.address, to: PAYEE, value: '0x1' };
    assert.equal((await page.evaluate((tx) => ask('eth_sendTransaction', [tx]), tx)).error.code, 4100);
    await page.evaluate(() => ask('eth_requestAccounts'));
    assert.equal((await page.evaluate((tx) => ask('eth_sendTransaction', [{ ...tx, from: undefined }]), tx)).error.code, -32602);
    assert.equal((await page.evaluate((tx) => ask('eth_sendTransaction', [{ ...tx, from: '0x00000000000000000000000000000000000bee04' }]), tx)).error.code, 4100);
    assert.equal((await page.evaluate((tx) => ask('eth_sendTransaction', [{ ...tx, chainId: '0x1' }]), tx)).error.code, -32602);
    assert.equal((await page.evaluate(() => ask('personal_sign', ['0x00', '0x00']))).error.code, 4200);
    assert.equal(wallet.sent().length, 0);
    await page.close();
  });

  test('switches chains: 4902 until the chain is added, then chainChanged', async () => {
    const { page, wallet } = await open({ chainId: 1, knownChains: [1], connected: true });
    assert.deepEqual(await page.evaluate(() => ask('eth_accounts')), { result: [wallet.address.toLowerCase()] });
    assert.deepEqual(await page.evaluate(() => ask('eth_chainId')), { result: '0x1' });
    // On the wrong chain it cannot pay.
    const wrong = await page.evaluate((from) => ask('eth_sendTransaction', [{ from, to: '0x00000000000000000000000000000000000bee05', value: '0x1' }]), wallet.address);
    assert.equal(wrong.error.code, 4901);
    assert.equal((await page.evaluate(() => ask('wallet_switchEthereumChain', [{ chainId: '0x0aa36a7' }]))).error.code, -32602);
    const unknown = await page.evaluate(() => ask('wallet_switchEthereumChain', [{ chainId: '0xaa36a7' }]));
    assert.equal(unknown.error.code, 4902);
    assert.equal(wallet.chainId(), 1);
    const params = { chainId: '0xaa36a7', chainName: 'Sepolia', nativeCurrency: { name: 'Sepolia Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: [chain.rpcUrl] };
    assert.deepEqual(await page.evaluate((p) => ask('wallet_addEthereumChain', [p]), params), { result: null });
    assert.deepEqual(wallet.added(), [params]);
    assert.deepEqual(await page.evaluate(() => ask('eth_chainId')), { result: '0xaa36a7' });
    assert.deepEqual(await page.evaluate(() => ask('wallet_switchEthereumChain', [{ chainId: '0x1' }])), { result: null });
    assert.deepEqual(await page.evaluate(() => ask('wallet_switchEthereumChain', [{ chainId: '0xaa36a7' }])), { result: null });
    // The user switches in the wallet.
    await wallet.set({ chainId: 5 });
    assert.deepEqual(await page.evaluate(() => window.__events),
      [['chainChanged', '0xaa36a7'], ['chainChanged', '0x1'], ['chainChanged', '0xaa36a7'], ['chainChanged', '0x5']]);
    await page.close();
  });

  test('rejects as told, with code, message and data; once clears itself', async () => {
    const { page, wallet } = await open({ connected: true });
    await wallet.set({ reject: 'eth_requestAccounts' });
    assert.deepEqual((await page.evaluate(() => ask('eth_requestAccounts'))).error,
      { ...WALLET_ERRORS.userRejected, data: undefined, isError: true });
    const mobile = WALLET_ERRORS.unknownChainMobile('0xaa36a7');
    await wallet.set({ reject: { wallet_switchEthereumChain: mobile, eth_sendTransaction: { ...WALLET_ERRORS.pending, once: true } } });
    const switched = await page.evaluate(() => ask('wallet_switchEthereumChain', [{ chainId: '0xaa36a7' }]));
    assert.equal(switched.error.code, -32603);
    assert.equal(switched.error.data.originalError.code, 4902);
    const tx = { from: wallet.address, to: '0x00000000000000000000000000000000000bee06', value: '0x5' };
    assert.equal((await page.evaluate((tx) => ask('eth_sendTransaction', [tx]), tx)).error.code, -32002);
    const again = await page.evaluate((tx) => ask('eth_sendTransaction', [tx]), tx);
    assert.equal((await chain.receipt(again.result)).status, '0x1');
    await wallet.set({ reject: null });
    assert.ok((await page.evaluate(() => ask('eth_requestAccounts'))).result);
    await page.close();
  });

  test('underpays with alterValue, fails with insufficient funds, hangs', async () => {
    const { page, wallet } = await open({ connected: true, alterValue: (asked) => asked - 1n });
    const to = '0x00000000000000000000000000000000000bee07';
    const native = await page.evaluate(([from, to]) => ask('eth_sendTransaction', [{ from, to, value: '0x64' }]), [wallet.address, to]);
    assert.equal((await chain.receipt(native.result)).status, '0x1');
    assert.equal(await chain.balance(to), 99n);
    await token.mint(wallet.address, 1_000n);
    const data = token.iface.encodeFunctionData('transfer', [to, 1_000n]);
    const paid = await page.evaluate(([from, to, data]) => ask('eth_sendTransaction', [{ from, to, data }]), [wallet.address, USDC_SEPOLIA, data]);
    assert.equal(BigInt((await chain.receipt(paid.result)).logs[0].data), 999n);
    assert.equal(wallet.sent()[1].asked.data, data);

    await wallet.set({ alterValue: undefined, insufficientFunds: true });
    const poor = await page.evaluate(([from, to]) => ask('eth_sendTransaction', [{ from, to, value: '0x1' }]), [wallet.address, to]);
    assert.equal(poor.error.code, -32000);
    assert.match(poor.error.message, /insufficient funds/);

    await wallet.set({ insufficientFunds: false, hang: 'eth_sendTransaction' });
    const raced = await page.evaluate(([from, to]) => Promise.race([
      ask('eth_sendTransaction', [{ from, to, value: '0x1' }]),
      new Promise((r) => setTimeout(() => r('still waiting'), 300)),
    ]), [wallet.address, to]);
    assert.equal(raced, 'still waiting');
    assert.deepEqual(await page.evaluate(() => ask('eth_chainId')), { result: '0xaa36a7' });
    assert.equal(wallet.sent().length, 2);
    await page.close();
  });

  test('disappears: leaves window.ethereum, stops announcing, answers 4900', async () => {
    const { page, wallet } = await open({ legacy: true, name: 'Legacy Wallet' });
    assert.equal(await page.evaluate(() => window.ethereum === window.provider), true);
    await wallet.disappear();
    const after = await page.evaluate(async () => {
      const before = window.__announced.length;
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      return {
        ethereum: 'ethereum' in window,
        announcedAgain: window.__announced.length > before,
        answer: await ask('eth_chainId'),
        events: window.__events,
      };
    });
    assert.equal(after.ethereum, false);
    assert.equal(after.announcedAgain, false);
    assert.equal(after.answer.error.code, 4900);
    assert.deepEqual(after.events, [['disconnect', 4900]]);
    await page.close();
  });

  test('no announcement when announce is false; two wallets announce side by side', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__announced = [];
      window.addEventListener('eip6963:announceProvider', (e) => window.__announced.push(e.detail.info.name));
    });
    await installTestWallet(page, chain, { announce: false, legacy: true, name: 'Hidden' });
    await installTestWallet(page, chain, { name: 'Second', rdns: 'org.payform.second', account: 2 });
    await page.route(PAGE, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html>' }));
    await page.goto(PAGE);
    const seen = await page.evaluate(async () => {
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      return { names: window.__announced, legacy: await window.ethereum.request({ method: 'eth_chainId' }) };
    });
    assert.deepEqual(seen, { names: ['Second', 'Second'], legacy: '0xaa36a7' });
    await page.close();
  });
});
