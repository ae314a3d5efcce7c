import { describe, expect, it } from 'vitest';
import { checkEntitlement, type EntitlementResult } from '../../functions/domain/entitlement.js';
import type { Organization, Person, Plan } from '../../functions/domain/model.js';

const now = new Date('2026-06-01T12:00:00Z');
const ada: Person = { name: 'Ada', phone: '+48601234567', role: 'admin' };
const mel: Person = { name: 'Mel', phone: '+48601234999', role: 'member' };
const org: Organization = {
  id: 'contoso',
  name: 'Contoso',
  account: '40012345',
  plan: 'business',
  verification: 'caller-id',
  contacts: { phone: '+48601234567' },
  people: [ada, mel],
};
const basic: Plan = { phoneSupport: false };
const business: Plan = { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'] };
const premier: Plan = { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin', 'member'] };
const open: Plan = { phoneSupport: true };
const past = '2026-05-31T12:00:00Z';
const future = '2026-06-02T12:00:00Z';
const later = '2026-07-01T00:00:00Z';

type Case = [string, { plan: Plan; service: string; role: string; org?: Organization; person?: Person }, EntitlementResult];

describe('checkEntitlement', () => {
  it.each<Case>([
    ['admin, business, technical', { plan: business, service: 'technical', role: 'admin', person: ada }, { ok: true }],
    ['member on business', { plan: business, service: 'technical', role: 'member', person: mel }, { ok: false, reason: 'role-not-allowed' }],
    ['member on premier', { plan: premier, service: 'billing', role: 'member', person: mel }, { ok: true }],
    ['service not in plan', { plan: premier, service: 'sales', role: 'admin', person: ada }, { ok: false, reason: 'service-not-in-plan' }],
    ['no phone support', { plan: basic, service: 'technical', role: 'admin', person: ada }, { ok: false, reason: 'no-phone-support' }],
    [
      'no phone support beats service and role',
      { plan: { ...basic, services: [], roles: [] }, service: 'x', role: 'y' },
      { ok: false, reason: 'no-phone-support' },
    ],
    ['service beats role', { plan: business, service: 'sales', role: 'member' }, { ok: false, reason: 'service-not-in-plan' }],
    ['absent services and roles allow all', { plan: open, service: 'anything', role: 'guest' }, { ok: true }],
    [
      'empty lists allow none',
      { plan: { phoneSupport: true, services: [] }, service: 'technical', role: 'admin' },
      { ok: false, reason: 'service-not-in-plan' },
    ],
    ['verified by code: admin, no person', { plan: business, service: 'billing', role: 'admin' }, { ok: true }],
    [
      'person barred',
      { plan: premier, service: 'technical', role: 'admin', person: { ...ada, barredUntil: future } },
      { ok: false, reason: 'barred', until: future },
    ],
    [
      'org barred',
      { plan: premier, service: 'technical', role: 'admin', org: { ...org, barredUntil: future } },
      { ok: false, reason: 'barred', until: future },
    ],
    [
      'barred beats no phone support',
      { plan: basic, service: 'technical', role: 'admin', org: { ...org, barredUntil: future } },
      { ok: false, reason: 'barred', until: future },
    ],
    [
      'both barred: the later end',
      { plan: premier, service: 'technical', role: 'admin', org: { ...org, barredUntil: future }, person: { ...ada, barredUntil: later } },
      { ok: false, reason: 'barred', until: later },
    ],
    [
      'bar expired',
      { plan: premier, service: 'technical', role: 'admin', org: { ...org, barredUntil: past }, person: { ...ada, barredUntil: past } },
      { ok: true },
    ],
    ['bar ends exactly now', { plan: premier, service: 'technical', role: 'admin', person: { ...ada, barredUntil: now.toISOString() } }, { ok: true }],
    [
      'bar with an offset',
      { plan: premier, service: 'technical', role: 'admin', person: { ...ada, barredUntil: '2026-06-01T13:30:00+01:00' } },
      { ok: false, reason: 'barred', until: '2026-06-01T13:30:00+01:00' },
    ],
    ['unparseable bar bars nobody', { plan: premier, service: 'technical', role: 'admin', person: { ...ada, barredUntil: 'soon' } }, { ok: true }],
  ])('%s', (_name, args, expected) => {
    expect(checkEntitlement({ org, now, ...args })).toEqual(expected);
  });
});
