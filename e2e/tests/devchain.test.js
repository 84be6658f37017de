// End-to-end: the demo's "Local chain" switch (what `make dev` offers), against a real anvil
// (e2e/chain.js, as make dev's e2e/chain/dev-chain.mjs starts it) watched by the devserver
// (--chain-rpc), in real headless Chromium. Turned on, the demo offers ETH and USDC on the
// local chain, its form is in test mode, and the page has the Payform dev wallet
// (js/dev-wallet.js, which asks GET /api/chain for the node's URL and forwards to it): paying
// with it sends a real transaction from anvil's unlocked account, and the form reaches paid
// from the devserver's watch of the chain, not from the wallet's word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, RECORD_EVENTS, ROOT } from '../lib.js';
import { startChain, deployToken } from '../chain.js';

const PORT = 8877;
const CHAIN_PORT = 8878;

/** `devserver --static dist` with `extra` arguments on `port`; resolves once it answers. */
async function startDevserverWith(port, extra) {
  const bin = process.env.DEVSERVER_BIN || path.join(ROOT, 'target/debug/devserver');
  if (!existsSync(bin)) throw new Error(`devserver binary not found at ${bin}: run cargo build -p devserver`);
  const proc = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--static', path.join(ROOT, 'dist'), ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/stats`)).ok) return { base, stop: () => { proc.kill(); return once(proc, 'exit'); } };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`devserver did not start on ${base}`);
}

let chain, usdc, server, browser;
before(async () => {
  // As make dev's chain: each transaction mined at once, and a block every second besides.
  chain = await startChain({ port: CHAIN_PORT, args: ['--block-time', '1', '--mixed-mining'] });
  usdc = await deployToken(chain);
  await usdc.mint(chain.accounts[0].address, 1_000n * 10n ** 6n);
  server = await startDevserverWith(PORT, ['--chain-rpc', chain.rpcUrl, '--chain-poll-ms', '100']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await chain?.stop();
});

const readies = (page) => page.evaluate(() => window.__events.filter((e) => e.type === 'payform:ready'));
const payment = async (id) => (await fetch(`${server.base}/api/payments/${id}`)).json();

/** Opens the demo, turns the switch on and waits for the payment it creates. */
async function openLocal(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(RECORD_EVENTS + `
    window.__submitted = [];
    window.addEventListener('payform:submitted', (e) => window.__submitted.push(JSON.parse(JSON.stringify(e.detail))));`);
  await page.goto(server.base + '/');
  await page.getByTestId('qr').waitFor({ timeout: 10_000 });
  const wallet = page.getByTestId('wallet-pay');
  assert.equal(await wallet.count(), 0, 'no wallet before the switch');
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const before = (await readies(page)).length;
  await page.getByTestId('local-chain').check();
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:ready').length > n, before);
  return { errors, fetched, wallet };
}

test('the switch: ETH on the local chain, paid with the Payform dev wallet, watched to paid on the real chain', async () => {
  const page = await browser.newPage();
  const { errors, fetched, wallet } = await openLocal(page);
  assert.deepEqual(await page.getByTestId('choice').locator('option').allTextContents(),
    ['ETH on the local chain', 'USDC on the local chain']);
  assert.match(await page.getByTestId('local-chain-note').textContent(), new RegExp(`127\\.0\\.0\\.1:${CHAIN_PORT}`));
  // An ETH payment of a chosen amount, waiting for 2 confirmations.
  await page.getByTestId('amount-input').fill('0.25');
  await page.getByTestId('confirmations').selectOption('2');
  const before = (await readies(page)).length;
  await page.getByTestId('create').click();
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:ready').length > n, before);
  const form = page.getByTestId('payform');
  await form.getByTestId('qr').waitFor();
  assert.equal(await form.getByTestId('currency').textContent(), 'ETH');
  await form.getByTestId('test-banner').waitFor();
  const id = (await readies(page)).at(-1).detail.payment.id;
  const created = await payment(id);
  assert.equal(created.network, 'sepolia');
  const watched = await (await fetch(`${server.base}/api/chain`)).json();
  assert.equal(watched.rpc_url, chain.rpcUrl);
  assert.ok(watched.watched >= 1, 'the devserver watches the payment');

  await wallet.filter({ hasText: 'Payform dev wallet' }).waitFor({ timeout: 10_000 });
  assert.equal(await wallet.count(), 1, 'one wallet: the dev wallet');
  assert.ok(fetched.includes('/dev-wallet.js') && fetched.includes('/payform-wallet.js'));
  const payer = chain.accounts[0].address;
  const balanceBefore = await chain.balance(created.address);
  assert.equal(balanceBefore, 0n);
  await wallet.click();
  await form.locator('[data-status="paid"]').waitFor({ timeout: 20_000 });

  // The real transfer, from anvil's first account, under the hash the devserver recorded.
  const paid = await payment(id);
  assert.equal(paid.status, 'paid');
  assert.equal(paid.txids.length, 1);
  const tx = await chain.rpc('eth_getTransactionByHash', [paid.txids[0]]);
  assert.equal(tx.from.toLowerCase(), payer.toLowerCase());
  assert.equal(tx.to.toLowerCase(), created.address.toLowerCase());
  assert.equal(BigInt(tx.value), 25n * 10n ** 16n);
  assert.equal(await chain.balance(created.address), 25n * 10n ** 16n);
  const statuses = (await page.evaluate(() => window.__events))
    .filter((e) => e.type === 'payform:status' && e.detail.payment.id === id).map((e) => e.detail.status);
  assert.deepEqual(statuses.slice(-1), ['paid']);
  // The wallet's word: the same transaction, from the dev wallet's account.
  const submitted = await page.evaluate(() => window.__submitted);
  assert.equal(submitted.length, 1);
  assert.equal(submitted[0].tx_hash, paid.txids[0].toLowerCase());
  assert.equal(submitted[0].chain_id, 11155111);
  assert.equal(submitted[0].from.toLowerCase(), payer.toLowerCase());
  assert.deepEqual(errors, []);
  await page.close();
});

test('USDC on the local chain: a real ERC-20 transfer from the dev wallet; switched off, no wallet is offered', async () => {
  const page = await browser.newPage();
  const { errors, wallet } = await openLocal(page);
  await page.getByTestId('choice').selectOption('1');
  await page.getByTestId('amount-input').fill('12.5');
  const before = (await readies(page)).length;
  await page.getByTestId('create').click();
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:ready').length > n, before);
  const form = page.getByTestId('payform');
  await form.getByTestId('currency').filter({ hasText: 'USDC' }).waitFor();
  const id = (await readies(page)).at(-1).detail.payment.id;
  const { address } = await payment(id);
  await wallet.filter({ hasText: 'Payform dev wallet' }).click({ timeout: 10_000 });
  await form.locator('[data-status="paid"]').waitFor({ timeout: 20_000 });
  assert.equal(await usdc.balanceOf(address), 12_500_000n);

  // Off: back to the simulated currencies, a live payment, and no wallet button.
  await page.getByTestId('local-chain').uncheck();
  await page.getByTestId('choice').locator('option', { hasText: 'USDT on Tron' }).waitFor({ state: 'attached' });
  await form.getByTestId('currency').filter({ hasText: 'USDT' }).waitFor({ timeout: 10_000 });
  await form.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('local-chain-note').count(), 0);
  // An ETH payment on Ethereum (EVM, simulated): the dev wallet is not offered for it.
  const n = (await readies(page)).length;
  await page.getByTestId('choice').selectOption('2');
  await page.getByTestId('create').click();
  await page.waitForFunction((k) => window.__events.filter((e) => e.type === 'payform:ready').length > k, n);
  await form.getByTestId('currency').filter({ hasText: 'ETH' }).waitFor();
  await form.getByTestId('qr').waitFor();
  assert.equal(await wallet.count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
