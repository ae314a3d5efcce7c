/**
 * What every step of the agents' line shares: the ticket as this line keeps it, the line's language, the
 * ticket a call or URL names, and the prompts several steps end in ("press 1 for the next caller", goodbye).
 * Retries use the one rule of both flows, `retryOrEnd` (../answers.ts).
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Message, type Verb } from '../../domain/decisions.js';
import type { CallbackTicket } from '../../domain/agent-life.js';
import type { TicketStatus } from '../../domain/tickets.js';
import { endCall, gatherStep, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';

/** A ticket as the agents' line keeps it: the bridge time and the last status the organization was told. */
export type AgentTicket = CallbackTicket & {
  bridgedAt?: string;
  notifiedStatus?: TicketStatus;
  /** Claimed from the callback list: the agent dials the customer (contract §3 v2). */
  viaCallback?: boolean;
};

/** The ports a ticket move needs (claim, bridge, release) and its status notice. */
export type TicketDeps = Pick<FlowDeps, 'tickets' | 'now' | 'directory' | 'notifier' | 'log'>;

/** The agents' line speaks English until it knows the agent. */
export const LINE_LANGUAGE = 'en-US';

/** Ticket numbers in URLs and task attributes: digits only, so nothing else reaches the store. */
const TICKET_NUMBER = /^\d{1,12}$/;

/** The ticket a URL or task names, if the text is a ticket number and the ticket exists. */
export async function ticketByNumber(text: string | undefined, deps: Pick<FlowDeps, 'tickets'>): Promise<AgentTicket | undefined> {
  return text !== undefined && TICKET_NUMBER.test(text) ? ((await deps.tickets.get(text)) as AgentTicket | undefined) : undefined;
}

/** The ticket the agent's call is on (claimed, dialed or wrapping up), if any. */
export async function ticketOfState(state: CallState, deps: Pick<FlowDeps, 'tickets'>): Promise<AgentTicket | undefined> {
  return state.ticketNumber ? ((await deps.tickets.get(state.ticketNumber)) as AgentTicket | undefined) : undefined;
}

/** Asks for the agent's next move (`1`: the next caller) as the `agent-next` step; the state is otherwise kept. */
export function nextPrompt(state: CallState, s: number, before: Verb[] = [], prompt: Message = msg('agent-next-prompt')): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-next' }, s, before, [prompt], { numDigits: 1, timeout: 10 });
}

/** The same, with the agent free of any ticket: after a call, a callback put back, or nobody waiting. */
export function freePrompt(state: CallState, s: number, before: Verb[] = [], prompt?: Message): StepOutcome {
  return nextPrompt({ ...state, ticketNumber: undefined, tries: 0 }, s, before, prompt);
}

export const end = endCall;

export const goodbye = (state: CallState): StepOutcome => end(state, [say('goodbye')]);
