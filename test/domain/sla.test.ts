import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closingAfter, isOpen, localInstant, openIntervalsOn, parseHours, addDays, localParts } from '../../functions/domain/hours.js';
import type { Hours } from '../../functions/domain/model.js';
import { dueAt } from '../../functions/domain/sla.js';

const NY = 'America/New_York';
const WAW = 'Europe/Warsaw';
const SYD = 'Australia/Sydney';
const H = 3_600_000;
const weekdays: Hours = { 'mon-fri': ['09:00', '17:00'] };

/** A local wall time in `tz` as an instant ("2026-06-05 16:00"). */
const at = (local: string, tz = NY) => {
  const [date, hm] = local.split(' ') as [string, string];
  const [h, m] = hm.split(':').map(Number) as [number, number];
  return localInstant(date, h * 60 + m, tz);
};
const local = (d: Date, tz = NY) => d.toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16);

function business(created: Date, duration: string, hours: Hours = weekdays, holidays: string[] = [], tz = NY) {
  return dueAt({ created, duration, clock: 'business', hours, timeZone: tz, holidays });
}

// 2026-06-05 is a Friday.
describe('business clock: the worked examples (Mon–Fri 09–17)', () => {
  it.each([
    ['P1D from Friday 16:00 is Monday 16:00', '2026-06-05 16:00', 'P1D', '2026-06-08 16:00'],
    ['P2D from Friday 16:00 is Tuesday 16:00', '2026-06-05 16:00', 'P2D', '2026-06-09 16:00'],
    ['PT24H from Friday 16:00 is Wednesday 16:00 (1 + 8 + 8 + 7)', '2026-06-05 16:00', 'PT24H', '2026-06-10 16:00'],
    ['PT1H from Friday 16:00 is Friday 17:00 (exactly at the close)', '2026-06-05 16:00', 'PT1H', '2026-06-05 17:00'],
    ['PT2H from Friday 16:00 is Monday 10:00', '2026-06-05 16:00', 'PT2H', '2026-06-08 10:00'],
    ['P1D at the close is the next open day’s close', '2026-06-05 17:00', 'P1D', '2026-06-08 17:00'],
    ['created Saturday: PT1H counts from Monday’s opening', '2026-06-06 11:00', 'PT1H', '2026-06-08 10:00'],
    ['created Saturday: P1D is one whole open day, Monday’s close', '2026-06-06 11:00', 'P1D', '2026-06-08 17:00'],
    ['created Saturday: P2D is Tuesday’s close', '2026-06-06 11:00', 'P2D', '2026-06-09 17:00'],
    ['created before opening: P1D is that day’s close', '2026-06-08 07:30', 'P1D', '2026-06-08 17:00'],
    ['created at the opening: P1D is that day’s close', '2026-06-08 09:00', 'P1D', '2026-06-08 17:00'],
    ['created a minute after opening: P1D is the next day a minute after opening', '2026-06-08 09:01', 'P1D', '2026-06-09 09:01'],
    ['created Friday evening: P1D is Monday’s close', '2026-06-05 18:00', 'P1D', '2026-06-08 17:00'],
    ['P1DT2H: days first, then open hours', '2026-06-05 16:00', 'P1DT2H', '2026-06-09 10:00'],
    ['P1W is five open days', '2026-06-08 10:00', 'P1W', '2026-06-17 10:00'],
    ['PT30M inside the day', '2026-06-08 10:00', 'PT30M', '2026-06-08 10:30'],
  ])('%s', (_name, created, duration, due) => {
    expect(local(business(at(created), duration))).toBe(due);
  });

  it('holidays are skipped: P1D from Friday 16:00 over a holiday Monday is Tuesday 16:00', () => {
    expect(local(business(at('2026-06-05 16:00'), 'P1D', weekdays, ['2026-06-08']))).toBe('2026-06-09 16:00');
    expect(local(business(at('2026-06-05 16:00'), 'PT4H', weekdays, ['2026-06-08']))).toBe('2026-06-09 12:00');
  });

  it('a shorter next open day ends at its close; a lunch break is not counted', () => {
    const saturdays: Hours = { 'mon-fri': ['09:00', '17:00'], sat: ['10:00', '12:00'] };
    expect(local(business(at('2026-06-05 16:00'), 'P1D', saturdays))).toBe('2026-06-06 12:00');
    expect(local(business(at('2026-06-05 10:00'), 'P1D', saturdays))).toBe('2026-06-06 11:00');
    const lunch: Hours = { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'] };
    expect(local(business(at('2026-06-08 11:00'), 'PT2H', lunch))).toBe('2026-06-08 14:00');
    expect(local(business(at('2026-06-08 12:30'), 'PT1H', lunch))).toBe('2026-06-08 14:00');
    expect(local(business(at('2026-06-08 11:00'), 'PT1H', lunch))).toBe('2026-06-08 12:00');
    expect(local(business(at('2026-06-08 14:00'), 'P1D', lunch))).toBe('2026-06-09 14:00');
  });

  it('at the close of a short day, P1D lands at the next (longer) day’s close', () => {
    const short: Hours = { fri: ['09:00', '12:00'], 'mon-thu': ['09:00', '19:00'] };
    expect(local(business(at('2026-06-05 12:00'), 'P1D', short))).toBe('2026-06-08 19:00');
    expect(local(business(at('2026-06-05 11:00'), 'P1D', short))).toBe('2026-06-08 11:00');
  });

  it('24/7 on the business clock is the 24h clock', () => {
    const created = at('2026-03-07 09:00');
    for (const duration of ['PT4H', 'P1D', 'P2DT3H']) {
      expect(business(created, duration, '24/7', ['2026-03-08'])).toEqual(
        dueAt({ created, duration, clock: '24h', hours: weekdays, timeZone: NY, holidays: [] }),
      );
    }
  });

  it('throws on an invalid duration and on hours that never open', () => {
    expect(() => business(at('2026-06-05 16:00'), 'P1M')).toThrow(/Invalid SLA duration "P1M"/);
    expect(() => business(at('2026-06-05 16:00'), '')).toThrow(/Invalid SLA duration/);
    expect(() => business(at('2026-06-05 16:00'), 'PT1H', {})).toThrow(/never open/);
  });
});

describe('24h clock', () => {
  it('is elapsed time: P1D is 24 hours even across a DST switch', () => {
    const created = at('2026-03-07 09:00'); // EST
    const due = dueAt({ created, duration: 'P1D', clock: '24h', hours: weekdays, timeZone: NY, holidays: [] });
    expect(due.getTime() - created.getTime()).toBe(24 * H);
    expect(local(due)).toBe('2026-03-08 10:00'); // EDT
  });

  it('ignores the hours', () => {
    const created = at('2026-06-06 11:00'); // Saturday
    expect(local(dueAt({ created, duration: 'PT4H', clock: '24h', hours: weekdays, timeZone: NY, holidays: [] }))).toBe('2026-06-06 15:00');
  });
});

describe('business clock across DST switches', () => {
  it.each([
    ['New York spring', NY, '2026-03-06 16:00', 'P1D', '2026-03-09 16:00', '2026-03-09T20:00:00.000Z'],
    ['New York spring, PT24H', NY, '2026-03-06 16:00', 'PT24H', '2026-03-11 16:00', '2026-03-11T20:00:00.000Z'],
    ['New York autumn', NY, '2026-10-30 16:00', 'P1D', '2026-11-02 16:00', '2026-11-02T21:00:00.000Z'],
    ['Warsaw spring', WAW, '2026-03-27 16:00', 'PT2H', '2026-03-30 10:00', '2026-03-30T08:00:00.000Z'],
    ['Warsaw autumn', WAW, '2026-10-23 16:00', 'P1D', '2026-10-26 16:00', '2026-10-26T15:00:00.000Z'],
    ['Sydney autumn (April)', SYD, '2026-04-03 16:00', 'P1D', '2026-04-06 16:00', '2026-04-06T06:00:00.000Z'],
    ['Sydney spring (October)', SYD, '2026-10-02 16:00', 'PT10H', '2026-10-06 10:00', '2026-10-05T23:00:00.000Z'],
    ['Sydney spring, exactly used up at a close', SYD, '2026-10-02 16:00', 'PT9H', '2026-10-05 17:00', '2026-10-05T06:00:00.000Z'],
  ])('%s', (_name, tz, created, duration, dueLocal, dueUtc) => {
    const due = business(at(created, tz), duration, weekdays, [], tz);
    expect(local(due, tz)).toBe(dueLocal);
    expect(due.toISOString()).toBe(dueUtc);
  });

  it('an every-day, all-day business line counts the 23-hour Sunday as 23 open hours', () => {
    const allDay: Hours = { 'mon-sun': ['00:00', '24:00'] };
    const created = at('2026-03-07 12:00'); // Saturday, EST
    const due = business(created, 'PT24H', allDay);
    expect(due.getTime() - created.getTime()).toBe(24 * H);
    expect(local(due)).toBe('2026-03-08 13:00');
    // P1D keeps the open-clock position: 12 hours into Sunday's 23 open hours is 13:00 EDT.
    expect(local(business(created, 'P1D', allDay))).toBe('2026-03-08 13:00');
  });

  it('Sunday hours spanning the switch (Warsaw, 01:00–05:00)', () => {
    const night: Hours = { sun: ['01:00', '05:00'] };
    // Spring: 01:00–05:00 is 3 open hours; autumn: 5 open hours.
    expect(local(business(at('2026-03-29 00:00', WAW), 'PT3H', night, [], WAW), WAW)).toBe('2026-03-29 05:00');
    expect(local(business(at('2026-10-25 00:00', WAW), 'PT4H', night, [], WAW), WAW)).toBe('2026-10-25 04:00');
    expect(business(at('2026-10-25 00:00', WAW), 'PT5H', night, [], WAW).toISOString()).toBe('2026-10-25T04:00:00.000Z');
  });
});

/** Open time between two instants, summed from the hours' instant intervals (an independent measure). */
function openTimeBetween(hours: Hours, from: number, to: number, tz: string, holidays: string[]): number {
  const w = parseHours(hours);
  let sum = 0;
  let date = addDays(localParts(new Date(from), tz).date, -1);
  const last = addDays(localParts(new Date(to), tz).date, 1);
  for (; date <= last; date = addDays(date, 1)) {
    for (const iv of openIntervalsOn(w, date, tz, holidays)) sum += Math.max(0, Math.min(iv.end, to) - Math.max(iv.start, from));
  }
  return sum;
}

describe('properties', () => {
  const zones = [NY, WAW, SYD, 'UTC', 'Asia/Kolkata'];
  const templates: Hours[] = [
    weekdays,
    { 'mon-sun': ['09:00', '17:00'] },
    { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'], sat: ['10:00', '11:00'] },
    { 'fri-mon': ['01:30', '02:45'] },
    { 'mon-sun': ['00:00', '24:00'] },
    { fri: ['22:00', '24:00'], sat: ['00:00', '06:00'], 'mon-thu': ['08:00', '20:00'] },
  ];
  const switchWeekends = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04'];
  /** Minute-aligned instants in 2026, weighted towards the DST switch weekends. */
  const created = fc
    .oneof(
      fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
      ...switchWeekends.map((d) => fc.integer({ min: Date.parse(d) - 3 * 86_400_000, max: Date.parse(d) + 86_400_000 })),
    )
    .map((t) => Math.floor(t / 60_000) * 60_000);
  const duration = fc
    .record({ days: fc.integer({ min: 0, max: 6 }), hours: fc.integer({ min: 0, max: 30 }), minutes: fc.constantFrom(0, 1, 15, 30, 59) })
    .filter((d) => d.days + d.hours + d.minutes > 0)
    .map((d) => `P${d.days ? `${d.days}D` : ''}${d.hours || d.minutes ? `T${d.hours ? `${d.hours}H` : ''}${d.minutes ? `${d.minutes}M` : ''}` : ''}`);
  const holidays = fc.constantFrom<string[]>(
    [],
    switchWeekends.map((d) => addDays(d, 1)),
    ['2026-03-08', '2026-06-01', '2026-06-02'],
  );
  const args = fc.record({
    hours: fc.constantFrom(...templates),
    tz: fc.constantFrom(...zones),
    created,
    duration,
    holidays,
  });

  it('the due instant is after creation, and on the business clock inside the hours (open just before, or at a close)', () => {
    fc.assert(
      fc.property(args, ({ hours, tz, created, duration, holidays }) => {
        const due = dueAt({ created: new Date(created), duration, clock: 'business', hours, timeZone: tz, holidays }).getTime();
        expect(due).toBeGreaterThan(created);
        const openBefore = isOpen(hours, new Date(due - 60_000), tz, holidays);
        const atClose = closingAfter(hours, new Date(due - 1), tz, holidays)?.getTime() === due;
        expect(openBefore || atClose).toBe(true);
        expect(isOpen(hours, new Date(due - 1), tz, holidays)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a time-only duration runs exactly that much open time', () => {
    fc.assert(
      fc.property(
        args.filter((a) => !a.duration.includes('D')),
        ({ hours, tz, created, duration, holidays }) => {
          const due = dueAt({ created: new Date(created), duration, clock: 'business', hours, timeZone: tz, holidays }).getTime();
          const m = /T(?:(\d+)H)?(?:(\d+)M)?/.exec(duration)!;
          const ms = Number(m[1] ?? 0) * H + Number(m[2] ?? 0) * 60_000;
          expect(openTimeBetween(hours, created, due, tz, holidays)).toBe(ms);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a later ticket is never due earlier (same promise, same hours)', () => {
    fc.assert(
      fc.property(args, fc.integer({ min: 0, max: 3 * 86_400_000 }), ({ hours, tz, created, duration, holidays }, later) => {
        const a = dueAt({ created: new Date(created), duration, clock: 'business', hours, timeZone: tz, holidays });
        const b = dueAt({ created: new Date(created + later), duration, clock: 'business', hours, timeZone: tz, holidays });
        expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('the 24h clock is created + duration (a day = 24 h), and so is business on 24/7', () => {
    fc.assert(
      fc.property(args, ({ tz, created, duration, holidays }) => {
        const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration)!;
        const expected = created + Number(m[1] ?? 0) * 24 * H + Number(m[2] ?? 0) * H + Number(m[3] ?? 0) * 60_000;
        for (const [clock, hours] of [
          ['24h', weekdays],
          ['business', '24/7'],
        ] as const) {
          expect(dueAt({ created: new Date(created), duration, clock, hours, timeZone: tz, holidays }).getTime()).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
