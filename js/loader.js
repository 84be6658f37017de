// payform/loader: `loadPayform()`, for apps that load Payform when they need it (as
// @stripe/stripe-js's `loadStripe`). No side effects on import; on a server it resolves `null`.
// In the browser it imports payform.js once (or, with `src`, injects that URL's script once:
// an immutable versioned CDN path, with its `integrity`), starts the WebAssembly, and resolves
// `Payform` ({mount, openCheckout, version}). A failure rejects with an Error whose `code` is
// `load_failed`, is dispatched on `document` as `payform:error`, and is forgotten: the next
// call tries again.

let loading;

export function loadPayform(options = {}) {
  if (typeof window === 'undefined' || typeof document === 'undefined') return Promise.resolve(null);
  loading ??= load(options).catch((error) => {
    loading = undefined;
    document.dispatchEvent(new CustomEvent('payform:error', {
      detail: { code: 'load_failed', message: error.message, retry_in_ms: null },
    }));
    throw error;
  });
  return loading;
}

function failed(message) {
  const error = new Error(`Payform could not start: ${message}`);
  error.code = 'load_failed';
  return error;
}

async function load({ src, integrity } = {}) {
  let payform;
  if (src == null) {
    try {
      payform = (await import('./payform.js')).Payform;
    } catch (error) {
      throw failed(`payform.js could not be imported (${error?.message ?? error})`);
    }
  } else {
    payform = await inject(String(src), integrity);
  }
  try {
    await payform.ready();
  } catch (error) {
    throw error?.code === 'load_failed' ? error : failed(String(error?.message ?? error));
  }
  return payform;
}

// A module script for `src`, once: an existing one (same URL) is reused. It sets
// `window.Payform` when it runs.
function inject(src, integrity) {
  const url = new URL(src, document.baseURI);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return Promise.reject(failed(`src must be an http(s) URL, not ${url.protocol}`));
  }
  return new Promise((resolve, reject) => {
    const done = () => (window.Payform?.ready
      ? resolve(window.Payform)
      : reject(failed(`${url} ran but did not define window.Payform (another Payform may have defined it first)`)));
    let script = [...document.querySelectorAll('script[type="module"][src]')].find((s) => s.src === url.href);
    if (script && window.Payform) return done();
    if (script?.dataset.payformFailed) script.remove(), (script = null);
    if (!script) {
      script = document.createElement('script');
      script.type = 'module';
      script.src = url.href;
      script.crossOrigin = 'anonymous';
      if (integrity) script.integrity = String(integrity);
      document.head.append(script);
    }
    script.addEventListener('load', done, { once: true });
    script.addEventListener('error', () => {
      script.dataset.payformFailed = '1';
      reject(failed(`${url} could not be loaded (404, a network error, a Content-Security-Policy without its host in script-src, or an integrity mismatch)`));
    }, { once: true });
  });
}
