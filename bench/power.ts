/**
 * Memory sweep, power-tuning style, simulated on this machine. Lambda gives a function CPU in proportion
 * to its memory (1,769 MB is one full vCPU), so what a smaller size stretches is the CPU time; waiting on
 * DynamoDB does not shrink or grow with memory. Each function's deployed bundle runs in a fresh Node
 * process (`--enable-source-maps`, as deployed) against an embedded DynamoDB in this process: its cold
 * init, then warm invocations one at a time, each measured as wall time and CPU time (process.cpuUsage).
 * At a size of M MB a warm invocation takes `cpu / min(1, M / 1769) + wait`, where `wait` (DynamoDB's
 * answer, which memory does not change) is the 10th percentile of `wall - cpu` over the run: on this
 * shared machine most of `wall - cpu` is waiting for a core, which Lambda does not add; a cold start (the
 * import plus the first invocation, which pays the lazy set-up: clients, connections) takes its CPU time
 * over the share, since loading modules from the page cache is CPU-bound and on this shared machine its
 * wall time is mostly waiting for a core. This is a model,
 * not a throttled run: it assumes the CPU-bound part scales linearly with the share (single-threaded
 * JavaScript; Lambda's CFS quota slices a core the same way on average) and that this machine's core is
 * about as fast as a Graviton core. Cost is Lambda's arm64 price per GB-second on the billed (rounded up)
 * milliseconds plus the per-request price.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadDirectory } from '../functions/adapters/dynamodb/directory.js';
import { validateSupportData } from '../functions/data/validate.js';
import { FUNCTIONS } from '../functions/routes.js';
import { httpApiEvent } from '../local/http-api-event.js';
import { AGENTS_LINE, benchData, LINE } from './lib/bench-data.js';
import { startEmbeddedDb } from './lib/embedded-db.js';
import { AUTH_TOKEN, BASE_URL, CODE_KEY, newCallSid, signedEvent } from './lib/in-process.js';
import { percentile } from './stats.js';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const SIZES_MB = [128, 256, 512, 768, 1024] as const;
/** Memory at which Lambda gives a function one full vCPU. */
export const FULL_CPU_MB = 1769;
/** Lambda arm64 price (us-east-1): per GB-second and per request. */
export const PRICE_GB_S = 0.0000133334;
export const PRICE_REQUEST = 0.2 / 1e6;
/** A size is acceptable when its simulated warm p99 and cold init stay within these, and it holds 1.5x the peak RSS. */
export const WARM_P99_TARGET_MS = 250;
export const COLD_TARGET_MS = 1000;
export const RSS_HEADROOM = 1.5;

export interface PowerRow {
  memoryMb: number;
  warmP50Ms: number;
  warmP99Ms: number;
  coldMs: number;
  /** USD per million invocations (billed duration and request price). */
  costPerMillion: number;
}

export interface PowerFigure {
  name: string;
  invocations: number;
  /** What was invoked warm (or why nothing was). */
  workload: string;
  /** Measured at full CPU: cold init wall/CPU, warm median wall/CPU, peak RSS. */
  coldWallMs: number;
  coldCpuMs: number;
  warmWallMs: number;
  warmCpuMs: number;
  /** The DynamoDB wait the model adds to every warm invocation (10th percentile of wall - CPU). */
  waitMs: number;
  peakRssMb: number;
  rows: PowerRow[];
  chosenMb: number;
  why: string;
  /**
   * Sizes a deployment may keep: the chosen one, and the next larger one when the chosen size is on the edge
   * (within EDGE of a limit), where run-to-run noise flips the choice; a deployment need not follow a flip.
   */
  acceptedMb: number[];
  /** What lib/constructs/voice-function.ts deploys today. */
  deployedMb: number;
}

/** Within this share of a limit, a size's simulated cold start or p99 is on the edge: one quiet run to the next differs by about 10 %. */
export const EDGE = 0.1;

/** The chosen size, and the next larger one if the chosen size's cold start or warm p99 is within EDGE of its limit. */
export function acceptedSizes(rows: PowerRow[], chosenMb: number, warm: boolean): number[] {
  const i = rows.findIndex((r) => r.memoryMb === chosenMb);
  const row = rows[i];
  const next = rows[i + 1];
  if (!row || !next) return [chosenMb];
  const edge = row.coldMs >= COLD_TARGET_MS * (1 - EDGE) || (warm && row.warmP99Ms >= WARM_P99_TARGET_MS * (1 - EDGE));
  return edge ? [chosenMb, next.memoryMb] : [chosenMb];
}

interface ChildResult {
  coldMs: number;
  coldCpuMs: number;
  runs: Array<{ ms: number; cpuMs: number; status: number }>;
  rssMb: number;
}

const CHILD = `
const t0 = performance.now(); const c0 = process.cpuUsage();
const mod = await import(process.env.BENCH_BUNDLE);
const cold = { ms: performance.now() - t0, cpu: process.cpuUsage(c0) };
const { readFileSync } = await import('node:fs');
const events = JSON.parse(readFileSync(process.env.BENCH_EVENTS, 'utf8'));
const ctx = { getRemainingTimeInMillis: () => 10000, functionName: 'bench', awsRequestId: 'bench', callbackWaitsForEmptyEventLoop: false };
const runs = [];
for (const e of events) {
  const s = performance.now(); const c = process.cpuUsage();
  const res = await mod.handler(e, ctx);
  const u = process.cpuUsage(c);
  runs.push({ ms: performance.now() - s, cpuMs: (u.user + u.system) / 1000, status: (res && res.statusCode) || 200 });
}
process.stdout.write(JSON.stringify({ coldMs: cold.ms, coldCpuMs: (cold.cpu.user + cold.cpu.system) / 1000, runs, rssMb: process.resourceUsage().maxRSS / 1024 }));
`;

export function simulate(cpuMs: number, wallMs: number, memoryMb: number): number {
  const share = Math.min(1, memoryMb / FULL_CPU_MB);
  return cpuMs / share + Math.max(0, wallMs - cpuMs);
}

export function costPerMillion(durationsMs: number[], memoryMb: number): number {
  const billedS = durationsMs.reduce((a, d) => a + Math.ceil(d), 0) / 1000 / Math.max(1, durationsMs.length);
  return 1e6 * (billedS * (memoryMb / 1024) * PRICE_GB_S + PRICE_REQUEST);
}

/** The cheapest size meeting the targets (the simulated latencies only grow as memory shrinks). */
export function choose(rows: PowerRow[], peakRssMb: number, warm: boolean): { mb: number; why: string } {
  const ok = rows.filter((r) => r.memoryMb >= peakRssMb * RSS_HEADROOM && r.coldMs <= COLD_TARGET_MS && (!warm || r.warmP99Ms <= WARM_P99_TARGET_MS));
  const best = [...ok].sort((a, b) => a.costPerMillion - b.costPerMillion || a.memoryMb - b.memoryMb)[0];
  if (!best) return { mb: rows.at(-1)!.memoryMb, why: 'no size met the targets: the largest swept' };
  return {
    mb: best.memoryMb,
    why: `cheapest with ${warm ? `warm p99 <= ${WARM_P99_TARGET_MS} ms, ` : ''}cold init <= ${COLD_TARGET_MS} ms and >= ${RSS_HEADROOM}x peak RSS`,
  };
}

export async function powerTune(o: { invocations: number; coldRuns: number; outDir: string; log: (s: string) => void }): Promise<PowerFigure[]> {
  // The stack, the construct and the bundler (aws-cdk-lib, esbuild) load only for the sweep itself: the
  // report and the tests read this module's goals and model without them.
  const [{ SPOOL_REPLAY }, { MEMORY_MB }, { buildBundle, DEPLOYED_PACKAGING }] = await Promise.all([
    import('../lib/voice-stack.js'),
    import('../lib/constructs/voice-function.js'),
    import('./bundles.js'),
  ]);
  const n = o.invocations;
  const bd = benchData({ registered: (n + 1) * o.coldRuns, coded: 0, agents: 3 });
  const db = await startEmbeddedDb();
  const dir = mkdtempSync(join(tmpdir(), 'bench-power-'));
  try {
    const checked = validateSupportData(bd.data);
    if (!checked.ok) throw new Error('bench data is invalid');
    await loadDirectory(db.doc, db.tables.directory, checked.data);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      TABLE_DIRECTORY: db.tables.directory,
      TABLE_CALLS: db.tables.calls,
      TABLE_TICKETS: db.tables.tickets,
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'us-east-1',
      PUBLIC_BASE_URL: BASE_URL,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      CODE_HASH_KEY: CODE_KEY,
      API_AUTH: 'iam',
      LOCAL_OUTBOX: join(dir, 'outbox.jsonl'),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    let caller = 0;
    // The webhook each function answers most: a call ringing (voice), a call ending (status), an agent's
    // line answering (agent), a ticket looked up (tickets-api). The spool replay only runs in an outage.
    /** Why a function has no warm workload in the sweep. */
    const COLD_ONLY: Record<string, string> = {
      'spool-replay': 'runs during a DynamoDB outage only',
      'board-api': 'no warm workload in the sweep yet; the board polls it every few seconds',
      health: 'no warm workload in the sweep yet; a probe reads one absent item at most every 5 s',
    };
    const workloads: Record<string, { what: string; events: () => unknown[] }> = {
      voice: {
        what: 'a registered caller ringing (/twilio/voice)',
        events: () =>
          Array.from({ length: n + 1 }, () =>
            signedEvent('/twilio/voice', twilioParams(bd.registered[caller++ % bd.registered.length]!.phone, LINE, 'ringing')),
          ),
      },
      status: {
        what: 'a call ending (/twilio/status, completed)',
        events: () =>
          Array.from({ length: n + 1 }, () =>
            signedEvent('/twilio/status', { ...twilioParams(bd.registered[0]!.phone, LINE, 'completed'), CallDuration: '42' }),
          ),
      },
      agent: {
        what: "the agents' line answering (/twilio/agent/start)",
        events: () => Array.from({ length: n + 1 }, () => signedEvent('/twilio/agent/start', twilioParams('+15550109999', AGENTS_LINE, 'ringing'))),
      },
      'tickets-api': {
        what: 'a ticket looked up (GET /api/tickets/{number}, not found)',
        events: () =>
          Array.from({ length: n + 1 }, (_, i) => httpApiEvent({ method: 'GET', target: `/api/tickets/${100000 + i}`, host: 'api.example.com', headers: {} })),
      },
    };
    const targets = [...Object.entries(FUNCTIONS).map(([name, f]) => ({ name, entry: f.entry })), { name: 'spool-replay', entry: SPOOL_REPLAY.entry }];
    const out: PowerFigure[] = [];
    for (const t of targets) {
      const file = join(o.outDir, t.name, DEPLOYED_PACKAGING, 'index.mjs');
      await buildBundle(t.entry, file, DEPLOYED_PACKAGING);
      const w = workloads[t.name];
      const results: ChildResult[] = [];
      for (let r = 0; r < o.coldRuns; r++) {
        const events = join(dir, `${t.name}-${r}.json`);
        writeFileSync(events, JSON.stringify(w ? w.events() : []));
        results.push(await runChild(file, events, env));
      }
      const bad = results.flatMap((r) => r.runs).filter((x) => x.status >= 500);
      if (bad.length) o.log(`  ${t.name}: ${bad.length} invocations answered ${bad[0]!.status}`);
      // The first invocation after the import pays the lazy set-up (clients, connections): the first caller
      // of a new instance waits for it too, so it counts in the cold start, not among the warm ones.
      const warm = results.flatMap((r) => r.runs.slice(1));
      const coldWall = percentile(
        results.map((r) => r.coldMs + (r.runs[0]?.ms ?? 0)),
        50,
      );
      const coldCpu = percentile(
        results.map((r) => r.coldCpuMs + (r.runs[0]?.cpuMs ?? 0)),
        50,
      );
      const rss = Math.max(...results.map((r) => r.rssMb));
      if (warm.length === 0 && w) throw new Error(`${t.name}: no warm invocations measured`);
      const wait = warm.length
        ? percentile(
            warm.map((x) => Math.max(0, x.ms - x.cpuMs)),
            10,
          )
        : 0;
      const rows = SIZES_MB.map((m): PowerRow => {
        const d = warm.map((x) => simulate(x.cpuMs, x.cpuMs + wait, m));
        return {
          memoryMb: m,
          warmP50Ms: d.length ? percentile(d, 50) : Number.NaN,
          warmP99Ms: d.length ? percentile(d, 99) : Number.NaN,
          coldMs: simulate(coldCpu, coldCpu, m),
          costPerMillion: d.length ? costPerMillion(d, m) : Number.NaN,
        };
      });
      const pick = choose(rows, rss, warm.length > 0);
      out.push({
        name: t.name,
        invocations: warm.length,
        workload: w?.what ?? `cold init only (${COLD_ONLY[t.name] ?? 'no warm workload in the sweep'})`,
        coldWallMs: coldWall,
        coldCpuMs: coldCpu,
        warmWallMs: warm.length
          ? percentile(
              warm.map((x) => x.ms),
              50,
            )
          : Number.NaN,
        warmCpuMs: warm.length
          ? percentile(
              warm.map((x) => x.cpuMs),
              50,
            )
          : Number.NaN,
        waitMs: wait,
        peakRssMb: rss,
        rows,
        chosenMb: pick.mb,
        why: pick.why,
        acceptedMb: acceptedSizes(rows, pick.mb, warm.length > 0),
        deployedMb: MEMORY_MB[t.name as keyof typeof MEMORY_MB],
      });
      o.log(
        `  ${t.name}: cold ${coldWall.toFixed(0)} ms (${coldCpu.toFixed(0)} ms CPU), warm p50 ${out.at(-1)!.warmWallMs.toFixed(1)} ms, RSS ${rss.toFixed(0)} MB -> ${pick.mb} MB`,
      );
    }
    return out;
  } finally {
    await db.stop();
  }
}

function twilioParams(from: string, to: string, status: string): Record<string, string> {
  return {
    AccountSid: `AC${'a'.repeat(32)}`,
    CallSid: newCallSid(),
    From: from,
    To: to,
    Called: to,
    Caller: from,
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
    CallStatus: status,
  };
}

function runChild(bundle: string, events: string, env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', CHILD], {
      cwd: PROJECT_ROOT,
      env: { ...env, BENCH_BUNDLE: pathToFileURL(bundle).href, BENCH_EVENTS: events },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout) as ChildResult);
      } catch (e) {
        reject(new Error(`running ${bundle}: ${(e as Error).message}: ${stderr}`));
      }
    });
  });
}
