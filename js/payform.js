// Payform — the ES module a merchant page loads:
//   <script type="module" src="https://cdn.example/payform/payform.js"></script>
//   <pay-form src="/api/payments/pay_123" preset="payform"></pay-form>
// It registers <pay-form> once (loading it twice is harmless), exposes Payform.mount,
// Payform.openCheckout and Payform.version as exports and on window.Payform, and initialises
// the WebAssembly once for any number of forms. No eval, no inline script, no innerHTML.
import init, * as wasm from './payform_embed.js';
import { localeStrings, word, loadFailureBox } from './locale-strings.js';
import { WASM, RAILS, STYLESHEET, WALLET, LOCALE_FILES, PRESET_FILES, localeFile } from './assets.js';
import { watchWallets, lookForWallets } from './wallets.js';

export const version = '0.1.0';

// A second Payform of another version on the same page: the first one's element stays defined.
if (typeof window !== 'undefined' && window.Payform && window.Payform.version !== version) {
  console.warn(`Payform ${version} is loaded on a page that already has Payform ${window.Payform.version}; <pay-form> stays ${window.Payform.version}'s.`);
}

// One initialisation of the WebAssembly for every form on the page, with its own fetch so that
// a failure says why (HTTP status, MIME type, Content-Security-Policy). A failed load is
// forgotten: the next form, or a changed attribute, loads it again.
let started;

// Browser wallets ("Pay with <wallet>"): their module loads only when the page has one.
watchWallets(WALLET, () => boot().then(() => wasm.offerWallets));

function boot() {
  started ??= load().catch((error) => {
    started = undefined;
    throw error;
  });
  return started;
}

function loadFailed(message) {
  const error = new Error(`Payform could not start: ${message}`);
  error.code = 'load_failed';
  return error;
}

// The wasm's sha384, written here by the release build (scripts/integrity.mjs): the fetch
// refuses any other bytes. (A development build keeps the placeholder and checks nothing.)
const WASM_INTEGRITY = '__PAYFORM_WASM_INTEGRITY__';

/** Resolves once the WebAssembly has started (at once if it has); rejects with the `load_failed`
 * Error if it cannot. Forms start it themselves: this is for a page that wants to know early. */
export function ready() {
  return boot().then(() => undefined);
}

async function load() {
  const url = WASM;
  const integrity = WASM_INTEGRITY.startsWith('sha384-') ? WASM_INTEGRITY : undefined;
  let response;
  try {
    response = await fetch(url, integrity ? { integrity } : {});
  } catch (error) {
    // With an integrity, any answer that is not this release's file fails the same way (a 404
    // page, the wrong bytes): one plain request tells which, on this failure path only.
    const probe = integrity ? await fetch(url, { cache: 'no-store' }).catch(() => null) : null;
    if (probe) response = probe;
    else throw loadFailed(`${url} could not be fetched (${error?.message ?? error}): offline, or blocked by CORS or the page's connect-src`);
    if (probe.ok && (probe.headers.get('content-type') ?? '').startsWith('application/wasm')) {
      throw loadFailed(`${url} is not the file of this release (its sha384 differs from the one payform.js was built with)`);
    }
  }
  if (!response.ok) throw loadFailed(`${url} answered HTTP ${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/wasm') {
    throw loadFailed(`${url} was served as "${type || 'no MIME type'}"; WebAssembly must be served as application/wasm`);
  }
  try {
    await init({ module_or_path: response });
  } catch (error) {
    const text = String(error?.message ?? error);
    throw loadFailed(/Content.Security.Policy|unsafe-eval/i.test(text)
      ? `the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to script-src (${text})`
      : `the WebAssembly did not start: ${text}`);
  }
}

// Never a blank box: the failure in the shopper's words (the form's locale files), and
// `payform:error` with the code `load_failed` for the page.
function showLoadFailure(parent, target, error, lang) {
  console.error(error);
  const tags = lang && lang !== 'auto' ? [lang] : navigator.languages ?? [];
  const box = loadFailureBox(localeStrings(tags, LOCALE_FILES));
  parent.append(box);
  target.dispatchEvent(new CustomEvent('payform:error', {
    bubbles: true, composed: true,
    detail: { code: 'load_failed', message: error.message, retry_in_ms: null },
  }));
  return box;
}

// The first request of a form starts at once, in parallel with the wasm, and is handed to it:
// the same request the wasm would send (GET, no-store, JSON), aborted by the wasm after its
// timeout or when the form goes away (and here, when the form is stopped before the wasm took it).
function prefetch(src) {
  if (typeof src !== 'string' || src === '') return undefined;
  const controller = new AbortController();
  const response = fetch(src, { cache: 'no-store', headers: { Accept: 'application/json' }, signal: controller.signal });
  response.catch(() => {}); // read (and its failure reported) by the wasm
  return { url: src, response, controller };
}

// Where the form fetches what it needs besides the wasm (assets.js): the file of the locale it
// will choose and the description of its preset, each by a URL a bundler rewrote if there was
// one (the wasm takes a value not ending in `/` as the file itself), and the bank rails'
// module. What the merchant passed wins.
function files(lang, preset) {
  const presets = typeof preset === 'string' && Object.hasOwn(PRESET_FILES, preset) ? PRESET_FILES[preset] : undefined;
  return { locales: localeFile(lang), presets, rails: RAILS };
}

// The element's attributes; the wasm reads and checks them (one table: core/src/options.rs).
// options:begin (generated by core/tests/contract.rs from core/src/options.rs)
const ATTRIBUTES = ['src', 'payment', 'preset', 'mapping', 'poll-interval', 'events-src', 'theme', 'lang', 'return-hosts', 'refund-address', 'more-time', 'network-mode'];
// The element's properties, each reflected to its attribute: [property, attribute].
const PROPERTIES = [['src', 'src'], ['payment', 'payment'], ['preset', 'preset'], ['mapping', 'mapping'], ['pollInterval', 'poll-interval'], ['eventsSrc', 'events-src'], ['theme', 'theme'], ['lang', 'lang'], ['returnHosts', 'return-hosts'], ['refundAddress', 'refund-address'], ['moreTime', 'more-time'], ['networkMode', 'network-mode']];
// options:end

const MOUNTED = new Set();

/**
 * Mounts a form into `target`; events are dispatched on `target`. Returns
 * `{destroy(), refresh()}`; destroy stops every timer, request and listener.
 */
export async function mount(target, options = {}) {
  lookForWallets();
  const first = options.payment == null ? prefetch(options.src) : undefined;
  try {
    await boot();
  } catch (error) {
    first?.controller.abort();
    showLoadFailure(target, target, error, options.lang); // and the promise rejects with it
    throw error;
  }
  const host = document.createElement('div');
  target.append(host);
  let handle;
  try {
    handle = wasm.mount(host, { ...files(options.lang, options.preset), ...options }, undefined, first);
  } catch (error) {
    first?.controller.abort();
    host.remove(); // options that cannot be used: an Error whose `code` is the payform:error code
    throw error;
  }
  // The form lives until destroy(), not until the page drops this handle: the wasm frees (and
  // so removes) a form whose handle the garbage collector took.
  MOUNTED.add(handle);
  let alive = true;
  return {
    refresh: () => { if (alive) handle.refresh(); },
    destroy: () => {
      if (!alive) return; // destroying twice is harmless
      alive = false;
      MOUNTED.delete(handle);
      handle.destroy();
      handle.free(); // release the Rust side of the handle too
      host.remove();
    },
  };
}

// On a server (SSR) there is no HTMLElement: the module still imports, and defines nothing.
const ElementBase = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;

class PayFormElement extends ElementBase {
  static observedAttributes = ATTRIBUTES;

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = STYLESHEET;
      root.append(css);
    }
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback(name, before, after) {
    // A running form, or one whose load failed (a changed attribute is a new attempt).
    if (before !== after && this.isConnected && (this.#handle || this.#failure)) this.#start();
  }

  /** Asks the backend now instead of at the next poll. */
  refresh() { this.#handle?.wasm.refresh(); }

  #handle = null;
  #failure = null;
  #generation = 0;

  async #start() {
    this.#stop();
    lookForWallets();
    const generation = ++this.#generation;
    const first = this.hasAttribute('payment') ? undefined : prefetch(this.getAttribute('src'));
    let failure;
    try {
      await boot();
    } catch (error) {
      failure = error;
    }
    if (generation !== this.#generation || !this.isConnected) { // re-targeted or removed meanwhile
      first?.controller.abort();
      return;
    }
    if (failure) {
      first?.controller.abort();
      this.#failure = showLoadFailure(this.shadowRoot, this, failure, this.getAttribute('lang'));
      return;
    }
    const host = document.createElement('div');
    this.shadowRoot.append(host);
    try {
      const attributes = Object.fromEntries(ATTRIBUTES.map((name) => [name, this.getAttribute(name)]));
      const assets = files(this.getAttribute('lang'), this.getAttribute('preset'));
      this.#handle = { wasm: wasm.mount(host, assets, attributes, first), host };
    } catch (error) {
      first?.controller.abort();
      host.remove();
      this.dispatchEvent(new CustomEvent('payform:error', {
        bubbles: true, composed: true,
        detail: { code: error?.code ?? 'bad_config', message: String(error?.message ?? error), retry_in_ms: null },
      }));
    }
  }

  #stop() {
    this.#generation++;
    this.#failure?.remove();
    this.#failure = null;
    if (this.#handle) {
      this.#handle.wasm.destroy();
      this.#handle.wasm.free(); // release the Rust side of the handle too
      this.#handle.host.remove();
      this.#handle = null;
    }
  }
}

// Loading the module twice (two script tags, two versions) defines the element once.
// Reflected properties (`form.pollInterval = 2000` sets `poll-interval="2000"`; `true` sets a flag,
// `false`, `null` and `undefined` remove the attribute), from the options table.
for (const [property, attribute] of PROPERTIES) {
  Object.defineProperty(PayFormElement.prototype, property, {
    configurable: true,
    enumerable: true,
    get() { return this.getAttribute(attribute); },
    set(value) {
      if (value === false || value == null) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value === true ? '' : String(value));
    },
  });
}

if (typeof customElements !== 'undefined' && !customElements.get('pay-form')) {
  customElements.define('pay-form', PayFormElement);
}

const FOCUSABLE = 'a[href], button, iframe, input, select, textarea, [tabindex]:not([tabindex="-1"])';


/**
 * Opens the hosted checkout (`checkout.html?...`) in an iframe: inline in `options.container`,
 * or as a modal. Re-emits the checkout's messages as `payform:*` DOM events on the container
 * (the modal's overlay for a modal), accepting a message only from that iframe and from the
 * checkout's exact origin. Returns `{close(), element}`. `options.lang` is also the checkout's
 * `lang` unless its URL has one.
 */
export function openCheckout(url, options = {}) {
  const checkoutUrl = new URL(url, location.href);
  checkoutUrl.searchParams.set('parent_origin', location.origin);
  if (options.lang && !checkoutUrl.searchParams.has('lang') && !new URLSearchParams(checkoutUrl.hash.slice(1)).has('lang')) {
    checkoutUrl.searchParams.set('lang', options.lang);
  }
  const origin = checkoutUrl.origin;
  const modal = !options.container;
  const frame = document.createElement('iframe');
  frame.src = checkoutUrl.href;
  frame.title = options.title || 'Payment';
  frame.className = 'payform-frame';
  frame.setAttribute('allow', 'clipboard-write');
  frame.style.border = '0';
  frame.style.width = '100%';
  frame.style.height = (options.height || 640) + 'px';

  let container, overlay, closeButton, previousFocus, closed = false;
  if (modal) {
    previousFocus = document.activeElement;
    overlay = document.createElement('div');
    overlay.className = 'payform-modal';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-label', frame.title);
    Object.assign(overlay.style, {
      position: 'fixed', inset: '0', background: 'rgba(0,0,0,.55)', display: 'flex',
      alignItems: 'center', justifyContent: 'center', zIndex: '2147483000',
    });
    const box = document.createElement('div');
    Object.assign(box.style, { background: '#fff', borderRadius: '12px', width: 'min(440px, 100vw)', maxHeight: '100vh', overflow: 'auto', position: 'relative' });
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'payform-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close payment');
    Object.assign(close.style, { position: 'absolute', top: '4px', right: '8px', font: '24px/1 system-ui', background: 'none', border: '0', cursor: 'pointer' });
    close.addEventListener('click', () => api.close());
    box.append(close, frame);
    closeButton = close;
    overlay.append(box);
    overlay.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); api.close(); }
      if (e.key === 'Tab') { // keep focus inside the dialog
        const items = [...box.querySelectorAll(FOCUSABLE)];
        const first = items[0], last = items[items.length - 1];
        if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
        else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
      }
    });
    document.body.append(overlay);
    container = overlay;
    close.focus();
  } else {
    container = options.container;
    container.append(frame);
  }

  // The title (the dialog's label too) and the close button's label in `options.lang`, else the
  // page's, else the browser's language; a title given by the page stays.
  const tags = options.lang && options.lang !== 'auto' ? [String(options.lang)]
    : !options.lang && document.documentElement.lang ? [document.documentElement.lang]
    : navigator.languages ?? [];
  localeStrings(tags, options.locales ?? LOCALE_FILES).then(({ lang, text }) => {
    const title = word(text, 'frame_title'), close = word(text, 'frame_close');
    if (title && !options.title) {
      frame.title = title;
      overlay?.setAttribute('aria-label', title);
      (overlay ?? frame).lang = lang;
    }
    if (close && closeButton) {
      closeButton.setAttribute('aria-label', close);
      closeButton.lang = lang;
    }
  });

  function onMessage(event) {
    // Only this iframe, only the checkout's exact origin, only our envelope.
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || data.source !== 'payform' || data.version !== 1 || typeof data.type !== 'string') return;
    if (!data.type.startsWith('payform:')) return;
    if (data.type === 'payform:resize' && Number.isFinite(data.detail?.height)) {
      frame.style.height = Math.ceil(data.detail.height) + 'px';
    }
    container.dispatchEvent(new CustomEvent(data.type, { bubbles: true, composed: true, detail: data.detail }));
    if (data.type === 'payform:paid' && modal && options.closeOnPaid !== false) {
      setTimeout(() => api.close(), options.closeDelay ?? 2500);
    }
  }
  window.addEventListener('message', onMessage);

  const api = {
    element: container,
    frame,
    close() {
      if (closed) return;
      closed = true;
      window.removeEventListener('message', onMessage);
      container.dispatchEvent(new CustomEvent('payform:close', { bubbles: true, composed: true, detail: {} }));
      if (modal) { overlay.remove(); previousFocus?.focus?.(); } else { frame.remove(); }
    },
  };
  return api;
}

export const Payform = { mount, openCheckout, version, ready };
if (typeof window !== 'undefined' && !window.Payform) window.Payform = Payform;
export default Payform;
