/**
 * A callback on the agent's call (contract §3 v2): the whisper and "press 1 to call"; `1` dials the
 * customer from the line they called, `2` puts the callback back for later. Also the customer's answer
 * (`callbackAnswered`, the `<Number url>` run on their leg), which records the bridge.
 */
import { stepUrl, type CallState } from '../../domain/call-state.js';
import { msg, say, type Verb, type VoiceAnswer } from '../../domain/decisions.js';
import { digitGroups, whisperMessage } from '../../domain/agent-life.js';
import { normalizeE164 } from '../../domain/caller-id.js';
import { gatherStep, retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { freePrompt, goodbye, ticketByNumber, ticketOfState, type AgentTicket } from './context.js';
import { offerNextCaller } from './next-caller.js';
import { notifyStatusChange } from './notify.js';
import { wrapUpPrompt } from './wrap-up.js';

/** Seconds a callback rings before it counts as not answered. */
const CALLBACK_RING_S = 30;

/** The callback's whisper and "press 1 to call", in one Gather. */
export function callbackPrompt(state: CallState, ticket: AgentTicket, s: number, before: Verb[] = []): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-callback' }, s, before, [whisperMessage(ticket, true), msg('agent-callback-prompt')], {
    numDigits: 1,
    timeout: 8,
  });
}

/** `1` dials the customer from the line they called; `2` puts the callback back for later; `*` repeats. */
export async function callbackStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const ticket = await ticketOfState(state, deps);
  const ours = !!ticket && ticket.status === 'in-progress' && ticket.agent === state.agentId && !ticket.bridgedAt;
  if (!ticket || !ours) return freePrompt(state, input.s, [say('agent-queue-empty')]);
  if (input.digits === '*') return callbackPrompt(state, ticket, input.s);
  if (input.digits === '1') {
    const number = normalizeE164(ticket.caller);
    if (!number) {
      await putBack(ticket, state, deps, true);
      return freePrompt(state, input.s, [say('agent-callback-no-answer')]);
    }
    const agentId = encodeURIComponent(state.agentId ?? '');
    const dial: Verb = {
      kind: 'dialNumber',
      number,
      callerId: ticket.line,
      url: `/twilio/agent/answered?t=${ticket.number}&a=${agentId}`,
      action: stepUrl('agent-done', input.s + 1),
      timeout: CALLBACK_RING_S,
    };
    return { state: { ...state, expect: 'agent-done', tries: 0 }, verbs: [dial] };
  }
  if (input.digits === '2') {
    await putBack(ticket, state, deps, false);
    return offerNextCaller({ ...state, ticketNumber: undefined, tries: 0 }, input, deps, [say('agent-callback-returned')]);
  }
  return retryOrEnd(
    state,
    async (s) => {
      await putBack(ticket, s, deps, false);
      return goodbye({ ...s, ticketNumber: undefined });
    },
    (s) => callbackPrompt(s, ticket, input.s),
  );
}

/** The callback's Dial ended: a conversation goes to the wrap-up; no answer puts the callback back, tried later. */
export async function callbackDialEnded(state: CallState, ticket: AgentTicket, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const answered =
    (!!ticket.bridgedAt && ticket.agent === state.agentId) || (input.params.DialCallStatus === 'completed' && Number(input.params.DialCallDuration ?? '0') > 0);
  if (answered) return wrapUpPrompt(state, input.s, [say('agent-call-ended')]);
  await putBack(ticket, state, deps, true);
  return freePrompt(state, input.s, [say('agent-callback-no-answer')]);
}

/**
 * Back to the callback list, its place kept (`createdAt` unchanged). `attempted`: the customer was dialed
 * and did not answer (counted); either way it is not offered again for a while (domain CALLBACK_RETRY_MS),
 * so the next agent does not ring the same customer a minute later.
 */
async function putBack(ticket: AgentTicket, state: CallState, deps: FlowDeps, attempted: boolean): Promise<void> {
  const current = ((await deps.tickets.get(ticket.number)) as AgentTicket | undefined) ?? ticket;
  if (current.status !== 'in-progress' || current.bridgedAt || current.agent !== state.agentId) return;
  const next: AgentTicket = {
    ...current,
    status: 'callback',
    lastCallbackAt: deps.now().toISOString(),
    ...(attempted ? { callbackAttempts: (current.callbackAttempts ?? 0) + 1 } : {}),
  };
  delete next.viaCallback;
  delete next.agent;
  delete next.answeredAt;
  delete next.firstResponseMet;
  if (await deps.tickets.replaceIf(current, next)) await notifyStatusChange(next, deps);
}

/**
 * The callback customer answered (the `<Number url>`, run on their leg before they are connected): the
 * ticket records the bridge, and the customer hears who is calling, in the ticket's language.
 */
export async function callbackAnswered(query: Record<string, string>, deps: FlowDeps): Promise<VoiceAnswer> {
  const ticket = await ticketByNumber(query.t ?? '', deps);
  if (!ticket) return { language: 'en-US', verbs: [] };
  if (ticket.status === 'in-progress' && ticket.agent === query.a && !ticket.bridgedAt) {
    await deps.tickets.replaceIf(ticket, { ...ticket, bridgedAt: deps.now().toISOString() });
  }
  return { language: ticket.language, verbs: [say('callback-customer-intro', { digits: digitGroups(ticket.number) })] };
}
