/**
 * The status callback racing the last step of a call, in-process with the exact interleavings forced:
 * the caller hangs up while their priority key press is being handled, and Twilio's `completed` callback
 * lands inside the step, just before the ticket is written or just before the step commits. Either way
 * the one ticket ends up abandoned (kept for a callback), never waiting for an agent with nobody on the line.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { placeCall } from '../../bench/lib/caller.js';
import { dynamoProbe, type DynamoProbe } from '../../bench/lib/dynamo-probe.js';
import { startEmbeddedDb, type EmbeddedDb } from '../../bench/lib/embedded-db.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardTicketNumber, RecordingNotifier } from '../../bench/lib/recording-notifier.js';

const bd = benchData({ registered: 4, coded: 0 });
let db: EmbeddedDb;
let probe: DynamoProbe;
let line: InProcessLine;

beforeAll(async () => {
  db = await startEmbeddedDb();
  probe = dynamoProbe(db.endpoint);
  line = await inProcessLine({ db, data: bd.data, doc: probe.doc, overrides: { notifier: new RecordingNotifier() } });
});
afterAll(async () => {
  probe.client.destroy();
  await db.stop();
});

/** Requests as the client's middleware sees them: marshalled (`{ S: '...' }`). */
type Marshalled = { Item?: Record<string, { S?: string; M?: unknown } | undefined> };
const pkOf = (i: Record<string, unknown>) => (i as Marshalled).Item?.pk?.S ?? '';

const windows: Array<[string, (command: string, input: Record<string, unknown>) => boolean]> = [
  ['before the ticket is written', (c, i) => c === 'PutItem' && pkOf(i).startsWith('TICKET#')],
  [
    'after the ticket is written, before the step commits',
    (c, i) => c === 'PutItem' && pkOf(i).startsWith('CALL#') && !!(i as Marshalled).Item?.last && !!(i as Marshalled).Item?.ticketNumber,
  ],
];

describe.each(windows)('the completed callback lands %s', (_name, at) => {
  it('leaves exactly one ticket, abandoned', async () => {
    const caller = bd.registered.shift()!;
    const callSid = newCallSid();
    let fired = 0;
    probe.before = async (command, input) => {
      if (fired || !at(command, input)) return;
      fired++;
      const res = await line.send('/twilio/status', {
        AccountSid: `AC${'a'.repeat(32)}`,
        CallSid: callSid,
        From: caller.phone,
        To: LINE,
        CallStatus: 'completed',
      });
      expect(res.status).toBe(200);
    };
    const call = await placeCall(line.send, { callSid, from: caller.phone, to: LINE, keys: callerKeys({ priority: '2' }) });
    probe.before = undefined;
    expect(fired).toBe(1);
    const number = heardTicketNumber(call.heard);
    const out = await db.doc.send(
      new ScanCommand({
        TableName: db.tables.tickets,
        FilterExpression: 'callSid = :c AND sk = :t',
        ExpressionAttributeValues: { ':c': callSid, ':t': 'TICKET' },
      }),
    );
    expect(out.Items).toEqual([expect.objectContaining({ number, status: 'abandoned', abandonedAt: expect.any(String) })]);
  });
});
