#!/usr/bin/env node
// Serves the built dashboard (dist/) on localhost, mapping clean URLs (/energy → energy.html).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv; charset=utf-8', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2', '.parquet': 'application/octet-stream', '.arrow': 'application/vnd.apache.arrow.file',
};

function resolveFile(urlPath) {
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  const base = join(root, clean);
  if (!base.startsWith(root)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    const st = statSync(candidate, { throwIfNoEntry: false });
    if (st?.isFile()) return candidate;
  }
  return undefined;
}

export function serve() {
  const server = createServer((req, res) => {
    const file = resolveFile(req.url ?? '/');
    if (!file) {
      const notFound = resolveFile('/404');
      res.writeHead(404, { 'content-type': types['.html'] });
      return notFound ? createReadStream(notFound).pipe(res) : res.end('not found');
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.listen(port, host, () => console.log(`\nSteward dashboard: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/  (Ctrl-C to stop)`));
  return server;
}

serve();
