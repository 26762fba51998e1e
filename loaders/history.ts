/**
 * What supplied a unit-month, and making an earlier file current again. A replacement never
 * deletes: the rows it takes out of raw.<table> move to archive.<table>, and meta.replacements
 * names the file they left for (loaders/load.ts). `steward history UNIT MONTH` reads both;
 * `steward load FILE --restore` swaps the file's replaced rows back in, as one transaction that
 * is itself recorded (reason "restore") and can be undone the same way.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT, type Table } from '../contract/contract.ts';
import { all, ident, sqlString } from '../warehouse/db.ts';
import { monthExpr } from '../warehouse/schema.ts';
import { archiveReplaced, rollback } from './load.ts';

export interface Supplier {
  table: string;
  file_id: number;
  path: string;
  part: string | null;
  loaded_at: string;
  rows: number;
  /** current: in raw; replaced: in the archive, since the replacement named. */
  state: 'current' | 'replaced';
  by_file_id: number | null;
  by_path: string | null;
  reason: string | null;
  replaced_at: string | null;
}

/** A unit written as code, Chinese name (with or without 区/县/市), English name or alias. */
export async function resolveUnit(conn: DuckDBConnection, given: string): Promise<string | undefined> {
  const rows = await all<{ unit_code: string }>(conn, `select unit_code from ref.units
    where lower(unit_code) = lower(?1) or name_zh = ?1 or regexp_replace(name_zh, '(区|县|市)$', '') = ?1 or lower(name_en) = lower(?1)
      or list_contains(string_split(lower(coalesce(aliases, '')), '|'), lower(?1))`, [given.trim()]);
  return rows.length === 1 ? rows[0].unit_code : undefined;
}

/** `2024-03`, `2024/3`, `202403` or `2024年3月` as `2024-03`. */
export function normaliseMonth(given: string): string | undefined {
  const m = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$/.exec(given.trim());
  if (!m) return undefined;
  const month = Number(m[2] ?? m[3]);
  return month >= 1 && month <= 12 ? `${m[1]}-${String(month).padStart(2, '0')}` : undefined;
}

/** Every file that supplied rows of a unit-month, current or replaced, oldest first. */
export async function unitMonthHistory(conn: DuckDBConnection, unit: string, month: string, tables: Table[] = CONTRACT.filter((t) => t.monthColumn)): Promise<Supplier[]> {
  const parts: string[] = [];
  for (const t of tables) {
    const m = monthExpr(t, 'x.');
    if (!m) continue;
    parts.push(`select ${sqlString(t.name)} as "table", x._file_id as file_id, count(*) as rows, 'current' as state, null::BIGINT as by_file_id, null::VARCHAR as reason, null::TIMESTAMP as replaced_at
      from raw.${t.name} x where x.unit_code = $unit and ${m} = $month group by all`);
    parts.push(`select ${sqlString(t.name)}, x._file_id, count(*), 'replaced', e.by_file_id, e.reason, e.replaced_at
      from archive.${t.name} x join meta.replacements e on e.replacement_id = x._replacement_id where x.unit_code = $unit and ${m} = $month group by all`);
  }
  if (!parts.length) return [];
  return all<Supplier>(conn, `with s as (${parts.join('\nunion all\n')})
    select s."table", s.file_id, l.path, l.part, strftime(l.loaded_at, '%Y-%m-%d %H:%M:%S') as loaded_at, s.rows, s.state, s.by_file_id, b.path as by_path, s.reason,
      strftime(s.replaced_at, '%Y-%m-%d %H:%M:%S') as replaced_at
    from s join meta.load_ledger l on l.file_id = s.file_id left join meta.load_ledger b on b.file_id = s.by_file_id
    order by s."table", s.file_id, s.state`, { unit, month } as never);
}

export interface Restored {
  fileId: number;
  path: string;
  part: string | null;
  table: string;
  rows: number;
  groups: { unit: string | null; month: string | null }[];
  /** Rows of other files moved to the archive to make room, per file. */
  displaced: { fileId: number; path: string; rows: number }[];
}

/** Ledger entries of this content (one per sheet of a workbook) that have replaced rows. */
export async function entriesToRestore(conn: DuckDBConnection, sha256: string, mapping: string | undefined): Promise<{ file_id: number; table_name: string; rows_superseded: number }[]> {
  return all(conn, `select file_id, table_name, rows_superseded from meta.load_ledger where sha256 = ? and coalesce(mapping, '') = ? and status = 'loaded' order by file_id`, [sha256, mapping ?? '']);
}

/**
 * Makes a ledger entry's replaced rows current again: for a fact table, each unit-month it
 * supplied and lost is swapped back whole (the rows there now go to the archive, reason
 * "restore"); for a register, each of its keys. Refused, with nothing changed, when a restored
 * key has since been loaded in another unit-month.
 */
export async function restoreEntry(conn: DuckDBConnection, fileId: number, t: Table): Promise<Restored> {
  const month = monthExpr(t, 'x.');
  const keys = t.key.map((k) => ident(k));
  const match = (a: string, b: string) => t.key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' and ');
  await conn.run(`create or replace temp table restoring as select * from archive.${t.name} where _file_id = ${fileId}`);
  const [{ n }] = await all<{ n: number }>(conn, 'select count(*)::BIGINT as n from restoring');
  const [entry] = await all<{ path: string; part: string | null }>(conn, `select path, part from meta.load_ledger where file_id = ${fileId}`);
  const out: Restored = { fileId, path: entry.path, part: entry.part, table: t.name, rows: Number(n), groups: [], displaced: [] };
  if (!out.rows) return out;
  // What leaves raw: the whole unit-months (facts) or the same keys (registers).
  const leaving = month
    ? `select x._file_id, x._row, x.unit_code, ${month} as _month from raw.${t.name} x
        where exists (select 1 from restoring g where g.unit_code = x.unit_code and ${monthExpr(t, 'g.')} = ${month})`
    : `select x._file_id, x._row, x.unit_code, null::VARCHAR as _month from raw.${t.name} x where exists (select 1 from restoring g where ${match('g', 'x')})`;
  const conflicts = await all<{ key: string; path: string; row: number; month: string | null }>(conn, `select concat_ws(' / ', ${keys.map((k) => `g.${k}::VARCHAR`).join(', ')}) as key, l.path, x._row as "row", ${month ?? 'null'} as month
    from restoring g join raw.${t.name} x on ${match('g', 'x')} join meta.load_ledger l on l.file_id = x._file_id
    where not exists (select 1 from (${leaving}) s where s._file_id = x._file_id and s._row = x._row) limit 3`);
  if (conflicts.length) {
    const c = conflicts[0];
    throw new Error(`file ${fileId} (${entry.path}) cannot be made current again: its ${t.key.join(' / ')} ${c.key} is now loaded from ${c.path} (row ${c.row}${c.month ? `, ${c.month}` : ''}); restore or correct that file first`);
  }
  out.groups = (await all<{ unit: string | null; month: string | null }>(conn, `select distinct g.unit_code as unit, ${month ? monthExpr(t, 'g.') : 'null'} as month from restoring g order by 2, 1`));
  out.displaced = (await all<{ file_id: number; path: string; rows: number }>(conn, `select s._file_id as file_id, l.path, count(*)::BIGINT as rows from (${leaving}) s join meta.load_ledger l on l.file_id = s._file_id group by all order by 1`))
    .map((d) => ({ fileId: Number(d.file_id), path: d.path, rows: Number(d.rows) }));
  await conn.run('begin transaction');
  try {
    await archiveReplaced(conn, t, `select _file_id, _row, unit_code, _month, ${fileId}::BIGINT as by_id, 'restore' as reason from (${leaving})`);
    await conn.run(`insert into raw.${t.name} select * exclude (_replacement_id) from restoring`);
    await conn.run(`delete from archive.${t.name} where _file_id = ${fileId}`);
    await conn.run(`update meta.load_ledger set rows_superseded = rows_superseded - ${out.rows},
      superseded_by = case when rows_superseded = ${out.rows} then null else superseded_by end where file_id = ${fileId}`);
    await conn.run('commit');
  } catch (e) {
    await rollback(conn);
    throw e;
  } finally {
    await conn.run('drop table if exists restoring');
  }
  return out;
}
