// End-to-end: languages. The `lang` option (or navigator.languages with `auto`) picks the
// locale; only that locale's file is downloaded; numbers are in the locale's format while the
// copy button, wallet link and QR keep the canonical amount; ar, fa, he and ur lay out right to left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, ROOT } from '../lib.js';

const LOCALES = readdirSync(path.join(ROOT, 'locales')).map((f) => f.replace(/\.json$/, '')).sort();
const text = (lang) => JSON.parse(readFileSync(path.join(ROOT, 'locales', `${lang}.json`), 'utf8'));

let server, browser;
before(async () => {
  server = await startDevserver(8799);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const create = (body = {}) => api(server.base, '/api/payments', {
  amount: '1234.5', currency: 'USDT', network: 'ethereum', fiat: { amount: '1234.50', currency: 'EUR' }, ...body,
});

/** Opens the demo on a payment with `?lang=`; records which locale files were fetched. */
async function open(id, query, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/locales/')) fetched.push(path.basename(new URL(r.url()).pathname)); });
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/?src=/api/payments/${id}${query}`);
  await page.getByTestId('qr').waitFor();
  return { page, form: page.getByTestId('payform'), fetched, close: () => context.close() };
}

test('lang="de": German words, German number format, canonical amount in copy and QR, one file fetched', async () => {
  const p = await create();
  const { page, form, fetched, close } = await open(p.id, '&lang=de');
  assert.equal(await form.getAttribute('lang'), 'de');
  assert.equal(await form.getAttribute('dir'), 'ltr');
  assert.equal(await form.getByTestId('status').locator('.pf-headline').textContent(), text('de').head_awaiting);
  assert.equal(await form.getByTestId('amount').textContent(), '1.234,5');
  assert.equal(await form.getByTestId('amount').getAttribute('data-amount'), '1234.5');
  assert.match(await form.getByTestId('fiat').textContent(), /1\.234,50\s€/);
  assert.equal(await form.getByTestId('network-warning').textContent(),
    'Senden Sie nur USDT über Ethereum (ERC-20); über andere Netzwerke geht das Geld verloren.');
  const uri = await decodeQr(form.getByTestId('qr'));
  assert.match(uri, /uint256=1234500000$/, 'the QR keeps the exact amount in atomic units');
  assert.deepEqual(fetched, ['de.json']);
  // The ready event waited for the translation: the page heard of a German form.
  const events = await page.evaluate(() => window.__events);
  assert.equal(events.filter((e) => e.type === 'payform:ready').length, 1);
  await close();
});

test('copy buttons put the canonical text on the clipboard and confirm visibly, whatever the locale', async () => {
  const p = await create();
  const { page, form, close } = await open(p.id, '&lang=de', { permissions: ['clipboard-read', 'clipboard-write'] });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const copyAmount = form.getByRole('button', { name: text('de').copy_amount });
  await copyAmount.click();
  await copyAmount.filter({ hasText: text('de').copied }).waitFor();
  assert.equal(await clipboard(), '1234.5', 'not the German display form 1.234,5');
  const copyAddress = form.getByRole('button', { name: text('de').copy_address });
  await copyAddress.click();
  await copyAddress.filter({ hasText: text('de').copied }).waitFor();
  assert.equal(await clipboard(), await form.getByTestId('address').getAttribute('data-address'));
  // The confirmation goes away by itself.
  await copyAddress.filter({ hasText: text('de').copy }).waitFor({ timeout: 4_000 });
  await close();
});

test('lang=ar, fa, he and ur: right-to-left layout, local digits, the address stays left-to-right', async () => {
  const p = await create({ amount: '25', currency: 'USDT', network: 'tron' });
  // Persian is written with Persian digits; Chromium's Arabic default is Latin digits
  // (CLDR), so the Arabic expectation comes from the browser's own Intl, as do Hebrew's and
  // Urdu's.
  for (const [lang, digits] of [['ar', null], ['fa', '۲۵'], ['he', null], ['ur', null]]) {
    const { page, form, close } = await open(p.id, `&lang=${lang}`);
    assert.equal(await form.getAttribute('dir'), 'rtl');
    assert.equal(await form.getAttribute('lang'), lang);
    const expected = digits ?? await page.evaluate((l) => new Intl.NumberFormat(l).format('25'), lang);
    assert.equal(await form.getByTestId('amount').textContent(), expected);
    assert.equal(await form.getByTestId('address').getAttribute('dir'), 'ltr');
    assert.equal(await form.getByTestId('status').locator('.pf-headline').textContent(), text(lang).head_awaiting);
    // The layout really is mirrored: the label starts at the right edge.
    const [left, right] = await form.locator('.pf-amount > .pf-label').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      const box = el.closest('.payform').getBoundingClientRect();
      return [(text.left - box.left) / box.width, (text.right - box.left) / box.width];
    });
    assert.ok(left > 0.5 && right > 0.9, `${lang}: the label's text sits at the right edge (${left}, ${right})`);
    await close();
  }
});

test('lang=auto follows navigator.languages; an unknown language or a broken file falls back to English', async () => {
  const p = await create();
  let o = await open(p.id, '&lang=auto', { locale: 'pt-BR' });
  assert.equal(await o.form.getAttribute('lang'), 'pt');
  assert.deepEqual(o.fetched, ['pt.json']);
  await o.close();

  o = await open(p.id, '&lang=xx-YY');
  assert.equal(await o.form.getAttribute('lang'), 'en');
  assert.deepEqual(o.fetched, [], 'English is built in: no file is fetched');
  assert.equal(await o.form.getByTestId('amount').textContent(), '1,234.5');
  await o.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('**/locales/fr.json', (route) => route.fulfill({ status: 200, body: '{"amount": 42' }));
  await page.goto(`${server.base}/?src=/api/payments/${p.id}&lang=fr`);
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('payform').getAttribute('lang'), 'en');
  assert.equal(await page.getByTestId('status').locator('.pf-headline').textContent(), text('en').head_awaiting);
  await context.close();
});

test('<pay-form lang="ja">: the merchant bundle finds locales/ next to payform.js; changing lang re-renders', async () => {
  const p = await create({ amount: '25', currency: 'USDT', network: 'tron' });
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/locales/')) fetched.push(new URL(r.url()).pathname); });
  await page.goto(`${server.base}/examples/element.html`);
  const form = page.locator('pay-form');
  await form.evaluate((el, src) => { el.setAttribute('lang', 'ja'); el.setAttribute('src', src); }, `/api/payments/${p.id}`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  const root = page.locator('pay-form [data-testid="payform"]');
  await page.locator('pay-form [data-status]').filter({ hasText: text('ja').head_awaiting }).waitFor();
  assert.equal(await root.getAttribute('lang'), 'ja');
  assert.deepEqual(fetched, ['/locales/ja.json']);
  await form.evaluate((el) => el.setAttribute('lang', 'uk'));
  await page.locator('pay-form [data-status]').filter({ hasText: text('uk').head_awaiting }).waitFor();
  assert.equal(await page.locator('pay-form [data-testid="payform"]').getAttribute('lang'), 'uk');
  await context.close();
});

test('a locale file that is slow to arrive: English after a moment, then the translation', async () => {
  const p = await create({ amount: '25', currency: 'USDT', network: 'tron' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('**/locales/it.json', async (route) => {
    await new Promise((r) => setTimeout(r, 4_500));
    await route.continue();
  });
  const t0 = Date.now();
  await page.goto(`${server.base}/?src=/api/payments/${p.id}&lang=it`);
  await page.getByTestId('qr').waitFor();
  assert.equal(await page.getByTestId('status').locator('.pf-headline').textContent(), text('en').head_awaiting);
  assert.ok(Date.now() - t0 < 4_500, 'English came before the slow file');
  await page.getByTestId('status').filter({ hasText: text('it').head_awaiting }).waitFor({ timeout: 8_000 });
  assert.equal(await page.getByTestId('payform').getAttribute('lang'), 'it');
  await context.close();
});

test(`every shipped locale (${LOCALES.length}) loads and renders its own words with no placeholder left`, async () => {
  assert.ok(LOCALES.length >= 23);
  const p = await create({ amount: '25', currency: 'USDT', network: 'tron' });
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const lang of LOCALES) {
    await page.goto(`${server.base}/?src=/api/payments/${p.id}&lang=${lang}`);
    await page.getByTestId('qr').waitFor();
    const form = page.getByTestId('payform');
    assert.equal(await form.getAttribute('lang'), lang);
    assert.equal(await form.getByTestId('status').locator('.pf-headline').textContent(), text(lang).head_awaiting, lang);
    const all = await form.innerText();
    assert.ok(!/[{}]/.test(all), `${lang}: a placeholder was left: ${all}`);
    assert.ok(all.includes(text(lang).copy), `${lang}: copy button translated`);
  }
  await context.close();
});
