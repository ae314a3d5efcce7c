import { defineConfig } from 'vitest/config';

/**
 * Test files that need a worker of their own: they stub the environment or mock AWS SDK client classes
 * for the whole thread, start the local server (which sets process.env for its handlers), or test what a
 * module does on its first import or invocation. (test/app's harnesses mock the SNS and SES classes too,
 * but restore them when they stop, in each file's afterAll.)
 */
const ISOLATED = ['test/handlers/**', 'test/e2e/**', 'test/local/**', 'test/faults/**', 'test/replay/**', 'test/fuzz/**', 'test/abuse/**'];

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
