/**
 * Loading the bundled sample's inbox a second time changes nothing: every file is recognised by
 * its content hash (test/sample.test.ts covers the first load against the manifest).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../warehouse/db.ts';
import { expandPaths, loadPaths } from '../loaders/cli.ts';
import { haveSample, q, sampleDir } from './helpers/sample.ts';

describe.skipIf(!haveSample)('reloading the sample inbox', () => {
  it('adds no row, quarantines nothing new and writes no ledger entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-reload-'));
    try {
      const db = join(dir, 'w.duckdb');
      copyFileSync(join(sampleDir, 'warehouse.duckdb'), db);
      const copy = await openWarehouse(db);
      try {
        const counts = `select (select count(*) from raw.vehicle_trips) t, (select count(*) from raw.procurement) p, (select count(*) from raw.energy_readings) e, (select count(*) from meta.quarantine) q, (select count(*) from meta.load_ledger) l`;
        const before = await q(copy.conn, counts);
        const results = await loadPaths(copy, expandPaths([join(sampleDir, 'inbox')]), { quiet: true });
        expect(results.filter((r) => r.status !== 'unchanged').map((r) => r.path)).toEqual([]);
        expect(await q(copy.conn, counts)).toEqual(before);
      } finally {
        copy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
