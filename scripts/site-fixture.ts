/**
 * A small, deterministic warehouse in the shapes the dashboard reads (kpi_values, kpis,
 * benchmarks, action lists, meta.load_ledger, meta.quarantine, raw tables), for the site tests and
 * for working on pages before the real models exist. Values are synthetic; quarters and years are
 * sums or means of their months so the numbers hang together on the page.
 * It deliberately carries personal identifiers (driver ids, phone numbers, e-mails) in places a
 * careless page-data step would copy, so the tests can prove none reaches the site.
 *
 *   tsx scripts/site-fixture.ts [path]   (default test-results/site-fixture.duckdb)
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWarehouse, sqlString } from '../warehouse/db.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { AREAS } from '../src/components/areas.ts';
import { kpiDirection, kpiName, kpiKind } from '../src/components/i18n.ts';

/** Identifiers planted in the fixture; none may appear in the built site. */
export const PLANTED_PERSONAL = ['D-90817', 'DRV-77881', '13812345678', 'zhang.wei@example.cn', '330106198001011234'];

/** Typical monthly magnitude of each KPI for one unit, and how quarters and years combine months. */
const SCALE: Record<string, [number, 'sum' | 'avg']> = {
  pool_fulfilments: [25, 'sum'],
  pool_cost_avoided_yuan: [260000, 'sum'],
  pool_donated_value_yuan: [30000, 'sum'],
  pool_overdue_loans: [3, 'sum'],
  pool_turnover: [0.4, 'avg'],
  pool_reuse_first_rate: [0.35, 'avg'],
  pool_missed_reuse_yuan: [40000, 'sum'],
  vehicle_trips: [420, 'sum'],
  vehicle_km: [16000, 'sum'],
  vehicle_day_utilisation: [0.62, 'avg'],
  vehicle_km_per_vehicle_year: [15000, 'avg'],
  vehicle_cost_per_km: [1.6, 'avg'],
  vehicle_electric_share: [0.38, 'avg'],
  vehicle_underused_count: [2, 'sum'],
  energy_kgce: [90000, 'sum'],
  energy_kgce_per_m2: [1.4, 'sum'],
  energy_kgce_per_person: [26, 'sum'],
  water_m3_per_person: [1.7, 'sum'],
  electricity_kwh_per_m2: [6.5, 'sum'],
  carbon_scope1_t: [45, 'sum'],
  carbon_scope2_t: [230, 'sum'],
  carbon_total_t: [275, 'sum'],
  carbon_t_per_staff: [0.09, 'sum'],
  carbon_kg_per_m2: [3.1, 'sum'],
  meeting_net_tco2e: [1.2, 'sum'],
  meeting_zero_carbon_share: [0.45, 'avg'],
  proc_savings_rate: [0.055, 'avg'],
  proc_competitive_share: [0.78, 'avg'],
  proc_single_source_share: [0.04, 'avg'],
  proc_sme_share: [0.72, 'avg'],
  proc_hhi: [1400, 'avg'],
  proc_split_flags: [1, 'sum'],
  opcost_total_yuan: [2600000, 'sum'],
  opcost_per_staff_yuan: [950, 'sum'],
};

export async function buildFixtureWarehouse(path: string, opts: { months?: string[] } = {}): Promise<void> {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const wh = await openWarehouse(path);
  const c = wh.conn;
  try {
    await loadReferenceTables(c, resolve(dirname(), '../data/reference'));
    await ensureWarehouseSchema(c);
    const kpiIds = Object.keys(SCALE);
    const kpiRows = kpiIds
      .map((id) => `(${[id, kpiName(id, null, 'zh'), kpiName(id, null, 'en'), kpiKind(id) === 'money' ? 'yuan' : kpiKind(id) === 'fraction' ? 'fraction' : 'n', kpiDirection(id), `fixture formula of ${id}`, 'fixture'].map(sqlString).join(', ')})`)
      .join(',\n');
    await c.run(`create table main.kpis (kpi_id VARCHAR, name_zh VARCHAR, name_en VARCHAR, unit_of_measure VARCHAR, direction VARCHAR, formula VARCHAR, source VARCHAR);
      insert into main.kpis values ${kpiRows};`);
    const scale = kpiIds.map((id) => `(${sqlString(id)}, ${SCALE[id][0]}, ${sqlString(SCALE[id][1])})`).join(', ');
    // Months 2023-01 … 2024-12 unless told otherwise; each unit has its own level (by staff) and
    // each value a deterministic wobble from a hash, so ranks differ between KPIs.
    const months = opts.months ?? Array.from({ length: 24 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    await c.run(`
      create table main.kpi_values (kpi_id VARCHAR, unit_code VARCHAR, grain VARCHAR, period VARCHAR, value DOUBLE);
      create temp table scale(kpi_id VARCHAR, base DOUBLE, agg VARCHAR);
      insert into scale values ${scale};
      create temp table monthly as
        select s.kpi_id, u.unit_code, m.period,
          round(s.base * (case when s.agg = 'sum' and s.kpi_id not like '%per%' then u.staff / 2500.0 else 1 end)
            * (0.75 + (hash(s.kpi_id || u.unit_code || m.period) % 1000) / 2000.0)
            * (1 - 0.03 * (cast(left(m.period, 4) as integer) - 2023)), 4) as value,
          s.agg
        from scale s cross join ref.units u cross join (select unnest([${months.map(sqlString).join(', ')}]) as period) m;
      insert into main.kpi_values select kpi_id, unit_code, 'month', period, value from monthly;
      insert into main.kpi_values
        select kpi_id, unit_code, 'quarter', left(period, 4) || '-Q' || ((cast(right(period, 2) as integer) + 2) // 3),
               case when any_value(agg) = 'sum' then sum(value) else avg(value) end from monthly group by all;
      insert into main.kpi_values
        select kpi_id, unit_code, 'year', left(period, 4), case when any_value(agg) = 'sum' then sum(value) else avg(value) end from monthly group by all;
      insert into main.kpi_values
        select v.kpi_id, 'ALL', v.grain, v.period, case when any_value(s.agg) = 'sum' then sum(v.value) else avg(v.value) end
        from main.kpi_values v join scale s using (kpi_id) group by all;
    `);
    await c.run(`
      create table main.benchmarks as
      with v as (
        select v.*, k.direction from main.kpi_values v join main.kpis k using (kpi_id) where unit_code <> 'ALL'
      ), flagged as (
        select *, (unit_code = 'CA' and kpi_id like 'vehicle%') as too_small_to_rank from v
      ), stats as (
        select kpi_id, grain, period, median(value) as peer_median,
          case when any_value(direction) = 'lower' then min(value) else max(value) end as best_value,
          case when any_value(direction) = 'lower' then arg_min(unit_code, value) else arg_max(unit_code, value) end as best_unit
        from flagged where not too_small_to_rank group by all
      ), ranked as (
        select f.*, case when f.too_small_to_rank then null
                    else rank() over (partition by f.kpi_id, f.grain, f.period, f.too_small_to_rank order by case when f.direction = 'lower' then f.value else -f.value end) end as rank,
               count(*) filter (where not f.too_small_to_rank) over (partition by f.kpi_id, f.grain, f.period) as n
        from flagged f
      )
      select r.kpi_id, r.unit_code, r.grain, r.period, r.value, r.rank::integer as rank,
             case when r.rank is null then null else least(4, 1 + ((r.rank - 1) * 4) // r.n)::integer end as quartile,
             s.peer_median, s.best_unit, s.best_value, r.value - s.peer_median as gap_to_median, r.value - s.best_value as gap_to_best,
             r.value / nullif(ly.value, 0) - 1 as yoy_change, r.too_small_to_rank
      from ranked r join stats s using (kpi_id, grain, period)
      left join main.kpi_values ly on ly.kpi_id = r.kpi_id and ly.unit_code = r.unit_code and ly.grain = r.grain
        and ly.period = cast(cast(left(r.period, 4) as integer) - 1 as varchar) || substr(r.period, 5);
    `);
    // Action lists in the shapes of the real models: overdue loans among pool_loans (with a
    // contact phone that must never be published), flagged split groups, vehicle months with two
    // underused vehicles per unit; energy_anomalies and pool_missed_reuse are absent (empty states).
    await c.run(`
      create table main.pool_loans as
        select 'GWC-' || unit_code || '-2024-' || lpad(i::varchar, 4, '0') as txn_id, unit_code, 'WH-' || unit_code || '-01' as warehouse_id,
               date '2024-06-01' + i::integer as loan_date, 'ZC-' || i as asset_id, ['办公家具', '计算机', '打印设备'][1 + i % 3] as asset_category,
               case when i = 0 then '=cmd|calc' else '办公桌' end as asset_name, 1 + i % 4 as quantity, '区数据资源局' as to_agency,
               date '2024-09-01' + i::integer as due_date, case when i < 3 then 'overdue' else 'open' end as status,
               case when i < 3 then 120 - i else null end as days_overdue, '13812345678' as contact_phone
        from ref.units, range(4) t(i);
      create table main.vehicle_months as
        select unit_code, '浙A·' || unit_code || lpad(i::varchar, 4, '0') as vehicle_id, 'sedan' as vehicle_class, 'bev' as energy, m as month,
               true as is_reported_month, 21 as in_service_working_days, case when i < 2 then 4 + i else 15 end as used_working_days,
               300 + i * 10 as km, 6 + i as trips, 'DRV-77881' as driver_id
        from ref.units, range(4) t(i), (select unnest(['2024-10', '2024-11', '2024-12']) as m);
      create table main.opcost_unit_months as
        select unit_code, m::date as month, 150000.0 + 1000 * i as energy_cost_yuan, 8000.0 + 100 * i as vehicle_cost_yuan, 400000.0 + 5000 * i as procurement_yuan
        from ref.units, (select unnest(generate_series(date '2024-01-01', date '2024-12-01', interval 1 month)) as m, row_number() over () as i);
      create table main.proc_split_groups as
        select unit_code || '-G1' as group_id, unit_code, '区机关事务中心' as agency, '计算机' as item_category, date '2024-05-02' as first_contracted_on,
               date '2024-05-28' as last_contracted_on, 3 as records, 26800.0 as total_contract_yuan, 9800.0 as largest_contract_yuan,
               '2024-05' as month, unit_code <> 'FY' as is_flagged, 20000.0 as lowest_threshold_crossed_yuan
        from ref.units where unit_code in ('YH', 'XS', 'FY');
    `);
    // Raw rows for the freshness matrix: every unit sent trips up to 2024-12 except Chun'an (CA)
    // and Jiande (JD), whose last export is 2024-11; only five units sent meetings.
    await c.run(`
      insert into raw.vehicle_trips (trip_id, unit_code, vehicle_id, driver_id, depart_at, return_at, distance_km, _file_id, _row)
        select 'T-' || unit_code || '-' || m, unit_code, '浙A·' || unit_code, 'D-90817', timestamp '2024-01-05 08:00' + to_months(m::integer), timestamp '2024-01-05 10:00' + to_months(m::integer), 30, 1, m
        from ref.units, range(case when unit_code in ('CA', 'JD') then 11 else 12 end) t(m);
      insert into raw.meetings (meeting_id, unit_code, name, held_on, attendees, duration_h, _file_id, _row)
        select 'M-' || unit_code, unit_code, '节能工作会议', date '2024-12-10', 40, 2, 2, 1 from ref.units where unit_code in ('HZ', 'SC', 'GS', 'XH', 'YH');
      insert into meta.load_ledger (file_id, path, sha256, table_name, format, encoding, unit_codes, months, rows_read, rows_loaded, rows_quarantined, rows_superseded, superseded_by, status, message, loaded_at) values
        (1, '/srv/inbox/vehicle_trips/trips-2024.csv', 'aa11', 'vehicle_trips', 'csv', 'utf-8', ['HZ', 'YH'], ['2024-01', '2024-12'], 170, 166, 4, 0, null, 'loaded', null, timestamp '2025-01-06 09:12'),
        (2, '/srv/inbox/meetings/meetings-2024-12.xlsx', 'bb22', 'meetings', 'xlsx', null, ['HZ'], ['2024-12'], 5, 5, 0, 0, null, 'loaded', null, timestamp '2025-01-06 09:13');
      insert into meta.quarantine (file_id, path, table_name, "row", "column", reason, all_reasons, unit_code, record) values
        (1, '/srv/inbox/vehicle_trips/trips-2024.csv', 'vehicle_trips', 12, 'unit', 'unknown unit "余航区"', ['unknown unit "余航区"'], null,
         '{"trip_id":"T-9","unit":"余航区","driver_id":"DRV-77881","驾驶员":"D-90817","联系电话":"13812345678","distance_km":"12"}'),
        (1, '/srv/inbox/vehicle_trips/trips-2024.csv', 'vehicle_trips', 40, 'distance_km', 'distance_km is negative', ['distance_km is negative'], 'YH',
         '{"trip_id":"T-40","unit":"YH","driver_id":"D-90817","distance_km":"-5","purpose":"=HYPERLINK(\\"x\\")","note":"call 13812345678 or zhang.wei@example.cn"}'),
        (1, '/srv/inbox/vehicle_trips/trips-2024.csv', 'vehicle_trips', 41, 'distance_km', 'distance_km is negative', ['distance_km is negative'], 'YH',
         '{"trip_id":"T-41","unit":"YH","distance_km":"-1","id_card":"330106198001011234"}'),
        (1, '/srv/inbox/vehicle_trips/trips-2024.csv', 'vehicle_trips', 77, 'return_at', 'depart_at after return_at', ['depart_at after return_at'], 'XS',
         '{"trip_id":"T-77","unit":"XS","depart_at":"2024-03-05 12:00","return_at":"2024-03-05 09:00"}');
    `);
  } finally {
    wh.close();
  }
}

function dirname(): string {
  return resolve(fileURLToPath(import.meta.url), '..');
}

/** KPI ids the fixture holds (every id of METRICS.md). */
export const FIXTURE_KPIS = Object.keys(SCALE);
export { AREAS };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? 'test-results/site-fixture.duckdb';
  await buildFixtureWarehouse(path);
  console.log(`site-fixture: wrote ${path}`);
}
