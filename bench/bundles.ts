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
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLING, ESBUILD_ALIAS, PROJECT_ROOT } from '../lib/constructs/voice-function.js';
import { SPOOL_REPLAY } from '../lib/voice-stack.js';
import { FUNCTIONS } from '../functions/routes.js';
import { median } from './stats.js';

export type Packaging = 'external' | 'bundled';

export interface ColdFigure {
  bytes: number;
  /** Bytes of the bundle that are not the AWS SDK (@aws-sdk, @smithy, @aws-crypto): our code and its other dependencies. */
  ownBytes: number;
  mapBytes: number;
  /** Median cold init with the SDK modules it uses loaded inside the timing, `--enable-source-maps` (as deployed). */
  totalMs: number;
  /** Median CPU time (user + system) of that init, ms: what a smaller CPU share stretches. */
  totalCpuMs: number;
}

export interface BundleFigure {
  name: string;
  entry: string;
  /** The `@aws-sdk/*`-external bundle (the runtime's SDK): its size, and its cold load with the SDK preloaded. */
  bytes: number;
  /** Median cold load of the bundle alone (ms, the runtime's SDK modules already loaded) and every run. */
  loadMs: number;
  runs: number[];
  /** Median cold init of the external bundle including its `@aws-sdk/*` imports. */
  totalMs: number;
  /** The runtime-provided modules the external bundle imports. */
  sdkModules: string[];
  external: ColdFigure;
  /** The same function with the SDK inside the bundle (undefined for the baseline). */
  bundled?: ColdFigure;
  /** Which one the CDK construct deploys (lib/constructs/voice-function.ts BUNDLING.externalModules). */
  deployed: Packaging;
  /** The deployed bundle file (what the memory sweep runs). */
  deployedFile: string;
}

/** How the construct packages the SDK today. */
export const DEPLOYED_PACKAGING: Packaging = (BUNDLING.externalModules as readonly string[]).includes('@aws-sdk/*') ? 'external' : 'bundled';

/** Environment a function's cold start validates (as deployed: secrets from Secrets Manager, never read at import). */
export const ENV: Record<string, string> = {
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

/** Inputs that are the AWS SDK (a bundled SDK replaces the runtime's copy; it is not code of ours). */
export const SDK_INPUT = /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//;

/** Builds one entry with the construct's options; `bundled` puts `@aws-sdk/*` inside the bundle. */
export async function buildBundle(
  entry: string,
  file: string,
  packaging: Packaging,
): Promise<{ bytes: number; ownBytes: number; mapBytes: number; sdk: string[] }> {
  mkdirSync(dirname(file), { recursive: true });
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: 'esm',
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    // As deployed: an external source map without the sources, read by NODE_OPTIONS=--enable-source-maps.
    sourcemap: BUNDLING.sourceMap ? 'linked' : false,
    sourcesContent: BUNDLING.sourcesContent,
    external: packaging === 'external' ? ['@aws-sdk/*'] : [],
    alias: ESBUILD_ALIAS,
    metafile: true,
    logLevel: 'error',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((out) => out.imports);
  const sdk = [...new Set(imports.filter((i) => i.external && i.kind !== 'dynamic-import' && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort();
  const inputs = Object.values(result.metafile.outputs).flatMap((out) => Object.entries(out.inputs));
  const ownBytes = inputs.filter(([path]) => !SDK_INPUT.test(path)).reduce((a, [, i]) => a + i.bytesInOutput, 0);
  return { bytes: statSync(file).size, ownBytes, mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0, sdk };
}

export async function measureBundles(o: {
  runs: number;
  outDir: string;
  log: (s: string) => void;
}): Promise<{ functions: BundleFigure[]; baseline: BundleFigure }> {
  const targets = [
    ...Object.entries(FUNCTIONS).map(([name, f]) => ({ name, entry: f.entry })),
    { name: 'spool-replay', entry: SPOOL_REPLAY.entry },
    { name: 'baseline: whole twilio', entry: 'bench/baseline/full-twilio.ts' },
  ];
  const built: Array<{
    name: string;
    entry: string;
    ext: { file: string; bytes: number; ownBytes: number; mapBytes: number; sdk: string[] };
    bun?: { file: string; bytes: number; ownBytes: number; mapBytes: number };
  }> = [];
  for (const t of targets) {
    const dir = join(o.outDir, t.name.replace(/[^a-z0-9-]+/gi, '-'));
    const extFile = join(dir, 'external', 'index.mjs');
    const ext = { file: extFile, ...(await buildBundle(t.entry, extFile, 'external')) };
    let bun: { file: string; bytes: number; ownBytes: number; mapBytes: number } | undefined;
    if (!t.name.startsWith('baseline')) {
      const bunFile = join(dir, 'bundled', 'index.mjs');
      bun = { file: bunFile, ...(await buildBundle(t.entry, bunFile, 'bundled')) };
    }
    built.push({ ...t, ext, bun });
    o.log(
      `  built ${t.name}: ${(ext.bytes / 1024).toFixed(1)} KB with the runtime's SDK${bun ? `, ${(bun.bytes / 1024).toFixed(1)} KB with the SDK bundled` : ''}`,
    );
  }
  const series = () => new Map<string, Array<{ ms: number; cpuMs: number }>>(built.map((b) => [b.name, []]));
  const alone = series();
  const extTotal = series();
  const bunTotal = series();
  // Interleaved: a noisy moment of this shared machine hits every bundle and both packagings alike.
  for (let i = 0; i < o.runs; i++) {
    for (const b of built) {
      alone.get(b.name)!.push(coldLoad(b.ext.file, b.ext.sdk, true));
      extTotal.get(b.name)!.push(coldLoad(b.ext.file, b.ext.sdk, false));
      if (b.bun) bunTotal.get(b.name)!.push(coldLoad(b.bun.file, [], false));
    }
  }
  const med = (xs: Array<{ ms: number; cpuMs: number }>) => ({ totalMs: median(xs.map((x) => x.ms)), totalCpuMs: median(xs.map((x) => x.cpuMs)) });
  const figures = built.map((b): BundleFigure => {
    const external = { bytes: b.ext.bytes, ownBytes: b.ext.ownBytes, mapBytes: b.ext.mapBytes, ...med(extTotal.get(b.name)!) };
    const bundled = b.bun ? { bytes: b.bun.bytes, ownBytes: b.bun.ownBytes, mapBytes: b.bun.mapBytes, ...med(bunTotal.get(b.name)!) } : undefined;
    return {
      name: b.name,
      entry: b.entry,
      bytes: b.ext.bytes,
      runs: alone.get(b.name)!.map((x) => x.ms),
      loadMs: median(alone.get(b.name)!.map((x) => x.ms)),
      totalMs: external.totalMs,
      sdkModules: b.ext.sdk,
      external,
      bundled,
      deployed: DEPLOYED_PACKAGING,
      deployedFile: DEPLOYED_PACKAGING === 'bundled' && b.bun ? b.bun.file : b.ext.file,
    };
  });
  return { functions: figures.slice(0, -1), baseline: figures.at(-1)! };
}

/**
 * One fresh Node process (this Node, so the same version) importing the bundle with `--enable-source-maps`
 * (NODE_OPTIONS of the deployed functions); the import's duration and the CPU time it took, ms.
 */
function coldLoad(file: string, sdk: string[], sdkPreloaded: boolean): { ms: number; cpuMs: number } {
  const preload = `await Promise.all(${JSON.stringify(sdk)}.map((m) => import(m)));`;
  const timed = `await import(${JSON.stringify(pathToFileURL(file).href)});`;
  const start = 'const t0 = performance.now(); const c0 = process.cpuUsage();';
  const end = 'const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }));';
  const script = sdkPreloaded ? `${preload} ${start} ${timed} ${end}` : `${start} ${preload} ${timed} ${end}`;
  const out = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...ENV },
    encoding: 'utf8',
    timeout: 60_000,
  });
  let parsed: { ms: number; cpuMs: number } | undefined;
  try {
    parsed = JSON.parse(out.stdout) as { ms: number; cpuMs: number };
  } catch {
    parsed = undefined;
  }
  if (out.status !== 0 || !parsed || !Number.isFinite(parsed.ms)) throw new Error(`loading ${file} failed: ${out.stderr.slice(0, 500)}`);
  return parsed;
}
