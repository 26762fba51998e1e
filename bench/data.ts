/**
 * Where the benchmark's exports come from. One function, `ensureExports`, writes (or reuses) an
 * inbox for a scale, seed and month range outside the repository. It runs the project's own
 * generator, `steward sample --scale N`, when sample/cli.ts exists, and otherwise the clearly
 * labelled stand-in of bench/standin.ts. A finished inbox carries `_bench.json`, so a second run
 * with the same options reuses it (and says so).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMeasured, runTsStep, type StepResult } from './measure.ts';
import type { MonthRange } from './standin.ts';

export type Generator = 'steward sample' | 'stand-in (bench/standin.ts)';

export interface ExportSpec {
  scale: number;
  seed?: string;
  range?: MonthRange;
}

export interface Exports {
  inbox: string;
  generator: Generator;
  reused: boolean;
  /** The generation step, when it ran in this invocation. */
  step?: StepResult;
}

export function sampleGeneratorAvailable(): boolean {
  return existsSync(resolve('sample/cli.ts'));
}

/** Folder name for a spec, so different scales, seeds and ranges never share an inbox. */
export function exportsKey(spec: ExportSpec, generator: Generator): string {
  const g = generator === 'steward sample' ? 'sample' : 'standin';
  const r = spec.range ? `-${spec.range.from}-${spec.range.to}` : '';
  return `${g}-s${spec.scale}${spec.seed ? `-seed${spec.seed}` : ''}${r}`;
}

export async function ensureExports(root: string, spec: ExportSpec, log: (s: string) => void): Promise<Exports> {
  const generator: Generator = sampleGeneratorAvailable() ? 'steward sample' : 'stand-in (bench/standin.ts)';
  const dir = join(root, exportsKey(spec, generator));
  const inbox = join(dir, 'inbox');
  const marker = join(dir, '_bench.json');
  const wanted = JSON.stringify({ generator, ...spec });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return { inbox, generator, reused: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let step: StepResult;
  if (generator === 'steward sample') {
    const args = ['bin/steward.js', 'sample', '--out', inbox, '--scale', String(spec.scale)];
    if (spec.seed) args.push('--seed', spec.seed);
    if (spec.range) args.push('--from', spec.range.from, '--to', spec.range.to);
    step = await runMeasured(process.execPath, args, { onLine: (l) => log(`  ${l}`) });
  } else {
    const args = ['--out', inbox, '--scale', String(spec.scale)];
    if (spec.range) args.push('--from', spec.range.from, '--to', spec.range.to);
    step = await runTsStep('bench/steps/standin.ts', args, { onLine: (l) => log(`  ${l}`) });
  }
  if (step.code !== 0) throw new Error(`generating the exports failed (${generator}):\n${step.stderr.trim().split('\n').slice(-8).join('\n')}`);
  writeFileSync(marker, wanted);
  return { inbox, generator, reused: false, step };
}
