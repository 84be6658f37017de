// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside every text or wasm
// file under the given folders, as a CDN would serve them; the devserver sends them to
// browsers that accept them (Content-Encoding), like a CDN. Usage: node scripts/compress.mjs dist
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const KINDS = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.json', '.svg', '.ts', '.txt']);

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!KINDS.has(extname(name))) continue;
    const data = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(`${path}.br`, brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: extname(name) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }));
  }
}

for (const dir of process.argv.slice(2)) walk(dir);
