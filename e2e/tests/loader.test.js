// End-to-end, the loader in payform.js (issue 18, "a safe loader"): a WebAssembly that cannot be
// loaded (404, a wrong MIME type, a page CSP without 'wasm-unsafe-eval') never leaves a blank box:
// the element shows the failure in the shopper's words and the page hears `payform:error` with
// the code `load_failed` and a message naming the cause; the failed load is forgotten, so the
// next attempt loads it. Payform.mount rejects with the same code. The module imports on a server
// (no HTMLElement there). Headless Chromium against the devserver and the release bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serveAndBrowse, RECORD_EVENTS, ROOT } from '../lib.js';

const PORT = 8814;
const live = serveAndBrowse(PORT);

const WASM = '**/payform_embed_bg.wasm';

async function elementPage(setup) {
  const page = await live.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.addInitScript(RECORD_EVENTS);
  await setup?.(page);
  await page.goto(`${live.server.base}/examples/element.html`);
  return page;
}

const loadErrors = (page) => page.evaluate(() => window.__events.filter((e) => e.type === 'payform:error'));

async function failedWith(page, pattern) {
  await page.locator('pay-form [data-testid="load-failed"]').waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'payform:error'));
  const errors = await loadErrors(page);
  assert.equal(errors.length, 1, 'one payform:error');
  assert.equal(errors[0].detail.code, 'load_failed');
  assert.match(errors[0].detail.message, pattern);
  assert.match(await page.locator('pay-form [data-testid="load-failed"]').textContent(), /could not load/);
  assert.equal(await page.locator('pay-form [data-testid="qr"]').count(), 0);
}

test('a 404 for the wasm: load_failed naming HTTP 404, the message on screen; the next attempt loads it', async () => {
  let failing = true;
  const page = await elementPage((p) => p.route(WASM, (route) => (failing
    ? route.fulfill({ status: 404, contentType: 'text/plain', body: 'not here' })
    : route.continue())));
  await failedWith(page, /HTTP 404/);
  // The failed load is not cached: a changed attribute tries again, and now it loads.
  failing = false;
  await page.locator('pay-form').evaluate((el) => el.setAttribute('poll-interval', '2000'));
  await page.locator('pay-form [data-testid="qr"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('pay-form [data-testid="load-failed"]').count(), 0, 'the failure box is gone');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a wasm served with a wrong MIME type: load_failed naming the type', async () => {
  const page = await elementPage((p) => p.route(WASM, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'text/plain' } });
  }));
  await failedWith(page, /text\/plain.*application\/wasm/);
  await page.close();
});

test("a page CSP without 'wasm-unsafe-eval': load_failed naming the Content-Security-Policy", async () => {
  const page = await elementPage((p) => p.route('**/examples/element.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': "default-src 'self'; script-src 'self'" },
    });
  }));
  await failedWith(page, /Content-Security-Policy.*wasm-unsafe-eval/);
  await page.close();
});

test('subresource integrity: payform.js pins the wasm it was built with; other bytes are load_failed; integrity.json holds every file', async () => {
  const dist = path.join(ROOT, 'dist');
  const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(path.join(dist, file))).digest('base64')}`;
  const table = JSON.parse(readFileSync(path.join(dist, 'integrity.json'), 'utf8'));
  for (const file of ['payform.js', 'payform_embed_bg.wasm', 'payform.css', 'payform_rails.wasm', 'checkout.html', 'locales/de.json']) {
    assert.equal(table[file], sri(file), file);
  }
  assert.ok(readFileSync(path.join(dist, 'payform.js'), 'utf8').includes(sri('payform_embed_bg.wasm')), 'payform.js carries the wasm\'s sha384');
  const [pinned] = readdirSync(dist).filter((d) => /^v\d/.test(d));
  const pinnedTable = JSON.parse(readFileSync(path.join(dist, pinned, 'integrity.json'), 'utf8'));
  assert.equal(pinnedTable['payform.js'], table['payform.js'], 'the pinned copy is the same release');
  // A wasm with one byte changed (as a tampered CDN would serve it) is refused.
  const page = await elementPage((p) => p.route(WASM, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 1] ^= 1;
    await route.fulfill({ response, body });
  }));
  await failedWith(page, /not the file of this release/);
  await page.close();
});

test('Payform.mount rejects with load_failed and the target hears payform:error', async () => {
  const page = await live.browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.route(WASM, (route) => route.fulfill({ status: 503, body: '' }));
  await page.goto(`${live.server.base}/examples/mount.html`);
  const rejected = await page.evaluate(async () => {
    const { mount } = await import('/payform.js');
    const target = document.createElement('div');
    document.body.append(target);
    try {
      await mount(target, { src: '/api/payments/demo' });
      return null;
    } catch (error) {
      return { code: error.code, message: error.message, box: target.querySelector('[data-testid="load-failed"]') !== null };
    }
  });
  assert.equal(rejected?.code, 'load_failed');
  assert.match(rejected.message, /HTTP 503/);
  assert.ok(rejected.box, 'the target shows the failure');
  assert.ok((await loadErrors(page)).some((e) => e.detail.code === 'load_failed'));
  await page.close();
});

test('a mounted form lives until destroy(), not until the page drops its handle (garbage collection)', async () => {
  const page = await live.browser.newPage();
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${live.server.base}/examples/element.html`);
  const { id } = await (await fetch(`${live.server.base}/api/payments`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ network: 'tron', currency: 'USDT', amount: '25' }),
  })).json();
  await page.evaluate(async (src) => {
    const { mount } = await import('/payform.js');
    const target = document.createElement('div');
    target.id = 'dropped';
    document.body.append(target);
    await mount(target, { src, pollInterval: 1000 }); // the handle is not kept
  }, `/api/payments/${id}`);
  await page.locator('#dropped [data-testid="qr"]').waitFor();
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(300);
  }
  assert.equal(await page.locator('#dropped [data-testid="qr"]').count(), 1, 'still shown after garbage collection');
  await fetch(`${live.server.base}/api/payments/${id}/simulate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'pay' }),
  });
  await page.waitForFunction((id) => window.__events.some((e) => e.type === 'payform:paid' && e.detail.payment.id === id), id);
  await page.close();
});

test('the bundle imports on a server: no HTMLElement, nothing defined, no throw', async () => {
  const module = await import(pathToFileURL(path.join(ROOT, 'dist/payform.js')).href);
  assert.equal(typeof module.mount, 'function');
  assert.equal(typeof module.version, 'string');
  assert.equal(typeof globalThis.customElements, 'undefined');
});
