/**
 * The store contract: the same assertions against the in-memory fakes the flow tests run on
 * (test/support/fakes/) and against the DynamoDB adapters on the embedded DynamoDB, so a fake cannot drift
 * from the store it stands for. One claim wins, a lost condition is a result (or `ConflictError` where the
 * port says so), limits hold under concurrent writes, orders are the same.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePorts } from '../../functions/wiring.js';
import { DynamoCallStore } from '../../functions/adapters/dynamodb/call-store.js';
import { DynamoCodeStore } from '../../functions/adapters/dynamodb/code-store.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { DynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log.js';
import { DynamoAgentLockStore } from '../../functions/adapters/dynamodb/agent-lock-store.js';
import { DynamoDirectory, loadDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { verifyPin } from '../../functions/adapters/crypto/pin-hash.js';
import { validateSupportData } from '../../functions/data/validate.js';
import { CODE_POLICY, type CodeRecord } from '../../functions/domain/codes.js';
import { DAILY_PIN_CAP, LOCKOUT } from '../../functions/domain/agents.js';
import type { CallState } from '../../functions/domain/call-state.js';
import { ConflictError } from '../../functions/domain/errors.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { Ticket } from '../../functions/domain/tickets.js';
import { fakeStores } from '../support/fakes/index.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { lineData, ACCOUNTS } from '../support/line-data.js';
import { ticketFixture } from '../support/fixtures.js';

/**
 * A Wednesday 15:00 UTC (as 2026-05-13 was) at least 30 days ahead of the real clock: items written at a
 * clock in the past would carry expired TTLs, which DynamoDB Local's sweep deletes in the middle of a test.
 */
const T0 = (() => {
  const WEEK = 7 * 86_400_000;
  const base = Date.parse('2026-05-13T15:00:00Z');
  return base + Math.max(0, Math.ceil((Date.now() + 30 * 86_400_000 - base) / WEEK)) * WEEK;
})();
const sid = () => `CA${randomBytes(16).toString('hex')}`;
const data: SupportData = (() => {
  const file = lineData();
  file.agents.people = [{ id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical'] }];
  const checked = validateSupportData(file);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.data;
})();

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  await loadDirectory(dynamo.doc, dynamo.tables.directory, data);
}, 120_000);
afterAll(async () => {
  await dynamo?.stop();
});

const subjects: Array<{ name: string; stores: () => Promise<StorePorts> }> = [
  { name: 'in-memory fakes', stores: () => fakeStores(data) },
  {
    name: 'DynamoDB adapters',
    stores: async () => {
      const { doc, tables } = dynamo;
      return {
        directory: new DynamoDirectory(doc, tables.directory),
        calls: new DynamoCallStore(doc, tables.calls, { ticketsTable: tables.tickets }),
        codes: new DynamoCodeStore(doc, tables.calls),
        tickets: new DynamoTicketStore(doc, tables.tickets),
        audit: new DynamoAuditLog(doc, tables.tickets),
        agentLocks: new DynamoAgentLockStore(doc, tables.calls),
      };
    },
  },
];

function callState(over: Partial<CallState> = {}): CallState {
  return {
    callSid: sid(),
    kind: 'caller',
    from: '+48601234567',
    line: '+18887999666',
    country: 'US',
    language: 'en-US',
    createdAt: new Date(T0).toISOString(),
    n: 1,
    expect: 'menu',
    tries: 0,
    ...over,
  };
}

/** A unique organization per test, so tests on one shared table do not see each other's tickets. */
function ticket(over: Partial<Ticket> & Pick<Ticket, 'number' | 'org'>): Ticket {
  return ticketFixture({
    orgName: 'Org',
    createdAt: new Date(T0).toISOString(),
    firstResponseDue: new Date(T0 + 3_600_000).toISOString(),
    callSid: sid(),
    ...over,
  });
}

describe.each(subjects)('store contract: $name', ({ stores: make }) => {
  let s: StorePorts;
  beforeAll(async () => {
    s = await make();
  });
  const uniq = () => randomBytes(4).toString('hex');

  describe('call store', () => {
    it('creates once; a second create returns the stored state with its first answer', async () => {
      const state = callState();
      expect(await s.calls.create(state, '<Response>first</Response>', T0)).toEqual({ created: true });
      const again = await s.calls.create({ ...state, expect: 'account' }, '<Response>other</Response>', T0);
      expect(again).toEqual({ created: false, state: { ...state, last: { n: 0, twiml: '<Response>first</Response>' } } });
      expect(await s.calls.get(state.callSid)).toEqual({ ...state, last: { n: 0, twiml: '<Response>first</Response>' } });
      expect(await s.calls.get(sid())).toBeUndefined();
    });

    it('one claim of a step wins; the twin is busy until the claim is stale; other steps are out of order', async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0);
      expect(await s.calls.claim(state.callSid, 1, 'menu', T0)).toMatchObject({ kind: 'claimed', state: { n: 1, expect: 'menu' } });
      expect((await s.calls.claim(state.callSid, 1, 'menu', T0 + 11_000)).kind).toBe('busy');
      expect((await s.calls.claim(state.callSid, 1, 'account', T0)).kind).toBe('out-of-order');
      expect((await s.calls.claim(state.callSid, 2, 'menu', T0)).kind).toBe('out-of-order');
      expect((await s.calls.claim(sid(), 1, 'menu', T0)).kind).toBe('missing');
      expect((await s.calls.claim(state.callSid, 1, 'menu', T0 + 12_001)).kind).toBe('claimed');
    });

    it('a call created claimed holds its first step: a twin is busy, the creator commits, a stale claim is taken over', async () => {
      const state = callState();
      expect(await s.calls.create(state, '<Response>one moment</Response>', T0, { claimed: true })).toEqual({ created: true });
      expect((await s.calls.claim(state.callSid, 1, 'menu', T0 + 1_000)).kind).toBe('busy');
      await s.calls.commit({ ...state, expect: 'account' }, 1, '<Response>asked</Response>', T0 + 2_000);
      expect(await s.calls.claim(state.callSid, 1, 'menu', T0 + 3_000)).toMatchObject({ kind: 'answered', twiml: '<Response>asked</Response>' });
      const stale = callState();
      await s.calls.create(stale, '<Response/>', T0, { claimed: true });
      expect((await s.calls.claim(stale.callSid, 1, 'menu', T0 + 12_001)).kind).toBe('claimed');
    });

    it("a commit writes the step's audit entries with the state", async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0, { claimed: true });
      const org = `org-${uniq()}`;
      const entry = {
        org,
        caller: state.from,
        callSid: state.callSid,
        method: 'account' as const,
        result: 'account-found' as const,
        at: new Date(T0).toISOString(),
      };
      await s.calls.commit({ ...state, expect: 'channel' }, 1, '<Response>asked</Response>', T0, [{ entry, seq: 1 }]);
      expect(await s.audit.forOrg(org)).toEqual([entry]);
      expect(await s.calls.get(state.callSid)).toMatchObject({ n: 2, expect: 'channel' });
    });

    it('of many simultaneous claims exactly one wins', async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0);
      const kinds = await Promise.all(Array.from({ length: 12 }, () => s.calls.claim(state.callSid, 1, 'menu', T0).then((r) => r.kind)));
      expect(kinds.filter((k) => k === 'claimed')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'busy')).toHaveLength(11);
    });

    it('commits only under a claim; the step is then answered with its TwiML', async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0);
      await expect(s.calls.commit({ ...state, expect: 'account' }, 1, '<Response>two</Response>', T0)).rejects.toBeInstanceOf(ConflictError);
      await s.calls.claim(state.callSid, 1, 'menu', T0);
      expect(await s.calls.commit({ ...state, expect: 'account' }, 1, '<Response>two</Response>', T0)).toEqual({});
      expect(await s.calls.claim(state.callSid, 1, 'menu', T0)).toEqual({
        kind: 'answered',
        state: { ...state, expect: 'account', n: 2, last: { n: 1, twiml: '<Response>two</Response>' } },
        twiml: '<Response>two</Response>',
      });
      await expect(s.calls.commit({ ...state, expect: 'account' }, 1, '<Response>again</Response>', T0)).rejects.toBeInstanceOf(ConflictError);
      expect((await s.calls.claim(state.callSid, 2, 'account', T0)).kind).toBe('claimed');
    });

    it('the first end mark wins, and a step committed after it learns of it and keeps it', async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0);
      await s.calls.claim(state.callSid, 1, 'menu', T0);
      expect(await s.calls.markEnded(state.callSid, '2026-05-13T15:00:05.000Z')).toBe(true);
      expect(await s.calls.markEnded(state.callSid, '2026-05-13T15:00:09.000Z')).toBe(true);
      expect(await s.calls.commit({ ...state, expect: 'account' }, 1, '<Response/>', T0)).toEqual({ endedAt: '2026-05-13T15:00:05.000Z' });
      expect((await s.calls.get(state.callSid))?.endedAt).toBe('2026-05-13T15:00:05.000Z');
      expect(await s.calls.markEnded(sid(), '2026-05-13T15:00:05.000Z')).toBe(false);
    });

    it('a call that ended before it was stored keeps the end mark alone: no call, and it cannot be created', async () => {
      const state = callState();
      expect(await s.calls.markEnded(state.callSid, '2026-05-13T15:00:05.000Z')).toBe(false);
      expect(await s.calls.get(state.callSid)).toBeUndefined();
      expect((await s.calls.claim(state.callSid, 1, 'menu', T0)).kind).toBe('missing');
      expect(await s.calls.create(state, '<Response/>', T0)).toEqual({ created: false });
      expect(await s.calls.create(state, '<Response/>', T0, { claimed: true })).toEqual({ created: false });
      expect(await s.calls.get(state.callSid)).toBeUndefined();
    });

    it("a create writes the answering step's audit entries with the state; a refused create writes none", async () => {
      const state = callState();
      const org = `org-${uniq()}`;
      const entry = {
        org,
        caller: state.from,
        callSid: state.callSid,
        method: 'caller-id' as const,
        result: 'verified' as const,
        at: new Date(T0).toISOString(),
      };
      expect(await s.calls.create({ ...state, n: 2, expect: 'priority' }, '<Response>asked</Response>', T0, { audit: [{ entry, seq: 1 }] })).toEqual({
        created: true,
      });
      expect(await s.audit.forOrg(org)).toEqual([entry]);
      const again = await s.calls.create({ ...state, n: 2 }, '<Response>twin</Response>', T0, {
        audit: [{ entry: { ...entry, at: new Date(T0 + 1).toISOString() }, seq: 1 }],
      });
      expect(again).toMatchObject({ created: false, state: { n: 2, expect: 'priority', last: { n: 1, twiml: '<Response>asked</Response>' } } });
      expect(await s.audit.forOrg(org)).toEqual([entry]);
    });

    it("a commit makes the step's ticket move with the state; a refused move commits nothing and is named", async () => {
      const org = `org-${uniq()}`;
      const waiting = await s.tickets.putIfAbsent(ticket({ number: await s.tickets.allocateNumber(), org }));
      const move = { kind: 'ticket-move' as const, number: waiting.number, from: 'waiting' as const, to: 'in-progress' as const, fields: { agent: '1001' } };
      const agent = callState();
      await s.calls.create(agent, '<Response/>', T0, { claimed: true });
      expect(await s.calls.commit({ ...agent, expect: 'agent-done' }, 1, '<Response>taken</Response>', T0, [], [move])).toEqual({});
      expect(await s.tickets.get(waiting.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
      expect(await s.calls.get(agent.callSid)).toMatchObject({ n: 2, expect: 'agent-done' });

      const late = callState();
      await s.calls.create(late, '<Response/>', T0, { claimed: true });
      const refused = await s.calls.commit(
        { ...late, expect: 'agent-done' },
        1,
        '<Response>also taken</Response>',
        T0,
        [],
        [{ ...move, fields: { agent: '1002' } }],
      );
      expect(refused).toEqual({ refused: { ...move, fields: { agent: '1002' } } });
      expect(await s.tickets.get(waiting.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
      // Nothing of the refused step was committed: its claim still holds, and it can commit otherwise.
      expect(await s.calls.get(late.callSid)).toMatchObject({ n: 1, expect: 'menu' });
      expect(await s.calls.commit({ ...late, expect: 'agent-next' }, 1, '<Response>no one</Response>', T0)).toEqual({});
    });

    it('a call keeps the first ticket number it claims; patches need the call', async () => {
      const state = callState();
      await s.calls.create(state, '<Response/>', T0);
      expect(await s.calls.claimTicketNumber(state.callSid, '1000007')).toBe('1000007');
      expect(await s.calls.claimTicketNumber(state.callSid, '1000008')).toBe('1000007');
      await s.calls.patch(state.callSid, { queue: 'technical.en-US.t1.r1.std' });
      expect(await s.calls.get(state.callSid)).toMatchObject({ ticketNumber: '1000007', queue: 'technical.en-US.t1.r1.std' });
      await expect(s.calls.patch(sid(), { queue: 'q' })).rejects.toBeInstanceOf(ConflictError);
      await expect(s.calls.claimTicketNumber(sid(), '1')).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('code store', () => {
    const record = (over: Partial<CodeRecord> = {}): CodeRecord => ({
      hash: 'h',
      orgId: 'contoso',
      channel: 'sms',
      sentAtMs: T0,
      expiresAtMs: T0 + CODE_POLICY.ttlMs,
      attempts: 0,
      used: false,
      ...over,
    });

    it('counts wrong entries down to a dead code; a right one verifies once', async () => {
      const callSid = sid();
      await s.codes.put(callSid, record());
      expect(await s.codes.get(callSid)).toEqual(record());
      const outcomes = [];
      for (let i = 0; i < CODE_POLICY.maxWrong + 1; i++) outcomes.push(await s.codes.attempt(callSid, false, T0));
      expect(outcomes).toEqual([
        { result: 'wrong', left: 4 },
        { result: 'wrong', left: 3 },
        { result: 'wrong', left: 2 },
        { result: 'wrong', left: 1 },
        { result: 'dead' },
        { result: 'dead' },
      ]);
      expect(await s.codes.attempt(callSid, true, T0)).toEqual({ result: 'dead' });

      const other = sid();
      await s.codes.put(other, record());
      expect(await s.codes.attempt(other, true, T0)).toEqual({ result: 'verified' });
      expect(await s.codes.attempt(other, true, T0)).toEqual({ result: 'used' });
      expect(await s.codes.get(other)).toMatchObject({ used: true, attempts: 0 });
      expect(await s.codes.attempt(sid(), true, T0)).toEqual({ result: 'missing' });
    });

    it('an expired code verifies nothing and counts nothing', async () => {
      const callSid = sid();
      await s.codes.put(callSid, record());
      expect(await s.codes.attempt(callSid, true, T0 + CODE_POLICY.ttlMs)).toEqual({ result: 'expired' });
      expect(await s.codes.attempt(callSid, false, T0 + CODE_POLICY.ttlMs)).toEqual({ result: 'expired' });
      expect(await s.codes.get(callSid)).toMatchObject({ used: false, attempts: 0 });
    });

    it('simultaneous wrong entries are each counted, and no more than the limit', async () => {
      const callSid = sid();
      await s.codes.put(callSid, record());
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => s.codes.attempt(callSid, false, T0)));
      expect(outcomes.filter((o) => o.result === 'wrong')).toHaveLength(CODE_POLICY.maxWrong - 1);
      expect(outcomes.filter((o) => o.result === 'dead')).toHaveLength(12 - (CODE_POLICY.maxWrong - 1));
      expect(await s.codes.get(callSid)).toMatchObject({ attempts: CODE_POLICY.maxWrong });
    });

    it('an organization gets its sends per window, then none until the window moves on', async () => {
      const org = `org-${uniq()}`;
      const sent = [];
      for (let i = 0; i < CODE_POLICY.maxSends + 1; i++) sent.push(await s.codes.reserveSend(org, T0 + i));
      expect(sent).toEqual([...Array(CODE_POLICY.maxSends).fill(true), false]);
      expect(await s.codes.reserveSend(`org-${uniq()}`, T0)).toBe(true);
      expect(await s.codes.reserveSend(org, T0 + CODE_POLICY.sendWindowMs)).toBe(true);
      expect(await s.codes.reserveSend(org, T0 + CODE_POLICY.sendWindowMs)).toBe(false);
    });
  });

  describe('ticket store', () => {
    it('numbers are consecutive 7-digit strings; a number is stored once', async () => {
      const a = await s.tickets.allocateNumber();
      const b = await s.tickets.allocateNumber();
      expect(a).toMatch(/^\d{7}$/);
      expect(Number(b)).toBe(Number(a) + 1);
      const org = `org-${uniq()}`;
      const first = ticket({ number: a, org });
      expect(await s.tickets.putIfAbsent(first)).toEqual(first);
      expect(await s.tickets.putIfAbsent({ ...first, priority: 'P1' })).toEqual(first);
      expect(await s.tickets.get(a)).toEqual(first);
      expect(await s.tickets.get('not-a-number')).toBeUndefined();
      expect(await s.tickets.get('999999999999')).toBeUndefined();
    });

    it('moves only along allowed edges and from the allowed statuses; of two racing moves one wins', async () => {
      const org = `org-${uniq()}`;
      const t = ticket({ number: await s.tickets.allocateNumber(), org });
      await s.tickets.putIfAbsent(t);
      expect(await s.tickets.transition(t.number, 'in-progress', { agent: '1001' }, ['callback'])).toBeUndefined();
      expect(await s.tickets.transition(t.number, 'in-progress', { agent: '1001' })).toEqual({ ...t, status: 'in-progress', agent: '1001' });
      expect(await s.tickets.transition(t.number, 'waiting', {})).toBeUndefined();
      expect(await s.tickets.transition('1', 'closed', {})).toBeUndefined();

      const u = ticket({ number: await s.tickets.allocateNumber(), org });
      await s.tickets.putIfAbsent(u);
      // The caller hangs up as an agent takes the ticket from the queue: whichever lands first, the other is
      // refused (an abandoned ticket is not taken from the queue; a taken one is not abandoned). Without the
      // agent's `['waiting']`, abandoned → in-progress is a legal second move (an agent calling back), so both
      // may pass one after the other: that is not a race lost.
      const [abandoned, taken] = await Promise.all([
        s.tickets.transition(u.number, 'abandoned', {}),
        s.tickets.transition(u.number, 'in-progress', {}, ['waiting']),
      ]);
      expect([abandoned, taken].filter((x) => x !== undefined)).toHaveLength(1);
    });

    it('replaces only what is unchanged since it was read', async () => {
      const org = `org-${uniq()}`;
      const t = ticket({ number: await s.tickets.allocateNumber(), org, status: 'in-progress', agent: '1001' });
      await s.tickets.putIfAbsent(t);
      expect(await s.tickets.replaceIf(t, { ...t, agent: '1002' })).toBe(true);
      expect(await s.tickets.replaceIf(t, { ...t, agent: '1003' })).toBe(false);
      expect(await s.tickets.replaceIf({ ...t, agent: '1002' }, { ...t, agent: '1002', notifiedStatus: 'in-progress' } as Ticket)).toBe(true);
      expect(await s.tickets.get(t.number)).toMatchObject({ agent: '1002', notifiedStatus: 'in-progress' });
      expect(await s.tickets.replaceIf({ ...t, number: '1' }, { ...t, number: '1' })).toBe(false);
    });

    it('the waiting queue: most urgent first, priority plans next, then the longest wait; only waiting tickets', async () => {
      const org = `org-${uniq()}`;
      const service = `svc-${uniq()}`;
      const at = (s: number) => new Date(T0 + s * 1000).toISOString();
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 2, createdAt: at(0) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(5) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(9), priorityQueue: true }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(1) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(3), status: 'in-progress' }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(3), language: 'pl-PL' }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      const order = (await s.tickets.waiting(service, 'en-US', 1)).map((t) => t.number);
      expect(order).toEqual([made[2]!.number, made[3]!.number, made[1]!.number, made[0]!.number]);
      expect((await s.tickets.waiting(service, 'en-US', 1, 2)).map((t) => t.number)).toEqual(order.slice(0, 2));
      expect(await s.tickets.waiting(service, 'en-US', 2)).toEqual([]);
      await s.tickets.transition(made[2]!.number, 'in-progress', {});
      expect((await s.tickets.waiting(service, 'en-US', 1))[0]!.number).toBe(made[3]!.number);
    });

    it('counts and lists by organization, status and priority, newest first', async () => {
      const org = `org-${uniq()}`;
      const at = (m: number) => new Date(T0 + m * 60_000).toISOString();
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, priority: 'P1', createdAt: at(0) }),
        ticket({ number: await s.tickets.allocateNumber(), org, priority: 'P1', createdAt: at(10), status: 'closed' }),
        ticket({ number: await s.tickets.allocateNumber(), org, priority: 'P2', createdAt: at(20) }),
        ticket({ number: await s.tickets.allocateNumber(), org: `other-${uniq()}`, priority: 'P1', createdAt: at(30) }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      expect(await s.tickets.countByOrgSince(org, at(0), 'P1')).toBe(2);
      expect(await s.tickets.countByOrgSince(org, at(5), 'P1')).toBe(1);
      expect(await s.tickets.countByOrgSince(org, at(5), 'P2')).toBe(1);
      const numbers = async (f: Parameters<StorePorts['tickets']['list']>[0]) => (await s.tickets.list(f)).map((t) => t.number);
      expect(await numbers({ org })).toEqual([made[2]!.number, made[1]!.number, made[0]!.number]);
      expect(await numbers({ org, status: 'waiting' })).toEqual([made[2]!.number, made[0]!.number]);
      expect(await numbers({ org, priority: 'P1' })).toEqual([made[1]!.number, made[0]!.number]);
      expect(await numbers({ org, limit: 1 })).toEqual([made[2]!.number]);
      expect(await numbers({ status: 'closed' })).toContain(made[1]!.number);
      expect(await numbers({ status: 'closed' })).not.toContain(made[0]!.number);
      const all = await s.tickets.list({});
      expect(all.map((t) => t.createdAt)).toEqual([...all.map((t) => t.createdAt)].sort().reverse());
    });
    it('callbacks: their own partition of the queue index, in waiting order; neither queue holds the other', async () => {
      const org = `org-${uniq()}`;
      const service = `svc-${uniq()}`;
      const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 2, createdAt: at(0) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 1, createdAt: at(5) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 1, createdAt: at(9), priorityQueue: true }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 1, createdAt: at(1) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'waiting', priorityRank: 0, createdAt: at(2) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 0, createdAt: at(3), tier: 2 }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'callback', priorityRank: 0, createdAt: at(3), language: 'pl-PL' }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      const order = (await s.tickets.callbacks(service, 'en-US', 1)).map((t) => t.number);
      expect(order).toEqual([made[2]!.number, made[3]!.number, made[1]!.number, made[0]!.number]);
      expect((await s.tickets.callbacks(service, 'en-US', 1, 2)).map((t) => t.number)).toEqual(order.slice(0, 2));
      expect((await s.tickets.callbacks(service, 'en-US', 2)).map((t) => t.number)).toEqual([made[5]!.number]);
      expect((await s.tickets.callbacks(service, 'pl-PL', 1)).map((t) => t.number)).toEqual([made[6]!.number]);
      expect((await s.tickets.waiting(service, 'en-US', 1)).map((t) => t.number)).toEqual([made[4]!.number]);
      expect(await s.tickets.callbacks(service, 'en-US', 1)).toContainEqual(made[2]);
      expect(await s.tickets.transition(made[2]!.number, 'in-progress', { agent: '1001' })).toMatchObject({ status: 'in-progress' });
      expect((await s.tickets.callbacks(service, 'en-US', 1))[0]!.number).toBe(made[3]!.number);
      expect(await s.tickets.transition(made[3]!.number, 'closed', {})).toMatchObject({ status: 'closed' });
      expect((await s.tickets.callbacks(service, 'en-US', 1)).map((t) => t.number)).toEqual([made[1]!.number, made[0]!.number]);
    });

    it('tickets opened from one calling number: since a time, in the given statuses, newest first', async () => {
      const org = `org-${uniq()}`;
      const caller = '+48601234567';
      const at = (m: number) => new Date(T0 + m * 60_000).toISOString();
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, caller, createdAt: at(0), status: 'waiting' }),
        ticket({ number: await s.tickets.allocateNumber(), org, caller, createdAt: at(10), status: 'in-progress' }),
        ticket({ number: await s.tickets.allocateNumber(), org, caller, createdAt: at(20), status: 'closed' }),
        ticket({ number: await s.tickets.allocateNumber(), org, caller, createdAt: at(30), status: 'callback' }),
        ticket({ number: await s.tickets.allocateNumber(), org, caller: '+48609999999', createdAt: at(40), status: 'waiting' }),
        ticket({ number: await s.tickets.allocateNumber(), org: `other-${uniq()}`, caller, createdAt: at(50), status: 'waiting' }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      const numbers = async (since: number, statuses: Ticket['status'][], who = caller) =>
        (await s.tickets.openFromCaller(org, who, at(since), statuses)).map((t) => t.number);
      const open: Ticket['status'][] = ['waiting', 'callback', 'in-progress'];
      expect(await numbers(0, open)).toEqual([made[3]!.number, made[1]!.number, made[0]!.number]);
      expect(await numbers(5, open)).toEqual([made[3]!.number, made[1]!.number]);
      expect(await numbers(0, ['closed'])).toEqual([made[2]!.number]);
      expect(await numbers(31, open)).toEqual([]);
      expect(await numbers(0, open, '+48609999999')).toEqual([made[4]!.number]);
      expect(await numbers(0, [])).toEqual([]);
      expect(await numbers(0, open, '')).toEqual([]);
      expect((await s.tickets.openFromCaller(org, caller, at(30), open))[0]).toEqual(made[3]);
    });

    it('waiting ahead: the waiting tickets of the same partition an agent takes first, by the queue order', async () => {
      const org = `org-${uniq()}`;
      const service = `svc-${uniq()}`;
      const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(0) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(5), priorityQueue: true }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(9) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 1, createdAt: at(7) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(1), status: 'in-progress' }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(1), status: 'callback' }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(1), tier: 2 }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, priorityRank: 0, createdAt: at(1), language: 'pl-PL' }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      expect(await Promise.all(made.slice(0, 4).map((t) => s.tickets.waitingAhead(t)))).toEqual([2, 1, 0, 3]);
      expect(await s.tickets.waitingAhead(made[6]!)).toBe(0);
      expect(await s.tickets.waitingAhead(made[7]!)).toBe(0);
      // The ticket as given decides the place, stored or not: a newcomer of rank 1 now would have four ahead.
      expect(await s.tickets.waitingAhead(ticket({ number: '9999999', org, service, priorityRank: 1, createdAt: at(60) }))).toBe(4);
      expect(await s.tickets.waitingAhead(ticket({ number: '9999999', org, service, priorityRank: 3, createdAt: at(60), status: 'callback' }))).toBe(4);
      await s.tickets.transition(made[2]!.number, 'in-progress', {});
      expect(await s.tickets.waitingAhead(made[3]!)).toBe(2);
    });

    it('answered waits of one service and language: in progress and closed, since a time, newest first, at most `limit`', async () => {
      const org = `org-${uniq()}`;
      const service = `svc-${uniq()}`;
      const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();
      const answered = (created: number, wait: number, over: Partial<Ticket> = {}) => ({ createdAt: at(created), answeredAt: at(created + wait), ...over });
      const made = [
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'closed', ...answered(0, 30) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'in-progress', ...answered(100, 45) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'closed', ...answered(200, 12.5) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'in-progress', ...answered(300, 90) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'abandoned', ...answered(350, 5) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'waiting', ...answered(360, 5) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'closed', createdAt: at(370) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'closed', ...answered(380, 7, { language: 'pl-PL' }) }),
        ticket({ number: await s.tickets.allocateNumber(), org, service: `svc-${uniq()}`, status: 'closed', ...answered(390, 8) }),
      ];
      for (const t of made) await s.tickets.putIfAbsent(t);
      expect(await s.tickets.answeredWaits(service, 'en-US', at(0), 10)).toEqual([90, 12.5, 45, 30]);
      expect(await s.tickets.answeredWaits(service, 'en-US', at(150), 10)).toEqual([90, 12.5]);
      expect(await s.tickets.answeredWaits(service, 'en-US', at(0), 3)).toEqual([90, 12.5, 45]);
      expect(await s.tickets.answeredWaits(service, 'pl-PL', at(0), 10)).toEqual([7]);
      expect(await s.tickets.answeredWaits(service, 'en-US', at(400), 10)).toEqual([]);
      // A wait that would be negative (clocks apart) is dropped after the cut, not replaced.
      const skewed = ticket({ number: await s.tickets.allocateNumber(), org, service, status: 'closed', ...answered(400, -3) });
      await s.tickets.putIfAbsent(skewed);
      expect(await s.tickets.answeredWaits(service, 'en-US', at(0), 2)).toEqual([90]);
      // Moving a ticket moves it between the status partitions: answered once in progress, counted while closed.
      await s.tickets.transition(made[1]!.number, 'closed', { closedAt: at(500) });
      expect(await s.tickets.answeredWaits(service, 'en-US', at(0), 10)).toEqual([90, 12.5, 45, 30]);
    });

    it('a window limit: `max` holders per window, a holder counted once, old holders give their place up', async () => {
      const key = `tickets#+4860${uniq()}`;
      const reserve = (holder: string, at: number) => s.tickets.reserveInWindow(key, holder, 2, 60_000, T0 + at);
      expect(await reserve('call-a', 0)).toBe(true);
      expect(await reserve('call-b', 1)).toBe(true);
      expect(await reserve('call-c', 2)).toBe(false);
      expect(await reserve('call-a', 3)).toBe(true);
      expect(await reserve('call-c', 59_999)).toBe(false);
      expect(await reserve('call-c', 60_000)).toBe(true);
      expect(await reserve('call-a', 60_000)).toBe(false);
      expect(await reserve('call-b', 999_999)).toBe(true);
      expect(await s.tickets.reserveInWindow(`other-${uniq()}`, 'call-c', 2, 60_000, T0 + 60_000)).toBe(true);
      expect(await s.tickets.reserveInWindow(`other-${uniq()}`, 'call-c', 0, 60_000, T0)).toBe(false);
    });

    it('a window limit under simultaneous calls: exactly `max` places, and a retried holder takes one', async () => {
      const key = `page#+4860${uniq()}`;
      const holders = ['a', 'b', 'c', 'd', 'e', 'f'];
      const results = await Promise.all(holders.map((h) => s.tickets.reserveInWindow(key, h, 3, 60_000, T0)));
      expect(results.filter(Boolean)).toHaveLength(3);
      const again = await Promise.all(holders.map((h) => s.tickets.reserveInWindow(key, h, 3, 60_000, T0 + 1)));
      expect(again).toEqual(results);

      const twice = `page#+4860${uniq()}`;
      expect(await Promise.all([1, 2, 3].map(() => s.tickets.reserveInWindow(twice, 'same-call', 2, 60_000, T0)))).toEqual([true, true, true]);
      expect(await s.tickets.reserveInWindow(twice, 'other-call', 2, 60_000, T0)).toBe(true);
      expect(await s.tickets.reserveInWindow(twice, 'third-call', 2, 60_000, T0)).toBe(false);
    });
  });

  describe('audit log', () => {
    it('keeps every outcome of a step, newest first, per organization', async () => {
      const org = `org-${uniq()}`;
      const callSid = sid();
      const at = (s: number) => new Date(T0 + s * 1000).toISOString();
      await s.audit.record({ org, caller: '+48601234567', callSid, method: 'code-sms', result: 'send-failed', at: at(1) }, 3);
      await s.audit.record({ org, caller: '+48601234567', callSid, method: 'code-email', result: 'code-sent', at: at(1) }, 3);
      await s.audit.record({ org, caller: '+48601234567', callSid, method: 'account', result: 'account-found', at: at(0) }, 2);
      await s.audit.record({ org: `other-${uniq()}`, caller: '+1', callSid, method: 'account', result: 'account-found', at: at(5) }, 2);
      const entries = await s.audit.forOrg(org);
      expect(entries.map((e) => `${e.method}:${e.result}`)).toEqual(['code-sms:send-failed', 'code-email:code-sent', 'account:account-found']);
      expect(entries[2]).toEqual({ org, caller: '+48601234567', callSid, method: 'account', result: 'account-found', at: at(0) });
      expect(await s.audit.forOrg(org, 1)).toHaveLength(1);
    });
  });

  describe('agent sign-in locks', () => {
    it('locks on the fifth wrong PIN, counts a replayed attempt once, and clears only an expired lock', async () => {
      const agent = `a-${uniq()}`;
      const results = [];
      for (let i = 0; i < LOCKOUT.maxFailures; i++) results.push(await s.agentLocks!.recordFailure(agent, `k${i}`, T0 + i));
      expect(results.map((r) => [r.record.failures, r.locked, r.lockedNow])).toEqual([
        [1, false, false],
        [2, false, false],
        [3, false, false],
        [4, false, false],
        [5, true, true],
      ]);
      expect(await s.agentLocks!.recordFailure(agent, 'k4', T0 + 10)).toMatchObject({ lockedNow: false, locked: true, record: { failures: 5 } });
      expect(await s.agentLocks!.isLocked(agent, T0 + 10)).toBe(true);
      await s.agentLocks!.clear(agent, T0 + 10);
      expect(await s.agentLocks!.isLocked(agent, T0 + 10)).toBe(true);
      const until = (await s.agentLocks!.get(agent))!.lockedUntil!;
      expect(until).toBe(T0 + 4 + LOCKOUT.lockMs);
      expect(await s.agentLocks!.isLocked(agent, until)).toBe(false);
      await s.agentLocks!.clear(agent, until);
      expect(await s.agentLocks!.get(agent)).toBeUndefined();
    });

    it('simultaneous wrong PINs are all counted', async () => {
      const agent = `a-${uniq()}`;
      const results = await Promise.all(Array.from({ length: 4 }, (_, i) => s.agentLocks!.recordFailure(agent, `k${i}`, T0)));
      expect(results.map((r) => r.record.failures).sort()).toEqual([1, 2, 3, 4]);
      expect(await s.agentLocks!.get(agent)).toEqual({ failures: 4, firstFailureAt: T0 });
    });

    it('locks per calling number: wrong PINs from one number never lock the id for another or for a withheld one', async () => {
      const agent = `a-${uniq()}`;
      const [one, two] = ['+48601000001', '+48601000002'];
      for (let i = 0; i < LOCKOUT.maxFailures; i++) await s.agentLocks!.recordFailure(agent, `one-${i}`, T0 + i, one);
      expect(await s.agentLocks!.isLocked(agent, T0 + 10, one)).toBe(true);
      expect(await s.agentLocks!.isLocked(agent, T0 + 10, two)).toBe(false);
      expect(await s.agentLocks!.isLocked(agent, T0 + 10)).toBe(false);
      expect(await s.agentLocks!.isLocked(agent, T0 + 10, '')).toBe(false);
      expect(await s.agentLocks!.get(agent, two)).toBeUndefined();
      expect(await s.agentLocks!.get(agent, one)).toEqual({ failures: 5, firstFailureAt: T0, lockedUntil: T0 + 4 + LOCKOUT.lockMs });

      expect(await s.agentLocks!.recordFailure(agent, 'two-0', T0 + 20, two)).toMatchObject({
        record: { failures: 1, firstFailureAt: T0 + 20 },
        locked: false,
        lockedNow: false,
      });
      expect(await s.agentLocks!.recordFailure(agent, 'hidden-0', T0 + 21, '')).toMatchObject({ record: { failures: 1 }, locked: false });
      expect(await s.agentLocks!.recordFailure(agent, 'hidden-1', T0 + 22)).toMatchObject({ record: { failures: 2 }, locked: false });
      expect(await s.agentLocks!.get(agent, '')).toEqual({ failures: 2, firstFailureAt: T0 + 21 });

      // A right PIN from the second number starts its count over and leaves the first number's lock alone.
      await s.agentLocks!.clear(agent, T0 + 30, two);
      expect(await s.agentLocks!.get(agent, two)).toBeUndefined();
      await s.agentLocks!.clear(agent, T0 + 30, one);
      expect(await s.agentLocks!.isLocked(agent, T0 + 30, one)).toBe(true);
      expect(await s.agentLocks!.get(agent, '')).toEqual({ failures: 2, firstFailureAt: T0 + 21 });
      await s.agentLocks!.clear(agent, T0 + 30);
      expect(await s.agentLocks!.get(agent, '')).toBeUndefined();
    });

    it("counts the id's wrong PINs of the UTC day across numbers, a replay once, and reaches the cap once", async () => {
      const agent = `a-${uniq()}`;
      const day = new Date(T0).toISOString().slice(0, 10);
      expect(await s.agentLocks!.daily(agent, T0)).toBeUndefined();
      const first = await s.agentLocks!.recordFailure(agent, 'k0', T0, '+48601000001');
      expect(first.day).toEqual({ day, count: 1, numbers: ['+48601000001'], paged: false, capReachedNow: false });
      expect((await s.agentLocks!.recordFailure(agent, 'k0', T0 + 1, '+48601000001')).day).toEqual({
        day,
        count: 1,
        numbers: ['+48601000001'],
        paged: false,
        capReachedNow: false,
      });
      expect((await s.agentLocks!.recordFailure(agent, 'k1', T0 + 2)).day).toMatchObject({ count: 2, numbers: ['+48601000001', 'withheld'] });
      expect((await s.agentLocks!.recordFailure(agent, 'k2', T0 + 3, '+48601000001')).day).toMatchObject({ count: 3, numbers: ['+48601000001', 'withheld'] });

      const days = [];
      for (let i = 3; i < DAILY_PIN_CAP + 1; i++) days.push((await s.agentLocks!.recordFailure(agent, `k${i}`, T0 + 1000 * i, `+4860200000${i % 4}`)).day);
      expect(days.map((d) => [d.count, d.paged, d.capReachedNow])).toEqual(
        Array.from({ length: DAILY_PIN_CAP - 2 }, (_, i) => [i + 4, i + 4 >= DAILY_PIN_CAP, i + 4 === DAILY_PIN_CAP]),
      );
      expect(await s.agentLocks!.daily(agent, T0 + 8 * 3_600_000)).toEqual({
        day,
        count: DAILY_PIN_CAP + 1,
        numbers: ['+48601000001', 'withheld', '+48602000003', '+48602000000', '+48602000001', '+48602000002'],
        paged: true,
      });
      // A replay of the attempt that reached the cap does not reach it again.
      expect((await s.agentLocks!.recordFailure(agent, `k${DAILY_PIN_CAP - 1}`, T0 + 90_000, '+48602000003')).day).toMatchObject({
        count: DAILY_PIN_CAP + 1,
        capReachedNow: false,
      });

      // The next UTC day starts from nothing.
      const tomorrow = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      expect(await s.agentLocks!.daily(agent, tomorrow)).toBeUndefined();
      expect((await s.agentLocks!.recordFailure(agent, 'next-0', tomorrow, '+48601000001')).day).toEqual({
        day: new Date(tomorrow).toISOString().slice(0, 10),
        count: 1,
        numbers: ['+48601000001'],
        paged: false,
        capReachedNow: false,
      });
      expect(await s.agentLocks!.daily(agent, T0)).toMatchObject({ count: DAILY_PIN_CAP + 1, paged: true });
    });

    it("simultaneous wrong PINs from several numbers are all counted in the day, each on its number's lock", async () => {
      const agent = `a-${uniq()}`;
      const numbers = ['+48603000001', '+48603000002', '+48603000003', '+48603000004', ''];
      const results = await Promise.all(numbers.map((n, i) => s.agentLocks!.recordFailure(agent, `k${i}`, T0, n)));
      expect(results.map((r) => r.day.count).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(results.map((r) => r.record.failures)).toEqual([1, 1, 1, 1, 1]);
      const day = await s.agentLocks!.daily(agent, T0);
      expect(day).toMatchObject({ count: 5, paged: false });
      expect([...day!.numbers].sort()).toEqual([...numbers.slice(0, 4), 'withheld'].sort());
      for (const n of numbers) expect(await s.agentLocks!.get(agent, n)).toEqual({ failures: 1, firstFailureAt: T0 });
    });
  });

  describe('directory', () => {
    it('answers the data file: config, phones and accounts normalized, agents with a PIN hash only', async () => {
      const config = await s.directory.config();
      expect(config.lines).toEqual(data.lines);
      expect(config.agentsLine).toBe(data.agents.line);
      const contoso = data.organizations.find((o) => o.account === ACCOUNTS.contoso)!;
      const phone = contoso.people[0]!.phone;
      const found = await s.directory.peopleByPhone(` ${phone.slice(0, 4)} ${phone.slice(4)} `);
      expect(found.map((f) => [f.org.id, f.person.name])).toEqual([[contoso.id, contoso.people[0]!.name]]);
      expect(await s.directory.peopleByPhone('+1')).toEqual([]);
      expect((await s.directory.orgByAccount(`${ACCOUNTS.contoso.slice(0, 3)}-${ACCOUNTS.contoso.slice(3)}`))?.id).toBe(contoso.id);
      expect(await s.directory.orgByAccount('')).toBeUndefined();
      expect(await s.directory.orgByAccount('99999999')).toBeUndefined();
      expect(await s.directory.orgById(contoso.id)).toEqual(contoso);
      const person = data.agents.people[0]!;
      const agent = await s.directory.agentById(` ${person.id} `);
      expect(agent).toMatchObject({ id: person.id, name: person.name });
      expect(agent).not.toHaveProperty('pin');
      expect(await verifyPin(person.pin!, agent!.pinHash!)).toBe(true);
      expect(await s.directory.agentById('')).toBeUndefined();
      expect(await s.directory.agentById('no-such-agent')).toBeUndefined();
    });
  });
});
