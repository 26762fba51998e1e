/**
 * The warehouse's physical layout, derived from the contract:
 *   raw.<table>        one per contract table; `unit` becomes the resolved `unit_code`,
 *                      plus `_file_id` (meta.load_ledger) and `_row` (row number in the file).
 *   meta.load_ledger   one row per file loaded (content hash, counts, months, replacements).
 *   meta.quarantine    one row per rejected source row, with file, row, column and reason.
 *   meta.skipped       one row per source row a mapping's rule skipped (no record), with its reason.
 *   meta.extra_columns headers a file carried that the contract does not know.
 *   meta.replacements  every replacement: which file's rows of a unit-month left raw, for which file.
 *   archive.<table>    the rows replacements took out of raw.<table>, so an earlier file can be made current again.
 *   ref.<name>         reference tables from data/reference/*.csv (see reference.ts).
 *   main.<model>       SQL models from sql/ (see engine/).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT, duckType, type Table } from '../contract/contract.ts';
import { ident } from './db.ts';

/** The date a fact row's month is taken from; dimension tables have none. */
function monthSource(t: Table, alias: string): string | undefined {
  // A procurement not yet awarded has no contract date: its announcement month places it.
  if (t.name === 'procurement') return `coalesce(${alias}contracted_on, ${alias}announced_on)`;
  return t.monthColumn ? `${alias}${ident(t.monthColumn)}` : undefined;
}

/**
 * The month ('YYYY-MM') a fact row belongs to: with its unit, what a re-export replaces, and the
 * partition models can be rebuilt by (engine/partitions.ts). Dimension tables have none.
 */
export function monthExpr(t: Table, alias = ''): string | undefined {
  const col = monthSource(t, alias);
  return col && `strftime(${col}, '%Y-%m')`;
}

/** The same month as monthExpr, as the DATE of its first day, by date arithmetic (no text per row). */
export function monthStartExpr(t: Table, alias = ''): string | undefined {
  const col = monthSource(t, alias);
  return col && `(cast(${col} as date) - cast(day(${col}) - 1 as integer))`;
}

/** Columns of a raw table as [name, DuckDB type]. */
export function rawColumns(t: Table): [string, string][] {
  const cols: [string, string][] = [];
  for (const c of t.columns) {
    if (c.name === 'unit') cols.push(['unit_code', 'VARCHAR']);
    else cols.push([c.name, duckType(c)]);
  }
  // Energy periods are normalised on load: period_end is exclusive, and is_interval records
  // whether the export gave datetimes (smart-meter intervals) rather than dates (bills).
  if (t.name === 'energy_readings') cols.push(['is_interval', 'BOOLEAN']);
  cols.push(['_file_id', 'BIGINT'], ['_row', 'BIGINT']);
  return cols;
}

export async function ensureWarehouseSchema(conn: DuckDBConnection): Promise<void> {
  await conn.run('create schema if not exists raw; create schema if not exists meta; create schema if not exists ref;');
  for (const t of CONTRACT) {
    const cols = rawColumns(t).map(([n, ty]) => `"${n}" ${ty}`).join(', ');
    await conn.run(`create table if not exists raw.${t.name} (${cols})`);
  }
  await conn.run(`
    create sequence if not exists meta.file_id_seq start 1;
    create table if not exists meta.load_ledger (
      file_id BIGINT primary key,
      path VARCHAR not null,
      sha256 VARCHAR not null,
      table_name VARCHAR,
      format VARCHAR,
      encoding VARCHAR,
      unit_codes VARCHAR[],
      months VARCHAR[],
      rows_read BIGINT not null,
      rows_loaded BIGINT not null,
      rows_quarantined BIGINT not null,
      rows_superseded BIGINT not null default 0,
      superseded_by BIGINT,
      status VARCHAR not null,
      message VARCHAR,
      loaded_at TIMESTAMP not null, -- UTC
      mapping VARCHAR
    );
    create table if not exists meta.quarantine (
      file_id BIGINT not null,
      path VARCHAR not null,
      table_name VARCHAR,
      "row" BIGINT,
      "column" VARCHAR,
      rule VARCHAR,
      reason VARCHAR not null,
      all_reasons VARCHAR[],
      unit_code VARCHAR,
      record JSON
    );
    create table if not exists meta.extra_columns (
      file_id BIGINT not null,
      path VARCHAR not null,
      header VARCHAR not null
    );
  `);
  await ensureReplacementSchema(conn);
  await ensureSkippedRows(conn);
}

/**
 * Replacement history, added to warehouses of every age (columns are added, never changed):
 *   meta.load_ledger.main_period  the month most of a file's loaded rows fall in ('YYYY-MM'):
 *                                 what a file can replace, and the warehouse's current period
 *   meta.load_ledger.part         the worksheet a ledger entry was read from (each visible sheet of a
 *                                 workbook is its own entry); null for other formats
 *   meta.replacements             one row per (unit-month or register keys, replaced file, replacing
 *                                 file): why (re-export, --replace, register, restore), how many rows
 *   archive.<table>               raw.<table>'s columns plus the replacement that moved each row
 * A file's rows are in raw (current), in archive (replaced) or in meta.quarantine, always.
 */
async function ensureReplacementSchema(conn: DuckDBConnection): Promise<void> {
  await conn.run(`
    alter table meta.load_ledger add column if not exists main_period VARCHAR;
    alter table meta.load_ledger add column if not exists part VARCHAR;
    create sequence if not exists meta.replacement_id_seq start 1;
    create table if not exists meta.replacements (
      replacement_id BIGINT primary key,
      table_name VARCHAR not null,
      unit_code VARCHAR,
      month VARCHAR,
      replaced_file_id BIGINT not null,
      by_file_id BIGINT not null,
      rows BIGINT not null,
      reason VARCHAR not null,
      replaced_at TIMESTAMP not null
    );
    create schema if not exists archive;
  `);
  for (const t of CONTRACT) {
    const cols = [...rawColumns(t), ['_replacement_id', 'BIGINT']].map(([n, ty]) => `"${n}" ${ty}`).join(', ');
    await conn.run(`create table if not exists archive.${t.name} (${cols})`);
  }
}

/**
 * Rows a mapping's rules skip (a `Not Available` reading, a repeated header row, a row identical
 * to an earlier one) are neither loaded nor faults: the ledger counts them apart, and
 * meta.skipped names each with its rule, so rows read = loaded + quarantined + skipped.
 */
async function ensureSkippedRows(conn: DuckDBConnection): Promise<void> {
  await conn.run(`
    alter table meta.load_ledger add column if not exists rows_skipped BIGINT default 0;
    create table if not exists meta.skipped (
      file_id BIGINT not null,
      path VARCHAR not null,
      table_name VARCHAR,
      "row" BIGINT,
      "column" VARCHAR,
      rule VARCHAR,
      reason VARCHAR not null
    );
  `);
}
