/**
 * The caller's priority choice (contract §2 step 5): which levels of the line's scheme they may pick, what
 * a key press means, the fair-use limit on top-priority tickets, and which levels are answered while the
 * service is closed. Levels are ordered most urgent first: index 0 is the top, key `1` picks it.
 */
import { parseDuration, durationMs } from './duration.js';
import { isOpen } from './hours.js';
import type { FairUse, PriorityLevel } from './model.js';

export type CappedBy = 'plan' | 'service';

/**
 * The most urgent level index the caller may have: the stricter (larger index) of the plan's and the
 * service's `maxPriority`. On a tie the service is named, because the service's limit applies to every
 * customer ("billing questions are at most P2") and is the less personal thing to tell a caller.
 * A `maxPriority` id that is not in this scheme caps nothing: plans and services are shared by lines with
 * different schemes, and a "B" cap has no meaning on a P1..P4 line. `cappedBy` is set only when the cap
 * actually excludes a level (cap > 0).
 */
export function allowedLevels(args: { scheme: PriorityLevel[]; planMax?: string; serviceMax?: string }): {
  cap: number;
  cappedBy?: CappedBy;
} {
  const indexOf = (id: string | undefined) => (id === undefined ? -1 : args.scheme.findIndex((l) => l.id === id));
  const plan = indexOf(args.planMax);
  const service = indexOf(args.serviceMax);
  const cap = Math.max(plan, service, 0);
  if (cap === 0) return { cap };
  return { cap, cappedBy: service === cap ? 'service' : 'plan' };
}

/**
 * What a key press means. `pressed` must be exactly `1`..`N` (no leading zero, nothing else); a choice more
 * urgent than the cap is lowered to the cap and `loweredBy` says whose maximum did it, so the caller can be
 * told (contract: "lowered to that maximum and the caller is told").
 */
export function choosePriority(args: {
  scheme: PriorityLevel[];
  pressed: string;
  planMax?: string;
  serviceMax?: string;
}): { ok: true; index: number; level: PriorityLevel; requestedIndex: number; loweredBy?: CappedBy } | { ok: false; reason: 'not-a-choice' } {
  if (!/^[1-9]\d*$/.test(args.pressed)) return { ok: false, reason: 'not-a-choice' };
  const requestedIndex = Number(args.pressed) - 1;
  if (requestedIndex >= args.scheme.length) return { ok: false, reason: 'not-a-choice' };
  const { cap, cappedBy } = allowedLevels(args);
  const index = Math.min(Math.max(requestedIndex, cap), args.scheme.length - 1);
  const level = args.scheme[index]!;
  return index > requestedIndex ? { ok: true, index, level, requestedIndex, loweredBy: cappedBy } : { ok: true, index, level, requestedIndex };
}

/**
 * Fair use: with `maxTopPriority` N, the first N top-priority tickets an organization opens in the window are
 * kept and the (N+1)th and later are lowered one level ("more than N ... lowers the next one").
 * `recentTopCount` is the number of tickets the organization opened at the top level within the window
 * before this one; tickets that were lowered are not at the top level and do not count. Only a choice of
 * the top level (index 0) is affected; a one-level scheme cannot be lowered.
 */
export function applyFairUse(args: { index: number; scheme: PriorityLevel[]; fairUse?: FairUse; recentTopCount: number }): { index: number; lowered: boolean } {
  const { index, scheme, fairUse, recentTopCount } = args;
  if (!fairUse || index !== 0 || scheme.length < 2) return { index, lowered: false };
  if (recentTopCount < fairUse.maxTopPriority) return { index, lowered: false };
  return { index: 1, lowered: true };
}

const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The fair-use window in ms: `fairUse.window` (days as 24h), default PT24H. An unparseable window falls back
 * to the default rather than failing a live call; the validator rejects it before loading.
 */
export function fairUseWindowMs(fairUse?: FairUse): number {
  const d = fairUse?.window === undefined ? undefined : parseDuration(fairUse.window);
  return d ? durationMs(d) : DEFAULT_WINDOW_MS;
}

/**
 * When the service is closed, the levels still answered now: those at or below the cap (index >= cap) that
 * have their own `hours` and are open at `at` (e.g. severity A answered 24/7 while B and C are 9–24).
 * Pass the holidays that apply to the caller ([] when the plan opts out); "24/7" levels ignore them.
 */
export function openLevelsWhenClosed(args: { scheme: PriorityLevel[]; at: Date; timeZone: string; holidays: readonly string[]; cap: number }): number[] {
  const out: number[] = [];
  args.scheme.forEach((level, i) => {
    if (i >= args.cap && level.hours !== undefined && isOpen(level.hours, args.at, args.timeZone, args.holidays)) {
      out.push(i);
    }
  });
  return out;
}
