/**
 * Times, dates, hours and windows as a caller hears them, in the call's language and the line's time zone.
 */
import { hoursSummary } from '../../domain/hours.js';
import type { Line } from '../../domain/model.js';

const DAY_NAMES: Record<string, Record<string, string>> = {
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
  pl: { mon: 'poniedziałek', tue: 'wtorek', wed: 'środa', thu: 'czwartek', fri: 'piątek', sat: 'sobota', sun: 'niedziela' },
};

/** "Monday to Friday, 09:00 to 17:00; Saturday, 09:00 to 13:00" in the call's language. */
export function spokenHours(hours: Parameters<typeof hoursSummary>[0], language: string): string {
  const lang = language.startsWith('pl') ? 'pl' : 'en';
  const names = DAY_NAMES[lang]!;
  const to = lang === 'pl' ? ' do ' : ' to ';
  return hoursSummary(hours)
    .map((g) => {
      const days = g.days.length > 2 && isConsecutive(g.days) ? `${names[g.days[0]!]}${to}${names[g.days.at(-1)!]}` : g.days.map((d) => names[d]).join(', ');
      return `${days}, ${g.open}${to}${g.close}`;
    })
    .join('; ');
}

function isConsecutive(days: readonly string[]): boolean {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return days.every((d, i) => i === 0 || order.indexOf(d) === order.indexOf(days[i - 1]!) + 1);
}

/**
 * When a bar ends, with its date: bars last days to months ("until Wednesday" would name the wrong week),
 * unlike due times, which are hours or days away.
 */
export function spokenDate(iso: string, line: Line): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(line.language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: line.timezone }).format(d);
}

/** A fair-use window as said to callers: whole days as days ("7 days", not "168 hours"), else hours. */
export function spokenWindow(ms: number): string {
  const day = 86_400_000;
  if (ms >= 2 * day && ms % day === 0) return `${ms / day} days`;
  return `${Math.round(ms / 3_600_000)} hours`;
}

/** A due time as the caller hears it: weekday, time and zone of the line ("Monday 16:00"). */
export function spokenTime(iso: string, line: Line): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(line.language, { weekday: 'long', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: line.timezone }).format(d);
}

export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}


/**
 * A number as callers write it down, read once: its digits in short groups of three or four ("1 0 0, 0 0 4 2"),
 * which a listener holds more easily than seven digits in a row.
 */
export function inGroups(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length <= 4) return digits.split('').join(' ');
  const count = Math.ceil(digits.length / 4);
  const base = Math.floor(digits.length / count);
  const longer = digits.length % count;
  const groups: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const size = base + (i >= count - longer ? 1 : 0);
    groups.push(digits.slice(at, at + size).split('').join(' '));
    at += size;
  }
  return groups.join(', ');
}
