/** Renders one bench run as docs/benchmarks.md and checks the goals against it. */
import type { BundleFigure } from './bundles.js';
import type { LoadResult } from './load.js';
import type { StepsResult } from './steps.js';
import { speechGoals, type SpeechRun } from './speech/report.js';

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  machine: { cpu: string; cores: number; memoryGiB: number; freeGiB: number; os: string; loadAtStart: number[]; loadAtEnd?: number[] };
  versions: Record<string, string>;
  args: { calls: number; rate: number; thinkMs: number; codeShare: number; stepCalls: number; coldRuns: number };
  bundles?: { functions: BundleFigure[]; baseline: BundleFigure };
  steps?: StepsResult;
  load?: LoadResult;
  /** Seconds of speech to the queue (issue 13); its own document is docs/speech-timing.md. */
  speech?: SpeechRun;
}

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export const BUNDLE_BUDGET_BYTES = 150 * 1024;
export const WEBHOOK_P99_MS = 250;
export const LOAD_CALLS = 500;

const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
const kb = (b: number) => (b / 1024).toFixed(1);
const load3 = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' / ') : '–');

export function checkGoals(r: BenchReport): Goal[] {
  const goals: Goal[] = [];
  if (r.load) {
    const l = r.load;
    goals.push({
      goal: `${LOAD_CALLS} calls: 0 lost, 0 duplicate tickets, 0 errors`,
      measured: `${l.calls} calls (peak ${l.peakConcurrent} at once): ${l.lost} lost, ${l.duplicates} duplicates, ${l.errors} errors`,
      met: l.calls >= LOAD_CALLS && l.lost === 0 && l.duplicates === 0 && l.errors === 0 && l.ticketsCreated === l.ticketsExpected,
    });
    const worst = [...l.webhooks].sort((a, b) => b.p99 - a.p99)[0];
    goals.push({ goal: `p99 per webhook under load < ${WEBHOOK_P99_MS} ms`, measured: worst ? `worst ${worst.step}: ${ms(worst.p99)} ms` : 'no webhooks', met: !!worst && worst.p99 < WEBHOOK_P99_MS });
  }
  if (r.steps) {
    const worst = [...r.steps.steps].sort((a, b) => b.p99 - a.p99)[0];
    goals.push({ goal: `p99 per webhook step in-process < ${WEBHOOK_P99_MS} ms`, measured: worst ? `worst ${worst.step} (${worst.path}): ${ms(worst.p99)} ms` : 'none', met: !!worst && worst.p99 < WEBHOOK_P99_MS });
  }
  if (r.bundles) {
    const { functions, baseline } = r.bundles;
    const biggest = [...functions].sort((a, b) => b.bytes - a.bytes)[0]!;
    goals.push({ goal: 'every bundle <= 150 KB', measured: `largest ${biggest.name}: ${kb(biggest.bytes)} KB`, met: functions.every((f) => f.bytes <= BUNDLE_BUDGET_BYTES) });
    const slowest = [...functions].sort((a, b) => b.loadMs - a.loadMs)[0]!;
    goals.push({
      goal: 'every bundle loads in under a third of the whole-twilio baseline',
      measured: `slowest ${slowest.name}: ${ms(slowest.loadMs)} ms vs baseline ${ms(baseline.loadMs)} ms (${(slowest.loadMs / baseline.loadMs).toFixed(2)}x)`,
      met: functions.every((f) => f.loadMs < baseline.loadMs / 3),
    });
  }
  if (r.speech) goals.push(...speechGoals(r.speech.results));
  return goals;
}

export function renderReport(r: BenchReport): { markdown: string; goals: Goal[] } {
  const goals = checkGoals(r);
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  p('# Benchmarks');
  p();
  p(`Written by \`npm run bench\` (bench/run.ts) on ${r.startedAt}; every figure and ratio below comes from that one run. Re-run it to reproduce; \`--calls 2000\`, \`--rate\`, \`--think\` change the load run. Raw figures of the last run: \`.local/bench/last.json\`.`);
  p();
  p('## Machine and versions');
  p();
  p('| | |');
  p('|---|---|');
  p(`| CPU | ${r.machine.cpu} |`);
  p(`| cores | ${r.machine.cores} |`);
  p(`| memory | ${r.machine.memoryGiB.toFixed(1)} GiB (${r.machine.freeGiB.toFixed(1)} GiB free at start) |`);
  p(`| OS | ${r.machine.os} |`);
  p(`| load average (1/5/15 min) | start ${load3(r.machine.loadAtStart)}, end ${load3(r.machine.loadAtEnd)} |`);
  for (const [k, v] of Object.entries(r.versions)) p(`| ${k} | ${v} |`);
  p();
  p('The machine is shared with other work (tests of other engineers run on it): a load average well above 0 at start or end means the latency figures include their CPU use.');
  p();
  p('## Goals');
  p();
  p('| goal | this run | |');
  p('|---|---|---|');
  for (const g of goals) p(`| ${g.goal} | ${g.measured} | ${g.met ? 'met' : '**missed**'} |`);
  p();
  if (r.bundles) {
    const { functions, baseline } = r.bundles;
    p('## Bundles and cold load');
    p();
    p(`Built with the CDK construct's own esbuild options (lib/constructs/voice-function.ts \`BUNDLING\` and \`ESBUILD_ALIAS\`: ESM, node24, minified, \`@aws-sdk/*\` external). Cold load: a fresh Node ${r.versions.node} process importing the bundle, median of ${r.args.coldRuns} runs, interleaved across bundles. *Bundle* is the import of the bundle with the runtime-provided \`@aws-sdk/*\` modules it uses already loaded: the cost of the code we ship, compared with the baseline (a handler importing the whole \`twilio\` package, which uses no SDK). *Init incl. SDK* also loads those SDK modules inside the timing, as a cold Lambda instance pays it; the SDK's share is the same for any handler using those clients.`);
    p();
    p('| function | bundle | cold load (bundle) | vs baseline | init incl. SDK | SDK modules imported |');
    p('|---|---:|---:|---:|---:|---|');
    for (const f of functions) p(`| ${f.name} | ${kb(f.bytes)} KB | ${ms(f.loadMs)} ms | ${(f.loadMs / baseline.loadMs).toFixed(2)}x | ${ms(f.totalMs)} ms | ${f.sdkModules.map((m) => m.replace('@aws-sdk/', '')).join(', ') || '–'} |`);
    p(`| *${baseline.name}* | ${kb(baseline.bytes)} KB | ${ms(baseline.loadMs)} ms | 1.00x | ${ms(baseline.totalMs)} ms | – |`);
    p();
  }
  if (r.steps) {
    const s = r.steps;
    p('## Webhook steps, warm, in-process');
    p();
    p(`The real middy stack and flows with \`buildDeps(config, { doc })\` on the embedded DynamoDB (dynalite, same process), one request at a time after 10 warm-up calls per path, ${r.args.stepCalls} measured calls per path. SDK middleware on the handlers' DynamoDB client counts every request on the wire (retries included) and the time inside DynamoDB calls. Texts and emails go to a recording notifier (SNS/SES latency is AWS's). *Handler/DynamoDB* is handler time divided by the time in DynamoDB calls: 1.0 would mean the step does nothing but wait for DynamoDB.`);
    p();
    p('| path | step | n | p50 ms | p99 ms | DynamoDB requests | by operation | in DynamoDB ms | handler ms | handler/DynamoDB |');
    p('|---|---|---:|---:|---:|---:|---|---:|---:|---:|');
    for (const st of s.steps) {
      const ops = Object.entries(st.byCommand).map(([c, n]) => `${c} ${n.toFixed(n % 1 ? 2 : 0)}`).join(', ') || '–';
      p(`| ${st.path} | ${st.step} | ${st.n} | ${ms(st.p50)} | ${ms(st.p99)} | ${st.requests.toFixed(st.requests % 1 ? 2 : 0)} | ${ops} | ${ms(st.dynamoMs)} | ${ms(st.handlerMs)} | ${st.dynamoMs > 0 ? (st.handlerMs / st.dynamoMs).toFixed(2) : '–'} |`);
    }
    p();
    p('Per call path (sums over the steps of one call):');
    p();
    p('| path | calls | DynamoDB requests per call | handler ms per call | in DynamoDB ms per call | handler/DynamoDB |');
    p('|---|---:|---:|---:|---:|---:|');
    for (const x of s.paths) p(`| ${x.path} | ${x.calls} | ${x.requests.toFixed(1)} | ${ms(x.handlerMs)} | ${ms(x.dynamoMs)} | ${x.dynamoMs > 0 ? (x.handlerMs / x.dynamoMs).toFixed(2) : '–'} |`);
    if (s.agentNote) p(`\nThe agents' path was not measured: ${s.agentNote}.`);
    p();
  }
  if (r.load) {
    const l = r.load;
    p('## Load through the local server');
    p();
    p(`${l.calls} callers (${Math.round(r.args.codeShare * 100)}% verified by code, the others registered callers) arriving at ${l.rate}/s, each running a full call path to a ticket through the local HTTP server (\`startLocal\` in a child process, as \`npm start\` runs it; its embedded DynamoDB in a worker thread), with a caller's thinking time of ${(l.thinkMs / 1000).toFixed(1)} s on average (0.5x to 1.5x) before each answer, as a caller listens to the prompt first. Latency is measured by the callers, over HTTP with keep-alive.`);
    p();
    p('| | |');
    p('|---|---|');
    p(`| wall time | ${l.wallS.toFixed(1)} s |`);
    p(`| calls completed per second | ${l.callsPerS.toFixed(1)} (bounded by the thinking time; webhooks ${l.requestsPerS.toFixed(1)}/s) |`);
    p(`| calls in progress at once (peak) | ${l.peakConcurrent} |`);
    p(`| tickets expected / created | ${l.ticketsExpected} / ${l.ticketsCreated} |`);
    p(`| duplicate tickets | ${l.duplicates} |`);
    p(`| lost tickets | ${l.lost} |`);
    p(`| codes expected / sent (outbox) | ${l.codesExpected} / ${l.codesSent} |`);
    p(`| errors (non-200, apology, call not ending in the queue) | ${l.errors} |`);
    p(`| requests sent again after a connection reset (as Twilio retries) | ${l.connectionRetries} |`);
    if (l.server) {
      p(`| server: its own time per request p50 / p99 / max | ${ms(l.server.serverMs.p50)} / ${ms(l.server.serverMs.p99)} / ${ms(l.server.serverMs.max)} ms |`);
      p(`| server: event-loop delay p99 / max | ${ms(l.server.loopDelayMs.p99)} / ${ms(l.server.loopDelayMs.max)} ms |`);
      p(`| server: CPU time | ${l.server.cpuS.toFixed(1)} s (both threads) |`);
    }
    p();
    p('| webhook | n | p50 ms | p99 ms | max ms |');
    p('|---|---:|---:|---:|---:|');
    for (const w of l.webhooks) p(`| ${w.step} | ${w.n} | ${ms(w.p50)} | ${ms(w.p99)} | ${ms(w.max)} |`);
    p(`| *all* | ${l.all.n} | ${ms(l.all.p50)} | ${ms(l.all.p99)} | ${ms(l.all.max)} |`);
    if (l.errorSamples.length) {
      p();
      p('Error samples:');
      for (const e of l.errorSamples) p(`- \`${e}\``);
    }
    p();
  }
  if (r.speech) {
    p('## Seconds of speech to the queue');
    p();
    p(`Every Say from answer to queue, timed by ${r.speech.speaker}; per path, per language, the longest prompts and the speech no key can cut: [speech-timing.md](speech-timing.md).`);
    p();
    p('| path | seconds | of which bargeable |');
    p('|---|---:|---:|');
    for (const x of r.speech.results.filter((x) => x.group === 'path')) p(`| ${x.label}${x.problem ? ' (not queued)' : ''} | ${x.totals.seconds.toFixed(1)} | ${x.totals.bargeableSeconds.toFixed(1)} |`);
    p();
  }
  p('## Faults, hostile input and replays');
  p();
  p('Not timed here: automated tests, part of `npm test`.');
  p();
  p('- test/faults/dynamo-outage.test.ts: the embedded DynamoDB stopped, throttling (SDK middleware returning ThrottlingException, retried by the SDK) or refusing connections in the middle of five calls; every answer spoken within 3 s; callers at the priority step get a reference (the spool), replayed to exactly one ticket each, under that number, however often the replay runs; PutItem throttled while the ticket is opened.');
  p('- test/faults/local-spool.test.ts: the same through `startLocal`: the spool file beside the outbox and the server\u2019s own periodic replay.');
  p('- test/faults/notifier-failures.test.ts: SNS or SES refusing (mocked clients, exact commands): the code goes by the other channel, or the caller is told to call again; a lost confirmation costs nothing.');
  p('- test/fuzz/routes.test.ts: fast-check over every route of `ROUTES` and unknown paths through the local server: no 5xx, no unhandled rejection, every 200 from /twilio a TwiML `<Response>`, tables, outbox and spool unchanged without a valid signature.');
  p('- test/replay/*.test.ts: every webhook of both caller paths sent twice (in sequence and at once), late duplicates, the wait URL after the queue result, the status callback before and inside the last step: the same answers, one ticket, one code, one attempt counted.');
  p();
  return { markdown: out.join('\n'), goals };
}
