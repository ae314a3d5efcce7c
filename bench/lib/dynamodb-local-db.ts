/** DynamoDB Local as the bench's database (the same shape as the embedded dynalite; it cannot be paused). */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables } from '../../functions/adapters/dynamodb/create-tables.js';
import { startDynamoDbLocal } from '../../scripts/lib/dynamodb-local.js';
import type { EmbeddedDb } from './embedded-db.js';

export async function startDynamoDbLocalDb(): Promise<EmbeddedDb> {
  const engine = await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const suffix = randomUUID().slice(0, 8);
  const tables = { directory: `directory-${suffix}`, calls: `calls-${suffix}`, tickets: `tickets-${suffix}` };
  try {
    await createTables(client, tables);
  } catch (error) {
    client.destroy();
    engine.stop();
    throw error;
  }
  const unsupported = async () => {
    throw new Error('the bench cannot pause DynamoDB Local (the fault runs use the embedded dynalite)');
  };
  return {
    endpoint: engine.endpoint,
    client,
    doc,
    tables,
    pause: unsupported,
    resume: unsupported,
    stop: async () => {
      client.destroy();
      engine.stop();
    },
  };
}
