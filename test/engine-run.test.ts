import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runModels } from '../engine/runner.ts';
import { all, type Warehouse } from '../warehouse/db.ts';
import { CHAIN, tripsWarehouse, writeFile, writeProject } from './fixtures/engine/project.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

const ALL = ['stg_trips', 'stg_vehicles', 'int_trips_enriched', 'unit_km', 'unit_names'];

describe('steward run', () => {
  it('builds everything once, then nothing until something changes', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    const first = await runModels(w.conn, { sqlDir });
    expect(first.failed).toBeUndefined();
    expect([...first.built].sort()).toEqual([...ALL].sort());
    // YH: 10 + 20 km over 2 trips; XH: 5 km over 1 trip.
    expect(await all(w.conn, 'select unit_code, km, trips from unit_km order by unit_code')).toEqual([
      { unit_code: 'XH', km: 5, trips: 1 },
      { unit_code: 'YH', km: 30, trips: 2 },
    ]);
    const second = await runModels(w.conn, { sqlDir });
    expect(second.built).toEqual([]);
    expect(second.skipped.map((s) => s.model).sort()).toEqual([...ALL].sort());
    expect(second.skipped[0].reason).toMatch(/unchanged since its last successful build/);
  });

  it('rebuilds exactly an edited staging model and its dependents', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    writeFile(join(sqlDir, 'staging/stg_trips.sql'), CHAIN['staging/stg_trips.sql'] + 'where distance_km > 6\n');
    const r = await runModels(w.conn, { sqlDir });
    expect(r.built).toEqual(['stg_trips', 'int_trips_enriched', 'unit_km']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.model, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['stg_vehicles', 'unit_names']);
    // The XH trip (5 km) is now filtered out.
    expect(await all(w.conn, 'select unit_code, km from unit_km')).toEqual([{ unit_code: 'YH', km: 30 }]);
  });

  it('rebuilds the readers of a raw table whose rows changed, and says why', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    await w.conn.run(`update raw.vehicles set energy = 'diesel' where vehicle_id = 'V3'`);
    const logs: string[] = [];
    const r = await runModels(w.conn, { sqlDir, log: (l) => logs.push(l) });
    expect(r.built).toEqual(['stg_vehicles', 'int_trips_enriched', 'unit_km']);
    expect(logs.find((l) => l.startsWith('built stg_vehicles'))).toMatch(/data changed in raw\.vehicles/);
    expect(logs.find((l) => l.startsWith('built int_trips_enriched'))).toMatch(/upstream stg_vehicles rebuilt/);
  });

  it('builds a model declared `materialized: view` as a view, and switches it back to a table', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    writeFile(join(sqlDir, 'staging/stg_trips.yml'), 'materialized: view\n');
    await runModels(w.conn, { sqlDir });
    const kind = async () => (await all<{ t: string }>(w!.conn, `select table_type as t from information_schema.tables where table_name = 'stg_trips'`))[0]?.t;
    expect(await kind()).toBe('VIEW');
    expect(await all(w.conn, 'select unit_code, km from unit_km order by unit_code')).toEqual([{ unit_code: 'XH', km: 5 }, { unit_code: 'YH', km: 30 }]);
    // A change to the raw rows behind the view still rebuilds the models that read it.
    await w.conn.run(`update raw.vehicle_trips set distance_km = 7 where distance_km = 5`);
    const r = await runModels(w.conn, { sqlDir });
    expect(r.built).toEqual(['stg_trips', 'int_trips_enriched', 'unit_km']);
    expect(await all(w.conn, 'select unit_code, km from unit_km order by unit_code')).toEqual([{ unit_code: 'XH', km: 7 }, { unit_code: 'YH', km: 30 }]);
    writeFile(join(sqlDir, 'staging/stg_trips.yml'), 'materialized: table\n');
    await runModels(w.conn, { sqlDir });
    expect(await kind()).toBe('BASE TABLE');
    rmSync(join(sqlDir, 'staging/stg_trips.yml'));
    writeFile(join(sqlDir, 'staging/stg_trips.yml'), 'materialized: view\n');
    await runModels(w.conn, { sqlDir });
    expect(await kind()).toBe('VIEW');
  });

  it('picks up an edited reference CSV on the next run', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    const refDir = mkdtempSync(join(tmpdir(), 'steward-ref-'));
    cpSync('data/reference', refDir, { recursive: true });
    await runModels(w.conn, { sqlDir, referenceDir: refDir });
    const units = join(refDir, 'units.csv');
    writeFileSync(units, readFileSync(units, 'utf8').replace('余杭区', '余杭区（新）'));
    const r = await runModels(w.conn, { sqlDir, referenceDir: refDir });
    expect(r.built).toEqual(['unit_names']);
    expect(await all(w.conn, `select name_zh from unit_names where unit_code = 'YH'`)).toEqual([{ name_zh: '余杭区（新）' }]);
    rmSync(refDir, { recursive: true });
  });

  it('stops the cascade when a rebuilt model produces the same rows', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    // A comment changes the file (so stg_trips rebuilds) but not a single row of its table.
    writeFile(join(sqlDir, 'staging/stg_trips.sql'), '-- trips as exported\n' + CHAIN['staging/stg_trips.sql']);
    const r = await runModels(w.conn, { sqlDir });
    expect(r.built).toEqual(['stg_trips']);
    expect(r.skipped.map((s) => s.model).sort()).toEqual(['int_trips_enriched', 'stg_vehicles', 'unit_km', 'unit_names']);
  });

  it('keeps the last good table when a model fails, maps the error line, and skips its dependents', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    writeFile(join(sqlDir, 'intermediate/int_trips_enriched.sql'), `with trips as (select * from stg_trips)
select trips.*,
       trips.no_such_column
from trips
`);
    const r = await runModels(w.conn, { sqlDir });
    expect(r.failed).toMatchObject({ model: 'int_trips_enriched', line: 3 });
    expect(r.failed!.file).toMatch(/int_trips_enriched\.sql$/);
    expect(r.failed!.message).toMatch(/no_such_column/);
    expect(r.skipped).toContainEqual({ model: 'unit_km', reason: 'not built: upstream int_trips_enriched failed' });
    // The previous table, with its energy column, is still there and still queried by unit_km.
    expect(await all(w.conn, `select count(*) as n from int_trips_enriched where energy is not null`)).toEqual([{ n: 3 }]);
    // Fixing the file builds it; its rows are those unit_km was built from, so unit_km stays.
    writeFile(join(sqlDir, 'intermediate/int_trips_enriched.sql'), CHAIN['intermediate/int_trips_enriched.sql'] + '-- fixed\n');
    const fixed = await runModels(w.conn, { sqlDir });
    expect(fixed.built).toEqual(['int_trips_enriched']);
    expect(fixed.skipped.map((s) => s.model)).toContain('unit_km');
  });

  it('keeps the last good table when the SQL fails while running, not only while binding', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject({ 'staging/amounts.sql': `select trip_id, cost_yuan::INTEGER as n from raw.vehicle_trips` });
    await runModels(w.conn, { sqlDir });
    // Casting trip ids to integers fails on the first row, after the query has started.
    writeFile(join(sqlDir, 'staging/amounts.sql'), `select trip_id, trip_id::INTEGER as n from raw.vehicle_trips`);
    const r = await runModels(w.conn, { sqlDir });
    expect(r.failed).toMatchObject({ model: 'amounts' });
    expect(r.failed!.message).toMatch(/Conversion Error/);
    expect(await all(w.conn, `select sum(n) as n from amounts`)).toEqual([{ n: 150 }]); // 50 + 70 + 30
    // The failed build did not record itself: the next run tries again.
    expect((await runModels(w.conn, { sqlDir })).failed).toMatchObject({ model: 'amounts' });
  });

  it('--full rebuilds everything; --select builds only the selection', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    expect((await runModels(w.conn, { sqlDir, full: true })).built).toHaveLength(5);
    expect((await runModels(w.conn, { sqlDir, full: true, select: ['stg_vehicles+'] })).built).toEqual(['stg_vehicles', 'int_trips_enriched', 'unit_km']);
  });

  it('drops the table of a deleted model and records the as-of date for models', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject(CHAIN);
    await runModels(w.conn, { sqlDir });
    rmSync(join(sqlDir, 'marts/unit_names.sql'));
    appendFileSync(join(sqlDir, 'marts/unit_km.sql'), '');
    const r = await runModels(w.conn, { sqlDir, asOf: '2024-03-31' });
    expect(r.dropped).toEqual(['unit_names']);
    expect(await all(w.conn, `select count(*) as n from information_schema.tables where table_name = 'unit_names'`)).toEqual([{ n: 0 }]);
    expect(await all(w.conn, `select strftime(as_of, '%Y-%m-%d') as d from meta.run_context`)).toEqual([{ d: '2024-03-31' }]);
  });

  it('defaults the as-of date to the end of the latest month in the raw data', async () => {
    w = await tripsWarehouse();
    // The latest trip departs 2024-03-02, so the as-of date is 2024-03-31.
    expect((await runModels(w.conn, { sqlDir: writeProject({}) })).asOf).toBe('2024-03-31');
  });
});
