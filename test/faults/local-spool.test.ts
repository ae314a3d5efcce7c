/**
 * The spool in local mode, end to end through the local HTTP server (`startLocal`): the embedded DynamoDB
 * stops while a caller is at the priority prompt, the caller hears a reference, the ticket waits in the
 * spool file beside the outbox, and the server's own periodic replay stores it once DynamoDB is back; the
 * confirmation waits in the notice file beside it and goes out once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningServer } from '../../local/server.js';
import { FileTicketSpool } from '../../functions/adapters/spool/file-spool.js';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { placeCall } from '../../bench/lib/caller.js';
import { httpTransport } from '../../bench/lib/http-transport.js';
import { newCallSid } from '../../bench/lib/in-process.js';
import { heardReference } from '../../bench/lib/recording-notifier.js';
import { freePort } from '../../bench/lib/free-port.js';

const TOKEN = 'local-spool-token';
const API = 'local-spool-api';
const bd = benchData({ registered: 3, coded: 0 });
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-spool-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(bd.data));
  server = await startLocal({ port: await freePort(), dataFile, authToken: TOKEN, apiToken: API, outbox: join(dir, 'outbox.jsonl'), spoolReplayMs: 100 });
});
afterAll(async () => server?.stop());

async function ticket(number: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${server.url}/api/tickets/${number}`, { headers: { authorization: `Bearer ${API}` } });
  return { status: r.status, json: r.status === 200 ? ((await r.json()) as Record<string, unknown>) : {} };
}

describe('local mode: spool file and replay', () => {
  it('keeps the reference a caller heard during an outage and stores that ticket once DynamoDB is back', async () => {
    const send = httpTransport(server.url, TOKEN);
    const keys = callerKeys({ priority: '2' });
    const call = await placeCall(send, {
      callSid: newCallSid(),
      to: LINE,
      from: bd.registered[0]!.phone,
      keys: async (prompt, attrs) => {
        if (/priority/i.test(prompt)) await server.database.stop();
        return keys(prompt, attrs);
      },
    });
    expect(call.requests.map((r) => r.status)).toEqual(call.requests.map(() => 200));
    const ref = heardReference(call.heard);
    expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
    expect(call.requests.at(-1)!.ms).toBeLessThan(3_000);
    // The server's periodic replay may be draining right now, with the records renamed aside: read what is
    // waiting the way the spool itself does (both files), not the bare spool file.
    const spooled = await new FileTicketSpool(server.spoolFile).pending();
    expect(spooled.map((r) => [r.ticket.number, r.ticket.callSid])).toEqual([[ref, call.callSid]]);
    expect(server.spoolFile).toBe(join(dir, 'spool.jsonl'));

    await server.database.start();
    const until = Date.now() + 5_000;
    while ((await ticket(ref!)).status !== 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const stored = await ticket(ref!);
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({ number: ref, callSid: call.callSid, status: 'callback', line: LINE });
    expect(await server.replaySpool()).toEqual({ replayed: 0, failed: 0, rejected: 0 });
    const all = (await (await fetch(`${server.url}/api/tickets`, { headers: { authorization: `Bearer ${API}` } })).json()) as unknown;
    const list = (Array.isArray(all) ? all : ((all as { tickets?: unknown[] }).tickets ?? [])) as Array<{ callSid: string }>;
    expect(list.filter((t) => t.callSid === call.callSid)).toHaveLength(1);
    // The confirmation waited in notices.jsonl (not sent during the outage) and the server's timer sent it, once.
    expect(call.heard.join(' ')).toContain('A confirmation to your organization will follow shortly.');
    const confirmations = () =>
      readFileSync(join(dir, 'outbox.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes(`ticket ${ref} `));
    const sent = Date.now() + 5_000;
    while (confirmations().length === 0 && Date.now() < sent) await new Promise((r) => setTimeout(r, 100));
    expect(await server.drainNotices()).toEqual({ handled: 0, failed: 0, rejected: 0 });
    expect(confirmations()).toHaveLength(1);
    send.close();
  });
});
