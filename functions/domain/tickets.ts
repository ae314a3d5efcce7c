/**
 * Tickets as agents and programs read them (contract §5), and the pure rules around them: queue names,
 * queue order, and how a status change may move. The stores enforce the same transitions with conditions.
 */
export type TicketStatus = 'waiting' | 'callback' | 'in-progress' | 'abandoned' | 'closed';

export interface Ticket {
  number: string;
  org: string;
  orgName: string;
  plan: string;
  service: string;
  priority: string;
  /** 0 = the scheme's most urgent level; orders the queue. */
  priorityRank: number;
  status: TicketStatus;
  line: string;
  language: string;
  country: string;
  verifiedBy: 'caller-id' | 'code';
  caller: string;
  callerName?: string;
  createdAt: string;
  firstResponseDue: string;
  restoreDue?: string;
  callSid: string;
  /** Plans with `priorityQueue` go first within a priority. */
  priorityQueue: boolean;
  /** Support tier the ticket is with (1 first line, 2 engineers). */
  tier: number;
  /** Twilio queue the caller waits in. */
  queue?: string;
  agent?: string;
  answeredAt?: string;
  firstResponseMet?: boolean;
  abandonedAt?: string;
  closedAt?: string;
  /** The caller asked for a lower priority than they got, or got a lower one than asked: why. */
  priorityNote?: 'lowered-by-service' | 'lowered-by-plan' | 'lowered-by-fair-use';
  /** Saved while DynamoDB was unavailable and replayed later. */
  spooled?: boolean;
  /** Contract §5 v2: the caller's answer (1-5) to the survey after talking to an agent. */
  rating?: number;
}

/**
 * The Twilio queue a caller waits in: per service, language, priority and priority-plan flag, so that
 * Twilio's first-in-first-out queues hand out callers in exactly the order the agents' line chooses
 * (highest priority, then priority plans, then the longest wait). Twilio queue names are at most 64 chars.
 */
export function queueName(t: Pick<Ticket, 'service' | 'language' | 'priorityRank' | 'priorityQueue' | 'tier'>): string {
  const name = `${t.service}.${t.language}.t${t.tier}.r${t.priorityRank}.${t.priorityQueue ? 'pq' : 'std'}`;
  return name.slice(0, 64);
}

/** Sort key of the waiting-queue index: rank, then priority plans, then age (ISO times sort as text). */
export function queueSortKey(t: Pick<Ticket, 'priorityRank' | 'priorityQueue' | 'createdAt' | 'number'>): string {
  return `${String(t.priorityRank).padStart(2, '0')}#${t.priorityQueue ? '0' : '1'}#${t.createdAt}#${t.number}`;
}

/** Partition of the waiting-queue index: one per service, language and tier. */
export function queuePartition(t: Pick<Ticket, 'service' | 'language' | 'tier'>): string {
  return `WAITING#${t.service}#${t.language}#${t.tier}`;
}

/** Partition of callback tickets in the same index: offered in the order they would have had waiting (contract §3 v2). */
export function callbackPartition(t: Pick<Ticket, 'service' | 'language' | 'tier'>): string {
  return `CALLBACK#${t.service}#${t.language}#${t.tier}`;
}

/** Picks the next caller for an agent among candidates: the smallest queue sort key wins. */
export function nextInQueue<T extends Pick<Ticket, 'priorityRank' | 'priorityQueue' | 'createdAt' | 'number'>>(candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of candidates) if (!best || queueSortKey(c) < queueSortKey(best)) best = c;
  return best;
}

/** Status transitions a callback or an agent may make; anything else is ignored (a late or repeated callback). */
const ALLOWED: Record<TicketStatus, TicketStatus[]> = {
  waiting: ['in-progress', 'abandoned', 'closed'],
  callback: ['in-progress', 'closed'],
  'in-progress': ['closed'],
  abandoned: ['in-progress', 'closed'],
  closed: [],
};

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** The engineers' tier: where first-line specialists escalate to, and where `tier: 2` plans start. */
export const ENGINEERS_TIER = 2;

export type Escalation<T> = { kind: 'escalated'; ticket: T } | { kind: 'already'; ticket: T } | { kind: 'closed' };

/**
 * A first-line specialist hands a ticket to the engineers: its tier becomes 2 and nothing else changes
 * (status, agent, due times: the promise made to the customer stands). A waiting ticket thereby moves to
 * the engineers' queue partition. Idempotent, so a retried request cannot push a ticket past the
 * engineers; a closed ticket is not reopened by an escalation.
 */
export function escalate<T extends Pick<Ticket, 'status' | 'tier'>>(t: T): Escalation<T> {
  if (t.status === 'closed') return { kind: 'closed' };
  if (t.tier >= ENGINEERS_TIER) return { kind: 'already', ticket: t };
  return { kind: 'escalated', ticket: { ...t, tier: ENGINEERS_TIER } };
}
