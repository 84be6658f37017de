// Payform's wallet module: browser wallets for "Pay with <wallet>". payform.js imports it only
// when the page has a wallet (an EIP-6963 announcement, or a lone window.ethereum), so a shopper
// without one never downloads it. It owns the wallets' provider objects and the EIP-1193
// requests; the form (the wasm) checks what a wallet announces (name, icon) and replies (hash,
// account), builds the transaction from the payment on screen, and explains failures.
//
// A wallet is hostile until checked: everything read from it is read once, inside try, as
// strings cut to a bound; every request has a time limit; nothing it returns is trusted beyond
// the hash and account the wasm checks.

const MAX_WALLETS = 6;
// A request the shopper answers in the wallet (connect, switch, add, send); a plain read.
const CONFIRM_MS = 5 * 60 * 1000;
const READ_MS = 30 * 1000;
// EIP-6963 icons are data URIs of about 96x96 px; the wasm bounds them again.
const TEXT_MAX = 64 * 1024 + 64;
const INJECTED = 'injected';

const wallets = new Map(); // uuid -> { info, provider }
let offer;
let published = '';

/** Starts listening for wallets and tells the form about them through `offerWallets(list, pay)`
 * (the wasm's export), now and whenever the list changes. `queued` are the announcements heard
 * before this module loaded. */
export function start(offerWallets, queued = []) {
  if (offer) return;
  offer = offerWallets;
  window.addEventListener('eip6963:announceProvider', (event) => add(event.detail));
  for (const detail of queued) add(detail);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  publish();
}

function text(object, key) {
  try {
    const value = object?.[key];
    return typeof value === 'string' ? value.slice(0, TEXT_MAX) : '';
  } catch {
    return '';
  }
}

function add(detail) {
  let info, provider;
  try {
    info = detail?.info;
    provider = detail?.provider;
  } catch {
    return;
  }
  if (!info || !provider || typeof provider.request !== 'function') return;
  const uuid = text(info, 'uuid');
  if (!uuid || uuid === INJECTED || wallets.has(uuid) || wallets.size >= MAX_WALLETS) return;
  wallets.set(uuid, {
    info: { uuid, name: text(info, 'name'), icon: text(info, 'icon'), rdns: text(info, 'rdns') },
    provider,
  });
  publish();
}

// The wallets to show: the announced ones; a lone window.ethereum only when nothing announced
// itself (an EIP-6963 wallet usually injects window.ethereum too, and would be listed twice).
function current() {
  const list = [...wallets.values()];
  if (list.length) return list;
  let injected;
  try {
    injected = window.ethereum;
  } catch {
    return [];
  }
  if (!injected || typeof injected.request !== 'function') return [];
  return [{ info: { uuid: INJECTED, name: '', icon: '', rdns: '' }, provider: injected }];
}

function publish() {
  const list = current().map((w) => w.info);
  const key = JSON.stringify(list.map((i) => i.uuid));
  if (key === published) return;
  published = key;
  offer?.(list, pay);
}

function failure(step, error) {
  const out = { step, tag: '', code: null, message: '', nested: null };
  if (error && typeof error === 'object') {
    try {
      out.code = typeof error.code === 'number' ? error.code : null;
      out.message = typeof error.message === 'string' ? error.message.slice(0, 500) : '';
      const nested = error.data?.originalError?.code ?? error.data?.code;
      out.nested = typeof nested === 'number' ? nested : null;
      if (typeof error.tag === 'string') out.tag = error.tag;
    } catch {
      out.tag = 'gone';
    }
  } else {
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

/** Pays `tx` (`{chainId, to, value, data?, addChain?}`, built by the wasm) from wallet `uuid`:
 * connect, switch to the chain (adding it first if the wallet lacks it and Payform knows it),
 * send. Resolves `{hash, from}`; rejects `{step, tag, code, message, nested}`. */
export async function pay(uuid, tx) {
  const wallet = current().find((w) => w.info.uuid === uuid);
  if (!wallet) throw { step: 'connect', tag: 'gone' };
  const { provider } = wallet;
  const accounts = await request(provider, 'connect', 'eth_requestAccounts', undefined, CONFIRM_MS);
  const from = Array.isArray(accounts) && typeof accounts[0] === 'string' ? accounts[0] : '';
  // Never send from something that is not an account (the wasm checks it again).
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
  if (typeof hash !== 'string') throw { step: 'send', tag: 'bad_reply' };
  return { hash, from };
}
