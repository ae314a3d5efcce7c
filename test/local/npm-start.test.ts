/**
 * `npm start` as an operator meets it (contract §6 v2): the tokens it prints are the ones it uses, two
 * servers on two ports keep their own tokens, tickets and numbering survive a restart, `--fresh` starts
 * empty, `/health` answers without a token, and every webhook step prints one line. And the README's quick
 * start, run as written: the first call opens a P1 ticket that the API then shows; with `DYNAMODB_ENDPOINT`
 * the same call's ticket lands in that DynamoDB instead of the embedded one.
 * The README quick start runs the command as typed (a process of its own); the other servers are the same
 * command started in this process (`startCommand`, what the command runs with its arguments and
 * environment): a process start-up each was most of this file's time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../local/phone-cli.js';
import { startCommand } from '../../local/server.js';
import { freePort, ROOT } from '../e2e/support/npm-start.js';
import { startDynamo } from '../support/embedded-dynamo.js';

interface Started {
  port: number;
  log: () => string;
  stop: () => Promise<void>;
}

const running = new Set<Started>();
afterAll(async () => {
  for (const s of running) await s.stop();
});

/** The environment `npm start` gets here: no token variables (so it makes its own), the given port and local folder. */
function startEnv(localDir: string, port: number, env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TWILIO_AUTH_TOKEN', 'API_TOKEN', 'PUBLIC_BASE_URL', 'LOCAL_OUTBOX', 'LOCAL_DB_DIR', 'DYNAMODB_ENDPOINT', 'SUPPORT_DATA']) delete base[k];
  return { ...base, PORT: String(port), LOCAL_DIR: localDir, ...env };
}

/** `npm start [args]` as typed: a process of its own, stopped with SIGTERM as Ctrl-C would. */
async function npmStart(localDir: string, port: number, args: string[] = [], env: Record<string, string> = {}): Promise<Started> {
  const child: ChildProcess = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: startEnv(localDir, port, env),
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const started: Started = {
    port,
    log: () => log,
    stop: async () => {
      running.delete(started);
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
  running.add(started);
  const t0 = Date.now();
  while (!log.includes(`ready http://127.0.0.1:${port}`)) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}: ${log}`);
    if (Date.now() - t0 > 90_000) throw new Error(`npm start not ready in 90 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return started;
}

/** The same command started in this process, with the same arguments and environment; what it prints is its log. */
async function npmStartHere(localDir: string, port: number, args: string[] = [], env: Record<string, string> = {}): Promise<Started> {
  let log = '';
  const print = (line: string) => void (log += `${line}\n`);
  const server = await startCommand(args, startEnv(localDir, port, env), { out: print, err: print });
  if (typeof server === 'number') throw new Error(`npm start answered ${server}: ${log}`);
  expect(log).toContain(`ready http://127.0.0.1:${port}`);
  const started: Started = {
    port,
    log: () => log,
    stop: async () => {
      running.delete(started);
      await server.stop();
    },
  };
  running.add(started);
  return started;
}

const printed = (log: string, label: string) => new RegExp(`^${label} +(\\S+)`, 'm').exec(log)?.[1];

/** The quick start's `npm run call -- ...` line, taken from the README itself. */
function readmeCall(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const quick = readme.slice(readme.indexOf('## Quick start'));
  const line = /^npm run call -- (.+)$/m.exec(quick)?.[1];
  if (!line) throw new Error('the README quick start has no `npm run call -- ...` line');
  return line.replace(/#.*$/, '').trim().split(/\s+/);
}

async function call(port: number, localDir: string, args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCli([...args, '--base', `http://127.0.0.1:${port}`], {
    out: (l) => void out.push(l),
    err: (l) => void out.push(l),
    env: { LOCAL_DIR: localDir },
  });
  return { code, out };
}

async function tickets(port: number, token: string): Promise<Array<{ number: string; priority: string; status: string }>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/tickets`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { tickets: Array<{ number: string; priority: string; status: string }> }).tickets;
}

// The three servers share nothing (their own ports, token folders and databases), so they start side by side.
describe.concurrent('npm start (local mode)', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'local-mode-'));

  it('README quick start: prints its tokens, the first call opens a P1 ticket, the API shows it; per-step lines; /health', async () => {
    const port = await freePort();
    const a = await npmStart(localDir, port);
    const twilioToken = printed(a.log(), 'twilio token');
    const apiToken = printed(a.log(), 'api token');
    expect(twilioToken).toMatch(/^dev-twilio-[0-9a-f]{32}$/);
    expect(apiToken).toMatch(/^dev-api-[0-9a-f]{32}$/);
    // The files the README's curl and `npm run call` read hold exactly what was printed.
    expect(readFileSync(join(localDir, `port-${port}`, 'twilio-token'), 'utf8').trim()).toBe(twilioToken);
    expect(readFileSync(join(localDir, `port-${port}`, 'api-token'), 'utf8').trim()).toBe(apiToken);

    const { code, out } = await call(port, localDir, readmeCall());
    expect(code).toBe(0);
    // Contract v2 §2.6: the number once, in short groups, with the level; the details go by text.
    expect(out).toContain('SAY: Your ticket number is 1 0 0, 0 0 0 1, P1. Details follow by text. Please hold.');
    expect(out.some((l) => l.startsWith('QUEUE: '))).toBe(true);
    const list = await tickets(port, apiToken!);
    expect(list.map((t) => [t.number, t.priority, t.status])).toEqual([['1000001', 'P1', 'waiting']]);

    const callSid = /^CALL: (CA[0-9a-f]{32})/m.exec(out.join('\n'))?.[1];
    const stepLines = a
      .log()
      .split('\n')
      .filter((l) => callSid && l.includes(callSid));
    expect(stepLines.length).toBeGreaterThanOrEqual(3);
    for (const l of stepLines) expect(l).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}CA[0-9a-f]{32} {2}\S.* {2}\S+ +\d+ ms$/);
    expect(stepLines.some((l) => /call\/priority +enqueue/.test(l))).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect((await fetch(`http://127.0.0.1:${port}/api/tickets`)).status).toBe(401); // the API still wants its token

    // A second server on another port: its own tokens; the first one's files and tokens are untouched.
    const port2 = await freePort();
    const b = await npmStartHere(localDir, port2);
    const apiToken2 = printed(b.log(), 'api token');
    expect(apiToken2).toMatch(/^dev-api-/);
    expect(apiToken2).not.toBe(apiToken);
    expect(readFileSync(join(localDir, `port-${port}`, 'api-token'), 'utf8').trim()).toBe(apiToken);
    expect(await tickets(port, apiToken!)).toHaveLength(1);
    expect(await tickets(port2, apiToken2!)).toEqual([]); // nor does it share the first one's data
    const r = await fetch(`http://127.0.0.1:${port2}/api/tickets`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(r.status).toBe(401);
    await b.stop();

    // Restart: the same tokens, the ticket is still there and numbering goes on.
    await a.stop();
    const again = await npmStartHere(localDir, port);
    expect(printed(again.log(), 'api token')).toBe(apiToken);
    expect(again.log()).toMatch(/data load +skipped/);
    expect((await tickets(port, apiToken!)).map((t) => t.number)).toEqual(['1000001']);
    const second = await call(port, localDir, ['--to', '+18887999666', '--from', '+12125550123', '--stir', 'A', '--keys', '2,2']);
    expect(second.out.some((l) => l.startsWith('SAY: Your ticket number is 1 0 0, 0 0 0 2, P2.'))).toBe(true);
    await again.stop();

    // --fresh: nothing of before.
    const fresh = await npmStartHere(localDir, port, ['--fresh']);
    expect(await tickets(port, apiToken!)).toEqual([]);
    await fresh.stop();
  }, 300_000);

  it('DYNAMODB_ENDPOINT: the README quick start stores its ticket in that DynamoDB, and /health says external', async () => {
    const db = await startDynamo();
    const port = await freePort();
    try {
      const s = await npmStartHere(localDir, port, [], { DYNAMODB_ENDPOINT: db.endpoint });
      expect(s.log()).toContain(`database   ${db.endpoint} (DYNAMODB_ENDPOINT)`);
      const { code, out } = await call(port, localDir, readmeCall());
      expect(code).toBe(0);
      expect(out).toContain('SAY: Your ticket number is 1 0 0, 0 0 0 1, P1. Details follow by text. Please hold.');

      // Read straight from that DynamoDB, not through the server: the ticket is there.
      const items = (await db.doc.send(new ScanCommand({ TableName: 'support-tickets', ConsistentRead: true }))).Items ?? [];
      const tickets = items.filter((i) => String(i.pk).startsWith('TICKET#'));
      expect(tickets.map((t) => [t.number, t.priority, t.status])).toEqual([['1000001', 'P1', 'waiting']]);
      const callSid = /^CALL: (CA[0-9a-f]{32})/m.exec(out.join('\n'))?.[1];
      expect(tickets[0]!.callSid).toBe(callSid);

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'local', database: 'external', store: { status: 'ok' } });
      await s.stop();
      // Nothing of it was written to a database directory of this port.
      expect(existsSync(join(localDir, `port-${port}`, 'db'))).toBe(false);
    } finally {
      // The server's fixed table names, in an engine tests may share (TEST_DYNAMODB_ENDPOINT).
      await Promise.allSettled(
        ['support-directory', 'support-calls', 'support-tickets'].map((TableName) => db.client.send(new DeleteTableCommand({ TableName }))),
      );
      await db.stop();
    }
  }, 180_000);

  it('LOCAL_DB_DIR moves the database', async () => {
    const port = await freePort();
    const dbDir = join(mkdtempSync(join(tmpdir(), 'local-db-')), 'db');
    const s = await npmStartHere(localDir, port, [], { LOCAL_DB_DIR: dbDir });
    expect(s.log()).toContain(`database   ${dbDir}`);
    await s.stop();
    expect(readFileSync(join(dbDir, 'loaded-data.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  }, 120_000);
});
