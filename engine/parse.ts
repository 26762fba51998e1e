/**
 * Reading a model's SQL with DuckDB's own parser (`json_serialize_sql`): no Jinja and no
 * regular expressions, so what the engine sees is exactly what DuckDB will run.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../warehouse/db.ts';

/** A JSON node of DuckDB's serialized parse tree. */
export type AstNode = Record<string, any>;

export interface TableRef {
  /** Schema as written (`raw`, `ref`, `meta`, `main`), or '' for a bare name. */
  schema: string;
  name: string;
  /** Byte offset of the reference in the SQL text, when DuckDB reports one. */
  offset?: number;
}

export class SqlParseError extends Error {
  constructor(message: string, readonly offset?: number) {
    super(message);
  }
}

/** DuckDB marks "no location" with the largest unsigned 64-bit value. */
export function locationOf(node: AstNode | null | undefined): number | undefined {
  const loc = node?.query_location;
  if (typeof loc !== 'number' || loc < 0 || loc > 1e12) return undefined;
  return loc;
}

/**
 * Parses many SQL texts in one query (a project's models: one round trip instead of one each),
 * each into its statements' parse trees or the SqlParseError it raised.
 */
export async function parseSqlTexts(conn: DuckDBConnection, sqls: string[]): Promise<(AstNode[] | SqlParseError)[]> {
  if (!sqls.length) return [];
  const list = `[${sqls.map(sqlString).join(', ')}]::VARCHAR[]`;
  const reader = await conn.runAndReadAll(`select to_json(list_transform(${list}, s -> json_serialize_sql(s)))::VARCHAR as j`);
  const texts = JSON.parse(String(reader.getRows()[0][0])) as unknown[];
  return texts.map((t) => {
    const json = (typeof t === 'string' ? JSON.parse(t) : t) as AstNode;
    if (json.error) {
      const pos = json.position !== undefined ? Number(json.position) : undefined;
      return new SqlParseError(`${json.error_message}`, Number.isFinite(pos) ? pos : undefined);
    }
    return (json.statements as AstNode[]).map((st) => st.node);
  });
}

/** 1-based line of a byte offset (DuckDB's locations count UTF-8 bytes, not characters). */
export function lineOfOffset(sql: string, offset: number): number {
  const prefix = Buffer.from(sql, 'utf8').subarray(0, offset).toString('utf8');
  return prefix.split('\n').length;
}

/**
 * Every table a statement reads, skipping CTE names in scope and table functions, so
 * `with trips as (…) select … from trips, range(3)` depends on neither `trips` nor `range`.
 */
export function tableRefs(root: AstNode): TableRef[] {
  const refs: TableRef[] = [];
  const visit = (node: unknown, ctes: Set<string>): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, ctes);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as AstNode;
    let scope = ctes;
    const cteMap = obj.cte_map?.map;
    if (Array.isArray(cteMap) && cteMap.length) {
      scope = new Set(ctes);
      for (const entry of cteMap) scope.add(String(entry.key).toLowerCase());
    }
    if (obj.type === 'BASE_TABLE' && typeof obj.table_name === 'string') {
      const schema = String(obj.schema_name ?? '').toLowerCase();
      const name = obj.table_name.toLowerCase();
      if (!(schema === '' && scope.has(name))) refs.push({ schema, name, offset: locationOf(obj) });
      return;
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'cte_map') visit(v, scope);
      else if (v && typeof v === 'object') visit(v, scope);
    }
  };
  visit(root, new Set());
  return refs;
}
