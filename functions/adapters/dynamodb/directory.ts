/**
 * The loaded data file in DynamoDB: `loadDirectory` writes it, `DynamoDirectory` reads it.
 *
 * A new data file must replace the old one atomically (no call may see half of each), and DynamoDB
 * transactions are limited to 100 items and missing from the embedded DynamoDB. So every item of a load
 * is written under a new generation id, `G#<gen>#…`, where no reader looks yet; only when all are written
 * does one conditional put of the pointer item (`CURRENT`) switch readers to it. Old generations are
 * then deleted, best effort, from the manifest each load writes first (the cleanup never scans).
 *
 * Item layout (table keys `pk`, `sk`; all strings):
 *
 * | pk                         | sk              | attributes                                        |
 * |----------------------------|-----------------|---------------------------------------------------|
 * | `CURRENT`                  | `CURRENT`       | `gen`, `switchedAt`, `counts`                     |
 * | `GENERATIONS`              | `<gen>`         | `state` (loading/current/retired), `startedAt`, `manifestChunks` |
 * | `G#<gen>#MANIFEST`         | `KEYS#0000`…    | `keys`: `pk\u0000sk` of every item of the generation |
 * | `G#<gen>#CONFIG`           | `CONFIG#0000`…  | `json`: a chunk of the `LineConfig` as JSON       |
 * | `G#<gen>#PHONE#<e164>`     | `ORG#<orgId>`   | `orgId`, `person` (one item per organization)     |
 * | `G#<gen>#ACCOUNT#<digits>` | `ACCOUNT`       | `orgId`                                           |
 * | `G#<gen>#ORG#<id>`         | `ORG`           | `org` (the organization with its people)          |
 * | `G#<gen>#AGENT#<id>`       | `AGENT`         | `agent` (with `pinHash`, never `pin`)             |
 *
 * The config is stored as JSON chunks rather than one map so a file with thousands of lines still fits
 * DynamoDB's 400 KB item limit. All reads are consistent: right after a switch, an eventually consistent
 * read could miss the items the new pointer names.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Agent, LineConfig, Organization, Person, SupportData } from '../../domain/model.js';
import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';
import { dynamo as call } from './errors.js';
import type { Directory } from '../../ports.js';
import { hashPin } from '../crypto/pin-hash.js';

type AnyClient = DynamoDBDocumentClient | DynamoDBClient;
type Item = Record<string, unknown> & { pk: string; sk: string };

const CURRENT = { pk: 'CURRENT', sk: 'CURRENT' } as const;
const GENERATIONS = 'GENERATIONS';
/** UTF-16 units per config chunk: at most 3 UTF-8 bytes each, so a chunk stays well under 400 KB. */
const CONFIG_CHUNK = 100_000;
const MANIFEST_CHUNK = 2_000;
/** Generation-scoped lookups kept per instance (first in, first out beyond this). */
const LOOKUP_CACHE_MAX = 20_000;
/** While DynamoDB is unavailable, how soon a stale pointer is tried again. */
const STALE_POINTER_RETRY_MS = 5_000;
/** Larger single items (an organization with very many people) are refused before anything is written. */
const MAX_ITEM_BYTES = 380_000;

const generationPrefix = (gen: string) => `G#${gen}#`;
const keys = {
  manifest: (gen: string) => `${generationPrefix(gen)}MANIFEST`,
  config: (gen: string) => `${generationPrefix(gen)}CONFIG`,
  phone: (gen: string, phone: string) => `${generationPrefix(gen)}PHONE#${phone}`,
  account: (gen: string, account: string) => `${generationPrefix(gen)}ACCOUNT#${account}`,
  org: (gen: string, id: string) => `${generationPrefix(gen)}ORG#${id}`,
  agent: (gen: string, id: string) => `${generationPrefix(gen)}AGENT#${id}`,
};
const chunkSk = (prefix: string, index: number) => `${prefix}#${String(index).padStart(4, '0')}`;

/** Callers' numbers arrive as E.164 from Twilio; stray spaces or dashes from other sources are dropped. */
const normalizePhone = (phone: string) => {
  const trimmed = phone.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
};
/** Account numbers are keyed in on a phone: digits only, leading zeros kept. */
const normalizeAccount = (account: string) => account.replace(/\D/g, '');

function documentClient(client: AnyClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client as DynamoDBClient, { marshallOptions: { removeUndefinedValues: true } });
}

// ---------------------------------------------------------------------------------------------------
// Read side

export interface DirectoryOptions {
  /** How long `config()` and the current-generation pointer are cached; default 30 s. */
  cacheMs?: number;
  /** Clock for cache expiry, in ms; injected by tests. */
  now?: () => number;
}

export class DynamoDirectory implements Directory {
  private readonly doc: DynamoDBDocumentClient;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private pointer?: { gen: string | undefined; readAt: number };
  private pointerInFlight?: Promise<string | undefined>;
  private configCache?: { gen: string; config: LineConfig };
  /**
   * Lookups by generation. Items of a generation never change after its switch (a new data file is a new
   * generation), so a lookup under the same generation can be answered from memory forever: every step
   * after the first needs its organization, and this saves that round trip. Promises are cached, so
   * concurrent lookups of one key make one request; failures are not cached.
   */
  private readonly lookups = new Map<string, Promise<unknown>>();

  constructor(
    client: AnyClient,
    private readonly table: string,
    options: DirectoryOptions = {},
  ) {
    this.doc = documentClient(client);
    this.cacheMs = options.cacheMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async config(): Promise<LineConfig> {
    const gen = await this.generation();
    if (gen === undefined) {
      throw new StoreUnavailableError(`no data file is loaded in ${this.table} (run npm run data:load)`);
    }
    if (this.configCache?.gen === gen) return this.configCache.config;
    const chunks: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await call('config', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.config(gen) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) chunks.push(String(item.json));
      start = page.LastEvaluatedKey;
    } while (start);
    if (chunks.length === 0) {
      // The pointer names a generation whose config is gone: it was replaced and cleaned up meanwhile.
      this.pointer = undefined;
      throw new StoreUnavailableError(`data generation ${gen} has no config in ${this.table}`);
    }
    const config = JSON.parse(chunks.join('')) as LineConfig;
    this.configCache = { gen, config };
    return config;
  }

  async peopleByPhone(phone: string): Promise<Array<{ org: Organization; person: Person }>> {
    const normalized = normalizePhone(phone);
    if (normalized.length < 2) return [];
    return this.inCurrentGeneration((gen) => this.cached(gen, 'phone', normalized, async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await call('peopleByPhone', () =>
          this.doc.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.phone(gen, normalized) },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          ),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      const found = await Promise.all(
        items.map(async (item) => {
          const org = await this.getOrg(gen, String(item.orgId));
          return org ? { org, person: item.person as Person } : undefined;
        }),
      );
      return found.filter((entry): entry is { org: Organization; person: Person } => entry !== undefined);
    }), [], (result) => result.length === 0);
  }

  async orgByAccount(account: string): Promise<Organization | undefined> {
    const normalized = normalizeAccount(account);
    if (normalized === '') return undefined;
    return this.inCurrentGeneration((gen) => this.cached(gen, 'account', normalized, async () => {
      const item = await this.get(keys.account(gen, normalized), 'ACCOUNT', 'orgByAccount');
      return item ? this.getOrg(gen, String(item.orgId)) : undefined;
    }), undefined, (result) => result === undefined);
  }

  async orgById(id: string): Promise<Organization | undefined> {
    return this.inCurrentGeneration((gen) => this.getOrg(gen, id), undefined, (result) => result === undefined);
  }

  async agentById(id: string): Promise<Agent | undefined> {
    const trimmed = id.trim();
    if (trimmed === '') return undefined;
    return this.inCurrentGeneration((gen) => this.cached(gen, 'agent', trimmed, async () => {
      const item = await this.get(keys.agent(gen, trimmed), 'AGENT', 'agentById');
      return item ? (item.agent as Agent) : undefined;
    }), undefined, (result) => result === undefined);
  }

  /** The current generation id, through the cache; undefined when nothing was ever loaded. */
  async generation(fresh = false): Promise<string | undefined> {
    if (!fresh && this.pointer && this.now() - this.pointer.readAt < this.cacheMs) return this.pointer.gen;
    this.pointerInFlight ??= (async () => {
      try {
        const item = await this.get(CURRENT.pk, CURRENT.sk, 'current generation');
        const gen = typeof item?.gen === 'string' ? item.gen : undefined;
        this.pointer = { gen, readAt: this.now() };
        return gen;
      } catch (error) {
        // DynamoDB is unavailable: the generation read a moment ago is still a complete, consistent data
        // file, and far better for a caller than an apology. Keep it, and try again a little later.
        if (!(error instanceof StoreUnavailableError) || this.pointer?.gen === undefined) throw error;
        this.pointer = { gen: this.pointer.gen, readAt: this.now() - this.cacheMs + STALE_POINTER_RETRY_MS };
        return this.pointer.gen;
      } finally {
        this.pointerInFlight = undefined;
      }
    })();
    return this.pointerInFlight;
  }

  /**
   * Runs a lookup in the current generation. A miss under a cached pointer is retried once under a
   * freshly read one: after a reload the old generation's items are deleted within seconds, while this
   * instance may still hold the old pointer for up to `cacheMs`; a registered caller must not be
   * treated as a stranger meanwhile. Unknown callers cost one extra small read, which is cheap.
   */
  private async inCurrentGeneration<T>(lookup: (gen: string) => Promise<T>, empty: T, isMiss: (result: T) => boolean): Promise<T> {
    const wasCached = this.pointer !== undefined && this.now() - this.pointer.readAt < this.cacheMs;
    const gen = await this.generation();
    const result = gen === undefined ? empty : await lookup(gen);
    if (!isMiss(result) || !wasCached) return result;
    const fresh = await this.generation(true);
    if (fresh === undefined || fresh === gen) return result;
    return lookup(fresh);
  }

  private getOrg(gen: string, id: string): Promise<Organization | undefined> {
    return this.cached(gen, 'org', id, async () => {
      const item = await this.get(keys.org(gen, id), 'ORG', 'orgById');
      return item ? (item.org as Organization) : undefined;
    });
  }

  private cached<T>(gen: string, kind: string, id: string, load: () => Promise<T>): Promise<T> {
    const key = `${gen}\u0000${kind}\u0000${id}`;
    const hit = this.lookups.get(key);
    if (hit) return hit as Promise<T>;
    const pending = load();
    this.lookups.set(key, pending);
    pending.catch(() => this.lookups.delete(key));
    if (this.lookups.size > LOOKUP_CACHE_MAX) this.lookups.delete(this.lookups.keys().next().value!);
    return pending;
  }

  private async get(pk: string, sk: string, action: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await call(action, () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true })),
    );
    return Item;
  }
}

// ---------------------------------------------------------------------------------------------------
// Write side

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
export async function loadDirectory(
  client: AnyClient,
  table: string,
  data: SupportData,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const doc = documentClient(client);
  const now = options.now ?? Date.now;
  const current = await call('read current generation', () =>
    doc.send(new GetCommand({ TableName: table, Key: CURRENT, ConsistentRead: true })),
  );
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
  await batchWrite(doc, table, manifest.map((Item) => ({ PutRequest: { Item } })));
  await batchWrite(doc, table, items.map((Item) => ({ PutRequest: { Item } })), options.onProgress);

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
    items.push({ pk: keys.account(gen, normalizeAccount(org.account)), sk: 'ACCOUNT', orgId: org.id });
    const seen = new Set<string>();
    for (const person of plain.people) {
      const phone = normalizePhone(person.phone);
      if (seen.has(phone)) continue;
      seen.add(phone);
      items.push({ pk: keys.phone(gen, phone), sk: `ORG#${org.id}`, orgId: org.id, person: { ...person, phone } });
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
  const gens: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await call('list generations', () =>
      doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk < :current',
          ExpressionAttributeValues: { ':pk': GENERATIONS, ':current': current },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ),
    );
    for (const item of page.Items ?? []) gens.push(String(item.sk));
    start = page.LastEvaluatedKey;
  } while (start);
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
  const manifestItems: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await call('read manifest', () =>
      doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.manifest(gen) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ),
    );
    manifestItems.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
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
