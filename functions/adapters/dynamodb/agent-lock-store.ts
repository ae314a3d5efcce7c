/**
 * Sign-in lockouts of the agents' line in the `calls` table, one item per agent id (`AGENTLOCK#<id>` /
 * `LOCK`). The rule (5 wrong PINs → 15 minutes) is the domain's (`domain/agents.ts`); this store applies it
 * with an optimistic version check, so concurrent wrong PINs from several calls are all counted and none
 * twice. Each failure carries the key of the attempt (call and step), so a replayed request cannot count
 * the same wrong PIN again. Expiry is checked in code: DynamoDB's TTL (`expiresAt`) only tidies up.
 *
 * Items exist for any keyed-in id, known or not, so an unknown id locks exactly like a real one and the
 * line never tells a caller which ids exist.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterFailure, isLocked, LOCKOUT, type LockRecord } from '../../domain/agents.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import type { AgentLockStore, FailureResult } from '../../app/ports.js';
import { dynamo, writeIf } from './errors.js';

const lockKey = (agentId: string) => ({ pk: `AGENTLOCK#${agentId}`, sk: 'LOCK' });
/** Attempt keys remembered per agent: more than a lockout's worth, so any replay within it is recognised. */
const KEEP_KEYS = LOCKOUT.maxFailures * 4;
/** Optimistic retries under contention: each lost race means someone else's failure was counted. */
const MAX_TRIES = 40;

export type { FailureResult };

export class DynamoAgentLockStore implements AgentLockStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(agentId: string): Promise<LockRecord | undefined> {
    const item = await this.read(agentId);
    return item ? toRecord(item) : undefined;
  }

  async isLocked(agentId: string, nowMs: number): Promise<boolean> {
    return isLocked(await this.get(agentId), nowMs);
  }

  /**
   * Counts one wrong PIN for `agentId`, identified by `attemptKey` (e.g. `<CallSid>:<step>`): counted once
   * however often it is replayed. Returns the record after it and whether the agent is (now) locked.
   */
  async recordFailure(agentId: string, attemptKey: string, nowMs: number): Promise<FailureResult> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const item = await this.read(agentId);
      const version = (item?.version as number | undefined) ?? 0;
      const keys = (item?.keys as string[] | undefined) ?? [];
      const before = item ? toRecord(item) : undefined;
      if (keys.includes(attemptKey)) return { record: before!, lockedNow: false, locked: isLocked(before, nowMs) };
      const record = afterFailure(before, nowMs);
      const until = Math.max(record.lockedUntil ?? 0, record.firstFailureAt + LOCKOUT.windowMs);
      const written = await writeIf('record wrong PIN', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...lockKey(agentId),
              failures: record.failures,
              firstFailureAt: record.firstFailureAt,
              ...(record.lockedUntil !== undefined ? { lockedUntil: record.lockedUntil } : {}),
              keys: [...keys, attemptKey].slice(-KEEP_KEYS),
              version: version + 1,
              expiresAt: Math.ceil(until / 1000) + 3600,
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
          }),
        ),
      );
      if (written) {
        const locked = isLocked(record, nowMs);
        return { record, locked, lockedNow: locked && !isLocked(before, nowMs) };
      }
      // Lost the race: someone else's failure was counted first; read again and count ours on top.
      await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 15)));
    }
    // Contention this high is an attack; failing closed keeps the count honest.
    throw new StoreUnavailableError('record wrong PIN: too much contention');
  }

  /** A correct PIN: the count starts over. A lock in force is never cleared here (the flow refuses before checking). */
  async clear(agentId: string, nowMs: number): Promise<void> {
    // A lost condition (a lock in force) leaves the lock as it is.
    await writeIf('clear sign-in failures', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: lockKey(agentId),
          ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
          ExpressionAttributeValues: { ':now': nowMs },
        }),
      ),
    );
  }

  private async read(agentId: string): Promise<Record<string, unknown> | undefined> {
    const out = await dynamo('read sign-in failures', () => this.doc.send(new GetCommand({ TableName: this.table, Key: lockKey(agentId), ConsistentRead: true })));
    return out.Item;
  }
}

function toRecord(item: Record<string, unknown>): LockRecord {
  return {
    failures: Number(item.failures ?? 0),
    firstFailureAt: Number(item.firstFailureAt ?? 0),
    ...(item.lockedUntil !== undefined ? { lockedUntil: Number(item.lockedUntil) } : {}),
  };
}
