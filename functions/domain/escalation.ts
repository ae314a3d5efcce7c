/**
 * Automatic escalation (issue 17), pure: which tickets of plans with `autoEscalate` have passed their
 * first-response due time without an answer and go to the engineers (tier 2). Time comes in as `nowMs`.
 */
import type { LineConfig } from './model.js';
import { ENGINEERS_TIER, type Ticket, type TicketStatus } from './tickets.js';

/** Statuses of a ticket nobody has answered yet: waiting on the line, a callback request, or left before an answer. */
export const UNANSWERED: readonly TicketStatus[] = ['waiting', 'callback', 'abandoned'];

/** The tickets to escalate now, most overdue first: unanswered, below tier 2, past due, on an `autoEscalate` plan. */
export function dueForEscalation<T extends Pick<Ticket, 'status' | 'plan' | 'tier' | 'firstResponseDue' | 'answeredAt' | 'number'>>(
  tickets: readonly T[],
  config: Pick<LineConfig, 'plans'>,
  nowMs: number,
): T[] {
  return tickets
    .filter((t) => {
      if (!UNANSWERED.includes(t.status) || t.answeredAt || t.tier >= ENGINEERS_TIER) return false;
      if (!config.plans[t.plan]?.autoEscalate) return false;
      const due = Date.parse(t.firstResponseDue);
      return Number.isFinite(due) && due < nowMs;
    })
    .sort((a, b) => Date.parse(a.firstResponseDue) - Date.parse(b.firstResponseDue) || Number(a.number) - Number(b.number));
}
