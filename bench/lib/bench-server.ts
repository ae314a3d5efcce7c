/**
 * The local server the load and burst runs call, in a child process of its own (as `npm start` runs it,
 * bench/serve.ts), so the callers do not share its event loop; optionally under `--cpu-prof`. Also reads
 * back what the server measured itself and what its tables hold afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { freePort } from './free-port.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerStats {
  loopDelayMs: { p50: number; p99: number; max: number };
  cpuS: number;
  serverMs: { n: number; p50: number; p99: number; max: number };
}

export interface BenchServer {
  url: string;
  dynamoEndpoint: string;
  tables: Record<string, string>;
  /** What the server measured since the last call (event-loop delay, CPU, its own time per request). */
  stats(): Promise<ServerStats | undefined>;
  /** Tickets in its tickets table (one item per ticket). */
  tickets(): Promise<Array<Record<string, unknown>>>;
  /** Stops the server (SIGTERM: a clean exit, so a CPU profile is written). */
  stop(): Promise<void>;
}

export async function startBenchServer(o: { dataFile: string; outbox: string; token: string; cpuProfDir?: string }): Promise<BenchServer> {
  const port = await freePort();
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', join(PROJECT_ROOT, 'bench/serve.ts'), String(port), o.dataFile, o.token, o.outbox],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // BENCH_SERVER_LOG=file keeps everything the server logged (its errors, with causes) for a look afterwards.
  if (process.env.BENCH_SERVER_LOG) child.stderr!.pipe(createWriteStream(process.env.BENCH_SERVER_LOG));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const info = await new Promise<{ url: string; dynamoEndpoint: string; tables: Record<string, string> }>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}: ${stderr.slice(-1000)}`)));
  }).catch(async (e: unknown) => {
    child.kill('SIGTERM');
    await exited;
    throw e;
  });
  return {
    ...info,
    stats: () => serverStats(child),
    tickets: async () => {
      const doc = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: info.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      );
      const out: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      try {
        do {
          const page = await doc.send(
            new ScanCommand({
              TableName: info.tables.tickets,
              FilterExpression: 'sk = :t AND begins_with(pk, :p)',
              ExpressionAttributeValues: { ':t': 'TICKET', ':p': 'TICKET#' },
              ExclusiveStartKey: start,
            }),
          );
          out.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
      } finally {
        doc.destroy();
      }
      return out;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Asks the bench server (SIGUSR2) for what it measured itself; see bench/serve.ts. */
function serverStats(child: ChildProcess): Promise<ServerStats | undefined> {
  // A server that has died answers nothing: resolve rather than leave the bench waiting on an empty event loop.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let buf = '';
    const finish = (stats: ServerStats | undefined) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      resolve(stats);
    };
    const onData = (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{"loopDelayMs"') && l.endsWith('}'));
      if (line) finish(JSON.parse(line) as ServerStats);
    };
    const onExit = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), 3_000);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.kill('SIGUSR2');
  });
}

/** What a caller heard that a working line never says: the apology, "busy", a lost call. */
export const TROUBLE = {
  busy: /systems are busy|ticket system is busy/i,
  wrong: /something went wrong|lost track/i,
};
