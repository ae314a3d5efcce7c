/**
 * One record per webhook step (contract §6 locally, structured logs on AWS): the call, the step, the outcome
 * the caller was left in and the time taken, for answered, refused and failed steps alike.
 */
import { describe, expect, it } from 'vitest';
import { twilioWebhook, stepOutcome, type WebhookStep } from '../../functions/middleware/twilio-webhook.js';
import { AUTH_TOKEN, BASE_URL, lambdaContext, newCallSid, twilioEvent } from '../support/voice-harness.js';

function stack(answer: () => Promise<{ twiml: string }>) {
  const steps: WebhookStep[] = [];
  const handler = twilioWebhook(answer, { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL, onStep: (s) => steps.push(s) });
  return { steps, run: (e: Parameters<typeof handler>[0]) => handler(e, lambdaContext) };
}

describe('webhook step records', () => {
  it('names the call, the step and the verb the caller is left in', async () => {
    const { steps, run } = stack(async () => ({ twiml: '<Response><Gather action="/x"><Say>Press 1</Say></Gather><Redirect>/y</Redirect></Response>' }));
    const sid = newCallSid();
    await run(twilioEvent({ url: '/twilio/call/priority?s=3', params: { CallSid: sid, From: '+15555550123', To: '+18887999666' } }));
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ callSid: sid, step: '/twilio/call/priority', status: 200, outcome: 'redirect' });
    expect(steps[0]!.ms).toBeGreaterThanOrEqual(0);
  });

  it('records a refused signature as its status', async () => {
    const { steps, run } = stack(async () => ({ twiml: '<Response/>' }));
    const sid = newCallSid();
    const res = await run(twilioEvent({ url: '/twilio/voice', params: { CallSid: sid }, sign: false, headers: { 'x-twilio-signature': 'forged' } }));
    expect((res as { statusCode: number }).statusCode).toBe(403);
    expect(steps.map((s) => [s.step, s.status, s.outcome])).toEqual([['/twilio/voice', 403, '403']]);
  });

  it('records a failing step as the spoken apology the caller got', async () => {
    const { steps, run } = stack(async () => {
      throw new Error('boom');
    });
    await run(twilioEvent({ url: '/twilio/voice', params: { CallSid: newCallSid() } }));
    expect(steps).toHaveLength(1);
    expect(steps[0]!.status).toBe(200);
    expect(['say', 'hangup']).toContain(steps[0]!.outcome);
  });

  it.each([
    [200, '<Response><Say>Hi</Say><Enqueue>q</Enqueue></Response>', 'enqueue'],
    [200, '<Response><Say>Bye</Say><Hangup/></Response>', 'hangup'],
    [200, '<Response><Say>Hold</Say></Response>', 'say'],
    [200, '<Response/>', 'ok'],
    [403, 'invalid X-Twilio-Signature', '403'],
  ])('outcome of %i %s is %s', (status, body, outcome) => {
    expect(stepOutcome(status, body)).toBe(outcome);
  });
});
