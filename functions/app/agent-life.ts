/**
 * The agent's side of a ticket after the queue (contract §3 v2): a callback is dialed with `1`, a bridged
 * conversation ends in a wrap-up (`1` resolved → closed through the one close path, `2` still open), and
 * either way the agent then gets the next caller. Also the two out-of-sequence URLs of the agent's call:
 * the whisper's skip key (`connect`) and the callback customer's answer (`answered`).
 */
import { stepUrl, type CallState } from '../domain/call-state.js';
import { msg, say, type Verb, type VoiceAnswer } from '../domain/decisions.js';
import { digitGroups, whisperMessage, wrapUpKey } from '../domain/agent-life.js';
import { normalizeE164 } from '../domain/caller-id.js';
import { endCall, gatherStep, retryOrEnd, type StepInput, type StepOutcome } from './answers.js';
import { dialQueueVerb, notifyStatusChange, offerNextCaller, type AgentTicket } from './agent-flow.js';
import { closeTicketByNumber } from './close-ticket.js';
import type { FlowDeps } from './ports.js';

/** Seconds a callback rings before it counts as not answered. */
const CALLBACK_RING_S = 30;

const goodbye = (state: CallState): StepOutcome => endCall(state, [say('goodbye')]);

// ---------------------------------------------------------------- callbacks

/** The callback's whisper and "press 1 to call", in one Gather. */
export function callbackPrompt(state: CallState, ticket: AgentTicket, s: number, before: Verb[] = []): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-callback' }, s, before, [whisperMessage(ticket, true), msg('agent-callback-prompt')], {
    numDigits: 1,
    timeout: 8,
  });
}

/** `1` dials the customer from the line they called; `2` puts the callback back for later; `*` repeats. */
export async function callbackStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const ticket = state.ticketNumber ? ((await deps.tickets.get(state.ticketNumber)) as AgentTicket | undefined) : undefined;
  const ours = !!ticket && ticket.status === 'in-progress' && ticket.agent === state.agentId && !ticket.bridgedAt;
  if (!ticket || !ours) return nextPrompt(state, input.s, [say('agent-queue-empty')]);
  if (input.digits === '*') return callbackPrompt(state, ticket, input.s);
  if (input.digits === '1') {
    const number = normalizeE164(ticket.caller);
    if (!number) {
      await putBack(ticket, state, deps, true);
      return nextPrompt(state, input.s, [say('agent-callback-no-answer')]);
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
  return nextPrompt(state, input.s, [say('agent-callback-no-answer')]);
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
  const number = /^\d{1,12}$/.test(query.t ?? '') ? query.t! : '';
  const ticket = number ? ((await deps.tickets.get(number)) as AgentTicket | undefined) : undefined;
  if (!ticket) return { language: 'en-US', verbs: [] };
  if (ticket.status === 'in-progress' && ticket.agent === query.a && !ticket.bridgedAt) {
    await deps.tickets.replaceIf(ticket, { ...ticket, bridgedAt: deps.now().toISOString() });
  }
  return { language: ticket.language, verbs: [say('callback-customer-intro', { digits: digitGroups(ticket.number) })] };
}

// ---------------------------------------------------------------- the whisper's skip key

/**
 * A key pressed during the whisper (the whisper Gather's action): the same Dial the call would have fallen
 * through to. Read-only on the call's state, so a replay answers the same; a request that does not match the
 * call's step replays the call's last answer.
 */
export async function connectAnswer(callSid: string, s: number, deps: FlowDeps): Promise<VoiceAnswer | { twiml: string }> {
  const state = await deps.calls.get(callSid);
  if (!state) return { language: 'en-US', verbs: [say('lost-state'), { kind: 'hangup' }] };
  const ticket = state.ticketNumber ? await deps.tickets.get(state.ticketNumber) : undefined;
  if (state.kind !== 'agent' || state.expect !== 'agent-done' || state.n !== s || !ticket || !state.agentId) {
    return state.last ? { twiml: state.last.twiml } : { language: state.language, verbs: [say('lost-state'), { kind: 'hangup' }] };
  }
  return { language: state.language, verbs: [dialQueueVerb(ticket, state.agentId, s)] };
}

// ---------------------------------------------------------------- wrap-up

export function wrapUpPrompt(state: CallState, s: number, before: Verb[] = []): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-wrapup', tries: 0 }, s, before, [msg('agent-wrapup-prompt')], { numDigits: 1, timeout: 10 });
}

/** `1` resolved: the ticket is closed (the organization told); `2` still open: it stays in progress. Then the next caller. */
export async function wrapUpStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const key = wrapUpKey(input.digits);
  if (input.digits === '*') return gatherStep(state, input.s, [], [msg('agent-wrapup-prompt')], { numDigits: 1, timeout: 10 });
  if (!key) {
    // An agent who stays silent has left the phone: the ticket stays open, as with `2`.
    return retryOrEnd(state, goodbye, (s) => gatherStep(s, input.s, [], [msg('agent-wrapup-prompt')], { numDigits: 1, timeout: 10 }));
  }
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

function nextPrompt(state: CallState, s: number, before: Verb[]): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-next', ticketNumber: undefined, tries: 0 }, s, before, [msg('agent-next-prompt')], {
    numDigits: 1,
    timeout: 10,
  });
}
