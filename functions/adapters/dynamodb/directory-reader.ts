/**
 * The read side of the loaded data file (the `Directory` port): the current generation's config and
 * key lookups, cached per generation (a generation never changes once live). Layout: directory-keys.ts.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Agent, LineConfig, Organization, Person } from '../../domain/model.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import type { Directory } from '../../app/ports.js';
import { dynamo as call } from './errors.js';
import { CURRENT, documentClient, keys, normalizeAccount, normalizePhone, queryAll, type AnyClient } from './directory-keys.js';

/** Generation-scoped lookups kept per instance (first in, first out beyond this). */
const LOOKUP_CACHE_MAX = 20_000;
/** While DynamoDB is unavailable, how soon a stale pointer is tried again. */
const STALE_POINTER_RETRY_MS = 5_000;

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
  private configLoad?: { gen: string; promise: Promise<LineConfig> };
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
    // Single flight: the concurrent first requests of a cold instance share one read of the config.
    if (this.configLoad?.gen !== gen) {
      const promise: Promise<LineConfig> = this.loadConfig(gen).finally(() => {
        if (this.configLoad?.promise === promise) this.configLoad = undefined;
      });
      this.configLoad = { gen, promise };
    }
    return this.configLoad.promise;
  }

  private async loadConfig(gen: string): Promise<LineConfig> {
    const chunks = (
      await queryAll(this.doc, this.table, 'config', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.config(gen) } })
    ).map((item) => String(item.json));
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
    return this.inCurrentGeneration(
      (gen) =>
        this.cached(gen, 'phone', normalized, async () => {
          const items = await queryAll(this.doc, this.table, 'peopleByPhone', {
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.phone(gen, normalized) },
          });
          const found = await Promise.all(
            items.map(async (item) => {
              const org = await this.inlineOrg(gen, item);
              return org ? { org, person: item.person as Person } : undefined;
            }),
          );
          return found.filter((entry): entry is { org: Organization; person: Person } => entry !== undefined);
        }),
      [],
      (result) => result.length === 0,
    );
  }

  async orgByAccount(account: string): Promise<Organization | undefined> {
    const normalized = normalizeAccount(account);
    if (normalized === '') return undefined;
    return this.inCurrentGeneration(
      (gen) =>
        this.cached(gen, 'account', normalized, async () => {
          const item = await this.get(keys.account(gen, normalized), 'ACCOUNT', 'orgByAccount');
          return item ? this.inlineOrg(gen, item) : undefined;
        }),
      undefined,
      (result) => result === undefined,
    );
  }

  async orgById(id: string): Promise<Organization | undefined> {
    return this.inCurrentGeneration(
      (gen) => this.getOrg(gen, id),
      undefined,
      (result) => result === undefined,
    );
  }

  async agentById(id: string): Promise<Agent | undefined> {
    const trimmed = id.trim();
    if (trimmed === '') return undefined;
    return this.inCurrentGeneration(
      (gen) =>
        this.cached(gen, 'agent', trimmed, async () => {
          const item = await this.get(keys.agent(gen, trimmed), 'AGENT', 'agentById');
          return item ? (item.agent as Agent) : undefined;
        }),
      undefined,
      (result) => result === undefined,
    );
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

  /**
   * The organization an account or phone item names: the copy inside the item when the loader put one there
   * (kept as the organization's cached lookup, so later steps of the call need no read), else its own item.
   */
  private inlineOrg(gen: string, item: Record<string, unknown>): Promise<Organization | undefined> {
    const id = String(item.orgId);
    const copy = item.org as Organization | undefined;
    return copy?.id === id ? this.cached(gen, 'org', id, async () => copy) : this.getOrg(gen, id);
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
    const { Item } = await call(action, () => this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true })));
    return Item;
  }
}
