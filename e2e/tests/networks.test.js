// End-to-end, every network and token of the contract: the devserver hands out a fresh
// checksum-valid address, the hosted checkout shows it, and the QR (decoded from a screenshot
// with jsQR, as a phone camera would) holds exactly the expected wallet URI. The expected URIs
// are written out here by hand from the standards (BIP21, EIP-681, Solana Pay, BOLT11), not
// computed by the code under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser, api, decodeQr } from '../lib.js';

const USDT_ETH = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const USDC_ETH = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
const USDT_BSC = '0x55d398326f99059fF775485246999027B3197955';
const USDC_BSC = '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d';
const USDT_POL = '0xc2132D05D31c914a87C6611C10748AEb04B58e8F';
const USDC_POL = '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359';
const USDT_ARB = '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9';
const USDC_ARB = '0xaf88d065e77c8cC2239327C5EDb3A432268e5831';
const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
const USDT_SOL = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';
const USDC_SOL = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

// [network, currency, amount, expected QR text for address a]
const CASES = [
  ['bitcoin', 'BTC', '1.5', (a) => `bitcoin:${a.toUpperCase()}?amount=1.5`],
  ['lightning', 'BTC', '0.0025', (a) => `lightning:${a.toUpperCase()}`],
  ['litecoin', 'LTC', '1.5', (a) => `litecoin:${a.toUpperCase()}?amount=1.5`],
  ['dogecoin', 'DOGE', '1.5', (a) => `dogecoin:${a}?amount=1.5`],
  ['ethereum', 'ETH', '1.5', (a) => `ethereum:${a}@1?value=1500000000000000000`],
  ['ethereum', 'USDT', '1.5', (a) => `ethereum:${USDT_ETH}@1/transfer?address=${a}&uint256=1500000`],
  ['ethereum', 'USDC', '1.5', (a) => `ethereum:${USDC_ETH}@1/transfer?address=${a}&uint256=1500000`],
  ['bsc', 'BNB', '1.5', (a) => `ethereum:${a}@56?value=1500000000000000000`],
  ['bsc', 'USDT', '1.5', (a) => `ethereum:${USDT_BSC}@56/transfer?address=${a}&uint256=1500000000000000000`],
  ['bsc', 'USDC', '1.5', (a) => `ethereum:${USDC_BSC}@56/transfer?address=${a}&uint256=1500000000000000000`],
  ['polygon', 'POL', '1.5', (a) => `ethereum:${a}@137?value=1500000000000000000`],
  ['polygon', 'USDT', '1.5', (a) => `ethereum:${USDT_POL}@137/transfer?address=${a}&uint256=1500000`],
  ['polygon', 'USDC', '1.5', (a) => `ethereum:${USDC_POL}@137/transfer?address=${a}&uint256=1500000`],
  ['arbitrum', 'ETH', '1.5', (a) => `ethereum:${a}@42161?value=1500000000000000000`],
  ['arbitrum', 'USDT', '1.5', (a) => `ethereum:${USDT_ARB}@42161/transfer?address=${a}&uint256=1500000`],
  ['arbitrum', 'USDC', '1.5', (a) => `ethereum:${USDC_ARB}@42161/transfer?address=${a}&uint256=1500000`],
  ['base', 'ETH', '1.5', (a) => `ethereum:${a}@8453?value=1500000000000000000`],
  ['base', 'USDC', '1.5', (a) => `ethereum:${USDC_BASE}@8453/transfer?address=${a}&uint256=1500000`],
  ['tron', 'TRX', '1.5', (a) => a],
  ['tron', 'USDT', '1.5', (a) => a],
  ['tron', 'USDC', '1.5', (a) => a],
  ['solana', 'SOL', '1.5', (a) => `solana:${a}?amount=1.5`],
  ['solana', 'USDT', '1.5', (a) => `solana:${a}?amount=1.5&spl-token=${USDT_SOL}`],
  ['solana', 'USDC', '1.5', (a) => `solana:${a}?amount=1.5&spl-token=${USDC_SOL}`],
];

let server, browser, context;
before(async () => {
  server = await startDevserver(8794);
  browser = await launchBrowser();
  // A sharp screenshot: long EIP-681 URIs make dense codes.
  context = await browser.newContext({ viewport: { width: 480, height: 900 }, deviceScaleFactor: 3 });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [network, currency, amount, expected] of CASES) {
  test(`${currency} on ${network}: the QR decodes to the exact wallet URI`, async () => {
    const payment = await api(server.base, '/api/payments', { network, currency, amount });
    const page = await context.newPage();
    await page.goto(`${server.base}/checkout.html?src=/api/payments/${payment.id}`);
    const qr = page.getByTestId('qr');
    await qr.waitFor();
    assert.equal(await decodeQr(qr), expected(payment.address));
    assert.equal(await page.getByTestId('amount').textContent(), amount);
    assert.equal(await page.getByTestId('currency').textContent(), currency);
    const link = page.getByTestId('wallet-link');
    if (network === 'tron') {
      assert.equal(await link.count(), 0, 'Tron has no URI scheme, so no wallet link');
    } else {
      // The link keeps the canonical (lower-case bech32) text; only the QR is upper-cased.
      const href = await link.getAttribute('href');
      assert.equal(href.toUpperCase(), expected(payment.address).toUpperCase());
      assert.ok(href.includes(payment.address));
    }
    await page.close();
  });
}
