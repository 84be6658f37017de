// Screenshots for the README: every status screen of the hosted checkout at 360 px (phone) and
// 1280 px (desktop), light and dark, into docs/screenshots/<screen>-<width>-<theme>.png, plus the
// demo page (docs/demo.png), and the keyboard focus on each control of the pay screen at 360 px,
// light and dark (docs/screenshots/focus-<n>-<control>-360-<theme>.png), and right to left: a
// screen in Hebrew at 360 px, light (docs/screenshots/<screen>-360-light-he.png). Run
// `make screenshots` (it builds first). `node e2e/screenshots.js <screen>…` writes only those
// screens of e2e/screens.js (both widths and themes), without the others, the focus shots or
// the demo page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startDevserver, launchBrowser, ROOT } from './lib.js';
import { SCREENS, paymentIn, checkoutUrl, screenShown } from './screens.js';

const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in SCREENS));
if (unknown.length) throw new Error(`no such screen in e2e/screens.js: ${unknown.join(', ')}`);
const screens = only.length ? only : Object.keys(SCREENS);
const out = path.join(ROOT, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const server = await startDevserver(8793);
const browser = await launchBrowser();

/** The Hebrew screen, the keyboard focus shots and the demo page. */
async function extras() {
  // Right to left: a screen in Hebrew, as a phone shows it.
  for (const [screen, lang] of [['late_paid', 'he']]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const { id, params } = await paymentIn(server.base, screen);
    await page.goto(checkoutUrl(server.base, id, 'light', lang, params));
    await screenShown(page, screen);
    await page.screenshot({ path: path.join(out, `${screen}-360-light-${lang}.png`), fullPage: true });
    await context.close();
  }
  // Keyboard focus, as a shopper tabbing through the busiest pay screen sees it.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
  const tabbing = await context.newPage();
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  for (const theme of ['light', 'dark']) {
    await tabbing.goto(checkoutUrl(server.base, id, theme));
    await tabbing.getByTestId('qr').waitFor();
    for (let n = 1; n <= 8; n++) {
      await tabbing.keyboard.press('Tab');
      const name = await tabbing.evaluate(() => document.activeElement?.getAttribute('data-focus'));
      if (!name) break;
      await tabbing.screenshot({ path: path.join(out, `focus-${n}-${name}-360-${theme}.png`) });
    }
  }
  await context.close();
  const page = await browser.newPage({ viewport: { width: 900, height: 980 } });
  await page.goto(server.base + '/');
  await page.getByTestId('create').click();
  await page.getByTestId('qr').waitFor();
  await page.screenshot({ path: path.join(ROOT, 'docs/demo.png') });
}

try {
  for (const width of [360, 1280]) {
    // reducedMotion: the success animation must not be caught half-way.
    const context = await browser.newContext({ viewport: { width, height: 740 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    for (const screen of screens) {
      const { id, params } = await paymentIn(server.base, screen);
      for (const theme of ['light', 'dark']) {
        await page.goto(checkoutUrl(server.base, id, theme, 'en', params));
        await screenShown(page, screen);
        await page.screenshot({ path: path.join(out, `${screen}-${width}-${theme}.png`), fullPage: true });
      }
    }
    await context.close();
  }
  if (!only.length) await extras();
  console.log(only.length ? `screenshots of ${only.join(', ')} written to ${path.relative(ROOT, out)}/`
    : `screenshots written to ${path.relative(ROOT, out)}/ and docs/demo.png`);
} finally {
  await browser.close();
  await server.stop();
}
