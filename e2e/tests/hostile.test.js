// End-to-end, the hostile backend: the devserver's scripted replies (`/api/script/{id}`) play a
// payment server that lies, stalls, floods, changes the payee, sends duplicate keys, huge or
// endless bodies, absurd Retry-After values and stale pushes. Every case is judged by what the
// shopper sees (the problem box and its data-code, the QR decoded back, the amount text, the
// return link), what the merchant page hears (payform:* events and their counts) and, for
// timing, by the server's own log of when each request arrived.
//
// A rule that does not hold makes its test fail; the test names say which rule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, count } from '../lib.js';

const PORT = 8811;
let server, browser;
before(async () => {
  server = await startDevserver(PORT);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Valid Tron payees, and two that must never be shown as a payee.
const PAYEE = 'TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6';
const OTHER = 'TAg1p3uPzCtVLBMJu3k7wigAhoAsWfeZfu';
const THIRD = 'THwjJ5iZPKvX8k9C9cbm3waDfAZPoFctWv';
const USDT_CONTRACT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const ZERO_ADDRESS = 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb';
// BOLT11's own example invoice for 2500u (0.0025 BTC).
const LN_2500U = 'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const iso = (ms) => new Date(ms).toISOString();
/** IMF-fixdate, as in an HTTP `Date` or `Retry-After` header. */
const imf = (ms) => new Date(ms).toUTCString();
const T0 = Date.now();

/** A native payment (preset payform), 25 USDT on Tron, with `over` applied. */
function payment(over = {}) {
  return {
    id: 'pay_1', status: 'awaiting_payment', amount: '25', currency: 'USDT', network: 'tron',
    address: PAYEE, paid: '0', due: '25', server_time: iso(T0), expires_at: iso(T0 + 3_600_000), ...over,
  };
}
const without = (p, key) => { const q = { ...p }; delete q[key]; return q; };
/** A 200 reply carrying `p` (an object, serialized, or raw text), plus reply fields. */
const ok = (p = payment(), extra = {}) => ({ status: 200, body: typeof p === 'string' ? p : JSON.stringify(p), ...extra });
const VALID = ok();

const script = (id, replies, repeat_last = true) => api(server.base, `/api/script/${id}`, { replies, repeat_last });
const pushScript = (id, events, extra = {}) => api(server.base, `/api/script/${id}/events`, { events, ...extra });
const scriptLog = async (id) => (await fetch(`${server.base}/api/script/${id}/log`)).json();

/** Polls `fn` (node side) until it returns something truthy. */
async function until(fn, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The hosted checkout on the script `id` (English, so texts can be asserted). */
async function checkout(id, params = '&poll-interval=1000') {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/checkout.html?src=/api/script/${id}&lang=en${params}`);
  return page;
}

/** The element example page with its demo form removed before it starts, and `forms`
 * (`[{id, attrs}]`) added as <pay-form> elements (attributes set before they connect). */
async function elementPage(forms) {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS + `
    document.addEventListener('DOMContentLoaded', () => document.getElementById('form')?.remove());`);
  await page.goto(`${server.base}/examples/element.html`);
  await addForms(page, forms);
  return page;
}
async function addForms(page, forms) {
  await page.evaluate((forms) => {
    document.getElementById('form')?.remove();
    for (const f of forms) {
      const el = document.createElement('pay-form');
      el.id = f.id;
      for (const [k, v] of Object.entries({ lang: 'en', ...f.attrs })) el.setAttribute(k, v);
      document.body.append(el);
    }
  }, forms);
}

/** examples/mount.html: one form through Payform.mount, its handle as window.formHandle. */
async function mountPage(id, poll = 1000) {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/examples/mount.html?src=/api/script/${id}&poll=${poll}`);
  await page.waitForFunction(() => window.formHandle);
  return page;
}

/** The QR decoded, retried while the screen is being rebuilt under the locator. */
async function qrText(page, scope = '') {
  const qr = page.locator(`${scope} [data-testid="qr"]`.trim());
  let last;
  for (let i = 0; i < 5; i++) {
    try {
      await qr.waitFor({ timeout: 5_000 });
      return await decodeQr(qr);
    } catch (e) {
      last = e;
      if (!/not attached|Timeout/.test(e.message)) throw e;
    }
  }
  throw last;
}

const events = (page) => page.evaluate(() => window.__events);
const errorCodes = async (page) => (await events(page)).filter((e) => e.type === 'payform:error').map((e) => e.detail.code);
const waitEvents = (page, type, n = 1, timeout = 15_000) =>
  page.waitForFunction(([type, n]) => window.__events.filter((e) => e.type === type).length >= n, [type, n], { timeout });
const problem = (page, scope = '') => page.locator(`${scope} [data-testid="problem"]`.trim());
const problemWith = (page, code, scope = '') => page.locator(`${scope} [data-testid="problem"][data-code="${code}"]`.trim());
/** Nothing payable on screen: no QR, no address, no amount, no wallet link. */
async function assertNothingPayable(page, scope = '', why = '') {
  for (const id of ['qr', 'address', 'amount', 'wallet-link']) {
    assert.equal(await page.locator(`${scope} [data-testid="${id}"]`.trim()).count(), 0, `no ${id} on screen ${why}`);
  }
}
const gaps = (requests) => requests.slice(1).map((r, i) => r.at_ms - requests[i].at_ms);

// ---------------------------------------------------------------------------------------------
// 1. The link.

const MAPPING_FIELDS = { id: '/id', status: '/status', amount: '/amount', currency: '/currency', network: '/network', address: '/address' };
const LITERAL_MAPPING = JSON.stringify({ fields: { ...MAPPING_FIELDS, address: `=${OTHER}` } });

/** The checkout page as deployed by an operator who allows pointer-only mappings in links
 * (`<meta name="payform-link-mapping" content="paths">`): the real checkout.html with the meta. */
async function mappingCheckout(id, mapping) {
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.route((url) => url.pathname === '/checkout.html', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('<title>', '<meta name="payform-link-mapping" content="paths" />\n    <title>');
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${server.base}/checkout.html?src=/api/script/${id}&lang=en&poll-interval=1000&mapping=${encodeURIComponent(mapping)}`);
  return page;
}

/** bad_config, nothing payable, nothing fetched, no event of the payment. */
async function refusedLink(page, id, message) {
  const box = problemWith(page, 'bad_config');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), message);
  await page.waitForTimeout(1_500);
  await assertNothingPayable(page);
  assert.ok(!(await page.content()).includes(OTHER), 'the link\'s payee appears nowhere on the page');
  assert.equal((await scriptLog(id)).gets, 0, 'the payment URL was never fetched');
  assert.equal(count(await events(page), 'payform:ready'), 0);
}

test('link: the deployed checkout takes no mapping from its link (a literal payee in it is bad_config, nothing fetched)', async () => {
  await script('h1-literal', [VALID]);
  const page = await checkout('h1-literal', `&poll-interval=1000&mapping=${encodeURIComponent(LITERAL_MAPPING)}`);
  await refusedLink(page, 'h1-literal', /does not take a mapping from its link/);
  await page.close();
});

test('link: where the page allows link mappings, a literal payee is still bad_config; JSON Pointers work', async () => {
  await script('h1-literal-allowed', [VALID]);
  await script('h1-pointers', [VALID]);
  const literal = await mappingCheckout('h1-literal-allowed', LITERAL_MAPPING);
  await refusedLink(literal, 'h1-literal-allowed', /gives "address" a fixed value/);
  const pointers = await mappingCheckout('h1-pointers', JSON.stringify({ fields: MAPPING_FIELDS }));
  await pointers.getByTestId('qr').waitFor();
  assert.equal(await qrText(pointers), PAYEE, 'the same page with a pointer-only mapping shows the payment');
  await Promise.all([literal.close(), pointers.close()]);
});

test('link: src on another origin (localhost vs 127.0.0.1) is refused with a clear problem', async () => {
  await script('h1-origin', [VALID]);
  const page = await browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  const foreign = `http://localhost:${PORT}/api/script/h1-origin`;
  await page.goto(`${server.base}/checkout.html?src=${encodeURIComponent(foreign)}&poll-interval=1000`);
  const box = problemWith(page, 'bad_config');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), new RegExp(`src points to http://localhost:${PORT}, which this checkout page does not allow`));
  await page.waitForTimeout(1_500);
  await assertNothingPayable(page);
  assert.equal((await scriptLog('h1-origin')).gets, 0, 'the foreign src was never fetched');
  await page.close();
});

test('link: events-src on another origin is refused with a clear problem, and no stream is opened', async () => {
  await script('h1-events', [VALID]);
  await pushScript('h1-events', [{ event: 'payment', data: JSON.stringify(payment()) }]);
  const foreign = `http://localhost:${PORT}/api/script/h1-events/events`;
  const page = await checkout('h1-events', `&poll-interval=1000&events-src=${encodeURIComponent(foreign)}`);
  const box = problemWith(page, 'bad_config');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), new RegExp(`events-src points to http://localhost:${PORT}, which this checkout page does not allow`));
  await page.waitForTimeout(1_500);
  await assertNothingPayable(page);
  const log = await scriptLog('h1-events');
  assert.equal(log.streams_total, 0, 'no stream was opened');
  // checkout.js may have started the early GET of the same-origin src before the wasm read the
  // link; the wasm refused the link and dropped (aborted) it, and asked nothing more.
  assert.ok(log.gets <= 1, `at most the early request of src, got ${log.gets}`);
  await page.waitForTimeout(2_500);
  assert.equal((await scriptLog('h1-events')).gets, log.gets, 'and the form never polled');
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// 2. Delays.

test('delays: 429 with Retry-After 99999999999999999999 waits the 10-minute ceiling, no hot loop even when poked', async () => {
  await script('h2-huge', [{ status: 429, headers: { 'Retry-After': '99999999999999999999' }, body: '' }]);
  const page = await checkout('h2-huge');
  await until(async () => (await scriptLog('h2-huge')).gets >= 1, 'the first request');
  const box = problemWith(page, 'rate_limited');
  await box.waitFor();
  // Poke it for 5 s the ways a page can: network back, tab visible again.
  const end = Date.now() + 5_000;
  while (Date.now() < end) {
    await page.evaluate(() => {
      window.dispatchEvent(new Event('online'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sleep(100);
  }
  assert.equal((await scriptLog('h2-huge')).gets, 1, 'exactly one request in 5 s');
  const errors = (await events(page)).filter((e) => e.type === 'payform:error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].detail.code, 'rate_limited');
  assert.equal(errors[0].detail.retry_in_ms, 600_000, 'the wait is capped at exactly 10 minutes');
  // Shown when the wait began (600 s), counted down since: at least 5 s have passed.
  const shown = Number((await page.getByTestId('retry').textContent()).match(/^Retrying in (\d+) s\.$/)[1]);
  assert.ok(shown >= 590 && shown <= 596, `Retrying in ${shown} s`);
  await assertNothingPayable(page);
  await page.close();
});

test('delays: 503 with Retry-After as an HTTP-date 3 s ahead is obeyed (server clock)', async () => {
  const now = Date.now();
  await script('h2-date', [
    { status: 503, headers: { 'Retry-After': imf(now + 3_000), Date: imf(now) }, body: '' },
    VALID,
  ]);
  const page = await checkout('h2-date');
  await problemWith(page, 'http_error').waitFor();
  const [e] = (await events(page)).filter((x) => x.type === 'payform:error');
  assert.ok(e.detail.retry_in_ms >= 3_000 && e.detail.retry_in_ms <= 3_750, `retry_in_ms ${e.detail.retry_in_ms}`);
  await page.getByTestId('qr').waitFor({ timeout: 10_000 });
  const { requests } = await scriptLog('h2-date');
  assert.equal(requests.length, 2);
  const [gap] = gaps(requests);
  assert.ok(gap >= 2_950, `the second request came ${gap} ms after the first (Retry-After: 3 s)`);
  assert.ok(gap <= 3_750 + 1_500, `the second request came ${gap} ms after the first (at most 3 s + 25 %)`);
  assert.equal(await qrText(page), PAYEE);
  await page.close();
});

/** A 429 `Retry-After: 3`, then a valid payment; `poke` runs in the page every 100 ms for
 * 2.6 s. Not a single request may come before the server's 3 s are over. */
async function retryAfterHolds(id, open, poke) {
  await script(id, [{ status: 429, headers: { 'Retry-After': '3' }, body: '' }, VALID]);
  const page = await open(id);
  try {
    await until(async () => (await scriptLog(id)).gets >= 1, `${id}: the first request`);
    await problemWith(page, 'rate_limited').waitFor();
    const end = Date.now() + 2_600;
    while (Date.now() < end) {
      await page.evaluate(poke);
      await sleep(100);
    }
    assert.equal((await scriptLog(id)).gets, 1, `${id}: no request while the server's 3 s run`);
    await page.locator('[data-testid="qr"]').waitFor({ timeout: 10_000 });
    const { requests } = await scriptLog(id);
    assert.equal(requests.length, 2, `${id}: two requests in all`);
    const [gap] = gaps(requests);
    assert.ok(gap >= 2_950, `${id}: the second request came ${gap} ms after the 429 (Retry-After: 3)`);
    assert.ok(gap <= 3_750 + 1_500, `${id}: the second request came ${gap} ms after the 429 (at most 3 s + 25 %)`);
    assert.equal(count(await events(page), 'payform:ready'), 1);
  } finally {
    await page.close();
  }
}

test('delays: a 429 Retry-After 3 holds against online and visibilitychange (checkout)', async () => {
  await retryAfterHolds('h2-ra-checkout', (id) => checkout(id), () => {
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));
  });
});

test('delays: a 429 Retry-After 3 holds against handle.refresh() (Payform.mount)', async () => {
  await retryAfterHolds('h2-ra-mount', (id) => mountPage(id), () => window.formHandle.refresh());
});

test('delays: a 429 Retry-After 3 holds against el.refresh() (<pay-form>)', async () => {
  await retryAfterHolds('h2-ra-element',
    (id) => elementPage([{ id: 'f', attrs: { src: `/api/script/${id}`, 'poll-interval': '1000' } }]),
    () => document.getElementById('f').refresh());
});

/** Requests of `id` over `ms` while `poke` runs in the page every 40 ms: never closer than 1 s. */
async function floorHolds(id, page, poke, ms = 5_000) {
  try {
    await page.locator('[data-testid="qr"]').waitFor();
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (poke) await page.evaluate(poke);
      await sleep(40);
    }
    const { requests } = await scriptLog(id);
    const g = gaps(requests);
    assert.ok(requests.length >= 4 && requests.length <= 8, `${id}: ${requests.length} requests in about 5.5 s`);
    assert.ok(g.every((ms) => ms >= 950), `${id}: requests ${JSON.stringify(g)} ms apart, some closer than 1 s`);
  } finally {
    await page.close();
  }
}

test('delays: poll-interval=1 is clamped to 1 s (checkout)', async () => {
  await script('h2-clamp', [VALID]);
  await floorHolds('h2-clamp', await checkout('h2-clamp', '&poll-interval=1'));
});

test('delays: refresh() spam never beats the 1 s floor (Payform.mount, pollInterval 1)', async () => {
  await script('h2-floor-mount', [VALID]);
  await floorHolds('h2-floor-mount', await mountPage('h2-floor-mount', 1), () => window.formHandle.refresh());
});

test('delays: el.refresh() spam never beats the 1 s floor (<pay-form poll-interval=1>)', async () => {
  await script('h2-floor-element', [VALID]);
  const page = await elementPage([{ id: 'f', attrs: { src: '/api/script/h2-floor-element', 'poll-interval': '1' } }]);
  await floorHolds('h2-floor-element', page, () => document.getElementById('f').refresh());
});

// ---------------------------------------------------------------------------------------------
// 3. The change guard.

test('change guard: a new address or amount after an invalid reply is payment_changed; a 304 and the original payment restore it', async () => {
  const changed = async (id, replies, what) => {
    await script(id, replies);
    const page = await checkout(id);
    const box = problemWith(page, 'payment_changed');
    await box.waitFor({ timeout: 15_000 });
    assert.match(await box.getAttribute('data-message'), what);
    await waitEvents(page, 'payform:error', 3);
    await assertNothingPayable(page, '', `(${id}: payment_changed)`);
    const ev = await events(page);
    assert.equal(count(ev, 'payform:ready'), 1, `${id}: ready once`);
    const codes = await errorCodes(page);
    assert.equal(codes[0], 'invalid_address', `${id}: the invalid reply first`);
    assert.ok(codes.slice(1).every((c) => c === 'payment_changed'), `${id}: then only payment_changed: ${codes}`);
    assert.ok(!(await page.content()).includes(`data-address="${OTHER}"`), `${id}: the new address is never offered`);
    await page.close();
  };
  const invalid = ok(payment({ address: 'T123' }));
  const restoredBy304 = async () => {
    await script('h3-304', [
      ok(payment(), { headers: { ETag: '"A"' } }),
      ok(payment({ address: 'T123' }), { headers: { ETag: '"B"' } }),
      { status: 304, body: '' },
    ]);
    const page = await checkout('h3-304');
    await problemWith(page, 'invalid_address').waitFor({ timeout: 10_000 });
    await assertNothingPayable(page, '', '(invalid reply)');
    await until(async () => (await scriptLog('h3-304')).gets >= 3, 'the third request (304)');
    await page.getByTestId('qr').waitFor({ timeout: 5_000 });
    await problem(page).waitFor({ state: 'detached' });
    assert.equal(await qrText(page), PAYEE);
    const { requests } = await scriptLog('h3-304');
    assert.deepEqual(requests.slice(0, 3).map((r) => r.if_none_match), [null, '"A"', '"A"'],
      'only the accepted reply\'s ETag is ever sent back');
    const ev = await events(page);
    assert.equal(count(ev, 'payform:ready'), 1);
    assert.deepEqual(await errorCodes(page), ['invalid_address']);
    await page.close();
  };
  const recovers = async () => {
    await script('h3-recover', [VALID, ok(payment({ address: OTHER })), VALID]);
    const page = await checkout('h3-recover');
    await problemWith(page, 'payment_changed').waitFor({ timeout: 10_000 });
    await assertNothingPayable(page, '', '(payment_changed)');
    await page.getByTestId('qr').waitFor({ timeout: 10_000 });
    await problem(page).waitFor({ state: 'detached' });
    assert.equal(await qrText(page), PAYEE);
    assert.equal(await page.getByTestId('address').getAttribute('data-address'), PAYEE);
    const ev = await events(page);
    assert.equal(count(ev, 'payform:ready'), 1, 'ready still once');
    assert.equal(count(ev, 'payform:status'), 1, 'the status never changed');
    assert.deepEqual(await errorCodes(page), ['payment_changed']);
    await page.close();
  };
  await Promise.all([
    changed('h3-address', [VALID, invalid, ok(payment({ address: OTHER }))],
      new RegExp(`address changed from ${PAYEE} to ${OTHER}`)),
    changed('h3-amount', [VALID, invalid, ok(payment({ amount: '26', due: '26' }))], /amount changed from 25 to 26/),
    restoredBy304(),
    recovers(),
  ]);
});

// ---------------------------------------------------------------------------------------------
// 4. Numbers.

test('gone: a 404 after the payment was shown takes the QR down and stops asking', async () => {
  const id = 'gone';
  await script(id, [VALID, { status: 404, body: '{"error":"not found"}' }]);
  const page = await checkout(id);
  await problemWith(page, 'not_found').waitFor({ timeout: 10_000 });
  await assertNothingPayable(page, '', '(the payment is gone)');
  const errors = (await events(page)).filter((e) => e.type === 'payform:error');
  assert.deepEqual(errors.map((e) => [e.detail.code, e.detail.retry_in_ms]), [['not_found', null]]);
  const before = (await scriptLog(id)).gets;
  await sleep(2_500);
  assert.equal((await scriptLog(id)).gets, before, 'no request after a 404');
  await page.close();
});

// Not a dead end: a problem nothing retries by itself offers "Try again", which asks the backend
// once more (a new session, as a reload would) and shows the payment when it is back; a
// problem the form retries on its own, and a setup problem, have no such button.
test('a 404 offers "Try again": one click, one request, and the payment when it is back', async () => {
  const id = 'again';
  await script(id, [{ status: 404, body: '{"error":"not found"}' }, VALID]);
  const page = await checkout(id);
  await problemWith(page, 'not_found').waitFor({ timeout: 10_000 });
  assert.equal((await page.getByTestId('problem').locator('h2').textContent()), 'Payment not found');
  const button = page.getByTestId('try-again');
  assert.equal(await button.textContent(), 'Try again');
  await sleep(1_500);
  assert.equal((await scriptLog(id)).gets, 1, 'nothing asked again by itself');
  await button.click();
  await page.getByTestId('qr').waitFor({ timeout: 10_000 });
  assert.equal((await scriptLog(id)).gets, 2, 'one click, one request');
  await page.close();

  await script('again-500', [{ status: 500, body: 'oops' }, VALID]);
  const retried = await checkout('again-500');
  await problemWith(retried, 'http_error').waitFor({ timeout: 10_000 });
  assert.equal(await retried.getByTestId('try-again').count(), 0, 'retried by itself: no button');
  await retried.close();
  const setup = await browser.newPage();
  await setup.goto(`${server.base}/checkout.html?lang=en`);
  await setup.getByTestId('problem').waitFor();
  assert.equal(await setup.getByTestId('try-again').count(), 0, 'a setup problem: no button');
  await setup.close();
});

test('numbers: amount 25, paid 10, due 14 is invalid_amount; paid 10, due 15 shows 15 and the QR', async () => {
  await script('h4-bad', [ok(payment({ status: 'underpaid', paid: '10', due: '14' }))]);
  await script('h4-good', [ok(payment({ status: 'underpaid', paid: '10', due: '15' }))]);
  const [bad, good] = await Promise.all([checkout('h4-bad'), checkout('h4-good')]);
  const box = problemWith(bad, 'invalid_amount');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), /due 14 is not amount 25 minus paid 10 \(15\)/);
  await assertNothingPayable(bad);
  assert.equal((await errorCodes(bad))[0], 'invalid_amount');
  assert.equal(count(await events(bad), 'payform:ready'), 0);
  await good.getByTestId('qr').waitFor();
  assert.equal(await good.getByTestId('amount').textContent(), '15');
  assert.equal(await good.getByTestId('amount').getAttribute('data-amount'), '15');
  assert.match(await good.getByTestId('status').textContent(), /Received 10 USDT; please send the remaining 15 USDT/);
  assert.equal(await qrText(good), PAYEE);
  await Promise.all([bad.close(), good.close()]);
});

// ---------------------------------------------------------------------------------------------
// 5. JSON.

test('json: duplicate keys are malformed_response, and the second payee is never shown', async () => {
  const dup = JSON.stringify(payment()).replace(/}$/, `,"address":"${OTHER}"}`);
  assert.equal(JSON.parse(dup).address, OTHER, 'JSON.parse would take the second payee');
  await script('h5-dup-first', [ok(dup)]);
  await script('h5-dup-later', [VALID, ok(dup)]);
  const [first, later] = await Promise.all([checkout('h5-dup-first'), checkout('h5-dup-later')]);
  const box = problemWith(first, 'malformed_response');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), /duplicate key/);
  await assertNothingPayable(first);
  assert.equal((await errorCodes(first))[0], 'malformed_response');
  // After a valid payment, the duplicate is a glitch: the accepted payee stays, never the second.
  await problemWith(later, 'malformed_response').waitFor({ timeout: 10_000 });
  assert.equal(await qrText(later), PAYEE);
  assert.equal(await later.getByTestId('address').getAttribute('data-address'), PAYEE);
  for (const page of [first, later]) assert.ok(!(await page.content()).includes(OTHER), 'the second payee appears nowhere');
  await Promise.all([first.close(), later.close()]);
});

test('json: a 5 MB body (declared or chunked) is malformed_response and the page stays responsive', async () => {
  const huge = { status: 200, body_repeat: { text: 'x', times: 5 * 1024 * 1024 } };
  await script('h5-huge', [huge]);
  await script('h5-huge-chunked', [{ ...huge, content_length: 'chunked' }]);
  const pages = await Promise.all([checkout('h5-huge'), checkout('h5-huge-chunked')]);
  for (const page of pages) {
    const box = problemWith(page, 'malformed_response');
    await box.waitFor({ timeout: 10_000 });
    assert.match(await box.getAttribute('data-message'), /sent more than 262144 bytes/);
    await assertNothingPayable(page);
    const t = Date.now();
    assert.equal(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(1 + 1)))), 2);
    assert.ok(Date.now() - t < 1_000, `the page answered in ${Date.now() - t} ms`);
    assert.equal((await errorCodes(page))[0], 'malformed_response');
  }
  await Promise.all(pages.map((p) => p.close()));
});

test('json: a body that trickles for 11 s is a timeout; nesting 1000 deep is malformed_response', async () => {
  await script('h5-slow', [{ ...VALID, chunks: 12, chunk_delay_ms: 1_000 }]);
  const deep = `{"id":"pay_1","x":${'['.repeat(1000)}${']'.repeat(1000)}}`;
  await script('h5-deep', [ok(deep)]);
  const [slow, nested] = await Promise.all([checkout('h5-slow'), checkout('h5-deep')]);
  const box = problemWith(nested, 'malformed_response');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), /nesting too deep/);
  await assertNothingPayable(nested);
  const t = Date.now();
  const slowBox = problemWith(slow, 'timeout');
  await slowBox.waitFor({ timeout: 15_000 });
  assert.match(await slowBox.textContent(), /did not answer within 10 s/);
  const [e] = (await events(slow)).filter((x) => x.type === 'payform:error');
  assert.equal(e.detail.code, 'timeout');
  assert.ok(e.detail.retry_in_ms > 0, 'a timeout is retried');
  const took = Date.now() - (await scriptLog('h5-slow')).requests[0].at_ms;
  assert.ok(took >= 9_500, `the timeout came ${took} ms after the request (waited ${Date.now() - t} ms here)`);
  await assertNothingPayable(slow);
  await Promise.all([slow.close(), nested.close()]);
});

// ---------------------------------------------------------------------------------------------
// 6. Addresses.

test('addresses: the USDT contract and the zero address as payee are forbidden_address; an invoice must match the amount', async () => {
  await script('h6-contract', [ok(payment({ address: USDT_CONTRACT }))]);
  await script('h6-zero', [ok(payment({ address: ZERO_ADDRESS }))]);
  const lightning = { network: 'lightning', currency: 'BTC', address: LN_2500U };
  await script('h6-ln-ok', [ok(payment({ ...lightning, amount: '0.0025', due: '0.0025' }))]);
  await script('h6-ln-bad', [ok(payment({ ...lightning, amount: '0.003', due: '0.003' }))]);
  const [contract, zero, lnOk, lnBad] = await Promise.all(['h6-contract', 'h6-zero', 'h6-ln-ok', 'h6-ln-bad'].map((id) => checkout(id)));
  for (const [page, address, code] of [[contract, USDT_CONTRACT, 'forbidden_address'], [zero, ZERO_ADDRESS, 'forbidden_address'],
    [lnBad, LN_2500U, 'invoice_amount_mismatch']]) {
    await problemWith(page, code).waitFor();
    await assertNothingPayable(page, '', `(${address})`);
    assert.equal((await errorCodes(page))[0], code);
    assert.ok(!(await page.content()).includes(`data-address="${address}"`));
  }
  // The control: the same invoice for its own amount is shown, its link and QR the same invoice.
  await lnOk.getByTestId('qr').waitFor();
  assert.equal(await lnOk.getByTestId('wallet-link').getAttribute('href'), `lightning:${LN_2500U}`);
  assert.equal(await qrText(lnOk), `lightning:${LN_2500U.toUpperCase()}`);
  await Promise.all([contract, zero, lnOk, lnBad].map((p) => p.close()));
});

// ---------------------------------------------------------------------------------------------
// 7. return_url.

test('return_url: a look-alike host is invalid_return_url; http://127.0.0.1:PORT/thanks is the back-to-shop link', async () => {
  await script('h7-evil', [ok(payment({ return_url: 'https://shop.example.evil.test/' }))]);
  const thanks = `http://127.0.0.1:${PORT}/thanks`;
  await script('h7-good', [ok(payment({ status: 'paid', paid: '25', due: '0', return_url: thanks }))]);
  const [evil, good] = await Promise.all([checkout('h7-evil'), checkout('h7-good')]);
  const box = problemWith(evil, 'invalid_return_url');
  await box.waitFor();
  assert.match(await box.getAttribute('data-message'), /return_url "https:\/\/shop\.example\.evil\.test\/" was refused/);
  await assertNothingPayable(evil);
  assert.equal((await errorCodes(evil))[0], 'invalid_return_url');
  await good.locator('[data-status="paid"]').waitFor();
  const link = good.getByTestId('return');
  assert.equal(await link.getAttribute('href'), thanks);
  assert.equal(await link.textContent(), 'Return to the store');
  assert.equal(count(await events(good), 'payform:paid'), 1);
  await Promise.all([evil.close(), good.close()]);
});

// ---------------------------------------------------------------------------------------------
// 8. Order and freshness.

test('freshness: a reply with Cache-Control max-age=3600 is not reused; every poll reaches the server with no-cache', async () => {
  await script('h8-cache', [
    ok(payment(), { headers: { 'Cache-Control': 'public, max-age=3600' } }),
    ok(payment({ status: 'paid', paid: '25', due: '0' }), { headers: { 'Cache-Control': 'public, max-age=3600' } }),
  ]);
  const page = await checkout('h8-cache');
  await page.getByTestId('qr').waitFor();
  await page.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(1_500);
  const { requests } = await scriptLog('h8-cache');
  assert.deepEqual(requests.map((r) => r.reply), [0, 1], 'one request per poll, each answered by the server, then none');
  assert.deepEqual(requests.map((r) => r.cache_control), ['no-cache', 'no-cache'], 'fetch with cache: no-store');
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'paid']);
  assert.equal(count(ev, 'payform:paid'), 1);
  await page.close();
});

test('order: a pushed snapshot with an older server_time does not replace the shown one', async () => {
  const now = { server_time: iso(T0) };
  await script('h8-order', [ok(payment(now))]);
  await pushScript('h8-order', [
    { event: 'payment', data: JSON.stringify(payment(now)) },
    { event: 'payment', data: JSON.stringify(payment({ status: 'paid', paid: '25', due: '0', server_time: iso(T0 - 60_000) })), delay_ms: 1_500 },
    { event: 'payment', data: JSON.stringify(payment({ status: 'confirming', server_time: iso(T0 + 5_000) })), delay_ms: 1_500 },
  ]);
  const page = await checkout('h8-order', '&poll-interval=60000&events-src=/api/script/h8-order/events');
  await page.getByTestId('qr').waitFor();
  await page.locator('[data-status="confirming"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'confirming'],
    'the older "paid" snapshot was never applied');
  assert.equal(count(ev, 'payform:paid'), 0);
  assert.equal(await page.getByTestId('receipt').count(), 0);
  const log = await scriptLog('h8-order');
  assert.equal(log.gets, 1, 'the updates came by push');
  assert.equal(log.streams_total, 1);
  await page.close();
});

test('order: completion dedupe is scoped by source: two sources with the same payment id each fire paid once', async () => {
  const paid = ok(payment({ status: 'paid', paid: '25', due: '0' }));
  for (const id of ['h8-src-a', 'h8-src-b', 'h8-tab-a', 'h8-tab-b']) await script(id, [paid]);
  // Two forms in one page.
  const forms = [
    { id: 'a', attrs: { src: '/api/script/h8-src-a', 'poll-interval': '1000' } },
    { id: 'b', attrs: { src: '/api/script/h8-src-b', 'poll-interval': '1000' } },
  ];
  const page = await elementPage(forms);
  await waitEvents(page, 'payform:paid', 2);
  await page.waitForTimeout(800);
  let paidEvents = (await events(page)).filter((e) => e.type === 'payform:paid');
  assert.equal(paidEvents.length, 2, 'each source fires paid once');
  assert.deepEqual(paidEvents.map((e) => e.detail.payment.id), ['pay_1', 'pay_1']);
  await page.reload();
  await addForms(page, forms);
  await waitEvents(page, 'payform:ready', 2);
  await page.waitForTimeout(800);
  assert.equal(count(await events(page), 'payform:paid'), 0, 'after a reload neither fires again');
  // One tab, one checkout after the other.
  const tab = await checkout('h8-tab-a');
  await waitEvents(tab, 'payform:paid', 1);
  await tab.goto(`${server.base}/checkout.html?src=/api/script/h8-tab-b&lang=en&poll-interval=1000`);
  await waitEvents(tab, 'payform:paid', 1);
  await tab.waitForTimeout(800);
  paidEvents = (await events(tab)).filter((e) => e.type === 'payform:paid');
  assert.equal(paidEvents.length, 1, 'the second source in the same tab fires paid once');
  await tab.reload();
  await waitEvents(tab, 'payform:ready', 1);
  await tab.waitForTimeout(800);
  assert.equal(count(await events(tab), 'payform:paid'), 0, 'and not again after a reload');
  await Promise.all([page.close(), tab.close()]);
});

// ---------------------------------------------------------------------------------------------
// 9. Push.

test('push: 8 forms following one events-src share 1 stream; all render and all hear the pushed paid', async () => {
  const ids = Array.from({ length: 8 }, (_, i) => `h9-src-${i}`);
  for (const id of ids) await script(id, [VALID]);
  await script('h9-ev', [VALID]);
  await pushScript('h9-ev', [
    { event: 'payment', data: JSON.stringify(payment()) },
    { event: 'payment', data: JSON.stringify(payment({ status: 'paid', paid: '25', due: '0', server_time: iso(T0 + 1_000) })), delay_ms: 5_000 },
  ]);
  const page = await elementPage(ids.map((id, i) => ({
    id: `f${i}`, attrs: { src: `/api/script/${id}`, 'events-src': '/api/script/h9-ev/events', 'poll-interval': '1000' },
  })));
  const qrs = page.locator('pay-form [data-testid="qr"]');
  await until(async () => (await qrs.count()) === 8, '8 QR codes', 15_000);
  const shownAt = Date.now();
  for (let i = 0; i < 8; i++) assert.equal(await qrText(page, `#f${i}`), PAYEE);
  let log = await scriptLog('h9-ev');
  assert.ok(shownAt - log.stream_requests[0].at_ms < 4_500, 'the forms rendered before the push of paid (harness timing)');
  assert.equal(log.streams_total, 1, 'one stream for 8 forms');
  assert.equal(log.streams_open, 1);
  await waitEvents(page, 'payform:paid', 8, 10_000);
  await page.waitForTimeout(500);
  assert.equal(await page.locator('pay-form [data-status="paid"]').count(), 8);
  const ev = await events(page);
  assert.equal(count(ev, 'payform:ready'), 8);
  assert.equal(count(ev, 'payform:paid'), 8);
  for (const id of ids) assert.equal((await scriptLog(id)).gets, 1, `${id}: polled once, the rest came by push`);
  log = await scriptLog('h9-ev');
  assert.equal(log.streams_total, 1, 'still one stream');
  await page.close();
});

test('push: an event over 256 KiB drops the stream and the form falls back to polling', async () => {
  await script('h9-big', [VALID]);
  await pushScript('h9-big', [
    { event: 'payment', data: JSON.stringify(payment()) },
    { event: 'payment', data_repeat: { text: 'x', times: 300 * 1024 }, delay_ms: 3_000 },
  ]);
  const page = await checkout('h9-big', '&poll-interval=1000&events-src=/api/script/h9-big/events');
  await page.getByTestId('qr').waitFor();
  const opened = await until(async () => (await scriptLog('h9-big')).stream_requests[0]?.at_ms, 'the stream');
  await sleep(Math.max(0, opened + 2_000 - Date.now()));
  assert.equal((await scriptLog('h9-big')).gets, 1, 'while the stream is healthy, no polling (backup poll at 30 s)');
  await sleep(Math.max(0, opened + 7_000 - Date.now()));
  const log = await scriptLog('h9-big');
  const after = log.requests.filter((r) => r.at_ms > opened + 3_000);
  assert.ok(after.length >= 3, `polling took over after the oversized event: ${after.length} requests in 4 s`);
  assert.ok(gaps(log.requests.slice(1)).every((ms) => ms >= 950), 'at the poll interval');
  assert.equal(log.streams_total, 1, 'the stream is not reopened in a loop');
  await until(async () => (await scriptLog('h9-big')).streams_open === 0, 'the oversized stream to be closed', 5_000);
  assert.equal(await qrText(page), PAYEE, 'the payment stays on screen');
  assert.equal(count(await events(page), 'payform:ready'), 1);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// 10. Every error code a backend can cause.

const CASES = [
  // [code, what the backend does, replies, kind]: 'first' = the first reply already fails;
  // 'unsafe' = after a valid payment, the payment must be taken off screen; 'transient' = after
  // a valid payment, it stays on screen while the form retries.
  ['not_found', '404', [{ status: 404, body: '{"error":"no such payment"}' }], 'first'],
  ['http_error', '500', [VALID, { status: 500, body: 'Internal Server Error', headers: { 'Content-Type': 'text/plain' } }], 'transient'],
  ['rate_limited', '429 without Retry-After', [VALID, { status: 429, body: '' }], 'transient'],
  ['timeout', 'headers after 12 s', [VALID, { ...VALID, delay_ms: 12_000 }], 'transient'],
  ['network_error', 'a body cut short of its Content-Length', [VALID, { ...VALID, content_length: 100_000 }], 'transient'],
  ['malformed_response', 'an HTML page', [VALID, { status: 200, body: '<html>oops</html>', headers: { 'Content-Type': 'text/html' } }], 'transient'],
  ['invalid_payment', 'no address field', [VALID, ok(without(payment(), 'address'))], 'unsafe'],
  ['invalid_payment', 'amount as an array', [VALID, ok(payment({ amount: ['25'] }))], 'unsafe'],
  ['missing_field', 'an empty id', [VALID, ok(payment({ id: '' }))], 'unsafe'],
  ['unknown_status', 'status "pending_magic"', [VALID, ok(payment({ status: 'pending_magic' }))], 'unsafe'],
  ['unsupported_network', 'network "tron-classic"', [VALID, ok(payment({ network: 'tron-classic' }))], 'unsafe'],
  ['unsupported_currency', 'USDX on tron', [VALID, ok(payment({ currency: 'USDX' }))], 'unsafe'],
  ['invalid_amount', 'amount 1e3', [VALID, ok(payment({ amount: '1e3', due: '1e3' }))], 'unsafe'],
  ['invalid_amount', 'amount -25', [VALID, ok(payment({ amount: '-25', due: '-25' }))], 'unsafe'],
  ['invalid_amount', 'more decimals than USDT has', [VALID, ok(payment({ amount: '25.0000001', due: '25.0000001' }))], 'unsafe'],
  ['invalid_address', 'T123', [VALID, ok(payment({ address: 'T123' }))], 'unsafe'],
  ['invalid_address', 'an EVM address on tron', [VALID, ok(payment({ address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' }))], 'unsafe'],
  ['forbidden_address', 'the USDT contract', [VALID, ok(payment({ address: USDT_CONTRACT }))], 'unsafe'],
  ['forbidden_address', 'the zero address', [VALID, ok(payment({ address: ZERO_ADDRESS }))], 'unsafe'],
  ['invoice_amount_mismatch', 'a 2500u invoice for 0.003 BTC', [VALID, ok(payment({
    network: 'lightning', currency: 'BTC', amount: '0.003', due: '0.003', address: LN_2500U }))], 'unsafe'],
  ['invalid_time', 'expires_at "tomorrow"', [VALID, ok(payment({ expires_at: 'tomorrow' }))], 'unsafe'],
  ['invalid_return_url', 'https://shop.example.evil.test/', [VALID, ok(payment({ return_url: 'https://shop.example.evil.test/' }))], 'unsafe'],
  ['invalid_return_url', 'user info before 127.0.0.1', [VALID, ok(payment({ return_url: 'https://127.0.0.1@evil.test/' }))], 'unsafe'],
  ['invalid_return_url', 'javascript:', [VALID, ok(payment({ return_url: 'javascript:alert(1)' }))], 'unsafe'],
  ['payment_changed', 'another payee', [VALID, ok(payment({ address: THIRD }))], 'unsafe'],
  ['payment_changed', 'another id', [VALID, ok(payment({ id: 'pay_2' }))], 'unsafe'],
];

/** Runs `tasks` (functions returning promises) at most `n` at a time; collects every failure. */
async function pool(tasks, n) {
  const failures = [];
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      try { await task(); } catch (e) { failures.push(e); }
    }
  }));
  return failures;
}

test('error codes: each backend fault gives its data-code and payform:error detail.code; no QR for unsafe payments', async () => {
  const tasks = CASES.map(([code, what, replies, kind], i) => async () => {
    const id = `h10-${i}`;
    const label = `${code} (${what})`;
    await script(id, replies);
    const page = await checkout(id);
    try {
      if (kind !== 'first') {
        await waitEvents(page, 'payform:ready', 1, 10_000);
        const [ready] = (await events(page)).filter((e) => e.type === 'payform:ready');
        assert.equal(ready.detail.payment.address, PAYEE, `${label}: the valid payment first`);
      }
      const box = problemWith(page, code);
      await box.waitFor({ timeout: 15_000 }).catch(async () => {
        const seen = await problem(page).getAttribute('data-code', { timeout: 100 }).catch(() => 'none');
        throw new assert.AssertionError({ message: `${label}: expected problem ${code}, saw ${seen}; events ${JSON.stringify(await errorCodes(page))}` });
      });
      await waitEvents(page, 'payform:error', 1);
      const errors = (await events(page)).filter((e) => e.type === 'payform:error');
      assert.ok(errors.every((e) => e.detail.code === code), `${label}: payform:error codes ${JSON.stringify(errors.map((e) => e.detail.code))}`);
      assert.equal(typeof errors[0].detail.message, 'string');
      assert.ok(errors[0].detail.message.length > 0);
      const ev = await events(page);
      if (kind === 'first') {
        await assertNothingPayable(page, '', `(${label})`);
        assert.equal(count(ev, 'payform:ready'), 0);
      } else {
        assert.equal(count(ev, 'payform:ready'), 1, `${label}: ready once`);
      }
      if (kind === 'unsafe') {
        await assertNothingPayable(page, '', `(${label})`);
        assert.equal(await box.getAttribute('class'), 'pf-problem');
        assert.match(await box.textContent(), code === 'payment_changed' ? /changed/ : /cannot be displayed safely/i);
      }
      if (kind === 'transient') {
        assert.equal(await page.getByTestId('address').getAttribute('data-address'), PAYEE, `${label}: the accepted payment stays while retrying`);
        assert.equal(await qrText(page), PAYEE, `${label}: and its QR`);
        assert.ok(errors[0].detail.retry_in_ms > 0, `${label}: retried (retry_in_ms ${errors[0].detail.retry_in_ms})`);
      }
      if (code === 'not_found') {
        assert.equal(errors[0].detail.retry_in_ms, null, 'a 404 is not retried');
        await page.waitForTimeout(2_500);
        assert.equal((await scriptLog(id)).gets, 1, 'no request after a 404');
      }
    } catch (e) {
      throw new Error(`${label}: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
    } finally {
      await page.close();
    }
  });
  // The 12 s timeout goes first, so it overlaps with the rest.
  const order = [...tasks.keys()].sort((a, b) => (CASES[b][0] === 'timeout') - (CASES[a][0] === 'timeout'));
  const failures = await pool(order.map((i) => tasks[i]), 6);
  assert.deepEqual(failures.map((e) => e.message), [], `${failures.length} of ${CASES.length} cases failed`);
});
