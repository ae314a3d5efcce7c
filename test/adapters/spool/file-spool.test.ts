import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTicketSpool } from '../../../functions/adapters/spool/file-spool.js';
import { DynamoTicketStore } from '../../../functions/adapters/dynamodb/ticket-store.js';
import { replaySpooledTicket } from '../../../functions/app/spool-replay.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';
import { spooledTicket } from './fixtures.js';

let db: EmbeddedDynamo;
let store: DynamoTicketStore;
beforeAll(async () => {
  db = await startDynamo();
  store = new DynamoTicketStore(db.doc, db.tables.tickets);
});
afterAll(async () => db.stop());

const tmp = () => join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool.jsonl');
const replayInto = (s: DynamoTicketStore) => (r: Parameters<typeof replaySpooledTicket>[0]) => replaySpooledTicket(r, s);

describe('FileTicketSpool', () => {
  it('appends one whole JSON line per ticket, in the v1 envelope, and lists them as pending', async () => {
    const file = tmp();
    const spool = new FileTicketSpool(file, () => new Date('2026-05-13T15:00:01Z'));
    const a = spooledTicket();
    const b = spooledTicket();
    await Promise.all([spool.save(a), spool.save(b)]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      expect.arrayContaining([
        { v: 1, ticket: a, spooledAt: '2026-05-13T15:00:01.000Z' },
        { v: 1, ticket: b, spooledAt: '2026-05-13T15:00:01.000Z' },
      ]),
    );
    expect((await spool.pending()).map((r) => r.ticket.number).sort()).toEqual([a.number, b.number].sort());
  });

  it('drains into DynamoDB under the spooled reference, empties the spool, and a second drain creates nothing', async () => {
    const spool = new FileTicketSpool(tmp());
    const t = spooledTicket();
    await spool.save(t);
    await spool.save(t); // the same step spooled twice (a Twilio retry while DynamoDB was down)
    expect(await spool.drain(replayInto(store))).toEqual({ replayed: 2, failed: 0, rejected: 0 });
    expect(await store.get(t.number)).toEqual(t);
    expect(await spool.pending()).toEqual([]);
    expect(await spool.drain(replayInto(store))).toEqual({ replayed: 0, failed: 0, rejected: 0 });
    const all = await store.list({ org: 'contoso' });
    expect(all.filter((x) => x.callSid === t.callSid)).toHaveLength(1);
  });

  it('keeps records whose replay fails for the next drain, and records saved during a drain are not lost', async () => {
    const spool = new FileTicketSpool(tmp());
    const first = spooledTicket();
    const late = spooledTicket();
    await spool.save(first);
    let down = true;
    const result = await spool.drain(async (r) => {
      await spool.save(late); // a call spools while the replay is running
      if (down) throw new Error('DynamoDB still down');
      return replaySpooledTicket(r, store);
    });
    expect(result).toEqual({ replayed: 0, failed: 1, rejected: 0 });
    expect((await spool.pending()).map((r) => r.ticket.number).sort()).toEqual([first.number, late.number].sort());
    down = false;
    expect((await spool.drain(replayInto(store))).replayed).toBe(2);
    expect(await store.get(first.number)).toEqual(first);
    expect(await store.get(late.number)).toEqual(late);
  });

  it('replays a .replaying file a crash left behind, and sets aside lines that are not spool records', async () => {
    const file = tmp();
    const t = spooledTicket();
    writeFileSync(`${file}.replaying`, `${JSON.stringify({ v: 1, ticket: t, spooledAt: 'x' })}\nnot json\n`);
    const spool = new FileTicketSpool(file);
    expect(await spool.drain(replayInto(store))).toEqual({ replayed: 1, failed: 0, rejected: 1 });
    expect(await store.get(t.number)).toEqual(t);
    expect(existsSync(`${file}.replaying`)).toBe(false);
    expect(readFileSync(`${file}.rejected`, 'utf8')).toBe('not json\n');
  });

  it('shares one drain between concurrent callers, so no record is replayed twice at once', async () => {
    const spool = new FileTicketSpool(tmp());
    for (let i = 0; i < 5; i++) await spool.save(spooledTicket());
    let replays = 0;
    const replay = async (r: Parameters<typeof replaySpooledTicket>[0]) => {
      replays++;
      return replaySpooledTicket(r, store);
    };
    const [a, b] = await Promise.all([spool.drain(replay), spool.drain(replay)]);
    expect(a).toEqual(b);
    expect(replays).toBe(5);
  });
});
