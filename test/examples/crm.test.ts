/**
 * Example 6, the CRM suite (examples/crm.json), end to end through the server `npm start` runs: first-line specialists
 * (tier 1) who escalate to engineers (tier 2) through the ticket API, a plan with direct access to the
 * engineers, status changes told to the organization's contact, and a caller barred for abuse. The file's
 * bars are real dates; this test's copy sets them around "now" (one ending in three days, one that ended
 * yesterday), so the test means the same on any day.
 */
import { digitGroups } from '../../functions/domain/agent-life.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTakesNext, englishCaller, loadExample, spoken, startExample, type ExampleLine } from './support/example-line.js';

const LINE = '+14155550150';
const AGENTS = '+14155550159';
const ADA = '+16505550101'; // Acme (premier): admin, and the organization's contact phone
const VIC = '+16505550102'; // Acme: barred for abuse
const REX = '+16505550103'; // Acme: his bar has ended
const BILL = '+16505550121'; // Initech (signature: straight to the engineers), STIR/SHAKEN
const GAVIN = '+16505550131'; // Hooli (standard: no phone support)
const ATTESTED = { StirVerstat: 'TN-Validation-Passed-A' };

const now = Date.now();
const barEnds = new Date(now + 3 * 86_400_000);
const data = loadExample('crm');
const acme = data.organizations.find((o) => o.id === 'acme')!;
acme.people.find((p) => p.phone === VIC)!.barredUntil = barEnds.toISOString();
acme.people.find((p) => p.phone === REX)!.barredUntil = new Date(now - 86_400_000).toISOString();
const zone = data.lines[0]!.timezone;

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

describe('CRM suite: callers barred for abuse', () => {
  it('a barred caller is told so, until when, and is not queued', async () => {
    const mark = line.outboxMessages().length;
    const r = await line.phone(VIC, LINE).call(englishCaller({ priority: '1' }));
    expect(r.transcript()).toMatch(/Phone support is not available to this caller until/);
    // The end of the bar, with its date (a bar may last months): weekday, day, month and year in the line's zone.
    const parts = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { ...o, timeZone: zone }).format(barEnds);
    for (const part of [parts({ weekday: 'long' }), parts({ month: 'long' }), parts({ year: 'numeric' })]) expect(r.transcript()).toContain(part);
    expect(r.prompts.some((p) => /priority/.test(p))).toBe(false);
    expect(r.endedBy).toBe('hangup');
    expect(r.enqueued).toBeUndefined();
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
    expect(line.sentSince(mark)).toHaveLength(0);
  });

  it('the bar is for a set time: once it has ended the caller is served again', async () => {
    const r = await line.phone(REX, LINE).call(englishCaller({ priority: '4' }));
    expect(r.transcript()).not.toMatch(/not available/);
    expect(await line.ticketOf(r.callSid)).toMatchObject({ status: 'waiting', priority: 'P4', org: 'acme' });
  });

  it('a plan without phone support is pointed to the website', async () => {
    const r = await line.phone(GAVIN, LINE).call(englishCaller({ priority: '1' }));
    expect(r.transcript()).toMatch(/does not include phone support/);
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });
});

describe('CRM suite: first line, engineers, and the contact kept informed', () => {
  it('a plan with direct access to the engineers skips the first line: tier 2', async () => {
    const r = await line.phone(BILL, LINE, ATTESTED).call(englishCaller({ priority: '3' }));
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ tier: 2, plan: 'signature', priority: 'P3', priorityQueue: true, status: 'waiting' });
    expect(r.enqueued?.queue).toContain('.t2.');
    expect(r.enqueued?.queue).toBe('technical.en-US.t2.r2.pq');
  });

  it('every other caller reaches the first line; a specialist escalates to the engineers; the contact hears of each status change', async () => {
    const mark = line.outboxMessages().length;
    const r = await line.phone(ADA, LINE).call(englishCaller({ priority: '1' }));
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ tier: 1, plan: 'premier', priority: 'P1', status: 'waiting' });
    expect(r.enqueued?.queue).toBe('technical.en-US.t1.r0.std');
    // The contact is told the ticket number.
    expect(line.sentSince(mark).some((m) => m.to === ADA && m.body.includes(`Support ticket ${t.number}`))).toBe(true);

    // The first-line specialist escalates (through the ticket API): tier 2, still waiting, same promise.
    const escalated = await line.post(`/api/tickets/${t.number}/escalate`);
    expect(escalated.status).toBe(200);
    expect(escalated.json).toMatchObject({ number: t.number, tier: 2, status: 'waiting', firstResponseDue: t.firstResponseDue });
    expect((await line.api(`/api/tickets/${t.number}`)).json.tier).toBe(2);

    // First-line specialists no longer get it (Gus may take another first-line caller, never this one).
    const gus = await agentTakesNext(line, AGENTS, '6002', '3344');
    expect(gus.transcript()).not.toContain(spoken(t.number));
    // The engineer gets it first: a P1 outranks the direct-access P3 waiting among the engineers.
    const beforeTaken = line.outboxMessages().length;
    const eli = await agentTakesNext(line, AGENTS, '6101', '5566');
    expect(eli.transcript()).toContain(`P1, Acme Corporation, premier plan, caller ID. Ticket ${digitGroups(t.number)}.`); // issue 13: the short whisper;
    expect((await line.api(`/api/tickets/${t.number}`)).json).toMatchObject({ status: 'in-progress', agent: '6101', tier: 2 });
    // The status change is told to the organization's contact.
    expect(
      line
        .sentSince(beforeTaken)
        .filter((m) => m.to === ADA)
        .map((m) => m.body),
    ).toContainEqual(expect.stringMatching(new RegExp(`${t.number} .*is now with an agent`)));
  });

  it('a caller who hangs up while waiting leaves an abandoned ticket, and the contact is told', async () => {
    const phone = line.phone(ADA, LINE);
    const r = await phone.call(englishCaller({ priority: '2' }));
    const t = await line.ticketOf(r.callSid);
    expect(t.status).toBe('waiting');
    const mark = line.outboxMessages().length;
    expect((await phone.hangup()).status).toBe(200);
    expect((await line.api(`/api/tickets/${t.number}`)).json).toMatchObject({ status: 'abandoned' });
    expect(
      line
        .sentSince(mark)
        .filter((m) => m.to === ADA)
        .map((m) => m.body),
    ).toEqual([expect.stringMatching(new RegExp(`${t.number} .*was left before an agent answered`))]);
  });

  it('an unknown ticket cannot be escalated (the route is served by npm start)', async () => {
    expect((await line.post('/api/tickets/9999999/escalate')).status).toBe(404);
  });
});
