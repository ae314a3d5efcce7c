/**
 * The ticket's life after the queue on the agents' line (contract §3 v2, issue 13): the whisper inside a
 * Gather (any key connects at once), callback tickets offered in waiting order and dialed with `1`, and the
 * wrap-up after a conversation (`1` closed through the one close path, `2` still open).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { childElements } from '../../local/twiml-parse.js';
import { CALLBACK_RETRY_MS, digitGroups } from '../../functions/domain/agent-life.js';
import { LINE, relative, startAgentHarness, type AgentHarness, signedInAgent } from './agent-support.js';

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.sns.resetHistory();
  for (const status of ['waiting', 'callback', 'in-progress'] as const) {
    for (const t of await h.deps.tickets.list({ status }))
      await h.deps.tickets.transition(t.number, 'closed', { closedAt: new Date(h.clock.now).toISOString() });
  }
  h.clock.now += 3_600_000;
});

const signIn = (id?: string, pin?: string) => signedInAgent(h, id, pin);

describe('the whisper', () => {
  it('is inside a Gather that falls through to the Dial; any key answers with the same Dial at once', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    const a = call.last!;
    expect(a.gather?.attrs).toMatchObject({
      numDigits: '1',
      finishOnKey: '',
      actionOnEmptyResult: 'false',
      action: 'https://support.example.com/twilio/agent/connect?s=3',
    });
    expect(childElements(a.gather!, 'Say').map((s) => s.children.map((c) => ('text' in c ? c.text : '')).join(''))).toEqual([
      `P1, Contoso, business plan, caller ID. Ticket ${digitGroups(t.number)}.`,
    ]);
    const fallThrough = a.body.slice(a.body.indexOf('<Dial'));
    const skipped = await call.press('5');
    expect(skipped.body.slice(skipped.body.indexOf('<Dial'))).toBe(fallThrough);
    // A replay of the skip answers the same and changes nothing.
    const again = await h.agent(relative(a.gather!.attrs.action!), { CallSid: call.callSid, Digits: '#' });
    expect(again.body).toBe(skipped.body);
    expect(await h.ticket(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
  });

  it('stays at or under 20 words (8 s at 160 words a minute) in English and Polish, even for a long name', async () => {
    const { localize } = await import('../../functions/domain/messages/catalog.js');
    const { whisperMessage } = await import('../../functions/domain/agent-life.js');
    const t = { number: '1234567', priority: 'P1', orgName: 'Northwind Traders', plan: 'premier-plus', verifiedBy: 'code' as const };
    for (const lang of ['en-US', 'pl-PL']) {
      for (const callback of [false, true]) {
        const words = localize(lang, whisperMessage(t, callback))
          .split(/[\s,.]+/)
          .filter(Boolean);
        expect(words.length, `${lang} ${callback}`).toBeLessThanOrEqual(20);
      }
    }
    expect(digitGroups('1000001')).toBe('1 0 0, 0 0 0 1');
    expect(digitGroups('123456789')).toBe('1 2 3, 4 5 6, 7 8 9');
    expect(digitGroups('12')).toBe('1 2');
  });
});

describe('callback tickets (contract §3 v2)', () => {
  it('are offered in waiting order among waiting callers; 1 dials the customer from the line and the ticket is taken like a bridged call', async () => {
    const older = new Date(h.clock.now - 600_000).toISOString();
    const p2 = await h.waitingCaller({ org: 'contoso', priorityRank: 1 });
    const cb = await h.waitingCaller({ org: 'contoso', priorityRank: 1, status: 'callback', createdAt: older, caller: '+48601234567' });
    const p1 = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    // P1 first (rank), then the callback (older within P2), then the waiting P2.
    const first = await signIn();
    expect(first.last!.says[1]).toContain(`Ticket ${digitGroups(p1.number)}.`);
    const call = await signIn();
    expect(call.last!.says.slice(1)).toEqual([
      `Callback. P2, Contoso, business plan, caller ID. Ticket ${digitGroups(cb.number)}.`,
      'Press 1 to call the customer, or 2 to put the callback back.',
    ]);
    expect(call.last!.dial).toBeUndefined();
    expect(await h.ticket(cb.number)).toMatchObject({
      status: 'in-progress',
      agent: '1001',
      answeredAt: new Date(h.clock.now).toISOString(),
      createdAt: older,
    });

    const dial = await call.press('1');
    expect(dial.dial?.attrs).toMatchObject({ callerId: LINE, action: 'https://support.example.com/twilio/agent/done?s=4' });
    const number = childElements(dial.dial!, 'Number')[0]!;
    expect(number.children.map((c) => ('text' in c ? c.text : '')).join('')).toBe('+48601234567');
    // The customer answers: the Number url records the bridge and tells them who calls.
    const answered = await h.agent(relative(number.attrs.url!), { CallSid: 'CA' + '7'.repeat(32), CallStatus: 'in-progress' });
    expect(answered.says).toEqual([`This is support, calling you back about ticket ${digitGroups(cb.number)}. Connecting you to an agent.`]);
    expect((await h.ticket(cb.number)).bridgedAt).toBe(new Date(h.clock.now).toISOString());
    const ended = await call.dialEnded({ DialCallStatus: 'completed', DialCallDuration: '120', DialCallSid: 'CA' + '7'.repeat(32) });
    expect(ended.says).toEqual(['The call has ended.', 'Press 1 if the issue is resolved, or 2 if it is still open.']);
    const next = await call.press('2');
    expect(next.says[1]).toContain(`Ticket ${digitGroups(p2.number)}.`);
    expect(await h.ticket(cb.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
  });

  it('a customer who does not answer: the callback goes back with its place, counted, and is not offered again for a while', async () => {
    const cb = await h.waitingCaller({ org: 'contoso', priorityRank: 0, status: 'callback' });
    const call = await signIn();
    await call.press('1');
    const ended = await call.dialEnded({ DialCallStatus: 'no-answer', DialCallDuration: '0', DialCallSid: 'CA' + '8'.repeat(32) });
    expect(ended.says).toEqual(['The customer did not answer. The callback stays in the list.', 'Press 1 for the next caller, or hang up.']);
    const back = await h.ticket(cb.number);
    expect(back).toMatchObject({ status: 'callback', callbackAttempts: 1, createdAt: cb.createdAt, lastCallbackAt: new Date(h.clock.now).toISOString() });
    expect(back.agent).toBeUndefined();
    expect((await call.press('1')).says).toEqual(['No callers are waiting for you right now. Press 1 to check again, or hang up.']);
    h.clock.now += CALLBACK_RETRY_MS;
    expect((await call.press('1')).says[0]).toContain(`Callback. P1`);
  });

  it('2 puts the callback back for later and offers the next caller; the agent hanging up returns it to the callback list', async () => {
    const cb = await h.waitingCaller({ org: 'contoso', priorityRank: 0, status: 'callback' });
    const w = await h.waitingCaller({ org: 'contoso', priorityRank: 3 });
    const call = await signIn();
    const next = await call.press('2');
    expect(next.says[0]).toBe('The callback is back in the list.');
    expect(next.says[1]).toContain(`Ticket ${digitGroups(w.number)}.`);
    expect(await h.ticket(cb.number)).toMatchObject({ status: 'callback' });

    h.clock.now += CALLBACK_RETRY_MS;
    const other = await signIn();
    expect(other.last!.says[1]).toContain('Callback.');
    await h.status({ CallSid: other.callSid, CallStatus: 'completed' });
    const back = await h.ticket(cb.number);
    expect(back.status).toBe('callback');
    expect(back.agent).toBeUndefined();
    expect(back.viaCallback).toBeUndefined();
  });
});

describe('wrap-up (contract §3 v2)', () => {
  it('1 closes the ticket through the close path (the organization told) and brings the next caller', async () => {
    const t = await h.waitingCaller({ org: 'fabrikam', priorityRank: 0 });
    const call = await signIn();
    await call.bridge(t.callSid);
    h.clock.now += 120_000;
    await call.dialEnded({ DialCallSid: t.callSid, DialCallStatus: 'completed', DialCallDuration: '120' });
    h.sns.resetHistory();
    const star = await call.press('*');
    expect(star.says).toEqual(['Press 1 if the issue is resolved, or 2 if it is still open.']);
    const next = await call.press('1');
    expect(next.says).toEqual(['Ticket closed.', 'No callers are waiting for you right now. Press 1 to check again, or hang up.']);
    expect(await h.ticket(t.number)).toMatchObject({ status: 'closed', closedAt: new Date(h.clock.now).toISOString(), closedBy: 'agent 1001' });
    const texts = h.sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message);
    expect(texts).toEqual([`Support ticket ${t.number} (P1) for Fabrikam is closed.`]);
  });

  it('silence is asked again, then the call ends with the ticket still open', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    await call.bridge(t.callSid);
    await call.dialEnded({ DialCallSid: t.callSid, DialCallStatus: 'completed', DialCallDuration: '60' });
    expect((await call.press('')).says).toEqual(['Press 1 if the issue is resolved, or 2 if it is still open.']);
    await call.press('9');
    const bye = await call.press('');
    expect(bye.says).toEqual(['Goodbye.']);
    expect(bye.hangup).toBe(true);
    expect(await h.ticket(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
  });
});
