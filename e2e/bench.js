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
const latency = { polling: [], sse: [] };
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
  // From `simulate pay` to the paid screen: polling at the default 3 s, and with SSE push.
  const PAID_RUNS = Number(process.env.BENCH_PAID_RUNS || 10);
  for (const mode of ['polling', 'sse']) {
    for (let i = 0; i < PAID_RUNS; i++) {
      const created = await (await fetch(`${server.base}/api/payments`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ network: 'tron', currency: 'USDT', amount: '25' }),
      })).json();
      const push = mode === 'sse' ? `&events-src=/api/payments/${created.id}/events` : '';
      const page = await browser.newPage();
      await page.goto(`${server.base}/checkout.html?src=/api/payments/${created.id}${push}`);
      await page.locator('svg.pf-qr').waitFor();
      // Start at a random point of the polling cycle, as a real payment would.
      await page.waitForTimeout(Math.floor(Math.random() * 3000));
      const t0 = Date.now();
      await fetch(`${server.base}/api/payments/${created.id}/simulate`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"pay"}',
      });
      await page.locator('[data-status="paid"]').waitFor({ timeout: 10_000 });
      latency[mode].push(Date.now() - t0);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
const fmt = (xs) => xs.map((x) => x.toFixed(1)).join(', ');
console.log(`cold loads: ${RUNS}`);
console.log(`navigation start -> QR in DOM: median ${median(nav).toFixed(1)} ms   [${fmt(nav)}]`);
console.log(`module start     -> QR in DOM: median ${median(fromStart).toFixed(1)} ms   [${fmt(fromStart)}]`);
for (const mode of ['polling', 'sse']) {
  console.log(`simulate pay -> paid screen (${mode.padEnd(7)}): median ${median(latency[mode])} ms   [${latency[mode].join(', ')}]`);
}
