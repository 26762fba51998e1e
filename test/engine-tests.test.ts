import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runModels } from '../engine/runner.ts';
import { testModels, type TestResult } from '../engine/tests.ts';
import { all, type Warehouse } from '../warehouse/db.ts';
import { tripsWarehouse, writeFile, writeProject } from './fixtures/engine/project.ts';

let w: Warehouse | undefined;
afterEach(() => w?.close());

/** A crafted table that breaks every kind of test once: row 3 has a null id, duplicated id 1, kind 'c', unit 'ZZ', a negative share. */
const BAD = `select * from (values
    (1, 'a', 'YH', 0.5),
    (1, 'b', 'XH', 0.2),
    (null, 'c', 'ZZ', -0.1)
) t(id, kind, unit_code, share)
`;

const YAML = `description: One row per crafted thing.
grain: [id]
columns:
  - name: id
    description: The id
    tests: [not_null]
  - name: kind
    tests: [{accepted_values: [a, b]}]
  - name: unit_code
    tests: [{relationships: {to: ref.units, field: unit_code}}]
tests:
  - expression: "share between 0 and 1"
  - unique: [id, kind]
    severity: warn
`;

async function runAll(files: Record<string, string>, opts: { asOf?: string } = {}) {
  w = await tripsWarehouse();
  const sqlDir = writeProject(files);
  const run = await runModels(w.conn, { sqlDir });
  expect(run.failed).toBeUndefined();
  const lines: string[] = [];
  const result = await testModels(w.conn, { sqlDir, asOf: opts.asOf, log: (l) => lines.push(l) });
  const byId = Object.fromEntries(result.results.map((r) => [r.id, r])) as Record<string, TestResult>;
  return { sqlDir, result, byId, lines };
}

describe('steward test', () => {
  it('fails each test kind on a crafted bad table, with a sample of the failing rows', async () => {
    const { byId, result, lines } = await runAll({ 'marts/things.sql': BAD, 'marts/things.yml': YAML });
    expect(byId['things.not_null.id']).toMatchObject({ status: 'fail', failures: 1 });
    expect(byId['things.not_null.id'].sample).toEqual([{ id: null, kind: 'c', unit_code: 'ZZ', share: '-0.1' }]);
    // grain [id] implies unique(id): id 1 appears twice (the null id is its own group of one).
    expect(byId['things.unique.id']).toMatchObject({ status: 'fail', failures: 1 });
    expect(byId['things.unique.id'].sample).toEqual([{ id: 1, n_rows: '2' }]);
    expect(byId['things.accepted_values.kind']).toMatchObject({ status: 'fail', failures: 1, sample: [{ kind: 'c', n_rows: '1' }] });
    expect(byId['things.relationships.unit_code']).toMatchObject({ status: 'fail', failures: 1, sample: [{ unit_code: 'ZZ', n_rows: '1' }] });
    expect(byId['things.expression.share between 0 and 1']).toMatchObject({ status: 'fail', failures: 1 });
    // (id, kind) is unique, so the warn-severity test passes.
    expect(byId['things.unique.id+kind']).toMatchObject({ status: 'pass', severity: 'warn' });
    expect(result.failed).toBe(5);
    expect(lines.some((l) => l.startsWith('FAIL  things.relationships.unit_code — 1 failing row'))).toBe(true);
  });

  it('passes the same tests on a good table', async () => {
    const good = `select * from (values (1, 'a', 'YH', 0.5), (2, 'b', 'XH', 1.0)) t(id, kind, unit_code, share)`;
    const { result } = await runAll({ 'marts/things.sql': good, 'marts/things.yml': YAML });
    const modelTests = result.results.filter((r) => r.model === 'things');
    expect(modelTests.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('warns instead of failing for severity warn, and relationships can point at another model', async () => {
    const { byId, result } = await runAll({
      'staging/stg_units.sql': `select 'YH' as unit_code`,
      'marts/things.sql': `select 'XH' as unit_code`,
      'marts/things.yml': `columns:\n  - name: unit_code\n    tests: [{relationships: {to: stg_units, field: unit_code}, severity: warn}]\n`,
    });
    expect(byId['things.relationships.unit_code']).toMatchObject({ status: 'warn', failures: 1 });
    expect(result.failed).toBe(0);
    expect(result.warned).toBeGreaterThanOrEqual(1);
  });

  it('runs free SQL tests from sql/tests/ and reports a broken test as an error, not a pass', async () => {
    const { byId } = await runAll({
      'staging/stg_trips.sql': `select trip_id, distance_km from raw.vehicle_trips`,
      'tests/no_long_trips.sql': `-- trips over 15 km fail\nselect * from stg_trips where distance_km > 15`,
      'tests/soft.sql': `-- severity: warn\nselect * from stg_trips where distance_km > 7`,
      'tests/broken.sql': `select * from stg_trips where no_such_column`,
    });
    expect(byId['tests.no_long_trips']).toMatchObject({ status: 'fail', failures: 1, sample: [{ trip_id: 'T2', distance_km: 20 }] });
    expect(byId['tests.soft']).toMatchObject({ status: 'warn', failures: 2 });
    expect(byId['tests.broken'].status).toBe('error');
    expect(byId['tests.broken'].message).toMatch(/broken\.sql: the test could not run: .*no_such_column/);
  });

  it('reports a test of a model that was never built as an error', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject({ 'marts/things.sql': BAD, 'marts/things.yml': YAML });
    const r = await testModels(w.conn, { sqlDir });
    expect(r.results.find((t) => t.id === 'things.not_null.id')).toMatchObject({ status: 'error', message: expect.stringMatching(/run `steward run` first/) });
  });

  it('checks freshness per raw table and unit against the as-of date', async () => {
    // YH's latest trip month is 2024-03 (ends 03-31), XH's is 2024-01 (ends 01-31).
    const files = { 'freshness.yml': `defaults: {warn_after_days: 30, error_after_days: 100}\ntables:\n  vehicle_trips: {date_column: depart_at}\n` };
    // As of 2024-04-30: YH is 30 days old (not > 30), XH 90 days: warn.
    let { byId } = await runAll(files, { asOf: '2024-04-30' });
    expect(byId['freshness.vehicle_trips']).toMatchObject({ status: 'warn', failures: 1, sample: [{ unit_code: 'XH', latest_month: '2024-01', age_days: '90', level: 'warn' }] });
    w!.close();
    // As of 2024-05-31: XH is 121 days old (> 100): error; YH 61 days: warn.
    ({ byId } = await runAll(files, { asOf: '2024-05-31' }));
    expect(byId['freshness.vehicle_trips'].status).toBe('fail');
    expect(byId['freshness.vehicle_trips'].sample.map((r) => [r.unit_code, r.level])).toEqual([['XH', 'error'], ['YH', 'warn']]);
  });

  it('without sql/freshness.yml uses ref.thresholds and only warns', async () => {
    // ref.thresholds: warn after 45 days, error after 75. As of 2024-06-30 both units are > 75 days old.
    const { byId } = await runAll({}, { asOf: '2024-06-30' });
    expect(byId['freshness.vehicle_trips']).toMatchObject({ status: 'warn', severity: 'warn', failures: 2 });
    expect(byId['freshness.pool_transactions'].status).toBe('pass'); // no rows at all: nothing to judge
  });

  it('keeps the last results in meta.test_results', async () => {
    await runAll({ 'marts/things.sql': BAD, 'marts/things.yml': YAML });
    const rows = await all(w!.conn, `select status, count(*) as n from meta.test_results where model = 'things' group by 1 order by 1`);
    expect(rows).toEqual([{ status: 'fail', n: 5 }, { status: 'pass', n: 1 }]);
  });

  it('reports a YAML mistake with the file and the key', async () => {
    w = await tripsWarehouse();
    const sqlDir = writeProject({ 'marts/things.sql': BAD, 'marts/things.yml': `columns:\n  - name: id\n    tests: [{not_nul: id}]\n` });
    await expect(runModels(w.conn, { sqlDir })).rejects.toThrow(new RegExp(`${join('marts', 'things.yml').replace('.', '\\.')}: column id: unknown test kind "not_nul"`));
  });
});

describe('freshness of energy readings', () => {
  it('dates a quarterly bill by the last month it covers', async () => {
    const { freshWarehouse } = await import('./helpers/warehouse.ts');
    const { freshnessSql } = await import('../engine/freshness.ts');
    const w = await freshWarehouse();
    try {
      // A bill for 2024-10-01 … 2024-12-31 (stored exclusive: 2025-01-01) is December's data:
      // 0 days old on 2024-12-31, 45 days old on 2025-02-14.
      await w.conn.run(`insert into raw.energy_readings values ('B1', 'JD', 'electricity', timestamp '2024-10-01', timestamp '2025-01-01', 1, 'kWh', null, false, 1, 2)`);
      const rule = { table: 'energy_readings', dateColumn: 'period_start', unitColumn: 'unit_code', warnAfterDays: 30, errorAfterDays: 60 };
      const { all } = await import('../warehouse/db.ts');
      expect(await all(w.conn, freshnessSql(rule, '2024-12-31'))).toEqual([]);
      expect(await all(w.conn, freshnessSql(rule, '2025-02-14'))).toEqual([{ unit_code: 'JD', latest_month: '2024-12', age_days: 45, level: 'warn' }]);
    } finally {
      w.close();
    }
  });
});
