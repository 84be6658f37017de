// Boots the hosted checkout page (checkout.html): loads the wasm and mounts the form with the
// options in the page URL. An external module, so the page needs no inline script.
import init, { mountCheckout } from './payform_embed.js';

await init({ module_or_path: new URL('payform_embed_bg.wasm', import.meta.url) });
// The wasm module has started: `make bench` measures from here to the QR in the DOM.
performance.mark('payform:start');
mountCheckout();
