/**
 * Warm latency of every webhook step, in-process (the real middy stack and flows, `buildDeps` on the
 * embedded DynamoDB), one request at a time so SDK middleware on the handlers' DynamoDB client can count
 * each step's requests and the time spent in them. SNS/SES are replaced by a recording notifier here
 * (their latency is AWS's, not ours); the load run goes through the local server and its outbox.
 */
import { benchData, callerKeys, agentKeys, AGENTS_LINE, LINE } from './lib/bench-data.js';
import { placeCall, stepOf, type CallRecord, type Transport } from './lib/caller.js';
import { dynamoProbe } from './lib/dynamo-probe.js';
import { startEmbeddedDb } from './lib/embedded-db.js';
import { startDynamoDbLocalDb } from './lib/dynamodb-local-db.js';
import { inProcessLine, newCallSid } from './lib/in-process.js';
import { RecordingNotifier } from './lib/recording-notifier.js';
import { mean, percentile } from './stats.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemBytes } from './lib/item-size.js';

export type PathName = 'registered caller to ticket' | 'caller verified by code to ticket' | 'agent taking a call';

export interface StepFigure {
  path: PathName;
  step: string;
  n: number;
  p50: number;
  p99: number;
  /** Mean DynamoDB requests on the wire per request of this step (retries included), and by operation. */
  requests: number;
  byCommand: Record<string, number>;
  /** Largest call-state item a request of this step put (bytes). */
  stateBytes: number;
  /** Mean time inside DynamoDB calls, and mean handler time. */
  dynamoMs: number;
  handlerMs: number;
}

export interface PathFigure {
  path: PathName;
  calls: number;
  /** From ring to the queue (or to the agent's bridge): every webhook before the queue's own ones. */
  requests: number;
  /** Per request of the queue's own webhooks (the wait announcement, repeated while the caller waits). */
  queueRequests: number;
  /** The largest call-state item a step of this path wrote (bytes, DynamoDB's item size), and its write units. */
  largestStateBytes: number;
  handlerMs: number;
  dynamoMs: number;
  completed: boolean;
}

/** Webhooks the queue itself makes while a caller waits: not part of the way from ring to queue. */
const QUEUE_STEPS = new Set(['wait', 'wait-key', 'queue-result']);

interface Sample {
  ms: number;
  requests: number;
  /** Largest call-state item put by this request (bytes). */
  stateBytes: number;
  dynamoMs: number;
  byCommand: Record<string, number>;
}

/** Where the steps ran: the embedded dynalite (no transactions) or DynamoDB Local (transactions, as DynamoDB). */
export type StepsEngine = 'dynalite' | 'dynamodb-local';

export interface StepsResult {
  engine: StepsEngine;
  steps: StepFigure[];
  paths: PathFigure[];
  /** Why the agents' path was not measured, if it was not. */
  agentNote?: string;
}

export async function measureSteps(o: { calls: number; warmup: number; engine?: StepsEngine; log: (s: string) => void }): Promise<StepsResult> {
  const total = o.calls + o.warmup;
  const engine = o.engine ?? 'dynalite';
  const bd = benchData({ registered: total * 2, coded: total, agents: 5 });
  const db = engine === 'dynalite' ? await startEmbeddedDb() : await startDynamoDbLocalDb();
  const probe = dynamoProbe(db.endpoint);
  const notifier = new RecordingNotifier();
  const line = await inProcessLine({ db, data: bd.data, doc: probe.doc, overrides: { notifier } });
  const samples = new Map<string, Sample[]>();
  let recording: PathName | undefined;
  let stateBytes = 0;
  probe.before = async (command, input) => {
    const { Item, TransactItems } = input as {
      Item?: Record<string, AttributeValue>;
      TransactItems?: Array<{ Put?: { Item?: Record<string, AttributeValue> } }>;
    };
    const puts = command === 'PutItem' ? [Item] : command === 'TransactWriteItems' ? (TransactItems ?? []).map((t) => t.Put?.Item) : [];
    for (const item of puts) if (item?.sk?.S === 'STATE' && item.pk?.S?.startsWith('CALL#')) stateBytes = Math.max(stateBytes, itemBytes(item));
  };
  const send: Transport = async (url, params) => {
    probe.take();
    stateBytes = 0;
    const t0 = performance.now();
    const res = await line.send(url, params);
    const ms = performance.now() - t0;
    const d = probe.take();
    if (recording) {
      const key = `${recording}\u0000${stepOf(url)}`;
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key)!.push({ ms, requests: d.requests, dynamoMs: d.ms, byCommand: d.byCommand, stateBytes });
    }
    return res;
  };
  const failures: string[] = [];
  const check = (call: CallRecord, expected: CallRecord['end']) => {
    if (call.end !== expected || call.requests.some((r) => r.status !== 200))
      failures.push(`${call.callSid}: ended ${call.end} ${call.error ?? ''} ${call.heard.at(-1) ?? ''}`);
  };
  const completed = new Map<PathName, number>();
  const run = async (path: PathName, i: number, measured: boolean) => {
    recording = measured ? path : undefined;
    if (path === 'registered caller to ticket') {
      const c = bd.registered[i]!;
      check(await placeCall(send, { callSid: newCallSid(), from: c.phone, to: LINE, keys: callerKeys({ priority: '3' }) }), 'enqueue');
    } else if (path === 'caller verified by code to ticket') {
      const c = bd.coded[i]!;
      const keys = callerKeys({ account: c.account, channel: '1', code: () => notifier.codeFor(c.contact), priority: '3' });
      check(await placeCall(send, { callSid: newCallSid(), from: c.phone, to: LINE, keys }), 'enqueue');
    } else {
      const a = bd.agents[i % bd.agents.length]!;
      check(await placeCall(send, { callSid: newCallSid(), from: '+15550109999', to: AGENTS_LINE, keys: agentKeys(a.id, a.pin) }), 'dial');
    }
    if (measured) completed.set(path, (completed.get(path) ?? 0) + 1);
  };
  const paths: PathName[] = ['registered caller to ticket', 'caller verified by code to ticket'];
  let agentNote: string | undefined;
  if (!line.functions.has('agent')) agentNote = 'the agents\u2019 line webhook is not in this checkout';
  else {
    const probeCall = await placeCall(line.send, { callSid: newCallSid(), from: '+15550109999', to: AGENTS_LINE, keys: () => null, maxSteps: 2 });
    if (!probeCall.requests.some((r) => r.step === 'agent/start' && /<Gather/.test(r.body))) agentNote = '`/twilio/agent/start` does not answer with a Gather';
    else paths.push('agent taking a call');
  }
  // Warm up every path (JIT, connection pool, directory cache), then measure; registered callers twice
  // over, so every agent call below finds a caller waiting.
  for (let i = 0; i < o.warmup; i++) for (const p of paths) await run(p, i, false);
  for (let i = o.warmup; i < total; i++) {
    for (const p of paths) await run(p, i, true);
    await run('registered caller to ticket', total + i, false);
  }
  recording = undefined;
  if (failures.length) o.log(`  ${failures.length} measured calls did not end as expected, e.g. ${failures[0]}`);
  probe.client.destroy();
  await db.stop();

  const steps: StepFigure[] = [];
  for (const [key, list] of samples) {
    const [path, step] = key.split('\u0000') as [PathName, string];
    const byCommand: Record<string, number> = {};
    for (const s of list) for (const [c, n] of Object.entries(s.byCommand)) byCommand[c] = (byCommand[c] ?? 0) + n;
    for (const c of Object.keys(byCommand)) byCommand[c] = byCommand[c]! / list.length;
    steps.push({
      path,
      step,
      n: list.length,
      p50: percentile(
        list.map((s) => s.ms),
        50,
      ),
      p99: percentile(
        list.map((s) => s.ms),
        99,
      ),
      requests: mean(list.map((s) => s.requests)),
      stateBytes: Math.max(0, ...list.map((s) => s.stateBytes)),
      byCommand,
      dynamoMs: mean(list.map((s) => s.dynamoMs)),
      handlerMs: mean(list.map((s) => s.ms)),
    });
  }
  const pathFigures = paths.map((path) => {
    const all = steps.filter((s) => s.path === path);
    const mine = all.filter((s) => !QUEUE_STEPS.has(s.step));
    const queue = all.filter((s) => QUEUE_STEPS.has(s.step));
    // Per call: every step's mean times how often a call makes it (a re-prompt would count twice).
    const perCall = (f: (s: StepFigure) => number) => mine.reduce((a, s) => a + (f(s) * s.n) / Math.max(1, completed.get(path) ?? 1), 0);
    return {
      path,
      calls: completed.get(path) ?? 0,
      requests: perCall((s) => s.requests),
      queueRequests: queue.length ? queue.reduce((a, s) => a + s.requests * s.n, 0) / queue.reduce((a, s) => a + s.n, 0) : 0,
      largestStateBytes: Math.max(0, ...all.map((s) => s.stateBytes)),
      handlerMs: perCall((s) => s.handlerMs),
      dynamoMs: perCall((s) => s.dynamoMs),
      completed: failures.length === 0,
    };
  });
  return { engine, steps, paths: pathFigures, agentNote };
}
