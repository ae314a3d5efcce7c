/**
 * The agents' pure rules: next-caller choice (property-based against an independent reference order) and
 * the sign-in lockout policy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  callerOrder,
  firstResponseMet,
  isLocked,
  LOCKOUT,
  nextCaller,
  queueSlices,
  serves,
  type AgentSkills,
  type LockRecord,
} from '../../functions/domain/agents.js';
import type { Ticket, TicketStatus } from '../../functions/domain/tickets.js';

const SERVICES = ['technical', 'billing', 'licensing'] as const;
const LANGUAGES = ['en-US', 'pl-PL', 'en-GB'] as const;
const STATUSES: TicketStatus[] = ['waiting', 'waiting', 'waiting', 'callback', 'in-progress', 'abandoned', 'closed'];

type Candidate = Pick<Ticket, 'number' | 'status' | 'service' | 'language' | 'tier' | 'priorityRank' | 'priorityQueue' | 'createdAt'>;

/** Tickets as the queue index may return them: few distinct ranks and times, so ties are common. */
const ticketsArb = fc
  .uniqueArray(fc.integer({ min: 1_000_000, max: 9_999_999 }), { minLength: 0, maxLength: 30 })
  .chain((numbers) =>
    fc.tuple(
      ...numbers.map((n) =>
        fc.record({
          number: fc.constant(String(n)),
          status: fc.constantFrom(...STATUSES),
          service: fc.constantFrom(...SERVICES),
          language: fc.constantFrom(...LANGUAGES),
          tier: fc.integer({ min: 1, max: 2 }),
          priorityRank: fc.integer({ min: 0, max: 3 }),
          priorityQueue: fc.boolean(),
          // Minutes within one day: equal times happen, and ISO strings of one format order like instants.
          createdAt: fc.integer({ min: 0, max: 20 }).map((m) => new Date(Date.UTC(2026, 4, 13, 9, m)).toISOString()),
        }),
      ),
    ),
  )
  .map((ts) => ts as Candidate[]);

const agentArb: fc.Arbitrary<AgentSkills> = fc.record({
  services: fc.subarray([...SERVICES], { minLength: 1 }),
  languages: fc.subarray([...LANGUAGES], { minLength: 1 }),
  tier: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
});

/** The contract's order written out field by field (not through the index's sort key). */
function referenceBefore(a: Candidate, b: Candidate): number {
  if (a.priorityRank !== b.priorityRank) return a.priorityRank - b.priorityRank;
  if (a.priorityQueue !== b.priorityQueue) return a.priorityQueue ? -1 : 1;
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return ta - tb;
  return Number(a.number) - Number(b.number);
}

function referenceEligible(agent: AgentSkills, t: Candidate): boolean {
  // Contract §3 v2: a callback ticket is offered like a waiting one.
  return (
    (t.status === 'waiting' || t.status === 'callback') &&
    agent.services.includes(t.service) &&
    agent.languages.includes(t.language) &&
    t.tier === (agent.tier ?? 1)
  );
}

describe('next caller', () => {
  it('is the highest priority, then a priority plan, then the oldest, among the tickets the agent serves', () => {
    fc.assert(
      fc.property(ticketsArb, agentArb, (tickets, agent) => {
        const chosen = nextCaller(tickets, agent);
        const eligible = tickets.filter((t) => referenceEligible(agent, t));
        if (eligible.length === 0) {
          expect(chosen).toBeUndefined();
          return;
        }
        expect(chosen).toBeDefined();
        expect(referenceEligible(agent, chosen!)).toBe(true);
        for (const other of eligible) expect(referenceBefore(chosen!, other)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it('orders every eligible ticket exactly once, in the reference order, and nothing else', () => {
    fc.assert(
      fc.property(ticketsArb, agentArb, (tickets, agent) => {
        const order = callerOrder(tickets, agent);
        const expected = tickets.filter((t) => referenceEligible(agent, t)).sort(referenceBefore);
        expect(order.map((t) => t.number)).toEqual(expected.map((t) => t.number));
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order the queue partitions were read in', () => {
    fc.assert(
      fc.property(ticketsArb, agentArb, fc.integer(), (tickets, agent, seed) => {
        const shuffled = [...tickets].sort((a, b) => ((Number(a.number) * 7919 + seed) % 101) - ((Number(b.number) * 7919 + seed) % 101));
        expect(nextCaller(shuffled, agent)?.number).toBe(nextCaller(tickets, agent)?.number);
      }),
    );
  });

  it('a P1 of a standard plan goes before a P2 of a priority plan, and a priority plan before an older standard ticket of its level', () => {
    const agent: AgentSkills = { services: ['technical'], languages: ['en-US'] };
    const base = { status: 'waiting' as const, service: 'technical', language: 'en-US', tier: 1 };
    const p2pq = { ...base, number: '1000001', priorityRank: 1, priorityQueue: true, createdAt: '2026-05-13T09:00:00.000Z' };
    const p1old = { ...base, number: '1000002', priorityRank: 0, priorityQueue: false, createdAt: '2026-05-13T09:01:00.000Z' };
    const p1pq = { ...base, number: '1000003', priorityRank: 0, priorityQueue: true, createdAt: '2026-05-13T09:05:00.000Z' };
    expect(callerOrder([p2pq, p1old, p1pq], agent).map((t) => t.number)).toEqual(['1000003', '1000002', '1000001']);
  });

  it('serves only the agent tier (default 1), services and languages, and only waiting tickets', () => {
    const t = { status: 'waiting' as const, service: 'technical', language: 'en-US', tier: 2 };
    expect(serves({ services: ['technical'], languages: ['en-US'] }, t)).toBe(false);
    expect(serves({ services: ['technical'], languages: ['en-US'], tier: 2 }, t)).toBe(true);
    expect(serves({ services: ['billing'], languages: ['en-US'], tier: 2 }, t)).toBe(false);
    expect(serves({ services: ['technical'], languages: ['pl-PL'], tier: 2 }, t)).toBe(false);
    expect(serves({ services: ['technical'], languages: ['en-US'], tier: 2 }, { ...t, status: 'abandoned' })).toBe(false);
  });

  it('reads one queue partition per service and language the agent serves, at their tier', () => {
    expect(queueSlices({ services: ['technical', 'billing', 'technical'], languages: ['en-US', 'pl-PL'] })).toEqual([
      { service: 'technical', language: 'en-US', tier: 1 },
      { service: 'technical', language: 'pl-PL', tier: 1 },
      { service: 'billing', language: 'en-US', tier: 1 },
      { service: 'billing', language: 'pl-PL', tier: 1 },
    ]);
    expect(queueSlices({ services: ['technical'], languages: ['ja-JP'], tier: 2 })).toEqual([{ service: 'technical', language: 'ja-JP', tier: 2 }]);
  });

  it('first response is met when answered at or before the due time', () => {
    expect(firstResponseMet('2026-05-13T10:00:00.000Z', '2026-05-13T10:00:00.000Z')).toBe(true);
    expect(firstResponseMet('2026-05-13T10:00:00.001Z', '2026-05-13T10:00:00.000Z')).toBe(false);
    expect(firstResponseMet('2026-05-13T09:00:00.000Z', '2026-05-13T10:00:00.000Z')).toBe(true);
  });
});

describe('sign-in lockout', () => {
  const T0 = Date.parse('2026-05-13T09:00:00Z');
  const run = (times: number[]): LockRecord | undefined => times.reduce<LockRecord | undefined>((r, t) => afterFailure(r, t), undefined);

  it('locks on the 5th wrong PIN within 15 minutes, for 15 minutes from it', () => {
    const times = [0, 1, 2, 3, 4].map((i) => T0 + i * 60_000);
    const after4 = run(times.slice(0, 4));
    expect(isLocked(after4, T0 + 4 * 60_000)).toBe(false);
    const after5 = run(times)!;
    expect(after5.failures).toBe(5);
    expect(isLocked(after5, times[4]!)).toBe(true);
    expect(isLocked(after5, times[4]! + LOCKOUT.lockMs - 1)).toBe(true);
    expect(isLocked(after5, times[4]! + LOCKOUT.lockMs)).toBe(false);
  });

  it('never locks on fewer than 5 failures, and a locked record is not changed by more attempts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 * 60_000 }), { minLength: 1, maxLength: 20 }), (gaps) => {
        let record: LockRecord | undefined;
        let t = T0;
        let recent: number[] = [];
        for (const gap of gaps) {
          t += gap;
          const before = record;
          record = afterFailure(record, t);
          if (isLocked(before, t)) {
            expect(record).toBe(before);
            continue;
          }
          // Reference: failures since the window started, restarted by a stale count or an expired lock.
          if (!before || before.lockedUntil !== undefined || t - recent[0]! >= LOCKOUT.windowMs) recent = [];
          recent.push(t);
          expect(record.failures).toBe(recent.length);
          expect(isLocked(record, t)).toBe(recent.length >= LOCKOUT.maxFailures);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('failures further apart than the window never lock', () => {
    const times = Array.from({ length: 12 }, (_, i) => T0 + i * LOCKOUT.windowMs);
    let record: LockRecord | undefined;
    for (const t of times) {
      record = afterFailure(record, t);
      expect(isLocked(record, t)).toBe(false);
      expect(record.failures).toBe(1);
    }
  });

  it('after a lock expires the count starts over', () => {
    const locked = run([0, 1, 2, 3, 4].map((i) => T0 + i * 1000))!;
    const later = locked.lockedUntil! + 1;
    const next = afterFailure(locked, later);
    expect(next).toEqual({ failures: 1, firstFailureAt: later });
  });
});
