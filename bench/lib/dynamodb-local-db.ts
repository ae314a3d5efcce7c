/** DynamoDB Local as the bench's database (the same shape as the embedded dynalite; it cannot be paused). */
import { startDynamoDbLocal } from '../../scripts/lib/dynamodb-local.js';
import { withTables, type EmbeddedDb } from './embedded-db.js';

export async function startDynamoDbLocalDb(): Promise<EmbeddedDb> {
  const engine = await startDynamoDbLocal();
  const { client, doc, tables } = await withTables(engine.endpoint, () => engine.stop());
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
