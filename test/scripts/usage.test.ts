/**
 * Every npm script as an operator runs it: `--help` prints a usage line and succeeds; wrong arguments or a
 * missing file print a usage line or the reason and exit non-zero, never a stack trace. Each script runs once
 * as a real process through npm, exactly as typed (`--help`: npm to the script to stdout and the exit status),
 * and data:import-lines once more with a table piped into its stdin. The wrong arguments and pin:hash run the
 * same commands in-process, on their own argv, output and exit status: each process was an npm and a tsx
 * start-up, most of this file's time. The runs are independent, so they run side by side (a few processes
 * at a time: each is CPU-bound) instead of one after another.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCommandLine } from '../../bench/run.js';
import { runCli as phoneCli } from '../../local/phone-cli.js';
import { argumentsAnswer } from '../../local/server.js';
import { verifyPin } from '../../functions/adapters/crypto/pin-hash.js';
import { dataCheck, dataLoad, dataSchema, importLinesCommand, pinHashCommand, type CliCommand } from '../../functions/data/cli.js';
import { importLines } from '../../functions/data/import-lines.js';
import { ROOT } from '../e2e/support/npm-start.js';

/** At most this many npm runs at once: more only queue for the same cores. */
const MAX_RUNNING = 3;
let running = 0;
const waiting: Array<() => void> = [];

type Run = { code: number; out: string; err: string };

async function npmRun(script: string, args: string[], input?: string): Promise<Run> {
  if (running >= MAX_RUNNING) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await spawnNpmRun(script, args, input);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnNpmRun(script: string, args: string[], input?: string): Promise<Run> {
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

/** A data command as its script wires it (functions/data/cli.ts runCli), with stdout and stderr collected. */
const dataCommand =
  (command: CliCommand) =>
  async (argv: string[], input = ''): Promise<Run> => {
    let out = '';
    let err = '';
    const io = { out: (l: string) => void (out += `${l}\n`), err: (l: string) => void (err += `${l}\n`), stdin: Readable.from([input]) };
    const code = await command(argv, io, { PORT: '1' });
    return { code, out, err };
  };

/** What each npm script runs, in-process: the same function its entry file hands argv to. */
const IN_PROCESS: Record<string, (argv: string[], input?: string) => Promise<Run>> = {
  start: async (argv) => {
    const answer = argumentsAnswer(argv);
    if (!answer) throw new Error(`npm start -- ${argv.join(' ')} would start the server`);
    return answer.code === 0 ? { code: 0, out: `${answer.out}\n`, err: '' } : { code: answer.code, out: '', err: `${answer.err}\n` };
  },
  call: async (argv) => {
    let out = '';
    let err = '';
    const code = await phoneCli(argv, { out: (l) => void (out += `${l}\n`), err: (l) => void (err += `${l}\n`), env: { PORT: '1' } });
    return { code, out, err };
  },
  'data:check': dataCommand(dataCheck),
  'data:load': dataCommand(dataLoad),
  'data:schema': dataCommand(dataSchema),
  'data:import-lines': dataCommand(importLinesCommand),
  'pin:hash': dataCommand(pinHashCommand),
  bench: async (argv) => {
    let out = '';
    let err = '';
    const o = readCommandLine(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
    if (typeof o !== 'number') throw new Error(`npm run bench -- ${argv.join(' ')} would run the bench`);
    return { code: o, out, err };
  },
};

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
      // The in-process runs below go through the very function the script hands its argv to.
      expect(await IN_PROCESS[script]!(['--help'])).toEqual({ code: 0, out: r.out, err: '' });
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
      const r = await IN_PROCESS[script]!(args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/usage: |cannot read|no such file/i);
      expect(r.err + r.out).not.toMatch(STACK);
    },
    120_000,
  );
});

describe.concurrent('pin:hash', () => {
  it("prints a salted scrypt hash that the agents' line verifies, different each time", async () => {
    const [a, b] = await Promise.all([IN_PROCESS['pin:hash']!(['135790']), IN_PROCESS['pin:hash']!(['135790'])]);
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

  it('from stdin, with no file (piped into npm run) or - (in-process)', async () => {
    const table = 'United States\t+1.888.799.9666 ext. 2\nPoland\t+48 22 123 45 67\n';
    const runs = await Promise.all([npmRun('data:import-lines', [], table), IN_PROCESS['data:import-lines']!(['-'], table)]);
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.code).toBe(0);
      const lines = JSON.parse(r.out) as Array<{ number: string; countries: string[]; extensions?: Record<string, string> }>;
      expect(lines.map((l) => [l.number, l.countries, l.extensions])).toEqual(US_PL);
      expect(r.err.trim().split('\n').at(-1)).toBe('2 converted, 0 not converted');
    }
  }, 120_000);
});
