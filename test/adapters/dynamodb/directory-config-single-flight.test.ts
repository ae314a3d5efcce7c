/**
 * A cold instance (a fresh local server, a Lambda after a deploy) gets its first requests all at once:
 * their `config()` calls must share one read of the generation pointer and one query of the config,
 * counted on the wire (every attempt the SDK sends, by SDK middleware), not per call.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDirectory, loadDirectory } from '../../../functions/adapters/dynamodb/directory.js';
import { validateSupportData } from '../../../functions/data/validate.js';
import { startDynamo, uniqueTables, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { createTables } from '../../../functions/adapters/dynamodb/create-tables.js';

function fixture() {
  const result = validateSupportData(JSON.parse(readFileSync(new URL('../../data/fixtures/valid-small.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.data;
}

/** A client of its own whose every attempt on the wire is counted by command name. */
function countingClient(endpoint: string): { client: DynamoDBClient; sent: Map<string, number> } {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const sent = new Map<string, number>();
  // The deserialize step runs once per attempt (inside the retry middleware): a retried read counts twice.
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName);
      sent.set(name, (sent.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'deserialize', name: 'countAttempts' },
  );
  return { client, sent };
}

describe('DynamoDirectory.config() on a cold instance', () => {
  let dynamo: EmbeddedDynamo;
  let table: string;

  beforeAll(async () => {
    dynamo = await startDynamo();
    table = uniqueTables().directory;
    await createTables(dynamo.client, { ...dynamo.tables, directory: table });
    await loadDirectory(dynamo.doc, table, fixture());
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  it('100 concurrent first calls send one pointer read and one config query, and all get the same config', async () => {
    const { client, sent } = countingClient(dynamo.endpoint);
    try {
      const directory = new DynamoDirectory(client, table);
      const configs = await Promise.all(Array.from({ length: 100 }, () => directory.config()));
      expect(new Set(configs).size).toBe(1);
      expect(configs[0]!.lines).toHaveLength(fixture().lines.length);
      expect(Object.fromEntries(sent)).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
      // Warm: later calls are answered from memory.
      await Promise.all(Array.from({ length: 100 }, () => directory.config()));
      expect(Object.fromEntries(sent)).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
    } finally {
      client.destroy();
    }
  });

  it('calls that arrive while the pointer is being read join that read and the one config query after it', async () => {
    const { client, sent } = countingClient(dynamo.endpoint);
    try {
      const directory = new DynamoDirectory(client, table);
      const first = directory.config();
      // Arrivals spread over the pointer read and the config query, each a macrotask apart.
      const later: Array<Promise<unknown>> = [];
      for (let i = 0; i < 50; i++) {
        later.push(directory.config());
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all([first, ...later]);
      expect(Object.fromEntries(sent)).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
    } finally {
      client.destroy();
    }
  });
});
