/**
 * The local server builds the functions' environment as an object of its own and hands it to each
 * entry's `createHandler(env)`: `process.env` is the same after `startLocal` as before, and two servers
 * in one process each run on their own tokens, tables and outbox (a shared `process.env` would have given
 * the second server the first one's configuration, or the first one the second's).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningServer } from '../../local/server.js';
import { freePort } from '../e2e/support/npm-start.js';
import { lineData, LINES, PHONES } from '../support/line-data.js';
import { newCallSid } from '../support/voice-harness.js';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

async function start(dir: string, name: string): Promise<RunningServer> {
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(lineData()));
  const s = await startLocal({
    port: await freePort(),
    dataFile,
    authToken: `${name}-auth-token`,
    apiToken: `${name}-api-token`,
    outbox: join(dir, `${name}-outbox.jsonl`),
    spoolReplayMs: 0,
    escalationMs: 0,
  });
  running.push(s);
  return s;
}

/** A first webhook of a call, signed with `token` as Twilio signs it. */
function voice(s: RunningServer, token: string): Promise<Response> {
  const params = { CallSid: newCallSid(), AccountSid: `AC${'0'.repeat(32)}`, From: PHONES.stranger, To: LINES.us, CallStatus: 'ringing', Direction: 'inbound' };
  return fetch(`${s.url}/twilio/voice`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(token, `${s.url}/twilio/voice`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

const apiStatus = async (s: RunningServer, token: string) => (await fetch(`${s.url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('startLocal and process.env', () => {
  it('leaves process.env untouched, and two servers in one process keep their own configuration', async () => {
    const before = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), 'local-env-'));
    const a = await start(dir, 'a');
    const b = await start(dir, 'b');
    expect({ ...process.env }).toEqual(before);
    for (const name of ['TABLE_TICKETS', 'API_TOKEN', 'TWILIO_AUTH_TOKEN', 'LOCAL_OUTBOX', 'DYNAMODB_ENDPOINT']) {
      expect(process.env[name], name).toBe(before[name]);
    }

    // Each server's functions run on the environment it built: its own tokens, not the other's.
    expect(await apiStatus(a, 'a-api-token')).toBe(200);
    expect(await apiStatus(a, 'b-api-token')).toBe(401);
    expect(await apiStatus(b, 'b-api-token')).toBe(200);
    expect(await apiStatus(b, 'a-api-token')).toBe(401);
    const answered = await voice(a, 'a-auth-token');
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('<Gather');
    expect((await voice(a, 'b-auth-token')).status).toBe(403);
    expect((await voice(b, 'b-auth-token')).status).toBe(200);

    const health = await fetch(`${a.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'local', database: 'embedded, in memory', dataLoad: 'loaded' });
    expect({ ...process.env }).toEqual(before);
  }, 120_000);
});
