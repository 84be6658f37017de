// End-to-end, the bank-QR rails (issue 16): SEPA (EPC QR), Swiss QR-bill, Pix, PayNow, PromptPay,
// DuitNow and UPI payments created on the devserver and shown by the hosted checkout in headless
// Chromium.
//
// The QR code each rail shows is screenshotted, decoded (jsQR, its bytes read as UTF-8) and
// compared byte for byte with the payload that e2e/bank-payloads.js computes from the payment
// JSON the devserver returned: builders written from the schemes' texts (EPC069-12, SIX's QR-bill
// guidelines, EMV QRCPS-MPM with the Pix, PayNow and PromptPay templates, NPCI's UPI links), not
// from the Rust encoders, and checked here first against the schemes' published examples.
//
// Also: paying works as for crypto (paid once; a partial SEPA payment gets a QR for the rest);
// payform_rails.wasm is fetched only for bank payments, and once; bad bank details (served by
// the devserver's hostile script endpoint) are refused with their error codes and no QR; a
// failed module load is a network_error the form recovers from; Portuguese bank labels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, api, decodeQrBytes, RECORD_EVENTS, count, ROOT } from '../lib.js';
import { crc16, readTlv, cents, twoDecimals, utf8, isPayload, epcPayload, brCode, upiLink, expectedPayload } from '../bank-payloads.js';

const PORT = 8813;
let server, browser;
before(async () => {
  server = await startDevserver(PORT);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the builders reproduce the schemes\' published examples', () => {
  // CRC-16/CCITT-FALSE's check value.
  assert.equal(crc16('123456789'), '29B1');
  // EMVCo QRCPS-MPM v1.1's example payload ends in CRC A13A.
  const emvco = '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';
  assert.equal(crc16(emvco.slice(0, -4)), 'A13A');
  // BCB's manual, static BR Code with a random key, no amount, no txid.
  assert.equal(brCode({ address: '123e4567-e12b-12d1-a456-426655440000', beneficiary: 'Fulano de Tal', city: 'BRASILIA' }, null),
    '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D');
  // EPC069-12 v2.1, example 1 (as segno's tests reproduce it: 96 bytes).
  const epc = epcPayload({ bic: 'BHBLDEHHXXX', beneficiary: 'Franz Mustermänn', address: 'DE71110220330123456789', reference: 'RF18539007547034' },
    cents('12.30'), { purpose: 'GDDS' });
  assert.equal(epc, 'BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\nGDDS\nRF18539007547034');
  assert.equal(utf8.encode(epc).length, 96);
  // NPCI's sample writes "nadeem chinna" as nadeem%20chinna.
  assert.equal(upiLink({ address: 'nadeem@npci', beneficiary: 'nadeem chinna' }, cents('10')), 'upi://pay?pa=nadeem@npci&pn=nadeem%20chinna&am=10.00&cu=INR');
});

// --- the page -----------------------------------------------------------------------------------

const create = (body) => api(server.base, '/api/payments', body);
const simulate = (id, action, amount) => api(server.base, `/api/payments/${id}/simulate`, { action, amount });
const events = (page) => page.evaluate(() => window.__events);
const status = (page, s, timeout = 15_000) => page.locator(`[data-status="${s}"]`).waitFor({ timeout });
const waitEvent = (page, type, timeout = 15_000) =>
  page.waitForFunction((type) => window.__events.some((e) => e.type === type), type, { timeout });
const RAILS_URL = () => `${server.base}/payform_rails.wasm`;

/** The hosted checkout on `src`, recording payform:* events, page errors, the requests of the
 * rails' module and the GETs of `src`. */
async function checkout(src, params = '') {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.rails = 0;
  page.polls = 0;
  page.on('request', (r) => {
    if (r.url() === RAILS_URL()) page.rails++;
    if (new URL(r.url()).pathname === src && r.method() === 'GET') page.polls++;
  });
  await page.addInitScript(RECORD_EVENTS);
  const lang = params.includes('lang=') ? '' : '&lang=en';
  await page.goto(`${server.base}/checkout.html?src=${src}&poll-interval=500${lang}${params}`);
  return page;
}
const open = (p, params) => checkout(`/api/payments/${p.id}`, params);

/** Waits until the page has asked for its payment `n` more times. */
async function morePolls(page, n) {
  const target = page.polls + n;
  const end = Date.now() + 15_000;
  while (page.polls < target) {
    assert.ok(Date.now() < end, `${n} more polls within 15 s (${page.polls} of ${target})`);
    await page.waitForEvent('request', { timeout: 15_000 });
  }
}

/** After a final status the form stops asking, so there is no event left to wait for: a window
 * of two poll intervals (poll-interval=500 is held to the 1 s floor, ± 25 %) in which a second
 * payform:paid, or a request that could bring one, would show up. */
async function settle(page) {
  const polls = page.polls;
  await page.waitForTimeout(2_500);
  assert.ok(page.polls - polls <= 1, `the form stopped polling once the payment was final (${page.polls - polls} more)`);
}

/** The QR on screen, decoded; retried while an update rebuilds it. */
async function qr(page) {
  let last;
  for (let i = 0; i < 5; i++) {
    try {
      await page.getByTestId('qr').waitFor({ timeout: 5_000 });
      return await decodeQrBytes(page.getByTestId('qr'));
    } catch (e) {
      last = e;
      if (!/not attached|Timeout|no QR code/.test(e.message)) throw e;
    }
  }
  throw last;
}

const text = (page, id) => page.getByTestId(id).textContent();
const grouped = (s) => s.replace(/(.{4})(?!$)/g, '$1 ');

// Each rail, with what its QR must hold and how large a code its scheme allows.
const RAILS = [
  { name: 'sepa_epc', body: { network: 'sepa_epc', currency: 'EUR', amount: '25', beneficiary: 'Müller & Söhne GmbH' }, maxVersion: 13 },
  { name: 'swiss_qr (QR-IBAN, QR reference, CHF)', body: { network: 'swiss_qr', currency: 'CHF', amount: '1949.75' }, maxVersion: 25 },
  { name: 'swiss_qr in EUR', body: { network: 'swiss_qr', currency: 'EUR', amount: '25.5' }, maxVersion: 25 },
  { name: 'pix with a key', body: { network: 'pix', currency: 'BRL', amount: '25' } },
  { name: 'pix with the backend\'s payload', body: { network: 'pix', currency: 'BRL', amount: '12.34', payload: true } },
  { name: 'paynow', body: { network: 'paynow', currency: 'SGD', amount: '25' } },
  { name: 'paynow with the backend\'s payload', body: { network: 'paynow', currency: 'SGD', amount: '7.5', payload: true } },
  { name: 'promptpay', body: { network: 'promptpay', currency: 'THB', amount: '100' } },
  { name: 'duitnow (always the backend\'s payload)', body: { network: 'duitnow', currency: 'MYR', amount: '25' } },
  { name: 'upi', body: { network: 'upi', currency: 'INR', amount: '499.9', beneficiary: 'Chai & Co (Pune)' } },
];

for (const rail of RAILS) {
  test(`QR of ${rail.name}: decoded from the screen, byte for byte the scheme's payload; the bank details`, async () => {
    const p = await create(rail.body);
    assert.equal(p.status, 'awaiting_payment');
    const expected = expectedPayload(p);
    const page = await open(p);
    const code = await qr(page);
    assert.equal(code.text, expected, `${rail.name}: the QR's bytes`);
    assert.deepEqual([...code.bytes], [...utf8.encode(expected)]);
    if (rail.maxVersion) assert.ok(code.version <= rail.maxVersion, `QR version ${code.version} ≤ ${rail.maxVersion}`);

    // The amount as the shopper reads it, and the bank details beside the code.
    assert.equal(await page.getByTestId('amount').getAttribute('data-amount'), twoDecimals(cents(p.amount)));
    assert.equal((await text(page, 'amount')).replace(/,/g, ''), twoDecimals(cents(p.amount)), 'both decimals, grouped in English');
    assert.equal(await text(page, 'currency'), p.currency);
    assert.equal(await page.getByTestId('bank').evaluate((e) => e.tagName), 'DL');
    const given = isPayload(p.address) ? readTlv(p.address) : null;
    assert.equal(await text(page, 'beneficiary'), given ? given['59'] : p.beneficiary);
    const account = page.getByTestId('bank-account');
    if (['sepa_epc', 'swiss_qr'].includes(p.network)) {
      assert.equal(await account.textContent(), grouped(p.address), 'the IBAN in groups of four');
    } else if (!given) {
      assert.equal(await account.textContent(), p.address);
    } else if (p.network === 'pix') {
      assert.equal(await account.textContent(), readTlv(given['26'])['01'], 'the Pix key inside the payload');
    } else {
      assert.equal(await account.count(), 0, 'a merchant code names no account to type');
    }
    assert.equal(await page.getByTestId('bic').count(), p.bic ? 1 : 0);
    if (p.bic) assert.equal(await text(page, 'bic'), p.bic);
    const reference = given ? readTlv(given['62'] ?? '')[p.network === 'pix' ? '05' : '01'] : p.reference;
    assert.equal((await text(page, 'reference')).replace(/ /g, ''), reference);
    for (const id of ['bank-account', 'reference']) {
      if (await page.getByTestId(id).count()) {
        const row = page.locator('.pf-bank-row', { has: page.getByTestId(id) });
        assert.equal(await row.locator('button.pf-copy').count(), 1, `${id} is copyable`);
      }
    }
    assert.equal(await page.getByTestId('reference-warning').count(), ['sepa_epc', 'swiss_qr'].includes(p.network) ? 1 : 0);
    assert.equal(await text(page, 'bank-scan'), 'Scan with your banking app');
    // The Swiss cross on a QR-bill only.
    // (Every QR's SVG has the cross's <path>; on the other rails its `d` is empty: nothing drawn.)
    const crosses = await page.locator('[data-testid="qr"] [data-testid="swiss-cross"]').evaluateAll((c) => c.map((e) => e.getAttribute('d') ?? ''));
    const drawn = crosses.filter((d) => d.trim() !== '');
    assert.equal(drawn.length, p.network === 'swiss_qr' ? 1 : 0, `the Swiss cross drawn: ${JSON.stringify(crosses)}`);
    // Pix: the same payload to copy and paste; UPI: the intent link.
    if (p.network === 'pix') assert.equal(await page.getByTestId('address').getAttribute('data-address'), expected);
    else assert.equal(await page.getByTestId('address').count(), 0);
    if (p.network === 'upi') assert.equal(await page.getByTestId('wallet-link').getAttribute('href'), expected);
    else assert.equal(await page.getByTestId('wallet-link').count(), 0);
    assert.equal(count(await events(page), 'payform:error'), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('paying: every rail goes to paid (no confirming), payform:paid exactly once, no QR left', async () => {
  // The rails side by side, each on its own page and payment.
  await Promise.all(RAILS.map(async (rail) => {
    const p = await create(rail.body);
    const page = await open(p);
    await page.getByTestId('qr').waitFor();
    await simulate(p.id, 'pay');
    await status(page, 'paid');
    await settle(page);
    const ev = await events(page);
    assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'paid'], rail.name);
    assert.equal(count(ev, 'payform:paid'), 1, `${rail.name}: paid once`);
    assert.equal(ev.find((e) => e.type === 'payform:paid').detail.payment.id, p.id);
    assert.equal(count(ev, 'payform:error'), 0, rail.name);
    assert.equal(await page.getByTestId('qr').count(), 0, `${rail.name}: nothing more to scan`);
    assert.deepEqual(page.errors, []);
    await page.close();
  }));
});

test('a partial SEPA payment: underpaid, and the new QR asks for exactly the remainder; then paid once', async () => {
  const p = await create({ network: 'sepa_epc', currency: 'EUR', amount: '25' });
  const page = await open(p);
  assert.equal((await qr(page)).text, expectedPayload(p));
  const part = await simulate(p.id, 'pay_partial', '10');
  assert.equal(part.due, '15');
  await status(page, 'underpaid');
  assert.equal(await page.getByTestId('amount').getAttribute('data-amount'), '15.00');
  const rest = await qr(page);
  assert.equal(rest.text, expectedPayload(part));
  assert.match(rest.text, /\nEUR15\n/);
  await simulate(p.id, 'pay');
  await status(page, 'paid');
  await settle(page);
  const ev = await events(page);
  assert.deepEqual(ev.filter((e) => e.type === 'payform:status').map((e) => e.detail.status), ['awaiting_payment', 'underpaid', 'paid']);
  assert.equal(count(ev, 'payform:paid'), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
  // A code for the whole amount cannot be paid in part: the backend refuses it.
  const fixed = await create({ network: 'pix', currency: 'BRL', amount: '25', payload: true });
  await assert.rejects(simulate(fixed.id, 'pay_partial', '10'), /HTTP 400/);
});

test('the rails\' module is fetched only for a bank payment, and once across polls and updates', async () => {
  const crypto = await create({ network: 'tron', currency: 'USDT', amount: '25' });
  const plain = await open(crypto);
  await plain.getByTestId('qr').waitFor();
  await morePolls(plain, 3);
  await simulate(crypto.id, 'pay_partial', '10');
  await status(plain, 'underpaid');
  await morePolls(plain, 1);
  assert.equal(plain.rails, 0, 'a crypto payment never asks for payform_rails.wasm');
  await plain.close();

  const p = await create({ network: 'sepa_epc', currency: 'EUR', amount: '25' });
  const page = await open(p);
  await page.getByTestId('qr').waitFor();
  await morePolls(page, 3);
  await simulate(p.id, 'pay_partial', '10');
  await status(page, 'underpaid');
  assert.equal((await qr(page)).text, expectedPayload({ ...p, due: '15' }));
  await morePolls(page, 3);
  assert.equal(page.rails, 1, 'fetched once');
  await page.close();

  // The <pay-form> element (examples/): two bank forms on one page share one fetch.
  const [a, b] = [await create({ network: 'pix', currency: 'BRL', amount: '25' }), await create({ network: 'upi', currency: 'INR', amount: '25' })];
  const el = await browser.newPage();
  let fetched = 0;
  el.on('request', (r) => { if (r.url() === RAILS_URL()) fetched++; });
  await el.addInitScript(`document.addEventListener('DOMContentLoaded', () => document.getElementById('form')?.remove());`);
  await el.goto(`${server.base}/examples/element.html`);
  await el.evaluate((ids) => {
    document.getElementById('form')?.remove();
    for (const id of ids) {
      const f = document.createElement('pay-form');
      f.setAttribute('src', `/api/payments/${id}`);
      f.setAttribute('poll-interval', '500');
      f.setAttribute('lang', 'en');
      document.body.append(f);
    }
  }, [a.id, b.id]);
  const forms = el.locator('pay-form');
  await forms.nth(0).getByTestId('qr').waitFor();
  await forms.nth(1).getByTestId('qr').waitFor();
  assert.equal((await decodeQrBytes(forms.nth(0).getByTestId('qr'))).text, expectedPayload(a));
  assert.equal((await decodeQrBytes(forms.nth(1).getByTestId('qr'))).text, expectedPayload(b));
  let gets = 0;
  el.on('request', (r) => { if (r.url().includes('/api/payments/')) gets++; });
  const end = Date.now() + 15_000;
  while (gets < 6) {
    assert.ok(Date.now() < end, 'the forms keep polling');
    await el.waitForEvent('request', { timeout: 15_000 });
  }
  assert.equal(fetched, 1, 'two forms, one fetch of payform_rails.wasm');
  await el.close();
});

// --- bad bank details, served verbatim --------------------------------------------------------

const script = (id, body) => api(server.base, `/api/script/${id}`, { replies: [{ status: 200, body: JSON.stringify(body) }] });
const native = async (id) => (await fetch(`${server.base}/api/payments/${id}`)).json();

/** Serves `payment` through the hostile script `id`; returns the page once payform:error fired. */
async function refused(id, payment, code) {
  await script(id, payment);
  const page = await checkout(`/api/script/${id}`);
  await waitEvent(page, 'payform:error');
  await page.locator(`[data-testid="problem"][data-code="${code}"]`).waitFor();
  await morePolls(page, 2);
  const ev = await events(page);
  const codes = [...new Set(ev.filter((e) => e.type === 'payform:error').map((e) => e.detail.code))];
  assert.deepEqual(codes, [code], `${id}: payform:error codes`);
  for (const testid of ['qr', 'bank', 'bank-account', 'address', 'wallet-link']) {
    assert.equal(await page.getByTestId(testid).count(), 0, `${id}: no ${testid} on screen`);
  }
  assert.equal(count(ev, 'payform:ready'), 0, `${id}: never shown`);
  assert.deepEqual(page.errors, []);
  return page;
}

test('a bad IBAN, a wrong Pix key and a Pix payload with a broken CRC are refused: no QR, payform:error with the code', async () => {
  const sepa = await native((await create({ network: 'sepa_epc', currency: 'EUR', amount: '25' })).id);
  // One digit of the account changed: the mod-97 check fails.
  const digit = sepa.address.at(-1) === '9' ? '8' : String(Number(sepa.address.at(-1)) + 1);
  await (await refused('bank-bad-iban', { ...sepa, address: sepa.address.slice(0, -1) + digit }, 'invalid_iban')).close();

  // A CPF key with wrong check digits (123.456.789-09 is the valid one).
  const pix = await native((await create({ network: 'pix', currency: 'BRL', amount: '25' })).id);
  await (await refused('bank-bad-pix-key', { ...pix, address: '12345678900' }, 'invalid_pix_key')).close();

  // The backend's BR Code with its CRC off by one bit.
  const given = await native((await create({ network: 'pix', currency: 'BRL', amount: '25', payload: true })).id);
  const crc = given.address.slice(-4);
  const broken = given.address.slice(0, -4) + (parseInt(crc, 16) ^ 1).toString(16).toUpperCase().padStart(4, '0');
  await (await refused('bank-bad-crc', { ...given, address: broken }, 'invalid_bank_payload')).close();

  // The unchanged replies are shown (so the refusals above are about the change alone).
  for (const [id, p] of [['bank-good-iban', sepa], ['bank-good-pix', given]]) {
    await script(id, p);
    const page = await checkout(`/api/script/${id}`);
    assert.equal((await qr(page)).text, expectedPayload(p), id);
    await page.close();
  }
});

test('the rails\' module failing to load: no payable QR, network_error, then the form recovers', { timeout: 60_000 }, async () => {
  const p = await create({ network: 'sepa_epc', currency: 'EUR', amount: '25' });
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  let served = 0, letThroughAt = null;
  await page.route('**/payform_rails.wasm', async (route) => {
    if (served++ === 0) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not here' });
    letThroughAt ??= Date.now();
    return route.continue();
  });
  // When a QR first appears, on the page's clock (same machine: Date.now).
  await page.addInitScript(RECORD_EVENTS + `
    window.__qrAt = null;
    new MutationObserver(() => { if (window.__qrAt === null && document.querySelector('[data-testid="qr"]')) window.__qrAt = Date.now(); })
      .observe(document, { childList: true, subtree: true });`);
  await page.goto(`${server.base}/checkout.html?src=/api/payments/${p.id}&poll-interval=500&lang=en`);
  await waitEvent(page, 'payform:error');
  const error = (await events(page)).find((e) => e.type === 'payform:error');
  assert.equal(error.detail.code, 'network_error');
  await page.getByTestId('qr').waitFor({ timeout: 15_000 });
  assert.equal(served, 2, 'asked again once, after the failure');
  const qrAt = await page.evaluate(() => window.__qrAt);
  assert.ok(letThroughAt !== null && qrAt >= letThroughAt, 'no QR before the module was loaded');
  assert.equal((await qr(page)).text, expectedPayload(p));
  assert.equal(await page.getByTestId('problem').count(), 0, 'the problem is gone');
  const ev = await events(page);
  assert.deepEqual([...new Set(ev.filter((e) => e.type === 'payform:error').map((e) => e.detail.code))], ['network_error']);
  assert.equal(count(ev, 'payform:ready'), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('in Portuguese (lang=pt) the bank labels are Portuguese', async () => {
  const pt = JSON.parse(readFileSync(path.join(ROOT, 'locales/pt.json'), 'utf8'));
  const p = await create({ network: 'pix', currency: 'BRL', amount: '25' });
  const page = await open(p, '&lang=pt');
  await page.getByTestId('qr').waitFor();
  const label = (id) => page.locator('.pf-bank-row', { has: page.getByTestId(id) }).locator('.pf-label').textContent();
  const beneficiary = await label('beneficiary');
  assert.notEqual(beneficiary, 'Beneficiary');
  assert.equal(beneficiary, pt.beneficiary);
  assert.equal(await text(page, 'bank-scan'), pt.bank_scan);
  assert.equal(await page.getByTestId('payform').getAttribute('lang'), 'pt');
  assert.equal((await qr(page)).text, expectedPayload(p), 'the code does not depend on the language');
  await page.close();
});
