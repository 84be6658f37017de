// Accessibility: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Chromium against every status screen
// of the hosted checkout, light and dark, plus the error screens: 0 violations. Keyboard: every
// control is reachable with Tab and shows a visible focus ring; status changes are announced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startDevserver, launchBrowser } from '../lib.js';
import { SCREENS, paymentIn, checkoutUrl, screenShown, attributes } from '../screens.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

let server, browser, context;
before(async () => {
  server = await startDevserver(8802);
  browser = await launchBrowser();
  // The checkout's CSP forbids inline scripts; axe is injected by the test, not the page.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 800 } });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a, b) {
  const luminance = (rgb) => {
    const [r, g, bl] = rgb.match(/\d+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function axe(page) {
  // Colours are judged at rest: a status that just changed may still be fading in (the paid
  // screen's 240 ms pop starts at 0.6 opacity), which axe would measure mid-way.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const theme of ['light', 'dark']) {
  test(`axe: every status screen, ${theme} theme, has no WCAG A/AA violation`, async () => {
    const page = await context.newPage();
    for (const screen of Object.keys(SCREENS)) {
      const { id, params } = await paymentIn(server.base, screen);
      await page.goto(checkoutUrl(server.base, id, theme, 'en', params));
      await screenShown(page, screen);
      assert.deepEqual(await axe(page), [], `${screen} (${theme})`);
    }
    await page.close();
  });
}

test('axe: the error screens (connection problem, unsafe payment) and right-to-left locales (Arabic, Hebrew, Urdu)', async () => {
  const page = await context.newPage();
  await page.route('**/api/payments/broken', (r) => r.fulfill({ status: 500, body: 'oops' }));
  await page.route('**/api/payments/unsafe', (r) => r.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({ id: 'u', status: 'awaiting_payment', amount: '25', currency: 'USDT', network: 'tron', address: 'T-not-an-address' }),
  }));
  for (const theme of ['light', 'dark']) {
    for (const id of ['broken', 'unsafe']) {
      await page.goto(checkoutUrl(server.base, id, theme));
      await page.getByTestId('problem').waitFor();
      assert.deepEqual(await axe(page), [], `${id} (${theme})`);
    }
    // Right to left: the pay screen, a late payment's receipt, the pay screen with the options.
    for (const [screen, lang] of [['awaiting_payment', 'ar'], ['late_paid', 'he'], ['pay_options', 'ur']]) {
      const { id, params } = await paymentIn(server.base, screen);
      await page.goto(checkoutUrl(server.base, id, theme, lang, params));
      await screenShown(page, screen);
      assert.equal(await page.getByTestId('payform').getAttribute('dir'), 'rtl', `${screen} in ${lang} is right to left`);
      assert.deepEqual(await axe(page), [], `${screen}, ${lang} (${theme})`);
    }
  }
  await page.close();
});

/** The element page as merchants write it: `src`, `theme`, `lang` and any options (`params`,
 * a value of `true` is a boolean attribute) in the markup from the start. */
async function elementPage(page, src, theme, lang = 'en', params = {}) {
  await page.unroute('**/examples/element.html');
  await page.route('**/examples/element.html', async (route) => {
    const response = await route.fetch();
    const html = (await response.text())
      .replace('src="/api/payments/demo" preset="payform"', `src="${src}" theme="${theme}" lang="${lang}"${attributes(params)}`);
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${server.base}/examples/element.html`);
}

// The same screens in <pay-form>, each a fresh load with its attributes in the markup (the
// order merchants use, and the one that raced the stylesheet), axe inside the shadow root.
for (const theme of ['light', 'dark']) {
  test(`axe: every status screen of <pay-form> (src in the markup), ${theme} theme`, async () => {
    const page = await context.newPage();
    for (const screen of Object.keys(SCREENS)) {
      const { id, params } = await paymentIn(server.base, screen);
      await elementPage(page, `/api/payments/${id}`, theme, 'en', params);
      await screenShown(page.locator('pay-form'), screen);
      assert.deepEqual(await axe(page), [], `<pay-form> ${screen} (${theme})`);
    }
    await page.close();
  });
}

// The screens the status list does not reach: a 404, an outage being retried, the last two
// minutes, right to left; in both themes, in the checkout and in the element.
test('axe: 404, an outage with retries, the last two minutes and Arabic, both themes, checkout and element', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const deadline = Date.now() + 110_000;
  await page.route('**/api/payments/soon', async (route) => {
    const response = await route.fetch({ url: `${server.base}/api/payments/${id}` });
    const body = await response.json();
    body.server_time = new Date().toISOString();
    body.expires_at = new Date(deadline).toISOString();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  let outage = 0;
  await page.route('**/api/payments/outage', async (route) => {
    if (outage++ === 0) {
      await route.fulfill({ response: await route.fetch({ url: `${server.base}/api/payments/${id}` }) });
    } else {
      await route.fulfill({ status: 503, body: 'down' });
    }
  });
  const cases = [
    ['a 404', '/api/payments/no-such-payment', (scope) => scope.locator('[data-code="not_found"]')],
    ['an outage', '/api/payments/outage', (scope) => scope.getByTestId('retry')],
    ['the last two minutes', '/api/payments/soon', (scope) => scope.locator('.pf-countdown-urgent')],
    ['Arabic', `/api/payments/${id}`, (scope) => scope.getByTestId('qr'), 'ar'],
  ];
  for (const theme of ['light', 'dark']) {
    for (const [what, src, ready, lang = 'en'] of cases) {
      outage = 0;
      await page.goto(`${server.base}/checkout.html?src=${src}&theme=${theme}&lang=${lang}&poll-interval=1000`);
      await ready(page).first().waitFor({ timeout: 15_000 });
      assert.deepEqual(await axe(page), [], `checkout, ${what} (${theme})`);
      outage = 0;
      await elementPage(page, src, theme, lang);
      await ready(page.locator('pay-form')).first().waitFor({ timeout: 15_000 });
      assert.deepEqual(await axe(page), [], `<pay-form>, ${what} (${theme})`);
    }
  }
  await page.close();
});

// What a screen reader is told: the status as a heading, the amount and its copy button, the
// address in its groups, the QR as an image named for what it holds (not the link read out).
test('the accessibility tree names the status, the amount, the address and the QR', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const page = await context.newPage();
  await page.goto(checkoutUrl(server.base, id, 'light'));
  await page.getByTestId('qr').waitFor();
  const region = page.getByRole('region', { name: 'Payment' });
  assert.equal(await region.getByRole('heading', { level: 2 }).first().textContent(), 'Waiting for your payment');
  assert.equal(await region.getByRole('img').getAttribute('aria-label'), 'QR code: the payment link for 25 USDT to the address above');
  const tree = await region.ariaSnapshot();
  for (const expected of ['button "Copy amount"', 'button "Copy address"', 'img "QR code: the payment link for 25 USDT to the address above"']) {
    assert.ok(tree.includes(expected), `${expected} in:\n${tree}`);
  }
  const address = await page.getByTestId('address').getAttribute('data-address');
  assert.ok(tree.includes(address.match(/.{1,4}/g).join(' ')), 'the address, in its groups');
  assert.match(tree, /\b25\b[\s\S]*USDT/, 'the amount and its currency');
  assert.ok(!(await region.getByRole('img').getAttribute('aria-label')).includes(address), 'the QR\'s name does not read the link out');
  await page.close();
});

test('brand colour: any --pf-accent the page sets is kept at AA contrast, light and dark (axe inside the shadow root)', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const page = await context.newPage();
  for (const [accent, theme] of [['#ffd400', 'light'], ['#1d4ed8', 'dark'], ['rgb(200, 0, 100)', 'dark'], ['#777777', 'light']]) {
    await page.goto(`${server.base}/examples/element.html`);
    await page.addStyleTag({ content: `pay-form { --pf-accent: ${accent}; --pf-accent-fg: #ffffff; }` });
    await page.locator('pay-form').evaluate((el, [src, theme]) => { el.setAttribute('theme', theme); el.setAttribute('src', src); },
      [`/api/payments/${id}`, theme]);
    await page.locator('pay-form [data-testid="qr"]').waitFor();
    const seen = await page.locator('pay-form [data-testid="payform"]').evaluate((el) => ({
      probe: getComputedStyle(el.querySelector('.pf-brand-probe')).backgroundColor,
      pressed: getComputedStyle(el.querySelector('[aria-pressed="true"]')).backgroundColor,
    }));
    assert.equal(seen.pressed, seen.probe, `${accent}: filled controls keep the exact brand colour`);
    const violations = (await axe(page)).filter((v) => v.includes('pay-form'));
    assert.deepEqual(violations, [], `${accent} (${theme})`);
  }
  await page.close();
});

// As merchants load it: `src`, `theme` and the brand colour in the markup from the start, the
// form's stylesheet on time or late (held back here, as a slow CDN does on about half of all
// loads): the accent is measured once the stylesheet applies, never on a page without it.
test('brand colour on freshly loaded elements, stylesheet on time or late: AA in both themes, default and hostile colours', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const cases = [
    ['light', null, 'rgb(29, 78, 216)'], ['dark', null, 'rgb(147, 197, 253)'],
    ['light', '#ffd400', null], ['dark', '#1d4ed8', null],
  ];
  for (const [theme, accent, expected] of cases) {
    for (const cssDelay of [0, 600]) {
      const page = await browser.newPage();
      await page.route('**/examples/element.html', async (route) => {
        const response = await route.fetch();
        const style = accent ? `<style>pay-form { --pf-accent: ${accent}; }</style>` : '';
        const html = (await response.text()).replace('<title>', `${style}<title>`)
          .replace('src="/api/payments/demo"', `src="/api/payments/${id}" theme="${theme}" poll-interval="60000"`);
        await route.fulfill({ response, body: html });
      });
      await page.route('**/payform.css', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, cssDelay));
        await route.continue();
      });
      await page.goto(`${server.base}/examples/element.html`);
      await page.locator('pay-form [data-testid="qr"]').waitFor();
      const root = page.locator('pay-form [data-testid="payform"]');
      // The stylesheet applies (the probe hides), then the re-measured ink is on the copy button.
      await root.evaluate((el) => new Promise((resolve) => {
        const check = () => (getComputedStyle(el.querySelector('.pf-brand-probe')).display === 'none'
          ? requestAnimationFrame(() => requestAnimationFrame(resolve)) : setTimeout(check, 20));
        check();
      }));
      const seen = await root.evaluate((el) => ({
        bg: getComputedStyle(el).backgroundColor,
        ink: getComputedStyle(el.querySelector('.pf-copy')).color,
        outline: getComputedStyle(el.querySelector('.pf-copy')).borderColor,
      }));
      const label = `${theme}, accent ${accent ?? 'default'}, stylesheet after ${cssDelay} ms`;
      assert.ok(contrast(seen.ink, seen.bg) >= 4.5, `${label}: ink ${seen.ink} on ${seen.bg}`);
      assert.notEqual(seen.ink, 'rgb(128, 128, 128)', `${label}: not the grey of a measurement without the stylesheet`);
      if (expected) assert.equal(seen.ink, expected, `${label}: the default accent already passes AA and is kept`);
      await page.close();
    }
  }
});

// The accessibility tree, as a screen reader walks it: the address in its 4-character groups
// (read one group at a time), not one 34-character token; the visible address stays one token
// (selected and copied by hand, it is the exact address).
test('the address is read in its groups; the visible one copies whole', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const page = await context.newPage();
  await page.goto(checkoutUrl(server.base, id, 'light'));
  await page.getByTestId('qr').waitFor();
  const address = await page.getByTestId('address').getAttribute('data-address');
  const grouped = address.match(/.{1,4}/g).join(' ');
  const tree = await page.getByTestId('payform').ariaSnapshot();
  assert.ok(tree.includes(grouped), `the tree reads "${grouped}":\n${tree}`);
  const plain = tree.split('\n').filter((line) => line.trimEnd().endsWith(address));
  assert.deepEqual(plain, [], 'no node reads the address as one token');
  assert.equal((await page.getByTestId('address').textContent()).replace(/\s/g, ''), address);
  assert.equal(await page.getByTestId('address').evaluate((el) => {
    getSelection().selectAllChildren(el);
    return getSelection().toString();
  }), address, 'selected by hand, the visible address is exactly the address');
  await page.close();
});

// At 320 px every option is on screen (they wrap; nothing scrolls sideways out of view), and
// the focus ring of each is drawn whole.
test('the options picker at 320 px: every option visible, focus rings not clipped', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const page = await browser.newPage({ viewport: { width: 320, height: 700 } });
  await page.goto(checkoutUrl(server.base, id, 'light'));
  await page.getByTestId('picker').waitFor();
  const options = page.getByTestId('option');
  assert.ok(await options.count() >= 3, 'the busiest picker');
  for (let i = 0; i < await options.count(); i++) {
    const option = options.nth(i);
    const seen = await option.evaluate((el) => {
      const box = el.getBoundingClientRect();
      let clipped = false;
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
          const c = a.getBoundingClientRect();
          // the 3 px ring with its 2 px offset must fit inside any clipping ancestor
          if (box.left - 5 < c.left || box.right + 5 > c.right) clipped = true;
        }
      }
      return { left: box.left, right: box.right, clipped, text: el.textContent };
    });
    assert.ok(seen.left >= 0 && seen.right <= 320, `${seen.text} is on screen (${seen.left}–${seen.right})`);
    assert.equal(seen.clipped, false, `${seen.text}: its focus ring fits`);
  }
  await page.close();
});

// The last two minutes: the warning is in words as well as colour (AA in both themes), and it is
// announced once by the form's one polite live region, whose text neither ticks with the seconds
// nor changes when a poll rebuilds the screen (every reply here carries a new server_time); so
// is the end. The payment's deadline is moved close by rewriting the backend's reply.
test('countdown: the last two minutes and the end are said in words, announced once, AA in both themes', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const en = JSON.parse(readFileSync(new URL('../../locales/en.json', import.meta.url), 'utf8'));
  for (const [theme, lifetime] of [['light', 118_000], ['dark', 118_000], ['dark', 2_500]]) {
    const page = await context.newPage();
    const deadline = Date.now() + lifetime;
    await page.route(`**/api/payments/${id}`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.server_time = new Date().toISOString();
      body.expires_at = new Date(deadline).toISOString();
      const headers = { ...response.headers() };
      delete headers.etag;
      await route.fulfill({ response, headers, body: JSON.stringify(body) });
    });
    await page.goto(checkoutUrl(server.base, id, theme));
    const note = page.getByTestId('countdown-note');
    await note.waitFor({ state: 'attached' });
    const announcer = page.getByRole('status');
    assert.equal(await announcer.getAttribute('aria-live'), 'polite');
    if (lifetime > 60_000) {
      await page.waitForFunction((text) => document.querySelector('[data-testid=countdown-note]')?.textContent === text, en.time_urgent);
      await page.waitForFunction((text) => document.querySelector('[role=status]')?.textContent.endsWith(text), en.time_urgent);
      // Over three polls (each a rebuilt screen), the live region does not change.
      const changes = await announcer.evaluate((el) => new Promise((resolve) => {
        let n = 0;
        const observer = new MutationObserver((records) => { n += records.length; });
        observer.observe(el, { childList: true, characterData: true, subtree: true });
        setTimeout(() => { observer.disconnect(); resolve(n); }, 7_000);
      }));
      assert.equal(changes, 0, `${theme}: the announcement does not tick with the seconds`);
      const seen = await page.getByTestId('countdown').evaluate((el) => ({
        color: getComputedStyle(el).color, bg: getComputedStyle(el.closest('.payform')).backgroundColor, cls: el.className,
      }));
      assert.match(seen.cls, /pf-countdown-urgent/);
      assert.ok(contrast(seen.color, seen.bg) >= 4.5, `${theme}: urgent countdown ${seen.color} on ${seen.bg}`);
    } else {
      await page.waitForFunction((text) => document.querySelector('[data-testid=countdown-note]')?.textContent === text, en.time_up, { timeout: 10_000 });
      await page.waitForFunction((text) => document.querySelector('[role=status]')?.textContent.endsWith(text), en.time_up);
      assert.equal((await page.getByTestId('countdown').textContent()).includes('Time left'), false, 'no time left shown at the end');
    }
    await page.close();
  }
});

test('theme auto follows prefers-color-scheme live, and the brand colour is re-measured on each flip', async () => {
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${server.base}/examples/element.html`);
  // Light blue reads well on the dark background and badly on white.
  await page.addStyleTag({ content: 'pay-form { --pf-accent: #93c5fd; }' });
  await page.locator('pay-form').evaluate((el, src) => { el.setAttribute('theme', 'auto'); el.setAttribute('src', src); }, `/api/payments/${id}`);
  await page.locator('pay-form [data-testid="qr"]').waitFor();
  const root = page.locator('pay-form [data-testid="payform"]');
  const look = () => root.evaluate((el) => ({
    cls: el.className, bg: getComputedStyle(el).backgroundColor, ink: getComputedStyle(el.querySelector('.pf-copy')).color,
  }));
  let seen = await look();
  assert.match(seen.cls, /pf-theme-dark/);
  assert.equal(seen.bg, 'rgb(17, 24, 39)');
  assert.equal(seen.ink, 'rgb(147, 197, 253)', 'the brand colour as is on dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.querySelector('pay-form').shadowRoot.querySelector('.pf-theme-light'));
  await page.waitForFunction(() => getComputedStyle(document.querySelector('pay-form').shadowRoot.querySelector('.pf-copy')).color !== 'rgb(147, 197, 253)');
  seen = await look();
  assert.equal(seen.bg, 'rgb(255, 255, 255)');
  assert.deepEqual((await axe(page)).filter((v) => v.includes('pay-form')), [], 'AA on light after the flip');
  await page.close();
});

test('the success screen animates only when the shopper allows motion', async () => {
  const { id } = await paymentIn(server.base, 'paid');
  for (const [motion, expected] of [['reduce', 'none'], ['no-preference', 'pf-pop']]) {
    const page = await context.newPage();
    await page.emulateMedia({ reducedMotion: motion });
    await page.goto(checkoutUrl(server.base, id));
    const status = page.locator('[data-status="paid"]');
    await status.waitFor();
    assert.equal(await status.evaluate((el) => getComputedStyle(el).animationName), expected, motion);
    await page.close();
  }
});

test('keyboard: Tab reaches every control of the pay screen, each with a visible focus ring', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  await page.goto(checkoutUrl(server.base, id));
  await page.getByTestId('qr').waitFor();
  const reached = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return { name: el.getAttribute('aria-label') || el.textContent.trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    if (!info || reached.some((r) => r.name === info.name)) break;
    reached.push(info);
  }
  assert.deepEqual(reached.map((r) => r.name),
    ['USDT · Tron (TRC-20)', 'BTC · Bitcoin', 'ETH · Ethereum (ERC-20)', 'Copy amount', 'Copy address', 'I\'ve sent the payment']);
  for (const r of reached) assert.ok(r.outline !== 'none' && r.width >= 2, `${r.name} shows focus (${r.outline} ${r.width}px)`);
  await page.close();
});

// Focus lives on: a screen rebuilt by a status change keeps focus on the same control, or moves
// it to the new heading (read out) when that control is gone; picking another currency keeps it
// on the picked option and announces the new amount and network.
test('focus survives a status change and a currency switch, and the switch is announced', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  await page.goto(checkoutUrl(server.base, id) + '&poll-interval=500');
  await page.getByTestId('qr').waitFor();
  const simulate = (action, amount) => fetch(`${server.base}/api/payments/${id}/simulate`, {
    method: 'POST', body: JSON.stringify({ action, amount }), headers: { 'content-type': 'application/json' },
  });
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el && el !== document.body ? (el.getAttribute('data-focus') ?? el.tagName.toLowerCase()) : 'body';
  });
  // A status change that keeps the control: focus stays on it.
  await page.getByRole('button', { name: 'Copy address' }).focus();
  await simulate('pay_partial', '10');
  await page.locator('[data-status="underpaid"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-focus') === 'copy-address', null, { timeout: 5_000 })
    .catch(() => {});
  assert.equal(await focused(), 'copy-address', 'underpaid: still on "Copy address"');
  // A status change that removes it: focus goes to the new heading.
  await simulate('pay');
  await page.locator('[data-status="paid"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H2', null, { timeout: 5_000 }).catch(() => {});
  assert.equal(await focused(), 'h2', 'paid: on the heading');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Paid. Thank you!');
  await page.close();

  // A currency switch by keyboard: focus stays on the picked option, and the announcer says
  // the new amount and network.
  const other = await paymentIn(server.base, 'awaiting_payment');
  const switcher = await context.newPage();
  await switcher.goto(checkoutUrl(server.base, other.id));
  await switcher.getByTestId('qr').waitFor();
  const btc = switcher.locator('[data-focus="option-BTC-bitcoin"]');
  await btc.focus();
  await switcher.keyboard.press('Enter');
  await switcher.locator('[data-focus="option-BTC-bitcoin"][aria-pressed="true"]').waitFor();
  await switcher.waitForFunction(() => document.activeElement?.getAttribute('data-focus') === 'option-BTC-bitcoin', null, { timeout: 5_000 })
    .catch(() => {});
  assert.equal(await switcher.evaluate(() => document.activeElement?.getAttribute('data-focus')), 'option-BTC-bitcoin');
  assert.match(await switcher.getByRole('status').textContent(), /0\.00025 BTC Send only BTC on Bitcoin/);
  await switcher.close();
});

test('status changes are announced: one polite live region that stays in place and takes the new headline', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'awaiting_payment');
  await page.goto(checkoutUrl(server.base, id) + '&poll-interval=500');
  const announcer = page.getByRole('status');
  await page.getByTestId('qr').waitFor();
  assert.equal(await announcer.count(), 1, 'exactly one live region');
  assert.equal(await announcer.getAttribute('aria-live'), 'polite');
  assert.equal(await announcer.textContent(),
    'Waiting for your payment 25 USDT Send only USDT on Tron (TRC-20); other networks lose the funds.',
    'while waiting: the headline, what to send and on which network');
  const node = await announcer.elementHandle();
  await fetch(`${server.base}/api/payments/${id}/simulate`, { method: 'POST', body: '{"action":"pay"}', headers: { 'content-type': 'application/json' } });
  await page.locator('[data-status="paid"]').waitFor();
  assert.ok(await node.evaluate((el) => el.isConnected), 'the same region node, not a new one');
  assert.equal(await node.textContent(), 'Paid. Thank you!');
  await page.close();
});

// The refund-address field (`refund-address` on): labelled by its visible label; an address
// that is not for the payment's network marks the field invalid and is said by the field's own
// status message, which also describes the field.
test('the refund field has a label; an invalid address is aria-invalid and said by its role=status message', async () => {
  const page = await context.newPage();
  const { id, params } = await paymentIn(server.base, 'pay_options');
  await page.goto(checkoutUrl(server.base, id, 'light', 'en', params));
  await screenShown(page, 'pay_options');
  const input = page.getByRole('textbox', { name: 'Refund address (optional)' });
  assert.equal(await input.count(), 1, 'the field is named by its label');
  assert.equal(await input.getAttribute('data-testid'), 'refund-input');
  assert.equal(await input.getAttribute('aria-invalid'), 'false', 'not invalid before anything is tried');
  await input.fill('0x52908400098527886E0F7030069857D2E4169EE7');
  await page.getByRole('button', { name: 'Save refund address' }).click();
  const msg = page.getByTestId('refund-msg');
  await page.locator('[data-testid="refund-msg"][data-state="invalid"]').waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await msg.getAttribute('role'), 'status', 'the message is a live region');
  assert.match(await msg.textContent(), /not a valid Tron \(TRC-20\) address/);
  const msgId = await msg.getAttribute('id');
  assert.ok((await input.getAttribute('aria-describedby')).split(/\s+/).includes(msgId), 'the message describes the field');
  assert.deepEqual(await axe(page), [], 'the field with its error');
  await page.close();
});

// Bitcoin with Lightning: a native radio group (fieldset) named "Pay with"; the arrow keys
// move between the choices and each shows its own way to pay.
test('the Bitcoin/Lightning choice is a radio group named "Pay with", operable with arrow keys', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'lightning');
  await page.goto(checkoutUrl(server.base, id));
  await page.getByTestId('qr').waitFor();
  const group = page.getByRole('group', { name: 'Pay with' });
  assert.equal(await group.count(), 1);
  const radios = group.getByRole('radio');
  const names = [];
  for (let i = 0; i < await radios.count(); i++) names.push((await radios.nth(i).evaluate((el) => el.labels[0].textContent)).trim());
  assert.deepEqual(names, ['Bitcoin or Lightning', 'On-chain', 'Lightning']);
  assert.equal(await radios.nth(0).isChecked(), true);
  const way = () => page.getByTestId('way').getAttribute('data-way');
  const first = await way();
  await radios.nth(0).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await radios.nth(1).isChecked(), true, 'ArrowRight checks the next choice');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'way-tab', 'focus stays in the group');
  assert.equal(await radios.nth(1).evaluate((el) => el === document.activeElement), true, 'and moves with the choice');
  assert.notEqual(await way(), first, 'the way to pay changes with it');
  await page.keyboard.press('ArrowDown');
  assert.equal(await radios.nth(2).isChecked(), true, 'ArrowDown too');
  assert.equal(await way(), 'lightning');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await radios.nth(1).isChecked(), true, 'ArrowLeft goes back');
  await page.keyboard.press('ArrowUp');
  assert.equal(await radios.nth(0).isChecked(), true, 'ArrowUp too');
  assert.equal(await way(), first);
  await page.close();
});

test('"I\'ve sent the payment" shows "Looking for your payment…" and the form\'s one announcer says it', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'looking');
  await page.goto(checkoutUrl(server.base, id));
  await page.getByTestId('qr').waitFor();
  await page.getByRole('button', { name: 'I\'ve sent the payment' }).click();
  const looking = page.getByTestId('looking');
  await looking.waitFor();
  assert.equal(await looking.textContent(), 'Looking for your payment…');
  const announcer = page.getByTestId('announcer');
  await page.waitForFunction(() => document.querySelector('[data-testid="announcer"]')?.textContent.includes('Looking for your payment…'),
    null, { timeout: 5_000 }).catch(() => {});
  assert.match(await announcer.textContent(), /Looking for your payment…/);
  assert.equal(await announcer.getAttribute('role'), 'status');
  assert.equal(await announcer.getAttribute('aria-live'), 'polite');
  assert.equal(await page.getByRole('status').count(), 1, 'the one live region, no second one for the search');
  await page.close();
});

test('the receipt has a "Print receipt" button', async () => {
  const page = await context.newPage();
  const { id } = await paymentIn(server.base, 'paid');
  await page.goto(checkoutUrl(server.base, id));
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor();
  const print = receipt.getByRole('button', { name: 'Print receipt' });
  assert.equal(await print.count(), 1);
  assert.equal(await print.isVisible(), true);
  assert.equal(await print.getAttribute('data-testid'), 'print');
  await page.close();
});
