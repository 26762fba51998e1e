/**
 * Writes the dashboard's page data: small aggregated JSON files under src/data/, read by the
 * pages through FileAttachment. Run before every `observable build` — Framework re-reads static
 * files on each build, so a changed export or model always shows (its data-loader cache would not
 * notice a changed warehouse).
 *
 * Reads whatever the warehouse holds (kpi_values, kpis, benchmarks, the action lists, meta.*),
 * writes empty states for the rest, and never selects a column that names a person.
 *
 *   tsx scripts/site-data.ts [--db data/warehouse.duckdb] [--out src/data] [--catalog data/catalog.json]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, attachWarehouse, openWarehouse, sqlString, ident, DEFAULT_DB } from '../warehouse/db.ts';
import { loadReferenceTables } from '../warehouse/reference.ts';
import { CONTRACT } from '../contract/contract.ts';
import { AREAS, ALL_KPIS, HEADLINE_KPIS, LAG_KPIS, PERSONAL_COLUMN, type ListSpec } from '../src/components/areas.ts';
import { maskValue, publishableReason, publishableRecord } from '../warehouse/personal.ts';
import { toCsv } from '../src/components/csv.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SiteDataOptions {
  db?: string;
  out?: string;
  catalog?: string;
  templates?: string;
  reference?: string;
  /** Rows per action list published to a page (the page says how many there are in all). */
  listLimit?: number;
}

export interface SiteDataSummary {
  out: string;
  files: { path: string; bytes: number }[];
  warnings: string[];
}

interface Compact {
  columns: string[];
  rows: unknown[][];
}

const WH = 'wh';

/** Doubles are cut to 10 significant digits: no displayed figure changes, files shrink. */
function tidy(v: unknown): unknown {
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) return Number(v.toPrecision(10));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function compact(rows: Record<string, unknown>[], columns: string[]): Compact {
  return { columns, rows: rows.map((r) => columns.map((c) => tidy(r[c]))) };
}

/** A quarantined source row: only the columns the contract marks publishable, masked. */
function scrubRecord(table: string, record: unknown): Record<string, unknown> | null {
  let obj = record;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj);
    } catch {
      return null;
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return null;
  return publishableRecord(table, obj as Record<string, unknown>);
}

class Source {
  constructor(readonly conn: DuckDBConnection, readonly attached: boolean) {}
  private tables = new Map<string, string[]>();

  async init(): Promise<void> {
    if (!this.attached) return;
    const rows = await all<{ schema: string; name: string; column: string }>(
      this.conn,
      `select table_schema as schema, table_name as name, column_name as "column" from information_schema.columns where table_catalog = '${WH}' order by ordinal_position`,
    );
    for (const r of rows) {
      const key = `${r.schema}.${r.name}`;
      if (!this.tables.has(key)) this.tables.set(key, []);
      this.tables.get(key)!.push(r.column);
    }
  }
  has(schema: string, name: string): boolean {
    return this.tables.has(`${schema}.${name}`);
  }
  columns(schema: string, name: string): string[] {
    return this.tables.get(`${schema}.${name}`) ?? [];
  }
  ref(schema: string, name: string): string {
    return `${WH}.${ident(schema)}.${ident(name)}`;
  }
  q<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return all<T>(this.conn, sql);
  }
}

const inList = (ids: string[]) => ids.map(sqlString).join(', ');

/** kpi → unit → period → value (grain is told by the period's shape): small and quick to look up. */
type Values = Record<string, Record<string, Record<string, number | null>>>;
/** kpi → unit → period → [rank, quartile, too small to rank (0/1)]. */
type Ranks = Record<string, Record<string, Record<string, [number | null, number | null, 0 | 1]>>>;
/** kpi → period → [peer median, best unit, best value, ranked units]: the same for every unit, so stored once. */
type Peers = Record<string, Record<string, [number | null, string | null, number | null, number]>>;

function nest<T>(target: Record<string, Record<string, Record<string, T>>>, k: string, u: string, p: string, v: T): void {
  ((target[k] ??= {})[u] ??= {})[p] = v;
}

async function kpiValues(src: Source, kpis: string[], where = 'true'): Promise<Values> {
  const out: Values = {};
  if (!src.has('main', 'kpi_values') || !kpis.length) return out;
  const rows = await src.q<{ kpi_id: string; unit_code: string; period: string; value: number | null }>(
    `select kpi_id, unit_code, period, value::double as value from ${src.ref('main', 'kpi_values')}
     where kpi_id in (${inList(kpis)}) and (${where}) order by kpi_id, unit_code, grain, period`,
  );
  for (const r of rows) nest(out, r.kpi_id, r.unit_code, r.period, tidy(r.value) as number | null);
  return out;
}

async function benchmarks(src: Source, kpis: string[], where = 'true'): Promise<{ ranks: Ranks; peers: Peers }> {
  const ranks: Ranks = {};
  const peers: Peers = {};
  if (!src.has('main', 'benchmarks') || !kpis.length) return { ranks, peers };
  const have = new Set(src.columns('main', 'benchmarks'));
  // A column the benchmark model does not (yet) produce is published as null, not an error.
  const col = (c: string, cast = '') => (have.has(c) ? `${ident(c)}${cast}` : 'null');
  const rows = await src.q<Record<string, unknown>>(
    `select kpi_id, unit_code, period, ${col('rank', '::integer')} as rank, ${col('quartile', '::integer')} as quartile,
            coalesce(${col('too_small_to_rank', '::boolean')}, false) as too_small, ${col('peer_median', '::double')} as peer_median,
            ${col('best_unit', '::varchar')} as best_unit, ${col('best_value', '::double')} as best_value,
            ${col('ranked_units', '::integer')} as ranked_units
     from ${src.ref('main', 'benchmarks')} where kpi_id in (${inList(kpis)}) and unit_code <> 'ALL' and (${where})
     order by kpi_id, unit_code, period`,
  );
  for (const r of rows) {
    const k = String(r.kpi_id);
    const p = String(r.period);
    nest<[number | null, number | null, 0 | 1]>(ranks, k, String(r.unit_code), p, [(r.rank as number) ?? null, (r.quartile as number) ?? null, r.too_small ? 1 : 0]);
    const peer = ((peers[k] ??= {})[p] ??= [tidy(r.peer_median) as number | null, (r.best_unit as string) ?? null, tidy(r.best_value) as number | null, 0]);
    if (typeof r.ranked_units === 'number') peer[3] = r.ranked_units;
    else if (r.rank !== null && r.rank !== undefined) peer[3]++;
  }
  return { ranks, peers };
}

interface ListData {
  id: string;
  table: string | null;
  exists: boolean;
  total: number;
  columns: string[];
  rows: unknown[][];
}

async function actionList(src: Source, spec: ListSpec, limit: number): Promise<ListData> {
  const source = spec.sources.find((s) => src.has('main', s.table));
  if (!source) return { id: spec.id, table: spec.sources[0]?.table ?? null, exists: false, total: 0, columns: [], rows: [] };
  const from = source.sql
    ? `(${source.sql.replaceAll('{main}', `${WH}.main`).replaceAll('{ref}', 'ref')})`
    : `(select * from ${src.ref('main', source.table)}${source.where ? ` where ${source.where}` : ''})`;
  const have = new Set((await src.q(`describe select * from ${from}`)).map((r) => String(r.column_name)));
  // Only the published columns that the source has, and never one naming a person.
  const cols = spec.columns.filter((c) => have.has(c) && !PERSONAL_COLUMN.test(c));
  const [{ n }] = await src.q<{ n: number }>(`select count(*)::integer as n from ${from}`);
  if (!cols.length) return { id: spec.id, table: source.table, exists: true, total: n, columns: [], rows: [] };
  // The order only names published columns; one the source lacks is dropped from it.
  const terms = (spec.order ?? '').split(',').map((x) => x.trim()).filter((x) => have.has(x.split(/\s+/)[0]));
  const order = terms.length ? `order by ${terms.map((x) => `${x} nulls last`).join(', ')}` : '';
  // Dates and lists become text here so the page shows them as the warehouse has them.
  const select = cols.map((c) => ident(c)).join(', ');
  const rows = await src.q(`select ${select} from ${from} ${order} limit ${limit}`);
  const data = compact(rows, cols);
  data.rows = data.rows.map((r) => r.map(maskValue));
  return { id: spec.id, table: source.table, exists: true, total: n, ...data };
}

/**
 * Operating cost by component (energy, vehicles, procurement) per unit and month, from the
 * opcost_unit_months model: unit → month → [energy, vehicle, procurement] yuan; ALL is the sum.
 */
async function opcostComposition(src: Source): Promise<Record<string, Record<string, number[]>>> {
  const out: Record<string, Record<string, number[]>> = {};
  const need = ['unit_code', 'month', 'energy_cost_yuan', 'vehicle_cost_yuan', 'procurement_yuan'];
  if (!src.has('main', 'opcost_unit_months') || !need.every((c) => src.columns('main', 'opcost_unit_months').includes(c))) return out;
  const rows = await src.q<{ unit_code: string | null; month: string; e: number; v: number; p: number }>(
    `select unit_code, left(month::varchar, 7) as month, sum(energy_cost_yuan)::double as e, sum(vehicle_cost_yuan)::double as v, sum(procurement_yuan)::double as p
     from ${src.ref('main', 'opcost_unit_months')} group by grouping sets ((unit_code, 2), (2)) order by 2`,
  );
  for (const r of rows) (out[r.unit_code ?? 'ALL'] ??= {})[r.month] = [r.e, r.v, r.p].map((x) => Math.round(x ?? 0));
  return out;
}

async function quality(src: Source, warnings: string[]) {
  const out: Record<string, unknown> = { ledger: null, byTable: [], quarantine: [], examples: [], freshness: null };
  if (src.has('meta', 'load_ledger')) {
    const ledger = await src.q(
      `select file_id, path, table_name, array_to_string(unit_codes, ',') as units, array_to_string(months, ',') as months,
              rows_read, rows_loaded, rows_quarantined, status, message, strftime(loaded_at, '%Y-%m-%d %H:%M') as loaded_at
       from ${src.ref('meta', 'load_ledger')} order by loaded_at desc, file_id desc limit 200`,
    );
    // Only the file name is published: the path on the loading machine means nothing to a reader.
    for (const r of ledger) {
      r.path = basename(String(r.path ?? ''));
      r.message = maskValue(r.message);
    }
    out.ledger = compact(ledger, ['file_id', 'path', 'table_name', 'units', 'months', 'rows_read', 'rows_loaded', 'rows_quarantined', 'status', 'message', 'loaded_at']);
    out.byTable = await src.q(
      `select table_name, count(*)::integer as files, sum(rows_read)::bigint as rows_read, sum(rows_loaded)::bigint as rows_loaded,
              sum(rows_quarantined)::bigint as rows_quarantined, strftime(max(loaded_at), '%Y-%m-%d %H:%M') as last_loaded_at
       from ${src.ref('meta', 'load_ledger')} group by 1 order by 1`,
    );
  }
  if (src.has('meta', 'quarantine')) {
    // A reason names the offending value in quotes or digits; grouping by its shape keeps
    // "unknown unit "余航区"" and "unknown unit "Yuhang2"" in one row.
    // A duplicate key names its key values and the other row ("duplicate trip_id T-HZ-… also in
    // file …/x.csv (row 888)"); those become "…" too, or every key would be a kind of its own.
    const dup = `regexp_replace(reason, '^(duplicate [a-z_]+(?: / [a-z_]+)*) .+ also in (row|file) .*$', '\\1 … also in \\2 …')`;
    const quoted = `regexp_replace(${dup}, '"[^"]*"', '"…"', 'g')`;
    // Numbers become N, except inside a word (floor_area_m2) and in the fixed "such as 2024-03-05
    // 08:30" example a message ends with.
    const digits = (x: string) => `regexp_replace(${x}, '\\b[0-9][0-9,.:-]*', 'N', 'g')`;
    const at = `strpos(${quoted}, ' such as ')`;
    const kind = `case when ${at} > 0 then ${digits(`left(${quoted}, ${at} - 1)`)} || substr(${quoted}, ${at}) else ${digits(quoted)} end`;
    const grouped = await src.q(
      `select table_name, "column", ${kind} as reason, coalesce(unit_code, '?') as unit_code, count(*)::integer as rows
       from ${src.ref('meta', 'quarantine')} group by all order by rows desc, 1, 2, 3, 4 limit 500`,
    );
    out.quarantine = compact(grouped, ['table_name', 'column', 'reason', 'unit_code', 'rows']);
    const examples = await src.q(
      `select table_name, "column", reason_kind, reason, unit_code, path, "row", record::varchar as record from (
         select *, ${kind} as reason_kind, row_number() over (partition by table_name, "column", ${kind} order by file_id, "row") as k
         from ${src.ref('meta', 'quarantine')}) where k <= 3 order by table_name, "column", reason_kind, k limit 150`,
    );
    out.examples = examples.map((e) => ({
      table_name: e.table_name,
      column: PERSONAL_COLUMN.test(String(e.column ?? '')) ? '(personal)' : e.column,
      reason_kind: maskValue(e.reason_kind),
      // Only a file's name, as in the ledger: the folder on the loading machine means nothing to a reader.
      reason: publishableReason(String(e.table_name), String(e.column ?? ''), String(e.reason ?? '').replace(/also in file [^()]*\//, 'also in file ')),
      unit_code: e.unit_code,
      file: basename(String(e.path ?? '')),
      row: e.row,
      record: scrubRecord(String(e.table_name), e.record),
    }));
  }
  // Freshness: each unit's latest month per monthly table, straight from the raw tables.
  const monthly = CONTRACT.filter((t) => t.monthColumn && src.has('raw', t.name));
  if (monthly.length) {
    const parts = monthly.map((t) => {
      const col = ident(t.monthColumn!);
      if (t.name === 'energy_readings' && src.has('raw', 'buildings')) {
        // A reading counts for the last month it covers (period_end is exclusive): a quarterly
        // bill for October–December is December's data, not October's.
        return `select 'energy_readings' as table_name, coalesce(e.unit_code, b.unit_code) as unit_code, strftime(max(coalesce(e.period_end - interval 1 second, e.${col})), '%Y-%m') as month
                from ${src.ref('raw', 'energy_readings')} e left join ${src.ref('raw', 'buildings')} b using (building_id) group by all`;
      }
      return `select ${sqlString(t.name)} as table_name, unit_code, strftime(max(${col}), '%Y-%m') as month from ${src.ref('raw', t.name)} group by all`;
    });
    const cells = await src.q<{ table_name: string; unit_code: string; month: string }>(parts.join(' union all '));
    const current = cells.reduce((m, c) => (c.month && c.month > m ? c.month : m), '');
    out.freshness = { tables: monthly.map((t) => t.name), current: current || null, cells: cells.filter((c) => c.unit_code) };
  } else {
    warnings.push('no raw tables: the freshness matrix is empty');
  }
  out.templates = CONTRACT.map((t) => ({ table: t.name, zh: t.zh, en: t.en }));
  return out;
}

function readCatalog(path: string, warnings: string[]): unknown {
  if (!existsSync(path)) {
    warnings.push(`${path} not found: the models page shows no catalog (run steward docs)`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    warnings.push(`${path} is not valid JSON (${(e as Error).message}); the models page shows no catalog`);
    return null;
  }
}

type AnyObj = Record<string, unknown>;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.entries(v as AnyObj).map(([k, x]) => (x && typeof x === 'object' ? { name: k, ...(x as AnyObj) } : { name: k, value: x })) : []);
const nameOf = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as AnyObj).name ?? (v as AnyObj).id ?? (v as AnyObj).model ?? (v as AnyObj).type ?? '') : String(v ?? ''));

/**
 * The catalog `steward docs` writes (engine/catalog.ts), cut to what the models page shows:
 * {name, layer, description, state, row_count, columns[{name, type, description, tests}],
 * tests[{id, kind, column, status}], depends_on[], sources[]}. The SQL text is left out (size).
 * Older or hand-written shapes (depends_on as a list, tests as strings) are accepted too.
 */
export function normaliseCatalog(raw: unknown) {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as AnyObj;
  const models = asArray(r.models ?? raw).map((m) => {
    const o = (m && typeof m === 'object' ? m : { name: m }) as AnyObj;
    const name = nameOf(o);
    const columns = asArray(o.columns).map((c) => {
      const co = (c && typeof c === 'object' ? c : { name: c }) as AnyObj;
      return { name: nameOf(co), type: co.type ?? co.data_type ?? null, description: co.description ?? null, tests: asArray(co.tests).length };
    });
    const tests = asArray(o.tests).map((x) => {
      if (typeof x === 'string') return { id: x, kind: x, column: null, status: null };
      const xo = x as AnyObj;
      return { id: String(xo.id ?? xo.name ?? ''), kind: String(xo.kind ?? xo.type ?? xo.name ?? ''), column: xo.column ?? null, status: xo.status ?? null };
    });
    const dep = o.depends_on ?? o.dependencies ?? o.refs ?? o.parents;
    const depObj = dep && !Array.isArray(dep) && typeof dep === 'object' ? (dep as AnyObj) : null;
    const depends = depObj ? asArray(depObj.models).map(nameOf) : asArray(dep).map(nameOf);
    const sources = depObj ? asArray(depObj.sources).map(nameOf) : [];
    const layer = o.layer ?? (/^stg_/.test(name) ? 'staging' : /^int_/.test(name) ? 'intermediate' : 'marts');
    return { name, layer, description: o.description ?? null, state: o.state ?? null, row_count: o.row_count ?? null, columns, tests, depends_on: depends, sources };
  });
  const summary = r.summary && typeof r.summary === 'object' ? r.summary : null;
  return { generated_at: r.generated_at ?? null, as_of: r.as_of ?? null, summary, models: models.filter((m) => m.name) };
}

async function writeTemplates(dir: string, source: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const t of CONTRACT) {
    const csvSrc = join(source, `${t.name}.csv`);
    if (existsSync(csvSrc)) copyFileSync(csvSrc, join(dir, `${t.name}.csv`));
    else {
      // Blank template from the contract itself: the Chinese headers a district fills in.
      writeFileSync(join(dir, `${t.name}.csv`), toCsv([], t.columns.map((c) => ({ key: c.name, label: c.zh }))));
    }
    const xlsxSrc = join(source, `${t.name}.xlsx`);
    if (existsSync(xlsxSrc)) copyFileSync(xlsxSrc, join(dir, `${t.name}.xlsx`));
    else {
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet(t.zh);
      sheet.addRow(t.columns.map((c) => c.zh)).font = { bold: true };
      await wb.xlsx.writeFile(join(dir, `${t.name}.xlsx`));
    }
  }
}

export async function writeSiteData(opts: SiteDataOptions = {}): Promise<SiteDataSummary> {
  const dbPath = resolve(opts.db ?? join(ROOT, DEFAULT_DB));
  const out = resolve(opts.out ?? join(ROOT, 'src/data'));
  const limit = opts.listLimit ?? 500;
  const warnings: string[] = [];

  const mem = await openWarehouse(':memory:');
  try {
    await loadReferenceTables(mem.conn, opts.reference ?? join(ROOT, 'data/reference'));
    let attached = false;
    if (existsSync(dbPath)) {
      // A build started during a load waits for it, then reads one consistent state.
      await attachWarehouse(mem.conn, dbPath, WH, { readOnly: true });
      attached = true;
    } else {
      warnings.push(`${dbPath} not found: the site shows empty states (run the pipeline first)`);
    }
    const src = new Source(mem.conn, attached);
    await src.init();
    if (!src.has('main', 'kpi_values')) warnings.push('the warehouse has no kpi_values yet: KPI cards show "no data"');

    // Start clean so a page never reads a file left from an older warehouse.
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'districts'), { recursive: true });
    const files: { path: string; bytes: number }[] = [];
    const write = (rel: string, data: unknown) => {
      const p = join(out, rel);
      mkdirSync(dirname(p), { recursive: true });
      const text = JSON.stringify(data);
      writeFileSync(p, text);
      files.push({ path: rel, bytes: Buffer.byteLength(text) });
    };

    const units = await all(mem.conn, `select unit_code, name_zh, name_en, kind, population, staff from ref.units order by rowid`);
    const kpiRegistry = src.has('main', 'kpis')
      ? await src.q(`select * from ${src.ref('main', 'kpis')} order by kpi_id`)
      : [];
    const periods: Record<string, string[]> = { month: [], quarter: [], year: [] };
    let asOf: string | null = null;
    if (src.has('main', 'kpi_values')) {
      const ps = await src.q<{ grain: string; period: string }>(`select distinct grain, period from ${src.ref('main', 'kpi_values')} order by 1, 2`);
      for (const p of ps) (periods[p.grain] ??= []).push(p.period);
      asOf = periods.month.at(-1) ?? periods.quarter.at(-1) ?? periods.year.at(-1) ?? null;
    }
    const targets = await all(mem.conn, `select kpi_id, baseline_year, target_year, change, national_baseline_value, national_baseline_unit, source from ref.targets`);
    // Target paths from the warehouse's energy_targets model, when it has run.
    const targetPaths: Record<string, Record<string, Record<string, number>>> = {};
    if (src.has('main', 'energy_targets')) {
      const cols = new Set(src.columns('main', 'energy_targets'));
      if (['kpi_id', 'unit_code', 'year', 'path_value'].every((c) => cols.has(c))) {
        const rows = await src.q<{ kpi_id: string; unit_code: string; year: number; path_value: number }>(
          `select kpi_id, unit_code, year::integer as year, path_value::double as path_value from ${src.ref('main', 'energy_targets')} where path_value is not null`,
        );
        for (const r of rows) nest(targetPaths, r.kpi_id, r.unit_code, String(r.year), tidy(r.path_value) as number);
      }
    }
    write('site.json', {
      built_at: new Date().toISOString().slice(0, 16).replace('T', ' '),
      as_of: asOf,
      units,
      kpis: Object.fromEntries(kpiRegistry.map((k) => [k.kpi_id, k])),
      periods,
      targets,
      target_paths: targetPaths,
    });

    const overviewKpis = [...new Set([...HEADLINE_KPIS, ...LAG_KPIS])];
    write('overview.json', {
      values: await kpiValues(src, overviewKpis),
      ...(await benchmarks(src, overviewKpis)),
    });

    for (const area of AREAS) {
      const lists: Record<string, ListData> = {};
      for (const l of area.lists) {
        try {
          lists[l.id] = await actionList(src, l, limit);
        } catch (e) {
          // A list whose model changed shape is reported and shown empty; the site still builds.
          warnings.push(`list ${l.id} (${l.sources.map((s) => s.table).join(', ')}): ${(e as Error).message.split('\n')[0]}`);
          lists[l.id] = { id: l.id, table: l.sources[0]?.table ?? null, exists: false, total: 0, columns: [], rows: [] };
        }
      }
      write(`area-${area.id}.json`, {
        values: await kpiValues(src, area.kpis),
        ...(await benchmarks(src, area.kpis)),
        lists,
        ...(area.id === 'opcost' ? { composition: await opcostComposition(src) } : {}),
      });
    }

    // One file per unit: its own values and benchmark rows for every KPI, all grains.
    const kpis = [...new Set([...ALL_KPIS, ...kpiRegistry.map((k) => String(k.kpi_id))])];
    const allBench = await benchmarks(src, kpis);
    for (const u of units) {
      const code = String(u.unit_code);
      write(`districts/${code}.json`, {
        unit_code: code,
        values: await kpiValues(src, kpis, `unit_code = ${sqlString(code)}`),
        // Every period's peer median and best, and this unit's own ranks.
        ranks: Object.fromEntries(Object.entries(allBench.ranks).map(([k, byUnit]) => [k, { [code]: byUnit[code] ?? {} }])),
        peers: allBench.peers,
      });
    }

    // The all-units matrix: years, quarters and the last twelve months, to stay small.
    const recentMonths = periods.month.slice(-12);
    const matrixWhere = `grain in ('year', 'quarter')${recentMonths.length ? ` or period in (${inList(recentMonths)})` : ''}`;
    const { ranks: matrixRanks } = await benchmarks(src, kpis, matrixWhere);
    write('matrix.json', {
      values: await kpiValues(src, kpis, `unit_code <> 'ALL' and (${matrixWhere})`),
      ranks: matrixRanks,
      months: recentMonths,
    });

    write('quality.json', await quality(src, warnings));

    const refRows = async (name: string) => all(mem.conn, `select * from ref.${name}`);
    write('models.json', {
      catalog: normaliseCatalog(readCatalog(opts.catalog ?? join(ROOT, 'data/catalog.json'), warnings)),
      kpis: kpiRegistry,
      emission_factors: await refRows('emission_factors'),
      energy_conversions: await refRows('energy_conversions'),
      targets: await refRows('targets'),
      thresholds: await refRows('thresholds'),
    });

    await writeTemplates(join(out, 'templates'), opts.templates ?? join(ROOT, 'data/templates'));
    // Generated files stay out of version control without touching the shared .gitignore.
    writeFileSync(join(out, '.gitignore'), '*\n');
    return { out, files, warnings };
  } finally {
    mem.close();
  }
}

function parseArgs(args: string[]): SiteDataOptions {
  const opts: SiteDataOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === '--db') opts.db = v;
    else if (a === '--out') opts.out = v;
    else if (a === '--catalog') opts.catalog = v;
    else if (a === '--templates') opts.templates = v;
    else throw new Error(`unknown option ${a} (expected --db, --out, --catalog, --templates)`);
    i++;
  }
  return opts;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const summary = await writeSiteData(parseArgs(process.argv.slice(2)));
    for (const w of summary.warnings) console.warn(`site-data: ${w}`);
    const total = summary.files.reduce((s, f) => s + f.bytes, 0);
    const largest = [...summary.files].sort((a, b) => b.bytes - a.bytes)[0];
    console.log(`site-data: wrote ${summary.files.length} files (${kb(total)}; largest ${largest.path} ${kb(largest.bytes)}) to ${summary.out}`);
  } catch (e) {
    console.error(`site-data: ${(e as Error).message}`);
    process.exit(1);
  }
}

