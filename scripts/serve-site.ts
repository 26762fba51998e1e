/**
 * Serves the built site (dist/) on localhost: the last step of `npm start`, and the server the
 * browser tests use. Plain node:http, no dependencies; `/x` serves `x.html` as well as `x`.
 *
 *   tsx scripts/serve-site.ts [dir=dist] [--port 3000] [--host 127.0.0.1]
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2',
};

export interface SiteServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or null (never a file outside `root`). */
export function resolveRequest(root: string, urlPath: string): string | null {
  let p = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  if (p.endsWith('/')) p += 'index.html';
  const file = normalize(join(root, p));
  if (file !== root && !file.startsWith(root + sep)) return null;
  for (const candidate of [file, `${file}.html`, join(file, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export function serveSite(dir = 'dist', { port = 0, host = '127.0.0.1' } = {}): Promise<SiteServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    return Promise.reject(new Error(`${root}/index.html not found: build the site first (npm run build)`));
  }
  const server = createServer((req, res) => {
    const file = resolveRequest(root, req.url ?? '/');
    if (!file) {
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      ok({ url: `http://${host}:${actual}/`, server, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const port = Number(opt('--port') ?? process.env.PORT ?? 3000);
  const host = opt('--host') ?? '127.0.0.1';
  try {
    const s = await serveSite(args[0] ?? 'dist', { port, host });
    console.log(`Steward dashboard: ${s.url}  (Ctrl-C to stop)`);
  } catch (e) {
    console.error(`serve-site: ${(e as Error).message}`);
    process.exit(1);
  }
}
