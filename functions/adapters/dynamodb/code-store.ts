/**
 * Verification codes and send limits in the `calls` table. Each limit of the code policy is a condition
 * on a write, so concurrent entries cannot overspend it: 50 simultaneous wrong entries admit at most 5.
 *  - `CALL#<sid>` / `CODE`: the code of a call (HMAC only), attempts, used flag, expiry (checked in the
 *    condition, not only by TTL, which the embedded DynamoDB never fires).
 *  - `SENDS#<org>` / `SENDS`: times of recent sends, replaced with an optimistic version check.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CODE_POLICY, sendAllowed, type AttemptOutcome, type CodeRecord } from '../../domain/codes.js';
import type { CodeStore } from '../../app/ports.js';
import { dynamo, writeIf } from './errors.js';

const codeKey = (callSid: string) => ({ pk: `CALL#${callSid}`, sk: 'CODE' });
const sendsKey = (orgId: string) => ({ pk: `SENDS#${orgId}`, sk: 'SENDS' });

export class DynamoCodeStore implements CodeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Reserves one send for the organization; false if 5 were sent in the last 10 minutes. */
  async reserveSend(orgId: string, nowMs: number): Promise<boolean> {
    const expiresAt = Math.ceil((nowMs + CODE_POLICY.sendWindowMs) / 1000);
    // Most organizations have sent no code lately: the first send of a window is one write, no read first.
    if (sendAllowed([], nowMs).allowed) {
      const first = await writeIf('reserve send', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...sendsKey(orgId), times: [nowMs], version: 1, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (first) return true;
    }
    for (let attempt = 0; attempt < 8; attempt++) {
      const out = await dynamo('read sends', () => this.doc.send(new GetCommand({ TableName: this.table, Key: sendsKey(orgId), ConsistentRead: true })));
      const version = (out.Item?.version as number | undefined) ?? 0;
      const { allowed, recent } = sendAllowed((out.Item?.times as number[] | undefined) ?? [], nowMs);
      if (!allowed) return false;
      const written = await writeIf('reserve send', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...sendsKey(orgId), times: [...recent, nowMs], version: version + 1, expiresAt },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
          }),
        ),
      );
      if (written) return true;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20)));
    }
    return false;
  }

  /** Stores a call's new code (replacing an earlier one of the same call). */
  async put(callSid: string, record: CodeRecord): Promise<void> {
    await dynamo('put code', () =>
      this.doc.send(
        new PutCommand({ TableName: this.table, Item: { ...codeKey(callSid), ...record, expiresAt: Math.ceil(record.expiresAtMs / 1000) + 3600 } }),
      ),
    );
  }

  async get(callSid: string): Promise<CodeRecord | undefined> {
    const out = await dynamo('get code', () => this.doc.send(new GetCommand({ TableName: this.table, Key: codeKey(callSid), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { pk: _p, sk: _s, expiresAt: _e, ...rec } = out.Item;
    return rec as CodeRecord;
  }

  /** Records one entry that did (`matches`) or did not match; every limit is enforced by the write's condition. */
  async attempt(callSid: string, matches: boolean, nowMs: number): Promise<AttemptOutcome> {
    const cond = 'attribute_exists(pk) AND used = :false AND attempts < :max AND expiresAtMs > :now';
    const values = { ':false': false, ':max': CODE_POLICY.maxWrong, ':now': nowMs };
    if (matches) {
      const used = await writeIf('code attempt', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: codeKey(callSid),
            UpdateExpression: 'SET used = :true',
            ConditionExpression: cond,
            ExpressionAttributeValues: { ...values, ':true': true },
          }),
        ),
      );
      if (used) return { result: 'verified' };
    } else {
      const out = await writeIf('code attempt', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: codeKey(callSid),
            UpdateExpression: 'SET attempts = attempts + :one',
            ConditionExpression: cond,
            ExpressionAttributeValues: { ...values, ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      if (out) {
        const attempts = Number(out.Attributes?.attempts);
        return attempts >= CODE_POLICY.maxWrong ? { result: 'dead' } : { result: 'wrong', left: CODE_POLICY.maxWrong - attempts };
      }
    }
    // The write's condition did not hold: say why.
    const rec = await this.get(callSid);
    if (!rec) return { result: 'missing' };
    if (rec.used) return { result: 'used' };
    if (rec.attempts >= CODE_POLICY.maxWrong) return { result: 'dead' };
    return { result: 'expired' };
  }
}
