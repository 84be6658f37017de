// End-to-end, every way a payment ends (issue "Every way a payment really ends"): late, short by
// an exchange fee, over, seen-but-unconfirmed then k of N, Bitcoin with Lightning in one
// BIP-321 QR, the receipt (and what prints), "I've sent the payment", the refund address and
// "Need more time?". The hosted checkout in headless Chromium against the devserver; the QR
// codes are decoded back from screenshots.
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

async function checkout(id, params = '', viewport, poll = 500) {
  const page = await browser.newPage(viewport ? { viewport } : undefined);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(`${server.base}/checkout.html?src=/api/payments/${id}&poll-interval=${poll}${params}`);
  return page;
}
const events = (page) => page.evaluate(() => window.__events);
const simulate = (id, action, amount) => api(server.base, `/api/payments/${id}/simulate`, { action, amount });
const create = (extra = {}) => api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25', ...extra });
const status = (page, s, timeout = 15_000) => page.locator(`[data-status="${s}"]`).waitFor({ timeout });
// After `expired`, and while a late payment settles, the form asks every 15 s ± 25 %.
const LATE_PACE = 20_000;
const text = (page, id) => page.getByTestId(id).textContent();

test('a payment that arrives after the deadline moves the form on: late, then paid once', async () => {
  const p = await create({ confirmations_required: 2, merchant: 'Example Store', late_note: 'We will ship your order as usual.' });
  const page = await checkout(p.id);
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'expire');
  await status(page, 'expired');
  assert.equal(await page.getByTestId('late').count(), 0);
  await simulate(p.id, 'pay_late');
  await status(page, 'confirming', LATE_PACE);
  assert.match(await text(page, 'late'), /Payment received after the deadline/);
  assert.equal(await text(page, 'late-next'), 'We will ship your order as usual.');
  assert.equal(await page.getByTestId('qr').count(), 0, 'nothing more to send');
  await simulate(p.id, 'confirm');
  await simulate(p.id, 'confirm');
  // A late payment is watched at the late pace until it is final.
  await status(page, 'paid', LATE_PACE);
  assert.match(await text(page, 'late'), /after the deadline/, 'the receipt still says it was late');
  await page.getByTestId('receipt').waitFor();
  await page.waitForTimeout(1_500);
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status),
    ['awaiting_payment', 'expired', 'confirming', 'paid']);
  assert.equal(count(ev, 'payform:expired'), 1);
  assert.equal(count(ev, 'payform:late'), 1);
  assert.equal(ev.find((e) => e.type === 'payform:late').detail.status, 'confirming');
  assert.equal(count(ev, 'payform:paid'), 1, 'paid exactly once, after expired');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('without a merchant note, the late screen says what happens next in the shopper\'s words', async () => {
  const p = await create({ merchant: 'Example Store' });
  const page = await checkout(p.id);
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'expire');
  await status(page, 'expired');
  await simulate(p.id, 'pay_late');
  await status(page, 'paid', LATE_PACE);
  assert.equal(await text(page, 'late-next'), 'Example Store will confirm your order or contact you about it.');
  await page.close();
});

test('short by an exchange fee: the remainder, why it happened, and a QR for exactly the rest', async () => {
  const p = await create({ network: 'bitcoin', currency: 'BTC', amount: '0.001' });
  const page = await checkout(p.id);
  await page.getByTestId('qr').waitFor();
  assert.match(await text(page, 'fee-hint'), /Paying from an exchange\? .*0\.001 BTC/, 'warned before paying');
  await simulate(p.id, 'pay_short');
  await status(page, 'underpaid');
  assert.equal(await page.getByTestId('amount').getAttribute('data-amount'), '0.00001');
  assert.match(await text(page, 'fee-hint'), /withdrawal fee: send enough that 0\.00001 BTC arrives/);
  const uri = await decodeQr(page.getByTestId('qr'));
  assert.equal(uri.toLowerCase(), `bitcoin:${p.address.toLowerCase()}?amount=0.00001`);
  // Far from the amount, the fee explanation would be wrong: half paid gets none.
  const q = await create();
  const half = await checkout(q.id);
  await half.getByTestId('qr').waitFor();
  await simulate(q.id, 'pay_partial', '10');
  await status(half, 'underpaid');
  assert.equal(await half.getByTestId('fee-hint').count(), 0);
  await half.close();
  await page.close();
});

test('over: what was sent beyond the amount, and that the merchant handles the refund', async () => {
  const p = await create({ merchant: 'Example Store' });
  const page = await checkout(p.id);
  await page.getByTestId('qr').waitFor();
  await simulate(p.id, 'pay_over', '27.5');
  await status(page, 'overpaid');
  assert.match(await page.getByTestId('status').textContent(), /You sent 27\.5 USDT, 2\.5 USDT more than required; Example Store can refund the difference/);
  await page.getByTestId('receipt').waitFor();
  await page.close();
});

test('seen in the network, then k of N, then paid: the timer stops mattering once seen', async () => {
  const p = await create({ confirmations_required: 3, description: 'Order #1042', merchant: 'Example Store' });
  const page = await checkout(p.id);
  await page.getByTestId('countdown').waitFor();
  await simulate(p.id, 'pay');
  await status(page, 'confirming');
  assert.match(await page.getByTestId('status').textContent(), /Payment detected in the network, waiting for the first confirmation/);
  assert.match(await text(page, 'timer-stopped'), /time limit no longer matters/);
  assert.equal(await page.getByTestId('countdown').count(), 0);
  await simulate(p.id, 'confirm');
  await page.locator('.pf-headline', { hasText: 'confirming (1 of 3 confirmations)' }).waitFor();
  await simulate(p.id, 'confirm');
  await page.locator('.pf-headline', { hasText: 'confirming (2 of 3 confirmations)' }).waitFor();
  await simulate(p.id, 'confirm');
  await status(page, 'paid');
  // The receipt: amount, network, time, the transaction linked to the explorer, reference, order, merchant.
  const receipt = page.getByTestId('receipt');
  assert.match(await receipt.getByTestId('receipt-amount').textContent(), /25 USDT/);
  assert.equal(await receipt.getByTestId('receipt-network').textContent(), 'Tron (TRC-20)');
  assert.ok((await receipt.getByTestId('receipt-time').textContent()).length > 3);
  const tx = receipt.locator('a.pf-tx');
  assert.equal(await tx.count(), 1);
  const txid = await tx.getAttribute('data-txid');
  assert.match(txid, /^[0-9a-f]{64}$/);
  assert.equal(await tx.getAttribute('href'), `https://tronscan.org/#/transaction/${txid}`);
  assert.equal(await tx.getAttribute('rel'), 'noopener noreferrer');
  assert.match(await tx.getAttribute('aria-label'), /^View transaction .+ on tronscan\.org$/);
  assert.equal(await receipt.getByTestId('receipt-ref').textContent(), p.id);
  assert.equal(await receipt.getByTestId('receipt-order').textContent(), 'Order #1042');
  assert.equal(await receipt.getByTestId('receipt-merchant').textContent(), 'Example Store');
  // Printing prints the receipt alone.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await receipt.isVisible(), true);
  assert.equal(await page.getByTestId('status').isVisible(), false);
  assert.equal(await page.getByTestId('print').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.getByTestId('status').isVisible(), true);
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'confirming', 'paid']);
  assert.equal(count(ev, 'payform:paid'), 1);
  assert.deepEqual(ev.find((e) => e.type === 'payform:paid').detail.payment.txids, [txid]);
  await page.close();
});

test('Bitcoin with Lightning: one BIP-321 QR for either wallet, and a choice of each alone', async () => {
  const p = await create({ network: 'bitcoin', currency: 'BTC', amount: '0.0025', lightning: true });
  assert.ok(p.lightning?.startsWith('lnbc2500u'));
  const page = await checkout(p.id);
  await page.getByTestId('qr').waitFor();
  const tabs = page.getByTestId('way-tab');
  assert.deepEqual(await page.locator('.pf-way-choice').allTextContents(), ['Bitcoin or Lightning', 'On-chain', 'Lightning']);
  assert.equal(await page.getByRole('radio', { name: 'Bitcoin or Lightning' }).isChecked(), true);
  assert.equal(await page.getByRole('group', { name: 'Pay with' }).count(), 1);
  assert.equal(await page.getByTestId('unified-hint').isVisible(), true);
  const both = await decodeQr(page.getByTestId('qr'));
  assert.equal(both, `bitcoin:${p.address.toUpperCase()}?amount=0.0025&lightning=${p.lightning.toUpperCase()}`);
  const parsed = new URL(both);
  assert.equal(parsed.protocol, 'bitcoin:');
  assert.equal(parsed.searchParams.get('amount'), '0.0025');
  assert.equal(parsed.searchParams.get('lightning').toLowerCase(), p.lightning);
  assert.equal(await page.getByTestId('wallet-link').getAttribute('href'), `bitcoin:${p.address}?amount=0.0025&lightning=${p.lightning}`);
  // The keyboard moves between the choices (arrow keys), each with its own QR and copy text.
  await tabs.nth(0).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await tabs.nth(1).isChecked(), true);
  assert.equal(await page.getByTestId('unified-hint').isVisible(), false);
  assert.equal((await decodeQr(page.getByTestId('qr'))).toLowerCase(), `bitcoin:${p.address}?amount=0.0025`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await tabs.nth(2).isChecked(), true);
  assert.equal((await decodeQr(page.getByTestId('qr'))).toLowerCase(), `lightning:${p.lightning}`);
  assert.equal(await page.getByTestId('address').getAttribute('data-address'), p.lightning);
  // The choice survives what rebuilds the screen ("I've sent the payment", an update).
  await page.getByTestId('sent-it').click();
  await page.getByTestId('looking').waitFor();
  assert.equal(await tabs.nth(2).isChecked(), true, 'still Lightning after "I\'ve sent the payment"');
  assert.equal((await decodeQr(page.getByTestId('qr'))).toLowerCase(), `lightning:${p.lightning}`);
  // Once part is paid on-chain, the invoice (for the whole amount) is no longer offered.
  await simulate(p.id, 'pay_partial', '0.001');
  await status(page, 'underpaid');
  assert.equal(await tabs.count(), 0);
  assert.equal((await decodeQr(page.getByTestId('qr'))).toLowerCase(), `bitcoin:${p.address}?amount=0.0015`);
  await page.close();
});

test('"I\'ve sent the payment" asks quickly for a while and says it is looking', async () => {
  const p = await create();
  const page = await checkout(p.id, '', undefined, 10_000);
  await page.getByTestId('qr').waitFor();
  let gets = 0;
  page.on('request', (r) => { if (r.url().includes(`/api/payments/${p.id}`) && r.method() === 'GET') gets++; });
  await page.waitForTimeout(4_000);
  const calm = gets;
  await page.getByTestId('sent-it').click();
  await page.getByTestId('looking').waitFor();
  assert.equal(await page.getByTestId('looking').getAttribute('data-state'), 'looking');
  assert.equal(await text(page, 'looking'), 'Looking for your payment…');
  assert.match(await page.getByTestId('announcer').textContent(), /Looking for your payment/);
  gets = 0;
  await page.waitForTimeout(4_000);
  assert.ok(calm <= 1, `${calm} requests in 4 s at a 10 s interval`);
  assert.ok(gets >= 2, `${gets} requests in 4 s after "I've sent the payment"`);
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  await page.close();
});

test('the refund address is checked for the network and handed to the page, never sent', async () => {
  const p = await create({ merchant: 'Example Store' });
  const page = await checkout(p.id, '&refund-address');
  await page.getByTestId('refund').waitFor();
  const sent = [];
  page.on('request', (r) => { if (r.method() !== 'GET') sent.push(r.url()); });
  const input = page.getByTestId('refund-input');
  await input.fill('0x52908400098527886E0F7030069857D2E4169EE7');
  await page.getByTestId('refund-save').click();
  assert.equal(await page.getByTestId('refund-msg').getAttribute('data-state'), 'invalid');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await text(page, 'refund-msg'), /not a valid Tron \(TRC-20\) address/);
  await input.fill(' TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6 ');
  // A payment update rebuilds the screen: what the shopper typed stays.
  await simulate(p.id, 'pay_partial', '10');
  await status(page, 'underpaid');
  assert.equal(await page.getByTestId('refund-input').inputValue(), ' TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6 ');
  await page.getByTestId('refund-input').press('Enter');
  await page.getByText('Refund address saved.').waitFor();
  const ev = await events(page);
  assert.equal(count(ev, 'payform:refund_address'), 1);
  const detail = ev.find((e) => e.type === 'payform:refund_address').detail;
  assert.equal(detail.address, 'TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6');
  assert.equal(detail.network, 'tron');
  assert.equal(detail.payment.id, p.id);
  assert.deepEqual(sent, [], 'the form sends it nowhere');
  // Off by default.
  const plain = await checkout(p.id);
  await plain.getByTestId('qr').waitFor();
  assert.equal(await plain.getByTestId('refund').count(), 0);
  await plain.close();
  await page.close();
});

test('"Need more time?" asks the merchant page once per press, and only when enabled', async () => {
  const p = await create({ expires_in: 600 });
  const page = await checkout(p.id, '&more-time');
  await page.getByTestId('ask-time').click();
  await page.getByText('The shop has been asked for more time.').waitFor();
  const ev = await events(page);
  assert.equal(count(ev, 'payform:more_time'), 1);
  assert.equal(ev.find((e) => e.type === 'payform:more_time').detail.payment.id, p.id);
  const plain = await checkout(p.id);
  await plain.getByTestId('qr').waitFor();
  assert.equal(await plain.getByTestId('ask-time').count(), 0);
  await plain.close();
  await page.close();
});

test('no group of four of an address breaks across lines, at any width from 320 px', async () => {
  const p = await create({ network: 'solana', currency: 'SOL', amount: '1' });
  for (const width of [320, 340, 360, 400, 480, 768, 1280]) {
    const page = await checkout(p.id, '', { width, height: 800 });
    await page.getByTestId('qr').waitFor();
    const broken = await page.evaluate(() => [...document.querySelectorAll('.pf-group')]
      .filter((g) => g.getClientRects().length !== 1 || g.getBoundingClientRect().height > parseFloat(getComputedStyle(g).lineHeight) * 1.5)
      .map((g) => g.textContent));
    assert.deepEqual(broken, [], `${width} px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, `${width} px: nothing scrolls sideways`);
    await page.close();
  }
});

test('in the framed checkout, the new events reach the merchant page: refund address and more time', async () => {
  const p = await create({ expires_in: 600 });
  const page = await browser.newPage();
  const checkoutOrigin = `http://localhost:${new URL(server.base).port}`;
  await page.goto(`${server.base}/examples/iframe.html?src=/api/payments/${p.id}&poll=500&refund-address&more-time&checkout_origin=${encodeURIComponent(checkoutOrigin)}`);
  const frame = page.frameLocator('iframe.payform-frame');
  await frame.getByTestId('ask-time').click();
  await frame.getByTestId('refund-input').fill('TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6');
  await frame.getByTestId('refund-save').click();
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'payform:refund_address'));
  const log = await page.evaluate(() => window.__log.map((e) => ({ type: e.type, target: e.target, detail: e.detail })));
  const more = log.filter((e) => e.type === 'payform:more_time');
  const refund = log.filter((e) => e.type === 'payform:refund_address');
  assert.equal(more.length, 1);
  assert.equal(more[0].detail.payment.id, p.id);
  assert.equal(refund.length, 1);
  assert.equal(refund[0].detail.address, 'TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6');
  assert.equal(refund[0].target, 'form', 're-emitted on the container');
  await page.close();
});
