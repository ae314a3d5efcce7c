/** A spooled ticket as caller-flow `openTicket` makes one while DynamoDB is down. */
import { spoolNumber } from '../../../functions/app/caller-flow/index.js';
import type { Ticket } from '../../../functions/domain/tickets.js';
import { newCallSid, ticketFixture } from '../../support/fixtures.js';

export function spooledTicket(over: Partial<Ticket> = {}): Ticket {
  const callSid = over.callSid ?? newCallSid();
  return ticketFixture({ number: spoolNumber(callSid), callSid, createdAt: '2026-05-13T15:00:00.000Z', status: 'callback', spooled: true, ...over });
}
