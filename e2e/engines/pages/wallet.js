// The engine tests' page-side wallet (a module, after record.js and before payform.js): the
// demo's dev wallet (js/dev-wallet.js, in dist/) installed as "Engine Wallet", announced by
// EIP-6963 (now, and on every eip6963:requestProvider). It is anvil's first development
// account, which anvil keeps unlocked: the node signs eth_sendTransaction. The node's URL is the
// devserver's GET /api/chain `rpc_url`, on this page's origin. WebDriver in WebKit has no init
// scripts and no page bindings, so the wallet lives in the page.
//   window.__walletRequests  every request: {method, params}, and its result or error
//   window.__walletInfo      the announced info
// Also adds payform:submitted (the wallet module's event, not in record.js's list) to
// window.__events.
import { installDevWallet } from '/dev-wallet.js';

const ICON = 'data:image/svg+xml;base64,' + btoa(
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
  + '<rect width="32" height="32" rx="6" fill="#0e7490"/><path d="M8 11h16v12H8z" fill="#fff"/>'
  + '<circle cx="20" cy="17" r="2" fill="#0e7490"/></svg>');

window.addEventListener('payform:submitted', (e) => {
  let detail = null;
  try { detail = JSON.parse(JSON.stringify(e.detail)); } catch { /* not JSON */ }
  window.__events.push({ where: 'page', type: e.type, detail });
});

const rpcUrl = fetch('/api/chain').then((r) => {
  if (!r.ok) throw new Error(`GET /api/chain: HTTP ${r.status}`);
  return r.json();
}).then((chain) => chain.rpc_url);
window.__walletRequests = [];
const { info } = installDevWallet(rpcUrl, {
  name: 'Engine Wallet', rdns: 'org.payform.enginewallet', icon: ICON, log: window.__walletRequests,
});
window.__walletInfo = info;
