import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closingAfter,
  effectiveHours,
  holidaysFor,
  hoursSummary,
  isOpen,
  localInstant,
  localParts,
  nextOpening,
  parseHours,
} from '../../functions/domain/hours.js';
import type { Hours, Plan, PriorityLevel, Service } from '../../functions/domain/model.js';

const NY = 'America/New_York';
const WAW = 'Europe/Warsaw';
const SYD = 'Australia/Sydney';
const z = (iso: string) => new Date(iso);
const weekdays: Hours = { 'mon-fri': ['09:00', '17:00'] };
const allWeek: Hours = { 'mon-sun': ['09:00', '17:00'] };

describe('parseHours', () => {
  it('24/7 is always', () => expect(parseHours('24/7')).toBe('always'));

  it.each<[string, Hours, Record<string, Array<[number, number]>>]>([
    ['a range', { 'mon-fri': ['09:00', '17:00'] }, { mon: [[540, 1020]], fri: [[540, 1020]], sat: [], sun: [] }],
    ['a wrapping range', { 'fri-mon': ['10:00', '14:00'] }, { fri: [[600, 840]], sat: [[600, 840]], sun: [[600, 840]], mon: [[600, 840]], tue: [] }],
    ['a list', { 'sat,sun': ['10:00', '12:00'] }, { sat: [[600, 720]], sun: [[600, 720]], fri: [] }],
    ['range and day', { 'mon-fri,sun': ['08:00', '12:00'] }, { mon: [[480, 720]], sat: [], sun: [[480, 720]] }],
    ['24:00 close', { sat: ['20:00', '24:00'] }, { sat: [[1200, 1440]] }],
    [
      'later keys add',
      { 'mon-fri': ['09:00', '12:00'], mon: ['13:00', '17:00'] },
      {
        mon: [
          [540, 720],
          [780, 1020],
        ],
        tue: [[540, 720]],
      },
    ],
    ['overlaps merge', { 'mon-fri': ['09:00', '12:00'], mon: ['11:00', '17:00'] }, { mon: [[540, 1020]] }],
    ['touching merge', { mon: ['09:00', '12:00'], 'mon,tue': ['12:00', '13:00'] }, { mon: [[540, 780]], tue: [[720, 780]] }],
    ['case and spaces', { 'Mon - Fri, SUN': ['09:00', '17:00'] }, { mon: [[540, 1020]], sun: [[540, 1020]], sat: [] }],
    ['whole days', { 'mon-sun': ['00:00', '24:00'] }, { wed: [[0, 1440]] }],
    ['nothing', {}, { mon: [], sun: [] }],
  ])('%s', (_name, hours, expected) => {
    const parsed = parseHours(hours);
    expect(parsed).not.toBe('always');
    for (const [day, intervals] of Object.entries(expected)) expect((parsed as Record<string, unknown>)[day]).toEqual(intervals);
  });

  it.each<[string, unknown, RegExp]>([
    ['unknown day', { mon_fri: ['09:00', '17:00'] }, /Bad day "mon_fri"/],
    ['three-part range', { 'mon-wed-fri': ['09:00', '17:00'] }, /Bad day range/],
    ['empty part', { 'mon,,fri': ['09:00', '17:00'] }, /empty day/],
    ['open-ended range', { 'mon-': ['09:00', '17:00'] }, /Bad day ""/],
    ['bad time', { mon: ['9am', '17:00'] }, /Bad open time "9am"/],
    ['minutes out of range', { mon: ['09:60', '17:00'] }, /Bad open time/],
    ['24:00 open', { mon: ['24:00', '24:00'] }, /Bad open time "24:00"/],
    ['past 24:00', { mon: ['09:00', '24:30'] }, /Bad close time "24:30"/],
    ['close before open', { mon: ['17:00', '09:00'] }, /not after open/],
    ['empty interval', { mon: ['09:00', '09:00'] }, /not after open/],
    ['not a pair', { mon: ['09:00'] }, /expected \[open, close\]/],
    ['other string', '9-5', /expected "24\/7"/],
  ])('rejects %s', (_name, hours, message) => {
    expect(() => parseHours(hours as Hours)).toThrow(message);
  });
});

describe('localParts and localInstant', () => {
  it.each([
    ['2026-03-06T21:00:00Z', NY, '2026-03-06', 'fri', 16 * 60],
    ['2026-03-08T07:00:00Z', NY, '2026-03-08', 'sun', 3 * 60],
    ['2026-03-08T06:59:00Z', NY, '2026-03-08', 'sun', 60 + 59],
    ['2026-12-31T23:30:00Z', WAW, '2027-01-01', 'fri', 30],
    ['2026-04-04T23:30:00Z', SYD, '2026-04-05', 'sun', 9 * 60 + 30],
    ['2026-06-01T04:00:00Z', NY, '2026-06-01', 'mon', 0],
  ])('%s in %s is %s (%s) minute %i', (iso, tz, date, weekday, minutes) => {
    expect(localParts(z(iso), tz)).toEqual({ date, weekday, minutes });
  });

  it.each([
    // ordinary
    ['2026-06-01', 9 * 60, NY, '2026-06-01T13:00:00.000Z'],
    ['2026-01-15', 9 * 60, WAW, '2026-01-15T08:00:00.000Z'],
    ['2026-06-01', 1440, NY, '2026-06-02T04:00:00.000Z'],
    // spring-forward gap → the transition instant (first instant after the gap)
    ['2026-03-08', 2 * 60 + 30, NY, '2026-03-08T07:00:00.000Z'],
    ['2026-03-08', 2 * 60, NY, '2026-03-08T07:00:00.000Z'],
    ['2026-03-08', 3 * 60, NY, '2026-03-08T07:00:00.000Z'],
    ['2026-03-29', 2 * 60 + 30, WAW, '2026-03-29T01:00:00.000Z'],
    ['2026-10-04', 2 * 60 + 30, SYD, '2026-10-03T16:00:00.000Z'],
    // fall-back ambiguity → first occurrence
    ['2026-11-01', 60 + 30, NY, '2026-11-01T05:30:00.000Z'],
    ['2026-10-25', 2 * 60 + 30, WAW, '2026-10-25T00:30:00.000Z'],
    ['2026-04-05', 2 * 60 + 30, SYD, '2026-04-04T15:30:00.000Z'],
    // half-hour zone
    ['2026-06-01', 9 * 60, 'Asia/Kolkata', '2026-06-01T03:30:00.000Z'],
  ])('%s %i min in %s is %s', (date, minutes, tz, iso) => {
    expect(localInstant(date, minutes, tz).toISOString()).toBe(iso);
  });

  it('rejects an unknown zone with its name', () => {
    expect(() => localParts(new Date(0), 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});

describe('isOpen (New York, week of 2026-06-01)', () => {
  const xmasEve = ['2026-06-03']; // a Wednesday holiday
  it.each<[string, Hours, string, readonly string[], boolean]>([
    ['Mon 08:59', weekdays, '2026-06-01T12:59:00Z', [], false],
    ['Mon 09:00', weekdays, '2026-06-01T13:00:00Z', [], true],
    ['Mon 16:59:59.999', weekdays, '2026-06-01T20:59:59.999Z', [], true],
    ['Mon 17:00', weekdays, '2026-06-01T21:00:00Z', [], false],
    ['Sat 12:00', weekdays, '2026-06-06T16:00:00Z', [], false],
    ['holiday Wed 12:00', weekdays, '2026-06-03T16:00:00Z', xmasEve, false],
    ['day after holiday', weekdays, '2026-06-04T16:00:00Z', xmasEve, true],
    ['24/7 on a holiday', '24/7', '2026-06-03T16:00:00Z', xmasEve, true],
    ['24:00 close, 23:59', { sat: ['20:00', '24:00'] }, '2026-06-07T03:59:00Z', [], true],
    ['24:00 close, midnight', { sat: ['20:00', '24:00'] }, '2026-06-07T04:00:00Z', [], false],
    ['wrap fri-mon, Sun', { 'fri-mon': ['10:00', '14:00'] }, '2026-06-07T15:00:00Z', [], true],
    ['wrap fri-mon, Tue', { 'fri-mon': ['10:00', '14:00'] }, '2026-06-02T15:00:00Z', [], false],
    ['lunch break', { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'] }, '2026-06-01T16:30:00Z', [], false],
    ['after lunch', { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'] }, '2026-06-01T17:30:00Z', [], true],
    ['holiday in another zone does not leak', weekdays, '2026-06-04T02:00:00Z', ['2026-06-04'], false],
  ])('%s → %s', (_name, hours, iso, holidays, open) => {
    expect(isOpen(hours, z(iso), NY, holidays)).toBe(open);
  });
});

describe('DST switch Sundays, mon-sun 09:00–17:00', () => {
  // local 09:30 / 16:59 / 17:00 on the switch day, written as UTC to check the offsets independently.
  it.each([
    [NY, '2026-03-08', '2026-03-08T13:30:00Z', '2026-03-08T20:59:00Z', '2026-03-08T21:00:00Z'],
    [NY, '2026-11-01', '2026-11-01T14:30:00Z', '2026-11-01T21:59:00Z', '2026-11-01T22:00:00Z'],
    [WAW, '2026-03-29', '2026-03-29T07:30:00Z', '2026-03-29T14:59:00Z', '2026-03-29T15:00:00Z'],
    [WAW, '2026-10-25', '2026-10-25T08:30:00Z', '2026-10-25T15:59:00Z', '2026-10-25T16:00:00Z'],
    [SYD, '2026-04-05', '2026-04-04T23:30:00Z', '2026-04-05T06:59:00Z', '2026-04-05T07:00:00Z'],
    [SYD, '2026-10-04', '2026-10-03T22:30:00Z', '2026-10-04T05:59:00Z', '2026-10-04T06:00:00Z'],
  ])('%s %s', (tz, date, at0930, at1659, at1700) => {
    expect(localParts(z(at0930), tz)).toMatchObject({ date, weekday: 'sun', minutes: 9 * 60 + 30 });
    expect(isOpen(allWeek, z(at0930), tz, [])).toBe(true);
    expect(isOpen(allWeek, z(at1659), tz, [])).toBe(true);
    expect(isOpen(allWeek, z(at1700), tz, [])).toBe(false);
    expect(isOpen(allWeek, z(at0930), tz, [date])).toBe(false);
    expect(closingAfter(allWeek, z(at0930), tz, [])).toEqual(z(at1700));
    expect(nextOpening(allWeek, z(at1700), tz, [])!.getTime() - z(at1700).getTime()).toBe(16 * 3_600_000);
  });

  it('an interval across the spring-forward gap is one hour shorter (New York)', () => {
    const night: Hours = { sun: ['01:00', '03:00'] };
    expect(isOpen(night, z('2026-03-08T06:00:00Z'), NY, [])).toBe(true); // 01:00 EST
    expect(isOpen(night, z('2026-03-08T06:59:59Z'), NY, [])).toBe(true);
    expect(isOpen(night, z('2026-03-08T07:00:00Z'), NY, [])).toBe(false); // 03:00 EDT
    expect(closingAfter(night, z('2026-03-08T06:30:00Z'), NY, [])).toEqual(z('2026-03-08T07:00:00Z'));
  });

  it('an opening inside the gap opens when the gap ends; an interval wholly inside it never opens', () => {
    expect(nextOpening({ sun: ['02:30', '05:00'] }, z('2026-03-08T05:00:00Z'), NY, [])).toEqual(z('2026-03-08T07:00:00Z'));
    expect(nextOpening({ sun: ['02:10', '02:50'] }, z('2026-03-08T05:00:00Z'), NY, [])).toEqual(z('2026-03-15T06:10:00Z'));
    expect(nextOpening({ sun: ['02:30', '05:00'] }, z('2026-03-29T00:00:00Z'), WAW, [])).toEqual(z('2026-03-29T01:00:00Z'));
  });

  it('an ambiguous opening is its first occurrence and the repeated hour stays open (New York, Warsaw)', () => {
    expect(nextOpening({ sun: ['01:30', '09:00'] }, z('2026-11-01T04:00:00Z'), NY, [])).toEqual(z('2026-11-01T05:30:00Z'));
    expect(isOpen({ sun: ['01:30', '09:00'] }, z('2026-11-01T06:15:00Z'), NY, [])).toBe(true); // 01:15 EST, 2nd time
    expect(isOpen({ sun: ['02:30', '09:00'] }, z('2026-10-25T01:15:00Z'), WAW, [])).toBe(true); // 02:15 CET, 2nd time
  });

  it('an ambiguous close is its first occurrence', () => {
    const early: Hours = { sun: ['00:00', '01:30'] };
    expect(closingAfter(early, z('2026-11-01T05:00:00Z'), NY, [])).toEqual(z('2026-11-01T05:30:00Z'));
    expect(isOpen(early, z('2026-11-01T06:15:00Z'), NY, [])).toBe(false);
  });
});

describe('nextOpening and closingAfter', () => {
  it.each<[string, Hours, string, readonly string[], string | undefined]>([
    ['open now → now', weekdays, '2026-06-01T14:00:00Z', [], '2026-06-01T14:00:00.000Z'],
    ['before opening', weekdays, '2026-06-01T12:00:00Z', [], '2026-06-01T13:00:00.000Z'],
    ['at the close → next day', weekdays, '2026-06-01T21:00:00Z', [], '2026-06-02T13:00:00.000Z'],
    ['Friday evening → Monday', weekdays, '2026-06-05T22:00:00Z', [], '2026-06-08T13:00:00.000Z'],
    ['over a holiday Monday', weekdays, '2026-06-05T22:00:00Z', ['2026-06-08'], '2026-06-09T13:00:00.000Z'],
    ['24/7', '24/7', '2026-06-05T22:00:00Z', ['2026-06-05'], '2026-06-05T22:00:00.000Z'],
    ['never open', {}, '2026-06-05T22:00:00Z', [], undefined],
  ])('nextOpening: %s', (_name, hours, iso, holidays, expected) => {
    expect(nextOpening(hours, z(iso), NY, holidays)?.toISOString()).toBe(expected);
  });

  it.each<[string, Hours, string, readonly string[], string | undefined]>([
    ['weekday', weekdays, '2026-06-01T14:00:00Z', [], '2026-06-01T21:00:00.000Z'],
    ['closed', weekdays, '2026-06-01T22:00:00Z', [], undefined],
    ['24/7', '24/7', '2026-06-01T22:00:00Z', [], undefined],
    ['overnight joined at 24:00', { fri: ['22:00', '24:00'], sat: ['00:00', '06:00'] }, '2026-06-06T03:00:00Z', [], '2026-06-06T10:00:00.000Z'],
    ['every day all day until a holiday', { 'mon-sun': ['00:00', '24:00'] }, '2026-06-01T14:00:00Z', ['2026-06-10'], '2026-06-10T04:00:00.000Z'],
    ['every day all day, no holiday', { 'mon-sun': ['00:00', '24:00'] }, '2026-06-01T14:00:00Z', [], undefined],
  ])('closingAfter: %s', (_name, hours, iso, holidays, expected) => {
    expect(closingAfter(hours, z(iso), NY, holidays)?.toISOString()).toBe(expected);
  });
});

describe('hoursSummary', () => {
  it.each<[string, Hours, ReturnType<typeof hoursSummary>]>([
    ['24/7', '24/7', []],
    ['weekdays', weekdays, [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }]],
    [
      'weekdays and Saturday',
      { 'mon-fri': ['09:00', '17:00'], sat: ['10:00', '14:00'] },
      [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' },
        { days: ['sat'], open: '10:00', close: '14:00' },
      ],
    ],
    [
      'non-consecutive same hours',
      { 'mon-fri,sun': ['09:00', '24:00'] },
      [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sun'], open: '09:00', close: '24:00' }],
    ],
    [
      'lunch break',
      { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'] },
      [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '12:00' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '13:00', close: '17:00' },
      ],
    ],
  ])('%s', (_name, hours, expected) => {
    expect(hoursSummary(hours)).toEqual(expected);
  });
});

describe('effectiveHours and holidaysFor', () => {
  const service: Service = { hours: weekdays };
  const plan: Plan = { phoneSupport: true };
  const sunday: Hours = { 'mon-sun': ['09:00', '17:00'] };
  const levelA: PriorityLevel = { id: 'A', firstResponse: 'PT1H', hours: '24/7' };

  it.each<[string, { service: Service; plan: Plan; level?: PriorityLevel }, Hours, boolean]>([
    ['service hours', { service, plan }, weekdays, true],
    ['plan hours replace the service', { service, plan: { ...plan, hours: sunday } }, sunday, true],
    ['level hours win', { service, plan: { ...plan, hours: sunday }, level: levelA }, '24/7', false],
    ['level without hours', { service, plan, level: { id: 'B', firstResponse: 'PT4H' } }, weekdays, true],
    ['plan opts out of holidays', { service, plan: { ...plan, holidays: false } }, weekdays, false],
    ['24/7 service', { service: { hours: '24/7' }, plan }, '24/7', false],
  ])('%s', (_name, args, hours, holidaysApply) => {
    expect(effectiveHours(args)).toEqual({ hours, holidaysApply });
  });

  it('holidaysFor', () => {
    const h = { US: ['2026-12-25'], CA: ['2026-07-01'] };
    expect(holidaysFor(h, 'US')).toEqual(['2026-12-25']);
    expect(holidaysFor(h, 'ca')).toEqual(['2026-07-01']);
    expect(holidaysFor(h, 'PL')).toEqual([]);
    expect(holidaysFor(undefined, 'US')).toEqual([]);
    const copy = holidaysFor(h, 'US');
    copy.push('x');
    expect(h.US).toEqual(['2026-12-25']);
  });
});

/** The zone's offset at `t`, read back through `localParts` (independent of the code under test's offsets). */
function offsetMinutes(t: number, tz: string): number {
  const { date, minutes } = localParts(new Date(t), tz);
  return Math.round((Date.parse(`${date}T00:00:00Z`) + minutes * 60_000 - t) / 60_000);
}

describe('properties', () => {
  const zones = [NY, WAW, SYD, 'UTC', 'Asia/Kolkata', 'America/St_Johns'];
  const templates: Hours[] = [
    weekdays,
    allWeek,
    { 'mon-fri': ['09:00', '12:00'], 'mon-fri ': ['13:00', '17:00'] },
    { 'fri-mon': ['01:30', '02:45'] },
    { 'mon-sun': ['00:00', '24:00'] },
    { fri: ['22:00', '24:00'], sat: ['00:00', '06:00'], sun: ['02:00', '03:00'] },
  ];
  // 2026, with extra weight on the switch weekends.
  const instant = fc.oneof(
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
    ...['2026-03-08T00:00Z', '2026-11-01T00:00Z', '2026-03-29T00:00Z', '2026-10-25T00:00Z', '2026-04-04T12:00Z', '2026-10-03T12:00Z'].map((iso) =>
      fc.integer({ min: Date.parse(iso) - 36 * 3_600_000, max: Date.parse(iso) + 36 * 3_600_000 }),
    ),
  );
  const holidays = fc.constantFrom<string[]>([], ['2026-03-09', '2026-11-02', '2026-10-26'], ['2026-03-08', '2026-03-29']);

  it('nextOpening is open and is `from` exactly when open; closingAfter ends the stretch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.constantFrom(...zones), instant, holidays, (hours, tz, t, hs) => {
        const from = new Date(t);
        const open = isOpen(hours, from, tz, hs);
        const next = nextOpening(hours, from, tz, hs)!;
        expect(next.getTime() >= t).toBe(true);
        expect(next.getTime() === t).toBe(open);
        expect(isOpen(hours, next, tz, hs)).toBe(true);
        if (next.getTime() > t) expect(isOpen(hours, new Date(next.getTime() - 1), tz, hs)).toBe(false);
        const close = closingAfter(hours, next, tz, hs);
        if (close) {
          expect(isOpen(hours, new Date(close.getTime() - 1), tz, hs)).toBe(true);
          expect(isOpen(hours, close, tz, hs)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('isOpen agrees with the wall clock away from the switch hours', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.constantFrom(...zones), instant, (hours, tz, t) => {
        const at = new Date(t);
        const { minutes, weekday } = localParts(at, tz);
        // Skip instants within 3 hours of a clock change: there instants and wall times part ways by design.
        fc.pre(offsetMinutes(t - 3 * 3_600_000, tz) === offsetMinutes(t + 3 * 3_600_000, tz));
        const parsed = parseHours(hours);
        const expected = parsed === 'always' || parsed[weekday].some(([o, c]) => o <= minutes && minutes < c);
        expect(isOpen(hours, at, tz, [])).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
