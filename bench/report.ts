/** Renders one bench run as docs/benchmarks.md and checks the issue's goals against it. */
import { writeUnits } from './lib/item-size.js';
import { faultTable } from '../test/faults/matrix.js';
import type { BundleFigure } from './bundles.js';
import type { LoadResult } from './load.js';
import type { StepsResult } from './steps.js';
import { speechGoals, type SpeechRun } from './speech/report.js';
import type { BurstResult } from './burst.js';
import { COLD_TARGET_MS, EDGE, FULL_CPU_MB, PRICE_GB_S, RSS_HEADROOM, WARM_P99_TARGET_MS, type PowerFigure } from './power.js';

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  machine: { cpu: string; cores: number; memoryGiB: number; freeGiB: number; os: string; loadAtStart: number[]; loadAtEnd?: number[] };
  versions: Record<string, string>;
  args: { calls: number; rate: number; thinkMs: number; codeShare: number; stepCalls: number; coldRuns: number; burst: number };
  /** A smoke run (`--quick`): small counts, so the count goals are checked at the counts run. */
  quick?: boolean;
  /** Seconds each part took. */
  seconds?: Record<string, number>;
  bundles?: { functions: BundleFigure[]; baseline: BundleFigure };
  power?: PowerFigure[];
  steps?: StepsResult;
  /** The same steps on DynamoDB Local (transactions, as DynamoDB has), when Java is there. */
  stepsTx?: StepsResult;
  load?: LoadResult;
  /** Seconds of speech to the queue (issue 13); its own document is docs/speech-timing.md. */
  speech?: SpeechRun;
  burst?: BurstResult;
}

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export const BUNDLE_BUDGET_BYTES = 150 * 1024;
export const WEBHOOK_P99_MS = 250;
export const LOAD_CALLS = 500;
export const BURST_CALLS = 2000;
/** DynamoDB requests per call path (issue 15). */
const ENGINE_NAMES: Record<StepsResult['engine'], string> = { dynalite: 'dynalite', 'dynamodb-local': 'DynamoDB Local' };

export const REQUEST_GOALS: Record<string, number> = { 'registered caller to ticket': 6, 'caller verified by code to ticket': 12, 'agent taking a call': 6 };

/** The goals as a plain table for the terminal: one row per goal, PASS or FAIL first. */
export function goalsTable(goals: Goal[]): string {
  const w = Math.max(4, ...goals.map((g) => g.goal.length));
  const lines = ['GOALS', `${'result'.padEnd(6)}  ${'goal'.padEnd(w)}  this run`];
  for (const g of goals) lines.push(`${(g.met ? 'PASS' : 'FAIL').padEnd(6)}  ${g.goal.padEnd(w)}  ${g.measured}`);
  const missed = goals.filter((g) => !g.met).length;
  lines.push(missed ? `${missed} of ${goals.length} goals FAILED` : `all ${goals.length} goals passed`);
  return lines.join('\n');
}

const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
const kb = (b: number) => (b / 1024).toFixed(1);
const load3 = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' / ') : '–');

export function checkGoals(r: BenchReport): Goal[] {
  const goals: Goal[] = [];
  if (r.load) {
    const l = r.load;
    goals.push({
      goal: `paced load, ${r.quick ? `${l.calls} calls (quick)` : `${LOAD_CALLS} calls`}: 0 lost, 0 duplicate tickets, 0 errors`,
      measured: `${l.calls} calls (peak ${l.peakConcurrent} at once): ${l.lost} lost, ${l.duplicates} duplicates, ${l.errors} errors`,
      met: l.calls >= (r.quick ? 1 : LOAD_CALLS) && l.lost === 0 && l.duplicates === 0 && l.errors === 0 && l.ticketsCreated === l.ticketsExpected,
    });
    const worst = [...l.webhooks].sort((a, b) => b.p99 - a.p99)[0];
    goals.push({
      goal: `p99 per webhook under load < ${WEBHOOK_P99_MS} ms`,
      measured: worst ? `worst ${worst.step}: ${ms(worst.p99)} ms` : 'no webhooks',
      met: !!worst && worst.p99 < WEBHOOK_P99_MS,
    });
  }
  if (r.steps) {
    const worst = [...r.steps.steps].sort((a, b) => b.p99 - a.p99)[0];
    goals.push({
      goal: `p99 per webhook step in-process < ${WEBHOOK_P99_MS} ms`,
      measured: worst ? `worst ${worst.step} (${worst.path}): ${ms(worst.p99)} ms` : 'none',
      met: !!worst && worst.p99 < WEBHOOK_P99_MS,
    });
    // Counted where DynamoDB's own features are (transactions): DynamoDB Local when it ran, else dynalite.
    const counted = r.stepsTx ?? r.steps;
    for (const [path, limit] of Object.entries(REQUEST_GOALS)) {
      const x = counted.paths.find((p) => p.path === path);
      goals.push({
        goal: `DynamoDB requests per call from ring to queue, ${path} <= ${limit}`,
        measured: x ? `${x.requests.toFixed(1)} per call on ${ENGINE_NAMES[counted.engine]} (${x.calls} calls)` : 'not measured',
        met: !!x && x.calls > 0 && x.requests <= limit,
      });
    }
  }
  if (r.bundles) {
    const { functions, baseline } = r.bundles;
    const dep = (f: BundleFigure) => (f.deployed === 'bundled' && f.bundled ? f.bundled : f.external);
    const biggest = [...functions].sort((a, b) => dep(b).ownBytes - dep(a).ownBytes)[0]!;
    goals.push({
      goal: 'our code in every deployed bundle <= 150 KB (the AWS SDK not counted)',
      measured: `largest ${biggest.name}: ${kb(dep(biggest).ownBytes)} KB of ${kb(dep(biggest).bytes)} KB (${biggest.deployed} SDK)`,
      met: functions.every((f) => dep(f).ownBytes <= BUNDLE_BUDGET_BYTES),
    });
    const sum = (k: 'external' | 'bundled') => functions.reduce((a, f) => a + (f[k]?.totalMs ?? Number.NaN), 0);
    const deployed = functions[0]?.deployed ?? 'external';
    const other = deployed === 'external' ? 'bundled' : 'external';
    goals.push({
      goal: `deployed SDK packaging (${deployed}) starts no slower than ${other}, bundle + SDK, source maps on`,
      measured: `sum of cold inits ${ms(sum(deployed))} ms vs ${ms(sum(other))} ms (${(sum(deployed) / sum(other)).toFixed(2)}x)`,
      met: sum(deployed) <= sum(other),
    });
    const slowest = [...functions].sort((a, b) => b.loadMs - a.loadMs)[0]!;
    goals.push({
      goal: 'our code (SDK preloaded) loads in under a third of the whole-twilio baseline',
      measured: `slowest ${slowest.name}: ${ms(slowest.loadMs)} ms vs baseline ${ms(baseline.loadMs)} ms (${(slowest.loadMs / baseline.loadMs).toFixed(2)}x)`,
      met: functions.every((f) => f.loadMs < baseline.loadMs / 3),
    });
  }
  if (r.speech) goals.push(...speechGoals(r.speech.results));
  if (r.power) {
    const off = r.power.filter((p) => !p.acceptedMb.includes(p.deployedMb));
    const edge = r.power.filter((p) => p.deployedMb !== p.chosenMb && p.acceptedMb.includes(p.deployedMb));
    goals.push({
      goal: 'every function deployed at the memory size its measured table chooses (or one up where the choice is on the edge)',
      measured: off.length
        ? off.map((p) => `${p.name} deployed ${p.deployedMb} MB, table says ${p.acceptedMb.join(' or ')} MB`).join('; ')
        : r.power.map((p) => `${p.name} ${p.deployedMb} MB${edge.includes(p) ? ` (${p.chosenMb} MB on the edge)` : ''}`).join(', '),
      met: off.length === 0,
    });
  }
  if (r.burst) {
    const b = r.burst;
    goals.push({
      goal: `burst of ${r.quick ? `${b.calls} (quick)` : BURST_CALLS} simultaneous calls: 0 lost, 0 duplicate tickets, 0 hearing busy or an apology`,
      measured: `${b.calls} calls: ${b.completed} completed, ${b.lost} lost, ${b.duplicates} duplicates, ${b.busy} busy, ${b.wrong} went wrong, ${b.failedWebhooks} failed webhooks`,
      met:
        b.calls >= (r.quick ? 1 : BURST_CALLS) &&
        b.lost === 0 &&
        b.duplicates === 0 &&
        b.busy === 0 &&
        b.wrong === 0 &&
        b.failedWebhooks === 0 &&
        b.notQueued === 0,
    });
  }
  return goals;
}

export function renderReport(r: BenchReport): { markdown: string; goals: Goal[] } {
  const goals = checkGoals(r);
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  p('# Benchmarks');
  p();
  p(
    `Written by \`npm run bench\` (bench/run.ts) on ${r.startedAt}; every figure and ratio below comes from that one run. Re-run it to reproduce (\`npm run bench -- --help\` for the options; \`--quick\` for a smoke run). Raw figures of the last run: \`.local/bench/last.json\`.`,
  );
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
  p(
    'The machine is shared with other work (tests of other engineers run on it): a load average well above 0 at start or end means the latency figures include their CPU use.',
  );
  p();
  p('## Goals');
  p();
  p('| goal | this run | |');
  p('|---|---|---|');
  for (const g of goals) p(`| ${g.goal} | ${g.measured} | ${g.met ? 'PASS' : '**FAIL**'} |`);
  p();
  if (r.bundles) {
    const { functions, baseline } = r.bundles;
    p('## Bundles and cold start');
    p();
    p(
      `Every function built twice with the CDK construct's own esbuild options (lib/constructs/voice-function.ts \`BUNDLING\`, \`ESBUILD_ALIAS\`: ESM, node24, minified, linked source map without sources): once with \`@aws-sdk/*\` external (the Lambda runtime's copy is loaded at start) and once with the SDK inside the bundle. Cold start: a fresh Node ${r.versions.node} process started with \`--enable-source-maps\` (the deployed NODE_OPTIONS) importing the bundle, median of ${r.args.coldRuns} runs, interleaved across bundles and packagings so a noisy moment of this shared machine hits all alike. *Init, SDK external* loads the SDK modules the bundle imports inside the timing, as a cold instance pays it (from node_modules here: the same SDK version we test against; the runtime's own copy may be another version). *Bundled / external* is the ratio of the two inits in this run: below 1.00 the bundled SDK starts faster. *Our code alone* imports the external bundle with its SDK modules already loaded, compared with the baseline (a handler importing the whole \`twilio\` package, no SDK). The construct deploys: **${functions[0]?.deployed ?? '–'}**.`,
    );
    p();
    p(
      '| function | bundle, SDK external | init, SDK external | bundle, SDK bundled | init, SDK bundled | bundled / external | init CPU (deployed) | our code alone | vs baseline | SDK modules imported |',
    );
    p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const f of functions) {
      const b = f.bundled;
      const dep = f.deployed === 'bundled' && b ? b : f.external;
      p(
        `| ${f.name} | ${kb(f.bytes)} KB (+${kb(f.external.mapBytes)} KB map) | ${ms(f.external.totalMs)} ms | ${b ? `${kb(b.bytes)} KB (+${kb(b.mapBytes)} KB map)` : '–'} | ${b ? `${ms(b.totalMs)} ms` : '–'} | ${b ? `${(b.totalMs / f.external.totalMs).toFixed(2)}x` : '–'} | ${ms(dep.totalCpuMs)} ms | ${ms(f.loadMs)} ms | ${(f.loadMs / baseline.loadMs).toFixed(2)}x | ${f.sdkModules.map((m) => m.replace('@aws-sdk/', '')).join(', ') || '–'} |`,
      );
    }
    p(
      `| *${baseline.name}* | ${kb(baseline.bytes)} KB | ${ms(baseline.external.totalMs)} ms | – | – | – | ${ms(baseline.external.totalCpuMs)} ms | ${ms(baseline.loadMs)} ms | 1.00x | – |`,
    );
    p();
  }
  if (r.power) {
    p('## Memory size (simulated CPU shares)');
    p();
    p(
      `Power-tuning style, simulated: Lambda gives CPU in proportion to memory (${FULL_CPU_MB} MB = one vCPU). Each function's deployed bundle runs in a fresh Node process with \`--enable-source-maps\` against an embedded DynamoDB in the bench process: its cold init, then warm invocations one at a time, each measured as wall time and CPU time (\`process.cpuUsage\`). At M MB a warm invocation takes *CPU / min(1, M / ${FULL_CPU_MB}) + wait*: the CPU-bound part stretches with the share, waiting on DynamoDB does not; *wait* is the 10th percentile of *wall − CPU* over the run (on this shared machine most of *wall − CPU* is waiting for a core, which a Lambda instance does not do). The cold start is the import plus the first invocation (which pays the lazy set-up of clients and connections; the first caller of a new instance waits for both), taken as CPU / share: loading modules from the page cache is CPU-bound, and on this shared machine its wall time is mostly waiting for a core. This is a linear model, not a throttled run (no cgroup here), and it takes this machine's core (${r.machine.cpu}) for a Graviton core; Lambda's CPU quota slices a core in short periods, so a single request can see more jitter than the average says. Cost: arm64 at $${PRICE_GB_S} per GB-second on the billed (rounded-up) milliseconds, plus $0.20 per million requests. The chosen size is the cheapest whose simulated warm p99 <= ${WARM_P99_TARGET_MS} ms and cold init <= ${COLD_TARGET_MS} ms and that holds ${RSS_HEADROOM}x the peak RSS measured; the construct's \`MEMORY_MB\` must match (a goal above), or be one size up where the chosen size is within ${EDGE * 100} % of a limit: there one quiet run's choice differs from the next.`,
    );
    p();
    p('| function | workload (warm) | n | cold start wall / CPU | warm p50 wall / CPU | wait | peak RSS | chosen | deployed |');
    p('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const f of r.power)
      p(
        `| ${f.name} | ${f.workload} | ${f.invocations} | ${ms(f.coldWallMs)} / ${ms(f.coldCpuMs)} ms | ${ms(f.warmWallMs)} / ${ms(f.warmCpuMs)} ms | ${ms(f.waitMs)} ms | ${f.peakRssMb.toFixed(0)} MB | ${f.chosenMb} MB | ${f.deployedMb} MB |`,
      );
    p();
    p('| function | memory | warm p50 ms | warm p99 ms | cold start ms | USD per million invocations | cost vs 1,024 MB | |');
    p('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const f of r.power) {
      const top = f.rows.find((x) => x.memoryMb === 1024);
      for (const row of f.rows) {
        const rel = top && Number.isFinite(row.costPerMillion) ? `${(row.costPerMillion / top.costPerMillion).toFixed(2)}x` : '–';
        const cost = Number.isFinite(row.costPerMillion) ? row.costPerMillion.toFixed(3) : '–';
        p(
          `| ${f.name} | ${row.memoryMb} MB | ${ms(row.warmP50Ms)} | ${ms(row.warmP99Ms)} | ${ms(row.coldMs)} | ${cost} | ${rel} | ${row.memoryMb === f.chosenMb ? '**chosen**' : ''} |`,
        );
      }
    }
    p();
  }
  for (const s of [r.steps, r.stepsTx]) {
    if (!s) continue;
    p(`## Webhook steps, warm, in-process, on ${ENGINE_NAMES[s.engine]}`);
    p();
    p(
      `The real middy stack and flows with \`buildDeps(config, { doc })\` on ${s.engine === 'dynalite' ? 'the embedded DynamoDB (dynalite, same process; no transactions, so a step and its audit entries are separate writes)' : "Amazon's DynamoDB Local (Java, on this machine; transactions as in DynamoDB, so a step's audit entries go in the step's one write)"}, one request at a time after 10 warm-up calls per path, ${r.args.stepCalls} measured calls per path. SDK middleware on the handlers' DynamoDB client counts every request on the wire (retries included) and the time inside DynamoDB calls. Texts and emails go to a recording notifier (SNS/SES latency is AWS's). *Handler/DynamoDB* is handler time divided by the time in DynamoDB calls: 1.0 would mean the step does nothing but wait for DynamoDB.`,
    );
    p();
    p('| path | step | n | p50 ms | p99 ms | DynamoDB requests | by operation | in DynamoDB ms | handler ms | handler/DynamoDB |');
    p('|---|---|---:|---:|---:|---:|---|---:|---:|---:|');
    for (const st of s.steps) {
      const ops =
        Object.entries(st.byCommand)
          .map(([c, n]) => `${c} ${n.toFixed(n % 1 ? 2 : 0)}`)
          .join(', ') || '–';
      p(
        `| ${st.path} | ${st.step} | ${st.n} | ${ms(st.p50)} | ${ms(st.p99)} | ${st.requests.toFixed(st.requests % 1 ? 2 : 0)} | ${ops} | ${ms(st.dynamoMs)} | ${ms(st.handlerMs)} | ${st.dynamoMs > 0 ? (st.handlerMs / st.dynamoMs).toFixed(2) : '–'} |`,
      );
    }
    p();
    p(
      "Per call path: sums over the steps of one call from ring to the queue (to the caller's bridge for an agent); the queue's own webhooks (the wait announcement, repeated while the caller waits) are counted per request beside it. *Largest call-state item*: the biggest call-state item a step of the path wrote, in DynamoDB's item size, and the write units each such write costs.",
    );
    p();
    p(
      '| path | calls | DynamoDB requests per call | per wait announcement | largest call-state item | handler ms per call | in DynamoDB ms per call | handler/DynamoDB |',
    );
    p('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of s.paths)
      p(
        `| ${x.path} | ${x.calls} | ${x.requests.toFixed(1)} | ${x.queueRequests ? x.queueRequests.toFixed(1) : '–'} | ${x.largestStateBytes} B (${writeUnits(x.largestStateBytes)} WCU) | ${ms(x.handlerMs)} | ${ms(x.dynamoMs)} | ${x.dynamoMs > 0 ? (x.handlerMs / x.dynamoMs).toFixed(2) : '–'} |`,
      );
    if (s.agentNote) p(`\nThe agents' path was not measured: ${s.agentNote}.`);
    p();
  }
  if (r.load) {
    const l = r.load;
    p('## Load through the local server');
    p();
    p(
      `${l.calls} callers (${Math.round(r.args.codeShare * 100)}% verified by code, the others registered callers) arriving at ${l.rate}/s, each running a full call path to a ticket through the local HTTP server (\`startLocal\` in a child process, as \`npm start\` runs it; its embedded DynamoDB in a worker thread), with a caller's thinking time of ${(l.thinkMs / 1000).toFixed(1)} s on average (0.5x to 1.5x) before each answer, as a caller listens to the prompt first. Latency is measured by the callers, over HTTP with keep-alive.`,
    );
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
    p(
      `Every Say from answer to queue, timed by ${r.speech.speaker}; per path, per language, the longest prompts and the speech no key can cut: [speech-timing.md](speech-timing.md).`,
    );
    p();
    p('| path | seconds | of which bargeable |');
    p('|---|---:|---:|');
    for (const x of r.speech.results.filter((x) => x.group === 'path'))
      p(`| ${x.label}${x.problem ? ' (not queued)' : ''} | ${x.totals.seconds.toFixed(1)} | ${x.totals.bargeableSeconds.toFixed(1)} |`);
    p();
  }
  if (r.burst) {
    const b = r.burst;
    p('## Burst through the local server');
    p();
    p(
      `${b.calls} calls ringing at the same instant (${b.codeCalls} verified by a code, the others registered callers trusted by caller ID) through a fresh local server (\`startLocal\` in a child process, as \`npm start\` runs it, its embedded DynamoDB in a worker thread; every cache cold), one connection per call as Twilio's edge opens them, each caller answering every prompt at once. A webhook without an answer in 15 s is one Twilio would have abandoned. The callers run in the bench process on the same 2 cores, so the server has less than the whole machine.`,
    );
    p();
    p('| | |');
    p('|---|---|');
    p(`| wall time | ${b.wallS.toFixed(1)} s (webhooks ${b.requestsPerS.toFixed(0)}/s) |`);
    p(`| calls completed (queued, every answer a 200, nothing a working line never says) | ${b.completed} of ${b.calls} |`);
    p(`| lost (no ticket) / duplicate tickets | ${b.lost} / ${b.duplicates} |`);
    p(`| callers hearing "busy" / "something went wrong" | ${b.busy} / ${b.wrong} |`);
    p(`| calls with a webhook failed on the wire (no answer in 15 s, reset, non-200) | ${b.failedWebhooks} |`);
    p(`| calls not ending in the queue | ${b.notQueued} |`);
    p(`| codes expected / sent | ${b.codesExpected} / ${b.codesSent} |`);
    if (b.server) {
      p(`| server: its own time per request p50 / p99 / max | ${ms(b.server.serverMs.p50)} / ${ms(b.server.serverMs.p99)} / ${ms(b.server.serverMs.max)} ms |`);
      p(`| server: event-loop delay p99 / max | ${ms(b.server.loopDelayMs.p99)} / ${ms(b.server.loopDelayMs.max)} ms |`);
      p(`| server: CPU time | ${b.server.cpuS.toFixed(1)} s (both threads) |`);
    }
    p();
    p('| webhook | n | p50 ms | p99 ms | max ms |');
    p('|---|---:|---:|---:|---:|');
    for (const w of b.webhooks) p(`| ${w.step} | ${w.n} | ${ms(w.p50)} | ${ms(w.p99)} | ${ms(w.max)} |`);
    p(`| *all* | ${b.all.n} | ${ms(b.all.p50)} | ${ms(b.all.p99)} | ${ms(b.all.max)} |`);
    if (b.samples.length) {
      p();
      p('Samples of calls that went wrong:');
      for (const e of b.samples) p(`- \`${e}\``);
    }
    for (const prof of b.profiles ?? []) {
      p();
      p(
        `CPU profile of a server thread (\`node --cpu-prof\`, ${(prof.busyMs / 1000).toFixed(1)} s busy of ${(prof.totalMs / 1000).toFixed(1)} s sampled, start-up included), self time by owner: ${prof.byOwner
          .slice(0, 8)
          .map((o) => `${o.owner} ${(o.share * 100).toFixed(1)} %`)
          .join(', ')}. Most self time: ${prof.top
          .slice(0, 5)
          .map((t) => `\`${t.fn}\` ${(t.share * 100).toFixed(1)} %`)
          .join(', ')}.`,
      );
    }
    p();
  }
  p('## Faults, hostile input and replays');
  p();
  p('Not timed here: automated tests, part of `npm test`.');
  p();
  p(
    '- test/faults/dynamo-outage.test.ts: the embedded DynamoDB stopped, throttling (SDK middleware returning ThrottlingException, retried by the SDK) or refusing connections in the middle of five calls; every answer spoken within 3 s; callers at the priority step get a reference (the spool), replayed to exactly one ticket each, under that number, however often the replay runs; PutItem throttled while the ticket is opened.',
  );
  p('- test/faults/local-spool.test.ts: the same through `startLocal`: the spool file beside the outbox and the server\u2019s own periodic replay.');
  p(
    '- test/faults/notifier-failures.test.ts: SNS or SES refusing (mocked clients, exact commands): the code goes by the other channel, or the caller is told to call again; a lost confirmation costs nothing.',
  );
  p(
    '- test/fuzz/routes.test.ts: fast-check over every route of `ROUTES` and unknown paths through the local server: no 5xx, no unhandled rejection, every 200 from /twilio a TwiML `<Response>`, tables, outbox and spool unchanged without a valid signature.',
  );
  p(
    '- test/replay/*.test.ts: every webhook of both caller paths sent twice (in sequence and at once), late duplicates, the wait URL after the queue result, the status callback before and inside the last step: the same answers, one ticket, one code, one attempt counted.',
  );
  p();
  // The fault × step table is the suite's own (test/faults/matrix.ts), checked against the tests by matrix.test.ts.
  p(faultTable());
  p();
  return { markdown: out.join('\n'), goals };
}
