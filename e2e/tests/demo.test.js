// End-to-end: the demo page and the devserver in real headless Chromium. A shopper's whole
// cycle: create a payment, see amount, address and a QR that decodes to the wallet URI, then
// the simulated provider pays (or expires) it and the merchant page hears it exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, count } from '../lib.js';

let server, browser;
before(async () => {
  server = await startDevserver(8791);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDemo() {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(server.base + '/');
  return page;
}

async function createFromDemo(page, choiceIndex = 0) {
  await page.getByTestId('choice').selectOption(String(choiceIndex));
  await page.getByTestId('create').click();
  await page.getByTestId('qr').waitFor();
  return page.getByTestId('payform');
}

const events = (page) => page.evaluate(() => window.__events);
const paymentId = async (page) => (await events(page)).find((e) => e.type === 'payform:ready').detail.payment.id;

test('simulate pay: the form reaches paid and payform:paid fires exactly once', async () => {
  const page = await openDemo();
  const form = await createFromDemo(page);
  assert.equal(await form.getByTestId('amount').textContent(), '25');
  assert.equal(await form.getByTestId('currency').textContent(), 'USDT');
  const address = await form.getByTestId('address').getAttribute('data-address');
  assert.match(address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  assert.equal((await form.getByTestId('address').textContent()).replace(/\s/g, ''), address);
  assert.equal(await decodeQr(form.getByTestId('qr')), address, 'a Tron QR holds the bare address');

  await page.getByTestId('sim-pay').click();
  await form.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  // Keep polling a few more intervals: nothing may fire again.
  await page.waitForTimeout(3_500);
  const ev = await events(page);
  assert.equal(count(ev, 'payform:ready'), 1);
  assert.equal(count(ev, 'payform:paid'), 1);
  assert.equal(ev.find((e) => e.type === 'payform:paid').detail.payment.status, 'paid');
  const statuses = ev.filter((e) => e.type === 'payform:status').map((e) => [e.detail.previous, e.detail.status]);
  assert.deepEqual(statuses, [[null, 'awaiting_payment'], ['awaiting_payment', 'paid']]);
  assert.equal(await form.getByTestId('qr').count(), 0, 'no QR once paid');
  assert.equal(await form.locator('.pf-copy').count(), 0, 'nothing left to copy once paid');
  assert.equal(await form.getByTestId('network-warning').count(), 0);
  await page.close();
});

test('simulate expire: the form shows the expired state and fires payform:expired', async () => {
  const page = await openDemo();
  const form = await createFromDemo(page, 1); // BTC on Bitcoin
  const address = await form.getByTestId('address').getAttribute('data-address');
  assert.match(address, /^bc1q[02-9ac-hj-np-z]{38}$/);
  assert.equal(await decodeQr(form.getByTestId('qr')), `bitcoin:${address.toUpperCase()}?amount=25`);
  const id = await paymentId(page);
  await api(server.base, `/api/payments/${id}/simulate`, { action: 'expire' });
  await form.locator('[data-status="expired"]').waitFor({ timeout: 10_000 });
  assert.match(await form.getByTestId('status').textContent(), /expired/i);
  const ev = await events(page);
  assert.equal(count(ev, 'payform:expired'), 1);
  assert.equal(count(ev, 'payform:paid'), 0);
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
  await page.goto(server.base + '/?src=/api/payments/bad');
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-code'), 'invalid_address');
  assert.equal(await page.getByTestId('qr').count(), 0);
  assert.equal(await page.getByTestId('address').count(), 0);
  const ev = await events(page);
  assert.equal(ev.find((e) => e.type === 'payform:error').detail.code, 'invalid_address');
  await page.close();
});
