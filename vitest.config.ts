import { defineConfig } from 'vitest/config';

/**
 * Test files that need a worker of their own: they stub the environment, check what the process
 * environment holds, or test what a module does on its first import or invocation (test/handlers); the
 * fault and end-to-end folders keep theirs too. (Class mocks of AWS SDK clients are restored in afterAll.)
 */
const ISOLATED = ['test/handlers/**', 'test/e2e/**', 'test/local/**', 'test/faults/**'];

/**
 * Tests run on Node 24 (the `node` devDependency puts it first on PATH for npm scripts).
 * Every other file shares its worker's module graph with the files before it (`isolate: false`): a fresh
 * worker per file re-imported the AWS SDK, aws-cdk-lib and twilio each time, most of the suite's time.
 * Those files keep no state between files: each makes its own clients, tables and temporary directories.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'threads',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED.map((dir) => `${dir}/*.test.ts`), isolate: true } },
    ],
  },
});
