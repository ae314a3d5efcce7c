/**
 * The local outbox on a full disk (`/dev/full`: every write fails with ENOSPC): the confirmation and the
 * top-priority page count as failed sends, the caller still gets the ticket and is told the truth (not
 * "we sent a confirmation"), and exactly one ticket exists.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxNotifier, OutboxPager } from '../../functions/adapters/outbox/outbox.js';
import { benchData, callerKeys, LINE } from '../../bench/lib/bench-data.js';
import { placeCall } from '../../bench/lib/caller.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardTicketNumber } from '../../bench/lib/recording-notifier.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

const FULL = '/dev/full';
const bd = benchData({ registered: 4, coded: 0 });
let db: EmbeddedDynamo;
let line: InProcessLine;
const logged: string[] = [];

beforeAll(async () => {
  db = await startDynamo();
  line = await inProcessLine({
    db,
    data: bd.data,
    overrides: { notifier: new OutboxNotifier(FULL), pager: new OutboxPager(FULL), log: (_l, m) => void logged.push(m) },
  });
});
afterAll(async () => {
  await db.stop();
});

describe('outbox on a full disk', () => {
  it('the ticket is opened and read out, the caller hears that no confirmation went out, and no second ticket appears', async () => {
    const caller = bd.registered[0]!;
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '1' }) });
    expect(call.error, call.error).toBeUndefined();
    const number = heardTicketNumber(call.heard);
    expect(number, call.heard.join(' | ')).toMatch(/^\d+$/);
    const said = call.heard.join(' ');
    expect(said).toContain('We could not send a confirmation to your organization.');
    expect(said).not.toContain('We sent a confirmation');
    // Without a notice queue (none configured here) a failed page is not dropped quietly: an error of its own.
    expect(logged).toEqual(expect.arrayContaining(['confirmation failed', 'page failed', 'page lost']));
    const out = await db.doc.send(
      new ScanCommand({ TableName: db.tables.tickets, FilterExpression: 'sk = :t', ExpressionAttributeValues: { ':t': 'TICKET' } }),
    );
    expect((out.Items ?? []).filter((t) => t.callSid === call.callSid)).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
  });
});
