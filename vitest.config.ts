import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on a 2-core CI machine,
    // where much of a test's time is spent waiting on PostgreSQL or loopback HTTP.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
