/**
 * Reference tables: editable CSV files under data/reference/, copied into the warehouse's `ref`
 * schema with explicit types on every load and every model run, so an edit is always picked up;
 * and the export contract's tables, columns and coded values with their Chinese and English names
 * (ref.contract_tables, ref.contract_columns, ref.contract_values), so models and page queries
 * name them in either language from the one declaration.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT, isPublishable } from '../contract/contract.ts';
import { sqlString } from './db.ts';
import { step } from './events.ts';

export const REFERENCE_DIR = 'data/reference';

/** Column types of each reference table, in file order. */
export const REFERENCE_TABLES: Record<string, Record<string, string>> = {
  units: { unit_code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR', kind: 'VARCHAR', population: 'BIGINT', staff: 'BIGINT', aliases: 'VARCHAR', source: 'VARCHAR', year: 'INTEGER', first_export_year: 'INTEGER', grid_region: 'VARCHAR' },
  holidays: { date: 'DATE', name: 'VARCHAR', is_off_day: 'BOOLEAN', year: 'INTEGER', source: 'VARCHAR' },
  emission_factors: { factor_id: 'VARCHAR', series: 'VARCHAR', applies_to: 'VARCHAR', scope: 'INTEGER', year: 'INTEGER', value: 'DOUBLE', unit: 'VARCHAR', unit_zh: 'VARCHAR', source: 'VARCHAR', source_zh: 'VARCHAR' },
  energy_conversions: { conversion_id: 'VARCHAR', applies_to: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', unit_zh: 'VARCHAR', convention: 'VARCHAR', source: 'VARCHAR', source_zh: 'VARCHAR', year: 'INTEGER' },
  targets: { target_id: 'VARCHAR', kpi_id: 'VARCHAR', unit_code: 'VARCHAR', baseline_year: 'INTEGER', target_year: 'INTEGER', change: 'DOUBLE', level_value: 'DOUBLE', from_year: 'INTEGER', to_year: 'INTEGER', national_baseline_value: 'DOUBLE', national_baseline_unit: 'VARCHAR', is_example: 'BOOLEAN', source: 'VARCHAR', source_zh: 'VARCHAR' },
  thresholds: { threshold_id: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', unit_zh: 'VARCHAR', applies_to: 'VARCHAR', source: 'VARCHAR', source_zh: 'VARCHAR' },
  settings: { setting_id: 'VARCHAR', value: 'VARCHAR', description: 'VARCHAR' },
  categories: { name_zh: 'VARCHAR', name_en: 'VARCHAR' },
  events: { event_id: 'VARCHAR', starts_on: 'DATE', ends_on: 'DATE', name_zh: 'VARCHAR', name_en: 'VARCHAR', short_zh: 'VARCHAR', short_en: 'VARCHAR', kind: 'VARCHAR', source: 'VARCHAR', source_zh: 'VARCHAR' },
};

export async function loadReferenceTables(conn: DuckDBConnection, dir: string = REFERENCE_DIR): Promise<void> {
  await conn.run('create schema if not exists ref');
  for (const [name, columns] of Object.entries(REFERENCE_TABLES)) {
    const path = resolve(join(dir, `${name}.csv`));
    if (!existsSync(path)) throw new Error(`reference table ${name}: ${path} is missing`);
    const cols = Object.entries(columns).map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(', ');
    await conn.run(
      `create or replace table ref.${name} as select * from read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${cols}})`,
    );
    step(`reference table ${name} written`);
  }
  await writeContractTables(conn);
}

/** Rows as a typed VALUES list (or an empty table of those columns). */
function valuesTable(name: string, columns: string[], rows: string[][]): string {
  const select = rows.length
    ? `select * from (values ${rows.map((r) => `(${r.map(sqlString).join(', ')})`).join(', ')}) as t(${columns.join(', ')})`
    : `select ${columns.map((c) => `null::VARCHAR as ${c}`).join(', ')} where false`;
  return `create or replace table ref.${name} as ${select}`;
}

async function writeContractTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(valuesTable('contract_tables', ['table_name', 'name_zh', 'name_en', 'month_column'], CONTRACT.map((t) => [t.name, t.zh, t.en, t.monthColumn ?? ''])));
  await conn.run(valuesTable('contract_columns', ['table_name', 'column_name', 'name_zh', 'name_en', 'publishable'], CONTRACT.flatMap((t) => t.columns.map((c) => [t.name, c.name, c.zh, c.en, String(isPublishable(c))]))));
  await conn.run(valuesTable('contract_values', ['table_name', 'column_name', 'code', 'name_zh', 'name_en'], CONTRACT.flatMap((t) => t.columns.flatMap((c) => (c.values ?? []).map((v) => [t.name, c.name, v.code, v.zh, v.en])))));
}
