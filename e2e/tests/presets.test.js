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
  // The merchant's own mapping (given to the element, so literals are allowed): the NOWPayments
  // shape read through pointers, as a merchant would for an unknown backend.
  const mapping = JSON.stringify({
    fields: { id: '/payment_id', status: '/payment_status', amount: '/pay_amount', currency: '=USDT',
      network: '=trc20', address: '/pay_address', paid: '/actually_paid' },
    statuses: { waiting: 'awaiting_payment', partially_paid: 'underpaid', finished: 'paid', expired: 'expired' },
  });
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  await page.evaluate(([src, mapping]) => {
    const el = document.createElement('pay-form');
    el.id = 'mapped';
    el.setAttribute('mapping', mapping);
    el.setAttribute('src', src);
    document.body.append(el);
  }, [`/api/payments/${p.id}?format=nowpayments`, mapping]);
  await page.locator('#mapped [data-testid="qr"]').waitFor();
  assert.equal(await page.locator('#mapped [data-testid="address"]').getAttribute('data-address'), p.address);
  await api(server.base, `/api/payments/${p.id}/simulate`, { action: 'pay' });
  await page.locator('#mapped [data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.close();

  // From a link, a mapping is refused unless the deployed page allows it...
  const q = await api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
  const native = encodeURIComponent(`/api/payments/${q.id}`);
  const paths = JSON.stringify({ fields: { id: '/id', status: '/status', amount: '/amount', currency: '/currency',
    network: '/network', address: '/address' } });
  const refused = await open(q.id, `src=${native}&mapping=${encodeURIComponent(paths)}`);
  await refused.getByTestId('problem').waitFor();
  assert.match(await refused.getByTestId('problem').getAttribute('data-message'), /does not take a mapping from its link/);
  assert.equal(await refused.getByTestId('qr').count(), 0);
  await refused.close();

  // ...and then it may only hold pointers, never values.
  const allowing = async (query) => {
    const pg = await browser.newPage();
    await pg.route('**/checkout.html*', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('<head>', '<head><meta name="payform-link-mapping" content="paths">');
      await route.fulfill({ response, body: html });
    });
    await pg.goto(`${server.base}/checkout.html?poll-interval=1000&${query}`);
    return pg;
  };
  const ok = await allowing(`src=${native}&mapping=${encodeURIComponent(paths)}`);
  await ok.getByTestId('qr').waitFor();
  assert.equal(await ok.getByTestId('address').getAttribute('data-address'), q.address);
  await ok.close();
  const literal = paths.replace('"/address"', `"=${q.address}"`);
  const carried = await allowing(`src=${native}&mapping=${encodeURIComponent(literal)}`);
  await carried.getByTestId('problem').waitFor();
  assert.match(await carried.getByTestId('problem').getAttribute('data-message'), /"address" a fixed value/);
  assert.equal(await carried.getByTestId('qr').count(), 0);
  await carried.close();
  const bad = await allowing(`src=${native}&mapping=${encodeURIComponent('{"fields": {"id": "payment_id"}}')}`);
  await bad.getByTestId('problem').waitFor();
  assert.match(await bad.getByTestId('problem').getAttribute('data-message'), /JSON Pointer starts with "\/"/);
  await bad.close();
});
