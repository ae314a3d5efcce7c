/**
 * Creates the three tables described by `TABLES` in a DynamoDB (the embedded one locally and in tests).
 * On AWS the CDK data stack owns the tables; this exists so local mode and tests build exactly the same
 * key schema and indexes from the same description, instead of a hand-written copy that could drift.
 */
import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type AttributeDefinition, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDef } from './tables.js';

/** Creates every table (PAY_PER_REQUEST, GSIs projecting ALL) and waits until each is ACTIVE. Idempotent. */
export async function createTables(client: DynamoDBClient, names: Record<TableDef['id'], string>): Promise<void> {
  for (const def of TABLES) {
    await createTable(client, def, names[def.id]);
  }
}

async function createTable(client: DynamoDBClient, def: TableDef, name: string): Promise<void> {
  // Every key attribute is a string: the adapters build all keys as strings (`G#…`, `ORG#…`, padded ranks).
  const keyNames = new Set<string>([def.partitionKey, def.sortKey]);
  for (const index of def.indexes) {
    keyNames.add(index.partitionKey);
    if (index.sortKey) keyNames.add(index.sortKey);
  }
  const attributes: AttributeDefinition[] = [...keyNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: [
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          { AttributeName: def.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes:
          def.indexes.length === 0
            ? undefined
            : def.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                  ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
                ],
                Projection: { ProjectionType: 'ALL' as const },
              })),
      }),
    );
  } catch (error) {
    // A second start (or a parallel test worker) finds the table already there: that is the goal reached.
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  await waitActive(client, name);
  if (def.ttlAttribute) await enableTtl(client, name, def.ttlAttribute);
}

/** Polls briefly: embedded DynamoDB is ACTIVE at once, real DynamoDB within seconds. */
async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    if (Date.now() > deadline) throw new Error(`table ${name} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * TTL only saves storage (the code checks expiry itself), and dynalite does not implement
 * UpdateTimeToLive, so an unsupported or repeated call is not an error here.
 */
async function enableTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // Unsupported locally, or already enabled on AWS ("TimeToLive is already enabled"): nothing to do.
    const name = (error as { name?: string }).name;
    if (name !== 'UnknownOperationException' && name !== 'ValidationException') throw error;
  }
}
