/**
 * The agent's Dial ended (its action, step `agent-done`): the conversation is over, or the Dial ended at once
 * because the queue had emptied (the announced caller hung up meanwhile), or a callback's customer did not
 * answer. After a conversation the agent wraps up (contract §3 v2: `1` resolved, `2` still open); otherwise
 * the claim goes back and they may take the next caller.
 */
import type { CallState } from '../../domain/call-state.js';
import { say } from '../../domain/decisions.js';
import type { StepInput, StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { callbackDialEnded } from './callback.js';
import { releaseClaim } from './claim.js';
import { freePrompt, ticketOfState } from './context.js';
import { wrapUpPrompt } from './wrap-up.js';

export async function doneStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const ticket = await ticketOfState(state, deps);
  if (ticket?.viaCallback) return callbackDialEnded(state, ticket, input, deps);
  // Twilio says whether the Dial bridged (`DialBridged`, else a `DialCallSid` of the dequeued caller); our
  // own bridge step's record covers a request that carries neither.
  const dialBridged = input.params.DialBridged === 'true' || (input.params.DialBridged !== 'false' && !!input.params.DialCallSid);
  const bridged = dialBridged || (!!ticket?.bridgedAt && ticket.agent === state.agentId);
  if (ticket && !bridged) {
    // Nobody was connected: the claim goes back to waiting. If the caller is gone, their status callback
    // makes it abandoned (from waiting, or directly if it comes first: status-webhook.ts).
    await releaseClaim(ticket, state.agentId ?? '', 'waiting', deps);
  }
  if (bridged && ticket) return wrapUpPrompt(state, input.s, [say('agent-call-ended')]);
  return freePrompt(state, input.s, bridged ? [say('agent-call-ended')] : [say('agent-queue-empty')]);
}
