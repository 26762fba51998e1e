/**
 * Screenshots of every page of a built site, in both languages, at desktop, laptop and phone
 * widths, for looking at what readers see: `npm run screenshots` after `npm run build`.
 * Uses Debian's Chromium (/usr/bin/chromium) through playwright-core; waits for each page's ready
 * marker (html[data-ready]), never for a fixed time.
 *
 *   tsx scripts/screenshots.ts [--dist dist] [--out test-results/screenshots] [--widths 1440,1024,390] [--pages index,pool]
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveSite } from './serve-site.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Every page of a built site, as paths without .html (index, pool, districts/YH, …). */
export function builtPages(dist: string): string[] {
  const walk = (d: string): string[] => readdirSync(d).sort().flatMap((f) => {
    const p = join(d, f);
    if (statSync(p).isDirectory()) return f.startsWith('_') ? [] : walk(p);
    return f.endsWith('.html') ? [relative(dist, p).replace(/\.html$/, '')] : [];
  });
  return walk(dist);
}

export async function takeScreenshots(opts: { dist: string; out: string; widths: number[]; pages?: string[]; log?: (s: string) => void }): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const log = opts.log ?? (() => {});
  mkdirSync(opts.out, { recursive: true });
  const server = await serveSite(opts.dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const written: string[] = [];
  try {
    for (const path of opts.pages ?? builtPages(opts.dist)) {
      for (const lang of ['zh', 'en']) {
        for (const width of opts.widths) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          await page.goto(`${server.url}${path}.html?lang=${lang}`);
          await page.waitForSelector('html[data-ready]', { state: 'attached', timeout: 120_000 });
          const file = join(opts.out, `${path.replace(/\//g, '-')}-${lang}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          written.push(file);
          log(file);
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist' }, out: { type: 'string', default: 'test-results/screenshots' }, widths: { type: 'string', default: '1440,1024,390' }, pages: { type: 'string' } } });
  if (!existsSync(join(values.dist, 'index.html'))) {
    console.error(`screenshots: ${values.dist}/index.html not found; build the site first (npm run build)`);
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`screenshots: ${CHROMIUM} not found; apt-get install -y chromium fonts-noto-cjk`);
    process.exit(1);
  }
  const files = await takeScreenshots({ dist: values.dist, out: values.out, widths: values.widths.split(',').map(Number), pages: values.pages?.split(','), log: (f) => console.log(f) });
  console.log(`screenshots: ${files.length} written to ${values.out}`);
}
