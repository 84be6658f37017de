// End-to-end: the demo page and the devserver in real headless Chromium. The page shows the
// product at once: a payment exists and the form is on screen when it opens, with no click.
// A shopper's whole cycle: amount, address and a QR that decodes to the wallet URI, then the
// simulator's buttons pay (exactly, short by an exchange fee, or after the deadline) or expire
// it, and the merchant page hears it exactly once. Fiat is shown only where the rate is real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, decodeQr, RECORD_EVENTS, count } from '../lib.js';

let server, browser;
before(async () => {
  server = await startDevserver(8791);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDemo(init = '') {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS + init);
  await page.goto(server.base + '/');
  return page;
}

const events = (page) => page.evaluate(() => window.__events);
const readies = async (page) => (await events(page)).filter((e) => e.type === 'payform:ready');
/** The id of the payment the form shows (the last one it announced). */
const paymentId = async (page) => (await readies(page)).at(-1).detail.payment.id;

/** Waits for the payment created as the page opened, then creates another from the controls. */
async function createFromDemo(page, choiceIndex, setup = async () => {}) {
  await page.getByTestId('qr').waitFor();
  const before = (await readies(page)).length;
  await page.getByTestId('choice').selectOption(String(choiceIndex));
  await setup();
  await page.getByTestId('create').click();
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:ready').length > n, before);
  await page.getByTestId('qr').waitFor();
  return page.getByTestId('payform');
}

test('the form is on screen when the page opens, with no click; pay reaches paid and fires once', async () => {
  const page = await openDemo();
  const form = page.getByTestId('payform');
  await form.getByTestId('qr').waitFor({ timeout: 10_000 });
  assert.equal(await form.getByTestId('amount').textContent(), '25');
  assert.equal(await form.getByTestId('currency').textContent(), 'USDT');
  assert.equal(await form.getByTestId('fiat').textContent(), '≈ $25.00', 'a USD stablecoin: the fiat is the amount');
  const address = await form.getByTestId('address').getAttribute('data-address');
  assert.match(address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  assert.equal((await form.getByTestId('address').textContent()).replace(/\s/g, ''), address);
  assert.equal(await decodeQr(form.getByTestId('qr')), address, 'a Tron QR holds the bare address');
  assert.equal(await page.getByTestId('demo-error').count(), 0);

  await page.getByTestId('sim-pay').click();
  await form.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  // Keep polling a few more intervals: nothing may fire again.
  await page.waitForTimeout(3_500);
  const ev = await events(page);
  assert.equal(count(ev, 'payform:ready'), 1, 'one payment created as the page opened');
  assert.equal(count(ev, 'payform:paid'), 1);
  assert.equal(ev.find((e) => e.type === 'payform:paid').detail.payment.status, 'paid');
  const statuses = ev.filter((e) => e.type === 'payform:status').map((e) => [e.detail.previous, e.detail.status]);
  assert.deepEqual(statuses, [[null, 'awaiting_payment'], ['awaiting_payment', 'paid']]);
  assert.equal(await form.getByTestId('qr').count(), 0, 'no QR once paid');
  assert.equal(await form.locator('.pf-copy').count(), 0, 'nothing left to copy once paid');
  assert.equal(await form.getByTestId('network-warning').count(), 0);
  await page.close();
});

test('pay short: the exchange fee is left to pay, shown with its fiat value; a refused action says why', async () => {
  const page = await openDemo();
  const form = page.getByTestId('payform');
  await form.getByTestId('qr').waitFor({ timeout: 10_000 });
  await page.getByTestId('sim-short').click();
  await form.locator('[data-status="underpaid"]').waitFor({ timeout: 10_000 });
  assert.equal(await form.getByTestId('amount').textContent(), '0.25', '1 % of 25 USDT is still due');
  assert.equal(await form.getByTestId('fiat').textContent(), '≈ $0.25');
  assert.match(await form.getByTestId('status').textContent(), /Received 24\.75 USDT; please send the remaining 0\.25 USDT/);
  await form.getByTestId('fee-hint').waitFor();
  await form.getByTestId('qr').waitFor();
  // Nothing is confirming: the devserver refuses (409) and the page shows its words.
  await page.getByTestId('sim-confirm').click();
  const error = page.getByTestId('demo-error');
  await error.waitFor();
  assert.match(await error.textContent(), /^Simulate confirm: payment pay_\w+ is underpaid, not confirming$/);
  await page.close();
});

test('BTC: no made-up fiat; expire, then a payment after the deadline leaves the expired screen', async () => {
  const page = await openDemo();
  const form = await createFromDemo(page, 1); // BTC on Bitcoin, 25 BTC
  await form.getByTestId('currency').filter({ hasText: 'BTC' }).waitFor();
  assert.equal(await form.getByTestId('amount').textContent(), '25');
  assert.equal(await form.getByTestId('fiat').count(), 0, 'no rate for BTC: no fiat');
  const address = await form.getByTestId('address').getAttribute('data-address');
  assert.match(address, /^bc1q[02-9ac-hj-np-z]{38}$/);
  assert.equal(await decodeQr(form.getByTestId('qr')), `bitcoin:${address.toUpperCase()}?amount=25`);
  const late = page.getByTestId('sim-late');
  assert.ok(await late.isDisabled(), 'nothing to pay late before the deadline');

  await page.getByTestId('sim-expire').click();
  await form.locator('[data-status="expired"]').waitFor({ timeout: 10_000 });
  assert.match(await form.getByTestId('status').textContent(), /expired/i);
  await late.click(); // waits until the page has seen the expired status
  // The page rings the form's doorbell after each action, so this is at once; were it not, an
  // expired payment is polled every 15 s ± 25 %.
  await form.locator('[data-status="paid"]').waitFor({ timeout: 25_000 });
  assert.equal(await form.locator('[data-status="expired"]').count(), 0, 'the expired screen is gone');
  await form.getByTestId('late').waitFor();
  // The events of this payment (the one created as the page opened came first).
  const id = await paymentId(page);
  const mine = (await events(page)).filter((e) => e.detail?.payment?.id === id);
  assert.equal(count(mine, 'payform:expired'), 1);
  assert.equal(count(mine, 'payform:late'), 1);
  assert.equal(count(mine, 'payform:paid'), 1);
  assert.equal(await page.getByTestId('demo-error').count(), 0);
  await page.close();
});

test('USDT with other currencies offered: no option shows a made-up fiat price', async () => {
  const page = await openDemo();
  const form = await createFromDemo(page, 0, () => page.getByTestId('offer').check());
  const choices = form.getByTestId('option');
  await choices.first().waitFor();
  assert.deepEqual(await choices.allTextContents(),
    ['USDT · Tron (TRC-20)', 'BTC · Bitcoin', 'ETH · Ethereum (ERC-20)', 'USDC · Base']);
  for (const [i, currency] of [[1, 'BTC'], [2, 'ETH']]) {
    await form.getByTestId('option').nth(i).click();
    await form.getByTestId('currency').filter({ hasText: currency }).waitFor();
    await form.getByTestId('qr').waitFor();
    assert.equal(await form.getByTestId('fiat').count(), 0, `${currency}: no fiat`);
  }
  await page.close();
});

test('create controls: a Lightning invoice beside BTC, the refund-address field and "Need more time?"', async () => {
  const page = await openDemo();
  const lightning = page.getByTestId('lightning');
  await page.getByTestId('qr').waitFor();
  assert.ok(await lightning.isDisabled(), 'Lightning is for BTC on Bitcoin only');
  assert.equal(await page.getByTestId('refund').count(), 0);
  assert.equal(await page.getByTestId('ask-time').count(), 0);
  const form = await createFromDemo(page, 1, async () => {
    await page.getByTestId('amount-input').fill('0.0025');
    await lightning.check();
    await page.getByTestId('opt-refund').check();
    await page.getByTestId('opt-more-time').check();
  });
  assert.deepEqual(await form.locator('.pf-way-choice').allTextContents(), ['Bitcoin or Lightning', 'On-chain', 'Lightning']);
  assert.match(await decodeQr(form.getByTestId('qr')), /^bitcoin:BC1Q[0-9A-Z]+\?amount=0\.0025&lightning=LNBC2500U1/);
  await form.getByTestId('refund').waitFor();
  await form.getByTestId('ask-time').waitFor();
  // Unticked: the same payment, re-rendered without them.
  await page.getByTestId('opt-refund').uncheck();
  await page.getByTestId('opt-more-time').uncheck();
  await form.getByTestId('qr').waitFor();
  assert.equal(await form.getByTestId('refund').count(), 0);
  assert.equal(await form.getByTestId('ask-time').count(), 0);
  await page.close();
});

test('without a watched chain (GET /api/chain is 404) the page has no "Local chain" switch', async () => {
  const page = await browser.newPage();
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/chain');
  await page.goto(server.base + '/');
  assert.equal((await answered).status(), 404);
  await page.getByTestId('qr').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('local-chain').count(), 0);
  assert.equal(await page.getByTestId('choice').locator('option').first().textContent(), 'USDT on Tron');
  await page.close();
});

test('with the devserver unreachable, the page says so instead of an empty form', async () => {
  const page = await browser.newPage();
  await page.route((url) => url.pathname === '/api/payments', (route) => route.abort('connectionrefused'));
  await page.goto(server.base + '/');
  const error = page.getByTestId('demo-error');
  await error.waitFor({ timeout: 10_000 });
  assert.match(await error.textContent(), /^Could not create a payment: .+ Is the devserver running\?$/);
  assert.equal(await page.getByTestId('payform').count(), 0);
  await page.close();
});

test('a payment that fails validation is never shown as payable', async () => {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  // Serve a payment whose address belongs to another network through a route override.
  await page.route((url) => url.pathname === '/api/payments/bad', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ id: 'bad', status: 'awaiting_payment', amount: '1', currency: 'USDT', network: 'tron',
      address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' }),
  }));
  const created = [];
  page.on('request', (r) => { if (r.method() === 'POST') created.push(r.url()); });
  await page.goto(server.base + '/?src=/api/payments/bad');
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-code'), 'invalid_address');
  assert.equal(await page.getByTestId('qr').count(), 0);
  assert.equal(await page.getByTestId('address').count(), 0);
  const ev = await events(page);
  assert.equal(ev.find((e) => e.type === 'payform:error').detail.code, 'invalid_address');
  assert.deepEqual(created, [], 'with ?src= the page creates nothing');
  await page.close();
});
