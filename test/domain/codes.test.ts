/**
 * The verification-code policy (contract §2.3) as properties: whatever the order of entries, sends and
 * passing time, a code takes at most 5 wrong entries, never verifies after expiry, use or death, and an
 * organization gets at most 5 sends in any 10 minutes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_POLICY, evaluateAttempt, generateCode, isCodeShaped, sendAllowed, type AttemptOutcome, type CodeRecord } from '../../functions/domain/codes.js';

const T0 = Date.parse('2026-05-13T15:00:00Z');
const fresh = (at = T0): CodeRecord => ({
  hash: 'h',
  orgId: 'org',
  channel: 'sms',
  sentAtMs: at,
  expiresAtMs: at + CODE_POLICY.ttlMs,
  attempts: 0,
  used: false,
});

type CodeEvent = { kind: 'enter'; right: boolean } | { kind: 'wait'; ms: number };
const codeEvent: fc.Arbitrary<CodeEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.boolean().map((right) => ({ kind: 'enter' as const, right })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 * 60_000 }).map((ms) => ({ kind: 'wait' as const, ms })) },
);

interface Step {
  at: number;
  before: CodeRecord;
  right: boolean;
  outcome: AttemptOutcome;
  after: CodeRecord;
}

/** Runs events against one code, threading the record as a store would. */
function run(events: CodeEvent[]): Step[] {
  let rec = fresh();
  let now = T0;
  const steps: Step[] = [];
  for (const e of events) {
    if (e.kind === 'wait') {
      now += e.ms;
      continue;
    }
    const { outcome, next } = evaluateAttempt(rec, e.right, now);
    steps.push({ at: now, before: rec, right: e.right, outcome, after: next ?? rec });
    rec = next ?? rec;
  }
  return steps;
}

describe('evaluateAttempt, whatever the order of events', () => {
  const events = fc.array(codeEvent, { maxLength: 40 });

  it('counts at most 5 wrong entries per code, and attempts never go down', () => {
    fc.assert(
      fc.property(events, (evs) => {
        const steps = run(evs);
        const counted = steps.filter((s) => s.after.attempts > s.before.attempts);
        expect(counted.length).toBeLessThanOrEqual(CODE_POLICY.maxWrong);
        for (const s of steps) {
          expect(s.after.attempts).toBeGreaterThanOrEqual(s.before.attempts);
          expect(s.after.attempts - s.before.attempts).toBeLessThanOrEqual(1);
          expect(s.after.attempts).toBeLessThanOrEqual(CODE_POLICY.maxWrong);
          // Only a wrong entry is counted, and a counted one is answered "wrong" or (the 5th) "dead".
          if (s.after.attempts > s.before.attempts) {
            expect(s.right).toBe(false);
            expect(['wrong', 'dead']).toContain(s.outcome.result);
          }
        }
      }),
    );
  });

  it('verifies at most once, and never after expiry, use or death', () => {
    fc.assert(
      fc.property(events, (evs) => {
        const steps = run(evs);
        expect(steps.filter((s) => s.outcome.result === 'verified').length).toBeLessThanOrEqual(1);
        for (const s of steps) {
          if (s.outcome.result !== 'verified') continue;
          expect(s.right).toBe(true);
          expect(s.at).toBeLessThan(s.before.expiresAtMs);
          expect(s.before.used).toBe(false);
          expect(s.before.attempts).toBeLessThan(CODE_POLICY.maxWrong);
          expect(s.after.used).toBe(true);
        }
      }),
    );
  });

  it('once the code is used, dead or expired, every later entry says so and changes nothing', () => {
    fc.assert(
      fc.property(events, (evs) => {
        for (const s of run(evs)) {
          const expected = s.before.used ? 'used' : s.before.attempts >= CODE_POLICY.maxWrong ? 'dead' : s.at >= s.before.expiresAtMs ? 'expired' : undefined;
          if (expected === undefined) continue;
          expect(s.outcome).toEqual({ result: expected });
          expect(s.after).toEqual(s.before);
        }
      }),
    );
  });

  it('a live code answers a right entry "verified" and a wrong one with the tries left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: CODE_POLICY.ttlMs - 1 }), (attempts, age) => {
        const rec = { ...fresh(), attempts };
        expect(evaluateAttempt(rec, true, T0 + age)).toEqual({ outcome: { result: 'verified' }, next: { ...rec, used: true } });
        const left = CODE_POLICY.maxWrong - attempts - 1;
        expect(evaluateAttempt(rec, false, T0 + age)).toEqual({
          outcome: left === 0 ? { result: 'dead' } : { result: 'wrong', left },
          next: { ...rec, attempts: attempts + 1 },
        });
      }),
    );
  });

  it('no record is "missing"', () => {
    expect(evaluateAttempt(undefined, true, T0)).toEqual({ outcome: { result: 'missing' } });
  });

  it('the limits are those of the contract: 10 minutes, 5 wrong entries, 5 sends per 10 minutes, 6 digits', () => {
    expect(CODE_POLICY).toEqual({ digits: 6, ttlMs: 600_000, maxWrong: 5, maxSends: 5, sendWindowMs: 600_000 });
  });
});

describe('sendAllowed, whatever the timing of requests', () => {
  const gaps = fc.array(fc.integer({ min: 0, max: 5 * 60_000 }), { minLength: 1, maxLength: 60 });

  /** Requests at the given gaps, with the history pruned as the store prunes it. */
  function simulate(gapsMs: number[]): { at: number; allowed: boolean }[] {
    let times: number[] = [];
    let now = T0;
    return gapsMs.map((gap) => {
      now += gap;
      const { allowed, recent } = sendAllowed(times, now);
      if (allowed) times = [...recent, now];
      return { at: now, allowed };
    });
  }

  it('at most 5 sends in any 10-minute window', () => {
    fc.assert(
      fc.property(gaps, (g) => {
        const sent = simulate(g)
          .filter((r) => r.allowed)
          .map((r) => r.at);
        for (const t of sent) {
          const inWindow = sent.filter((u) => u > t - CODE_POLICY.sendWindowMs && u <= t);
          expect(inWindow.length).toBeLessThanOrEqual(CODE_POLICY.maxSends);
        }
      }),
    );
  });

  it('a request is refused only when 5 sends are already in the window', () => {
    fc.assert(
      fc.property(gaps, (g) => {
        const results = simulate(g);
        const sent = results.filter((r) => r.allowed).map((r) => r.at);
        for (const r of results.filter((x) => !x.allowed)) {
          expect(sent.filter((u) => u > r.at - CODE_POLICY.sendWindowMs && u <= r.at).length).toBe(CODE_POLICY.maxSends);
        }
      }),
    );
  });

  it('sends stamped a little ahead by another instance’s clock still count, and stay in the history', () => {
    const ahead = [T0 + 40, T0 + 41, T0 + 42, T0 + 43, T0 + 44];
    expect(sendAllowed(ahead, T0)).toEqual({ allowed: false, recent: ahead });
    expect(sendAllowed([T0 + 40], T0)).toEqual({ allowed: true, recent: [T0 + 40] });
  });

  it('pruning the history to the window changes no decision', () => {
    fc.assert(
      fc.property(gaps, (g) => {
        let full: number[] = [];
        let pruned: number[] = [];
        let now = T0;
        for (const gap of g) {
          now += gap;
          const a = sendAllowed(full, now);
          const b = sendAllowed(pruned, now);
          expect(a.allowed).toBe(b.allowed);
          if (a.allowed) full = [...full, now];
          if (b.allowed) pruned = [...b.recent, now];
        }
      }),
    );
  });
});

describe('codes themselves', () => {
  it('are 6 digits, leading zeros kept, drawn from [0, 10^6)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        let asked = 0;
        const code = generateCode((max) => ((asked = max), n));
        expect(asked).toBe(1_000_000);
        expect(code).toMatch(/^\d{6}$/);
        expect(Number(code)).toBe(n);
      }),
    );
    expect(generateCode(() => 42)).toBe('000042');
  });

  it('an entry is code-shaped only if it is exactly 6 digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (s) => {
        expect(isCodeShaped(s)).toBe(/^[0-9]{6}$/.test(s));
      }),
    );
    for (const ok of ['000000', '123456']) expect(isCodeShaped(ok)).toBe(true);
    for (const bad of ['12345', '1234567', '12345#', '*23456', '١٢٣٤٥٦', '']) expect(isCodeShaped(bad)).toBe(false);
  });
});
