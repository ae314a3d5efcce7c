/**
 * `npm run bench [-- --calls 500 --rate 30 --think 10000 --code-share 0.2 --step-calls 100 --cold-runs 9]`
 * `npm run bench -- --speech`: only the seconds of speech to the queue (issue 13; bench/speech/run.ts).
 *
 * Measures, in one run, everything issue 7 asks for and writes docs/benchmarks.md: the machine and the
 * versions; each function's bundle size and cold load beside a whole-twilio baseline; warm latency and
 * DynamoDB requests of every webhook step with totals per call path; and a load run through the local
 * HTTP server. Goals are checked against the figures of this run and the exit code says whether all
 * were met, so a regression shows up in CI or a pre-release check without reading the report.
 */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/constructs/voice-function.js';
import { measureBundles } from './bundles.js';
import { measureSteps } from './steps.js';
import { runLoad } from './load.js';
import { renderReport, type BenchReport } from './report.js';
import { runSpeech, SPEECH_DOC, writeSpeech } from './speech/run.js';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '500' },
    rate: { type: 'string', default: '30' },
    think: { type: 'string', default: '10000' },
    'code-share': { type: 'string', default: '0.2' },
    'step-calls': { type: 'string', default: '100' },
    'cold-runs': { type: 'string', default: '9' },
    out: { type: 'string', default: join(PROJECT_ROOT, 'docs/benchmarks.md') },
    skip: { type: 'string', multiple: true, default: [] },
    speech: { type: 'boolean', default: false },
  },
});

const log = (s: string) => process.stderr.write(`${s}\n`);
const num = (name: keyof typeof args, min: number) => {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
  return n;
};

const PACKAGES = ['twilio', '@middy/core', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sns', '@aws-sdk/client-sesv2', '@aws-sdk/client-sqs', '@aws-lambda-powertools/logger', 'esbuild', 'dynalite', 'tsx', 'vitest', 'fast-check'];

function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const p of PACKAGES) {
    try {
      out[p] = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[p] = 'not installed';
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (args.speech) {
    process.exitCode = writeSpeech(await runSpeech({ log }), join(PROJECT_ROOT, SPEECH_DOC), log);
    return;
  }
  const started = new Date();
  const report: BenchReport = {
    startedAt: started.toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: totalmem() / 2 ** 30, freeGiB: freemem() / 2 ** 30, os: `${platform()} ${release()}`, loadAtStart: loadavg() },
    versions: versions(),
    args: { calls: num('calls', 1), rate: num('rate', 0.1), thinkMs: num('think', 0), codeShare: num('code-share', 0), stepCalls: num('step-calls', 10), coldRuns: num('cold-runs', 7) },
  };
  const skip = new Set(args.skip);
  if (!skip.has('bundles')) {
    log('bundles and cold loads ...');
    report.bundles = await measureBundles({ runs: report.args.coldRuns, outDir: join(PROJECT_ROOT, '.local/bench/bundles'), log });
  }
  if (!skip.has('steps')) {
    log('webhook steps in-process ...');
    report.steps = await measureSteps({ calls: report.args.stepCalls, warmup: 10, log });
  }
  if (!skip.has('load')) {
    log('load through the local server ...');
    report.load = await runLoad({ calls: report.args.calls, rate: report.args.rate, thinkMs: report.args.thinkMs, codeShare: report.args.codeShare, log });
  }
  if (!skip.has('speech')) {
    report.speech = await runSpeech({ log });
    writeSpeech(report.speech, join(PROJECT_ROOT, SPEECH_DOC), log);
  }
  report.machine.loadAtEnd = loadavg();
  report.finishedAt = new Date().toISOString();
  const { markdown, goals } = renderReport(report);
  mkdirSync(join(PROJECT_ROOT, '.local/bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, '.local/bench/last.json'), JSON.stringify(report, null, 2));
  writeFileSync(args.out!, markdown);
  for (const g of goals) log(`${g.met ? 'met   ' : 'MISSED'} ${g.goal}: ${g.measured}`);
  log(`wrote ${args.out}`);
  process.exitCode = goals.every((g) => g.met) ? 0 : 1;
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 2;
});
