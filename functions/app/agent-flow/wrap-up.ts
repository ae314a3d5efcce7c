/**
 * The wrap-up after a conversation (contract §3 v2): `1` resolved closes the ticket through the one close
 * path (the organization told), `2` still open leaves it in progress; either way the agent then gets the
 * next caller.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { wrapUpKey } from '../../domain/agent-life.js';
import { gatherStep, retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import { closeTicketByNumber } from '../close-ticket.js';
import type { FlowDeps } from '../ports.js';
import { goodbye } from './context.js';
import { offerNextCaller } from './next-caller.js';

export function wrapUpPrompt(state: CallState, s: number, before: Verb[] = []): StepOutcome {
  return askWrapUp({ ...state, expect: 'agent-wrapup', tries: 0 }, s, before);
}

export async function wrapUpStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const key = wrapUpKey(input.digits);
  if (input.digits === '*') return askWrapUp(state, input.s);
  // An agent who stays silent has left the phone: the ticket stays open, as with `2`.
  if (!key) return retryOrEnd(state, goodbye, (s) => askWrapUp(s, input.s));
  const number = state.ticketNumber;
  let said: Verb = say('agent-wrapup-open');
  if (key === 'resolved' && number) {
    const closed = await closeTicketByNumber(number, { by: state.agentId ? `agent ${state.agentId}` : undefined }, deps);
    if (closed.kind === 'closed' || closed.kind === 'already') said = say('agent-wrapup-closed');
    else deps.log?.('warn', 'wrap-up could not close the ticket', { ticket: number, outcome: closed.kind });
  }
  deps.log?.('info', 'wrap-up', { ticket: number, agent: state.agentId, outcome: key });
  return offerNextCaller({ ...state, ticketNumber: undefined, tries: 0 }, input, deps, [said]);
}

function askWrapUp(state: CallState, s: number, before: Verb[] = []): StepOutcome {
  return gatherStep(state, s, before, [msg('agent-wrapup-prompt')], { numDigits: 1, timeout: 10 });
}
