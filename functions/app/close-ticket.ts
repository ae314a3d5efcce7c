/**
 * Closing a ticket (contract §5 v2), the one way every path does it: the ticket API's close route and the
 * agent's "resolved" key after a conversation. A compare-and-set on what agents change, retried when an
 * agent moved the ticket meanwhile; closing a closed ticket changes nothing. The organization is told in
 * the ticket's language (best effort: the close stands if the text or email fails).
 */
import { closeTicket, type BoardTicket } from '../domain/board.js';
import { localize } from '../domain/messages/catalog.js';
import type { Directory, Notifier, TicketStore } from './ports.js';

export interface CloseDeps {
  tickets: Pick<TicketStore, 'get' | 'replaceIf'>;
  directory: Pick<Directory, 'orgById'>;
  notifier: Notifier;
  now: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
}

export type CloseOutcome = { kind: 'closed' | 'already'; ticket: BoardTicket } | { kind: 'missing' } | { kind: 'conflict' };

/** Compare-and-set attempts before giving up: each loss means an agent moved the ticket meanwhile. */
const ATTEMPTS = 4;

export async function closeTicketByNumber(number: string, args: { resolution?: string; by?: string }, deps: CloseDeps): Promise<CloseOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = (await deps.tickets.get(number)) as BoardTicket | undefined;
    if (!current) return { kind: 'missing' };
    const result = closeTicket(current, { nowIso: deps.now().toISOString(), resolution: args.resolution, by: args.by });
    if (result.kind === 'already') return { kind: 'already', ticket: current };
    if (await deps.tickets.replaceIf(current, result.ticket)) {
      await tellClosed(result.ticket, deps);
      return { kind: 'closed', ticket: result.ticket };
    }
  }
  return { kind: 'conflict' };
}

/** Tells the organization's contact that the ticket is closed, in the ticket's language. Best effort: the close stands. */
async function tellClosed(ticket: BoardTicket, deps: CloseDeps): Promise<void> {
  try {
    const org = await deps.directory.orgById(ticket.org);
    if (!org) return;
    const p = { number: ticket.number, priority: ticket.priority, org: org.name, resolution: ticket.resolution ?? '' };
    const text = [
      localize(ticket.language, { id: 'ticket-closed-text', params: p }),
      ...(ticket.resolution ? [localize(ticket.language, { id: 'ticket-closed-resolution', params: p })] : []),
    ].join('\n');
    if (org.contacts.phone) await deps.notifier.send({ channel: 'sms', to: org.contacts.phone, body: text });
    else if (org.contacts.email)
      await deps.notifier.send({
        channel: 'email',
        to: org.contacts.email,
        subject: localize(ticket.language, { id: 'ticket-closed-subject', params: p }),
        body: text,
      });
  } catch (e) {
    deps.log?.('warn', 'closed-ticket notice failed', { ticket: ticket.number, error: String(e) });
  }
}
