// Opens the hosted checkout inline, and installs record.js's recorders in its window as soon as
// the checkout's document exists. The checkout's CSP forbids inline scripts and WebDriver has no
// init scripts in WebKit, so the recorders come from here (same origin): this page polls, one
// task at a time, until the iframe holds checkout.html, then hooks it. The hook runs long before
// the wasm has rendered anything; __hookedEarly says whether it saw the form's first event.
import { openCheckout } from '/payform.js';

const src = new URLSearchParams(location.search).get('src');
window.checkoutHandle = openCheckout(`/checkout.html?src=${encodeURIComponent(src)}&poll-interval=300`,
  { container: document.getElementById('form') });
const frame = document.querySelector('#form iframe.payform-frame');
const channel = new MessageChannel();
const started = performance.now();
channel.port1.onmessage = () => {
  let doc = null;
  try { doc = frame.contentDocument; } catch { /* not reachable */ }
  if (doc && doc.location.pathname === '/checkout.html') {
    window.__hook(frame.contentWindow, 'checkout');
    window.__hooked = true;
  } else if (performance.now() - started < 10_000) {
    channel.port2.postMessage(0);
  } else {
    window.__errors.push('frame.js: the checkout document never appeared in its iframe');
  }
};
channel.port2.postMessage(0);
