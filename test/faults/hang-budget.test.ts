/**
 * DynamoDB that hangs (a TCP relay that accepts and never answers, in front of the test DynamoDB) while
 * callers are at the priority step: the step's store calls share one time budget (app/time-budget.ts), so
 * the caller hears a spooled reference within 3 s instead of stacked 1.4 s timeouts and an apology; once
 * DynamoDB answers again nothing of those requests is written late, and the replay creates exactly one
 * ticket per call.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { FileTicketSpool } from '../../functions/adapters/spool/file-spool.js';
import { replaySpooledTicket } from '../../functions/app/spool-replay.js';
import { benchData, callerKeys, LINE } from '../../bench/lib/bench-data.js';
import { placeCall, type Keys } from '../../bench/lib/caller.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardReference, heardTicketNumber, RecordingNotifier } from '../../bench/lib/recording-notifier.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { startTcpRelay, type TcpRelay } from '../support/tcp-relay.js';
import { trackInFlight, type InFlight } from '../support/in-flight.js';

const SPOKEN_WITHIN_MS = 3_000;
/** One SDK call's bound plus room for the spool's fsync on a loaded machine. */
const ONE_WAIT_MS = 1_800;

const bd = benchData({ registered: 10, coded: 10 });
let db: EmbeddedDynamo;
let relay: TcpRelay;
let line: InProcessLine;
let spool: FileTicketSpool;
/** The functions' DynamoDB requests still running, answered or not. */
let inFlight: InFlight;
const notifier = new RecordingNotifier();

beforeAll(async () => {
  db = await startDynamo();
  relay = await startTcpRelay(db.endpoint);
  await relay.pass();
  spool = new FileTicketSpool(join(mkdtempSync(join(tmpdir(), 'hang-')), 'spool.jsonl'));
  // The functions' own bounded client, through the relay: the hang is real, not a mock.
  const doc = dynamoClient({ region: 'us-east-1', dynamoEndpoint: relay.endpoint });
  inFlight = trackInFlight(doc);
  line = await inProcessLine({ db, data: bd.data, doc, overrides: { notifier, spool } });
  const send = line.send;
  line.send = async (url, params) => {
    lastRequest.set(params.CallSid!, { url, params });
    return send(url, params);
  };
});

/** The last request of each call, to post again as Twilio's retry would. */
const lastRequest = new Map<string, { url: string; params: Record<string, string> }>();
afterAll(async () => {
  await relay.close();
  await db.stop();
});

async function tickets(): Promise<Array<Record<string, unknown>>> {
  const out = await db.doc.send(
    new ScanCommand({ TableName: db.tables.tickets, FilterExpression: 'sk = :t', ExpressionAttributeValues: { ':t': 'TICKET' }, ConsistentRead: true }),
  );
  return out.Items ?? [];
}

/** Keys that black-hole DynamoDB as the caller answers the priority prompt. */
function hangAtPriority(keys: Keys): Keys {
  return async (prompt, attrs) => {
    if (/priority/i.test(prompt) && /press/i.test(prompt)) await relay.blackHole();
    return keys(prompt, attrs);
  };
}

describe('DynamoDB hangs (black-holed) at the priority step', () => {
  it('each caller hears a spooled reference within 3 s; nothing is written late; the replay makes one ticket per call', async () => {
    const reg = bd.registered[0]!;
    const coded = bd.coded[0]!;
    const scripts = [
      { from: reg.phone, keys: hangAtPriority(callerKeys({ priority: '1' })) },
      { from: coded.phone, keys: hangAtPriority(callerKeys({ account: coded.account, code: () => notifier.codeFor(coded.contact), priority: '2' })) },
    ];
    const done = [];
    for (const s of scripts) {
      await relay.pass();
      done.push(await placeCall(line.send, { callSid: newCallSid(), to: LINE, ...s }));
    }
    const references = new Map<string, string>();
    for (const call of done) {
      expect(call.error, call.error).toBeUndefined();
      const last = call.requests.at(-1)!;
      expect(last.step).toBe('priority');
      expect(last.status).toBe(200);
      expect(last.ms, `priority took ${Math.round(last.ms)} ms`).toBeLessThan(SPOKEN_WITHIN_MS);
      // One bounded wait, not several stacked (measured: about 0.9 s with the budget, 1.9 s without).
      expect(last.ms, `priority took ${Math.round(last.ms)} ms`).toBeLessThan(ONE_WAIT_MS);
      const ref = heardReference(call.heard);
      expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
      expect(heardTicketNumber(call.heard)).toBeUndefined();
      expect(call.heard.join(' ')).not.toMatch(/something went wrong|call again/i);
      references.set(call.callSid, ref!);
    }
    expect((await spool.pending()).map((r) => r.ticket.callSid).sort()).toEqual([...references.keys()].sort());
    // DynamoDB answers again; whatever those requests left in flight must not land afterwards: once none of
    // the functions' requests is running (each ends within its SDK bound), none can land any more.
    await relay.pass();
    expect(inFlight.started()).toBeGreaterThan(0); // the count is of the client the line's stores use
    await inFlight.settled();
    expect(inFlight.count()).toBe(0);
    const mine = (await tickets()).filter((t) => references.has(String(t.callSid)));
    expect(mine).toEqual([]);
    const store = new DynamoTicketStore(db.doc, db.tables.tickets);
    expect((await spool.drain((r) => replaySpooledTicket(r, store))).replayed).toBe(2);
    expect((await spool.drain((r) => replaySpooledTicket(r, store))).replayed).toBe(0);
    const after = (await tickets()).filter((t) => references.has(String(t.callSid)));
    expect(after).toHaveLength(2);
    for (const t of after) expect(t).toMatchObject({ number: references.get(String(t.callSid)), status: 'callback', spooled: true });
  });

  it('a Twilio retry of the spooled step after DynamoDB is back adds no second ticket for the call', async () => {
    const reg = bd.registered[1]!;
    await relay.pass();
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: reg.phone, keys: hangAtPriority(callerKeys({ priority: '3' })) });
    const ref = heardReference(call.heard);
    expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
    await relay.pass();
    const retry = lastRequest.get(call.callSid)!;
    expect(retry.url).toMatch(/priority/);
    const again = await line.send(retry.url, retry.params);
    expect(again.status).toBe(200);
    const store = new DynamoTicketStore(db.doc, db.tables.tickets);
    await spool.drain((r) => replaySpooledTicket(r, store));
    await spool.drain((r) => replaySpooledTicket(r, store));
    const mine = (await tickets()).filter((t) => t.callSid === call.callSid);
    expect(mine).toHaveLength(1);
  });
});
