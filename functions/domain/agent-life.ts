/**
 * A ticket's life after the queue, pure (contract §3 v2): which callback tickets an agent may be offered
 * now, what the whisper says (short: the agent hears it before every caller), and how a wrap-up key maps to
 * the ticket's next status. Times come in as parameters; no I/O.
 */
import { msg, type Message } from './decisions.js';
import { effectiveHours, holidaysFor, isOpen } from './hours.js';
import type { LineConfig } from './model.js';
import type { Ticket } from './tickets.js';
import { ticketDigits } from './speech/format.js';

/** A callback the customer did not answer is offered again after this long, not at once to the next agent. */
export const CALLBACK_RETRY_MS = 10 * 60_000;

/** A ticket as the agents' line may find it after a callback attempt. */
export type CallbackTicket = Ticket & { callbackAttempts?: number; lastCallbackAt?: string };

/**
 * Whether a callback ticket may be dialed now: its service is open for its plan and level (a request left
 * at night is returned when the line opens, not at 3 a.m.), and its last unanswered attempt is not recent.
 * A ticket whose line or service left the data is not held back: an agent still sees it.
 */
export function callbackDue(t: CallbackTicket, config: LineConfig, nowMs: number): boolean {
  if (t.lastCallbackAt && nowMs - Date.parse(t.lastCallbackAt) < CALLBACK_RETRY_MS) return false;
  const line = config.lines.find((l) => l.number === t.line);
  const service = config.services[t.service];
  const plan = config.plans[t.plan];
  if (!line || !service || !plan) return true;
  const level = config.schemes[line.scheme]?.find((l) => l.id === t.priority);
  const { hours, holidaysApply } = effectiveHours({ service, plan, level });
  return isOpen(hours, new Date(nowMs), line.timezone, holidaysApply ? holidaysFor(config.holidays, t.country) : []);
}

/**
 * A ticket number in short groups of digits ("1 0 0, 0 0 0 1"): each digit said on its own, a pause
 * between groups of three, and no lone digit at the end (7 digits are 3 + 4).
 */
export function digitGroups(number: string): string {
  return ticketDigits('en', number);
}

/**
 * The whisper (≤ 8 s at 160 words a minute, about 20 words): only what the agent needs before speaking to
 * the customer. Priority, organization, plan, how the caller was verified, whether it is a callback, and the
 * ticket number last, in groups, for the agent to note. The service is left out: agents hear only callers of
 * services they serve, and the ticket shows it.
 */
export function whisperMessage(t: Pick<Ticket, 'number' | 'priority' | 'orgName' | 'plan' | 'verifiedBy'>, callback: boolean): Message {
  return msg(callback ? 'agent-whisper-callback' : 'agent-whisper', {
    priority: t.priority,
    org: t.orgName,
    plan: t.plan,
    method: t.verifiedBy,
    digits: digitGroups(t.number),
  });
}

export type WrapUp = 'resolved' | 'open';

/** The agent's key after a conversation: `1` resolved (close the ticket), `2` still open (it stays in progress). */
export function wrapUpKey(digits: string): WrapUp | undefined {
  return digits === '1' ? 'resolved' : digits === '2' ? 'open' : undefined;
}
