/**
 * The spool replay claims the call's one ticket number (the per-call key the flow claims too), on the
 * embedded DynamoDB: a retry after the replay finds the spooled ticket; a retry before it holds the key,
 * and the replay folds the reference into that ticket instead of adding a second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCallStore } from '../../../functions/adapters/dynamodb/call-store.js';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import { replaySpooledTicket } from '../../../functions/app/spool-replay.js';
import type { CallState } from '../../../functions/domain/call-state.js';
import { startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { spooledTicket } from './fixtures.js';

let db: EmbeddedDynamo;
let tickets: DynamoTicketStore;
let calls: DynamoCallStore;
beforeAll(async () => {
  db = await startDynamo();
  tickets = new DynamoTicketStore(db.doc, db.tables.tickets);
  calls = new DynamoCallStore(db.doc, db.tables.calls);
});
afterAll(async () => db.stop());

const NOW = ttlSafeNow();
async function callOf(callSid: string): Promise<void> {
  const state: CallState = {
    callSid,
    kind: 'caller',
    from: '+48601234567',
    line: '+18887999666',
    country: 'US',
    language: 'en-US',
    createdAt: new Date(NOW).toISOString(),
    n: 5,
    expect: 'priority',
    tries: 0,
  };
  await calls.create(state, '<Response/>', NOW);
}
const record = (t: ReturnType<typeof spooledTicket>) => ({ v: 1 as const, ticket: t, spooledAt: '2026-05-13T15:00:01.000Z' });

describe('spool replay and the call key', () => {
  it('claims the call key for the reference, so the call can only ever get that number', async () => {
    const t = spooledTicket();
    await callOf(t.callSid);
    expect(await replaySpooledTicket(record(t), tickets, calls)).toEqual({ kind: 'created', number: t.number });
    // A Twilio retry after the replay claims a fresh counter number but is handed the reference.
    expect(await calls.claimTicketNumber(t.callSid, '1000999', 5)).toBe(t.number);
    expect(await replaySpooledTicket(record(t), tickets, calls)).toEqual({ kind: 'exists', number: t.number });
  });

  it('a call that got its ticket first keeps it: the reference is noted on it, no second ticket', async () => {
    const t = spooledTicket();
    await callOf(t.callSid);
    const own = { ...t, number: '1000777', status: 'waiting' as const, spooled: undefined };
    await calls.claimTicketNumber(t.callSid, own.number);
    await tickets.putIfAbsent(own);
    expect(await replaySpooledTicket(record(t), tickets, calls)).toEqual({ kind: 'superseded', number: own.number, reference: t.number });
    expect(await tickets.get(t.number)).toBeUndefined();
    expect(await tickets.get(own.number)).toMatchObject({ status: 'waiting', spoolReference: t.number });
  });

  it('a call whose number was claimed but whose ticket was never written: the spooled ticket is stored under that number', async () => {
    const t = spooledTicket();
    await callOf(t.callSid);
    await calls.claimTicketNumber(t.callSid, '1000888');
    expect(await replaySpooledTicket(record(t), tickets, calls)).toEqual({ kind: 'superseded', number: '1000888', reference: t.number });
    expect(await tickets.get('1000888')).toMatchObject({ callSid: t.callSid, status: 'callback', spoolReference: t.number });
    expect(await tickets.get(t.number)).toBeUndefined();
  });

  it('a call whose state has expired: the ticket is stored under its reference as before', async () => {
    const t = spooledTicket();
    expect(await replaySpooledTicket(record(t), tickets, calls)).toEqual({ kind: 'created', number: t.number });
  });
});
