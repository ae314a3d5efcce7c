import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUNTRY_DEFAULTS, COUNTRY_NAMES, countryCode, importLines, normalizePublishedNumber } from '../../functions/data/import-lines.js';
import { countrySchema, languageSchema, timeZoneSchema } from '../../functions/data/schema.js';
import { validateSupportData } from '../../functions/data/validate.js';

const table = readFileSync(new URL('./fixtures/published-numbers.txt', import.meta.url), 'utf8');

describe('normalizePublishedNumber', () => {
  it('normalizes the published forms to E.164 with libphonenumber-js', () => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['+1.888.799.9666 ext. 2', 'US', '+18887999666', '2'],
      ['+1,888,799,9666', 'US', '+18887999666', undefined],
      ['0800 761 2618', 'BR', '+558007612618', undefined],
      ['1 800 197 503', 'AU', '+611800197503', undefined],
      ['0800 032 6417', 'GB', '+448000326417', undefined],
      ['(86) 400-089-0365', 'CN', '+864000890365', undefined],
      ['+39 0761 1811003 ext. 2', 'IT', '+3907611811003', '2'],
      ['+852 3002 3757', 'HK', '+85230023757', undefined],
      ['+1 800 865 9408', 'CA', '+18008659408', undefined],
      ['+44 (0) 20 7039 8961', 'GB', '+442070398961', undefined],
      ['+49 30 80098621 extension 3', 'DE', '+493080098621', '3'],
    ];
    for (const [published, country, e164, extension] of cases) {
      const result = normalizePublishedNumber(published, country);
      expect(result, published).toMatchObject({ ok: true, e164 });
      if (result.ok) expect(result.extension, published).toBe(extension);
    }
  });

  it('accepts a trunk 0 after the country code only when the library validates it without, and says so', () => {
    expect(normalizePublishedNumber('+49 0800 0010429 ext. 2', 'DE')).toEqual({
      ok: true,
      e164: '+498000010429',
      extension: '2',
      note: expect.stringMatching(/trunk prefix 0 after \+49/),
    });
    expect(normalizePublishedNumber('+41 0800 117799', 'CH')).toMatchObject({ ok: true, e164: '+41800117799', note: expect.any(String) });
    // "+81 0053 …" without the 0 would be a Hamamatsu number, not what was published: refused.
    expect(normalizePublishedNumber('+81 0053 132 0070 ext. 2', 'JP')).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not validate \+8100531320070.*a different number/),
    });
  });

  it('refuses national-only, lettered, unparseable numbers and multi-digit extensions, with reasons', () => {
    expect(normalizePublishedNumber('000 800 050 2040 ext. 2', 'IN')).toMatchObject({ ok: false, reason: expect.stringMatching(/national-only/) });
    expect(normalizePublishedNumber('1-800-FLOWERS', 'US')).toMatchObject({ ok: false, reason: expect.stringMatching(/letters/) });
    expect(normalizePublishedNumber('+1 555 0100', 'US')).toMatchObject({ ok: false, reason: expect.stringMatching(/libphonenumber-js/) });
    expect(normalizePublishedNumber('+34 932 207 485 ext. 12', 'ES')).toMatchObject({ ok: false, reason: expect.stringMatching(/single menu digit/) });
    expect(normalizePublishedNumber('call us', 'US')).toMatchObject({ ok: false });
  });
});

describe('importLines', () => {
  it('converts a published table with the tricky cases and names every rejected entry and why', () => {
    const result = importLines(table);
    expect(result.lines.map((line) => [line.number, line.countries, line.extensions])).toEqual([
      ['+18887999666', ['US'], { '2': 'technical' }],
      ['+18008659408', ['US', 'CA'], undefined],
      ['+558007612618', ['BR'], { '2': 'technical' }],
      ['+493080098621', ['DE'], { '2': 'technical' }],
      ['+498000010429', ['DE'], { '2': 'technical' }],
      ['+864000890365', ['CN'], undefined],
      ['+81120427732', ['JP'], { '2': 'technical' }],
      ['+448000326417', ['GB'], undefined],
      ['+442070398961', ['GB'], undefined],
    ]);
    expect(result.rejected.map(({ row, published, reason }) => [row, published, reason])).toEqual([
      [8, '000 800 050 2040 ext. 2', expect.stringMatching(/^libphonenumber-js reads it as \+910008000502040.*national-only/)],
      [9, '+81 0053 132 0070 ext. 2', expect.stringMatching(/^libphonenumber-js does not validate/)],
      [11, '+1,888,799,9666', '+18887999666 is already on row 3'],
      [12, '+44 20 7946 0000', 'unknown country "Narnia"'],
      [13, '+34 932 207 485 ext. 12', 'extension 12 is not a single menu digit 0-9'],
      [14, '1-800-FLOWERS', expect.stringMatching(/^contains letters/)],
      [15, 'Poland |', 'no phone number in this row'],
    ]);
    expect(result.notes.map((note) => [note.row, note.number])).toEqual([
      [6, '+498000010429'],
      [10, '+442070398961'],
    ]);
  });

  it('fills language, time zone, scheme and default service, giving lines a data file accepts', () => {
    const { lines } = importLines(table, { scheme: 'standard', service: 'support', labelPrefix: 'Vendor' });
    expect(lines[1]).toEqual({
      number: '+18008659408',
      countries: ['US', 'CA'],
      language: 'en-US',
      timezone: 'America/New_York',
      defaultService: 'support',
      scheme: 'standard',
      label: 'Vendor: United States and Canada, published as "+1 800 865 9408"',
    });
    expect(lines[0]?.extensions).toEqual({ '2': 'support' });
    expect(lines.find((line) => line.number === '+558007612618')).toMatchObject({ language: 'pt-BR', timezone: 'America/Sao_Paulo' });
    const data = {
      lines,
      services: { support: { hours: '24/7' } },
      schemes: { standard: [{ id: 'P1', firstResponse: 'PT1H' }] },
      plans: {},
      organizations: [],
      agents: { line: '+15550100000', people: [] },
    };
    expect(validateSupportData(data)).toMatchObject({ ok: true });
  });

  it('knows every country it names, with a valid default language and time zone', () => {
    for (const [name, code] of Object.entries(COUNTRY_NAMES)) {
      expect(countrySchema.safeParse(code).success, name).toBe(true);
      expect(COUNTRY_DEFAULTS[code], name).toBeDefined();
    }
    for (const [code, { language, timezone }] of Object.entries(COUNTRY_DEFAULTS)) {
      expect(countrySchema.safeParse(code).success, code).toBe(true);
      expect(languageSchema.safeParse(language).success, language).toBe(true);
      expect(timeZoneSchema.safeParse(timezone).success, timezone).toBe(true);
    }
    expect(countryCode('  United   Kingdom ')).toBe('GB');
    expect(countryCode('pl')).toBe('PL');
    expect(countryCode('Atlantis')).toBeUndefined();
  });
});
