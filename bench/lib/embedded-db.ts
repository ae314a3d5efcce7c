/**
 * An embedded DynamoDB (dynalite, in memory) that can be stopped and started again on the same port with
 * its data kept: an outage in the middle of calls, as the fault tests and the bench need it. Closing
 * dynalite itself would close (and so empty) its store, so only its HTTP listener is closed, with every
 * open connection cut, exactly what a client sees when the database goes away.
 */
import { createRequire } from 'node:module';
import { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables } from '../../functions/adapters/dynamodb/create-tables.js';

type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => HttpServer;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface EmbeddedDb {
  endpoint: string;
  client: DynamoDBClient;
  /** A plain document client for setup and checks (no fault middleware). */
  doc: DynamoDBDocumentClient;
  tables: Record<'directory' | 'calls' | 'tickets', string>;
  /** Stops accepting connections and cuts open ones; the data stays. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Clients for `endpoint` and a fresh set of tables on it (unique names); `onError` undoes the engine's start. */
export async function withTables(endpoint: string, onError: () => void): Promise<Pick<EmbeddedDb, 'client' | 'doc' | 'tables'>> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const suffix = randomUUID().slice(0, 8);
  const tables = { directory: `directory-${suffix}`, calls: `calls-${suffix}`, tickets: `tickets-${suffix}` };
  try {
    await createTables(client, tables);
  } catch (error) {
    client.destroy();
    onError();
    throw error;
  }
  return { client, doc, tables };
}

export async function startEmbeddedDb(): Promise<EmbeddedDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      (HttpServer.prototype.listen as (port: number, host: string, cb: () => void) => HttpServer).call(server, port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const { client, doc, tables } = await withTables(endpoint, () => server.close());
  let paused = false;
  return {
    endpoint,
    client,
    doc,
    tables,
    pause: async () => {
      if (paused) return;
      paused = true;
      await new Promise<void>((resolve) => {
        HttpServer.prototype.close.call(server, () => resolve());
        server.closeAllConnections();
      });
    },
    resume: async () => {
      if (!paused) return;
      await listen(port);
      paused = false;
    },
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      if (paused) return;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
