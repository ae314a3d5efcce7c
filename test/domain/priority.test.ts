import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriorityLevel } from '../../functions/domain/model.js';
import { allowedLevels, applyFairUse, choosePriority, fairUseWindowMs, openLevelsWhenClosed } from '../../functions/domain/priority.js';
import { p1p4 as standardScheme } from '../support/fixtures.js';

const p1p4: PriorityLevel[] = standardScheme();
const abc: PriorityLevel[] = [
  { id: 'A', firstResponse: 'PT1H', hours: '24/7' },
  { id: 'B', firstResponse: 'PT4H', hours: { 'mon-sun': ['09:00', '24:00'] } },
  { id: 'C', firstResponse: 'P1D' },
];

describe('allowedLevels', () => {
  it.each<[string, { planMax?: string; serviceMax?: string }, ReturnType<typeof allowedLevels>]>([
    ['no caps', {}, { cap: 0 }],
    ['plan cap', { planMax: 'P2' }, { cap: 1, cappedBy: 'plan' }],
    ['service cap', { serviceMax: 'P3' }, { cap: 2, cappedBy: 'service' }],
    ['stricter plan wins', { planMax: 'P3', serviceMax: 'P2' }, { cap: 2, cappedBy: 'plan' }],
    ['stricter service wins', { planMax: 'P2', serviceMax: 'P3' }, { cap: 2, cappedBy: 'service' }],
    ['tie names the service', { planMax: 'P2', serviceMax: 'P2' }, { cap: 1, cappedBy: 'service' }],
    ['a cap at the top caps nothing', { planMax: 'P1', serviceMax: 'P1' }, { cap: 0 }],
    ['an id from another scheme caps nothing', { planMax: 'B' }, { cap: 0 }],
    ['unknown plan id, known service id', { planMax: 'B', serviceMax: 'P2' }, { cap: 1, cappedBy: 'service' }],
  ])('%s', (_name, caps, expected) => {
    expect(allowedLevels({ scheme: p1p4, ...caps })).toEqual(expected);
  });
});

describe('choosePriority', () => {
  it.each(['0', '5', '*', '#', '', '12', '01', '1 ', ' 1', 'a', '1.0', '-1'])('%j is not a choice', (pressed) => {
    expect(choosePriority({ scheme: p1p4, pressed })).toEqual({ ok: false, reason: 'not-a-choice' });
  });

  it('an empty scheme has no choice', () => {
    expect(choosePriority({ scheme: [], pressed: '1' })).toEqual({ ok: false, reason: 'not-a-choice' });
  });

  it.each<[string, string, { planMax?: string; serviceMax?: string }, number, 'plan' | 'service' | undefined]>([
    ['1 is the most urgent', '1', {}, 0, undefined],
    ['4 is the last', '4', {}, 3, undefined],
    ['lowered by the service', '1', { serviceMax: 'P2' }, 1, 'service'],
    ['lowered by the plan', '2', { planMax: 'P3' }, 2, 'plan'],
    ['at the cap: not lowered', '2', { planMax: 'P2' }, 1, undefined],
    ['below the cap: not lowered', '4', { planMax: 'P2', serviceMax: 'P3' }, 3, undefined],
    ['both caps: the stricter lowers', '1', { planMax: 'P2', serviceMax: 'P3' }, 2, 'service'],
  ])('%s', (_name, pressed, caps, index, loweredBy) => {
    const r = choosePriority({ scheme: p1p4, pressed, ...caps });
    expect(r).toEqual({
      ok: true,
      index,
      level: p1p4[index],
      requestedIndex: Number(pressed) - 1,
      ...(loweredBy ? { loweredBy } : {}),
    });
  });

  it('a scheme of 12 levels accepts 12', () => {
    const long = Array.from({ length: 12 }, (_, i) => ({ id: `L${i + 1}`, firstResponse: 'PT1H' }));
    expect(choosePriority({ scheme: long, pressed: '12' })).toMatchObject({ ok: true, index: 11 });
  });

  it('never returns a level more urgent than the cap, and lowers only to the cap', () => {
    const scheme = fc.integer({ min: 1, max: 9 }).map((n) => Array.from({ length: n }, (_, i) => ({ id: `L${i}`, firstResponse: 'PT1H' })));
    fc.assert(
      fc.property(
        scheme,
        fc.oneof(fc.integer({ min: -1, max: 11 }).map(String), fc.string({ maxLength: 3 })),
        fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        (scheme, pressed, plan, service) => {
          const planMax = plan === undefined ? undefined : `L${plan}`;
          const serviceMax = service === undefined ? undefined : `L${service}`;
          const r = choosePriority({ scheme, pressed, planMax, serviceMax });
          const valid = /^[1-9]\d*$/.test(pressed) && Number(pressed) <= scheme.length;
          expect(r.ok).toBe(valid);
          if (!r.ok) return;
          const { cap } = allowedLevels({ scheme, planMax, serviceMax });
          expect(r.index).toBeGreaterThanOrEqual(cap);
          expect(r.index).toBe(Math.max(r.requestedIndex, cap));
          expect(r.level).toBe(scheme[r.index]);
          expect(r.loweredBy !== undefined).toBe(r.index > r.requestedIndex);
        },
      ),
    );
  });
});

describe('fair use', () => {
  const fairUse = { maxTopPriority: 3 };
  it.each([
    [0, false],
    [2, false],
    [3, true], // the 4th top-priority ticket in the window
    [4, true],
  ])('after %i top-priority tickets the next is lowered: %s', (recentTopCount, lowered) => {
    expect(applyFairUse({ index: 0, scheme: p1p4, fairUse, recentTopCount })).toEqual({ index: lowered ? 1 : 0, lowered });
  });

  it('only touches the top level, needs a limit and a level to lower to', () => {
    expect(applyFairUse({ index: 1, scheme: p1p4, fairUse, recentTopCount: 10 })).toEqual({ index: 1, lowered: false });
    expect(applyFairUse({ index: 0, scheme: p1p4, recentTopCount: 10 })).toEqual({ index: 0, lowered: false });
    expect(applyFairUse({ index: 0, scheme: p1p4.slice(0, 1), fairUse, recentTopCount: 10 })).toEqual({ index: 0, lowered: false });
    expect(applyFairUse({ index: 0, scheme: p1p4, fairUse: { maxTopPriority: 0 }, recentTopCount: 0 })).toEqual({ index: 1, lowered: true });
  });

  it('boundary: with N allowed, exactly the first N are kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 25 }), (n, count) => {
        const r = applyFairUse({ index: 0, scheme: p1p4, fairUse: { maxTopPriority: n }, recentTopCount: count });
        expect(r.lowered).toBe(count + 1 > n);
      }),
    );
  });

  it.each<[{ maxTopPriority: number; window?: string } | undefined, number]>([
    [undefined, 24 * 3_600_000],
    [{ maxTopPriority: 2 }, 24 * 3_600_000],
    [{ maxTopPriority: 2, window: 'PT12H' }, 12 * 3_600_000],
    [{ maxTopPriority: 2, window: 'P7D' }, 7 * 24 * 3_600_000],
    [{ maxTopPriority: 2, window: 'bogus' }, 24 * 3_600_000],
  ])('window of %j is %i ms', (fairUse, ms) => {
    expect(fairUseWindowMs(fairUse)).toBe(ms);
  });
});

describe('openLevelsWhenClosed', () => {
  const tz = 'Europe/Warsaw';
  it.each<[string, string, number, readonly string[], number[]]>([
    ['03:00: only A (24/7)', '2026-06-01T01:00:00Z', 0, [], [0]],
    ['10:00: A and B', '2026-06-01T08:00:00Z', 0, [], [0, 1]],
    ['10:00 on a holiday: A only (24/7 ignores holidays)', '2026-06-01T08:00:00Z', 0, ['2026-06-01'], [0]],
    ['capped at B: B only', '2026-06-01T08:00:00Z', 1, [], [1]],
    ['capped at C: none (C has no hours of its own)', '2026-06-01T08:00:00Z', 2, [], []],
    ['23:59 local: A and B', '2026-06-01T21:59:00Z', 0, [], [0, 1]],
    ['00:00 local: A', '2026-06-01T22:00:00Z', 0, [], [0]],
  ])('%s', (_name, iso, cap, holidays, expected) => {
    expect(openLevelsWhenClosed({ scheme: abc, at: new Date(iso), timeZone: tz, holidays, cap })).toEqual(expected);
  });
});
