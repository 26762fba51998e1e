/**
 * The sample exports, end to end: the bundled sample (built once per run by global-setup, or
 * generated here at a small scale when that is skipped), loaded by the real loader, compared
 * with its manifest — every planted fault quarantined with its
 * column and rule and nothing else, the published pool figures reproduced by the clean rows, the
 * Games windows matching their (scaled) target, the corrected re-export replacing its month.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, type Warehouse } from '../warehouse/db.ts';
import { expandPaths, loadPaths } from '../loaders/cli.ts';
import { generateSample, type Manifest } from '../sample/generate.ts';
import { haveSample, openSample, sampleDir, sampleManifest } from './helpers/sample.ts';
import { freshWarehouse } from './helpers/warehouse.ts';

/** Scale of the sample generated here when the shared one is not built. */
const OWN_SCALE = 0.1;
let dir: string;
let ownDir: string | undefined;
let manifest: Manifest;
let w: Warehouse;

beforeAll(async () => {
  if (haveSample && existsSync(join(sampleDir, 'inbox', '_manifest.json'))) {
    dir = join(sampleDir, 'inbox');
    manifest = sampleManifest<Manifest>();
    w = await openSample();
  } else {
    dir = ownDir = mkdtempSync(join(tmpdir(), 'steward-sample-'));
    manifest = await generateSample({ out: dir, scale: OWN_SCALE });
    w = await freshWarehouse();
    await loadPaths(w, expandPaths([dir]), { quiet: true });
  }
});

afterAll(() => {
  w?.close();
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
});

const rel = (p: string) => relative(resolve(dir), resolve(p));

describe('steward sample, loaded', () => {
  it('loads every file, and for each: rows read = rows loaded + rows quarantined = the manifest count', async () => {
    const ledger = await all<{ path: string; status: string; rows_read: number; rows_loaded: number; rows_quarantined: number }>(w.conn,
      `select path, status, rows_read, rows_loaded, rows_quarantined from meta.load_ledger`);
    const byFile = new Map(manifest.files.map((f) => [f.file, f]));
    expect(ledger.map((r) => rel(r.path)).sort()).toEqual([...byFile.keys()].sort());
    for (const r of ledger) {
      const f = byFile.get(rel(r.path))!;
      expect(r.status, r.path).toBe('loaded');
      expect(r.rows_read, r.path).toBe(r.rows_loaded + r.rows_quarantined);
      expect(r.rows_read, r.path).toBe(f.rows);
      expect(r.rows_quarantined, r.path).toBe(f.faults);
    }
  });

  it('quarantines exactly the planted faults, each with its column and rule', async () => {
    const q = await all<{ path: string; row: number; column: string; rule: string }>(w.conn, `select path, "row", "column", rule from meta.quarantine`);
    const got = q.map((r) => `${rel(r.path)} | ${r.row} | ${r.column} | ${r.rule}`).sort();
    const planted = manifest.faults.map((f) => `${f.file} | ${f.row} | ${f.column} | ${f.rule}`).sort();
    expect(got).toEqual(planted);
  });

  it('plants about 1% faults, of every kind the contract lists', () => {
    const rows = Object.values(manifest.rows_per_table).reduce((s, n) => s + n, 0);
    expect(manifest.faults.length / rows).toBeGreaterThan(0.006);
    expect(manifest.faults.length / rows).toBeLessThan(0.014);
    expect(new Set(manifest.faults.map((f) => f.rule))).toEqual(new Set(['unknown_unit', 'negative_distance', 'implausible_distance', 'return_before_depart',
      'duplicate_key', 'bad_date', 'bad_datetime', 'bad_number', 'missing_required', 'bad_value', 'unknown_reference']));
  });

  it('keeps the clean rows the manifest expects, per table', async () => {
    const rows = await all<{ t: string; n: number }>(w.conn, `select table_name t, sum(rows_loaded - rows_superseded)::BIGINT n from meta.load_ledger group by 1`);
    expect(Object.fromEntries(rows.map((r) => [r.t, r.n]))).toEqual(manifest.expected_clean_rows);
  });

  it('reproduces the published pool figures from the clean rows (the pool is not scaled)', async () => {
    const at = (date: string) => all<{ n: number; v: number; hz: number }>(w.conn, `
      select count(*)::BIGINT n, sum(quantity * coalesce(unit_price_new, original_value))::DECIMAL(18,2) v,
        sum(quantity * coalesce(unit_price_new, original_value)) filter (where unit_code = 'HZ')::DECIMAL(18,2) hz
      from raw.pool_transactions where txn_type in ('loan', 'transfer', 'allocation') and txn_date <= ?::DATE`, [date]);
    // METRICS.md: 2,934 and 33.734 million by 2023-07-31; 3,761 and 37.5457 million by 2023-12-31, city level 12.4039 million.
    expect((await at('2023-07-31'))[0]).toMatchObject({ n: 2_934, v: 33_734_000 });
    expect((await at('2023-12-31'))[0]).toMatchObject({ n: 3_761, v: 37_545_700, hz: 12_403_900 });
    const wh = await all<{ n: number; a: number }>(w.conn, `select count(*)::BIGINT n, sum(area_m2) a from raw.warehouses where kind = 'physical'`);
    expect(wh[0]).toEqual({ n: 14, a: 49_200 });
    // Some fulfilments are valued at original cost (no new-purchase price).
    const orig = await all<{ n: number }>(w.conn, `select count(*)::BIGINT n from raw.pool_transactions where txn_type in ('loan', 'transfer', 'allocation') and unit_price_new is null`);
    expect(orig[0].n).toBeGreaterThan(100);
  });

  it('runs the Games windows on the three city platforms at the (scaled) target', async () => {
    const r = await all<{ n: number; km: number; platforms: number }>(w.conn, `
      select count(*)::BIGINT n, round(sum(coalesce(t.distance_km, t.odometer_end - t.odometer_start)), 1) km, count(distinct v.platform)::BIGINT platforms
      from raw.vehicle_trips t join raw.vehicles v using (vehicle_id)
      where t.unit_code = 'HZ' and (t.depart_at::DATE between '2023-09-23' and '2023-10-08' or t.depart_at::DATE between '2023-10-22' and '2023-10-28')`);
    // 5,567 trips and 418,000 km at scale 1 (at scale 0.1: 557 trips, 41,800 km).
    const target = { n: Math.round(5_567 * manifest.scale), km: Math.round(418_000 * manifest.scale * 10) / 10 };
    expect(r[0]).toEqual({ ...target, platforms: 3 });
    expect(manifest.calibration.games).toMatchObject({ trips: target.n, km: target.km });
  });

  it('replaces the re-exported month with its correction', async () => {
    const c = manifest.correction;
    expect(c.correction > c.original).toBe(true); // loaded after the original (sorted path order)
    const r = await all<{ n: number; km: number }>(w.conn, `select count(*)::BIGINT n, round(sum(distance_km), 1) km from raw.vehicle_trips
      where unit_code = 'FY' and strftime(depart_at, '%Y-%m') = '2024-06'`);
    expect(r[0]).toEqual({ n: c.expected.rows, km: c.expected.distance_km });
    expect(c.original_rows).toBe(c.expected.rows - 1);
    expect(c.original_distance_km).toBeGreaterThan(c.expected.distance_km);
  });

  it('lists every personal identifier it wrote, and the loader keeps them aside', async () => {
    const p = manifest.personal_identifiers;
    expect(p.phone_numbers.length).toBeGreaterThan(20);
    expect(p.phone_numbers.every((x) => /^1380000\d{4}$/.test(x))).toBe(true);
    const extras = await all<{ header: string }>(w.conn, `select distinct header from meta.extra_columns order by 1`);
    expect(extras.map((e) => e.header)).toEqual(['联系电话', '驾驶员姓名']);
    const ids = await all<{ d: string }>(w.conn, `select distinct driver_id d from raw.vehicle_trips where driver_id is not null order by 1`);
    const listed = new Set(p.driver_ids);
    expect(ids.every((r) => listed.has(r.d))).toBe(true);
    const hz = manifest.files.find((f) => f.unit_code === 'HZ' && f.table === 'vehicle_trips')!;
    const text = readFileSync(join(dir, hz.file), 'utf8');
    expect(p.phone_numbers.some((x) => text.includes(x))).toBe(true);
  });
});
