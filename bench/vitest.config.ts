// The bench's own unit tests: `npx vitest run --config bench/vitest.config.ts`. No timed assertions.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['bench/**/*.test.ts'], pool: 'forks', maxWorkers: 1 } });
