import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../engine/dag.ts';
import { runModels } from '../engine/runner.ts';
import { SpecError } from '../engine/spec.ts';
import { all, openWarehouse, type Warehouse } from '../warehouse/db.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { writeFile, writeProject } from './fixtures/engine/project.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

/**
 * Trips of two units over six unit-months. Each build stamps its rows with the session variable
 * `build`, so a test sees which rows a run rewrote and which it left alone.
 */
async function warehouse(): Promise<Warehouse> {
  const wh = await openWarehouse(':memory:');
  await ensureWarehouseSchema(wh.conn);
  await wh.conn.run(`insert into raw.vehicle_trips (trip_id, unit_code, vehicle_id, depart_at, return_at, distance_km) values
    ('T1', 'YH', 'V1', '2024-01-05 08:00', '2024-01-05 12:00', 10),
    ('T2', 'YH', 'V1', '2024-01-31 22:00', '2024-02-01 02:00', 20),
    ('T3', 'YH', 'V2', '2024-02-10 08:00', '2024-02-10 09:00', 5),
    ('T4', 'YH', 'V2', '2024-03-10 08:00', '2024-03-10 09:00', 7),
    ('T5', 'XH', 'V3', '2024-01-15 08:00', '2024-01-15 09:00', 3),
    ('T6', 'XH', 'V3', '2024-02-15 08:00', '2024-02-15 09:00', 4),
    ('T7', 'XH', 'V4', '2024-03-15 08:00', '2024-03-15 09:00', 6)`);
  return wh;
}

const PROJECT = {
  'staging/stg_trips.sql': `select trip_id, unit_code, vehicle_id, distance_km, cast(depart_at as date) as depart_date from raw.vehicle_trips\n`,
  'staging/stg_trips.yml': 'materialized: view\n',
  'intermediate/int_vehicle_days.sql': `select
    unit_code,
    vehicle_id,
    depart_date,
    date_trunc('month', depart_date)::date as month,
    sum(distance_km) as km,
    count(*) as trips,
    getvariable('build') as build
from stg_trips
group by unit_code, vehicle_id, depart_date
`,
  'intermediate/int_vehicle_days.yml': `partition_by:
  source: raw.vehicle_trips
  unit: unit_code
  month: month
grain: [vehicle_id, depart_date]
`,
  'marts/unit_km.sql': `select unit_code, sum(km) as km, sum(trips) as trips from int_vehicle_days group by unit_code\n`,
};

async function run(wh: Warehouse, sqlDir: string, build: string, full = false) {
  await wh.conn.run(`set variable build = '${build}'`);
  const logs: string[] = [];
  const r = await runModels(wh.conn, { sqlDir, full, log: (l) => logs.push(l) });
  expect(r.failures).toEqual([]);
  return { ...r, line: (model: string) => logs.find((l) => l.startsWith(`built ${model} `)) };
}

const days = (wh: Warehouse) => all<{ unit_code: string; vehicle_id: string; depart_date: string; km: number; trips: number; build: string }>(wh.conn,
  `select unit_code, vehicle_id, strftime(depart_date, '%Y-%m-%d') as depart_date, km, trips, build from int_vehicle_days order by vehicle_id, depart_date`);

describe('partitioned models (partition_by)', () => {
  it('rebuild only the unit-months whose source rows changed, and end as a whole rebuild would', async () => {
    w = await warehouse();
    const sqlDir = writeProject(PROJECT);
    const first = await run(w, sqlDir, 'one');
    expect(first.line('int_vehicle_days')).toMatch(/new model/);

    // A corrected YH 2024-02 (T3 now 6 km), XH 2024-01 withdrawn, and a new month XH 2024-04:
    // three of the six unit-months the model was built from; YH 2024-01, YH 2024-03, XH 2024-02
    // and XH 2024-03 are untouched.
    await w.conn.run(`update raw.vehicle_trips set distance_km = 6 where trip_id = 'T3'`);
    await w.conn.run(`delete from raw.vehicle_trips where trip_id = 'T5'`);
    await w.conn.run(`insert into raw.vehicle_trips (trip_id, unit_code, vehicle_id, depart_at, return_at, distance_km) values ('T8', 'XH', 'V4', '2024-04-01 08:00', '2024-04-01 09:00', 9)`);
    const second = await run(w, sqlDir, 'two');
    expect(second.line('int_vehicle_days')).toMatch(/data changed in raw\.vehicle_trips: 3 of 6 unit-months rebuilt/);
    // The run's record of each build says the same, committed with the build.
    expect(await all(w.conn, `select status, reason from meta.model_runs where model = 'int_vehicle_days' order by started_at`)).toEqual([
      { status: 'built', reason: 'new model' },
      { status: 'built', reason: 'data changed in raw.vehicle_trips: 3 of 6 unit-months rebuilt' },
    ]);
    expect(second.built).toContain('unit_km');

    const rows = await days(w);
    // Rows of the changed unit-months are this run's; the others are the first run's, untouched.
    expect(rows.map((r) => [r.vehicle_id, r.depart_date, r.km, r.build])).toEqual([
      ['V1', '2024-01-05', 10, 'one'],
      ['V1', '2024-01-31', 20, 'one'],
      ['V2', '2024-02-10', 6, 'two'],
      ['V2', '2024-03-10', 7, 'one'],
      ['V3', '2024-02-15', 4, 'one'],
      ['V4', '2024-03-15', 6, 'one'],
      ['V4', '2024-04-01', 9, 'two'],
    ]);
    // YH: 10 + 20 + 6 + 7; XH: 4 + 6 + 9 (the withdrawn 3 km gone).
    expect(await all(w.conn, 'select unit_code, km, trips from unit_km order by unit_code')).toEqual([
      { unit_code: 'XH', km: 19, trips: 3 },
      { unit_code: 'YH', km: 43, trips: 4 },
    ]);

    // Nothing changed: nothing rebuilt. Then a whole rebuild gives the same rows.
    const third = await run(w, sqlDir, 'three');
    expect(third.built).toEqual([]);
    const partial = (await days(w)).map(({ build, ...r }) => r);
    await run(w, sqlDir, 'full', true);
    expect((await days(w)).map(({ build, ...r }) => r)).toEqual(partial);
    expect(new Set((await days(w)).map((r) => r.build))).toEqual(new Set(['full']));
  });

  it('rebuild whole when more than the partitioned source changed, or most of its unit-months did', async () => {
    w = await warehouse();
    const sqlDir = writeProject(PROJECT);
    await run(w, sqlDir, 'one');

    // The view between the model and its source changed: every row may differ.
    writeFile(join(sqlDir, 'staging/stg_trips.sql'), PROJECT['staging/stg_trips.sql'].replace('from raw.vehicle_trips', 'from raw.vehicle_trips where distance_km > 3'));
    await w.conn.run(`update raw.vehicle_trips set distance_km = 6 where trip_id = 'T3'`);
    const second = await run(w, sqlDir, 'two');
    expect(second.line('int_vehicle_days')).toMatch(/upstream stg_trips rebuilt/);
    expect(second.line('int_vehicle_days')).not.toMatch(/unit-months rebuilt/);
    expect((await days(w)).every((r) => r.build === 'two')).toBe(true);
    expect((await days(w)).map((r) => r.km)).not.toContain(3);

    // Four of six unit-months changed: one whole build is cheaper than four partial ones.
    await w.conn.run(`update raw.vehicle_trips set distance_km = distance_km + 1 where trip_id in ('T1', 'T3', 'T4', 'T6')`);
    const third = await run(w, sqlDir, 'three');
    expect(third.line('int_vehicle_days')).toMatch(/data changed in raw\.vehicle_trips: 4 of 6 unit-months changed, rebuilt whole/);
    expect((await days(w)).every((r) => r.build === 'three')).toBe(true);

    // The model's own SQL changed.
    writeFile(join(sqlDir, 'intermediate/int_vehicle_days.sql'), PROJECT['intermediate/int_vehicle_days.sql'].replace('count(*) as trips', 'count(distinct trip_id) as trips'));
    const fourth = await run(w, sqlDir, 'four');
    expect(fourth.line('int_vehicle_days')).toMatch(/SQL changed/);
    expect((await days(w)).every((r) => r.build === 'four')).toBe(true);
  });

  it('refuse a partition_by that cannot hold, naming the file', async () => {
    w = await warehouse();
    const bad = async (yml: string) => {
      const sqlDir = writeProject({ ...PROJECT, 'intermediate/int_vehicle_days.yml': yml });
      return runModels(w!.conn, { sqlDir }).then(() => undefined, (e: Error) => e);
    };
    const notContract = await bad('partition_by: {source: ref.units, unit: unit_code, month: month}\n');
    expect(notContract).toBeInstanceOf(ModelError);
    expect(notContract!.message).toMatch(/int_vehicle_days\.yml: partition_by: source ref\.units is not a raw table of the loader contract/);
    const dimension = await bad('partition_by: {source: raw.vehicles, unit: unit_code, month: month}\n');
    expect(dimension!.message).toMatch(/raw\.vehicles is a dimension table; only fact tables have unit-months \(.*raw\.vehicle_trips/);
    const unread = await bad('partition_by: {source: raw.energy_readings, unit: unit_code, month: month}\n');
    expect(unread!.message).toMatch(/int_vehicle_days does not read raw\.energy_readings, directly or through views/);
    // Columns the model does not have, or a month that is not a DATE: the build fails, naming the YAML.
    for (const [yml, message] of [
      ['partition_by: {source: raw.vehicle_trips, unit: unit_code, month: depart_month}\n', /int_vehicle_days\.yml: partition_by: month names the column "depart_month", which int_vehicle_days does not have/],
      ['partition_by: {source: raw.vehicle_trips, unit: unit_code, month: trips}\n', /int_vehicle_days\.yml: partition_by: month column "trips" is BIGINT; it must be a DATE/],
    ] as const) {
      const sqlDir = writeProject({ ...PROJECT, 'intermediate/int_vehicle_days.yml': yml });
      const r = await runModels(w.conn, { sqlDir });
      expect(r.failures.map((f) => f.model)).toEqual(['int_vehicle_days']);
      expect(r.failures[0].message).toMatch(message);
    }
    const missing = await bad('partition_by: {source: raw.vehicle_trips, unit: unit_code}\n');
    expect(missing).toBeInstanceOf(SpecError);
    expect(missing!.message).toMatch(/int_vehicle_days\.yml: partition_by needs source .*month is missing/);
  });
});
