/**
 * An incremental `steward run` must leave every model exactly as a full rebuild would: the
 * project's own models, after a load that adds months and replaces one unit-month. Models it skips
 * (unchanged inputs), models whose rebuild produced the same rows (the cascade stops there) and
 * a partitioned model rebuilt for one corrected unit-month must still be current.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { copyWarehouse } from './crash.ts';
import { trips, write, writeSmallExports } from './small-exports.ts';
import { builtModels, snapshot, steward } from './warehouse-state.ts';

let s: Scratch;
beforeAll(() => (s = scratch()));
afterAll(() => s.dispose());

describe('an incremental run after a load', () => {
  it('builds the same tables as a full rebuild, and skips what did not change', async () => {
    const { first, second } = writeSmallExports(join(s.dir, 'exports'));
    const base = join(s.dir, 'base.duckdb');
    const run = (db: string, ...extra: string[]) => steward(['run', '--db', db, '--as-of', '2024-03-31', ...extra]);
    expect(steward(['load', first, '--db', base, '--quiet']).status).toBe(0);
    expect(run(base).status).toBe(0);
    expect(steward(['load', second, '--db', base, '--quiet']).status).toBe(0);

    const incremental = join(s.dir, 'incremental.duckdb');
    const full = join(s.dir, 'full.duckdb');
    copyWarehouse(base, incremental);
    copyWarehouse(base, full);
    const inc = run(incremental);
    expect(inc.status).toBe(0);
    expect(run(full, '--full').status).toBe(0);

    // The second batch touches trips and readings only: models of the other tables are skipped.
    const skipped = inc.stdout.split('\n').filter((l) => l.startsWith('skip ')).map((l) => l.slice(6, l.indexOf(':')));
    expect(skipped).toContain('stg_pool_transactions');
    expect(skipped).toContain('int_proc_split_groups');
    expect(inc.stdout).toMatch(/^built vehicle_months /m);

    const models = await builtModels(full);
    expect(models.length).toBeGreaterThan(40);
    expect(await snapshot(incremental, { models })).toEqual(await snapshot(full, { models }));

    // Then a district corrects one month: the partitioned model rebuilds that unit-month alone,
    // and every model still ends as a full rebuild leaves it.
    const correction = write(join(s.dir, 'exports', 'third'), 'vehicle_trips/GS-2024-01-corrected.csv', trips('GS', 1, 38, 2));
    expect(steward(['load', correction, '--db', incremental, '--quiet']).status).toBe(0);
    const full2 = join(s.dir, 'full2.duckdb');
    copyWarehouse(incremental, full2);
    const inc2 = run(incremental);
    expect(inc2.status).toBe(0);
    expect(inc2.stdout).toMatch(/^built int_vehicle_departure_days \(data changed in raw\.vehicle_trips: 1 of 6 unit-months rebuilt;/m);
    expect(run(full2, '--full').status).toBe(0);
    expect(await snapshot(incremental, { models })).toEqual(await snapshot(full2, { models }));
  });
});
