/**
 * The survey after a conversation (issue 17, contract §5 v2): the caller's `<Enqueue action>` with
 * `QueueResult=bridged` asks for a rating 1-5 on lines or plans with `survey: true`; the rating is stored on
 * the ticket once and read back through the ticket API's store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyWanted } from '../../functions/app/survey.js';
import { agentData, relative, startAgentHarness, type AgentHarness } from './agent-support.js';

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness({ data: { ...agentData, plans: { ...agentData.plans, premier: { ...agentData.plans.premier!, survey: true } } } });
});
afterAll(async () => {
  await h?.stop();
});

const queueResult = (t: { number: string; callSid: string; language: string }, result = 'bridged', callSid = t.callSid) =>
  h.voice(`/twilio/call/queue-result?t=${t.number}&lang=${t.language}`, { CallSid: callSid, QueueResult: result, QueueTime: '40' });

describe('survey after a conversation', () => {
  it('asks a caller of a survey plan to rate 1 to 5 and stores the rating once', async () => {
    const t = await h.waitingCaller({ org: 'fabrikam', priorityRank: 1 });
    const ask = await queueResult(t);
    expect(ask.says).toEqual(['Please rate the help you received from 1 to 5, where 5 is the best.']);
    expect(ask.gather?.attrs).toMatchObject({ numDigits: '1', actionOnEmptyResult: 'true' });
    const action = relative(ask.gather!.attrs.action!);
    const wrong = await h.voice(action, { CallSid: t.callSid, Digits: '9' });
    expect(wrong.says).toEqual(['Please press a number from 1 to 5.', 'Please rate the help you received from 1 to 5, where 5 is the best.']);
    const thanks = await h.voice(relative(wrong.gather!.attrs.action!), { CallSid: t.callSid, Digits: '4' });
    expect(thanks.says).toEqual(['Thank you for your rating. Goodbye.']);
    expect(thanks.hangup).toBe(true);
    expect((await h.ticket(t.number)).rating).toBe(4);
    // A replay, or another answer on the same URL, changes nothing; the queue result is not asked again.
    await h.voice(relative(wrong.gather!.attrs.action!), { CallSid: t.callSid, Digits: '1' });
    expect((await h.ticket(t.number)).rating).toBe(4);
    expect((await queueResult(t)).gather).toBeUndefined();
  });

  it('silence is asked again, then the call ends without a rating', async () => {
    const t = await h.waitingCaller({ org: 'fabrikam', priorityRank: 2 });
    let a = await queueResult(t);
    for (let i = 0; i < 2; i++) {
      a = await h.voice(relative(a.gather!.attrs.action!), { CallSid: t.callSid, Digits: '' });
      expect(a.gather).toBeDefined();
    }
    const bye = await h.voice(relative(a.gather!.attrs.action!), { CallSid: t.callSid, Digits: '' });
    expect(bye.says).toEqual(['Goodbye.']);
    expect(bye.hangup).toBe(true);
    expect((await h.ticket(t.number)).rating).toBeUndefined();
  });

  it('no survey for plans and lines that do not ask, for another call, or for a caller who left the queue', async () => {
    const plain = await h.waitingCaller({ org: 'contoso', priorityRank: 1 });
    const none = await queueResult(plain);
    expect(none.gather).toBeUndefined();
    expect(none.hangup).toBe(true);
    const t = await h.waitingCaller({ org: 'fabrikam', priorityRank: 3 });
    expect((await queueResult(t, 'bridged', 'CA' + '1'.repeat(32))).gather).toBeUndefined();
    const forged = await h.voice(`/twilio/call/survey?t=${t.number}&lang=en-US&n=1`, { CallSid: 'CA' + '1'.repeat(32), Digits: '1' });
    expect(forged.hangup).toBe(true);
    expect((await h.ticket(t.number)).rating).toBeUndefined();
    expect((await queueResult(t, 'hangup')).gather).toBeUndefined();
  });

  it('a line may ask for it as well as a plan', async () => {
    const config = await h.deps.directory.config();
    expect(surveyWanted(config, { line: '+18887999666', plan: 'business' })).toBe(false);
    expect(surveyWanted(config, { line: '+18887999666', plan: 'premier' })).toBe(true);
    const withLine = { ...config, lines: config.lines.map((l) => ({ ...l, survey: l.number === '+18887999666' })) };
    expect(surveyWanted(withLine, { line: '+18887999666', plan: 'business' })).toBe(true);
    expect(surveyWanted(withLine, { line: '+48221234567', plan: 'business' })).toBe(false);
  });
});
