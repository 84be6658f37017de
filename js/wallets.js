// Browser wallets, the part every page loads (a few hundred bytes): hear EIP-6963 announcements
// and look for a lone window.ethereum. The first sign of a wallet loads payform-wallet.js, which
// does the rest; a page without a wallet never fetches it.
const heard = [];
let moduleUrl;
let whenReady;
let loading;

function onAnnounce(event) {
  if (heard.length < 16) heard.push(event.detail);
  load();
}

function load() {
  if (loading || !moduleUrl) return;
  loading = import(moduleUrl)
    .then(async (wallet) => {
      const offerWallets = await whenReady();
      window.removeEventListener('eip6963:announceProvider', onAnnounce);
      wallet.start(offerWallets, heard.splice(0));
    })
    .catch((error) => {
      loading = undefined;
      console.warn(`Payform: the wallet module could not load (${error?.message ?? error}); paying by QR code still works.`);
    });
}

/** Starts listening: `url` is payform-wallet.js, `ready()` resolves to the wasm's
 * `offerWallets` once the wasm has started. */
export function watchWallets(url, ready) {
  if (typeof window === 'undefined' || moduleUrl) return;
  moduleUrl = url;
  whenReady = ready;
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  lookForWallets();
}

/** A wallet that injects window.ethereum late is found when a form mounts. */
export function lookForWallets() {
  try {
    if (typeof window !== 'undefined' && window.ethereum) load();
  } catch { /* a hostile getter: no wallet */ }
}
