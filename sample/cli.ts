/** `steward sample [--out DIR] [--scale N] [--seed S] [--from YYYY-MM --to YYYY-MM]` */
import { parseArgs } from 'node:util';
import { DEFAULT_RANGE, DEFAULT_SEED, generateSample } from './generate.ts';

export async function sampleCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string', default: 'data/inbox' },
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      from: { type: 'string', default: DEFAULT_RANGE.from },
      to: { type: 'string', default: DEFAULT_RANGE.to },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!Number.isFinite(scale) || scale <= 0) {
    console.error(`steward sample: --scale "${values.scale}" is not a positive number (e.g. 1, 0.1, 10)`);
    return 2;
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    console.error(`steward sample: --seed "${values.seed}" is not a whole number between 0 and 4294967295`);
    return 2;
  }
  const started = performance.now();
  const m = await generateSample({ out: values.out, scale, seed, from: values.from, to: values.to });
  const total = Object.values(m.rows_per_table).reduce((s, n) => s + n, 0);
  console.log(`wrote ${m.files.length} files, ${total.toLocaleString('en')} rows (${m.faults.length} planted faults) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const [t, n] of Object.entries(m.rows_per_table)) console.log(`  ${t.padEnd(18)} ${String(n).padStart(9)} rows  ${String(m.faults_per_table[t] ?? 0).padStart(5)} faults`);
  console.log(`manifest: ${values.out}/_manifest.json`);
  return 0;
}
