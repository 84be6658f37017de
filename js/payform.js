// Payform — the ES module a merchant page loads:
//   <script type="module" src="https://cdn.example/payform/payform.js"></script>
//   <pay-form src="/api/payments/pay_123" preset="payform"></pay-form>
// It registers <pay-form> once (loading it twice is harmless), exposes Payform.mount,
// Payform.openCheckout and Payform.version as exports and on window.Payform, and initialises
// the WebAssembly once for any number of forms. No eval, no inline script, no innerHTML.
import init, * as wasm from './payform_embed.js';

const here = new URL('.', import.meta.url);
let ready; // one initialisation for every form on the page
function boot() {
  ready ??= init({ module_or_path: new URL('payform_embed_bg.wasm', here) });
  return ready;
}

export const version = '0.1.0';

// Translations live next to this module; only the shopper's locale is ever fetched.
const LOCALES = new URL('locales/', here).href;

const ATTRIBUTES = ['src', 'preset', 'payment', 'lang', 'theme', 'poll-interval', 'events-src', 'mapping', 'return-hosts'];

function optionsFrom(get) {
  const interval = get('poll-interval');
  return {
    src: get('src') || undefined,
    payment: get('payment') || undefined,
    preset: get('preset') || undefined,
    mapping: get('mapping') || undefined,
    pollInterval: interval ? Number(interval) : undefined,
    eventsSrc: get('events-src') || undefined,
    lang: get('lang') || undefined,
    theme: get('theme') || undefined,
    returnHosts: get('return-hosts') || undefined,
  };
}

/**
 * Mounts a form into `target`; events are dispatched on `target`. Returns
 * `{destroy(), refresh()}`; destroy stops every timer, request and listener.
 */
export async function mount(target, options = {}) {
  await boot();
  const host = document.createElement('div');
  target.append(host);
  const handle = wasm.mount(host, { locales: LOCALES, ...options });
  let alive = true;
  return {
    refresh: () => { if (alive) handle.refresh(); },
    destroy: () => {
      if (!alive) return; // destroying twice is harmless
      alive = false;
      handle.destroy();
      handle.free(); // release the Rust side of the handle too
      host.remove();
    },
  };
}

class PayFormElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = new URL('payform.css', here).href;
      root.append(css);
    }
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.isConnected && this.#handle) this.#start();
  }

  /** Asks the backend now instead of at the next poll. */
  refresh() { this.#handle?.wasm.refresh(); }

  #handle = null;
  #generation = 0;

  async #start() {
    this.#stop();
    const generation = ++this.#generation;
    await boot();
    if (generation !== this.#generation || !this.isConnected) return; // re-targeted or removed meanwhile
    const host = document.createElement('div');
    this.shadowRoot.append(host);
    try {
      this.#handle = { wasm: wasm.mount(host, { locales: LOCALES, ...optionsFrom((n) => this.getAttribute(n)) }), host };
    } catch (error) {
      host.remove();
      this.dispatchEvent(new CustomEvent('payform:error', {
        bubbles: true, composed: true,
        detail: { code: 'bad_config', message: String(error?.message ?? error), retry_in_ms: null },
      }));
    }
  }

  #stop() {
    this.#generation++;
    if (this.#handle) {
      this.#handle.wasm.destroy();
      this.#handle.wasm.free(); // release the Rust side of the handle too
      this.#handle.host.remove();
      this.#handle = null;
    }
  }
}

// Loading the module twice (two script tags, two versions) defines the element once.
if (!customElements.get('pay-form')) customElements.define('pay-form', PayFormElement);

const FOCUSABLE = 'a[href], button, iframe, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Opens the hosted checkout (`checkout.html?...`) in an iframe: inline in `options.container`,
 * or as a modal. Re-emits the checkout's messages as `payform:*` DOM events on the container
 * (the modal's overlay for a modal), accepting a message only from that iframe and from the
 * checkout's exact origin. Returns `{close(), element}`.
 */
export function openCheckout(url, options = {}) {
  const checkoutUrl = new URL(url, location.href);
  checkoutUrl.searchParams.set('parent_origin', location.origin);
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

  let container, overlay, previousFocus, closed = false;
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

export const Payform = { mount, openCheckout, version };
if (typeof window !== 'undefined' && !window.Payform) window.Payform = Payform;
export default Payform;
