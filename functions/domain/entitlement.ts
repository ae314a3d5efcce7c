/**
 * Whether this caller may open a phone ticket for this service under the organization's plan (contract §2
 * step 4). Pure: "now" comes in, so a bar that just expired is judged the same in tests and in production.
 */
import type { Organization, Person, Plan } from './model.js';

export type EntitlementResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'no-phone-support' | 'service-not-in-plan' | 'role-not-allowed' | 'barred';
      /** For 'barred': the ISO 8601 instant the bar ends, so the caller can be told. */
      until?: string;
    };

/** A bar in force at `now`. An unparseable instant bars nobody: the validator rejects it before loading. */
function barredAt(until: string | undefined, now: number): boolean {
  if (!until) return false;
  const t = Date.parse(until);
  return Number.isFinite(t) && t > now;
}

/**
 * Checks, in the order the caller should hear about them:
 * 1. barred — the organization's or the person's `barredUntil` is in the future (abuse comes first: a
 *    barred caller is not told about plan details). When both are barred, `until` is the later end.
 * 2. no-phone-support — the plan has no phone support at all.
 * 3. service-not-in-plan — the plan lists services and this one is not among them (absent = all).
 * 4. role-not-allowed — the plan lists roles and the caller's is not among them (absent = all).
 *
 * `role` is the person's role when identified by caller ID. A caller verified by code speaks for the
 * organization as an admin (contract §2 step 3), so the flow passes `role: 'admin'` and no `person` for them;
 * this function does not know how the caller was verified.
 */
export function checkEntitlement(args: { plan: Plan; service: string; role: string; org: Organization; person?: Person; now: Date }): EntitlementResult {
  const now = args.now.getTime();
  const bars = [args.org.barredUntil, args.person?.barredUntil].filter((u): u is string => u !== undefined && barredAt(u, now));
  if (bars.length > 0) {
    const until = bars.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
    return { ok: false, reason: 'barred', until };
  }
  if (!args.plan.phoneSupport) return { ok: false, reason: 'no-phone-support' };
  if (args.plan.services && !args.plan.services.includes(args.service)) return { ok: false, reason: 'service-not-in-plan' };
  if (args.plan.roles && !args.plan.roles.includes(args.role)) return { ok: false, reason: 'role-not-allowed' };
  return { ok: true };
}
