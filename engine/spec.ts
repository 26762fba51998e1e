/**
 * The sibling YAML of a model (`sql/<layer>/<name>.yml`): description, grain, column docs and
 * tests. Validated here so a typo is reported with the file and the key, not ignored.
 */
import { parse as parseYaml } from 'yaml';
import { KpiDeclarationError, parseKpiDeclarations, type KpiDeclaration } from './kpis.ts';

export type Severity = 'error' | 'warn';

export type TestSpec =
  | { kind: 'not_null'; column: string; severity: Severity }
  | { kind: 'unique'; columns: string[]; severity: Severity }
  | { kind: 'accepted_values'; column: string; values: (string | number | boolean)[]; severity: Severity }
  | { kind: 'relationships'; column: string; to: string; field: string; severity: Severity }
  | { kind: 'expression'; expression: string; column?: string; severity: Severity };

export interface ColumnSpec {
  name: string;
  description?: string;
  tests: TestSpec[];
}

export interface ModelSpec {
  description?: string;
  /**
   * `table` (the default) or `view`. A view costs nothing to build and is read through by the
   * models below it: right for a staging model that only renames and casts a raw table, where a
   * table would copy every row again on each load.
   */
  materialized?: 'table' | 'view';
  /**
   * The model's rows of one unit and month come only from the rows of `source` of that unit and
   * month (the unit-month a re-export replaces). When nothing but that source changed since the
   * last build, only the unit-months whose rows changed are deleted and built again
   * (engine/partitions.ts). `unit` and `month` name the model's columns holding the source row's
   * unit_code and the first day of its month (a DATE).
   */
  partitionBy?: PartitionSpec;
  grain?: string[];
  columns: ColumnSpec[];
  /** Model-level tests, plus the unique test implied by `grain`. */
  tests: TestSpec[];
  /** KPIs this model computes, declared beside it (engine/kpis.ts). */
  kpis?: KpiDeclaration[];
}

export interface PartitionSpec {
  /** A raw fact table of the loader contract, read by the model directly or through views. */
  source: string;
  unit: string;
  month: string;
}

export const EMPTY_SPEC: ModelSpec = { columns: [], tests: [] };

const TEST_KINDS = ['not_null', 'unique', 'accepted_values', 'relationships', 'expression'];

export class SpecError extends Error {}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** One entry of a `tests:` list, either `not_null` or `{kind: args, severity?: warn}`. */
function parseTest(raw: unknown, where: string, column?: string): TestSpec {
  const fail = (msg: string) => new SpecError(`${where}: ${msg}`);
  if (typeof raw === 'string') {
    if (raw === 'not_null' && column) return { kind: 'not_null', column, severity: 'error' };
    if (raw === 'unique' && column) return { kind: 'unique', columns: [column], severity: 'error' };
    throw fail(`test "${raw}" needs arguments or a column (known kinds: ${TEST_KINDS.join(', ')})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`a test must be a name or a mapping, got ${JSON.stringify(raw)}`);
  const entries = Object.entries(raw as Record<string, unknown>);
  const severityRaw = (raw as Record<string, unknown>).severity ?? 'error';
  if (severityRaw !== 'error' && severityRaw !== 'warn') throw fail(`severity must be "warn" or "error", got ${JSON.stringify(severityRaw)}`);
  const severity = severityRaw as Severity;
  const kinds = entries.filter(([k]) => k !== 'severity');
  if (kinds.length !== 1) throw fail(`a test mapping names exactly one kind (${TEST_KINDS.join(', ')}), got ${kinds.map(([k]) => k).join(', ') || 'none'}`);
  const [kind, arg] = kinds[0];
  switch (kind) {
    case 'not_null': {
      const col = typeof arg === 'string' ? arg : column;
      if (!col) throw fail('not_null needs a column');
      return { kind, column: col, severity };
    }
    case 'unique': {
      const cols = arg === null || arg === true ? (column ? [column] : []) : asList(arg).map(String);
      if (!cols.length) throw fail('unique needs a column or a list of columns');
      return { kind, columns: cols, severity };
    }
    case 'accepted_values': {
      const values = Array.isArray(arg) ? arg : (arg as { values?: unknown })?.values;
      const col = (arg as { column?: string })?.column ?? column;
      if (!Array.isArray(values) || !values.length) throw fail('accepted_values needs a list of values');
      if (!col) throw fail('accepted_values needs a column');
      for (const v of values) if (!['string', 'number', 'boolean'].includes(typeof v)) throw fail(`accepted value ${JSON.stringify(v)} is not a string, number or boolean`);
      return { kind, column: col, values: values as (string | number | boolean)[], severity };
    }
    case 'relationships': {
      const a = (arg ?? {}) as { to?: unknown; field?: unknown; column?: unknown };
      const col = typeof a.column === 'string' ? a.column : column;
      if (typeof a.to !== 'string' || !a.to) throw fail('relationships needs `to:` (a model, ref.<table> or raw.<table>)');
      if (!col) throw fail('relationships needs a column');
      return { kind, column: col, to: a.to, field: typeof a.field === 'string' ? a.field : col, severity };
    }
    case 'expression': {
      if (typeof arg !== 'string' || !arg.trim()) throw fail('expression needs a SQL boolean expression as a string');
      return { kind, expression: arg, column, severity };
    }
    default:
      throw fail(`unknown test kind "${kind}" (known: ${TEST_KINDS.join(', ')})`);
  }
}

/** Parses a model's YAML text; `file` is used in error messages, `model` names the KPIs' model. */
export function parseModelSpec(text: string, file: string, model = ''): ModelSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new SpecError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  if (doc == null) return { columns: [], tests: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new SpecError(`${file}: expected a mapping with description, grain, columns, tests`);
  const d = doc as Record<string, unknown>;
  const known = ['description', 'materialized', 'partition_by', 'grain', 'columns', 'tests', 'kpis'];
  for (const k of Object.keys(d)) if (!known.includes(k)) throw new SpecError(`${file}: unknown key "${k}" (expected ${known.join(', ')})`);
  const spec: ModelSpec = { columns: [], tests: [] };
  if (d.description != null) spec.description = String(d.description).trim();
  if (d.materialized != null) {
    if (d.materialized !== 'table' && d.materialized !== 'view') throw new SpecError(`${file}: materialized must be "table" or "view", got ${JSON.stringify(d.materialized)}`);
    spec.materialized = d.materialized;
  }
  if (d.partition_by != null) {
    const p = d.partition_by as Record<string, unknown>;
    const fields = ['source', 'unit', 'month'];
    const usage = 'partition_by needs source (raw.<table>), unit and month (the model\'s columns holding the source row\'s unit_code and month)';
    if (typeof p !== 'object' || Array.isArray(p)) throw new SpecError(`${file}: ${usage}`);
    for (const k of Object.keys(p)) if (!fields.includes(k)) throw new SpecError(`${file}: partition_by: unknown key "${k}" (expected ${fields.join(', ')})`);
    for (const k of fields) if (typeof p[k] !== 'string' || !(p[k] as string).trim()) throw new SpecError(`${file}: ${usage}; ${k} is missing`);
    if (d.materialized === 'view') throw new SpecError(`${file}: partition_by is for tables; a view has no rows to rebuild`);
    spec.partitionBy = { source: (p.source as string).trim().toLowerCase(), unit: (p.unit as string).trim(), month: (p.month as string).trim() };
  }
  if (d.grain != null) {
    spec.grain = asList(d.grain).map(String);
    spec.tests.push({ kind: 'unique', columns: spec.grain, severity: 'error' });
  }
  if (d.columns != null) {
    if (!Array.isArray(d.columns)) throw new SpecError(`${file}: columns must be a list of {name, description, tests}`);
    d.columns.forEach((c: unknown, i: number) => {
      const col = c as Record<string, unknown>;
      if (!col || typeof col.name !== 'string') throw new SpecError(`${file}: columns[${i}] needs a name`);
      const where = `${file}: column ${col.name}`;
      const tests = col.tests == null ? [] : asList(col.tests).map((t) => parseTest(t, where, col.name as string));
      spec.columns.push({ name: col.name, description: col.description == null ? undefined : String(col.description).trim(), tests });
    });
  }
  if (d.tests != null) {
    if (!Array.isArray(d.tests)) throw new SpecError(`${file}: tests must be a list`);
    d.tests.forEach((t: unknown, i: number) => spec.tests.push(parseTest(t, `${file}: tests[${i}]`)));
  }
  if (d.kpis != null) {
    try {
      spec.kpis = parseKpiDeclarations(d.kpis, text, file, model);
    } catch (e) {
      throw e instanceof KpiDeclarationError ? new SpecError(e.message) : e;
    }
  }
  return spec;
}
