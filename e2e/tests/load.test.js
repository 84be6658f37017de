// Loading the hosted checkout (checkout.html): the page paints a static skeleton of the form at
// once instead of a blank page, keeps it until the form has something to show, and says so in
// plain text if the code cannot load; its preloads are the very requests the code then uses
// (each file fetched once, no "preloaded but not used" warning); no CSP violation; axe-clean.
// The wasm is held back with page.route to make the slow network deterministic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDevserver, launchBrowser, api, ROOT } from '../lib.js';

const PORT = 8812;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const WASM = '**/payform_embed_bg.wasm';

let server, browser;
before(async () => {
  server = await startDevserver(PORT);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const create = () => api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
const checkout = (id) => `${server.base}/checkout.html?src=/api/payments/${id}`;

/** Holds the wasm back until `release()` is called (or `ms` have passed). */
async function holdWasm(page, ms = Infinity) {
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
    if (Number.isFinite(ms)) setTimeout(resolve, ms);
  });
  await page.route(WASM, async (route) => {
    await gate;
    await route.continue().catch(() => {}); // the page may be gone by then
  });
  return release;
}

test('a slow wasm: the skeleton is painted first (busy, with its text), then the form replaces it', async () => {
  const { id } = await create();
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await holdWasm(page, 2_000);
  await page.goto(checkout(id), { waitUntil: 'domcontentloaded' });
  const skeleton = page.getByTestId('skeleton');
  await skeleton.waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('payform').count(), 0, 'no form yet: the wasm is still on its way');
  assert.equal(await skeleton.getAttribute('aria-busy'), 'true');
  assert.equal((await skeleton.textContent()).trim(), 'Loading the payment…');
  assert.ok(await page.locator('.pf-sk-qr').isVisible(), 'a QR placeholder');

  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('skeleton').count(), 0, 'the skeleton is gone once the form shows the payment');
  assert.equal(await page.locator('[aria-busy]').count(), 0);
  const times = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    start: performance.getEntriesByName('payform:start')[0]?.startTime,
  }));
  assert.ok(times.fcp < times.start, `first contentful paint (${times.fcp} ms) before the wasm started (${times.start} ms)`);
  await page.close();
});

test('the skeleton mirrors the pay screen at 320 and 1280 px, and shimmers only when motion is allowed', async () => {
  const { id } = await create();
  for (const width of [320, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const release = await holdWasm(page);
    await page.goto(checkout(id), { waitUntil: 'domcontentloaded' });
    await page.getByTestId('skeleton').waitFor();
    const before = {
      card: await page.getByTestId('skeleton').boundingBox(),
      qr: await page.locator('.pf-sk-qr').boundingBox(),
    };
    release();
    await page.getByTestId('qr').waitFor();
    await page.getByTestId('skeleton').waitFor({ state: 'detached' });
    const after = { card: await page.getByTestId('payform').boundingBox(), qr: await page.getByTestId('qr').boundingBox() };
    assert.equal(before.card.x, after.card.x, `${width}px: same card position`);
    assert.equal(before.card.width, after.card.width, `${width}px: same card width`);
    assert.equal(before.qr.width, after.qr.width, `${width}px: the QR placeholder has the QR's size`);
    assert.equal(before.qr.height, before.qr.width, `${width}px: a square placeholder`);
    assert.ok(Math.abs(before.qr.y - after.qr.y) <= 40, `${width}px: the QR lands where its placeholder was (${before.qr.y} → ${after.qr.y})`);
    assert.ok(Math.abs(before.card.height - after.card.height) <= 60, `${width}px: heights ${before.card.height} → ${after.card.height}`);
    await page.close();
  }
  for (const [motion, expected] of [['reduce', 'none'], ['no-preference', 'pf-shimmer']]) {
    const page = await browser.newPage();
    await page.emulateMedia({ reducedMotion: motion });
    const release = await holdWasm(page);
    await page.goto(checkout(id), { waitUntil: 'domcontentloaded' });
    const block = page.locator('.pf-sk-qr');
    await block.waitFor();
    assert.equal(await block.evaluate((el) => getComputedStyle(el).animationName), expected, motion);
    release();
    await page.close();
  }
});

test('preloads: the glue and the wasm are each fetched once, and no preload goes unused', async () => {
  const { id } = await create();
  const page = await browser.newPage();
  const requests = [];
  const console_ = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  await page.goto(checkout(id));
  await page.getByTestId('qr').waitFor();
  await page.waitForTimeout(5_000); // Chromium warns about an unused preload a few seconds after load
  const times = (path) => requests.filter((p) => p === path).length;
  assert.equal(times('/payform_embed_bg.wasm'), 1, 'the wasm is requested once');
  assert.equal(times('/payform_embed.js'), 1, 'the glue is requested once');
  assert.equal(times('/checkout.js'), 1);
  assert.equal(times('/payform.css'), 1);
  // The one wasm request is the preload's (initiator `link`, not `fetch`): the init's fetch() used it.
  const initiators = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/payform_embed_bg.wasm')).map((e) => e.initiatorType));
  assert.deepEqual(initiators, ['link']);
  assert.deepEqual(console_.filter((m) => /preload/i.test(m)), [], 'no preload warning');
  await page.close();
});

test('the merchant snippet of docs/embedding.md ("Load faster"): every preload is used, the payment is read once', async () => {
  const { id } = await create();
  const snippet = [
    '<link rel="modulepreload" href="/payform.js">',
    '<link rel="preload" href="/payform_embed_bg.wasm" as="fetch" type="application/wasm" crossorigin>',
    '<link rel="preload" href="/payform.css" as="style">',
    `<link rel="preload" href="/api/payments/${id}" as="fetch" crossorigin>`,
  ].join('\n');
  const page = await browser.newPage();
  await page.route('**/examples/element.html', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('<title>', `${snippet}\n<title>`)
      .replace('src="/api/payments/demo"', `src="/api/payments/${id}" poll-interval="60000"`);
    await route.fulfill({ response, body: html });
  });
  const requests = [];
  const console_ = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${server.base}/examples/element.html`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  await page.waitForTimeout(5_000);
  for (const path of ['/payform.js', '/payform_embed_bg.wasm', '/payform.css', `/api/payments/${id}`]) {
    assert.equal(requests.filter((p) => p === path).length, 1, `${path} requested once`);
  }
  assert.equal(requests.filter((p) => p === '/payform_embed.js').length, 0, 'the glue is inside payform.js');
  const stats = await (await fetch(`${server.base}/api/stats`)).json();
  assert.equal(stats.by_payment[id], 1, 'the form\'s no-store read used the preloaded payment (Chromium)');
  assert.deepEqual(console_.filter((m) => /preload/i.test(m)), [], 'no preload warning');
  await page.close();
});

// Structure: the page is one `main` landmark with a heading of its own, the form a named region
// inside it whose status is a heading; the document's lang, dir and title follow the locale.
test('structure: main landmark, headings, and lang/dir/title that follow the locale (lang=ar)', async () => {
  const { id } = await create();
  const ar = JSON.parse(readFileSync(path.join(ROOT, 'locales/ar.json'), 'utf8'));
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${checkout(id)}&lang=ar`);
  await page.getByTestId('qr').waitFor();
  await page.waitForFunction((title) => document.title === title, ar.frame_title);
  const doc = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
  assert.deepEqual(doc, { lang: 'ar', dir: 'rtl' });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), ar.frame_title);
  assert.equal(await page.getByRole('main').getByRole('region', { name: ar.frame_title }).count(), 1, 'the form: a named region in main');
  assert.equal(await page.getByRole('region').getByRole('heading', { level: 2 }).first().textContent(), ar.head_awaiting);
  await page.addScriptTag({ content: AXE });
  const rules = ['landmark-one-main', 'page-has-heading-one', 'region', 'heading-order', 'landmark-unique'];
  const result = await page.evaluate((r) => window.axe.run(document, { runOnly: { type: 'rule', values: r } }), rules);
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), []);
  await context.close();
});

test('under its strict CSP the page, skeleton included, causes no violation', async () => {
  const { id } = await create();
  const page = await browser.newPage();
  const console_ = [];
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const release = await holdWasm(page);
  const response = await page.goto(checkout(id), { waitUntil: 'domcontentloaded' });
  assert.match(response.headers()['content-security-policy'],
    /default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors /);
  await page.getByTestId('skeleton').waitFor();
  release();
  await page.getByTestId('qr').waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(console_.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  await page.close();
});

test('axe: the skeleton state has no WCAG A/AA violation', async () => {
  const { id } = await create();
  // The page's CSP forbids inline scripts; axe is injected by the test, not the page.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const release = await holdWasm(page);
  await page.goto(checkout(id), { waitUntil: 'domcontentloaded' });
  await page.getByTestId('skeleton').waitFor();
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  assert.equal(await page.getByTestId('skeleton').count(), 1, 'still the skeleton when axe ran');
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), []);
  release();
  await context.close();
});

test('the code cannot load (wasm or glue 404): a plain message, not a blank page or an endless skeleton', async () => {
  const { id } = await create();
  for (const file of ['**/payform_embed_bg.wasm', '**/payform_embed.js']) {
    const page = await browser.newPage();
    await page.route(file, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
    await page.goto(checkout(id));
    const failed = page.getByTestId('load-failed');
    await failed.waitFor();
    assert.match(await failed.textContent(), /The payment form could not load/);
    assert.equal(await page.getByRole('alert').count(), 1);
    assert.equal(await page.getByTestId('skeleton').count(), 0, `${file}: the skeleton is gone`);
    assert.equal(await page.locator('[aria-busy]').count(), 0);
    await page.close();
  }
});

test('the code cannot load, lang=fr (query or fragment): the message and the page title are French', async () => {
  const [fr, en] = ['fr', 'en'].map((lang) => JSON.parse(readFileSync(path.join(ROOT, 'locales', `${lang}.json`), 'utf8')));
  const { id } = await create();
  const failedText = (page) => page.getByTestId('load-failed').textContent();
  for (const lang of ['&lang=fr', '#lang=fr']) {
    const page = await browser.newPage();
    await page.route(WASM, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
    await page.goto(checkout(id) + lang);
    await page.waitForFunction((text) => document.querySelector('[data-testid="load-failed"]')?.textContent === text, fr.load_failed);
    assert.equal(await page.title(), fr.frame_title, lang);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr', lang);
    assert.equal(await page.getByRole('alert').count(), 1);
    await page.close();
  }
  // The locale file cannot be had either: the English message stays.
  const page = await browser.newPage();
  await page.route(WASM, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  await page.route('**/locales/fr.json', (route) => route.abort());
  const aborted = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/locales/fr.json'));
  await page.goto(checkout(id) + '&lang=fr');
  await page.getByTestId('load-failed').waitFor();
  await aborted;
  await page.waitForTimeout(200);
  assert.equal(await failedText(page), en.load_failed);
  assert.equal(await page.title(), en.frame_title);
  await page.close();
});

test('without scripting the page says it needs JavaScript instead of showing a skeleton forever', async () => {
  const { id } = await create();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(checkout(id));
  const message = page.locator('noscript .pf-problem'); // Playwright's text matching skips <noscript>
  assert.ok(await message.isVisible());
  assert.equal(await message.textContent(), 'This payment page needs JavaScript.');
  assert.equal(await page.getByTestId('skeleton').isVisible(), false);
  await context.close();
});

// The payment's first request leaves with the code, not after it: payform.js (the element) and
// checkout.js (the hosted checkout) start it beside the wasm and hand it over. Held back here,
// the wasm arrives a second later; the payment was requested before it, and only once.
for (const [what, url] of [
  ['the element', (id) => `${server.base}/examples/element.html#${id}`],
  ['the hosted checkout', (id) => checkout(id)],
]) {
  test(`${what}: the payment is requested while the wasm is still loading, and read once`, async () => {
    const { id } = await create();
    const page = await browser.newPage();
    await page.route('**/examples/element.html', async (route) => {
      const response = await route.fetch();
      const html = (await response.text())
        .replace('src="/api/payments/demo"', `src="/api/payments/${id}" poll-interval="60000"`);
      await route.fulfill({ response, body: html });
    });
    const release = await holdWasm(page, 1_500);
    const sent = [];
    page.on('request', (r) => sent.push([new URL(r.url()).pathname, Date.now()]));
    let wasmAt = 0;
    page.on('requestfinished', (r) => { if (r.url().endsWith('.wasm')) wasmAt = Date.now(); });
    await page.goto(url(id));
    await page.locator('[data-testid="qr"], pay-form [data-testid="qr"]').first().waitFor();
    release?.();
    const payment = sent.filter(([p]) => p === `/api/payments/${id}`);
    assert.equal(payment.length, 1, 'one request of the payment');
    assert.ok(wasmAt > 0 && payment[0][1] < wasmAt - 500, `the payment left ${wasmAt - payment[0][1]} ms before the wasm arrived`);
    const stats = await (await fetch(`${server.base}/api/stats`)).json();
    assert.equal(stats.by_payment[id], 1, 'the backend saw one read');
    await page.close();
  });
}

test('the hosted checkout does not start a request its link will not be allowed: another origin, or a mapping', async () => {
  const { id } = await create();
  for (const link of [
    `${server.base}/checkout.html?src=${server.base.replace('127.0.0.1', 'localhost')}/api/payments/${id}`,
    `${server.base}/checkout.html?src=/api/payments/${id}&mapping=${encodeURIComponent('{"fields":{}}')}`,
  ]) {
    const page = await browser.newPage();
    const sent = [];
    page.on('request', (r) => sent.push(new URL(r.url()).pathname));
    await page.goto(link);
    await page.getByTestId('problem').waitFor();
    assert.deepEqual(sent.filter((p) => p === `/api/payments/${id}`), [], link);
    await page.close();
  }
});
