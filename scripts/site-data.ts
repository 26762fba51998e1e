/**
 * Publishes the dashboard's page data. Every SQL file under sql/pages/ is one named query whose
 * rows become one JSON file under src/data/ ({columns, rows}), read by the pages through
 * FileAttachment: `sql/pages/kpis.sql` → `src/data/kpis.json`. A `[unit]`, `[area]` or `[grain]` in
 * a file or folder name runs the query once per unit (ref.units), area (kpis) or grain (month,
 * quarter, year), with the value in the variable of that name (`getvariable('unit')`):
 * `sql/pages/districts/[unit].sql` → `src/data/districts/YH.json`, … Splitting a page's data by
 * grain keeps each file small: a page loads the grain it shows. The catalog `steward docs` wrote
 * is `getvariable('catalog')`.
 *
 * The queries select and shape; they compute nothing a model does not already hold. This script
 * only runs them, keeps numbers to 7 significant digits, drops columns that name a person and
 * masks personal details in text (warehouse/personal.ts), and copies the blank templates. It runs
 * before every `observable build`, so a changed warehouse always shows: Framework re-reads
 * static files, where it would cache a data loader's output.
 *
 *   tsx scripts/site-data.ts [--db data/warehouse.duckdb] [--out src/data] [--catalog data/catalog.json]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, allWithColumns, DEFAULT_DB, openWarehouse, sqlString } from '../warehouse/db.ts';
import { isPersonalColumn, maskPersonal } from '../warehouse/personal.ts';
import { CONTRACT } from '../contract/contract.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PAGES_DIR = join(ROOT, 'sql/pages');

export interface SiteDataOptions {
  db?: string;
  out?: string;
  catalog?: string;
  templates?: string;
  /** Folder of the page queries (default sql/pages). */
  pages?: string;
}

export interface SiteDataSummary {
  out: string;
  files: { path: string; bytes: number; rows: number }[];
  warnings: string[];
}

export interface PageData {
  columns: string[];
  rows: unknown[][];
}

/** The values a parameter in a query's path takes, from the warehouse. */
const PARAMETERS: Record<string, string> = {
  unit: 'select unit_code as v from ref.units order by rowid',
  area: 'select distinct unnest(list_prepend(area, also_on)) as v from kpis order by v',
  grain: "select unnest(['month', 'quarter', 'year']) as v",
};

/** Page queries under `dir`, as paths relative to it, sorted. */
export function pageQueries(dir: string = PAGES_DIR): string[] {
  if (!existsSync(dir)) return [];
  const walk = (d: string): string[] => readdirSync(d).sort().flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith('.sql') ? [relative(dir, p)] : [];
  });
  return walk(dir);
}

/** Doubles are cut to 7 significant digits (a figure shows 4 at most; a download keeps 7): files stay small. */
function tidy(v: unknown): unknown {
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) return Number(v.toPrecision(7));
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return maskPersonal(v);
  if (Array.isArray(v)) return v.map(tidy);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !isPersonalColumn(k)).map(([k, x]) => [k, tidy(x)]));
  return v;
}

/** One query's rows as a page-data table, personal columns dropped. */
export async function runPageQuery(conn: DuckDBConnection, sql: string): Promise<PageData> {
  const result = await allWithColumns<Record<string, unknown>>(conn, sql);
  const columns = result.columns.filter((c) => !isPersonalColumn(c));
  return { columns, rows: result.rows.map((r) => columns.map((c) => tidy(r[c] ?? null))) };
}

/**
 * The blank templates (data/templates/, written by `steward templates`) beside the page data, and
 * a module naming each one's files, so the quality page links every contract table's template.
 */
function copyTemplates(out: string, source: string): void {
  const dir = join(out, 'templates');
  mkdirSync(dir, { recursive: true });
  const entries: string[] = [];
  for (const t of CONTRACT) {
    for (const ext of ['csv', 'xlsx']) {
      const from = join(source, `${t.name}.${ext}`);
      if (!existsSync(from)) throw new Error(`${from} is missing: run steward templates`);
      copyFileSync(from, join(dir, `${t.name}.${ext}`));
    }
    // .href at once: a bare FileAttachment of a .csv would make Framework bundle a CSV parser.
    entries.push(`  ${JSON.stringify(t.name)}: [FileAttachment(${JSON.stringify(`./templates/${t.name}.csv`)}).href, FileAttachment(${JSON.stringify(`./templates/${t.name}.xlsx`)}).href],`);
  }
  writeFileSync(join(out, 'templates.js'), `// Written by scripts/site-data.ts from the export contract: the addresses of each table's blank templates.\nimport {FileAttachment} from "observablehq:stdlib";\n\nexport const TEMPLATES = {\n${entries.join('\n')}\n};\n`);
}

export async function writeSiteData(opts: SiteDataOptions = {}): Promise<SiteDataSummary> {
  const dbPath = resolve(opts.db ?? join(ROOT, DEFAULT_DB));
  const out = resolve(opts.out ?? join(ROOT, 'src/data'));
  const pagesDir = opts.pages ?? PAGES_DIR;
  const catalog = resolve(opts.catalog ?? join(dirname(dbPath), 'catalog.json'));
  const warnings: string[] = [];
  const files: SiteDataSummary['files'] = [];

  // Start clean so a page never reads a file left from an older warehouse.
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const write = (rel: string, data: PageData) => {
    const p = join(out, rel);
    mkdirSync(dirname(p), { recursive: true });
    const text = JSON.stringify(data);
    writeFileSync(p, text);
    files.push({ path: rel, bytes: Buffer.byteLength(text), rows: data.rows.length });
  };
  const empty: PageData = { columns: [], rows: [] };

  const queries = pageQueries(pagesDir);
  if (!existsSync(dbPath)) {
    // No warehouse yet: every page gets an empty table and shows its empty state.
    warnings.push(`${dbPath} not found: the site shows empty states (run the pipeline first)`);
    for (const q of queries) if (!/\[\w+\]/.test(q)) write(q.replace(/\.sql$/, '.json'), empty);
  } else {
    // A build started during a load waits for it, then reads one consistent state.
    const w = await openWarehouse(dbPath, { readOnly: true });
    try {
      await w.conn.run(`set variable catalog = ${sqlString(catalog)}`);
      if (!existsSync(catalog)) warnings.push(`${catalog} not found: the models page shows no catalog (run steward docs)`);
      for (const q of queries) {
        const sql = readFileSync(join(pagesDir, q), 'utf8');
        let bindings: Record<string, string>[] = [{}];
        for (const [, param] of q.matchAll(/\[(\w+)\]/g)) {
          if (!PARAMETERS[param]) throw new Error(`${join(pagesDir, q)}: unknown parameter [${param}] (known: ${Object.keys(PARAMETERS).map((p) => `[${p}]`).join(', ')})`);
          let values: string[] = [];
          try {
            values = (await all<{ v: string }>(w.conn, PARAMETERS[param])).map((r) => r.v);
          } catch (e) {
            warnings.push(`${q}: no values for [${param}] (${(e as Error).message.split('\n')[0]})`);
          }
          bindings = bindings.flatMap((b) => values.map((v) => ({ ...b, [param]: v })));
        }
        for (const b of bindings) {
          const rel = Object.entries(b).reduce((path, [k, v]) => path.replace(`[${k}]`, v), q).replace(/\.sql$/, '.json');
          for (const [k, v] of Object.entries(b)) await w.conn.run(`set variable ${k} = ${sqlString(v)}`);
          try {
            write(rel, await runPageQuery(w.conn, sql));
          } catch (e) {
            // A query whose model is not built yet publishes nothing; the page shows its empty state.
            warnings.push(`${q}: ${(e as Error).message.split('\n')[0]}`);
            write(rel, empty);
          }
        }
      }
    } finally {
      w.close();
    }
  }
  copyTemplates(out, opts.templates ?? join(ROOT, 'data/templates'));
  // Generated files stay out of version control without touching the shared .gitignore.
  writeFileSync(join(out, '.gitignore'), '*\n');
  return { out, files, warnings };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' }, catalog: { type: 'string' }, templates: { type: 'string' } } });
    const summary = await writeSiteData(values);
    for (const w of summary.warnings) console.warn(`site-data: ${w}`);
    const total = summary.files.reduce((s, f) => s + f.bytes, 0);
    const largest = [...summary.files].sort((a, b) => b.bytes - a.bytes)[0];
    console.log(`site-data: wrote ${summary.files.length} files (${kb(total)}${largest ? `; largest ${largest.path} ${kb(largest.bytes)}` : ''}) to ${summary.out}`);
  } catch (e) {
    console.error(`site-data: ${(e as Error).message}`);
    process.exit(1);
  }
}
