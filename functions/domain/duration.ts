/**
 * ISO 8601 durations as the data file writes them (`PT1H`, `P1D`, `P1DT4H`, `P1W`).
 *
 * The result keeps the day part apart from the time part because the two clocks treat them differently:
 * the 24h clock counts a day as 24 hours of elapsed time, the business clock counts it as one open day
 * (see `sla.ts` and docs/sla-and-hours.md). Years and months are rejected: their length depends on the
 * calendar, and no support promise is written in them.
 */

/** A parsed duration: whole days (weeks folded in as 7 days) and the time part in milliseconds. */
export interface ParsedDuration {
  days: number;
  ms: number;
}

/**
 * `P[nW][nD][T[nH][nM][n[.f]S]]`, upper case as ISO 8601 writes it. Weeks may be combined with days
 * (ISO 8601-2 allows it and it is unambiguous). Only the seconds may carry a fraction: a fraction of a
 * day or hour would blur the split between the day part and the time part.
 */
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Parse an ISO 8601 duration. Returns undefined for anything malformed, for years or months, and for a
 * zero duration (a promise due the moment it is made is a data error, not a rule).
 */
export function parseDuration(iso: string): ParsedDuration | undefined {
  if (typeof iso !== 'string') return undefined;
  const m = PATTERN.exec(iso);
  if (!m) return undefined;
  const [, w, d, h, min, s] = m;
  const days = Number(w ?? 0) * 7 + Number(d ?? 0);
  const ms = Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Math.round(Number((s ?? '0').replace(',', '.')) * 1000);
  if (!Number.isSafeInteger(days) || !Number.isSafeInteger(ms)) return undefined;
  if (days === 0 && ms === 0) return undefined;
  return { days, ms };
}

/** Total elapsed milliseconds of a duration on the 24h clock (a day = 24 hours). */
export function durationMs(d: ParsedDuration): number {
  return d.days * 24 * HOUR + d.ms;
}
