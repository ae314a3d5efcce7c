/**
 * The benchmark's command line, not its figures (those live in `npm run bench`, never in timed tests):
 * usage on --help and on a bad flag, and a quick run that prints the goals table and whose exit status
 * says whether a goal failed. --help and the quick run are separate processes (the command as typed), side
 * by side; the bad flags are read in-process by readCommandLine, the function the command hands its argv to
 * (a process start-up each was most of their time). The quick run is the smallest that still goes through
 * the steps and the local server: one measured call per path and no warm-up calls (the figures are not
 * what this test reads).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCommandLine } from '../../bench/run.js';

/** The project's root (the CDK construct exports it too, but importing that loads aws-cdk-lib). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The run's exit status (null when killed at `timeout`), stdout and stderr. */
const bench = (args: string[], timeout = 30_000) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/run.ts'), ...args], {
      cwd: PROJECT_ROOT,
      timeout,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe.concurrent('npm run bench', () => {
  it('--help prints the usage and exits 0, without a stack trace', async () => {
    const r = await bench(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run bench -- /);
    expect(r.stdout).toContain('--quick');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The bad flags below are read in-process by the very function the command answered this with.
    let inProcess = '';
    expect(readCommandLine(['--help'], { out: (t) => void (inProcess += t), err: (t) => void (inProcess += t) })).toBe(0);
    expect(inProcess).toBe(r.stdout);
  });

  it.each([['--bogus'], ['--burst', 'many'], ['--skip', 'nothing'], ['--code-share', '2']].map((a) => [a.join(' '), a] as const))(
    '%s: the reason and the usage on stderr, exit 2',
    async (_, args) => {
      const r = { stdout: '', stderr: '', status: -1 };
      const read = readCommandLine([...args], { out: (t) => void (r.stdout += t), err: (t) => void (r.stderr += t) });
      if (typeof read === 'number') r.status = read;
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/usage: npm run bench -- /);
      expect(r.stderr.split('\n')[0]).toMatch(/bogus|burst|skip|code-share/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    },
  );

  it('--quick runs the steps and a small burst and prints the goals table; a FAIL row means exit 1', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-quick-')), 'quick.md');
    const args = [
      '--quick',
      '--skip',
      'bundles',
      '--skip',
      'power',
      '--skip',
      'load',
      '--skip',
      'dynamodb-local',
      '--burst',
      '3',
      '--step-calls',
      '1',
      '--warmup',
      '0',
      '--out',
      out,
    ];
    const r = await bench(args, 280_000);
    expect(r.stdout).toMatch(/^GOALS\n/);
    const rows = r.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
    expect(rows.some((l) => /DynamoDB requests per call from ring to queue, registered caller to ticket <= 6/.test(l))).toBe(true);
    expect(rows.some((l) => /burst of 3 \(quick\) simultaneous calls/.test(l))).toBe(true);
    expect(rows.find((l) => /burst of 3/.test(l))).toMatch(/3 calls: \d+ completed, \d+ lost/);
    const failed = rows.filter((l) => l.startsWith('FAIL')).length;
    expect(r.status, r.stderr.slice(-2000)).toBe(failed > 0 ? 1 : 0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('## Goals');
    expect(md).toContain('## Burst through the local server');
    expect(md).toContain('## Webhook steps, warm, in-process');
  }, 300_000);
});
