/**
 * The page data, published from the bundled sample warehouse: every query of sql/pages/ writes
 * its file, every figure on the cards is the warehouse's own, files stay small, two publications
 * of one warehouse are byte-identical, the queries read models (never raw exports), no driver id
 * or personal detail is published, and without a warehouse every page gets an empty table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { pageQueries, PAGES_DIR, writeSiteData, type SiteDataSummary } from '../scripts/site-data.ts';
import { haveSample, openSample, sampleDir } from './helpers/sample.ts';
import { all, openWarehouse } from '../warehouse/db.ts';
import { tableRefs, parseSqlTexts } from '../engine/parse.ts';
import { CONTRACT } from '../contract/contract.ts';

const work = mkdtempSync(join(tmpdir(), 'steward-site-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}
const read = (out: string, rel: string) => JSON.parse(readFileSync(join(out, rel), 'utf8')) as { columns: string[]; rows: unknown[][] };
const objects = (t: { columns: string[]; rows: unknown[][] }) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));

describe.skipIf(!haveSample)('page data of the sample warehouse', () => {
  const out = join(work, 'a');
  let summary: SiteDataSummary;
  beforeAll(async () => {
    summary = await writeSiteData({ db: join(sampleDir, 'warehouse.duckdb'), out });
  });

  it('writes every query of sql/pages/, once per unit, area or grain it names, without a warning', async () => {
    expect(summary.warnings).toEqual([]);
    const written = new Set(summary.files.map((f) => f.path));
    const w = await openSample();
    const units = (await all<{ u: string }>(w.conn, 'select unit_code as u from ref.units')).map((r) => r.u);
    const areas = (await all<{ a: string }>(w.conn, 'select distinct area as a from kpis')).map((r) => r.a);
    w.close();
    for (const q of pageQueries()) {
      const expected = q.includes('[unit]') ? units.map((u) => q.replace('[unit]', u))
        : q.includes('[area]') ? areas.flatMap((a) => ['month', 'quarter', 'year'].map((g) => q.replace('[area]', a).replace('[grain]', g)))
        : q.includes('[grain]') ? ['month', 'quarter', 'year'].map((g) => q.replace('[grain]', g)) : [q];
      for (const e of expected) expect(written.has(e.replace(/\.sql$/, '.json')), e).toBe(true);
    }
  });

  it('publishes the cards the warehouse computed: every value is kpi_values', async () => {
    const w = await openSample();
    const values = new Map((await all<{ k: string; v: number }>(w.conn, `select kpi_id || '|' || unit_code || '|' || period as k, value as v from kpi_values`)).map((r) => [r.k, r.v]));
    w.close();
    let checked = 0;
    for (const f of summary.files.filter((x) => /^(areas|districts)\/|^overview-/.test(x.path))) {
      for (const r of objects(read(out, f.path))) {
        const v = values.get(`${r.kpi_id}|${r.unit_code}|${r.period}`);
        expect(v, `${f.path} ${r.kpi_id} ${r.unit_code} ${r.period}`).toBeDefined();
        // Page data keeps 7 significant digits.
        expect(Math.abs((r.value as number) - v!), `${r.kpi_id} ${r.unit_code} ${r.period}`).toBeLessThanOrEqual(5e-7 * Math.abs(v!));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('keeps every page-data file under 1 MB', () => {
    const big = summary.files.filter((f) => f.bytes >= 1_000_000).map((f) => `${f.path} ${f.bytes}`);
    expect(big).toEqual([]);
  });

  it('is byte-identical when published twice from the same warehouse', async () => {
    const again = join(work, 'b');
    await writeSiteData({ db: join(sampleDir, 'warehouse.duckdb'), out: again });
    const hash = (dir: string) => Object.fromEntries(filesUnder(dir).map((f) => [relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));
    expect(hash(again)).toEqual(hash(out));
  });

  it('publishes no driver id, driver name or phone number of the sample', async () => {
    const w = await openSample();
    const drivers = (await all<{ d: string }>(w.conn, `select distinct driver_id as d from raw.vehicle_trips where driver_id is not null limit 200`)).map((r) => r.d);
    w.close();
    expect(drivers.length).toBeGreaterThan(10);
    const text = filesUnder(out).filter((f) => f.endsWith('.json')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const d of drivers) expect(text.includes(`"${d}"`), d).toBe(false);
    expect(text).not.toMatch(/\b1[3-9]\d{9}\b/);
  });

  it('groups quarantine by rule and column, adding up to the ledger', async () => {
    const w = await openSample();
    const [ledger] = await all<{ n: number }>(w.conn, `select sum(rows_quarantined)::bigint as n from meta.load_ledger`);
    w.close();
    const grouped = objects(read(out, 'quality/quarantine.json'));
    expect(grouped.reduce((s, r) => s + (r.rows as number), 0)).toBe(ledger.n);
    // Files are named without the folder they were loaded from.
    for (const r of objects(read(out, 'quality/ledger.json'))) expect(String(r.file)).not.toContain('/');
  });

  it('lists every unit and monthly export table in the freshness matrix', () => {
    const cells = objects(read(out, 'quality/freshness.json'));
    const tables = new Set(cells.map((c) => c.table_name));
    for (const t of CONTRACT.filter((x) => x.monthColumn)) expect(tables.has(t.name), t.name).toBe(true);
    expect(cells.filter((c) => c.table_name === 'vehicle_trips')).toHaveLength(14);
  });
});

describe('page queries', () => {
  it('read models and reference tables, never a raw export', async () => {
    const w = await openWarehouse(':memory:');
    try {
      const files = pageQueries();
      const parsed = await parseSqlTexts(w.conn, files.map((f) => readFileSync(join(PAGES_DIR, f), 'utf8')));
      const raw: string[] = [];
      parsed.forEach((p, i) => {
        if (p instanceof Error) throw new Error(`${files[i]}: ${p.message}`);
        for (const s of p) for (const r of tableRefs(s)) if (r.schema === 'raw') raw.push(`${files[i]}: raw.${r.name}`);
      });
      expect(files.length).toBeGreaterThan(20);
      expect(raw).toEqual([]);
    } finally {
      w.close();
    }
  });

  it('give every page an empty table when there is no warehouse', async () => {
    const out = join(work, 'empty');
    const summary = await writeSiteData({ db: join(work, 'missing.duckdb'), out });
    expect(summary.warnings.join('\n')).toMatch(/not found/);
    expect(read(out, 'kpis.json')).toEqual({ columns: [], rows: [] });
    expect(existsSync(join(out, 'templates/vehicle_trips.xlsx'))).toBe(true);
    expect(readFileSync(join(out, 'templates.js'), 'utf8')).toContain('FileAttachment("./templates/vehicle_trips.csv").href');
  });
});

describe.skipIf(!haveSample)('page data of a changed warehouse', () => {
  it('shows a KPI value changed in the warehouse', async () => {
    const copy = join(work, 'changed.duckdb');
    cpSync(join(sampleDir, 'warehouse.duckdb'), copy);
    const w = await openWarehouse(copy);
    await w.conn.run(`update kpi_cards set value = 123456.5 where kpi_id = 'pool_cost_avoided_yuan' and unit_code = 'ALL' and period = '2024-12'`);
    w.close();
    const out = join(work, 'changed');
    await writeSiteData({ db: copy, out });
    const row = objects(read(out, 'areas/pool-month.json')).find((r) => r.kpi_id === 'pool_cost_avoided_yuan' && r.unit_code === 'ALL' && r.period === '2024-12');
    expect(row?.value).toBe(123456.5);
  });
});
