#!/usr/bin/env node
// `npm run bench`: runs the benchmark harness (bench/run.ts) through tsx, like bin/steward.js.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../bench/run.ts');
process.exitCode = await main(process.argv.slice(2));
