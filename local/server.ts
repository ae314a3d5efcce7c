/**
 * Local mode (contract §6): the very same Lambda handlers behind a plain HTTP server, with an embedded
 * DynamoDB (dynalite, in a worker thread of this process) and the outbox file standing in for SNS and SES. Requests become API
 * Gateway HTTP API (v2) events through the one routing table (`functions/routes.ts`), so what runs here
 * is what runs on AWS, minus the AWS services.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startDynamoWorker } from './embedded-dynamo-worker.js';
import { Admission } from './admission.js';
import { callSidOf, HeldRequests, HOLD_AFTER_MS, HOLD_PARAM, holdTwiml } from './hold.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, matchRoute, type FunctionId } from '../functions/routes.js';
import { httpApiEvent } from './http-api-event.js';
import { stepOutcome } from '../functions/middleware/twilio-webhook.js';
import { createTables } from '../functions/adapters/dynamodb/create-tables.js';
import { loadDirectory } from '../functions/adapters/dynamodb/directory.js';
import { validateSupportData } from '../functions/data/validate.js';
import { DynamoTicketStore } from '../functions/adapters/dynamodb/ticket-store.js';
import { FileTicketSpool, type DrainResult } from '../functions/adapters/spool/file-spool.js';
import { replaySpooledTicket } from '../functions/app/spool-replay.js';
import { localNoticeDrainer, localSpoolFile } from '../functions/wiring.js';
import type { NoticeDrainResult } from '../functions/adapters/notice-queue/file-notice-queue.js';
import { boardPages } from './board-static.js';
import type { HealthOptions } from '../functions/handlers/health.js';
import type { Env } from '../functions/handlers/bootstrap.js';
import { createHandler as createEscalation } from '../functions/handlers/escalation.js';
import { ENV } from '../functions/env.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_DATA = join(PROJECT_ROOT, 'data', 'demo.json');
/** The project's ignored local folder: tokens, database, outbox. `LOCAL_DIR` moves all of it (tests use a temporary one). */
const localDirOf = (env: NodeJS.ProcessEnv) => resolve(env.LOCAL_DIR || join(PROJECT_ROOT, '.local'));

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
  /** Where the embedded DynamoDB keeps its files, so tickets and data survive a restart; none = in memory. */
  dbDir?: string;
  /** A DynamoDB to use instead of the embedded one (`DYNAMODB_ENDPOINT`). */
  dynamoEndpoint?: string;
  /** Table names (`TABLE_DIRECTORY`, `TABLE_CALLS`, `TABLE_TICKETS`), so servers can share one DynamoDB; default `support-*`. */
  tables?: Partial<Record<'directory' | 'calls' | 'tickets', string>>;
  /** Progress and one line per webhook step (time, call, step, outcome, ms); none = quiet (tests). */
  log?: (line: string) => void;
  /** How often overdue tickets of `autoEscalate` plans are escalated (EventBridge Scheduler on AWS); default 60 s, 0 = on demand only. */
  escalationMs?: number;
  /** Twilio webhooks handled at once; the others wait their turn, first in first out (admission.ts). Default `WEBHOOK_CONCURRENCY`. */
  webhookConcurrency?: number;
  /** How long a caller step may wait for its turn before it is answered with a hold (hold.ts); default `HOLD_AFTER_MS`. */
  holdAfterMs?: number;
}

/**
 * Webhooks handled at once by default, sized with the bench's burst (docs/local-mode.md, "Many calls at
 * once"): 8 keeps the main thread and the embedded DynamoDB's thread both busy (16 was no faster, 4 and 32
 * slower), and few enough that an admitted request gets the CPU well within its 2.4 s store budget even
 * on a machine whose cores are shared (at 16 and 32 some callers still heard "busy" there).
 */
export const WEBHOOK_CONCURRENCY = 8;

export interface RunningServer {
  url: string;
  server: Server;
  dynamoEndpoint: string;
  tables: Record<'directory' | 'calls' | 'tickets', string>;
  /** The spool file tickets go to while DynamoDB is unavailable (beside the outbox). */
  spoolFile: string;
  /** Replays the spool now (it also runs at start and every `spoolReplayMs`). */
  replaySpool(): Promise<DrainResult>;
  /** Delivers queued confirmations and pages now (notices.jsonl beside the outbox; also on the spool's timer). */
  drainNotices(): Promise<NoticeDrainResult>;
  /** Runs the automatic escalation now (it also runs every `escalationMs`). */
  runEscalation(): Promise<{ checked: number; escalated: string[] }>;
  /** The webhooks' admission: how many run and wait now. */
  admission: Admission;
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
  opts.log?.(`checking   ${opts.dataFile}`);
  const checked = validateSupportData(raw.json);
  if (!checked.ok) {
    throw new DataFileError(
      opts.dataFile,
      checked.problems.map((p) => `${p.path}: ${p.message}`),
    );
  }

  const log = opts.log ?? (() => undefined);
  const startedAt = Date.now();
  if (opts.dbDir) mkdirSync(opts.dbDir, { recursive: true });
  const db = opts.dynamoEndpoint ? externalDynamo(opts.dynamoEndpoint) : await startDynamoWorker(PROJECT_ROOT, opts.dbDir);
  const dynamoEndpoint = db.endpoint;
  const tables = { directory: 'support-directory', calls: 'support-calls', tickets: 'support-tickets', ...opts.tables };
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let loaded: 'loaded' | 'kept';
  try {
    await createTables(client, tables);
    loaded = await loadData(client, tables.directory, checked.data, raw.digest, opts.dbDir, log);
  } catch (e) {
    client.destroy();
    await db.close();
    throw e;
  }

  const publicBaseUrl = opts.publicBaseUrl ?? `http://127.0.0.1:${opts.port}`;
  // The functions' environment, as Lambda would give it: built here and handed to each entry's
  // createHandler, never written into process.env (a test or tool in this process keeps its own).
  const env: Env = {
    ...process.env,
    [ENV.tables.directory]: tables.directory,
    [ENV.tables.calls]: tables.calls,
    [ENV.tables.tickets]: tables.tickets,
    [ENV.dynamoEndpoint]: dynamoEndpoint,
    [ENV.region]: 'us-east-1',
    [ENV.publicBaseUrl]: publicBaseUrl,
    [ENV.twilioAuthToken]: opts.authToken,
    [ENV.apiToken]: opts.apiToken,
    [ENV.codeHashKey]: process.env[ENV.codeHashKey] || randomBytes(32).toString('base64url'),
    [ENV.localOutbox]: opts.outbox,
    ...opts.env,
  };
  const admission = new Admission(opts.webhookConcurrency ?? WEBHOOK_CONCURRENCY);
  const health = () => ({
    mode: 'local',
    data: opts.dataFile,
    dataLoad: loaded,
    database: opts.dynamoEndpoint ? 'external' : opts.dbDir ? 'embedded, on disk' : 'embedded, in memory',
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    // Webhooks being handled and waiting their turn (admission.ts): a long queue is a server at its limit.
    webhooks: { limit: admission.limit, running: admission.stats.running, waiting: admission.stats.waiting },
  });
  // Cold start of every function, as Lambda would do it, from that environment.
  const handlers = {} as Record<FunctionId, LambdaHandler>;
  for (const [id, fn] of Object.entries(FUNCTIONS) as Array<[FunctionId, (typeof FUNCTIONS)[FunctionId]]>) {
    const mod = (await import(join(PROJECT_ROOT, fn.entry))) as { createHandler: (env: Env, opts?: HealthOptions) => LambdaHandler };
    // GET /health is the deployed function with the local server's own details added.
    handlers[id] = id === 'health' ? mod.createHandler(env, { details: health }) : mod.createHandler(env);
  }

  // Tickets spooled while DynamoDB was down (by this run or an earlier one) go in once it answers.
  const spool = new FileTicketSpool(localSpoolFile(opts.outbox));
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const spoolStore = new DynamoTicketStore(doc, tables.tickets);
  // Notices (confirmations, pages) that failed inline, kept beside the outbox and delivered on the same timer.
  const notices = localNoticeDrainer(opts.outbox, doc, tables);
  const replaySpool = () => spool.drain((record) => replaySpooledTicket(record, spoolStore, notices.calls));
  await replaySpool();
  const replayMs = opts.spoolReplayMs ?? 5_000;
  const replayTimer = replayMs > 0 ? setInterval(() => void replaySpool().catch(() => undefined), replayMs) : undefined;
  replayTimer?.unref();
  const noticeTimer = replayMs > 0 ? setInterval(() => void notices.drain().catch(() => undefined), replayMs) : undefined;
  noticeTimer?.unref();

  // The automatic escalation schedule (EventBridge Scheduler on AWS): the same handler on a timer.
  const runEscalation = createEscalation(env);
  const escalationMs = opts.escalationMs ?? 60_000;
  const escalationTimer =
    escalationMs > 0 ? setInterval(() => void runEscalation().catch((e: unknown) => console.error('escalation run failed', e)), escalationMs) : undefined;
  escalationTimer?.unref();

  const board = await boardPages();
  // Caller steps answered with a hold, kept until Twilio follows the redirect (hold.ts).
  const held = new HeldRequests();
  const server = createServer((req, res) => {
    void serve(req, res, {
      handlers,
      publicBaseUrl,
      log,
      logSteps: opts.log !== undefined,
      board,
      admission,
      held,
      holdAfterMs: opts.holdAfterMs ?? HOLD_AFTER_MS,
    }).catch((e: unknown) => {
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
    drainNotices: () => notices.drain(),
    runEscalation,
    admission,
    database: { stop: () => db.stop(), start: () => db.start() },
    stop: async () => {
      if (replayTimer) clearInterval(replayTimer);
      if (noticeTimer) clearInterval(noticeTimer);
      if (escalationTimer) clearInterval(escalationTimer);
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      client.destroy();
      await db.close();
    },
  };
}

interface ServeContext {
  handlers: Record<FunctionId, LambdaHandler>;
  publicBaseUrl: string;
  log: (line: string) => void;
  /** Write a line per webhook step: only when someone reads them (a quiet server saves parsing every body again). */
  logSteps: boolean;
  board?: (path: string, res: ServerResponse) => boolean;
  admission: Admission;
  held: HeldRequests;
  holdAfterMs: number;
}

/**
 * A request → an API Gateway HTTP API v2 event → the function of its route → the HTTP response.
 * Twilio webhooks take their turn in the admission queue first (admission.ts); everything else (/health,
 * the board, the API) is served at once, so a probe still answers while thousands of calls wait.
 */
async function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext): Promise<void> {
  const { handlers, publicBaseUrl, log, board } = ctx;
  const t0 = performance.now();
  const url = requestUrl(req.url);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req, 1024 * 1024);
  if (!url) return send(res, 400, 'text/plain', 'malformed request target');
  if (body === undefined) return send(res, 413, 'text/plain', 'request body too large');
  if (method === 'GET' && url.pathname === '/')
    return send(res, 200, 'text/plain', 'support line (local mode): POST /twilio/voice; GET /api/tickets; GET /health; GET /board\n');
  if (method === 'GET' && board?.(url.pathname, res)) return;
  const match = matchRoute(method, url.pathname);
  if (!match) return send(res, 404, 'text/plain', `no route for ${url.pathname}`);
  if (match === 'method-not-allowed') return send(res, 405, 'text/plain', `${method} is not allowed on ${url.pathname}`);

  let headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const host = new URL(publicBaseUrl).host;
  const fn = match.route.fn;
  let target = url.pathname + url.search;
  let request = body;
  // A caller step coming back from a hold (hold.ts): run the request that was kept, ahead of newer ones.
  const token = fn === 'voice' ? url.searchParams.get(HOLD_PARAM) : null;
  const kept = token ? ctx.held.take(token, callSidOf(body)) : undefined;
  if (kept) ({ target, headers, body: request } = kept);
  // The event and the Lambda context (its deadline) are made on admission: the function's clock starts then.
  const invoke = () => {
    const event = httpApiEvent({ method, target, host, headers, body: request, base64: true, sourceIp: req.socket.remoteAddress ?? undefined });
    return handlers[fn](event, lambdaContext(fn));
  };
  let result: Awaited<ReturnType<LambdaHandler>>;
  if (match.route.auth !== 'twilio') result = await invoke();
  else if (fn !== 'voice') {
    // Agents' steps, TaskRouter callbacks and status callbacks wait without a hold: a status callback or an
    // assignment callback does not follow TwiML, so a redirect would lose it.
    result = await ctx.admission.run(invoke);
  } else {
    const waited = performance.now() - t0;
    const turn = await ctx.admission.tryRun(invoke, { since: kept?.since, maxWaitMs: Math.max(0, ctx.holdAfterMs - waited) });
    if (!turn.admitted) {
      const keep = { target, headers, body: request, callSid: kept?.callSid ?? callSidOf(request), since: kept?.since ?? t0 };
      const hold = holdTwiml(target, ctx.held.keep(keep), publicBaseUrl);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(hold);
      if (ctx.logSteps) log(stepLine(new Date(), request, url.pathname, 200, hold, performance.now() - t0));
      return;
    }
    result = turn.value;
  }
  if (typeof result === 'string' || result === undefined) return send(res, 200, 'application/json', result ?? '');
  const out = result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? '');
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(out);
  if (match.route.auth === 'twilio' && ctx.logSteps)
    log(stepLine(new Date(), request, url.pathname, result.statusCode ?? 200, String(out), performance.now() - t0));
}

/**
 * One line per webhook step, for an operator watching a call go by: time, call, step, outcome, ms.
 * The outcome is the HTTP status and the verb the step ended the caller on (gather, enqueue, dial, hangup...).
 */
export function stepLine(at: Date, body: Buffer, path: string, status: number, answer: string, ms: number): string {
  const params = new URLSearchParams(body.toString('utf8'));
  const call = params.get('CallSid') || params.get('ReservationSid') || '-';
  const step = path.replace(/^\/twilio\//, '') + (params.get('CallStatus') && path.endsWith('/status') ? ` ${params.get('CallStatus')}` : '');
  const outcome = status !== 200 ? `${status} refused` : stepOutcome(status, answer);
  return `${at.toISOString().slice(11, 23)}  ${call}  ${step.padEnd(22)}  ${outcome.padEnd(8)}  ${Math.round(ms)} ms`;
}

/**
 * Loads the data file unless this very file (same bytes) is what the kept database already holds: a restart
 * then keeps the loaded generation instead of writing it again (an 8 MB file takes seconds to write).
 */
async function loadData(
  client: DynamoDBClient,
  table: string,
  data: Parameters<typeof loadDirectory>[2],
  digest: string,
  dbDir: string | undefined,
  log: (line: string) => void,
): Promise<'loaded' | 'kept'> {
  const marker = dbDir ? join(dbDir, 'loaded-data.sha256') : undefined;
  if (marker && existsSync(marker) && readFileSync(marker, 'utf8').trim() === digest) {
    log('data load  skipped: this file is what the kept database already holds');
    return 'kept';
  }
  let lastShown = Date.now();
  await loadDirectory(client, table, data, {
    onProgress: (written, total) => {
      if (total < 2_000 || (Date.now() - lastShown < 1_000 && written < total)) return;
      lastShown = Date.now();
      log(`loading    ${written}/${total} directory items (${Math.floor((written * 100) / total)} %)`);
    },
  });
  if (marker) writeFileSync(marker, digest + '\n');
  return 'loaded';
}

/** A DynamoDB someone else runs (`DYNAMODB_ENDPOINT`): nothing to start or stop. */
function externalDynamo(endpoint: string): Pick<Awaited<ReturnType<typeof startDynamoWorker>>, 'endpoint' | 'stop' | 'start' | 'close'> {
  const nothing = async () => undefined;
  return { endpoint: endpoint.replace(/\/+$/, ''), stop: nothing, start: nothing, close: nothing };
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

function readData(file: string): { json: unknown; digest: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataFileError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  try {
    return { json: JSON.parse(text.replace(/^\uFEFF/, '')), digest: createHash('sha256').update(text).digest('hex') };
  } catch (e) {
    throw new DataFileError(file, [`$: not JSON: ${(e as Error).message}`]);
  }
}

/** A dev token: random, made once per port and kept in that port's folder, so a restart keeps it. */
function devToken(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString('hex')}`;
}

const USAGE = `Usage: npm start [-- --fresh]

Serves the support line on http://127.0.0.1:$PORT with an embedded DynamoDB (no AWS or Twilio account).
  --fresh        start with an empty database (tickets, calls and loaded data of earlier runs are deleted)
  --help         this text
Environment: PORT (3000), SUPPORT_DATA (data/demo.json), TWILIO_AUTH_TOKEN, API_TOKEN, PUBLIC_BASE_URL,
  LOCAL_OUTBOX (.local/outbox.jsonl), LOCAL_DB_DIR (.local/port-$PORT/db), DYNAMODB_ENDPOINT (use that DynamoDB),
  TABLE_DIRECTORY, TABLE_CALLS, TABLE_TICKETS (support-directory, support-calls, support-tickets),
  LOCAL_DIR (.local: the folder of all of these), LOCAL_WEBHOOK_CONCURRENCY (webhooks handled at once, ${WEBHOOK_CONCURRENCY}).
Generated tokens are kept in .local/port-$PORT/ (twilio-token, api-token); see docs/local-mode.md.`;

/** The folder of one port's tokens and database: two servers on two ports never share or overwrite them. */
export function portDir(port: number, localDir = localDirOf(process.env)): string {
  return join(localDir, `port-${port}`);
}

/** The token in use: the variable, else the one kept for this port, else a new one (then kept). */
function token(envValue: string | undefined, file: string, prefix: string): { value: string; source: 'env' | 'kept' | 'generated' } {
  if (envValue) return { value: envValue, source: 'env' };
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept) return { value: kept, source: 'kept' };
  return { value: devToken(prefix), source: 'generated' };
}

/**
 * What `npm start` answers without starting: the usage on --help (exit 0), the usage and the argument on one it
 * does not take (exit 2); undefined when it should start. Exported so tests read the answer in-process.
 */
export function argumentsAnswer(args: string[]): { code: 0; out: string } | { code: 2; err: string } | undefined {
  if (args.includes('--help') || args.includes('-h')) return { code: 0, out: USAGE };
  const unknown = args.filter((a) => a !== '--fresh');
  if (unknown.length) return { code: 2, err: `unknown argument: ${unknown.join(' ')}\n\n${USAGE}` };
  return undefined;
}

/** Where `npm start` prints: the process's stdout and stderr when run. */
export interface StartIo {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm start` with these arguments and this environment: the exit status when it answers without serving
 * (0 for --help, 2 for bad usage, 1 when the server cannot start), else the running server, once it has
 * printed its `ready` line. `main` runs it with the process's own; exported so tests start it in-process.
 */
export async function startCommand(args: string[], env: NodeJS.ProcessEnv, io: StartIo): Promise<number | RunningServer> {
  const answer = argumentsAnswer(args);
  if (answer?.code === 0) {
    io.out(answer.out);
    return 0;
  }
  if (answer) {
    io.err(answer.err);
    return answer.code;
  }
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(env.PORT ?? '3000')) {
    io.err(`PORT must be a port number, got "${env.PORT}"\n\n${USAGE}`);
    return 2;
  }
  const localDir = localDirOf(env);
  const dir = portDir(port, localDir);
  mkdirSync(dir, { recursive: true });
  const twilio = token(env.TWILIO_AUTH_TOKEN, join(dir, 'twilio-token'), 'dev-twilio');
  const api = token(env.API_TOKEN, join(dir, 'api-token'), 'dev-api');
  // Written where `npm run call` (and `cat`) find them for this port; owner-only, they are credentials.
  writeFileSync(join(dir, 'twilio-token'), twilio.value + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'api-token'), api.value + '\n', { mode: 0o600 });

  const outbox = env.LOCAL_OUTBOX || join(localDir, 'outbox.jsonl');
  const concurrency = env.LOCAL_WEBHOOK_CONCURRENCY;
  if (concurrency !== undefined && concurrency !== '' && !/^[1-9]\d{0,4}$/.test(concurrency)) {
    io.err(`LOCAL_WEBHOOK_CONCURRENCY must be a whole number from 1, got "${concurrency}"\n\n${USAGE}`);
    return 2;
  }
  const dataFile = resolve(env.SUPPORT_DATA || DEMO_DATA);
  const dynamoEndpoint = env.DYNAMODB_ENDPOINT || undefined;
  const dbDir = dynamoEndpoint ? undefined : resolve(env.LOCAL_DB_DIR || join(dir, 'db'));
  if (args.includes('--fresh') && dbDir) rmSync(dbDir, { recursive: true, force: true });
  let running: RunningServer;
  try {
    running = await startLocal({
      port,
      dataFile,
      authToken: twilio.value,
      apiToken: api.value,
      outbox,
      publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
      dbDir,
      dynamoEndpoint,
      tables: tableNames(env),
      webhookConcurrency: concurrency ? Number(concurrency) : undefined,
      log: io.out,
    });
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    if (/LOCK|lock/.test(String(e)) && dbDir) io.err(`is another server using ${dbDir}? Give this one another PORT or LOCAL_DB_DIR.`);
    return 1;
  }
  const shown = (t: typeof twilio, name: string) =>
    t.source === 'env' ? `(from ${name}, ending in ${t.value.slice(-4)})` : `${t.value}   (${t.source}; in ${relative(PROJECT_ROOT, dir)}/)`;
  io.out(`data       ${dataFile}`);
  io.out(`database   ${dynamoEndpoint ? `${dynamoEndpoint} (DYNAMODB_ENDPOINT)` : `${dbDir} (kept across restarts; --fresh empties it)`}`);
  io.out(`outbox     ${outbox}`);
  io.out(`twilio token ${shown(twilio, 'TWILIO_AUTH_TOKEN')}`);
  io.out(`api token  ${shown(api, 'API_TOKEN')}`);
  io.out(`try        npm run call -- --to <a line number> --from +15555550123`);
  io.out(`board      ${running.url}/board`);
  io.out(`ready ${running.url}`);
  return running;
}

async function main(): Promise<void> {
  const started = await startCommand(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
  if (typeof started === 'number') {
    if (started !== 0) process.exit(started);
    return;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await started.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}

/** Table names the operator chose (`TABLE_*`, as the functions read them); unset ones keep the defaults. */
function tableNames(env: NodeJS.ProcessEnv): LocalServerOptions['tables'] {
  const out: NonNullable<LocalServerOptions['tables']> = {};
  for (const [id, name] of Object.entries(ENV.tables) as Array<[keyof typeof ENV.tables, string]>) if (env[name]) out[id] = env[name];
  return out;
}
