/**
 * Every npm script as an operator runs it: `--help` prints a usage line and succeeds; wrong arguments or a
 * missing file print a usage line or the reason and exit non-zero, never a stack trace. Run as real
 * processes through npm, exactly as typed. The runs are independent, so they run side by side (a few at
 * a time: each is an npm and a tsx start-up, CPU-bound) instead of one after another.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifyPin } from '../../functions/adapters/crypto/pin-hash.js';
import { importLines } from '../../functions/data/import-lines.js';
import { ROOT } from '../e2e/support/npm-start.js';

/** At most this many npm runs at once: more only queue for the same cores. */
const MAX_RUNNING = 3;
let running = 0;
const waiting: Array<() => void> = [];

async function npmRun(script: string, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  if (running >= MAX_RUNNING) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await spawnNpmRun(script, args, input);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnNpmRun(script: string, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PORT: '1' }; // npm start must not get as far as listening anywhere useful
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(input ?? '');
  });
}

const STACK = /^\s+at .+\(|^\s+at [^\s]+:\d+:\d+|node:internal/m;

const SCRIPTS = ['start', 'call', 'data:check', 'data:load', 'data:schema', 'data:import-lines', 'pin:hash', 'bench'];

describe.concurrent('--help on every script', () => {
  it.each(SCRIPTS)(
    'npm run %s -- --help',
    async (script) => {
      const r = await npmRun(script, ['--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^usage: /im);
      expect(r.err).not.toMatch(STACK);
    },
    120_000,
  );
});

describe.concurrent('wrong arguments and missing files', () => {
  it.each([
    ['start', ['--no-such-option']],
    ['call', ['--bogus']],
    ['data:check', []],
    ['data:check', ['no/such/file.json']],
    ['data:load', []],
    ['data:load', ['no/such/file.json']],
    ['data:schema', ['--bogus']],
    ['data:import-lines', ['no/such/table.txt']],
    ['data:import-lines', ['--scheme']],
    ['pin:hash', []],
    ['pin:hash', ['4321']],
    ['bench', ['--calls', 'many']],
  ] as Array<[string, string[]]>)(
    'npm run %s -- %j',
    async (script, args) => {
      const r = await npmRun(script, args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/usage: |cannot read|no such file/i);
      expect(r.err + r.out).not.toMatch(STACK);
    },
    120_000,
  );
});

describe.concurrent('pin:hash', () => {
  it("prints a salted scrypt hash that the agents' line verifies, different each time", async () => {
    const [a, b] = await Promise.all([npmRun('pin:hash', ['135790']), npmRun('pin:hash', ['135790'])]);
    expect(a.code).toBe(0);
    const hash = a.out.trim();
    expect(hash).toMatch(/^scrypt\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    expect(b.out.trim()).not.toBe(hash);
    expect(await verifyPin('135790', hash)).toBe(true);
    expect(await verifyPin('135791', hash)).toBe(false);
  }, 120_000);
});

describe.concurrent('data:import-lines reads the formats tables are copied in', () => {
  const US_PL = [
    ['+18887999666', ['US'], { '2': 'technical' }],
    ['+48221234567', ['PL'], undefined],
  ];
  it.each([
    ['tabs (a table copied from a web page)', 'Country\tPhone number\nUnited States\t+1.888.799.9666 ext. 2\nPoland\t+48 22 123 45 67\n'],
    ['CSV with quotes', 'Country,Phone number\n"United States",+1.888.799.9666 ext. 2\n"Poland","+48 22 123 45 67"\n'],
    ['CSV with semicolons', 'Country;Phone number\nUnited States;+1.888.799.9666 ext. 2\nPoland;+48 22 123 45 67\n'],
    ['pasted text', 'United States: +1.888.799.9666 ext. 2\nPoland +48 22 123 45 67\n'],
  ])('%s', (_name, table) => {
    const result = importLines(table);
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((l) => [l.number, l.countries, l.extensions])).toEqual(US_PL);
  });

  it('from stdin, with - or no file', async () => {
    const table = 'United States\t+1.888.799.9666 ext. 2\nPoland\t+48 22 123 45 67\n';
    const runs = await Promise.all([[], ['-']].map((args) => npmRun('data:import-lines', args, table)));
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.code).toBe(0);
      const lines = JSON.parse(r.out) as Array<{ number: string; countries: string[]; extensions?: Record<string, string> }>;
      expect(lines.map((l) => [l.number, l.countries, l.extensions])).toEqual(US_PL);
      expect(r.err.trim().split('\n').at(-1)).toBe('2 converted, 0 not converted');
    }
  }, 120_000);
});
