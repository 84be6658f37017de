// Boots the hosted checkout page (checkout.html): loads the wasm and mounts the form with the
// options in the page URL. An external module, so the page needs no inline script.
// The page paints a static skeleton of the form at once; it gives way to the form as soon as
// the form has more to show than its loading line, or to a plain message if the code cannot load.
// The glue is imported dynamically so that a failed load of it is caught too (the page's
// modulepreload has already started fetching it, so this costs no round trip).

const skeleton = document.querySelector('.pf-skeleton');

/** The form, mounted but still only loading (the stylesheet hides it behind the skeleton). */
const formIsLoading = () => document.querySelector('body > .payform:not(.pf-skeleton) > .pf-loading') !== null;

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
  const box = document.createElement('div');
  box.className = 'payform';
  box.dataset.testid = 'load-failed';
  const message = document.createElement('p');
  message.className = 'pf-problem';
  message.setAttribute('role', 'alert');
  message.textContent = 'The payment form could not load. Check your connection and reload the page.';
  box.append(message);
  document.body.append(box);
}

try {
  const { default: init, mountCheckout } = await import('./payform_embed.js');
  await init({ module_or_path: new URL('payform_embed_bg.wasm', import.meta.url) });
  // The wasm module has started: `make bench` measures from here to the QR in the DOM.
  performance.mark('payform:start');
  mountCheckout();
  dropSkeletonOnceShown();
} catch (error) {
  showLoadFailure(error);
}
