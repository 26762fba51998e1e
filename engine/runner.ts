/**
 * `steward run`: builds models in dependency order, each replaced atomically, skipping those whose
 * SQL, YAML and inputs are unchanged since their last successful build.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../warehouse/db.ts';
import { step } from '../warehouse/events.ts';
import { stopwatch } from '../warehouse/profile.ts';
import { loadReferenceTables, REFERENCE_DIR } from '../warehouse/reference.ts';
import { ensureWarehouseSchema } from '../warehouse/schema.ts';
import { resolveAsOf, writeRunContext } from './asof.ts';
import { planModels, selectModels, type PlannedModel } from './dag.ts';
import { mapDuckDbError } from './errors.ts';
import { changedPartitions, fingerprintPartitions, MAX_PARTIAL_PARTITIONS, partitionFilter, recordPartitions } from './partitions.ts';
import { DEFAULT_SQL_DIR, loadModels, sha256 } from './project.ts';
import { ensureStateTables, existingModelTables, readState, sourceFingerprint, writeStateSql, type ModelState } from './state.ts';

export interface RunOptions {
  sqlDir?: string;
  /** `name`, `name+` (and downstream), `+name` (and upstream), or a layer name. */
  select?: string[];
  full?: boolean;
  /** YYYY-MM-DD, `today`, or `data` (default: last day of the latest month in the raw data). */
  asOf?: string;
  referenceDir?: string;
  log?: (line: string) => void;
}

export interface ModelFailure {
  model: string;
  file: string;
  line?: number;
  message: string;
}

export interface RunResult {
  built: string[];
  skipped: { model: string; reason: string }[];
  /** The first model that failed (see `failures` for all). */
  failed?: ModelFailure;
  failures: ModelFailure[];
  asOf: string;
  /** Tables of models whose files were deleted, dropped by this run. */
  dropped: string[];
}

/** Whether a model's object in the warehouse is a table or a view (undefined: there is none). */
async function modelKind(conn: DuckDBConnection, name: string): Promise<'table' | 'view' | undefined> {
  const [row] = await all<{ kind: string }>(conn, `select table_type as kind from information_schema.tables where table_catalog = current_database() and table_schema = 'main' and table_name = ?`, [name]);
  return row ? (row.kind === 'VIEW' ? 'view' : 'table') : undefined;
}

/** The model is wrapped as `create or replace table … as` on its own line: one line of offset. */
const WRAPPER_LINES = 1;

export async function runModels(conn: DuckDBConnection, opts: RunOptions = {}): Promise<RunResult> {
  const log = opts.log ?? (() => {});
  const lap = stopwatch();
  await ensureWarehouseSchema(conn);
  await loadReferenceTables(conn, opts.referenceDir ?? REFERENCE_DIR);
  await ensureStateTables(conn);
  const asOf = await resolveAsOf(conn, opts.asOf);
  await writeRunContext(conn, asOf);
  step(`run context written: as of ${asOf}`);
  lap('schema, reference tables, as-of date');

  const plan = await planModels(conn, loadModels(opts.sqlDir ?? DEFAULT_SQL_DIR));
  const selected = selectModels(plan, opts.select);
  const state = await readState(conn);
  const tables = await existingModelTables(conn);
  lap('planning');
  // A selected model cannot be built from an upstream model that has no table yet: build that too.
  const pulledIn = new Set<string>();
  const pull = (name: string) => {
    for (const d of plan.byName.get(name)!.deps) {
      if (d.kind !== 'model' || selected.has(d.name)) continue;
      if (!tables.has(d.name) || !state.has(d.name)) {
        selected.add(d.name);
        pulledIn.add(d.name);
      }
      pull(d.name);
    }
  };
  for (const name of [...selected]) pull(name);
  const result: RunResult = { built: [], skipped: [], failures: [], asOf, dropped: [] };

  // A deleted model file must not leave its table behind looking current.
  for (const name of state.keys()) {
    if (plan.byName.has(name)) continue;
    const kind = await modelKind(conn, name);
    await conn.run(`begin; ${kind ? `drop ${kind} main."${name}";` : ''} delete from meta.model_state where model = '${name}'; delete from meta.model_partitions where model = '${name}'; commit;`);
    result.dropped.push(name);
    log(`dropped ${name} (its model file is gone)`);
  }

  // Sources some model is partitioned by are fingerprinted per unit-month, in the same read.
  const partitioned = new Set(plan.order.map((m) => m.spec.partitionBy?.source).filter((s): s is string => !!s));
  const fingerprints = new Map<string, string>();
  const fingerprint = async (source: string) => {
    if (!fingerprints.has(source)) {
      lap('skip decisions and run records');
      fingerprints.set(source, partitioned.has(source) ? await fingerprintPartitions(conn, source) : await sourceFingerprint(conn, source));
      lap(`fingerprint of ${source}`);
    }
    return fingerprints.get(source)!;
  };
  /**
   * What each model's current table holds, as a content fingerprint: models downstream are keyed
   * on it, so a rebuild that produces the same rows (a corrected month that changes nothing here,
   * a comment edited) stops the cascade instead of rebuilding everything below it.
   */
  const currentKey = new Map<string, string>();
  /**
   * A partitioned model's key with its partitioned source left out, views read through (their
   * SQL counts, their key does not, since it carries the source's fingerprint).
   */
  const keyWithoutPartitionSource = async (m: PlannedModel): Promise<string> => {
    const source = m.spec.partitionBy!.source;
    await fingerprint(source); // its unit-months are what a partial build compares
    const inputs: unknown[] = [];
    const walk = async (x: PlannedModel) => {
      for (const d of [...x.deps].sort((a, b) => a.name.localeCompare(b.name))) {
        const dm = d.kind === 'model' ? plan.byName.get(d.name)! : undefined;
        if (!dm) inputs.push([d.name, d.name === source ? 'partitioned' : await fingerprint(d.name)]);
        else if (dm.spec.materialized === 'view') {
          inputs.push([d.name, 'view', dm.sqlHash, dm.yamlHash]);
          await walk(dm);
        } else inputs.push([d.name, currentKey.get(d.name) ?? state.get(d.name)?.input_key ?? 'missing']);
      }
    };
    await walk(m);
    return sha256(JSON.stringify([m.sqlHash, m.yamlHash, inputs]));
  };
  const blocked = new Map<string, string>();
  const runId = new Date().toISOString();

  for (const m of plan.order) {
    const depKeys: [string, string][] = [];
    for (const d of [...m.deps].sort((a, b) => a.name.localeCompare(b.name))) {
      depKeys.push([d.name, d.kind === 'source' ? await fingerprint(d.name) : currentKey.get(d.name) ?? state.get(d.name)?.input_key ?? 'missing']);
    }
    const key = sha256(JSON.stringify([m.sqlHash, m.yamlHash, depKeys]));
    const restKey = m.spec.partitionBy ? await keyWithoutPartitionSource(m) : undefined;
    const prev = state.get(m.name);
    if (prev && tables.has(m.name)) currentKey.set(m.name, prev.output_key ?? prev.input_key);
    if (!selected.has(m.name)) continue;

    const upstreamProblem = m.deps.map((d) => blocked.get(d.name) && d.name).find(Boolean);
    if (upstreamProblem) {
      const reason = `not built: upstream ${upstreamProblem} ${blocked.get(upstreamProblem)}`;
      blocked.set(m.name, 'was not built');
      result.skipped.push({ model: m.name, reason });
      log(`skip  ${m.name}: ${reason}`);
      await recordRun(conn, runId, m.name, 'blocked', reason);
      continue;
    }
    const why = pulledIn.has(m.name) ? 'not built yet, needed by the selection' : rebuildReason(m, key, prev, tables.has(m.name), depKeys, opts.full);
    if (!why) {
      const reason = `unchanged since its last successful build at ${prev!.built_at}`;
      result.skipped.push({ model: m.name, reason });
      log(`skip  ${m.name}: ${reason}`);
      continue;
    }
    const started = Date.now();
    let reason = why;
    try {
      const part = m.spec.partitionBy;
      // Only the partitioned source changed since the last build: rebuild its changed unit-months.
      const onlyPartitions = part && !opts.full && !pulledIn.has(m.name) && prev && tables.has(m.name) && prev.sql_hash === m.sqlHash && prev.yaml_hash === m.yamlHash && prev.rest_key === restKey
        ? await changedPartitions(conn, m.name, part.source)
        : undefined;
      const partial = onlyPartitions && onlyPartitions.changed.length <= MAX_PARTIAL_PARTITIONS && onlyPartitions.changed.length * 2 <= onlyPartitions.total ? onlyPartitions.changed : undefined;
      await conn.run('begin transaction');
      step(`transaction opened: ${m.name}`);
      const view = m.spec.materialized === 'view';
      if (part && onlyPartitions && !partial) reason = `data changed in ${part.source}: ${onlyPartitions.changed.length} of ${onlyPartitions.total} unit-months changed, rebuilt whole`;
      if (part && partial) {
        reason = `data changed in ${part.source}: ${partial.length} of ${onlyPartitions!.total} unit-months rebuilt`;
        if (partial.length) {
          const where = partitionFilter(part, partial);
          await conn.run(`delete from main."${m.name}" where ${where}`);
          await conn.run(`insert into main."${m.name}" select * from (\n${m.sql}\n) as partition_rows where ${where}`);
        }
      } else {
        // A model switched between table and view: the object of the other kind goes first.
        const existing = await modelKind(conn, m.name);
        if (existing && existing !== (view ? 'view' : 'table')) await conn.run(`drop ${existing} main."${m.name}"`);
        await conn.run(`create or replace ${view ? 'view' : 'table'} main."${m.name}" as\n${m.sql}\n`);
      }
      if (part) {
        if (!partial) await checkPartitionColumns(conn, m);
        await recordPartitions(conn, m.name, part.source);
      }
      step(`${view ? 'view' : 'table'} written: ${m.name}`);
      const [{ n }] = await all<{ n: number }>(conn, `select count(*) as n from main."${m.name}"`);
      lap(`build of ${m.name}`);
      // A view holds no rows of its own: what it shows changes exactly when its inputs do.
      const output = view ? `view:${key}` : await sourceFingerprint(conn, `main.${m.name}`);
      lap(`fingerprint of ${m.name}`);
      const ms = Date.now() - started;
      await conn.run(writeStateSql({ model: m.name, layer: m.layer, file: m.file, input_key: key, sql_hash: m.sqlHash, yaml_hash: m.yamlHash, built_at: '', duration_ms: ms, row_count: n, inputs: JSON.stringify(depKeys), output_key: output, rest_key: restKey }));
      // The run's record of the build commits with it: one commit per model, not two.
      await recordRun(conn, runId, m.name, 'built', reason, ms, n);
      step(`state recorded: ${m.name}`);
      await conn.run('commit');
      step(`committed: ${m.name}`);
      lap(`commit of ${m.name}`);
      currentKey.set(m.name, output);
      tables.add(m.name);
      result.built.push(m.name);
      log(`built ${m.name} (${reason}; ${n} rows, ${(ms / 1000).toFixed(2)} s)`);
    } catch (e) {
      await conn.run('rollback').catch(() => {});
      const mapped = mapDuckDbError((e as Error).message, WRAPPER_LINES);
      const failure: ModelFailure = (m.parts && (await declarationFailure(conn, m, mapped.line))) || { model: m.name, file: m.file, line: mapped.line, message: mapped.message };
      result.failures.push(failure);
      result.failed ??= failure;
      blocked.set(m.name, 'failed');
      log(`FAIL  ${m.name}: ${m.file}${mapped.line ? `:${mapped.line}` : ''}: ${mapped.message}${tables.has(m.name) ? ' (the previous table is kept)' : ''}`);
      await recordRun(conn, runId, m.name, 'failed', reason, Date.now() - started, undefined, mapped.message);
    }
  }
  return result;
}

/**
 * A generated model failed: the declaration whose piece of SQL fails on its own, so the message
 * names the YAML file and line an analyst edits rather than the generated text.
 */
async function declarationFailure(conn: DuckDBConnection, m: PlannedModel, line?: number): Promise<ModelFailure | undefined> {
  const parts = m.parts ?? [];
  const suspects = line ? parts.filter((p) => line >= p.firstLine && line <= p.lastLine) : parts;
  for (const part of suspects.length ? suspects : parts) {
    try {
      await conn.run(`describe ${part.sql}`);
    } catch (e) {
      return { model: m.name, file: part.file, line: part.line, message: `${part.label}: ${mapDuckDbError((e as Error).message, 0).message}` };
    }
  }
  return undefined;
}

/** A partitioned model's unit and month columns exist, the month a DATE: else its build fails, naming the YAML. */
async function checkPartitionColumns(conn: DuckDBConnection, m: PlannedModel): Promise<void> {
  const part = m.spec.partitionBy!;
  const cols = new Map((await all<{ name: string; type: string }>(conn, `select column_name as name, data_type as type from information_schema.columns where table_catalog = current_database() and table_schema = 'main' and table_name = ?`, [m.name])).map((c) => [c.name.toLowerCase(), c.type]));
  const where = m.yamlFile ?? m.file;
  for (const [key, col] of [['unit', part.unit], ['month', part.month]] as const) {
    if (!cols.has(col.toLowerCase())) throw new Error(`${where}: partition_by: ${key} names the column "${col}", which ${m.name} does not have`);
  }
  const monthType = cols.get(part.month.toLowerCase());
  if (monthType !== 'DATE') throw new Error(`${where}: partition_by: month column "${part.month}" is ${monthType}; it must be a DATE, the first day of the month`);
}

function rebuildReason(m: PlannedModel, key: string, prev: ModelState | undefined, hasTable: boolean, depKeys: [string, string][], full?: boolean): string | undefined {
  if (full) return '--full';
  if (!prev) return 'new model';
  if (!hasTable) return 'table missing';
  if (prev.input_key === key) return undefined;
  if (prev.sql_hash !== m.sqlHash) return 'SQL changed';
  if (prev.yaml_hash !== m.yamlHash) return 'YAML changed';
  let before: Record<string, string> = {};
  try {
    before = Object.fromEntries(JSON.parse(prev.inputs ?? '[]'));
  } catch {
    // A state row from an older layout: the generic reason below still holds.
  }
  const changed = depKeys.filter(([name, k]) => before[name] !== k).map(([name]) => name);
  const models = changed.filter((n) => !n.includes('.'));
  const sources = changed.filter((n) => n.includes('.'));
  const parts = [models.length ? `upstream ${models.join(', ')} rebuilt` : '', sources.length ? `data changed in ${sources.join(', ')}` : ''].filter(Boolean);
  return parts.join('; ') || 'inputs changed';
}

async function recordRun(conn: DuckDBConnection, runId: string, model: string, status: string, reason: string, ms?: number, rows?: number, message?: string) {
  await conn.run(`insert into meta.model_runs values ($1, $2, $3, $4, now()::TIMESTAMP, $5, $6, $7)`, [runId, model, status, reason, ms ?? null, rows ?? null, message ?? null] as never);
}
