/**
 * The bridge, on the caller's leg: Twilio runs the Queue `url` on the caller actually dequeued, just before
 * bridging. That caller's ticket gets `bridgedAt` and this agent, even if it was not the one announced (FIFO
 * head and our choice can differ when agents race); the announced one is then released back to waiting.
 * Idempotent through conditional ticket writes, as Twilio may run it again.
 */
import { say, type Verb } from '../../domain/decisions.js';
import { firstResponseMet } from '../../domain/agents.js';
import type { FlowDeps } from '../ports.js';
import { releaseClaim } from './claim.js';
import { LINE_LANGUAGE, ticketByNumber, type AgentTicket, type TicketDeps } from './context.js';
import { notifyStatusChange } from './notify.js';

/**
 * The `<Queue url>` step (CallSid is the caller's). Records who was actually connected to agent `agentId`,
 * corrects the claim when Twilio's queue head was another ticket than the one announced, and tells the
 * caller they are being connected.
 */
export async function bridgeCaller(
  args: { callSid: string; announced: string; agentId: string },
  deps: FlowDeps,
): Promise<{ language: string; verbs: Verb[] }> {
  const announced = await ticketByNumber(args.announced, deps);
  let actual = announced && announced.callSid === args.callSid ? announced : await ticketOfCall(args.callSid, deps);
  if (actual && args.agentId) {
    actual = await markBridged(actual, args.agentId, deps);
    if (announced && actual.number !== announced.number) {
      deps.log?.('warn', 'bridged another caller than announced', { announced: announced.number, bridged: actual.number, agent: args.agentId });
      // The announced caller was not dequeued: they are still in Twilio's queue, so back to waiting.
      await releaseClaim(announced, args.agentId, 'waiting', deps);
    }
  }
  return { language: actual?.language ?? announced?.language ?? LINE_LANGUAGE, verbs: [say('agent-bridge-caller')] };
}

async function ticketOfCall(callSid: string, deps: Pick<FlowDeps, 'calls' | 'tickets'>): Promise<AgentTicket | undefined> {
  const state = await deps.calls.get(callSid);
  if (state?.kind !== 'caller' || !state.ticketNumber) return undefined;
  return (await deps.tickets.get(state.ticketNumber)) as AgentTicket | undefined;
}

/**
 * Marks `ticket` as bridged to `agentId`: in progress with that agent, whatever claim it had (a caller is
 * talking to exactly the agent whose Dial dequeued them). Idempotent: a ticket bridged already is kept.
 */
async function markBridged(ticket: AgentTicket, agentId: string, deps: TicketDeps): Promise<AgentTicket> {
  let current: AgentTicket | undefined = ticket;
  for (let attempt = 0; attempt < 4 && current; attempt++) {
    if (current.bridgedAt) return current;
    const now = deps.now().toISOString();
    const keepsClaim = current.status === 'in-progress' && current.agent === agentId && !!current.answeredAt;
    const answeredAt = keepsClaim ? current.answeredAt! : now;
    const next: AgentTicket = {
      ...current,
      status: 'in-progress',
      agent: agentId,
      answeredAt,
      firstResponseMet: firstResponseMet(answeredAt, current.firstResponseDue),
      bridgedAt: now,
    };
    delete next.abandonedAt;
    if (await deps.tickets.replaceIf(current, next)) {
      if (current.status !== 'in-progress') await notifyStatusChange(next, deps);
      return next;
    }
    current = (await deps.tickets.get(ticket.number)) as AgentTicket | undefined;
  }
  return current ?? ticket;
}
