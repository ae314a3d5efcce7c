/**
 * DynamoDB failing in the middle of calls (issue 7): stopped outright (the embedded server's listener
 * closed), throttling (SDK middleware answering ThrottlingException, retried by the SDK as in
 * production) or refusing connections (SDK middleware failing the request with ECONNREFUSED). Every caller hears a spoken answer within 3 s, never a 5xx; a caller who
 * reached the priority step gets a reference, and once DynamoDB is back the spool replay creates exactly
 * that ticket, however often it runs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { FileTicketSpool } from '../../functions/adapters/spool/file-spool.js';
import { replaySpooledTicket } from '../../functions/app/spool-replay.js';
import { benchData, callerKeys, LINE, STRANGER } from '../support/fixtures.js';
import { placeCall, type CallRecord, type Keys } from '../../bench/lib/caller.js';
import { dynamoProbe, type DynamoProbe } from '../../bench/lib/dynamo-probe.js';
import { startDynamo, type EmbeddedDynamo as EmbeddedDb } from '../support/embedded-dynamo.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardReference, heardTicketNumber, RecordingNotifier } from '../../bench/lib/recording-notifier.js';

/** The bound; measured per webhook, with the SDK's real retries and backoff in it. */
const SPOKEN_WITHIN_MS = 3_000;

const bd = benchData({ registered: 20, coded: 20 });
let db: EmbeddedDb;
let probe: DynamoProbe;
let line: InProcessLine;
let spool: FileTicketSpool;
const notifier = new RecordingNotifier();

beforeAll(async () => {
  db = await startDynamo();
  probe = dynamoProbe(db.endpoint);
  spool = new FileTicketSpool(join(mkdtempSync(join(tmpdir(), 'faults-')), 'spool.jsonl'));
  line = await inProcessLine({ db, data: bd.data, doc: probe.doc, overrides: { notifier, spool } });
});
afterAll(async () => {
  probe.client.destroy();
  await db.stop();
});

async function tickets(): Promise<Array<Record<string, unknown>>> {
  const out = await db.doc.send(new ScanCommand({ TableName: db.tables.tickets, FilterExpression: 'sk = :t', ExpressionAttributeValues: { ':t': 'TICKET' } }));
  return out.Items ?? [];
}

const replay = () => spool.drain((r) => replaySpooledTicket(r, new DynamoTicketStore(db.doc, db.tables.tickets)));

/** Keys that stop at the first prompt matching `at` until `gate` opens (the outage has begun). */
function pausing(keys: Keys, at: RegExp, ready: () => void, gate: Promise<void>): Keys {
  let paused = false;
  return async (prompt, attrs) => {
    if (!paused && at.test(prompt.toLowerCase())) {
      paused = true;
      ready();
      await gate;
    }
    return keys(prompt, attrs);
  };
}

/** Every answer of a call: HTTP 200, TwiML that says something, within the bound. */
function expectSpokenAnswers(call: CallRecord): void {
  expect(call.error, call.error).toBeUndefined();
  for (const r of call.requests) {
    expect(r.status, `${r.step}: ${r.body.slice(0, 200)}`).toBe(200);
    expect(r.said.length, `${r.step} said nothing: ${r.body}`).toBeGreaterThan(0);
    expect(r.ms, `${r.step} took ${Math.round(r.ms)} ms`).toBeLessThan(SPOKEN_WITHIN_MS);
  }
}

const outages: Array<[string, () => Promise<void>, () => Promise<void>]> = [
  ['stopped', () => db.pause(), () => db.resume()],
  ['throttling', async () => void (probe.fault = 'throttle'), async () => void (probe.fault = undefined)],
  ['refusing connections (SDK middleware)', async () => void (probe.fault = 'refused'), async () => void (probe.fault = undefined)],
];

describe.each(outages)('DynamoDB %s in the middle of calls', (_name, fail, recover) => {
  it('speaks to every caller within 3 s, gives a reference to those at the priority step, and replays exactly their tickets', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const waiting: Array<Promise<void>> = [];
    const stopAt = (keys: Keys, at: RegExp) => {
      let ready!: () => void;
      waiting.push(new Promise<void>((r) => (ready = r)));
      return pausing(keys, at, ready, gate);
    };
    const reg = bd.registered.splice(0, 2);
    const coded = bd.coded.splice(0, 2);
    const codeOf = (to: string) => () => notifier.codeFor(to);
    const calls = [
      // At the priority prompt: must get a reference.
      { who: 'registered at priority', script: { from: reg[0]!.phone, keys: stopAt(callerKeys({ priority: '2' }), /priority/) }, ticket: true },
      {
        who: 'verified by code at priority',
        script: { from: coded[0]!.phone, keys: stopAt(callerKeys({ account: coded[0]!.account, code: codeOf(coded[0]!.contact), priority: '3' }), /priority/) },
        ticket: true,
      },
      // Earlier steps: an apology, no ticket promised.
      { who: 'registered at the menu', script: { from: reg[1]!.phone, keys: stopAt(callerKeys({}), /technical support, press 2/) }, ticket: false },
      {
        who: 'code caller at the code prompt',
        script: { from: coded[1]!.phone, keys: stopAt(callerKeys({ account: coded[1]!.account, code: codeOf(coded[1]!.contact) }), /6 digit code/) },
        ticket: false,
      },
    ];
    const running = calls.map((c) => placeCall(line.send, { callSid: newCallSid(), to: LINE, ...c.script }));
    await Promise.all(waiting);
    await fail();
    const late = placeCall(line.send, { callSid: newCallSid(), to: LINE, from: STRANGER, keys: callerKeys({}) });
    open();
    const done = await Promise.all(running);
    const newcomer = await late;

    for (const call of [...done, newcomer]) expectSpokenAnswers(call);
    const references = new Map<string, string>();
    done.forEach((call, i) => {
      const ref = heardReference(call.heard);
      if (calls[i]!.ticket) {
        expect(ref, `${calls[i]!.who}: ${call.heard.join(' | ')}`).toMatch(/^9\d{8}$/);
        expect(call.end).toBe('hangup');
        references.set(call.callSid, ref!);
      } else {
        expect(ref).toBeUndefined();
        expect(call.heard.at(-1)).toMatch(/call again/i);
      }
    });
    expect(newcomer.heard.join(' ')).toMatch(/call again/i);
    expect((await spool.pending()).map((r) => r.ticket.callSid).sort()).toEqual([...references.keys()].sort());

    await recover();
    expect((await replay()).replayed).toBe(2);
    expect((await replay()).replayed).toBe(0); // drained: a second run has nothing to add
    // Replaying the same records again (a redelivered queue message) creates nothing either.
    const store = new DynamoTicketStore(db.doc, db.tables.tickets);
    const all = await tickets();
    for (const [callSid, ref] of references) {
      const mine = all.filter((t) => t.callSid === callSid);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ number: ref, status: 'callback', spooled: true, line: LINE });
      await replaySpooledTicket({ v: 1, ticket: (await store.get(ref))!, spooledAt: '' }, store);
    }
    expect(await tickets()).toHaveLength(all.length);
    const others = done.filter((_, i) => !calls[i]!.ticket).map((c) => c.callSid);
    expect(all.filter((t) => others.includes(String(t.callSid)) || t.callSid === newcomer.callSid)).toEqual([]);
  });
});

describe('DynamoDB refusing writes while the ticket is being opened', () => {
  it('spools the ticket and reads out its reference though the step cannot be committed', async () => {
    const caller = bd.registered.splice(0, 1)[0]!;
    const keys = callerKeys({ priority: '3' });
    const call = await placeCall(line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: async (prompt, attrs) => {
        // Reads and the counter still work; every PutItem (the ticket, the step's commit) is throttled.
        if (/priority/i.test(prompt)) probe.fault = (command) => (command === 'PutItem' ? 'throttle' : undefined);
        return keys(prompt, attrs);
      },
    });
    probe.fault = undefined;
    expectSpokenAnswers(call);
    const ref = heardReference(call.heard);
    expect(call.heard.join(' | ')).toMatch(/reference is/);
    expect(ref).toMatch(/^9\d{8}$/);
    expect(heardTicketNumber(call.heard)).toBeUndefined();
    await replay();
    await replay();
    expect((await tickets()).filter((t) => t.callSid === call.callSid)).toEqual([expect.objectContaining({ number: ref, org: caller.org })]);
  });

  it('opens tickets normally once DynamoDB answers again (no spool left behind)', async () => {
    const caller = bd.registered.splice(0, 1)[0]!;
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '3' }) });
    expectSpokenAnswers(call);
    expect(call.end).toBe('enqueue');
    const number = heardTicketNumber(call.heard);
    expect(number).toMatch(/^\d{7}$/);
    expect((await tickets()).filter((t) => t.callSid === call.callSid)).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
    expect(await spool.pending()).toEqual([]);
  });
});
