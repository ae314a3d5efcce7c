/**
 * The write side of the loaded data file: `loadDirectory` writes a validated data file as a new
 * generation, switches readers to it with one conditional put, and deletes older generations from their
 * manifests. Used by the CLI (`npm run data:load`), the local server and tests. Layout: directory-keys.ts.
 */
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Agent, LineConfig, Organization, SupportData } from '../../domain/model.js';
import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';
import { dynamo as call } from './errors.js';
import { hashPin } from '../crypto/pin-hash.js';
import {
  chunkSk,
  CURRENT,
  documentClient,
  GENERATIONS,
  keys,
  normalizeAccount,
  normalizePhone,
  queryAll,
  type AnyClient,
  type Item,
} from './directory-keys.js';

/** UTF-16 units per config chunk: at most 3 UTF-8 bytes each, so a chunk stays well under 400 KB. */
const CONFIG_CHUNK = 100_000;
const MANIFEST_CHUNK = 2_000;
/** Larger single items (an organization with very many people) are refused before anything is written. */
const MAX_ITEM_BYTES = 380_000;
/**
 * An organization up to this size (JSON) is copied into its account item and each of its phone items, so
 * identifying a caller is one read instead of two. Larger ones (many people) are read from their own item:
 * copying them into every person's phone item would grow the load with the square of the people.
 */
const INLINE_ORG_BYTES = 4_000;

export interface LoadOptions {
  /** Clock for the generation id and timestamps; default `Date.now`. */
  now?: () => number;
  /** Generation id to write; default a time-ordered random id. Must sort after older generations. */
  generation?: string;
  /** Told after each batch of directory items is written (big files take seconds; operators see it move). */
  onProgress?: (written: number, total: number) => void;
}

export interface LoadResult {
  generation: string;
  /** The generation that was current before, if any. */
  previous?: string;
  /** Items written for the new generation (data, config and manifest). */
  written: number;
  /** Items of older generations deleted after the switch. */
  deleted: number;
  /** Cleanup failures: the new data is live, some old items remain until the next load. */
  cleanupErrors: string[];
}

/** `20260511T101500123Z-9f3a1c`: sorts by start time, so cleanup can tell older loads from newer ones. */
export function newGeneration(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The start time encoded in a generation id made by `newGeneration`, if it is one. */
function generationTime(gen: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(gen);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
}

/**
 * Loads validated data as a new generation and switches readers to it. The caller validates first
 * (`validateSupportData`); this writes nothing visible until the final pointer switch, so a failure
 * part-way leaves the previous data in place. Throws `ConflictError` when another load switched the
 * pointer meanwhile (its data stays; ours is discarded).
 */
export async function loadDirectory(client: AnyClient, table: string, data: SupportData, options: LoadOptions = {}): Promise<LoadResult> {
  const doc = documentClient(client);
  const now = options.now ?? Date.now;
  const current = await call('read current generation', () => doc.send(new GetCommand({ TableName: table, Key: CURRENT, ConsistentRead: true })));
  const previous = typeof current.Item?.gen === 'string' ? current.Item.gen : undefined;
  let gen = options.generation ?? newGeneration(now());
  if (options.generation === undefined && previous !== undefined && gen <= previous) {
    // Same millisecond or a clock behind the last load's: still sort after it, or cleanup would skip it.
    gen = newGeneration(Math.max(now(), (generationTime(previous) ?? 0) + 1));
  }
  const items = await buildItems(gen, data);

  // The manifest goes first, so even a load that dies half-way can be cleaned up by a later one.
  const manifest: Item[] = [];
  const allKeys = items.map((item) => `${item.pk}\u0000${item.sk}`);
  const manifestCount = Math.max(1, Math.ceil(allKeys.length / MANIFEST_CHUNK));
  for (let i = 0; i < manifestCount; i += 1) {
    manifest.push({ pk: keys.manifest(gen), sk: chunkSk('KEYS', i), keys: allKeys.slice(i * MANIFEST_CHUNK, (i + 1) * MANIFEST_CHUNK) });
  }
  await call('register generation', () =>
    doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: GENERATIONS, sk: gen, state: 'loading', startedAt: new Date(now()).toISOString(), manifestChunks: manifest.length },
      }),
    ),
  );
  await batchWrite(
    doc,
    table,
    manifest.map((Item) => ({ PutRequest: { Item } })),
  );
  await batchWrite(
    doc,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
    options.onProgress,
  );

  const counts = { lines: data.lines.length, organizations: data.organizations.length, agents: data.agents.people.length };
  try {
    await call('switch generation', () =>
      doc.send(
        new PutCommand({
          TableName: table,
          Item: { ...CURRENT, gen, switchedAt: new Date(now()).toISOString(), counts },
          ConditionExpression: previous === undefined ? 'attribute_not_exists(pk)' : 'gen = :previous',
          ExpressionAttributeValues: previous === undefined ? undefined : { ':previous': previous },
        }),
      ),
    );
  } catch (error) {
    if (error instanceof ConflictError) {
      await deleteGeneration(doc, table, gen).catch(() => undefined);
      throw new ConflictError(`another data load switched ${table} while this one was writing; nothing of this load is live`, {
        cause: error.cause,
      });
    }
    throw error;
  }

  const result: LoadResult = { generation: gen, previous, written: items.length + manifest.length, deleted: 0, cleanupErrors: [] };
  try {
    await setState(doc, table, gen, 'current');
    if (previous !== undefined) await setState(doc, table, previous, 'retired');
    result.deleted = await cleanup(doc, table, gen, result.cleanupErrors);
  } catch (error) {
    result.cleanupErrors.push(String((error as Error).message ?? error));
  }
  return result;
}

async function buildItems(gen: string, data: SupportData): Promise<Item[]> {
  const items: Item[] = [];
  const config: LineConfig = {
    lines: data.lines,
    services: data.services,
    holidays: data.holidays ?? {},
    schemes: data.schemes,
    plans: data.plans,
    agentsLine: data.agents.line,
  };
  const json = JSON.stringify(config);
  let index = 0;
  for (let start = 0; start < json.length; index += 1) {
    let end = Math.min(start + CONFIG_CHUNK, json.length);
    // Never split a surrogate pair: each chunk must be valid UTF-16 to be stored as a DynamoDB string.
    if (end < json.length && /[\uD800-\uDBFF]/.test(json[end - 1] ?? '')) end -= 1;
    items.push({ pk: keys.config(gen), sk: chunkSk('CONFIG', index), json: json.slice(start, end) });
    start = end;
  }

  for (const org of data.organizations) {
    const plain = JSON.parse(JSON.stringify(org)) as Organization;
    items.push({ pk: keys.org(gen, org.id), sk: 'ORG', org: plain });
    const inline = Buffer.byteLength(JSON.stringify(plain)) <= INLINE_ORG_BYTES ? { org: plain } : {};
    items.push({ pk: keys.account(gen, normalizeAccount(org.account)), sk: 'ACCOUNT', orgId: org.id, org: plain });
    const seen = new Set<string>();
    for (const person of plain.people) {
      const phone = normalizePhone(person.phone);
      if (seen.has(phone)) continue;
      seen.add(phone);
      items.push({ pk: keys.phone(gen, phone), sk: `ORG#${org.id}`, orgId: org.id, person: { ...person, phone }, ...inline });
    }
  }
  for (const agent of data.agents.people) {
    const { pin, ...rest } = agent;
    const pinHash = pin !== undefined ? await hashPin(pin) : agent.pinHash;
    items.push({ pk: keys.agent(gen, agent.id), sk: 'AGENT', agent: JSON.parse(JSON.stringify({ ...rest, pinHash })) as Agent });
  }
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes > MAX_ITEM_BYTES) throw new Error(`${item.pk} is too large for one DynamoDB item (${bytes} bytes)`);
  }
  return items;
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: { pk: string; sk: string } } };

/** Writes in batches of 25, retrying what DynamoDB leaves unprocessed under load, with backoff. */
async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[], onProgress?: LoadOptions['onProgress']): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    if (i > 0) onProgress?.(i, requests.length);
    let pending: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > 8) throw new StoreUnavailableError(`DynamoDB left ${pending.length} writes unprocessed in ${table}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      }
      const batch = pending;
      const out = await call('batch write', () => doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })));
      pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
  onProgress?.(requests.length, requests.length);
}

async function setState(doc: DynamoDBDocumentClient, table: string, gen: string, state: string): Promise<void> {
  await call('update generation state', () =>
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: GENERATIONS, sk: gen },
        UpdateExpression: 'SET #state = :state',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': state },
      }),
    ),
  );
}

/**
 * Deletes every generation that started before `current` (retired ones and loads that died half-way).
 * Newer ones are left alone: they belong to a load still in progress, whose switch will fail or win.
 */
async function cleanup(doc: DynamoDBDocumentClient, table: string, current: string, errors: string[]): Promise<number> {
  const generations = await queryAll(doc, table, 'list generations', {
    KeyConditionExpression: 'pk = :pk AND sk < :current',
    ExpressionAttributeValues: { ':pk': GENERATIONS, ':current': current },
  });
  const gens = generations.map((item) => String(item.sk));
  let deleted = 0;
  for (const gen of gens) {
    try {
      deleted += await deleteGeneration(doc, table, gen);
    } catch (error) {
      errors.push(`generation ${gen}: ${String((error as Error).message ?? error)}`);
    }
  }
  return deleted;
}

/** Deletes a generation's items by its manifest, then the manifest, then its registry entry. */
async function deleteGeneration(doc: DynamoDBDocumentClient, table: string, gen: string): Promise<number> {
  const manifestItems = await queryAll(doc, table, 'read manifest', {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.manifest(gen) },
  });
  const dataKeys = manifestItems.flatMap((item) => (item.keys as string[] | undefined) ?? []);
  const requests: WriteRequest[] = dataKeys.map((key) => {
    const [pk = '', sk = ''] = key.split('\u0000');
    return { DeleteRequest: { Key: { pk, sk } } };
  });
  await batchWrite(doc, table, requests);
  await batchWrite(
    doc,
    table,
    manifestItems.map((item) => ({ DeleteRequest: { Key: { pk: String(item.pk), sk: String(item.sk) } } })),
  );
  await batchWrite(doc, table, [{ DeleteRequest: { Key: { pk: GENERATIONS, sk: gen } } }]);
  return requests.length + manifestItems.length + 1;
}
