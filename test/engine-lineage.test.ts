import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../engine/catalog.ts';
import { planModels } from '../engine/dag.ts';
import { columnLineage } from '../engine/lineage.ts';
import { loadModels } from '../engine/project.ts';
import { runModels } from '../engine/runner.ts';
import { testModels } from '../engine/tests.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { CHAIN, tripsWarehouse, writeProject } from './fixtures/engine/project.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

const TABLES: Record<string, string[]> = {
  stg_trips: ['trip_id', 'unit_code', 'vehicle_id', 'distance_km', 'cost_yuan'],
  stg_vehicles: ['vehicle_id', 'unit_code', 'energy'],
  'ref.units': ['unit_code', 'name_zh', 'staff'],
};
const columnsOf = (t: string) => TABLES[t];

async function lineageOf(sql: string, output?: string[], layer = 'marts') {
  w = await tripsWarehouse();
  const dir = writeProject({ 'staging/stg_trips.sql': CHAIN['staging/stg_trips.sql'], 'staging/stg_vehicles.sql': CHAIN['staging/stg_vehicles.sql'], [`${layer}/m.sql`]: sql });
  await w.conn.run('create schema if not exists ref; create table if not exists ref.units (unit_code VARCHAR, name_zh VARCHAR, staff BIGINT)');
  const plan = await planModels(w.conn, loadModels(dir));
  return columnLineage(plan.byName.get('m')!.ast, columnsOf, output);
}

describe('column lineage', () => {
  it('follows a join-and-aggregate model through CTEs to its input columns', async () => {
    const l = await lineageOf(`
with trips as (select * from stg_trips),
vehicles as (select vehicle_id, energy as fuel from stg_vehicles),
per_unit as (
    select t.unit_code, v.fuel, sum(t.distance_km) as km, sum(t.cost_yuan) / nullif(sum(t.distance_km), 0) as cost_per_km, count(*) as trips
    from trips t join vehicles v on v.vehicle_id = t.vehicle_id
    group by all
)
select p.unit_code, u.name_zh, p.fuel, p.km, p.cost_per_km, p.km / u.staff as km_per_staff, p.trips, 'yuan' as currency
from per_unit p join ref.units u using (unit_code)
`);
    expect(l.unresolved).toEqual([]);
    expect(Object.fromEntries(l.columns.map((c) => [c.column, c.inputs]))).toEqual({
      // p.unit_code is qualified: only the trips side, though the join is USING (unit_code).
      unit_code: ['stg_trips.unit_code'],
      name_zh: ['ref.units.name_zh'],
      fuel: ['stg_vehicles.energy'],
      km: ['stg_trips.distance_km'],
      cost_per_km: ['stg_trips.cost_yuan', 'stg_trips.distance_km'],
      km_per_staff: ['ref.units.staff', 'stg_trips.distance_km'],
      trips: [],
      currency: [],
    });
  });

  it('resolves unqualified columns, union branches, subqueries, lambdas and VALUES', async () => {
    const l = await lineageOf(`
select vehicle_id, list_transform([distance_km], x -> x * 2) as doubled, (select max(staff) from ref.units) as max_staff
from stg_trips
union all
select vehicle_id, [0], 0 from stg_vehicles
`);
    expect(l.unresolved).toEqual([]);
    expect(l.columns).toEqual([
      { column: 'vehicle_id', inputs: ['stg_trips.vehicle_id', 'stg_vehicles.vehicle_id'] },
      { column: 'doubled', inputs: ['stg_trips.distance_km'] },
      { column: 'max_staff', inputs: ['ref.units.staff'] },
    ]);
  });

  it('gives an unqualified USING column both sides, and expands an unqualified star once per column', async () => {
    const l = await lineageOf(`select * from stg_vehicles join ref.units using (unit_code)`);
    expect(l.unresolved).toEqual([]);
    expect(l.columns).toEqual([
      { column: 'vehicle_id', inputs: ['stg_vehicles.vehicle_id'] },
      { column: 'unit_code', inputs: ['ref.units.unit_code', 'stg_vehicles.unit_code'] },
      { column: 'energy', inputs: ['stg_vehicles.energy'] },
      { column: 'name_zh', inputs: ['ref.units.name_zh'] },
      { column: 'staff', inputs: ['ref.units.staff'] },
    ]);
    const u = await lineageOf(`select unit_code from stg_vehicles join ref.units using (unit_code)`);
    expect(u.columns).toEqual([{ column: 'unit_code', inputs: ['ref.units.unit_code', 'stg_vehicles.unit_code'] }]);
  });

  it('names unnamed outputs from the built table and lists what it cannot resolve', async () => {
    const l = await lineageOf(`select t.unit_code, count(*), r.range as n from stg_trips t, range(3) r`, ['unit_code', 'count_star()', 'n']);
    expect(l.columns.map((c) => c.column)).toEqual(['unit_code', 'count_star()', 'n']);
    expect(l.columns[0].inputs).toEqual(['stg_trips.unit_code']);
    expect(l.unresolved).toEqual([{ column: 'n', reason: 'r.range: table function range() has no known columns' }]);
  });

  it('does not guess a star over a table whose columns are unknown', async () => {
    const l = await lineageOf(`select * from raw.vehicle_trips`, undefined, 'staging');
    expect(l.columns).toEqual([]);
    expect(l.unresolved[0].reason).toMatch(/columns of raw\.vehicle_trips are not known/);
  });
});

describe('catalog', () => {
  it('lists every model with dependencies, columns, lineage and test results', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject({
      ...CHAIN,
      'marts/unit_km.yml': `description: Kilometres per unit.\ngrain: [unit_code]\ncolumns:\n  - name: km\n    description: Sum of trip distances\n    tests: [not_null]\n`,
    });
    await runModels(w.conn, { sqlDir });
    await testModels(w.conn, { sqlDir });
    const c = await buildCatalog(w.conn, { sqlDir });
    expect(c.models.map((m) => m.name).sort()).toEqual(['int_trips_enriched', 'stg_trips', 'stg_vehicles', 'unit_km', 'unit_names']);
    const m = c.models.find((x) => x.name === 'unit_km')!;
    expect(m).toMatchObject({ layer: 'marts', description: 'Kilometres per unit.', grain: ['unit_code'], state: 'built', row_count: 2, depends_on: { models: ['int_trips_enriched'], sources: [] }, dependents: [] });
    expect(m.columns).toEqual([
      // inputs are the model's direct inputs; origins follow them through models down to sources.
      { name: 'unit_code', type: 'VARCHAR', description: undefined, tests: ['unit_km.unique.unit_code'], inputs: ['int_trips_enriched.unit_code'], origins: ['raw.vehicle_trips.unit_code'] },
      { name: 'km', type: 'DOUBLE', description: 'Sum of trip distances', tests: ['unit_km.not_null.km'], inputs: ['int_trips_enriched.distance_km'], origins: ['raw.vehicle_trips.distance_km'] },
      { name: 'trips', type: 'BIGINT', description: undefined, tests: [], inputs: [], origins: [] },
    ]);
    expect(m.tests.map((t) => [t.id, t.status])).toEqual([['unit_km.not_null.km', 'pass'], ['unit_km.unique.unit_code', 'pass']]);
    expect(c.models.find((x) => x.name === 'stg_trips')!.dependents).toEqual(['int_trips_enriched']);
    // int_trips_enriched selects trips.*: its vehicle_id is the trips side of the USING join.
    expect(c.models.find((x) => x.name === 'int_trips_enriched')!.columns.find((x) => x.name === 'vehicle_id')!.origins).toEqual(['raw.vehicle_trips.vehicle_id']);
    expect(c.sources.map((s) => [s.name, s.row_count, s.used_by])).toEqual([['raw.vehicle_trips', 3, ['stg_trips']], ['raw.vehicles', 3, ['stg_vehicles']], ['ref.units', 14, ['unit_names']]]);
    expect(c.summary).toMatchObject({ models: 5, built: 5, failed: 0 });
  });
});
