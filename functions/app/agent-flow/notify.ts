/** Status notices: every status change of a ticket is texted or emailed to the organization when its plan has `notifyStatusChanges`. */
import { statusNotice } from '../../domain/speech/texts.js';
import type { Channel, FlowDeps } from '../ports.js';
import type { AgentTicket } from './context.js';

/**
 * Tells the organization's contact about a ticket's new status when its plan asks for it
 * (`notifyStatusChanges`). Exactly once per change: the ticket's `notifiedStatus` is set with a
 * compare-and-set first, and only the writer that wins sends. The creation status is skipped (the caller
 * flow's confirmation told it already). Best effort: a failure is logged, never raised into a call.
 */
export async function notifyStatusChange(ticket: AgentTicket, deps: Pick<FlowDeps, 'tickets' | 'directory' | 'notifier' | 'log'>): Promise<void> {
  try {
    if (ticket.notifiedStatus === ticket.status) return;
    if (!ticket.notifiedStatus && (ticket.status === 'waiting' || ticket.status === 'callback')) return;
    const config = await deps.directory.config();
    if (!config.plans[ticket.plan]?.notifyStatusChanges) return;
    if (!(await deps.tickets.replaceIf(ticket, { ...ticket, notifiedStatus: ticket.status }))) return;
    const org = await deps.directory.orgById(ticket.org);
    const channel: Channel | undefined = org?.contacts.phone ? 'sms' : org?.contacts.email ? 'email' : undefined;
    if (!org || !channel) return;
    // In the ticket's language (the one its caller spoke), from the same catalogs as the call.
    const { subject, body } = statusNotice(ticket.language, channel, ticket, { services: config.services });
    await deps.notifier.send(
      channel === 'sms' ? { channel, to: org.contacts.phone!, body } : { channel, to: org.contacts.email!, subject: subject ?? '', body },
    );
  } catch (e) {
    deps.log?.('warn', 'status notification failed', { ticket: ticket.number, status: ticket.status, error: String(e) });
  }
}
