/** The verification audit against the embedded DynamoDB: per organization, newest first, nothing lost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditLog, type AuditEntry } from '../../../functions/adapters/dynamodb/audit-log.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let audit: DynamoAuditLog;
beforeAll(async () => {
  dynamo = await startDynamo();
  audit = new DynamoAuditLog(dynamo.doc, dynamo.tables.tickets);
});
afterAll(async () => {
  await dynamo.stop();
});

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  org: 'contoso',
  caller: '+48601234567',
  callSid: `CA${'1'.repeat(32)}`,
  method: 'code-sms',
  result: 'code-sent',
  at: '2026-05-13T15:00:00.000Z',
  ...over,
});

describe('DynamoAuditLog', () => {
  it('keeps entries per organization, newest first, and never mixes organizations', async () => {
    await audit.record(entry({ org: 'a-org', at: '2026-05-13T15:00:01.000Z', result: 'code-sent' }), 3);
    await audit.record(entry({ org: 'a-org', at: '2026-05-13T15:02:00.000Z', result: 'verified' }), 4);
    await audit.record(entry({ org: 'a-org', at: '2026-05-13T15:01:00.000Z', result: 'wrong-code' }), 4);
    await audit.record(entry({ org: 'b-org', at: '2026-05-13T15:03:00.000Z', method: 'caller-id', result: 'verified' }), 1);
    const a = await audit.forOrg('a-org');
    expect(a.map((e) => [e.at, e.result])).toEqual([
      ['2026-05-13T15:02:00.000Z', 'verified'],
      ['2026-05-13T15:01:00.000Z', 'wrong-code'],
      ['2026-05-13T15:00:01.000Z', 'code-sent'],
    ]);
    expect(a[0]).toEqual(entry({ org: 'a-org', at: '2026-05-13T15:02:00.000Z', result: 'verified' }));
    expect(await audit.forOrg('b-org')).toEqual([entry({ org: 'b-org', at: '2026-05-13T15:03:00.000Z', method: 'caller-id', result: 'verified' })]);
    expect(await audit.forOrg('nobody')).toEqual([]);
  });

  it('several outcomes of one step at the same instant are all kept (a failed text, then the email sent)', async () => {
    const at = '2026-05-13T16:00:00.000Z';
    await audit.record(entry({ org: 'c-org', at, method: 'code-sms', result: 'send-failed' }), 3);
    await audit.record(entry({ org: 'c-org', at, method: 'code-email', result: 'code-sent' }), 3);
    await audit.record(entry({ org: 'c-org', at, method: 'stir-shaken', result: 'attestation-missing' }), 3);
    const results = (await audit.forOrg('c-org')).map((e) => `${e.method}:${e.result}`).sort();
    expect(results).toEqual(['code-email:code-sent', 'code-sms:send-failed', 'stir-shaken:attestation-missing']);
  });

  it('the limit caps how many come back, newest first', async () => {
    for (let i = 0; i < 5; i++) await audit.record(entry({ org: 'd-org', at: `2026-05-13T17:0${i}:00.000Z` }), i);
    const two = await audit.forOrg('d-org', 2);
    expect(two.map((e) => e.at)).toEqual(['2026-05-13T17:04:00.000Z', '2026-05-13T17:03:00.000Z']);
  });

  it('never stores a code: only the fields of the entry', async () => {
    const items = (await dynamo.doc.send(new ScanCommand({ TableName: dynamo.tables.tickets }))).Items ?? [];
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['at', 'callSid', 'caller', 'method', 'org', 'pk', 'result', 'sk']);
  });
});
