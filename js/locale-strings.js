// Words shown outside the wasm (by payform.js and checkout.js), from the form's locale files
// (keys of `Msg`, core/src/i18n.rs). Bundled into each of them by the release build
// (scripts/build.sh); copied beside them for `make dev`.

// The file of the first tag's language (Payform's locales are languages: `pt-BR` reads `pt`),
// `{}` (English) for English, on any failure, or for a file over 64 KiB. Never rejects; the
// caller uses string values only.
export async function localeStrings(tags, base) {
  for (const tag of tags) {
    const lang = String(tag).split(/[-_]/)[0].toLowerCase();
    if (lang === 'en') break;
    if (!/^[a-z]{2,3}$/.test(lang)) continue;
    try {
      const body = await (await fetch(base + lang + '.json')).text();
      const json = body.length <= 65536 && JSON.parse(body);
      if (json && typeof json === 'object') return { lang, text: json };
    } catch { /* the next tag, or English */ }
  }
  return { lang: 'en', text: {} };
}

/** The string under `key`, or `null`. */
export const word = (text, key) => (typeof text[key] === 'string' ? text[key] : null);
