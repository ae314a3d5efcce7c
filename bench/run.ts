/**
 * `npm run bench [-- options]` (see USAGE): measures, in one run, bundle sizes and cold starts (SDK bundled
 * vs the runtime's copy, source maps on as deployed), a simulated memory sweep, warm webhook steps with
 * their DynamoDB requests per call path, a paced load run and a burst of simultaneous calls through the
 * local server, and writes docs/benchmarks.md. Goals are checked against this run's figures; the goals
 * table goes to stdout and the exit code is 1 when any goal is missed, so a regression shows up loudly.
 */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BenchReport } from './report.js';

// The parts are imported once the arguments are read, so --help and a usage error answer at once.
const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const PARTS = ['bundles', 'power', 'steps', 'dynamodb-local', 'load', 'burst', 'speech'] as const;

export const USAGE = `usage: npm run bench -- [--quick] [--speech] [--burst N] [--no-profile] [--calls N] [--rate R] [--think MS] [--code-share F]
                       [--step-calls N] [--warmup N] [--cold-runs N] [--skip ${PARTS.join('|')}]... [--out FILE] [--help]
  --quick       a smoke run in about a minute (small counts; writes .local/bench/quick.md, not docs/benchmarks.md)
  --burst N     calls ringing at the same instant through the local server (default 2000; quick 40)
  --no-profile  do not run the burst's server under node --cpu-prof
  --speech      only the seconds of speech from answer to queue (docs/speech-timing.md)
  --calls, --rate, --think   the paced load run: calls, arrivals per second, mean thinking time in ms
  --code-share  share of callers verified by a code (default 0.2)
  --step-calls  measured calls per path in the in-process step run (on dynalite, and on DynamoDB Local when
                Java is there); --warmup: unmeasured calls per path before them (default 10; quick 3);
                --cold-runs: cold starts per bundle
Exit status: 0 all goals met, 1 a goal missed (a FAIL row), 2 bad usage or a bench failure.`;

const OPTIONS: ParseArgsConfig['options'] = {
  help: { type: 'boolean', short: 'h', default: false },
  quick: { type: 'boolean', default: false },
  speech: { type: 'boolean', default: false },
  profile: { type: 'boolean', default: true },
  burst: { type: 'string' },
  calls: { type: 'string' },
  rate: { type: 'string' },
  think: { type: 'string' },
  'code-share': { type: 'string', default: '0.2' },
  'step-calls': { type: 'string' },
  warmup: { type: 'string' },
  'cold-runs': { type: 'string' },
  out: { type: 'string' },
  skip: { type: 'string', multiple: true, default: [] },
};

class UsageError extends Error {}

const log = (s: string) => process.stderr.write(`${s}\n`);

function parse(argv: string[]) {
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false, allowNegative: true }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const quick = values.quick === true;
  const num = (name: string, fallback: number, full: number, min: number, int = true) => {
    const raw = values[name] as string | undefined;
    const n = raw === undefined ? (quick ? fallback : full) : Number(raw);
    if (!Number.isFinite(n) || n < min || (int && !Number.isInteger(n)))
      throw new UsageError(`--${name} must be ${int ? 'an integer' : 'a number'} >= ${min}, got ${String(raw)}`);
    return n;
  };
  const skip = values.skip as string[];
  for (const s of skip) if (!(PARTS as readonly string[]).includes(s)) throw new UsageError(`--skip ${s}: not one of ${PARTS.join(', ')}`);
  const codeShare = num('code-share', 0.2, 0.2, 0, false);
  if (codeShare > 1) throw new UsageError('--code-share must be between 0 and 1');
  return {
    help: values.help === true,
    speech: values.speech === true,
    quick,
    profile: values.profile !== false && !quick,
    skip: new Set(skip),
    warmup: num('warmup', 3, 10, 0),
    out: typeof values.out === 'string' ? values.out : join(PROJECT_ROOT, quick ? '.local/bench/quick.md' : 'docs/benchmarks.md'),
    args: {
      calls: num('calls', 20, 500, 1),
      rate: num('rate', 20, 30, 0.1, false),
      thinkMs: num('think', 50, 10_000, 0, false),
      codeShare,
      stepCalls: num('step-calls', 10, 100, 1),
      coldRuns: num('cold-runs', 3, 9, 1),
      burst: num('burst', 40, 2000, 1),
    },
  };
}

const PACKAGES = [
  'twilio',
  '@middy/core',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-sqs',
  '@aws-lambda-powertools/logger',
  'esbuild',
  'dynalite',
  'tsx',
  'vitest',
  'fast-check',
];

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

/** Where the command line's answer goes (the process's stdout and stderr when run). */
export interface UsageIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The options to run with, or the exit status once --help (0) or a usage error (2, the reason and the usage on
 * stderr) is answered. Exported so tests read the command line in-process.
 */
export function readCommandLine(argv: string[], io: UsageIo): ReturnType<typeof parse> | number {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (o.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  return o;
}

async function main(): Promise<void> {
  const o = readCommandLine(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
  if (typeof o === 'number') {
    process.exitCode = o;
    return;
  }
  const { runSpeech, SPEECH_DOC, writeSpeech } = await import('./speech/run.js');
  if (o.speech) {
    process.exitCode = writeSpeech(await runSpeech({ log }), join(PROJECT_ROOT, SPEECH_DOC), log);
    return;
  }
  // The bundles part alone needs the CDK construct and esbuild (aws-cdk-lib): imported when it runs.
  const [{ powerTune }, { measureSteps }, { runLoad }, { runBurst }, { goalsTable, renderReport }] = await Promise.all([
    import('./power.js'),
    import('./steps.js'),
    import('./load.js'),
    import('./burst.js'),
    import('./report.js'),
  ]);
  const started = new Date();
  const report: BenchReport = {
    startedAt: started.toISOString(),
    quick: o.quick,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: totalmem() / 2 ** 30,
      freeGiB: freemem() / 2 ** 30,
      os: `${platform()} ${release()}`,
      loadAtStart: loadavg(),
    },
    versions: versions(),
    args: o.args,
  };
  const t = (name: string) => {
    const t0 = performance.now();
    return () => ((report.seconds ??= {})[name] = (performance.now() - t0) / 1000);
  };
  if (!o.skip.has('bundles')) {
    log('bundles and cold starts ...');
    const end = t('bundles');
    const { measureBundles } = await import('./bundles.js');
    report.bundles = await measureBundles({ runs: o.args.coldRuns, outDir: join(PROJECT_ROOT, '.local/bench/bundles'), log });
    end();
  }
  if (!o.skip.has('power')) {
    log('memory sweep (simulated CPU shares) ...');
    const end = t('power');
    report.power = await powerTune({ invocations: o.quick ? 10 : 60, coldRuns: o.quick ? 2 : 5, outDir: join(PROJECT_ROOT, '.local/bench/bundles'), log });
    end();
  }
  if (!o.skip.has('steps')) {
    log('webhook steps in-process ...');
    const end = t('steps');
    report.steps = await measureSteps({ calls: o.args.stepCalls, warmup: o.warmup, log });
    end();
  }
  if (!o.skip.has('steps') && !o.skip.has('dynamodb-local')) {
    const { hasJava } = await import('../scripts/lib/dynamodb-local.js');
    if (!hasJava()) log('webhook steps on DynamoDB Local: skipped, no Java on PATH');
    else {
      log('webhook steps in-process on DynamoDB Local ...');
      const end = t('dynamodb-local');
      report.stepsTx = await measureSteps({ calls: o.args.stepCalls, warmup: o.warmup, engine: 'dynamodb-local', log });
      end();
    }
  }
  if (!o.skip.has('load')) {
    log('paced load through the local server ...');
    const end = t('load');
    report.load = await runLoad({ calls: o.args.calls, rate: o.args.rate, thinkMs: o.args.thinkMs, codeShare: o.args.codeShare, log });
    end();
  }
  if (!o.skip.has('burst')) {
    log('burst through the local server ...');
    const end = t('burst');
    report.burst = await runBurst({ calls: o.args.burst, codeShare: o.args.codeShare, profile: o.profile, log });
    end();
  }
  if (!o.skip.has('speech') && !o.quick) {
    log('seconds of speech to the queue ...');
    const end = t('speech');
    report.speech = await runSpeech({ log });
    writeSpeech(report.speech, join(PROJECT_ROOT, SPEECH_DOC), log);
    end();
  }
  report.machine.loadAtEnd = loadavg();
  report.finishedAt = new Date().toISOString();
  const { markdown, goals } = renderReport(report);
  mkdirSync(join(PROJECT_ROOT, '.local/bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, o.quick ? '.local/bench/quick.json' : '.local/bench/last.json'), JSON.stringify(report, null, 2));
  writeFileSync(o.out, markdown);
  process.stdout.write(`${goalsTable(goals)}\n`);
  const missed = goals.filter((g) => !g.met).length;
  log(missed ? `FAIL: ${missed} of ${goals.length} goals missed (see the FAIL rows); wrote ${o.out}` : `all ${goals.length} goals met; wrote ${o.out}`);
  process.exitCode = missed ? 1 : 0;
}

// Run as the command (tsx bench/run.ts), not when a test imports readCommandLine.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  });
}
