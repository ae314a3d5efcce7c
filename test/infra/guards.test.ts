/**
 * Issue 14's guards in the templates: each function's DynamoDB actions are exactly what its code sends
 * (no DeleteItem or BatchWriteItem where unused), the voice function has reserved concurrency, and
 * alarms watch refused signatures, API 429s and agent sign-in failures through metrics the code emits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_CONCURRENCY, ConfigError } from '../../lib/config.js';
import { PROJECT_ROOT } from '../../lib/constructs/voice-function.js';
import { AGENT_SIGN_IN_FAILED_MESSAGE, AGENT_SIGN_IN_FAILED_THRESHOLD, API_THROTTLED_THRESHOLD, SIGNATURE_REJECTED_THRESHOLD } from '../../lib/voice-stack.js';
import { SIGNATURE_REJECTED_METRIC } from '../../functions/middleware/rejection-metric.js';
import { DEV_CONTEXT, PROD_CONTEXT, actionsOf, build, synthesized, functionLogicalId, roleStatements, type Built, type Resource } from './fixture.js';

let dev: Built;
let prod: Built;
// Two syntheses with cdk-nag: well over the default hook timeout on a loaded 2-core machine.
beforeAll(() => {
  dev = synthesized(DEV_CONTEXT);
  prod = synthesized(PROD_CONTEXT);
}, 240_000);

const str = (v: unknown): string => JSON.stringify(v) ?? '';
const resourcesOf = (b: Built, type: string): [string, Resource][] => Object.entries(b.json.Resources).filter(([, r]) => r.Type === type);
const tableLogicalId = (b: Built, id: 'directory' | 'calls' | 'tickets'): string =>
  b.stacks.data.getLogicalId(b.stacks.data.tables[id].table.node.defaultChild as CfnElement);

/** DynamoDB actions a function may use on the table itself (not its indexes), sorted. */
function tableActions(b: Built, constructId: string, table: 'directory' | 'calls' | 'tickets'): string[] {
  const id = tableLogicalId(b, table);
  return roleStatements(b, functionLogicalId(b, constructId))
    .filter((s) => str(s.Resource).includes(id) && !str(s.Resource).includes('/index/'))
    .flatMap(actionsOf)
    .filter((a) => a.startsWith('dynamodb:'))
    .sort();
}

const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const READ_WRITE = [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort();

describe('least privilege: DynamoDB actions per function', () => {
  it.each([
    ['Voice', { directory: READ, calls: READ_WRITE, tickets: READ_WRITE }],
    ['Agent', { directory: READ, calls: [...READ_WRITE, 'dynamodb:DeleteItem'].sort(), tickets: READ_WRITE }],
    ['Status', { directory: READ, calls: READ_WRITE, tickets: READ_WRITE }],
    ['TicketsApi', { directory: [], calls: [], tickets: [...READ, 'dynamodb:PutItem', 'dynamodb:Scan'].sort() }],
    ['SpoolReplay', { directory: [], calls: READ_WRITE, tickets: READ_WRITE }],
    ['NoticeReplay', { directory: [], calls: READ_WRITE, tickets: READ_WRITE }],
  ] as const)('%s', (cid, expected) => {
    for (const b of [dev, prod]) {
      for (const table of ['directory', 'calls', 'tickets'] as const) expect(tableActions(b, cid, table), `${cid} ${table}`).toEqual(expected[table]);
    }
  });

  it('no function may BatchWriteItem, and only the agent function may DeleteItem (its sign-in lock, in the calls table)', () => {
    for (const [fnId, fn] of resourcesOf(dev, 'AWS::Lambda::Function')) {
      const actions = roleStatements(dev, fnId).flatMap(actionsOf);
      expect(actions, fnId).not.toContain('dynamodb:BatchWriteItem');
      if (fnId !== functionLogicalId(dev, 'Agent')) expect(actions, str(fn.Properties?.Description)).not.toContain('dynamodb:DeleteItem');
    }
  });

  it('matches the code: deletes are sent only by the agent lock store, batch writes only by the directory loader (a script), transactions only by the call store', () => {
    const dir = join(PROJECT_ROOT, 'functions/adapters/dynamodb');
    const senders = (command: string) =>
      readdirSync(dir)
        .filter((f) => readFileSync(join(dir, f), 'utf8').includes(`new ${command}(`))
        .sort();
    expect(senders('DeleteCommand')).toEqual(['agent-lock-store.ts']);
    expect(senders('DeleteItemCommand')).toEqual([]);
    expect(senders('BatchWriteCommand')).toEqual(['directory-loader.ts']);
    expect(senders('BatchWriteItemCommand')).toEqual([]);
    // The call store's one-write steps (a step with its audit, a ticket with its number): IAM authorizes a
    // transaction by its parts, PutItem and UpdateItem on the calls and tickets tables, which the voice and
    // agent functions have (above); no DeleteItem or ConditionCheck part is ever sent in one.
    expect(senders('TransactWriteCommand')).toEqual(['call-store.ts']);
    const store = readFileSync(join(dir, 'call-store.ts'), 'utf8');
    expect(store).not.toMatch(/\b(Delete|ConditionCheck):/);
    // The directory's batch writes are its loader's (npm run data:load), which no function calls.
    const loader = readFileSync(join(dir, 'directory-loader.ts'), 'utf8').split('\n');
    const batchLine = loader.findIndex((l) => l.includes('new BatchWriteCommand('));
    const before = loader.slice(0, batchLine).reverse();
    expect(before.find((l) => /^(export )?(async )?function /.test(l))).toMatch(/function batchWrite\(/);
    const appDir = join(PROJECT_ROOT, 'functions/app');
    const app = readdirSync(appDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    expect(app).not.toMatch(/loadDirectory|batchWrite/);
  });
});

describe('reserved concurrency', () => {
  it('the voice function has it (the API burst limit of the stage), the other webhooks none', () => {
    for (const [b, n] of [
      [dev, DEFAULT_VOICE_CONCURRENCY.dev],
      [prod, DEFAULT_VOICE_CONCURRENCY.prod],
    ] as const) {
      expect(b.json.Resources[functionLogicalId(b, 'Voice')]!.Properties!.ReservedConcurrentExecutions).toBe(n);
      for (const cid of ['Agent', 'Status', 'TicketsApi', 'SpoolReplay', 'NoticeReplay'])
        expect(b.json.Resources[functionLogicalId(b, cid)]!.Properties!.ReservedConcurrentExecutions, cid).toBeUndefined();
    }
    expect(DEFAULT_VOICE_CONCURRENCY).toEqual({ dev: 20, prod: 100 });
  });

  it('is configurable, can be turned off for small quotas, and a bad value is named', { timeout: 240_000 }, () => {
    const b = build({ ...DEV_CONTEXT, voiceReservedConcurrency: '50' });
    expect(b.json.Resources[functionLogicalId(b, 'Voice')]!.Properties!.ReservedConcurrentExecutions).toBe(50);
    const none = build({ ...DEV_CONTEXT, voiceReservedConcurrency: 'none' });
    expect(none.json.Resources[functionLogicalId(none, 'Voice')]!.Properties!.ReservedConcurrentExecutions).toBeUndefined();
    expect(() => build({ ...DEV_CONTEXT, voiceReservedConcurrency: '0' })).toThrow(ConfigError);
    expect(() => build({ ...DEV_CONTEXT, voiceReservedConcurrency: 'lots' })).toThrow(/voiceReservedConcurrency: "lots" is not an integer 1-1000 or "none"/);
  });
});

describe('abuse alarms', () => {
  const alarms = (b: Built) => resourcesOf(b, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const filters = (b: Built) => resourcesOf(b, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties!);
  const logGroupOf = (b: Built, path: string[]) => {
    let node = b.stacks.voice.node.findChild(path[0]!);
    for (const p of path.slice(1)) node = node.node.findChild(p);
    return { Ref: b.stacks.voice.getLogicalId(node.node.defaultChild as CfnElement) };
  };
  const alarmTopicRef = (b: Built) => ({ Ref: b.stacks.voice.getLogicalId(b.stacks.voice.alarmTopic.node.defaultChild as CfnElement) });

  it('signature rejections: the metric the Twilio middleware writes, summed over 5 minutes', () => {
    expect(SIGNATURE_REJECTED_METRIC).toBe('SignatureRejected');
    for (const b of [dev, prod]) {
      expect(alarms(b).filter((a) => a.MetricName === SIGNATURE_REJECTED_METRIC)).toEqual([
        expect.objectContaining({
          Namespace: 'SupportLine',
          Dimensions: [{ Name: 'service', Value: 'support-line' }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: SIGNATURE_REJECTED_THRESHOLD,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [alarmTopicRef(b)],
        }),
      ]);
    }
  });

  it('API 429s: counted from the access log (HTTP APIs have no 429 metric) and alarmed on the first', () => {
    for (const b of [dev, prod]) {
      expect(filters(b).filter((f) => f.MetricTransformations[0].MetricName === 'ApiThrottled')).toEqual([
        {
          LogGroupName: logGroupOf(b, ['ApiAccessLogs']),
          FilterPattern: '{ $.status = "429" }',
          MetricTransformations: [{ MetricNamespace: 'SupportLine', MetricName: 'ApiThrottled', MetricValue: '1', DefaultValue: 0 }],
        },
      ]);
      expect(alarms(b).filter((a) => a.MetricName === 'ApiThrottled')).toEqual([
        expect.objectContaining({
          Namespace: 'SupportLine',
          Statistic: 'Sum',
          Period: 300,
          Threshold: API_THROTTLED_THRESHOLD,
          AlarmActions: [alarmTopicRef(b)],
        }),
      ]);
    }
    // The access log format carries the status the filter reads.
    const stage = resourcesOf(dev, 'AWS::ApiGatewayV2::Stage')[0]![1];
    expect(JSON.parse(stage.Properties!.AccessLogSettings.Format).status).toBe('$context.status');
  });

  it("agent sign-in failures: counted from the agent function's log, by the message the agent flow logs", () => {
    for (const b of [dev, prod]) {
      expect(filters(b).filter((f) => f.MetricTransformations[0].MetricName === 'AgentSignInFailed')).toEqual([
        {
          LogGroupName: logGroupOf(b, ['Agent', 'Logs']),
          FilterPattern: `{ $.message = "${AGENT_SIGN_IN_FAILED_MESSAGE}" }`,
          MetricTransformations: [{ MetricNamespace: 'SupportLine', MetricName: 'AgentSignInFailed', MetricValue: '1', DefaultValue: 0 }],
        },
      ]);
      expect(alarms(b).filter((a) => a.MetricName === 'AgentSignInFailed')).toEqual([
        expect.objectContaining({
          Namespace: 'SupportLine',
          Statistic: 'Sum',
          Period: 300,
          Threshold: AGENT_SIGN_IN_FAILED_THRESHOLD,
          AlarmActions: [alarmTopicRef(b)],
        }),
      ]);
    }
    const flow = readFileSync(join(PROJECT_ROOT, 'functions/app/agent-flow/sign-in.ts'), 'utf8');
    expect(flow).toContain(`deps.log?.('warn', '${AGENT_SIGN_IN_FAILED_MESSAGE}'`);
  });
});
