/**
 * Template assertions for the data and voice stacks, on one dev and one prod synthesis shared by
 * all tests of this file. Every expectation is derived from functions/routes.ts and
 * functions/adapters/dynamodb/tables.ts, never from a copy of them.
 */
import { runInNewContext } from 'node:vm';
import { Stack, Validations, type CfnElement, type PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, tableEnvVar } from '../../functions/adapters/dynamodb/tables.js';
import { FUNCTIONS, ROUTES, type FunctionId } from '../../functions/routes.js';
import { FALLBACK_HANDLER_SOURCE, FALLBACK_TWIML } from '../../lib/constructs/twilio-fallback.js';
import { MEMORY_MB, TABLE_WRITE_ACTIONS } from '../../lib/constructs/voice-function.js';
import { NOTICE_REPLAY, SPOOL_REPLAY, VERIFICATION_FAILED_THRESHOLD } from '../../lib/voice-stack.js';
import {
  DEV_CONTEXT,
  PROD_CONTEXT,
  actionsOf,
  allActions,
  build,
  synthesized,
  constructIdOf,
  functionLogicalId,
  roleStatements,
  type Built,
  type Resource,
} from './fixture.js';

let dev: Built;
let prod: Built;
// Two whole CDK apps synthesized in process: fixed work that a loaded machine slows several-fold, and a hook
// that times out skips every test of the file, so the limit is a hang detector, not a speed goal.
beforeAll(() => {
  dev = synthesized(DEV_CONTEXT);
  prod = synthesized(PROD_CONTEXT);
}, 300_000);

const FUNCTION_IDS = Object.keys(FUNCTIONS) as FunctionId[];
const TWILIO_FUNCTIONS = FUNCTION_IDS.filter((id) => ROUTES.some((r) => r.fn === id && r.auth === 'twilio'));
/** All VoiceFunction construct ids: one per FunctionId plus the spool replayer and the notice consumer. */
const VOICE_FUNCTION_CONSTRUCTS = [...FUNCTION_IDS.map(constructIdOf), 'SpoolReplay', 'NoticeReplay'];

const resourcesOf = (b: Built, type: string): [string, Resource][] => Object.entries(b.json.Resources).filter(([, r]) => r.Type === type);
const env = (b: Built, constructId: string): Record<string, unknown> =>
  b.json.Resources[functionLogicalId(b, constructId)]!.Properties!.Environment?.Variables ?? {};
const tableLogicalId = (b: Built, id: string): string => b.stacks.data.getLogicalId(b.stacks.data.tables[id as 'calls'].table.node.defaultChild as CfnElement);
const str = (v: unknown): string => JSON.stringify(v) ?? '';

describe('stack layout', () => {
  it('names both stacks after the stage and deploys them to the configured region/account', () => {
    expect(dev.stacks.data.stackName).toBe('SupportLine-dev-Data');
    expect(dev.stacks.voice.stackName).toBe('SupportLine-dev-Voice');
    expect(prod.stacks.voice.stackName).toBe('SupportLine-prod-Voice');
    expect(prod.stacks.voice.region).toBe('eu-west-1');
    expect(prod.stacks.voice.account).toBe('123456789012');
    expect(dev.stacks.voice.dependencies).toContain(dev.stacks.data);
  });

  it('keeps the tables out of the voice stack', () => {
    dev.voice.resourceCountIs('AWS::DynamoDB::Table', 0);
    dev.data.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('data stack', () => {
  it('has exactly the tables of tables.ts', () => {
    dev.data.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });

  it.each(TABLES.map((t) => [t.id, t] as const))('%s: keys, GSIs, TTL, on-demand, PITR, deletion protection, retain, SSE', (id, def) => {
    const r = dev.data.toJSON().Resources[tableLogicalId(dev, id)] as Resource;
    const p = r.Properties!;
    expect(r.DeletionPolicy).toBe('Retain');
    expect(r.UpdateReplacePolicy).toBe('Retain');
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    // SSEEnabled without a key id: KMS with the AWS-managed aws/dynamodb key.
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      { AttributeName: def.sortKey, KeyType: 'RANGE' },
    ]);
    if (def.ttlAttribute) expect(p.TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
    else expect(p.TimeToLiveSpecification).toBeUndefined();
    const gsis = (p.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    expect(gsis.map((g) => g.IndexName).sort()).toEqual(def.indexes.map((i) => i.name).sort());
    for (const index of def.indexes) {
      const g = gsis.find((x) => x.IndexName === index.name)!;
      expect(g.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
      ]);
      expect(g.Projection).toEqual({ ProjectionType: 'ALL' });
    }
  });

  it('outputs every table name for data:load', () => {
    const outputs = dev.data.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const t of TABLES) {
      const out = Object.entries(outputs).find(([k]) => k.toLowerCase() === `${t.id}tablename`);
      expect(out?.[1].Value).toEqual({ Ref: tableLogicalId(dev, t.id) });
    }
  });
});

/** The memory size lib/constructs/voice-function.ts MEMORY_MB gives the function of a construct id (`TicketsApi` → tickets-api). */
const memoryOfConstruct = (cid: string): number => {
  const name = (Object.keys(MEMORY_MB) as Array<keyof typeof MEMORY_MB>).find((n) => constructIdOf(n) === cid);
  if (!name) throw new Error(`no MEMORY_MB entry for construct ${cid}`);
  return MEMORY_MB[name];
};

describe('functions', () => {
  it("makes one function per FunctionId, plus spool-replay, notice-replay, the escalation schedule's and the fallback", () => {
    dev.voice.resourceCountIs('AWS::Lambda::Function', FUNCTION_IDS.length + 4);
    for (const id of FUNCTION_IDS) {
      const p = dev.json.Resources[functionLogicalId(dev, constructIdOf(id))]!.Properties!;
      expect(p.Description).toBe(FUNCTIONS[id].description);
      expect(p.Handler).toBe(`index.${FUNCTIONS[id].handler}`);
    }
    expect(dev.json.Resources[functionLogicalId(dev, 'SpoolReplay')]!.Properties!.Description).toBe(SPOOL_REPLAY.description);
    expect(dev.json.Resources[functionLogicalId(dev, 'NoticeReplay')]!.Properties!.Description).toBe(NOTICE_REPLAY.description);
  });

  it.each(VOICE_FUNCTION_CONSTRUCTS)(
    '%s: nodejs24.x, arm64, its measured memory size (MEMORY_MB), X-Ray, JSON logs into its own log group with retention',
    (cid) => {
      for (const b of [dev, prod]) {
        const p = b.json.Resources[functionLogicalId(b, cid)]!.Properties!;
        expect(p.Runtime).toBe('nodejs24.x');
        expect(p.Architectures).toEqual(['arm64']);
        expect(p.MemorySize).toBe(memoryOfConstruct(cid));
        expect(p.TracingConfig).toEqual({ Mode: 'Active' });
        expect(p.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: b === prod ? 'INFO' : 'DEBUG' });
        const logGroup = b.json.Resources[p.LoggingConfig.LogGroup.Ref]!;
        expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
        expect(logGroup.Properties!.RetentionInDays).toBe(b === prod ? 90 : 14);
        expect(logGroup.DeletionPolicy).toBe(b === prod ? 'Retain' : 'Delete');
      }
    },
  );

  it('gives every webhook function at most 10 s (Twilio gives up at 15 s)', () => {
    for (const id of FUNCTION_IDS) {
      expect(dev.json.Resources[functionLogicalId(dev, constructIdOf(id))]!.Properties!.Timeout).toBeLessThanOrEqual(10);
    }
  });

  it.each(VOICE_FUNCTION_CONSTRUCTS)('%s: Powertools and source-map variables', (cid) => {
    expect(env(dev, cid)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'support-line',
      POWERTOOLS_METRICS_NAMESPACE: 'SupportLine',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(env(prod, cid)).toMatchObject({ POWERTOOLS_LOG_LEVEL: 'INFO' });
  });

  /** Which tables each function's config names (functions/config.ts requires these). */
  const TABLES_OF: Record<string, string[]> = {
    Voice: ['directory', 'calls', 'tickets'],
    Agent: ['directory', 'calls', 'tickets'],
    Status: ['directory', 'calls', 'tickets'],
    TicketsApi: ['tickets'],
    BoardApi: ['directory', 'calls', 'tickets'],
    SpoolReplay: ['calls', 'tickets'],
    NoticeReplay: ['calls', 'tickets'],
    Health: ['tickets'],
  };

  it('covers every function in the table map', () => {
    expect(Object.keys(TABLES_OF).sort()).toEqual([...VOICE_FUNCTION_CONSTRUCTS].sort());
  });

  it.each(Object.entries(TABLES_OF))('%s: TABLE_* variables name exactly the bound tables', (cid, ids) => {
    const e = env(dev, cid);
    for (const t of TABLES) {
      if (ids.includes(t.id)) expect(str(e[tableEnvVar(t.id)])).toContain(tableLogicalId(dev, t.id));
      else expect(e[tableEnvVar(t.id)]).toBeUndefined();
    }
  });

  it('sets the messaging and configuration variables where they are used', () => {
    const secretId = resourcesOf(dev, 'AWS::SecretsManager::Secret')[0]![0];
    for (const cid of ['Voice', 'Agent', 'Status']) expect(env(dev, cid).SECRETS_ARN).toEqual({ Ref: secretId });
    for (const cid of ['TicketsApi', 'SpoolReplay', 'NoticeReplay']) expect(env(dev, cid).SECRETS_ARN).toBeUndefined();
    for (const cid of ['Voice', 'Agent', 'Status']) expect(env(dev, cid).SES_FROM).toBe('support@example.com');
    expect(env(dev, 'Voice').PAGER_TOPIC_ARN).toEqual({ Ref: dev.stacks.voice.getLogicalId(dev.stacks.voice.pagerTopic.node.defaultChild as CfnElement) });
    expect(env(dev, 'Voice').SPOOL_QUEUE_URL).toEqual({ Ref: dev.stacks.voice.getLogicalId(dev.stacks.voice.spoolQueue.node.defaultChild as CfnElement) });
    expect(env(dev, 'Voice').NOTICE_QUEUE_URL).toEqual({ Ref: dev.stacks.voice.getLogicalId(dev.stacks.voice.noticeQueue.node.defaultChild as CfnElement) });
    // The notice consumer sends what the voice function would have: the same sender, the same pager topic.
    expect(env(dev, 'NoticeReplay').SES_FROM).toBe('support@example.com');
    expect(env(dev, 'NoticeReplay').PAGER_TOPIC_ARN).toEqual(env(dev, 'Voice').PAGER_TOPIC_ARN);
    // Without a custom domain the functions rebuild the URL from the request: no PUBLIC_BASE_URL.
    for (const cid of VOICE_FUNCTION_CONSTRUCTS) expect(env(dev, cid).PUBLIC_BASE_URL).toBeUndefined();
    for (const cid of ['Voice', 'Agent', 'Status']) expect(env(prod, cid).PUBLIC_BASE_URL).toBe('https://voice.example.org');
    for (const cid of ['Voice', 'Agent']) {
      expect(env(prod, cid)).toMatchObject({
        TASKROUTER_WORKSPACE_SID: PROD_CONTEXT.taskRouterWorkspaceSid,
        TASKROUTER_WORKFLOW_SID: PROD_CONTEXT.taskRouterWorkflowSid,
      });
    }
    expect(env(prod, 'Voice')).toMatchObject({ SMS_SENDER_ID: 'Support', SES_CONFIGURATION_SET: 'support-line', SES_FROM: 'help@support.example.org' });
    expect(env(prod, 'TicketsApi').PUBLIC_BASE_URL).toBeUndefined();
    // IAM-authorised on AWS: no API_TOKEN, an explicit marker instead.
    expect(env(dev, 'TicketsApi').API_AUTH).toBe('iam');
  });

  it('puts no secret value in any environment variable', () => {
    for (const b of [dev, prod]) {
      for (const [, fn] of resourcesOf(b, 'AWS::Lambda::Function')) {
        const vars = (fn.Properties!.Environment?.Variables ?? {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(vars)) {
          expect(name).not.toMatch(/TOKEN|PASSWORD|PRIVATE|HASH_KEY|API_KEY|SECRET(?!S_ARN$)/);
          const s = str(value);
          expect(s).not.toMatch(/resolve:secretsmanager|SecretString|SET-ME|twilioAuthToken|codeHashKey/);
          // Literal values are configuration (names, ids, URLs, addresses), never long random strings.
          if (typeof value === 'string') expect(value).not.toMatch(/^[A-Za-z0-9+/=_-]{40,}$/);
        }
      }
    }
  });

  it('refuses a secret-looking environment variable at synth time', async () => {
    const { VoiceFunction } = await import('../../lib/constructs/voice-function.js');
    const { App, RemovalPolicy } = await import('aws-cdk-lib');
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
    const fn = new VoiceFunction(stack, 'F', {
      ...FUNCTIONS.voice,
      logLevel: 'INFO',
      logRetention: 14,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    expect(() => fn.addEnvironment('TWILIO_AUTH_TOKEN', 'x')).toThrow(/looks like a secret/);
    expect(() => fn.addEnvironment('CODE_HASH_KEY', 'x')).toThrow(/looks like a secret/);
    expect(() => fn.bindTable(dev.stacks.data.tables.tickets, 'read', ['nope'])).toThrow(/no index "nope"/);
  });
});

describe('least privilege', () => {
  const fnStatements = (b: Built, cid: string) => roleStatements(b, functionLogicalId(b, cid));

  it('attaches no managed policy to any function role', () => {
    for (const [, r] of resourcesOf(dev, 'AWS::IAM::Role')) expect(r.Properties!.ManagedPolicyArns).toBeUndefined();
  });

  it('grants "*" resources to X-Ray actions only', () => {
    for (const b of [dev, prod]) {
      for (const [, p] of [...resourcesOf(b, 'AWS::IAM::Policy'), ...resourcesOf(b, 'AWS::IAM::ManagedPolicy')]) {
        for (const s of p.Properties!.PolicyDocument.Statement) {
          const resources = s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource];
          if (resources.includes('*')) expect(actionsOf(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
          for (const a of actionsOf(s)) expect(a).not.toMatch(/^[a-z0-9-]+:\*$|^\*$/);
        }
      }
    }
  });

  it('tickets-api: reads tickets (its two indexes), writes only by PutItem (escalate); no secret, no messaging', () => {
    const ss = fnStatements(dev, 'TicketsApi');
    const actions = allActions(ss);
    for (const a of TABLE_WRITE_ACTIONS.filter((w) => w !== 'dynamodb:PutItem')) expect(actions).not.toContain(a);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((a) => /^(secretsmanager|sns|ses|sqs|kms):/.test(a))).toEqual([]);
    const indexResources = ss.filter((s) => str(s.Resource).includes('/index/')).map((s) => str(s.Resource));
    expect(indexResources).toHaveLength(1);
    expect(indexResources[0]).toMatch(/\/index\/byStatus/);
    expect(indexResources[0]).toMatch(/\/index\/byOrg/);
    const dynamoResources = ss.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:'))).map((s) => str(s.Resource));
    for (const r of dynamoResources) {
      expect(r).toContain(tableLogicalId(dev, 'tickets'));
      expect(r).not.toContain(tableLogicalId(dev, 'calls'));
      expect(r).not.toContain(tableLogicalId(dev, 'directory'));
    }
  });

  it('never grants index/* and only the indexes each function queries', () => {
    const indexesOf = (cid: string) =>
      fnStatements(dev, cid)
        .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
        .map(str)
        .flatMap((r) => [...r.matchAll(/\/index\/([A-Za-z*]+)/g)].map((m) => m[1]))
        .sort();
    expect(indexesOf('Voice')).toEqual(['byOrg']);
    expect(indexesOf('Agent')).toEqual(['queue']);
    expect(indexesOf('Status')).toEqual([]);
    expect(indexesOf('TicketsApi')).toEqual(['byOrg', 'byStatus']);
    expect(indexesOf('SpoolReplay')).toEqual([]);
    expect(indexesOf('NoticeReplay')).toEqual([]);
  });

  it('directory is read-only for every function', () => {
    for (const cid of VOICE_FUNCTION_CONSTRUCTS) {
      for (const s of fnStatements(dev, cid).filter((x) => str(x.Resource).includes(tableLogicalId(dev, 'directory')))) {
        for (const a of TABLE_WRITE_ACTIONS) expect(actionsOf(s)).not.toContain(a);
      }
    }
  });

  it('voice: SES only on the sender identity, only From the configured address', () => {
    for (const [b, from, domain] of [
      [dev, 'support@example.com', 'example.com'],
      [prod, 'help@support.example.org', 'support.example.org'],
    ] as const) {
      const ses = fnStatements(b, 'Voice').filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
      expect(ses).toHaveLength(1);
      expect(actionsOf(ses[0]!)).toEqual(['ses:SendEmail']);
      expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': from } });
      const resources = (ses[0]!.Resource as unknown[]).map(str);
      expect(resources[0]).toMatch(new RegExp(`:identity/${from.replace('.', '\\.')}"`));
      expect(resources[1]).toMatch(new RegExp(`:identity/${domain.replace('.', '\\.')}"`));
      for (const r of resources) expect(r).not.toContain('*');
      if (b === prod) expect(resources[2]).toMatch(/:configuration-set\/support-line"/);
      else expect(resources).toHaveLength(2);
    }
  });

  it('SMS: sns:Publish to phone numbers only (NotResource every SNS ARN); topics by name', () => {
    for (const cid of ['Voice', 'Agent', 'Status']) {
      const sms = fnStatements(dev, cid).filter((s) => s.NotResource !== undefined);
      expect(sms).toHaveLength(1);
      expect(sms[0]!.Action).toBe('sns:Publish');
      expect(str(sms[0]!.NotResource)).toMatch(/":sns:\*:\*:\*"/);
    }
    const pager = fnStatements(dev, 'Voice').filter((s) => s.Resource !== undefined && actionsOf(s).includes('sns:Publish'));
    expect(pager.map((s) => s.Resource)).toEqual([{ Ref: dev.stacks.voice.getLogicalId(dev.stacks.voice.pagerTopic.node.defaultChild as CfnElement) }]);
    for (const cid of ['TicketsApi', 'SpoolReplay'])
      expect(allActions(fnStatements(dev, cid)).filter((a) => a.startsWith('sns:') || a.startsWith('ses:'))).toEqual([]);
    // The notice consumer texts, emails and pages: the pager topic by name, SMS to numbers only.
    const noticePager = fnStatements(dev, 'NoticeReplay').filter((s) => s.Resource !== undefined && actionsOf(s).includes('sns:Publish'));
    expect(noticePager.map((s) => s.Resource)).toEqual(pager.map((s) => s.Resource));
    expect(fnStatements(dev, 'NoticeReplay').filter((s) => s.NotResource !== undefined)).toHaveLength(1);
    // The agents' line texts or emails status changes (notifyStatusChanges) but never pages.
    expect(fnStatements(dev, 'Agent').filter((s) => s.Resource !== undefined && actionsOf(s).includes('sns:Publish'))).toEqual([]);
  });

  it('secret: GetSecretValue on the one secret, for the Twilio-facing functions only', () => {
    const secretId = resourcesOf(dev, 'AWS::SecretsManager::Secret')[0]![0];
    for (const cid of VOICE_FUNCTION_CONSTRUCTS) {
      const sm = fnStatements(dev, cid).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      if (TWILIO_FUNCTIONS.map(constructIdOf).includes(cid)) {
        expect(sm).toEqual([{ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } }]);
      } else expect(sm).toEqual([]);
    }
  });

  it('spool and notices: voice may only send (to each queue), the replays only consume their own', () => {
    const queueId = (q: 'spoolQueue' | 'noticeQueue') => dev.stacks.voice.getLogicalId(dev.stacks.voice[q].node.defaultChild as CfnElement);
    const sqsOf = (cid: string) => fnStatements(dev, cid).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    const voice = sqsOf('Voice');
    expect(voice.map((s) => [actionsOf(s), str(s.Resource).includes(queueId('spoolQueue')), str(s.Resource).includes(queueId('noticeQueue'))])).toEqual([
      [['sqs:SendMessage'], true, false],
      [['sqs:SendMessage'], false, true],
    ]);
    const consume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    for (const [cid, own, other] of [
      ['SpoolReplay', 'spoolQueue', 'noticeQueue'],
      ['NoticeReplay', 'noticeQueue', 'spoolQueue'],
    ] as const) {
      expect(sqsOf(cid).flatMap(actionsOf).sort()).toEqual(consume);
      for (const s of sqsOf(cid)) {
        expect(str(s.Resource)).toContain(queueId(own));
        expect(str(s.Resource)).not.toContain(queueId(other));
      }
    }
  });

  it('logs: each role writes to its own log group only', () => {
    for (const cid of VOICE_FUNCTION_CONSTRUCTS) {
      const fnId = functionLogicalId(dev, cid);
      const own = dev.json.Resources[fnId]!.Properties!.LoggingConfig.LogGroup.Ref;
      const logs = fnStatements(dev, cid).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs).toEqual([{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [own, 'Arn'] } }]);
    }
  });
});

describe('HTTP API', () => {
  it('has one route per ROUTES entry, IAM-authorised exactly for auth "api"', () => {
    // The main API's routes; the live board's own API (lib/constructs/board.ts, test/infra/board.test.ts) is apart.
    const mainApi = dev.stacks.voice.getLogicalId(dev.stacks.voice.api.node.defaultChild as CfnElement);
    const routes = resourcesOf(dev, 'AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties!)
      .filter((r) => r.ApiId.Ref === mainApi);
    expect(routes).toHaveLength(ROUTES.length);
    const integrations = Object.fromEntries(resourcesOf(dev, 'AWS::ApiGatewayV2::Integration'));
    for (const route of ROUTES) {
      const r = routes.find((x) => x.RouteKey === `${route.method} ${route.path}`);
      expect(r, `${route.method} ${route.path}`).toBeDefined();
      expect(r!.AuthorizationType ?? 'NONE').toBe(route.auth === 'api' ? 'AWS_IAM' : 'NONE');
      const integrationId = r!.Target['Fn::Join'][1][1].Ref as string;
      const uri = integrations[integrationId]!.Properties!.IntegrationUri;
      expect(uri).toEqual({ 'Fn::GetAtt': [functionLogicalId(dev, constructIdOf(route.fn)), 'Arn'] });
      expect(integrations[integrationId]!.Properties!.PayloadFormatVersion).toBe('2.0');
    }
  });

  it('stage: JSON access logs with retention, throttling set', () => {
    const [, stage] = resourcesOf(prod, 'AWS::ApiGatewayV2::Stage')[0]!;
    const p = stage.Properties!;
    expect(p.StageName).toBe('$default');
    expect(p.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    const format = JSON.parse(p.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    expect(p.AccessLogSettings.Format).not.toMatch(/querystring|\$input|body/i);
    const logGroup = prod.json.Resources[p.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]!;
    expect(logGroup.Properties!.RetentionInDays).toBe(90);
    const [, devStage] = resourcesOf(dev, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(devStage.Properties!.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 20, ThrottlingRateLimit: 10 });
  });

  it('ticket reader policy: execute-api:Invoke on the two GET ticket routes only', () => {
    const [[, policy]] = resourcesOf(dev, 'AWS::IAM::ManagedPolicy') as [[string, Resource]];
    const [statement] = policy.Properties!.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    const resources = statement.Resource.map(str);
    expect(resources).toHaveLength(2);
    expect(resources[0]).toMatch(/\/\$default\/GET\/api\/tickets"\]/);
    expect(resources[1]).toMatch(/\/\$default\/GET\/api\/tickets\/\*"\]/);
  });
});

describe('secret, topics, queues', () => {
  it('secret: generated codeHashKey, placeholder twilioAuthToken', () => {
    dev.voice.resourceCountIs('AWS::SecretsManager::Secret', 1);
    dev.voice.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { GenerateStringKey: 'codeHashKey', SecretStringTemplate: JSON.stringify({ twilioAuthToken: 'SET-ME' }), PasswordLength: 64 },
    });
    prod.voice.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('topics: KMS-encrypted with a rotating key CloudWatch may use, TLS-only', () => {
    dev.voice.resourceCountIs('AWS::SNS::Topic', 2);
    const [[keyId, key]] = resourcesOf(dev, 'AWS::KMS::Key') as [[string, Resource]];
    expect(key.Properties!.EnableKeyRotation).toBe(true);
    expect(str(key.Properties!.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    for (const [topicId, topic] of resourcesOf(dev, 'AWS::SNS::Topic')) {
      expect(topic.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      const policy = resourcesOf(dev, 'AWS::SNS::TopicPolicy').find(([, p]) => str(p.Properties!.Topics).includes(topicId));
      expect(str(policy?.[1].Properties!.PolicyDocument)).toMatch(/"aws:SecureTransport":"false"/);
    }
    prod.voice.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
    dev.voice.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('spool and notice queues and their DLQs: SSE, TLS-only, redrive; replay via SQS with partial batch failures', () => {
    dev.voice.resourceCountIs('AWS::SQS::Queue', 4);
    for (const [, q] of resourcesOf(dev, 'AWS::SQS::Queue')) expect(q.Properties!.SqsManagedSseEnabled).toBe(true);
    for (const [, p] of resourcesOf(dev, 'AWS::SQS::QueuePolicy')) expect(str(p.Properties!.PolicyDocument)).toMatch(/"aws:SecureTransport":"false"/);
    dev.voice.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    // Notices: FIFO (the per-call key deduplicates), 20 tries before the dead-letter queue, consumed with partial batch failures.
    const noticeDlqId = dev.stacks.voice.getLogicalId(dev.stacks.voice.noticeDeadLetterQueue.node.defaultChild as CfnElement);
    const noticeQueueId = dev.stacks.voice.getLogicalId(dev.stacks.voice.noticeQueue.node.defaultChild as CfnElement);
    const notices = dev.json.Resources[noticeQueueId]!.Properties!;
    expect(notices.FifoQueue).toBe(true);
    expect(dev.json.Resources[noticeDlqId]!.Properties!.FifoQueue).toBe(true);
    expect(notices.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [noticeDlqId, 'Arn'] }, maxReceiveCount: 20 });
    expect(notices.VisibilityTimeout).toBeGreaterThanOrEqual(6 * dev.json.Resources[functionLogicalId(dev, 'NoticeReplay')]!.Properties!.Timeout);
    dev.voice.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionLogicalId(dev, 'NoticeReplay') },
      EventSourceArn: { 'Fn::GetAtt': [noticeQueueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const dlqId = dev.stacks.voice.getLogicalId(dev.stacks.voice.spoolDeadLetterQueue.node.defaultChild as CfnElement);
    const queueId = dev.stacks.voice.getLogicalId(dev.stacks.voice.spoolQueue.node.defaultChild as CfnElement);
    const queue = dev.json.Resources[queueId]!.Properties!;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    const replayTimeout = dev.json.Resources[functionLogicalId(dev, 'SpoolReplay')]!.Properties!.Timeout;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * replayTimeout);
    dev.voice.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionLogicalId(dev, 'SpoolReplay') },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });
});

describe("Twilio's fallback", () => {
  it('answers any request with exactly the apology TwiML, as text/xml', async () => {
    expect(FALLBACK_TWIML).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, we are having trouble. We will call you back.</Say><Hangup/></Response>',
    );
    const module = { exports: {} as { handler?: (e: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }> } };
    runInNewContext(FALLBACK_HANDLER_SOURCE, { module, exports: module.exports });
    const res = await module.exports.handler!({ requestContext: { http: { method: 'POST' } }, body: 'CallSid=CA123', isBase64Encoded: false });
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toMatch(/^text\/xml\b/);
    expect(res.body).toBe(FALLBACK_TWIML);
  });

  it('is deployed as that exact inline code behind an unauthenticated Function URL, with no access to anything', () => {
    const fnId = functionLogicalId(dev, 'TwilioFallback');
    const p = dev.json.Resources[fnId]!.Properties!;
    expect(p.Code).toEqual({ ZipFile: FALLBACK_HANDLER_SOURCE });
    expect(p.Runtime).toBe('nodejs24.x');
    expect(p.Environment).toBeUndefined();
    expect(p.ReservedConcurrentExecutions).toBe(5);
    dev.voice.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    expect(allActions(roleStatements(dev, fnId)).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('can run unreserved on accounts with a small concurrency quota', () => {
    const b = build({ ...DEV_CONTEXT, fallbackReservedConcurrency: 'none' });
    expect(b.json.Resources[functionLogicalId(b, 'TwilioFallback')]!.Properties!.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('alarms', () => {
  const alarms = (b: Built) => resourcesOf(b, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const alarmTopicRef = (b: Built) => ({ Ref: b.stacks.voice.getLogicalId(b.stacks.voice.alarmTopic.node.defaultChild as CfnElement) });

  it('all go to the alarm topic', () => {
    for (const a of alarms(dev)) expect(a.AlarmActions).toEqual([alarmTopicRef(dev)]);
  });

  it.each(VOICE_FUNCTION_CONSTRUCTS)('%s: Errors and Throttles', (cid) => {
    const fnRef = { Ref: functionLogicalId(dev, cid) };
    for (const metric of ['Errors', 'Throttles']) {
      const found = alarms(dev).filter((a) => a.MetricName === metric && str(a.Dimensions) === str([{ Name: 'FunctionName', Value: fnRef }]));
      expect(found, `${cid} ${metric}`).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('DynamoDB ThrottledRequests per table', () => {
    for (const t of TABLES) {
      const found = alarms(dev).filter((a) => a.Metrics && str(a.Metrics).includes('ThrottledRequests') && str(a.Metrics).includes(tableLogicalId(dev, t.id)));
      expect(found, t.id).toHaveLength(1);
      expect(found[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('a burst of failed verifications and a top-priority ticket', () => {
    expect(alarms(dev).filter((a) => a.MetricName === 'VerificationFailed')).toEqual([
      expect.objectContaining({
        Namespace: 'SupportLine',
        Dimensions: [{ Name: 'service', Value: 'support-line' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: VERIFICATION_FAILED_THRESHOLD,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
    expect(VERIFICATION_FAILED_THRESHOLD).toBe(20);
    expect(alarms(dev).filter((a) => a.MetricName === 'TopPriorityTicket')).toEqual([
      expect.objectContaining({ Namespace: 'SupportLine', Dimensions: [{ Name: 'service', Value: 'support-line' }], Statistic: 'Sum', Threshold: 1 }),
    ]);
  });

  it('spool and notice dead letters, lost pages and fallback use', () => {
    for (const q of ['spoolDeadLetterQueue', 'noticeDeadLetterQueue'] as const) {
      const dlqName = { 'Fn::GetAtt': [dev.stacks.voice.getLogicalId(dev.stacks.voice[q].node.defaultChild as CfnElement), 'QueueName'] };
      expect(
        alarms(dev).filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && str(a.Dimensions).includes(str(dlqName))),
        q,
      ).toHaveLength(1);
    }
    expect(alarms(dev).filter((a) => a.MetricName === 'PageLost')).toEqual([
      expect.objectContaining({ Namespace: 'SupportLine', Dimensions: [{ Name: 'service', Value: 'support-line' }], Statistic: 'Sum', Threshold: 1 }),
    ]);
    const fallbackRef = { Ref: functionLogicalId(dev, 'TwilioFallback') };
    expect(alarms(dev).filter((a) => a.MetricName === 'Invocations' && str(a.Dimensions).includes(str(fallbackRef)))).toHaveLength(1);
  });
});

describe('outputs', () => {
  it('dev: URLs on the execute-api endpoint, fallback on its Function URL', () => {
    const o = dev.json.Outputs;
    for (const [name, path] of [
      ['VoiceUrl', 'twilio/voice'],
      ['StatusUrl', 'twilio/status'],
      ['TicketsApiUrl', 'api/tickets'],
    ] as const) {
      const s = str(o[name]!.Value);
      expect(s).toContain('.execute-api.');
      expect(s).toMatch(new RegExp(`/${path}"\\]\\]\\}$`));
    }
    const urlId = dev.stacks.voice.getLogicalId(dev.stacks.voice.fallback.url.node.defaultChild as CfnElement);
    expect(o.FallbackUrl!.Value).toEqual({ 'Fn::GetAtt': [urlId, 'FunctionUrl'] });
  });

  it('prod with a custom domain: URLs on publicBaseUrl', () => {
    const o = prod.json.Outputs;
    expect(o.VoiceUrl!.Value).toBe('https://voice.example.org/twilio/voice');
    expect(o.StatusUrl!.Value).toBe('https://voice.example.org/twilio/status');
    expect(o.TicketsApiUrl!.Value).toBe('https://voice.example.org/api/tickets');
    expect(str(o.ApiEndpoint!.Value)).toContain('.execute-api.');
  });

  it('every webhook route the outputs name exists in ROUTES', () => {
    for (const path of ['/twilio/voice', '/twilio/status', '/api/tickets']) expect(ROUTES.some((r) => r.path === path)).toBe(true);
  });
});

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  const packs = () => [new AwsSolutionsChecks(), new ServerlessChecks()];
  const format = (vs: PolicyViolation[]) =>
    vs.map((v) => `${v.ruleName}: ${v.description}\n    ${v.violatingResources.map((r) => r.constructPath).join('\n    ')}`).join('\n');

  it.each(['dev', 'prod'])('%s: no finding left unacknowledged', (stage) => {
    const b = stage === 'dev' ? dev : prod;
    const violations = packs().flatMap((p) => p.validateScope(b.app).violations);
    expect(violations, format(violations)).toEqual([]);
  });

  /** Every acknowledgement in the tree: where, which rule, why. */
  const acknowledgements = (b: Built) =>
    b.app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) =>
            Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason })),
          ),
      );

  it('acknowledges each finding with a reason a reviewer can check', () => {
    const acks = [...acknowledgements(dev), ...acknowledgements(prod)];
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^(AwsSolutions|Serverless)-/);
      expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThanOrEqual(100);
    }
    // The distinct rules acknowledged; a new one is a visible change to review.
    expect([...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR3',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaTracing',
      'Serverless-SNSRedrivePolicy',
      'Serverless-SQSRedrivePolicy',
    ]);
    // Only the twilio routes and the public OpenAPI description (contract v2 §5) skip IAM.
    expect(acknowledgements(dev).filter((a) => a.id === 'AwsSolutions-APIG4')).toHaveLength(
      ROUTES.filter((r) => r.auth === 'twilio' || r.auth === 'public').length,
    );
  });

  it.each(['dev', 'prod'])('%s: no stale acknowledgement (each one silences a real finding beneath it)', (stage) => {
    const b = stage === 'dev' ? dev : prod;
    const raw = packs().flatMap((p) => {
      (p as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      return p.validateScope(b.app).violations;
    });
    expect(raw.length).toBeGreaterThan(0);
    for (const a of acknowledgements(b)) {
      const hit = raw.some(
        (v) => v.ruleName === a.id && v.violatingResources.some((r) => r.constructPath === a.path || r.constructPath?.startsWith(`${a.path}/`)),
      );
      expect(hit, `${a.path}: ${a.id}`).toBe(true);
    }
  });
});
