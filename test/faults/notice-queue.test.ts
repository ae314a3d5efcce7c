/**
 * One ticket and one confirmation per call, whatever fails (the notice queue and the per-call key):
 * DynamoDB refusing or throttling at the priority step while Twilio retries it, the outbox disk full, the
 * server restarting between steps (the spool and notice files survive), and the callback step (a waiting
 * caller pressing 1) throttled or after a restart. Each test says what the caller heard, how many
 * tickets of the call exist and how many confirmations and pages went out, exactly, and that nothing of
 * a failed request lands afterwards.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCallStore } from '../../functions/adapters/dynamodb/call-store.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { FileNoticeQueue } from '../../functions/adapters/notice-queue/file-notice-queue.js';
import { OutboxNotifier, OutboxPager } from '../../functions/adapters/outbox/outbox.js';
import { FileTicketSpool } from '../../functions/adapters/spool/file-spool.js';
import { deliverNotice } from '../../functions/app/notice-replay.js';
import type { Pager } from '../../functions/app/ports.js';
import { replaySpooledTicket } from '../../functions/app/spool-replay.js';
import { ticketsApi } from '../../functions/app/tickets-api.js';
import type { WiringOverrides } from '../../functions/wiring.js';
import { httpApiEvent } from '../../local/http-api-event.js';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { placeCall, type CallRecord, type Keys } from '../../bench/lib/caller.js';
import { dynamoProbe, type DynamoProbe } from '../../bench/lib/dynamo-probe.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardReference, heardTicketNumber, RecordingNotifier } from '../../bench/lib/recording-notifier.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { trackInFlight, type InFlight } from '../support/in-flight.js';

const bd = benchData({ registered: 16, coded: 0 });
let db: EmbeddedDynamo;
let probe: DynamoProbe;
const notifier = new RecordingNotifier();
const pages: string[] = [];
const pager: Pager = { page: async (subject) => void pages.push(subject) };

/** DynamoDB requests of the server's client still running (its SDK retries and their backoff included). */
let inFlight: InFlight;

beforeAll(async () => {
  db = await startDynamo();
  probe = dynamoProbe(db.endpoint);
  inFlight = trackInFlight(probe.client, 'noticeQueueInFlight');
});
afterEach(() => {
  probe.fault = undefined;
});
afterAll(async () => {
  probe.client.destroy();
  await db.stop();
});

/** A local "server": the functions over the embedded DynamoDB, with the spool and notice files of `dir`. */
interface Server {
  line: InProcessLine;
  spool: FileTicketSpool;
  notices: FileNoticeQueue;
  /** The local server's timers: the spool replay, then the notice drain (both with the per-call key). */
  drain(): Promise<void>;
}

let loaded = false;
async function server(dir: string, overrides: WiringOverrides = {}): Promise<Server> {
  const spool = new FileTicketSpool(join(dir, 'spool.jsonl'));
  const notices = new FileNoticeQueue(join(dir, 'notices.jsonl'));
  const line = await inProcessLine({ db, data: bd.data, doc: probe.doc, load: !loaded, overrides: { notifier, pager, spool, notices, ...overrides } });
  loaded = true;
  const tickets = new DynamoTicketStore(db.doc, db.tables.tickets);
  const calls = new DynamoCallStore(db.doc, db.tables.calls);
  return {
    line,
    spool,
    notices,
    drain: async () => {
      await spool.drain((r) => replaySpooledTicket(r, tickets, calls));
      await notices.drain((r) => deliverNotice(r, { notifier, pager, tickets, calls, now: () => new Date() }));
    },
  };
}

/** Every ticket of the call, from the table itself. */
async function ticketsOf(callSid: string): Promise<Array<Record<string, unknown>>> {
  const out = await db.doc.send(
    new ScanCommand({
      TableName: db.tables.tickets,
      FilterExpression: 'sk = :t AND callSid = :c',
      ExpressionAttributeValues: { ':t': 'TICKET', ':c': callSid },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** Confirmations (texts and emails) about ticket `number` that went out. */
const confirmationsOf = (number: string) => notifier.sent.filter((m) => m.body.includes(`ticket ${number} `));
const pagesOf = (number: string) => pages.filter((p) => p.includes(number));

/**
 * Waits until none of the server's DynamoDB requests is still running, then checks nothing of the call
 * changed: no write lands late. A late write is one of those requests (once a webhook has answered, its
 * request budget refuses any store call it would start: functions/app/time-budget.ts), so waiting for them
 * to end replaces a fixed pause that could be too short on a loaded machine and was most of this file's time.
 */
async function nothingLate(callSid: string, before: Array<Record<string, unknown>>): Promise<void> {
  expect(inFlight.started()).toBeGreaterThan(0); // the count is of the client the server's stores use
  await inFlight.settled();
  expect(inFlight.count()).toBe(0);
  expect(await ticketsOf(callSid)).toEqual(before);
}

/** Keys that run `atPriority` as the caller answers the priority prompt. */
function at(pattern: RegExp, keys: Keys, atPrompt: () => void | Promise<void>): Keys {
  let done = false;
  return async (prompt, attrs) => {
    if (!done && pattern.test(prompt) && /press/i.test(prompt)) {
      done = true;
      await atPrompt();
    }
    return keys(prompt, attrs);
  };
}

/** The ticket a caller leaving the queue is told they will be called back about. */
const calledBackAbout = (body: string) => /call you back about ticket ([\d ,]+), in your turn\. Goodbye\./.exec(says(body).join(' '))?.[1]?.replace(/\D/g, '');

/** The Say texts of a TwiML answer. */
function says(body: string): string[] {
  return [...body.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => m[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
}

/** Twilio's request params for a call already in progress. */
function params(call: CallRecord, from: string, more: Record<string, string>): Record<string, string> {
  return {
    AccountSid: `AC${'0'.repeat(32)}`,
    ApiVersion: '2010-04-01',
    CallSid: call.callSid,
    CallStatus: 'in-progress',
    Direction: 'inbound',
    From: from,
    To: LINE,
    ...more,
  };
}

/** The last request of each call, to post again as Twilio's retry would. */
function recording(line: InProcessLine): Map<string, { url: string; params: Record<string, string> }> {
  const last = new Map<string, { url: string; params: Record<string, string> }>();
  const send = line.send;
  line.send = async (url, p) => {
    last.set(p.CallSid!, { url, params: p });
    return send(url, p);
  };
  return last;
}

const api = () => ticketsApi({ tickets: new DynamoTicketStore(db.doc, db.tables.tickets), audit: { forOrg: async () => [] }, apiToken: async () => undefined });
async function apiGet(number: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await api()(httpApiEvent({ method: 'GET', target: `/api/tickets/${number}`, host: 'localhost', headers: {}, body: '', sourceIp: '127.0.0.1' }));
  return { status: res.statusCode ?? 0, body: JSON.parse(String(res.body)) as Record<string, unknown> };
}

const WILL_FOLLOW = 'A confirmation to your organization will follow shortly.';
const NOT_SENT = 'We could not send a confirmation to your organization.';

describe('priority step, DynamoDB refusing, Twilio retrying', () => {
  it('5 retries during the outage: one reference, one ticket, one confirmation; a retry after recovery gets that same ticket', async () => {
    const s = await server(mkdtempSync(join(tmpdir(), 'notices-refuse-')));
    const last = recording(s.line);
    const caller = bd.registered.pop()!;
    const call = await placeCall(s.line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: at(/priority/i, callerKeys({ priority: '2' }), () => void (probe.fault = 'refused')),
    });
    const ref = heardReference(call.heard);
    expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
    expect(call.heard.join(' ')).toContain(WILL_FOLLOW);
    const retry = last.get(call.callSid)!;
    for (let i = 0; i < 5; i++) {
      const again = await s.line.send(retry.url, retry.params);
      expect(again.status).toBe(200);
      expect(heardReference(says(again.body))).toBe(ref);
      expect(says(again.body).join(' ')).toContain(WILL_FOLLOW);
    }
    expect(await ticketsOf(call.callSid).catch(() => [])).toEqual([]);
    probe.fault = undefined;
    expect(await ticketsOf(call.callSid)).toEqual([]); // nothing of the outage's requests landed
    expect((await s.notices.pending()).map((r) => r.notice.key)).toEqual([`confirm#${call.callSid}`]);
    expect(confirmationsOf(ref!)).toHaveLength(0); // not sent inline: once, from the queue

    await s.drain();
    await s.drain();
    expect(await ticketsOf(call.callSid)).toEqual([expect.objectContaining({ number: ref, status: 'callback', spooled: true })]);
    expect(confirmationsOf(ref!)).toHaveLength(1);

    // Twilio retries once more now that DynamoDB answers: the caller is queued on the ticket they were told.
    const after = await s.line.send(retry.url, retry.params);
    const heard = says(after.body);
    expect(heardTicketNumber(heard), heard.join(' | ')).toBe(ref);
    expect(after.body).toContain('<Enqueue');
    await s.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number: ref, status: 'waiting' })]);
    expect(mine[0]!.spooled).toBeUndefined();
    expect(confirmationsOf(ref!)).toHaveLength(1);
    // The reference the caller heard finds their ticket through the API.
    const got = await apiGet(ref!);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ number: ref, callSid: call.callSid, status: 'waiting' });
    await nothingLate(call.callSid, mine);
  });

  it('a retry that reaches DynamoDB before the replay: one ticket (the reference noted on it), one confirmation', async () => {
    const s = await server(mkdtempSync(join(tmpdir(), 'notices-retry-first-')));
    const last = recording(s.line);
    const caller = bd.registered.pop()!;
    const call = await placeCall(s.line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: at(/priority/i, callerKeys({ priority: '3' }), () => void (probe.fault = 'refused')),
    });
    const ref = heardReference(call.heard)!;
    expect(ref).toMatch(/^9\d{8}$/);
    probe.fault = undefined;
    const retry = last.get(call.callSid)!;
    const after = await s.line.send(retry.url, retry.params);
    const number = heardTicketNumber(says(after.body))!;
    expect(number).toMatch(/^\d{7}$/);
    expect(confirmationsOf(number)).toHaveLength(1); // sent inline by the retry
    await s.drain();
    await s.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'waiting', spoolReference: ref })]);
    // The spooled reference's confirmation finds the call's ticket is another one: not sent.
    expect(confirmationsOf(ref)).toHaveLength(0);
    expect(confirmationsOf(number)).toHaveLength(1);
    await nothingLate(call.callSid, mine);
  });
});

describe('priority step, throttled, then the server restarts', () => {
  it('the spooled ticket and its confirmation survive the restart: one ticket, one confirmation, one page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-throttle-'));
    const first = await server(dir);
    const caller = bd.registered.pop()!;
    const call = await placeCall(first.line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: at(/priority/i, callerKeys({ priority: '1' }), () => void (probe.fault = 'throttle')),
    });
    probe.fault = undefined;
    const ref = heardReference(call.heard)!;
    expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
    expect(call.heard.join(' ')).toContain(WILL_FOLLOW);
    expect(pagesOf(ref)).toHaveLength(0);
    // Restart: a new process reads the same files.
    const second = await server(dir);
    expect((await second.notices.pending()).map((r) => r.notice.key).sort()).toEqual([`confirm#${call.callSid}`, `page#${call.callSid}`]);
    await second.drain();
    await second.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number: ref, status: 'callback', priority: 'P1' })]);
    expect(confirmationsOf(ref)).toHaveLength(1);
    expect(pagesOf(ref)).toHaveLength(1);
    await nothingLate(call.callSid, mine);
  });

  it('a restart between the menu and the priority step: the new server opens the one ticket and confirms it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-restart-'));
    const first = await server(dir);
    let second: Server | undefined;
    const caller = bd.registered.pop()!;
    // The first server answers until the priority prompt; the caller's answer reaches a restarted one.
    const send: typeof first.line.send = (url, p) => (second ?? first).line.send(url, p);
    const call = await placeCall(send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: at(/priority/i, callerKeys({ priority: '2' }), async () => void (second = await server(dir))),
    });
    expect(second).toBeDefined();
    const number = heardTicketNumber(call.heard)!;
    expect(number, call.heard.join(' | ')).toMatch(/^\d{7}$/);
    expect(call.heard.join(' ')).toContain('Details follow by text.');
    expect(call.end).toBe('enqueue');
    await second!.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
    expect(confirmationsOf(number)).toHaveLength(1);
    expect(await second!.notices.pending()).toEqual([]);
    await nothingLate(call.callSid, mine);
  });
});

describe('priority step, the outbox disk full', () => {
  it('the confirmation and the P1 page wait in the notice queue (the caller is told details follow) and go out once the disk has room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-full-'));
    const logged: Array<[string, string]> = [];
    const metrics: string[] = [];
    const s = await server(dir, {
      notifier: new OutboxNotifier('/dev/full'),
      pager: new OutboxPager('/dev/full'),
      log: (level, m) => void logged.push([level, m]),
      metric: (m) => void metrics.push(m),
    });
    const caller = bd.registered.pop()!;
    const call = await placeCall(s.line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '1' }) });
    const number = heardTicketNumber(call.heard)!;
    expect(number, call.heard.join(' | ')).toMatch(/^\d{7}$/);
    const said = call.heard.join(' ');
    expect(said).toContain('Details follow by text.');
    expect(said).not.toContain(NOT_SENT);
    expect(logged).toEqual(
      expect.arrayContaining([
        ['warn', 'confirmation failed'],
        ['warn', 'page failed'],
      ]),
    );
    expect(logged.filter(([level]) => level === 'error')).toEqual([]);
    expect(metrics).not.toContain('PageLost');
    expect((await s.notices.pending()).map((r) => r.notice.kind).sort()).toEqual(['confirmation', 'page']);
    expect(confirmationsOf(number)).toHaveLength(0);
    // Room on the disk again (the drain's notifier and pager work): each goes out once.
    await s.drain();
    await s.drain();
    expect(confirmationsOf(number)).toHaveLength(1);
    expect(pagesOf(number)).toHaveLength(1);
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
    await nothingLate(call.callSid, mine);
  });

  it('with the notice queue on the full disk too: the caller hears it was not sent, and the lost page is an error and a metric', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-full-both-'));
    const logged: Array<[string, string]> = [];
    const metrics: string[] = [];
    const s = await server(dir, {
      notifier: new OutboxNotifier('/dev/full'),
      pager: new OutboxPager('/dev/full'),
      notices: new FileNoticeQueue(join('/dev/full', 'notices.jsonl')),
      log: (level, m) => void logged.push([level, m]),
      metric: (m) => void metrics.push(m),
    });
    const caller = bd.registered.pop()!;
    const call = await placeCall(s.line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '1' }) });
    const number = heardTicketNumber(call.heard)!;
    expect(number, call.heard.join(' | ')).toMatch(/^\d{7}$/);
    expect(call.heard.join(' ')).toContain(NOT_SENT);
    expect(call.heard.join(' ')).not.toContain('Details follow');
    expect(logged).toEqual(
      expect.arrayContaining([
        ['error', 'notice not queued'],
        ['error', 'page lost'],
      ]),
    );
    expect(metrics.filter((m) => m === 'PageLost')).toHaveLength(1);
    expect(confirmationsOf(number)).toHaveLength(0);
    expect(pagesOf(number)).toHaveLength(0);
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
    await nothingLate(call.callSid, mine);
  });
});

describe('callback step (a waiting caller pressing 1)', () => {
  /** A caller queued on a new ticket; returns the call and its ticket number. */
  async function queued(s: Server): Promise<{ call: CallRecord; number: string; from: string }> {
    const caller = bd.registered.pop()!;
    const call = await placeCall(s.line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '3' }) });
    expect(call.end).toBe('enqueue');
    return { call, number: heardTicketNumber(call.heard)!, from: caller.phone };
  }
  const waitKey = (call: CallRecord) => String(call.enqueue!.attrs.waitUrl).replace('/twilio/call/wait?', '/twilio/call/wait-key?');
  const queueResult = (call: CallRecord) => String(call.enqueue!.attrs.action);

  it('throttled: the caller is told the call back cannot be taken now and keeps waiting; pressing 1 again works; one ticket, one confirmation', async () => {
    const s = await server(mkdtempSync(join(tmpdir(), 'notices-cb-throttle-')));
    const { call, number, from } = await queued(s);
    const before = await ticketsOf(call.callSid);
    probe.fault = 'throttle';
    const refused = await s.line.send(waitKey(call), params(call, from, { Digits: '1', QueueTime: '20' }));
    probe.fault = undefined;
    expect(refused.status).toBe(200);
    expect(says(refused.body)).toEqual(['Sorry, we cannot take a call back request now.', 'Please stay on the line for an agent.']);
    await nothingLate(call.callSid, before); // still waiting: the throttled request changed nothing, then or later
    const left = await s.line.send(waitKey(call), params(call, from, { Digits: '1', QueueTime: '40' }));
    expect(left.body).toContain('<Leave');
    const kept = await s.line.send(queueResult(call), params(call, from, { QueueResult: 'leave', QueueTime: '41' }));
    expect(says(kept.body)).toHaveLength(1);
    expect(calledBackAbout(kept.body)).toBe(number);
    await s.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'callback' })]);
    expect(confirmationsOf(number)).toHaveLength(1);
    await nothingLate(call.callSid, mine);
  });

  it('after a server restart: the new server takes the call back on the same ticket; one ticket, one confirmation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-cb-restart-'));
    const { call, number, from } = await queued(await server(dir));
    const second = await server(dir);
    const left = await second.line.send(waitKey(call), params(call, from, { Digits: '1', QueueTime: '20' }));
    expect(left.body).toContain('<Leave');
    const kept = await second.line.send(queueResult(call), params(call, from, { QueueResult: 'leave', QueueTime: '21' }));
    expect(says(kept.body)).toHaveLength(1);
    expect(calledBackAbout(kept.body)).toBe(number);
    await second.drain();
    const mine = await ticketsOf(call.callSid);
    expect(mine).toEqual([expect.objectContaining({ number, status: 'callback' })]);
    expect(confirmationsOf(number)).toHaveLength(1);
    await nothingLate(call.callSid, mine);
  });
});
