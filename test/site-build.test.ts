/**
 * The built site, read as files: nothing fetched from a CDN (at build time or by the reader's
 * browser), no personal identifier from the warehouse, every district page present, and each
 * page's data under 1 MB.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PLANTED_PERSONAL } from '../scripts/site-fixture.ts';
import { ROOT, sitePages, type BuiltSite } from './helpers/browser.ts';
import { sharedSite } from './helpers/shared-site.ts';

const UNITS = readFileSync(join(ROOT, 'data/reference/units.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
/** Hosts of package CDNs and web-font services a Framework site may reach for. */
const CDN = /(cdn\.jsdelivr\.net|unpkg\.com|esm\.sh|cdnjs\.cloudflare\.com|cdn\.skypack\.dev|jspm\.io|ga\.jspm|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.run|observablehq\.com\/@|api\.observablehq\.com|events\.observablehq\.com)/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe('built site', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await sharedSite('fixture');
  });

  it('has every page, one per district', () => {
    for (const p of sitePages(UNITS)) expect(existsSync(join(site.distDir, `${p}.html`)), p).toBe(true);
    const sidebar = readFileSync(join(site.distDir, 'index.html'), 'utf8');
    for (const u of UNITS) expect(sidebar).toContain(`districts/${u}.html`);
  });

  it('references no CDN and ships no npm: download', () => {
    const offenders: string[] = [];
    for (const f of filesUnder(site.distDir)) {
      if (!/\.(html|js|css|json)$/.test(f)) continue;
      const m = CDN.exec(readFileSync(f, 'utf8'));
      if (m) offenders.push(`${relative(site.distDir, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
    expect(existsSync(join(site.distDir, '_npm'))).toBe(false);
    // Only the SVG namespace may appear as an absolute address in the pages and the code.
    const hosts = new Set<string>();
    for (const f of filesUnder(site.distDir)) if (/\.(html|css)$/.test(f)) for (const m of readFileSync(f, 'utf8').matchAll(/(?:src|href)=["']?(https?:\/\/[^"' >]+)/g)) hosts.add(m[1]);
    expect([...hosts]).toEqual([]);
  });

  it('contains no personal identifier planted in the warehouse', () => {
    for (const f of filesUnder(site.distDir)) {
      const text = readFileSync(f, 'utf8');
      for (const id of PLANTED_PERSONAL) expect(text.includes(id), `${id} in ${relative(site.distDir, f)}`).toBe(false);
    }
  });

  it('loads under 1 MB of data on every page', () => {
    for (const p of sitePages(UNITS)) {
      const html = readFileSync(join(site.distDir, `${p}.html`), 'utf8');
      const sizes = [...html.matchAll(/registerFile\("[^"]+\.json", \{[^}]*"size":(\d+)\}/g)].map((m) => Number(m[1]));
      expect(sizes.length, p).toBeGreaterThan(0);
      expect(sizes.reduce((a, b) => a + b, 0), p).toBeLessThan(1_000_000);
    }
  });
});
