/**
 * What one briefing shows, read from the warehouse through the same page-data queries the site
 * publishes (sql/pages/: the KPI registry, units, as-of date, an area's cards, the lists behind
 * the flags, the statements the overview leads with, events, lineage) and two queries of its own
 * (briefing/queries/: who lags the median, whether the period's exports can be trusted). Every
 * figure is a column of a tested model; this module selects rows for a unit and period and
 * formats nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../warehouse/db.ts';
import { PAGES_DIR, runPageQuery } from '../scripts/site-data.ts';
import { AREAS, AREA_LISTS, type AreaId } from '../src/components/areas.ts';
import type { Highlight } from '../src/components/highlights.ts';
import { grainOf, type Grain } from '../src/components/period.ts';

const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'queries');

/** A page-data row: a plain JSON object whose columns the query names. */
export type Row = Record<string, any>;

export interface BriefingRequest {
  /** ALL for the city, or a unit code. */
  unit: string;
  grain: Grain;
  period: string;
}

export interface ListRows {
  id: string;
  columns: string[];
  rows: Row[];
  /** How many rows the list has for the period (and unit), of which `rows` are the first. */
  total: number;
}

export interface AreaData {
  area: AreaId;
  /** The area's KPIs in the order its page shows them. */
  kpiIds: string[];
  /** kpi_cards of the unit and period, by KPI. */
  cards: Record<string, Row | undefined>;
  /** The area's lead KPI and the unit's cards of it up to the period, oldest first. */
  lead: string | null;
  series: Row[];
  laggards: Row[];
  lists: ListRows[];
  /** The operating cost's components in the period (opcost_periods), on the area that shows them. */
  composition?: Row;
}

export interface BriefingData {
  request: BriefingRequest;
  registry: Row[];
  kpis: Record<string, Row>;
  units: Row[];
  asOf: Row | null;
  labels: Row[];
  events: Row[];
  tables: Record<string, Row>;
  targets: Row[];
  factors: Row[];
  /** Export tables each KPI comes from (raw.<table>), from the catalog; empty without one. */
  lineage: Record<string, string[]>;
  highlights: Highlight[];
  headline: { kpi_id: string; card: Row | undefined }[];
  areas: AreaData[];
  quality: Row[];
}

function rowsOf(data: { columns: string[]; rows: unknown[][] }): Row[] {
  return data.rows.map((r) => Object.fromEntries(data.columns.map((c, i) => [c, r[i]])));
}

/** Runs one query file with its variables set, as scripts/site-data.ts does for the site. */
async function run(conn: DuckDBConnection, file: string, vars: Record<string, string> = {}): Promise<Row[]> {
  for (const [k, v] of Object.entries(vars)) await conn.run(`set variable ${k} = ${sqlString(v)}`);
  return rowsOf(await runPageQuery(conn, readFileSync(file, 'utf8')));
}

/**
 * Query results shared by the briefings of one run: the site's page data does not depend on the
 * briefing's unit or period, so fifteen briefings read it once.
 */
export type QueryCache = Map<string, Promise<Row[]>>;

function cached(conn: DuckDBConnection, cache: QueryCache | undefined, file: string, vars: Record<string, string> = {}): Promise<Row[]> {
  if (!cache) return run(conn, file, vars);
  const key = JSON.stringify([file, vars]);
  if (!cache.has(key)) cache.set(key, run(conn, file, vars));
  return cache.get(key)!;
}

const page = (rel: string) => join(PAGES_DIR, rel);
const own = (rel: string) => join(QUERIES_DIR, rel);

/** A warehouse with no KPI values yet: nothing to brief on. */
export class NoKpiValues extends Error {
  constructor() {
    super('the warehouse has no KPI values yet: load exports and run the models first (npx steward pipeline)');
  }
}

/** The periods the dashboard offers (periods.sql), newest first per grain. */
export async function offeredPeriods(conn: DuckDBConnection): Promise<Row[]> {
  return run(conn, page('periods.sql'));
}

export async function unitRows(conn: DuckDBConnection): Promise<Row[]> {
  return run(conn, page('units.sql'));
}

/**
 * Checks a request against the warehouse: a known unit (code, or its name in either language),
 * a period of the grain that the dashboard offers. Returns it with the unit as a code.
 */
export async function resolveRequest(conn: DuckDBConnection, unit: string, period: string | undefined, grain: Grain | undefined): Promise<BriefingRequest> {
  const units = await unitRows(conn);
  const wanted = unit.trim();
  const match = wanted.toUpperCase() === 'ALL'
    ? 'ALL'
    : units.find((u) => [u.unit_code, u.name_zh, u.name_en].some((n) => typeof n === 'string' && n.toLowerCase() === wanted.toLowerCase()))?.unit_code;
  if (!match) throw new Error(`--unit ${unit}: not a unit of the warehouse (ALL, or one of ${units.map((u) => u.unit_code).join(', ')})`);
  const periods = await offeredPeriods(conn);
  if (!periods.length) throw new NoKpiValues();
  let g: Grain;
  if (period) {
    try {
      g = grainOf(period);
    } catch {
      throw new Error(`--period ${period}: expected a month 2024-12, a quarter 2024-Q4 or a year 2024`);
    }
    if (grain && grain !== g) throw new Error(`--period ${period} is a ${g}, not a ${grain}`);
  } else {
    g = grain ?? 'month';
  }
  const offered = periods.filter((p) => p.grain === g).map((p) => p.period as string);
  const chosen = period ?? offered[0];
  if (!offered.includes(chosen)) {
    const range = offered.length ? `${offered[offered.length - 1]} … ${offered[0]}` : 'none';
    throw new Error(`--period ${chosen}: the dashboard offers ${g} periods ${range} only (the latest 24 months, every quarter and year with KPI values)`);
  }
  return { unit: match, grain: g, period: chosen };
}

/** Everything one briefing shows. `catalog` is the model catalog `steward docs` wrote (for lineage). */
export async function readBriefing(conn: DuckDBConnection, request: BriefingRequest, catalog: string, cache?: QueryCache): Promise<BriefingData> {
  const { unit, grain, period } = request;
  const registry = await cached(conn, cache, page('kpis.sql'));
  const kpis = Object.fromEntries(registry.map((k) => [k.kpi_id, k]));
  const units = await cached(conn, cache, page('units.sql'));
  const [asOf] = await cached(conn, cache, page('as_of.sql'));
  const labels = await cached(conn, cache, page('labels.sql'));
  const events = await cached(conn, cache, page('events.sql'));
  const tables = Object.fromEntries((await cached(conn, cache, page('quality/templates.sql'))).map((t) => [t.table_name, t]));
  const targets = await cached(conn, cache, page('models/targets.sql'));
  const factors = await cached(conn, cache, page('models/factors.sql'));

  let lineage: Record<string, string[]> = {};
  if (existsSync(catalog)) {
    const rows = await cached(conn, cache, page('models/kpi_lineage.sql'), { catalog: resolve(catalog) });
    lineage = Object.fromEntries(rows.map((r) => [r.kpi_id, (r.exports ?? []).map((e: string) => e.replace(/^raw\./, ''))]));
  }

  const highlights = (await cached(conn, cache, page('highlights-[grain].sql'), { grain }))
    .filter((h) => h.period === period && h.unit_code === unit) as Highlight[];

  const laggards = await run(conn, own('laggards.sql'), { grain, period, unit });
  const areas: AreaData[] = [];
  const cardsByKpi: Record<string, Row | undefined> = {};
  for (const area of AREAS) {
    const rows = await cached(conn, cache, page('areas/[area]-[grain].sql'), { area, grain });
    // The query orders the area's KPIs as its page shows them.
    const kpiIds = [...new Set(rows.map((r) => r.kpi_id as string))].filter((id) => kpis[id]);
    const cards: Record<string, Row | undefined> = {};
    for (const r of rows) if (r.unit_code === unit && r.period === period) cards[r.kpi_id] = r;
    Object.assign(cardsByKpi, cards);
    const lead = kpiIds.find((id) => kpis[id].area === area && kpis[id].is_lead) ?? kpiIds[0] ?? null;
    const series = rows.filter((r) => r.kpi_id === lead && r.unit_code === unit && r.period <= period).sort((a, b) => (a.period < b.period ? -1 : 1));
    const lists: ListRows[] = [];
    for (const id of AREA_LISTS[area]) {
      const listRows = (await cached(conn, cache, page(`lists/${id}-[grain].sql`), { grain })).filter((r) => r.period === period && (unit === 'ALL' || r.unit_code === unit));
      const columns = listRows.length ? Object.keys(listRows[0]) : [];
      lists.push({ id, columns, rows: listRows, total: Number(listRows[0]?.[unit === 'ALL' ? 'period_total' : 'unit_total'] ?? 0) });
    }
    const composition = area === 'opcost'
      ? (await cached(conn, cache, page('opcost_composition.sql'))).find((r) => r.unit_code === unit && r.grain === grain && r.period === period)
      : undefined;
    areas.push({ area, kpiIds, cards, lead, series, laggards: laggards.filter((l) => l.area === area), lists, composition });
  }
  const headline = registry
    .filter((k) => k.headline !== null && k.headline !== undefined)
    .sort((a, b) => a.headline - b.headline)
    .map((k) => ({ kpi_id: k.kpi_id as string, card: cardsByKpi[k.kpi_id] }));
  const quality = await run(conn, own('quality.sql'), { grain, period, unit });
  return { request, registry, kpis, units, asOf: asOf ?? null, labels, events, tables, targets, factors, lineage, highlights, headline, areas, quality };
}
