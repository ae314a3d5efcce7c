/**
 * Contract v2 §2.7–2.9 through the real webhooks: `*` repeats every prompt without a try, `0` skips to a
 * lowest-priority ticket, silence after identification queues, the open ticket is offered first, new tickets
 * per calling number are limited, and a waiting caller hears an honest position and may leave a callback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stepOf, relative, type Answer, type Harness, type TestCall } from '../support/voice-harness.js';
import { ACCOUNTS, LINES, PHONES, lineData } from '../support/line-data.js';
import { ticketDigits } from '../../functions/domain/speech/format.js';
import { estimateMinutes, DEFAULT_HOLD_MUSIC } from '../../functions/app/caller-flow/waiting.js';
import { childElements, textOf } from '../../local/twiml-parse.js';

/** The ticket number as an English line reads it: once, in short groups ("1 0 0, 0 0 4 2"). */
const inGroups = (n: string): string => ticketDigits('en-US', n);

// The flows on the in-memory fakes of the ports (test/contract holds them to the DynamoDB adapters).
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const PRIORITY_MENU = [
  'Choose a priority.',
  'Down for many users, press 1.',
  'Critical for one user, press 2.',
  'Broken, with a workaround, press 3.',
  'A question or minor issue, press 4.',
];

async function toPriority(phone: string): Promise<TestCall> {
  const call = h.call(phone, LINES.us);
  await call.start();
  await call.press('2');
  return call;
}

async function queued(phone: string, priority = '1'): Promise<{ call: TestCall; a: Answer; number: string }> {
  const call = await toPriority(phone);
  const a = await call.press(priority);
  expect(a.enqueue, a.xml).toBeDefined();
  return { call, a, number: (await h.deps.calls.get(call.callSid))!.ticketNumber! };
}

const tries = async (call: TestCall) => (await h.deps.calls.get(call.callSid))!.tries;

describe('* repeats the current prompt without using a try (§2.7)', () => {
  it('at the extension menu, the account, the channel, the code and the priority prompts', async () => {
    const stranger = h.call(PHONES.stranger, LINES.us);
    const first = await stranger.start();
    let a = await stranger.press('*');
    expect(a.says).toEqual(first.says.slice(1)); // the menu again, without the greeting
    expect(stepOf(a).step).toBe('menu');
    a = await stranger.press('5'); // one real miss
    expect(await tries(stranger)).toBe(1);
    a = await stranger.press('*');
    expect(await tries(stranger)).toBe(1);
    a = await stranger.press('2');
    expect(stepOf(a).step).toBe('account');
    a = await stranger.press('*');
    expect(a.says).toEqual(["Please enter your organization's account number, then press the pound key."]);
    a = await stranger.press('400*');
    expect(stepOf(a).step).toBe('account');
    expect(await tries(stranger)).toBe(0);
    a = await stranger.press(ACCOUNTS.contoso);
    expect(stepOf(a).step).toBe('channel');
    const channels = a.says;
    a = await stranger.press('*');
    expect(a.says).toEqual(channels);
    a = await stranger.press('1');
    expect(stepOf(a).step).toBe('code');
    expect(a.gather!.attrs).toMatchObject({ numDigits: '6', finishOnKey: '#' });
    a = await stranger.press('*');
    expect(a.says).toEqual(['Please enter the 6 digit code.']);
    expect(await h.deps.codes.get(stranger.callSid)).toMatchObject({ attempts: 0 });
    a = await stranger.press(h.lastCode());
    expect(a.says).toEqual(['Thank you, you are verified.', ...PRIORITY_MENU]);
    a = await stranger.press('*');
    expect(a.says).toEqual(PRIORITY_MENU);
    expect(await h.tickets()).toEqual([]);
  });

  it('a code of 6 digits needs no #, and # still ends a shorter entry', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await call.start();
    await call.press('2');
    await call.press(ACCOUNTS.contoso);
    await call.press('1');
    const a = await call.press(h.lastCode());
    expect(a.says[0]).toBe('Thank you, you are verified.');
  });
});

describe('0 and silence after identification (§2.7)', () => {
  it('0 at the priority menu opens a lowest-priority ticket and queues', async () => {
    const call = await toPriority(PHONES.ada);
    const a = await call.press('0');
    const [t] = await h.tickets();
    expect(t).toMatchObject({ priority: 'P4', status: 'waiting', caller: PHONES.ada });
    expect(a.says).toEqual(['Your ticket is P4.', `Your ticket number is ${inGroups(String(t!.number))}, P4. Details follow by text. Please hold.`]);
    expect(a.enqueue).toBeDefined();
  });

  it('silence through every try at the priority menu queues at the lowest priority, never hangs up', async () => {
    const call = await toPriority(PHONES.ada);
    let a = await call.silence();
    expect(a.says).toEqual(PRIORITY_MENU);
    a = await call.silence();
    expect(await h.tickets()).toEqual([]);
    a = await call.silence();
    expect(a.hangup).toBe(false);
    expect(a.enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(1);
    expect((await h.tickets())[0]).toMatchObject({ priority: 'P4', status: 'waiting' });
  });

  it('0 before identification is only a wrong key: the menu is asked again, no ticket', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await call.start();
    const a = await call.press('0');
    expect(a.says[0]).toBe('Sorry, that is not one of the options.');
    expect(await h.tickets()).toEqual([]);
  });
});

describe('an open ticket first (§2.8)', () => {
  it('a second call from the same number hears the open ticket; 1 waits for it without a new ticket, with its place', async () => {
    const first = await queued(PHONES.ada);
    const number = first.number;
    const before = await h.deps.tickets.get(number);
    h.clock.now += 60_000;
    const again = h.call(PHONES.ada, LINES.us);
    await again.start();
    let a = await again.press('2');
    expect(a.says).toEqual([
      'Hello Ada from Contoso.',
      `You have an open ticket, number ${inGroups(number)}. To wait for it, press 1. For a new ticket, press 2.`,
    ]);
    expect(stepOf(a).step).toBe('existing');
    a = await again.press('*');
    expect(a.says).toEqual([`You have an open ticket, number ${inGroups(number)}. To wait for it, press 1. For a new ticket, press 2.`]);
    a = await again.press('1');
    expect(a.says).toEqual([`We will connect you about ticket ${inGroups(number)}. Please hold.`]);
    expect(a.enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(1);
    const after = await h.deps.tickets.get(number);
    expect(after).toMatchObject({ status: 'waiting', callSid: again.callSid, createdAt: before!.createdAt });
    // The first call's hang-up no longer abandons the ticket the second call waits for.
    const left = await h.post({ url: relative(first.a.enqueue!.attrs.action!), params: first.call.params({ QueueResult: 'hangup' }) });
    expect(left.hangup).toBe(true);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'waiting' });
  });

  it('2 opens a new ticket; 0 and silence use the open one; a callback ticket is queued again', async () => {
    const { number } = await queued(PHONES.ada);
    await h.deps.tickets.replaceIf((await h.deps.tickets.get(number))!, { ...(await h.deps.tickets.get(number))!, status: 'callback' });
    const zero = await toPriority(PHONES.ada);
    expect(zero.last!.says.at(-1)).toMatch(/open ticket/);
    let a = await zero.press('0');
    expect(a.enqueue).toBeDefined();
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'waiting', callSid: zero.callSid });
    const silent = await toPriority(PHONES.ada);
    await silent.silence();
    await silent.silence();
    a = await silent.silence();
    expect(a.enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(1);
    const fresh = await toPriority(PHONES.ada);
    a = await fresh.press('2');
    expect(a.says).toEqual(PRIORITY_MENU);
    a = await fresh.press('3');
    expect(a.enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(2);
  });

  it('an open ticket an agent already has: 1 tells the caller and opens nothing', async () => {
    const { number } = await queued(PHONES.ada);
    await h.deps.tickets.transition(number, 'in-progress', { agent: '1001', answeredAt: new Date(h.clock.now).toISOString() }, ['waiting']);
    const call = await toPriority(PHONES.ada);
    const a = await call.press('1');
    expect(a.says).toEqual([`An agent is already working on ticket ${inGroups(number)}. Goodbye.`]);
    expect(a.hangup).toBe(true);
    expect(await h.tickets()).toHaveLength(1);
  });

  it('tickets older than 24 hours, closed ones and other numbers of the organization are not offered', async () => {
    const { number } = await queued(PHONES.ada);
    h.clock.now += 24 * 3_600_000 + 1;
    let call = await toPriority(PHONES.ada);
    expect(stepOf(call.last!).step).toBe('priority');
    h.clock.now -= 24 * 3_600_000 + 1;
    await h.deps.tickets.transition(number, 'closed', {});
    call = await toPriority(PHONES.ada);
    expect(stepOf(call.last!).step).toBe('priority');
  });
});

describe('limits per calling number (issue 14)', () => {
  it('past 3 new tickets an hour the call joins the open ticket and the caller is told; 1 top-priority page per 10 minutes', async () => {
    const pages: string[] = [];
    h.deps.pager = { page: async (subject) => void pages.push(subject) };
    for (let i = 0; i < 3; i++) {
      const call = await toPriority(PHONES.ada);
      if (i > 0) await call.press('2'); // a new ticket, not the open one
      const a = await call.press('1');
      expect(a.enqueue).toBeDefined();
      h.clock.now += 60_000;
    }
    expect(await h.tickets()).toHaveLength(3);
    expect(pages).toHaveLength(1);
    const fourth = await toPriority(PHONES.ada);
    await fourth.press('2');
    const a = await fourth.press('1');
    const newest = (await h.deps.tickets.list({ org: 'contoso' }))[0]!;
    expect(a.says[0]).toBe(`You opened 3 tickets in the last hour, so this call joins ticket ${inGroups(newest.number)}.`);
    expect(a.enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(3);
    // An hour after the first, a new ticket may be opened again; pages are limited apart.
    h.clock.now += 3_600_000;
    const later = await toPriority(PHONES.ada);
    await later.press('2');
    expect((await later.press('1')).enqueue).toBeDefined();
    expect(await h.tickets()).toHaveLength(4);
    expect(pages).toHaveLength(2);
  });
});

describe('waiting (§2.9)', () => {
  it('the position counts everyone an agent takes first across priorities; an estimate only from answered waits', async () => {
    const p3 = await queued(PHONES.lim, '3');
    h.clock.now += 1000;
    await queued(PHONES.pam, '2');
    h.clock.now += 1000;
    const p1 = await queued(PHONES.ted, '1');
    const wait = (call: TestCall, a: Answer, more: Record<string, string> = {}) =>
      h.post({ url: relative(a.enqueue!.attrs.waitUrl!), params: call.params({ QueuePosition: '1', QueueTime: '30', ...more }) });
    let w = await wait(p3.call, p3.a);
    expect(w.says[0]).toBe('You are number 3 in line.');
    expect(w.says).not.toContainEqual(expect.stringMatching(/estimated/));
    expect(childElements(w.gather!, 'Play').map(textOf)).toEqual([DEFAULT_HOLD_MUSIC]);
    // A retry of the same request gets the same answer; later within the minute: music only.
    expect((await wait(p3.call, p3.a)).says).toEqual(w.says);
    h.clock.now += 10_000;
    w = await wait(p3.call, p3.a);
    expect(w.says).toEqual([]);
    expect(w.gather).toBeDefined();
    w = await wait(p1.call, p1.a);
    expect(w.says[0]).toBe('You are next in line.');
    // Answered waits of the queue make an estimate.
    const answered = await h.deps.tickets.get(p1.number);
    await h.deps.tickets.transition(
      p1.number,
      'in-progress',
      { agent: '1001', answeredAt: new Date(Date.parse(answered!.createdAt) + 240_000).toISOString() },
      ['waiting'],
    );
    expect(estimateMinutes([240, 240, 240], 30)).toBe(4);
    expect(estimateMinutes([240, 240], 30)).toBeUndefined();
    h.clock.now += 61_000;
    w = await wait(p3.call, p3.a);
    expect(w.says[0]).toBe('You are number 2 in line.');
  });

  it('a callback that kept its place ahead of the caller counts in the position (agents take it first)', async () => {
    const p2 = await queued(PHONES.pam, '2');
    h.clock.now += 1000;
    const p3 = await queued(PHONES.lim, '3');
    const left = await h.deps.tickets.get(p2.number);
    expect(await h.deps.tickets.replaceIf(left!, { ...left!, status: 'callback' })).toBe(true);
    const w = await h.post({ url: relative(p3.a.enqueue!.attrs.waitUrl!), params: p3.call.params({ QueueTime: '0' }) });
    expect(w.says[0]).toBe('You are number 2 in line.');
  });

  it('the line holdMusic plays between announcements', async () => {
    const data = lineData();
    data.lines[0]!.holdMusic = 'https://music.example/hold.mp3';
    await h.stop();
    h = await startHarness({ data });
    const { call, a } = await queued(PHONES.ada);
    const w = await h.post({ url: relative(a.enqueue!.attrs.waitUrl!), params: call.params({ QueueTime: '0' }) });
    expect(childElements(w.gather!, 'Play').map(textOf)).toEqual(['https://music.example/hold.mp3']);
  });

  it('1 while waiting leaves a callback that keeps the place; the Enqueue action confirms and hangs up', async () => {
    const { call, a, number } = await queued(PHONES.ada);
    const before = await h.deps.tickets.get(number);
    const w = await h.post({ url: relative(a.enqueue!.attrs.waitUrl!), params: call.params({ QueueTime: '5' }) });
    const key = await h.post({ url: relative(w.gather!.attrs.action!), params: call.params({ Digits: '1' }) });
    expect(key.verbs).toEqual(['Leave']);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'callback', createdAt: before!.createdAt, priority: 'P1' });
    const again = await h.post({ url: relative(w.gather!.attrs.action!), params: call.params({ Digits: '1' }) });
    expect(again.verbs).toEqual(['Leave']);
    const done = await h.post({ url: relative(a.enqueue!.attrs.action!), params: call.params({ QueueResult: 'leave' }) });
    expect(done.says).toEqual([`We will call you back about ticket ${inGroups(number)}, in your turn. Goodbye.`]);
    expect(done.hangup).toBe(true);
    expect(await h.tickets()).toHaveLength(1);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'callback' });
  });

  it('other keys while waiting are explained, * repeats the announcement, a taken ticket keeps the caller on hold', async () => {
    const { call, a, number } = await queued(PHONES.ada);
    const keyUrl = relative((await h.post({ url: relative(a.enqueue!.attrs.waitUrl!), params: call.params({}) })).gather!.attrs.action!);
    let k = await h.post({ url: keyUrl, params: call.params({ Digits: '5' }) });
    expect(k.says).toEqual(['Sorry, that key does nothing while you wait.', 'To hang up and keep your place for a call back, press 1.']);
    k = await h.post({ url: keyUrl, params: call.params({ Digits: '*' }) });
    expect(k.says[0]).toBe('You are next in line.');
    await h.deps.tickets.transition(number, 'in-progress', { agent: '1001' }, ['waiting']);
    k = await h.post({ url: keyUrl, params: call.params({ Digits: '1' }) });
    expect(k.says).toEqual(['An agent is already taking your call. Please stay on the line.']);
    expect(k.verbs).not.toContain('Leave');
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'in-progress' });
  });

  it('missing or absurd queue parameters, or another call’s ticket: plain hold music, nothing changed', async () => {
    const { call, number } = await queued(PHONES.ada);
    const other = h.call(PHONES.stranger, LINES.us);
    for (const url of [
      '/twilio/call/wait',
      '/twilio/call/wait?t=abc&lang=%3Cx%3E',
      `/twilio/call/wait?t=${'9'.repeat(40)}`,
      `/twilio/call/wait?t=${number}&lang=en-US`,
    ]) {
      const w = await h.post({ url, params: other.params({ QueuePosition: '-5', QueueTime: 'NaN' }) });
      expect(w.status).toBe(200);
      expect(w.says).toEqual(['Please stay on the line for an agent.']);
      expect(w.verbs).toEqual(['Say', 'Play']);
    }
    const k = await h.post({ url: `/twilio/call/wait-key?t=${number}&lang=en-US`, params: other.params({ Digits: '1' }) });
    expect(k.says).toEqual(['Sorry, we cannot take a call back request now.', 'Please stay on the line for an agent.']);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'waiting', callSid: call.callSid });
    expect(await h.tickets()).toHaveLength(1);
  });

  it('a full queue is announced before the hang-up and the ticket is kept as a callback', async () => {
    const { call, a, number } = await queued(PHONES.ada);
    const full = await h.post({ url: relative(a.enqueue!.attrs.action!), params: call.params({ QueueResult: 'queue-full' }) });
    expect(full.says).toEqual([`All our lines are full right now. Ticket ${inGroups(number)} keeps its place and we will call you back. Goodbye.`]);
    expect(full.hangup).toBe(true);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'callback' });
    expect(await h.tickets()).toHaveLength(1);
  });
});
