#!/usr/bin/env node
// The steward command runs the TypeScript sources directly through tsx, so there is no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../cli/steward.ts');
process.exitCode = await main(process.argv.slice(2));
