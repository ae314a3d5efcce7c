/**
 * `npx cdk synth` of the real entry point (bin/app.ts via cdk.json), offline, with real esbuild
 * bundling into a temporary cloud assembly; then the bundle budget, read from the esbuild metafile
 * that each function's asset carries (the very bundle that would be deployed).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.js';
import { PROJECT_ROOT } from '../../lib/constructs/voice-function.js';
import { stackNames } from '../../lib/support-line.js';
import { constructIdOf } from './fixture.js';

/**
 * Every function's minified bundle (index.mjs, without its source map) must keep its own code (everything
 * but the AWS SDK, which the bundle carries instead of loading the runtime's copy: docs/benchmarks.md)
 * within this, and the whole file within the second figure.
 */
// Raised from 150 KiB for the 19 message catalogs every call may speak (contract v2 §2.10): with the caller
// journey's and the agents' prompts they are 297 KiB minified of the voice function's 455 KiB of own code
// (Hindi, Japanese, Korean and the Chinese catalogs take 3 bytes a character). Importing the catalogs alone
// cost a fresh Node 24 process a median of 68 ms when they were 210 KiB (5 runs, 58-274 ms on a shared 2-core
// machine): a real cold-start cost. Loading one catalog per language on demand is the way back under the old
// budget; until then this holds the line at today's size, so any further growth shows here.
const BUNDLE_BUDGET_BYTES = 480 * 1024;
// Raised from 700 KiB by the same catalogs; the rest of the file is the AWS SDK, bundled (docs/benchmarks.md).
const BUNDLE_WITH_SDK_BUDGET_BYTES = 1000 * 1024;
const SDK_INPUT = /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//;

const names = stackNames('dev');
let outdir: string;
let result: { code: number | null; stdout: string; stderr: string; ms: number };

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'support-line-cdk-'));
  const started = Date.now();
  result = await new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      ['cdk', 'synth', '--quiet', '--no-notices', '-c', 'stage=dev', '-c', 'region=us-east-1', '-c', 'sesFrom=support@example.com', '-o', outdir],
      {
        cwd: PROJECT_ROOT,
        // Offline: no telemetry, no instance-metadata credential probing.
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
  // A hang detector, not a speed goal: synth bundles every function and runs cdk-nag, fixed work that took
  // over 3 minutes with both cores busy, and a hook that times out skips every test of the file.
}, 600_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const template = (stack: string) => JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));

describe('npx cdk synth', () => {
  it('succeeds offline with the cdk-nag packs registered', () => {
    expect(result.code, result.stderr.slice(-4000)).toBe(0);
    expect(existsSync(join(outdir, `${names.data}.template.json`))).toBe(true);
    expect(existsSync(join(outdir, `${names.voice}.template.json`))).toBe(true);
  });

  it('writes a validation report without violations', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('outputs the URLs to paste into the Twilio console', () => {
    const outputs = template(names.voice).Outputs as Record<string, unknown>;
    for (const name of ['VoiceUrl', 'StatusUrl', 'FallbackUrl', 'TicketsApiUrl', 'HealthUrl']) expect(outputs[name], name).toBeDefined();
  });

  it('serves GET /health without an authorizer, from the health function', () => {
    const resources = Object.entries(template(names.voice).Resources as Record<string, { Type: string; Properties: Record<string, any> }>);
    const routes = resources.filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === 'GET /health');
    expect(routes).toHaveLength(1);
    const route = routes[0]![1].Properties;
    expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(route.AuthorizerId).toBeUndefined();
    const integration = resources.find(([id]) => id === route.Target['Fn::Join'][1][1].Ref)![1];
    const fnId = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
    expect(resources.find(([id]) => id === fnId)![1].Properties.Handler).toBe('index.handler');
    expect(fnId).toMatch(/^Health/);
  });
});

interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Biggest contributors of a bundle, by npm package (or project file), largest first. */
function biggestInputs(meta: Metafile, outputKey: string, top = 10): string[] {
  const byOwner = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[outputKey]!.inputs)) {
    const nm = path.lastIndexOf('node_modules/');
    let owner = path;
    if (nm >= 0) {
      const parts = path.slice(nm + 'node_modules/'.length).split('/');
      owner = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    }
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
  }
  return [...byOwner.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([owner, bytes]) => `${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${owner}`);
}

describe('bundle budget', () => {
  const bundled = [...Object.keys(FUNCTIONS).map(constructIdOf), 'SpoolReplay', 'NoticeReplay'];

  it.each(bundled)(
    `%s: minified bundle <= ${BUNDLE_BUDGET_BYTES / 1024} KiB without the AWS SDK, <= ${BUNDLE_WITH_SDK_BUDGET_BYTES / 1024} KiB with it (esbuild metafile)`,
    (cid) => {
      const functions = Object.values(template(names.voice).Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>).filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:cdk:path'] === `${names.voice}/${cid}/Function/Resource`,
      );
      expect(functions).toHaveLength(1);
      const assetDir = join(outdir, functions[0]!.Metadata!['aws:asset:path']!);
      const meta = JSON.parse(readFileSync(join(assetDir, 'index.meta.json'), 'utf8')) as Metafile;
      const outputKey = Object.keys(meta.outputs).find((k) => k.endsWith('/index.mjs'));
      expect(outputKey, 'esbuild output index.mjs in the metafile').toBeDefined();
      const output = meta.outputs[outputKey!]!;
      const own = Object.entries(output.inputs)
        .filter(([path]) => !SDK_INPUT.test(path))
        .reduce((a, [, i]) => a + i.bytesInOutput, 0);
      expect(
        own,
        `${cid}: bundle without the AWS SDK is ${(own / 1024).toFixed(1)} KiB, budget ${BUNDLE_BUDGET_BYTES / 1024} KiB. Biggest inputs:\n${biggestInputs(meta, outputKey!).join('\n')}`,
      ).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      expect(output.bytes, `${cid}: bundle is ${(output.bytes / 1024).toFixed(1)} KiB, budget ${BUNDLE_WITH_SDK_BUDGET_BYTES / 1024} KiB`).toBeLessThanOrEqual(
        BUNDLE_WITH_SDK_BUDGET_BYTES,
      );
    },
  );
});
