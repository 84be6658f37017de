// End-to-end, the hosted checkout inside a mobile app's WebView, with the app's bridge emulated
// before the page runs (page.addInitScript, as WKWebView, Android's addJavascriptInterface and
// react-native-webview inject theirs): every payform:* event reaches each bridge present, once,
// as the envelope a parent frame gets; a click on the wallet link asks the app to open it
// (payform:open) and is not followed inside the page; a throwing bridge stops neither the form
// nor the others; without a bridge nothing changes. Then the link's theming keys: colours and
// a radius that are applied, and hostile or unreadable values that are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveAndBrowse, api } from '../lib.js';

const PORT = 8850;
const live = serveAndBrowse(PORT);

// Bitcoin, so that the form shows a wallet link (Tron has none); no confirmations, so one
// `pay` makes it paid.
const create = () => api(live.server.base, '/api/payments',
  { network: 'bitcoin', currency: 'BTC', amount: '0.00025', confirmations_required: 0 });
const pay = (id) => api(live.server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
const checkout = (id, extra = '') => `${live.server.base}/checkout.html?src=/api/payments/${id}&poll-interval=300${extra}`;

// What each app injects, and how its messages arrive: iOS hands the app a copy of the object
// (kept here as a JSON round trip of what was passed, and whether it was an object), Android
// and React Native a string.
const BRIDGES = {
  ios: `window.webkit = { messageHandlers: { payform: { postMessage(m) {
      window.__got.ios.push({ kind: typeof m, message: JSON.parse(JSON.stringify(m)) }); } } } };`,
  android: `window.PayformAndroid = { postMessage(m) {
      window.__got.android.push({ kind: typeof m, message: typeof m === 'string' ? JSON.parse(m) : m }); } };`,
  rn: `window.ReactNativeWebView = { postMessage(m) {
      window.__got.rn.push({ kind: typeof m, message: typeof m === 'string' ? JSON.parse(m) : m }); } };`,
  throwing: `window.webkit = { messageHandlers: { payform: { postMessage() { window.__thrown += 1; throw new Error('bridge down'); } } } };`,
};
const KIND = { ios: 'object', android: 'string', rn: 'string' };

/** A page with `bridges` injected; records page errors, console errors and warnings, and
 * whether each click on a link had been prevented by the page when it bubbled to `window`. */
async function open(bridges) {
  const page = await live.browser.newPage();
  const seen = { errors: [], warnings: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => {
    // (Chromium's own request of /favicon.ico, which the devserver does not have, is no error
    // of the page.)
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) seen.errors.push(`${m.text()} ${m.location().url}`);
    if (m.type() === 'warning') seen.warnings.push(m.text());
  });
  await page.addInitScript(`
    window.__got = { ios: [], android: [], rn: [] };
    window.__thrown = 0;
    window.__clicks = [];
    window.addEventListener('click', (e) => {
      const a = e.target.closest?.('a');
      if (!a) return;
      window.__clicks.push({ href: a.getAttribute('href'), prevented: e.defaultPrevented });
      e.preventDefault(); // recorded; headless Chromium has no wallet app to hand a link to
    });
    ${bridges.map((b) => BRIDGES[b]).join('\n')}`);
  return { page, seen };
}

const got = (page, name) => page.evaluate((n) => window.__got[n], name);
const types = (entries) => entries.map((e) => e.message.type).filter((t) => t !== 'payform:resize');

/** Loads the checkout, clicks the wallet link, pays; returns what the page saw. */
async function payThrough(page, id) {
  const url = checkout(id);
  await page.goto(url);
  await page.getByTestId('qr').waitFor();
  const link = page.getByTestId('wallet-link');
  const href = await link.getAttribute('href');
  assert.match(href, /^bitcoin:/);
  await link.click();
  await pay(id);
  await page.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(600); // a second payform:paid would come with the next poll
  assert.equal(page.url(), url, 'the page did not navigate');
  return { href, clicks: await page.evaluate(() => window.__clicks) };
}

for (const bridge of ['ios', 'android', 'rn']) {
  test(`WebView bridge ${bridge}: every event once, as the parent frame's envelope; the wallet link goes to the app`, async () => {
    const p = await create();
    const { page, seen } = await open([bridge]);
    const { href, clicks } = await payThrough(page, p.id);
    const entries = await got(page, bridge);
    for (const e of entries) {
      assert.equal(e.kind, KIND[bridge], `${bridge} gets ${KIND[bridge]} messages`);
      assert.deepEqual(Object.keys(e.message).sort(), ['detail', 'source', 'type', 'version']);
      assert.equal(e.message.source, 'payform');
      assert.equal(e.message.version, 1);
    }
    const seenTypes = types(entries);
    assert.equal(seenTypes.filter((t) => t === 'payform:ready').length, 1);
    assert.equal(seenTypes.filter((t) => t === 'payform:paid').length, 1, 'exactly one payform:paid');
    const statuses = entries.filter((e) => e.message.type === 'payform:status').map((e) => e.message.detail);
    assert.deepEqual(statuses.map((s) => [s.previous, s.status]), [[null, 'awaiting_payment'], ['awaiting_payment', 'paid']]);
    const paid = entries.find((e) => e.message.type === 'payform:paid').message.detail;
    assert.equal(paid.payment.id, p.id);
    assert.equal(paid.payment.status, 'paid');
    assert.ok(entries.some((e) => e.message.type === 'payform:resize' && e.message.detail.height > 100));
    // The wallet link: handed to the app, with exactly the link the form rendered, and not
    // followed in the page.
    const opens = entries.filter((e) => e.message.type === 'payform:open');
    assert.deepEqual(opens.map((e) => e.message.detail), [{ url: href }]);
    assert.deepEqual(clicks, [{ href, prevented: true }]);
    assert.deepEqual(seen.errors, []);
    // Only this bridge was there: the others' recorders stayed empty.
    for (const other of Object.keys(KIND).filter((b) => b !== bridge)) assert.deepEqual(await got(page, other), []);
    await page.close();
  });
}

test('WebView: a throwing bridge breaks neither the form nor the other bridges', async () => {
  const p = await create();
  const { page, seen } = await open(['throwing', 'android', 'rn']);
  const { href, clicks } = await payThrough(page, p.id);
  assert.ok(await page.evaluate(() => window.__thrown) >= 4, 'the iOS bridge was called, and threw');
  for (const bridge of ['android', 'rn']) {
    const seenTypes = types(await got(page, bridge));
    assert.equal(seenTypes.filter((t) => t === 'payform:ready').length, 1, bridge);
    assert.equal(seenTypes.filter((t) => t === 'payform:paid').length, 1, bridge);
    assert.deepEqual((await got(page, bridge)).filter((e) => e.message.type === 'payform:open').map((e) => e.message.detail.url), [href]);
  }
  assert.deepEqual(clicks, [{ href, prevented: true }]);
  assert.deepEqual(seen.errors, []);
  assert.ok(seen.warnings.some((w) => w.includes('webkit.messageHandlers.payform bridge threw')), seen.warnings.join('\n'));
  await page.close();
});

test('WebView: without a bridge nothing changes (no errors, the wallet link is followed as before)', async () => {
  const p = await create();
  const { page, seen } = await open([]);
  const { href, clicks } = await payThrough(page, p.id);
  assert.deepEqual(clicks, [{ href, prevented: false }]);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.warnings, []);
  await page.close();
});

// The checkout's theming keys. The form's root and its brand probe (the accent as the page gave
// it, before the form's contrast adjustment) show what was applied.
async function themed(query) {
  const p = await create();
  const { page, seen } = await open([]);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(checkout(p.id, query));
  await page.getByTestId('qr').waitFor();
  const style = await page.getByTestId('payform').evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      radius: s.borderTopLeftRadius,
      bg: s.backgroundColor,
      fg: s.color,
      accent: getComputedStyle(el.querySelector('.pf-brand-probe')).backgroundColor,
      wallet: getComputedStyle(el.querySelector('[data-testid="wallet-link"]')).backgroundColor,
    };
  });
  await page.close();
  return { style, seen, requests };
}

test('theming: the link sets the accent, the radius and readable background and text colours', async () => {
  const { style, seen } = await themed('&accent=%230f766e&radius=8&bg=%23fffbeb&fg=%23000&border=%23d1d5db');
  assert.equal(style.accent, 'rgb(15, 118, 110)');
  assert.equal(style.wallet, 'rgb(15, 118, 110)', 'the wallet button is filled with the accent');
  assert.equal(style.radius, '8px');
  assert.equal(style.bg, 'rgb(255, 251, 235)');
  assert.equal(style.fg, 'rgb(0, 0, 0)');
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.warnings, []);
  // The fragment carries them too (kept out of server logs), and a dark theme takes a dark bg.
  const p = await create();
  const { page } = await open([]);
  await page.goto(`${checkout(p.id)}#theme=dark&bg=%23000000&radius=0`);
  await page.getByTestId('qr').waitFor();
  const dark = await page.getByTestId('payform').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderTopLeftRadius]);
  assert.deepEqual(dark, ['rgb(0, 0, 0)', '0px']);
  await page.close();
});

test('theming: hostile and unreadable values are not applied, and the console says why', async () => {
  const hostile = encodeURIComponent('red;background:url(/hostile-bg)');
  const { style, seen, requests } = await themed(
    `&accent=${hostile}&radius=${encodeURIComponent('8px;background:url(/hostile-radius)')}&fg=${encodeURIComponent('#000;x:y')}&border=red`);
  assert.equal(style.accent, 'rgb(29, 78, 216)', 'the default accent');
  assert.equal(style.radius, '12px', 'the default radius');
  assert.equal(style.bg, 'rgb(255, 255, 255)');
  assert.equal(style.fg, 'rgb(17, 24, 39)');
  assert.ok(!requests.some((u) => new URL(u).pathname.startsWith('/hostile')), requests.join('\n'));
  assert.deepEqual(seen.errors, []);
  for (const key of ['accent', 'radius', 'fg', 'border']) {
    assert.ok(seen.warnings.some((w) => w.startsWith(`Payform checkout: ${key} is not a `) && w.endsWith(': ignored')), `${key}: ${seen.warnings.join('\n')}`);
  }
  // A black background on the light theme would hide its text: refused as a group.
  const unreadable = await themed('&bg=%23000000&accent=%23ff0000');
  assert.equal(unreadable.style.bg, 'rgb(255, 255, 255)');
  assert.equal(unreadable.style.accent, 'rgb(255, 0, 0)', 'the accent still applies');
  assert.ok(unreadable.seen.warnings.some((w) => w.startsWith('Payform checkout: bg, fg and muted would put text below 4.5:1')), unreadable.seen.warnings.join('\n'));
});
