/**
 * The six example files as files: each passes `npm run data:check`, the published numbers in them are the
 * importer's output for the published tables (so a table change shows here), each is described in
 * examples/README.md, and the helpers the end-to-end tests use to move "now" behave at every hour.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataCheck, type CliIo } from '../../functions/data/cli.js';
import { importLines } from '../../functions/data/import-lines.js';
import { isOpen } from '../../functions/domain/hours.js';
import { PRODUCTIVITY_SUITE_TABLE, VIDEO_VENDOR_TABLE } from '../../scripts/demo-lines-source.js';
import { EXAMPLE_NAMES, EXAMPLES, loadExample, localWeekday, openNow, zoneWithLocalHour } from './support/example-line.js';

describe('examples/*.json', () => {
  it.each(EXAMPLE_NAMES)('%s passes npm run data:check', async (name) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    expect(await dataCheck([join(EXAMPLES, `${name}.json`)], io, {})).toBe(0);
    // The published policies' agents keep their PINs in clear for the tests to sign in: data:check warns about
    // that (and any other operator warning), but nothing in the file is an error.
    expect(err.filter((l) => !/^warning: \$\.\S+: |^\d+ warnings?$/.test(l))).toEqual([]);
    expect(out[0]).toMatch(/^ok: \d+ lines?, \d+ organizations?, \d+ agents?$/);
  });

  it.each(EXAMPLE_NAMES)('%s is described in examples/README.md, with what it approximates', (name) => {
    const readme = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
    const section = readme.split(/^## /m).find((s) => s.includes(`\`${name}.json\``));
    expect(section, `a "## " section naming ${name}.json`).toBeDefined();
    expect(section).toMatch(/Approximated/);
    expect(section).toMatch(/Extensions used/);
  });
});

describe('the published numbers', () => {
  it("video-conferencing: the vendor's whole table, as the importer converts it (ext. 2, Hong Kong without, second numbers)", () => {
    const imported = importLines(VIDEO_VENDOR_TABLE, { scheme: 'p1-p4', service: 'technical', labelPrefix: 'Video vendor' });
    const lines = loadExample('video-conferencing').lines;
    expect(lines).toEqual(imported.lines);
    expect(lines.filter((l) => !l.extensions).map((l) => l.countries[0])).toEqual(['HK']);
    const countries = lines.map((l) => l.countries[0]!);
    const twice = [...new Set(countries.filter((c, i) => countries.indexOf(c) !== i))];
    expect(twice.sort()).toEqual(['AT', 'CH', 'DE', 'GB']);
    // India's and Japan's second number have no E.164 form: left out, as the importer says.
    expect(imported.rejected.map((r) => r.country)).toEqual(['India', 'Japan']);
  });

  it('productivity suites: the published numbers, one toll-free number for the US and Canada, China on its own', () => {
    const imported = importLines(PRODUCTIVITY_SUITE_TABLE).lines;
    const pick = (l: { number: string; countries: string[]; language: string; timezone: string }) => ({
      number: l.number,
      countries: l.countries,
      language: l.language,
      timezone: l.timezone,
    });
    const worldwide = loadExample('productivity-worldwide').lines;
    const china = loadExample('productivity-china').lines;
    expect([...worldwide, ...china].map(pick)).toEqual(imported.map(pick));
    expect(worldwide[0]).toMatchObject({ number: '+18008659408', countries: ['US', 'CA'] });
    expect(china[0]).toMatchObject({ number: '+864000890365', language: 'zh-CN', timezone: 'Asia/Shanghai' });
  });
});

describe('the policies as data', () => {
  it('China: A around the clock on a 1-hour clock, B and C one and three business days, 09:00-24:00 every day', () => {
    const d = loadExample('productivity-china');
    expect(d.schemes['a-c']!.map((l) => [l.id, l.firstResponse, l.clock ?? '24h', l.hours ?? null])).toEqual([
      ['A', 'PT1H', '24h', '24/7'],
      ['B', 'P1D', 'business', null],
      ['C', 'P3D', 'business', null],
    ]);
    expect(d.services.technical!.hours).toEqual({ 'mon-sun': ['09:00', '24:00'] });
    expect([d.plans.standard!.maxPriority, d.plans.advanced!.maxPriority, d.services.billing!.maxPriority]).toEqual(['B', undefined, 'B']);
  });

  it('web shop: Saturday mornings for everyone; the priority option every day, holidays included', () => {
    const d = loadExample('web-shop');
    const sunday = new Date('2026-11-22T12:00:00Z');
    const saturdayMorning = new Date('2026-11-21T10:00:00Z');
    const saturdayAfternoon = new Date('2026-11-21T15:00:00Z');
    const christmas = new Date('2026-12-25T12:00:00Z');
    const standard = d.services.technical!.hours;
    const priority = d.plans.priority!.hours!;
    expect([saturdayMorning, saturdayAfternoon, sunday].map((at) => isOpen(standard, at, 'Europe/London', []))).toEqual([true, false, false]);
    expect([sunday, christmas].map((at) => isOpen(priority, at, 'Europe/London', []))).toEqual([true, true]);
    expect(d.plans.priority).toMatchObject({ priorityQueue: true, holidays: false });
    expect(d.holidays?.GB).toContain('2026-12-25');
  });
});

describe('moving "now" in the end-to-end tests', () => {
  it('zoneWithLocalHour gives a zone where it is that hour now, at every hour of the day', () => {
    for (let h = 0; h < 24; h++) {
      const now = new Date(Date.UTC(2026, 10, 22, h, 17));
      for (const target of [4, 15]) {
        const zone = zoneWithLocalHour(target, now);
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now);
        expect(Number(local), `${zone} at ${now.toISOString()}`).toBe(target);
      }
    }
  });

  it("openNow opens the rest of today and tomorrow in the line's zone, whatever the weekday", () => {
    for (let d = 0; d < 7; d++) {
      const now = new Date(Date.UTC(2026, 10, 16 + d, 23, 50));
      const hours = openNow('America/Los_Angeles', now);
      expect(isOpen(hours, now, 'America/Los_Angeles', [])).toBe(true);
      expect(isOpen(hours, new Date(now.getTime() + 20 * 3_600_000), 'America/Los_Angeles', [])).toBe(true);
      expect(Object.keys(hours)[0]!.startsWith(localWeekday(now, 'America/Los_Angeles'))).toBe(true);
    }
  });
});
