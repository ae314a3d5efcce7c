/**
 * The whisper (what the agent hears of the ticket before the caller is connected, contract §3) and the
 * agent's Dial of the ticket's queue. The whisper plays inside a Gather (issue 13): any key skips it and
 * connects at once (`connectAnswer`, the same Dial); with no key the call falls through to the Dial.
 */
import { stepUrl } from '../../domain/call-state.js';
import { say, type Verb, type VoiceAnswer } from '../../domain/decisions.js';
import { whisperMessage } from '../../domain/agent-life.js';
import { queueName, type Ticket } from '../../domain/tickets.js';
import type { FlowDeps } from '../ports.js';
import { ticketOfState } from './context.js';

/** The whisper inside a Gather whose action is the skip key; with no key the call falls through after a second. */
export function whisperGather(ticket: Ticket, s: number): Verb {
  return {
    kind: 'gather',
    prompt: [whisperMessage(ticket, false)],
    action: `/twilio/agent/connect?s=${s}`,
    numDigits: 1,
    finishOnKey: '',
    timeout: 1,
    actionOnEmptyResult: false,
  };
}

/** The whisper alone, where no key is taken (TaskRouter's worker call). */
export function whisper(ticket: Ticket): Verb {
  return { kind: 'say', message: whisperMessage(ticket, false) };
}

/** The agent's Dial of the ticket's queue; its Queue url tells us who was bridged, its action is the wrap-up. */
export function dialQueueVerb(ticket: Ticket, agentId: string, s: number): Verb {
  return {
    kind: 'dialQueue',
    queue: ticket.queue ?? queueName(ticket),
    url: `/twilio/agent/bridge?t=${ticket.number}&a=${encodeURIComponent(agentId)}`,
    action: stepUrl('agent-done', s),
  };
}

/**
 * A key pressed during the whisper (the whisper Gather's action): the same Dial the call would have fallen
 * through to. Read-only on the call's state, so a replay answers the same; a request that does not match the
 * call's step replays the call's last answer.
 */
export async function connectAnswer(callSid: string, s: number, deps: FlowDeps): Promise<VoiceAnswer | { twiml: string }> {
  const state = await deps.calls.get(callSid);
  if (!state) return { language: 'en-US', verbs: [say('lost-state'), { kind: 'hangup' }] };
  const ticket = await ticketOfState(state, deps);
  if (state.kind !== 'agent' || state.expect !== 'agent-done' || state.n !== s || !ticket || !state.agentId) {
    return state.last ? { twiml: state.last.twiml } : { language: state.language, verbs: [say('lost-state'), { kind: 'hangup' }] };
  }
  return { language: state.language, verbs: [dialQueueVerb(ticket, state.agentId, s)] };
}
