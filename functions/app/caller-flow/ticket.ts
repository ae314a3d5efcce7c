/**
 * Opening the call's one ticket (contract §2.5, §2.6): numbered, with its deadlines, confirmed to the
 * organization, paged when it is of the top level; spooled with a reference the caller can quote when
 * DynamoDB cannot take it (issue 7).
 */
import type { CallState } from '../../domain/call-state.js';
import { say, type Verb } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { effectiveHours, holidaysFor } from '../../domain/hours.js';
import { dueAt } from '../../domain/sla.js';
import { queueName, type Ticket } from '../../domain/tickets.js';
import type { Channel, FlowDeps } from '../ports.js';
import type { CallContext } from './context.js';
import { spokenTime } from './speech.js';
import { pageNotice, ticketOpenedNotice } from '../../domain/speech/texts.js';
import { ticketDigits } from '../../domain/speech/format.js';

export interface TicketChoice extends CallContext {
  /** The level's index in the scheme. */
  index: number;
  status: 'waiting' | 'callback';
  note?: Ticket['priorityNote'];
}

/**
 * Opens the call's one ticket: the number is claimed on the call's state first, so a retried or
 * concurrent request re-creates the same ticket instead of a second one. If DynamoDB is down, the
 * ticket goes to the spool and the caller still gets a reference (issue 7).
 */
export async function openTicket(state: CallState, deps: FlowDeps, c: TicketChoice): Promise<{ ticket: Ticket; verbs: Verb[] }> {
  const now = deps.now();
  const level = c.scheme[c.index]!;
  const { hours, holidaysApply } = effectiveHours({ service: c.service, plan: c.plan, level });
  const holidays = holidaysApply ? holidaysFor(c.config.holidays, state.country) : [];
  const due = (duration: string) => dueAt({ created: now, duration, clock: level.clock ?? '24h', hours, timeZone: c.line.timezone, holidays }).toISOString();
  const draft = (number: string): Ticket => ({
    number,
    org: c.org.id,
    orgName: c.org.name,
    plan: c.org.plan,
    service: state.service!,
    priority: level.id,
    priorityRank: c.index,
    status: c.status,
    line: state.line,
    language: state.language,
    country: state.country,
    verifiedBy: state.verifiedBy ?? 'code',
    caller: state.from,
    ...(state.personName ? { callerName: state.personName } : {}),
    createdAt: now.toISOString(),
    firstResponseDue: due(level.firstResponse),
    ...(level.restore ? { restoreDue: due(level.restore) } : {}),
    callSid: state.callSid,
    priorityQueue: !!c.plan.priorityQueue,
    tier: c.plan.tier ?? 1,
    ...(c.note ? { priorityNote: c.note } : {}),
  });
  let ticket: Ticket;
  let spooled = false;
  try {
    const candidate = await deps.tickets.allocateNumber();
    // Fenced by this step's claim: a late handler whose claim is gone opens no ticket.
    const number = await deps.calls.claimTicketNumber(state.callSid, candidate, state.n);
    const t = draft(number);
    ticket = await deps.tickets.putIfAbsent(c.status === 'waiting' ? { ...t, queue: queueName(t) } : t);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError) || !deps.spool) throw e;
    // The ticket store is down: a reference the caller can quote, saved durably and replayed later.
    const number = spoolNumber(state.callSid);
    ticket = { ...draft(number), status: 'callback', spooled: true };
    await deps.spool.save(ticket);
    spooled = true;
    deps.log?.('warn', 'ticket spooled', { number, callSid: state.callSid });
  }
  if (c.index === 0 && !spooled) deps.metric?.('TopPriorityTicket');
  const confirmation = await confirm(ticket, c, state, deps);
  if (c.index === 0 && ticket.status === 'waiting' && deps.pager && (await mayPage(state, deps))) {
    const page = pageNotice(ticket, { services: c.config.services, timeZone: c.line.timezone, now });
    await deps.pager.page(page.subject, page.body).catch((e: unknown) => deps.log?.('warn', 'page failed', { error: String(e) }));
  }
  const digits = ticketDigits(state.language, ticket.number);
  if (spooled) return { ticket, verbs: [say('ticket-spooled', { digits })] };
  // A waiting caller hears the number once and the level; the due time and the rest go by text or email.
  if (ticket.status === 'waiting') {
    // "Details follow by text" only when they were sent; a failed confirmation is told as such.
    const sentBy = confirmation?.sent ? confirmation.channel : '';
    const failed = confirmation && !confirmation.sent ? [say('ticket-confirmation-failed')] : [];
    return { ticket, verbs: [...failed, say('ticket-queued', { digits, level: level.id, channel: sentBy })] };
  }
  return {
    ticket,
    verbs: [
      say('ticket-number', { digits }),
      say('ticket-due', { level: level.id, due: spokenTime(ticket.firstResponseDue, c.line, state.language, now, state.country) }),
      ...confirmationVerbs(confirmation),
    ],
  };
}

/** Where the confirmation went, and whether it went: a failed one (a provider down, a full outbox disk) is not "sent". */
interface Confirmation {
  channel: Channel;
  sent: boolean;
}

function confirmationVerbs(confirmation: Confirmation | undefined): Verb[] {
  if (!confirmation) return [];
  return [say(confirmation.sent ? 'ticket-confirmation-sent' : 'ticket-confirmation-failed')];
}

/** Top-priority pages per calling number (issue 14's flood limit): one per 10 minutes; the ticket keeps its level. */
export const PAGE_LIMIT = { max: 1, windowMs: 10 * 60_000 } as const;

async function mayPage(state: CallState, deps: FlowDeps): Promise<boolean> {
  if (!state.from) return true;
  try {
    const ok = await deps.tickets.reserveInWindow(`page#${state.from}`, state.callSid, PAGE_LIMIT.max, PAGE_LIMIT.windowMs, deps.now().getTime());
    if (!ok) deps.log?.('warn', 'page skipped: flood limit of the calling number', { callSid: state.callSid });
    return ok;
  } catch (e) {
    if (!(e instanceof StoreUnavailableError)) throw e;
    return true; // an urgent page is not dropped because the limit cannot be read
  }
}

/** A reference for a spooled ticket: derived from the CallSid so a retry gets the same one; 9 digits, unlike counter numbers. */
export function spoolNumber(callSid: string): string {
  let h = 0;
  for (const ch of callSid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return String(900_000_000 + (h % 99_999_999));
}

/** The ticket confirmation to the organization's contact, by the channel the caller was verified on or the phone. */
async function confirm(ticket: Ticket, c: CallContext, state: CallState, deps: FlowDeps): Promise<Confirmation | undefined> {
  const org = c.org;
  const channel: Channel | undefined = state.codeChannel ?? (org.contacts.phone ? 'sms' : org.contacts.email ? 'email' : undefined);
  if (!channel) return undefined;
  const to = channel === 'sms' ? org.contacts.phone : org.contacts.email;
  if (!to) return undefined;
  // In the call's language, with the first-response time in the line's local time and zone (never an ISO timestamp).
  const { subject, body } = ticketOpenedNotice(state.language, channel, ticket, { services: c.config.services, timeZone: c.line.timezone, now: deps.now() });
  try {
    await deps.notifier.send(channel === 'sms' ? { channel, to, body } : { channel, to, subject: subject ?? '', body });
    return { channel, sent: true };
  } catch (e) {
    // A lost confirmation must not cost the caller their place: the ticket exists and is read out.
    deps.log?.('warn', 'confirmation failed', { ticket: ticket.number, error: String(e) });
    return { channel, sent: false };
  }
}
