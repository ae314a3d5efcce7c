/**
 * The rescue snapshot: the few facts a priority or callback step needs to open a ticket, carried in that
 * step's own URL. Call state lives in DynamoDB (call-state.ts), so without this a caller who reached the
 * priority prompt just before DynamoDB failed would hear "call again" and lose their ticket; with it the
 * step runs on the snapshot and the ticket goes to the spool, with a reference read out (issue 7).
 *
 * It is used only when the call's state cannot be read, never to skip the state: a request that can
 * reach DynamoDB runs on the stored state as always. The URL is covered by Twilio's signature, and the
 * snapshot is bound to its call (the CallSid's tail), so it cannot be moved to another call; it holds ids
 * and choices, not names or numbers.
 */
import type { CallState, CallerStep } from './call-state.js';

interface Snapshot {
  /** Tail of the CallSid the snapshot belongs to. */
  k: string;
  o: string;
  v: string;
  /** verifiedBy: `c` caller ID, `d` code. */
  b: 'c' | 'd';
  r?: string;
  l: string;
  g: string;
  c: string;
  /** createdAt, epoch ms. */
  t: number;
  h?: 's' | 'e';
  u?: 1;
}

/** Twilio ends every call after 4 hours at most: a snapshot older than that belongs to no live call. */
export const RESCUE_MAX_AGE_MS = 4 * 3_600_000;
/** Clock skew tolerated between the instance that wrote the snapshot and the one reading it. */
const SKEW_MS = 60_000;

const RESCUABLE: ReadonlySet<string> = new Set<CallerStep>(['priority', 'callback']);

export function isRescuable(step: string): boolean {
  return RESCUABLE.has(step);
}

/** The `r` query value for a rescuable step's URL, or undefined if the state is not far enough along. */
export function rescueToken(state: CallState): string | undefined {
  if (!state.orgId || !state.service || !state.verifiedBy) return undefined;
  const snap: Snapshot = {
    k: state.callSid.slice(-8),
    o: state.orgId,
    v: state.service,
    b: state.verifiedBy === 'code' ? 'd' : 'c',
    ...(state.role ? { r: state.role } : {}),
    l: state.line,
    g: state.language,
    c: state.country,
    t: Date.parse(state.createdAt),
    ...(state.codeChannel ? { h: state.codeChannel === 'sms' ? ('s' as const) : ('e' as const) } : {}),
    ...(state.urgentOnly ? { u: 1 as const } : {}),
  };
  return Buffer.from(JSON.stringify(snap)).toString('base64url');
}

/**
 * The state a rescuable step `step` (sequence `s`) runs on, rebuilt from its URL's snapshot; undefined if
 * unusable: malformed, of another call, or of a call that cannot still be live at `nowMs`.
 */
export function rescueState(token: string | undefined, at: { callSid: string; step: string; s: number; from: string; nowMs: number }): CallState | undefined {
  if (!token || token.length > 1024 || !isRescuable(at.step) || !Number.isSafeInteger(at.s) || at.s < 1) return undefined;
  let snap: Partial<Snapshot>;
  try {
    snap = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Snapshot>;
  } catch {
    return undefined;
  }
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;
  if (!snap || typeof snap !== 'object' || snap.k !== at.callSid.slice(-8)) return undefined;
  if (!str(snap.o) || !str(snap.v) || !str(snap.l) || !str(snap.g) || !str(snap.c) || (snap.b !== 'c' && snap.b !== 'd')) return undefined;
  if (typeof snap.t !== 'number' || !Number.isFinite(snap.t)) return undefined;
  if (at.nowMs - snap.t > RESCUE_MAX_AGE_MS || snap.t - at.nowMs > SKEW_MS) return undefined;
  return {
    callSid: at.callSid,
    kind: 'caller',
    from: at.from,
    line: snap.l,
    country: snap.c,
    language: snap.g,
    createdAt: new Date(snap.t).toISOString(),
    n: at.s,
    expect: at.step as CallerStep,
    tries: 0,
    service: snap.v,
    orgId: snap.o,
    verifiedBy: snap.b === 'd' ? 'code' : 'caller-id',
    ...(str(snap.r) ? { role: snap.r } : {}),
    ...(snap.h ? { codeChannel: snap.h === 'e' ? ('email' as const) : ('sms' as const) } : {}),
    ...(snap.u === 1 ? { urgentOnly: true } : {}),
  };
}
