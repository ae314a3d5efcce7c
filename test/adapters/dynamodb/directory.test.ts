import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDirectory, loadDirectory } from '../../../functions/adapters/dynamodb/directory.js';
import { mapDynamoError } from '../../../functions/adapters/dynamodb/errors.js';
import { verifyPin } from '../../../functions/adapters/crypto/pin-hash.js';
import { StoreUnavailableError } from '../../../functions/domain/errors.js';
import type { SupportData } from '../../../functions/domain/model.js';
import { validateSupportData } from '../../../functions/data/validate.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

function fixture(): SupportData {
  const result = validateSupportData(JSON.parse(readFileSync(new URL('../../data/fixtures/valid-small.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.data;
}

/** A second, different file: Contoso moved to a new account and phone, Fabrikam is gone, a new agent. */
function secondFile(): SupportData {
  const data = fixture();
  const contoso = data.organizations[0]!;
  contoso.account = '50000001';
  contoso.people = [{ name: 'Bea', phone: '+48601000111', role: 'admin' }];
  data.organizations = [contoso];
  data.agents.people = [{ id: '2001', name: 'Kai', pin: '9999', languages: ['en-US'], services: ['technical'] }];
  data.lines = data.lines.slice(0, 1);
  return data;
}

async function scanAll(dynamo: EmbeddedDynamo, table: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('DynamoDirectory and loadDirectory', () => {
  let dynamo: EmbeddedDynamo;
  let table: string;

  beforeAll(async () => {
    dynamo = await startDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });
  beforeEach(async () => {
    // A clean directory table per test: delete whatever the previous test left (scan is fine in tests).
    table = dynamo.tables.directory;
    for (const item of await scanAll(dynamo, table)) {
      await dynamo.doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
    }
  });

  it('with nothing loaded: lookups find nothing and config() says the store cannot answer', async () => {
    const directory = new DynamoDirectory(dynamo.doc, table);
    expect(await directory.peopleByPhone('+48601234567')).toEqual([]);
    expect(await directory.orgByAccount('40012345')).toBeUndefined();
    expect(await directory.agentById('1001')).toBeUndefined();
    await expect(directory.config()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('loads a file and answers every lookup by key', async () => {
    const data = fixture();
    const result = await loadDirectory(dynamo.doc, table, data);
    expect(result.previous).toBeUndefined();
    expect(result.cleanupErrors).toEqual([]);
    const directory = new DynamoDirectory(dynamo.client, table);

    const config = await directory.config();
    expect(config.lines).toEqual(data.lines);
    expect(config.services).toEqual(data.services);
    expect(config.schemes).toEqual(data.schemes);
    expect(config.plans).toEqual(data.plans);
    expect(config.holidays).toEqual(data.holidays);
    expect(config.agentsLine).toBe('+15550100000');

    // One phone registered in two organizations: both are returned, each with that organization's role.
    const ada = await directory.peopleByPhone('+48601234567');
    expect(ada.map(({ org, person }) => [org.id, person.name, person.role]).sort()).toEqual([
      ['contoso', 'Ada', 'admin'],
      ['fabrikam', 'Ada', 'member'],
    ]);
    expect(ada.find(({ org }) => org.id === 'contoso')?.org).toEqual(data.organizations[0]);
    expect(await directory.peopleByPhone('+48 601 234 999')).toMatchObject([{ org: { id: 'contoso' }, person: { name: 'Mel' } }]);
    expect(await directory.peopleByPhone('+48999999999')).toEqual([]);

    expect((await directory.orgByAccount('40012345'))?.id).toBe('contoso');
    expect((await directory.orgByAccount('00077'))?.id).toBe('fabrikam');
    expect(await directory.orgByAccount('77')).toBeUndefined();
    expect(await directory.orgByAccount('')).toBeUndefined();
    expect((await directory.orgById('fabrikam'))?.name).toBe('Fabrikam');
    expect(await directory.orgById('nobody')).toBeUndefined();

    const sam = await directory.agentById('1001');
    expect(sam).toMatchObject({ id: '1001', name: 'Sam', languages: ['en-US'], services: ['technical', 'billing'] });
    expect(sam).not.toHaveProperty('pin');
    expect(sam?.pinHash).toMatch(/^scrypt\$/);
    expect(await verifyPin('4321', sam!.pinHash!)).toBe(true);
    expect(await verifyPin('1234', sam!.pinHash!)).toBe(false);
    expect((await directory.agentById('1002'))?.tier).toBe(2);
    expect(await directory.agentById('9999')).toBeUndefined();

    // No clear PIN anywhere in the table.
    const everything = JSON.stringify(await scanAll(dynamo, table));
    expect(everything).not.toContain('"pin"');
    expect(everything).not.toContain('86420');
  });

  it('keeps an already hashed PIN from the file as it is', async () => {
    const data = fixture();
    const { pin: _pin, ...sam } = data.agents.people[0]!;
    data.agents.people[0] = { ...sam, pinHash: 'scrypt$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=' };
    await loadDirectory(dynamo.doc, table, data);
    const agent = await new DynamoDirectory(dynamo.doc, table).agentById('1001');
    expect(agent?.pinHash).toBe(data.agents.people[0].pinHash);
  });

  it('switches to a reloaded file as a whole and deletes the old generation', async () => {
    const first = await loadDirectory(dynamo.doc, table, fixture());
    const second = await loadDirectory(dynamo.doc, table, secondFile());
    expect(second.previous).toBe(first.generation);
    expect(second.generation > first.generation).toBe(true);
    expect(second.deleted).toBeGreaterThan(0);
    expect(second.cleanupErrors).toEqual([]);

    const directory = new DynamoDirectory(dynamo.doc, table);
    expect(await directory.peopleByPhone('+48601234567')).toEqual([]);
    expect(await directory.orgByAccount('40012345')).toBeUndefined();
    expect(await directory.orgById('fabrikam')).toBeUndefined();
    expect(await directory.agentById('1001')).toBeUndefined();
    expect(await directory.peopleByPhone('+48601000111')).toMatchObject([{ org: { id: 'contoso' }, person: { name: 'Bea' } }]);
    expect((await directory.orgByAccount('50000001'))?.id).toBe('contoso');
    expect((await directory.agentById('2001'))?.name).toBe('Kai');
    expect((await directory.config()).lines).toHaveLength(1);

    // Only the new generation, the pointer and the generation registry remain.
    const pks = (await scanAll(dynamo, table)).map((item) => String(item.pk));
    expect(pks.filter((pk) => pk.startsWith('G#') && !pk.startsWith(`G#${second.generation}#`))).toEqual([]);
    expect(pks.filter((pk) => !pk.startsWith('G#')).sort()).toEqual(['CURRENT', 'GENERATIONS']);
  });

  it('caches config() for cacheMs on the injected clock, then sees the new generation', async () => {
    let clock = 1_000_000;
    await loadDirectory(dynamo.doc, table, fixture());
    const directory = new DynamoDirectory(dynamo.doc, table, { cacheMs: 5_000, now: () => clock });
    expect((await directory.config()).lines).toHaveLength(2);

    await loadDirectory(dynamo.doc, table, secondFile());
    clock += 4_999;
    expect((await directory.config()).lines).toHaveLength(2);
    clock += 1;
    expect((await directory.config()).lines).toHaveLength(1);
  });

  it('concurrent first calls of config() share one read of the config, and a failed read is not kept', async () => {
    await loadDirectory(dynamo.doc, table, fixture());
    const directory = new DynamoDirectory(dynamo.doc, table, { now: () => 0 });
    const send = vi.spyOn(dynamo.doc, 'send');
    try {
      const configs = await Promise.all(Array.from({ length: 20 }, () => directory.config()));
      expect(new Set(configs).size).toBe(1);
      const configReads = send.mock.calls.filter(([command]) =>
        String((command.input as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues?.[':pk']).endsWith('#CONFIG'),
      );
      expect(configReads).toHaveLength(1);
    } finally {
      send.mockRestore();
    }
    // A read that fails is not shared with later calls: the next one reads again.
    const fresh = new DynamoDirectory(dynamo.doc, table, { now: () => 0 });
    const failing = vi.spyOn(dynamo.doc, 'send').mockImplementationOnce(async () => ({ Item: { gen: 'gone' } }) as never);
    await expect(fresh.config()).rejects.toBeInstanceOf(StoreUnavailableError);
    failing.mockRestore();
    await fresh.generation(true);
    expect((await fresh.config()).lines).toHaveLength(2);
  });

  it('a small organization comes inside its phone and account items: one read identifies a caller, later steps read nothing', async () => {
    const data = fixture();
    // A large organization (many people): its phone items name it and it is read from its own item.
    const big = data.organizations[1]!;
    big.people = Array.from({ length: 100 }, (_, i) => ({ name: `Person ${i}`, phone: `+4860177${String(i).padStart(4, '0')}`, role: 'admin' as const }));
    await loadDirectory(dynamo.doc, table, data);
    const reads = async (work: (d: DynamoDirectory) => Promise<unknown>) => {
      const directory = new DynamoDirectory(dynamo.doc, table, { now: () => 0 });
      await directory.generation();
      const send = vi.spyOn(dynamo.doc, 'send');
      try {
        await work(directory);
        return send.mock.calls.length;
      } finally {
        send.mockRestore();
      }
    };
    const contoso = data.organizations[0]!;
    expect(
      await reads(async (d) => {
        const [found] = await d.peopleByPhone('+48601234999');
        expect(found).toEqual({ org: contoso, person: contoso.people[1] });
        expect(await d.orgById('contoso')).toEqual(contoso);
      }),
    ).toBe(1);
    expect(await reads(async (d) => expect(await d.orgByAccount(contoso.account)).toEqual(contoso))).toBe(1);
    expect(await reads(async (d) => expect((await d.orgByAccount(big.account))?.people).toHaveLength(100))).toBe(1);
    expect(
      await reads(async (d) => {
        const [found] = await d.peopleByPhone('+48601770007');
        expect(found?.org).toEqual(big);
      }),
    ).toBe(2);
  });

  it('a lookup that misses under a stale cached pointer re-reads the pointer before saying "unknown"', async () => {
    let clock = 0;
    await loadDirectory(dynamo.doc, table, fixture());
    const directory = new DynamoDirectory(dynamo.doc, table, { cacheMs: 60_000, now: () => clock });
    expect(await directory.orgByAccount('40012345')).toBeDefined();
    await loadDirectory(dynamo.doc, table, secondFile());
    clock += 1_000;
    expect((await directory.orgByAccount('50000001'))?.id).toBe('contoso');
    expect((await directory.agentById('2001'))?.name).toBe('Kai');
  });

  it('stores a config larger than one item in chunks and reads it back whole', async () => {
    const data = fixture();
    const template = data.lines[0]!;
    data.lines = Array.from({ length: 3000 }, (_, i) => ({
      ...template,
      number: `+1555${String(1000000 + i)}`,
      label: `line ${i} — ${'ż'.repeat(60)} 😀`,
    }));
    await loadDirectory(dynamo.doc, table, data);
    const chunks = (await scanAll(dynamo, table)).filter((item) => String(item.pk).endsWith('#CONFIG'));
    expect(chunks.length).toBeGreaterThan(1);
    const config = await new DynamoDirectory(dynamo.doc, table).config();
    expect(config.lines).toEqual(data.lines);
  });

  it('reports an unreachable store as StoreUnavailableError', async () => {
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const directory = new DynamoDirectory(client, table);
    await expect(directory.orgById('contoso')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(directory.config()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(loadDirectory(client, table, fixture())).rejects.toBeInstanceOf(StoreUnavailableError);
    client.destroy();
  });

  it('maps throttling to StoreUnavailableError and leaves other errors alone', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(mapDynamoError(throttled, 'test')).toBeInstanceOf(StoreUnavailableError);
    const invalid = Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(mapDynamoError(invalid, 'test')).toBe(invalid);
  });
});
