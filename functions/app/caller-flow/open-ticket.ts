/**
 * One caller, one ticket at a time (contract §2.8 v2): an identified caller whose organization has a ticket
 * opened from the same number in the last 24 hours that is still open hears its number first, and `1` waits
 * for it instead of opening another. New tickets per calling number are limited (3 an hour, a conditional
 * write): past that, the call joins the open ticket, and the caller is told so.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { queueName, type Ticket, type TicketStatus } from '../../domain/tickets.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { callContext, end, gather, wantsRepeat, type CallContext } from './context.js';
import { enqueueVerb } from './queue.js';
import { ticketDigits } from '../../domain/speech/format.js';
import { priorityMenu } from './priority.js';
import { openTicket, type TicketChoice } from './ticket.js';

/** Statuses of a ticket the caller can still wait for (§2.8). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['waiting', 'callback', 'in-progress'];
/** How far back an open ticket from the same number is offered. */
export const OPEN_WINDOW_MS = 24 * 3_600_000;
/** New tickets per calling number (issue 14's flood limit). */
export const TICKET_LIMIT = { max: 3, windowMs: 3_600_000 } as const;

/** The newest open ticket of the caller's organization opened from this number in the last 24 hours, other than this call's. */
export async function findOpenTicket(state: CallState, deps: FlowDeps): Promise<Ticket | undefined> {
  if (!state.from || !state.orgId) return undefined;
  const since = new Date(deps.now().getTime() - OPEN_WINDOW_MS).toISOString();
  try {
    const found = await deps.tickets.openFromCaller(state.orgId, state.from, since, OPEN_STATUSES);
    return found.find((t) => t.callSid !== state.callSid && !t.spooled);
  } catch (e) {
    // Not knowing of an open ticket costs a second ticket at worst; the caller still gets through.
    if (!(e instanceof StoreUnavailableError)) throw e;
    deps.log?.('warn', 'open ticket not looked up: store unavailable', { callSid: state.callSid });
    return undefined;
  }
}

/** "You have an open ticket, number …: 1 waits for it, 2 opens a new one." */
export function offerOpenTicket(state: CallState, input: StepInput, ticket: Pick<Ticket, 'number'>, before: Verb[]): StepOutcome {
  const next: CallState = { ...state, expect: 'existing', openTicket: ticket.number };
  return gather(next, input, before, [msg('open-ticket-prompt', { digits: ticketDigits(state.language, ticket.number) })], { numDigits: 1, timeout: 6 });
}

export async function existingStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const number = state.openTicket ?? '';
  if (wantsRepeat(input)) return offerOpenTicket(state, input, { number }, []);
  // `1`, or `0` (skip the questions: the open ticket is the one to use), waits for the open ticket.
  if (input.digits === '1' || input.digits === '0') return joinTicket({ ...state, tries: 0 }, input, deps, number, []);
  if (input.digits === '2') return newTicketMenu({ ...state, tries: 0 }, input, deps, []);
  return retryOrEnd(
    state,
    // Silence through every try after identification is treated like `0` (§2.7): wait for the open ticket.
    (s) => joinTicket({ ...s, tries: 0 }, input, deps, number, input.digits ? [say('menu-invalid')] : []),
    (s) => offerOpenTicket(s, input, { number }, input.digits ? [say('menu-invalid')] : []),
  );
}

async function newTicketMenu(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[]): Promise<StepOutcome> {
  const { config, org } = await callContext(state, deps);
  return priorityMenu(state, input, config, org, before);
}

/**
 * The caller waits for an existing ticket: a waiting or callback ticket is queued again for this call (its
 * `createdAt`, and so its place, unchanged); one an agent already has is left with that agent; a ticket that
 * was closed meanwhile leaves the caller at the priority menu for a new one.
 */
export async function joinTicket(state: CallState, input: StepInput, deps: FlowDeps, number: string, before: Verb[]): Promise<StepOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = number ? await deps.tickets.get(number) : undefined;
    const digits = current ? ticketDigits(state.language, current.number) : '';
    if (!current || !OPEN_STATUSES.includes(current.status)) break;
    if (current.status === 'in-progress') return end(state, [...before, say('open-ticket-with-agent', { digits })]);
    const next: Ticket = { ...current, status: 'waiting', callSid: state.callSid, queue: current.queue ?? queueName(current) };
    if (current.status === 'waiting' && current.callSid === state.callSid)
      return queued(state, deps, current, [...before, say('open-ticket-joined', { digits })]);
    if (await deps.tickets.replaceIf(current, next)) return queued(state, deps, next, [...before, say('open-ticket-joined', { digits })]);
    // It moved meanwhile (an agent took it, a status callback): read it again.
  }
  return newTicketMenu({ ...state, openTicket: undefined }, input, deps, before);
}

function queued(state: CallState, deps: FlowDeps, ticket: Ticket, verbs: Verb[]): StepOutcome {
  return {
    state: { ...state, ticketNumber: ticket.number, queue: ticket.queue, expect: 'done' },
    verbs: [...verbs, enqueueVerb(ticket, state, deps)],
  };
}

/** Whether this call may open a new ticket under the calling number's hourly limit; retried steps count once. */
async function mayOpen(state: CallState, deps: FlowDeps): Promise<boolean> {
  if (!state.from) return true;
  try {
    return await deps.tickets.reserveInWindow(`tickets#${state.from}`, state.callSid, TICKET_LIMIT.max, TICKET_LIMIT.windowMs, deps.now().getTime());
  } catch (e) {
    // The limit cannot be read: the ticket goes on (to the spool if the store is down), not the caller away.
    if (!(e instanceof StoreUnavailableError)) throw e;
    return true;
  }
}

/** Over the limit: the call joins the open ticket if there is one, else the caller is told the limit. */
async function overLimit(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[], callback: boolean): Promise<StepOutcome> {
  const open = await findOpenTicket(state, deps);
  if (!open) return end(state, [...before, say('ticket-limit-reached', { max: TICKET_LIMIT.max })]);
  const folded = say('ticket-limit-folded', { max: TICKET_LIMIT.max, digits: ticketDigits(state.language, open.number) });
  if (callback) return end({ ...state, ticketNumber: open.number }, [...before, folded, say('callback-created'), say('goodbye')]);
  return joinTicket(state, input, deps, open.number, [...before, folded]);
}

/** Opens a new waiting ticket and queues the caller (within the hourly limit per calling number). */
export async function queueNewTicket(state: CallState, input: StepInput, deps: FlowDeps, choice: TicketChoice, notes: Verb[]): Promise<StepOutcome> {
  if (!(await mayOpen(state, deps))) return overLimit(state, input, deps, notes, false);
  const { ticket, verbs } = await openTicket(state, deps, choice);
  // A spooled ticket is in no queue an agent reads: the caller is promised a call back, not put on hold.
  if (ticket.spooled) return end({ ...state, ticketNumber: ticket.number }, [...notes, ...verbs, say('goodbye')]);
  return queued(state, deps, ticket, [...notes, ...verbs]);
}

/** A callback ticket at the least urgent level the caller may have (closed hours), within the same limit. */
export async function leaveCallback(state: CallState, input: StepInput, deps: FlowDeps, context: CallContext, before: Verb[]): Promise<StepOutcome> {
  if (!(await mayOpen(state, deps))) return overLimit(state, input, deps, before, true);
  // A callback is a request to be called back, not an emergency: the least urgent level.
  const index = context.scheme.length - 1;
  const { ticket, verbs } = await openTicket(state, deps, { ...context, index, status: 'callback' });
  return end({ ...state, ticketNumber: ticket.number }, [...before, ...verbs, say('callback-created'), say('goodbye')]);
}
