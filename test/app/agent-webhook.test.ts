/**
 * The agents' line through the real middleware stack on the embedded DynamoDB: sign-in and lockout, the
 * next caller and its claim, whisper, bridge and its corrections, the Dial action, status callbacks, and
 * notifications of status changes (SNS mocked, exact commands asserted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { digitGroups } from '../../functions/domain/agent-life.js';
import {
  AGENT_PHONE,
  AGENTS_LINE,
  FABRIKAM_PHONE,
  newCallSid,
  queueOf,
  relative,
  startAgentHarness,
  type AgentHarness,
  signedInAgent,
} from './agent-support.js';

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.sns.resetHistory();
  // Each test starts with an empty queue: whatever earlier tests left waiting is closed.
  for (const t of await h.deps.tickets.list({ status: 'waiting' }))
    await h.deps.tickets.transition(t.number, 'closed', { closedAt: new Date(h.clock.now).toISOString() });
  h.clock.now += 3_600_000;
});

// Issue 13: the whisper reads the ticket number once, in short groups of digits.
const spaced = (n: string) => digitGroups(n);

const signIn = (id?: string, pin?: string) => signedInAgent(h, id, pin);

describe('sign-in', () => {
  it('asks for the id, then the PIN, whatever the id', async () => {
    const call = h.agentCall();
    const start = await call.start();
    expect(start.says).toEqual(["Agents' line.", 'Enter your agent ID, then press the pound key.']);
    expect(start.gather?.attrs).toMatchObject({ action: `https://support.example.com/twilio/agent/id?s=1`, finishOnKey: '#' });
    const known = await call.press('1001');
    expect(known.says).toEqual(['Enter your PIN, then press the pound key.']);

    const other = h.agentCall();
    await other.start();
    const unknown = await other.press('9999');
    expect(unknown.body).toBe(known.body);
  });

  it('a retried start answers the same; the call is stored, once, when the id is entered', async () => {
    const call = h.agentCall();
    const a = await call.start();
    const b = await call.start();
    expect(b.body).toBe(a.body);
    // The id prompt only asks: nothing is stored before it is answered (step-runner.ts firstPrompt).
    expect(await h.deps.calls.get(call.callSid)).toBeUndefined();
    await call.press('1001');
    const state = await h.deps.calls.get(call.callSid);
    expect(state).toMatchObject({ kind: 'agent', expect: 'agent-pin', n: 2, line: AGENTS_LINE, agentId: '1001' });
  });

  it('an unknown id and a wrong PIN sound the same, and the id is asked again', async () => {
    const wrongPin = h.agentCall();
    await wrongPin.start();
    await wrongPin.press('1001');
    const a = await wrongPin.press('1111');
    const unknownId = h.agentCall();
    await unknownId.start();
    await unknownId.press('7777');
    const b = await unknownId.press('4321');
    expect(a.says).toEqual(['Those details are not right.', 'Enter your agent ID, then press the pound key.']);
    expect(b.body).toBe(a.body);
    await h.deps.agentLocks!.clear('1001', h.clock.now, AGENT_PHONE);
  });

  it('3 failed sign-ins end the call politely', async () => {
    const call = h.agentCall();
    await call.start();
    for (let i = 0; i < 2; i++) {
      await call.press('1002');
      await call.press('0000');
    }
    await call.press('1002');
    const third = await call.press('0000');
    expect(third.says).toEqual(['Those details are not right.', 'Sign-in failed too many times. Please check your details and call again. Goodbye.']);
    expect(third.hangup).toBe(true);
    expect(third.gather).toBeUndefined();
    await h.deps.agentLocks!.clear('1002', h.clock.now, AGENT_PHONE);
  });

  it('silence at the PIN prompt asks again and counts toward no lockout', async () => {
    const call = h.agentCall();
    await call.start();
    await call.press('1002');
    const again = await call.press('');
    expect(again.says).toEqual(['Enter your PIN, then press the pound key.']);
    expect(again.gather?.attrs.action).toBe('https://support.example.com/twilio/agent/pin?s=3');
    expect(await h.deps.agentLocks!.get('1002', AGENT_PHONE)).toBeUndefined();
    await call.press('');
    const bye = await call.press('');
    expect(bye.says).toEqual(['Goodbye.']);
    expect(bye.hangup).toBe(true);
  });

  it('a retried PIN request gets the same answer and is not counted twice', async () => {
    const call = h.agentCall();
    await call.start();
    await call.press('1003');
    const action = call.last!.gather!.attrs.action!;
    const params = { CallSid: call.callSid, From: '+15550100123', To: AGENTS_LINE, Digits: '1111' };
    const first = await h.agent(relative(action), params);
    const retry = await h.agent(relative(action), params);
    expect(retry.body).toBe(first.body);
    expect((await h.deps.agentLocks!.get('1003', AGENT_PHONE))?.failures).toBe(1);
    await h.deps.agentLocks!.clear('1003', h.clock.now, AGENT_PHONE);
  });

  it('5 wrong PINs lock the agent for 15 minutes, even against the right PIN', async () => {
    // Call 1: three failures end it. Call 2: the 5th failure locks.
    const c1 = h.agentCall();
    await c1.start();
    for (let i = 0; i < 3; i++) {
      await c1.press('1001');
      await c1.press('9999');
    }
    const c2 = h.agentCall();
    await c2.start();
    await c2.press('1001');
    await c2.press('9999');
    await c2.press('1001');
    const fifth = await c2.press('9999');
    expect(fifth.says).toEqual(['Those details are not right.', 'Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.']);
    expect(fifth.hangup).toBe(true);

    h.clock.now += 14 * 60_000;
    const c3 = h.agentCall();
    await c3.start();
    await c3.press('1001');
    const refused = await c3.press('4321');
    expect(refused.says).toEqual(['Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.']);

    h.clock.now += 60_000 + 1;
    const c4 = await signIn('1001', '4321');
    expect(c4.last!.says[0]).toBe('Hello Sam.');
    expect(await h.deps.agentLocks!.get('1001', AGENT_PHONE)).toBeUndefined();
  });
});

describe('next caller', () => {
  it('takes the highest-priority caller the agent serves, whispers the ticket and dials its queue', async () => {
    const p3 = await h.waitingCaller({ org: 'contoso', priorityRank: 2, createdAt: new Date(h.clock.now - 600_000).toISOString() });
    const p1 = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    await h.waitingCaller({ org: 'contoso', priorityRank: 0, language: 'pl-PL', line: '+48221234567' }); // not Sam's language
    await h.waitingCaller({ org: 'tailspin', priorityRank: 0 }); // tier 2: not Sam's tier
    const call = await signIn();
    const a = call.last!;
    expect(a.says).toEqual(['Hello Sam.', `P1, Contoso, business plan, caller ID. Ticket ${spaced(p1.number)}.`]);
    expect(a.dial?.attrs).toMatchObject({ action: 'https://support.example.com/twilio/agent/done?s=3', method: 'POST' });
    const queue = queueOf(a)!;
    expect(queue.children.map((c) => ('text' in c ? c.text : '')).join('')).toBe(p1.queue);
    expect(queue.attrs).toMatchObject({ url: `https://support.example.com/twilio/agent/bridge?t=${p1.number}&a=1001`, method: 'POST' });

    const taken = await h.ticket(p1.number);
    expect(taken).toMatchObject({ status: 'in-progress', agent: '1001', answeredAt: new Date(h.clock.now).toISOString(), firstResponseMet: true });
    expect((await h.ticket(p3.number)).status).toBe('waiting');
  });

  it('a priority plan goes first within a priority, then the oldest', async () => {
    const old = await h.waitingCaller({ org: 'contoso', priorityRank: 1, createdAt: new Date(h.clock.now - 900_000).toISOString() });
    const pq = await h.waitingCaller({ org: 'fabrikam', priorityRank: 1 });
    const first = await signIn();
    expect(first.last!.says[1]).toBe(`P2, Fabrikam, premier plan, caller ID. Ticket ${spaced(pq.number)}.`);
    const second = await signIn();
    expect(second.last!.says[1]).toContain(`Ticket ${spaced(old.number)}.`);
  });

  it('a missed first response is recorded as missed', async () => {
    const late = await h.waitingCaller({ org: 'contoso', priorityRank: 0, createdAt: new Date(h.clock.now - 2 * 3_600_000).toISOString() });
    await signIn();
    expect(await h.ticket(late.number)).toMatchObject({ status: 'in-progress', firstResponseMet: false });
  });

  it('two agents at once never take the same caller; the one who loses the race gets the next', async () => {
    const a = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const b = await h.waitingCaller({ org: 'contoso', priorityRank: 3 });
    const calls = [h.agentCall(), h.agentCall()];
    await Promise.all(calls.map((c) => c.start()));
    await Promise.all(calls.map((c) => c.press('1001')));
    const answers = await Promise.all(calls.map((c) => c.press('4321')));
    const announced = answers.map((x) => x.says[1]!.match(/Ticket ([\d, ]+)\./)![1]!.replace(/\D/g, '')).sort();
    expect(announced).toEqual([a.number, b.number].sort());
  });

  it('no one waiting: the agent is told and may press 1 to try again', async () => {
    const call = await signIn();
    expect(call.last!.says).toEqual(['Hello Sam.', 'No callers are waiting for you right now. Press 1 to check again, or hang up.']);
    expect(call.last!.gather?.attrs).toMatchObject({ numDigits: '1', action: 'https://support.example.com/twilio/agent/next?s=3' });
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 1 });
    const again = await call.press('1');
    expect(again.says[0]).toContain(`Ticket ${spaced(t.number)}.`);
    expect(again.dial).toBeDefined();
  });

  it('after a conversation the agent may take the next caller', async () => {
    const first = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const second = await h.waitingCaller({ org: 'contoso', priorityRank: 2 });
    const call = await signIn();
    const bridged = await call.bridge(first.callSid);
    expect(bridged.says).toEqual(['Connecting you to an agent now.']);
    expect((await h.ticket(first.number)).bridgedAt).toBe(new Date(h.clock.now).toISOString());
    h.clock.now += 300_000;
    const after = await call.dialEnded({ DialCallSid: first.callSid, DialCallStatus: 'completed', DialCallDuration: '300', QueueSid: 'QU' + 'd'.repeat(32) });
    // Contract §3 v2: the agent wraps up first; `2` leaves the ticket open and brings the next caller.
    expect(after.says).toEqual(['The call has ended.', 'Press 1 if the issue is resolved, or 2 if it is still open.']);
    const next = await call.press('2');
    expect(next.says[0]).toBe('The ticket stays open.');
    expect(next.says[1]).toContain(`Ticket ${spaced(second.number)}.`);
    expect((await h.ticket(first.number)).status).toBe('in-progress');
  });

  it('a queue that emptied meanwhile ends the Dial at once: treated as no caller, retry offered, caller not left claimed', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    const ended = await call.dialEnded({
      DialCallStatus: 'completed',
      DialBridged: 'false',
      DialCallSid: 'CA' + 'e'.repeat(32),
      QueueSid: 'QU' + 'd'.repeat(32),
    });
    expect(ended.says).toEqual(['That caller is no longer waiting.', 'Press 1 for the next caller, or hang up.']);
    expect(await h.ticket(t.number)).toMatchObject({ status: 'waiting' });
    expect((await h.ticket(t.number)).agent).toBeUndefined();
    // The caller's own status callback then says they are gone.
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'abandoned', abandonedAt: new Date(h.clock.now).toISOString() });
    const retry = await call.press('1');
    expect(retry.says).toEqual(['No callers are waiting for you right now. Press 1 to check again, or hang up.']);
  });
});

describe('bridge', () => {
  it('corrects the claim when Twilio dequeues another caller than the one announced', async () => {
    const older = await h.waitingCaller({ org: 'contoso', priorityRank: 2, createdAt: new Date(h.clock.now - 60_000).toISOString() });
    const announced = await h.waitingCaller({ org: 'contoso', priorityRank: 2, createdAt: new Date(h.clock.now - 30_000).toISOString() });
    // Another agent took `older` first, so Sam was announced `announced`...
    await h.deps.tickets.transition(older.number, 'in-progress', { agent: '1002', answeredAt: new Date(h.clock.now).toISOString() }, ['waiting']);
    const call = await signIn();
    expect(call.last!.says[1]).toContain(`Ticket ${spaced(announced.number)}.`);
    // ...but Twilio's FIFO head was `older`, and it is `older`'s caller that Sam's Dial dequeues.
    await call.bridge(older.callSid);
    expect(await h.ticket(older.number)).toMatchObject({ status: 'in-progress', agent: '1001', bridgedAt: new Date(h.clock.now).toISOString() });
    const back = await h.ticket(announced.number);
    expect(back.status).toBe('waiting');
    expect(back.agent).toBeUndefined();
    // A retried bridge changes nothing more.
    const before = await h.ticket(older.number);
    h.clock.now += 1000;
    await call.bridge(older.callSid);
    expect(await h.ticket(older.number)).toEqual(before);
  });

  it('the agent hanging up during the whisper puts the caller back in line', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    expect((await h.ticket(t.number)).status).toBe('in-progress');
    await h.status({ CallSid: call.callSid, CallStatus: 'completed' });
    const back = await h.ticket(t.number);
    expect(back.status).toBe('waiting');
    expect(back.agent).toBeUndefined();
    const next = await signIn();
    expect(next.last!.says[1]).toContain(`Ticket ${spaced(t.number)}.`);
  });

  it('a caller who hangs up during the whisper is abandoned, whichever callback comes first', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'abandoned' });
    const ended = await call.dialEnded({ DialCallStatus: 'completed' });
    expect(ended.says[0]).toBe('That caller is no longer waiting.');
    expect(await h.ticket(t.number)).toMatchObject({ status: 'abandoned' });
  });
});

describe('status callbacks', () => {
  it('repeated, out-of-order and unknown callbacks change nothing twice', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 1 });
    const ringing = await h.status({ CallSid: t.callSid, CallStatus: 'ringing' });
    expect(ringing.status).toBe(200);
    expect((await h.ticket(t.number)).status).toBe('waiting');
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    const abandoned = await h.ticket(t.number);
    expect(abandoned).toMatchObject({ status: 'abandoned', abandonedAt: new Date(h.clock.now).toISOString() });
    h.clock.now += 5000;
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    await h.status({ CallSid: t.callSid, CallStatus: 'in-progress' });
    expect(await h.ticket(t.number)).toEqual(abandoned);
    const unknown = await h.status({ CallSid: newCallSid(), CallStatus: 'completed' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toContain('<Response/>');
  });

  it('a conversation that ended leaves the ticket in progress', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const call = await signIn();
    await call.bridge(t.callSid);
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    await h.status({ CallSid: call.callSid, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
  });

  it('refuses unsigned callbacks', async () => {
    const res = await h.agent('/twilio/agent/start', { CallSid: newCallSid(), To: AGENTS_LINE }, { sign: false });
    expect(res.status).toBe(403);
  });
});

describe('status change notifications', () => {
  const published = () => h.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
  const sms = (body: string) => ({
    PhoneNumber: FABRIKAM_PHONE,
    Message: body,
    MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
  });

  // Contract v2 §2.10: the service is named as the catalog says it ("technical support"), not by its id.
  it('texts the organization at every status change when its plan asks, once per change', async () => {
    const t = await h.waitingCaller({ org: 'fabrikam', priorityRank: 1 });
    const call = await signIn();
    expect(published()).toEqual([sms(`Support ticket ${t.number} (P2, technical support) for Fabrikam is now with an agent.`)]);
    await call.dialEnded({ DialCallStatus: 'completed' }); // the queue had emptied: back to waiting
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    expect(published()).toEqual([
      sms(`Support ticket ${t.number} (P2, technical support) for Fabrikam is now with an agent.`),
      sms(`Support ticket ${t.number} (P2, technical support) for Fabrikam is waiting for an agent again.`),
      sms(`Support ticket ${t.number} (P2, technical support) for Fabrikam was left before an agent answered; we will call back.`),
    ]);
  });

  it('plans without notifyStatusChanges are not notified, and a failed send changes no ticket', async () => {
    const quiet = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    await signIn();
    expect(published()).toEqual([]);
    expect((await h.ticket(quiet.number)).status).toBe('in-progress');

    h.sns.rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    try {
      const loud = await h.waitingCaller({ org: 'fabrikam', priorityRank: 0 });
      const call = await signIn();
      expect(call.last!.dial).toBeDefined();
      expect((await h.ticket(loud.number)).status).toBe('in-progress');
    } finally {
      h.sns.reset();
      h.sns.onAnyCommand().resolves({ MessageId: 'm-2' });
    }
  });
});
