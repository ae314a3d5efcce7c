/**
 * The verification audit (issue 3): every outcome of identifying a caller, per organization, in the
 * durable `tickets` table (`AUDIT#<org>` / `<time>#<callSid>#<n>`). Never the code itself.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../app/ports.js';
import { dynamo } from './errors.js';

export type { AuditEntry };

/**
 * The item of one entry. The outcome is part of the key: one step may record several (a failed text, then
 * the email code sent), possibly in the same millisecond, and each must be kept.
 */
export function auditItem(entry: AuditEntry, seq: number): Record<string, unknown> {
  return { pk: `AUDIT#${entry.org}`, sk: `${entry.at}#${entry.callSid}#${seq}#${entry.method}#${entry.result}`, ...entry };
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: AuditEntry, seq: number): Promise<void> {
    await dynamo('audit', () => this.doc.send(new PutCommand({ TableName: this.table, Item: auditItem(entry, seq) })));
  }

  /** An organization's verification outcomes, newest first. */
  async forOrg(org: string, limit = 100): Promise<AuditEntry[]> {
    const out = await dynamo('read audit', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `AUDIT#${org}` },
          ScanIndexForward: false,
          Limit: Math.min(limit, 1000),
        }),
      ),
    );
    return (out.Items ?? []).map(({ pk: _p, sk: _s, ...e }) => e as AuditEntry);
  }
}
