/**
 * Mapping files for foreign sources (data/mappings/<source>.yaml): a US city's register, a
 * procurement portal's pages or a fuel-card export is renamed, converted and completed into a
 * contract table without code changes. The language is declared by loaders/mapping.schema.json
 * and documented, one example per section, in docs/mappings.md.
 *
 * A mapping rewrites the staging table (`_row`, `_error`, c0 … cN) before the rows are parsed
 * and checked like any export's: every source row still ends in exactly one place — loaded,
 * quarantined with its reason, or skipped by a rule of the mapping and counted.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import YAML, { LineCounter, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { TABLES, type Table } from '../contract/contract.ts';
import { sqlString } from '../warehouse/db.ts';
import { mapHeaders, normaliseHeader } from './headers.ts';

type Scalar = string | number | boolean;

export interface Conversion {
  factor: number;
  source: string;
  from?: string;
}

export interface Variant {
  constants?: Record<string, Scalar>;
  columns?: Record<string, string>;
  convert?: Record<string, Conversion>;
  scale?: Record<string, number>;
}

export interface SkipRule {
  column?: string;
  header?: string;
  match: string;
  reason: string;
}

export interface Mapping {
  source: string;
  table: string;
  description?: string;
  notes?: string;
  header_row?: number;
  skip_rows?: number;
  columns?: Record<string, string>;
  copies?: Record<string, string>;
  fallback?: Record<string, string[]>;
  combine?: Record<string, string[] | { from: string[]; separator?: string }>;
  constants?: Record<string, Scalar>;
  defaults?: Record<string, Scalar>;
  extract?: Record<string, string>;
  replace?: Record<string, { pattern: string; with?: string }[]>;
  values?: Record<string, { match?: string; value?: Scalar; default?: Scalar }[]>;
  date_formats?: Record<string, string>;
  convert?: Record<string, Conversion>;
  scale?: Record<string, number>;
  where?: Record<string, string>;
  skip?: SkipRule[];
  drop_identical_rows?: boolean;
  grid_region?: string;
  unpivot?: Variant[];
}

export const MAPPING_SCHEMA_PATH = new URL('./mapping.schema.json', import.meta.url);
export const MAPPING_SCHEMA = JSON.parse(readFileSync(MAPPING_SCHEMA_PATH, 'utf8')) as { properties: Record<string, unknown> };

let validator: ReturnType<Ajv2020['compile']> | undefined;
function schemaValidator() {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(MAPPING_SCHEMA);
  return validator;
}

/** A problem in a mapping file, with the line it is on. */
interface Problem { path: (string | number)[]; message: string }

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[], key = false): number | undefined {
  // The key's line for a wrong key, the value's line otherwise; the nearest parent when absent.
  for (let p = path; p.length >= 0; p = p.slice(0, -1)) {
    const parent = p.length ? doc.getIn(p.slice(0, -1), true) : undefined;
    if (key && isMap(parent) && p.length) {
      const pair = parent.items.find((it) => (it.key as { value?: unknown } | null)?.value === p[p.length - 1]);
      const range = (pair?.key as YamlNode | undefined)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
    const node = (p.length ? doc.getIn(p, true) : doc.contents) as YamlNode | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
    if (!p.length) break;
  }
  return undefined;
}

/** An Ajv error as a sentence about the mapping's own words. */
function describe(e: ErrorObject): Problem {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const where = path.length ? path.join('.') : 'the mapping';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = path.length === 0 ? ` (known: ${Object.keys(MAPPING_SCHEMA.properties).join(', ')})` : '';
      return { path: [...path, String(p.additionalProperty)], message: `unknown ${path.length ? `key "${p.additionalProperty}" in ${where}` : `section "${p.additionalProperty}"`}${known}` };
    }
    case 'required': return { path, message: `${where} needs "${p.missingProperty}"` };
    case 'type': return { path, message: `${where} must be ${p.type === 'object' ? 'a mapping of names to values' : p.type === 'array' ? 'a list' : `a ${String(p.type).replace(/,/g, ' or ')}`}` };
    case 'minItems': return { path, message: `${where} needs at least ${p.limit} entries` };
    case 'exclusiveMinimum': return { path, message: `${where} must be greater than ${p.limit}` };
    case 'minimum': return { path, message: `${where} must be at least ${p.limit}` };
    case 'minLength': return { path, message: `${where} must not be empty` };
    default: return { path, message: `${where} ${e.message}` };
  }
}

/** Contract columns a mapping names, with where it names them. */
function namedColumns(m: Mapping): [(string | number)[], string, boolean][] {
  const out: [(string | number)[], string, boolean][] = [];
  for (const [from, to] of Object.entries(m.columns ?? {})) out.push([['columns', from], to, false]);
  for (const section of ['copies', 'fallback', 'combine', 'constants', 'defaults', 'extract', 'replace', 'values', 'date_formats', 'convert', 'scale'] as const) {
    for (const c of Object.keys(m[section] ?? {})) out.push([[section, c], c, true]);
  }
  (m.skip ?? []).forEach((s, i) => s.column !== undefined && out.push([['skip', i, 'column'], s.column, false]));
  (m.unpivot ?? []).forEach((v, i) => {
    for (const c of Object.keys(v.constants ?? {})) out.push([['unpivot', i, 'constants', c], c, true]);
    for (const [from, to] of Object.entries(v.columns ?? {})) out.push([['unpivot', i, 'columns', from], to, false]);
    for (const c of Object.keys(v.convert ?? {})) out.push([['unpivot', i, 'convert', c], c, true]);
    for (const c of Object.keys(v.scale ?? {})) out.push([['unpivot', i, 'scale', c], c, true]);
  });
  return out;
}

/** Every regular expression of a mapping, with where it stands. */
function patterns(m: Mapping): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  for (const [h, p] of Object.entries(m.where ?? {})) out.push([['where', h], p]);
  for (const [c, p] of Object.entries(m.extract ?? {})) out.push([['extract', c], p]);
  for (const [c, rules] of Object.entries(m.replace ?? {})) rules.forEach((r, i) => out.push([['replace', c, i, 'pattern'], r.pattern]));
  for (const [c, rules] of Object.entries(m.values ?? {})) rules.forEach((r, i) => r.match !== undefined && out.push([['values', c, i, 'match'], r.match]));
  (m.skip ?? []).forEach((s, i) => out.push([['skip', i, 'match'], s.match]));
  return out;
}

/** Checks a parsed mapping against the schema and the contract; problems name their line. */
function problemsOf(m: Mapping, doc: Document, counter: LineCounter): { line?: number; message: string }[] {
  const validate = schemaValidator();
  const out: { line?: number; message: string }[] = [];
  if (!validate(m)) {
    // oneOf failures repeat what their branches said; the branch errors are clearer.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const seen = new Set<string>();
    for (const e of errors) {
      const p = describe(e);
      if (seen.has(p.message)) continue;
      seen.add(p.message);
      out.push({ line: lineOf(doc, counter, p.path, e.keyword === 'additionalProperties'), message: p.message });
    }
    if (out.length) return out;
  }
  const t = Object.hasOwn(TABLES, m.table) ? TABLES[m.table] : undefined;
  if (!t) return [{ line: lineOf(doc, counter, ['table']), message: `table "${m.table}" is not one of ${Object.keys(TABLES).join(', ')}` }];
  const known = new Set(t.columns.map((c) => c.name));
  for (const [path, column, isKey] of namedColumns(m)) {
    if (known.has(column)) continue;
    const section = path.slice(0, -1).map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
    out.push({ line: lineOf(doc, counter, path, isKey), message: `${section || path[0]} names "${column}", which is not a column of ${m.table}` });
  }
  for (const [path, p] of patterns(m)) {
    try {
      new RegExp(p);
    } catch {
      out.push({ line: lineOf(doc, counter, path), message: `pattern "${p}" is not a valid regular expression` });
    }
  }
  return out;
}

/** Reads and checks a mapping file; an error names the file and the line of each problem. */
export function readMapping(path: string): Mapping {
  if (statSync(path, { throwIfNoEntry: false })?.isFile() === false) throw new Error(`mapping ${path}: not a regular file (a folder or device); name a .yaml mapping file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`mapping ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  return parseMapping(text, path);
}

/** Parses and checks mapping text (`name` is the file it came from, for messages and the default source). */
export function parseMapping(text: string, name: string): Mapping {
  const counter = new LineCounter();
  let doc: Document;
  let m: Mapping;
  try {
    doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: false });
    if (doc.errors.length) throw doc.errors[0];
    m = doc.toJS({ maxAliasCount: 100 }) as Mapping;
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new Error(`mapping ${name}: not valid YAML${line ? ` (line ${line})` : ''} (${(e as Error).message.split('\n')[0]})`);
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`mapping ${name}: expected a YAML mapping with at least "table"`);
  const problems = problemsOf(m, doc, counter);
  if (problems.length === 1) {
    const [p] = problems;
    throw new Error(`mapping ${name}: ${p.message}${p.line ? ` (line ${p.line})` : ''}`);
  }
  if (problems.length) {
    throw new Error(`mapping ${name}: ${problems.length} problems\n${problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('\n')}`);
  }
  m.source ??= basename(name).replace(/\.ya?ml$/, '');
  return m;
}

/** Renames the source headers (matched like contract headers: case, spacing, full-width ignored). */
export function applyMapping(m: Mapping, headers: string[]): string[] {
  const renames = new Map(Object.entries(m.columns ?? {}).map(([from, to]) => [normaliseHeader(from), to]));
  return headers.map((h) => renames.get(normaliseHeader(h ?? '')) ?? h);
}

/** Rules whose rows are skipped and counted apart from the quarantine: they carry no record. */
export const SKIPPED_RULES = ['not_reported', 'identical_row'];

/** SQL marking a row in the staging table's `_error` with its rule and reason (validate.ts reads it back). */
const markSql = (rule: string, column: string, reason: string, skip: boolean) =>
  `json_object('mark', true, 'rule', ${sqlString(rule)}, 'column', ${sqlString(column)}, 'reason', ${reason}, 'skip', ${skip})::VARCHAR`;

interface Layout {
  /** Header of every column of the rebuilt staging table, in order (c0, c1, …). */
  headers: string[];
  /** SQL that rebuilds `src` from the staged source columns. */
  sql: string[];
}

const combineSpec = (v: string[] | { from: string[]; separator?: string }) => (Array.isArray(v) ? { from: v, separator: ' ' } : { from: v.from, separator: v.separator ?? ' ' });
const blankToNull = (e: string) => `nullif(trim(${e}), '')`;

/** Number of capture groups of a pattern. */
const groups = (p: string) => new RegExp(`${p}|`).exec('')!.length - 1;

function layout(m: Mapping, headers: string[], file = ''): Layout {
  const t: Table = TABLES[m.table];
  const renamed = applyMapping(m, headers);
  const findSource = (header: string) => {
    if (header === '{file}') return sqlString(basename(file).replace(/\.[^.]+$/, ''));
    const i = headers.findIndex((h) => normaliseHeader(h ?? '') === normaliseHeader(header));
    return i >= 0 ? `c${i}` : 'null::VARCHAR';
  };
  // Where each contract column already stands among the source columns (renamed or by alias).
  const at = new Map(mapHeaders(t, renamed).columns.map((mc) => [mc.column.name, mc.index]));
  const variants: Variant[] = m.unpivot?.length ? m.unpivot : [{}];
  const touched = new Set<string>();
  for (const section of ['copies', 'fallback', 'combine', 'constants', 'defaults', 'extract', 'replace', 'values', 'date_formats', 'convert', 'scale'] as const) {
    for (const c of Object.keys(m[section] ?? {})) touched.add(c);
  }
  for (const v of variants) {
    for (const c of [...Object.keys(v.constants ?? {}), ...Object.values(v.columns ?? {}), ...Object.keys(v.convert ?? {}), ...Object.keys(v.scale ?? {})]) touched.add(c);
  }
  const out = [...renamed];
  const position = new Map<string, number>();
  for (const c of t.columns.map((x) => x.name).filter((n) => touched.has(n))) {
    const i = at.get(c);
    if (i !== undefined) position.set(c, i);
    else {
      position.set(c, out.length);
      out.push(c);
    }
  }
  const intColumns = new Set(t.columns.filter((c) => c.type === 'int').map((c) => c.name));

  /** The value of a contract column for one variant, every section applied in the documented order. */
  const valueOf = (name: string, v: Variant): string => {
    const fromVariant = Object.entries(v.columns ?? {}).find(([, to]) => to === name)?.[0];
    const i = at.get(name);
    let e = i !== undefined ? `c${i}` : 'null::VARCHAR';
    if (v.constants && name in v.constants) e = sqlString(String(v.constants[name]));
    else if (fromVariant) e = findSource(fromVariant);
    else if (m.constants && name in m.constants) e = sqlString(String(m.constants[name]));
    else if (m.combine?.[name]) {
      const { from, separator } = combineSpec(m.combine[name]);
      const parts = from.map((h) => blankToNull(findSource(h)));
      e = `case when ${parts.map((p) => `${p} is null`).join(' or ')} then null else concat_ws(${sqlString(separator)}, ${parts.join(', ')}) end`;
    } else if (m.fallback?.[name]) e = `coalesce(${m.fallback[name].map((h) => blankToNull(findSource(h))).join(', ')})`;
    else if (m.copies?.[name]) e = findSource(m.copies[name]);
    const pattern = m.extract?.[name];
    if (pattern !== undefined) e = `coalesce(nullif(regexp_extract(${e}, ${sqlString(pattern)}, ${groups(pattern) ? 1 : 0}), ''), ${e})`;
    for (const r of m.replace?.[name] ?? []) e = `regexp_replace(${e}, ${sqlString(r.pattern)}, ${sqlString(r.with ?? '')}, 'g')`;
    const rules = m.values?.[name];
    if (rules) {
      const whens = rules.filter((r) => r.match !== undefined).map((r) => `when regexp_matches(coalesce(${e}, ''), ${sqlString(r.match!)}, 'i') then ${sqlString(String(r.value ?? ''))}`);
      const dflt = rules.find((r) => r.default !== undefined)?.default;
      e = `case ${whens.join(' ')} else ${dflt !== undefined ? sqlString(String(dflt)) : e} end`;
    }
    if (m.defaults && name in m.defaults) e = `coalesce(${blankToNull(e)}, ${sqlString(String(m.defaults[name]))})`;
    const fmt = m.date_formats?.[name];
    if (fmt) e = `coalesce(strftime(try_strptime(trim(${e}), ${sqlString(fmt)}), '%Y-%m-%d %H:%M:%S'), ${e})`;
    const factor = [m.scale?.[name], m.convert?.[name]?.factor, v.scale?.[name], v.convert?.[name]?.factor].reduce<number>((f, x) => f * (x ?? 1), 1);
    if (factor !== 1) {
      const scaled = intColumns.has(name) ? `round(st_num(${e}) * ${factor})::BIGINT` : `st_num(${e}) * ${factor}`;
      e = `coalesce((${scaled})::VARCHAR, ${e})`;
    }
    return e;
  };

  const whereKeep = Object.entries(m.where ?? {}).map(([h, pattern]) => `regexp_matches(coalesce(${findSource(h)}, ''), ${sqlString(pattern)})`);
  const whereText = Object.entries(m.where ?? {}).map(([h, pattern]) => `${h} does not match ${pattern}`).join(' and ');
  const selects = variants.map((v) => {
    const cells = out.map((_, k) => (k < headers.length ? `c${k}` : 'null::VARCHAR'));
    const values = new Map<string, string>();
    for (const [name, k] of position) {
      const e = valueOf(name, v);
      values.set(name, e);
      cells[k] = e;
    }
    // The first rule that applies marks the row: where (quarantined), then skip (counted apart).
    const marks: string[] = [];
    if (whereKeep.length) marks.push(`when not (${whereKeep.join(' and ')}) then ${sqlString(`skipped by mapping ${m.source}: ${whereText}`)}`);
    for (const s of m.skip ?? []) {
      const cell = s.header !== undefined ? findSource(s.header) : values.get(s.column!) ?? (at.has(s.column!) ? `c${at.get(s.column!)}` : 'null::VARCHAR');
      const label = s.header ?? s.column!;
      marks.push(`when regexp_matches(coalesce(trim(${cell}), ''), ${sqlString(s.match)}, 'i') then ${markSql('not_reported', s.column ?? '', `${sqlString(`${s.reason}: ${label} `)} || '"' || left(coalesce(${cell}, ''), 60) || '"'`, true)}`);
    }
    if (m.grid_region) {
      // The unit a row belongs to (named, or its building's), and the grid that unit draws from.
      const cell = (name: string) => values.get(name) ?? (at.has(name) ? `c${at.get(name)}` : 'null::VARCHAR');
      const unit = `coalesce((select ua.unit_code from st_unit_alias ua where ua.alias = st_key(${cell('unit')})),
        ${t.columns.some((c) => c.name === 'building_id') ? `(select any_value(b.unit_code) from raw.buildings b where b.building_id = trim(${cell('building_id')}))` : 'null'})`;
      const grid = `(select coalesce(nullif(trim(u.grid_region), ''), (select value from ref.settings where setting_id = 'grid_region')) from ref.units u where u.unit_code = ${unit})`;
      const reason = `'unit ' || ${unit} || ' draws from grid ' || coalesce(${grid}, '(none)') || ' (data/reference/units.csv), but this source is on grid ' || ${sqlString(m.grid_region)} || ': give the source its own unit in units.csv with grid_region ' || ${sqlString(m.grid_region)} || ', so its carbon is counted with that grid''s factor'`;
      marks.push(`when ${unit} is not null and ${grid} is distinct from ${sqlString(m.grid_region)} then ${markSql('grid_region', 'unit', reason, false)}`);
    }
    const error = marks.length ? `case when _error is not null then _error ${marks.join(' ')} else null end` : '_error';
    return `select _row, ${error} as _error, ${cells.map((c, k) => `${c} as c${k}`).join(', ')} from src`;
  });
  const sql = [`create or replace temp table src_mapped as ${selects.join(' union all ')} order by _row`];
  if (m.drop_identical_rows) {
    // Every cell equal to an earlier row's (per unpivot entry: its own cells differ).
    const cols = out.map((_, k) => `c${k}`).join(', ');
    sql.push(`update src_mapped set _error = ${markSql('identical_row', '', `'the same as row ' || d.first::VARCHAR`, true)}
      from (select rowid as id, _row, min(_row) over (partition by ${cols}) as first from src_mapped where _error is null) d
      where src_mapped.rowid = d.id and d._row <> d.first`);
  }
  sql.push('create or replace temp table src as select * from src_mapped', 'drop table src_mapped');
  return { headers: out, sql };
}

/** Headers of the staging table after the mapping is applied. */
export function mappedHeaders(m: Mapping, headers: string[]): string[] {
  return layout(m, headers).headers;
}

/** Statements that rebuild the staging table `src` (columns c0…) for a mapped source read from `file`. */
export function mappingSql(m: Mapping, headers: string[], file = ''): string[] {
  return layout(m, headers, file).sql;
}

/** Patterns run in DuckDB's regex engine (RE2): one JavaScript accepts but RE2 does not is refused up front. */
export async function checkMappingPatterns(conn: import('@duckdb/node-api').DuckDBConnection, m: Mapping): Promise<void> {
  for (const [, p] of patterns(m)) {
    try {
      await conn.run(`select regexp_matches('', ${sqlString(p)})`);
    } catch (e) {
      throw new Error(`mapping ${m.source}: pattern "${p}" is not a regular expression DuckDB accepts (${(e as Error).message.split('\n')[0]})`);
    }
  }
}
