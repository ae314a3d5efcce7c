/**
 * The local server takes Twilio webhooks through its admission queue (local/admission.ts): with every
 * slot taken, webhooks wait (none runs, none is dropped), `/health` still answers at once and shows the
 * queue, and once slots free up every waiting webhook is answered, never more than the limit at once.
 * A caller step that waits too long is held (local/hold.ts): a redirect, then the step as it was sent.
 * The slots are held by the test itself, so nothing here depends on how fast the machine is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningServer } from '../../local/server.js';
import { HOLD_PARAM } from '../../local/hold.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { stepOf } from '../../bench/lib/caller.js';
import { freePort } from '../e2e/support/npm-start.js';
import { lineData, LINES, PHONES } from '../support/line-data.js';
import { newCallSid } from '../support/voice-harness.js';

const TOKEN = 'admission-auth-token';
const LIMIT = 2;
let server: RunningServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-admission-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(lineData()));
  server = await startLocal({
    port: await freePort(),
    dataFile,
    authToken: TOKEN,
    apiToken: 'admission-api-token',
    outbox: join(dir, 'outbox.jsonl'),
    spoolReplayMs: 0,
    escalationMs: 0,
    webhookConcurrency: LIMIT,
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** The first webhook of a new call, signed as Twilio signs it. */
async function ring(): Promise<{ status: number; body: string }> {
  const params = { CallSid: newCallSid(), AccountSid: `AC${'0'.repeat(32)}`, From: PHONES.stranger, To: LINES.us, CallStatus: 'ringing', Direction: 'inbound' };
  const res = await fetch(`${server.url}/twilio/voice`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(TOKEN, `${server.url}/twilio/voice`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}

/** Waits (by turns of the event loop, not a clock) until `ok()`; the test's own timeout bounds it. */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the local server admits webhooks a few at a time', () => {
  it('queues webhooks behind taken slots, answers /health meanwhile, then answers every webhook, at most the limit at once', async () => {
    // The test takes every slot: webhooks arriving now must wait.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: LIMIT }, () => server.admission.run(() => released));

    const calls = 12;
    let answered = 0;
    const replies = Array.from({ length: calls }, () => ring().finally(() => answered++));
    await until(() => server.admission.stats.waiting === calls);

    // Not queued behind them: the probe answers while every webhook still waits.
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'local', webhooks: { limit: LIMIT, running: LIMIT, waiting: calls } });
    expect(answered).toBe(0);
    expect(server.admission.stats.waiting).toBe(calls);

    release();
    await Promise.all(holders);
    let most = 0;
    const all = Promise.all(replies);
    while (answered < calls) {
      most = Math.max(most, server.admission.stats.running);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answers = await all;
    expect(answers.map((a) => a.status)).toEqual(Array(calls).fill(200));
    for (const a of answers) expect(a.body).toContain('<Gather');
    expect(most).toBeLessThanOrEqual(LIMIT);
    expect(server.admission.stats).toEqual({ running: 0, waiting: 0, peakWaiting: calls });
  }, 60_000);

  it('does not queue what is not a webhook: the API and the board answer with every slot taken', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: LIMIT }, () => server.admission.run(() => released));
    try {
      const api = await fetch(`${server.url}/api/tickets`, { headers: { authorization: 'Bearer admission-api-token' } });
      expect(api.status).toBe(200);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      // A refused webhook (no signature) is still a webhook: it waits its turn like any other.
      let refusedStatus = 0;
      const refused = fetch(`${server.url}/twilio/voice`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'CallSid=x',
      }).then((r) => (refusedStatus = r.status));
      await until(() => server.admission.stats.waiting === 1);
      expect(refusedStatus).toBe(0);
      release();
      await refused;
      expect(refusedStatus).toBe(403);
    } finally {
      release();
      await Promise.all(holders);
    }
  }, 60_000);
});

describe('a caller step that waited too long is held, then runs as it was sent', () => {
  let holding: RunningServer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-hold-'));
    const dataFile = join(dir, 'data.json');
    writeFileSync(dataFile, JSON.stringify(lineData()));
    // No wait allowed: a step that finds the slot taken is held at once, whatever the machine's speed.
    holding = await startLocal({
      port: await freePort(),
      dataFile,
      authToken: TOKEN,
      apiToken: 'hold-api-token',
      outbox: join(dir, 'outbox.jsonl'),
      spoolReplayMs: 0,
      escalationMs: 0,
      webhookConcurrency: 1,
      holdAfterMs: 0,
    });
  }, 120_000);
  afterAll(async () => {
    await holding?.stop();
  });

  /** A webhook to `url` (absolute or a path) with the call's parameters and `more`, signed for that URL. */
  async function post(url: string, callSid: string, more: Record<string, string> = {}): Promise<TwimlElement> {
    const abs = new URL(url, holding.url).toString();
    const params = {
      CallSid: callSid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: PHONES.stranger,
      To: LINES.us,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      ...more,
    };
    const res = await fetch(abs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(TOKEN, abs, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    return parseTwiml(await res.text());
  }
  const gatherAction = (doc: TwimlElement) => childElements(doc, 'Gather')[0]?.attrs.action ?? '';

  it('answers with a silent redirect while every slot is taken, and on the redirect runs the kept request with its keys', async () => {
    const callSid = newCallSid();
    const menu = gatherAction(await post('/twilio/voice', callSid, { CallStatus: 'ringing' }));
    expect(menu).toContain('/twilio/call/menu');

    let release!: () => void;
    const taken = holding.admission.run(() => new Promise<void>((resolve) => (release = resolve)));
    // "2" at the menu (technical support) while the only slot is taken: held, nothing said, nothing run.
    const hold = await post(menu, callSid, { Digits: '2' });
    expect(childElements(hold).map((v) => v.name)).toEqual(['Redirect']);
    const redirect = textOf(childElements(hold, 'Redirect')[0]!);
    expect(new URL(redirect).searchParams.get(HOLD_PARAM)).toMatch(/^[0-9a-f]{32}$/);
    expect(new URL(redirect).pathname).toBe(new URL(menu).pathname);

    release();
    await taken;
    // Twilio follows the redirect without Digits; the step still runs with the "2" it was sent with.
    const next = await post(redirect, callSid);
    const direct = await controlCall();
    expect(stepOf(gatherAction(next))).toBe(stepOf(gatherAction(direct)));
    expect(stepOf(gatherAction(next))).not.toBe('menu');
    // The token was for one redirect: the same URL again is an ordinary (keyless) request for a step already answered.
    expect(stepOf(gatherAction(await post(redirect, callSid)))).toBe(stepOf(gatherAction(next)));
  }, 60_000);

  /** The same call path without a hold: what "2" at the menu leads to. */
  async function controlCall(): Promise<TwimlElement> {
    const callSid = newCallSid();
    const menu = gatherAction(await post('/twilio/voice', callSid, { CallStatus: 'ringing' }));
    return post(menu, callSid, { Digits: '2' });
  }
});
