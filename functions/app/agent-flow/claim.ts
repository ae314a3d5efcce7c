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
import type { StepWrite } from '../ports.js';
import type { AgentTicket, TicketDeps } from './context.js';
import { notifyStatusChange } from './notify.js';

/** Candidates read per queue partition: enough to survive a few lost races without re-reading. */
const CANDIDATES_PER_SLICE = 5;

/** Taking a ticket the way a step's commit makes it (`StepWrite`), and the ticket as it then is. */
export interface TakeProposal {
  ticket: AgentTicket;
  write: StepWrite;
}

/**
 * The best caller the agent serves, taken by the step's commit rather than here: the conditional move is the
 * step's write (ports.ts `StepWrite`), in the same transaction as the agent's call state where DynamoDB has
 * transactions, so taking a caller costs no request of its own. `refused`: moves the store refused in earlier
 * runs of this request (another agent took that caller first); those tickets are skipped.
 */
export async function nextCallerToTake(agent: Agent, deps: TicketDeps, refused: readonly StepWrite[] = []): Promise<TakeProposal | undefined> {
  const taken = new Set(refused.map((w) => w.number));
  const config = await deps.directory.config();
  const nowMs = deps.now().getTime();
  const candidate = (await candidates(agent, deps)).find((t) => !taken.has(t.number) && (t.status === 'waiting' || callbackDue(t, config, nowMs)));
  if (!candidate) return undefined;
  const fields = claimFields(candidate, agent, deps.now().toISOString());
  return {
    ticket: { ...candidate, ...fields, status: 'in-progress' } as AgentTicket,
    write: { kind: 'ticket-move', number: candidate.number, from: candidate.status, to: 'in-progress', fields },
  };
}

/** Every queue partition of the agent's (waiting callers and callback requests, best first, a few each), in the order the pure rule gives. */
async function candidates(agent: Agent, deps: TicketDeps): Promise<AgentTicket[]> {
  const lists = await Promise.all(
    queueSlices(agent).flatMap((s) => [
      deps.tickets.waiting(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
      deps.tickets.callbacks(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
    ]),
  );
  return callerOrder(lists.flat(), agent);
}

/** What taking a ticket sets on it. */
function claimFields(candidate: AgentTicket, agent: Agent, answeredAt: string): Partial<AgentTicket> {
  return {
    agent: agent.id,
    answeredAt,
    firstResponseMet: firstResponseMet(answeredAt, candidate.firstResponseDue),
    ...(candidate.status === 'callback' ? { viaCallback: true } : {}),
  };
}

/**
 * Claims the best caller the agent serves: every queue partition of theirs is read (waiting callers and
 * callback requests, best first, a few each), the pure rule orders the union, and the first conditional
 * claim that wins is theirs. A callback is claimed only while it may be dialed (domain/agent-life.ts). A
 * second round covers the case where every candidate was taken by other agents meanwhile.
 */
export async function claimNextCaller(agent: Agent, deps: TicketDeps): Promise<AgentTicket | undefined> {
  const config = await deps.directory.config();
  for (let round = 0; round < 2; round++) {
    const nowMs = deps.now().getTime();
    const order = (await candidates(agent, deps)).filter((t) => t.status === 'waiting' || callbackDue(t, config, nowMs));
    if (!order.length) return undefined;
    for (const candidate of order) {
      const claimed = await deps.tickets.transition(candidate.number, 'in-progress', claimFields(candidate, agent, deps.now().toISOString()), [
        candidate.status,
      ]);
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
