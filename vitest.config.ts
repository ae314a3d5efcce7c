import { defineConfig } from 'vitest/config';

/**
 * Test files that need a worker of their own: they stub the environment, check what the process
 * environment holds, or test what a module does on its first import or invocation (test/handlers); the
 * fault, end-to-end and local folders keep theirs too, but for SHARED_SERVERS. (Class mocks of AWS SDK clients
 * are restored in afterAll.)
 */
const ISOLATED = ['test/handlers/**', 'test/e2e/**', 'test/local/**', 'test/faults/**'];

/**
 * Files of those folders that need no worker of their own: each starts and stops its own servers, engines,
 * relays and clients; none mocks a module or an SDK client class or listens on the process; journey's clock
 * and sdk-timeouts' two credential variables are put back before the file ends. They share one module graph
 * among themselves (their own project, not the files above): a fresh worker re-imported the AWS SDK, twilio
 * and the local server for each. A new file in those folders stays isolated until it is listed here.
 */
const SHARED_SERVERS = [
  'test/e2e/agents.test.ts',
  'test/e2e/board.test.ts',
  'test/e2e/caller.test.ts',
  'test/e2e/journey.test.ts',
  'test/faults/dynamo-outage.test.ts',
  'test/faults/hang-budget.test.ts',
  'test/faults/local-spool.test.ts',
  'test/faults/matrix.test.ts',
  'test/faults/notice-queue.test.ts',
  'test/faults/outbox-full.test.ts',
  'test/faults/sdk-timeouts.test.ts',
  'test/local/npm-start.test.ts',
  'test/local/phone.test.ts',
  'test/local/twiml-parse.test.ts',
];

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
      { extends: true, test: { name: 'servers', include: SHARED_SERVERS, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED.map((dir) => `${dir}/*.test.ts`), exclude: SHARED_SERVERS, isolate: true } },
    ],
  },
});
