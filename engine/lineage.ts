/**
 * Column-level lineage from DuckDB's parse tree: for every output column of a model, the input
 * columns (of models and sources) its value is computed from, followed through CTEs, subqueries,
 * joins, aggregates and set operations. What cannot be resolved from the SQL and the known table
 * columns is listed with a reason, never guessed.
 */
import type { AstNode } from './parse.ts';

export interface ColumnLineage {
  column: string;
  /** `model.column` or `raw.table.column`, sorted. Empty for a constant. */
  inputs: string[];
}

export interface UnresolvedLineage {
  /** Output column affected, when one is. */
  column?: string;
  reason: string;
}

export interface ModelLineage {
  columns: ColumnLineage[];
  unresolved: UnresolvedLineage[];
}

/** Columns of a model or source table (`stg_trips`, `raw.vehicle_trips`), if known. */
export type ColumnsOf = (table: string) => string[] | undefined;

const SPECIAL_VALUES = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'current_user', 'current_role', 'session_user', 'user', 'current_catalog', 'current_schema']);

interface Col {
  name: string;
  inputs: Set<string>;
}

/** A relation in scope: its columns, or `undefined` when they cannot be known. */
interface Rel {
  columns?: Col[];
  /** Why the columns are unknown. */
  why?: string;
}

interface ScopeEntry {
  alias: string;
  rel: Rel;
}

class Analyzer {
  unresolved: UnresolvedLineage[] = [];
  /** Output column whose expression is being analysed, to attribute problems to it. */
  private current?: string;

  constructor(private columnsOf: ColumnsOf) {}

  problem(reason: string) {
    const column = this.current;
    if (!this.unresolved.some((u) => u.column === column && u.reason === reason)) this.unresolved.push({ column, reason });
  }

  query(node: AstNode, ctes: Map<string, Rel>, outer: ScopeEntry[] = []): Rel {
    const map: { key: string; value: { query: { node: AstNode } } }[] = node.cte_map?.map ?? [];
    let env = ctes;
    if (map.length) {
      env = new Map(ctes);
      for (const entry of map) {
        const name = String(entry.key).toLowerCase();
        // A recursive CTE sees itself as unknown while its own body is analysed.
        env.set(name, { why: `recursive CTE ${name}` });
        env.set(name, this.query(entry.value.query.node, env, outer));
      }
    }
    switch (node.type) {
      case 'SELECT_NODE':
        return this.select(node, env, outer);
      case 'SET_OPERATION_NODE':
      case 'RECURSIVE_CTE_NODE': {
        const sides = node.type === 'SET_OPERATION_NODE' && Array.isArray(node.children) ? node.children : [node.left, node.right];
        const rels = sides.filter(Boolean).map((s: AstNode) => this.query(s, env, outer));
        const first = rels[0];
        if (!first?.columns) return { why: first?.why ?? 'set operation' };
        const cols = first.columns.map((c) => ({ name: c.name, inputs: new Set(c.inputs) }));
        for (const r of rels.slice(1)) {
          if (!r.columns) return { why: r.why };
          r.columns.forEach((c, i) => c.inputs.forEach((x) => cols[i]?.inputs.add(x)));
        }
        return { columns: cols };
      }
      default:
        this.problem(`query of kind ${node.type} is not analysed`);
        return { why: `query of kind ${node.type}` };
    }
  }

  from(t: AstNode | null, ctes: Map<string, Rel>, outer: ScopeEntry[]): ScopeEntry[] {
    if (!t || t.type === 'EMPTY_FROM' || t.type === 'EMPTY') return [];
    const rename = (rel: Rel): Rel => {
      const aliases: string[] = t.column_name_alias ?? [];
      if (!aliases.length || !rel.columns) return rel;
      return { columns: rel.columns.map((c, i) => ({ name: aliases[i]?.toLowerCase() ?? c.name, inputs: c.inputs })) };
    };
    switch (t.type) {
      case 'BASE_TABLE': {
        const name = String(t.table_name).toLowerCase();
        const schema = String(t.schema_name ?? '').toLowerCase();
        const alias = String(t.alias || t.table_name).toLowerCase();
        if (!schema && ctes.has(name)) return [{ alias, rel: rename(ctes.get(name)!) }];
        const table = schema && schema !== 'main' ? `${schema}.${name}` : name;
        const cols = this.columnsOf(table);
        if (!cols) return [{ alias, rel: { why: `columns of ${table} are not known (build it first)` } }];
        return [{ alias, rel: rename({ columns: cols.map((c) => ({ name: c.toLowerCase(), inputs: new Set([`${table}.${c.toLowerCase()}`]) })) }) }];
      }
      case 'SUBQUERY':
        return [{ alias: String(t.alias ?? '').toLowerCase(), rel: rename(this.query(t.subquery.node, ctes, outer)) }];
      case 'JOIN':
        return [...this.from(t.left, ctes, outer), ...this.from(t.right, ctes, outer)];
      case 'EXPRESSION_LIST': {
        // VALUES rows: DuckDB names the columns col0, col1, … unless the FROM item renames them.
        const rows: AstNode[][] = t.values ?? [];
        const width = rows[0]?.length ?? 0;
        const cols = Array.from({ length: width }, (_, i) => ({ name: `col${i}`, inputs: new Set<string>() }));
        for (const row of rows) row.forEach((e, i) => this.expression(e, [], outer, [], ctes).forEach((x) => cols[i].inputs.add(x)));
        return [{ alias: String(t.alias || 'valueslist').toLowerCase(), rel: rename({ columns: cols }) }];
      }
      case 'TABLE_FUNCTION': {
        const fn = t.function?.function_name ?? 'table function';
        return [{ alias: String(t.alias || fn).toLowerCase(), rel: { why: `table function ${fn}() has no known columns` } }];
      }
      default:
        return [{ alias: String(t.alias ?? '').toLowerCase(), rel: { why: `FROM item of kind ${t.type} is not analysed` } }];
    }
  }

  select(node: AstNode, ctes: Map<string, Rel>, outer: ScopeEntry[]): Rel {
    const scope = this.from(node.from_table, ctes, outer);
    const out: Col[] = [];
    let known = true;
    for (const expr of node.select_list as AstNode[]) {
      if (expr.class === 'STAR') {
        if (expr.columns || expr.expr) {
          this.problem('COLUMNS(…) expressions are not analysed');
          known = false;
          continue;
        }
        const exclude = new Set<string>((expr.exclude_list ?? []).map((e: unknown) => String(typeof e === 'string' ? e : (e as AstNode)?.column_names?.at(-1) ?? e).toLowerCase()));
        const rel = String(expr.relation_name ?? '').toLowerCase();
        for (const s of scope) {
          if (rel && s.alias !== rel) continue;
          if (!s.rel.columns) {
            this.problem(`select ${rel ? rel + '.' : ''}* over ${s.alias || 'a subquery'}: ${s.rel.why}`);
            known = false;
            continue;
          }
          const replaced = new Map<string, AstNode>((expr.replace_list ?? []).map((r: { key: string; value: AstNode }) => [String(r.key).toLowerCase(), r.value]));
          for (const c of s.rel.columns) {
            if (exclude.has(c.name)) continue;
            const merged = !rel && out.find((o) => o.name === c.name);
            if (merged) {
              // USING/NATURAL joins merge the shared column: its value comes from both sides.
              c.inputs.forEach((x) => merged.inputs.add(x));
              continue;
            }
            const r = replaced.get(c.name);
            out.push({ name: c.name, inputs: r ? this.expression(r, scope, outer, out, ctes) : new Set(c.inputs) });
          }
        }
        continue;
      }
      const name = String(expr.alias || (expr.class === 'COLUMN_REF' ? expr.column_names.at(-1) : '')).toLowerCase() || `#${out.length + 1}`;
      this.current = name;
      out.push({ name, inputs: this.expression(expr, scope, outer, out, ctes) });
      this.current = undefined;
    }
    return known ? { columns: out } : { why: 'a star expansion could not be resolved' };
  }

  /** Input columns an expression reads; lambda parameters are not columns. */
  expression(expr: AstNode, scope: ScopeEntry[], outer: ScopeEntry[], earlier: Col[], ctes: Map<string, Rel>, bound: Set<string> = new Set()): Set<string> {
    const found = new Set<string>();
    const visit = (n: unknown, bound: Set<string>): void => {
      if (Array.isArray(n)) return n.forEach((x) => visit(x, bound));
      if (!n || typeof n !== 'object') return;
      const e = n as AstNode;
      if (e.class === 'COLUMN_REF') {
        this.columnRef(e.column_names as string[], scope, outer, earlier, bound).forEach((x) => found.add(x));
        return;
      }
      if (e.class === 'LAMBDA') {
        const params = new Set(bound);
        const collect = (p: AstNode) => {
          if (p?.class === 'COLUMN_REF') params.add(String(p.column_names.at(-1)).toLowerCase());
          else (p?.children ?? []).forEach(collect);
        };
        collect(e.lhs);
        return visit(e.expr, params);
      }
      if (e.class === 'SUBQUERY') {
        visit(e.child, bound);
        const rel = this.query(e.subquery.node, ctes, [...scope, ...outer]);
        if (rel.columns) rel.columns.forEach((c) => c.inputs.forEach((x) => found.add(x)));
        else this.problem(`subquery: ${rel.why}`);
        return;
      }
      for (const [k, v] of Object.entries(e)) if (k !== 'query_location' && v && typeof v === 'object') visit(v, bound);
    };
    visit(expr, bound);
    return found;
  }

  columnRef(names: string[], scope: ScopeEntry[], outer: ScopeEntry[], earlier: Col[], bound: Set<string>): Set<string> {
    const parts = names.map((n) => n.toLowerCase());
    const col = parts.at(-1)!;
    if (parts.length === 1 && bound.has(col)) return new Set();
    for (const entries of [scope, outer]) {
      if (parts.length >= 2) {
        const alias = parts.at(-2)!;
        const hit = entries.find((s) => s.alias === alias);
        if (!hit) {
          // `t.col` may also be struct access `col.field` on an unqualified column.
          const struct = this.columnRef([parts[0]], entries, [], [], bound);
          if (struct.size) return struct;
          continue;
        }
        if (!hit.rel.columns) {
          this.problem(`${parts.join('.')}: ${hit.rel.why}`);
          return new Set();
        }
        const c = hit.rel.columns.find((x) => x.name === col);
        if (c) return new Set(c.inputs);
        this.problem(`${parts.join('.')}: no column ${col} in ${alias}`);
        return new Set();
      }
      const matches = entries.filter((s) => s.rel.columns?.some((c) => c.name === col));
      if (matches.length) {
        const inputs = new Set<string>();
        // Several matches happen only with USING/NATURAL joins (DuckDB refuses other ambiguity): the value comes from both.
        for (const m of matches) m.rel.columns!.find((c) => c.name === col)!.inputs.forEach((x) => inputs.add(x));
        return inputs;
      }
      const unknown = entries.filter((s) => !s.rel.columns);
      if (unknown.length) {
        this.problem(`${col}: could come from ${unknown.map((u) => `${u.alias} (${u.rel.why})`).join(', ')}`);
        return new Set();
      }
    }
    // DuckDB lets a select item refer to an earlier item's alias.
    const prior = earlier.find((c) => c.name === col);
    if (prior) return new Set(prior.inputs);
    // Keywords the parser reads as column names but which are values.
    if (parts.length === 1 && SPECIAL_VALUES.has(col)) return new Set();
    this.problem(`${names.join('.')}: not found in any input`);
    return new Set();
  }
}

/**
 * Lineage of one model. `outputColumns` (the built table's columns, in order) names outputs the
 * SQL leaves unnamed, like `count(*)`.
 */
export function columnLineage(ast: AstNode, columnsOf: ColumnsOf, outputColumns?: string[]): ModelLineage {
  const a = new Analyzer(columnsOf);
  const rel = a.query(ast, new Map());
  if (!rel.columns) {
    if (!a.unresolved.length) a.unresolved.push({ reason: rel.why ?? 'unknown' });
    return { columns: (outputColumns ?? []).map((c) => ({ column: c, inputs: [] })), unresolved: a.unresolved };
  }
  const sameShape = outputColumns && outputColumns.length === rel.columns.length;
  const columns = rel.columns.map((c, i) => ({ column: sameShape ? outputColumns![i] : c.name, inputs: [...c.inputs].sort() }));
  const unresolved = a.unresolved.map((u) => {
    const i = rel.columns!.findIndex((c) => c.name === u.column);
    return sameShape && i >= 0 ? { ...u, column: outputColumns![i] } : u;
  });
  return { columns, unresolved };
}
