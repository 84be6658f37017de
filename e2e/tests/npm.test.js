// End-to-end, the npm package (issue 18, "installs like Stripe.js"): the packed tarball
// (target/npm/payform-<version>.tgz, scripts/npm.sh) is installed into two fresh apps as a
// merchant would (e2e/npm-apps/), each is built with its bundler and driven in Chromium to paid:
//   - a Vite + React app, <PayForm onPaid> from payform/react: Vite emits the wasm, stylesheet
//     and locale files from the package's literal URLs, and the form reaches paid from them;
//   - a server-rendered React app (Vite SSR build + a Node server): every entry imports on the
//     server, loadPayform() is null there, the HTML carries <pay-form>, the browser hydrates it
//     without a mismatch and reaches paid, in German from the bundled locale file;
//   - the type test: tsc (strict) over a TSX file with <PayForm onPaid={…}> and <pay-form>, and
//     Vue's GlobalComponents, against the package's declarations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { startDevserver, launchBrowser, api, ROOT } from '../lib.js';

const version = /^version = "([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const TARBALL = path.join(ROOT, `target/npm/payform-${version}.tgz`);
const APPS = path.join(ROOT, 'target/npm-apps');

/** A fresh copy of e2e/npm-apps/<name> depending on the tarball, installed and built. */
function prepare(name) {
  const dir = path.join(APPS, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'e2e/npm-apps', name), dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('PAYFORM_TARBALL', TARBALL));
  const run = (...args) => execFileSync('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  run('install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error');
  run('run', 'build', '--silent');
  return dir;
}

let browser;
before(async () => {
  assert.ok(existsSync(TARBALL), `${TARBALL} is missing: run bash scripts/npm.sh after make build`);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

async function newPage() {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.requested = [];
  page.on('request', (r) => page.requested.push(new URL(r.url()).pathname));
  return page;
}

const logLines = (page) => page.locator('#log li').allTextContents();

test('the packed package has its files, one version, and no file outside its list', () => {
  const listing = execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of ['package.json', 'payform.js', 'payform_embed_bg.wasm', 'payform_rails.wasm', 'payform.css',
    'payform.d.ts', 'loader.js', 'loader.d.ts', 'react.js', 'react.d.ts', 'vue.d.ts', 'custom-elements.json',
    'integrity.json', 'locales/de.json', 'presets/btcpay.json', 'LICENSE', 'README.md']) {
    assert.ok(listing.includes(`package/${file}`), `${file} in the tarball`);
  }
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', TARBALL, 'package/package.json'], { encoding: 'utf8' }));
  assert.equal(pkg.version, version, 'the version is Cargo.toml\'s');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports['.'], { types: './payform.d.ts', import: './payform.js', default: './payform.js' });
  assert.deepEqual(pkg.sideEffects, ['./payform.js']);
  assert.equal(pkg.customElements, 'custom-elements.json');
  // Nothing outside `files` (npm adds package.json, README and LICENSE by itself).
  const listed = (file) => ['package.json', 'README.md', 'LICENSE'].includes(file)
    || pkg.files.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
  const outside = listing.map((f) => f.replace(/^package\//, '')).filter((f) => !listed(f));
  assert.deepEqual(outside, [], 'files in the tarball that package.json does not list');
  assert.ok(!listing.includes('package/locales/en.json'), 'English is compiled in, not shipped');
  const react = execFileSync('tar', ['-xzOf', TARBALL, 'package/react.js'], { encoding: 'utf8' });
  assert.match(react, /^'use client';/, 'the React wrapper is a client component');
});

test('a fresh Vite + React app built from the tarball reaches paid; Vite emitted the wasm, CSS and locale files', async () => {
  const dir = prepare('vite');
  const emitted = readdirSync(path.join(dir, 'dist/assets'));
  for (const pattern of [/^payform_embed_bg-.*\.wasm$/, /^payform-.*\.css$/, /^de-.*\.json$/]) {
    assert.ok(emitted.some((f) => pattern.test(f)), `Vite emitted ${pattern}: ${emitted.join(', ')}`);
  }
  const server = await startDevserver(8860, path.relative(ROOT, path.join(dir, 'dist')));
  try {
    const { id } = await api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
    const page = await newPage();
    await page.goto(`${server.base}/index.html?pay=${id}`);
    await page.locator('pay-form [data-testid="qr"]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('pay-form [data-testid="amount"]').first().textContent(), /25/);
    await api(server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
    await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent.startsWith('paid')), null, { timeout: 30_000 });
    await page.waitForTimeout(1500); // a second paid would arrive with the next poll
    const lines = await logLines(page);
    assert.deepEqual(lines.filter((l) => l.startsWith('paid')), [`paid ${id}`], 'onPaid exactly once (React StrictMode)');
    assert.deepEqual(lines.filter((l) => l.startsWith('ready')), [`ready ${id}`]);
    assert.ok(page.requested.some((p) => /^\/assets\/payform_embed_bg-.*\.wasm$/.test(p)), 'the wasm came from Vite\'s emitted file');
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await server.stop();
  }
});

test('loadPayform() in the Vite app: a failed wasm rejects with load_failed and payform:error on document; the next call loads and pays', async () => {
  const dir = path.join(APPS, 'vite');
  assert.ok(existsSync(path.join(dir, 'dist/loader.html')), 'run after the Vite app test');
  const server = await startDevserver(8863, path.relative(ROOT, path.join(dir, 'dist')));
  try {
    const { id } = await api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
    const page = await newPage();
    let failing = true;
    await page.route('**/assets/payform_embed_bg-*.wasm', (route) => (failing
      ? route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>not the wasm</h1>' })
      : route.continue()));
    await page.goto(`${server.base}/loader.html?pay=${id}`);
    await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent.startsWith('rejected')));
    let lines = await logLines(page);
    assert.ok(lines.some((l) => /^rejected load_failed: .*served as "text\/html".*application\/wasm/.test(l)), lines.join(' | '));
    assert.deepEqual(lines.filter((l) => l.startsWith('document payform:error')), ['document payform:error load_failed']);
    failing = false;
    await page.evaluate(() => window.tryAgain());
    await page.locator('#pay [data-testid="qr"]').waitFor({ timeout: 30_000 });
    await api(server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
    await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent.startsWith('paid')), null, { timeout: 30_000 })
      .catch(async (error) => { throw new Error(`${error.message}\nlog: ${(await logLines(page)).join(' | ')}\nform: ${await page.locator('#pay').innerText()}`); });
    lines = await logLines(page);
    assert.ok(lines.includes(`loaded ${version}`), lines.join(' | '));
    assert.deepEqual(lines.filter((l) => l.startsWith('paid')), [`paid ${id}`]);
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await server.stop();
  }
});

test('the type test: tsc compiles <PayForm onPaid={…}>, <pay-form>, loadPayform and Vue\'s typings from the tarball', () => {
  const dir = path.join(APPS, 'vite');
  assert.ok(existsSync(path.join(dir, 'node_modules/payform')), 'run after the Vite app test');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir, stdio: 'inherit', timeout: 300_000 });
  // And the compiler does catch a wrong handler: the same file without its @ts-expect-error fails.
  const broken = readFileSync(path.join(dir, 'types.tsx'), 'utf8').replace('{/* @ts-expect-error: not an event of the form */}', '');
  writeFileSync(path.join(dir, 'broken.tsx'), broken);
  writeFileSync(path.join(dir, 'tsconfig.broken.json'), JSON.stringify({ extends: './tsconfig.json', files: ['broken.tsx'] }));
  assert.throws(() => execFileSync('npx', ['tsc', '-p', 'tsconfig.broken.json'], { cwd: dir, stdio: 'pipe', timeout: 300_000 }),
    (error) => /onPayed/.test(String(error.stdout)));
});

test('a server-rendered app: the entries import on the server, <pay-form> is in the HTML, hydration is clean, paid in German', async () => {
  const dir = prepare('ssr');
  const server = await startDevserver(8861);
  const app = spawn(process.execPath, ['server.js'], {
    cwd: dir, env: { ...process.env, PORT: '8862', PAYFORM_API: server.base }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise((resolve, reject) => {
      app.stdout.on('data', (chunk) => String(chunk).includes('ssr app on') && resolve());
      app.on('exit', (code) => reject(new Error(`the SSR server exited with ${code}`)));
    });
    const base = 'http://127.0.0.1:8862';
    const { id } = await api(server.base, '/api/payments', { network: 'bitcoin', currency: 'BTC', amount: '0.0005' });
    const html = await (await fetch(`${base}/?pay=${id}`)).text();
    assert.match(html, new RegExp(`<pay-form src="/api/payments/${id}" poll-interval="1000" lang="de" id="form">`), 'the server rendered the element');
    assert.match(html, /server loadPayform: null/, 'loadPayform() resolves null on the server');
    const page = await newPage();
    await page.goto(`${base}/?pay=${id}`);
    await page.locator('pay-form [data-testid="qr"]').waitFor({ timeout: 30_000 });
    await page.locator('pay-form [data-testid="payform"][lang="de"]').waitFor({ timeout: 10_000 });
    assert.ok(page.requested.some((p) => /^\/assets\/de-.*\.json$/.test(p)), 'the German locale came from the bundled file');
    await api(server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
    await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent.startsWith('paid')), null, { timeout: 30_000 });
    await page.waitForTimeout(1500);
    const lines = await logLines(page);
    assert.deepEqual(lines.filter((l) => l.startsWith('paid')), [`paid ${id}`]);
    assert.ok(lines.includes(`loadPayform ${version}`), lines.join(' | '));
    assert.deepEqual(lines.filter((l) => l.startsWith('hydration')), [], 'no hydration mismatch');
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    app.kill();
    await server.stop();
  }
});
