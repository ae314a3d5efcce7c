/**
 * When a ticket's first response (or restoration) is due, on the level's clock.
 *
 * - 24h clock: elapsed time. `created + duration`, a day counted as 24 hours of elapsed time — so across a
 *   DST switch `P1D` from 09:00 lands at 10:00 or 08:00 local. Customers on a 24h clock bought elapsed time.
 * - business clock: the clock runs only while the service is open (the line's zone, holidays skipped).
 *   The time part counts open time; the day part counts open days, each one moving the due position to the
 *   same open-clock position on the next open day. The full rule, with examples, is in
 *   docs/sla-and-hours.md; in short the due instant is always the earliest instant at which the required
 *   open time has run, so it is never outside the hours (open just before it, or exactly at a close).
 *
 * Pure: time comes in as `created`.
 */
import { parseDuration } from './duration.js';
import { SEARCH_DAYS, addDays, localParts, openIntervalsOn, parseHours, type InstantInterval, type WeeklyHours } from './hours.js';
import type { Hours } from './model.js';

const DAY = 86_400_000;

/** One local date with open time, its stretches as instants and its total open time. */
interface OpenDay {
  date: string;
  intervals: InstantInterval[];
  length: number;
}

/**
 * The open days from `date` on, in order. Throws after ~400 consecutive closed days: a business clock
 * that never runs would otherwise loop forever, and the data validator should have caught it.
 */
function* openDays(hours: WeeklyHours, date: string, timeZone: string, holidays: ReadonlySet<string>): Generator<OpenDay, never> {
  let closedRun = 0;
  for (let d = date; ; d = addDays(d, 1)) {
    const intervals = openIntervalsOn(hours, d, timeZone, holidays);
    const length = intervals.reduce((sum, iv) => sum + (iv.end - iv.start), 0);
    if (length > 0) {
      closedRun = 0;
      yield { date: d, intervals, length };
    } else if (++closedRun > SEARCH_DAYS) {
      throw new Error(`Business hours are never open in ${SEARCH_DAYS} days after ${d}: no business-clock due time`);
    }
  }
}

function nth(days: Generator<OpenDay, never>, n: number): OpenDay {
  let day: OpenDay | undefined;
  for (let i = 0; i < n; i++) day = days.next().value;
  return day!;
}

/** Open time on `day` before instant `t`. */
function positionOf(day: OpenDay, t: number): number {
  return day.intervals.reduce((sum, iv) => sum + Math.min(Math.max(t - iv.start, 0), iv.end - iv.start), 0);
}

/** The earliest instant at which `position` (0 < position <= length) of open time on `day` has run. */
function instantAt(day: OpenDay, position: number): number {
  let before = 0;
  for (const iv of day.intervals) {
    const len = iv.end - iv.start;
    if (position <= before + len) return iv.start + (position - before);
    before += len;
  }
  return day.intervals.at(-1)!.end;
}

/** Walk `ms` of open time forward from instant `from`; lands inside a stretch or exactly at its end. */
function addOpenTime(hours: WeeklyHours, from: number, ms: number, timeZone: string, holidays: ReadonlySet<string>): number {
  let remaining = ms;
  const start = addDays(localParts(new Date(from), timeZone).date, -1);
  for (const day of openDays(hours, start, timeZone, holidays)) {
    for (const iv of day.intervals) {
      if (iv.end <= from) continue;
      const begin = Math.max(iv.start, from);
      const available = iv.end - begin;
      if (remaining <= available) return begin + remaining;
      remaining -= available;
    }
  }
  throw new Error('unreachable');
}

/**
 * The due instant of a promise made at `created`. Throws on an invalid duration (and on business hours
 * that are never open), because a ticket without a due time would silently drop the promise.
 */
export function dueAt(args: { created: Date; duration: string; clock: '24h' | 'business'; hours: Hours; timeZone: string; holidays: readonly string[] }): Date {
  const d = parseDuration(args.duration);
  if (!d) throw new Error(`Invalid SLA duration "${args.duration}": expected an ISO 8601 duration like PT4H or P1D`);
  const created = args.created.getTime();
  if (!Number.isFinite(created)) throw new Error('Invalid creation time');
  const hours = args.clock === 'business' ? parseHours(args.hours) : 'always';
  if (hours === 'always') return new Date(created + d.days * DAY + d.ms);

  const holidays = new Set(args.holidays);
  let due = created;

  // Day part first (largest unit first, as ISO 8601 and Temporal add durations).
  if (d.days > 0) {
    // The start: the first open day whose last close is at or after `created` (a day ending exactly at
    // `created` counts, so a ticket made at the close is "at the close", not "before the next opening").
    const days = openDays(hours, addDays(localParts(args.created, args.timeZone).date, -1), args.timeZone, holidays);
    let startDay = days.next().value;
    while (startDay.intervals.at(-1)!.end < created) startDay = days.next().value;
    const position = positionOf(startDay, created);
    let target: OpenDay;
    let at: number;
    if (position === 0) {
      // Nothing has run yet today: the clock stands where yesterday's close left it, so the first day
      // ends at this day's close (a ticket made on Saturday with P1D is due at Monday's close).
      target = d.days === 1 ? startDay : nth(days, d.days - 1);
      at = target.length;
    } else if (position >= startDay.length) {
      // At the close: each day ends at the next open day's close, however long that day is.
      target = nth(days, d.days);
      at = target.length;
    } else {
      // Same open-clock position on the Nth next open day; a shorter day ends at its close.
      target = nth(days, d.days);
      at = Math.min(position, target.length);
    }
    due = instantAt(target, at);
  }

  if (d.ms > 0) due = addOpenTime(hours, due, d.ms, args.timeZone, holidays);
  return new Date(due);
}
