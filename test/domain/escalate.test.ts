import { describe, expect, it } from 'vitest';
import { ENGINEERS_TIER, escalate, queuePartition, type TicketStatus } from '../../functions/domain/tickets.js';

describe('escalate', () => {
  it.each<TicketStatus>(['waiting', 'callback', 'in-progress', 'abandoned'])('moves a tier 1 %s ticket to the engineers, status unchanged', (status) => {
    const t = { status, tier: 1, service: 'technical', language: 'en-US', number: '1000001' };
    const r = escalate(t);
    expect(r).toEqual({ kind: 'escalated', ticket: { ...t, tier: ENGINEERS_TIER } });
    // The rest of the ticket is untouched, and a waiting one lands in another queue partition.
    if (r.kind === 'escalated') expect(queuePartition(r.ticket)).not.toBe(queuePartition(t));
  });

  it('leaves a ticket already with the engineers as it is, so a retried request changes nothing', () => {
    const t = { status: 'waiting' as const, tier: 2 };
    expect(escalate(t)).toEqual({ kind: 'already', ticket: t });
    expect(escalate({ status: 'waiting' as const, tier: 3 })).toMatchObject({ kind: 'already' });
  });

  it('does not touch a closed ticket', () => {
    expect(escalate({ status: 'closed' as const, tier: 1 })).toEqual({ kind: 'closed' });
  });
});
