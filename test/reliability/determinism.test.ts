/**
 * Identical inputs give identical outputs: every model of the bundled sample, rebuilt from
 * scratch on a copy of its warehouse, holds the same rows to the last bit (sums of doubles are
 * ordered, so the thread that adds first cannot move a last digit), and the page data published
 * from the two warehouses is byte-identical.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSiteData } from '../../scripts/site-data.ts';
import { all, openWarehouse, sqlString } from '../../warehouse/db.ts';
import { haveSample, sampleDir } from '../helpers/sample.ts';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { copyWarehouse } from './crash.ts';
import { builtModels, steward } from './warehouse-state.ts';

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}
const hashes = (dir: string) => Object.fromEntries(filesUnder(dir).map((f) => [relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));

describe.runIf(haveSample)('the sample rebuilt from scratch', () => {
  it('holds every model row for row and bit for bit, and publishes the same bytes', async () => {
    const original = join(sampleDir, 'warehouse.duckdb');
    const again = join(s.dir, 'again.duckdb');
    copyWarehouse(original, again);
    const run = steward(['run', '--db', again, '--full', '--quiet']);
    expect(run.status, run.stderr).toBe(0);

    const models = await builtModels(again);
    expect(models).toContain('kpi_values');
    const w = await openWarehouse(':memory:');
    try {
      await w.conn.run(`attach ${sqlString(original)} as a (read_only); attach ${sqlString(again)} as b (read_only)`);
      const differing: string[] = [];
      for (const m of models) {
        // Rows of one side missing from the other, either way; doubles compare exactly.
        const [{ n }] = await all<{ n: number }>(w.conn, `select (select count(*) from (select * from a.main.${m} except all select * from b.main.${m}))
          + (select count(*) from (select * from b.main.${m} except all select * from a.main.${m})) as n`);
        if (Number(n)) differing.push(`${m}: ${n} rows`);
      }
      expect(differing).toEqual([]);
      const [{ values }] = await all<{ values: number }>(w.conn, 'select count(*) as values from b.main.kpi_values');
      expect(Number(values)).toBeGreaterThan(30_000);
    } finally {
      w.close();
    }

    // Both read the sample's catalog: the models page's lineage comes from `steward docs`.
    const catalog = join(sampleDir, 'catalog.json');
    expect(existsSync(catalog)).toBe(true);
    await writeSiteData({ db: original, out: join(s.dir, 'site-a'), catalog });
    await writeSiteData({ db: again, out: join(s.dir, 'site-b'), catalog });
    expect(hashes(join(s.dir, 'site-b'))).toEqual(hashes(join(s.dir, 'site-a')));
  });
});
