/**
 * The DynamoDB that DynamoDB-backed tests run against, with the project's tables: adapters are tested
 * against a real DynamoDB API instead of mocks, so key design, conditions and pagination are exercised
 * for real. Each call gets unique table names, so tests may share a server or run in parallel without
 * seeing each other's items.
 *
 * - By default an embedded dynalite in this process (bench/lib/embedded-db.ts, shared with the benchmark).
 * - With `TEST_DYNAMODB_ENDPOINT` set, that endpoint (DynamoDB Local, a container, a real table
 *   account): the tests reach it through a TCP relay of their own, so `pause()` / `resume()` cut and
 *   restore the connection without stopping an engine other tests share, and `stop()` deletes the
 *   tables the test created.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedDb, type EmbeddedDb } from '../../bench/lib/embedded-db.js';
import { createTables } from '../../functions/adapters/dynamodb/create-tables.js';
import { startTcpRelay } from './tcp-relay.js';

export type EmbeddedDynamo = EmbeddedDb;

/** The endpoint every DynamoDB-backed test uses instead of dynalite, when set. */
export const externalDynamoEndpoint = (): string | undefined => process.env.TEST_DYNAMODB_ENDPOINT || undefined;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function startDynamo(): Promise<EmbeddedDynamo> {
  const external = externalDynamoEndpoint();
  return external ? startOnEndpoint(external) : startEmbeddedDb();
}

/** Unique table names, so test files sharing one engine never see each other's items. */
export function uniqueTables(): EmbeddedDynamo['tables'] {
  const suffix = randomUUID().slice(0, 8);
  return { directory: `directory-${suffix}`, calls: `calls-${suffix}`, tickets: `tickets-${suffix}` };
}

async function startOnEndpoint(target: string): Promise<EmbeddedDynamo> {
  const relay = await startTcpRelay(target);
  const region = process.env.AWS_REGION || 'us-east-1';
  const client = new DynamoDBClient({ endpoint: relay.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tables = uniqueTables();
  const dropTables = async () => {
    // Straight to the engine: the relay may be paused when a test ends.
    const admin = new DynamoDBClient({ endpoint: target, region, credentials: LOCAL_CREDENTIALS });
    await Promise.allSettled(Object.values(tables).map((TableName) => admin.send(new DeleteTableCommand({ TableName }))));
    admin.destroy();
  };
  try {
    await createTables(client, tables);
  } catch (error) {
    await dropTables();
    client.destroy();
    await relay.close();
    throw error;
  }
  return {
    endpoint: relay.endpoint,
    client,
    doc,
    tables,
    pause: () => relay.refuse(),
    resume: () => relay.pass(),
    stop: async () => {
      client.destroy();
      await relay.close();
      await dropTables();
    },
  };
}

/**
 * A fixed clock for tests that write items with a TTL: a whole minute 30 days after the real clock.
 * DynamoDB Local (and DynamoDB) sweep items whose TTL the real clock has passed, so a fixed date in the
 * past would have a test's items deleted under it; the TTL in the items must lie in the future.
 */
export function ttlSafeNow(): number {
  return Math.floor(Date.now() / 60_000) * 60_000 + 30 * 86_400_000;
}
