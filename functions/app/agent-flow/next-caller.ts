/**
 * "Press 1": the agent's next caller. The best waiting caller or due callback is claimed (claim.ts); a
 * caller is announced by the whisper and bridged by the Dial of their queue (whisper.ts), a callback is
 * offered for dialing (callback.ts); with nobody waiting the agent is asked again.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { callbackPrompt } from './callback.js';
import { claimNextCaller, nextCallerToTake } from './claim.js';
import type { AgentTicket } from './context.js';
import { notifyStatusChange } from './notify.js';
import type { Agent } from '../../domain/model.js';
import { end, freePrompt, goodbye, nextPrompt } from './context.js';
import { dialQueueVerb, whisperGather } from './whisper.js';

/** `1` takes the next caller; silence or another key asks again, then goodbye. */
export async function nextStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  if (input.digits === '1') return offerNextCaller({ ...state, tries: 0 }, input, deps);
  return retryOrEnd(state, goodbye, (s) => nextPrompt(s, input.s));
}

/** Finds and claims the agent's next caller: the whisper and the bridge (or the callback's prompt), or "no one is waiting" with a retry. */
export async function offerNextCaller(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
  const agent = state.agentId ? await deps.directory.agentById(state.agentId) : undefined;
  // The agent was removed by a data reload mid-call: nothing more to hand them.
  if (!agent) return end(state, [...before, say('agent-denied'), say('goodbye')]);
  // The caller is taken by this step's commit (one write with the agent's state); after a few callers were
  // taken by other agents first, the next is claimed here, one conditional move per candidate (claim.ts).
  const refused = input.refused ?? [];
  const proposal = refused.length < 2 ? await nextCallerToTake(agent, deps, refused) : await claimedHere(agent, deps);
  if (!proposal) return freePrompt(state, input.s, before, msg('agent-no-callers'));
  const { ticket } = proposal;
  // Told to the organization once the move is made (claimNextCaller tells it itself).
  const taking = proposal.write ? { writes: [proposal.write], after: () => notifyStatusChange(ticket, deps) } : {};
  if (ticket.viaCallback) return { ...callbackPrompt({ ...state, ticketNumber: ticket.number, tries: 0 }, ticket, input.s, before), ...taking };
  return {
    state: { ...state, expect: 'agent-done', ticketNumber: ticket.number, tries: 0 },
    verbs: [...before, whisperGather(ticket, input.s + 1), dialQueueVerb(ticket, agent.id, input.s + 1)],
    ...taking,
  };
}

async function claimedHere(agent: Agent, deps: FlowDeps): Promise<{ ticket: AgentTicket; write?: undefined } | undefined> {
  const ticket = await claimNextCaller(agent, deps);
  return ticket ? { ticket } : undefined;
}
