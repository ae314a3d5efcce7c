import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  agentSchema,
  countrySchema,
  daysOf,
  durationMinutes,
  durationSchema,
  e164Schema,
  hoursSchema,
  languageSchema,
  lineSchema,
  organizationSchema,
  timeZoneSchema,
} from '../../functions/data/schema.js';

const accepts = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(true);
const rejects = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);

describe('field rules of the data file schema', () => {
  it('E.164 numbers', () => {
    for (const ok of ['+18887999666', '+48221234567', '+8613800138000', '+1234567']) accepts(e164Schema, ok);
    for (const bad of ['18887999666', '+0887999666', '+1 888 799 9666', '+1-888-799-9666', '+123456', '+1234567890123456', '', 18887999666]) {
      rejects(e164Schema, bad);
    }
  });

  it('countries: ISO 3166-1 alpha-2, upper case, known to the phone library', () => {
    for (const ok of ['US', 'GB', 'PL', 'HK', 'CN']) accepts(countrySchema, ok);
    for (const bad of ['us', 'UK', 'USA', 'ZZ', 'EU', '']) rejects(countrySchema, bad);
    expect(countrySchema.safeParse('UK').error?.issues[0]?.message).toMatch(/"GB"/);
  });

  it('languages: well-formed BCP 47 in canonical case', () => {
    for (const ok of ['en-US', 'pl-PL', 'de-CH', 'zh-HK', 'zh-Hant-HK', 'en']) accepts(languageSchema, ok);
    for (const bad of ['en_US', 'en-us', 'EN-US', 'english', '', 'x']) rejects(languageSchema, bad);
    expect(languageSchema.safeParse('en-us').error?.issues[0]?.message).toBe('write the language tag as "en-US"');
  });

  it('time zones: IANA names, no offsets, canonical case', () => {
    for (const ok of ['America/New_York', 'Europe/Warsaw', 'Asia/Kolkata', 'UTC', 'America/Argentina/Buenos_Aires']) accepts(timeZoneSchema, ok);
    for (const bad of ['America/New_Yrok', '+01:00', 'GMT+1', 'Mars/Base', '', 'europe/warsaw']) rejects(timeZoneSchema, bad);
  });

  it('durations: PnDTnHnM, more than zero', () => {
    for (const ok of ['PT1H', 'PT4H', 'PT24H', 'P1D', 'P1DT12H', 'PT30M', 'PT1H30M', 'P2DT0H1M']) accepts(durationSchema, ok);
    for (const bad of ['PT0H', 'P0D', 'PT0M', 'P', 'PT', '4 hours', 'PT1.5H', 'P1W', 'P1M', 'PT1S', 'pt1h', 'PT1H2']) rejects(durationSchema, bad);
    expect(durationMinutes('P1DT2H3M')).toBe(1563);
    expect(durationMinutes('nope')).toBeUndefined();
  });

  it('hours: "24/7" or day specs to [open, close], close after open, 24:00 allowed, no day twice', () => {
    for (const ok of [
      '24/7',
      { 'mon-fri': ['09:00', '17:00'] },
      { 'mon-fri': ['08:00', '20:00'], 'sat,sun': ['10:00', '14:00'] },
      { 'mon-sun': ['00:00', '24:00'] },
      { 'mon,wed-thu': ['09:30', '12:45'], fri: ['09:00', '13:00'] },
    ]) {
      accepts(hoursSchema, ok);
    }
    for (const bad of [
      '24/5',
      {},
      { monday: ['09:00', '17:00'] },
      { 'mon-fri': ['17:00', '09:00'] },
      { 'mon-fri': ['09:00', '09:00'] },
      { 'mon-fri': ['24:00', '24:00'] },
      { 'mon-fri': ['9:00', '17:00'] },
      { 'mon-fri': ['09:00', '24:01'] },
      { 'mon-fri': ['09:00'] },
      { 'fri-mon': ['09:00', '17:00'] },
      { 'mon-fri': ['09:00', '17:00'], fri: ['18:00', '19:00'] },
      { 'Mon-Fri': ['09:00', '17:00'] },
    ]) {
      rejects(hoursSchema, bad);
    }
    expect(daysOf('sat,sun')).toEqual(new Set(['sat', 'sun']));
    expect(daysOf('mon-wed,fri')).toEqual(new Set(['mon', 'tue', 'wed', 'fri']));
    expect(daysOf('sun-mon')).toMatch(/runs backwards/);
  });

  it('lines: extension keys are single digits and unknown keys are errors', () => {
    const line = { number: '+18887999666', countries: ['US'], language: 'en-US', timezone: 'America/New_York', scheme: 'p1-p4', defaultService: 'technical' };
    accepts(lineSchema, line);
    accepts(lineSchema, { ...line, extensions: { '0': 'a', '9': 'b' } });
    for (const key of ['*', '#', '10', 'a', '']) rejects(lineSchema, { ...line, extensions: { [key]: 'technical' } });
    rejects(lineSchema, { ...line, extensions: {} });
    rejects(lineSchema, { ...line, countries: [] });
    rejects(lineSchema, { ...line, defaultServce: 'technical' });
  });

  it('organizations: account digits 4-20, emails, known verification', () => {
    const org = {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+48601234567', email: 'it@contoso.example' },
      people: [{ name: 'Ada', phone: '+48601234567', role: 'admin' }],
    };
    accepts(organizationSchema, org);
    accepts(organizationSchema, { ...org, account: '0001' });
    accepts(organizationSchema, { ...org, account: '12345678901234567890', barredUntil: '2026-12-31T23:59:59Z' });
    for (const account of ['123', '123456789012345678901', '4001-2345', 40012345]) rejects(organizationSchema, { ...org, account });
    rejects(organizationSchema, { ...org, contacts: { email: 'not-an-email' } });
    rejects(organizationSchema, { ...org, contacts: { phone: '+48601234567', fax: '+48601234567' } });
    rejects(organizationSchema, { ...org, verification: 'sms' });
    rejects(organizationSchema, { ...org, barredUntil: 'tomorrow' });
    rejects(organizationSchema, { ...org, id: 'has space' });
  });

  it('agents: digit ids, PINs of 4-8 digits, or a scrypt hash', () => {
    const agent = { id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical'] };
    accepts(agentSchema, agent);
    accepts(agentSchema, { ...agent, pin: '12345678' });
    for (const pin of ['123', '123456789', '12a4', 4321]) rejects(agentSchema, { ...agent, pin });
    accepts(agentSchema, { ...agent, pin: undefined, pinHash: 'scrypt$c2FsdA==$aGFzaA==' });
    rejects(agentSchema, { ...agent, pin: undefined, pinHash: 'md5$abc' });
    rejects(agentSchema, { ...agent, id: 'sam' });
    rejects(agentSchema, { ...agent, languages: [] });
  });
});
