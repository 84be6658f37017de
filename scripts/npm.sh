#!/usr/bin/env bash
# Packs the npm package from a release build (run after scripts/build.sh --release):
#   target/npm/package/   payform.js (the merchant bundle, as in dist/), the wasm files,
#                         payform.css, locales/ (not en: English is compiled in), presets/,
#                         loader.js, react.js, the .d.ts files, custom-elements.json,
#                         integrity.json, README.md, LICENSE, CHANGELOG.md, package.json
#   target/npm/payform-<version>.tgz   (npm pack)
# The version is Cargo.toml's, in one place.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
out=target/npm/package
rm -rf target/npm && mkdir -p "$out/locales" "$out/presets"
for f in payform.js payform-wallet.js payform_embed_bg.wasm payform_rails.wasm payform.css payform.d.ts integrity.json; do
  [ -f "dist/$f" ] || { echo "npm.sh: dist/$f is missing: run make build first" >&2; exit 1; }
  cp "dist/$f" "$out/"
done
grep -q '__PAYFORM_WASM_INTEGRITY__' "$out/payform.js" && { echo "npm.sh: dist/payform.js is not a release build" >&2; exit 1; }
for f in dist/locales/*.json; do [ "$(basename "$f")" = en.json ] || cp "$f" "$out/locales/"; done
cp dist/presets/*.json "$out/presets/"
cp js/loader.js js/react.js js/react.d.ts js/vue.d.ts custom-elements.json npm/README.md LICENSE CHANGELOG.md "$out/"
# loader.d.ts: loadPayform's type, from payform.d.ts's Payform.
cat > "$out/loader.d.ts" <<'DTS'
import type { Payform } from './payform.js';
export interface LoadOptions {
  /** Inject this payform.js (an immutable versioned URL) instead of importing the package's own. */
  src?: string;
  /** The script's integrity (integrity.json's entry for payform.js), with `src`. */
  integrity?: string;
}
/** Resolves `Payform` once the WebAssembly has started; `null` on a server. Rejects with an Error
 * whose `code` is `load_failed` (also sent as `payform:error` on `document`); the next call retries. */
export declare function loadPayform(options?: LoadOptions): Promise<typeof Payform | null>;
DTS
node - "$out" "$version" <<'JS'
const [dir, version] = process.argv.slice(2);
const fs = require('node:fs');
const pkg = {
  name: 'payform',
  version,
  description: 'An embeddable, provider-agnostic payment form (crypto and bank-QR rails) as a web component, compiled from Rust to WebAssembly.',
  license: 'MIT',
  type: 'module',
  main: './payform.js',
  module: './payform.js',
  types: './payform.d.ts',
  exports: {
    '.': { types: './payform.d.ts', import: './payform.js', default: './payform.js' },
    './loader': { types: './loader.d.ts', import: './loader.js', default: './loader.js' },
    './react': { types: './react.d.ts', import: './react.js', default: './react.js' },
    './vue': { types: './vue.d.ts' },
    './payform.css': './payform.css',
    './custom-elements.json': './custom-elements.json',
    './integrity.json': './integrity.json',
    './package.json': './package.json',
  },
  files: ['payform.js', 'payform-wallet.js', 'payform_embed_bg.wasm', 'payform_rails.wasm', 'payform.css', 'payform.d.ts',
    'loader.js', 'loader.d.ts', 'react.js', 'react.d.ts', 'vue.d.ts', 'locales/', 'presets/',
    'custom-elements.json', 'integrity.json', 'CHANGELOG.md'],
  // payform.js registers <pay-form> when imported: a bundler must keep `import 'payform'`.
  sideEffects: ['./payform.js'],
  customElements: 'custom-elements.json',
  peerDependencies: { react: '>=18' },
  peerDependenciesMeta: { react: { optional: true }, vue: { optional: true } },
  keywords: ['payment', 'payment-form', 'checkout', 'crypto', 'bitcoin', 'web-component', 'custom-element', 'webassembly', 'react'],
};
fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
JS
(cd target/npm && npm pack ./package --silent >/dev/null)
echo "npm.sh: target/npm/payform-$version.tgz ($(wc -c < "target/npm/payform-$version.tgz") bytes)"
