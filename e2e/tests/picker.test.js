// End-to-end: the currency/network picker. A payment that offers `options` shows one button
// per option; choosing one switches the form to that option's payment (new address, amount and
// QR), stops polling the old one, and the merchant page hears of the chosen payment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, count } from '../lib.js';

let server, browser;
before(async () => {
  server = await startDevserver(8801);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const gets = async (id) => (await (await fetch(`${server.base}/api/stats`)).json()).by_payment[id] ?? 0;

test('choosing BTC switches address, amount and QR, stops polling the USDT payment, and pays once', async () => {
  const p = await api(server.base, '/api/payments', {
    amount: '25', currency: 'USDT', network: 'tron',
    options: [{ currency: 'BTC', network: 'bitcoin', amount: '0.00025' }, { currency: 'ETH', network: 'ethereum', amount: '0.0071' }],
  });
  assert.equal(p.options.length, 3);
  const btcId = p.options.find((o) => o.currency === 'BTC').src.split('/').pop();
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/?src=/api/payments/${p.id}&poll-interval=1000`);
  const form = page.getByTestId('payform');
  await form.getByTestId('qr').waitFor();
  const choices = form.getByTestId('option');
  assert.deepEqual(await choices.allTextContents(), ['USDT · Tron (TRC-20)', 'BTC · Bitcoin', 'ETH · Ethereum (ERC-20)']);
  assert.deepEqual(await choices.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-pressed'))), ['true', 'false', 'false']);
  assert.equal(await form.getByRole('group', { name: 'Pay with' }).count(), 1);

  await choices.nth(1).click();
  await form.getByTestId('currency').filter({ hasText: 'BTC' }).waitFor();
  await form.getByTestId('qr').waitFor();
  assert.equal(await form.getByTestId('amount').textContent(), '0.00025');
  const address = await form.getByTestId('address').getAttribute('data-address');
  assert.match(address, /^bc1/);
  assert.equal(await decodeQr(form.getByTestId('qr')), `bitcoin:${address.toUpperCase()}?amount=0.00025`);
  assert.equal(await form.getByTestId('option').nth(1).getAttribute('aria-pressed'), 'true');

  const before = await gets(p.id);
  await page.waitForTimeout(3_000);
  assert.equal(await gets(p.id), before, 'the USDT payment is no longer polled');
  assert.ok((await gets(btcId)) >= 2, 'the BTC payment is polled');

  await api(server.base, `/api/payments/${btcId}/simulate`, { action: 'pay' });
  await form.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  assert.equal(await form.getByTestId('option').count(), 0, 'no picker once paid');
  await page.waitForTimeout(2_500);
  const ev = await page.evaluate(() => window.__events);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:ready').map((e) => e.detail.payment.currency), ['USDT', 'BTC']);
  assert.equal(count(ev, 'payform:paid'), 1);
  assert.equal(ev.find((e) => e.type === 'payform:paid').detail.payment.id, btcId);
  await page.close();
});

test('a payment without options, or after funds arrived, shows no picker', async () => {
  const plain = await api(server.base, '/api/payments', { amount: '25', currency: 'USDT', network: 'tron' });
  const page = await browser.newPage();
  await page.goto(`${server.base}/?src=/api/payments/${plain.id}`);
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('picker').count(), 0);

  const offered = await api(server.base, '/api/payments', {
    amount: '25', currency: 'USDT', network: 'tron', options: [{ currency: 'BTC', network: 'bitcoin', amount: '0.00025' }],
  });
  await api(server.base, `/api/payments/${offered.id}/simulate`, { action: 'pay_partial' });
  await page.goto(`${server.base}/?src=/api/payments/${offered.id}`);
  await page.locator('[data-status="underpaid"]').waitFor();
  assert.equal(await page.getByTestId('picker').count(), 0, 'switching after a partial payment would strand it');
  await page.close();
});

test('options on another origin, or for an unknown network, are not offered', async () => {
  const p = await api(server.base, '/api/payments', {
    amount: '25', currency: 'USDT', network: 'tron', options: [{ currency: 'BTC', network: 'bitcoin', amount: '0.00025' }],
  });
  const page = await browser.newPage();
  // A backend (or something between) that points the options elsewhere.
  await page.route((url) => url.pathname === `/api/payments/${p.id}`, async (route) => {
    const response = await route.fetch();
    if (response.status() !== 200) return route.fulfill({ response });
    const body = await response.json();
    body.options = [
      body.options[0],
      { currency: 'BTC', network: 'bitcoin', src: 'https://evil.example/pay' },
      { currency: 'XYZ', network: 'nowhere', src: '/api/payments/x' },
    ];
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await page.goto(`${server.base}/?src=/api/payments/${p.id}`);
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('picker').count(), 0, 'one usable option is no choice');
  await page.close();
});
