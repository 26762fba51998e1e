/**
 * Mapping files for foreign sources (data/mappings/<source>.yaml): a US city's register or a
 * fuel-card export is renamed, converted and completed into a contract table without code changes.
 *
 *   source: seattle-fleet
 *   table: vehicles                 # contract table the rows become
 *   skip_rows: 0                    # lines above the header row to ignore
 *   columns: { EquipID: vehicle_id, InServiceDate: acquired_on }   # source header → column
 *   constants: { unit: XH }         # a value for every row
 *   date_formats: { acquired_on: '%d-%b-%y' }                      # strptime format of a column
 *   scale: { floor_area_m2: 0.09290304 }                           # multiply (ft² → m²)
 *   values:                         # first matching pattern (regular expression) wins
 *     vehicle_class: [{ match: 'SEDAN', value: 轿车 }, { default: 其他 }]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import YAML from 'yaml';
import { TABLES } from './contract.ts';
import { ident, sqlString } from './db.ts';
import { normaliseHeader } from './headers.ts';

export interface Mapping {
  source: string;
  table: string;
  description?: string;
  skip_rows?: number;
  columns?: Record<string, string>;
  constants?: Record<string, string | number | boolean>;
  date_formats?: Record<string, string>;
  scale?: Record<string, number>;
  values?: Record<string, { match?: string; value?: string; default?: string }[]>;
}

export function readMapping(path: string): Mapping {
  let m: Mapping;
  try {
    m = YAML.parse(readFileSync(path, 'utf8')) as Mapping;
  } catch (e) {
    throw new Error(`mapping ${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!m || typeof m !== 'object') throw new Error(`mapping ${path}: empty`);
  m.source ??= basename(path).replace(/\.ya?ml$/, '');
  const t = TABLES[m.table];
  if (!t) throw new Error(`mapping ${path}: table "${m.table}" is not one of ${Object.keys(TABLES).join(', ')}`);
  const known = new Set(t.columns.map((c) => c.name));
  for (const [section, cols] of [['columns', Object.values(m.columns ?? {})], ['constants', Object.keys(m.constants ?? {})], ['date_formats', Object.keys(m.date_formats ?? {})], ['scale', Object.keys(m.scale ?? {})], ['values', Object.keys(m.values ?? {})]] as const) {
    for (const c of cols) if (!known.has(c)) throw new Error(`mapping ${path}: ${section} names "${c}", which is not a column of ${m.table}`);
  }
  return m;
}

/** Renames the source headers (matched like contract headers: case, spacing, full-width ignored). */
export function applyMapping(m: Mapping, headers: string[]): string[] {
  const renames = new Map(Object.entries(m.columns ?? {}).map(([from, to]) => [normaliseHeader(from), to]));
  return headers.map((h) => renames.get(normaliseHeader(h ?? '')) ?? h);
}

/** Headers after renaming, with the constant columns appended (their cells are added by mappingSql). */
export function mappedHeaders(m: Mapping, headers: string[]): string[] {
  return [...applyMapping(m, headers), ...Object.keys(m.constants ?? {})];
}

/** Statements that complete the staging table `src` (columns c0…) for a mapped source. */
export function mappingSql(m: Mapping, headers: string[]): string[] {
  const renamed = applyMapping(m, headers);
  const out: string[] = [];
  const colOf = new Map<string, string>();
  renamed.forEach((h, i) => colOf.set(h, `c${i}`));
  Object.entries(m.constants ?? {}).forEach(([name, value], k) => {
    const c = `c${headers.length + k}`;
    out.push(`alter table src add column ${c} VARCHAR default ${sqlString(String(value))}`);
    colOf.set(name, c);
  });
  for (const [name, fmt] of Object.entries(m.date_formats ?? {})) {
    const c = colOf.get(name);
    if (c) out.push(`update src set ${c} = coalesce(strftime(try_strptime(trim(${c}), ${sqlString(fmt)}), '%Y-%m-%d %H:%M:%S'), ${c})`);
  }
  for (const [name, factor] of Object.entries(m.scale ?? {})) {
    const c = colOf.get(name);
    if (c) out.push(`update src set ${c} = coalesce((st_num(${c}) * ${Number(factor)})::VARCHAR, ${c})`);
  }
  for (const [name, rules] of Object.entries(m.values ?? {})) {
    const c = colOf.get(name);
    if (!c) continue;
    const whens = rules.filter((r) => r.match !== undefined).map((r) => `when regexp_matches(coalesce(${c}, ''), ${sqlString(r.match!)}, 'i') then ${sqlString(r.value ?? '')}`);
    const dflt = rules.find((r) => r.default !== undefined)?.default;
    out.push(`update src set ${ident(c)} = case ${whens.join(' ')} else ${dflt !== undefined ? sqlString(dflt) : c} end`);
  }
  return out;
}
