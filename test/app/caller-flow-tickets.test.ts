/**
 * Contract §2.4 to §2.6 through the real webhook stack: entitlement, opening hours and callback tickets,
 * priority caps and fair use, the ticket read out and stored, the confirmation (SNS/SES mocked at the
 * client), and the queue: plain Twilio <Enqueue> or TaskRouter.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { childElements, textOf } from '../../local/twiml-parse.js';
import { ticketDigits } from '../../functions/domain/speech/format.js';

/** The ticket number as an English line reads it: once, in short groups ("1 0 0, 0 0 4 2"). */
const inGroups = (n: string): string => ticketDigits('en-US', n);
import {
  BASE_URL,
  SES_FROM,
  WEDNESDAY_11_NY,
  startHarness,
  stepOf,
  type Answer,
  type Harness,
  type HarnessOptions,
  type TestCall,
} from '../support/voice-harness.js';
import { ACCOUNTS, LINES, PHONES, lineData } from '../support/line-data.js';

let h: Harness;
async function harness(o: Omit<HarnessOptions, 'dynamo' | 'dynamodb'> = {}): Promise<Harness> {
  await h?.stop();
  h = await startHarness(o);
  return h;
}
beforeEach(async () => {
  await harness();
});
afterEach(async () => {
  await h.stop();
});

/** Sunday 2026-05-17 11:00 in New York: billing (Mon–Fri 9–17) is closed, technical (24/7) open. */
const SUNDAY_11_NY = Date.parse('2026-05-17T15:00:00Z');

async function menu(call: TestCall, digit: string): Promise<Answer> {
  await call.start();
  return call.press(digit);
}

// v2 §2.6: the ticket number is read once, in short groups ("1 0 0, 0 0 4 2").
const spelled = (n: unknown) => inGroups(String(n));

/**
 * The caller hangs up (what the status callback does to a waiting ticket): without this, the same caller's
 * next call would first be offered this still-open ticket (contract §2.8 v2).
 */
async function hangUp(call: TestCall): Promise<void> {
  const number = (await h.deps.calls.get(call.callSid))?.ticketNumber;
  if (number) await h.deps.tickets.transition(number, 'abandoned', { abandonedAt: new Date(h.clock.now).toISOString() }, ['waiting']);
}

async function onlyTicket() {
  const tickets = await h.tickets();
  expect(tickets).toHaveLength(1);
  return (await h.deps.tickets.get(String(tickets[0]!.number)))!;
}

describe('entitlement', () => {
  it('a basic plan gets a pointer to web support and a hang-up, no ticket and no priority prompt', async () => {
    const a = await menu(h.call(PHONES.bob, LINES.us), '2');
    expect(a.verbs).toEqual(['Say', 'Say', 'Hangup']);
    expect(a.says).toEqual(['Hello Bob from Basic Co.', 'Your plan does not include phone support. Please open a request on our support website. Goodbye.']);
    expect(await h.tickets()).toEqual([]);
    expect(h.delivered).toEqual([]);
  });

  it('a member on a business plan (admins only) is refused by role', async () => {
    const a = await menu(h.call(PHONES.mel, LINES.us), '2');
    expect(a.verbs).toEqual(['Say', 'Say', 'Hangup']);
    expect(a.says).toEqual([
      'Hello Mel from Contoso.',
      'Phone support for your organization is available to its administrators. Please ask an administrator to call us, or open a request on our support website. Goodbye.',
    ]);
    expect(await h.tickets()).toEqual([]);
  });

  it('a member verified by code speaks for the organization as an admin', async () => {
    const data = lineData();
    data.organizations[0]!.verification = 'always-code';
    await harness({ data });
    const call = h.call(PHONES.mel, LINES.us);
    await menu(call, '2');
    await call.press('1');
    const a = await call.press(h.lastCode());
    expect(a.says[0]).toBe('Thank you, you are verified.');
    expect(stepOf(a)).toEqual({ step: 'priority', s: 4 });
    await call.press('3');
    expect(await onlyTicket()).toMatchObject({ verifiedBy: 'code', callerName: 'Mel', priority: 'P3' });
  });

  it('a service the plan does not include is refused, naming it', async () => {
    const a = await menu(h.call(PHONES.ted, LINES.us), '3');
    expect(a.says).toEqual([
      'Hello Ted from Techonly.',
      'Your plan does not include phone support for billing. Please open a request on our support website. Goodbye.',
    ]);
    expect(a.hangup).toBe(true);
    const licensing = await menu(h.call(PHONES.bob, LINES.us), '4');
    // Basic has no phone support at all: that reason comes first.
    expect(licensing.says[1]).toBe('Your plan does not include phone support. Please open a request on our support website. Goodbye.');
    expect(await h.tickets()).toEqual([]);
  });

  it('a barred organization is told until when and not queued', async () => {
    const data = lineData();
    data.organizations[0]!.barredUntil = '2026-06-01T12:00:00Z';
    await harness({ data });
    const a = await menu(h.call(PHONES.ada, LINES.us), '2');
    expect(a.says[0]).toBe('Hello Ada from Contoso.');
    // When, in the line's zone (08:00 in New York), with the weekday and date, in US English (contract v2 §2.10: 12-hour clock).
    expect(a.says[1]).toBe('Phone support is not available to this caller until Monday, June 1, 2026 at 8:00 AM. Goodbye.');
    expect(a.says).toHaveLength(2);
    expect(a.hangup).toBe(true);
  });
});

describe('opening hours', () => {
  beforeEach(() => {
    h.clock.now = SUNDAY_11_NY;
  });

  it('outside hours the caller hears the hours and "1" leaves a callback ticket (status callback), not queued', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    let a = await menu(call, '3');
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: what is said before a prompt is inside its Gather
    expect(a.says).toEqual([
      'Hello Ada from Contoso.',
      // Contract v2 §2.10: times as said in the line's language (en-US: 12-hour).
      'Billing is open Monday to Friday, 9:00 AM to 5:00 PM. We are closed right now.',
      'To leave a request for us to call you back, press 1. Otherwise, hang up.',
    ]);
    expect(stepOf(a)).toEqual({ step: 'callback', s: 2 });
    expect(a.gather!.attrs.numDigits).toBe('1');
    a = await call.press('1');
    const ticket = await onlyTicket();
    expect(ticket).toMatchObject({ status: 'callback', service: 'billing', org: 'contoso', priority: 'P4', createdAt: new Date(SUNDAY_11_NY).toISOString() });
    expect(ticket.queue).toBeUndefined();
    expect(a.verbs).toEqual(['Say', 'Say', 'Say', 'Say', 'Say', 'Hangup']);
    expect(a.says).toEqual([
      `Your ticket number is ${spelled(ticket.number)}.`,
      'Priority P4. We will respond by tomorrow at 11:00 AM Eastern Time.',
      'We sent a confirmation to your organization.',
      'We will call you back when we open.',
      'Goodbye.',
    ]);
    expect(a.enqueue).toBeUndefined();
    expect(await h.deps.tickets.waiting('billing', 'en-US', 1)).toEqual([]);
    expect(h.texts()).toEqual([
      {
        to: '+48601234567',
        body: `Support ticket ${ticket.number} (P4, billing) was opened by phone for Contoso. We will call back; first response due tomorrow at 11:00 AM Eastern Time.`,
      },
    ]);
  });

  // v2 §2.7: an identified caller who stays silent through every try is not hung up on: a callback ticket (the service is closed).
  it('silence at the callback prompt is asked again; after every try a callback ticket is left; a wrong key is re-asked', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '3');
    let a = await call.press('5');
    expect(a.says).toEqual(['Sorry, that is not one of the options.', 'To leave a request for us to call you back, press 1. Otherwise, hang up.']);
    a = await call.silence();
    expect(a.says).toEqual(['To leave a request for us to call you back, press 1. Otherwise, hang up.']);
    expect(await h.tickets()).toEqual([]);
    a = await call.silence();
    expect(a.says.slice(-2)).toEqual(['We will call you back when we open.', 'Goodbye.']);
    expect(a.hangup).toBe(true);
    expect(await onlyTicket()).toMatchObject({ status: 'callback', priority: 'P4', service: 'billing' });
  });

  it('a 24/7 service is open on Sunday: straight to the priority prompt, no callback offer; a forged callback request opens nothing', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    const a = await menu(call, '2');
    expect(stepOf(a)).toEqual({ step: 'priority', s: 2 });
    expect(a.xml).not.toContain('call you back');
    for (const url of ['/twilio/call/callback?s=2', '/twilio/call/callback?s=3']) {
      const forged = await call.postTo(url, { Digits: '1' });
      expect(forged.xml).toBe(a.xml);
    }
    expect(await h.tickets()).toEqual([]);
  });

  it('a level answered around the clock is offered while closed, and the re-ask still names it', async () => {
    const data = lineData();
    data.schemes['a-c'] = [
      { id: 'A', firstResponse: 'PT1H', hours: '24/7' },
      { id: 'B', firstResponse: 'PT4H' },
      { id: 'C', firstResponse: 'P1D' },
    ];
    data.lines[0]!.scheme = 'a-c';
    delete data.services.billing!.maxPriority;
    delete data.plans.limited!.maxPriority;
    await harness({ data, now: SUNDAY_11_NY });
    const call = h.call(PHONES.ada, LINES.us);
    let a = await menu(call, '3');
    expect(a.says.at(-1)).toBe('To leave a request for us to call you back, press 1. If your issue is A, press 2.');
    a = await call.press('7');
    expect(a.says).toEqual(['Sorry, that is not one of the options.', 'To leave a request for us to call you back, press 1. If your issue is A, press 2.']);
    a = await call.press('2');
    expect(a.says).toEqual(['Choose a priority.', 'Down for many users, press 1.']);
    a = await call.press('2'); // B is not answered now
    expect(a.says[0]).toBe('Sorry, that is not one of the choices.');
    a = await call.press('1');
    expect(a.enqueue).toBeDefined();
    expect(await onlyTicket()).toMatchObject({ priority: 'A', status: 'waiting', service: 'billing' });
  });
});

describe('priority', () => {
  // v2 §2.6: the number read once in groups with the level; the due time and the rest go in the confirmation text.
  it('a registered admin: priority, the ticket number read once in groups, the details by text, and the queue', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '2');
    const a = await call.press('1');
    const ticket = await onlyTicket();
    expect(ticket.number).toMatch(/^\d{7}$/);
    expect(a.verbs).toEqual(['Say', 'Enqueue']);
    expect(a.says).toEqual([`Your ticket number is ${spelled(ticket.number)}, P1. Details follow by text. Please hold.`]);
    expect(spelled('1000042')).toBe('1 0 0, 0 0 4 2');
    const q = `t=${ticket.number}&lang=en-US`;
    expect(a.enqueue!.attrs).toEqual({
      waitUrl: `${BASE_URL}/twilio/call/wait?${q}`,
      waitUrlMethod: 'POST',
      action: `${BASE_URL}/twilio/call/queue-result?${q}`,
      method: 'POST',
    });
    expect(textOf(a.enqueue!)).toBe('technical.en-US.t1.r0.std');
    expect(ticket).toEqual({
      number: ticket.number,
      org: 'contoso',
      orgName: 'Contoso',
      plan: 'business',
      service: 'technical',
      priority: 'P1',
      priorityRank: 0,
      status: 'waiting',
      line: LINES.us,
      language: 'en-US',
      country: 'US',
      verifiedBy: 'caller-id',
      caller: PHONES.ada,
      callerName: 'Ada',
      createdAt: '2026-05-13T15:00:00.000Z',
      firstResponseDue: '2026-05-13T16:00:00.000Z',
      restoreDue: '2026-05-13T19:00:00.000Z',
      callSid: call.callSid,
      priorityQueue: false,
      tier: 1,
      queue: 'technical.en-US.t1.r0.std',
    });
    expect(h.sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        PhoneNumber: '+48601234567',
        Message: `Support ticket ${ticket.number} (P1, technical support) was opened by phone for Contoso. First response due today at 12:00 PM Eastern Time.`,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
    ]);
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ ticketNumber: ticket.number, expect: 'done' });
  });

  // v2 §2.7: `0` and `*` are keys of every menu now, and an identified caller is queued at the lowest level after three misses.
  it('keys outside the scheme are re-asked; three misses queue the caller at the lowest priority', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '2');
    let a = await call.press('5');
    expect(a.says.slice(0, 2)).toEqual(['Sorry, that is not one of the choices.', 'Choose a priority.']);
    expect(stepOf(a)).toEqual({ step: 'priority', s: 3 });
    a = await call.press('9');
    expect(a.says[0]).toBe('Sorry, that is not one of the choices.');
    expect(await h.tickets()).toEqual([]);
    a = await call.press('#');
    expect(a.says.slice(0, 2)).toEqual(['Sorry, that is not one of the choices.', 'Your ticket is P4.']);
    expect(a.enqueue).toBeDefined();
    expect(await onlyTicket()).toMatchObject({ priority: 'P4', status: 'waiting' });
  });

  it('billing P1 becomes P2, and the caller hears why', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '3');
    const a = await call.press('1');
    expect(a.says[0]).toBe('Billing issues are handled at most as P2, so your ticket is P2.');
    const ticket = await onlyTicket();
    expect(ticket).toMatchObject({ priority: 'P2', priorityRank: 1, priorityNote: 'lowered-by-service', firstResponseDue: '2026-05-13T19:00:00.000Z' });
    // v2 §2.6: the due time goes by text, not spoken.
    expect(a.says[1]).toBe(`Your ticket number is ${spelled(ticket.number)}, P2. Details follow by text. Please hold.`);
    // Contract v2 §2.10: the text gives the due time in the line's local time and zone, never an ISO timestamp.
    expect(h.texts()[0]!.body).toContain('First response due today at 3:00 PM Eastern Time.');
  });

  it("a choice above the plan's maximum is lowered to it, and the caller hears why", async () => {
    const call = h.call(PHONES.lim, LINES.us);
    await menu(call, '2');
    let a = await call.press('2');
    expect(a.says[0]).toBe('Your plan includes priority up to P3, so your ticket is P3.');
    expect(await onlyTicket()).toMatchObject({ priority: 'P3', priorityNote: 'lowered-by-plan' });
    await hangUp(call);
    // A choice at or below the cap is kept, with nothing to explain.
    const other = h.call(PHONES.lim, LINES.us);
    await menu(other, '2');
    a = await other.press('4');
    expect(a.says[0]).toMatch(/^Your ticket number is/);
  });

  it('fair use: past the limit of top-priority tickets in 24 hours, the next P1 is lowered a level and the caller told', async () => {
    const first = h.call(PHONES.fay, LINES.us);
    await menu(first, '2');
    expect((await first.press('1')).says[0]).toMatch(/^Your ticket number is/);
    await hangUp(first);
    h.clock.now += 3_600_000;
    const second = h.call(PHONES.fay, LINES.us);
    await menu(second, '2');
    const a = await second.press('1');
    await hangUp(second);
    expect(a.says[0]).toBe('Your organization opened many P1 tickets in the last 24 hours, so this ticket is P2.');
    const tickets = await h.deps.tickets.list({ org: 'fairco' });
    expect(tickets.map((t) => [t.priority, t.priorityNote])).toEqual([
      ['P2', 'lowered-by-fair-use'],
      ['P1', undefined],
    ]);
    // A day after the first, P1 is available again.
    h.clock.now = WEDNESDAY_11_NY + 24 * 3_600_000 + 1;
    const third = h.call(PHONES.fay, LINES.us);
    await menu(third, '2');
    expect((await third.press('1')).says[0]).toMatch(/^Your ticket number is/);
    expect((await h.deps.tickets.list({ org: 'fairco', priority: 'P1' })).length).toBe(2);
  });

  it('the confirmation goes by email to an organization with only an email contact, with exactly this SES command', async () => {
    const call = h.call(PHONES.fay, LINES.us);
    await menu(call, '2');
    await call.press('3');
    const ticket = await onlyTicket();
    expect(h.ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input)).toEqual([
      {
        FromEmailAddress: SES_FROM,
        Destination: { ToAddresses: ['desk@fair.example'] },
        Content: {
          Simple: {
            Subject: { Data: `Support ticket ${ticket.number} (P3)`, Charset: 'UTF-8' },
            Body: {
              Text: {
                Data: `Support ticket ${ticket.number} (P3, technical support) was opened by phone for Fair Co. First response due tomorrow at 11:00 AM Eastern Time.`,
                Charset: 'UTF-8',
              },
            },
          },
        },
      },
    ]);
    expect(h.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('a caller verified by email code gets the confirmation by email too', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await menu(call, '2');
    await call.press(ACCOUNTS.contoso);
    await call.press('2');
    await call.press(h.lastCode());
    await call.press('4');
    const ticket = await onlyTicket();
    expect(ticket).toMatchObject({ verifiedBy: 'code', caller: PHONES.stranger, priority: 'P4' });
    expect(ticket.callerName).toBeUndefined();
    expect(h.emails().map((e) => [e.to, e.subject])).toEqual([
      ['it@contoso.example', 'Your support line verification code'],
      ['it@contoso.example', `Support ticket ${ticket.number} (P4)`],
    ]);
    expect(h.texts()).toEqual([]);
  });

  it('a confirmation that cannot be sent does not cost the caller the ticket or the queue', async () => {
    h.sns.on(PublishCommand).rejects(new Error('SNS down'));
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '2');
    const a = await call.press('2');
    expect(a.enqueue).toBeDefined();
    expect(await onlyTicket()).toMatchObject({ priority: 'P2', status: 'waiting' });
  });

  it('a caller from Canada on the shared US/Canada number is served as Canada; from elsewhere, as the first country', async () => {
    const data = lineData();
    data.organizations[0]!.people.push({ name: 'Cal', phone: '+14165550123', role: 'admin' });
    await harness({ data });
    const ca = h.call('+14165550123', LINES.us);
    await menu(ca, '2');
    await ca.press('4');
    const pl = h.call(PHONES.ada, LINES.us);
    await menu(pl, '2');
    await pl.press('4');
    const byCaller = Object.fromEntries((await h.deps.tickets.list({})).map((t) => [t.caller, t.country]));
    expect(byCaller).toEqual({ '+14165550123': 'CA', [PHONES.ada]: 'US' });
  });

  it('ticket numbers are unique across lines and calls', async () => {
    const numbers: string[] = [];
    for (const [phone, line, digit] of [
      [PHONES.ada, LINES.us, '2'],
      [PHONES.ada, LINES.pl, ''],
      [PHONES.pam, LINES.us, '2'],
    ] as const) {
      const call = h.call(phone, line);
      await call.start();
      if (digit) await call.press(digit);
      await call.press('3');
      numbers.push((await h.deps.calls.get(call.callSid))!.ticketNumber!);
      await hangUp(call);
    }
    expect(new Set(numbers).size).toBe(3);
    expect(numbers.every((n) => /^\d{7}$/.test(n))).toBe(true);
  });
});

describe('TaskRouter', () => {
  const WORKFLOW = `WW${'b'.repeat(32)}`;
  beforeEach(async () => {
    await harness({ env: { TASKROUTER_WORKSPACE_SID: `WS${'a'.repeat(32)}`, TASKROUTER_WORKFLOW_SID: WORKFLOW } });
  });

  it('enqueues with the workflow and a Task carrying the ticket as JSON attributes and its priority', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await menu(call, '2');
    const a = await call.press('1');
    const ticket = await onlyTicket();
    expect(a.enqueue!.attrs).toMatchObject({ workflowSid: WORKFLOW, waitUrl: `${BASE_URL}/twilio/call/wait?t=${ticket.number}&lang=en-US`, method: 'POST' });
    const tasks = childElements(a.enqueue!, 'Task');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.attrs).toEqual({ priority: '100' });
    expect(JSON.parse(textOf(tasks[0]!))).toEqual({
      type: 'support-call',
      ticket: ticket.number,
      priority: 'P1',
      priorityRank: 0,
      service: 'technical',
      language: 'en-US',
      org: 'contoso',
      orgName: 'Contoso',
      plan: 'business',
      priorityQueue: false,
      tier: 1,
      verifiedBy: 'caller-id',
    });
  });

  it('a priority plan goes first within its priority, and a more urgent ticket always outranks it', async () => {
    const pam = h.call(PHONES.pam, LINES.us);
    await menu(pam, '2');
    const p = await pam.press('2');
    const ada = h.call(PHONES.ada, LINES.us);
    await menu(ada, '2');
    const q = await ada.press('2');
    await hangUp(ada);
    const adaP1 = h.call(PHONES.ada, LINES.us);
    await menu(adaP1, '2');
    const r = await adaP1.press('1');
    const prio = (a: Answer) => Number(childElements(a.enqueue!, 'Task')[0]!.attrs.priority);
    expect([prio(r), prio(p), prio(q)]).toEqual([100, 91, 90]);
    expect(JSON.parse(textOf(childElements(p.enqueue!, 'Task')[0]!))).toMatchObject({ priorityQueue: true, plan: 'premier' });
  });
});
