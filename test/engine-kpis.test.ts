/**
 * KPI declarations: a KPI declared under `kpis:` beside its model becomes rows of the generated
 * KPI models, a bad declaration is refused naming its file, line and key, and a numerator that
 * does not bind names the declaration rather than the generated SQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runModels } from '../engine/runner.ts';
import { loadModels, ProjectError } from '../engine/project.ts';
import { SpecError } from '../engine/spec.ts';
import { all, type Warehouse } from '../warehouse/db.ts';
import { tripsWarehouse, writeProject } from './fixtures/engine/project.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

const STAGING = `select trip_id, unit_code, cast(depart_at as date) - cast(day(depart_at) - 1 as integer) as month, distance_km, cost_yuan
from raw.vehicle_trips
`;

/** A mart of km and cost per unit and month, declaring two KPIs (a sum and a ratio). */
const MART = `select unit_code, month, count(*) as trips, sum(distance_km order by distance_km) as km, sum(cost_yuan order by cost_yuan) as cost_yuan
from stg_trips
group by all
`;

function declaration(extra = ''): string {
  return `grain: [unit_code, month]
kpis:
- id: trip_km
  area: vehicles
  name: {zh: 行驶里程, en: Distance}
  definition: {zh: 行驶里程之和, en: Sum of distance}
  formula: {zh: Σ 里程, en: Σ km}
  kind: quantity
  unit: {zh: km, en: km}
  direction: higher
  numerator: km
- id: trip_cost_per_km
  area: vehicles
  name: {zh: 每公里费用, en: Cost per km}
  definition: {zh: 费用 ÷ 里程, en: Cost ÷ distance}
  formula: {zh: Σ 费用 ÷ Σ 里程, en: Σ cost ÷ Σ km}
  kind: intensity
  unit: {zh: 元/km, en: yuan/km}
  direction: lower
  numerator: cost_yuan
  denominator: km
${extra}`;
}

describe('KPI declarations', () => {
  it('turn a model and its declaration into kpi_declarations and kpi_components rows', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject({ 'staging/stg_trips.sql': STAGING, 'marts/trip_months.sql': MART, 'marts/trip_months.yml': declaration() });
    const r = await runModels(w.conn, { sqlDir });
    expect(r.failures).toEqual([]);
    expect(r.built).toEqual(expect.arrayContaining(['kpi_declarations', 'kpi_components', 'kpi_period_components']));
    const decl = await all(w.conn, `select kpi_id, area, name_zh, name_en, kind, unit_en, direction, measure_type, model, declared_in from kpi_declarations order by kpi_id`);
    expect(decl.map((d) => [d.kpi_id, d.kind, d.direction, d.measure_type, d.model])).toEqual([
      ['trip_cost_per_km', 'intensity', 'lower', 'ratio', 'trip_months'],
      ['trip_km', 'quantity', 'higher', 'sum', 'trip_months'],
    ]);
    expect(String(decl[1].declared_in)).toMatch(/marts\/trip_months\.yml:3$/);
    // YH March: 10 + 20 km, 50 + 70 yuan; XH January: 5 km, 30 yuan.
    const rows = await all(w.conn, `select kpi_id, unit_code, strftime(month, '%Y-%m') as month, numerator, denominator, denominator_kind from kpi_components order by kpi_id, unit_code`);
    expect(rows).toEqual([
      { kpi_id: 'trip_cost_per_km', unit_code: 'XH', month: '2024-01', numerator: 30, denominator: 5, denominator_kind: 'flow' },
      { kpi_id: 'trip_cost_per_km', unit_code: 'YH', month: '2024-03', numerator: 120, denominator: 30, denominator_kind: 'flow' },
      { kpi_id: 'trip_km', unit_code: 'XH', month: '2024-01', numerator: 5, denominator: null, denominator_kind: 'none' },
      { kpi_id: 'trip_km', unit_code: 'YH', month: '2024-03', numerator: 30, denominator: null, denominator_kind: 'none' },
    ]);
  });

  it('refuse a declaration with a missing language or an unknown value, naming file, line and key', () => {
    const noEnglish = declaration().replace('name: {zh: 行驶里程, en: Distance}', 'name: {zh: 行驶里程}');
    const dir = writeProject({ 'marts/trip_months.sql': MART, 'marts/trip_months.yml': noEnglish });
    expect(() => loadModels(dir)).toThrow(SpecError);
    expect(() => loadModels(dir)).toThrow(/trip_months\.yml:5: kpis\[0\] \(trip_km\)\.name: needs both zh and en/);
    const badDirection = declaration().replace('direction: higher', 'direction: up');
    const dir2 = writeProject({ 'marts/trip_months.sql': MART, 'marts/trip_months.yml': badDirection });
    expect(() => loadModels(dir2)).toThrow(/trip_months\.yml:\d+: kpis\[0\] \(trip_km\)\.direction: must be one of higher, lower, got "up"/);
    const chineseInEnglish = declaration().replace('en: Sum of distance', 'en: Sum of 里程');
    const dir3 = writeProject({ 'marts/trip_months.sql': MART, 'marts/trip_months.yml': chineseInEnglish });
    expect(() => loadModels(dir3)).toThrow(/definition: its English text contains Chinese characters/);
  });

  it('refuse a KPI declared twice', () => {
    const dir = writeProject({
      'marts/trip_months.sql': MART,
      'marts/trip_months.yml': declaration(),
      'marts/trip_copy.sql': MART,
      'marts/trip_copy.yml': declaration(),
    });
    expect(() => loadModels(dir)).toThrow(ProjectError);
    expect(() => loadModels(dir)).toThrow(/trip_months\.yml:3: KPI trip_km is already declared in .*trip_copy\.yml:3; a KPI is declared once/);
  });

  it('report a numerator that does not bind at the declaration that holds it', async () => {
    w = await tripsWarehouse();
    const broken = declaration().replace('numerator: cost_yuan', 'numerator: cost_yaun');
    const sqlDir = writeProject({ 'staging/stg_trips.sql': STAGING, 'marts/trip_months.sql': MART, 'marts/trip_months.yml': broken });
    const r = await runModels(w.conn, { sqlDir });
    expect(r.failures).toHaveLength(1);
    // The declaration of trip_cost_per_km starts on line 12 of the YAML.
    expect(r.failures[0]).toMatchObject({ model: 'kpi_components', line: 12 });
    expect(r.failures[0].file).toMatch(/marts\/trip_months\.yml$/);
    expect(r.failures[0].message).toMatch(/^KPI trip_cost_per_km: .*cost_yaun/);
  });
});
