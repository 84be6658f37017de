// End-to-end, the Leptos example app (examples/leptos-app/: a crate that depends on payform by
// path and mounts <PayForm on_status on_paid/> with payform::STYLESHEET), as `make test-example`
// builds it into target/dist-leptos-app/, served by the devserver on the same origin as /api/.
// The form shows the payment, the shopper pays, and the app's on_paid callback writes its
// "Thanks" line exactly once, beside exactly one payform:paid DOM event; a reload fires neither.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, api, decodeQr, RECORD_EVENTS, count, ROOT } from '../lib.js';

const DIST = 'target/dist-leptos-app';
let server, browser;
before(async () => {
  if (!existsSync(path.join(ROOT, DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: make test-example builds the example first`);
  }
  server = await startDevserver(8840, DIST);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const events = (page) => page.evaluate(() => window.__events);

test('the Leptos app: the form from the crate, styled by STYLESHEET; on_paid once, with payform:paid once', async () => {
  const p = await api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/?src=/api/payments/${p.id}`);
  const qr = page.getByTestId('qr');
  await qr.waitFor();
  assert.equal(await decodeQr(qr), p.address);
  assert.equal(await page.getByTestId('address').getAttribute('data-address'), p.address);
  // payform::STYLESHEET is in the page: the form's root has its rules (the card's width and border).
  const style = await page.getByTestId('payform').evaluate((el) => {
    const s = getComputedStyle(el);
    return { maxWidth: s.maxWidth, border: s.borderTopStyle };
  });
  assert.deepEqual(style, { maxWidth: '420px', border: 'solid' });
  // on_status writes the status into the app's own line.
  await page.waitForFunction(() => document.querySelector('[data-testid=shop-status]')?.textContent === 'Order status: awaiting_payment');
  assert.equal(await page.getByTestId('thanks').count(), 0, 'nothing paid yet');

  await api(server.base, `/api/payments/${p.id}/simulate`, { action: 'pay' });
  await page.locator('[data-status="paid"]').waitFor({ timeout: 15_000 });
  await page.getByTestId('thanks').waitFor();
  await page.waitForTimeout(4_500); // more than one poll interval (3 s ± 25 %): nothing fires again
  assert.equal(await page.getByTestId('thanks').count(), 1, 'on_paid ran exactly once');
  assert.equal(await page.getByTestId('thanks').textContent(), `Thanks, order paid (${p.id}).`);
  assert.equal(await page.getByTestId('shop-status').textContent(), 'Order status: paid');
  const ev = await events(page);
  assert.equal(count(ev, 'payform:paid'), 1, 'the DOM event fired once too');
  assert.equal(ev.find((e) => e.type === 'payform:paid').detail.payment.id, p.id);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'paid']);

  // A reload shows the paid payment; the completion, already told, is told neither way again.
  await page.reload();
  await page.locator('[data-status="paid"]').waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=shop-status]')?.textContent === 'Order status: paid');
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('thanks').count(), 0, 'on_paid does not run again after a reload');
  assert.equal(count(await events(page), 'payform:paid'), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
