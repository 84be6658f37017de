// A small production server: renders the page with the SSR build, serves the client build's
// files, and passes /api/ to the payment backend (PAYFORM_API, the devserver in the test).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { render } from './dist/server/server-entry.js';

const port = Number(process.env.PORT || 5173);
const api = process.env.PAYFORM_API || 'http://127.0.0.1:8787';
const client = join(import.meta.dirname, 'dist/client');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
const template = await readFile(join(client, 'index.html'), 'utf8');

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname.startsWith('/api/')) {
      const body = req.method === 'GET' ? undefined : await new Promise((ok) => {
        const parts = []; req.on('data', (c) => parts.push(c)); req.on('end', () => ok(Buffer.concat(parts)));
      });
      const answer = await fetch(api + url.pathname + url.search, { method: req.method, body, headers: { 'content-type': req.headers['content-type'] ?? 'application/json', accept: req.headers.accept ?? '*/*' } });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } else if (url.pathname === '/') {
      const { html } = await render(url.searchParams.get('pay') ?? '');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(template.replace('<!--app-->', html));
    } else {
      const path = normalize(join(client, url.pathname));
      if (!path.startsWith(client)) throw Object.assign(new Error('outside'), { status: 403 });
      const data = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(data);
    }
  } catch (error) {
    res.writeHead(error.status ?? (error.code === 'ENOENT' ? 404 : 500), { 'content-type': 'text/plain' });
    res.end(String(error.message));
  }
}).listen(port, '127.0.0.1', () => console.log(`ssr app on http://127.0.0.1:${port}`));
