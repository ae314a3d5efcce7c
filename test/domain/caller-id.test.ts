/** Facts from the calling number: E.164, the caller's country among a line's countries, and masking. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countryOf, maskEmail, normalizeE164, phoneEnding, servedCountry } from '../../functions/domain/caller-id.js';

describe('normalizeE164', () => {
  it.each([
    ['+48601234567', '+48601234567'],
    [' +48 601 234 567 ', '+48601234567'],
    ['+1 (888) 799-9666', '+18887999666'],
    ['0048601234567', '+48601234567'],
    ['+1.888.799.9666', '+18887999666'],
  ])('%s → %s', (input, out) => {
    expect(normalizeE164(input)).toBe(out);
  });

  it.each([
    undefined,
    '',
    'anonymous',
    'Restricted',
    'Unknown',
    'client:alice',
    'sip:bob@example.com',
    '+0123456789',
    '+12345',
    '+1234567890123456',
    '48601234567',
    '+48-abc',
  ])('withheld or not a phone number: %s', (input) => {
    expect(normalizeE164(input)).toBeUndefined();
  });

  it('whatever it returns is E.164', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (s) => {
        const out = normalizeE164(s);
        if (out !== undefined) expect(out).toMatch(/^\+[1-9]\d{6,14}$/);
      }),
    );
  });
});

describe('countryOf and servedCountry', () => {
  it.each([
    ['+18887999666', 'US'],
    ['+14165550123', 'CA'],
    ['+16045550123', 'CA'],
    ['+48601234567', 'PL'],
    ['+442079460000', 'GB'],
    ['+85230023757', 'HK'],
    ['+353861234567', 'IE'],
    ['+4930800986', 'DE'],
    ['+999123456789', undefined],
  ])('%s is from %s', (phone, country) => {
    expect(countryOf(phone)).toBe(country);
  });

  it('no number, no country', () => {
    expect(countryOf(undefined)).toBeUndefined();
    expect(countryOf('')).toBeUndefined();
    expect(countryOf('4860123')).toBeUndefined();
  });

  it("a caller from one of the line's countries is served as that country, anyone else as the first", () => {
    expect(servedCountry(['US', 'CA'], '+14165550123')).toBe('CA');
    expect(servedCountry(['US', 'CA'], '+12125550123')).toBe('US');
    expect(servedCountry(['US', 'CA'], '+48601234567')).toBe('US');
    expect(servedCountry(['CA', 'US'], '+48601234567')).toBe('CA');
    expect(servedCountry(['GB'], undefined)).toBe('GB');
  });
});

describe('masking', () => {
  it('a phone is heard as its last two digits only', () => {
    expect(phoneEnding('+48601234567')).toBe('67');
    expect(phoneEnding('+1 415 555 0142')).toBe('42');
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (p) => {
        expect(phoneEnding(p)).toBe(p.slice(-2));
      }),
    );
  });

  it('an email is heard as its first letter and its domain', () => {
    expect(maskEmail('it@contoso.example')).toBe('i…@contoso.example');
    expect(maskEmail('ops.team+x@northwind.example')).toBe('o…@northwind.example');
    expect(maskEmail('a@b.example')).toBe('a…@b.example');
    expect(maskEmail('"odd@quoted"@host.example')).toBe('"…@host.example');
    expect(maskEmail('no-at-sign')).toBe('…');
    expect(maskEmail('@host.example')).toBe('…');
  });

  it('a masked email never contains the local part beyond its first character', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        const local = email.slice(0, email.lastIndexOf('@'));
        expect(masked).toBe(`${local[0]}…${email.slice(email.lastIndexOf('@'))}`);
        if (local.length > 1) expect(masked.startsWith(local)).toBe(false);
      }),
    );
  });
});
