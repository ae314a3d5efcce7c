/**
 * Local mode (contract §6): the very same Lambda handlers behind a plain HTTP server, with an embedded
 * DynamoDB (dynalite, in a worker thread of this process) and the outbox file standing in for SNS and SES. Requests become API
 * Gateway HTTP API (v2) events through the one routing table (`functions/routes.ts`), so what runs here
 * is what runs on AWS, minus the AWS services.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startDynamoWorker } from './embedded-dynamo-worker.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, matchRoute, type FunctionId } from '../functions/routes.js';
import { httpApiEvent } from './http-api-event.js';
import { createTables } from '../functions/adapters/dynamodb/create-tables.js';
import { loadDirectory } from '../functions/adapters/dynamodb/directory.js';
import { validateSupportData } from '../functions/data/validate.js';
import { DynamoTicketStore } from '../functions/adapters/dynamodb/ticket-store.js';
import { FileTicketSpool, type DrainResult } from '../functions/adapters/spool/file-spool.js';
import { replaySpooledTicket } from '../functions/app/spool-replay.js';
import { localSpoolFile } from '../functions/wiring.js';
import { boardPages } from './board-static.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_DATA = join(PROJECT_ROOT, 'data', 'demo.json');
const LOCAL_DIR = join(PROJECT_ROOT, '.local');

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | string | undefined>;

export interface LocalServerOptions {
  port: number;
  dataFile: string;
  authToken: string;
  apiToken: string;
  publicBaseUrl?: string;
  outbox: string;
  /** Extra variables for the functions (TaskRouter sids, fault injection). */
  env?: Record<string, string>;
  /** How often the ticket spool is replayed into DynamoDB; default 5 s (0 = only at start and on demand). */
  spoolReplayMs?: number;
  /** How often overdue tickets of `autoEscalate` plans are escalated (EventBridge Scheduler on AWS); default 60 s, 0 = on demand only. */
  escalationMs?: number;
}

export interface RunningServer {
  url: string;
  server: Server;
  dynamoEndpoint: string;
  tables: Record<'directory' | 'calls' | 'tickets', string>;
  /** The spool file tickets go to while DynamoDB is unavailable (beside the outbox). */
  spoolFile: string;
  /** Replays the spool now (it also runs at start and every `spoolReplayMs`). */
  replaySpool(): Promise<DrainResult>;
  /** Runs the automatic escalation now (it also runs every `escalationMs`). */
  runEscalation(): Promise<{ checked: number; escalated: string[] }>;
  /**
   * Stops the embedded DynamoDB's listener (connections refused, open ones cut) while keeping its data,
   * and starts it again on the same port: a database outage in the middle of calls, for fault tests.
   */
  database: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

/** Starts the embedded DynamoDB, loads the data file, imports the handlers and listens. */
export async function startLocal(opts: LocalServerOptions): Promise<RunningServer> {
  const raw = readData(opts.dataFile);
  const checked = validateSupportData(raw);
  if (!checked.ok) {
    throw new DataFileError(opts.dataFile, checked.problems.map((p) => `${p.path}: ${p.message}`));
  }

  const db = await startDynamoWorker(PROJECT_ROOT);
  const dynamoEndpoint = db.endpoint;
  const tables = { directory: 'support-directory', calls: 'support-calls', tickets: 'support-tickets' };
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createTables(client, tables);
  await loadDirectory(client, tables.directory, checked.data);

  const publicBaseUrl = opts.publicBaseUrl ?? `http://127.0.0.1:${opts.port}`;
  Object.assign(process.env, {
    TABLE_DIRECTORY: tables.directory,
    TABLE_CALLS: tables.calls,
    TABLE_TICKETS: tables.tickets,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: publicBaseUrl,
    TWILIO_AUTH_TOKEN: opts.authToken,
    API_TOKEN: opts.apiToken,
    CODE_HASH_KEY: process.env.CODE_HASH_KEY || randomBytes(32).toString('base64url'),
    LOCAL_OUTBOX: opts.outbox,
    ...opts.env,
  });
  // Cold start of every function, as Lambda would do it: after the environment is set.
  const handlers = {} as Record<FunctionId, LambdaHandler>;
  for (const [id, fn] of Object.entries(FUNCTIONS) as Array<[FunctionId, (typeof FUNCTIONS)[FunctionId]]>) {
    const mod = (await import(join(PROJECT_ROOT, fn.entry))) as Record<string, LambdaHandler>;
    handlers[id] = mod[fn.handler]!;
  }

  // Tickets spooled while DynamoDB was down (by this run or an earlier one) go in once it answers.
  const spool = new FileTicketSpool(localSpoolFile(opts.outbox));
  const spoolStore = new DynamoTicketStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), tables.tickets);
  const replaySpool = () => spool.drain((record) => replaySpooledTicket(record, spoolStore));
  await replaySpool();
  const replayMs = opts.spoolReplayMs ?? 5_000;
  const replayTimer = replayMs > 0 ? setInterval(() => void replaySpool().catch(() => undefined), replayMs) : undefined;
  replayTimer?.unref();

  // The automatic escalation schedule (EventBridge Scheduler on AWS): the same handler on a timer.
  const escalation = (await import(join(PROJECT_ROOT, 'functions/handlers/escalation.ts'))) as { handler: RunningServer['runEscalation'] };
  const escalationMs = opts.escalationMs ?? 60_000;
  const escalationTimer = escalationMs > 0 ? setInterval(() => void escalation.handler().catch((e: unknown) => console.error('escalation run failed', e)), escalationMs) : undefined;
  escalationTimer?.unref();

  const board = await boardPages();
  const server = createServer((req, res) => {
    void serve(req, res, handlers, publicBaseUrl, board).catch((e: unknown) => {
      console.error('local server error', e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port, '127.0.0.1', () => res());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    dynamoEndpoint,
    tables,
    spoolFile: spool.file,
    replaySpool,
    runEscalation: () => escalation.handler(),
    database: { stop: () => db.stop(), start: () => db.start() },
    stop: async () => {
      if (replayTimer) clearInterval(replayTimer);
      if (escalationTimer) clearInterval(escalationTimer);
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      client.destroy();
      await db.close();
    },
  };
}

/** A request → an API Gateway HTTP API v2 event → the function of its route → the HTTP response. */
async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<FunctionId, LambdaHandler>,
  publicBaseUrl: string,
  board?: (path: string, res: ServerResponse) => boolean,
): Promise<void> {
  const url = requestUrl(req.url);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req, 1024 * 1024);
  if (!url) return send(res, 400, 'text/plain', 'malformed request target');
  if (body === undefined) return send(res, 413, 'text/plain', 'request body too large');
  if (method === 'GET' && url.pathname === '/') return send(res, 200, 'text/plain', 'support line (local mode): POST /twilio/voice; GET /api/tickets\n');
  if (method === 'GET' && board?.(url.pathname, res)) return;
  const match = matchRoute(method, url.pathname);
  if (!match) return send(res, 404, 'text/plain', `no route for ${url.pathname}`);
  if (match === 'method-not-allowed') return send(res, 405, 'text/plain', `${method} is not allowed on ${url.pathname}`);

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const host = new URL(publicBaseUrl).host;
  const event = httpApiEvent({ method, target: url.pathname + url.search, host, headers, body, base64: true, sourceIp: req.socket.remoteAddress ?? undefined });
  const result = await handlers[match.route.fn](event, lambdaContext(match.route.fn));
  if (typeof result === 'string' || result === undefined) return send(res, 200, 'application/json', result ?? '');
  const out = result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? '');
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(out);
}

/**
 * The request target as a URL, read as a path on this server: `//host/...` is not a host (API Gateway
 * does not read it as one either), and a target no URL parser accepts (`//%`) is the client's error,
 * not a reason for a 500.
 */
function requestUrl(target: string | undefined): URL | undefined {
  const path = target ?? '/';
  if (!path.startsWith('/')) return undefined;
  try {
    return new URL(`http://127.0.0.1${path}`);
  } catch {
    return undefined;
  }
}

function lambdaContext(fn: string): Context {
  const deadline = Date.now() + 10_000; // the deployed functions' timeout
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `support-line-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:support-line-${fn}`,
    memoryLimitInMB: '512',
    awsRequestId: randomBytes(8).toString('hex'),
    logGroupName: `/aws/lambda/support-line-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, ...(status === 405 ? { allow: 'POST, GET' } : {}) });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid data file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'DataFileError';
  }
}

function readData(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataFileError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, [`$: not JSON: ${(e as Error).message}`]);
  }
}

/** A dev token: random per start unless given, printed, and written where `npm run call` finds it. */
function devToken(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

async function main(): Promise<void> {
  const port = Number.parseInt(process.env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got "${process.env.PORT}"`);
    process.exit(2);
  }
  const authToken = process.env.TWILIO_AUTH_TOKEN || devToken('dev-twilio');
  const apiToken = process.env.API_TOKEN || devToken('dev-api');
  const outbox = process.env.LOCAL_OUTBOX || join(LOCAL_DIR, 'outbox.jsonl');
  const dataFile = resolve(process.env.SUPPORT_DATA || DEMO_DATA);
  let running: RunningServer;
  try {
    running = await startLocal({ port, dataFile, authToken, apiToken, outbox, publicBaseUrl: process.env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined });
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
  mkdirSync(LOCAL_DIR, { recursive: true });
  writeFileSync(join(LOCAL_DIR, 'dev-token'), authToken);
  writeFileSync(join(LOCAL_DIR, 'api-token'), apiToken);
  console.log(`data       ${dataFile}`);
  console.log(`outbox     ${outbox}`);
  console.log(`twilio token ${process.env.TWILIO_AUTH_TOKEN ? '(from TWILIO_AUTH_TOKEN)' : authToken}`);
  console.log(`api token  ${process.env.API_TOKEN ? '(from API_TOKEN)' : apiToken}`);
  console.log(`try        npm run call -- --to <a line number> --from +15555550123`);
  console.log(`board      ${running.url}/board`);
  console.log(`ready ${running.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
