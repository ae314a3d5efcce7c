/** The verification audit in memory, keyed as the DynamoDB log keys it (functions/adapters/dynamodb/audit-log.ts). */
import type { AuditEntry, AuditLog } from '../../../functions/app/ports.js';
import { FakeTable } from './table.js';

export class FakeAuditLog implements AuditLog {
  constructor(readonly table = new FakeTable()) {}

  async record(entry: AuditEntry, seq: number): Promise<void> {
    this.table.put({ pk: `AUDIT#${entry.org}`, sk: `${entry.at}#${entry.callSid}#${seq}#${entry.method}#${entry.result}`, ...entry });
  }

  async forOrg(org: string, limit = 100): Promise<AuditEntry[]> {
    return this.table
      .scan()
      .filter((i) => i.pk === `AUDIT#${org}`)
      .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0))
      .slice(0, Math.min(limit, 1000))
      .map(({ pk: _p, sk: _s, ...e }) => e as unknown as AuditEntry);
  }
}
