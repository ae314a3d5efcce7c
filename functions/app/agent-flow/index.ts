/**
 * The agents' side of the line (contract §3), one small module per stage: sign-in (id and PIN, with the
 * wrong-PIN audit in pin-audit), next-caller ("press 1"), claim (take and give back a ticket), whisper (the
 * announcement and the Dial of the queue), bridge (the caller's leg), done (the Dial ended), callback,
 * wrap-up, notify (status notices) and taskrouter; `context` holds what they share. Steps of the agent's own
 * call run through the same step runner as the caller's (exactly once across Twilio's retries); the bridge,
 * the callback's answer and TaskRouter's steps run on other legs and are idempotent through conditional
 * ticket writes instead.
 *
 * `AGENT_STEPS` maps every step a Gather can name to its handler: a step without one does not compile.
 */
import type { AgentStep } from '../../domain/call-state.js';
import type { StepFn } from '../step-runner.js';
import { callbackStep } from './callback.js';
import { doneStep } from './done.js';
import { nextStep } from './next-caller.js';
import { idStep, pinStep } from './sign-in.js';
import { wrapUpStep } from './wrap-up.js';

export type { AgentTicket } from './context.js';
export { startAgentCall, idStep, pinStep } from './sign-in.js';
export { AGENTS_AUDIT } from './pin-audit.js';
export { nextStep, offerNextCaller } from './next-caller.js';
export { claimNextCaller, releaseClaim } from './claim.js';
export { connectAnswer, dialQueueVerb, whisper, whisperGather } from './whisper.js';
export { bridgeCaller } from './bridge.js';
export { doneStep } from './done.js';
export { callbackAnswered, callbackPrompt, callbackStep } from './callback.js';
export { wrapUpPrompt, wrapUpStep } from './wrap-up.js';
export { notifyStatusChange } from './notify.js';
export { assignmentInstruction, RESERVATION_SID, taskRouterWhisper } from './taskrouter.js';

/** The agent call's steps by URL name (`/twilio/agent/pin?s=3` runs `agent-pin`). */
export const AGENT_STEPS: Record<AgentStep, StepFn> = {
  'agent-id': (state, input) => idStep(state, input),
  'agent-pin': pinStep,
  'agent-next': nextStep,
  'agent-done': doneStep,
  'agent-callback': callbackStep,
  'agent-wrapup': wrapUpStep,
};
