/**
 * Mapping files for foreign sources (data/mappings/<source>.yaml): a US city's register or a
 * fuel-card export is renamed, converted and completed into a contract table without code changes.
 *
 *   source: seattle-fleet
 *   table: vehicles                 # contract table the rows become
 *   skip_rows: 0                    # lines above the header row to ignore
 *   columns: { EquipID: vehicle_id }            # source header → column
 *   copies: { occupants: 'PropertyGFABuilding(s)' }   # column ← source header (a second use of one)
 *   constants: { unit: XH }         # a value for every row
 *   where: { BuildingType: '^Nonresidential COS$' }   # rows kept; the others are quarantined as skipped
 *   date_formats: { acquired_on: '%d-%b-%y' }   # strptime format of a column
 *   scale: { floor_area_m2: 0.09290304 }        # multiply (ft² → m²)
 *   values:                         # first matching pattern (case-insensitive regex) wins
 *     vehicle_class: [{ match: 'SEDAN', value: 轿车 }, { default: '' }]
 *   unpivot:                        # one source row becomes one record per entry
 *     - { constants: { carrier: 电 }, columns: { 'Electricity(kWh)': quantity } }
 *
 * Every source row still ends in exactly one place: loaded, or quarantined with its reason.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import YAML from 'yaml';
import { TABLES } from '../contract/contract.ts';
import { sqlString } from '../warehouse/db.ts';
import { normaliseHeader } from './headers.ts';

export interface Variant {
  constants?: Record<string, string | number | boolean>;
  columns?: Record<string, string>;
  scale?: Record<string, number>;
}

export interface Mapping {
  source: string;
  table: string;
  description?: string;
  skip_rows?: number;
  columns?: Record<string, string>;
  copies?: Record<string, string>;
  constants?: Record<string, string | number | boolean>;
  where?: Record<string, string>;
  date_formats?: Record<string, string>;
  scale?: Record<string, number>;
  values?: Record<string, { match?: string; value?: string; default?: string }[]>;
  unpivot?: Variant[];
}

const SECTIONS = ['source', 'table', 'description', 'skip_rows', 'columns', 'copies', 'constants', 'where', 'date_formats', 'scale', 'values', 'unpivot', 'notes'];

export function readMapping(path: string): Mapping {
  let m: Mapping;
  if (statSync(path, { throwIfNoEntry: false })?.isFile() === false) throw new Error(`mapping ${path}: not a regular file (a folder or device); name a .yaml mapping file`);
  try {
    m = YAML.parse(readFileSync(path, 'utf8')) as Mapping;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`mapping ${path}: ${err.code === 'ENOENT' ? 'no such file' : `not valid YAML (${err.message.split('\n')[0]})`}`);
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`mapping ${path}: expected a YAML mapping with at least "table"`);
  for (const k of Object.keys(m)) if (!SECTIONS.includes(k)) throw new Error(`mapping ${path}: unknown section "${k}" (known: ${SECTIONS.join(', ')})`);
  m.source ??= basename(path).replace(/\.ya?ml$/, '');
  const t = Object.hasOwn(TABLES, m.table) ? TABLES[m.table] : undefined;
  if (!t) throw new Error(`mapping ${path}: table "${m.table}" is not one of ${Object.keys(TABLES).join(', ')}`);
  const known = new Set(t.columns.map((c) => c.name));
  const named: [string, string[]][] = [
    ['columns', Object.values(m.columns ?? {})], ['copies', Object.keys(m.copies ?? {})], ['constants', Object.keys(m.constants ?? {})],
    ['date_formats', Object.keys(m.date_formats ?? {})], ['scale', Object.keys(m.scale ?? {})], ['values', Object.keys(m.values ?? {})],
    ...(m.unpivot ?? []).flatMap((v, i): [string, string[]][] => [[`unpivot[${i}].constants`, Object.keys(v.constants ?? {})], [`unpivot[${i}].columns`, Object.values(v.columns ?? {})], [`unpivot[${i}].scale`, Object.keys(v.scale ?? {})]]),
  ];
  for (const [section, cols] of named) {
    for (const c of cols) if (!known.has(c)) throw new Error(`mapping ${path}: ${section} names "${c}", which is not a column of ${m.table}`);
  }
  for (const [col, rules] of Object.entries(m.values ?? {})) {
    for (const r of rules) {
      if (r.match === undefined) continue;
      try {
        new RegExp(r.match);
      } catch {
        throw new Error(`mapping ${path}: values.${col} pattern "${r.match}" is not a valid regular expression`);
      }
    }
  }
  return m;
}

/** Renames the source headers (matched like contract headers: case, spacing, full-width ignored). */
export function applyMapping(m: Mapping, headers: string[]): string[] {
  const renames = new Map(Object.entries(m.columns ?? {}).map(([from, to]) => [normaliseHeader(from), to]));
  return headers.map((h) => renames.get(normaliseHeader(h ?? '')) ?? h);
}

interface Layout {
  /** Header of every column of the rebuilt staging table, in order (c0, c1, …). */
  headers: string[];
  /** SQL that rebuilds `src` from the staged source columns. */
  sql: string[];
}

function layout(m: Mapping, headers: string[]): Layout {
  const renamed = applyMapping(m, headers);
  const findSource = (header: string) => {
    const i = headers.findIndex((h) => normaliseHeader(h ?? '') === normaliseHeader(header));
    return i >= 0 ? `c${i}` : 'null::VARCHAR';
  };
  const extra: string[] = [];
  for (const k of Object.keys(m.copies ?? {})) if (!extra.includes(k)) extra.push(k);
  for (const k of Object.keys(m.constants ?? {})) if (!extra.includes(k)) extra.push(k);
  const variants = m.unpivot?.length ? m.unpivot : [{}];
  for (const v of variants) {
    for (const k of [...Object.keys(v.constants ?? {}), ...Object.values(v.columns ?? {})]) if (!extra.includes(k)) extra.push(k);
  }
  const out = [...renamed, ...extra];

  const keep = Object.entries(m.where ?? {}).map(([h, pattern]) => `regexp_matches(coalesce(${findSource(h)}, ''), ${sqlString(pattern)})`);
  const skipped = Object.entries(m.where ?? {}).map(([h, pattern]) => `${h} does not match ${pattern}`).join(' and ');
  const selects = variants.map((v) => {
    const cells = headers.map((_, i) => `c${i}`);
    for (const name of extra) {
      const fromVariantCol = Object.entries(v.columns ?? {}).find(([, to]) => to === name)?.[0];
      let e = 'null::VARCHAR';
      if (v.constants && name in v.constants) e = sqlString(String(v.constants[name]));
      else if (fromVariantCol) e = findSource(fromVariantCol);
      else if (m.copies && name in m.copies) e = findSource(m.copies[name]);
      else if (m.constants && name in m.constants) e = sqlString(String(m.constants[name]));
      if (v.scale?.[name] !== undefined) e = `coalesce((st_num(${e}) * ${Number(v.scale[name])})::VARCHAR, ${e})`;
      cells.push(e);
    }
    const error = keep.length ? `case when not (${keep.join(' and ')}) then ${sqlString(`skipped by mapping ${m.source}: ${skipped}`)} else _error end` : '_error';
    return `select _row, ${error} as _error, ${cells.map((c, i) => `${c} as c${i}`).join(', ')} from src`;
  });
  const sql = [`create or replace temp table src_mapped as ${selects.join(' union all ')} order by _row`, 'create or replace temp table src as select * from src_mapped', 'drop table src_mapped'];

  // Conversions on the rebuilt columns, addressed by their final header.
  const col = (name: string) => {
    const i = out.lastIndexOf(name);
    return i >= 0 ? `c${i}` : undefined;
  };
  const intColumns = new Set(TABLES[m.table].columns.filter((c) => c.type === 'int').map((c) => c.name));
  for (const [name, fmt] of Object.entries(m.date_formats ?? {})) {
    const c = col(name);
    if (c) sql.push(`update src set ${c} = coalesce(strftime(try_strptime(trim(${c}), ${sqlString(fmt)}), '%Y-%m-%d %H:%M:%S'), ${c})`);
  }
  for (const [name, factor] of Object.entries(m.scale ?? {})) {
    const c = col(name);
    const scaled = intColumns.has(name) ? `round(st_num(${c}) * ${Number(factor)})::BIGINT` : `st_num(${c}) * ${Number(factor)}`;
    if (c) sql.push(`update src set ${c} = coalesce((${scaled})::VARCHAR, ${c})`);
  }
  for (const [name, rules] of Object.entries(m.values ?? {})) {
    const c = col(name);
    if (!c) continue;
    const whens = rules.filter((r) => r.match !== undefined).map((r) => `when regexp_matches(coalesce(${c}, ''), ${sqlString(r.match!)}, 'i') then ${sqlString(r.value ?? '')}`);
    const dflt = rules.find((r) => r.default !== undefined)?.default;
    sql.push(`update src set ${c} = case ${whens.join(' ')} else ${dflt !== undefined ? sqlString(dflt) : c} end`);
  }
  return { headers: out, sql };
}

/** Headers of the staging table after the mapping is applied. */
export function mappedHeaders(m: Mapping, headers: string[]): string[] {
  return layout(m, headers).headers;
}

/** Statements that rebuild the staging table `src` (columns c0…) for a mapped source. */
export function mappingSql(m: Mapping, headers: string[]): string[] {
  return layout(m, headers).sql;
}

/** Patterns run in DuckDB's regex engine (RE2): one JavaScript accepts but RE2 does not is refused up front. */
export async function checkMappingPatterns(conn: import('@duckdb/node-api').DuckDBConnection, m: Mapping): Promise<void> {
  const patterns = [...Object.values(m.where ?? {}), ...Object.values(m.values ?? {}).flatMap((rules) => rules.flatMap((r) => (r.match === undefined ? [] : [r.match])))];
  for (const p of patterns) {
    try {
      await conn.run(`select regexp_matches('', ${sqlString(p)})`);
    } catch (e) {
      throw new Error(`mapping ${m.source}: pattern "${p}" is not a regular expression DuckDB accepts (${(e as Error).message.split('\n')[0]})`);
    }
  }
}
