// Shared helpers for the end-to-end tests and the benchmark: start the devserver (serving the
// built demo from dist/ on the same origin), launch Debian's chromium headless, decode the QR
// the page shows.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `devserver --static <dist>` on `port` (with `extraArgs` after, e.g. `--chain-rpc URL`);
 * resolves once it accepts requests. */
export async function startDevserver(port, dist = 'dist', extraArgs = []) {
  const bin = process.env.DEVSERVER_BIN || path.join(ROOT, 'target/debug/devserver');
  if (!existsSync(bin)) throw new Error(`devserver binary not found at ${bin}: run cargo build -p devserver`);
  const proc = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--static', path.join(ROOT, dist), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/api/stats`);
      if (r.ok) return { base, stop: () => { proc.kill(); return once(proc, 'exit'); } };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`devserver did not start on ${base}`);
}

/** For a test file: starts the devserver on `port` (serving `dist`, with `extraArgs`) and a
 * browser before its tests (then runs `setup(live)`, if given), and stops both after them.
 * Returns `{server, browser}`, filled in by then. */
export function serveAndBrowse(port, dist, setup, extraArgs = []) {
  const live = {};
  before(async () => {
    live.server = await startDevserver(port, dist, extraArgs);
    live.browser = await launchBrowser();
    await setup?.(live);
  });
  after(async () => {
    await live.browser?.close();
    await live.server?.stop();
  });
  return live;
}

/** Launches the system chromium headless with the flags this closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** POSTs JSON to the devserver and returns the parsed answer (throws on HTTP errors). */
export async function api(base, route, body) {
  const r = await fetch(base + route, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${route}: HTTP ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Screenshots the QR element (as a phone camera would see it) and decodes it with jsQR. Like
 * a camera, it looks again for a moment when a frame does not decode: WebKitGTK's driver
 * sometimes takes the shot mid-paint (at most 10 shots, 150 ms apart). */
export async function decodeQr(locator) {
  for (let shot = 1; ; shot++) {
    const png = PNG.sync.read(await locator.screenshot());
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    if (code) return code.data;
    if (shot === 10) throw new Error('no QR code could be decoded from the screenshot (10 shots)');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** As decodeQr, but byte for byte: `text` is the code's bytes (jsQR's binaryData) read as UTF-8
 * (a byte that is not UTF-8 throws), `bytes` those bytes, `version` the QR version (1–40). */
export async function decodeQrBytes(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('no QR code could be decoded from the screenshot');
  const bytes = Uint8Array.from(code.binaryData);
  return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes, version: code.version };
}

/** Records every payform:* event reaching `window` into window.__events. */
export const RECORD_EVENTS = `
  window.__events = [];
  for (const name of ['ready', 'status', 'paid', 'expired', 'failed', 'error', 'late', 'refund_address', 'more_time', 'submitted']) {
    window.addEventListener('payform:' + name, (e) => window.__events.push({ type: e.type, detail: JSON.parse(JSON.stringify(e.detail)) }));
  }`;

export const count = (events, type) => events.filter((e) => e.type === type).length;
