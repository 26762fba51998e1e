/**
 * Freshness: per raw table and unit, how old the unit's latest month is on the as-of date.
 * Rules come from `sql/freshness.yml`:
 *
 *   defaults: { warn_after_days: 45, error_after_days: 75 }   # else ref.thresholds freshness_*_days
 *   tables:
 *     vehicle_trips: { date_column: depart_at }
 *     energy_readings: { date_column: period_start, error_after_days: 100 }
 *
 * Without the file every table with a month column is checked with the thresholds from
 * ref.thresholds, but only warns: an error needs a deliberate rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { CONTRACT, TABLES } from '../contract/contract.ts';
import { all } from '../warehouse/db.ts';

export interface FreshnessRule {
  table: string;
  dateColumn: string;
  unitColumn: string;
  warnAfterDays?: number;
  errorAfterDays?: number;
}

export interface FreshnessRow {
  unit_code: string;
  latest_month: string;
  age_days: number;
  level: 'warn' | 'error';
}

export function freshnessFile(sqlDir: string): string {
  return join(sqlDir, 'freshness.yml');
}

const num = (v: unknown, where: string): number | undefined => {
  if (v == null) return undefined;
  if (typeof v !== 'number' || v < 0) throw new Error(`${where}: expected a number of days, got ${JSON.stringify(v)}`);
  return v;
};

export async function loadFreshnessRules(conn: DuckDBConnection, sqlDir: string): Promise<{ rules: FreshnessRule[]; configured: boolean }> {
  // Before the first run the reference tables may not be loaded yet: then there are no defaults.
  const hasThresholds = (await all(conn, `select 1 from information_schema.tables where table_schema = 'ref' and table_name = 'thresholds'`)).length > 0;
  const thresholds = hasThresholds
    ? await all<{ threshold_id: string; value: number }>(conn, `select threshold_id, value from ref.thresholds where threshold_id in ('freshness_warn_days', 'freshness_error_days')`)
    : [];
  const byId = Object.fromEntries(thresholds.map((t) => [t.threshold_id, t.value]));
  const file = freshnessFile(sqlDir);
  if (!existsSync(file)) {
    const rules = CONTRACT.filter((t) => t.monthColumn).map((t) => ({ table: t.name, dateColumn: t.monthColumn!, unitColumn: 'unit_code', warnAfterDays: byId.freshness_warn_days, errorAfterDays: byId.freshness_error_days }));
    return { rules, configured: false };
  }
  const doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, any>;
  const defaults = doc.defaults ?? {};
  const warn = num(defaults.warn_after_days, `${file}: defaults.warn_after_days`) ?? byId.freshness_warn_days;
  const error = num(defaults.error_after_days, `${file}: defaults.error_after_days`) ?? byId.freshness_error_days;
  const rules: FreshnessRule[] = [];
  for (const [table, raw] of Object.entries((doc.tables ?? {}) as Record<string, any>)) {
    const r = raw ?? {};
    const where = `${file}: tables.${table}`;
    const contract = TABLES[table];
    if (!contract) throw new Error(`${where}: unknown raw table (known: ${CONTRACT.map((t) => t.name).join(', ')})`);
    const dateColumn = r.date_column ?? contract.monthColumn;
    if (!dateColumn) throw new Error(`${where}: needs date_column (the table has no month column)`);
    rules.push({ table, dateColumn, unitColumn: r.unit_column ?? 'unit_code', warnAfterDays: num(r.warn_after_days, `${where}.warn_after_days`) ?? warn, errorAfterDays: num(r.error_after_days, `${where}.error_after_days`) ?? error });
  }
  return { rules, configured: true };
}

/**
 * Units whose latest month ended more than the set days before the as-of date. The age is
 * counted from the last day of the latest month: data through March is 0 days old on 31 March.
 */
export function freshnessSql(rule: FreshnessRule, asOf: string): string {
  // Energy readings are dated by the last moment they cover (period_end is exclusive): a quarterly
  // bill for October–December is December's data.
  const date = rule.table === 'energy_readings' && rule.dateColumn === 'period_start' ? `coalesce(period_end - interval 1 second, period_start)` : `"${rule.dateColumn}"`;
  const age = `date_diff('day', last_day(max(${date})::DATE), DATE '${asOf}')`;
  const warn = rule.warnAfterDays ?? Number.MAX_SAFE_INTEGER;
  const error = rule.errorAfterDays ?? Number.MAX_SAFE_INTEGER;
  return `select "${rule.unitColumn}" as unit_code, strftime(max(${date}), '%Y-%m') as latest_month, ${age} as age_days,
  case when ${age} > ${error} then 'error' else 'warn' end as level
from raw."${rule.table}" where "${rule.unitColumn}" is not null
group by all having ${age} > ${Math.min(warn, error)} order by age_days desc, unit_code`;
}
