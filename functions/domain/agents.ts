/**
 * The agents' rules (contract §3), pure: which waiting caller an agent takes next, and when repeated wrong
 * PINs lock an agent out. No clock and no I/O here: times come in as parameters, so the flows and the
 * property tests exercise exactly the same rule the adapters enforce with their conditional writes.
 */
import type { Agent } from './model.js';
import { queueSortKey, type Ticket } from './tickets.js';

/** What the choice needs of an agent: the services, languages and tier they serve. */
export type AgentSkills = Pick<Agent, 'services' | 'languages' | 'tier'>;

/** One partition of the waiting-queue index an agent may take callers from. */
export interface QueueSlice {
  service: string;
  language: string;
  tier: number;
}

/** The tier an agent works when the data file does not say: first line, like plans without a tier. */
export const DEFAULT_TIER = 1;

/**
 * Every (service, language, tier) an agent serves, without duplicates, in the data file's order. The flow
 * queries the queue index once per slice: the index is partitioned the same way, so an agent's candidates
 * are exactly these partitions' heads and nothing else is ever read.
 */
export function queueSlices(agent: AgentSkills): QueueSlice[] {
  const tier = agent.tier ?? DEFAULT_TIER;
  const seen = new Set<string>();
  const out: QueueSlice[] = [];
  for (const service of agent.services) {
    for (const language of agent.languages) {
      const key = `${service}\u0000${language}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ service, language, tier });
    }
  }
  return out;
}

/**
 * Whether the agent may take this ticket at all: waiting (or a callback, contract §3 v2: offered as if its
 * caller still waited), and one of their services, languages and their tier.
 */
export function serves(agent: AgentSkills, t: Pick<Ticket, 'status' | 'service' | 'language' | 'tier'>): boolean {
  return (
    (t.status === 'waiting' || t.status === 'callback') &&
    agent.services.includes(t.service) &&
    agent.languages.includes(t.language) &&
    t.tier === (agent.tier ?? DEFAULT_TIER)
  );
}

/**
 * The order in which an agent should try to take callers: highest priority (lowest rank) first, then plans
 * with `priorityQueue`, then the longest wait, then the lower ticket number (a total order, so two agents
 * looking at the same tickets agree). Tickets the agent does not serve are left out. Returned as a list,
 * not a single ticket, because a claim can lose a race and the flow then tries the next one.
 */
export function callerOrder<T extends Pick<Ticket, 'status' | 'service' | 'language' | 'tier' | 'priorityRank' | 'priorityQueue' | 'createdAt' | 'number'>>(
  candidates: readonly T[],
  agent: AgentSkills,
): T[] {
  const seen = new Set<string>();
  const eligible: Array<{ t: T; key: string }> = [];
  for (const t of candidates) {
    if (!serves(agent, t) || seen.has(t.number)) continue;
    seen.add(t.number);
    eligible.push({ t, key: queueSortKey(t) });
  }
  return eligible.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => e.t);
}

/** The next caller for an agent, or undefined when none of the candidates is theirs to take. */
export function nextCaller<T extends Parameters<typeof callerOrder>[0][number]>(candidates: readonly T[], agent: AgentSkills): T | undefined {
  return callerOrder(candidates, agent)[0];
}

/**
 * Whether the first response was in time: answered at or before the due time. A ticket without a due time
 * (a spooled one replayed) counts as met, since no promise was made to the caller.
 */
export function firstResponseMet(answeredAt: string, firstResponseDue: string | undefined): boolean {
  if (!firstResponseDue) return true;
  const due = Date.parse(firstResponseDue);
  const at = Date.parse(answeredAt);
  if (Number.isNaN(due) || Number.isNaN(at)) return true;
  return at <= due;
}

// ---------------------------------------------------------------- sign-in lockout

/**
 * The lockout policy: 5 wrong PINs lock the agent id for 15 minutes. Failures further apart than the window
 * start a new count (a typo last week must not lock anyone today), and a correct PIN clears the count.
 */
export const LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000, windowMs: 15 * 60_000 } as const;

/** What is remembered per agent id between calls (times in epoch milliseconds). */
export interface LockRecord {
  failures: number;
  firstFailureAt: number;
  lockedUntil?: number;
}

export function isLocked(record: LockRecord | undefined, nowMs: number): boolean {
  return !!record?.lockedUntil && record.lockedUntil > nowMs;
}

/**
 * The record after one more wrong PIN at `nowMs`. A locked record stays as it is (attempts while locked are
 * refused before any PIN is checked, so they neither extend nor shorten the lock); an expired lock or a
 * stale count starts over at one failure.
 */
export function afterFailure(record: LockRecord | undefined, nowMs: number, policy: typeof LOCKOUT = LOCKOUT): LockRecord {
  if (record && isLocked(record, nowMs)) return record;
  const fresh = !record || record.lockedUntil !== undefined || nowMs - record.firstFailureAt >= policy.windowMs;
  const failures = fresh ? 1 : record.failures + 1;
  const firstFailureAt = fresh ? nowMs : record.firstFailureAt;
  return failures >= policy.maxFailures ? { failures, firstFailureAt, lockedUntil: nowMs + policy.lockMs } : { failures, firstFailureAt };
}

// ---------------------------------------------------------------- the daily cap per agent id (issue 14)

/**
 * Wrong PINs lock an id only for the calling number that entered them (contract §3 v2), so a stranger
 * cannot lock a real agent out. Across all numbers an id gets this many wrong PINs a day before the
 * supervisors are paged (once that day): guessing from many numbers is then a person's problem, not a lock.
 */
export const DAILY_PIN_CAP = 20;
/** Distinct calling numbers remembered per id and day (for the page). */
const DAILY_NUMBERS_KEPT = 50;

/** Wrong PINs of one agent id on one UTC day, across calling numbers. */
export interface DailyPinRecord {
  day: string;
  count: number;
  numbers: string[];
  paged: boolean;
}

/** The UTC day of an instant, `YYYY-MM-DD`: the daily cap's window. */
export const utcDay = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 10);

/** The day's record after one more wrong PIN from `caller`, and whether this one reached the cap (page now). */
export function afterDailyFailure(
  record: DailyPinRecord | undefined,
  day: string,
  caller: string,
  cap: number = DAILY_PIN_CAP,
): { record: DailyPinRecord; capReachedNow: boolean } {
  const current = record && record.day === day ? record : { day, count: 0, numbers: [], paged: false };
  const numbers = current.numbers.includes(caller) || current.numbers.length >= DAILY_NUMBERS_KEPT ? current.numbers : [...current.numbers, caller];
  const count = current.count + 1;
  const capReachedNow = count >= cap && !current.paged;
  return { record: { day, count, numbers, paged: current.paged || capReachedNow }, capReachedNow };
}

/** How many sign-ins one call of the agents' line may fail before it ends (independent of the lockout). */
export const MAX_SIGN_IN_FAILURES = 3;

/** A plausible agent id or PIN as keyed in: digits only, 1 to 20 of them; anything else is simply wrong. */
export function isKeyedId(s: string): boolean {
  return /^\d{1,20}$/.test(s);
}
