/**
 * The bundled sample through the loaders: every row of every file accounted for, every planted
 * fault quarantined with its column and rule and nothing else, the corrected re-export in place
 * of the original, and a second load of the same inbox a no-op.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../loaders/db.ts';
import { expandPaths, loadPaths } from '../loaders/cli.ts';
import { haveSample, openSample, q, sampleDir, sampleManifest } from './helpers/sample.ts';

interface Manifest {
  faults: { file: string; row: number; column: string; rule: string }[];
  reexport?: { table: string; unit_code: string; month: string; original: string; correction: string; expected?: Record<string, number> };
}

describe.skipIf(!haveSample)('the sample exports through the loaders', () => {
  let w: Warehouse;
  let manifest: Manifest;
  const inbox = () => join(sampleDir, 'inbox');
  beforeAll(async () => {
    w = await openSample();
    manifest = sampleManifest<Manifest>();
  });
  afterAll(() => w?.close());

  it('accounts for every row of every file: read = loaded + quarantined', async () => {
    const files = expandPaths([inbox()]);
    const ledger = await q<{ path: string; rows_read: number; rows_loaded: number; rows_quarantined: number; q: number }>(w.conn, `
      select path, rows_read, rows_loaded, rows_quarantined, (select count(*) from meta.quarantine q where q.file_id = l.file_id) as q
      from meta.load_ledger l`);
    expect(ledger.length).toBe(files.length);
    for (const l of ledger) {
      expect(l.rows_read, l.path).toBe(l.rows_loaded + l.rows_quarantined);
      expect(l.q, l.path).toBe(l.rows_quarantined);
    }
  });

  it('quarantines every planted fault with its column and rule, and nothing else', async () => {
    const got = await q<{ path: string; row: number; column: string; rule: string }>(w.conn, `select path, "row", "column", rule from meta.quarantine`);
    const norm = (p: string) => relative(inbox(), resolve(p)).split('\\').join('/');
    const key = (f: { file: string; row: number; column: string; rule: string }) => `${f.file}#${f.row} ${f.column} ${f.rule}`;
    const actual = got.map((g) => key({ file: norm(g.path), row: g.row, column: g.column, rule: g.rule })).sort();
    const expected = manifest.faults.map(key).sort();
    expect(actual).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
  });

  it('replaces the original month with the corrected re-export', async () => {
    const re = manifest.reexport!;
    const ledger = await q<{ path: string; rows_superseded: number; superseded_by: number | null }>(w.conn, `select path, rows_superseded, superseded_by from meta.load_ledger where path like '%' || ? or path like '%' || ?`, [re.original, re.correction]);
    const original = ledger.find((l) => l.path.endsWith(re.original))!;
    expect(original.rows_superseded).toBeGreaterThan(0);
    expect(original.superseded_by).not.toBeNull();
    if (re.expected) {
      const monthCol = re.table === 'vehicle_trips' ? 'depart_at' : re.table === 'procurement' ? 'contracted_on' : re.table === 'pool_transactions' ? 'txn_date' : re.table === 'meetings' ? 'held_on' : 'period_start';
      const [r] = await q<{ rows: number }>(w.conn, `select count(*) as rows from raw.${re.table} where unit_code = ? and strftime(${monthCol}, '%Y-%m') = ?`, [re.unit_code, re.month]);
      expect(r.rows).toBe(re.expected.rows);
    }
  });

  it('loads the same inbox a second time without adding a row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-reload-'));
    try {
      const db = join(dir, 'w.duckdb');
      w.close();
      copyFileSync(join(sampleDir, 'warehouse.duckdb'), db);
      const copy = await openWarehouse(db);
      try {
        const before = await q(copy.conn, `select (select count(*) from raw.vehicle_trips) t, (select count(*) from raw.procurement) p, (select count(*) from meta.quarantine) q, (select count(*) from meta.load_ledger) l`);
        const results = await loadPaths(copy, expandPaths([inbox()]), { quiet: true });
        expect(results.every((r) => r.status === 'unchanged')).toBe(true);
        expect(await q(copy.conn, `select (select count(*) from raw.vehicle_trips) t, (select count(*) from raw.procurement) p, (select count(*) from meta.quarantine) q, (select count(*) from meta.load_ledger) l`)).toEqual(before);
      } finally {
        copy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      w = await openSample();
    }
  });
});
