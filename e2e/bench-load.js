// `make bench`, page loads: five stacks measured in the same run, each cold (a fresh browser
// context per load, so an empty HTTP cache), throttled as a phone on Slow 4G and unthrottled.
//   Payform, script-tag embed   examples/element.html (the form in the element's shadow root)
//   ... + preload snippet       bench/element-preload.html: the same page with the merchant
//                               preload snippet of docs/embedding.md ("Load faster")
//   Payform, hosted checkout    checkout.html?src=/api/payments/demo
//   the floor                   bench/counter: a bare Leptos 0.8 counter, the same release
//                               profile, build env and wasm-opt flags as Payform's wasm
//   a plain JS stack            bench/compare: Vue 2.7 + i18next + qrcode (esbuild, minified)
//                               fetching the same payment and showing it with a QR <svg>
// scripts/bench.sh builds the last two into bench/ of its copy of dist/ (target/bench-site/) and
// precompresses them as dist/ is, so the devserver serves every stack brotli-encoded, as a CDN
// would.
//
// Throttled: Network.emulateNetworkConditions as DevTools' "Slow 4G" (150 ms latency,
// 1.6 Mbit/s = 200,000 bytes/s down, 750 kbit/s up) and Emulation.setCPUThrottlingRate 4 (it
// slows the renderer's main thread only; work on other threads, such as streaming wasm
// compilation, is not slowed).
//
// The metric: navigation start (performance.timeOrigin) → the stack's QR painted (the counter:
// its button). "In the DOM" is taken by a MutationObserver on the document and on every shadow
// root the page attaches (Element.prototype.attachShadow is wrapped to observe the new root:
// the element's form lives in one), so no polling loop competes with the page for the
// throttled main thread. "Painted" approximates the paint that follows: one
// requestAnimationFrame, then a 0 ms timeout (the rAF callback runs just before the frame is
// painted; the timeout runs after it). For every stack also first-contentful-paint
// (PerformanceObserver 'paint'). Medians of BENCH_RUNS loads (default 5) per stack and mode,
// the stacks interleaved; one unthrottled warm-up load per stack first, not counted, which also
// records the files the page loads for the bytes table.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { startDevserver, launchBrowser, ROOT } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS || 5);
// What is served: scripts/bench.sh's copy of dist/ with the other stacks under bench/.
const SITE = process.env.BENCH_SITE || 'dist';
const DIST = path.join(ROOT, SITE);
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };
const CPU_RATE = 4;

const STACKS = [
  { key: 'element', name: 'Payform, script-tag embed', url: '/examples/element.html', host: 'pay-form', selector: 'svg.pf-qr',
    // the example page's own event log is not Payform
    furniture: /^\/examples\// },
  { key: 'preload', name: 'Payform, embed + preload snippet', url: '/bench/element-preload/', host: 'pay-form', selector: 'svg.pf-qr' },
  { key: 'checkout', name: 'Payform, hosted checkout', url: '/checkout.html?src=/api/payments/demo', selector: 'svg.pf-qr' },
  { key: 'counter', name: 'floor: Leptos 0.8 counter', url: '/bench/counter/', selector: 'button' },
  { key: 'compare', name: 'Vue 2.7 + i18next + qrcode', url: '/bench/compare/', selector: '.cmp-qr svg' },
];

// Runs in the page before any of its scripts (addInitScript). `selector` is matched in the
// document, or with `host` in the shadow roots of the `host` elements only.
function watch({ host, selector }) {
  const t = { dom: undefined, painted: undefined, fcp: undefined };
  window.__bench = t;
  let done;
  window.__benchDone = new Promise((r) => { done = r; });
  const roots = host ? [] : [document];
  const check = () => {
    if (t.dom !== undefined || !roots.some((r) => r.querySelector(selector))) return;
    t.dom = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); done(); }, 0));
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    if (!host || this.localName === host) {
      roots.push(root);
      if (t.dom === undefined) obs.observe(root, { childList: true, subtree: true });
    }
    return root;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') t.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
}

async function load(browser, base, stack, throttled) {
  const context = await browser.newContext(); // a fresh cache: every load is cold
  try {
    const page = await context.newPage();
    if (throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
    }
    const files = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === base && !u.pathname.startsWith('/api/') && r.resourceType() !== 'document') files.push(u.pathname);
    });
    await page.addInitScript(watch, { host: stack.host ?? null, selector: stack.selector });
    await page.goto(base + stack.url, { timeout: 120_000 });
    await page.evaluate(() => Promise.race([
      window.__benchDone,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no QR within 60 s')), 60_000)),
    ]));
    // The paint entry may be delivered after the frame we waited for: give it up to 2 s.
    const t = await page.evaluate(async () => {
      for (let i = 0; i < 20 && window.__bench.fcp === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      return { ...window.__bench, start: performance.getEntriesByName('payform:start')[0]?.startTime };
    });
    return { ...t, files };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : undefined;
};

/** raw, `gzip -9` (as scripts/bench.sh and the size gate count) and brotli q11 (the .br beside
 *  the file, which the devserver sends, else compressed here) of a served file. */
function sizes(urlPath) {
  let file = path.join(DIST, decodeURIComponent(urlPath));
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
  const data = readFileSync(file);
  const gz = execFileSync('gzip', ['-9c', file], { maxBuffer: 1 << 28 }).length;
  const br = existsSync(`${file}.br`) ? statSync(`${file}.br`).size
    : brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: data.length, gz, br };
}

const server = await startDevserver(Number(process.env.BENCH_PORT || 8793), SITE);
const browser = await launchBrowser();
const results = Object.fromEntries(STACKS.map((s) => [s.key, { files: [], throttled: [], unthrottled: [] }]));
try {
  for (const stack of STACKS) {
    const warm = await load(browser, server.base, stack, false);
    results[stack.key].files = [...new Set(warm.files)].filter((f) => !(stack.furniture && stack.furniture.test(f)));
  }
  for (let i = 0; i < RUNS; i++) {
    for (const throttled of [true, false]) {
      for (const stack of STACKS) {
        results[stack.key][throttled ? 'throttled' : 'unthrottled'].push(await load(browser, server.base, stack, throttled));
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const n = (x, d = 0) => (x === undefined ? '–' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
console.log('\nbytes per file each page loads (the HTML page itself and the payment JSON not counted)');
console.log(`${'stack / file'.padEnd(44)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
for (const stack of STACKS) {
  const r = results[stack.key];
  r.total = { raw: 0, gz: 0, br: 0 };
  console.log(stack.name);
  for (const f of r.files) {
    const s = sizes(f);
    for (const k of ['raw', 'gz', 'br']) r.total[k] += s[k];
    console.log(`  ${f.padEnd(42)} ${n(s.raw).padStart(9)} ${n(s.gz).padStart(9)} ${n(s.br).padStart(9)}`);
  }
  console.log(`  ${'total'.padEnd(42)} ${n(r.total.raw).padStart(9)} ${n(r.total.gz).padStart(9)} ${n(r.total.br).padStart(9)}`);
}

console.log(`\nnavigation start -> QR painted (the counter: its button), median of ${RUNS} cold loads;`);
console.log(`throttled = Slow 4G (150 ms, 1.6 Mbit/s down, 750 kbit/s up) + ${CPU_RATE}x CPU; FCP = first-contentful-paint`);
const ref = median(results.element.throttled.map((t) => t.painted));
const head = ['stack', 'gzip B', 'brotli B', 'throttled', 'unthrottled', 'x element', 'FCP thr.', 'FCP unthr.'];
const w = [28, 9, 9, 10, 12, 10, 9, 11];
const row = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' ');
console.log(row(head));
for (const stack of STACKS) {
  const r = results[stack.key];
  const thr = median(r.throttled.map((t) => t.painted));
  const un = median(r.unthrottled.map((t) => t.painted));
  console.log(row([stack.name, n(r.total.gz), n(r.total.br), `${n(thr)} ms`, `${n(un)} ms`,
    ref ? (thr / ref).toFixed(2) : '–', `${n(median(r.throttled.map((t) => t.fcp)))} ms`,
    `${n(median(r.unthrottled.map((t) => t.fcp)))} ms`]));
}
console.log('\nall loads, painted ms (throttled | unthrottled):');
for (const stack of STACKS) {
  const r = results[stack.key];
  const list = (xs) => xs.map((t) => n(t.painted)).join(', ');
  console.log(`  ${stack.name.padEnd(28)} ${list(r.throttled)} | ${list(r.unthrottled)}`);
}
// The hosted checkout marks `payform:start` when its wasm module has started (js/checkout.js).
const co = results.checkout.unthrottled;
const fromStart = co.filter((t) => t.start !== undefined).map((t) => t.dom - t.start);
console.log(`\nhosted checkout, unthrottled: navigation start -> QR in DOM median ${n(median(co.map((t) => t.dom)), 1)} ms; `
  + `module start -> QR in DOM median ${n(median(fromStart), 1)} ms`);
