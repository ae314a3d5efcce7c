/**
 * Burst: N calls ringing at the same instant through the local server (a fresh one, as after a deploy:
 * every cache cold), each caller answering every prompt at once, registered callers by caller ID and a
 * share verified by a code. Counts what a caller would notice (a call that never reached the queue, a
 * second ticket, "our systems are busy", "something went wrong", a webhook Twilio would have given up on
 * after 15 s) and the latency of every webhook step; optionally profiles the server (node --cpu-prof).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchData, callerKeys, LINE } from './lib/bench-data.js';
import { placeCall, type CallRecord } from './lib/caller.js';
import { startBenchServer, TROUBLE, type ServerStats } from './lib/bench-server.js';
import { summarizeProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { httpTransport } from './lib/http-transport.js';
import { newCallSid } from './lib/in-process.js';
import { OutboxReader } from './lib/outbox-reader.js';
import type { WebhookFigure } from './load.js';
import { max, percentile } from './stats.js';

export interface BurstOptions {
  calls: number;
  codeShare: number;
  /** Write and summarise a CPU profile of the server. */
  profile: boolean;
  log: (s: string) => void;
}

export interface BurstResult {
  calls: number;
  codeCalls: number;
  wallS: number;
  /** Webhooks answered per second over the burst. */
  requestsPerS: number;
  /** Calls that reached the queue with every answer a 200 and nothing a working line never says. */
  completed: number;
  /** Calls without a ticket in the table (however they ended). */
  lost: number;
  duplicates: number;
  ticketsCreated: number;
  /** Callers told "our systems are busy" (including "the ticket system is busy, your request is saved"). */
  busy: number;
  /** Callers told "something went wrong" or "we lost track of your call". */
  wrong: number;
  /** Calls with a webhook that failed on the wire: no answer in 15 s (Twilio gives up), reset, non-200. */
  failedWebhooks: number;
  /** Calls that did not end in the queue for any reason. */
  notQueued: number;
  codesExpected: number;
  codesSent: number;
  connectionRetries: number;
  webhooks: WebhookFigure[];
  all: WebhookFigure;
  samples: string[];
  server?: ServerStats;
  profiles?: ProfileSummary[];
}

const TOKEN = 'bench-burst-token';
/** Twilio abandons a webhook after 15 s. */
const TWILIO_TIMEOUT_MS = 15_000;

export async function runBurst(o: BurstOptions): Promise<BurstResult> {
  const nCode = Math.round(o.calls * o.codeShare);
  const bd = benchData({ registered: o.calls - nCode, coded: nCode });
  const dir = mkdtempSync(join(tmpdir(), 'bench-burst-'));
  const dataFile = join(dir, 'data.json');
  const outbox = join(dir, 'outbox.jsonl');
  writeFileSync(dataFile, JSON.stringify(bd.data));
  const profDir = join(dir, 'profile');
  const server = await startBenchServer({ dataFile, outbox, token: TOKEN, cpuProfDir: o.profile ? profDir : undefined });
  let result: Omit<BurstResult, 'profiles'>;
  try {
    // One connection per call, as Twilio's edge opens them: no caller waits for another's socket here.
    const send = httpTransport(server.url, TOKEN, { maxSockets: o.calls, timeoutMs: TWILIO_TIMEOUT_MS });
    const reader = new OutboxReader(outbox);
    const scripts = [
      ...bd.registered.map((c) => ({ kind: 'registered', from: c.phone, keys: callerKeys({ priority: '3' }) })),
      ...bd.coded.map((c) => ({
        kind: 'coded',
        from: c.phone,
        keys: callerKeys({ account: c.account, channel: '1', code: () => reader.codeFor(c.contact, TWILIO_TIMEOUT_MS), priority: '3' }),
      })),
    ];
    o.log(`  burst: ${o.calls} calls at once (${nCode} by code), server ${server.url}${o.profile ? ' (profiling)' : ''}`);
    // Resets the server's own counters so they cover the burst only; its CPU time is cumulative, so the
    // burst's share is the difference (start-up, module loading and the data load are not the burst's).
    const before = await server.stats();
    const t0 = performance.now();
    const callersCpu0 = process.cpuUsage();
    const done: Array<CallRecord & { kind: string }> = await Promise.all(
      scripts.map(async (s) => ({ ...(await placeCall(send, { callSid: newCallSid(), from: s.from, to: LINE, keys: s.keys })), kind: s.kind })),
    );
    const wallS = (performance.now() - t0) / 1000;
    const callersCpu = process.cpuUsage(callersCpu0);
    send.close();
    const after = await server.stats();
    const stats = after && before ? { ...after, cpuS: after.cpuS - before.cpuS } : after;
    const tickets = await server.tickets();
    const perCall = new Map<string, number>();
    for (const t of tickets) perCall.set(String(t.callSid), (perCall.get(String(t.callSid)) ?? 0) + 1);
    const heardAll = (c: CallRecord) => c.requests.flatMap((r) => r.said);
    const busy = done.filter((c) => heardAll(c).some((s) => TROUBLE.busy.test(s)));
    const wrong = done.filter((c) => heardAll(c).some((s) => TROUBLE.wrong.test(s)));
    const failed = done.filter((c) => c.end === 'error' || c.requests.some((r) => r.status !== 200));
    const notQueued = done.filter((c) => c.end !== 'enqueue');
    const bad = new Set([...busy, ...wrong, ...failed, ...notQueued]);
    const samples = [...bad]
      .slice(0, 5)
      .map(
        (c) =>
          `${c.kind} ${c.callSid}: ${c.end} ${c.error ?? ''} [${c.requests.map((r) => `${r.step}:${r.status}:${r.ms.toFixed(0)}ms`).join(' ')}] ${c.heard.at(-1) ?? ''}`,
      );
    const byStep = new Map<string, number[]>();
    for (const c of done) for (const r of c.requests) (byStep.get(r.step) ?? byStep.set(r.step, []).get(r.step)!).push(r.ms);
    const figure = (step: string, ms: number[]): WebhookFigure => ({ step, n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: max(ms) });
    const allMs = [...byStep.values()].flat();
    reader.poll();
    // Where the two cores went: the server's threads, and the callers themselves (this process).
    // Holds: caller steps the server answered with a redirect after waiting too long for their turn
    // (local/hold.ts). A caller waits for a held step from its first request to the real answer.
    const isHold = (r: CallRecord['requests'][number]) => /[?&;]held=/.test(r.body);
    const holds = done.reduce((n, c) => n + c.requests.filter(isHold).length, 0);
    const stepWaits: number[] = [];
    for (const c of done) {
      let waited = 0;
      for (const r of c.requests) {
        waited += r.ms;
        if (isHold(r)) continue;
        stepWaits.push(waited);
        waited = 0;
      }
    }
    const cpuOf = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(1);
    o.log(
      `  burst: ${allMs.length} webhooks in ${wallS.toFixed(1)} s, ${holds} of them holds; a step as the caller waits for it (holds included) p50 ${percentile(stepWaits, 50).toFixed(0)} / p99 ${percentile(stepWaits, 99).toFixed(0)} / max ${max(stepWaits).toFixed(0)} ms; CPU: server ${stats?.cpuS.toFixed(1) ?? '?'} s, callers ${cpuOf(callersCpu)} s`,
    );
    result = {
      calls: o.calls,
      codeCalls: nCode,
      wallS,
      requestsPerS: allMs.length / wallS,
      completed: done.length - bad.size,
      lost: done.filter((c) => !perCall.has(c.callSid)).length,
      duplicates: [...perCall.values()].filter((n) => n > 1).length,
      ticketsCreated: perCall.size,
      busy: busy.length,
      wrong: wrong.length,
      failedWebhooks: failed.length,
      notQueued: notQueued.length,
      codesExpected: nCode,
      codesSent: reader.messages.filter((m) => /verification code is \d{6}/.test(m.body)).length,
      connectionRetries: send.retries,
      webhooks: [...byStep.entries()].map(([s, ms]) => figure(s, ms)),
      all: figure('all', allMs),
      samples,
      server: stats,
    };
  } finally {
    await server.stop();
  }
  if (!o.profile) return result;
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  // One profile per thread: the server's main thread and the embedded DynamoDB's worker.
  const profiles = files.map((f) => summarizeProfile(join(profDir, f))).sort((a, b) => b.busyMs - a.busyMs);
  o.log(`  profiles: ${files.map((f) => join(profDir, f)).join(', ')}`);
  return { ...result, profiles };
}
