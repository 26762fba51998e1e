/**
 * Killing a steward process at random moments (SIGKILL: no cleanup, no finally blocks) and
 * checking after each kill that the warehouse opens, the ledger invariant holds, and running the
 * same command again ends exactly where an uninterrupted run ends.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { all, openWarehouse } from '../../warehouse/db.ts';
import { STACK, invariantViolations, snapshot, steward, stewardAsync } from './warehouse-state.ts';

/** mulberry32: the kill moments are the same on every run of a given seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 ? v : fallback;
};

export function copyWarehouse(from: string, to: string): void {
  for (const f of [to, `${to}.wal`]) rmSync(f, { force: true });
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
}

async function count(db: string, sql: string): Promise<number> {
  const w = await openWarehouse(db, { readOnly: true, waitMs: 0 });
  try {
    const [r] = await all<{ n: number }>(w.conn, sql);
    return r.n;
  } finally {
    w.close();
  }
}

export interface KillPlan {
  label: string;
  /** Warehouse every round starts from (closed, so fully written). */
  base: string;
  /** Scratch path for the round's warehouse. */
  db: string;
  args: (db: string) => string[];
  /** What an uninterrupted run leaves: snapshot and exit code. */
  expected: { snapshot: Record<string, string>; status: number; ms: number };
  /** Counts progress after a kill (files in the ledger, models built). */
  progress: { sql: string; total: number; unit: string };
  models?: string[];
  rounds: number;
  seed: number;
}

/** Runs the rounds; returns one line per round for the test output. */
export async function killRounds(p: KillPlan): Promise<string[]> {
  const rand = seeded(p.seed);
  const before = await count(p.base, p.progress.sql);
  const lines: string[] = [];
  for (let round = 1; round <= p.rounds; round++) {
    copyWarehouse(p.base, p.db);
    // Every third round anywhere in the run (start-up writes reference tables too); the others
    // in its second part, where the data is written, up to 10% past its end so some finish first.
    const from = round % 3 === 1 ? 0 : 0.35;
    const delay = Math.round((from + rand() * (1.1 - from)) * p.expected.ms);
    const { child, done } = stewardAsync(p.args(p.db));
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    const r = await done;
    clearTimeout(timer);
    const killed = r.signal === 'SIGKILL';
    if (!killed) expect(r.code, r.stdout + r.stderr).toBe(p.expected.status);

    // The next command opens the warehouse as any command would (replaying DuckDB's WAL).
    const opened = await openWarehouse(p.db, { waitMs: 0 });
    opened.close();
    const violations = await invariantViolations(p.db);
    expect(violations, `${p.label} round ${round}, killed at ${delay} ms`).toEqual([]);
    const done1 = (await count(p.db, p.progress.sql)) - before;

    const again = steward(p.args(p.db));
    expect(again.stdout + again.stderr).not.toMatch(STACK);
    expect(again.status, again.stdout + again.stderr).toBe(p.expected.status);
    expect(await invariantViolations(p.db)).toEqual([]);
    expect(await snapshot(p.db, { models: p.models }), `${p.label} round ${round}: re-run after a kill at ${delay} ms`).toEqual(p.expected.snapshot);
    lines.push(`${p.label} round ${String(round).padStart(2)}: ${killed ? `killed at ${String(delay).padStart(4)} ms after ${done1}/${p.progress.total} ${p.progress.unit} committed` : `finished before the kill at ${delay} ms`}; opened, invariant held, re-run identical`);
  }
  return lines;
}
