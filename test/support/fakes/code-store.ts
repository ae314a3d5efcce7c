/** Verification codes and send limits in memory, with the DynamoDB store's limits (functions/adapters/dynamodb/code-store.ts). */
import type { CodeStore } from '../../../functions/app/ports.js';
import { CODE_POLICY, sendAllowed, type AttemptOutcome, type CodeRecord } from '../../../functions/domain/codes.js';
import { FakeTable } from './table.js';

const codePk = (callSid: string) => `CALL#${callSid}`;
const sendsPk = (orgId: string) => `SENDS#${orgId}`;

export class FakeCodeStore implements CodeStore {
  constructor(readonly table = new FakeTable()) {}

  async reserveSend(orgId: string, nowMs: number): Promise<boolean> {
    const item = this.table.get(sendsPk(orgId), 'SENDS');
    const { allowed, recent } = sendAllowed((item?.times as number[] | undefined) ?? [], nowMs);
    if (!allowed) return false;
    this.table.put({ pk: sendsPk(orgId), sk: 'SENDS', times: [...recent, nowMs], version: Number(item?.version ?? 0) + 1 });
    return true;
  }

  async put(callSid: string, record: CodeRecord): Promise<void> {
    this.table.put({ pk: codePk(callSid), sk: 'CODE', ...record });
  }

  async get(callSid: string): Promise<CodeRecord | undefined> {
    const item = this.table.get(codePk(callSid), 'CODE');
    if (!item) return undefined;
    const { pk: _p, sk: _s, ...record } = item;
    return record as unknown as CodeRecord;
  }

  /** The DynamoDB store's condition: exists, unused, fewer than `maxWrong` wrong entries, not expired. */
  async attempt(callSid: string, matches: boolean, nowMs: number): Promise<AttemptOutcome> {
    const item = this.table.get(codePk(callSid), 'CODE');
    if (!item) return { result: 'missing' };
    const rec = item as unknown as CodeRecord;
    if (!rec.used && rec.attempts < CODE_POLICY.maxWrong && rec.expiresAtMs > nowMs) {
      if (matches) {
        this.table.put({ ...item, used: true });
        return { result: 'verified' };
      }
      const attempts = rec.attempts + 1;
      this.table.put({ ...item, attempts });
      return attempts >= CODE_POLICY.maxWrong ? { result: 'dead' } : { result: 'wrong', left: CODE_POLICY.maxWrong - attempts };
    }
    if (rec.used) return { result: 'used' };
    if (rec.attempts >= CODE_POLICY.maxWrong) return { result: 'dead' };
    return { result: 'expired' };
  }
}
