/**
 * Call state against the embedded DynamoDB: the claim/commit protocol that makes every caller step
 * exactly-once, and the ticket-number claim that makes a call's ticket unique.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCallStore } from '../../../functions/adapters/dynamodb/call-store.js';
import type { CallState } from '../../../functions/domain/call-state.js';
import { ConflictError } from '../../../functions/domain/errors.js';
import { newCallSid } from '../../support/voice-harness.js';
import { externalDynamoEndpoint, startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { DynamoAuditLog } from '../../../functions/adapters/dynamodb/audit-log.js';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import { callStateFixture, ticketFixture } from '../../support/fixtures.js';
import type { AuditEntry, AuditWrite } from '../../../functions/app/ports.js';

let dynamo: EmbeddedDynamo;
let store: DynamoCallStore;
beforeAll(async () => {
  dynamo = await startDynamo();
  store = new DynamoCallStore(dynamo.doc, dynamo.tables.calls);
});
afterAll(async () => {
  await dynamo.stop();
});

// In the future of the real clock: the call items' TTL must not have passed (DynamoDB Local sweeps them).
const NOW = ttlSafeNow();

const state = (over: Partial<CallState> = {}): CallState => callStateFixture(NOW, over);

async function raw(callSid: string) {
  return (await dynamo.doc.send(new GetCommand({ TableName: dynamo.tables.calls, Key: { pk: `CALL#${callSid}`, sk: 'STATE' } }))).Item;
}

describe('create and get', () => {
  it('stores a new call with its first answer and a day of TTL; get returns the state without storage attributes', async () => {
    const s = state();
    expect(await store.create(s, '<Response>first</Response>', NOW)).toEqual({ created: true });
    expect(await store.get(s.callSid)).toEqual({ ...s, last: { n: 0, twiml: '<Response>first</Response>' } });
    expect((await raw(s.callSid))?.expiresAt).toBe(NOW / 1000 + 24 * 3600);
  });

  it('keeps the answer deflated (binary), and still reads an answer stored as text by an earlier version', async () => {
    const s = state();
    const twiml = `<Response><Gather action="https://support.example/twilio/call/menu?s=1">${'<Say>For technical support, press 1.</Say>'.repeat(8)}</Gather></Response>`;
    await store.create(s, twiml, NOW);
    const stored = (await raw(s.callSid))?.last as { n: number; z: Uint8Array };
    expect(stored.z).toBeInstanceOf(Uint8Array);
    expect(stored.z.byteLength).toBeLessThan(twiml.length / 3);
    expect((await store.get(s.callSid))?.last).toEqual({ n: 0, twiml });
    const legacy = state();
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.calls,
        Item: { pk: `CALL#${legacy.callSid}`, sk: 'STATE', ...legacy, last: { n: 0, twiml: '<Response>old</Response>' } },
      }),
    );
    expect(await store.claim(legacy.callSid, 0, 'menu', NOW)).toMatchObject({ kind: 'answered', twiml: '<Response>old</Response>' });
  });

  it('a second create (a retried first webhook) keeps the first state and returns it', async () => {
    const s = state();
    await store.create(s, '<Response>first</Response>', NOW);
    const again = await store.create({ ...s, language: 'pl-PL' }, '<Response>second</Response>', NOW + 5);
    expect(again).toEqual({ created: false, state: { ...s, last: { n: 0, twiml: '<Response>first</Response>' } } });
  });

  it('an unknown call is undefined', async () => {
    expect(await store.get(newCallSid())).toBeUndefined();
  });
});

describe('claim and commit', () => {
  it('claims the step the call is at, commits the new state and answer, and a retry gets that answer', async () => {
    const s = state();
    await store.create(s, '<Response>menu</Response>', NOW);
    const claim = await store.claim(s.callSid, 1, 'menu', NOW);
    expect(claim).toEqual({ kind: 'claimed', state: { ...s, last: { n: 0, twiml: '<Response>menu</Response>' } } });
    await store.commit({ ...s, expect: 'account', service: 'technical' }, 1, '<Response>account</Response>', NOW);
    expect(await store.get(s.callSid)).toEqual({ ...s, n: 2, expect: 'account', service: 'technical', last: { n: 1, twiml: '<Response>account</Response>' } });
    const retry = await store.claim(s.callSid, 1, 'menu', NOW + 100);
    expect(retry).toMatchObject({ kind: 'answered', twiml: '<Response>account</Response>' });
    expect((await raw(s.callSid))?.inflight).toBeUndefined();
  });

  it('a twin of a running step is busy; once the claim is stale (12 s) it may run again', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    expect((await store.claim(s.callSid, 1, 'menu', NOW)).kind).toBe('claimed');
    expect((await store.claim(s.callSid, 1, 'menu', NOW + 11_999)).kind).toBe('busy');
    expect((await store.claim(s.callSid, 1, 'menu', NOW + 12_001)).kind).toBe('claimed');
  });

  it('concurrent claims of one step: exactly one runs', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(s.callSid, 1, 'menu', NOW)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'busy')).toHaveLength(19);
  });

  it('another step name, another sequence number or a call at another step is out of order; no call is missing', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    expect((await store.claim(s.callSid, 1, 'priority', NOW)).kind).toBe('out-of-order');
    expect((await store.claim(s.callSid, 2, 'menu', NOW)).kind).toBe('out-of-order');
    expect((await store.claim(s.callSid, 7, 'code', NOW)).kind).toBe('out-of-order');
    expect(await store.claim(newCallSid(), 1, 'menu', NOW)).toEqual({ kind: 'missing' });
    // None of these left a claim behind: the real step still runs.
    expect((await store.claim(s.callSid, 1, 'menu', NOW)).kind).toBe('claimed');
  });

  it('a claim on a call that does not exist creates nothing', async () => {
    const sid = newCallSid();
    await store.claim(sid, 1, 'menu', NOW);
    expect(await raw(sid)).toBeUndefined();
  });

  it('a commit without the claim, or a second commit of the same step, fails and changes nothing', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    await expect(store.commit({ ...s, expect: 'account' }, 1, '<Response>x</Response>', NOW)).rejects.toBeInstanceOf(ConflictError);
    await store.claim(s.callSid, 1, 'menu', NOW);
    await store.commit({ ...s, expect: 'account' }, 1, '<Response>x</Response>', NOW);
    await expect(store.commit({ ...s, expect: 'priority' }, 1, '<Response>y</Response>', NOW)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(s.callSid)).toMatchObject({ expect: 'account', n: 2, last: { n: 1, twiml: '<Response>x</Response>' } });
  });

  it('a step whose stale claim was taken over cannot commit over the newer run', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    await store.claim(s.callSid, 1, 'menu', NOW);
    await store.claim(s.callSid, 1, 'menu', NOW + 20_000);
    await store.commit({ ...s, expect: 'account' }, 1, '<Response>new</Response>', NOW + 20_001);
    await expect(store.commit({ ...s, expect: 'priority' }, 1, '<Response>old</Response>', NOW + 20_002)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(s.callSid)).toMatchObject({ expect: 'account', last: { twiml: '<Response>new</Response>' } });
  });
});

describe("a step's audit entries with its commit", () => {
  // DynamoDB Local, or any endpoint CI points the tests at, has transactions; the embedded dynalite has not.
  const transactions = externalDynamoEndpoint() !== undefined;
  const entry = (callSid: string, result: AuditEntry['result']): AuditWrite => ({
    entry: { org: `org-${callSid.slice(-8)}`, caller: '+48601234567', callSid, method: 'code-sms', result, at: new Date(NOW).toISOString() },
    seq: 1,
  });

  it(`writes them with the state: ${externalDynamoEndpoint() ? 'one transaction' : 'one write each, then the state'}`, async () => {
    const withAudit = new DynamoCallStore(dynamo.doc, dynamo.tables.calls, { ticketsTable: dynamo.tables.tickets });
    const log = new DynamoAuditLog(dynamo.doc, dynamo.tables.tickets);
    // The store finds out once whether the engine has transactions (dynalite answers UnknownOperation).
    const first = state();
    await withAudit.create(first, '<Response/>', NOW, { claimed: true });
    await withAudit.commit(first, 1, '<Response/>', NOW, [entry(first.callSid, 'verified')]);
    const s = state();
    await withAudit.create(s, '<Response/>', NOW, { claimed: true });
    const audit = [entry(s.callSid, 'wrong-code'), entry(s.callSid, 'verified')];
    const send = vi.spyOn(dynamo.doc, 'send');
    try {
      await withAudit.commit({ ...s, expect: 'priority' }, 1, '<Response>x</Response>', NOW, audit);
      expect(send.mock.calls.length).toBe(transactions ? 1 : 3);
    } finally {
      send.mockRestore();
    }
    expect(await withAudit.get(s.callSid)).toMatchObject({ expect: 'priority', n: 2 });
    expect((await log.forOrg(audit[0]!.entry.org)).map((e) => e.result).sort()).toEqual(['verified', 'wrong-code']);
  });

  it('a lost claim is a conflict; a call ended meanwhile keeps its end mark; the entries are written', async () => {
    const withAudit = new DynamoCallStore(dynamo.doc, dynamo.tables.calls, { ticketsTable: dynamo.tables.tickets });
    const lost = state();
    await withAudit.create(lost, '<Response/>', NOW);
    await expect(withAudit.commit({ ...lost, expect: 'account' }, 1, '<Response/>', NOW, [entry(lost.callSid, 'verified')])).rejects.toBeInstanceOf(
      ConflictError,
    );
    const ended = state();
    await withAudit.create(ended, '<Response/>', NOW, { claimed: true });
    await withAudit.markEnded(ended.callSid, '2026-12-02T10:00:00.000Z');
    expect(await withAudit.commit({ ...ended, expect: 'done' }, 1, '<Response/>', NOW, [entry(ended.callSid, 'verified')])).toEqual({
      endedAt: '2026-12-02T10:00:00.000Z',
    });
    expect(await withAudit.get(ended.callSid)).toMatchObject({ expect: 'done', endedAt: '2026-12-02T10:00:00.000Z' });
    const log = new DynamoAuditLog(dynamo.doc, dynamo.tables.tickets);
    expect((await log.forOrg(entry(ended.callSid, 'verified').entry.org)).map((e) => e.result)).toEqual(['verified']);
  });

  it('a store built without the audit table refuses entries rather than dropping them', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW, { claimed: true });
    await expect(store.commit(s, 1, '<Response/>', NOW, [entry(s.callSid, 'verified')])).rejects.toThrow(/audit table/);
  });
});

describe('ticket number and patch', () => {
  it('the first candidate number sticks; concurrent candidates all get it', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    const got = await Promise.all(['1000005', '1000006', '1000007', '1000008'].map((c) => store.claimTicketNumber(s.callSid, c)));
    expect(new Set(got).size).toBe(1);
    expect(['1000005', '1000006', '1000007', '1000008']).toContain(got[0]);
    expect(await store.claimTicketNumber(s.callSid, '1000099')).toBe(got[0]);
    expect((await store.get(s.callSid))?.ticketNumber).toBe(got[0]);
  });

  it(`a ticket and its number claim: ${externalDynamoEndpoint() ? 'one transaction' : 'the claim only (no transactions): the ticket is left to the caller'}`, async () => {
    const withTickets = new DynamoCallStore(dynamo.doc, dynamo.tables.calls, { ticketsTable: dynamo.tables.tickets });
    const tickets = new DynamoTicketStore(dynamo.doc, dynamo.tables.tickets);
    const transactions = externalDynamoEndpoint() !== undefined;
    const s = state();
    await withTickets.create(s, '<Response/>', NOW, { claimed: true });
    const number = String(9_100_000 + Math.floor(Math.random() * 99_999));
    const first = ticketFixture({ number, callSid: s.callSid, createdAt: new Date(NOW).toISOString() });
    const send = vi.spyOn(dynamo.doc, 'send');
    let opened: { number: string; stored: boolean };
    try {
      // Twice: the first use finds out whether the engine has transactions.
      opened = await withTickets.claimTicket(first, 1);
      send.mockClear();
      expect(await withTickets.claimTicket({ ...first, number: `${number}1` }, 1)).toEqual({ number, stored: false });
      expect(send.mock.calls.length).toBe(transactions ? 2 : 1);
    } finally {
      send.mockRestore();
    }
    expect(opened).toEqual({ number, stored: transactions });
    expect((await store.get(s.callSid))?.ticketNumber).toBe(number);
    expect(await tickets.get(number)).toEqual(transactions ? first : undefined);
    // A claim that is not this request's any more: a conflict, and nothing written.
    const lost = state();
    await withTickets.create(lost, '<Response/>', NOW);
    await expect(withTickets.claimTicket(ticketFixture({ number: `${number}2`, callSid: lost.callSid, createdAt: first.createdAt }), 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await tickets.get(`${number}2`)).toBeUndefined();
  });

  it('claiming a number for a call that does not exist fails and creates nothing', async () => {
    const sid = newCallSid();
    await expect(store.claimTicketNumber(sid, '1000001')).rejects.toBeInstanceOf(ConflictError);
    expect(await raw(sid)).toBeUndefined();
  });

  it('patch sets fields of an existing call only', async () => {
    const s = state();
    await store.create(s, '<Response/>', NOW);
    await store.patch(s.callSid, { queue: 'technical.en-US.t1.r0.std' });
    expect(await store.get(s.callSid)).toMatchObject({ queue: 'technical.en-US.t1.r0.std', n: 1, expect: 'menu' });
    await store.patch(s.callSid, {});
    const sid = newCallSid();
    await expect(store.patch(sid, { queue: 'q' })).rejects.toBeInstanceOf(ConflictError);
    expect(await raw(sid)).toBeUndefined();
  });
});
