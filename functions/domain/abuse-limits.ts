/**
 * Abuse limits of the caller side (contract §2.2, §2.3 v2): how many wrong account numbers a calling number
 * may try, how many codes a calling number may have sent, and how many wrong code entries in a row an
 * organization survives before code verification is paused. Pure: the limiter store enforces the same
 * numbers with conditional writes, and gets the time as a parameter.
 *
 * A rolling window is counted in slices (`sliceMs`): an event is admitted only if the events of every
 * slice that overlaps the last `windowMs`, this one included, stay below `max`. Closed slices never change,
 * so the store can make the admission one conditional write on the current slice; counting a whole slice
 * that lies partly outside the window only ever refuses early, never admits more than `max`.
 */
export interface WindowRule {
  max: number;
  windowMs: number;
  sliceMs: number;
}

export type WindowRuleName = 'wrong-account' | 'code-send-caller';

export const WINDOW_RULES: Record<WindowRuleName, WindowRule> = {
  /** Wrong account numbers per calling number (contract §2.2 v2). */
  'wrong-account': { max: 10, windowMs: 3_600_000, sliceMs: 600_000 },
  /** Codes sent per calling number, before the organization's 5 (so a stranger cannot spend them all). */
  'code-send-caller': { max: 2, windowMs: 600_000, sliceMs: 60_000 },
};

/** Wrong code entries in a row per organization (two dead codes) before code verification pauses. */
export const CODE_FAILURE_STREAK = { max: 10, lockMs: 3_600_000 } as const;

/** Start of the slice `nowMs` falls in. */
export function sliceStart(rule: WindowRule, nowMs: number): number {
  return Math.floor(nowMs / rule.sliceMs) * rule.sliceMs;
}

/** The earliest slice start that still counts for an event at `nowMs`. */
export function windowFloor(rule: WindowRule, nowMs: number): number {
  return sliceStart(rule, nowMs - rule.windowMs + 1);
}

/**
 * How many events the current slice may hold in all, given the counts of the slices before it (by start):
 * the ones older than the window are ignored. 0 means the limit is spent.
 */
export function sliceAllowance(rule: WindowRule, nowMs: number, earlier: ReadonlyArray<{ start: number; count: number }>): number {
  const floor = windowFloor(rule, nowMs);
  const current = sliceStart(rule, nowMs);
  const before = earlier.filter((s) => s.start >= floor && s.start < current).reduce((sum, s) => sum + s.count, 0);
  return Math.max(0, rule.max - before);
}

/** One more wrong code entry of an organization: whether this one reaches the cap (and pauses verification). */
export function streakReachesCap(streak: number): boolean {
  return streak >= CODE_FAILURE_STREAK.max;
}

/** An E.164 calling number, or one key shared by every caller who withholds it. */
export function callerKey(from: string | undefined): string {
  return from && /^\+?\d{3,20}$/.test(from) ? from : 'anonymous';
}
