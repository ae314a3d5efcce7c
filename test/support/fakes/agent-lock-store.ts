/**
 * Sign-in lockouts in memory, with the DynamoDB store's rules and items (functions/adapters/dynamodb/agent-lock-store.ts):
 * one lock item per agent id and calling number (`AGENTLOCK#<id>` / `LOCK#<number>`, `LOCK` when withheld),
 * one item per id and UTC day (`DAY#<date>`) counting wrong PINs across numbers, and on each the attempt keys
 * that make a replayed wrong PIN count once.
 */
import type { AgentLockStore, FailureResult } from '../../../functions/app/ports.js';
import { afterDailyFailure, afterFailure, isLocked, LOCKOUT, utcDay, type DailyPinRecord, type LockRecord } from '../../../functions/domain/agents.js';
import { FakeTable, type Item } from './table.js';

const lockKey = (agentId: string, caller = '') => ({ pk: `AGENTLOCK#${agentId}`, sk: caller ? `LOCK#${caller}` : 'LOCK' });
const dayKey = (agentId: string, day: string) => ({ pk: `AGENTLOCK#${agentId}`, sk: `DAY#${day}` });
const KEEP_KEYS = LOCKOUT.maxFailures * 4;

export class FakeAgentLockStore implements AgentLockStore {
  constructor(readonly table = new FakeTable()) {}

  async get(agentId: string, caller = ''): Promise<LockRecord | undefined> {
    const { pk, sk } = lockKey(agentId, caller);
    const item = this.table.get(pk, sk);
    return item ? toRecord(item) : undefined;
  }

  async isLocked(agentId: string, nowMs: number, caller = ''): Promise<boolean> {
    return isLocked(await this.get(agentId, caller), nowMs);
  }

  async daily(agentId: string, nowMs: number): Promise<DailyPinRecord | undefined> {
    const { pk, sk } = dayKey(agentId, utcDay(nowMs));
    const item = this.table.get(pk, sk);
    return item ? toDaily(item) : undefined;
  }

  /** The lock of this number, then the id's day; each counted once per `attemptKey`, as two writes are on DynamoDB. */
  async recordFailure(agentId: string, attemptKey: string, nowMs: number, caller = ''): Promise<FailureResult> {
    const result = this.recordLock(agentId, attemptKey, nowMs, caller);
    await Promise.resolve();
    const day = this.recordDaily(agentId, attemptKey, nowMs, caller);
    return { ...result, day };
  }

  async clear(agentId: string, nowMs: number, caller = ''): Promise<void> {
    const { pk, sk } = lockKey(agentId, caller);
    const item = this.table.get(pk, sk);
    if (item && (item.lockedUntil === undefined || Number(item.lockedUntil) <= nowMs)) this.table.delete(pk, sk);
  }

  private recordLock(agentId: string, attemptKey: string, nowMs: number, caller: string): Omit<FailureResult, 'day'> {
    const key = lockKey(agentId, caller);
    const item = this.table.get(key.pk, key.sk);
    const keys = (item?.keys as string[] | undefined) ?? [];
    const before = item ? toRecord(item) : undefined;
    if (keys.includes(attemptKey)) return { record: before!, lockedNow: false, locked: isLocked(before, nowMs) };
    const record = afterFailure(before, nowMs);
    const until = Math.max(record.lockedUntil ?? 0, record.firstFailureAt + LOCKOUT.windowMs);
    this.table.put({
      ...key,
      ...record,
      keys: [...keys, attemptKey].slice(-KEEP_KEYS),
      version: Number(item?.version ?? 0) + 1,
      expiresAt: Math.ceil(until / 1000) + 3600,
    });
    const locked = isLocked(record, nowMs);
    return { record, locked, lockedNow: locked && !isLocked(before, nowMs) };
  }

  private recordDaily(agentId: string, attemptKey: string, nowMs: number, caller: string): FailureResult['day'] {
    const day = utcDay(nowMs);
    const key = dayKey(agentId, day);
    const item = this.table.get(key.pk, key.sk);
    const keys = (item?.keys as string[] | undefined) ?? [];
    const before = item ? toDaily(item) : undefined;
    if (keys.includes(attemptKey)) return { ...before!, capReachedNow: false };
    const { record, capReachedNow } = afterDailyFailure(before, day, caller || 'withheld');
    this.table.put({
      ...key,
      ...record,
      keys: [...keys, attemptKey].slice(-KEEP_KEYS),
      version: Number(item?.version ?? 0) + 1,
      expiresAt: Math.ceil(nowMs / 1000) + 2 * 86_400,
    });
    return { ...record, capReachedNow };
  }
}

function toRecord(item: Item): LockRecord {
  return {
    failures: Number(item.failures ?? 0),
    firstFailureAt: Number(item.firstFailureAt ?? 0),
    ...(item.lockedUntil !== undefined ? { lockedUntil: Number(item.lockedUntil) } : {}),
  };
}

function toDaily(item: Item): DailyPinRecord {
  return { day: String(item.day ?? ''), count: Number(item.count ?? 0), numbers: (item.numbers as string[] | undefined) ?? [], paged: item.paged === true };
}
