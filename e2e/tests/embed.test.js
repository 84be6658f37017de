// End-to-end, every way to embed Payform (examples/ pages, served by the devserver with the
// release bundle): the <pay-form> element in its shadow root, Payform.mount, the hosted
// checkout in an inline iframe and as a modal, and the checkout page under its strict CSP.
// The checkout "on another origin" is the same devserver reached as http://localhost:PORT while
// the shop page is http://127.0.0.1:PORT: two origins, one simulated provider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, api, ROOT } from '../lib.js';

const PORT = 8798;
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
const pay = (id) => api(server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
const gets = async (id) => (await (await fetch(`${server.base}/api/stats`)).json()).by_payment[id] ?? 0;
const log = (page) => page.evaluate(() => window.__log.map((e) => ({ type: e.type, target: e.target, detail: e.detail })));
const only = (entries, type) => entries.filter((e) => e.type === type);
const words = (lang) => JSON.parse(readFileSync(path.join(ROOT, 'locales', `${lang}.json`), 'utf8'));

test('<pay-form>: shadow root, attribute re-targeting, events once, merchant CSS cannot break it', async () => {
  const [a, b] = [await create(), await create()];
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  await page.addStyleTag({ content: '.pf-qr, .payform { display: none !important; } * { color: red !important; }' });
  const form = page.locator('pay-form');
  await form.evaluate((el, src) => el.setAttribute('src', src), `/api/payments/${a.id}`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  assert.ok(await form.evaluate((el) => el.shadowRoot !== null && el.shadowRoot.querySelector('.payform') !== null));
  assert.ok(await page.locator('pay-form [data-testid="qr"]').isVisible(), 'the page CSS does not reach the shadow root');
  // Changing src re-targets the form.
  await form.evaluate((el, src) => el.setAttribute('src', src), `/api/payments/${b.id}`);
  await page.waitForFunction((addr) => document.querySelector('pay-form').shadowRoot
    .querySelector('[data-testid=address]')?.getAttribute('data-address') === addr, b.address);
  await pay(b.id);
  await page.locator('pay-form [data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  const entries = await log(page);
  const paid = only(entries, 'payform:paid');
  assert.equal(paid.length, 1);
  assert.equal(paid[0].detail.payment.id, b.id);
  assert.equal(paid[0].target, 'form', 'events are retargeted to the <pay-form> element');
  // Loading the module a second time is harmless.
  await page.evaluate(async () => { await import('/payform.js?again'); });
  assert.equal(await page.evaluate(() => typeof customElements.get('pay-form')), 'function');
  await page.close();
});

test('<pay-form> properties reflect its attributes (the options table\'s names)', async () => {
  const [a, b] = [await create(), await create()];
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  const form = page.locator('pay-form');
  const seen = await form.evaluate((el, [srcA, srcB]) => {
    el.src = srcA;
    el.pollInterval = 2000;
    el.refundAddress = true;
    el.moreTime = true;
    const set = { src: el.getAttribute('src'), poll: el.getAttribute('poll-interval'),
      refund: el.getAttribute('refund-address'), read: el.pollInterval };
    el.moreTime = false;
    el.eventsSrc = null;
    return { ...set, more: el.hasAttribute('more-time'), events: el.hasAttribute('events-src'), srcB };
  }, [`/api/payments/${a.id}`, `/api/payments/${b.id}`]);
  assert.deepEqual(seen, { src: `/api/payments/${a.id}`, poll: '2000', refund: '', read: '2000', more: false, events: false, srcB: `/api/payments/${b.id}` });
  await page.waitForFunction((addr) => document.querySelector('pay-form').shadowRoot
    .querySelector('[data-testid=address]')?.getAttribute('data-address') === addr, a.address);
  assert.equal(await page.locator('pay-form [data-testid="refund"]').count(), 1, 'the flag set by the property is on');
  // Setting the property re-targets the form, as the attribute does.
  await form.evaluate((el, src) => { el.src = src; }, `/api/payments/${b.id}`);
  await page.waitForFunction((addr) => document.querySelector('pay-form').shadowRoot
    .querySelector('[data-testid=address]')?.getAttribute('data-address') === addr, b.address);
  await page.close();
});

test('<pay-form> ::part: the container, buttons and links are styleable; nothing else is exposed', async () => {
  // Bitcoin: a payment with a wallet link (Tron has none).
  const p = await api(server.base, '/api/payments', { network: 'bitcoin', currency: 'BTC', amount: '0.00025' });
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  await page.addStyleTag({ content: 'pay-form::part(container) { outline: 3px solid rgb(255, 0, 0); } pay-form::part(button) { background-color: rgb(0, 128, 0); } pay-form::part(link) { text-decoration-line: underline; }' });
  await page.locator('pay-form').evaluate((el, src) => el.setAttribute('src', src), `/api/payments/${p.id}`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  const seen = await page.locator('pay-form').evaluate((el) => {
    const root = el.shadowRoot;
    const style = (node) => getComputedStyle(node);
    const parts = [...root.querySelectorAll('[part]')].map((n) => n.getAttribute('part'));
    return {
      container: style(root.querySelector('[data-testid="payform"]')).outlineColor,
      copy: style(root.querySelector('.pf-copy')).backgroundColor,
      link: style(root.querySelector('[data-testid="wallet-link"]')).textDecorationLine,
      parts: [...new Set(parts)].sort(),
      amountHasPart: root.querySelector('[data-testid="amount"]').closest('[part]')?.getAttribute('part') ?? null,
    };
  });
  assert.equal(seen.container, 'rgb(255, 0, 0)');
  assert.equal(seen.copy, 'rgb(0, 128, 0)');
  assert.equal(seen.link, 'underline');
  assert.deepEqual(seen.parts, ['button', 'container', 'link'], 'only these parts exist');
  assert.equal(seen.amountHasPart, 'container', 'the amount is inside the container only, never a part of its own');
  await page.close();
});

test('removing <pay-form> stops its polling; two forms on one page stay independent', async () => {
  const [a, b] = [await create(), await create()];
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  await page.evaluate(({ a, b }) => {
    document.getElementById('form').remove();
    for (const [id, src] of [['one', a], ['two', b]]) {
      const el = document.createElement('pay-form');
      el.id = id;
      el.setAttribute('poll-interval', '300');
      el.setAttribute('src', src);
      document.body.append(el);
    }
  }, { a: `/api/payments/${a.id}`, b: `/api/payments/${b.id}` });
  await page.locator('#one [data-testid="qr"]').waitFor();
  await page.locator('#two [data-testid="qr"]').waitFor();
  await pay(a.id);
  await page.locator('#one [data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(700);
  assert.equal(await page.locator('#two [data-status="awaiting_payment"]').count(), 1, 'the other form is untouched');
  const paid = only(await log(page), 'payform:paid');
  assert.deepEqual(paid.map((e) => e.target), ['one']);
  // Remove the second form: no request for its payment after that.
  await page.evaluate(() => document.getElementById('two').remove());
  const before = await gets(b.id);
  await page.waitForTimeout(1_200);
  assert.equal(await gets(b.id), before, 'a removed form sends no more requests');
  await page.close();
});

test('Payform.mount: events on the target, destroy() stops polling, window.Payform', async () => {
  const p = await create();
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/mount.html?src=/api/payments/${p.id}&poll=300`);
  await page.locator('#form [data-testid="qr"]').waitFor();
  assert.equal(await page.evaluate(() => window.Payform.version), '0.1.0');
  const ready = only(await log(page), 'payform:ready');
  assert.equal(ready.length, 1);
  assert.equal(ready[0].detail.payment.amount, '25');
  await page.click('#destroy');
  assert.equal(await page.locator('#form [data-testid="payform"]').count(), 0);
  const before = await gets(p.id);
  await page.waitForTimeout(1_200);
  assert.equal(await gets(p.id), before, 'no request after destroy()');
  await page.close();
});

test('iframe checkout on another origin: events re-emitted once; foreign messages ignored', async () => {
  const p = await create();
  const checkoutOrigin = `http://localhost:${PORT}`;
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/iframe.html?src=/api/payments/${p.id}&poll=300&checkout_origin=${encodeURIComponent(checkoutOrigin)}`);
  const frame = page.frameLocator('iframe.payform-frame');
  await frame.locator('[data-testid="qr"]').waitFor();
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'payform:ready'));
  // A message from this page itself (wrong origin) and one from another frame of the checkout's
  // origin (right origin, wrong source): both must be ignored.
  const fake = { source: 'payform', version: 1, type: 'payform:paid', detail: { payment: { id: 'forged' } } };
  await page.evaluate((m) => window.postMessage(m, '*'), fake);
  await page.evaluate((origin) => {
    const other = document.createElement('iframe');
    other.id = 'other';
    other.src = origin + '/examples/log-events.js';
    document.body.append(other);
    return new Promise((r) => other.addEventListener('load', r));
  }, checkoutOrigin);
  await page.frameLocator('#other').locator('body').evaluate((_, m) => parent.postMessage(m, '*'), fake);
  await page.waitForTimeout(300);
  assert.equal(only(await log(page), 'payform:paid').length, 0, 'forged messages are ignored');
  await pay(p.id);
  await frame.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'payform:paid'));
  await page.waitForTimeout(600);
  const entries = await log(page);
  const paid = only(entries, 'payform:paid');
  assert.equal(paid.length, 1);
  assert.equal(paid[0].detail.payment.id, p.id);
  assert.equal(paid[0].target, 'form', 're-emitted on the container');
  assert.ok(only(entries, 'payform:resize').some((e) => e.detail.height > 100), 'the frame reports its height');
  await page.close();
});

// The frame fits its content both ways: the paid screen is shorter than the pay screen, and the
// frame shrinks to it (it used to keep the pay screen's height, an empty panel under the receipt).
for (const mode of ['iframe', 'modal']) {
  test(`${mode} checkout: the frame grows and shrinks with its content`, async () => {
    const p = await create();
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    // The iframe on another origin; the modal kept open after paid (it closes itself later).
    const params = mode === 'iframe'
      ? `src=/api/payments/${p.id}&poll=300&checkout_origin=${encodeURIComponent(`http://localhost:${PORT}`)}`
      : `src=/api/payments/${p.id}&poll=300&close_delay=20000`;
    await page.goto(`${server.base}/examples/${mode}.html?${params}`);
    if (mode === 'modal') await page.locator('#pay').click();
    const frame = page.frameLocator('iframe.payform-frame');
    await frame.locator('[data-testid="qr"]').waitFor();
    const frameHeight = () => page.evaluate(() => document.querySelector('iframe.payform-frame').getBoundingClientRect().height);
    const contentHeight = () => frame.locator('body').evaluate((b) => b.offsetHeight);
    await page.waitForFunction(() => parseFloat(document.querySelector('iframe.payform-frame').style.height) > 300);
    await page.waitForTimeout(300);
    const paying = await frameHeight();
    assert.ok(Math.abs(paying - await contentHeight()) <= 1, `the pay screen fits: frame ${paying}, content ${await contentHeight()}`);
    await pay(p.id);
    await frame.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction((before) => {
      const h = document.querySelector('iframe.payform-frame')?.getBoundingClientRect().height;
      return h !== undefined && h < before - 50;
    }, paying, { timeout: 5_000 });
    const paid = await frameHeight();
    assert.ok(Math.abs(paid - await contentHeight()) <= 1, `the paid screen fits: frame ${paid}, content ${await contentHeight()}`);
    assert.ok(paid < paying, `it shrank: ${paying} → ${paid}`);
    await page.close();
  });
}

test('modal checkout: focus, Escape closes; it closes by itself after paid', async () => {
  const p = await create();
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/modal.html?src=/api/payments/${p.id}&poll=300&close_delay=300`);
  await page.click('#pay');
  const dialog = page.locator('[role="dialog"]');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'payform-close');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(only(await log(page), 'payform:close').length, 1);

  await page.click('#pay');
  await page.frameLocator('iframe.payform-frame').locator('[data-testid="qr"]').waitFor();
  await pay(p.id);
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(only(await log(page), 'payform:paid').length, 1);
  await page.close();
});

test('openCheckout translates its title and close button: lang, else <html lang>; a title from the page wins; bad files leave English', async () => {
  const [de, fr, en] = [words('de'), words('fr'), words('en')];
  const p = await create();
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/modal.html`);
  const open = (options) => page.evaluate(async ({ src, options }) => {
    const { openCheckout } = await import('/payform.js');
    window.checkoutHandle = openCheckout(`/checkout.html?src=${src}`,
      options.inline ? { ...options, container: document.body } : options);
  }, { src: `/api/payments/${p.id}`, options });
  const closeLabel = () => page.locator('.payform-close').getAttribute('aria-label');
  const frameTitle = () => page.locator('iframe.payform-frame').getAttribute('title');
  const dialog = page.locator('[role="dialog"]');
  const waitFor = (selector, attribute, value) => page.waitForFunction(({ selector, attribute, value }) =>
    document.querySelector(selector)?.getAttribute(attribute) === value, { selector, attribute, value });

  // lang: 'de' on an English page: the modal's close button, label and frame title, and the checkout.
  await open({ lang: 'de' });
  await waitFor('.payform-close', 'aria-label', de.frame_close);
  assert.equal(await dialog.getAttribute('aria-label'), de.frame_title);
  assert.equal(await frameTitle(), de.frame_title);
  assert.equal(await dialog.getAttribute('lang'), 'de');
  const checkoutUrl = new URL(await page.locator('iframe.payform-frame').getAttribute('src'));
  assert.equal(checkoutUrl.searchParams.get('lang'), 'de', 'the checkout is asked for the same language');
  await page.frameLocator('iframe.payform-frame').getByTestId('qr').waitFor();
  assert.equal(await page.frameLocator('iframe.payform-frame').getByTestId('payform').getAttribute('lang'), 'de');
  await page.evaluate(() => window.checkoutHandle.close());

  // A title given by the page stays; the close button is still translated.
  await open({ lang: 'de', title: 'Bezahlen bei Beispiel' });
  await waitFor('.payform-close', 'aria-label', de.frame_close);
  assert.equal(await frameTitle(), 'Bezahlen bei Beispiel');
  assert.equal(await dialog.getAttribute('aria-label'), 'Bezahlen bei Beispiel');
  await page.evaluate(() => window.checkoutHandle.close());

  // No lang: the page's own <html lang> (inline, so no close button).
  await page.evaluate(() => { document.documentElement.lang = 'fr'; });
  await open({ inline: true });
  await waitFor('iframe.payform-frame', 'title', fr.frame_title);
  assert.equal(new URL(await page.locator('iframe.payform-frame').getAttribute('src')).searchParams.get('lang'), null,
    'only an explicit lang is passed on to the checkout');
  await page.evaluate(() => window.checkoutHandle.close());

  // A file that is too large, not JSON, or has no string: English stays, nothing throws.
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const bodies = {
    it: JSON.stringify({ ...words('it'), padding: 'x'.repeat(70_000) }),
    es: '<html>not json</html>',
    nl: JSON.stringify({ frame_title: 7, frame_close: ['Sluiten'] }),
  };
  for (const [lang, body] of Object.entries(bodies)) {
    await page.route(`**/locales/${lang}.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
    const served = page.waitForResponse((r) => r.url().endsWith(`/locales/${lang}.json`) && r.frame() === page.mainFrame());
    await open({ lang });
    await (await served).finished();
    await page.waitForTimeout(200);
    assert.equal(await closeLabel(), en.frame_close, `${lang}: English stays`);
    assert.equal(await frameTitle(), en.frame_title, `${lang}: English stays`);
    await page.evaluate(() => window.checkoutHandle.close());
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the hosted checkout works under its strict CSP and completes a payment', async () => {
  const p = await create();
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${server.base}/checkout.html?src=/api/payments/${p.id}&poll-interval=300`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors /);
  await page.getByTestId('qr').waitFor();
  await pay(p.id);
  await page.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  // Framed without parent_origin, the page refuses to run rather than post to anyone.
  const bare = await browser.newPage();
  await bare.goto(`${server.base}/examples/element.html`);
  await bare.evaluate((src) => {
    const f = document.createElement('iframe');
    f.id = 'bare';
    f.src = src;
    document.body.append(f);
  }, `/checkout.html?src=/api/payments/${p.id}`);
  const problem = bare.frameLocator('#bare').getByTestId('problem');
  await problem.waitFor();
  assert.match(await problem.getAttribute('data-message'), /parent_origin is missing/);
  await page.close();
  await bare.close();
});

test('theming: the dark theme, and custom properties set by the page through the shadow root', async () => {
  const p = await create();
  const page = await browser.newPage();
  await page.goto(`${server.base}/examples/element.html`);
  await page.addStyleTag({ content: 'pay-form { --pf-accent: rgb(200, 0, 100); --pf-radius: 3px; }' });
  const form = page.locator('pay-form');
  await form.evaluate((el, src) => { el.setAttribute('theme', 'dark'); el.setAttribute('src', src); }, `/api/payments/${p.id}`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  const root = page.locator('pay-form [data-testid="payform"]');
  assert.match(await root.getAttribute('class'), /pf-theme-dark/);
  const style = await root.evaluate((el) => {
    const s = getComputedStyle(el);
    const probe = el.querySelector('.pf-brand-probe');
    return { bg: s.backgroundColor, radius: s.borderTopLeftRadius, accent: getComputedStyle(probe).backgroundColor };
  });
  assert.equal(style.bg, 'rgb(17, 24, 39)', 'dark background');
  assert.equal(style.radius, '3px', '--pf-radius from the page');
  assert.equal(style.accent, 'rgb(200, 0, 100)', '--pf-accent from the page');
  assert.equal(await page.locator('pay-form [data-testid="network-warning"]').textContent(),
    'Send only USDT on Tron (TRC-20); other networks lose the funds.');
  await page.close();
});
