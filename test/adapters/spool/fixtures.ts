/** A spooled ticket as caller-flow `openTicket` makes one while DynamoDB is down. */
import { randomBytes } from 'node:crypto';
import { spoolNumber } from '../../../functions/app/caller-flow/index.js';
import type { Ticket } from '../../../functions/domain/tickets.js';

export function spooledTicket(over: Partial<Ticket> = {}): Ticket {
  const callSid = over.callSid ?? `CA${randomBytes(16).toString('hex')}`;
  return {
    number: spoolNumber(callSid),
    org: 'contoso',
    orgName: 'Contoso',
    plan: 'business',
    service: 'technical',
    priority: 'P2',
    priorityRank: 1,
    status: 'callback',
    line: '+18887999666',
    language: 'en-US',
    country: 'US',
    verifiedBy: 'caller-id',
    caller: '+48601234567',
    createdAt: '2026-05-13T15:00:00.000Z',
    firstResponseDue: '2026-05-13T19:00:00.000Z',
    callSid,
    priorityQueue: false,
    tier: 1,
    spooled: true,
    ...over,
  };
}
