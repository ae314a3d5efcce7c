/** The board's pure rules (functions/domain/board.ts): queues, timeline, hourly chart, close and change of priority. */
import { describe, expect, it } from 'vitest';
import { changePriority, closeTicket, hourlyChart, summarizeQueues, ticketTimeline, type BoardTicket } from '../../functions/domain/board.js';
import type { LineConfig } from '../../functions/domain/model.js';

const T0 = Date.parse('2026-05-13T15:00:00Z'); // Wednesday 11:00 in New York
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

const base: BoardTicket = {
  number: '1000001',
  org: 'contoso',
  orgName: 'Contoso',
  plan: 'business',
  service: 'billing',
  priority: 'P3',
  priorityRank: 2,
  status: 'waiting',
  line: '+18887999666',
  language: 'en-US',
  country: 'US',
  verifiedBy: 'code',
  caller: '+15555550123',
  createdAt: iso(T0),
  firstResponseDue: iso(T0 + 24 * HOUR),
  callSid: 'CA' + 'a'.repeat(32),
  priorityQueue: false,
  tier: 1,
  queue: 'billing.en-US.t1.r2.std',
};

const config: LineConfig = {
  lines: [{ number: '+18887999666', countries: ['US'], language: 'en-US', timezone: 'America/New_York', scheme: 'p' }],
  services: { billing: { hours: { 'mon-fri': ['09:00', '17:00'] } } },
  holidays: {},
  schemes: {
    p: [
      { id: 'P1', firstResponse: 'PT8H', clock: 'business' },
      { id: 'P2', firstResponse: 'PT4H', restore: 'PT8H' },
      { id: 'P3', firstResponse: 'PT24H' },
    ],
  },
  plans: { business: { phoneSupport: true } },
  agentsLine: '+15550100000',
} as unknown as LineConfig;

describe('changePriority', () => {
  it("recomputes due times on the new level's clock from creation: 8 business hours from Wednesday 11:00 is Thursday 11:00", () => {
    const r = changePriority(base, { priority: 'P1', reason: 'outage', nowIso: iso(T0 + 5 * MIN), config });
    expect(r.kind).toBe('changed');
    if (r.kind !== 'changed') return;
    expect(r.ticket.firstResponseDue).toBe(iso(T0 + 24 * HOUR));
    expect(r.ticket.priorityRank).toBe(0);
    expect(r.ticket.queue).toBe(base.queue);
    expect(r.ticket.priorityHistory).toEqual([{ from: 'P3', to: 'P1', reason: 'outage', at: iso(T0 + 5 * MIN) }]);
    const p2 = changePriority(r.ticket, { priority: 'P2', reason: 'workaround', nowIso: iso(T0 + 6 * MIN), config });
    expect(p2.kind === 'changed' && [p2.ticket.firstResponseDue, p2.ticket.restoreDue, p2.ticket.priorityHistory!.length]).toEqual([
      iso(T0 + 4 * HOUR),
      iso(T0 + 8 * HOUR),
      2,
    ]);
  });

  it('answers same, unknown level, or closed without changing anything', () => {
    expect(changePriority(base, { priority: 'P3', reason: 'x', nowIso: iso(T0), config })).toEqual({ kind: 'same', ticket: base });
    expect(changePriority(base, { priority: 'P9', reason: 'x', nowIso: iso(T0), config })).toEqual({ kind: 'unknown-level', levels: ['P1', 'P2', 'P3'] });
    expect(changePriority({ ...base, status: 'closed' }, { priority: 'P1', reason: 'x', nowIso: iso(T0), config })).toEqual({ kind: 'closed' });
    expect(changePriority({ ...base, line: '+10000000000' }, { priority: 'P1', reason: 'x', nowIso: iso(T0), config })).toEqual({ kind: 'unknown-line' });
  });

  it('re-judges a first response already given against the new due time', () => {
    const answered = { ...base, status: 'in-progress' as const, answeredAt: iso(T0 + 5 * HOUR), firstResponseMet: true };
    const r = changePriority(answered, { priority: 'P2', reason: 'x', nowIso: iso(T0 + 6 * HOUR), config });
    expect(r.kind === 'changed' && r.ticket.firstResponseMet).toBe(false);
  });
});

describe('closeTicket', () => {
  it('closes once; a closed ticket stays as it is', () => {
    const r = closeTicket(base, { nowIso: iso(T0 + HOUR), resolution: 'refunded' });
    expect(r).toEqual({ kind: 'closed', ticket: { ...base, status: 'closed', closedAt: iso(T0 + HOUR), resolution: 'refunded' } });
    if (r.kind === 'closed') expect(closeTicket(r.ticket, { nowIso: iso(T0 + 2 * HOUR), resolution: 'other' })).toEqual({ kind: 'already', ticket: r.ticket });
  });
});

describe('summarizeQueues, ticketTimeline, hourlyChart', () => {
  it('counts callbacks apart from waiting callers and ignores tickets with an agent', () => {
    const q = summarizeQueues([base, { ...base, number: '2', status: 'callback' }, { ...base, number: '3', status: 'in-progress' }], T0 + 10 * MIN);
    expect(q).toEqual([
      expect.objectContaining({
        id: 'billing.en-US.t1',
        waiting: { P3: 1 },
        waitingTotal: 1,
        callbacks: 1,
        longestWaitS: 600,
        topPriorityWaiting: false,
        firstBreachInS: 24 * 3600 - 600,
      }),
    ]);
  });

  it('orders the timeline by time', () => {
    const t: BoardTicket = {
      ...base,
      status: 'closed',
      answeredAt: iso(T0 + 3 * MIN),
      agent: '1001',
      bridgedAt: iso(T0 + 4 * MIN),
      closedAt: iso(T0 + HOUR),
      resolution: 'done',
    };
    expect(ticketTimeline(t).map((e) => e.event)).toEqual(['created', 'queued', 'answered', 'bridged', 'closed']);
    expect(ticketTimeline({ ...base, queue: undefined, status: 'callback' }).map((e) => e.event)).toEqual(['created', 'callback']);
  });

  it('a caller waits in every hour from creation to answer, and is answered in one', () => {
    const t: BoardTicket = { ...base, createdAt: iso(T0 + 50 * MIN), answeredAt: iso(T0 + 70 * MIN) };
    const hours = hourlyChart([t, { ...base, number: '2', status: 'callback', queue: undefined }], T0, T0 + 2 * HOUR + MIN);
    expect(hours.map((h) => [h.hour, h.waiting, h.answered])).toEqual([
      [iso(T0), { P3: 1 }, {}],
      [iso(T0 + HOUR), { P3: 1 }, { P3: 1 }],
      [iso(T0 + 2 * HOUR), {}, {}],
    ]);
  });
});
