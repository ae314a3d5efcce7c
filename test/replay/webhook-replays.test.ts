/**
 * Twilio's retries and reorderings, through the local HTTP server: every webhook of full call paths sent
 * twice (one after the other, and both at once, as a retry racing a slow first attempt), and requests out
 * of order where Twilio can send them so (a late duplicate of an earlier step, the status callback before
 * the last step's answer, the wait URL after the queue result). The outcome must not change: the same
 * answers, one ticket, one code sent (outbox lines), one code attempt counted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningServer } from '../../local/server.js';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { HANG_UP, placeCall, stepOf, type Keys, type Transport } from '../../bench/lib/caller.js';
import { freePort } from '../../bench/lib/free-port.js';
import { httpTransport } from '../../bench/lib/http-transport.js';
import { newCallSid } from '../../bench/lib/in-process.js';
import { OutboxReader } from '../../bench/lib/outbox-reader.js';
import { heardTicketNumber } from '../../bench/lib/recording-notifier.js';

const TOKEN = 'replay-auth-token';
const API = 'replay-api-token';
const bd = benchData({ registered: 10, coded: 10 });
let server: RunningServer;
let send: ReturnType<typeof httpTransport>;
let outbox: OutboxReader;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(bd.data));
  server = await startLocal({ port: await freePort(), dataFile, authToken: TOKEN, apiToken: API, outbox: join(dir, 'outbox.jsonl'), spoolReplayMs: 0 });
  send = httpTransport(server.url, TOKEN);
  outbox = new OutboxReader(join(dir, 'outbox.jsonl'));
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: server.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});
afterAll(async () => {
  send?.close();
  doc?.destroy();
  await server?.stop();
});

interface Pair {
  step: string;
  first: { status: number; body: string };
  second: { status: number; body: string };
}

/** Sends every webhook twice with the same parameters: `after` one another, or `together`. */
function twice(mode: 'after' | 'together', pairs: Pair[]): Transport {
  return async (url, params) => {
    let first: { status: number; body: string };
    let second: { status: number; body: string };
    if (mode === 'after') {
      first = await send(url, params);
      second = await send(url, params);
    } else {
      [first, second] = await Promise.all([send(url, params), send(url, params)]);
    }
    pairs.push({ step: stepOf(url), first, second });
    return first;
  };
}

async function ticketsOf(callSid: string): Promise<Array<Record<string, unknown>>> {
  const out = await doc.send(
    new ScanCommand({
      TableName: server.tables.tickets,
      FilterExpression: 'callSid = :c AND sk = :t',
      ExpressionAttributeValues: { ':c': callSid, ':t': 'TICKET' },
    }),
  );
  return out.Items ?? [];
}

const messagesTo = (to: string) => outbox.poll().filter((m) => m.to === to);

describe.each(['after', 'together'] as const)('every webhook sent twice (%s)', (mode) => {
  it('registered caller: the same answers, one ticket, one confirmation', async () => {
    const caller = bd.registered[mode === 'after' ? 0 : 1]!;
    const pairs: Pair[] = [];
    const call = await placeCall(twice(mode, pairs), {
      callSid: newCallSid(),
      from: caller.phone,
      to: LINE,
      keys: callerKeys({ priority: '2' }),
      statusCallback: true,
    });
    expect(call.error).toBeUndefined();
    expect(call.end).toBe('enqueue');
    expect(pairs.map((p) => p.step)).toEqual(['voice', 'menu', 'priority', 'wait', 'status']);
    for (const p of pairs) {
      expect(p.first.status, p.step).toBe(200);
      expect(p.second, p.step).toEqual(p.first);
    }
    const number = heardTicketNumber(call.heard)!;
    // The status callback (caller hung up while waiting) abandons the ticket once; its twin changes nothing.
    expect(await ticketsOf(call.callSid)).toEqual([expect.objectContaining({ number, status: 'abandoned' })]);
    expect(messagesTo(caller.phone).filter((m) => m.body.includes(`Support ticket ${number}`))).toHaveLength(1);
  });

  it('caller verified by code, with one wrong code first: one code sent, one attempt counted, one ticket', async () => {
    const c = bd.coded[mode === 'after' ? 0 : 1]!;
    const pairs: Pair[] = [];
    let codeTries = 0;
    const keys: Keys = async (prompt, attrs) => {
      if (/6 digit code/i.test(prompt) && codeTries++ === 0) return '000000#';
      return callerKeys({ account: c.account, channel: '1', code: () => outbox.codeFor(c.contact), priority: '3' })(prompt, attrs);
    };
    const callSid = newCallSid();
    const call = await placeCall(twice(mode, pairs), { callSid, from: c.phone, to: LINE, keys });
    expect(call.error).toBeUndefined();
    expect(call.end).toBe('enqueue');
    for (const p of pairs) expect(p.second, p.step).toEqual(p.first);
    // One wrong entry sent twice counts once: 4 of 5 tries left, in both answers.
    const wrong = pairs.filter((p) => p.step === 'code')[0]!;
    expect(wrong.first.body).toMatch(/You have 4 tries left/);
    const stored = await doc.send(new GetCommand({ TableName: server.tables.calls, Key: { pk: `CALL#${callSid}`, sk: 'CODE' } }));
    expect(stored.Item).toMatchObject({ attempts: 1, used: true });
    expect(messagesTo(c.contact).filter((m) => /verification code is \d{6}/.test(m.body))).toHaveLength(1);
    const number = heardTicketNumber(call.heard)!;
    expect(await ticketsOf(callSid)).toEqual([expect.objectContaining({ number, status: 'waiting', verifiedBy: 'code' })]);
  });
});

describe('out of order, as Twilio can deliver', () => {
  it('a late duplicate of an earlier step gets spoken TwiML and changes nothing', async () => {
    const caller = bd.registered[2]!;
    const callSid = newCallSid();
    const seen: Array<{ url: string; params: Record<string, string>; body: string }> = [];
    const recording: Transport = async (url, params) => {
      const res = await send(url, params);
      seen.push({ url, params, body: res.body });
      return res;
    };
    const call = await placeCall(recording, { callSid, from: caller.phone, to: LINE, keys: callerKeys({ priority: '3' }) });
    const before = await ticketsOf(callSid);
    const stateBefore = await doc.send(new GetCommand({ TableName: server.tables.calls, Key: { pk: `CALL#${callSid}`, sk: 'STATE' } }));
    const messagesBefore = outbox.poll().length;
    for (const old of seen.filter((s) => ['voice', 'menu', 'priority'].includes(stepOf(s.url)))) {
      const again = await send(old.url, old.params);
      // The call is past that step: the step runner answers with where the call is now, as its design says;
      // the first webhook reads nothing (its menu only asks and is not stored) and asks its menu again.
      const expected = stepOf(old.url) === 'voice' ? old.body : seen.filter((s) => stepOf(s.url) !== 'wait').at(-1)!.body;
      expect(again).toEqual({ status: 200, body: expected });
    }
    expect(await ticketsOf(callSid)).toEqual(before);
    expect((await doc.send(new GetCommand({ TableName: server.tables.calls, Key: { pk: `CALL#${callSid}`, sk: 'STATE' } }))).Item).toEqual(stateBefore.Item);
    expect(outbox.poll()).toHaveLength(messagesBefore);
    expect(before).toEqual([expect.objectContaining({ number: heardTicketNumber(call.heard) })]);
  });

  it('the status callback before the last step\u2019s answer: the ticket is still opened once, and not left waiting for a caller who is gone', async () => {
    const caller = bd.registered[3]!;
    const callSid = newCallSid();
    const base = { AccountSid: `AC${'a'.repeat(32)}`, CallSid: callSid, From: caller.phone, To: LINE };
    let priorityUrl = '';
    const call = await placeCall(send, {
      callSid,
      from: caller.phone,
      to: LINE,
      keys: (prompt, attrs) => {
        if (/priority/i.test(prompt)) {
          priorityUrl = attrs.action!;
          return HANG_UP; // the key press is still on its way when the call ends
        }
        return callerKeys({})(prompt, attrs);
      },
    });
    expect(call.end).toBe('caller-hung-up');
    const status = await send('/twilio/status', { ...base, CallStatus: 'completed', CallDuration: '20' });
    expect(status.status).toBe(200);
    const [late, lateTwin] = await Promise.all([
      send(priorityUrl, { ...base, CallStatus: 'completed', Digits: '2' }),
      send(priorityUrl, { ...base, CallStatus: 'completed', Digits: '2' }),
    ]);
    expect(late.status).toBe(200);
    expect(lateTwin).toEqual(late);
    // One ticket, kept for a callback: abandoned, as if the caller had hung up while waiting.
    expect(await ticketsOf(callSid)).toEqual([expect.objectContaining({ status: 'abandoned', abandonedAt: expect.any(String) })]);
    const state = await doc.send(new GetCommand({ TableName: server.tables.calls, Key: { pk: `CALL#${callSid}`, sk: 'STATE' } }));
    expect(state.Item?.endedAt).toEqual(expect.any(String));
  });

  it('the wait URL after the queue result, and a repeated queue result: the ticket is abandoned once', async () => {
    const caller = bd.registered[4]!;
    const callSid = newCallSid();
    const call = await placeCall(send, { callSid, from: caller.phone, to: LINE, keys: callerKeys({ priority: '3' }) });
    const enqueue = call.enqueue!;
    const base = { AccountSid: `AC${'a'.repeat(32)}`, CallSid: callSid, From: caller.phone, To: LINE, CallStatus: 'completed' };
    const result = await send(enqueue.attrs.action!, { ...base, QueueResult: 'hangup', QueueTime: '12' });
    expect(result.status).toBe(200);
    const [abandoned] = await ticketsOf(callSid);
    expect(abandoned).toMatchObject({ status: 'abandoned' });
    const wait = await send(enqueue.attrs.waitUrl!, { ...base, QueuePosition: '1', AvgQueueTime: '30' });
    expect(wait.status).toBe(200);
    expect(wait.body).toMatch(/<Response>/);
    expect(await send(enqueue.attrs.action!, { ...base, QueueResult: 'hangup', QueueTime: '12' })).toEqual(result);
    expect(await send('/twilio/status', base)).toMatchObject({ status: 200 });
    expect(await ticketsOf(callSid)).toEqual([abandoned]);
  });
});
