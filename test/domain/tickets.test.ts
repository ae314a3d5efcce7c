/** Pure ticket rules: queue names and order, and the status edges. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canMove, nextInQueue, queueName, queuePartition, queueSortKey, type Ticket, type TicketStatus } from '../../functions/domain/tickets.js';

type QueueFields = Pick<Ticket, 'priorityRank' | 'priorityQueue' | 'createdAt' | 'number'>;

describe('queue names', () => {
  it('one Twilio queue per service, language, tier, rank and priority-plan flag', () => {
    expect(queueName({ service: 'technical', language: 'en-US', tier: 1, priorityRank: 0, priorityQueue: false })).toBe('technical.en-US.t1.r0.std');
    expect(queueName({ service: 'billing', language: 'pl-PL', tier: 2, priorityRank: 3, priorityQueue: true })).toBe('billing.pl-PL.t2.r3.pq');
  });

  it('are at most 64 characters (Twilio’s limit)', () => {
    expect(queueName({ service: 'x'.repeat(80), language: 'en-US', tier: 1, priorityRank: 0, priorityQueue: false })).toHaveLength(64);
  });

  it('the queue partition is per service, language and tier', () => {
    expect(queuePartition({ service: 'technical', language: 'en-US', tier: 1 })).toBe('WAITING#technical#en-US#1');
  });
});

describe('queue order', () => {
  const entry = fc.record({
    priorityRank: fc.integer({ min: 0, max: 9 }),
    priorityQueue: fc.boolean(),
    createdAt: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    number: fc.integer({ min: 1_000_000, max: 9_999_999 }).map(String),
  });

  /** The order the contract describes: most urgent first, priority plans first within a priority, oldest first. */
  function before(a: QueueFields, b: QueueFields): boolean {
    if (a.priorityRank !== b.priorityRank) return a.priorityRank < b.priorityRank;
    if (a.priorityQueue !== b.priorityQueue) return a.priorityQueue;
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
    return a.number < b.number;
  }

  it('the sort key orders tickets as the contract says', () => {
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        fc.pre(a.number !== b.number);
        expect(queueSortKey(a) < queueSortKey(b)).toBe(before(a, b));
      }),
    );
  });

  it('nextInQueue picks the one no other goes before', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.number, minLength: 1, maxLength: 20 }), (list) => {
        const next = nextInQueue(list)!;
        for (const other of list) if (other !== next) expect(before(other, next)).toBe(false);
      }),
    );
    expect(nextInQueue([])).toBeUndefined();
  });

  it('an example: P1 before P2 whatever the plan, a priority plan first within P2, then the oldest', () => {
    const t = (number: string, priorityRank: number, priorityQueue: boolean, createdAt: string) => ({ number, priorityRank, priorityQueue, createdAt });
    const list = [
      t('1', 1, false, '2026-05-13T10:00:00Z'),
      t('2', 1, true, '2026-05-13T11:00:00Z'),
      t('3', 0, false, '2026-05-13T12:00:00Z'),
      t('4', 1, true, '2026-05-13T10:30:00Z'),
    ];
    const order: string[] = [];
    let rest = list;
    while (rest.length) {
      const n = nextInQueue(rest)!;
      order.push(n.number);
      rest = rest.filter((x) => x !== n);
    }
    expect(order).toEqual(['3', '4', '2', '1']);
  });
});

describe('status edges', () => {
  const ALL: TicketStatus[] = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'];
  it.each([
    ['waiting', ['in-progress', 'abandoned', 'closed']],
    ['callback', ['in-progress', 'closed']],
    ['in-progress', ['closed']],
    ['abandoned', ['in-progress', 'closed']],
    ['closed', []],
  ] as const)('from %s only to %j', (from, to) => {
    expect(ALL.filter((s) => canMove(from, s))).toEqual(to);
  });

  it('nothing moves back to waiting, and closed is final', () => {
    for (const s of ALL) {
      expect(canMove(s, 'waiting')).toBe(false);
      expect(canMove('closed', s)).toBe(false);
      expect(canMove(s, s)).toBe(false);
    }
  });
});
