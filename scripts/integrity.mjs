// Pins a release build for subresource integrity (PCI DSS 4.0 §6.4.3): writes the sha384 of
// payform_embed_bg.wasm into payform.js (the loader's fetch of the wasm checks it), and an
// `integrity.json` beside the files with the sha384 of every one of them, for
// <script integrity>, import maps and preloads (docs/embedding.md, "Subresource integrity").
// Usage: node scripts/integrity.mjs dist <version>   (after the release build, before compress)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const [dir, version] = process.argv.slice(2);
const KINDS = new Set(['.wasm', '.js', '.css', '.html', '.json', '.ts']);
const sri = (path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;

function files(base, at = base, out = []) {
  for (const name of readdirSync(at)) {
    const path = join(at, name);
    if (statSync(path).isDirectory()) {
      // Not into the pinned copies, and not the demo's own pages.
      if (!/^v\d/.test(name) && name !== 'examples') files(base, path, out);
      continue;
    }
    if (KINDS.has(extname(name)) && name !== 'integrity.json') out.push(relative(base, path));
  }
  return out.sort();
}

for (const base of [dir, join(dir, `v${version}`)]) {
  if (!existsSync(join(base, 'payform_embed_bg.wasm'))) continue;
  const loader = join(base, 'payform.js');
  const text = readFileSync(loader, 'utf8');
  if (!text.includes('__PAYFORM_WASM_INTEGRITY__')) throw new Error(`${loader}: no integrity placeholder`);
  writeFileSync(loader, text.replaceAll('__PAYFORM_WASM_INTEGRITY__', sri(join(base, 'payform_embed_bg.wasm'))));
  const table = Object.fromEntries(files(base).map((f) => [f, sri(join(base, f))]));
  writeFileSync(join(base, 'integrity.json'), `${JSON.stringify(table, null, 2)}\n`);
}
