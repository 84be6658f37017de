// Payform's wallet module: "Pay with <wallet>" for browser wallets. payform.js imports it only
// when the page has a wallet (an EIP-6963 announcement, or a lone window.ethereum), so a shopper
// without one downloads none of this: the wasm only renders an empty, hidden box per EVM payment
// with the transaction the core built from the payment on screen (`core::wallet`), and hands it
// here (`attach`). This module draws the buttons and the line in that box, runs the EIP-1193
// requests, and dispatches `payform:submitted` on the box (it bubbles to the form's element;
// the wasm then asks the backend at once). The wallet's word never marks the payment paid.
//
// A wallet is hostile until checked: its name is text (control and bidi characters removed, at
// most 40 characters), its icon only a bounded data:image URI in an <img>, its replies read only
// as a 0x+64-hex hash and a 0x+40-hex account; everything is read once, inside try; every
// request has a time limit; nothing is ever written as HTML.

const MAX_WALLETS = 6;
const NAME_MAX = 40;
const ICON_MAX = 64 * 1024;
const ID_MAX = 100;
// A request the shopper answers in the wallet (connect, switch, add, send); a plain read.
const CONFIRM_MS = 5 * 60 * 1000;
const READ_MS = 30 * 1000;
const INJECTED = 'injected';
const ICON_TYPES = ['png', 'jpeg', 'gif', 'webp', 'svg+xml', 'avif'];

const wallets = new Map(); // uuid -> { info, provider }
const boxes = new Set(); // the attached boxes still on a page
const sentFor = new Map(); // payment key -> tx hash, so a screen rebuilt by an update keeps "Sent"
let started = false;

/** Starts listening for wallets, and gives the wasm `attach` (`offerWallets(attach)`): the form
 * calls it with each payment's box. `queued` are the announcements heard before this loaded. */
export function start(offerWallets, queued = []) {
  if (started) return;
  started = true;
  window.addEventListener('eip6963:announceProvider', (event) => add(event.detail));
  for (const detail of queued) add(detail);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  offerWallets(attach);
}

function text(object, key, max = ICON_MAX + 64) {
  try {
    const value = object?.[key];
    return typeof value === 'string' ? value.slice(0, max + 1) : '';
  } catch {
    return '';
  }
}

// --- What a wallet announces, checked ---------------------------------------------------------

/** The name as plain text: control and bidi formatting characters removed, whitespace folded,
 * at most NAME_MAX characters (cut with …); '' when nothing is left. */
export function cleanName(name) {
  const plain = [...name.slice(0, 1000)]
    .filter((c) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(c))
    .join('')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
  const chars = [...plain];
  return chars.length > NAME_MAX ? chars.slice(0, NAME_MAX - 1).join('') + '…' : plain;
}

/** The icon if it is a data: URI of an image type an <img> shows, at most ICON_MAX bytes, with
 * nothing that could end an attribute or a URL early; else ''. A remote URL would tell a third
 * party that this shopper is paying. */
export function cleanIcon(icon) {
  if (icon.length > ICON_MAX || !/^[\x21-\x7e]*$/.test(icon) || !icon.startsWith('data:image/')) return '';
  const comma = icon.indexOf(',');
  if (comma < 0) return '';
  const media = icon.slice('data:image/'.length, comma).split(';')[0].toLowerCase();
  const data = icon.slice(comma + 1);
  return ICON_TYPES.includes(media) && data.length > 0 && !/["'<>\\]/.test(data) ? icon : '';
}

function add(detail) {
  let info, provider;
  try {
    info = detail?.info;
    provider = detail?.provider;
    if (!info || !provider || typeof provider.request !== 'function') return;
  } catch {
    return;
  }
  const uuid = text(info, 'uuid', ID_MAX);
  if (!/^[A-Za-z0-9-]{1,100}$/.test(uuid) || uuid === INJECTED || wallets.has(uuid) || wallets.size >= MAX_WALLETS) return;
  wallets.set(uuid, { info: { uuid, name: cleanName(text(info, 'name')), icon: cleanIcon(text(info, 'icon')) }, provider });
  redraw();
}

// The wallets to show: the announced ones; a lone window.ethereum only when nothing announced
// itself (an EIP-6963 wallet usually injects window.ethereum too, and would be listed twice).
function current() {
  const list = [...wallets.values()];
  if (list.length) return list;
  let injected;
  try {
    injected = window.ethereum;
    if (!injected || typeof injected.request !== 'function') return [];
  } catch {
    return [];
  }
  return [{ info: { uuid: INJECTED, name: '', icon: '' }, provider: injected }];
}

// --- The box ----------------------------------------------------------------------------------

function fill(template, values) {
  return String(template ?? '').replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
}

function element(tag, className, attributes = {}) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

/** Called by the wasm for each payment box: `tx` is `{chainId, to, value, data?, addChain?}`,
 * `texts` the form's words by locale key, `info` `{key, network, explorer}` (`key` names the
 * payment's state: a send shown for it stays shown until the backend moves on). */
function attach(box, tx, texts, info) {
  const form = { box, tx, texts, info, phase: 'idle', wallet: '', failure: '', hash: sentFor.get(info.key) ?? '' };
  if (form.hash) form.phase = 'sent';
  box.__payformWallet = form;
  box.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-wallet]') : null;
    if (button) press(form, button.getAttribute('data-wallet'));
  });
  // A screen rebuilt by a payment update replaces its box: forget the old ones.
  for (const old of boxes) if (!old.isConnected) boxes.delete(old);
  boxes.add(box);
  draw(form, true);
}

function redraw() {
  for (const box of boxes) {
    if (box.isConnected) draw(box.__payformWallet, true);
    else boxes.delete(box);
  }
}

// The buttons are rebuilt only when the wallets change (so a pressed one keeps its focus);
// the line on every change of phase.
function draw(form, rebuild) {
  const { box, texts } = form;
  const list = current();
  box.hidden = list.length === 0;
  // No buttons while a send is shown: a second press would pay twice.
  const sent = form.phase === 'sent';
  if (rebuild || sent !== form.drawnSent) {
    form.drawnSent = sent;
    box.replaceChildren();
    for (const { info } of sent ? [] : list) {
      const button = element('button', 'pf-wallet-pay', { type: 'button', part: 'button', 'data-testid': 'wallet-pay', 'data-wallet': info.uuid });
      if (info.icon) button.append(element('img', 'pf-wallet-icon', { src: info.icon, alt: '' }));
      const label = element('span');
      label.textContent = fill(texts.pay_with_wallet, { wallet: info.name || texts.browser_wallet });
      button.append(label);
      box.append(button);
    }
    box.append(element('div', 'pf-wallet-state', { role: 'status', 'data-testid': 'wallet-state' }));
  }
  for (const button of box.querySelectorAll('button')) button.disabled = form.phase === 'confirm';
  const line = box.lastElementChild;
  line.setAttribute('data-state', form.phase === 'idle' ? '' : form.phase);
  line.setAttribute('data-failure', form.failure);
  line.replaceChildren();
  const say = {
    idle: '',
    confirm: fill(texts.wallet_confirm, { wallet: form.wallet }),
    sent: texts.wallet_sent,
    failed: fill(texts[`wallet_${MESSAGES[form.failure] ?? 'other'}`], { network: form.info.network }),
  }[form.phase];
  if (say) line.append(Object.assign(element('p'), { textContent: say }));
  if (form.phase === 'sent') {
    line.append(Object.assign(element('p', 'pf-wallet-hash', { 'data-testid': 'wallet-hash' }), { textContent: form.hash }));
    if (form.info.explorer) {
      const link = element('a', 'pf-wallet-tx', { href: form.info.explorer + form.hash, target: '_blank', rel: 'noopener noreferrer', part: 'link', 'data-testid': 'wallet-tx' });
      const short = `${form.hash.slice(0, 6)}…${form.hash.slice(-4)}`;
      link.textContent = fill(texts.view_tx, { txid: short, explorer: new URL(form.info.explorer).host });
      line.append(link);
    }
  }
}

// Each failure's sentence (`wallet_<name>` in the locale files).
const MESSAGES = {
  rejected: 'rejected', locked: 'locked', pending: 'pending', unknown_chain: 'unknown_chain',
  wrong_chain: 'wrong_chain', unsupported: 'unsupported', disconnected: 'gone',
  insufficient_funds: 'funds', no_answer: 'no_answer', bad_reply: 'other', other: 'other',
};

async function press(form, uuid) {
  if (form.phase === 'confirm' || form.phase === 'sent') return;
  const wallet = current().find((w) => w.info.uuid === uuid);
  form.phase = 'confirm';
  form.failure = '';
  form.wallet = wallet?.info.name || form.texts.browser_wallet;
  draw(form, false);
  try {
    const { hash, from } = await pay(wallet, form.tx);
    form.phase = 'sent';
    form.hash = hash;
    if (sentFor.size >= 64) sentFor.delete(sentFor.keys().next().value);
    sentFor.set(form.info.key, hash);
    const detail = { tx_hash: hash, chain_id: Number.parseInt(form.tx.chainId, 16), from };
    form.box.dispatchEvent(new CustomEvent('payform:submitted', { bubbles: true, composed: true, detail }));
  } catch (error) {
    form.phase = 'failed';
    // Our own failures are objects; anything else came straight from a hostile wallet.
    form.failure = error && typeof error === 'object' && 'step' in error ? classify(error) : 'other';
  }
  if (form.box.isConnected) draw(form, false);
}

// --- The requests -----------------------------------------------------------------------------

/** What went wrong, by the step it happened at: `{step, tag, code, message, nested}`. */
export function classify({ step, tag, code, message = '', nested } = {}) {
  if (tag) return { timeout: 'no_answer', gone: 'disconnected', wrong_chain: 'wrong_chain', bad_reply: 'bad_reply' }[tag] ?? 'other';
  const read =
    code === 4001 ? 'rejected'
      : code === 4100 ? 'locked'
      : code === -32002 ? 'pending'
      : code === 4902 || (code === -32603 && nested === 4902) ? 'unknown_chain'
      : code === 4200 ? 'unsupported'
      : code === 4900 || code === 4901 ? 'disconnected'
      : /insufficient funds/i.test(message) ? 'insufficient_funds'
      : 'other';
  // Declining the switch is refusing the payment's chain; declining to add it, a chain the
  // wallet lacks.
  if (step === 'switch' && read === 'rejected') return 'wrong_chain';
  if (step === 'add' && ['rejected', 'other', 'unsupported'].includes(read)) return 'unknown_chain';
  return read;
}

function failure(step, error) {
  const out = { step, tag: '', code: null, message: '', nested: null };
  if (!error || typeof error !== 'object') return { ...out, tag: 'gone' };
  try {
    if (typeof error.tag === 'string') out.tag = error.tag;
    out.code = typeof error.code === 'number' ? error.code : null;
    out.message = typeof error.message === 'string' ? error.message.slice(0, 500) : '';
    const nested = error.data?.originalError?.code ?? error.data?.code;
    out.nested = typeof nested === 'number' ? nested : null;
  } catch {
    out.tag = 'gone';
  }
  return out;
}

// One EIP-1193 request with a time limit; a rejection is `{step, tag, code, message, nested}`.
async function request(provider, step, method, params, ms) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject({ tag: 'timeout' }), ms);
  });
  try {
    const call = Promise.resolve().then(() => provider.request(params ? { method, params } : { method }));
    return await Promise.race([call, limit]);
  } catch (error) {
    throw failure(step, error);
  } finally {
    clearTimeout(timer);
  }
}

function chainOf(reply) {
  return typeof reply === 'string' ? reply.toLowerCase() : typeof reply === 'number' ? `0x${reply.toString(16)}` : '';
}

/** Pays `tx` from `wallet`: connect, switch to the chain (adding it first if the wallet lacks it
 * and Payform knows it), send. Resolves `{hash, from}`, both checked; rejects with a failure. */
async function pay(wallet, tx) {
  if (!wallet) throw { step: 'connect', tag: 'gone' };
  const { provider } = wallet;
  const accounts = await request(provider, 'connect', 'eth_requestAccounts', undefined, CONFIRM_MS);
  const from = Array.isArray(accounts) && typeof accounts[0] === 'string' ? accounts[0] : '';
  // Never send from something that is not an account.
  if (!/^0x[0-9a-fA-F]{40}$/.test(from)) throw { step: 'connect', tag: 'bad_reply' };
  const want = String(tx.chainId).toLowerCase();
  if (chainOf(await request(provider, 'switch', 'eth_chainId', undefined, READ_MS)) !== want) {
    try {
      await request(provider, 'switch', 'wallet_switchEthereumChain', [{ chainId: want }], CONFIRM_MS);
    } catch (error) {
      const unknown = error.code === 4902 || error.nested === 4902;
      if (!unknown || !tx.addChain) throw error;
      await request(provider, 'add', 'wallet_addEthereumChain', [tx.addChain], CONFIRM_MS);
      // EIP-3085 does not promise that adding switches: ask again (a no-op if it did).
      await request(provider, 'switch', 'wallet_switchEthereumChain', [{ chainId: want }], CONFIRM_MS);
    }
    if (chainOf(await request(provider, 'switch', 'eth_chainId', undefined, READ_MS)) !== want) {
      throw { step: 'switch', tag: 'wrong_chain' };
    }
  }
  const sent = { from, to: tx.to, value: tx.value, chainId: want };
  if (tx.data) sent.data = tx.data;
  const hash = await request(provider, 'send', 'eth_sendTransaction', [sent], CONFIRM_MS);
  if (typeof hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(hash)) throw { step: 'send', tag: 'bad_reply' };
  return { hash: hash.toLowerCase(), from };
}
