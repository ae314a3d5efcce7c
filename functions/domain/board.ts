/**
 * What the live board shows, decided from tickets alone (pure: time comes in as `nowMs`): the queues
 * (service × language × tier), a ticket's timeline, the hourly chart of waiting and answered callers, and
 * the two supervisor actions on a ticket (close, change of priority). The API turns these into JSON; the
 * board page only draws them, so there is one source of truth.
 */
import { effectiveHours, holidaysFor } from './hours.js';
import type { LineConfig } from './model.js';
import { dueAt } from './sla.js';
import type { Ticket } from './tickets.js';

/** One priority change kept on the ticket, oldest first. */
export interface PriorityChange {
  from: string;
  to: string;
  reason: string;
  at: string;
  by?: string;
}

/** A ticket with what the board's actions add to it (all optional, so older tickets read the same). */
export type BoardTicket = Ticket & { resolution?: string; priorityHistory?: PriorityChange[]; bridgedAt?: string; closedBy?: string };

export interface QueueSummary {
  /** `service.language.tN`, stable across refreshes. */
  id: string;
  service: string;
  language: string;
  tier: number;
  /** Callers waiting per priority level id. */
  waiting: Record<string, number>;
  waitingTotal: number;
  /** The oldest waiting caller's wait, in seconds (0 when nobody waits). */
  longestWaitS: number;
  callbacks: number;
  /** Seconds until the first first-response due time of a waiting or callback ticket; negative once breached. */
  firstBreachInS: number | null;
  /** The ticket whose due time that is. */
  firstBreachTicket: string | null;
  breached: boolean;
  /** A caller of the scheme's most urgent level is waiting. */
  topPriorityWaiting: boolean;
}

/** Groups waiting and callback tickets into queues; the most pressing queue first (breach, then soonest due). */
export function summarizeQueues(tickets: readonly Ticket[], nowMs: number): QueueSummary[] {
  const queues = new Map<string, QueueSummary>();
  for (const t of tickets) {
    if (t.status !== 'waiting' && t.status !== 'callback') continue;
    const id = `${t.service}.${t.language}.t${t.tier}`;
    let q = queues.get(id);
    if (!q) {
      q = {
        id,
        service: t.service,
        language: t.language,
        tier: t.tier,
        waiting: {},
        waitingTotal: 0,
        longestWaitS: 0,
        callbacks: 0,
        firstBreachInS: null,
        firstBreachTicket: null,
        breached: false,
        topPriorityWaiting: false,
      };
      queues.set(id, q);
    }
    if (t.status === 'waiting') {
      q.waiting[t.priority] = (q.waiting[t.priority] ?? 0) + 1;
      q.waitingTotal++;
      q.longestWaitS = Math.max(q.longestWaitS, Math.floor((nowMs - Date.parse(t.createdAt)) / 1000));
      if (t.priorityRank === 0) q.topPriorityWaiting = true;
    } else q.callbacks++;
    const dueIn = Math.floor((Date.parse(t.firstResponseDue) - nowMs) / 1000);
    if (Number.isFinite(dueIn) && (q.firstBreachInS === null || dueIn < q.firstBreachInS)) {
      q.firstBreachInS = dueIn;
      q.firstBreachTicket = t.number;
    }
  }
  for (const q of queues.values()) q.breached = q.firstBreachInS !== null && q.firstBreachInS < 0;
  return [...queues.values()].sort(
    (a, b) =>
      Number(b.breached) - Number(a.breached) ||
      Number(b.topPriorityWaiting) - Number(a.topPriorityWaiting) ||
      (a.firstBreachInS ?? Infinity) - (b.firstBreachInS ?? Infinity) ||
      a.id.localeCompare(b.id),
  );
}

export type TimelineEvent = 'created' | 'queued' | 'callback' | 'answered' | 'bridged' | 'abandoned' | 'priority' | 'closed';

export interface TimelineEntry {
  event: TimelineEvent;
  at: string;
  detail?: Record<string, string>;
}

/** A ticket's life in order: created, queued (or left for a call back), answered, priority changes, abandoned, closed. */
export function ticketTimeline(t: BoardTicket): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ event: 'created', at: t.createdAt, detail: { priority: t.priority } }];
  if (t.queue) entries.push({ event: 'queued', at: t.createdAt, detail: { queue: t.queue } });
  // A callback ticket keeps its createdAt (contract §2.9), so the time it was asked for is not stored: it is shown at creation.
  if (t.status === 'callback' || (!t.queue && !t.answeredAt && t.status !== 'waiting')) entries.push({ event: 'callback', at: t.createdAt });
  if (t.answeredAt) entries.push({ event: 'answered', at: t.answeredAt, detail: t.agent ? { agent: t.agent } : {} });
  if (t.bridgedAt) entries.push({ event: 'bridged', at: t.bridgedAt, detail: t.agent ? { agent: t.agent } : {} });
  if (t.abandonedAt) entries.push({ event: 'abandoned', at: t.abandonedAt });
  for (const c of t.priorityHistory ?? []) entries.push({ event: 'priority', at: c.at, detail: { from: c.from, to: c.to, reason: c.reason } });
  if (t.closedAt) entries.push({ event: 'closed', at: t.closedAt, detail: t.resolution ? { resolution: t.resolution } : {} });
  const order: TimelineEvent[] = ['created', 'queued', 'callback', 'answered', 'bridged', 'abandoned', 'priority', 'closed'];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order.indexOf(a.event) - order.indexOf(b.event)));
}

export interface HourBucket {
  /** Start of the hour (ISO, UTC). */
  hour: string;
  /** Callers who waited at some time in this hour, per priority. */
  waiting: Record<string, number>;
  /** Callers answered by an agent in this hour, per priority. */
  answered: Record<string, number>;
}

const HOUR = 3_600_000;

/**
 * Per hour from `sinceMs` (rounded down to the hour) to now: how many callers were waiting at some point in
 * that hour, and how many were answered in it, per priority. A ticket waits from its creation until it is
 * answered, abandoned or closed; a callback ticket never waited on the line and is not counted as waiting.
 */
export function hourlyChart(tickets: readonly BoardTicket[], sinceMs: number, nowMs: number): HourBucket[] {
  const start = Math.floor(sinceMs / HOUR) * HOUR;
  const buckets: HourBucket[] = [];
  for (let h = start; h <= nowMs && buckets.length < 48; h += HOUR) buckets.push({ hour: new Date(h).toISOString(), waiting: {}, answered: {} });
  const bucketOf = (ms: number) => Math.floor((ms - start) / HOUR);
  for (const t of tickets) {
    const created = Date.parse(t.createdAt);
    if (t.queue || t.status === 'waiting') {
      const endIso = t.answeredAt ?? t.abandonedAt ?? t.closedAt;
      const end = endIso ? Date.parse(endIso) : nowMs;
      for (let i = Math.max(0, bucketOf(created)); i <= Math.min(buckets.length - 1, bucketOf(end)); i++) {
        const w = buckets[i]!.waiting;
        w[t.priority] = (w[t.priority] ?? 0) + 1;
      }
    }
    if (t.answeredAt) {
      const i = bucketOf(Date.parse(t.answeredAt));
      if (i >= 0 && i < buckets.length) buckets[i]!.answered[t.priority] = (buckets[i]!.answered[t.priority] ?? 0) + 1;
    }
  }
  return buckets;
}

export type CloseResult = { kind: 'closed'; ticket: BoardTicket } | { kind: 'already'; ticket: BoardTicket };

/** Closes a ticket: status `closed`, `closedAt`, and the resolution if given. A closed ticket stays as it is. */
export function closeTicket(t: BoardTicket, args: { nowIso: string; resolution?: string; by?: string }): CloseResult {
  if (t.status === 'closed') return { kind: 'already', ticket: t };
  return {
    kind: 'closed',
    ticket: {
      ...t,
      status: 'closed',
      closedAt: args.nowIso,
      ...(args.resolution ? { resolution: args.resolution } : {}),
      ...(args.by ? { closedBy: args.by } : {}),
    },
  };
}

export type PriorityResult =
  | { kind: 'changed'; ticket: BoardTicket }
  | { kind: 'same'; ticket: BoardTicket }
  | { kind: 'closed' }
  | { kind: 'unknown-level'; levels: string[] }
  | { kind: 'unknown-line' };

/**
 * Moves a ticket to another level of its line's scheme. Due times are recomputed from the creation time
 * with the new level's durations, clock and hours (the same rule as when the ticket was opened), the
 * queue order follows the new rank, and the change with its reason is appended to `priorityHistory`.
 * The Twilio queue a waiting caller sits in (`queue`) is kept: that is where the caller physically is.
 */
export function changePriority(t: BoardTicket, args: { priority: string; reason: string; nowIso: string; config: LineConfig; by?: string }): PriorityResult {
  if (t.status === 'closed') return { kind: 'closed' };
  const line = args.config.lines.find((l) => l.number === t.line);
  const scheme = line ? args.config.schemes[line.scheme] : undefined;
  if (!line || !scheme) return { kind: 'unknown-line' };
  const rank = scheme.findIndex((l) => l.id === args.priority);
  if (rank < 0) return { kind: 'unknown-level', levels: scheme.map((l) => l.id) };
  if (scheme[rank]!.id === t.priority) return { kind: 'same', ticket: t };
  const level = scheme[rank]!;
  const service = args.config.services[t.service] ?? { hours: '24/7' as const };
  const plan = args.config.plans[t.plan] ?? { phoneSupport: true };
  const { hours, holidaysApply } = effectiveHours({ service, plan, level });
  const holidays = holidaysApply ? holidaysFor(args.config.holidays, t.country) : [];
  const due = (duration: string) =>
    dueAt({ created: new Date(t.createdAt), duration, clock: level.clock ?? '24h', hours, timeZone: line.timezone, holidays }).toISOString();
  const next: BoardTicket = {
    ...t,
    priority: level.id,
    priorityRank: rank,
    firstResponseDue: due(level.firstResponse),
    priorityHistory: [
      ...(t.priorityHistory ?? []),
      { from: t.priority, to: level.id, reason: args.reason, at: args.nowIso, ...(args.by ? { by: args.by } : {}) },
    ],
  };
  if (level.restore) next.restoreDue = due(level.restore);
  else delete next.restoreDue;
  if (t.answeredAt) next.firstResponseMet = Date.parse(t.answeredAt) <= Date.parse(next.firstResponseDue);
  delete next.priorityNote;
  return { kind: 'changed', ticket: next };
}
