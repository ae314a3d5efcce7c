/**
 * The server `npm start` runs, started in this process with a line of its own (data file, port, tokens,
 * outbox, database): `startInProcess`. End-to-end tests drive it with the terminal phone, strictly through
 * the contract: signed webhooks, the outbox file, and the ticket API. `npm start` itself, as a newcomer
 * types it, is test/local/npm-start.test.ts.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { serverDatabase } from './shared-dynamo.js';

export interface StartedLine {
  base: string;
  authToken: string;
  apiToken: string;
  outbox: string;
  log: () => string;
  outboxMessages(): Array<{ channel: string; to: string; subject?: string | null; body: string; sentAt: string }>;
  api(path: string): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** A line's own folder, data file, port, tokens and outbox, as both ways of starting the server take them. */
async function prepareLine(data: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'support-e2e-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(data));
  const port = await freePort();
  return {
    dir,
    dataFile,
    port,
    base: `http://127.0.0.1:${port}`,
    authToken: `tok-${randomBytes(8).toString('hex')}`,
    apiToken: `api-${randomBytes(8).toString('hex')}`,
    outbox: join(dir, 'outbox.jsonl'),
  };
}

/** What a test reads of a running line: its addresses and tokens, the outbox file and the ticket API. */
function contractOf(base: string, authToken: string, apiToken: string, outbox: string): Omit<StartedLine, 'log' | 'stop'> {
  return {
    base,
    authToken,
    apiToken,
    outbox,
    outboxMessages: () =>
      existsSync(outbox)
        ? readFileSync(outbox, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l))
        : [],
    api: async (path) => {
      const r = await fetch(base + path, { headers: { authorization: `Bearer ${apiToken}` } });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * The server `npm start` runs (local/server.ts startLocal), started in this process with what `npm start`
 * would take from its environment: its own data file, port, tokens, outbox and database. No npm, tsx and module loading
 * of a new process: that was most of a test file's time where the file is about the data, not the command
 * (test/local/npm-start.test.ts keeps `npm start` itself, and starts its other servers with `startCommand`).
 */
export async function startInProcess(data: unknown): Promise<StartedLine> {
  const { startLocal } = await import('../../../local/server.js');
  const { dir, dataFile, port, base, authToken, apiToken, outbox } = await prepareLine(data);
  const database = serverDatabase();
  let log = '';
  const server = await startLocal({
    port,
    dataFile,
    authToken,
    apiToken,
    outbox,
    publicBaseUrl: base,
    // As npm start: an external DynamoDB when the tests have one, else the embedded one in the port's folder.
    ...(database.dynamoEndpoint ? database : { dbDir: join(dir, 'local', `port-${port}`, 'db') }),
    log: (line) => void (log += `${line}\n`),
  });
  return { ...contractOf(base, authToken, apiToken, outbox), log: () => log, stop: () => server.stop() };
}
