/**
 * An embedded DynamoDB (dynalite, in memory, in this process) with the project's tables, for tests:
 * adapters are tested against a real DynamoDB API instead of mocks, so key design, conditions and
 * pagination are exercised for real. Each call gets unique table names, so tests may share a server
 * or run in parallel without seeing each other's items.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables } from '../../functions/adapters/dynamodb/create-tables.js';

/** dynalite ships no types; this is the one call we make. */
type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tables: Record<'directory' | 'calls' | 'tickets', string>;
  stop(): Promise<void>;
}

export async function startDynamo(): Promise<EmbeddedDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const suffix = randomUUID().slice(0, 8);
  const tables = {
    directory: `directory-${suffix}`,
    calls: `calls-${suffix}`,
    tickets: `tickets-${suffix}`,
  };
  try {
    await createTables(client, tables);
  } catch (error) {
    client.destroy();
    server.close();
    throw error;
  }
  return {
    endpoint,
    client,
    doc,
    tables,
    async stop() {
      client.destroy();
      // Keep-alive sockets would hold close() open; the SDK's are gone with destroy(), others are ended here.
      server.closeAllConnections?.();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
