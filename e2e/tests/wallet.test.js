// End-to-end, "Pay from a connected wallet" (issue 17), against a real local chain: anvil from
// npm answering as Sepolia (chain id 11155111), the ERC-20 compiled by solc at Sepolia's USDC
// address, the devserver watching that node (`--chain-rpc`), and the injected EIP-6963 test
// wallet of e2e/chain.js, which signs in Node with an anvil dev key. A <pay-form
// network-mode="test"> for a Sepolia payment shows one "Pay with <wallet>" button per wallet
// above the QR; pressing it asks the wallet for exactly the payment's transaction (ETH: value in
// wei to the payee; USDC: transfer(payee, due) to the token), shows "Confirm…", then "Sent" with
// the hash, and fires `payform:submitted`; only the devserver, seeing the mined transaction,
// makes the payment paid. Each wallet failure (declined, locked, pending, the chain refused or
// unknown, no funds, the wallet gone, a reply that is not a hash) says why and leaves the
// buttons and the QR; a page without a wallet never downloads the wallet module; what a wallet
// announces (name, icon) is shown only as text and bounded data: images.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, api, count, RECORD_EVENTS, ROOT } from '../lib.js';
import { startChain, deployToken, installTestWallet, WALLET_ERRORS, USDC_SEPOLIA, SEPOLIA_CHAIN_ID } from '../chain.js';

const PORT = 8875;
const ANVIL_PORT = 8876;
const EN = JSON.parse(readFileSync(path.join(ROOT, 'locales', 'en.json'), 'utf8'));
const WAIT = { timeout: 15_000 };

// The sentence each failure shows (`{network}` is the payment's network as the form names it).
const SENTENCES = {
  rejected: EN.wallet_rejected,
  locked: EN.wallet_locked,
  pending: EN.wallet_pending,
  unknown_chain: EN.wallet_unknown_chain,
  wrong_chain: EN.wallet_wrong_chain,
  unsupported: EN.wallet_unsupported,
  disconnected: EN.wallet_gone,
  insufficient_funds: EN.wallet_funds,
  no_answer: EN.wallet_no_answer,
  bad_reply: EN.wallet_other,
  other: EN.wallet_other,
};

// One hook, in order (Node 20 runs a file's top-level before hooks concurrently): the node and
// its token first, then the devserver (it asks the node for its chain id at startup), then the
// browser.
let chain;
let usdc;
const live = {};
before(async () => {
  chain = await startChain({ port: ANVIL_PORT });
  usdc = await deployToken(chain);
  live.server = await startDevserver(PORT, 'dist', ['--chain-rpc', chain.rpcUrl]);
  live.browser = await launchBrowser();
});
after(async () => {
  await live.browser?.close();
  await live.server?.stop();
  await chain?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers.

/** A Sepolia payment on the devserver (watched on the node from now on). */
const createPayment = (body) => api(live.server.base, '/api/payments',
  { network: 'sepolia', currency: 'ETH', amount: '0.01', confirmations_required: 1, ...body });

const getPayment = async (id) => (await fetch(`${live.server.base}/api/payments/${id}`)).json();

/** Wei (or atomic units) of a decimal amount string. */
function atomic(amount, decimals) {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

const quantity = (n) => '0x' + BigInt(n).toString(16);
const word = (hex) => hex.replace(/^0x/, '').toLowerCase().padStart(64, '0');
const transferData = (payee, amount) => '0xa9059cbb' + word(payee) + word(quantity(amount));

/**
 * Opens a page with `<pay-form src=… network-mode="test" poll-interval="1000">` for `payment`,
 * on the devserver's origin. `wallets`: the test wallets' options, installed in order (none: a
 * page without a wallet); `setup(page)` runs before them (init scripts, clock). Waits for the
 * QR. Returns `{page, wallet, wallets, log, requested}`: the console and page errors, the
 * paths the page requested.
 */
async function openForm(payment, { wallets = [{}], setup } = {}) {
  const page = await live.browser.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await setup?.(page);
  const installed = [];
  for (const opts of wallets) installed.push(await installTestWallet(page, chain, opts));
  await page.addInitScript(RECORD_EVENTS);
  await page.route(`${live.server.base}/wallet-test/*`, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wallet</title>
      <script type="module" src="/payform.js"></script></head><body>
      <pay-form src="/api/payments/${payment.id}" network-mode="test" poll-interval="1000"></pay-form>
      </body></html>`,
  }));
  await page.goto(`${live.server.base}/wallet-test/${payment.id}`);
  const form = { page, wallet: installed[0], wallets: installed, log, requested, payment };
  await waitFor(form, page.locator('pay-form [data-testid="qr"]'), 'the QR');
  return form;
}

/** What went on, for a failure message: the wallets' requests and the page's console. */
function diag(form) {
  const calls = form.wallets.map((w, i) => `  wallet ${i} (${w.info.name}): ${JSON.stringify(w.requests())}`);
  return `\nwallet requests:\n${calls.join('\n') || '  (no test wallet)'}\nconsole:\n  ${form.log.join('\n  ') || '(empty)'}`;
}

/** `locator.waitFor()`, failing with what the form shows and `diag`. */
async function waitFor(form, locator, what, opts = {}) {
  try {
    await locator.waitFor({ ...WAIT, ...opts });
  } catch (e) {
    const shown = await form.page.locator('pay-form [data-testid="wallet-state"]').evaluate((el) => el.outerHTML)
      .catch(() => '(no wallet-state)');
    const status = await form.page.locator('pay-form [data-testid="status"]').getAttribute('data-status', { timeout: 1000 })
      .catch(() => '?');
    throw new Error(`waiting for ${what}: ${e.message.split('\n')[0]}\nform status: ${status}\nwallet-state: ${shown}${diag(form)}`);
  }
}

const buttons = (form) => form.page.locator('pay-form [data-testid="wallet-pay"]');
const stateLine = (form) => form.page.locator('pay-form [data-testid="wallet-state"]');
const events = (form) => form.page.evaluate(() => window.__events);

/** Waits until the wallet line is in `state` (and `failure`). */
function expectState(form, state, failure) {
  const sel = `pay-form [data-testid="wallet-state"][data-state="${state}"]${failure ? `[data-failure="${failure}"]` : ''}`;
  // Idle, the line is empty (no box): present is enough.
  return waitFor(form, form.page.locator(sel), `wallet-state ${state || 'idle'}${failure ? ` (${failure})` : ''}`,
    state ? {} : { state: 'attached' });
}

/** Waits for the form to show `status` (`data-status` on the status block). */
const expectStatus = (form, status) =>
  waitFor(form, form.page.locator(`pay-form [data-testid="status"][data-status="${status}"]`), `status ${status}`);

/** The wallet line as shown: its state, its sentence (the text but the hash and the link), the
 * hash, the link's href (null when there is none or it is hidden). */
const shownState = (form) => stateLine(form).evaluate((el) => {
  const hash = el.querySelector('[data-testid="wallet-hash"]');
  const link = el.querySelector('[data-testid="wallet-tx"]');
  const sentence = [...el.childNodes].filter((n) => n !== hash && n !== link).map((n) => n.textContent).join('');
  return {
    state: el.dataset.state,
    failure: el.dataset.failure,
    text: sentence.trim(),
    hash: hash?.textContent ?? '',
    link: link && !link.hidden ? link.getAttribute('href') : null,
  };
});

/** Presses the button of `wallet` (a test wallet, or a uuid), else the first one. */
async function press(form, wallet) {
  const uuid = typeof wallet === 'string' ? wallet : wallet?.info.uuid;
  const button = uuid ? form.page.locator(`pay-form [data-testid="wallet-pay"][data-wallet="${uuid}"]`) : buttons(form).first();
  await waitFor(form, button, 'a wallet button');
  await button.click();
}

/** After a failure: the named `failure` and its sentence, the buttons back (enabled), the QR
 * still there, nothing sent or announced as sent. */
async function expectFailure(form, failure, { sends = 0 } = {}) {
  await expectState(form, 'failed', failure);
  const network = (await form.page.locator('pay-form [data-testid="network"] strong').textContent()).trim();
  const shown = await shownState(form);
  assert.equal(shown.text, SENTENCES[failure].replaceAll('{network}', network), `the sentence for ${failure}`);
  assert.equal(shown.hash, '', 'no hash shown');
  assert.equal(shown.link, null, 'no transaction link');
  assert.ok(await buttons(form).count() >= 1, 'the buttons are back');
  for (const b of await buttons(form).all()) assert.ok(await b.isEnabled(), 'and can be pressed again');
  assert.ok(await form.page.locator('pay-form [data-testid="qr"]').isVisible(), 'the QR is still there');
  assert.equal(count(await events(form), 'payform:submitted'), sends, 'no payform:submitted for the failure');
}

/** After a press that sends: "Sent" with the wallet's hash and the explorer link, the buttons
 * hidden, `payform:submitted` with that hash. Returns the hash. */
async function expectSent(form, wallet = form.wallet, { sends = 1 } = {}) {
  await expectState(form, 'sent');
  const { hash } = wallet.sent().at(-1);
  const shown = await shownState(form);
  assert.equal(shown.text, EN.wallet_sent);
  assert.equal(shown.hash, hash, 'the hash the wallet answered');
  assert.equal(shown.link, `https://sepolia.etherscan.io/tx/${hash}`);
  assert.equal(await buttons(form).count(), 0, 'no buttons while sent');
  await form.page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:submitted').length === n, sends);
  const submitted = (await events(form)).filter((e) => e.type === 'payform:submitted');
  assert.equal(submitted.length, sends, 'one payform:submitted per send');
  assert.deepEqual(submitted.at(-1).detail, { tx_hash: hash, chain_id: SEPOLIA_CHAIN_ID, from: wallet.address.toLowerCase() });
  return hash;
}

/**
 * Presses `button` (default: `wallet`'s) and waits for "Sent" (`expectSent`) while the node holds
 * the transaction in its pool (automining off), so the line is seen before the devserver can
 * see the transfer; `asking()` runs after the press, `whileSent(hash)` while the transaction is
 * still unmined; then one block mines it. Returns the hash.
 */
async function payAndSee(form, { wallet = form.wallet, button = wallet, sends = 1, asking, whileSent } = {}) {
  await chain.automine(false);
  try {
    await press(form, button);
    await asking?.();
    const hash = await expectSent(form, wallet, { sends });
    await whileSent?.(hash);
    return hash;
  } finally {
    await chain.mine(1);
    await chain.automine(true);
  }
}

/** Waits for the paid screen; `payform:paid` exactly once; returns the devserver's payment. */
async function expectPaid(form) {
  await expectStatus(form, 'paid');
  await form.page.waitForFunction(() => window.__events.some((e) => e.type === 'payform:paid'));
  assert.equal(count(await events(form), 'payform:paid'), 1, 'payform:paid once');
  const payment = await getPayment(form.payment.id);
  assert.equal(payment.status, 'paid');
  return payment;
}

/** Polls `condition` (in Node) every 20 ms until it holds, for at most 10 s. */
async function until(condition, what) {
  const end = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The methods the wallet was asked, in order. */
const methods = (wallet) => wallet.requests().map((r) => r.method);

/** The mined transaction `hash`: `{to, value, input, from, status}`. */
async function mined(hash) {
  const receipt = await chain.receipt(hash);
  const tx = await chain.rpc('eth_getTransactionByHash', [hash]);
  return { to: tx.to, value: BigInt(tx.value), input: tx.input, from: tx.from, status: receipt.status, receipt };
}

/** The eth_sendTransaction params an ETH payment of `wei` to `payee` is sent with. */
const ethParams = (wallet, payee, wei) => ({ from: wallet.address.toLowerCase(), to: payee, value: quantity(wei), chainId: '0xaa36a7' });

/** Adds, before the page's scripts, an in-page EIP-1193 wallet announced by EIP-6963 whose
 * answers are `replies` ({method: result | {error}}; unlisted: 4200), changeable later through
 * window.__scripted[uuid].replies; its requests are in window.__scripted[uuid].calls. */
function scriptedWallet(page, info, replies) {
  return page.addInitScript(([info, replies]) => {
    window.__scripted ??= {};
    const me = { replies, calls: [] };
    window.__scripted[info.uuid] = me;
    const provider = {
      async request({ method, params }) {
        me.calls.push({ method, params });
        const reply = me.replies[method];
        if (reply === undefined) throw { code: 4200, message: `unsupported: ${method}` };
        if (reply && typeof reply === 'object' && 'error' in reply) throw reply.error;
        return reply;
      },
      on() {}, removeListener() {},
    };
    const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
    window.addEventListener('eip6963:requestProvider', announce);
    announce();
  }, [info, replies]);
}

const SCRIPTED_ACCOUNT = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

// ---------------------------------------------------------------------------------------------
// No wallet.

test('no wallet on the page: no buttons, and payform-wallet.js is never requested (until a wallet announces itself)', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, { wallets: [] });
  await form.page.waitForLoadState('networkidle');
  const box = form.page.locator('pay-form [data-testid="wallets"]');
  assert.ok(await box.count() === 0 || await box.getAttribute('hidden') !== null, 'the wallets box is hidden or absent');
  assert.equal(await box.isVisible(), false);
  assert.equal(await buttons(form).count(), 0);
  assert.equal(await form.page.evaluate(() => 'ethereum' in window), false);
  assert.ok(form.requested.includes('/payform.js') && form.requested.includes('/payform_embed_bg.wasm'), form.requested.join(' '));
  assert.ok(!form.requested.includes('/payform-wallet.js'), `never requested: ${form.requested.join(' ')}`);
  // A wallet that arrives late (an extension injecting after load) still gets its button.
  await form.page.evaluate(() => {
    const provider = { request: async () => { throw { code: 4001, message: 'no' }; }, on() {}, removeListener() {} };
    window.dispatchEvent(new CustomEvent('eip6963:announceProvider', {
      detail: { info: { uuid: 'late-wallet-0001', name: 'Late Wallet', icon: '', rdns: 'org.example.late' }, provider },
    }));
  });
  await waitFor(form, form.page.locator('pay-form [data-testid="wallet-pay"][data-wallet="late-wallet-0001"]'), 'the late wallet');
  assert.equal((await buttons(form).textContent()).trim(), 'Pay with Late Wallet');
  assert.ok(form.requested.includes('/payform-wallet.js'), 'loaded once a wallet is there');
  await form.page.close();
});

test('a wallet on the page but a bitcoin payment: no buttons', async () => {
  const payment = await api(live.server.base, '/api/payments', { network: 'bitcoin', currency: 'BTC', amount: '0.5', test: 'testnet' });
  const form = await openForm(payment);
  // The module loads (the page has a wallet) and offers it: the form still shows no button.
  await form.page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/payform-wallet.js')));
  await form.page.waitForLoadState('networkidle');
  assert.equal(await buttons(form).count(), 0);
  assert.equal(form.wallet.requests().length, 0, 'the wallet is asked nothing');
  await form.page.close();
});

// ---------------------------------------------------------------------------------------------
// Paid from the wallet, end to end.

test('ETH end to end: Pay with Test Wallet → confirm → sent with the hash → mined → watched → paid', async () => {
  const amount = '0.0123';
  const wei = atomic(amount, 18);
  const payment = await createPayment({ amount, confirmations_required: 2 });
  // The wallet takes a moment to answer, as a shopper reading the wallet's popup does.
  const form = await openForm(payment, { wallets: [{ delay: { eth_sendTransaction: 1500 } }] });
  const { page, wallet } = form;

  await waitFor(form, buttons(form), 'the wallet button');
  assert.equal(await buttons(form).count(), 1);
  assert.equal(await buttons(form).getAttribute('data-wallet'), wallet.info.uuid);
  assert.equal((await buttons(form).textContent()).trim(), 'Pay with Test Wallet');
  const icon = buttons(form).locator('img.pf-wallet-icon');
  assert.equal(await icon.count(), 1, 'the announced icon');
  assert.equal(await icon.getAttribute('src'), wallet.info.icon);
  assert.equal(await page.locator('pay-form [data-testid="wallets"]').isVisible(), true);
  assert.equal((await shownState(form)).state, '', 'idle');
  // Above the QR, which is still offered.
  const [boxY, qrY] = await Promise.all(['wallets', 'qr'].map(async (id) => (await page.locator(`pay-form [data-testid="${id}"]`).boundingBox()).y));
  assert.ok(boxY < qrY, `the buttons (${boxY}) above the QR (${qrY})`);
  assert.equal(wallet.requests().length, 0, 'nothing is asked before the shopper presses');
  await page.evaluate(() => {
    window.__onElement = [];
    document.querySelector('pay-form').addEventListener('payform:submitted', (e) => window.__onElement.push(e.detail.tx_hash));
  });

  const gets = async () => (await (await fetch(`${live.server.base}/api/stats`)).json()).by_payment[payment.id] ?? 0;
  const hash = await payAndSee(form, {
    asking: async () => {
      await expectState(form, 'confirm');
      assert.equal((await shownState(form)).text, 'Confirm the payment in Test Wallet.');
      assert.equal(await buttons(form).isDisabled(), true, 'no second request while the wallet asks');
    },
    whileSent: async (sent) => {
      // Sent but not mined: the form asks the backend (sooner), and it is still not paid.
      const now = await gets();
      await until(async () => await gets() >= now + 2, 'two more polls of the payment');
      assert.equal((await getPayment(payment.id)).status, 'awaiting_payment');
      assert.equal((await shownState(form)).hash, sent, 'still "sent"');
      assert.equal(await form.page.locator('pay-form [data-testid="status"]').getAttribute('data-status'), 'awaiting_payment');
    },
  });

  // Exactly the payment's transaction was asked for, on Sepolia, with no chain switch.
  assert.deepEqual(methods(wallet), ['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction']);
  assert.deepEqual(wallet.requests()[2].params, [ethParams(wallet, payment.address, wei)]);
  const tx = await mined(hash);
  assert.equal(tx.status, '0x1');
  assert.equal(tx.to.toLowerCase(), payment.address.toLowerCase());
  assert.equal(tx.value, wei);
  assert.equal(tx.input, '0x');
  assert.equal(tx.from.toLowerCase(), wallet.address.toLowerCase());

  // The devserver sees it in the mined block (1 of 2 confirmations); the sent line is over.
  await expectStatus(form, 'confirming');
  assert.equal(await stateLine(form).count(), 0, 'no wallet line once confirming');
  let seen = await getPayment(payment.id);
  assert.deepEqual([seen.status, seen.paid, seen.confirmations, seen.txids], ['confirming', amount, 1, [hash]]);
  assert.equal(count(await events(form), 'payform:paid'), 0, 'not paid on the wallet\'s word');
  await chain.mine(1);
  seen = await expectPaid(form);
  assert.deepEqual(seen.txids, [hash]);
  assert.equal(count(await events(form), 'payform:submitted'), 1);
  assert.deepEqual(await page.evaluate(() => window.__onElement), [hash], 'payform:submitted on the element');
  assert.ok(form.requested.includes('/payform-wallet.js'));
  assert.deepEqual(form.log.filter((l) => l.startsWith('pageerror') || l.startsWith('error')), []);
  await page.close();
});

test('USDC end to end: a transfer(payee, due) to the token contract, value 0 → Transfer log → paid', async () => {
  const amount = '12.5';
  const due = atomic(amount, 6);
  const payment = await createPayment({ currency: 'USDC', amount });
  const form = await openForm(payment);
  const { wallet } = form;
  await usdc.mint(wallet.address, 100_000_000n);
  const before = await usdc.balanceOf(wallet.address);

  const hash = await payAndSee(form);
  const [send] = wallet.requests().filter((r) => r.method === 'eth_sendTransaction');
  assert.deepEqual(send.params, [{
    from: wallet.address.toLowerCase(), to: USDC_SEPOLIA, value: '0x0', chainId: '0xaa36a7', data: transferData(payment.address, due),
  }]);
  assert.equal(send.params[0].data, usdc.iface.encodeFunctionData('transfer', [payment.address, due]), 'the ABI encoding ethers gives');
  const tx = await mined(hash);
  assert.equal(tx.status, '0x1');
  assert.equal(tx.to.toLowerCase(), USDC_SEPOLIA.toLowerCase());
  assert.equal(tx.value, 0n);
  assert.equal(tx.input, transferData(payment.address, due));
  const logs = await usdc.transfers({ to: payment.address });
  assert.deepEqual(logs.map((l) => [l.from.toLowerCase(), l.value]), [[wallet.address.toLowerCase(), due]]);
  assert.equal(await usdc.balanceOf(payment.address), due);
  assert.equal(await usdc.balanceOf(wallet.address), before - due);

  const seen = await expectPaid(form);
  assert.deepEqual([seen.paid, seen.txids], [amount, [hash]]);
  await form.page.close();
});

test('underpaid: a wallet that sends less → underpaid asking for the rest; pressing again pays exactly the rest → paid', async () => {
  const amount = '0.01';
  const short = 4_000_000_000_000_000n; // 0.004 ETH
  const rest = atomic(amount, 18) - short;
  const payment = await createPayment({ amount });
  const form = await openForm(payment, { wallets: [{ alterValue: short }] });
  const { page, wallet } = form;

  const first = await payAndSee(form);
  assert.equal((await mined(first)).value, short);
  // The backend's payment moved (part paid): the sent line is over, the buttons are back.
  await expectStatus(form, 'underpaid');
  await expectState(form, '');
  assert.equal(await buttons(form).count(), 1);
  const remaining = await page.locator('pay-form [data-testid="amount"]').getAttribute('data-amount');
  assert.equal(remaining, '0.006', 'the amount to pay is the rest');
  assert.match(await page.locator('pay-form [data-testid="status"]').textContent(), /remaining 0\.006/);
  assert.equal((await getPayment(payment.id)).due, '0.006');

  await wallet.set({ alterValue: undefined });
  const second = await payAndSee(form, { sends: 2 });
  const sends = wallet.requests().filter((r) => r.method === 'eth_sendTransaction');
  assert.deepEqual(sends[1].params, [ethParams(wallet, payment.address, rest)], 'exactly the rest');
  assert.equal((await mined(second)).value, rest);
  const seen = await expectPaid(form);
  assert.deepEqual([seen.paid, seen.txids], [amount, [first, second]]);
  const submitted = (await events(form)).filter((e) => e.type === 'payform:submitted').map((e) => e.detail.tx_hash);
  assert.deepEqual(submitted, [first, second]);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Failures: each says why, leaves the buttons and the QR; then a retry pays.

const SEPOLIA_HEX = '0xaa36a7';
const once = (error) => ({ ...error, once: true });

// [name, wallet options, failure, the methods asked (in order), `fix` before the retry (none: no retry)]
const FAILURES = [
  ['declined in the wallet (4001 on eth_sendTransaction)',
    { reject: { eth_sendTransaction: once(WALLET_ERRORS.userRejected) } }, 'rejected',
    ['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction'], {}],
  ['locked wallet (4100 on eth_requestAccounts)',
    { reject: { eth_requestAccounts: once(WALLET_ERRORS.unauthorized) } }, 'locked', ['eth_requestAccounts'], {}],
  ['a request already pending in the wallet (-32002)',
    { reject: { eth_requestAccounts: once(WALLET_ERRORS.pending) } }, 'pending', ['eth_requestAccounts'], {}],
  ['wallet on mainnet, the switch declined (4001) → wrong_chain',
    { chainId: 1, reject: { wallet_switchEthereumChain: once(WALLET_ERRORS.userRejected) } }, 'wrong_chain',
    ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain'], {}],
  ['wallet without Sepolia (4902), adding it declined → unknown_chain',
    { chainId: 1, knownChains: [1], reject: { wallet_addEthereumChain: once(WALLET_ERRORS.userRejected) } }, 'unknown_chain',
    ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain', 'wallet_addEthereumChain'], {}],
  ['a wallet that cannot switch chains (4200) → unsupported',
    { chainId: 1, reject: { wallet_switchEthereumChain: once({ code: 4200, message: 'The Provider does not support the requested method.' }) } },
    'unsupported', ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain'], {}],
  ['not enough funds (-32000 insufficient funds)',
    { insufficientFunds: true }, 'insufficient_funds', ['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction'],
    { insufficientFunds: false }],
  ['the wallet disappeared (4900, disconnect) → disconnected',
    { disappear: true }, 'disconnected', ['eth_requestAccounts'], null],
];

for (const [name, opts, failure, asked, fix] of FAILURES) {
  test(`failure: ${name}: the buttons and the QR stay${fix ? '; a retry pays' : ''}`, async () => {
    const payment = await createPayment({});
    const { disappear, ...walletOpts } = opts;
    const form = await openForm(payment, { wallets: [walletOpts] });
    const { page, wallet } = form;
    await waitFor(form, buttons(form), 'the wallet button');
    if (disappear) await wallet.disappear();
    await press(form, wallet);
    await expectFailure(form, failure);
    assert.deepEqual(methods(wallet), asked, `the requests${diag(form)}`);
    assert.deepEqual(wallet.sent(), [], 'nothing sent');
    if (!fix) {
      assert.equal((await getPayment(payment.id)).status, 'awaiting_payment');
      await page.close();
      return;
    }
    if (failure === 'unknown_chain') {
      const add = wallet.requests().find((r) => r.method === 'wallet_addEthereumChain');
      assert.deepEqual(add.params, [{
        chainId: SEPOLIA_HEX, chainName: 'Sepolia', nativeCurrency: { name: 'Sepolia Ether', symbol: 'ETH', decimals: 18 },
        rpcUrls: ['https://ethereum-sepolia-rpc.publicnode.com'], blockExplorerUrls: ['https://sepolia.etherscan.io'],
      }]);
    }
    if (failure === 'wrong_chain' || failure === 'unsupported' || failure === 'unknown_chain') {
      assert.equal(wallet.chainId(), 1, 'still on mainnet');
      assert.deepEqual(wallet.requests()[2].params, [{ chainId: SEPOLIA_HEX }]);
    }
    await wallet.set(fix);
    const hash = await payAndSee(form);
    assert.equal(wallet.chainId(), SEPOLIA_CHAIN_ID);
    assert.equal((await mined(hash)).value, atomic(payment.amount, 18));
    await expectPaid(form);
    await page.close();
  });
}

test('wallet without Sepolia, adding it accepted (without switching): add, switch again, check, pay', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, { wallets: [{ chainId: 1, knownChains: [1], switchOnAdd: false }] });
  const { wallet } = form;
  const hash = await payAndSee(form);
  assert.deepEqual(methods(wallet), ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain',
    'wallet_addEthereumChain', 'wallet_switchEthereumChain', 'eth_chainId', 'eth_sendTransaction']);
  assert.equal(wallet.added().length, 1);
  assert.equal(wallet.added()[0].chainId, SEPOLIA_HEX);
  assert.equal(wallet.added()[0].chainName, 'Sepolia');
  assert.equal(wallet.chainId(), SEPOLIA_CHAIN_ID);
  assert.equal((await mined(hash)).value, atomic(payment.amount, 18));
  await expectPaid(form);
  await form.page.close();
});

test('MetaMask Mobile\'s nested 4902 (-32603 with data.originalError.code 4902): the chain is added, then paid', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, {
    wallets: [{ chainId: 1, reject: { wallet_switchEthereumChain: once(WALLET_ERRORS.unknownChainMobile(SEPOLIA_HEX)) } }],
  });
  const { wallet } = form;
  const hash = await payAndSee(form);
  assert.deepEqual(methods(wallet), ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain',
    'wallet_addEthereumChain', 'wallet_switchEthereumChain', 'eth_chainId', 'eth_sendTransaction']);
  assert.equal(wallet.added().length, 1);
  assert.equal(wallet.chainId(), SEPOLIA_CHAIN_ID);
  assert.equal((await mined(hash)).to.toLowerCase(), payment.address.toLowerCase());
  await expectPaid(form);
  await form.page.close();
});

test('a wallet that never answers: after 5 minutes (a fast-forwarded clock) no_answer, the buttons back', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, {
    wallets: [{ hang: 'eth_sendTransaction' }],
    setup: (page) => page.clock.install(),
  });
  await press(form, form.wallet);
  await expectState(form, 'confirm');
  // The send has reached the wallet (its time limit is running) before the clock jumps.
  await until(() => methods(form.wallet).includes('eth_sendTransaction'), 'the wallet asked to send');
  await form.page.clock.fastForward('05:01');
  await expectFailure(form, 'no_answer');
  assert.deepEqual(methods(form.wallet), ['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction']);
  await form.page.close();
});

// ---------------------------------------------------------------------------------------------
// Hostile wallets.

test('announced names are text and icons only bounded data: images', async () => {
  const payment = await createPayment({});
  const icon = (n) => 'data:image/png;base64,' + 'A'.repeat(n - 'data:image/png;base64,'.length);
  const cases = [
    { name: '<img src=x onerror=window.__pwned=1>', expectName: '<img src=x onerror=window.__pwned=1>', img: true },
    { name: 'Evil\u202eWallet\u0007 with a name far too long to be shown whole', expectName: 'EvilWallet with a name far too long to …', img: true },
    { name: 'Remote icon', icon: 'https://evil.example/icon.png', img: false },
    { name: 'Script icon', icon: 'javascript:window.__pwned=2', img: false },
    { name: 'Quote icon', icon: 'data:image/png;base64,AAAA" onerror="window.__pwned=3', img: false },
    { name: 'Oversized icon', icon: icon(64 * 1024 + 1), img: false },
  ];
  const form = await openForm(payment, { wallets: cases.map(({ name, icon: i }) => ({ name, ...(i ? { icon: i } : {}) })) });
  await form.page.locator('pay-form [data-testid="wallet-pay"]').nth(cases.length - 1).waitFor(WAIT);
  assert.equal(await buttons(form).count(), cases.length);
  for (const [i, c] of cases.entries()) {
    const button = form.page.locator(`pay-form [data-testid="wallet-pay"][data-wallet="${form.wallets[i].info.uuid}"]`);
    assert.equal((await button.textContent()).trim(), `Pay with ${c.expectName ?? c.name}`, c.name);
    assert.equal(await button.locator('img').count(), c.img ? 1 : 0, `${c.name}: ${c.img ? 'the icon' : 'no img'}`);
    if (c.img) assert.equal(await button.locator('img').getAttribute('src'), form.wallets[i].info.icon);
    assert.equal(await button.locator('*:not(img.pf-wallet-icon):not(span)').count(), 0, `${c.name}: no element from the name`);
  }
  assert.equal(await form.page.evaluate(() => window.__pwned), undefined);
  assert.ok(!form.requested.some((p) => p.includes('icon.png')), 'the remote icon is never fetched');
  await form.page.close();
});

test('an icon of exactly 64 KiB is shown; one byte more is not', async () => {
  const payment = await createPayment({});
  const prefix = 'data:image/png;base64,';
  const icon = (n) => prefix + 'A'.repeat(n - prefix.length);
  const form = await openForm(payment, { wallets: [{ name: 'At the bound', icon: icon(65536) }, { name: 'Over it', icon: icon(65537) }] });
  await form.page.locator('pay-form [data-testid="wallet-pay"]').nth(1).waitFor(WAIT);
  const img = (w) => form.page.locator(`pay-form [data-testid="wallet-pay"][data-wallet="${w.info.uuid}"] img.pf-wallet-icon`);
  assert.equal(await img(form.wallets[0]).count(), 1);
  assert.equal(await img(form.wallets[1]).count(), 0);
  await form.page.close();
});

test('10 wallets announced: 6 buttons, the first six', async () => {
  const payment = await createPayment({});
  const wallets = Array.from({ length: 10 }, (_, i) => ({ name: `Wallet ${i + 1}` }));
  const form = await openForm(payment, { wallets });
  await form.page.locator('pay-form [data-testid="wallet-pay"]').nth(5).waitFor(WAIT);
  // Every wallet announces itself again on a requestProvider: still the same six.
  await form.page.evaluate(() => window.dispatchEvent(new Event('eip6963:requestProvider')));
  const shown = await buttons(form).evaluateAll((els) => els.map((b) => [b.dataset.wallet, b.textContent.trim()]));
  assert.deepEqual(shown, form.wallets.slice(0, 6).map((w) => [w.info.uuid, `Pay with ${w.info.name}`]));
  // The sixth pays like any other.
  await payAndSee(form, { wallet: form.wallets[5] });
  for (const w of form.wallets.slice(0, 5)) assert.equal(w.requests().length, 0, 'only the pressed wallet is asked');
  await expectPaid(form);
  await form.page.close();
});

test('a reply that is not a transaction hash (or an account): bad_reply, nothing shown as sent', async () => {
  const payment = await createPayment({});
  const info = { uuid: 'b2d1f7e6-0c51-4f0e-9a8e-0123456789ab', name: 'Liar Wallet', icon: '', rdns: 'org.example.liar' };
  const replies = { eth_requestAccounts: [SCRIPTED_ACCOUNT], eth_chainId: SEPOLIA_HEX, eth_sendTransaction: '0x1234' };
  const form = await openForm(payment, { wallets: [], setup: (page) => scriptedWallet(page, info, replies) });
  const bad = [
    '0x1234',
    'ab'.repeat(32), // 64 hex digits without 0x
    '0x' + 'ab'.repeat(31) + 'zz',
    '0x' + 'ab'.repeat(33),
    '<img src=x onerror=window.__pwned=1>',
    42,
    { hash: '0x' + 'ab'.repeat(32) },
    null,
  ];
  const setReply = (method, value) => form.page.evaluate(([uuid, m, v]) => { window.__scripted[uuid].replies[m] = v; }, [info.uuid, method, value]);
  for (const reply of bad) {
    await setReply('eth_sendTransaction', reply);
    await press(form, info.uuid);
    await expectFailure(form, 'bad_reply');
    const shown = await shownState(form);
    assert.deepEqual([shown.hash, shown.link], ['', null], `${JSON.stringify(reply)}: no hash, no link`);
  }
  // An account that is not one: bad_reply too.
  await setReply('eth_sendTransaction', '0x' + 'ab'.repeat(32));
  await setReply('eth_requestAccounts', ['not-an-account']);
  await press(form, info.uuid);
  await expectFailure(form, 'bad_reply');
  await setReply('eth_requestAccounts', []);
  await press(form, info.uuid);
  await expectFailure(form, 'bad_reply');
  assert.equal(await form.page.evaluate(() => window.__pwned), undefined);
  assert.equal((await getPayment(payment.id)).status, 'awaiting_payment');
  await form.page.close();
});

test('a wallet that accepts the switch but stays on another chain: wrong_chain, nothing sent', async () => {
  const payment = await createPayment({});
  const info = { uuid: 'c0ffee00-0000-4000-8000-000000000001', name: 'Stuck Wallet', icon: '', rdns: 'org.example.stuck' };
  const replies = { eth_requestAccounts: [SCRIPTED_ACCOUNT], eth_chainId: '0x1', wallet_switchEthereumChain: null, eth_sendTransaction: '0x' + 'ab'.repeat(32) };
  const form = await openForm(payment, { wallets: [], setup: (page) => scriptedWallet(page, info, replies) });
  await press(form, info.uuid);
  await expectFailure(form, 'wrong_chain');
  const calls = await form.page.evaluate((uuid) => window.__scripted[uuid].calls.map((c) => c.method), info.uuid);
  assert.deepEqual(calls, ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain', 'eth_chainId']);
  await form.page.close();
});

// ---------------------------------------------------------------------------------------------
// A lone window.ethereum.

test('legacy window.ethereum only: one button "Pay with your browser wallet" (injected) that pays', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, { wallets: [{ legacy: true, announce: false }] });
  const { wallet } = form;
  await waitFor(form, buttons(form), 'the browser wallet button');
  assert.equal(await buttons(form).count(), 1);
  assert.equal(await buttons(form).getAttribute('data-wallet'), 'injected');
  assert.equal((await buttons(form).textContent()).trim(), 'Pay with your browser wallet');
  assert.equal(await buttons(form).locator('img').count(), 0);
  const hash = await payAndSee(form, { button: 'injected' });
  assert.deepEqual(methods(wallet), ['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction']);
  assert.equal((await mined(hash)).value, atomic(payment.amount, 18));
  await expectPaid(form);
  await form.page.close();
});

test('a wallet both announced and on window.ethereum: one button, the announced one', async () => {
  const payment = await createPayment({});
  const form = await openForm(payment, { wallets: [{ legacy: true, announce: true }] });
  await waitFor(form, buttons(form), 'the wallet button');
  await form.page.waitForLoadState('networkidle');
  assert.equal(await buttons(form).count(), 1);
  assert.equal(await buttons(form).getAttribute('data-wallet'), form.wallet.info.uuid);
  assert.equal((await buttons(form).textContent()).trim(), 'Pay with Test Wallet');
  await form.page.close();
});
