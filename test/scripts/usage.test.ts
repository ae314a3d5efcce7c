/**
 * Every npm script as an operator runs it: `--help` prints a usage line and succeeds; wrong arguments or a
 * missing file print a usage line or the reason and exit non-zero, never a stack trace. Run as real
 * processes through npm, exactly as typed.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifyPin } from '../../functions/adapters/crypto/pin-hash.js';
import { importLines } from '../../functions/data/import-lines.js';
import { ROOT } from '../e2e/support/npm-start.js';

function npmRun(script: string, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
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

describe('--help on every script', () => {
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

describe('wrong arguments and missing files', () => {
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

describe('pin:hash', () => {
  it("prints a salted scrypt hash that the agents' line verifies, different each time", async () => {
    const a = await npmRun('pin:hash', ['135790']);
    const b = await npmRun('pin:hash', ['135790']);
    expect(a.code).toBe(0);
    const hash = a.out.trim();
    expect(hash).toMatch(/^scrypt\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    expect(b.out.trim()).not.toBe(hash);
    expect(await verifyPin('135790', hash)).toBe(true);
    expect(await verifyPin('135791', hash)).toBe(false);
  }, 120_000);
});

describe('data:import-lines reads the formats tables are copied in', () => {
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
    for (const args of [[], ['-']]) {
      const r = await npmRun('data:import-lines', args, 'United States\t+1.888.799.9666 ext. 2\nPoland\t+48 22 123 45 67\n');
      expect(r.code).toBe(0);
      const lines = JSON.parse(r.out) as Array<{ number: string; countries: string[]; extensions?: Record<string, string> }>;
      expect(lines.map((l) => [l.number, l.countries, l.extensions])).toEqual(US_PL);
      expect(r.err.trim().split('\n').at(-1)).toBe('2 converted, 0 not converted');
    }
  }, 120_000);
});
