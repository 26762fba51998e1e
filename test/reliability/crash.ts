/**
 * Killing a steward process (SIGKILL: no cleanup, no finally blocks) at chosen steps of its work
 * and checking after each kill that the warehouse opens, the ledger invariant holds, and running
 * the same command again ends exactly where an uninterrupted run ends.
 *
 * The kill points are steps the command reports (warehouse/events.ts: a batch's transaction
 * opened, its rows written, a model's table written, a commit), picked by a seeded random draw
 * spread over the whole run, so every round kills where it was meant to however busy the machine
 * is. Odd rounds hold the process at the step and kill it there, exactly between two statements;
 * even rounds kill it as soon as the step is reported, while it is already inside the next
 * statement (a write, a commit, the checkpoint at close).
 */
import type { SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { all, openWarehouse } from '../../warehouse/db.ts';
import { linesOf, waitFor } from '../helpers/wait.ts';
import { STACK, invariantViolations, snapshot, steward, stewardAsync } from './warehouse-state.ts';

/** mulberry32: the kill points are the same on every run of a given seed. */
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
  /** What an uninterrupted run leaves (snapshot and exit code) and the steps it reports. */
  expected: { snapshot: Record<string, string>; status: number; steps: string[] };
  /** Counts progress after a kill (files in the ledger, models built). */
  progress: { sql: string; total: number; unit: string };
  models?: string[];
  rounds: number;
  seed: number;
}

/**
 * The uninterrupted run every round is compared with: the command on a copy of `base` at
 * `reference`, with the steps it reports, in order (the rounds pick their kill points among them).
 */
export function uninterrupted(base: string, reference: string, args: (db: string) => string[]): { run: SpawnSyncReturns<string>; steps: string[] } {
  const events = `${reference}.events`;
  copyWarehouse(base, reference);
  rmSync(events, { force: true });
  const run = steward(args(reference), { env: { STEWARD_TEST_EVENTS: events } });
  expect(run.signal, run.stdout + run.stderr).toBeNull();
  return { run, steps: linesOf(events) };
}

/** Runs the rounds; returns one line per round for the test output. */
export async function killRounds(p: KillPlan): Promise<string[]> {
  const rand = seeded(p.seed);
  const before = await count(p.base, p.progress.sql);
  const { steps } = p.expected;
  expect(steps.length, `${p.label}: the steps an uninterrupted run reports`).toBeGreaterThanOrEqual(p.rounds);
  const lines: string[] = [];
  for (let round = 1; round <= p.rounds; round++) {
    copyWarehouse(p.base, p.db);
    // One step from each of `rounds` equal stretches of the run, so the kills cover all of it.
    const at = 1 + Math.floor(((round - 1 + rand()) * steps.length) / p.rounds);
    const hold = round % 2 === 1;
    const events = `${p.db}.events`;
    rmSync(events, { force: true });
    const { child, done, exited } = stewardAsync(p.args(p.db), { STEWARD_TEST_EVENTS: events, ...(hold ? { STEWARD_TEST_PAUSE_AT: String(at) } : {}) });
    try {
      await waitFor(() => exited() || linesOf(events).length >= at, `${p.label} round ${round} to reach step ${at} (${steps[at - 1]})`);
    } finally {
      child.kill('SIGKILL');
    }
    const r = await done;
    const killed = r.signal === 'SIGKILL';
    if (!killed) expect(r.code, r.stdout + r.stderr).toBe(p.expected.status);
    const where = `step ${at}/${steps.length} (${steps[at - 1]})`;
    expect(linesOf(events).slice(0, at), `${p.label} round ${round}: the steps up to ${where}`).toEqual(steps.slice(0, at));

    // The next command opens the warehouse as any command would (replaying DuckDB's WAL).
    const opened = await openWarehouse(p.db, { waitMs: 0 });
    opened.close();
    const violations = await invariantViolations(p.db);
    expect(violations, `${p.label} round ${round}, killed at ${where}`).toEqual([]);
    const done1 = (await count(p.db, p.progress.sql)) - before;

    const again = steward(p.args(p.db));
    expect(again.stdout + again.stderr).not.toMatch(STACK);
    expect(again.status, again.stdout + again.stderr).toBe(p.expected.status);
    expect(await invariantViolations(p.db)).toEqual([]);
    expect(await snapshot(p.db, { models: p.models }), `${p.label} round ${round}: re-run after a kill at ${where}`).toEqual(p.expected.snapshot);
    const how = hold ? 'held and killed at' : 'killed just after';
    lines.push(`${p.label} round ${String(round).padStart(2)}: ${killed ? `${how} ${where}, ${done1}/${p.progress.total} ${p.progress.unit} committed` : `finished before the kill after ${where}`}; opened, invariant held, re-run identical`);
  }
  return lines;
}
