/**
 * A small data file for handler and flow tests: every line shape (menu with and without a default, no
 * menu, Polish, German), every verification policy, and plans that refuse, cap or lower priorities.
 * Tests take a fresh copy (`lineData()`) and may change it before loading.
 */
import type { SupportData } from '../../functions/domain/model.js';
import { p1p4 } from './fixtures.js';

/** Dialed numbers. */
export const LINES = {
  /** en-US, ext. 2 technical, 3 billing, 4 licensing; default technical. */
  us: '+18887999666',
  /** en-US, ext. 2 technical only, no default service. */
  noDefault: '+18887999111',
  /** en-US, no menu: straight to identification for technical. */
  direct: '+18887999222',
  /** pl-PL, no menu. */
  pl: '+48221234567',
  /** de-DE (no German catalog), ext. 2 technical. */
  de: '+493080098621',
  /** In no line at all. */
  unknown: '+18005550123',
} as const;

/** Calling numbers. */
export const PHONES = {
  /** Contoso admin Ada (caller-id org). Contoso's contact phone too (ends in 67). */
  ada: '+48601234567',
  /** Contoso member Mel. */
  mel: '+48601234999',
  /** Northwind admin (always-code, phone and email contacts). */
  nia: '+14155550101',
  /** Stir Co admin (stir-shaken). */
  sid: '+14155550102',
  /** Basic Co admin (basic plan). */
  bob: '+14155550103',
  /** Limited Co admin (plan capped at P3). */
  lim: '+14155550104',
  /** Fair Co admin (fair use: 1 P1 per 24 h). */
  fay: '+14155550105',
  /** Mailonly admin (always-code, email contact only). */
  eve: '+14155550106',
  /** Techonly admin (plan has technical only). */
  ted: '+14155550107',
  /** Premier admin (priority queue). */
  pam: '+14155550108',
  /** Nobody's number. */
  stranger: '+14155550199',
} as const;

export const ACCOUNTS = { contoso: '40012345', northwind: '50023456', mailonly: '60034567' } as const;

export function lineData(): SupportData {
  return structuredClone(DATA);
}

const DATA: SupportData = {
  lines: [
    {
      number: LINES.us,
      countries: ['US', 'CA'],
      language: 'en-US',
      timezone: 'America/New_York',
      extensions: { '2': 'technical', '3': 'billing', '4': 'licensing' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
    { number: LINES.noDefault, countries: ['US'], language: 'en-US', timezone: 'America/New_York', extensions: { '2': 'technical' }, scheme: 'p1-p4' },
    { number: LINES.direct, countries: ['US'], language: 'en-US', timezone: 'America/New_York', defaultService: 'technical', scheme: 'p1-p4' },
    { number: LINES.pl, countries: ['PL'], language: 'pl-PL', timezone: 'Europe/Warsaw', defaultService: 'technical', scheme: 'p1-p4' },
    {
      number: LINES.de,
      countries: ['DE'],
      language: 'de-DE',
      timezone: 'Europe/Berlin',
      extensions: { '2': 'technical' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
  ],
  services: {
    technical: { hours: '24/7' },
    billing: { hours: { 'mon-fri': ['09:00', '17:00'] }, maxPriority: 'P2' },
    licensing: { hours: '24/7' },
  },
  holidays: { US: ['2026-12-25'] },
  schemes: { 'p1-p4': p1p4() },
  plans: {
    basic: { phoneSupport: false },
    business: { phoneSupport: true, services: ['technical', 'billing', 'licensing'], roles: ['admin'] },
    premier: { phoneSupport: true, services: ['technical', 'billing', 'licensing'], roles: ['admin', 'member'], priorityQueue: true },
    limited: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'], maxPriority: 'P3' },
    fair: { phoneSupport: true, services: ['technical'], roles: ['admin'], fairUse: { maxTopPriority: 1, window: 'PT24H' } },
    'tech-only': { phoneSupport: true, services: ['technical'], roles: ['admin'] },
  },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: ACCOUNTS.contoso,
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+48601234567', email: 'it@contoso.example' },
      people: [
        { name: 'Ada', phone: PHONES.ada, role: 'admin' },
        { name: 'Mel', phone: PHONES.mel, role: 'member' },
      ],
    },
    {
      id: 'northwind',
      name: 'Northwind',
      account: ACCOUNTS.northwind,
      plan: 'business',
      verification: 'always-code',
      contacts: { phone: '+14155550142', email: 'ops@northwind.example' },
      people: [{ name: 'Nia', phone: PHONES.nia, role: 'admin' }],
    },
    {
      id: 'stirco',
      name: 'Stir Co',
      account: '70045678',
      plan: 'business',
      verification: 'stir-shaken',
      contacts: { phone: '+14155550155' },
      people: [{ name: 'Sid', phone: PHONES.sid, role: 'admin' }],
    },
    {
      id: 'basicco',
      name: 'Basic Co',
      account: '80056789',
      plan: 'basic',
      verification: 'caller-id',
      contacts: { phone: '+14155550160' },
      people: [{ name: 'Bob', phone: PHONES.bob, role: 'admin' }],
    },
    {
      id: 'limitedco',
      name: 'Limited Co',
      account: '80056790',
      plan: 'limited',
      verification: 'caller-id',
      contacts: { phone: '+14155550161' },
      people: [{ name: 'Lim', phone: PHONES.lim, role: 'admin' }],
    },
    {
      id: 'fairco',
      name: 'Fair Co',
      account: '80056791',
      plan: 'fair',
      verification: 'caller-id',
      contacts: { email: 'desk@fair.example' },
      people: [{ name: 'Fay', phone: PHONES.fay, role: 'admin' }],
    },
    {
      id: 'mailonly',
      name: 'Mailonly',
      account: ACCOUNTS.mailonly,
      plan: 'business',
      verification: 'always-code',
      contacts: { email: 'it@mailonly.example' },
      people: [{ name: 'Eve', phone: PHONES.eve, role: 'admin' }],
    },
    {
      id: 'techonly',
      name: 'Techonly',
      account: '80056792',
      plan: 'tech-only',
      verification: 'caller-id',
      contacts: { phone: '+14155550162' },
      people: [{ name: 'Ted', phone: PHONES.ted, role: 'admin' }],
    },
    {
      id: 'premierco',
      name: 'Premier Co',
      account: '80056793',
      plan: 'premier',
      verification: 'caller-id',
      contacts: { phone: '+14155550163' },
      people: [{ name: 'Pam', phone: PHONES.pam, role: 'admin' }],
    },
  ],
  agents: { line: '+15550100000', people: [] },
};
