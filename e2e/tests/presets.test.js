// End-to-end, every provider preset: the devserver answers the simulated payment in that
// provider's JSON (`?format=`), the hosted checkout reads it with the matching `preset`, and the
// whole cycle runs in Chromium: shown, partially paid, paid (and, on a second payment, expired).
// Plus one declarative `mapping` over a made-up shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, RECORD_EVENTS, count } from '../lib.js';

let server, browser;
before(async () => {
  server = await startDevserver(8797);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// [preset, network, currency, amount, status shown after a partial payment, status after expiry]
const CASES = [
  ['heleket', 'tron', 'USDT', '25', 'underpaid', 'failed'],
  ['cryptomus', 'tron', 'USDT', '25', 'underpaid', 'failed'],
  ['nowpayments', 'tron', 'USDT', '25', 'underpaid', 'expired'],
  ['btcpay', 'bitcoin', 'BTC', '0.001', 'underpaid', 'expired'],
  ['coinbase', 'bitcoin', 'BTC', '0.001', 'underpaid', 'expired'],
  ['coingate', 'tron', 'USDT', '25', 'awaiting_payment', 'expired'],
  ['opennode', 'bitcoin', 'BTC', '0.001', 'underpaid', 'expired'],
];

async function open(id, query) {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/checkout.html?poll-interval=400&${query}`);
  return page;
}
const status = (page, s) => page.locator(`[data-status="${s}"]`).waitFor({ timeout: 10_000 });
const events = (page) => page.evaluate(() => window.__events);

for (const [preset, network, currency, amount, partial, ended] of CASES) {
  test(`${preset}: pay partially, then fully; and expire`, async () => {
    const p = await api(server.base, '/api/payments', { network, currency, amount });
    const src = encodeURIComponent(`/api/payments/${p.id}?format=${preset}`);
    const page = await open(p.id, `src=${src}&preset=${preset}`);
    await page.getByTestId('qr').waitFor();
    assert.equal(await page.getByTestId('address').getAttribute('data-address'), p.address);
    assert.equal(await page.getByTestId('amount').textContent(), amount);
    await api(server.base, `/api/payments/${p.id}/simulate`, { action: 'pay_partial' });
    await page.waitForFunction((d) => document.querySelector('[data-testid=amount]')?.textContent === d,
      String(Number(amount) / 2));
    await status(page, partial);
    await api(server.base, `/api/payments/${p.id}/simulate`, { action: 'pay' });
    await status(page, 'paid');
    assert.equal(count(await events(page), 'payform:paid'), 1);
    await page.close();

    const q = await api(server.base, '/api/payments', { network, currency, amount });
    const page2 = await open(q.id, `src=${encodeURIComponent(`/api/payments/${q.id}?format=${preset}`)}&preset=${preset}`);
    await page2.getByTestId('qr').waitFor();
    await api(server.base, `/api/payments/${q.id}/simulate`, { action: 'expire' });
    await status(page2, ended === 'failed' ? 'cancelled' : ended);
    await page2.close();
  });
}

test('a declarative mapping reads a backend no preset knows', async () => {
  const p = await api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
  // Read the NOWPayments shape through pointers, as a merchant would for an unknown backend.
  const mapping = JSON.stringify({
    fields: { id: '/payment_id', status: '/payment_status', amount: '/pay_amount', currency: '=USDT',
      network: '=trc20', address: '/pay_address', paid: '/actually_paid' },
    statuses: { waiting: 'awaiting_payment', partially_paid: 'underpaid', finished: 'paid', expired: 'expired' },
  });
  const src = encodeURIComponent(`/api/payments/${p.id}?format=nowpayments`);
  const page = await open(p.id, `src=${src}&mapping=${encodeURIComponent(mapping)}`);
  await page.getByTestId('qr').waitFor();
  await api(server.base, `/api/payments/${p.id}/simulate`, { action: 'pay' });
  await status(page, 'paid');
  await page.close();

  const bad = await open(p.id, `src=${src}&mapping=${encodeURIComponent('{"fields": {"id": "payment_id"}}')}`);
  const problem = bad.getByTestId('problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /JSON Pointer starts with "\/"/);
  await bad.close();
});
