/**
 * Opening hours in a line's time zone: parsing the data file's day specs, answering "are we open now",
 * "when do we open next" and "when does this stretch end", and turning local wall times into instants.
 *
 * Everything is computed from instants: each local day's `[open, close)` wall-clock intervals are mapped to
 * UTC instants once, and every question is answered against those instant intervals. That keeps `isOpen`,
 * `nextOpening`, `closingAfter` and the business clock (`sla.ts`) in exact agreement, including on the
 * days clocks change.
 *
 * Wall time → instant across DST (see `localInstant`): a wall time that does not exist (the spring-forward
 * gap) maps to the instant just after the gap, i.e. the transition itself — a line "opening at 02:30" on
 * that night opens at 03:00 new time; an ambiguous wall time (fall-back, the hour that happens twice) maps to
 * its first occurrence — a line closing at 01:30 closes the first time the clock shows 01:30.
 *
 * Pure: time zones come from `Intl.DateTimeFormat` (no library, no `Date.now()`).
 */
import type { Hours, Plan, PriorityLevel, Service, Weekday } from './model.js';

/** The week in the order the data file, summaries and speech use (Monday first). */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Minutes since local midnight: `[open, close)`, close up to 1440 ("24:00"). */
export type Interval = readonly [open: number, close: number];

/** Parsed hours: `'always'` for "24/7", else per weekday its sorted, merged, non-empty intervals. */
export type WeeklyHours = 'always' | Readonly<Record<Weekday, readonly Interval[]>>;

/** One open stretch as instants (epoch ms), `[start, end)`. */
export interface InstantInterval {
  start: number;
  end: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far the searches look: longer than a year, so a yearly holiday pattern cannot hide an opening. */
export const SEARCH_DAYS = 400;

// ---------------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone: building them is the expensive part of `Intl`. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
      });
    } catch (cause) {
      throw new RangeError(`Unknown time zone "${timeZone}"`, { cause });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

function wallFields(t: number, timeZone: string): WallFields {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    // Some engines print midnight as "24" even with h23; it is the same instant as hour 0.
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: (out.weekday ?? '').slice(0, 3).toLowerCase() as Weekday,
  };
}

/** The zone's UTC offset at instant `t`, in ms (positive east of Greenwich). */
function offsetAt(t: number, timeZone: string): number {
  const f = wallFields(t, timeZone);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wall - Math.floor(t / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Where and when an instant is on the line's wall clock: the local date, weekday and minute of the day. */
export function localParts(at: Date, timeZone: string): { date: string; weekday: Weekday; minutes: number } {
  const f = wallFields(at.getTime(), timeZone);
  return {
    date: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`,
    weekday: f.weekday,
    minutes: f.hour * 60 + f.minute,
  };
}

function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Bad local date "${date}" (expected YYYY-MM-DD)`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Calendar arithmetic on local dates (no zone involved: a date is a date). */
export function addDays(date: string, days: number): string {
  const d = new Date(parseDate(date) + days * DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The weekday of a local date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(new Date(parseDate(date)).getUTCDay() + 6) % 7]!;
}

/**
 * The instant at which the line's wall clock shows `minutes` after midnight of local `date` (1440 = the
 * next midnight). Found by guessing with the offsets a day either side and keeping the guesses that read
 * back as the wanted wall time: two valid readings = fall-back ambiguity → the first occurrence; none =
 * spring-forward gap → the transition instant (the first instant after the gap), found by bisection.
 */
export function localInstant(date: string, minutes: number, timeZone: string): Date {
  const wall = parseDate(date) + minutes * MINUTE;
  const offsets = new Set([offsetAt(wall - DAY, timeZone), offsetAt(wall, timeZone), offsetAt(wall + DAY, timeZone)]);
  let best: number | undefined;
  for (const o of offsets) {
    const t = wall - o;
    if (offsetAt(t, timeZone) === o && (best === undefined || t < best)) best = t;
  }
  if (best !== undefined) return new Date(best);
  // In the gap: before the transition the wall clock reads earlier than `wall`, after it later. Bisect on
  // whole seconds (zone transitions happen on whole seconds) for the first instant reading >= wall.
  let lo = Math.floor((wall - Math.max(...offsets)) / 1000);
  let hi = Math.ceil((wall - Math.min(...offsets)) / 1000);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid * 1000 + offsetAt(mid * 1000, timeZone) >= wall) hi = mid;
    else lo = mid + 1;
  }
  return new Date(lo * 1000);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

function parseTime(value: unknown, key: string, role: 'open' | 'close'): number {
  const m = typeof value === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(value) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (m && min <= 59 && (h <= 23 || (role === 'close' && h === 24 && min === 0))) return h * 60 + min;
  throw new Error(`Bad ${role} time ${JSON.stringify(value)} for "${key}": expected HH:MM from 00:00 to 23:59` + (role === 'close' ? ' or 24:00' : ''));
}

function parseDay(word: string, key: string): number {
  const i = WEEKDAYS.indexOf(word as Weekday);
  if (i < 0) throw new Error(`Bad day "${word}" in "${key}": expected mon, tue, wed, thu, fri, sat or sun`);
  return i;
}

/** `mon`, `mon-fri`, `fri-mon` (wraps over the weekend), `sat,sun`, `mon-fri,sun` → weekday indexes. */
function parseDays(key: string): number[] {
  const days: number[] = [];
  for (const raw of key.split(',')) {
    const part = raw.trim().toLowerCase();
    if (!part) throw new Error(`Bad day spec "${key}": empty day between commas`);
    const range = part.split('-');
    if (range.length === 1) days.push(parseDay(part, key));
    else if (range.length === 2) {
      const from = parseDay(range[0]!.trim(), key);
      const to = parseDay(range[1]!.trim(), key);
      for (let i = from; ; i = (i + 1) % 7) {
        days.push(i);
        if (i === to) break;
      }
    } else throw new Error(`Bad day range "${part}" in "${key}": expected two days like mon-fri`);
  }
  return days;
}

/**
 * Parse the data file's hours. Later keys add intervals to the days they name; overlapping or touching
 * intervals are merged. A close must be after its open: an overnight stretch is written as two keys
 * (`"fri": ["22:00", "24:00"], "sat": ["00:00", "06:00"]`), which the functions here treat as one stretch.
 * Throws a descriptive Error on a bad spec (the data validator reports it earlier; this is the defence).
 */
export function parseHours(hours: Hours): WeeklyHours {
  if (hours === '24/7') return 'always';
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
    throw new Error(`Bad hours ${JSON.stringify(hours)}: expected "24/7" or an object of day specs`);
  }
  const perDay: Interval[][] = WEEKDAYS.map(() => []);
  for (const [key, value] of Object.entries(hours)) {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new Error(`Bad hours for "${key}": expected [open, close], got ${JSON.stringify(value)}`);
    }
    const open = parseTime(value[0], key, 'open');
    const close = parseTime(value[1], key, 'close');
    if (close <= open) {
      throw new Error(
        `Bad hours for "${key}": close ${value[1]} is not after open ${value[0]} ` + '(write an overnight stretch as two days, ending the first at 24:00)',
      );
    }
    for (const d of parseDays(key)) perDay[d]!.push([open, close]);
  }
  const out = {} as Record<Weekday, Interval[]>;
  WEEKDAYS.forEach((w, i) => {
    const sorted = [...perDay[i]!].sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [o, c] of sorted) {
      const last = merged.at(-1);
      if (last && o <= last[1]) last[1] = Math.max(last[1], c);
      else merged.push([o, c]);
    }
    out[w] = merged;
  });
  return out;
}

/** Public functions take the data file's form; parsing is cheap next to the `Intl` work that follows. */
const weekly = (hours: Hours): WeeklyHours => parseHours(hours);

function holidaySet(holidays: readonly string[] | ReadonlySet<string>): ReadonlySet<string> {
  return holidays instanceof Set ? holidays : new Set(holidays as readonly string[]);
}

// ---------------------------------------------------------------------------------------------------------
// Instants

/**
 * The open stretches of one local date as instants, in order; none on a holiday. An interval that falls
 * wholly inside a spring-forward gap is dropped (nobody can be open during a time that does not exist).
 * For 'always' it is the whole local day (24/7 has no day structure; callers usually handle it first).
 */
export function openIntervalsOn(hours: WeeklyHours, date: string, timeZone: string, holidays: readonly string[] | ReadonlySet<string>): InstantInterval[] {
  if (hours === 'always') {
    return [{ start: localInstant(date, 0, timeZone).getTime(), end: localInstant(date, 1440, timeZone).getTime() }];
  }
  if (holidaySet(holidays).has(date)) return [];
  const out: InstantInterval[] = [];
  for (const [o, c] of hours[weekdayOf(date)]) {
    const start = localInstant(date, o, timeZone).getTime();
    const end = localInstant(date, c, timeZone).getTime();
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The stretch containing `t`, looking at the local day of `t` and its neighbours (for 24:00 / 00:00 joins). */
function containing(w: WeeklyHours, t: number, timeZone: string, holidays: ReadonlySet<string>): InstantInterval | undefined {
  const date = localParts(new Date(t), timeZone).date;
  for (let i = -1; i <= 1; i++) {
    for (const iv of openIntervalsOn(w, addDays(date, i), timeZone, holidays)) {
      if (iv.start <= t && t < iv.end) return iv;
    }
  }
  return undefined;
}

/**
 * Whether the line is open at `at`. Holidays (local dates in the line's zone) close non-24/7 hours all
 * day; "24/7" ignores them, because a 24/7 promise is exactly the one that holds on holidays.
 */
export function isOpen(hours: Hours, at: Date, timeZone: string, holidays: readonly string[]): boolean {
  const w = weekly(hours);
  if (w === 'always') return true;
  return containing(w, at.getTime(), timeZone, holidaySet(holidays)) !== undefined;
}

/**
 * The first instant >= `from` at which the line is open (`from` itself when open). Looks ~400 days ahead;
 * undefined when never open in that span (hours that name no day, or every open day a holiday).
 */
export function nextOpening(hours: Hours, from: Date, timeZone: string, holidays: readonly string[]): Date | undefined {
  const w = weekly(hours);
  const t = from.getTime();
  if (w === 'always') return new Date(t);
  const hs = holidaySet(holidays);
  const date = localParts(from, timeZone).date;
  for (let i = -1; i <= SEARCH_DAYS; i++) {
    for (const iv of openIntervalsOn(w, addDays(date, i), timeZone, hs)) {
      if (iv.end > t) return new Date(Math.max(iv.start, t));
    }
  }
  return undefined;
}

/**
 * When the open stretch containing `at` ends: stretches that touch (Friday to 24:00 then Saturday from
 * 00:00) count as one, so a caller is never told "we close at midnight" by a line that stays open.
 * undefined when closed at `at`, for "24/7", and when the stretch runs past the ~400-day horizon.
 */
export function closingAfter(hours: Hours, at: Date, timeZone: string, holidays: readonly string[]): Date | undefined {
  const w = weekly(hours);
  if (w === 'always') return undefined;
  const hs = holidaySet(holidays);
  // Every day open all day and no holiday: it never closes (without walking a year of days to find that out).
  if (hs.size === 0 && WEEKDAYS.every((d) => w[d].length === 1 && w[d][0]![0] === 0 && w[d][0]![1] === 1440)) return undefined;
  const t = at.getTime();
  const first = containing(w, t, timeZone, hs);
  if (!first) return undefined;
  let end = first.end;
  // Walk the following days once, extending the stretch while the next interval starts by its end.
  const date = localParts(new Date(end), timeZone).date;
  for (let i = -1; i <= SEARCH_DAYS; i++) {
    for (const iv of openIntervalsOn(w, addDays(date, i), timeZone, hs)) {
      if (iv.end <= end) continue;
      if (iv.start > end) return new Date(end);
      end = iv.end;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Summaries and precedence

const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

/**
 * The hours grouped for speech: days with identical hours share one entry per interval, days in week order
 * (Monday first), entries ordered by their first day then time. `{ mon-fri 09-17 }` → one entry
 * `{ days: [mon..fri], open: '09:00', close: '17:00' }`, which the renderer says as "Monday to Friday, 9 to 17".
 * Days need not be consecutive (`mon-fri,sun`); the renderer splits runs. "24/7" → [] (nothing to list).
 */
export function hoursSummary(hours: Hours): Array<{ days: Weekday[]; open: string; close: string }> {
  const w = weekly(hours);
  if (w === 'always') return [];
  const groups = new Map<string, { days: Weekday[]; intervals: readonly Interval[] }>();
  for (const day of WEEKDAYS) {
    const intervals = w[day];
    if (intervals.length === 0) continue;
    const key = JSON.stringify(intervals);
    const g = groups.get(key);
    if (g) g.days.push(day);
    else groups.set(key, { days: [day], intervals });
  }
  return [...groups.values()].flatMap((g) => g.intervals.map(([o, c]) => ({ days: [...g.days], open: hhmm(o), close: hhmm(c) })));
}

/**
 * Which hours answer this call. A level's own hours (A answered 24/7) win when the caller picked that level,
 * then the plan's (a paid Sunday option replaces the service's hours for its customers), then the service's.
 * Holidays apply unless the plan opts out or the hours are "24/7".
 */
export function effectiveHours(args: { service: Service; plan: Plan; level?: PriorityLevel }): {
  hours: Hours;
  holidaysApply: boolean;
} {
  const hours = args.level?.hours ?? args.plan.hours ?? args.service.hours;
  return { hours, holidaysApply: args.plan.holidays !== false && hours !== '24/7' };
}

/** The holidays of one country (the caller's country picked among the line's), [] when it has none listed. */
export function holidaysFor(holidays: Record<string, string[]> | undefined, country: string): string[] {
  const list = holidays?.[country] ?? holidays?.[country.toUpperCase()];
  return list ? [...list] : [];
}
