import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Aws, Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IGrantable, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableEnvVar } from '../../functions/adapters/dynamodb/tables.js';
import { ENV } from '../../functions/env.js';
import type { SupportTable } from '../data-stack.js';

/** Project root: entries in functions/routes.ts are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Twilio abandons a webhook after 15 s and then plays its own error (or the fallback URL). A
 * function that is still running at that point only burns money, and its answer is lost; 10 s leaves
 * room for API Gateway and the network and still ends in our own spoken apology.
 */
export const WEBHOOK_TIMEOUT = Duration.seconds(10);

/**
 * Memory (and so CPU: Lambda gives one full vCPU at 1,769 MB, proportionally less below) per function,
 * chosen by the measured cost/latency table of `npm run bench` (bench/power.ts, docs/benchmarks.md
 * "Memory size"): the cheapest size whose simulated warm p99 and cold init stay within the bench's targets
 * and that holds 1.5x the function's peak RSS. The bench re-checks these against every run's table.
 */
export const MEMORY_MB = {
  voice: 768,
  agent: 768,
  status: 768,
  'tickets-api': 768,
  'spool-replay': 512,
  // Not in the sweep's table yet: the spool replay's size, a consumer of the same kind, until the bench measures it.
  'notice-replay': 512,
  // Its cold start only (no warm workload in the sweep yet): the size the table chooses for it.
  'board-api': 512,
  // Not measured: the health probe loads the DynamoDB client alone, as spool-replay does.
  health: 512,
} as const satisfies Record<string, number>;

/** Size of a function whose entry is not in MEMORY_MB. */
export const DEFAULT_MEMORY_MB = 1024;

/** The memory size of the function with this entry (functions/routes.ts FUNCTIONS, SPOOL_REPLAY). */
export function memoryFor(entry: string): number {
  const name = /functions\/handlers\/([\w-]+)\.ts$/.exec(entry)?.[1];
  return name && name in MEMORY_MB ? MEMORY_MB[name as keyof typeof MEMORY_MB] : DEFAULT_MEMORY_MB;
}

/**
 * esbuild options shared by every function.
 * - ESM (`index.mjs`) rather than CJS: with `mainFields: module,main` dependencies resolve to their
 *   ES builds, which esbuild tree-shakes best (a probe with Powertools Logger + Metrics + middy +
 *   lib-dynamodb bundled to 37.2 KB as ESM vs 37.8 KB as CJS), and top-level await can read the
 *   secret once per cold start. The banner recreates `require` for CommonJS dependencies that
 *   `require()` Node built-ins (esbuild would otherwise throw "Dynamic require ... not supported").
 * - The AWS SDK is bundled, not left to the runtime's copy: measured by `npm run bench` (docs/benchmarks.md,
 *   "Bundles and cold start"), a fresh process with `--enable-source-maps` loading the bundle with the SDK
 *   inside starts faster and uses less CPU than loading the same bundle plus the SDK's hundreds of small
 *   files from node_modules, at about 600 KB instead of 140 KB. It also pins the SDK version we test with.
 * - Minified, with an external source map without sources content (stack traces map back to the
 *   TypeScript lines via NODE_OPTIONS=--enable-source-maps without shipping the sources twice).
 * - A metafile (`index.meta.json`) so the bundle budget test can name the biggest inputs.
 */
/**
 * Module aliases of the deployed bundles. twilio's `VoiceResponse` builds TwiML on `xmlbuilder` (58 KB
 * minified, most of each webhook bundle); the functions only need the five calls VoiceResponse makes, so
 * bundles get `functions/adapters/twilio/xmlbuilder-lite.ts`, proven byte-identical by
 * test/adapters/twilio/xmlbuilder-lite.test.ts. Tests and local mode keep the real xmlbuilder.
 */
export const ESBUILD_ALIAS: Record<string, string> = {
  xmlbuilder: join(PROJECT_ROOT, 'functions/adapters/twilio/xmlbuilder-lite.ts'),
};

export const BUNDLING = {
  esbuildArgs: Object.fromEntries(Object.entries(ESBUILD_ALIAS).map(([k, v]) => [`--alias:${k}`, v])),
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  metafile: true,
  externalModules: [] as string[],
  forceDockerBundling: false,
} as const;

/**
 * Environment variable names that must never carry a value: secrets live in Secrets Manager and
 * are read at cold start through SECRETS_ARN (anyone with lambda:GetFunctionConfiguration can read
 * environment variables, and they appear in CloudFormation templates).
 */
const SECRET_LOOKING_ENV = /TOKEN|PASSWORD|PRIVATE|HASH_KEY|API_KEY|SECRET(?!S_ARN$)/;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface VoiceFunctionProps {
  /** Handler file, relative to the project root (as in functions/routes.ts). */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly description: string;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  /** RETAIN in prod (evidence after an incident), DESTROY in dev (no orphaned groups). */
  readonly logRemovalPolicy: RemovalPolicy;
  /** @default WEBHOOK_TIMEOUT (10 s) */
  readonly timeout?: Duration;
  /** @default memoryFor(entry): MEMORY_MB */
  readonly memorySize?: number;
  /** Extra non-secret configuration. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Concurrency reserved for (and capping) this function; none by default. */
  readonly reservedConcurrency?: number;
}

/** Email permissions: one sender identity, one From address. */
export interface EmailBinding {
  /** ARNs of the SES identities the From address is verified under (address and/or its domain). */
  readonly identityArns: readonly string[];
  readonly fromAddress: string;
  readonly configurationSetName?: string;
}

/**
 * A support-line Lambda function with the project's defaults (nodejs24.x on arm64, ESM bundle,
 * JSON logs into a log group with retention, X-Ray, Powertools service/namespace), an execution
 * role that starts empty, and binders that add a grant and the environment variable naming the
 * granted resource in one call, so a function is never told about a resource it may not use, nor
 * granted one it is not told about.
 */
export class VoiceFunction extends Construct implements IGrantable {
  readonly lambda: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;
  private readonly boundTables = new Set<string>();

  constructor(scope: Construct, id: string, props: VoiceFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // Our own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which may write to any log group in the account; this one may write to its own group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    this.grantPrincipal = this.role;
    this.logGroup.grantWrite(this.role);

    const environment: Record<string, string> = {
      [ENV.powertoolsServiceName]: 'support-line',
      [ENV.powertoolsMetricsNamespace]: 'SupportLine',
      [ENV.powertoolsLogLevel]: props.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
      ...props.environment,
    };
    for (const name of Object.keys(environment)) assertNotSecret(name);

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: props.handler,
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? memoryFor(props.entry),
      timeout: props.timeout ?? WEBHOOK_TIMEOUT,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      tracing: Tracing.ACTIVE,
      environment,
      bundling: { ...BUNDLING, esbuildArgs: { ...BUNDLING.esbuildArgs }, mainFields: [...BUNDLING.mainFields], externalModules: [...BUNDLING.externalModules] },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) uses Resource "*": X-Ray defines no resource types, so it cannot be scoped. test/infra asserts no other action is granted on "*".',
    });
  }

  /** Adds a statement to this function's own role (never to a shared one). */
  addToRolePolicy(statement: PolicyStatement): void {
    this.lambda.addToRolePolicy(statement);
  }

  /** Sets a non-secret environment variable; refuses secret-looking names (see SECRET_LOOKING_ENV). */
  addEnvironment(key: string, value: string): this {
    assertNotSecret(key);
    this.lambda.addEnvironment(key, value);
    return this;
  }

  /**
   * Grants table access and sets TABLE_<ID> together.
   * @param indexes GSIs the function queries; each gets dynamodb:Query only, nothing is granted on
   *   `index/*`, so a new index does not silently widen every function's reach.
   * @param options.scan also allow dynamodb:Scan on the table (only a listing without any filter needs it).
   * @param options.delete also allow dynamodb:DeleteItem ('readWrite' is PutItem and UpdateItem only: no
   *   function deletes items but the agent sign-in lock's clear, and none writes in batches).
   */
  bindTable(t: SupportTable, access: 'read' | 'readWrite', indexes: readonly string[] = [], options: { scan?: boolean; delete?: boolean } = {}): this {
    if (this.boundTables.has(t.def.id)) throw new Error(`${this.node.path}: table ${t.def.id} bound twice`);
    this.boundTables.add(t.def.id);
    for (const name of indexes) {
      if (!t.def.indexes.some((i) => i.name === name)) {
        throw new Error(`${this.node.path}: table ${t.def.id} has no index "${name}" (tables.ts: ${t.def.indexes.map((i) => i.name).join(', ') || 'none'})`);
      }
    }
    const actions: string[] = access === 'read' ? [...TABLE_READ_ACTIONS] : [...TABLE_READ_ACTIONS, ...ITEM_WRITE_ACTIONS];
    if (options.delete) {
      if (access !== 'readWrite') throw new Error(`${this.node.path}: table ${t.def.id}: delete needs readWrite access`);
      actions.push('dynamodb:DeleteItem');
    }
    if (options.scan) actions.push('dynamodb:Scan');
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [t.table.tableArn] }));
    if (indexes.length > 0) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes.map((name) => `${t.table.tableArn}/index/${name}`) }));
    }
    this.addEnvironment(tableEnvVar(t.def.id), t.table.tableName);
    return this;
  }

  /** GetSecretValue on the one secret and SECRETS_ARN (the ARN, never the value). */
  bindSecret(secret: ISecret): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    if (secret.encryptionKey) secret.encryptionKey.grantDecrypt(this);
    this.addEnvironment(ENV.secretsArn, secret.secretArn);
    return this;
  }

  /**
   * sns:Publish on this topic and `envName` = the topic ARN. For an encrypted topic the publisher
   * also needs kms:GenerateDataKey and kms:Decrypt on its key (not the `GenerateDataKey*` family
   * that topic.grantPublish() grants).
   */
  bindTopic(topic: ITopic, envName: string): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] }));
    }
    this.addEnvironment(envName, topic.topicArn);
    return this;
  }

  /** sqs:SendMessage on this queue and `envName` = the queue URL. */
  bindQueueSender(queue: IQueue, envName: string): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    if (queue.encryptionMasterKey) queue.encryptionMasterKey.grantEncryptDecrypt(this);
    this.addEnvironment(envName, queue.queueUrl);
    return this;
  }

  /**
   * Text messages straight to phone numbers. SNS gives SMS-to-a-number no resource ARN (the request's
   * resource is "*"), so Resource cannot name it; instead the grant uses NotResource on every SNS ARN:
   * it allows publishing to a phone number and nothing else (no topic, no platform endpoint, in any
   * account). Topics the function may use are granted separately by name.
   */
  allowSms(senderId?: string): this {
    this.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`] }));
    if (senderId) this.addEnvironment(ENV.smsSenderId, senderId);
    return this;
  }

  /**
   * ses:SendEmail on the sender identity only (not identity/*), and only with the configured From
   * address (ses:FromAddress), so a bug cannot send as another verified identity of the account.
   */
  allowEmail(email: EmailBinding): this {
    const resources = [...email.identityArns];
    if (email.configurationSetName) {
      resources.push(`arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${email.configurationSetName}`);
    }
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources,
        conditions: { StringEquals: { 'ses:FromAddress': email.fromAddress } },
      }),
    );
    this.addEnvironment(ENV.sesFrom, email.fromAddress);
    if (email.configurationSetName) this.addEnvironment(ENV.sesConfigurationSet, email.configurationSetName);
    return this;
  }
}

/** Item reads; TransactGetItems is authorised per item as GetItem. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
/** Every item write there is; TransactWriteItems is authorised per item as Put/Update/Delete/ConditionCheck. No table admin. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
/** What 'readWrite' grants: the functions put and update items; DeleteItem only by option, BatchWriteItem never. */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

function assertNotSecret(name: string): void {
  if (SECRET_LOOKING_ENV.test(name)) {
    throw new Error(`Environment variable ${name} looks like a secret; put it in the Secrets Manager secret (SECRETS_ARN) instead`);
  }
}
