/**
 * Dates, times, durations, hours and ticket numbers as said in the language being spoken: Intl with the
 * speech's locale (12-hour clocks where the locale's CLDR data says so, en-US; 24-hour in de, pl, ja, …),
 * and the catalog's own words for what Intl cannot decline (Polish "od poniedziałku do piątku").
 * Pure: time, zone and language come in as parameters.
 */
import type { Hours, Weekday } from '../model.js';
import { hoursSummary, localParts, addDays, WEEKDAYS } from '../hours.js';
import { CATALOGS, type CatalogKey, type MessageId, type Params } from '../messages/catalog.js';
import { speechFor, type Speech } from './voices.js';

/** Which catalogs may speak; the live ones unless a caller (the prompt snapshots, tests) says otherwise. */
export interface SpeakOptions {
  among?: ReadonlySet<CatalogKey>;
}

/** One message's text in `language`. */
export function text(language: string, id: MessageId, params: Params = {}, opts: SpeakOptions = {}): string {
  return textIn(speechFor(language, opts), id, params);
}

function textIn(s: Speech, id: MessageId, params: Params = {}): string {
  return CATALOGS[s.catalog][id](params);
}

/** Countries whose callers cannot assume the line's zone is theirs. */
const MULTI_ZONE = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'RU', 'ID', 'KZ', 'AR', 'CL', 'CD', 'MN', 'PT', 'ES', 'EC', 'NZ', 'KI', 'FM', 'PF', 'UM']);

/**
 * Whether a time said to this caller names its zone: on a number shared by several countries, for a caller
 * from another country than the line's, and in countries with more than one zone ("4:00 PM Eastern Time").
 */
export function shouldNameZone(args: { lineCountries: readonly string[]; callerCountry?: string }): boolean {
  const { lineCountries, callerCountry } = args;
  if (lineCountries.length > 1) return true;
  if (callerCountry && !lineCountries.includes(callerCountry)) return true;
  return MULTI_ZONE.has(lineCountries[0] ?? '');
}

export interface TimeOptions extends SpeakOptions {
  timeZone: string;
  /** Say the zone after the time (see `shouldNameZone`). */
  nameZone?: boolean;
}

/** A clock time of an instant: "4:00 PM", "16:00", "下午4:00", with the zone's name when asked for. */
export function spokenTime(language: string, at: Date, opts: TimeOptions): string {
  return timeIn(speechFor(language, opts), at, opts);
}

function timeIn(s: Speech, at: Date, opts: TimeOptions): string {
  const time = new Intl.DateTimeFormat(s.locale, { hour: 'numeric', minute: '2-digit', timeZone: opts.timeZone }).format(at);
  if (!opts.nameZone) return time;
  return textIn(s, 'time-in-zone', { time, zone: zoneName(s.locale, at, opts.timeZone) });
}

/** The zone's generic long name in the locale ("Eastern Time", "Mitteleuropäische Zeit"), Intl's offset name otherwise. */
export function zoneName(locale: string, at: Date, timeZone: string): string {
  for (const style of ['longGeneric', 'long'] as const) {
    try {
      const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName');
      if (part?.value) return part.value;
    } catch {
      // an engine without longGeneric: try the next style
    }
  }
  return timeZone;
}

export interface DueOptions extends TimeOptions {
  now: Date;
}

/**
 * A due time as the caller hears it: "today at 4:00 PM", "tomorrow at 09:00", "Wednesday at 16:00" within a
 * week, else with its date ("Monday, 14 December at 09:00"): the weekday alone would name the wrong week.
 */
export function formatDue(language: string, due: Date | string, opts: DueOptions): string {
  const s = speechFor(language, opts);
  const at = typeof due === 'string' ? new Date(due) : due;
  if (Number.isNaN(at.getTime())) return String(due);
  const time = timeIn(s, at, opts);
  const today = localParts(opts.now, opts.timeZone).date;
  const day = localParts(at, opts.timeZone).date;
  if (day === today) return textIn(s, 'due-today', { time });
  if (day === addDays(today, 1)) return textIn(s, 'due-tomorrow', { time });
  if (day > today && day <= addDays(today, 6)) {
    return textIn(s, 'due-weekday', { day: new Intl.DateTimeFormat(s.locale, { weekday: 'long', timeZone: opts.timeZone }).format(at), time });
  }
  const date = new Intl.DateTimeFormat(s.locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: opts.timeZone }).format(at);
  return textIn(s, 'due-date', { date, time });
}

/** A date with its year and time, for ends of bars months away: "Wednesday, March 3, 2027 at 9:00 AM". */
export function spokenDate(language: string, at: Date | string, opts: TimeOptions): string {
  const s = speechFor(language, opts);
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  const date = new Intl.DateTimeFormat(s.locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: opts.timeZone }).format(d);
  const dateOnly = new Intl.DateTimeFormat(s.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: opts.timeZone }).format(d);
  return textIn(s, 'date-at-time', { date, dateOnly, time: timeIn(s, d, opts) });
}

/** A wall-clock "HH:MM" of the data file as said in the language ("9:00 AM", "09:00"); "24:00" is midnight. */
export function spokenClock(language: string, hhmm: string, opts: SpeakOptions = {}): string {
  return clockIn(speechFor(language, opts), hhmm);
}

function clockIn(s: Speech, hhmm: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return hhmm;
  if (m[1] === '24') return textIn(s, 'time-midnight');
  return new Intl.DateTimeFormat(s.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, 0, 3, Number(m[1]), Number(m[2]))),
  );
}

/** Opening hours: "Monday to Friday, 9:00 AM to 5:00 PM; Saturday, 9:00 AM to 1:00 PM", in the language. */
export function spokenHours(language: string, hours: Hours, opts: SpeakOptions = {}): string {
  const s = speechFor(language, opts);
  const groups = hoursSummary(hours);
  if (groups.length === 0) return textIn(s, 'hours-always');
  const list = new Intl.ListFormat(s.locale, { style: 'long', type: 'conjunction' });
  return groups
    .map((g) => {
      const days =
        g.days.length > 2 && isConsecutive(g.days)
          ? textIn(s, 'days-range', { from: g.days[0]!, to: g.days.at(-1)! })
          : list.format(g.days.map((d) => textIn(s, 'day-name', { day: d })));
      return textIn(s, 'hours-span', { days, open: clockIn(s, g.open), close: clockIn(s, g.close) });
    })
    .join('; ');
}

function isConsecutive(days: readonly Weekday[]): boolean {
  return days.every((d, i) => i === 0 || WEEKDAYS.indexOf(d) === WEEKDAYS.indexOf(days[i - 1]!) + 1);
}

/** A span of time in the largest whole unit: "7 days" (not "168 hours"), "4 hours", "90 minutes"; at least 1 minute. */
export function spokenDuration(language: string, ms: number, opts: SpeakOptions = {}): string {
  const s = speechFor(language, opts);
  const day = 86_400_000;
  const hour = 3_600_000;
  const count = (n: number) => new Intl.NumberFormat(s.locale).format(n);
  if (ms >= day && ms % day === 0) return textIn(s, 'duration-days', { count: count(ms / day), n: ms / day });
  if (ms >= hour && ms % hour === 0) return textIn(s, 'duration-hours', { count: count(ms / hour), n: ms / hour });
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return textIn(s, 'duration-minutes', { count: count(minutes), n: minutes });
}

/** A number as written in the language (grouping separators, native digits where the locale uses them). */
export function spokenNumber(language: string, n: number, opts: SpeakOptions = {}): string {
  return new Intl.NumberFormat(speechFor(language, opts).locale).format(n);
}

/**
 * A ticket number read in short groups, digit by digit within a group: "1000042" → "1 0 0, 0 0 4 2". Groups
 * have at most four digits and are as even as possible, shorter ones first (7 → 3+4, 8 → 4+4, 9 → 3+3+3,
 * 10 → 3+3+4), as people write phone numbers down; the comma (an ideographic one in Chinese and Japanese)
 * makes the voice pause between groups.
 */
export function ticketDigits(language: string, number: string, opts: SpeakOptions = {}): string {
  const digits = number.replace(/\D/g, '');
  const cjk = ['ja', 'zh-CN', 'zh-HK', 'zh-TW'].includes(speechFor(language, opts).catalog);
  return digitGroups(digits)
    .map((g) => g.split('').join(' '))
    .join(cjk ? '、' : ', ');
}

/** The groups of `ticketDigits`. */
export function digitGroups(digits: string): string[] {
  if (digits.length <= 4) return digits ? [digits] : [];
  const count = Math.ceil(digits.length / 4);
  const base = Math.floor(digits.length / count);
  const longer = digits.length % count;
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const size = base + (i >= count - longer ? 1 : 0);
    out.push(digits.slice(at, at + size));
    at += size;
  }
  return out;
}
