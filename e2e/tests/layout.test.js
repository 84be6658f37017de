// Layout, mobile first: on a 360 × 740 phone the amount and the whole QR are above the fold,
// in the order amount → network → address → QR, with nothing wider than the screen; the same
// order holds on a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchBrowser } from '../lib.js';
import { paymentIn, checkoutUrl } from '../screens.js';

let server, browser;
before(async () => {
  server = await startDevserver(8804);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [width, height] of [[320, 640], [360, 740], [1280, 800]]) {
  test(`${width} × ${height}: amount → network → address → QR, amount and QR above the fold`, async () => {
    // The busiest pay screen: options to pick from, fiat, description, network warning.
    const { id } = await paymentIn(server.base, 'awaiting_payment');
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(checkoutUrl(server.base, id));
    await page.getByTestId('qr').waitFor();
    const box = async (testid) => page.getByTestId(testid).boundingBox();
    const [amount, network, address, qr] = [await box('amount'), await box('network'), await box('address'), await box('qr')];
    assert.ok(amount.y < network.y && network.y < address.y && address.y < qr.y, 'reading order');
    if (width < 1000) {
      assert.ok(qr.y + qr.height <= height, `QR bottom ${qr.y + qr.height} within the first ${height} px`);
    }
    assert.ok(qr.width >= 160, `QR is ${qr.width} px wide: big enough to scan`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    await page.close();
  });
}
