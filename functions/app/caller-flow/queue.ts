/**
 * Putting the caller on hold (contract §2.6): the Enqueue (with TaskRouter's task where TaskRouter routes).
 * What a waiting caller hears and presses is in waiting.ts.
 */
import type { CallState } from '../../domain/call-state.js';
import type { Verb } from '../../domain/decisions.js';
import { queueName, type Ticket } from '../../domain/tickets.js';
import type { FlowDeps } from '../ports.js';

export function enqueueVerb(ticket: Ticket, state: CallState, deps: FlowDeps): Verb {
  const q = `t=${ticket.number}&lang=${encodeURIComponent(state.language)}`;
  const base = {
    kind: 'enqueue' as const,
    queue: ticket.queue ?? queueName(ticket),
    waitUrl: `/twilio/call/wait?${q}`,
    action: `/twilio/call/queue-result?${q}`,
  };
  if (!deps.taskRouter) return base;
  return {
    ...base,
    workflowSid: deps.taskRouter.workflowSid,
    task: {
      attributes: {
        type: 'support-call',
        ticket: ticket.number,
        priority: ticket.priority,
        priorityRank: ticket.priorityRank,
        service: ticket.service,
        language: ticket.language,
        org: ticket.org,
        orgName: ticket.orgName,
        plan: ticket.plan,
        priorityQueue: ticket.priorityQueue,
        tier: ticket.tier,
        verifiedBy: ticket.verifiedBy,
      },
      priority: taskRouterPriority(ticket),
    },
  };
}

/**
 * TaskRouter serves higher numbers first. Rank dominates (steps of 10), a priority plan adds 1 within its
 * rank, so a more urgent ticket always outranks a less urgent one whatever the plan.
 */
export function taskRouterPriority(t: Pick<Ticket, 'priorityRank' | 'priorityQueue'>): number {
  return Math.max(0, 100 - t.priorityRank * 10) + (t.priorityQueue ? 1 : 0);
}
