/**
 * Times, dates, hours and windows as a caller hears them, in the call's language and the line's time zone.
 * The words and formats come from the speech layer (domain/speech/format.ts): these helpers only pick the
 * call's language, zone and whether the zone is named.
 */
import type { Hours, Line } from '../../domain/model.js';
import * as speech from '../../domain/speech/format.js';

/** "Monday to Friday, 9:00 AM to 5:00 PM; Saturday, 9:00 AM to 1:00 PM" in the call's language. */
export function spokenHours(hours: Hours, language: string): string {
  return speech.spokenHours(language, hours);
}

/**
 * When a bar ends, with its date: bars last days to months ("until Wednesday" would name the wrong week),
 * unlike due times, which are hours or days away.
 */
export function spokenDate(iso: string, line: Line, language: string = line.language): string {
  if (!iso) return iso;
  return speech.spokenDate(language, iso, { timeZone: line.timezone });
}

/**
 * A fair-use window as said to callers: whole days as days ("7 days", not "168 hours"), but a single day as
 * "24 hours", as people say "in the last 24 hours"; else hours or minutes.
 */
export function spokenWindow(ms: number, language: string): string {
  const hours = ms / 3_600_000;
  if (ms < 2 * 86_400_000 && Number.isInteger(hours) && hours > 0) {
    return speech.text(language, 'duration-hours', { count: speech.spokenNumber(language, hours), n: hours });
  }
  return speech.spokenDuration(language, ms);
}

/**
 * A due time as the caller hears it ("today at 4:00 PM", "Mittwoch um 16:00"), naming the zone on shared
 * numbers, for callers of another country and in countries with several zones.
 */
export function spokenTime(iso: string, line: Line, language: string, now: Date, callerCountry?: string): string {
  if (!iso) return '';
  const nameZone = speech.shouldNameZone({ lineCountries: line.countries, callerCountry });
  return speech.formatDue(language, iso, { timeZone: line.timezone, now, nameZone });
}

export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
