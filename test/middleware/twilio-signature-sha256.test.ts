/**
 * Twilio's webhook-rule signatures (HMAC-SHA256, named with its key in X-Twilio-Webhooks-Signature-Settings)
 * are accepted beside the classic HMAC-SHA1 ones, both made here with the twilio library itself; anything
 * else is refused with 403, and every refusal is counted as a SignatureRejected metric.
 */
import { describe, expect, it, vi } from 'vitest';
import { getExpectedTwilioSignature, HMAC_SHA1, HMAC_SHA256, SIGNATURE_SETTINGS_HEADER } from 'twilio/lib/webhooks/webhooks.js';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import { emfCount, reportSignatureRejected, SIGNATURE_REJECTED_METRIC } from '../../functions/middleware/rejection-metric.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { AUTH_TOKEN, BASE_URL, lambdaContext, newCallSid, twilioEvent } from '../support/voice-harness.js';

const SHARED_KEY = 'shared-key-secret-of-the-webhook-rule';
const SETTINGS = (algorithm: string) => `key=webhooks_sharedkey_${'a'.repeat(32)},algorithm=${algorithm}`;
const URL_PATH = '/twilio/voice';

function params(): Record<string, string> {
  return { AccountSid: `AC${'1'.repeat(32)}`, CallSid: newCallSid(), From: '+48601234567', To: '+18885550100', CallStatus: 'ringing' };
}

function stack(o: { sharedKey?: string } = {}) {
  const rejected: string[] = [];
  const seen: Array<Record<string, string>> = [];
  const handler = twilioWebhook(
    async (req) => {
      seen.push(req.params);
      return { twiml: '<Response/>' };
    },
    {
      authToken: async () => AUTH_TOKEN,
      ...(o.sharedKey !== undefined && { sharedKeySecret: async () => o.sharedKey }),
      publicBaseUrl: BASE_URL,
      onRejected: (reason) => rejected.push(reason),
    },
  );
  const send = async (p: Record<string, string>, headers: Record<string, string>) =>
    (await handler(twilioEvent({ url: URL_PATH, params: p, sign: false, headers }), lambdaContext)) as HttpResult;
  return { send, rejected, seen };
}

const signed = (secret: string, p: Record<string, string>, algorithm: string) => getExpectedTwilioSignature(secret, BASE_URL + URL_PATH, p, algorithm);

describe('HMAC-SHA256 webhook-rule signatures', () => {
  it("a request signed with the rule's SharedKey (HMAC-SHA256) is answered", async () => {
    const s = stack({ sharedKey: SHARED_KEY });
    const p = params();
    const res = await s.send(p, { 'x-twilio-signature': signed(SHARED_KEY, p, HMAC_SHA256), [SIGNATURE_SETTINGS_HEADER]: SETTINGS(HMAC_SHA256) });
    expect(res.statusCode).toBe(200);
    expect(s.seen).toEqual([p]);
    expect(s.rejected).toEqual([]);
  });

  it('without a SharedKey configured, an HMAC-SHA256 signature made with the auth token is answered', async () => {
    const s = stack();
    const p = params();
    const res = await s.send(p, { 'X-Twilio-Signature': signed(AUTH_TOKEN, p, HMAC_SHA256), 'x-twilio-webhooks-signature-settings': SETTINGS(HMAC_SHA256) });
    expect(res.statusCode).toBe(200);
    expect(s.seen).toEqual([p]);
  });

  it('the classic HMAC-SHA1 signature with the auth token still passes, with or without the settings header', async () => {
    const s = stack({ sharedKey: SHARED_KEY });
    const p = params();
    expect((await s.send(p, { 'x-twilio-signature': signed(AUTH_TOKEN, p, HMAC_SHA1) })).statusCode).toBe(200);
    expect((await s.send(p, { 'x-twilio-signature': signed(AUTH_TOKEN, p, HMAC_SHA1), [SIGNATURE_SETTINGS_HEADER]: SETTINGS(HMAC_SHA1) })).statusCode).toBe(
      200,
    );
    expect(s.rejected).toEqual([]);
  });

  it('an HMAC-SHA256 signature without the settings header is checked as SHA1, and refused', async () => {
    const s = stack({ sharedKey: SHARED_KEY });
    const p = params();
    const res = await s.send(p, { 'x-twilio-signature': signed(AUTH_TOKEN, p, HMAC_SHA256) });
    expect(res.statusCode).toBe(403);
    expect(s.seen).toEqual([]);
    expect(s.rejected).toEqual(['invalid X-Twilio-Signature']);
  });

  it('a SHA256 signature with another key, or over changed parameters, is refused and counted', async () => {
    const s = stack({ sharedKey: SHARED_KEY });
    const p = params();
    const other = await s.send(p, { 'x-twilio-signature': signed('another-secret', p, HMAC_SHA256), [SIGNATURE_SETTINGS_HEADER]: SETTINGS(HMAC_SHA256) });
    const changed = await s.send(
      { ...p, From: '+48601000000' },
      { 'x-twilio-signature': signed(SHARED_KEY, p, HMAC_SHA256), [SIGNATURE_SETTINGS_HEADER]: SETTINGS(HMAC_SHA256) },
    );
    expect([other.statusCode, changed.statusCode]).toEqual([403, 403]);
    expect(s.seen).toEqual([]);
    expect(s.rejected).toEqual(['invalid X-Twilio-Signature', 'invalid X-Twilio-Signature']);
  });

  it('an algorithm the library does not support is refused with its reason, not guessed', async () => {
    const s = stack({ sharedKey: SHARED_KEY });
    const p = params();
    const res = await s.send(p, { 'x-twilio-signature': signed(SHARED_KEY, p, HMAC_SHA256), [SIGNATURE_SETTINGS_HEADER]: SETTINGS('HMAC_SHA512') });
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe(`unsupported signature algorithm in ${SIGNATURE_SETTINGS_HEADER}`);
    expect(s.rejected).toHaveLength(1);
  });

  it('a missing signature is counted too', async () => {
    const s = stack();
    const res = await s.send(params(), {});
    expect(res.statusCode).toBe(403);
    expect(s.rejected).toEqual(['missing X-Twilio-Signature']);
  });
});

describe('the SignatureRejected metric', () => {
  it('is one embedded-metric-format line in the SupportLine namespace with the service dimension', () => {
    const doc = JSON.parse(emfCount(SIGNATURE_REJECTED_METRIC, 1_700_000_000_000, { reason: 'invalid X-Twilio-Signature' }));
    expect(doc).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [{ Namespace: 'SupportLine', Dimensions: [['service']], Metrics: [{ Name: 'SignatureRejected', Unit: 'Count' }] }],
      },
      service: 'support-line',
      reason: 'invalid X-Twilio-Signature',
      SignatureRejected: 1,
    });
  });

  it('is written on Lambda only (local mode and tests stay quiet)', () => {
    const write = vi.fn();
    reportSignatureRejected('missing X-Twilio-Signature', {}, write);
    expect(write).not.toHaveBeenCalled();
    reportSignatureRejected('missing X-Twilio-Signature', { AWS_LAMBDA_FUNCTION_NAME: 'voice' }, write);
    expect(write).toHaveBeenCalledTimes(1);
    const line = write.mock.calls[0]![0] as string;
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ SignatureRejected: 1, service: 'support-line', reason: 'missing X-Twilio-Signature' });
  });
});
