/**
 * Twilio retries and callers (or forgers with a valid signature) that skip ahead, through the real stack:
 * a repeated webhook gets the same answer and changes nothing twice (one ticket, one code, one attempt);
 * a request for a step the call has not earned gets a spoken answer and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketDigits } from '../../functions/domain/speech/format.js';

/** The ticket number as an English line reads it: once, in short groups ("1 0 0, 0 0 4 2"). */
const inGroups = (n: string): string => ticketDigits('en-US', n);
import { startHarness, type Answer, type Harness, type TestCall } from '../support/voice-harness.js';
import { ACCOUNTS, LINES, PHONES } from '../support/line-data.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

/** Sends the same request `times` times in a row (a retry after a lost answer): all answers must be the same. */
async function twice(call: TestCall, step: () => Promise<Answer>, concurrent: boolean): Promise<Answer> {
  const answers = concurrent ? await Promise.all([step(), step()]) : [await step(), await step()];
  expect(answers[1]!.xml).toBe(answers[0]!.xml);
  call.last = answers[0];
  return answers[0]!;
}

async function callState(call: TestCall) {
  return h.deps.calls.get(call.callSid);
}

describe.each([
  ['one after the other', false],
  ['at the same time', true],
])('every webhook of a call sent twice, %s', (_name, concurrent) => {
  it('an unregistered caller: account, code (one wrong, then right), priority: one code, one attempt, one ticket', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    const start = await twice(call, () => call.postTo('/twilio/voice', { CallStatus: 'ringing' }), concurrent);
    expect(start.gather).toBeDefined();
    const menuUrl = call.action;
    await twice(call, () => call.postTo(menuUrl, { Digits: '2' }), concurrent);
    const accountUrl = call.action;
    await twice(call, () => call.postTo(accountUrl, { Digits: ACCOUNTS.contoso, FinishedOnKey: '#' }), concurrent);
    const channelUrl = call.action;
    const sent = await twice(call, () => call.postTo(channelUrl, { Digits: '1' }), concurrent);
    expect(sent.says[0]).toBe('We sent a verification code by text message to the phone ending in 67.');
    expect(h.texts()).toHaveLength(1);
    const code = h.lastCode();

    const wrongUrl = call.action;
    const wrong = code === '000000' ? '111111' : '000000';
    const w = await twice(call, () => call.postTo(wrongUrl, { Digits: wrong, FinishedOnKey: '#' }), concurrent);
    expect(w.says[0]).toBe('That code is not correct. You have 4 tries left.');
    expect(await h.deps.codes.get(call.callSid)).toMatchObject({ attempts: 1 });

    const rightUrl = call.action;
    const v = await twice(call, () => call.postTo(rightUrl, { Digits: code, FinishedOnKey: '#' }), concurrent);
    expect(v.says[0]).toBe('Thank you, you are verified.');

    const priorityUrl = call.action;
    const t = await twice(call, () => call.postTo(priorityUrl, { Digits: '2' }), concurrent);
    expect(t.enqueue).toBeDefined();

    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ org: 'contoso', priority: 'P2', verifiedBy: 'code', callSid: call.callSid });
    // v2 §2.6: the number once, in short groups, with the level; the details by text.
    expect(t.says[0]).toBe(`Your ticket number is ${inGroups(String(tickets[0]!.number))}, P2. Details follow by text. Please hold.`);
    // One code text and one confirmation text; nothing else.
    expect(h.texts().map((m) => m.body.slice(0, 20))).toEqual(['Your support line ve', `Support ticket ${String(tickets[0]!.number).slice(0, 5)}`]);
    expect(await h.deps.codes.get(call.callSid)).toMatchObject({ attempts: 1, used: true });
    const audit = (await h.deps.audit.forOrg('contoso')).map((e) => e.result).sort();
    expect(audit).toEqual(['account-found', 'code-sent', 'verified', 'wrong-code']);
  });

  it('a first webhook that already sends a code (always-code, one channel, no menu) sends one code', async () => {
    const call = h.call(PHONES.eve, LINES.direct);
    const a = await twice(call, () => call.postTo('/twilio/voice', { CallStatus: 'ringing' }), concurrent);
    expect(a.says).toEqual([
      'Thank you for calling support.',
      'We sent a verification code by email to i…@mailonly.example.',
      'Please enter the 6 digit code.',
    ]); // v2 (issue 13): 6 digits need no `#`
    expect(h.emails()).toHaveLength(1);
    const v = await call.press(h.lastCode());
    expect(v.says[0]).toBe('Thank you, you are verified.');
    expect((await h.deps.audit.forOrg('mailonly')).map((e) => e.result).sort()).toEqual(['code-sent', 'verified']);
  });

  it('a registered admin: the callback ticket of a closed service is opened once', async () => {
    h.clock.now = Date.parse('2026-05-17T15:00:00Z'); // Sunday: billing is closed
    const call = h.call(PHONES.ada, LINES.us);
    await twice(call, () => call.postTo('/twilio/voice', { CallStatus: 'ringing' }), concurrent);
    const menuUrl = call.action;
    const closed = await twice(call, () => call.postTo(menuUrl, { Digits: '3' }), concurrent);
    // Contract v2 §2.10: en-US times on the 12-hour clock.
    expect(closed.says[1]).toBe('Billing is open Monday to Friday, 9:00 AM to 5:00 PM. We are closed right now.');
    const callbackUrl = call.action;
    const done = await twice(call, () => call.postTo(callbackUrl, { Digits: '1' }), concurrent);
    expect(done.hangup).toBe(true);
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ status: 'callback', service: 'billing' });
    expect(h.texts()).toHaveLength(1);
  });
});

describe('a retry arriving after the call moved on', () => {
  it("gets the call's latest answer, and its (different) digits change nothing", async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await call.start();
    const menuUrl = call.action;
    await call.press('2');
    const ticketAnswer = await call.press('1');
    const replay = await call.postTo(menuUrl, { Digits: '3' });
    expect(replay.xml).toBe(ticketAnswer.xml);
    // The first webhook reads nothing (its menu only asks): a late duplicate is asked the menu again, and stores nothing.
    const startAgain = await call.postTo('/twilio/voice', { CallStatus: 'ringing' });
    expect(startAgain.gather?.attrs.action).toContain('/twilio/call/menu?s=1');
    expect(await callState(call)).toMatchObject({ service: 'technical', expect: 'done' });
    expect(await h.tickets()).toHaveLength(1);
  });
});

describe('skipping steps', () => {
  it('posting straight to a later step of a call that never started: spoken, and no state is created', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    const a = await call.postTo('/twilio/call/priority?s=5', { Digits: '1' });
    // No stored state is a call at its unstored first menu: it is asked again.
    expect(a.says[0]).toBe('Thank you for calling support.');
    expect(a.gather?.attrs.action).toContain('/twilio/call/menu?s=1');
    expect(await h.scan('calls')).toEqual([]);
    expect(await h.tickets()).toEqual([]);
  });

  it('on a call at the menu: a later step, a wrong s, an unknown step, no s, or a nonsense s replay the menu and change nothing', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    const menu = await call.start();
    const before = await callState(call);
    for (const url of [
      '/twilio/call/priority?s=1',
      '/twilio/call/priority?s=5',
      '/twilio/call/code?s=1',
      '/twilio/call/callback?s=1',
      '/twilio/call/menu?s=2',
      '/twilio/call/menu?s=0',
      '/twilio/call/menu?s=-1',
      '/twilio/call/menu?s=',
      '/twilio/call/menu?s=99999999999999999999',
      '/twilio/call/menu',
      '/twilio/call/menu?s=abc',
      '/twilio/call/bogus?s=1',
      '/twilio/call/closed-choice?s=1',
      '/twilio/call/agent-pin?s=1',
    ]) {
      const a = await call.postTo(url, { Digits: '1' });
      expect(a.status, url).toBe(200);
      expect(a.xml, url).toBe(menu.xml);
    }
    expect(await callState(call)).toEqual(before);
    expect(await h.tickets()).toEqual([]);
    expect(h.delivered).toEqual([]);
  });

  it('a caller at the account prompt cannot post a code or a priority to get verified or a ticket', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await call.start();
    const prompt = await call.press('2');
    const before = await callState(call);
    for (const [url, Digits] of [
      ['/twilio/call/code?s=2', '123456'],
      ['/twilio/call/code?s=3', '123456'],
      ['/twilio/call/channel?s=2', '1'],
      ['/twilio/call/priority?s=2', '1'],
      ['/twilio/call/priority?s=3', '1'],
    ] as const) {
      const a = await call.postTo(url, { Digits });
      expect(a.xml, url).toBe(prompt.xml);
    }
    expect(await callState(call)).toEqual(before);
    expect((await callState(call))?.verifiedBy).toBeUndefined();
    expect(await h.tickets()).toEqual([]);
    expect(h.delivered).toEqual([]);
    expect(await h.deps.codes.get(call.callSid)).toBeUndefined();
  });

  it("a request carrying another call's CallSid at that call's step acts for that call only as that call's own retry", async () => {
    const victim = h.call(PHONES.ada, LINES.us);
    await victim.start();
    const attacker = h.call(PHONES.stranger, LINES.us);
    await attacker.start();
    // The attacker replays its own step URL with the victim's state sequence but its own CallSid: it only moves its own call.
    const a = await attacker.press('2');
    expect(a.says).toEqual(["Please enter your organization's account number, then press the pound key."]);
    // The victim's call is still at its first menu (unstored until answered), and answering it is its own.
    expect(await callState(victim)).toBeUndefined();
    await victim.press('2');
    expect(await callState(victim)).toMatchObject({ from: PHONES.ada, n: 2 });
  });

  it('the queue helpers need no state: wait music speaks, and a hang-up in the queue abandons only that waiting ticket', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await call.start();
    await call.press('2');
    const t = await call.press('1');
    const [ticket] = await h.tickets();
    const number = String(ticket!.number);
    const waitUrl = t.enqueue!.attrs.waitUrl!.replace('https://support.example.com', '');
    const wait = await call.postTo(waitUrl, { QueuePosition: '3', AvgQueueTime: '60' });
    // v2 §2.9: the position counts the tickets an agent takes first across priorities (not Twilio's per-queue
    // QueuePosition), an estimate is said only from recent answered waits (none yet), and hold music plays in a
    // Gather where `1` leaves a callback.
    expect(wait.says).toEqual(['You are next in line.', 'To hang up and keep your place for a call back, press 1.']);
    expect(wait.verbs).toEqual(['Gather']);
    const action = t.enqueue!.attrs.action!.replace('https://support.example.com', '');
    const left = await call.postTo(action, { QueueResult: 'hangup' });
    expect(left.verbs).toEqual(['Hangup']);
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'abandoned', abandonedAt: new Date(h.clock.now).toISOString() });
    // Bridged to an agent: nothing changes.
    await h.deps.tickets.transition(number, 'in-progress', { agent: '1001' });
    await call.postTo(action, { QueueResult: 'hangup' });
    expect(await h.deps.tickets.get(number)).toMatchObject({ status: 'in-progress' });
    // A ticket number that is not digits is ignored.
    const odd = await call.postTo('/twilio/call/queue-result?t=abc', { QueueResult: 'hangup' });
    expect(odd.verbs).toEqual(['Hangup']);
  });
});
