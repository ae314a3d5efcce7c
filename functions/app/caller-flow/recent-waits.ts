/**
 * Recent answered waits of a service and language (the waiting caller's estimate), kept per instance for a
 * minute: every announcement of every waiting caller needs them, and a median of the last few answered
 * calls barely moves within a minute, so one read serves them all instead of two queries each. Concurrent
 * announcements of a cold entry share one read (single flight). Too few waits for an estimate are not
 * kept: the first answers after a quiet spell give an estimate at the next announcement, not a minute late.
 * Entries are per ticket store, i.e. per instance's wiring (and per test's store), never shared between them.
 */
import type { TicketStore } from '../ports.js';

/** How long an instance keeps the answered waits it read. */
export const RECENT_WAITS_TTL_MS = 60_000;

export interface WaitsQuery {
  service: string;
  language: string;
  /** How far back answered tickets count. */
  windowMs: number;
  /** How many of the latest answered waits are read. */
  samples: number;
  /** Fewer than this make no estimate: such a result is not kept. */
  minSamples: number;
}

interface Entry {
  readAt: number;
  waits: Promise<number[]>;
}

const byStore = new WeakMap<Pick<TicketStore, 'answeredWaits'>, Map<string, Entry>>();

/** The answered waits of `q` as read at most a minute before `nowMs` (epoch ms) by this instance, else read now. */
export function recentAnsweredWaits(tickets: Pick<TicketStore, 'answeredWaits'>, q: WaitsQuery, nowMs: number): Promise<number[]> {
  let entries = byStore.get(tickets);
  if (!entries) byStore.set(tickets, (entries = new Map()));
  const key = `${q.service}\u0000${q.language}`;
  const hit = entries.get(key);
  // A clock that went back (another instance's idea of now, a test's) reads again rather than trust the entry.
  if (hit && nowMs >= hit.readAt && nowMs - hit.readAt < RECENT_WAITS_TTL_MS) return hit.waits;
  const entry: Entry = { readAt: nowMs, waits: tickets.answeredWaits(q.service, q.language, new Date(nowMs - q.windowMs).toISOString(), q.samples) };
  entries.set(key, entry);
  const forget = () => {
    if (entries.get(key) === entry) entries.delete(key);
  };
  entry.waits.then((waits) => waits.length < q.minSamples && forget(), forget);
  return entry.waits;
}
