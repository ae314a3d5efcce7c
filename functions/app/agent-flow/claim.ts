/**
 * How an agent takes a ticket, and gives it back (contract §3). Each move is a conditional ticket write:
 *  - claim: waiting (or a due callback) → in-progress (agent, answeredAt, firstResponseMet) before the agent
 *    is connected, so two agents never announce the same caller; a lost race tries the next candidate.
 *  - release: a claim that never led to a bridge (queue emptied, agent hung up during the whisper) goes
 *    back to waiting, or to abandoned when the caller is known to be gone, or to the callback list.
 */
import { callerOrder, firstResponseMet, queueSlices } from '../../domain/agents.js';
import { callbackDue } from '../../domain/agent-life.js';
import type { Agent } from '../../domain/model.js';
import type { AgentTicket, TicketDeps } from './context.js';
import { notifyStatusChange } from './notify.js';

/** Candidates read per queue partition: enough to survive a few lost races without re-reading. */
const CANDIDATES_PER_SLICE = 5;

/**
 * Claims the best caller the agent serves: every queue partition of theirs is read (waiting callers and
 * callback requests, best first, a few each), the pure rule orders the union, and the first conditional
 * claim that wins is theirs. A callback is claimed only while it may be dialed (domain/agent-life.ts). A
 * second round covers the case where every candidate was taken by other agents meanwhile.
 */
export async function claimNextCaller(agent: Agent, deps: TicketDeps): Promise<AgentTicket | undefined> {
  const slices = queueSlices(agent);
  const config = await deps.directory.config();
  for (let round = 0; round < 2; round++) {
    const lists = await Promise.all(
      slices.flatMap((s) => [
        deps.tickets.waiting(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
        deps.tickets.callbacks(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
      ]),
    );
    const nowMs = deps.now().getTime();
    const order = callerOrder(lists.flat(), agent).filter((t) => t.status === 'waiting' || callbackDue(t, config, nowMs));
    if (!order.length) return undefined;
    for (const candidate of order) {
      const answeredAt = deps.now().toISOString();
      const callback = candidate.status === 'callback';
      const claimed = await deps.tickets.transition(
        candidate.number,
        'in-progress',
        {
          agent: agent.id,
          answeredAt,
          firstResponseMet: firstResponseMet(answeredAt, candidate.firstResponseDue),
          ...(callback ? { viaCallback: true } : {}),
        } as Partial<AgentTicket>,
        [candidate.status],
      );
      if (claimed) {
        await notifyStatusChange(claimed, deps);
        return claimed;
      }
    }
  }
  return undefined;
}

/**
 * Undoes `agentId`'s claim on a ticket that was never bridged: back to `waiting` (the caller is still
 * queued) or `abandoned` (the caller is gone). Does nothing if the ticket moved on meanwhile (bridged,
 * taken by someone else, or released already), so every path that may release can call it safely.
 */
export async function releaseClaim(
  ticket: AgentTicket,
  agentId: string | undefined,
  to: 'waiting' | 'abandoned' | 'callback',
  deps: TicketDeps,
): Promise<boolean> {
  if (ticket.status !== 'in-progress' || ticket.bridgedAt || (agentId !== undefined && ticket.agent !== agentId)) return false;
  // A callback's customer is in no queue: an unbridged callback goes back to the callback list, whatever the caller said.
  const next: AgentTicket = { ...ticket, status: ticket.viaCallback ? 'callback' : to };
  delete next.viaCallback;
  delete next.agent;
  delete next.answeredAt;
  delete next.firstResponseMet;
  if (next.status === 'abandoned') next.abandonedAt = deps.now().toISOString();
  const moved = await deps.tickets.replaceIf(ticket, next);
  if (moved) await notifyStatusChange(next, deps);
  return moved;
}
