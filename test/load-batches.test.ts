/**
 * `steward load` parses files of one table in batches. A batch must leave the warehouse exactly as
 * loading its files one at a time would: the same ledger, the same quarantine (row numbers, reasons,
 * the file a duplicate points at) and the same raw rows, including a corrected re-export that
 * replaces a month and duplicates planted across a district's yearly files.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadFile, loadFiles, loadOrder } from '../loaders/load.ts';
import { freshWarehouse, rows } from './helpers/warehouse.ts';
import { haveSample, sampleDir } from './helpers/sample.ts';

/** Districts whose exports carry a correction (富阳区) and cross-file duplicates (SC, 拱墅区). */
const PICK = /^(富阳区|SC|拱墅区|fuyang|gongshu)/i;

async function snapshot(conn: DuckDBConnection) {
  return {
    ledger: await rows(conn, `select path, table_name, rows_read, rows_loaded, rows_quarantined, rows_superseded, unit_codes, months,
        (select path from meta.load_ledger s where s.file_id = l.superseded_by) as superseded_by from meta.load_ledger l order by path`),
    quarantine: await rows(conn, `select q.path, q."row", q."column", q.rule, q.reason, q.record::VARCHAR as record from meta.quarantine q order by all`),
    trips: await rows(conn, `select l.path, r.* exclude (_file_id) from raw.vehicle_trips r join meta.load_ledger l on l.file_id = r._file_id order by all`),
    pool: await rows(conn, `select l.path, r.* exclude (_file_id) from raw.pool_transactions r join meta.load_ledger l on l.file_id = r._file_id order by all`),
  };
}

describe.skipIf(!haveSample)('loading in batches', () => {
  it('leaves the warehouse as loading the same files one by one does', async () => {
    const inbox = join(sampleDir, 'inbox');
    const files = loadOrder(['vehicles', 'warehouses', 'vehicle_trips', 'pool_transactions'].flatMap((t) =>
      readdirSync(join(inbox, t)).filter((f) => PICK.test(f)).map((f) => join(inbox, t, f))));
    expect(files.some((f) => f.includes('更正'))).toBe(true);

    const batched = await freshWarehouse();
    const one = await freshWarehouse();
    try {
      const heard: string[] = [];
      const results = await loadFiles(batched.conn, files, {}, (r) => heard.push(r.path));
      expect(heard).toEqual(results.map((r) => r.path));
      for (const f of files) await loadFile(one.conn, f);
      const a = await snapshot(batched.conn);
      const b = await snapshot(one.conn);
      // The slice is meant to exercise replacement and cross-file duplicates: make sure it does.
      expect(a.ledger.some((r) => r.superseded_by !== null)).toBe(true);
      expect(a.quarantine.some((r) => /also in file/.test(String(r.reason)))).toBe(true);
      expect(a.ledger).toEqual(b.ledger);
      expect(a.quarantine).toEqual(b.quarantine);
      expect(a.trips.length).toBeGreaterThan(1000);
      expect(a.trips).toEqual(b.trips);
      expect(a.pool).toEqual(b.pool);
    } finally {
      batched.close();
      one.close();
    }
  }, 120_000);
});
