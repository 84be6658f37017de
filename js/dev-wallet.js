// The "Payform dev wallet": the demo page's wallet for its "Local chain" switch (index.html
// imports this file only when the switch is on; it is never part of the merchant bundle). A
// plain EIP-1193 provider that announces itself by EIP-6963 and hands every request to the
// local anvil node of `make dev` (its JSON-RPC URL comes from the devserver's GET /api/chain).
// anvil's development accounts are unlocked, so the node itself signs eth_sendTransaction: no
// key is in this file. It answers as a wallet would what a node does not: connecting
// (eth_requestAccounts gives the node's first account), switching (to the node's own chain
// only). For development only: it pays from whatever account the node unlocks. The engine tests
// (e2e/engines/pages/wallet.html) install it under another name, with a log of its requests.

const ICON = 'data:image/svg+xml;base64,' + btoa(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#6d28d9"/>'
  + '<rect x="7" y="10" width="18" height="13" rx="2" fill="#fff"/><rect x="17" y="14" width="8" height="5" rx="1" fill="#c4b5fd"/>'
  + '<circle cx="20" cy="16.5" r="1.2" fill="#6d28d9"/></svg>',
);

class ProviderRpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

// A v4 UUID without crypto.randomUUID (which a page on a LAN address, not a secure context, lacks).
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let installed;

/** Installs the wallet for the node at `rpcUrl` (a URL, or a promise of one; once: later calls
 * return the same one) and announces it: now, and on every `eip6963:requestProvider`. `name`,
 * `rdns` and `icon` name it; `log`, if given, receives every request `{method, params}` with
 * its `result` or `error`. Returns `{info, provider}`. */
export function installDevWallet(rpcUrl, { name = 'Payform dev wallet', rdns = 'org.payform.devwallet', icon = ICON, log } = {}) {
  if (installed) return installed;
  let id = 0;
  const node = async (method, params = []) => {
    let answer;
    try {
      const reply = await fetch(await rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      });
      answer = await reply.json();
    } catch (e) {
      throw new ProviderRpcError(4900, `${name}: the local chain does not answer (${e.message}). Is make dev's anvil running?`);
    }
    if (answer.error) throw new ProviderRpcError(answer.error.code ?? -32603, answer.error.message ?? 'node error', answer.error.data);
    return answer.result;
  };
  const listeners = new Map();
  const emit = (name, data) => {
    for (const fn of [...(listeners.get(name) ?? [])]) {
      try { fn(data); } catch (e) { setTimeout(() => { throw e; }); }
    }
  };
  let account; // set once connected
  let chainId;
  const ownChain = async () => (chainId ??= String(await node('eth_chainId')).toLowerCase());

  const wallet = {
    async eth_requestAccounts() {
      if (!account) {
        const accounts = await node('eth_accounts');
        if (!accounts?.length) throw new ProviderRpcError(4100, `${name}: the node has no unlocked account`);
        account = String(accounts[0]).toLowerCase();
        emit('connect', { chainId: await ownChain() });
        emit('accountsChanged', [account]);
      }
      return [account];
    },
    eth_accounts: async () => (account ? [account] : []),
    eth_chainId: ownChain,
    net_version: async () => String(BigInt(await ownChain())),
    async wallet_switchEthereumChain(params) {
      const wanted = String(params?.[0]?.chainId ?? '').toLowerCase();
      if (wanted === await ownChain()) return null;
      throw new ProviderRpcError(4902, `Unrecognized chain ID "${wanted}". ${name} knows only the local chain (${chainId}).`);
    },
    wallet_addEthereumChain() {
      throw new ProviderRpcError(4200, `${name} knows only the local chain.`);
    },
    async eth_sendTransaction(params) {
      const tx = params?.[0];
      if (!account) throw new ProviderRpcError(4100, 'The requested account has not been authorized by the user.');
      if (!tx || String(tx.from ?? '').toLowerCase() !== account) {
        throw new ProviderRpcError(4100, `${name}: it sends from ${account} only`);
      }
      return node('eth_sendTransaction', [tx]);
    },
  };

  const provider = {
    isPayformDevWallet: true,
    async request(args) {
      if (!args || typeof args.method !== 'string') throw new ProviderRpcError(-32600, 'Invalid request: expected {method, params}');
      const { method, params } = args;
      const entry = { method, params: params === undefined ? null : JSON.parse(JSON.stringify(params)) };
      log?.push(entry);
      try {
        const result = await (wallet[method] ? wallet[method](params) : node(method, params ?? []));
        entry.result = result ?? null;
        return result;
      } catch (e) {
        entry.error = { code: e.code, message: e.message };
        throw e;
      }
    },
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return provider;
    },
    removeListener(name, fn) {
      listeners.get(name)?.delete(fn);
      return provider;
    },
  };
  const info = Object.freeze({ uuid: uuid(), name, icon, rdns });
  installed = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: installed }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
  return installed;
}
