/**
 * Follows docs/analysts.md step by step on a copy of the sample warehouse: writes every code block
 * that names a file, runs every `npx steward` and `npm run` line in order, then looks for the new
 * KPI's card in the built site's page data and, with Chromium, on the vehicles page in both
 * languages — with no TypeScript edited on the way.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/steward.ts';
import { all, openWarehouse } from '../warehouse/db.ts';
import { writeFile } from './fixtures/engine/project.ts';
import { haveSample, sampleDir } from './helpers/sample.ts';
import { browserAvailable, buildSite, launchChromium, pageSettled, ROOT, type BuiltSite } from './helpers/browser.ts';
import { serveSite } from '../scripts/serve-site.ts';
import { formatValue } from '../src/components/format.ts';
import type { Lang } from '../src/components/i18n.ts';

const GUIDE = readFileSync('docs/analysts.md', 'utf8');
const KPI = 'vehicle_passengers_per_trip';

interface Block { lang: string; file?: string; body: string }

/** Fenced blocks in document order; a fence may be longer than three backticks to nest others. */
function blocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /^(`{3,})(\w+)(?: file=(\S+))?\n([\s\S]*?)\n\1$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) out.push({ lang: m[2], file: m[3], body: m[4] + '\n' });
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'steward-guide-'));
const db = join(root, 'data', 'warehouse.duckdb');
const catalog = join(root, 'data', 'catalog.json');
const sqlDir = join(root, 'sql');
const siteDir = join(ROOT, 'test-results', `guide-site-${process.pid}`);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(siteDir, { recursive: true, force: true });
});

/** Runs one guide command against the copied project and warehouse, returning what it printed. */
async function steward(line: string): Promise<{ rc: number; out: string }> {
  const args = line.replace(/^npx steward\s+/, '').match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
  const cmd = args[0];
  if (['run', 'test', 'docs', 'new', 'kpis'].includes(cmd)) args.push('--sql', sqlDir);
  if (!['new', 'kpis'].includes(cmd)) args.push('--db', db);
  if (cmd === 'docs') args.push('--out', catalog);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => { printed.push(a.join(' ')); });
  const err = vi.spyOn(console, 'error').mockImplementation((...a) => { printed.push(a.join(' ')); });
  try {
    return { rc: await main(args), out: printed.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe.skipIf(!haveSample)('docs/analysts.md walkthrough', () => {
  it('goes from a new SQL file and its declaration to a card in both languages', async () => {
    cpSync(join(sampleDir, 'warehouse.duckdb'), db);
    cpSync(join(ROOT, 'sql'), sqlDir, { recursive: true });
    let site: BuiltSite | undefined;
    const outputs: Record<string, string> = {};
    for (const b of blocks(GUIDE)) {
      if (b.file) {
        writeFile(join(root, b.file), b.body);
        continue;
      }
      if (b.lang !== 'sh') continue;
      for (const line of b.body.split('\n').filter((l) => /^(npx steward|npm run) /.test(l))) {
        if (line === 'npm run build') {
          // What `npm run build` does after the pipeline: page data from this warehouse, then the site.
          site = await buildSite(db, siteDir, { data: { catalog } });
          continue;
        }
        const { rc, out } = await steward(line);
        expect(rc, `${line}\n${out}`).toBe(0);
        outputs[line.split(' ')[2]] = out;
      }
    }
    expect(Object.keys(outputs)).toEqual(['new', 'run', 'test', 'query', 'docs']);
    expect(outputs.run).toMatch(/built vehicle_passengers \(new model; \d+ rows/);
    expect(outputs.run).toMatch(/built kpi_components /);
    expect(outputs.run).toMatch(/built kpi_cards /);
    expect(outputs.test).toMatch(/ 0 failed/);
    expect(outputs.query).toMatch(/ALL/);

    // The KPI is in kpi_values at every grain, its city value the ratio of the sums.
    const w = await openWarehouse(db, { readOnly: true });
    const [city] = await all<{ v: number; expected: number }>(w.conn, `
      select v.value as v, (select sum(passengers) / sum(trips_with_passengers) from vehicle_passengers where strftime(month, '%Y') = '2024') as expected
      from kpi_values v where kpi_id = '${KPI}' and unit_code = 'ALL' and grain = 'year' and period = '2024'`);
    const [card] = await all<{ value: number; target_state: string; rank: number | null }>(w.conn, `select value, target_state, rank from kpi_cards where kpi_id = '${KPI}' and unit_code = 'YH' and grain = 'month' and period = '2024-12'`);
    const [meta] = await all<Record<string, unknown>>(w.conn, `select * from kpis where kpi_id = '${KPI}'`);
    w.close();
    expect(city.v).toBeCloseTo(city.expected, 10);
    expect(card.target_state).toBe('none');
    expect(card.rank).toBeGreaterThanOrEqual(1);

    // The published page data carries the card, with names in both languages.
    expect(site).toBeDefined();
    const data = (rel: string) => JSON.parse(readFileSync(join(site!.srcDir, 'data', rel), 'utf8')) as { columns: string[]; rows: unknown[][] };
    const kpis = data('kpis.json');
    const row = kpis.rows.find((r) => r[kpis.columns.indexOf('kpi_id')] === KPI)!;
    expect(row[kpis.columns.indexOf('name_zh')]).toBe('平均乘车人数');
    expect(row[kpis.columns.indexOf('name_en')]).toBe('Passengers per trip');
    const cards = data('areas/vehicles-month.json');
    expect(cards.rows.some((r) => r[0] === KPI && r[1] === 'YH' && r[3] === '2024-12')).toBe(true);
    const district = data('districts/YH.json');
    expect(district.rows.some((r) => r[0] === KPI)).toBe(true);

    // On the page, in both languages, where a browser is at hand.
    if (!browserAvailable()) return;
    const server = await serveSite(site!.distDir);
    const browser = await launchChromium();
    try {
      for (const lang of ['zh', 'en'] as Lang[]) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(`${server.url}vehicles.html?lang=${lang}&unit=YH&grain=month&period=2024-12`);
        await pageSettled(page);
        const el = page.locator(`.steward-kpi[data-kpi="${KPI}"]`);
        expect(await el.locator('h2').textContent()).toBe(lang === 'zh' ? '平均乘车人数' : 'Passengers per trip');
        expect(await el.locator('.steward-kpi-value').textContent()).toBe(formatValue(meta as never, card.value, lang));
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
