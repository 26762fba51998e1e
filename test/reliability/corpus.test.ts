/**
 * Every file of the bad-input corpus, loaded by the real command into a copy of a warehouse that
 * already holds data: it is refused (or the command stops) with a message naming the file — and
 * the row and column where there is one — with no stack trace, and the warehouse is unchanged; or
 * the broken rows are quarantined by row and column and every other row is accounted for. In
 * every case, what was loaded before the command is unchanged (by content hash), unless the case
 * names what it replaces.
 */
import { HANG_MS } from '../helpers/wait.ts';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type CorpusCase } from '../corpus/corpus.ts';
import { all, openWarehouse } from '../../warehouse/db.ts';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { ROOT, STACK, invariantViolations, snapshot, steward } from './warehouse-state.ts';

let s: Scratch;
let cases: CorpusCase[] = [];
let base: string;
const outcomes: string[] = [];
const tally = { refused: 0, loaded: 0, unchanged: 0, declared: 0 };

// The corpus is generated before the tests are declared, so each case is its own test.
const corpusDir = scratch();
cases = await buildCorpus(corpusDir.dir);

beforeAll(async () => {
  s = scratch();
  base = join(s.dir, 'base.duckdb');
  const existing = s.file('base/vehicles/register.csv', '车牌号,单位,车型,能源类型\n浙Z001,西湖区,轿车,纯电\n浙Z002,西湖区,中巴,柴油\n');
  const r = steward(['load', existing, '--db', base, '--quiet']);
  expect(r.status, r.stdout + r.stderr).toBe(0);
});

afterAll(() => {
  const bytes = cases.reduce((n, c) => n + c.files.reduce((m, f) => m + (f.startsWith('/dev/') ? 0 : lstatSync(join(corpusDir.dir, f), { throwIfNoEntry: false })?.size ?? 0), 0), 0);
  console.log(`bad-input corpus: ${cases.length} cases tried, ${tally.refused} refused cleanly, ${tally.loaded} loaded; the data loaded before them unchanged in ${tally.unchanged} of ${cases.length}`
    + ` (${tally.declared} of those changing only the unit-months they replace or restore, as declared); ${(bytes / (1 << 20)).toFixed(1)} MB generated\n${outcomes.map((o) => '  ' + o).join('\n')}`);
  s?.dispose();
  corpusDir.dispose();
});

const file = (rel: string) => (isAbsolute(rel) ? rel : join(corpusDir.dir, rel));

const BIN = join(ROOT, 'bin', 'steward.js');

/** Runs the case's command as a clerk would: whole, with its output cut off, or on a disk that fills. */
async function run(c: CorpusCase, args: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  if (c.fileSizeLimitKb) {
    // A file-size limit makes a write past it fail as a full disk does (EFBIG instead of ENOSPC).
    return spawnSync('bash', ['-c', 'trap "" XFSZ; ulimit -f "$0"; exec "$@"', String(c.fileSizeLimitKb), process.execPath, BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  }
  if (!c.readLines) return steward(args);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    if (child.stdout.destroyed) return;
    stdout += b;
    if (stdout.split('\n').length > c.readLines!) child.stdout.destroy(); // `| head -N` exits
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b));
  // Only a hang is cut short: HANG_MS is far beyond any case on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  clearTimeout(timer);
  return { status, signal, stdout, stderr };
}

async function lastFileId(db: string): Promise<number> {
  const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
  try {
    return Number((await all<{ n: number }>(w.conn, 'select coalesce(max(file_id), 0) as n from meta.load_ledger'))[0].n);
  } finally {
    w.close();
  }
}

describe('bad-input corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const db = join(s.dir, c.db ?? `case-${cases.indexOf(c)}.duckdb`);
    copyFileSync(base, db);
    const dirArg = (a: string) => a.replace('{dir}', corpusDir.dir);
    for (const step of c.before ?? []) {
      const b = steward([...step.map(dirArg), '--db', db, '--quiet']);
      expect(b.status, b.stdout + b.stderr).toBe(0);
    }
    const before = await lastFileId(db);
    const pre = await snapshot(db);
    const preFiles = await snapshot(db, { upToFile: before });
    const args = (c.args ?? []).map(dirArg);
    const started = performance.now();
    const r = await run(c, [c.command ?? 'load', ...c.files.map(file), '--db', db, ...args]);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const out = r.stdout + r.stderr;
    expect(r.signal, `killed after ${secs} s (hung?)`).toBeNull();
    expect(out).not.toMatch(STACK);
    const o = c.outcome;

    if (o.kind === 'refused' || o.kind === 'error') {
      expect(r.status, out).not.toBe(0);
      if (o.kind === 'refused') expect(r.stdout).toMatch(new RegExp(`✗ .*${o.message.source}`));
      else expect(r.stderr).toMatch(new RegExp(`^steward ${c.command ?? 'load'}: .*${o.message.source}`, 'm'));
      // Nothing written: the same rows, quarantine and ledger as before the command.
      expect(await snapshot(db)).toEqual(pre);
      tally.refused++;
      tally.unchanged++;
      const line = (o.kind === 'refused' ? r.stdout.split('\n').find((l) => l.includes('✗')) : r.stderr.split('\n')[0]) ?? '';
      outcomes.push(`${o.kind.padEnd(11)} ${c.name} (${secs} s): ${line.replace(/^.*?: /, '').slice(0, 110)}`);
      return;
    }

    // A file that loads no row at all exits 1 (the summary says so); one that loads rows exits 0.
    expect(r.status, out).toBe(o.kind === 'state' ? (o.status ?? 0) : o.loaded > 0 ? 0 : 1);
    expect(await invariantViolations(db)).toEqual([]);
    // What was loaded before is untouched, but for what the case says it replaces.
    const after = await snapshot(db, { upToFile: before });
    for (const k of c.changes ?? []) delete after[k], delete preFiles[k];
    expect(after).toEqual(preFiles);
    tally.unchanged++;
    if (c.changes?.length) tally.declared++;
    const output = o.kind === 'state' ? o.output : c.output;
    if (output) expect(out).toMatch(output);
    const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
    try {
      // The rows that were there before are all still there.
      const [kept] = await all<{ n: number }>(w.conn, `select count(*) as n from raw.vehicles where vehicle_id in ('浙Z001', '浙Z002')`);
      expect(kept.n).toBe(2);
      if (o.kind === 'state') {
        if (o.check) expect(await all(w.conn, o.check.sql.replaceAll('{before}', String(before)))).toEqual(o.check.expect);
        tally.loaded++;
        outcomes.push(`${o.kind.padEnd(11)} ${c.name} (${secs} s): exit ${r.status}; ${(out.split('\n').find((l) => l.trim()) ?? '').slice(0, 100)}`);
        return;
      }
      const name = c.entry ?? c.files[0].split('/').pop()!;
      const [entry] = await all<{ file_id: number; table_name: string; rows_loaded: number; rows_quarantined: number; path: string }>(w.conn,
        `select file_id, table_name, rows_loaded, rows_quarantined, path from meta.load_ledger where file_id > ? and ends_with(path, ?) order by file_id desc limit 1`, [before, name]);
      expect(entry, `a ledger entry for ${name}`).toBeDefined();
      expect(entry.table_name).toBe(o.table);
      expect(entry.rows_loaded).toBe(o.loaded);
      const quarantined = await all<{ row: number; column: string; reason: string; path: string }>(w.conn,
        `select "row", "column", reason, path from meta.quarantine where file_id = ? order by "row"`, [entry.file_id]);
      if (o.kind === 'quarantined') {
        expect(quarantined.map((q) => [q.row, q.column])).toEqual(o.quarantined.map((q) => [q.row, q.column]));
        o.quarantined.forEach((q, i) => expect(quarantined[i].reason).toMatch(q.reason));
        expect(quarantined.every((q) => q.path === entry.path)).toBe(true);
      } else {
        expect(quarantined).toEqual([]);
        if (o.check) expect(await all(w.conn, o.check.sql.replaceAll('{file}', String(entry.file_id)).replaceAll('{before}', String(before)))).toEqual(o.check.expect);
      }
      tally.loaded++;
      const detail = o.kind === 'quarantined' ? quarantined.map((q) => `row ${q.row} ${q.column}: ${q.reason.slice(0, 60)}`).join('; ') : '';
      outcomes.push(`${o.kind.padEnd(11)} ${c.name} (${secs} s): ${entry.rows_loaded} loaded, ${entry.rows_quarantined} quarantined${detail ? ` — ${detail}` : ''}`);
    } finally {
      w.close();
    }
  });
});
