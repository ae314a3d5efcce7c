/**
 * What the ticket store's hot writes cost on the wire (issue 15), counted by SDK middleware on the client the
 * store is given: an agent's claim and an abandon are one conditional UpdateItem, the waiting caller's
 * announcement mark is one, the first holder of a window limit is one. And what they keep: the same
 * outcomes as before (a lost race is a result, the index keys follow the status, a retried holder counts once),
 * with the announcement mark held to the in-memory fake by the same assertions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import type { TicketStore } from '../../../functions/app/ports.js';
import type { Ticket } from '../../../functions/domain/tickets.js';
import { dynamoProbe, type DynamoProbe } from '../../../bench/lib/dynamo-probe.js';
import { FakeTicketStore } from '../../support/fakes/ticket-store.js';
import { startDynamo, uniqueTables, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { createTables } from '../../../functions/adapters/dynamodb/create-tables.js';
import { newCallSid, ticketFixture } from '../../support/fixtures.js';

const sid = newCallSid;
const CREATED = '2026-05-13T15:00:00.000Z';
const at = (s: number) => new Date(Date.parse(CREATED) + s * 1000).toISOString();

let dynamo: EmbeddedDynamo;
let probe: DynamoProbe;
let table: string;
let tickets: DynamoTicketStore;
beforeAll(async () => {
  dynamo = await startDynamo();
  probe = dynamoProbe(dynamo.endpoint);
});
afterAll(async () => {
  probe.client.destroy();
  await dynamo.stop();
});
beforeEach(async () => {
  const names = uniqueTables();
  await createTables(dynamo.client, names);
  table = names.tickets;
  tickets = new DynamoTicketStore(probe.doc, table);
});

let next = 5_000_000;
async function stored(over: Partial<Ticket> = {}, store: TicketStore = tickets): Promise<Ticket> {
  const t = ticketFixture({ number: String(next++), callSid: sid(), createdAt: CREATED, ...over });
  await store.putIfAbsent(t);
  probe.take();
  return t;
}

describe('an agent taking a ticket', () => {
  it('is one conditional UpdateItem that returns the ticket as stored, out of the queue and under its new status', async () => {
    const t = await stored({ abandonedAt: at(5) } as Partial<Ticket>);
    const claimed = await tickets.transition(t.number, 'in-progress', { agent: '1001', answeredAt: at(30), abandonedAt: undefined } as Partial<Ticket>, [
      'waiting',
    ]);
    expect(probe.take().byCommand).toEqual({ UpdateItem: 1 });
    const expected = { ...t, status: 'in-progress', agent: '1001', answeredAt: at(30) } as Record<string, unknown>;
    delete expected.abandonedAt;
    expect(claimed).toEqual(expected);
    expect(await tickets.get(t.number)).toEqual(expected);
    expect(await tickets.waiting(t.service, t.language, t.tier, 10)).toEqual([]);
    expect((await tickets.list({ status: 'in-progress' })).map((x) => x.number)).toEqual([t.number]);
    expect(await tickets.list({ status: 'waiting' })).toEqual([]);
  });

  it('a lost race is one request and changes nothing: taken already, or no longer where the flow read it', async () => {
    const t = await stored();
    expect(await tickets.transition(t.number, 'in-progress', { agent: '1001' }, ['waiting'])).toMatchObject({ agent: '1001' });
    probe.take();
    expect(await tickets.transition(t.number, 'in-progress', { agent: '1002' }, ['waiting'])).toBeUndefined();
    expect(probe.take().requests).toBe(1);
    expect(await tickets.transition(String(next++), 'abandoned', {}, ['waiting'])).toBeUndefined();
    expect(await tickets.get(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
    // No edge at all: nothing is sent.
    probe.take();
    expect(await tickets.transition(t.number, 'waiting', {}, ['in-progress'])).toBeUndefined();
    expect(probe.take().requests).toBe(0);
  });

  it('of agents claiming one ticket at once, exactly one gets it', async () => {
    const t = await stored({ status: 'callback' });
    const results = await Promise.all(['1001', '1002', '1003', '1004'].map((agent) => tickets.transition(t.number, 'in-progress', { agent }, ['callback'])));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await tickets.get(t.number)).toMatchObject({ status: 'in-progress', agent: winners[0]!.agent });
    expect(await tickets.callbacks(t.service, t.language, t.tier)).toEqual([]);
  });
});

describe('the announcement mark, on the fake and on DynamoDB', () => {
  for (const kind of ['fake', 'dynamodb'] as const) {
    it(`${kind}: only the call's own waiting ticket, at most once per period; without a bound, whenever it waits`, async () => {
      const store: TicketStore = kind === 'fake' ? new FakeTicketStore() : tickets;
      const t = await stored({}, store);
      const mark = (s: number, lastAt?: number, callSid = t.callSid) =>
        store.markAnnounced(t.number, callSid, at(s), lastAt === undefined ? undefined : at(lastAt));
      expect(await mark(10, -50)).toEqual({ ...t, announcedAt: at(10) });
      expect(await store.get(t.number)).toEqual({ ...t, announcedAt: at(10) });
      // Within the period: refused, and the mark stays.
      expect(await mark(40, -20)).toBeUndefined();
      expect(await mark(69, 9)).toBeUndefined();
      expect(await mark(70, 10)).toMatchObject({ announcedAt: at(70) });
      // Someone else's call, an absurd number, a ticket that is not waiting: refused whatever the time.
      expect(await mark(500, 440, sid())).toBeUndefined();
      expect(await store.markAnnounced('12ab', t.callSid, at(500))).toBeUndefined();
      expect(await store.markAnnounced(String(next++), t.callSid, at(500))).toBeUndefined();
      // The caller's `*`: marked now, however recent the last one.
      expect(await mark(71)).toMatchObject({ announcedAt: at(71) });
      await store.transition(t.number, 'in-progress', { agent: '1001' }, ['waiting']);
      expect(await mark(500)).toBeUndefined();
      expect(await store.get(t.number)).toMatchObject({ status: 'in-progress', announcedAt: at(71) });
    });
  }

  it('is one UpdateItem whether it marks or is refused', async () => {
    const t = await stored();
    await tickets.markAnnounced(t.number, t.callSid, at(10), at(-50));
    expect(probe.take().byCommand).toEqual({ UpdateItem: 1 });
    await tickets.markAnnounced(t.number, t.callSid, at(20), at(-40));
    expect(probe.take().byCommand).toEqual({ UpdateItem: 1 });
  });
});

describe('a window limit', () => {
  const HOUR = 3_600_000;
  const T = Date.parse(CREATED);

  it('the first holder of a fresh window is one write; later holders read and write; a full window refuses', async () => {
    const key = `tickets#+4860${next++}`;
    expect(await tickets.reserveInWindow(key, 'call-a', 2, HOUR, T)).toBe(true);
    expect(probe.take().byCommand).toEqual({ PutItem: 1 });
    expect(await tickets.reserveInWindow(key, 'call-b', 2, HOUR, T + 1)).toBe(true);
    expect(probe.take().byCommand).toEqual({ PutItem: 2, GetItem: 1 });
    expect(await tickets.reserveInWindow(key, 'call-c', 2, HOUR, T + 2)).toBe(false);
    expect(await tickets.reserveInWindow(key, 'call-a', 2, HOUR, T + 3)).toBe(true);
    // Once every holder is older than the window, the window is fresh again: one write, the old holders gone.
    probe.take();
    expect(await tickets.reserveInWindow(key, 'call-c', 2, HOUR, T + 1 + HOUR)).toBe(true);
    expect(probe.take().byCommand).toEqual({ PutItem: 1 });
    expect(await tickets.reserveInWindow(key, 'call-d', 2, HOUR, T + 2 + HOUR)).toBe(true);
    expect(await tickets.reserveInWindow(key, 'call-e', 2, HOUR, T + 3 + HOUR)).toBe(false);
  });

  it('a holder on a window written before `lastAt` existed is still counted, and its live holders still fill it', async () => {
    const key = `tickets#+4860${next++}`;
    const k = { pk: `LIMIT#${key}`, sk: 'LIMIT' };
    await probe.doc.send(new PutCommand({ TableName: table, Item: { ...k, holders: { 'call-a': T, 'call-b': T + 1 }, version: 2 } }));
    expect(await tickets.reserveInWindow(key, 'call-a', 2, HOUR, T + 10)).toBe(true);
    expect(await tickets.reserveInWindow(key, 'call-c', 2, HOUR, T + 10)).toBe(false);
    expect(await tickets.reserveInWindow(key, 'call-c', 2, HOUR, T + HOUR)).toBe(true);
    const item = (await probe.doc.send(new GetCommand({ TableName: table, Key: k, ConsistentRead: true }))).Item!;
    expect(item).toMatchObject({ holders: { 'call-b': T + 1, 'call-c': T + HOUR }, lastAt: T + HOUR, version: 3 });
  });

  it('simultaneous first holders: exactly `max` places, each retried holder true again', async () => {
    const key = `page#+4860${next++}`;
    const holders = ['a', 'b', 'c', 'd', 'e'];
    const first = await Promise.all(holders.map((h) => tickets.reserveInWindow(key, h, 2, HOUR, T)));
    expect(first.filter(Boolean)).toHaveLength(2);
    expect(await Promise.all(holders.map((h) => tickets.reserveInWindow(key, h, 2, HOUR, T + 5)))).toEqual(first);
  });
});
