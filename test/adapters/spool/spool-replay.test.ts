import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import { spoolReplayHandler, replaySpooledTicket } from '../../../functions/app/spool-replay.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { spooledTicket } from './fixtures.js';

let db: EmbeddedDynamo;
let store: DynamoTicketStore;
beforeAll(async () => {
  db = await startDynamo();
  store = new DynamoTicketStore(db.doc, db.tables.tickets);
});
afterAll(async () => db.stop());

const sqsEvent = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: `r-${i}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:support-spool',
    awsRegion: 'us-east-1',
  })),
});
const body = (t: ReturnType<typeof spooledTicket>) => JSON.stringify({ v: 1, ticket: t, spooledAt: '2026-05-13T15:00:01.000Z' });

describe('spool replay (SQS handler)', () => {
  it('stores each ticket under its spooled reference; a redelivered batch creates nothing more', async () => {
    const handler = spoolReplayHandler({ tickets: store });
    const a = spooledTicket();
    const b = spooledTicket({ org: 'northwind', verifiedBy: 'code' });
    expect(await handler(sqsEvent([body(a), body(b)]))).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsEvent([body(a), body(b)]))).toEqual({ batchItemFailures: [] });
    expect(await store.get(a.number)).toEqual(a);
    expect(await store.get(b.number)).toEqual(b);
    const mine = (await store.list({ status: 'callback' })).filter((t) => t.callSid === a.callSid || t.callSid === b.callSid);
    expect(mine).toHaveLength(2);
  });

  it('reports only the messages that fail (partial batch response): malformed bodies and store failures', async () => {
    const good = spooledTicket();
    const out = await spoolReplayHandler({ tickets: store })(sqsEvent(['{', JSON.stringify({ v: 1, ticket: { number: 'abc' } }), body(good)]));
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }] });
    expect(await store.get(good.number)).toEqual(good);

    const fail = async () => Promise.reject(new Error('ThrottlingException'));
    const down = { putIfAbsent: fail, list: fail, replaceIf: fail };
    expect(await spoolReplayHandler({ tickets: down })(sqsEvent([body(spooledTicket())]))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
  });

  it('never drops a ticket whose reference another call holds: it gets a suffixed number and keeps the reference', async () => {
    const first = spooledTicket();
    const clash = spooledTicket({ number: first.number, org: 'litware' });
    expect(await replaySpooledTicket({ v: 1, ticket: first, spooledAt: '' }, store)).toEqual({ kind: 'created', number: first.number });
    const out = await replaySpooledTicket({ v: 1, ticket: clash, spooledAt: '' }, store);
    expect(out).toEqual({ kind: 'renumbered', number: `${first.number}001`, reference: first.number });
    expect(await store.get(`${first.number}001`)).toMatchObject({ callSid: clash.callSid, org: 'litware', reference: first.number });
    // Redelivery of the clashing message finds its own ticket and adds nothing.
    expect(await replaySpooledTicket({ v: 1, ticket: clash, spooledAt: '' }, store)).toEqual({
      kind: 'renumbered',
      number: `${first.number}001`,
      reference: first.number,
    });
    expect(await store.get(`${first.number}002`)).toBeUndefined();
    expect(await store.get(first.number)).toEqual(first);
  });

  it('adds no second ticket for a call that got one through DynamoDB meanwhile: the reference is noted on that one', async () => {
    const { spooled: _s, ...fields } = spooledTicket({ org: 'fabrikam' });
    const spooled = { ...fields, spooled: true };
    const real = { ...fields, number: await store.allocateNumber(), status: 'waiting' as const };
    await store.putIfAbsent(real);
    const record = { v: 1 as const, ticket: spooled, spooledAt: '' };
    expect(await replaySpooledTicket(record, store)).toEqual({ kind: 'superseded', number: real.number, reference: spooled.number });
    expect(await replaySpooledTicket(record, store)).toEqual({ kind: 'superseded', number: real.number, reference: spooled.number });
    expect(await store.get(spooled.number)).toBeUndefined();
    expect(await store.get(real.number)).toEqual({ ...real, spoolReference: spooled.number });
    expect((await store.list({ org: 'fabrikam' })).filter((t) => t.callSid === spooled.callSid)).toHaveLength(1);
  });
});
