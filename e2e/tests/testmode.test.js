// End-to-end, test mode (network-mode="test"): for each family of test networks the devserver
// creates a test payment, the hosted checkout shows it under the "TEST — no real funds" banner,
// and the QR (decoded from a screenshot with jsQR) holds the testnet form of the wallet URI,
// written out here by hand from the standards (BIP-21/BIP-173 for bitcoin, BOLT11's `lntb`
// prefix, EIP-681 with Sepolia's chain id, Solana Pay with the devnet USDC mint, Tron's bare
// address); without the option the same payment is refused, with no QR. One test payment is
// driven to paid in a <pay-form> element: the banner is still on the receipt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveAndBrowse, api, decodeQr, ROOT } from '../lib.js';

const PORT = 8830;
const BANNER = JSON.parse(readFileSync(path.join(ROOT, 'locales', 'en.json'), 'utf8')).test_mode;
// Circle's USDC on Sepolia and its devnet mint (developers.circle.com, "USDC contract addresses").
const USDC_SEPOLIA = '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238';
const USDC_DEVNET = '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU';

// [name, POST /api/payments body, address prefix, expected QR text for address a, refusal code]
const CASES = [
  ['bitcoin testnet (tb1)', { network: 'bitcoin', currency: 'BTC', amount: '0.5', test: 'testnet' }, 'tb1q',
    (a) => `bitcoin:${a.toUpperCase()}?amount=0.5`, 'invalid_address'],
  ['bitcoin regtest (bcrt1)', { network: 'bitcoin', currency: 'BTC', amount: '0.5', test: 'regtest' }, 'bcrt1q',
    (a) => `bitcoin:${a.toUpperCase()}?amount=0.5`, 'invalid_address'],
  ['lightning testnet (lntb)', { network: 'lightning', currency: 'BTC', amount: '0.0025', test: 'testnet' }, 'lntb2500u1',
    (a) => `lightning:${a.toUpperCase()}`, 'invalid_address'],
  ['sepolia USDC', { network: 'sepolia', currency: 'USDC', amount: '25' }, '0x',
    (a) => `ethereum:${USDC_SEPOLIA}@11155111/transfer?address=${a}&uint256=25000000`, 'unsupported_network'],
  ['sepolia ETH', { network: 'sepolia', currency: 'ETH', amount: '0.1' }, '0x',
    (a) => `ethereum:${a}@11155111?value=100000000000000000`, 'unsupported_network'],
  ['tron_nile TRX', { network: 'tron_nile', currency: 'TRX', amount: '5' }, 'T',
    (a) => a, 'unsupported_network'],
  ['solana_devnet USDC', { network: 'solana_devnet', currency: 'USDC', amount: '1.5' }, '',
    (a) => `solana:${a}?amount=1.5&spl-token=${USDC_DEVNET}`, 'unsupported_network'],
];

let context;
const live = serveAndBrowse(PORT, undefined, async ({ browser }) => {
  context = await browser.newContext({ viewport: { width: 480, height: 900 }, deviceScaleFactor: 3 });
});

for (const [name, body, prefix, expected, code] of CASES) {
  test(`${name}: shown in test mode under the banner, with the testnet URI; refused without it`, async () => {
    const payment = await api(live.server.base, '/api/payments', body);
    assert.ok(payment.address.startsWith(prefix), `${name}: ${payment.address}`);
    const page = await context.newPage();
    await page.goto(`${live.server.base}/checkout.html?src=/api/payments/${payment.id}&network-mode=test`);
    const qr = page.getByTestId('qr');
    await qr.waitFor();
    const banner = page.getByTestId('test-banner');
    assert.ok(await banner.isVisible(), 'the banner is on the payment screen');
    assert.equal((await banner.locator('strong').textContent()).trim(), BANNER);
    assert.equal(await decodeQr(qr), expected(payment.address));
    if (body.network.startsWith('sepolia') || body.network === 'tron_nile' || body.network === 'solana_devnet') {
      const net = await page.getByTestId('network').textContent();
      assert.match(net, /testnet|devnet/i, `the network says it is a test one: ${net}`);
    }
    // A note in reading order, first in the form; not a live region (the form has one).
    assert.equal(await banner.getAttribute('role'), 'note');
    assert.equal(await banner.locator('[aria-live], [role=status], [role=alert]').count(), 0);
    // Without the option (live, the default): the same payment is refused, nothing to pay.
    await page.goto(`${live.server.base}/checkout.html?src=/api/payments/${payment.id}`);
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    assert.equal(await problem.getAttribute('data-code'), code);
    assert.match(await problem.getAttribute('data-message'), /network-mode="test"/);
    assert.equal(await page.getByTestId('qr').count(), 0, 'no QR for a refused payment');
    assert.equal(await page.getByTestId('test-banner').count(), 0, 'no banner in a live form');
    await page.close();
  });
}

test('a test form refuses a real payment, under the banner, with no QR', async () => {
  const payment = await api(live.server.base, '/api/payments', { network: 'bitcoin', currency: 'BTC', amount: '0.5' });
  const page = await context.newPage();
  await page.goto(`${live.server.base}/checkout.html?src=/api/payments/${payment.id}&network-mode=test`);
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-code'), 'invalid_address');
  assert.match(await problem.getAttribute('data-message'), /test mode shows only test networks/);
  assert.ok(await page.getByTestId('test-banner').isVisible(), 'the banner is on the error screen too');
  assert.equal(await page.getByTestId('qr').count(), 0);
  // A mode that is neither: the form stops before anything is fetched.
  await page.goto(`${live.server.base}/checkout.html?src=/api/payments/${payment.id}&network-mode=testnet`);
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-code'), 'bad_config');
  assert.match(await problem.getAttribute('data-message'), /network-mode "testnet" is not a network mode: use live/);
  await page.close();
});

test('<pay-form network-mode="test">: a Sepolia payment paid; the banner stays on every screen', async () => {
  const payment = await api(live.server.base, '/api/payments',
    { network: 'sepolia', currency: 'ETH', amount: '0.1', confirmations_required: 2 });
  const page = await live.browser.newPage();
  await page.goto(`${live.server.base}/examples/element.html`);
  const form = page.locator('pay-form');
  await form.evaluate((el, src) => { el.setAttribute('network-mode', 'test'); el.setAttribute('src', src); },
    `/api/payments/${payment.id}`);
  const banner = page.locator('pay-form [data-testid="test-banner"]');
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  assert.ok(await banner.isVisible(), 'on the payment screen');
  assert.equal(await form.evaluate((el) => el.networkMode), 'test', 'the property reflects the attribute');
  const simulate = (action) => api(live.server.base, `/api/payments/${payment.id}/simulate`, { action });
  await simulate('pay');
  await page.locator('pay-form [data-status="confirming"]').waitFor({ timeout: 10_000 });
  assert.ok(await banner.isVisible(), 'while confirming');
  await simulate('confirm');
  await simulate('confirm');
  await page.locator('pay-form [data-status="paid"]').waitFor({ timeout: 10_000 });
  await page.locator('pay-form [data-testid="receipt"]').waitFor();
  assert.ok(await banner.isVisible(), 'on the paid screen');
  assert.equal((await banner.locator('strong').textContent()).trim(), BANNER);
  // The receipt links the transaction to Sepolia's explorer, not mainnet's.
  const tx = page.locator('pay-form [data-testid="receipt-tx"] a').first();
  assert.match(await tx.getAttribute('href'), /^https:\/\/sepolia\.etherscan\.io\/tx\/0x[0-9a-f]{64}$/);
  await page.close();
});
