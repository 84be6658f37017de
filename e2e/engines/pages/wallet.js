// The engine tests' page-side wallet (a classic script, after record.js and before payform.js):
// a plain EIP-1193 provider announced by EIP-6963 (now, and on every eip6963:requestProvider)
// as "Engine Wallet". It is anvil's first development account, which anvil keeps unlocked: it
// answers eth_requestAccounts with that account and eth_chainId with Sepolia's id, and forwards
// eth_sendTransaction (and any other method) to the node's JSON-RPC by fetch (anvil answers
// CORS). The node's URL is the devserver's GET /api/chain `rpc_url`, on this page's origin.
// WebDriver in WebKit has no init scripts and no page bindings, so the wallet lives in the page.
//   window.__walletRequests  every request: {method, params}, and its answer or error
// Also adds payform:submitted (the wallet module's event, not in record.js's list) to
// window.__events.
(function () {
  const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
  const CHAIN_ID = '0xaa36a7'; // 11155111, Sepolia's (anvil is started with it)
  const ICON = 'data:image/svg+xml;base64,' + btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
    + '<rect width="32" height="32" rx="6" fill="#0e7490"/><path d="M8 11h16v12H8z" fill="#fff"/>'
    + '<circle cx="20" cy="17" r="2" fill="#0e7490"/></svg>');
  const requests = (window.__walletRequests = []);

  window.addEventListener('payform:submitted', (e) => {
    let detail = null;
    try { detail = JSON.parse(JSON.stringify(e.detail)); } catch { /* not JSON */ }
    window.__events.push({ where: 'page', type: e.type, detail });
  });

  class ProviderRpcError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      if (data !== undefined) this.data = data;
    }
  }

  let rpcUrl;
  const node = async (method, params) => {
    rpcUrl ??= fetch('/api/chain').then((r) => {
      if (!r.ok) throw new Error(`GET /api/chain: HTTP ${r.status}`);
      return r.json();
    }).then((chain) => chain.rpc_url);
    let answer;
    try {
      const url = await rpcUrl;
      const reply = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: requests.length, method, params: params ?? [] }),
      });
      answer = await reply.json();
    } catch (e) {
      rpcUrl = undefined;
      throw new ProviderRpcError(4900, `Engine Wallet: the node does not answer (${e.message})`);
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
  let connected = false;
  const wallet = {
    eth_requestAccounts() {
      if (!connected) {
        connected = true;
        setTimeout(() => emit('accountsChanged', [ACCOUNT]));
      }
      return [ACCOUNT];
    },
    eth_accounts: () => (connected ? [ACCOUNT] : []),
    eth_chainId: () => CHAIN_ID,
    net_version: () => String(BigInt(CHAIN_ID)),
    wallet_switchEthereumChain(params) {
      const wanted = String(params?.[0]?.chainId ?? '').toLowerCase();
      if (wanted === CHAIN_ID) return null;
      throw new ProviderRpcError(4902, `Unrecognized chain ID "${wanted}".`);
    },
    eth_sendTransaction(params) {
      const tx = params?.[0];
      if (!connected) throw new ProviderRpcError(4100, 'The requested account has not been authorized by the user.');
      if (!tx || String(tx.from ?? '').toLowerCase() !== ACCOUNT.toLowerCase()) {
        throw new ProviderRpcError(4100, `Engine Wallet: it sends from ${ACCOUNT} only`);
      }
      return node('eth_sendTransaction', [tx]);
    },
  };

  const provider = {
    isEngineWallet: true,
    async request(args) {
      if (!args || typeof args.method !== 'string') throw new ProviderRpcError(-32600, 'Invalid request: expected {method, params}');
      const entry = { method: args.method, params: args.params === undefined ? null : JSON.parse(JSON.stringify(args.params)) };
      requests.push(entry);
      try {
        const result = await (wallet[args.method] ? wallet[args.method](args.params) : node(args.method, args.params));
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

  // A v4 UUID without crypto.randomUUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  const detail = Object.freeze({
    info: Object.freeze({ uuid, name: 'Engine Wallet', icon: ICON, rdns: 'org.payform.enginewallet' }),
    provider,
  });
  window.__walletInfo = detail.info;
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
})();
