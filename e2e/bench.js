// `make bench`, from a payment to the paid screen in headless Chromium: the time from
// `simulate pay` to the paid screen of the hosted checkout, polling and with SSE push. (The
// cold loads, throttled and not, are e2e/bench-load.js.)
import { startDevserver, launchBrowser } from './lib.js';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startDevserver(8792, process.env.BENCH_SITE || 'dist');
const browser = await launchBrowser();
const latency = { polling: [], sse: [] };
try {
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
for (const mode of ['polling', 'sse']) {
  console.log(`simulate pay -> paid screen (${mode.padEnd(7)}): median ${median(latency[mode])} ms   [${latency[mode].join(', ')}]`);
}
