// Boots the hosted checkout page (checkout.html): loads the wasm and mounts the form with the
// options in the page URL. An external module, so the page needs no inline script.
// The page paints a static skeleton of the form at once; it gives way to the form as soon as
// the form has more to show than its loading line, or to a plain message if the code cannot load.
// The glue is imported dynamically so that a failed load of it is caught too (the page's
// modulepreload has already started fetching it, so this costs no round trip).

import { localeStrings, word, loadFailureBox } from './locale-strings.js';
import { watchWallets } from './wallets.js';

const skeleton = document.querySelector('.pf-skeleton');

// A parameter of the link: the query's, else the fragment's (as the wasm reads them).
const param = (text, key) => new URLSearchParams(text).get(key);

// The form's language: the `lang` parameter, else the browser's. Fetched beside the wasm, so it
// is there if the wasm fails; it titles the page.
const requested = param(location.search, 'lang') || param(location.hash.slice(1), 'lang');
const strings = localeStrings(requested && requested !== 'auto' ? [requested] : navigator.languages ?? [],
  new URL('locales/', import.meta.url).href);
// The page's language, direction and title (and its heading) follow the form's locale.
const RTL = new Set(['ar', 'fa', 'he', 'ur']);
strings.then(({ lang, text }) => {
  if (!word(text, 'frame_title')) return;
  document.title = word(text, 'frame_title');
  const heading = document.querySelector('.pf-page-title');
  if (heading) heading.textContent = word(text, 'frame_title');
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  // The skeleton's one line, in the shopper's language too, if it is still on screen.
  const loading = skeleton?.querySelector('.pf-sk-status');
  if (loading && word(text, 'loading')) loading.textContent = word(text, 'loading');
});

/** The form, mounted but still only loading (the stylesheet hides it behind the skeleton). */
const main = document.querySelector('main') ?? document.body;
const formIsLoading = () => main.querySelector(':scope > .payform:not(.pf-skeleton) > .pf-loading') !== null;

function dropSkeletonOnceShown() {
  if (!skeleton) return;
  if (!formIsLoading()) {
    skeleton.remove();
    return;
  }
  const observer = new MutationObserver(() => {
    if (formIsLoading()) return;
    observer.disconnect();
    skeleton.remove();
  });
  observer.observe(document.body, { childList: true, subtree: true });
}

function showLoadFailure(error) {
  console.error('Payform: the payment form could not load:', error);
  skeleton?.remove();
  main.append(loadFailureBox(strings));
}

// The payment's first request starts now, beside the wasm, and is handed to it: the same
// request the wasm would send, and only where the wasm will send it: a `src` on this page's own
// origin, a link without a `mapping`, a page that is not framed without a `parent_origin` (the
// wasm applies the link's rules again; if it refuses the link it drops, so aborts, the request).
function prefetch() {
  const get = (key) => param(location.search, key) || param(location.hash.slice(1), key);
  const src = get('src');
  if (get('mapping') || (window.parent !== window && !get('parent_origin'))) return undefined;
  let url;
  try { url = src && new URL(src, location.href); } catch { return undefined; }
  if (!url || url.origin !== location.origin) return undefined;
  const controller = new AbortController();
  const response = fetch(url.href, { cache: 'no-store', headers: { Accept: 'application/json' }, signal: controller.signal });
  response.catch(() => {}); // read, and any failure reported, by the wasm
  return { url: url.href, response, controller }; // the href, as the wasm keeps a link's src
}
const first = prefetch();

// Inside a mobile app's WebView (docs/embedding.md, "Inside a mobile app"): the app's bridges
// present when the page starts. Each takes the message the page would post to a parent frame,
// `{source: 'payform', version: 1, type, detail}`: iOS as an object, Android and React Native
// as JSON text.
function findBridges() {
  const found = [];
  const add = (name, target, asJson) => {
    if (typeof target?.postMessage === 'function') {
      found.push({ name, post: (message) => target.postMessage(asJson ? JSON.stringify(message) : message) });
    }
  };
  try {
    add('webkit.messageHandlers.payform', window.webkit?.messageHandlers?.payform, false); // WKScriptMessageHandler
    add('PayformAndroid', window.PayformAndroid, true); // addJavascriptInterface(obj, "PayformAndroid")
    add('ReactNativeWebView', window.ReactNativeWebView, true); // react-native-webview
  } catch { /* a bridge that cannot even be looked at is no bridge */ }
  return found;
}
const bridges = findBridges();
/** Hands a message to every bridge; one that throws stops neither the form nor the others. */
const relay = bridges.length === 0 ? undefined : (message) => {
  for (const bridge of bridges) {
    try { bridge.post(message); } catch (error) { console.warn(`Payform: the ${bridge.name} bridge threw:`, error); }
  }
};

// The schemes of the links the form renders that leave the page: its wallet links
// (Network::uri_scheme, UPI's upi://), the way back to the shop and the explorers (https).
// core/tests/checkout_links.rs holds this list to the form's.
const OUTSIDE_SCHEMES = ['https:', 'bitcoin:', 'lightning:', 'litecoin:', 'dogecoin:', 'ethereum:', 'solana:', 'upi:'];

// With a bridge, a click on one of the form's own links of those schemes is not followed inside
// the WebView, which would show an error page or nothing: the app is asked to open it with the
// system (`payform:open`, `{url}`).
if (relay) {
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || !main.contains(link) || !link.closest('.payform')) return;
    let scheme;
    try { scheme = new URL(link.href).protocol; } catch { return; }
    if (!OUTSIDE_SCHEMES.includes(scheme)) return;
    event.preventDefault();
    relay({ source: 'payform', version: 1, type: 'payform:open', detail: { url: link.href } });
  }, true);
}

// Browser wallets ("Pay with <wallet>"): their module loads only when the page has one.
let wasmStarted;
const started = new Promise((resolve) => { wasmStarted = resolve; });
watchWallets(new URL('payform-wallet.js', import.meta.url).href, () => started);

try {
  const { default: init, mountCheckout, offerWallets } = await import('./payform_embed.js');
  await init({ module_or_path: new URL('payform_embed_bg.wasm', import.meta.url) });
  wasmStarted(offerWallets);
  // The wasm module has started: `make bench` measures from here to the QR in the DOM.
  performance.mark('payform:start');
  mountCheckout(first, relay);
  dropSkeletonOnceShown();
} catch (error) {
  first?.controller.abort();
  showLoadFailure(error);
}
