/** Bench step: writes the stand-in exports (bench/standin.ts) — used while `steward sample` is missing. */
import { parseArgs } from 'node:util';
import { FULL_RANGE, writeStandin } from '../standin.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, scale: { type: 'string', default: '1' }, from: { type: 'string' }, to: { type: 'string' } } });
if (!values.out) throw new Error('usage: standin.ts --out DIR [--scale N] [--from YYYY-MM --to YYYY-MM]');
const counts = await writeStandin(values.out, Number(values.scale), { from: values.from ?? FULL_RANGE.from, to: values.to ?? FULL_RANGE.to }, (l) => console.log(l));
console.log(JSON.stringify(counts));
