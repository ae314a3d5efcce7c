/**
 * Tickets against the embedded DynamoDB: unique short numbers under concurrency, exactly one ticket per
 * call whatever is retried, status moves only along allowed edges, the API's filters, the agents' queue
 * index and fair-use counting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import { DynamoCallStore } from '../../../functions/adapters/dynamodb/call-store.js';
import { createTables } from '../../../functions/adapters/dynamodb/create-tables.js';
import { canMove, type Ticket, type TicketStatus } from '../../../functions/domain/tickets.js';
import type { CallState } from '../../../functions/domain/call-state.js';
import { newCallSid } from '../../support/voice-harness.js';
import { startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { ticketFixture } from '../../support/fixtures.js';

let dynamo: EmbeddedDynamo;
let tickets: DynamoTicketStore;
let calls: DynamoCallStore;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});
/** Fresh tables per test, so counters and listings start empty. */
beforeEach(async () => {
  const suffix = Math.random().toString(36).slice(2, 10);
  const names = { directory: `d-${suffix}`, calls: `c-${suffix}`, tickets: `t-${suffix}` };
  await createTables(dynamo.client, names);
  tickets = new DynamoTicketStore(dynamo.doc, names.tickets);
  calls = new DynamoCallStore(dynamo.doc, names.calls);
});

function ticket(over: Partial<Ticket> & Pick<Ticket, 'number'>): Ticket {
  return ticketFixture({ createdAt: '2026-05-13T15:00:00.000Z', callSid: newCallSid(), ...over });
}

function callState(callSid: string): CallState {
  return {
    callSid,
    kind: 'caller',
    from: '+48601234567',
    line: '+18887999666',
    country: 'US',
    language: 'en-US',
    createdAt: '2026-05-13T15:00:00.000Z',
    n: 5,
    expect: 'priority',
    tries: 0,
  };
}

/** What openTicket does: a candidate number, claimed on the call's state, then the ticket written once. */
async function createForCall(callSid: string): Promise<Ticket> {
  const candidate = await tickets.allocateNumber();
  const number = await calls.claimTicketNumber(callSid, candidate);
  return tickets.putIfAbsent(ticket({ number, callSid }));
}

const CONCURRENT_CALLS = 24;
// The calls carry a TTL from this clock: it must lie ahead of the real one, or DynamoDB Local's TTL sweep
// deletes them mid-test (contract of startDynamo with TEST_DYNAMODB_ENDPOINT).
const T0 = ttlSafeNow();

describe('ticket numbers', () => {
  // 24 calls, each sent twice at once: 48 requests in flight, just under the SDK's pool of 50 sockets, so
  // they race each other in DynamoDB instead of queueing for a socket (where the wait counts against the
  // connection timeout and the test would measure the machine's speed rather than the store's guarantees).
  it(`${CONCURRENT_CALLS} concurrent creations on distinct calls get ${CONCURRENT_CALLS} distinct numbers; sending each twice creates no duplicates`, async () => {
    const sids = Array.from({ length: CONCURRENT_CALLS }, () => newCallSid());
    await Promise.all(sids.map((sid) => calls.create(callState(sid), '<Response/>', T0)));
    const results = await Promise.all(sids.flatMap((sid) => [createForCall(sid), createForCall(sid)]));
    // Both requests of a call got the same ticket.
    for (let i = 0; i < sids.length; i++) {
      expect(results[2 * i]!.number).toBe(results[2 * i + 1]!.number);
      expect(results[2 * i]!.callSid).toBe(sids[i]);
    }
    const numbers = sids.map((_, i) => results[2 * i]!.number);
    expect(new Set(numbers).size).toBe(CONCURRENT_CALLS);
    expect(numbers.every((n) => /^\d{7}$/.test(n))).toBe(true);
    const stored = await tickets.list({ limit: 1000 });
    expect(stored).toHaveLength(CONCURRENT_CALLS);
    expect(new Set(stored.map((t) => t.callSid))).toEqual(new Set(sids));
    for (const sid of sids.slice(0, 10)) expect((await calls.get(sid))?.ticketNumber).toBe(results[sids.indexOf(sid) * 2]!.number);
    // About 1,400 requests: DynamoDB Local serialises writes (47 s measured on a loaded 2-core machine),
    // so the bound is about correctness under concurrency, not speed (speed is npm run bench's job).
  }, 180_000);

  it('numbers are short and increasing from 1000001', async () => {
    expect(await tickets.allocateNumber()).toBe('1000001');
    expect(await tickets.allocateNumber()).toBe('1000002');
  });

  it('putIfAbsent keeps the first ticket of a number and returns it to the second writer', async () => {
    const first = ticket({ number: '1000010', priority: 'P1' });
    expect(await tickets.putIfAbsent(first)).toEqual(first);
    const second = ticket({ number: '1000010', priority: 'P4' });
    expect(await tickets.putIfAbsent(second)).toEqual(first);
    expect(await tickets.get('1000010')).toEqual(first);
  });

  it('get: unknown or non-digit numbers are undefined', async () => {
    expect(await tickets.get('1999999')).toBeUndefined();
    expect(await tickets.get('12a')).toBeUndefined();
    expect(await tickets.get('')).toBeUndefined();
    expect(await tickets.get('1'.repeat(13))).toBeUndefined();
  });
});

describe('status transitions', () => {
  const STATUSES: TicketStatus[] = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'];

  it('only the allowed edges move a ticket; every other move changes nothing', async () => {
    let n = 2_000_000;
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const number = String(n++);
        const t = ticket({ number, status: from });
        await tickets.putIfAbsent(t);
        const moved = await tickets.transition(number, to, { agent: '1001' });
        const after = await tickets.get(number);
        if (canMove(from, to)) {
          expect(moved, `${from} → ${to}`).toEqual({ ...t, status: to, agent: '1001' });
          expect(after).toEqual({ ...t, status: to, agent: '1001' });
        } else {
          expect(moved, `${from} → ${to}`).toBeUndefined();
          expect(after).toEqual(t);
        }
      }
    }
    // The allowed edges themselves, so a change to the table is a visible change here.
    const edges = STATUSES.flatMap((f) => STATUSES.filter((t) => canMove(f, t)).map((t) => `${f}>${t}`));
    expect(edges).toEqual([
      'waiting>in-progress',
      'waiting>abandoned',
      'waiting>closed',
      'callback>in-progress',
      'callback>closed',
      'in-progress>closed',
      'abandoned>in-progress',
      'abandoned>closed',
    ]);
  });

  it('allowedFrom narrows the move further (a status callback only abandons a waiting ticket)', async () => {
    await tickets.putIfAbsent(ticket({ number: '3000001', status: 'callback' }));
    expect(await tickets.transition('3000001', 'closed', {}, ['waiting'])).toBeUndefined();
    expect((await tickets.get('3000001'))?.status).toBe('callback');
    expect(await tickets.transition('3000001', 'closed', {}, ['callback'])).toMatchObject({ status: 'closed' });
  });

  it('concurrent moves of one ticket: exactly one wins', async () => {
    await tickets.putIfAbsent(ticket({ number: '3000002' }));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => tickets.transition('3000002', 'in-progress', { agent: String(1000 + i) })));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await tickets.get('3000002')).toMatchObject({ status: 'in-progress', agent: winners[0]!.agent });
  });

  it('an unknown ticket does not move and is not created', async () => {
    expect(await tickets.transition('3999999', 'closed', {})).toBeUndefined();
    expect(await tickets.get('3999999')).toBeUndefined();
  });
});

describe('listing and the queue index', () => {
  async function seed(): Promise<Ticket[]> {
    const all = [
      ticket({ number: '4000001', org: 'contoso', priority: 'P1', priorityRank: 0, status: 'waiting', createdAt: '2026-05-13T15:00:00.000Z' }),
      ticket({ number: '4000002', org: 'contoso', priority: 'P2', priorityRank: 1, status: 'callback', createdAt: '2026-05-13T15:01:00.000Z' }),
      ticket({
        number: '4000003',
        org: 'fabrikam',
        priority: 'P1',
        priorityRank: 0,
        status: 'waiting',
        createdAt: '2026-05-13T15:02:00.000Z',
        priorityQueue: true,
      }),
      ticket({ number: '4000004', org: 'fabrikam', priority: 'P3', priorityRank: 2, status: 'closed', createdAt: '2026-05-13T15:03:00.000Z' }),
      ticket({
        number: '4000005',
        org: 'contoso',
        priority: 'P1',
        priorityRank: 0,
        status: 'in-progress',
        createdAt: '2026-05-13T15:04:00.000Z',
        agent: '1001',
        answeredAt: '2026-05-13T15:05:00.000Z',
      }),
      ticket({ number: '4000006', org: 'contoso', priority: 'P2', priorityRank: 1, status: 'waiting', createdAt: '2026-05-13T14:00:00.000Z' }),
      ticket({
        number: '4000007',
        org: 'contoso',
        priority: 'P1',
        priorityRank: 0,
        status: 'waiting',
        createdAt: '2026-05-13T15:06:00.000Z',
        language: 'pl-PL',
      }),
      ticket({
        number: '4000008',
        org: 'contoso',
        priority: 'P1',
        priorityRank: 0,
        status: 'waiting',
        createdAt: '2026-05-13T15:07:00.000Z',
        service: 'billing',
      }),
    ];
    for (const t of all) await tickets.putIfAbsent(t);
    return all;
  }
  const numbers = (ts: Ticket[]) => ts.map((t) => t.number);

  it('lists all, newest first; filters by status, priority and organization, alone and together', async () => {
    const all = await seed();
    expect(numbers(await tickets.list({}))).toEqual(['4000008', '4000007', '4000005', '4000004', '4000003', '4000002', '4000001', '4000006']);
    expect(numbers(await tickets.list({ status: 'waiting' }))).toEqual(['4000008', '4000007', '4000003', '4000001', '4000006']);
    expect(numbers(await tickets.list({ priority: 'P1' }))).toEqual(['4000008', '4000007', '4000005', '4000003', '4000001']);
    expect(numbers(await tickets.list({ org: 'fabrikam' }))).toEqual(['4000004', '4000003']);
    expect(numbers(await tickets.list({ org: 'contoso', status: 'waiting' }))).toEqual(['4000008', '4000007', '4000001', '4000006']);
    expect(numbers(await tickets.list({ org: 'contoso', status: 'waiting', priority: 'P2' }))).toEqual(['4000006']);
    expect(numbers(await tickets.list({ status: 'waiting', priority: 'P1' }))).toEqual(['4000008', '4000007', '4000003', '4000001']);
    expect(numbers(await tickets.list({ status: 'abandoned' }))).toEqual([]);
    expect(numbers(await tickets.list({ org: 'nobody' }))).toEqual([]);
    expect(numbers(await tickets.list({ limit: 2 }))).toEqual(['4000008', '4000007']);
    // The number counter lives in the same table and is no ticket.
    await tickets.allocateNumber();
    expect(await tickets.list({})).toHaveLength(8);
    // Whole tickets come back, without the index keys.
    expect((await tickets.list({ status: 'in-progress' }))[0]).toEqual(all[4]);
    expect(await tickets.get('4000005')).toEqual(all[4]);
  });

  it('a moved ticket is found under its new status only', async () => {
    await seed();
    await tickets.transition('4000001', 'in-progress', { agent: '1002' });
    expect(numbers(await tickets.list({ status: 'waiting' }))).not.toContain('4000001');
    expect(numbers(await tickets.list({ status: 'in-progress' }))).toEqual(['4000005', '4000001']);
  });

  it('the queue index holds only waiting tickets, per service, language and tier, in rank, priority-plan, age order', async () => {
    await seed();
    expect(numbers(await tickets.waiting('technical', 'en-US', 1, 10))).toEqual(['4000003', '4000001', '4000006']);
    expect(numbers(await tickets.waiting('technical', 'pl-PL', 1, 10))).toEqual(['4000007']);
    expect(numbers(await tickets.waiting('billing', 'en-US', 1, 10))).toEqual(['4000008']);
    expect(numbers(await tickets.waiting('technical', 'en-US', 2, 10))).toEqual([]);
    expect(numbers(await tickets.waiting('technical', 'en-US', 1, 1))).toEqual(['4000003']);
    // Taken by an agent or abandoned: out of the queue.
    await tickets.transition('4000003', 'in-progress', { agent: '1001' });
    await tickets.transition('4000006', 'abandoned', { abandonedAt: '2026-05-13T15:30:00.000Z' });
    expect(numbers(await tickets.waiting('technical', 'en-US', 1, 10))).toEqual(['4000001']);
  });

  it('fair use counts an organization’s tickets of a priority since a time', async () => {
    await seed();
    expect(await tickets.countByOrgSince('contoso', '2026-05-13T00:00:00.000Z', 'P1')).toBe(4);
    expect(await tickets.countByOrgSince('contoso', '2026-05-13T15:04:00.000Z', 'P1')).toBe(3);
    expect(await tickets.countByOrgSince('contoso', '2026-05-13T15:04:00.001Z', 'P1')).toBe(2);
    expect(await tickets.countByOrgSince('contoso', '2026-05-13T15:07:00.001Z', 'P1')).toBe(0);
    expect(await tickets.countByOrgSince('contoso', '2026-05-13T00:00:00.000Z', 'P2')).toBe(2);
    expect(await tickets.countByOrgSince('fabrikam', '2026-05-13T00:00:00.000Z', 'P1')).toBe(1);
    expect(await tickets.countByOrgSince('nobody', '2026-05-13T00:00:00.000Z', 'P1')).toBe(0);
  });
});
