/**
 * Opening the call's one ticket (contract §2.5, §2.6): numbered, with its deadlines, confirmed to the
 * organization, paged when it is of the top level; spooled with a reference the caller can quote when
 * DynamoDB cannot take it (issue 7). A confirmation or page that cannot go now waits in the notice queue,
 * under the call's key, and the caller is told only what is true (docs/faults-and-abuse.md).
 */
import type { CallState } from '../../domain/call-state.js';
import { say, type Verb } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { effectiveHours, holidaysFor } from '../../domain/hours.js';
import { dueAt } from '../../domain/sla.js';
import { queueName, type Ticket } from '../../domain/tickets.js';
import type { Channel, FlowDeps, Notice, OutgoingMessage } from '../ports.js';
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
  let claimed: string | undefined;
  let adopted = false;
  try {
    const candidate = await deps.tickets.allocateNumber();
    const queued = (t: Ticket): Ticket => (c.status === 'waiting' ? { ...t, queue: queueName(t) } : t);
    // Fenced by this step's claim: a late handler whose claim is gone opens no ticket. Where DynamoDB has
    // transactions the number claim and the ticket are one write; otherwise, or when the call has a number
    // already (a retry), the ticket is stored under the call's number.
    const first = queued(draft(candidate));
    const opened = await deps.calls.claimTicket(first, state.n);
    claimed = opened.number;
    ticket = opened.stored ? first : await deps.tickets.putIfAbsent(queued(draft(claimed)));
    // The spool replay (or its confirmation) claimed the call's number first: this is that ticket, now answered.
    const fromSpool = !!ticket.spooled && ticket.callSid === state.callSid;
    adopted = fromSpool || claimed === spoolNumber(state.callSid);
    if (fromSpool) ticket = await unspool(ticket, c.status, deps);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError) || !deps.spool) throw e;
    // The ticket store is down: a reference the caller can quote, saved durably and replayed later. If the
    // call's number was claimed already, that number is the reference: the replay and any retry then meet
    // on the one ticket.
    const number = claimed ?? spoolNumber(state.callSid);
    ticket = { ...draft(number), status: 'callback', spooled: true };
    await deps.spool.save(ticket);
    spooled = true;
    deps.log?.('warn', 'ticket spooled', { number, callSid: state.callSid });
  }
  if (c.index === 0 && !spooled) deps.metric?.('TopPriorityTicket');
  // A spooled ticket (or one adopted from the spool) is confirmed and paged through the notice queue only,
  // keyed by the call: the call's replays during an outage send one confirmation, not one each.
  const keyed = spooled || adopted;
  const paging = async () => {
    if (c.index !== 0 || !deps.pager || !(spooled || (ticket.status === 'waiting' && (await mayPage(state, deps))))) return;
    // To the line's team, in the line's language (not the caller's menu choice).
    const page = pageNotice(ticket, { language: c.line.language, services: c.config.services, timeZone: c.line.timezone, now });
    await sendPage({ kind: 'page', key: `page#${state.callSid}`, callSid: state.callSid, ticket: ticket.number, ...page }, keyed, deps);
  };
  // Side by side: each may wait out a provider's or the queue's timeout, and the caller is waiting for both.
  const [confirmation] = await Promise.all([confirm(ticket, c, state, deps, keyed), paging()]);
  const digits = ticketDigits(state.language, ticket.number);
  if (spooled) return { ticket, verbs: [say('ticket-spooled', { digits }), ...confirmationVerbs(confirmation, false)] };
  // A waiting caller hears the number once and the level; the due time and the rest go by text or email.
  if (ticket.status === 'waiting') {
    // "Details follow by text" only when they were sent or durably queued; a failed confirmation is told as such.
    const follows = confirmation && confirmation.outcome !== 'failed';
    const failed = confirmation && !follows ? [say('ticket-confirmation-failed')] : [];
    return { ticket, verbs: [...failed, say('ticket-queued', { digits, level: level.id, channel: follows ? confirmation.channel : '' })] };
  }
  return {
    ticket,
    verbs: [
      say('ticket-number', { digits }),
      say('ticket-due', { level: level.id, due: spokenTime(ticket.firstResponseDue, c.line, state.language, now, state.country) }),
      ...confirmationVerbs(confirmation, true),
    ],
  };
}

/** A spooled ticket the caller's retried step found stored: it becomes the ticket they chose now (waiting: queued). */
async function unspool(stored: Ticket, status: TicketChoice['status'], deps: FlowDeps): Promise<Ticket> {
  const { spooled: _spooled, ...rest } = stored;
  const next: Ticket = status === 'waiting' ? { ...rest, status, queue: queueName(stored) } : { ...rest, status };
  if (await deps.tickets.replaceIf(stored, next)) return next;
  return (await deps.tickets.get(stored.number)) ?? stored;
}

/**
 * Where the confirmation went, and how: sent now, kept in the durable notice queue (it will follow), or
 * neither (a provider down and no queue to keep it): only the first is "sent".
 */
interface Confirmation {
  channel: Channel;
  outcome: 'sent' | 'queued' | 'failed';
}

function confirmationVerbs(confirmation: Confirmation | undefined, saySent: boolean): Verb[] {
  if (!confirmation) return [];
  if (confirmation.outcome === 'sent') return saySent ? [say('ticket-confirmation-sent')] : [];
  if (confirmation.outcome === 'queued') return [say('ticket-confirmation-queued')];
  return [say('ticket-confirmation-failed')];
}

/** Keeps a notice in the durable queue; 'failed' when there is none or it refused (the caller is told so). */
async function queueNotice(notice: Notice, deps: FlowDeps): Promise<'queued' | 'failed'> {
  if (!deps.notices) return 'failed';
  try {
    await deps.notices.enqueue(notice);
    return 'queued';
  } catch (e) {
    deps.log?.('error', 'notice not queued', { key: notice.key, error: String(e) });
    return 'failed';
  }
}

/** A page goes now, or (keyed, or failing) to the notice queue; one that can go neither way is logged as an error and counted, never dropped quietly. */
async function sendPage(notice: Notice & { kind: 'page' }, keyed: boolean, deps: FlowDeps): Promise<void> {
  if (!keyed || !deps.notices) {
    try {
      await deps.pager!.page(notice.subject, notice.body);
      return;
    } catch (e) {
      deps.log?.('warn', 'page failed', { ticket: notice.ticket, error: String(e) });
    }
  }
  if ((await queueNotice(notice, deps)) === 'queued') return;
  deps.log?.('error', 'page lost', { ticket: notice.ticket, callSid: notice.callSid });
  deps.metric?.('PageLost');
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

/**
 * The ticket confirmation to the organization's contact, by the channel the caller was verified on or the
 * phone: sent now, or kept in the notice queue when sending fails; `keyed` (a spooled ticket) goes to the
 * queue only, under the call's key.
 */
async function confirm(ticket: Ticket, c: CallContext, state: CallState, deps: FlowDeps, keyed: boolean): Promise<Confirmation | undefined> {
  const org = c.org;
  const channel: Channel | undefined = state.codeChannel ?? (org.contacts.phone ? 'sms' : org.contacts.email ? 'email' : undefined);
  if (!channel) return undefined;
  const to = channel === 'sms' ? org.contacts.phone : org.contacts.email;
  if (!to) return undefined;
  // In the call's language, with the first-response time in the line's local time and zone (never an ISO timestamp).
  const { subject, body } = ticketOpenedNotice(state.language, channel, ticket, { services: c.config.services, timeZone: c.line.timezone, now: deps.now() });
  const message: OutgoingMessage = channel === 'sms' ? { channel, to, body } : { channel, to, subject: subject ?? '', body };
  const notice: Notice = {
    kind: 'confirmation',
    key: `confirm#${state.callSid}`,
    callSid: state.callSid,
    ticket: ticket.number,
    message,
    ...(keyed ? { spooled: true } : {}),
  };
  if (keyed && deps.notices) return { channel, outcome: await queueNotice(notice, deps) };
  try {
    await deps.notifier.send(message);
    return { channel, outcome: 'sent' };
  } catch (e) {
    // A lost confirmation must not cost the caller their place: the ticket exists and is read out.
    deps.log?.('warn', 'confirmation failed', { ticket: ticket.number, error: String(e) });
    return { channel, outcome: await queueNotice(notice, deps) };
  }
}
