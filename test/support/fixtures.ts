/**
 * The test fixtures, in one module: the standard P1–P4 priority scheme, the demo line's numbers, and
 * generated data for the bench and the fault, replay and fuzz tests (`benchData`). The bench reads them
 * through bench/lib/bench-data.ts.
 *
 * `benchData`: one support line (ext. 2, open
 * around the clock, so results do not depend on the hour), registered callers trusted by caller ID, and
 * organizations that always want a code (each caller its own organization, so the 5-codes-per-10-minutes
 * limit never mixes callers up), plus agents. Numbers are valid North American ones, distinct per index.
 */
import type { PriorityLevel, SupportData } from '../../functions/domain/model.js';
import type { Ticket } from '../../functions/domain/tickets.js';
import type { CallState } from '../../functions/domain/call-state.js';
import { randomBytes } from 'node:crypto';
import type { Keys } from '../../bench/lib/caller.js';

/**
 * The standard scheme: P1 answered within an hour and restored within four, P2 within four and eight,
 * P3 and P4 within a day. A fresh copy each call, so a test may change its own.
 */
export function p1p4(): PriorityLevel[] {
  return [
    { id: 'P1', firstResponse: 'PT1H', restore: 'PT4H' },
    { id: 'P2', firstResponse: 'PT4H', restore: 'PT8H' },
    { id: 'P3', firstResponse: 'PT24H' },
    { id: 'P4', firstResponse: 'PT24H' },
  ];
}

/** The demo support line (US, ext. 2 technical, ext. 3 billing in the richer fixtures). */
export const LINE = '+18887999666';
export const AGENTS_LINE = '+15550100000';
/** A caller registered nowhere. */
export const STRANGER = '+14155550199';

const AREAS = ['202', '212', '312', '415', '617', '713', '303', '404'];
/** The i-th distinct valid US number of a series (`kind` keeps series apart). */
export function usNumber(kind: number, i: number): string {
  const area = AREAS[kind % AREAS.length]!;
  const exchange = 200 + ((Math.floor(i / 10_000) + kind * 97) % 700);
  return `+1${area}${exchange}${String(i % 10_000).padStart(4, '0')}`;
}

export interface RegisteredCaller {
  org: string;
  phone: string;
}
export interface CodeCaller {
  org: string;
  account: string;
  /** The organization's contact phone the code goes to. */
  contact: string;
  email: string;
  /** The calling number (registered nowhere). */
  phone: string;
}

export interface BenchData {
  data: SupportData;
  registered: RegisteredCaller[];
  coded: CodeCaller[];
  agents: Array<{ id: string; pin: string }>;
}

export function benchData(o: { registered: number; coded: number; agents?: number }): BenchData {
  const registered: RegisteredCaller[] = Array.from({ length: o.registered }, (_, i) => ({ org: `reg-${i}`, phone: usNumber(0, i) }));
  const coded: CodeCaller[] = Array.from({ length: o.coded }, (_, i) => ({
    org: `code-${i}`,
    account: String(30_000_000 + i),
    contact: usNumber(1, i),
    email: `it@code-${i}.example`,
    phone: usNumber(2, i),
  }));
  const agents = Array.from({ length: o.agents ?? 3 }, (_, i) => ({ id: String(1001 + i), pin: String(4321 + i) }));
  const data = {
    lines: [
      {
        number: LINE,
        countries: ['US'],
        language: 'en-US',
        timezone: 'America/New_York',
        extensions: { '2': 'technical' },
        defaultService: 'technical',
        scheme: 'p1-p4',
      },
    ],
    services: { technical: { hours: '24/7' } },
    holidays: {},
    schemes: { 'p1-p4': p1p4() },
    plans: { business: { phoneSupport: true, services: ['technical'], roles: ['admin'] } },
    organizations: [
      ...registered.map((r, i) => ({
        id: r.org,
        name: `Registered ${i}`,
        account: String(10_000_000 + i),
        plan: 'business',
        verification: 'caller-id',
        contacts: { phone: r.phone },
        people: [{ name: `Admin ${i}`, phone: r.phone, role: 'admin' }],
      })),
      ...coded.map((c, i) => ({
        id: c.org,
        name: `Coded ${i}`,
        account: c.account,
        plan: 'business',
        verification: 'always-code',
        contacts: { phone: c.contact, email: c.email },
        people: [{ name: `Owner ${i}`, phone: c.contact, role: 'admin' }],
      })),
    ],
    agents: { line: AGENTS_LINE, people: agents.map((a, i) => ({ id: a.id, name: `Agent ${i}`, pin: a.pin, languages: ['en-US'], services: ['technical'] })) },
  };
  return { data: data as unknown as SupportData, registered, coded, agents };
}

/**
 * A caller who answers each prompt by what it asks (as the conformance responder does): extension 2, the
 * account number, the text-message channel, the code (looked up when asked), and a priority.
 */
export function callerKeys(goal: { account?: string; channel?: '1' | '2'; code?: () => string | Promise<string>; priority?: string }): Keys {
  return async (prompt) => {
    const p = prompt.toLowerCase();
    if (/priority/.test(p)) return goal.priority ?? '3';
    if (/text message/.test(p) && /press 1/.test(p)) return goal.channel ?? '1';
    if (/6 digit code/.test(p)) return goal.code ? `${await goal.code()}#` : null;
    if (/account number/.test(p)) return goal.account ? `${goal.account}#` : null;
    if (/technical support, press 2/.test(p)) return '2';
    return null;
  };
}

/** An agent: the id, then the PIN, then "1" for the next caller. */
export function agentKeys(id: string, pin: string): Keys {
  return (prompt) => {
    const p = prompt.toLowerCase();
    if (/agent id/.test(p)) return `${id}#`;
    if (/\bpin\b/.test(p)) return `${pin}#`;
    if (/press 1/.test(p)) return '1';
    return null;
  };
}

/**
 * A waiting P2 ticket of the demo line, opened at `createdAt` with its first response due 4 hours later;
 * the test names the rest it cares about.
 */
export function ticketFixture(over: Partial<Ticket> & Pick<Ticket, 'number' | 'callSid' | 'createdAt'>): Ticket {
  return {
    org: 'contoso',
    orgName: 'Contoso',
    plan: 'business',
    service: 'technical',
    priority: 'P2',
    priorityRank: 1,
    status: 'waiting',
    line: LINE,
    language: 'en-US',
    country: 'US',
    verifiedBy: 'caller-id',
    caller: '+48601234567',
    firstResponseDue: new Date(Date.parse(over.createdAt) + 4 * 3_600_000).toISOString(),
    priorityQueue: false,
    tier: 1,
    ...over,
  };
}

/** A Twilio CallSid: `CA` and 32 hex digits, random. */
export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/** A caller's call on the demo line, at the menu (step 1), created at `createdAtMs`; the test names the rest. */
export function callStateFixture(createdAtMs: number, over: Partial<CallState> = {}): CallState {
  return {
    callSid: newCallSid(),
    kind: 'caller',
    from: '+48601234567',
    line: LINE,
    country: 'US',
    language: 'en-US',
    createdAt: new Date(createdAtMs).toISOString(),
    n: 1,
    expect: 'menu',
    tries: 0,
    ...over,
  };
}
