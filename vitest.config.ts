import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Folders whose test files need a worker of their own: they stub the environment, check what the process
 * environment holds, or test what a module does on its first import or invocation (test/handlers); the
 * fault, end-to-end and local folders keep theirs too, but for SHARED_SERVERS. (Class mocks of AWS SDK clients
 * are restored in afterAll.)
 */
const ISOLATED_FOLDERS = ['test/handlers', 'test/e2e', 'test/local', 'test/faults'];

/**
 * Files of those folders that need no worker of their own: each starts and stops its own servers, engines,
 * relays and clients; none mocks a module or listens on the process; journey's clock, sdk-timeouts' two
 * credential variables and metrics-flush's SDK class mocks and stdout spy are put back before the file ends.
 * They share the module graph of every other file (project `shared`): a fresh worker re-imported the AWS SDK,
 * twilio and the local server for each. A new file in those folders stays isolated until it is listed here.
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
  'test/handlers/health.test.ts',
  'test/handlers/metrics-flush.test.ts',
  'test/local/admission.test.ts',
  'test/local/npm-start.test.ts',
  'test/local/phone.test.ts',
  'test/local/process-env.test.ts',
  'test/local/twiml-parse.test.ts',
  'test/local/webhook-admission.test.ts',
];

/** The test files of those folders (at any depth) that are not listed in SHARED_SERVERS: a worker each. */
const ISOLATED = ISOLATED_FOLDERS.flatMap((dir) =>
  readdirSync(fileURLToPath(new URL(`${dir}/`, import.meta.url)), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${dir}/${name.split('\\').join('/')}`),
).filter((file) => !SHARED_SERVERS.includes(file));

/**
 * Tests run on Node 24 (the `node` devDependency puts it first on PATH for npm scripts).
 * Every other file shares its worker's module graph with the files before it (`isolate: false`): a fresh
 * worker per file re-imported the AWS SDK, aws-cdk-lib and twilio each time, most of the suite's time.
 * Those files keep no state between files: each makes its own clients, tables and temporary directories.
 * SHARED_SERVERS are among them: in a project of their own they started two more workers that loaded the
 * SDK, twilio and the local server again, and the two queues balanced worse than one (longest first).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'threads',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
