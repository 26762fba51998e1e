/**
 * The model graph: dependencies come from the table references DuckDB's parser finds in each
 * model, ordered so every model runs after what it reads. An unknown reference or a cycle is an
 * error naming the file and the line.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../warehouse/db.ts';
import { lineOfOffset, locationOf, parseSqlTexts, SqlParseError, tableRefs, type AstNode } from './parse.ts';
import { sourceMonthExpr } from './partitions.ts';
import { LAYERS, type Model } from './project.ts';

export const SOURCE_SCHEMAS = ['raw', 'ref', 'meta'];

export interface Dependency {
  /** `stg_trips` for a model, `raw.vehicle_trips` for a source. */
  name: string;
  kind: 'model' | 'source';
  line?: number;
}

export interface PlannedModel extends Model {
  ast: AstNode;
  deps: Dependency[];
  /** Models that read this one directly. */
  dependents: string[];
}

export interface Plan {
  /** Models in dependency order. */
  order: PlannedModel[];
  byName: Map<string, PlannedModel>;
}

export class ModelError extends Error {
  constructor(readonly problems: { file: string; line?: number; message: string }[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
  }
}

function firstLocation(node: unknown): number | undefined {
  let best: number | undefined;
  const visit = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const loc = locationOf(n as AstNode);
    if (loc !== undefined && (best === undefined || loc < best)) best = loc;
    Object.values(n).forEach(visit);
  };
  visit(node);
  return best;
}

/** The model's one SELECT from its parsed text, or a ModelError naming its file and line. */
function modelStatement(model: Model, parsed: AstNode[] | SqlParseError): AstNode {
  const statements = parsed instanceof SqlParseError ? undefined : parsed;
  if (!statements) {
    const e = parsed as SqlParseError;
    const msg = /Only SELECT/.test(e.message) ? 'a model is one SELECT statement (no CREATE, INSERT or other statements)' : `syntax error: ${e.message}`;
    throw new ModelError([{ file: model.file, line: e.offset !== undefined ? lineOfOffset(model.sql, e.offset) : undefined, message: msg }]);
  }
  if (statements.length !== 1) {
    const loc = statements.length > 1 ? firstLocation(statements[1]) : undefined;
    throw new ModelError([{ file: model.file, line: loc !== undefined ? lineOfOffset(model.sql, loc) : undefined, message: `a model is exactly one SELECT statement, found ${statements.length}` }]);
  }
  return statements[0];
}

/** Source tables (raw/ref/meta) that currently exist, as `schema.table`. */
export async function existingSources(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = await all<{ t: string }>(conn, `select table_schema || '.' || table_name as t from information_schema.tables where table_catalog = current_database() and table_schema in ('raw', 'ref', 'meta')`);
  return new Set(rows.map((r) => r.t.toLowerCase()));
}

/**
 * The layer rule: a model reads only its own or earlier layers, and only staging reads raw.*,
 * so the folder a model sits in says where it is in the DAG.
 */
function layerProblem(m: Model, dep: Dependency, layerOf: Map<string, string>): string | undefined {
  const rank = (l: string) => (LAYERS as readonly string[]).indexOf(l);
  if (dep.kind === 'source') {
    if (dep.name.startsWith('raw.') && m.layer !== 'staging') {
      return `${m.name} (${m.layer}) reads ${dep.name}: only staging models read raw tables; read its staging model instead`;
    }
    return undefined;
  }
  const depLayer = layerOf.get(dep.name)!;
  if (rank(depLayer) <= rank(m.layer)) return undefined;
  const allowed = LAYERS.slice(0, rank(m.layer) + 1).join(', ');
  return `${m.name} (${m.layer}) reads ${dep.name}, a model of the later layer ${depLayer}: a ${m.layer} model reads ${allowed} models only; move one of them so the folders follow the flow`;
}

export async function planModels(conn: DuckDBConnection, models: Model[]): Promise<Plan> {
  const names = new Set(models.map((m) => m.name));
  const layerOf = new Map(models.map((m) => [m.name, m.layer as string]));
  const sources = await existingSources(conn);
  const problems: ModelError['problems'] = [];
  const planned: PlannedModel[] = [];
  const parsed = await parseSqlTexts(conn, models.map((m) => m.sql));
  for (const [i, m] of models.entries()) {
    let ast: AstNode;
    try {
      ast = modelStatement(m, parsed[i]);
    } catch (e) {
      if (e instanceof ModelError) { problems.push(...e.problems); continue; }
      throw e;
    }
    const deps = new Map<string, Dependency>();
    for (const ref of tableRefs(ast)) {
      const line = ref.offset !== undefined ? lineOfOffset(m.sql, ref.offset) : undefined;
      const qualified = ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
      let dep: Dependency | undefined;
      if (SOURCE_SCHEMAS.includes(ref.schema)) {
        if (sources.has(qualified)) dep = { name: qualified, kind: 'source', line };
        else problems.push({ file: m.file, line, message: `unknown source table ${qualified} (the warehouse has no such table; sources are ${SOURCE_SCHEMAS.map((s) => `${s}.<table>`).join(', ')})` });
      } else if ((ref.schema === '' || ref.schema === 'main') && names.has(ref.name)) {
        dep = { name: ref.name, kind: 'model', line };
      } else {
        const hint = sources.has(`raw.${ref.name}`) ? ` — did you mean raw.${ref.name}?` : sources.has(`ref.${ref.name}`) ? ` — did you mean ref.${ref.name}?` : '';
        problems.push({ file: m.file, line, message: `unknown reference "${qualified}": not a model, a CTE or a source (raw.*, ref.*, meta.*)${hint}` });
      }
      if (dep && dep.name === m.name) problems.push({ file: m.file, line, message: `model ${m.name} reads itself` });
      else if (dep && !deps.has(dep.name)) {
        const backwards = layerProblem(m, dep, layerOf);
        if (backwards) problems.push({ file: m.file, line, message: backwards });
        deps.set(dep.name, dep);
      }
    }
    planned.push({ ...m, ast, deps: [...deps.values()], dependents: [] });
  }
  if (problems.length) throw new ModelError(problems);
  const byName = new Map(planned.map((p) => [p.name, p]));
  for (const p of planned) for (const d of p.deps) if (d.kind === 'model') byName.get(d.name)!.dependents.push(p.name);
  const order = topoSort(planned, byName);
  for (const p of planned) {
    const part = p.spec.partitionBy;
    if (!part) continue;
    const file = p.yamlFile ?? p.file;
    const { problem } = sourceMonthExpr(part.source);
    if (problem) problems.push({ file, message: problem });
    else if (!readsThroughViews(p, part.source, byName)) problems.push({ file, message: `partition_by: ${p.name} does not read ${part.source}, directly or through views` });
  }
  if (problems.length) throw new ModelError(problems);
  return { order, byName };
}

/** Whether the model reads the source itself or through a chain of views (which hold no rows of their own). */
export function readsThroughViews(m: PlannedModel, source: string, byName: Map<string, PlannedModel>): boolean {
  return m.deps.some((d) => d.name === source || (d.kind === 'model' && byName.get(d.name)?.spec.materialized === 'view' && readsThroughViews(byName.get(d.name)!, source, byName)));
}

/** Depth-first topological order; a cycle is reported with each edge's file and line. */
function topoSort(models: PlannedModel[], byName: Map<string, PlannedModel>): PlannedModel[] {
  const order: PlannedModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: PlannedModel[] = [];
  const visit = (m: PlannedModel) => {
    const s = state.get(m.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = stack.slice(stack.indexOf(m));
      const edges = cycle.map((from, i) => {
        const to = cycle[(i + 1) % cycle.length];
        const dep = from.deps.find((d) => d.name === to.name)!;
        return { file: from.file, line: dep.line, message: `dependency cycle: ${from.name} reads ${to.name}` };
      });
      throw new ModelError([{ file: cycle[0].file, line: edges[0].line, message: `dependency cycle ${[...cycle, cycle[0]].map((c) => c.name).join(' → ')}` }, ...edges.slice(1)]);
    }
    state.set(m.name, 'visiting');
    stack.push(m);
    for (const d of m.deps) if (d.kind === 'model') visit(byName.get(d.name)!);
    stack.pop();
    state.set(m.name, 'done');
    order.push(m);
  };
  for (const m of models) visit(m);
  return order;
}

/**
 * Expands `--select` terms: `name` alone, `name+` with everything downstream, `+name` with
 * everything upstream; a layer name (`staging`) selects the layer. No terms selects all.
 */
export function selectModels(plan: Plan, terms: string[] | undefined): Set<string> {
  if (!terms || !terms.length) return new Set(plan.byName.keys());
  const picked = new Set<string>();
  const walk = (name: string, dir: 'up' | 'down') => {
    const m = plan.byName.get(name)!;
    const next = dir === 'down' ? m.dependents : m.deps.filter((d) => d.kind === 'model').map((d) => d.name);
    for (const n of next) if (!picked.has(n)) { picked.add(n); walk(n, dir); }
  };
  for (const raw of terms.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean)) {
    const up = raw.startsWith('+');
    const down = raw.endsWith('+');
    const name = raw.replace(/^\+|\+$/g, '');
    const layerModels = plan.order.filter((m) => m.layer === name).map((m) => m.name);
    const roots = plan.byName.has(name) ? [name] : layerModels;
    if (!roots.length) throw new Error(`--select ${raw}: no model or layer named "${name}" (models: ${[...plan.byName.keys()].join(', ') || 'none'})`);
    for (const r of roots) {
      picked.add(r);
      if (down) walk(r, 'down');
      if (up) walk(r, 'up');
    }
  }
  return picked;
}
