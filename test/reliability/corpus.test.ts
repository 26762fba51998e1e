/**
 * Every file of the bad-input corpus, loaded by the real command into a copy of a warehouse that
 * already holds data: it is refused (or the command stops) with a message naming the file — and
 * the row and column where there is one — with no stack trace, and the warehouse is unchanged; or
 * the broken rows are quarantined by row and column and every other row is accounted for.
 */
import { copyFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type CorpusCase } from '../corpus/corpus.ts';
import { all, openWarehouse } from '../../warehouse/db.ts';
import { scratch, type Scratch } from '../helpers/warehouse.ts';
import { STACK, invariantViolations, snapshot, steward } from './warehouse-state.ts';

let s: Scratch;
let cases: CorpusCase[] = [];
let base: string;
let baseSnapshot: Record<string, string>;
const outcomes: string[] = [];

// The corpus is generated before the tests are declared, so each case is its own test.
const corpusDir = scratch();
cases = await buildCorpus(corpusDir.dir);

beforeAll(async () => {
  s = scratch();
  base = join(s.dir, 'base.duckdb');
  const existing = s.file('base/vehicles/register.csv', '车牌号,单位,车型,能源类型\n浙Z001,西湖区,轿车,纯电\n浙Z002,西湖区,中巴,柴油\n');
  const r = steward(['load', existing, '--db', base, '--quiet']);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  baseSnapshot = await snapshot(base);
});

afterAll(() => {
  const bytes = cases.reduce((n, c) => n + c.files.reduce((m, f) => m + (f.startsWith('/dev/') ? 0 : statSync(join(corpusDir.dir, f)).size), 0), 0);
  console.log(`bad-input corpus: ${cases.length} cases, ${(bytes / (1 << 20)).toFixed(1)} MB generated\n${outcomes.map((o) => '  ' + o).join('\n')}`);
  s?.dispose();
  corpusDir.dispose();
});

const file = (rel: string) => (isAbsolute(rel) ? rel : join(corpusDir.dir, rel));

describe('bad-input corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const db = join(s.dir, `case-${cases.indexOf(c)}.duckdb`);
    copyFileSync(base, db);
    const args = (c.args ?? []).map((a) => a.replace('{dir}', corpusDir.dir));
    const started = performance.now();
    const r = steward(['load', ...c.files.map(file), '--db', db, ...args]);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const out = r.stdout + r.stderr;
    expect(r.signal, `killed after ${secs} s (hung?)`).toBeNull();
    expect(out).not.toMatch(STACK);
    const o = c.outcome;

    if (o.kind === 'refused' || o.kind === 'error') {
      expect(r.status, out).not.toBe(0);
      if (o.kind === 'refused') expect(r.stdout).toMatch(new RegExp(`✗ .*${o.message.source}`));
      else expect(r.stderr).toMatch(new RegExp(`^steward load: .*${o.message.source}`));
      // Nothing written: the same rows, quarantine and ledger as before the command.
      expect(await snapshot(db)).toEqual(baseSnapshot);
      const line = (o.kind === 'refused' ? r.stdout.split('\n').find((l) => l.includes('✗')) : r.stderr.split('\n')[0]) ?? '';
      outcomes.push(`${o.kind.padEnd(11)} ${c.name} (${secs} s): ${line.replace(/^.*?: /, '').slice(0, 110)}`);
      return;
    }

    expect(r.status, out).toBe(0);
    expect(await invariantViolations(db)).toEqual([]);
    const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
    try {
      const [entry] = await all<{ file_id: number; table_name: string; rows_loaded: number; rows_quarantined: number; path: string }>(w.conn,
        `select file_id, table_name, rows_loaded, rows_quarantined, path from meta.load_ledger order by file_id desc limit 1`);
      expect(entry.path.endsWith(c.files[0].split('/').pop()!), entry.path).toBe(true);
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
        if (o.check) expect(await all(w.conn, o.check.sql.replaceAll('{file}', String(entry.file_id)))).toEqual(o.check.expect);
      }
      // The rows that were there before are all still there.
      const [kept] = await all<{ n: number }>(w.conn, `select count(*) as n from raw.vehicles where vehicle_id like '浙Z%'`);
      expect(kept.n).toBe(2);
      const detail = o.kind === 'quarantined' ? quarantined.map((q) => `row ${q.row} ${q.column}: ${q.reason.slice(0, 60)}`).join('; ') : '';
      outcomes.push(`${o.kind.padEnd(11)} ${c.name} (${secs} s): ${entry.rows_loaded} loaded, ${entry.rows_quarantined} quarantined${detail ? ` — ${detail}` : ''}`);
    } finally {
      w.close();
    }
  });
});
