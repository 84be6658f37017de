// End-to-end, live status: every case runs the hosted checkout in headless Chromium against
// the devserver and drives the simulated provider. Underpaid then topped up, expiry with a
// partial payment, a burst of 500s then recovery, SSE push and its fallback to polling,
// exactly-once completion across a reload, a countdown on a wrong client clock, and a payment
// whose address changes mid-session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, count } from '../lib.js';

let server, browser;
before(async () => {
  server = await startDevserver(8796);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function checkout(id, params = '', init = '') {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS + init);
  await page.goto(`${server.base}/checkout.html?src=/api/payments/${id}${params}`);
  return page;
}
const events = (page) => page.evaluate(() => window.__events);
const simulate = (id, action, amount) => api(server.base, `/api/payments/${id}/simulate`, { action, amount });
const create = (extra = {}) => api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25', ...extra });
const status = (page, s) => page.locator(`[data-status="${s}"]`).waitFor({ timeout: 15_000 });

test('underpaid shows the remaining amount, its fiat value and its QR, then a top-up completes it', async () => {
  const p = await create({ fiat: { amount: '25.00', currency: 'USD' } });
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('fiat').textContent(), '≈ $25.00');
  await simulate(p.id, 'pay_partial', '10');
  await status(page, 'underpaid');
  assert.equal(await page.getByTestId('amount').textContent(), '15');
  assert.equal(await page.getByTestId('fiat').textContent(), '≈ $15.00', 'the remainder\'s fiat value, not the order\'s');
  assert.match(await page.getByTestId('status').textContent(), /Received 10 USDT; please send the remaining 15 USDT/);
  assert.equal(await decodeQr(page.getByTestId('qr')), p.address);
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  await page.waitForTimeout(1_200);
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'underpaid', 'paid']);
  assert.equal(count(ev, 'payform:paid'), 1);
  await page.close();
});

test('an expired payment is not a dead end: the way back to the shop, when the payment names one', async () => {
  const p = await create({ return_url: `${server.base}/thanks` });
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('return').count(), 0, 'no way out while the payment is open');
  await simulate(p.id, 'expire');
  await status(page, 'expired');
  const back = page.getByTestId('return');
  assert.equal(await back.getAttribute('href'), `${server.base}/thanks`);
  assert.equal(await back.textContent(), 'Return to the store');
  await page.close();
});

test('expiry after a partial payment has its own message', async () => {
  const p = await create({ expires_in: 3 });
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'pay_partial', '5');
  await status(page, 'expired');
  const text = await page.getByTestId('status').textContent();
  assert.match(text, /expired before the full amount arrived/);
  assert.match(text, /5 USDT of 25 USDT arrived/);
  assert.equal(await page.getByTestId('qr').count(), 0, 'no QR for an expired payment');
  assert.equal(count(await events(page), 'payform:expired'), 1);
  await page.close();
});

test('a burst of 500s shows the problem and the retry, then recovers', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  await api(server.base, '/api/faults', { mode: '500', count: 2 });
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-code'), 'http_error');
  assert.match(await page.getByTestId('retry').textContent(), /Retrying in \d+ s/);
  assert.equal(await page.getByTestId('qr').count(), 1, 'the payment stays on screen during a transient error');
  await problem.waitFor({ state: 'detached', timeout: 15_000 });
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  const ev = await events(page);
  assert.equal(count(ev, 'payform:error'), 2);
  assert.ok(ev.filter((e) => e.type === 'payform:error').every((e) => e.detail.retry_in_ms > 0));
  assert.equal(count(ev, 'payform:paid'), 1);
  await page.close();
});

// An outage (here: the server refusing, and saying when to come back) retried several times is one problem: its role="alert" is inserted once (each
// insertion is an assertive announcement), the screen under it stays (focus and reading
// position with it), and "Retrying in N s" counts down instead of standing still.
test('an outage: one alert for all its retries, and the retry line counts down', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=500', `
    window.__alerts = 0;
    addEventListener('DOMContentLoaded', () => new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType === 1 && (n.matches('[role=alert]') || n.querySelector('[role=alert]'))) window.__alerts++;
      }
    }).observe(document.body, { childList: true, subtree: true }));`);
  await page.getByTestId('qr').waitFor();
  // Three refusals, each asking for 4 s (`Retry-After`): a wait long enough to watch count, every
  // time. (With 500s the wait is the backoff's full jitter, which may stay under 3 s for all four
  // tries: the test failed about one run in four that way.)
  await api(server.base, '/api/faults', { mode: '429', count: 3, retry_after: 4 });
  await page.getByTestId('problem').waitFor();
  // The screen under the problem, as it is once the problem is shown.
  const qr = await page.getByTestId('qr').elementHandle();
  const failures = () => page.evaluate(() => window.__events.filter((e) => e.type === 'payform:error').length);
  const before = await failures();
  const retry = page.getByTestId('retry');
  const seconds = async () => Number((await retry.textContent()).match(/Retrying in (\d+) s/)[1]);
  // Wait for a retry far enough away to watch it count (the backoff grows with each failure).
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid=retry]')?.textContent.match(/(\d+) s/);
    return m && Number(m[1]) >= 3;
  }, null, { timeout: 20_000 });
  const first = await seconds();
  await page.waitForTimeout(2_100);
  const later = await seconds();
  assert.ok(later <= first - 2 && later >= 1, `counted down from ${first} s to ${later} s`);
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'payform:error').length > n, before);
  assert.ok(await qr.evaluate((el) => el.isConnected), 'a retry of the same problem leaves the screen under it in place');
  await page.getByTestId('problem').waitFor({ state: 'detached', timeout: 30_000 });
  const errors = (await events(page)).filter((e) => e.type === 'payform:error');
  assert.ok(errors.length >= 3, `${errors.length} failed requests`);
  assert.equal(await page.evaluate(() => window.__alerts), 1, 'one alert for the whole outage');
  await page.close();
});

test('SSE push delivers the payment without waiting for a poll', async () => {
  const p = await create();
  // Polling every 60 s: only the push stream can explain a quick update.
  const page = await checkout(p.id, `&poll-interval=60000&events-src=/api/payments/${p.id}/events`);
  await page.getByTestId('qr').waitFor();
  const t0 = Date.now();
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  assert.ok(Date.now() - t0 < 5_000, `paid shown after ${Date.now() - t0} ms`);
  assert.equal(count(await events(page), 'payform:paid'), 1);
  await page.close();
});

test('a failing push stream falls back to polling', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=500&events-src=/api/payments/no_such_payment/events');
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  assert.equal(count(await events(page), 'payform:paid'), 1);
  await page.close();
});

test('payform:paid fires once per payment, also across a reload', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  assert.equal(count(await events(page), 'payform:paid'), 1);
  await page.reload();
  await status(page, 'paid');
  await page.waitForTimeout(800);
  const after = await events(page);
  assert.equal(count(after, 'payform:ready'), 1, 'the reloaded form is ready again');
  assert.equal(count(after, 'payform:paid'), 0, 'but the completion is not announced twice');
  await page.close();
});

test('the countdown follows the server clock when the shopper clock is 10 minutes fast', async () => {
  const p = await create({ expires_in: 3600 });
  const fastClock = `{ const real = Date.now.bind(Date); Date.now = () => real() + 600000; }`;
  const page = await checkout(p.id, '', fastClock);
  const countdown = page.getByTestId('countdown');
  await countdown.waitFor();
  const left = Number(await countdown.getAttribute('data-left-ms'));
  assert.ok(left > 3_500_000 && left <= 3_600_000, `time left ${left} ms, expected about an hour`);
  assert.match(await countdown.textContent(), /Time left to pay: (59|1:00):\d\d/);
  await page.close();
});

test('a payment whose address changes mid-session is not swapped silently', async () => {
  const p = await create();
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  let served = 0;
  await page.route((url) => url.pathname === `/api/payments/${p.id}`, async (route) => {
    const headers = { ...route.request().headers() };
    delete headers['if-none-match']; // always a full body, so the test can rewrite it
    const response = await route.fetch({ headers });
    const body = await response.json();
    served += 1;
    if (served > 1) body.address = 'TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu';
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${server.base}/checkout.html?src=/api/payments/${p.id}&poll-interval=500`);
  const problem = page.getByTestId('problem');
  await problem.waitFor({ timeout: 10_000 });
  assert.equal(await problem.getAttribute('data-code'), 'payment_changed');
  assert.match(await problem.getAttribute('data-message'), /address changed from T\w+ to TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu/);
  assert.equal(await page.getByTestId('qr').count(), 0);
  const errors = (await events(page)).filter((e) => e.type === 'payform:error');
  assert.equal(errors.at(-1).detail.code, 'payment_changed');
  await page.close();
});

test('a hung request is abandoned after 10 s and retried', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  await api(server.base, '/api/faults', { mode: 'slow', delay_ms: 15_000, count: 1 });
  const problem = page.getByTestId('problem');
  await problem.waitFor({ timeout: 14_000 });
  assert.equal(await problem.getAttribute('data-code'), 'timeout');
  assert.match(await problem.textContent(), /did not answer within 10 s/);
  await problem.waitFor({ state: 'detached', timeout: 10_000 });
  await page.close();
});

test('coming back online asks the backend at once instead of waiting for the next poll', async () => {
  const p = await create();
  const page = await checkout(p.id, '&poll-interval=60000');
  await page.getByTestId('qr').waitFor();
  const gets = async () => (await (await fetch(`${server.base}/api/stats`)).json()).by_payment[p.id];
  const before = await gets();
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  // At once, but never within 1 s of the previous request (the schedule's floor).
  await page.waitForTimeout(1_400);
  assert.equal(await gets(), before + 1);
  await page.close();
});
