/** Sign-in lockouts in memory, with the DynamoDB store's rules (functions/adapters/dynamodb/agent-lock-store.ts). */
import type { AgentLockStore, FailureResult } from '../../../functions/app/ports.js';
import { afterFailure, isLocked, LOCKOUT, type LockRecord } from '../../../functions/domain/agents.js';
import { FakeTable, type Item } from './table.js';

const pk = (agentId: string) => `AGENTLOCK#${agentId}`;
const KEEP_KEYS = LOCKOUT.maxFailures * 4;

export class FakeAgentLockStore implements AgentLockStore {
  constructor(readonly table = new FakeTable()) {}

  async get(agentId: string): Promise<LockRecord | undefined> {
    const item = this.table.get(pk(agentId), 'LOCK');
    return item ? toRecord(item) : undefined;
  }

  async isLocked(agentId: string, nowMs: number): Promise<boolean> {
    return isLocked(await this.get(agentId), nowMs);
  }

  async recordFailure(agentId: string, attemptKey: string, nowMs: number): Promise<FailureResult> {
    const item = this.table.get(pk(agentId), 'LOCK');
    const keys = (item?.keys as string[] | undefined) ?? [];
    const before = item ? toRecord(item) : undefined;
    if (keys.includes(attemptKey)) return { record: before!, lockedNow: false, locked: isLocked(before, nowMs) };
    const record = afterFailure(before, nowMs);
    this.table.put({ pk: pk(agentId), sk: 'LOCK', ...record, keys: [...keys, attemptKey].slice(-KEEP_KEYS) });
    const locked = isLocked(record, nowMs);
    return { record, locked, lockedNow: locked && !isLocked(before, nowMs) };
  }

  async clear(agentId: string, nowMs: number): Promise<void> {
    const item = this.table.get(pk(agentId), 'LOCK');
    if (item && (item.lockedUntil === undefined || Number(item.lockedUntil) <= nowMs)) this.table.delete(pk(agentId), 'LOCK');
  }
}

function toRecord(item: Item): LockRecord {
  return {
    failures: Number(item.failures ?? 0),
    firstFailureAt: Number(item.firstFailureAt ?? 0),
    ...(item.lockedUntil !== undefined ? { lockedUntil: Number(item.lockedUntil) } : {}),
  };
}
