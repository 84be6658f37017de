// `make bench`, browser part: cold loads of the hosted checkout page in headless Chromium.
// For each load: time from navigation start to the QR <svg> in the DOM, and from the wasm
// module starting (the `payform:start` mark) to the QR. Prints the medians.
import { startDevserver, launchBrowser } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const WATCH_QR = `
  new MutationObserver((_, obs) => {
    if (document.querySelector('svg.pf-qr')) { window.__qrAt = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });`;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startDevserver(8792);
const browser = await launchBrowser();
const nav = [], fromStart = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // a fresh cache: every load is cold
    const page = await context.newPage();
    await page.addInitScript(WATCH_QR);
    await page.goto(`${server.base}/checkout.html?src=/api/payments/demo`);
    await page.waitForFunction(() => window.__qrAt !== undefined, null, { timeout: 10_000 });
    const t = await page.evaluate(() => ({
      qr: window.__qrAt,
      start: performance.getEntriesByName('payform:start')[0]?.startTime,
    }));
    nav.push(t.qr);
    fromStart.push(t.qr - t.start);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
const fmt = (xs) => xs.map((x) => x.toFixed(1)).join(', ');
console.log(`cold loads: ${RUNS}`);
console.log(`navigation start -> QR in DOM: median ${median(nav).toFixed(1)} ms   [${fmt(nav)}]`);
console.log(`module start     -> QR in DOM: median ${median(fromStart).toFixed(1)} ms   [${fmt(fromStart)}]`);
