// Words shown outside the wasm (by payform.js and checkout.js), from the form's locale files
// (keys of `Msg`, core/src/i18n.rs). Bundled into each of them by the release build
// (scripts/build.sh); copied beside them for `make dev`.

// The file of the first tag's language (Payform's locales are languages: `pt-BR` reads `pt`),
// `{}` (English) for English, on any failure, or for a file over 64 KiB. Never rejects; the
// caller uses string values only.
// `files` is the base URL of the locale files (`<files><lang>.json`), or an object of each
// file's URL by language (payform.js's, from assets.js).
export async function localeStrings(tags, files) {
  for (const tag of tags) {
    const lang = String(tag).split(/[-_]/)[0].toLowerCase();
    if (lang === 'en') break;
    if (!/^[a-z]{2,3}$/.test(lang)) continue;
    const url = typeof files === 'string' ? files + lang + '.json' : Object.hasOwn(files, lang) && files[lang];
    if (!url) continue;
    try {
      const body = await (await fetch(url)).text();
      const json = body.length <= 65536 && JSON.parse(body);
      if (json && typeof json === 'object') return { lang, text: json };
    } catch { /* the next tag, or English */ }
  }
  return { lang: 'en', text: {} };
}

/** The string under `key`, or `null`. */
export const word = (text, key) => (typeof text[key] === 'string' ? text[key] : null);

/** The box both loaders show when the WebAssembly cannot start (payform.js in the element or
 * the mount target, checkout.js in the hosted checkout): English at once, then the shopper's
 * words from `strings` (a `localeStrings` promise). */
export function loadFailureBox(strings) {
  const box = document.createElement('div');
  box.className = 'payform';
  box.dataset.testid = 'load-failed';
  const message = document.createElement('p');
  message.className = 'pf-problem';
  message.setAttribute('role', 'alert');
  message.dir = 'auto';
  message.textContent = 'The payment form could not load. Check your connection and reload the page.';
  box.append(message);
  strings.then(({ text }) => { message.textContent = word(text, 'load_failed') ?? message.textContent; });
  return box;
}
