/**
 * Sign-in lockouts of the agents' line in the `calls` table, one item per agent id and calling number
 * (`AGENTLOCK#<id>` / `LOCK#<number>`; `LOCK` for a withheld number), so wrong PINs from one number never
 * lock the id out for another (contract §3 v2), plus one item per id and UTC day (`DAY#<date>`) counting
 * wrong PINs across numbers for the daily cap that pages the supervisors (issue 14). The rules (5 wrong PINs
 * → 15 minutes; 20 a day → page once) are the domain's (`domain/agents.ts`); this store applies them
 * with an optimistic version check, so concurrent wrong PINs from several calls are all counted and none
 * twice. Each failure carries the key of the attempt (call and step), so a replayed request cannot count
 * the same wrong PIN again. Expiry is checked in code: DynamoDB's TTL (`expiresAt`) only tidies up.
 *
 * Items exist for any keyed-in id, known or not, so an unknown id locks exactly like a real one and the
 * line never tells a caller which ids exist.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterDailyFailure, afterFailure, isLocked, LOCKOUT, utcDay, type DailyPinRecord, type LockRecord } from '../../domain/agents.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import type { AgentLockStore, FailureResult } from '../../app/ports.js';
import { dynamo, isConditionFailed, mapDynamoError, writeIf } from './errors.js';

const lockKey = (agentId: string, caller = '') => ({ pk: `AGENTLOCK#${agentId}`, sk: caller ? `LOCK#${caller}` : 'LOCK' });
const dayKey = (agentId: string, day: string) => ({ pk: `AGENTLOCK#${agentId}`, sk: `DAY#${day}` });
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

  /** The lock record of `agentId` for one calling number (`caller`, E.164; '' for a withheld number). */
  async get(agentId: string, caller = ''): Promise<LockRecord | undefined> {
    const item = await this.read(lockKey(agentId, caller));
    return item ? toRecord(item) : undefined;
  }

  async isLocked(agentId: string, nowMs: number, caller = ''): Promise<boolean> {
    return isLocked(await this.get(agentId, caller), nowMs);
  }

  /** Wrong PINs of `agentId` on the UTC day of `nowMs`, across calling numbers. */
  async daily(agentId: string, nowMs: number): Promise<DailyPinRecord | undefined> {
    const item = await this.read(dayKey(agentId, utcDay(nowMs)));
    return item ? toDaily(item) : undefined;
  }

  /**
   * Counts one wrong PIN for `agentId`, identified by `attemptKey` (e.g. `<CallSid>:<step>`): counted once
   * however often it is replayed. Returns the record after it and whether the agent is (now) locked.
   */
  async recordFailure(agentId: string, attemptKey: string, nowMs: number, caller = ''): Promise<FailureResult> {
    const result = await this.recordLock(agentId, attemptKey, nowMs, caller);
    const day = await this.recordDaily(agentId, attemptKey, nowMs, caller);
    return { ...result, day };
  }

  private async recordLock(agentId: string, attemptKey: string, nowMs: number, caller: string): Promise<Omit<FailureResult, 'day'>> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const item = await this.read(lockKey(agentId, caller));
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
              ...lockKey(agentId, caller),
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

  /**
   * One more wrong PIN in the id's day across numbers; a replayed attempt is not counted twice. Says whether
   * this one reached the cap (the flow pages then, once a day).
   */
  private async recordDaily(agentId: string, attemptKey: string, nowMs: number, caller: string): Promise<FailureResult['day']> {
    const day = utcDay(nowMs);
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const item = await this.read(dayKey(agentId, day));
      const version = (item?.version as number | undefined) ?? 0;
      const keys = (item?.keys as string[] | undefined) ?? [];
      const before = item ? toDaily(item) : undefined;
      if (keys.includes(attemptKey)) return { ...before!, capReachedNow: false };
      const { record, capReachedNow } = afterDailyFailure(before, day, caller || 'withheld');
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...dayKey(agentId, day),
              ...record,
              keys: [...keys, attemptKey].slice(-KEEP_KEYS),
              version: version + 1,
              expiresAt: Math.ceil(nowMs / 1000) + 2 * 86_400,
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        return { ...record, capReachedNow };
      } catch (e) {
        if (!isConditionFailed(e)) throw mapDynamoError(e, 'count wrong PIN of the day');
        await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 15)));
      }
    }
    throw new StoreUnavailableError('count wrong PIN of the day: too much contention');
  }

  /** A correct PIN: the count of this number starts over. A lock in force is never cleared here (the flow refuses before checking). */
  async clear(agentId: string, nowMs: number, caller = ''): Promise<void> {
    // A lost condition (a lock in force) leaves the lock as it is.
    await writeIf('clear sign-in failures', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: lockKey(agentId, caller),
          ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
          ExpressionAttributeValues: { ':now': nowMs },
        }),
      ),
    );
  }

  private async read(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await dynamo('read sign-in failures', () => this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })));
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

function toDaily(item: Record<string, unknown>): DailyPinRecord {
  return { day: String(item.day ?? ''), count: Number(item.count ?? 0), numbers: (item.numbers as string[] | undefined) ?? [], paged: item.paged === true };
}
