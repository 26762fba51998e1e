/**
 * Reference tables: editable CSV files under data/reference/, copied into the warehouse's `ref`
 * schema with explicit types on every load and every model run, so an edit is always picked up.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './db.ts';
import { step } from './events.ts';

export const REFERENCE_DIR = 'data/reference';

/** Column types of each reference table, in file order. */
export const REFERENCE_TABLES: Record<string, Record<string, string>> = {
  units: { unit_code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR', kind: 'VARCHAR', population: 'BIGINT', staff: 'BIGINT', aliases: 'VARCHAR', source: 'VARCHAR', year: 'INTEGER' },
  holidays: { date: 'DATE', name: 'VARCHAR', is_off_day: 'BOOLEAN', year: 'INTEGER', source: 'VARCHAR' },
  emission_factors: { factor_id: 'VARCHAR', series: 'VARCHAR', applies_to: 'VARCHAR', scope: 'INTEGER', year: 'INTEGER', value: 'DOUBLE', unit: 'VARCHAR', source: 'VARCHAR' },
  energy_conversions: { conversion_id: 'VARCHAR', applies_to: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', convention: 'VARCHAR', source: 'VARCHAR', year: 'INTEGER' },
  targets: { target_id: 'VARCHAR', kpi_id: 'VARCHAR', baseline_year: 'INTEGER', target_year: 'INTEGER', change: 'DOUBLE', national_baseline_value: 'DOUBLE', national_baseline_unit: 'VARCHAR', source: 'VARCHAR' },
  thresholds: { threshold_id: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', applies_to: 'VARCHAR', source: 'VARCHAR' },
  settings: { setting_id: 'VARCHAR', value: 'VARCHAR', description: 'VARCHAR' },
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
}
