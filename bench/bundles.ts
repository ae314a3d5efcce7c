/**
 * Bundle size and cold load of every function, built with the CDK construct's own esbuild options
 * (lib/constructs/voice-function.ts: ESM, node24, minified, `@aws-sdk/*` external, its aliases), beside
 * a baseline handler that imports the whole `twilio` package, built and timed in the same run.
 *
 * Cold load is a fresh Node process importing the bundle, timed inside the process from just before
 * `import()` to its end; median of the runs, interleaved across bundles so a noisy moment of the machine
 * hits all of them alike. Two figures per bundle:
 * - `loadMs`, the bundle: the `@aws-sdk/*` modules it imports (not in the bundle: the Lambda runtime
 *   provides them) are imported first, untimed, so the figure is what the shipped code costs. This is
 *   the figure compared with the baseline (which imports no SDK, so it is unaffected).
 * - `totalMs`, the whole init: the same import with the SDK modules loaded inside the timing, as a
 *   cold Lambda instance pays it. The SDK's share is the difference, and the same for any handler that
 *   uses those clients, however it imports twilio.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLING, ESBUILD_ALIAS, PROJECT_ROOT } from '../lib/constructs/voice-function.js';
import { SPOOL_REPLAY } from '../lib/voice-stack.js';
import { FUNCTIONS } from '../functions/routes.js';
import { median } from './stats.js';

export interface BundleFigure {
  name: string;
  entry: string;
  bytes: number;
  /** Median cold load of the bundle (ms, the runtime's SDK modules already loaded) and every run. */
  loadMs: number;
  runs: number[];
  /** Median cold load including the `@aws-sdk/*` imports. */
  totalMs: number;
  /** The runtime-provided modules the bundle imports. */
  sdkModules: string[];
}

/** Environment a function's cold start validates (as deployed: secrets from Secrets Manager, never read at import). */
const ENV: Record<string, string> = {
  TABLE_DIRECTORY: 'support-directory',
  TABLE_CALLS: 'support-calls',
  TABLE_TICKETS: 'support-tickets',
  AWS_REGION: 'us-east-1',
  SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:support-line-abc123',
  SES_FROM: 'Support <support@example.com>',
  SPOOL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/support-spool',
  API_AUTH: 'iam',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

export async function measureBundles(o: { runs: number; outDir: string; log: (s: string) => void }): Promise<{ functions: BundleFigure[]; baseline: BundleFigure }> {
  const targets = [
    ...Object.entries(FUNCTIONS).map(([name, f]) => ({ name, entry: f.entry })),
    { name: 'spool-replay', entry: SPOOL_REPLAY.entry },
    { name: 'baseline: whole twilio', entry: 'bench/baseline/full-twilio.ts' },
  ];
  const built: Array<{ name: string; entry: string; file: string; bytes: number; sdk: string[] }> = [];
  for (const t of targets) {
    const dir = join(o.outDir, t.name.replace(/[^a-z0-9-]+/gi, '-'));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'index.mjs');
    const result = await build({
      entryPoints: [join(PROJECT_ROOT, t.entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: BUNDLING.target,
      format: 'esm',
      mainFields: [...BUNDLING.mainFields],
      banner: { js: BUNDLING.banner },
      minify: BUNDLING.minify,
      external: [...BUNDLING.externalModules],
      alias: ESBUILD_ALIAS,
      metafile: true,
      logLevel: 'error',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((out) => out.imports);
    const sdk = [...new Set(imports.filter((i) => i.external && i.kind !== 'dynamic-import' && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort();
    built.push({ ...t, file, bytes: statSync(file).size, sdk });
    o.log(`  built ${t.name}: ${(statSync(file).size / 1024).toFixed(1)} KB`);
  }
  const runs = new Map<string, number[]>(built.map((b) => [b.name, []]));
  const totals = new Map<string, number[]>(built.map((b) => [b.name, []]));
  for (let i = 0; i < o.runs; i++) {
    for (const b of built) {
      runs.get(b.name)!.push(coldLoad(b.file, b.sdk, true));
      totals.get(b.name)!.push(coldLoad(b.file, b.sdk, false));
    }
  }
  const figures = built.map((b) => ({
    name: b.name,
    entry: b.entry,
    bytes: b.bytes,
    runs: runs.get(b.name)!,
    loadMs: median(runs.get(b.name)!),
    totalMs: median(totals.get(b.name)!),
    sdkModules: b.sdk,
  }));
  return { functions: figures.slice(0, -1), baseline: figures.at(-1)! };
}

/** One fresh Node process (this Node, so the same version) importing the bundle; the import's duration in ms. */
function coldLoad(file: string, sdk: string[], sdkPreloaded: boolean): number {
  const preload = `await Promise.all(${JSON.stringify(sdk)}.map((m) => import(m)));`;
  const timed = `await import(${JSON.stringify(pathToFileURL(file).href)});`;
  const script = sdkPreloaded
    ? `${preload} const t0 = performance.now(); ${timed} process.stdout.write(String(performance.now() - t0));`
    : `const t0 = performance.now(); ${preload} ${timed} process.stdout.write(String(performance.now() - t0));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...ENV }, encoding: 'utf8', timeout: 60_000 });
  const ms = Number(out.stdout);
  if (out.status !== 0 || !Number.isFinite(ms)) throw new Error(`loading ${file} failed: ${out.stderr.slice(0, 500)}`);
  return ms;
}
