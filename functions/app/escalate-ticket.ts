/**
 * Moving a ticket to the engineers (tier 2), the one way every path does it: the ticket API's escalate
 * route and the automatic escalation schedule. The write is a compare-and-set on what agents change
 * (status, agent, bridge), so an escalation never undoes a claim made meanwhile: it re-reads and applies
 * again. A waiting ticket is re-indexed into the engineers' queue partition by the write itself.
 */
import { escalate, type Ticket } from '../domain/tickets.js';
import type { TicketStore } from './ports.js';

export type EscalateOutcome =
  | { kind: 'escalated'; ticket: Ticket }
  | { kind: 'already'; ticket: Ticket }
  | { kind: 'closed' }
  | { kind: 'missing' }
  | { kind: 'conflict' };

/** Compare-and-set attempts before giving up: each loss means an agent moved the ticket meanwhile. */
const ESCALATE_ATTEMPTS = 4;

export async function escalateTicketByNumber(number: string, deps: { tickets: Pick<TicketStore, 'get' | 'replaceIf'> }): Promise<EscalateOutcome> {
  for (let attempt = 0; attempt < ESCALATE_ATTEMPTS; attempt++) {
    const current = await deps.tickets.get(number);
    if (!current) return { kind: 'missing' };
    const result = escalate(current);
    if (result.kind === 'closed') return { kind: 'closed' };
    if (result.kind === 'already') return { kind: 'already', ticket: result.ticket };
    if (await deps.tickets.replaceIf(current, result.ticket)) return { kind: 'escalated', ticket: result.ticket };
  }
  return { kind: 'conflict' };
}
