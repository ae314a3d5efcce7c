/**
 * The local server's embedded DynamoDB (dynalite) in a worker thread of its own. Under load, dynalite's
 * request parsing and in-memory store cost about as much CPU as the handlers' own DynamoDB client; on
 * the same thread they queue behind each other, in a worker they use the machine's second core, as a
 * real DynamoDB would be another machine. The worker runs plain JavaScript (`eval`), so it needs no
 * TypeScript loader whether the server runs under tsx, vitest or compiled.
 *
 * `stop()`/`start()` close and reopen only the listener (connections refused, open ones cut) and keep
 * the data: a database outage, for fault tests. dynalite's own close() would also empty its store (in memory;
 * with a data directory it closes the LevelDB files, which keep everything for the next start).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Server } = require('node:http');
const dynalite = require(workerData.dynalite);
const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(workerData.path ? { path: workerData.path } : {}) });
let port = 0;
const listen = (cb) => Server.prototype.listen.call(db, port, '127.0.0.1', () => { port = db.address().port; cb(); });
parentPort.on('message', (m) => {
  if (m === 'start') listen(() => parentPort.postMessage({ ok: 'start', port }));
  else if (m === 'stop') { Server.prototype.close.call(db, () => parentPort.postMessage({ ok: 'stop' })); db.closeAllConnections(); }
  else if (m === 'close') { db.closeAllConnections(); db.close(() => parentPort.postMessage({ ok: 'close' })); }
});
`;

export interface EmbeddedDynamoWorker {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** `dataDir`: where dynalite keeps its LevelDB files, so tables survive a restart; none = in memory. */
export async function startDynamoWorker(projectRoot: string, dataDir?: string): Promise<EmbeddedDynamoWorker> {
  const dynalitePath = createRequire(join(projectRoot, 'package.json')).resolve('dynalite');
  const worker = new Worker(WORKER, { eval: true, workerData: { dynalite: dynalitePath, path: dataDir } });
  worker.unref();
  const ask = (m: 'start' | 'stop' | 'close') =>
    new Promise<{ ok: string; port?: number }>((resolve, reject) => {
      const onMessage = (reply: { ok: string; port?: number }) => {
        if (reply.ok !== m) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(reply);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(m);
    });
  const { port = 0 } = await ask('start');
  let listening = true;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (!listening) return;
      await ask('stop');
      listening = false;
    },
    start: async () => {
      if (listening) return;
      await ask('start');
      listening = true;
    },
    close: async () => {
      await ask('close').catch(() => undefined);
      await worker.terminate();
    },
  };
}
