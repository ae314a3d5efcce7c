/**
 * End to end, as a newcomer would try it: the server `npm start` runs, with a data file of its own (started
 * in this process: the command itself is test/local/npm-start.test.ts's subject), the terminal phone
 * placing signed calls, the outbox file for codes and confirmations, and the ticket API. Issues 2, 3, 4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phone, type KeysFunction } from '../../local/phone.js';
import { startInProcess, type StartedLine } from './support/npm-start.js';
import { p1p4 } from '../support/fixtures.js';

/** Contract v2 §2.6/§2.10: a 7-digit ticket number is read once, in two short groups (3 then 4 digits). */
const _grouped = (n: unknown): string => {
  const s = String(n);
  if (!/^\d{7}$/.test(s)) throw new Error(`expected a 7-digit ticket number, got ${s}`);
  return `${s.slice(0, 3).split('').join(' ')}, ${s.slice(3).split('').join(' ')}`;
};

const LINE = '+13125550100';
const PL_LINE = '+48221234567';
const AGENTS = '+13125550199';
const ADA = '+13125550111'; // contoso admin, business plan, caller-id
const MEL = '+13125550112'; // contoso member: business plan serves admins only
const BOB = '+13125550113'; // basicco admin, basic plan
const STRANGER = '+447700900555';
const ZED = '+13125550114'; // contoso admin: the v2 keys (*, 0, silence, the open ticket)
const DUO = '+13125550115'; // registered in Contoso and in Fabrikam
const WAL = '+13125550116'; // contoso admin: waiting, the callback key, a full queue
const KIM = '+13125550117'; // contoso admin: the open ticket (3 new tickets an hour per number, so apart from ZED)

/** Today and tomorrow in the line's zone, as holidays: the licensing desk is closed whenever the test runs. */
function localDates(): string[] {
  const f = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return [f(new Date()), f(new Date(Date.now() + 86_400_000))];
}

const data = {
  lines: [
    {
      number: LINE,
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/Chicago',
      extensions: { '2': 'technical', '3': 'billing', '4': 'licensing' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
    { number: PL_LINE, countries: ['PL'], language: 'pl-PL', timezone: 'Europe/Warsaw', defaultService: 'technical', scheme: 'p1-p4' },
  ],
  services: {
    technical: { hours: '24/7' },
    billing: { hours: '24/7', maxPriority: 'P2' },
    licensing: { hours: { 'mon-sun': ['00:00', '24:00'] } },
  },
  holidays: { US: localDates() },
  schemes: { 'p1-p4': p1p4() },
  plans: {
    basic: { phoneSupport: false },
    business: { phoneSupport: true, services: ['technical', 'billing', 'licensing'], roles: ['admin'] },
  },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: ADA, email: 'it@contoso.example' },
      people: [
        { name: 'Ada', phone: ADA, role: 'admin' },
        { name: 'Mel', phone: MEL, role: 'member' },
        { name: 'Zed', phone: ZED, role: 'admin' },
        { name: 'Duo', phone: DUO, role: 'admin' },
        { name: 'Wal', phone: WAL, role: 'admin' },
        { name: 'Kim', phone: KIM, role: 'admin' },
      ],
    },
    {
      id: 'fabrikam',
      name: 'Fabrikam',
      account: '40077777',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+13125550170' },
      people: [{ name: 'Duo', phone: DUO, role: 'admin' }],
    },
    {
      id: 'basicco',
      name: 'Basic Co',
      account: '40099999',
      plan: 'basic',
      verification: 'caller-id',
      contacts: { email: 'it@basic.example' },
      people: [{ name: 'Bob', phone: BOB, role: 'admin' }],
    },
  ],
  agents: { line: AGENTS, people: [{ id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical', 'billing'] }] },
};

let line: StartedLine;
beforeAll(async () => {
  line = await startInProcess(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

const phone = (from: string, to = LINE) => new Phone({ baseUrl: line.base, authToken: line.authToken, from, to });

async function ticketsOf(callSid: string) {
  const r = await line.api('/api/tickets');
  expect(r.status).toBe(200);
  return (r.json.tickets as Array<Record<string, string>>).filter((t) => t.callSid === callSid);
}

/** Answers prompts by what they ask, like a caller: the code is read from the outbox when asked for. */
function caller(answers: {
  menu?: string;
  account?: string;
  channel?: string;
  priority?: string;
  code?: () => string | null;
  callback?: string;
  wait?: string;
}): KeysFunction {
  return (prompt) => {
    const p = prompt.toLowerCase();
    if (/verification code by text message/.test(p)) return answers.channel ?? '1';
    if (/6 digit code/.test(p)) return answers.code ? answers.code() : null;
    if (/account number/.test(p)) return answers.account ?? null;
    if (/call you back/.test(p)) return answers.callback ?? null;
    if (/keep your place/.test(p)) return answers.wait ?? null;
    if (/priority/.test(p)) return answers.priority ?? null;
    if (/press/.test(p)) return answers.menu ?? null;
    return null;
  };
}

function latestCode(to: string, since: number): string | null {
  const msgs = line
    .outboxMessages()
    .slice(since)
    .filter((m) => m.to === to);
  const m = msgs
    .reverse()
    .map((x) => /\b(\d{6})\b/.exec(x.body))
    .find(Boolean);
  return m ? m[1]! : null;
}

describe('a caller reaches the right line and service', () => {
  it('an unknown dialed number gets a spoken apology and a hang-up, no menu', async () => {
    const r = await phone(ADA, '+13125550777').call([]);
    expect(r.transcript()).toMatch(/does not reach our support line/);
    expect(r.endedBy).toBe('hangup');
    expect(r.prompts).toHaveLength(0);
  });

  it('a Polish line greets and asks in Polish', async () => {
    const r = await phone(STRANGER, PL_LINE).call([null, null, null]);
    expect(r.heard[0]).toMatch(/Dziękujemy/);
    expect(r.prompts[0]).toMatch(/numer konta/);
    expect(r.events[0]!.body).toContain('language="pl-PL"');
  });
});

describe('registered callers open prioritized tickets', () => {
  it('a registered admin presses 2 then 1: a P1 ticket with a one-hour first response, in the API and the outbox', async () => {
    const before = line.outboxMessages().length;
    const p = phone(ADA);
    const r = await p.call(['2', '1']);
    expect(r.enqueued?.queue).toMatch(/^technical\.en-US\./);
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({
      priority: 'P1',
      status: 'waiting',
      service: 'technical',
      verifiedBy: 'caller-id',
      org: 'contoso',
      line: LINE,
      language: 'en-US',
    });
    // The caller hangs up while waiting: the ticket is abandoned, so the next call from ADA is not offered it (§2.8 v2).
    await p.hangup();
    expect(Date.parse(t!.firstResponseDue!) - Date.parse(t!.createdAt!)).toBe(3_600_000);
    expect(Date.parse(t!.restoreDue!) - Date.parse(t!.createdAt!)).toBe(4 * 3_600_000);
    // v2 §2.6: the number once, in short groups ("1 0 0, 0 0 0 1"), with the level; details by text.
    expect(r.transcript()).toContain(`Your ticket number is ${t!.number!.slice(0, 3).split('').join(' ')}, ${t!.number!.slice(3).split('').join(' ')}, P1.`);
    const sent = line.outboxMessages().slice(before);
    expect(sent.some((m) => m.channel === 'sms' && m.to === ADA && m.body.includes(t!.number!) && m.body.includes('P1'))).toBe(true);
    expect(sent.some((m) => m.channel === 'page' && (m.body.includes(t!.number!) || String(m.subject).includes(t!.number!)))).toBe(true);
    const one = await line.api(`/api/tickets/${t!.number}`);
    expect(one.status).toBe(200);
    expect(one.json.number).toBe(t!.number);
  });

  it('a billing P1 becomes P2 and the caller is told why', async () => {
    const p = phone(ADA);
    const r = await p.call(['3', '1']);
    await p.hangup();
    const [t] = await ticketsOf(r.callSid);
    expect(t?.priority).toBe('P2');
    expect(r.transcript()).toMatch(/Billing issues are handled at most as P2/);
  });

  it('a basic-plan admin hears the web support pointer and gets no ticket', async () => {
    const r = await phone(BOB).call(['2', '1']);
    expect(r.transcript()).toMatch(/does not include phone support/);
    expect(r.endedBy).toBe('hangup');
    expect(await ticketsOf(r.callSid)).toHaveLength(0);
  });

  it('a member of a plan for admins only is refused politely, no ticket', async () => {
    const r = await phone(MEL).call(['2', '1']);
    expect(r.transcript()).toMatch(/available to its administrators/);
    expect(await ticketsOf(r.callSid)).toHaveLength(0);
  });

  it('outside hours the caller hears the hours and leaves a callback ticket with 1', async () => {
    const r = await phone(ADA).call(caller({ menu: '4', callback: '1' }));
    expect(r.transcript()).toMatch(/We are closed right now/);
    expect(r.transcript()).toMatch(/public holiday/);
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({ status: 'callback', service: 'licensing' });
    expect(r.enqueued).toBeUndefined();
  });
});

describe('callers who are not registered are verified by a code', () => {
  it('an unregistered caller enters the account number, reads the code from the outbox and is verified', async () => {
    const since = line.outboxMessages().length;
    const r = await phone(STRANGER).call(caller({ menu: '2', account: '40012345#', channel: '1', priority: '4', code: () => `${latestCode(ADA, since)}#` }));
    expect(r.transcript()).toMatch(/phone ending in 11/);
    expect(r.transcript()).toMatch(/i…@contoso\.example/);
    expect(r.transcript()).toMatch(/you are verified/);
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({ verifiedBy: 'code', priority: 'P4', org: 'contoso', status: 'waiting' });
    // The code went only to the registered phone, never to the caller.
    expect(
      line
        .outboxMessages()
        .slice(since)
        .some((m) => m.to === STRANGER),
    ).toBe(false);
    const audit = await line.api('/api/orgs/contoso/verifications');
    expect(audit.json.verifications.some((e: { caller: string; result: string }) => e.caller === STRANGER && e.result === 'verified')).toBe(true);
    expect(JSON.stringify(audit.json)).not.toMatch(/\b\d{6}\b/);
  });

  it('a wrong code five times ends the call without verification and without a ticket', async () => {
    const since = line.outboxMessages().length;
    const wrong = () => {
      const real = latestCode(ADA, since);
      return `${real === '000000' ? '111111' : '000000'}#`;
    };
    const r = await phone(STRANGER).call(caller({ menu: '2', account: '40012345#', channel: '1', priority: '1', code: wrong }));
    expect(r.transcript().match(/That code is not correct/g)).toHaveLength(4);
    expect(r.transcript()).toMatch(/can no longer be used/);
    expect(r.endedBy).toBe('hangup');
    expect(await ticketsOf(r.callSid)).toHaveLength(0);
  });

  it('three unknown account numbers end the call politely', async () => {
    const r = await phone(STRANGER).call(caller({ menu: '2', account: '999999#' }));
    expect(r.transcript().match(/could not find that account number/g)?.length).toBe(3);
    expect(r.transcript()).toMatch(/call again/);
    expect(await ticketsOf(r.callSid)).toHaveLength(0);
  });
});

describe('keys at every menu, and the open ticket first (contract §2.7, §2.8 v2)', () => {
  it('* repeats the menu and the priority prompt without using a try; 0 opens a lowest-priority ticket and queues', async () => {
    const p = phone(ZED);
    const r = await p.call(['*', '*', '*', '2', '*', '0']);
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({ priority: 'P4', status: 'waiting', service: 'technical' });
    expect(r.heard.filter((s) => s === 'For technical support, press 2.')).toHaveLength(4);
    expect(r.heard.filter((s) => s === 'Choose a priority.')).toHaveLength(2);
    expect(r.transcript()).toContain('Your ticket is P4.');
    expect(r.enqueued).toBeDefined();
    await p.hangup();
  });

  it('silence through every try after identification queues at the lowest priority, never hangs up', async () => {
    const p = phone(ZED);
    const r = await p.call(['2', null, null, null]);
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({ priority: 'P4', status: 'waiting' });
    expect(r.endedBy).toBe('enqueue');
    await p.hangup();
  });

  it('an open ticket from the same number is offered first: 1 waits for it (no new ticket), 2 opens a new one', async () => {
    const first = await phone(KIM).call(['2', '3']);
    const [open] = await ticketsOf(first.callSid);
    expect(open).toMatchObject({ status: 'waiting', priority: 'P3' });
    const grouped = `${open!.number!.slice(0, 3).split('').join(' ')}, ${open!.number!.slice(3).split('').join(' ')}`;
    const again = await phone(KIM).call(['2', '1']);
    expect(again.transcript()).toContain(`You have an open ticket, number ${grouped}.`);
    expect(again.transcript()).toContain(`We will connect you about ticket ${grouped}. Please hold.`);
    expect(again.enqueued).toBeDefined();
    expect(await ticketsOf(again.callSid)).toEqual([expect.objectContaining({ number: open!.number, status: 'waiting' })]);
    const fresh = phone(KIM);
    const other = await fresh.call(['2', '2', '4']);
    const [t] = await ticketsOf(other.callSid);
    expect(t).toMatchObject({ priority: 'P4', status: 'waiting' });
    expect(t!.number).not.toBe(open!.number);
    await fresh.hangup();
  });

  it('a person registered in two organizations is asked which one by name', async () => {
    const p = phone(DUO);
    const r = await p.call(['2', '2', '4']);
    expect(r.transcript()).toContain('Which organization are you calling for? | For Contoso, press 1. | For Fabrikam, press 2.');
    expect(r.transcript()).toContain('Hello Duo from Fabrikam.');
    const [t] = await ticketsOf(r.callSid);
    expect(t).toMatchObject({ org: 'fabrikam', priority: 'P4', verifiedBy: 'caller-id' });
    await p.hangup();
  });
});

describe('waiting (contract §2.9 v2)', () => {
  it('the waiting caller hears an honest position, then 1 leaves a callback that keeps the place', async () => {
    const r = await phone(WAL).call(caller({ menu: '2', priority: '2', wait: '1' }));
    const [t] = await ticketsOf(r.callSid);
    expect(r.enqueued?.waitHeard[0]).toMatch(/^You are (next|number \d+) in line\.$/);
    expect(r.transcript()).toContain(`We will call you back about ticket ${t!.number!.slice(0, 3).split('').join(' ')}`);
    expect(r.endedBy).toBe('hangup');
    expect(t).toMatchObject({ status: 'callback', priority: 'P2' });
    const one = await line.api(`/api/tickets/${t!.number}`);
    expect(one.json.createdAt).toBe(t!.createdAt);
  });

  it('a full queue is announced before the hang-up and the ticket kept as a callback, no second ticket', async () => {
    const p = new Phone({ baseUrl: line.base, authToken: line.authToken, from: WAL, to: LINE, queueFull: true });
    const r = await p.call(caller({ menu: '2', priority: '3' }));
    expect(r.transcript()).toMatch(/All our lines are full right now\. Ticket [\d ,]+ keeps its place and we will call you back\. Goodbye\./);
    expect(r.endedBy).toBe('hangup');
    expect(await ticketsOf(r.callSid)).toEqual([expect.objectContaining({ status: 'callback', priority: 'P3' })]);
  });
});
