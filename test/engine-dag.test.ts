import { afterEach, describe, expect, it } from 'vitest';
import { planModels, selectModels, ModelError } from '../engine/dag.ts';
import { loadModels } from '../engine/project.ts';
import { CHAIN, tripsWarehouse, writeProject } from './fixtures/engine/project.ts';
import type { Warehouse } from '../warehouse/db.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

async function plan(files: Record<string, string>) {
  w = await tripsWarehouse();
  await w.conn.run('create schema if not exists ref; create table if not exists ref.units (unit_code VARCHAR, name_zh VARCHAR)');
  const dir = writeProject(files);
  return { dir, plan: await planModels(w.conn, loadModels(dir)) };
}

async function planError(files: Record<string, string>): Promise<ModelError> {
  try {
    await plan(files);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('model DAG', () => {
  it('orders every model after the models it reads, and finds sources', async () => {
    const { plan: p } = await plan(CHAIN);
    const order = p.order.map((m) => m.name);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('stg_trips', 'int_trips_enriched');
    before('stg_vehicles', 'int_trips_enriched');
    before('int_trips_enriched', 'unit_km');
    expect(order).toHaveLength(5);
    const enriched = p.byName.get('int_trips_enriched')!;
    // The CTE names trips/vehicles are not dependencies; the models they read are.
    expect(enriched.deps.map((d) => d.name).sort()).toEqual(['stg_trips', 'stg_vehicles']);
    expect(p.byName.get('stg_trips')!.deps).toEqual([{ name: 'raw.vehicle_trips', kind: 'source', line: 3 }]);
    expect(p.byName.get('stg_trips')!.dependents).toEqual(['int_trips_enriched']);
  });

  it('does not take table functions or CTEs shadowing a model for dependencies', async () => {
    const { plan: p } = await plan({
      'staging/stg_trips.sql': CHAIN['staging/stg_trips.sql'],
      'marts/m.sql': `with stg_trips as (select 1 as x) select * from stg_trips, range(3) r, generate_series(1, 2) g`,
    });
    expect(p.byName.get('m')!.deps).toEqual([]);
  });

  it('reports an unknown reference with the file and line', async () => {
    const e = await planError({ 'staging/m.sql': `select *\nfrom raw.vehicle_trips t\njoin stg_nothing s on true\n` });
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].file).toMatch(/staging\/m\.sql$/);
    expect(e.problems[0].line).toBe(3);
    expect(e.message).toMatch(/m\.sql:3: unknown reference "stg_nothing"/);
  });

  it('suggests the raw schema for a bare raw table name, and rejects unknown sources', async () => {
    const e = await planError({ 'staging/m.sql': `select * from vehicle_trips\nunion all\nselect * from raw.no_such_table` });
    expect(e.message).toMatch(/m\.sql:1: .*did you mean raw\.vehicle_trips/);
    expect(e.message).toMatch(/m\.sql:3: unknown source table raw\.no_such_table/);
  });

  it('reports a cycle with each edge at its file and line', async () => {
    const e = await planError({
      'intermediate/a.sql': `-- a reads b\nselect * from b`,
      'intermediate/b.sql': `select *\n\nfrom c`,
      'intermediate/c.sql': `select * from a`,
    });
    expect(e.message).toMatch(/cycle a → b → c → a/);
    expect(e.problems.map((p) => `${p.file.split('/').pop()}:${p.line}`)).toEqual(['a.sql:2', 'b.sql:3', 'c.sql:1']);
  });

  it('counts lines in characters even after multi-byte comments', async () => {
    const e = await planError({ 'marts/m.sql': `-- 中文注释：每个单位一行\nselect 1\n  from stg_missing` });
    expect(e.problems[0].line).toBe(3);
  });

  it('refuses a file with two statements or a non-SELECT, naming the line', async () => {
    const e = await planError({ 'marts/m.sql': `select 1;\n\nselect 2;` });
    expect(e.message).toMatch(/m\.sql:3: a model is exactly one SELECT statement, found 2/);
    const e2 = await planError({ 'marts/n.sql': `create table x as select 1` });
    expect(e2.message).toMatch(/one SELECT statement/);
    const e3 = await planError({ 'marts/o.sql': `select a,\nfrom t where` });
    expect(e3.message).toMatch(/o\.sql:2: syntax error/);
  });

  it('expands --select terms up and down the graph', async () => {
    const { plan: p } = await plan(CHAIN);
    const sel = (...t: string[]) => [...selectModels(p, t)].sort();
    expect(sel('stg_trips')).toEqual(['stg_trips']);
    expect(sel('stg_trips+')).toEqual(['int_trips_enriched', 'stg_trips', 'unit_km']);
    expect(sel('+int_trips_enriched')).toEqual(['int_trips_enriched', 'stg_trips', 'stg_vehicles']);
    expect(sel('staging')).toEqual(['stg_trips', 'stg_vehicles']);
    expect(() => sel('nope')).toThrow(/no model or layer named "nope"/);
  });

  it('refuses a model that reads a later layer, naming the file, the line and the table', async () => {
    const e = await planError({
      ...CHAIN,
      'kpis/kpi_km.sql': `select * from unit_km`,
      'marts/unit_km_ranked.sql': `-- a mart reading the KPI layer\nselect *\nfrom kpi_km`,
      'intermediate/int_from_mart.sql': `select * from unit_km`,
    });
    expect(e.problems.map((p) => `${p.file.split('/').slice(-2).join('/')}:${p.line}`).sort()).toEqual(['intermediate/int_from_mart.sql:1', 'marts/unit_km_ranked.sql:3']);
    expect(e.message).toMatch(/unit_km_ranked\.sql:3: unit_km_ranked \(marts\) reads kpi_km, a model of the later layer kpis: a marts model reads staging, intermediate, marts models only/);
    expect(e.message).toMatch(/int_from_mart\.sql:1: int_from_mart \(intermediate\) reads unit_km, a model of the later layer marts/);
  });

  it('lets only staging read raw tables', async () => {
    const e = await planError({ ...CHAIN, 'marts/raw_reader.sql': `select count(*) as n\nfrom raw.vehicle_trips` });
    expect(e.problems).toHaveLength(1);
    expect(e.message).toMatch(/raw_reader\.sql:2: raw_reader \(marts\) reads raw\.vehicle_trips: only staging models read raw tables/);
  });
});
