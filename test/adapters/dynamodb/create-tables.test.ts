import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTables } from '../../../functions/adapters/dynamodb/create-tables.js';
import { TABLES } from '../../../functions/adapters/dynamodb/tables.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

describe('createTables', () => {
  let dynamo: EmbeddedDynamo;
  beforeAll(async () => {
    dynamo = await startDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  it('creates every table of TABLES with its keys and ALL-projected indexes', async () => {
    for (const def of TABLES) {
      const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: dynamo.tables[def.id] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ]);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema?.map((key) => key.AttributeName),
        projection: index.Projection?.ProjectionType,
      }));
      expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        def.indexes
          .map((index) => ({
            name: index.name,
            keys: [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])],
            projection: 'ALL',
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    }
  });

  it('is idempotent: creating existing tables again succeeds and adds nothing', async () => {
    await createTables(dynamo.client, dynamo.tables);
    // Every page: an engine shared with other test files (DynamoDB Local) may hold more than one page of tables.
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await dynamo.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    expect(names.filter((name) => Object.values(dynamo.tables).includes(name))).toHaveLength(3);
  });
});
