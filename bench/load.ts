/**
 * Load: N callers arriving at a given rate, each running a full call path through the local HTTP server
 * (a child process, as `npm start` runs it) with a caller's thinking time between prompts, so many calls
 * are in progress at once. Reports calls per second, latency per webhook, and what the tables hold
 * afterwards: tickets expected vs created, duplicates, lost, codes sent, errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchData, callerKeys, LINE } from './lib/bench-data.js';
import { placeCall, type CallRecord } from './lib/caller.js';
import { startBenchServer, TROUBLE, type ServerStats } from './lib/bench-server.js';
import { httpTransport } from './lib/http-transport.js';
import { newCallSid } from './lib/in-process.js';
import { OutboxReader } from './lib/outbox-reader.js';
import { max, percentile } from './stats.js';

export interface LoadOptions {
  calls: number;
  /** Arrivals per second. */
  rate: number;
  /** Mean thinking time before each answer, ms (uniform 0.5x to 1.5x). */
  thinkMs: number;
  /** Share of callers verified by code (the others are registered callers). */
  codeShare: number;
  log: (s: string) => void;
}

export interface WebhookFigure {
  step: string;
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  calls: number;
  rate: number;
  thinkMs: number;
  wallS: number;
  callsPerS: number;
  requestsPerS: number;
  /** Most calls in progress at once. */
  peakConcurrent: number;
  webhooks: WebhookFigure[];
  all: WebhookFigure;
  ticketsExpected: number;
  ticketsCreated: number;
  duplicates: number;
  lost: number;
  codesExpected: number;
  codesSent: number;
  errors: number;
  errorSamples: string[];
  /** Requests sent again after the server reset a kept-alive connection before answering (as Twilio retries). */
  connectionRetries: number;
  /** Measured inside the server process: its event-loop delay and its own time per request. */
  server?: ServerStats;
}

const TOKEN = 'bench-load-token';

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const nCode = Math.round(o.calls * o.codeShare);
  const bd = benchData({ registered: o.calls - nCode, coded: nCode });
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const dataFile = join(dir, 'data.json');
  const outbox = join(dir, 'outbox.jsonl');
  writeFileSync(dataFile, JSON.stringify(bd.data));
  const server = await startBenchServer({ dataFile, outbox, token: TOKEN });
  try {
    const info = server;
    const send = httpTransport(info.url, TOKEN, { maxSockets: 512 });
    const reader = new OutboxReader(outbox);
    const think = () => new Promise<void>((r) => setTimeout(r, o.thinkMs * (0.5 + Math.random())));
    let inProgress = 0;
    let peak = 0;
    const scripts = [
      ...bd.registered.map((c) => ({ kind: 'registered' as const, from: c.phone, keys: callerKeys({ priority: '3' }) })),
      ...bd.coded.map((c) => ({
        kind: 'coded' as const,
        from: c.phone,
        keys: callerKeys({ account: c.account, channel: '1', code: () => reader.codeFor(c.contact), priority: '3' }),
      })),
    ].sort(() => Math.random() - 0.5);
    o.log(`  load: ${o.calls} calls at ${o.rate}/s, think ${o.thinkMs} ms, ${nCode} by code, server ${info.url}`);
    const t0 = performance.now();
    const results: Array<Promise<CallRecord & { kind: string }>> = scripts.map(
      (s, i) =>
        new Promise((resolve) => {
          setTimeout(
            async () => {
              inProgress++;
              peak = Math.max(peak, inProgress);
              const rec = await placeCall(send, { callSid: newCallSid(), from: s.from, to: LINE, keys: s.keys, think });
              inProgress--;
              resolve({ ...rec, kind: s.kind });
            },
            (i * 1000) / o.rate,
          );
        }),
    );
    const done = await Promise.all(results);
    const wallS = (performance.now() - t0) / 1000;
    send.close();
    const stats = await server.stats();

    const tickets = await server.tickets();

    const perCall = new Map<string, number>();
    for (const t of tickets) perCall.set(String(t.callSid), (perCall.get(String(t.callSid)) ?? 0) + 1);
    const errorSamples: string[] = [];
    let errors = 0;
    for (const c of done) {
      const bad =
        c.end !== 'enqueue' ||
        c.requests.some((r) => r.status !== 200 || r.said.some((s) => TROUBLE.busy.test(s) || TROUBLE.wrong.test(s) || /one moment/i.test(s)));
      if (bad) {
        errors++;
        if (errorSamples.length < 5)
          errorSamples.push(
            `${c.kind} ${c.callSid}: ${c.end} ${c.error ?? ''} [${c.requests.map((r) => `${r.step}:${r.status}`).join(' ')}] ${c.heard.at(-1) ?? ''}`,
          );
      }
    }
    const byStep = new Map<string, number[]>();
    for (const c of done) for (const r of c.requests) (byStep.get(r.step) ?? byStep.set(r.step, []).get(r.step)!).push(r.ms);
    const figure = (step: string, ms: number[]): WebhookFigure => ({ step, n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: max(ms) });
    const allMs = [...byStep.values()].flat();
    reader.poll();
    const codesSent = reader.messages.filter((m) => /verification code is \d{6}/.test(m.body)).length;
    return {
      calls: o.calls,
      rate: o.rate,
      thinkMs: o.thinkMs,
      wallS,
      callsPerS: done.length / wallS,
      requestsPerS: allMs.length / wallS,
      peakConcurrent: peak,
      webhooks: [...byStep.entries()].map(([s, ms]) => figure(s, ms)),
      all: figure('all', allMs),
      ticketsExpected: done.length,
      ticketsCreated: perCall.size,
      duplicates: [...perCall.values()].filter((n) => n > 1).length,
      lost: done.filter((c) => !perCall.has(c.callSid)).length,
      codesExpected: nCode,
      codesSent,
      errors,
      errorSamples,
      connectionRetries: send.retries,
      server: stats,
    };
  } finally {
    await server.stop();
  }
}
