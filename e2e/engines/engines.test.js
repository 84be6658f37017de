// End-to-end, the core flows in the other engines: Firefox ESR (geckodriver, headless) and
// WebKitGTK (WebKitWebDriver driving MiniBrowser under Xvfb), through WebDriver (selenium-webdriver),
// against the release files in dist/ served by the devserver. Chromium runs the same flows (and
// many more) in e2e/tests/ with Playwright.
//
// Each flow, in each engine:
//   hosted checkout  checkout.html (strict CSP) inline in an iframe of pages/frame.html, opened
//                    by Payform.openCheckout as a shop would;
//   element          <pay-form> on pages/element.html, the form in its open shadow root;
//   endings          <pay-form> with a Bitcoin payment and a Lightning invoice: the unified BIP-321
//                    QR decodes; expired, then paid after the deadline: late once, paid once;
//   bank             <pay-form> with a SEPA transfer: payform_rails.wasm loads, the EPC QR decodes
//                    byte for byte to the payload e2e/bank-payloads.js builds; paid once;
//   wallet           <pay-form network-mode="test"> with a Sepolia ETH payment on a devserver
//                    watching a real anvil node (e2e/chain.js, --chain-rpc), on pages/wallet.html,
//                    whose page-side wallet (pages/wallet.js) announces "Engine Wallet" by
//                    EIP-6963 and forwards eth_sendTransaction to anvil (its unlocked first
//                    account): "Pay with Engine Wallet" with its icon, the wallet module
//                    (payform-wallet.js) loaded, the real transaction sent, then paid from the
//                    devserver's watch of the chain: payform:submitted once, payform:paid once.
// What is checked: the form is shown with the payment's amount and address; the QR code, as a
// screenshot of its element taken by the engine, decodes (jsQR) to the payment's address;
// after a simulated payment the paid screen is shown and payform:paid reached the shop page
// exactly once (for the checkout: also exactly once inside the checkout, and once re-emitted by
// openCheckout), with no payform:error; and no JavaScript errors.
//
// "No JavaScript errors": in both engines, pages/record.js records uncaught errors (also failed
// script loads), unhandled rejections, console.error calls and CSP violations, in the shop page
// and, hooked by pages/frame.js before the form starts, inside the checkout's iframe (the test
// fails if that hook came too late to see the form's first event). In Firefox, WebDriver BiDi
// (log.entryAdded) also reports every console error and uncaught exception of every frame from
// the first script on. WebKitGTK 2.50's driver has no BiDi and MiniBrowser under automation does
// not write console messages out, so WebKit relies on record.js alone.
//
// The drivers, the browsers and Xvfb are started and stopped here (their output goes to
// target/engines-<engine>.log); every wait is bounded.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Builder, Browser } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import LogInspector from 'selenium-webdriver/bidi/logInspector.js';
import { PNG } from 'pngjs';
import { startDevserver, api, decodeQr, decodeQrBytes, count, ROOT } from '../lib.js';
import { expectedPayload } from '../bank-payloads.js';
import { startChain, SEPOLIA_CHAIN_ID } from '../chain.js';

const PAGES = path.join(ROOT, 'e2e/engines/pages');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const SHOWN_MS = 30_000; // page load, wasm, first fetch: the first page in a cold browser is the slowest
const PAID_MS = 15_000;
// The wallet flow's anvil node and the devserver watching it, per engine.
const WALLET_PORTS = { firefox: { chain: 8880, server: 8881 }, webkit: { chain: 8882, server: 8883 } };

// --- processes --------------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => { for (const child of children) killTree(child, 'SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1)); // runs the line above

/** Kills a child started with `detached` (its own process group: the driver and its browser). */
function killTree(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/** Starts `cmd` in its own process group, output appended to `log`. */
function start(cmd, args, log, { env = process.env, extraFds = [] } = {}) {
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', fd, fd, ...extraFds] });
  fs.closeSync(fd);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stop(child, what) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  killTree(child, 'SIGTERM');
  if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) {
    killTree(child, 'SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
    console.log(`# ${what} did not stop on SIGTERM; killed`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
function bounded(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

function which(name, extra = []) {
  for (const dir of [...(process.env.PATH || '').split(':'), ...extra]) {
    const file = path.join(dir, name);
    try { fs.accessSync(file, fs.constants.X_OK); return file; } catch { /* next */ }
  }
  return null;
}

const setupHint = 'run `bash scripts/setup.sh test` (or `make test`), which installs it';
function need(file, what) {
  if (!file || !fs.existsSync(file)) throw new Error(`${what} not found${file ? ` at ${file}` : ''}: ${setupHint}`);
  return file;
}

/** Waits until a WebDriver server answers /status (or its process dies). */
async function waitForDriver(url, child, what, log) {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}; see ${log}`);
    try { if ((await fetch(`${url}/status`, { signal: AbortSignal.timeout(1_000) })).ok) return; } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`${what} did not answer on ${url} within 20 s; see ${log}`);
}

// --- the engines ------------------------------------------------------------------------------

/** Firefox ESR through geckodriver, headless, with a BiDi log of console errors and exceptions. */
async function startFirefox(log) {
  const geckodriver = need(which('geckodriver', [path.join(os.homedir(), '.cargo/bin')]), 'geckodriver');
  need(FIREFOX, 'Firefox ESR (apt firefox-esr)');
  const [port, bidiPort] = [await freePort(), await freePort()];
  const driverProcess = start(geckodriver, ['--port', String(port), '--websocket-port', String(bidiPort), '--binary', FIREFOX], log);
  const url = `http://127.0.0.1:${port}`;
  await waitForDriver(url, driverProcess, 'geckodriver', log);
  const options = new firefox.Options().setBinary(FIREFOX).addArguments('-headless', '--width=1280', '--height=1024').enableBidi();
  const driver = await bounded(new Builder().disableEnvironmentOverrides().usingServer(url)
    .forBrowser(Browser.FIREFOX).setFirefoxOptions(options).build(), 60_000, 'starting a Firefox session');
  const logged = [];
  const inspector = await bounded(LogInspector(driver), 10_000, 'Firefox BiDi log');
  await inspector.onConsoleEntry((e) => { if (e.level === 'error') logged.push(`console.error ${e.text}`); });
  await inspector.onJavascriptException((e) => logged.push(`uncaught ${e.text}`));
  return { driver, logged, processes: [driverProcess] };
}

/** WebKitGTK: WebKitWebDriver launching MiniBrowser (no headless mode) on a fresh Xvfb display. */
async function startWebKit(log) {
  const webkitDriver = need(which('WebKitWebDriver'), 'WebKitWebDriver (apt webkit2gtk-driver)');
  const miniBrowser = need(process.env.MINIBROWSER || ['/usr/lib', '/usr/libexec']
    .flatMap((d) => [path.join(d, 'webkit2gtk-4.1/MiniBrowser'),
      ...fs.readdirSync(d).map((arch) => path.join(d, arch, 'webkit2gtk-4.1/MiniBrowser'))])
    .find((f) => fs.existsSync(f)), 'MiniBrowser (apt webkit2gtk-driver)');
  const xvfbBinary = need(which('Xvfb'), 'Xvfb (apt xvfb)');
  // -displayfd: Xvfb picks a free display itself and writes its number to fd 3.
  const xvfb = start(xvfbBinary, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], log, { extraFds: ['pipe'] });
  const processes = [xvfb];
  try {
    let text = '';
    const display = await bounded(new Promise((resolve, reject) => {
      xvfb.stdio[3].on('data', (d) => { text += d; if (text.includes('\n')) resolve(text.trim()); });
      xvfb.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}; see ${log}`)));
    }), 10_000, 'Xvfb');
    const port = await freePort();
    const driverProcess = start(webkitDriver, [`--port=${port}`], log, { env: { ...process.env, DISPLAY: `:${display}` } });
    processes.unshift(driverProcess);
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url, driverProcess, 'WebKitWebDriver', log);
    const driver = await bounded(new Builder().disableEnvironmentOverrides().usingServer(url).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
    }).build(), 60_000, 'starting a WebKit (MiniBrowser) session');
    await bounded(driver.manage().window().setRect({ x: 0, y: 0, width: 1280, height: 1024 }), 10_000, 'sizing the window').catch(() => {});
    return { driver, logged: null, processes };
  } catch (e) {
    for (const child of processes) await stop(child, 'WebKit');
    throw e;
  }
}

const ENGINES = { firefox: startFirefox, webkit: startWebKit };

// --- the flows --------------------------------------------------------------------------------

let server, staticRoot;
before(async () => {
  // The devserver serves one folder: a copy of dist/ with the test pages in engines/.
  const dist = path.join(ROOT, 'dist');
  need(path.join(dist, 'checkout.html'), 'dist/checkout.html (make build)');
  staticRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'payform-engines-'));
  fs.cpSync(dist, staticRoot, { recursive: true });
  fs.cpSync(PAGES, path.join(staticRoot, 'engines'), { recursive: true });
  server = await startDevserver(await freePort(), path.relative(ROOT, staticRoot));
});
after(async () => {
  await server?.stop();
  if (staticRoot) fs.rmSync(staticRoot, { recursive: true, force: true });
});

const create = () => api(server.base, '/api/payments', { network: 'tron', currency: 'USDT', amount: '25' });
const pay = (id) => api(server.base, `/api/payments/${id}/simulate`, { action: 'pay' });
const simulate = (id, action) => api(server.base, `/api/payments/${id}/simulate`, { action });

for (const [engine, startEngine] of Object.entries(ENGINES)) {
  describe(engine, { timeout: 240_000 }, () => {
    const log = path.join(ROOT, `target/engines-${engine}.log`);
    let session;
    before(async () => {
      fs.mkdirSync(path.dirname(log), { recursive: true });
      fs.writeFileSync(log, '');
      session = await startEngine(log);
      await session.driver.manage().setTimeouts({ implicit: 0, pageLoad: 30_000, script: 30_000 });
    });
    after(async () => {
      if (!session) return;
      await bounded(session.driver.quit(), 15_000, `${engine}: quit`).catch((e) => console.log(`# ${e.message}`));
      for (const child of session.processes) await stop(child, engine);
    });

    /** Waits for `script` (a function body run in the page) to return something truthy; on a
     * timeout, the message adds what the page shows and the errors recorded so far. */
    async function waitFor(script, ms, message) {
      try {
        return await session.driver.wait(() => session.driver.executeScript(script), ms);
      } catch (e) {
        const seen = await bounded(session.driver.executeScript(`const f = (d) => d?.body?.innerText?.trim().slice(0, 300);
          const form = document.querySelector('pay-form')?.shadowRoot;
          return { shows: f(document) || '', form: form ? form.textContent.trim().slice(0, 300) : undefined, errors: top.__errors }`),
        5_000, 'reading the page').catch((e2) => ({ unreadable: e2.message }));
        const bidi = session.logged?.length ? `; BiDi log: ${JSON.stringify(session.logged)}` : '';
        throw new Error(`${engine}: ${message} (${e.name}: ${e.message.split('\n')[0]}); the page: ${JSON.stringify(seen)}${bidi}; driver log: target/engines-${engine}.log`);
      }
    }

    /** The form under `root` (a JS expression) is shown with the payment, and its QR decodes. */
    async function checkShown(p, root, inFrame = false) {
      const qr = await waitFor(`return ${root}?.querySelector('[data-testid=qr]')`, SHOWN_MS,
        `no QR code within ${SHOWN_MS / 1000} s`);
      const shown = await session.driver.executeScript(`const root = ${root};
        const q = (s) => root.querySelector(s), form = q('[data-testid=payform]'), box = form?.getBoundingClientRect();
        return { width: box?.width, height: box?.height, visibility: form && getComputedStyle(form).visibility,
          status: q('[data-testid=status]')?.getAttribute('data-status'),
          amount: q('[data-testid=amount]')?.textContent.trim(),
          address: q('[data-testid=address]')?.getAttribute('data-address') }`);
      assert.ok(shown.width > 200 && shown.height > 200 && shown.visibility === 'visible',
        `${engine}: the form is not shown: ${JSON.stringify(shown)}`);
      assert.equal(shown.status, 'awaiting_payment', `${engine}: status`);
      assert.equal(shown.amount, '25', `${engine}: amount`);
      assert.equal(shown.address, p.address, `${engine}: address`);
      assert.ok(await qr.isDisplayed(), `${engine}: the QR code is not displayed`);
      // WebKitGTK's element screenshot is offset inside an iframe (half the QR comes out black):
      // there, the QR is cut out of the viewport's screenshot instead.
      const shot = engine === 'webkit' && inFrame ? () => viewportCut(qr) : async () => Buffer.from(await qr.takeScreenshot(), 'base64');
      const decoded = await decodeQr({ screenshot: shot });
      assert.equal(decoded, p.address, `${engine}: the QR code decodes to the payment's address`);
    }

    /** A PNG of `element` (in the current frame) cut out of a screenshot of the whole viewport. */
    async function viewportCut(element) {
      const box = await session.driver.executeScript(`const el = arguments[0];
        for (let w = window; w.frameElement; w = w.parent) w.frameElement.scrollIntoView({ block: 'center' });
        el.scrollIntoView({ block: 'center' });
        let { x, y, width, height } = el.getBoundingClientRect();
        for (let w = window; w.frameElement; w = w.parent) {
          const f = w.frameElement, r = f.getBoundingClientRect();
          x += r.x + f.clientLeft; y += r.y + f.clientTop;
        }
        return { x, y, width, height, scale: top.devicePixelRatio }`, element);
      const page = PNG.sync.read(Buffer.from(await session.driver.takeScreenshot(), 'base64'));
      const [x, y] = [Math.round(box.x * box.scale), Math.round(box.y * box.scale)];
      const [w, h] = [Math.round(box.width * box.scale), Math.round(box.height * box.scale)];
      assert.ok(x >= 0 && y >= 0 && x + w <= page.width && y + h <= page.height,
        `${engine}: the QR code (${JSON.stringify(box)}) is not inside the ${page.width}x${page.height} screenshot`);
      const cut = new PNG({ width: w, height: h });
      PNG.bitblt(page, cut, x, y, w, h, 0, 0);
      return PNG.sync.write(cut);
    }

    async function payAndSeePaid(p, root) {
      await pay(p.id);
      await waitFor(`return ${root}?.querySelector('[data-testid=status]')?.getAttribute('data-status') === 'paid'`,
        PAID_MS, `the paid screen was not shown within ${PAID_MS / 1000} s of the payment`);
      await sleep(1_000); // several polls (every 300 ms) after paid: no second payform:paid
    }

    /** What record.js saw, plus the BiDi log (Firefox), since `mark`. */
    async function records(mark) {
      await session.driver.switchTo().defaultContent();
      const seen = await session.driver.executeScript('return { errors: window.__errors, events: window.__events }');
      const errors = [...seen.errors, ...(session.logged?.slice(mark) ?? []).map((e) => `BiDi log: ${e}`)];
      return { errors, events: seen.events };
    }

    function checkPaidOnce(events, where, p) {
      const mine = events.filter((e) => e.where === where);
      assert.equal(count(mine, 'payform:paid'), 1, `${engine}: payform:paid in the ${where} ${count(mine, 'payform:paid')} times: ${JSON.stringify(mine.map((e) => e.type))}`);
      assert.equal(mine.find((e) => e.type === 'payform:paid').detail?.payment?.id, p.id, `${engine}: payform:paid is for the payment`);
      assert.equal(count(mine, 'payform:error'), 0, `${engine}: payform:error in the ${where}: ${JSON.stringify(mine.filter((e) => e.type === 'payform:error').map((e) => e.detail))}`);
    }

    test('hosted checkout (iframe, strict CSP): shown, QR decoded, paid once, no JavaScript errors', { timeout: 90_000 }, async () => {
      const { driver } = session;
      const mark = session.logged?.length ?? 0;
      const p = await create();
      await driver.get(`${server.base}/engines/frame.html?src=/api/payments/${p.id}`);
      const frame = await waitFor("return document.querySelector('#form iframe.payform-frame')", SHOWN_MS, 'openCheckout made no iframe');
      await driver.switchTo().frame(frame);
      await checkShown(p, 'document', true);
      await payAndSeePaid(p, 'document');
      const { errors, events } = await records(mark);
      assert.deepEqual(errors, [], `${engine}: JavaScript errors in the shop page or the checkout`);
      assert.equal(count(events.filter((e) => e.where === 'checkout'), 'payform:ready'), 1,
        `${engine}: the recorders reached the checkout's window too late (no payform:ready seen there), so its errors were not all watched`);
      checkPaidOnce(events, 'checkout', p); // inside the checkout
      checkPaidOnce(events, 'page', p); // re-emitted by openCheckout on the shop page
    });

    test('<pay-form> element (shadow root): shown, QR decoded, paid once, no JavaScript errors', { timeout: 90_000 }, async () => {
      const { driver } = session;
      const mark = session.logged?.length ?? 0;
      const p = await create();
      await driver.get(`${server.base}/engines/element.html?src=/api/payments/${p.id}`);
      const root = "document.querySelector('pay-form').shadowRoot";
      await waitFor(`return ${root} !== null`, SHOWN_MS, '<pay-form> has no open shadow root');
      await checkShown(p, root);
      await payAndSeePaid(p, root);
      const { errors, events } = await records(mark);
      assert.deepEqual(errors, [], `${engine}: JavaScript errors in the page`);
      assert.equal(count(events, 'payform:ready'), 1, `${engine}: payform:ready`);
      checkPaidOnce(events, 'page', p);
      assert.equal(await driver.executeScript("return document.querySelector('pay-form').shadowRoot.querySelector('[data-testid=qr]')"), null,
        `${engine}: no QR code once paid`);
    });

    test('<pay-form>: Bitcoin + Lightning in one BIP-321 QR; paid after the deadline: late once, paid once', { timeout: 120_000 }, async () => {
      const { driver } = session;
      const mark = session.logged?.length ?? 0;
      const p = await api(server.base, '/api/payments', { network: 'bitcoin', currency: 'BTC', amount: '0.0025', lightning: true });
      await driver.get(`${server.base}/engines/element.html?src=/api/payments/${p.id}`);
      const root = "document.querySelector('pay-form').shadowRoot";
      const qr = await waitFor(`return ${root}?.querySelector('[data-testid=qr]')`, SHOWN_MS, `no QR code within ${SHOWN_MS / 1000} s`);
      // This QR holds the address and the invoice (about 330 characters: 3 CSS px per module at
      // 240 px). A phone's screen has 2 to 3 device pixels per CSS pixel; these screenshots have
      // 1, so the code is drawn at twice the size first, as a phone's camera would see it.
      await driver.executeScript('arguments[0].style.width = "480px"', qr);
      // Drawn at the new size before the screenshot (under load WebKit once shot it mid-layout).
      await driver.executeAsyncScript('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));');
      // WebKitGTK's element screenshot of a QR below the fold comes out black: there, it is cut
      // out of the viewport's screenshot once scrolled into view.
      const shot = engine === 'webkit' ? () => viewportCut(qr) : async () => Buffer.from(await qr.takeScreenshot(), 'base64');
      const decoded = await decodeQr({ screenshot: shot });
      assert.equal(decoded, `bitcoin:${p.address.toUpperCase()}?amount=0.0025&lightning=${p.lightning.toUpperCase()}`,
        `${engine}: the unified QR`);
      await simulate(p.id, 'expire');
      await waitFor(`return ${root}.querySelector('[data-testid=status]')?.getAttribute('data-status') === 'expired'`,
        PAID_MS, 'the expired screen');
      await simulate(p.id, 'pay_late');
      // After expiry the form asks every 15 s ± 25 %.
      await waitFor(`return ${root}.querySelector('[data-testid=late]') && ${root}.querySelector('[data-testid=status]')?.getAttribute('data-status') === 'paid'`,
        25_000, 'the late paid screen');
      await sleep(1_000);
      const { errors, events } = await records(mark);
      assert.deepEqual(errors, [], `${engine}: JavaScript errors in the page`);
      assert.equal(count(events, 'payform:expired'), 1, `${engine}: payform:expired`);
      assert.equal(count(events, 'payform:late'), 1, `${engine}: payform:late`);
      checkPaidOnce(events, 'page', p);
    });

    test('<pay-form>: a SEPA transfer, its EPC QR byte for byte; paid once, no JavaScript errors', { timeout: 90_000 }, async () => {
      const { driver } = session;
      const mark = session.logged?.length ?? 0;
      // A name outside ASCII: the code is UTF-8 (EPC character set 1), compared as bytes.
      const p = await api(server.base, '/api/payments', { network: 'sepa_epc', currency: 'EUR', amount: '25', beneficiary: 'Müller & Söhne GmbH' });
      await driver.get(`${server.base}/engines/element.html?src=/api/payments/${p.id}`);
      const root = "document.querySelector('pay-form').shadowRoot";
      const qr = await waitFor(`return ${root}?.querySelector('[data-testid=qr]')`, SHOWN_MS, `no QR code within ${SHOWN_MS / 1000} s`);
      const shown = await driver.executeScript(`const q = (s) => ${root}.querySelector(s);
        return { status: q('[data-testid=status]')?.getAttribute('data-status'),
          amount: q('[data-testid=amount]')?.getAttribute('data-amount'),
          beneficiary: q('[data-testid=beneficiary]')?.textContent, iban: q('[data-testid=bank-account]')?.textContent,
          bic: q('[data-testid=bic]')?.textContent, reference: q('[data-testid=reference]')?.textContent }`);
      assert.deepEqual(shown, {
        status: 'awaiting_payment', amount: '25.00', beneficiary: p.beneficiary,
        iban: p.address.replace(/(.{4})(?!$)/g, '$1 '), bic: p.bic, reference: p.reference.replace(/(.{4})(?!$)/g, '$1 '),
      }, `${engine}: the bank details`);
      // As for the unified QR: WebKitGTK's element screenshot below the fold comes out black.
      const shot = engine === 'webkit' ? () => viewportCut(qr) : async () => Buffer.from(await qr.takeScreenshot(), 'base64');
      const code = await decodeQrBytes({ screenshot: shot });
      assert.equal(code.text, expectedPayload(p), `${engine}: the EPC QR's bytes`);
      assert.ok(code.version <= 13, `${engine}: QR version ${code.version}, at most 13 for an EPC code`);
      await payAndSeePaid(p, root);
      const { errors, events } = await records(mark);
      assert.deepEqual(errors, [], `${engine}: JavaScript errors in the page`);
      assert.deepEqual(events.filter((e) => e.type === 'payform:status').map((e) => e.detail?.status), ['awaiting_payment', 'paid'], `${engine}: statuses`);
      checkPaidOnce(events, 'page', p);
    });

    test('<pay-form> wallet: "Pay with Engine Wallet" (EIP-6963), a real Sepolia ETH transaction on anvil, submitted once, paid once', { timeout: 120_000 }, async () => {
      const { driver } = session;
      const mark = session.logged?.length ?? 0;
      const ports = WALLET_PORTS[engine];
      // anvil answering as Sepolia, each transaction mined at once, and a devserver watching it
      // that serves the same files.
      const chain = await startChain({ port: ports.chain, chainId: SEPOLIA_CHAIN_ID });
      let watching;
      try {
        watching = await startDevserver(ports.server, path.relative(ROOT, staticRoot),
          ['--chain-rpc', chain.rpcUrl, '--chain-poll-ms', '100']);
        const payer = chain.accounts[0].address;
        // One confirmation: the block that mines the transaction settles the payment.
        const p = await api(watching.base, '/api/payments',
          { network: 'sepolia', currency: 'ETH', amount: '0.01', confirmations_required: 1 });
        assert.equal(p.network, 'sepolia');
        assert.equal(await chain.balance(p.address), 0n, `${engine}: the payee's balance before`);
        await driver.get(`${watching.base}/engines/wallet.html?src=/api/payments/${p.id}`);
        const root = "document.querySelector('pay-form').shadowRoot";
        await waitFor(`return ${root} !== null`, SHOWN_MS, '<pay-form> has no open shadow root');
        await waitFor(`return ${root}?.querySelector('[data-testid=qr]')`, SHOWN_MS, `no QR code within ${SHOWN_MS / 1000} s`);
        const shown = await driver.executeScript(`const q = (s) => ${root}.querySelector(s);
          return { status: q('[data-testid=status]')?.getAttribute('data-status'),
            address: q('[data-testid=address]')?.getAttribute('data-address'),
            banner: Boolean(q('[data-testid=test-banner]')) }`);
        assert.deepEqual(shown, { status: 'awaiting_payment', address: p.address, banner: true },
          `${engine}: the test-mode form with the payment`);

        // The button, drawn by the wallet module once the page's wallet announced itself.
        const button = await waitFor(`const b = ${root}.querySelector('[data-testid=wallet-pay]');
          return b && !b.closest('[hidden]') && b.textContent.includes('Engine Wallet') ? b : null`,
        SHOWN_MS, 'no "Pay with Engine Wallet" button');
        const drawn = await driver.executeScript(`const b = arguments[0], img = b.querySelector('img.pf-wallet-icon'), box = b.getBoundingClientRect();
          return { buttons: ${root}.querySelectorAll('[data-testid=wallet-pay]').length, text: b.textContent.trim(),
            wallet: b.getAttribute('data-wallet'), icon: img && { src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0, shown: img.getBoundingClientRect().width > 0 },
            visible: box.width > 0 && box.height > 0 && getComputedStyle(b).visibility === 'visible',
            module: performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === '/payform-wallet.js') }`, button);
        assert.deepEqual(drawn, {
          buttons: 1, text: 'Pay with Engine Wallet', wallet: await driver.executeScript('return window.__walletInfo.uuid'),
          icon: { src: await driver.executeScript('return window.__walletInfo.icon'), loaded: true, shown: true },
          visible: true, module: true,
        }, `${engine}: the wallet button, its icon, and payform-wallet.js fetched`);

        await button.click();
        // "Sent" with the hash (the paid screen that follows has no wallet line any more).
        const sentHash = await waitFor(`return ${root}.querySelector('[data-testid=wallet-state][data-state=sent] [data-testid=wallet-hash]')?.textContent`,
          PAID_MS, 'the wallet line did not say "sent" with the hash');
        await waitFor(`return ${root}.querySelector('[data-testid=status]')?.getAttribute('data-status') === 'paid'`,
          PAID_MS, `the paid screen was not shown within ${PAID_MS / 1000} s of the transaction`);
        await sleep(1_000); // several polls (every 300 ms) after paid: no second payform:paid

        // Paid from the chain: the devserver recorded the real transaction, from anvil's first
        // account to the payee, for exactly what was due.
        const paid = await (await fetch(`${watching.base}/api/payments/${p.id}`)).json();
        assert.equal(paid.status, 'paid', `${engine}: the devserver's status`);
        assert.equal(paid.txids?.length, 1, `${engine}: one transaction: ${JSON.stringify(paid.txids)}`);
        const tx = await chain.rpc('eth_getTransactionByHash', [paid.txids[0]]);
        assert.equal(tx.from.toLowerCase(), payer.toLowerCase(), `${engine}: sent from anvil's first account`);
        assert.equal(tx.to.toLowerCase(), p.address.toLowerCase(), `${engine}: sent to the payee`);
        assert.equal(BigInt(tx.value), 10n ** 16n, `${engine}: 0.01 ETH in wei`);
        assert.equal(await chain.balance(p.address), 10n ** 16n, `${engine}: the payee's balance after`);
        const requests = await driver.executeScript('return window.__walletRequests');
        const sends = requests.filter((r) => r.method === 'eth_sendTransaction');
        assert.equal(sends.length, 1, `${engine}: eth_sendTransaction asked once: ${JSON.stringify(requests)}`);
        assert.equal(sends[0].result?.toLowerCase(), paid.txids[0].toLowerCase(), `${engine}: the wallet's hash is the devserver's`);
        assert.equal(sentHash, paid.txids[0].toLowerCase(), `${engine}: the hash shown when sent`);

        const { errors, events } = await records(mark);
        assert.deepEqual(errors, [], `${engine}: JavaScript errors in the page`);
        assert.equal(count(events, 'payform:ready'), 1, `${engine}: payform:ready`);
        checkPaidOnce(events, 'page', p);
        const submitted = events.filter((e) => e.type === 'payform:submitted');
        assert.equal(submitted.length, 1, `${engine}: payform:submitted ${submitted.length} times: ${JSON.stringify(events.map((e) => e.type))}`);
        assert.deepEqual(submitted[0].detail, { tx_hash: paid.txids[0].toLowerCase(), chain_id: SEPOLIA_CHAIN_ID, from: payer.toLowerCase() },
          `${engine}: payform:submitted's detail`);
      } finally {
        await watching?.stop();
        await chain.stop();
      }
    });
  });
}
