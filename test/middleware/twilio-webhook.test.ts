/**
 * The Twilio middleware stack (form body → signature → handler) exactly as the voice function runs it:
 * forged, altered or malformed requests are refused with a 4xx and change nothing in DynamoDB; genuine
 * ones are answered with TwiML; failures inside are spoken, never a 5xx.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import { publicBaseUrlOf, signedUrlOf } from '../../functions/middleware/twilio-signature.js';
import { voiceWebhook } from '../../functions/app/voice-webhook.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { AUTH_TOKEN, BASE_URL, lambdaContext, newCallSid, parseAnswer, startHarness, twilioEvent, type Harness } from '../support/voice-harness.js';
import { LINES, PHONES } from '../support/line-data.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

function callParams(more: Record<string, string> = {}): Record<string, string> {
  return { AccountSid: `AC${'1'.repeat(32)}`, CallSid: newCallSid(), From: PHONES.ada, To: LINES.us, CallStatus: 'ringing', Direction: 'inbound', ...more };
}

async function send(event: APIGatewayProxyEventV2, handler = h.handler): Promise<HttpResult> {
  return handler(event);
}

let before: { calls: unknown[]; tickets: unknown[] };
/** The calls and tickets tables are exactly as they were when the test began. */
async function expectNothingWritten(): Promise<void> {
  expect({ calls: await h.scan('calls'), tickets: await h.scan('tickets') }).toEqual(before);
}
beforeEach(async () => {
  before = { calls: await h.scan('calls'), tickets: await h.scan('tickets') };
});

describe('signature check through the real stack', () => {
  it('a request signed as Twilio signs it is answered with TwiML and starts the call', async () => {
    const params = callParams();
    const res = await send(twilioEvent({ url: '/twilio/voice', params }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/xml; charset=utf-8');
    const answer = parseAnswer(res);
    expect(answer.gather?.attrs.action).toBe(`${BASE_URL}/twilio/call/menu?s=1`);
    // The menu only asks: the call is stored when the caller answers it.
    await expectNothingWritten();
    await send(twilioEvent({ url: '/twilio/call/menu?s=1', params: { ...params, Digits: '2' } }));
    const added = (await h.scan('calls')).filter((c) => !before.calls.some((b) => (b as { pk: string }).pk === c.pk));
    expect(added.map((c) => [c.pk, c.expect])).toEqual([[`CALL#${params.CallSid}`, 'priority']]);
  });

  it('a changed parameter gets 403 and writes nothing', async () => {
    const params = callParams();
    const signed = getExpectedTwilioSignature(AUTH_TOKEN, `${BASE_URL}/twilio/voice`, params);
    const event = twilioEvent({ url: '/twilio/voice', params: { ...params, From: PHONES.nia }, sign: false, headers: { 'x-twilio-signature': signed } });
    const res = await send(event);
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe('invalid X-Twilio-Signature');
    await expectNothingWritten();
  });

  it('an added parameter gets 403', async () => {
    const params = callParams();
    const signed = getExpectedTwilioSignature(AUTH_TOKEN, `${BASE_URL}/twilio/voice`, params);
    const res = await send(
      twilioEvent({
        url: '/twilio/voice',
        params: { ...params, StirVerstat: 'TN-Validation-Passed-A' },
        sign: false,
        headers: { 'x-twilio-signature': signed },
      }),
    );
    expect(res.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('a changed path gets 403 and writes nothing', async () => {
    const params = callParams({ Digits: '2' });
    const res = await send(twilioEvent({ url: '/twilio/call/menu?s=1', params, signedUrl: `${BASE_URL}/twilio/call/priority?s=1` }));
    expect(res.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('a changed query gets 403 and writes nothing', async () => {
    const params = callParams({ Digits: '2' });
    const res = await send(twilioEvent({ url: '/twilio/call/menu?s=2', params, signedUrl: `${BASE_URL}/twilio/call/menu?s=1` }));
    expect(res.statusCode).toBe(403);
    const dropped = await send(twilioEvent({ url: '/twilio/call/menu', params, signedUrl: `${BASE_URL}/twilio/call/menu?s=1` }));
    expect(dropped.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('a signature over another host gets 403', async () => {
    const params = callParams();
    const res = await send(twilioEvent({ url: '/twilio/voice', params, signedUrl: 'https://attacker.example/twilio/voice' }));
    expect(res.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('a signature made with another auth token gets 403 and writes nothing', async () => {
    const res = await send(twilioEvent({ url: '/twilio/voice', params: callParams(), token: 'another-token-0123456789abcdef' }));
    expect(res.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('a missing signature header gets 403 and writes nothing', async () => {
    const res = await send(twilioEvent({ url: '/twilio/voice', params: callParams(), sign: false }));
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe('missing X-Twilio-Signature');
    await expectNothingWritten();
  });

  it('an empty signature header gets 403', async () => {
    const res = await send(twilioEvent({ url: '/twilio/voice', params: callParams(), sign: false, headers: { 'X-Twilio-Signature': '' } }));
    expect(res.statusCode).toBe(403);
    await expectNothingWritten();
  });

  it('the signature header is found whatever its case', async () => {
    const params = callParams({ To: LINES.unknown });
    const sig = getExpectedTwilioSignature(AUTH_TOKEN, `${BASE_URL}/twilio/voice`, params);
    const res = await send(twilioEvent({ url: '/twilio/voice', params, sign: false, headers: { 'X-Twilio-Signature': sig } }));
    expect(res.statusCode).toBe(200);
    await expectNothingWritten();
  });

  it('a signed step request for a call that never started is answered with speech and writes nothing', async () => {
    const res = await send(twilioEvent({ url: '/twilio/call/priority?s=3', params: callParams({ Digits: '1' }) }));
    expect(res.statusCode).toBe(200);
    const a = parseAnswer(res);
    // With no stored state it is a call at its unstored first menu, which is asked again (step-runner.ts).
    expect(a.says[0]).toBe('Thank you for calling support.');
    expect(a.gather?.attrs.action).toBe(`${BASE_URL}/twilio/call/menu?s=1`);
    await expectNothingWritten();
  });
});

describe('the https port in signed URLs', () => {
  const unknownLine = () => callParams({ To: LINES.unknown });

  it('Twilio signing the URL with :443 passes against a base URL without it', async () => {
    const params = unknownLine();
    const res = await send(twilioEvent({ url: '/twilio/voice', params, signedUrl: 'https://support.example.com:443/twilio/voice' }));
    expect(res.statusCode).toBe(200);
  });

  it('a base URL configured with :443 accepts Twilio signing without it, and with it', async () => {
    const stack = twilioWebhook(voiceWebhook(h.deps), { authToken: async () => AUTH_TOKEN, publicBaseUrl: 'https://support.example.com:443' });
    const handler = async (e: APIGatewayProxyEventV2) => (await stack(e, lambdaContext)) as HttpResult;
    const without = await handler(twilioEvent({ url: '/twilio/voice', params: unknownLine(), signedUrl: 'https://support.example.com/twilio/voice' }));
    expect(without.statusCode).toBe(200);
    const withPort = await handler(twilioEvent({ url: '/twilio/voice', params: unknownLine(), signedUrl: 'https://support.example.com:443/twilio/voice' }));
    expect(withPort.statusCode).toBe(200);
  });

  it('another port is another URL: 403', async () => {
    const res = await send(twilioEvent({ url: '/twilio/voice', params: unknownLine(), signedUrl: 'https://support.example.com:8443/twilio/voice' }));
    expect(res.statusCode).toBe(403);
  });

  it('http instead of https is another URL: 403', async () => {
    const res = await send(twilioEvent({ url: '/twilio/voice', params: unknownLine(), signedUrl: 'http://support.example.com/twilio/voice' }));
    expect(res.statusCode).toBe(403);
  });

  it('without a configured base URL, the API Gateway domain and stage are what is signed', async () => {
    const stack = twilioWebhook(voiceWebhook(h.deps), { authToken: async () => AUTH_TOKEN });
    const event = twilioEvent({
      url: '/twilio/voice',
      params: unknownLine(),
      signedUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/twilio/voice',
    });
    event.requestContext.domainName = 'abc123.execute-api.eu-west-1.amazonaws.com';
    event.requestContext.stage = 'prod';
    const res = (await stack(event, lambdaContext)) as HttpResult;
    expect(res.statusCode).toBe(200);
    expect(publicBaseUrlOf(event)).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
    event.requestContext.stage = '$default';
    expect(publicBaseUrlOf(event)).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com');
    expect(publicBaseUrlOf(event, 'https://configured.example')).toBe('https://configured.example');
    expect(signedUrlOf({ ...event, rawPath: '/twilio/call/menu', rawQueryString: 's=1' }, 'https://b.example')).toBe('https://b.example/twilio/call/menu?s=1');
    expect(signedUrlOf({ ...event, rawPath: '/twilio/voice', rawQueryString: '' }, 'https://b.example')).toBe('https://b.example/twilio/voice');
  });
});

describe('bodies that are not a Twilio form', () => {
  it('a JSON body gets 415 and writes nothing', async () => {
    const params = callParams();
    const res = await send(twilioEvent({ url: '/twilio/voice', params, body: JSON.stringify(params), contentType: 'application/json' }));
    expect(res.statusCode).toBe(415);
    expect(res.body).toMatch(/x-www-form-urlencoded/);
    await expectNothingWritten();
  });

  it('a body without a content type gets 415', async () => {
    const params = callParams();
    const res = await send(twilioEvent({ url: '/twilio/voice', params, contentType: null }));
    expect(res.statusCode).toBe(415);
    await expectNothingWritten();
  });

  it('the form content type with a charset is accepted, in any case', async () => {
    const params = callParams({ To: LINES.unknown });
    const res = await send(twilioEvent({ url: '/twilio/voice', params, contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }));
    expect(res.statusCode).toBe(200);
  });

  it('a base64-encoded form body (as API Gateway may deliver it) is decoded and checked', async () => {
    const params = callParams({ To: LINES.unknown });
    const ok = await send(twilioEvent({ url: '/twilio/voice', params, base64: true }));
    expect(ok.statusCode).toBe(200);
    expect(parseAnswer(ok).says[0]).toMatch(/^Sorry, this number does not reach our support line/);
    const forged = await send(twilioEvent({ url: '/twilio/voice', params, base64: true, token: 'wrong-token' }));
    expect(forged.statusCode).toBe(403);
  });

  it('a huge body gets 413 before anything else, and writes nothing', async () => {
    const params = callParams({ Padding: 'x'.repeat(70 * 1024) });
    const res = await send(twilioEvent({ url: '/twilio/voice', params }));
    expect(res.statusCode).toBe(413);
    const unsigned = await send(twilioEvent({ url: '/twilio/voice', params, sign: false }));
    expect(unsigned.statusCode).toBe(413);
    await expectNothingWritten();
  });

  it('a body that is not a form, unsigned, gets 403; signed as parsed, it is answered with speech, not a 5xx', async () => {
    const garbage = '\u0000\u00ff<xml>not=a&form%ZZ';
    const unsigned = await send(twilioEvent({ url: '/twilio/voice', params: {}, body: garbage, sign: false }));
    expect(unsigned.statusCode).toBe(403);
    // Whatever URLSearchParams makes of it, signed over exactly that: no CallSid → a spoken apology.
    const parsed = Object.fromEntries(new URLSearchParams(garbage));
    const signed = await send(twilioEvent({ url: '/twilio/voice', params: parsed, body: garbage }));
    expect(signed.statusCode).toBe(200);
    const a = parseAnswer(signed);
    expect(a.says).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
    expect(a.hangup).toBe(true);
    await expectNothingWritten();
  });

  it('a form without CallSid or with a CallSid that is not Twilio’s is answered with speech and writes nothing', async () => {
    for (const CallSid of ['', 'CA123', `XX${'a'.repeat(32)}`, `CA${'g'.repeat(32)}`]) {
      const res = await send(twilioEvent({ url: '/twilio/voice', params: callParams({ CallSid }) }));
      expect(res.statusCode).toBe(200);
      expect(parseAnswer(res).says).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
    }
    await expectNothingWritten();
  });
});

describe('failures inside the stack', () => {
  it('a handler that throws is answered 200 with a spoken apology, and the error is reported', async () => {
    const reported: unknown[] = [];
    const stack = twilioWebhook(
      async () => {
        throw new Error('boom');
      },
      { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL, onError: (e) => reported.push(e) },
    );
    const res = (await stack(twilioEvent({ url: '/twilio/voice', params: callParams() }), lambdaContext)) as HttpResult;
    expect(res.statusCode).toBe(200);
    const a = parseAnswer(res);
    expect(a.says).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
    expect(a.hangup).toBe(true);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe('boom');
  });

  it('an auth token that cannot be read fails closed with 403, not a 5xx', async () => {
    const stack = twilioWebhook(async () => ({ language: 'en-US', verbs: [] }), { authToken: async () => '', publicBaseUrl: BASE_URL });
    const res = (await stack(twilioEvent({ url: '/twilio/voice', params: callParams() }), lambdaContext)) as HttpResult;
    expect(res.statusCode).toBe(403);
  });

  it('the handler sees the verified parameters, the query, the path parameters and the base URL', async () => {
    const seen: unknown[] = [];
    const stack = twilioWebhook(
      async (req) => {
        seen.push(req);
        return { language: 'pl-PL', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] };
      },
      { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL },
    );
    const params = callParams({ Digits: '2' });
    const event = twilioEvent({ url: '/twilio/call/menu?s=4&x=y%20z', params, headers: { 'I-Twilio-Idempotency-Token': 'idem-1' } });
    const res = (await stack(event, lambdaContext)) as HttpResult;
    expect(res.statusCode).toBe(200);
    expect(parseAnswer(res).languages).toEqual(['pl-PL']);
    expect(parseAnswer(res).says).toEqual(['Do widzenia.']);
    expect(seen).toEqual([{ params, query: { s: '4', x: 'y z' }, pathParams: { step: 'menu' }, baseUrl: BASE_URL, idempotencyToken: 'idem-1' }]);
  });

  it('a handler still running when Lambda is about to time out answers with speech (early timeout)', async () => {
    const stack = twilioWebhook(() => new Promise(() => undefined), { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL });
    const shortContext = { ...lambdaContext, getRemainingTimeInMillis: () => 1_600 };
    const res = (await stack(twilioEvent({ url: '/twilio/voice', params: callParams() }), shortContext)) as HttpResult;
    expect(res.statusCode).toBe(200);
    expect(parseAnswer(res).says).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
  });
});
