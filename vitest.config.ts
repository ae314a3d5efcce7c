import { defineConfig } from 'vitest/config';

/** Tests run on Node 24 (the `node` devDependency puts it first on PATH for npm scripts). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'threads',
    maxWorkers: 2,
  },
});
