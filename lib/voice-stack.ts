import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ManagedPolicy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTIONS, ROUTES, type FunctionId } from '../functions/routes.js';
import type { StageConfig } from './config.js';
import { TwilioFallback } from './constructs/twilio-fallback.js';
import { Board } from './constructs/board.js';
import { EscalationSchedule } from './constructs/escalation-schedule.js';
import { VoiceFunction, type EmailBinding, type LogLevel } from './constructs/voice-function.js';
import type { SupportTable, TableId } from './data-stack.js';
import { ENV } from '../functions/env.js';

/** The SQS-driven function that replays tickets the voice function could not store; not an HTTP route. */
export const SPOOL_REPLAY = {
  entry: 'functions/handlers/spool-replay.ts',
  handler: 'handler',
  description: 'Replays spooled tickets (DynamoDB was unavailable during the call) idempotently',
} as const;

/** The SQS-driven function that delivers confirmations and pages that failed inline (the notice queue). */
export const NOTICE_REPLAY = {
  entry: 'functions/handlers/notice-replay.ts',
  handler: 'handler',
  description: 'Delivers queued ticket confirmations and pages once per call, after an inline failure or a DynamoDB outage',
} as const;

/** Threshold of the failed-verification burst alarm: 20 failures in 5 minutes is guessing, not forgetting. */
export const VERIFICATION_FAILED_THRESHOLD = 20;

/** Signature refusals (SignatureRejected, written by functions/middleware) in 5 minutes: probing, or a misconfigured number. */
export const SIGNATURE_REJECTED_THRESHOLD = 5;
/** Requests API Gateway refused with 429 (stage throttling) in 5 minutes: callers are being turned away. */
export const API_THROTTLED_THRESHOLD = 1;
/** Wrong agent PINs in 5 minutes, any agent id: more than two lock-outs' worth (5 each) is guessing. */
export const AGENT_SIGN_IN_FAILED_THRESHOLD = 10;
/** The agent flow's log message for a wrong PIN (functions/app/agent-flow/sign-in.ts); the metric filter counts it. */
export const AGENT_SIGN_IN_FAILED_MESSAGE = 'agent sign-in failed';

/** DynamoDB operations the functions use; their ThrottledRequests are summed per table (metric math allows 10). */
const THROTTLE_OPERATIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
];

export interface VoiceStackProps extends StackProps {
  readonly config: StageConfig;
  /** The tables of the data stack (received, never created here). */
  readonly tables: Readonly<Record<TableId, SupportTable>>;
}

/** Everything a function may be bound to. */
interface Shared {
  readonly config: StageConfig;
  readonly tables: Readonly<Record<TableId, SupportTable>>;
  readonly secret: ISecret;
  readonly pagerTopic: ITopic;
  readonly spoolQueue: IQueue;
  readonly noticeQueue: IQueue;
  readonly email: EmailBinding;
}

/**
 * What each function may touch, in one place (least privilege). Keyed by FunctionId, so adding a
 * function to functions/routes.ts fails type-checking here until its permissions are decided.
 */
const WIRING: Record<FunctionId, (fn: VoiceFunction, s: Shared) => void> = {
  voice: (fn, s) => {
    fn.bindTable(s.tables.directory, 'read')
      .bindTable(s.tables.calls, 'readWrite')
      .bindTable(s.tables.tickets, 'readWrite', ['byOrg'])
      .bindSecret(s.secret)
      .allowSms(s.config.smsSenderId)
      .allowEmail(s.email)
      .bindTopic(s.pagerTopic, ENV.pagerTopicArn)
      .bindQueueSender(s.spoolQueue, ENV.spoolQueueUrl)
      .bindQueueSender(s.noticeQueue, ENV.noticeQueueUrl);
    setTwilioEnv(fn, s.config);
  },
  // The agents' line is a Twilio webhook too: it needs the secret to check signatures and hash PINs, and
  // texts or emails an organization whose plan has notifyStatusChanges when an agent takes its ticket.
  // DeleteItem on calls only: a correct PIN clears the agent id's sign-in lock item (agent-lock-store.ts clear()).
  agent: (fn, s) => {
    fn.bindTable(s.tables.directory, 'read')
      .bindTable(s.tables.calls, 'readWrite', [], { delete: true })
      .bindTable(s.tables.tickets, 'readWrite', ['queue'])
      .bindSecret(s.secret)
      .allowSms(s.config.smsSenderId)
      .allowEmail(s.email);
    setTwilioEnv(fn, s.config);
  },
  // Reads the directory for the organisation's contacts when a call ends (functions/config.ts requires it).
  status: (fn, s) => {
    fn.bindTable(s.tables.directory, 'read')
      .bindTable(s.tables.calls, 'readWrite')
      .bindTable(s.tables.tickets, 'readWrite')
      .bindSecret(s.secret)
      .allowSms(s.config.smsSenderId)
      .allowEmail(s.email);
    setTwilioEnv(fn, s.config);
  },
  // IAM-authorised: no secret (it checks no Twilio signature). Reads, plus PutItem alone for
  // POST /api/tickets/{n}/escalate (a conditional replace, ticket-store.ts replaceIf): no Update/Delete.
  // Scan only for GET /api/tickets without filters (ticket-store.ts list()); filtered lists query byStatus/byOrg.
  'tickets-api': (fn, s) => {
    fn.bindTable(s.tables.tickets, 'read', ['byStatus', 'byOrg'], { scan: true });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [s.tables.tickets.table.tableArn] }));
    // Tells the function that API Gateway's IAM authorizer has already authenticated the caller, so no
    // API_TOKEN (local mode's bearer token) exists or is needed.
    fn.addEnvironment(ENV.apiAuth, 'iam');
  },
  // Ticket actions and the board's reads (issue 16): reads the directory (schemes for a new priority, the
  // organization's contact, agents' names), scans the calls table for the agents' own calls (agent-presence.ts),
  // replaces a ticket with PutItem (a conditional compare-and-set, as escalate), and texts or emails a closure.
  'board-api': (fn, s) => {
    fn.bindTable(s.tables.directory, 'read')
      .bindTable(s.tables.calls, 'read', [], { scan: true })
      .bindTable(s.tables.tickets, 'read', ['byStatus', 'byOrg'], { scan: true })
      .allowSms(s.config.smsSenderId)
      .allowEmail(s.email);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [s.tables.tickets.table.tableArn] }));
    fn.addEnvironment('API_AUTH', 'iam');
  },
  // GET /health (public): reads one absent item of the tickets table to see the store answer; nothing else.
  health: (fn, s) => {
    fn.bindTable(s.tables.tickets, 'read');
  },
};

/** PUBLIC_BASE_URL only with a custom domain; TaskRouter sids when configured. */
function setTwilioEnv(fn: VoiceFunction, config: StageConfig): void {
  if (config.publicBaseUrl) fn.addEnvironment(ENV.publicBaseUrl, config.publicBaseUrl);
  if (config.taskRouterWorkspaceSid) fn.addEnvironment(ENV.taskRouterWorkspaceSid, config.taskRouterWorkspaceSid);
  if (config.taskRouterWorkflowSid) fn.addEnvironment(ENV.taskRouterWorkflowSid, config.taskRouterWorkflowSid);
}

/**
 * The stateless half: functions (one per FunctionId in functions/routes.ts), the HTTP API (one
 * route per ROUTES entry), the secret, topics, the spool queue, Twilio's fallback and the alarms.
 * It can be destroyed and redeployed without touching data.
 */
export class VoiceStack extends Stack {
  readonly functions: Readonly<Record<FunctionId, VoiceFunction>>;
  readonly spoolReplay: VoiceFunction;
  readonly noticeReplay: VoiceFunction;
  /** The automatic escalation's function and its EventBridge Scheduler schedule (issue 17). */
  readonly escalation: EscalationSchedule;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly secret: Secret;
  readonly alarmTopic: Topic;
  readonly pagerTopic: Topic;
  readonly spoolQueue: Queue;
  readonly spoolDeadLetterQueue: Queue;
  readonly noticeQueue: Queue;
  readonly noticeDeadLetterQueue: Queue;
  readonly fallback: TwilioFallback;
  readonly alarms: Alarm[] = [];
  /** The live board: user pool, its API and the page on S3 behind CloudFront (issue 16). */
  readonly board: Board;

  constructor(scope: Construct, id: string, props: VoiceStackProps) {
    super(scope, id, props);
    const { config, tables } = props;
    const prod = config.stage === 'prod';
    const logRetention = prod ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS;
    const logRemovalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logLevel: LogLevel = prod ? 'INFO' : 'DEBUG';

    // --- Secret: one JSON document, read once per cold start through SECRETS_ARN.
    this.secret = new Secret(this, 'Secret', {
      description: `Support line (${config.stage}): {"twilioAuthToken": set by the operator, "codeHashKey": generated}. See docs/deploy.md.`,
      generateSecretString: {
        // CloudFormation generates this once, at creation; later deploys keep whatever the operator stored.
        secretStringTemplate: JSON.stringify({ twilioAuthToken: 'SET-ME' }),
        generateStringKey: 'codeHashKey',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'twilioAuthToken is issued by Twilio and can only be rotated in the Twilio console (primary/secondary token swap), so a rotation Lambda cannot do it; codeHashKey only keys 10-minute verification codes and is rotated by the operator with the documented put-secret-value procedure (docs/deploy.md).',
    });

    // --- Topics: one customer key, because CloudWatch alarms cannot publish to a topic encrypted
    // with the AWS-managed aws/sns key (its key policy cannot grant cloudwatch.amazonaws.com).
    const messagingKey = new Key(this, 'MessagingKey', {
      description: `Support line (${config.stage}): encrypts the alarm and pager topics`,
      enableKeyRotation: true,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    messagingKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: `Support line ${config.stage} alarms`, masterKey: messagingKey, enforceSSL: true });
    if (config.alarmEmail) {
      const subscription = this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'A dead-letter queue for undeliverable alarm emails would itself need an alarm, which would travel through this same topic; the alarm state stays in CloudWatch (console, API, any other subscriber) whether or not the email arrives.',
      });
    }
    this.pagerTopic = new Topic(this, 'PagerTopic', { displayName: `Support line ${config.stage} on-call pager`, masterKey: messagingKey, enforceSSL: true });

    // --- Spool: where the voice function puts a ticket it could not store, so the caller's promise holds.
    this.spoolDeadLetterQueue = new Queue(this, 'SpoolDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.spoolDeadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the terminal dead-letter queue of the spool: a message here already failed 5 replays and waits for a person (14-day retention, alarm at depth >= 1). A further redrive would only move it out of sight.',
    });
    const spoolReplayTimeout = Duration.seconds(30);
    this.spoolQueue = new Queue(this, 'SpoolQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // AWS guidance: at least 6x the consumer's timeout, so a slow batch is not redelivered mid-run.
      visibilityTimeout: Duration.seconds(spoolReplayTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.spoolDeadLetterQueue, maxReceiveCount: 5 },
    });

    // --- Notices: confirmations and pages that failed inline, or a spooled ticket's, retried once per call.
    // FIFO: the notice's key (per call) deduplicates the copies a call's retried requests send.
    this.noticeDeadLetterQueue = new Queue(this, 'NoticeDeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.noticeDeadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the terminal dead-letter queue of the notice queue: a confirmation or page here already failed 20 deliveries and waits for a person (14-day retention, alarm at depth >= 1).',
    });
    const noticeReplayTimeout = Duration.seconds(30);
    this.noticeQueue = new Queue(this, 'NoticeQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(noticeReplayTimeout.toSeconds() * 6),
      // A confirmation waits for DynamoDB (its key is checked there): 20 tries 3 minutes apart outlast an hour's outage.
      deadLetterQueue: { queue: this.noticeDeadLetterQueue, maxReceiveCount: 20 },
    });

    const sesIdentity = (name: string): string => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${name}`;
    const shared: Shared = {
      config,
      tables,
      secret: this.secret,
      pagerTopic: this.pagerTopic,
      spoolQueue: this.spoolQueue,
      noticeQueue: this.noticeQueue,
      email: {
        // SES authorises against the identity the From address is verified under: the address itself or its domain.
        identityArns: [sesIdentity(config.sesFrom), sesIdentity(config.sesFrom.split('@')[1]!)],
        fromAddress: config.sesFrom,
        ...(config.sesConfigurationSet && { configurationSetName: config.sesConfigurationSet }),
      },
    };

    // --- Functions: one per FunctionId in the routing table.
    const functions = {} as Record<FunctionId, VoiceFunction>;
    for (const [fnId, def] of Object.entries(FUNCTIONS) as [FunctionId, (typeof FUNCTIONS)[FunctionId]][]) {
      const reserved = fnId === 'voice' && config.voiceReservedConcurrency !== 'none' ? { reservedConcurrency: config.voiceReservedConcurrency } : {};
      const fn = new VoiceFunction(this, pascal(fnId), { ...def, logLevel, logRetention, logRemovalPolicy, ...reserved });
      WIRING[fnId](fn, shared);
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway only: a failed invocation is answered to the caller (Twilio retries and then uses the fallback URL), so there is no asynchronous event a dead-letter queue could keep.',
      });
      functions[fnId] = fn;
    }
    this.functions = functions;

    this.spoolReplay = new VoiceFunction(this, 'SpoolReplay', { ...SPOOL_REPLAY, logLevel, logRetention, logRemovalPolicy, timeout: spoolReplayTimeout });
    this.spoolReplay.bindTable(tables.calls, 'readWrite').bindTable(tables.tickets, 'readWrite');
    this.spoolReplay.lambda.addEventSource(new SqsEventSource(this.spoolQueue, { batchSize: 10, reportBatchItemFailures: true }));
    Validations.of(this.spoolReplay).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Invoked only by its SQS event source mapping, never asynchronously: a message that keeps failing moves to the spool queue's own dead-letter queue (maxReceiveCount 5), which has a depth alarm. A Lambda DLQ would never receive anything.",
      },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "Lambda supports on-failure destinations only for stream and Kafka sources, not SQS; for SQS the queue's redrive policy to the spool dead-letter queue is the failure destination (alarmed at depth > 0).",
      },
    );

    this.noticeReplay = new VoiceFunction(this, 'NoticeReplay', { ...NOTICE_REPLAY, logLevel, logRetention, logRemovalPolicy, timeout: noticeReplayTimeout });
    this.noticeReplay
      .bindTable(tables.calls, 'readWrite')
      .bindTable(tables.tickets, 'readWrite')
      .allowSms(config.smsSenderId)
      .allowEmail(shared.email)
      .bindTopic(this.pagerTopic, ENV.pagerTopicArn);
    this.noticeReplay.lambda.addEventSource(new SqsEventSource(this.noticeQueue, { batchSize: 10, reportBatchItemFailures: true }));
    Validations.of(this.noticeReplay).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Invoked only by its SQS event source mapping, never asynchronously: a notice that keeps failing moves to the notice queue's own dead-letter queue (maxReceiveCount 20), which has a depth alarm.",
      },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "Lambda supports on-failure destinations only for stream and Kafka sources, not SQS; the notice queue's redrive policy is the failure destination (alarmed).",
      },
    );

    this.escalation = new EscalationSchedule(this, 'Escalation', {
      logLevel,
      logRetention,
      logRemovalPolicy,
      directory: tables.directory,
      tickets: tables.tickets,
      pagerTopic: this.pagerTopic,
    });

    // --- HTTP API: one route per ROUTES entry.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention, removalPolicy: logRemovalPolicy });
    this.api = new HttpApi(this, 'Api', {
      apiName: `support-line-${config.stage}`,
      description: 'Twilio voice webhooks and the ticket API of the support line',
      createDefaultStage: false,
    });
    this.apiStage = new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // A phone call makes about one webhook every few seconds; these limits leave room for dozens of
      // simultaneous calls while keeping a flood from exhausting the account's Lambda concurrency.
      throttle: prod ? { rateLimit: 50, burstLimit: 100 } : { rateLimit: 10, burstLimit: 20 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // JSON, without query strings or bodies (they carry phone numbers and digits callers press).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            iamUser: '$context.identity.userArn',
          }),
        ),
      },
    });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    const iam = new HttpIamAuthorizer();
    for (const route of ROUTES) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.fn)}Integration`, functions[route.fn].lambda);
        integrations.set(route.fn, integration);
      }
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.auth === 'api' && { authorizer: iam }),
      }) as [HttpRoute];
      if (route.auth === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.path === '/health'
              ? 'GET /health is the health probe of operators and uptime checks (without a token): it answers status, region and version, reads one absent item at most every few seconds, and changes nothing.'
              : 'GET /api/openapi.json is the public description of the API (contract v2 §5: without a token); it reads no data and changes nothing.',
        });
      }
      if (route.auth === 'twilio') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Twilio cannot sign requests with AWS SigV4 or present a token; it signs every webhook with X-Twilio-Signature (HMAC-SHA1 over the URL and parameters with the account auth token, or HMAC-SHA256 for webhook rules), which the function verifies before doing anything and answers 403 otherwise. Only the ticket API uses IAM.',
        });
      }
    }

    // Agents and programs reading tickets assume a role with this policy (IAM-authorised routes).
    const ticketsReader = new ManagedPolicy(this, 'TicketsApiReaderPolicy', {
      description: `Invoke the support line (${config.stage}) ticket API: GET /api/tickets and /api/tickets/{number}`,
      statements: [
        new PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [this.api.arnForExecuteApi('GET', '/api/tickets', '$default'), this.api.arnForExecuteApi('GET', '/api/tickets/*', '$default')],
        }),
      ],
    });

    Validations.of(ticketsReader).acknowledge({
      // cdk-nag names the finding after the flattened ARN: tokens become <AWS::Region>, <LogicalId>.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region}:${
        Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account
      }:<${this.getLogicalId(this.api.node.defaultChild as CfnElement)}>/$default/GET/api/tickets/*]`,
      reason:
        'The "*" stands for the {number} path parameter of GET /api/tickets/{number}: the statement is limited to this API, its $default stage, the GET method and paths under /api/tickets/, which only the read-only ticket API serves.',
    });

    // --- The live board (issue 16): its own Cognito-authorised API to the same functions, and the page.
    this.board = new Board(this, 'Board', {
      stage: config.stage,
      functions: Object.fromEntries(Object.entries(functions).map(([id, fn]) => [id, fn.lambda])) as Record<FunctionId, VoiceFunction['lambda']>,
      logRetention,
      removalPolicy: logRemovalPolicy,
    });

    // --- Twilio's fallback URL, independent of all of the above.
    this.fallback = new TwilioFallback(this, 'TwilioFallback', {
      logRetention,
      logRemovalPolicy,
      ...(config.fallbackReservedConcurrency !== 'none' && { reservedConcurrency: config.fallbackReservedConcurrency }),
    });
    Validations.of(this.fallback).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by its Function URL only, and it has no side effect to retry: there is never an asynchronous event to dead-letter.',
    });

    // --- Alarms, all to the alarm topic.
    const fiveMinutes = Duration.minutes(5);
    for (const [name, fn] of [
      ...Object.entries(functions),
      ['spool-replay', this.spoolReplay],
      ['notice-replay', this.noticeReplay],
      ['escalation', this.escalation.fn],
    ] as [string, VoiceFunction][]) {
      this.alarm(
        `${pascal(name)}Errors`,
        fn.lambda.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `${name}: a function error (a caller may have heard Twilio's fallback)`,
      );
      this.alarm(
        `${pascal(name)}Throttles`,
        fn.lambda.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `${name}: invocations throttled (concurrency exhausted)`,
      );
    }
    for (const [tableId, t] of Object.entries(tables) as [TableId, SupportTable][]) {
      this.alarm(
        `${pascal(tableId)}TableThrottles`,
        t.table.metricThrottledRequestsForOperations({ operations: THROTTLE_OPERATIONS as never, period: fiveMinutes }),
        1,
        `DynamoDB ${tableId} table: throttled requests`,
      );
    }
    this.alarm(
      'VerificationFailedBurst',
      new Metric({
        namespace: 'SupportLine',
        metricName: 'VerificationFailed',
        dimensionsMap: { service: 'support-line' },
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      VERIFICATION_FAILED_THRESHOLD,
      `${VERIFICATION_FAILED_THRESHOLD}+ failed verifications in 5 minutes: someone may be guessing account numbers or codes`,
    );
    this.alarm(
      'TopPriorityTicket',
      new Metric({
        namespace: 'SupportLine',
        metricName: 'TopPriorityTicket',
        dimensionsMap: { service: 'support-line' },
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      1,
      'A top-priority ticket was opened',
    );
    this.alarm(
      'SignatureRejected',
      new Metric({
        namespace: 'SupportLine',
        metricName: 'SignatureRejected',
        dimensionsMap: { service: 'support-line' },
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      SIGNATURE_REJECTED_THRESHOLD,
      `${SIGNATURE_REJECTED_THRESHOLD}+ webhooks refused for their Twilio signature in 5 minutes: forged requests, or a number pointing at the wrong URL or token`,
    );
    this.alarm(
      'ApiThrottled',
      this.countLogEvents('ApiThrottled', accessLogs, FilterPattern.stringValue('$.status', '=', '429')),
      API_THROTTLED_THRESHOLD,
      'API Gateway answered 429 (stage throttling): Twilio webhooks were refused and callers heard the fallback; raise the stage limits or find the flood',
    );
    this.alarm(
      'AgentSignInFailed',
      this.countLogEvents('AgentSignInFailed', functions.agent.logGroup, FilterPattern.stringValue('$.message', '=', AGENT_SIGN_IN_FAILED_MESSAGE)),
      AGENT_SIGN_IN_FAILED_THRESHOLD,
      `${AGENT_SIGN_IN_FAILED_THRESHOLD}+ wrong agent PINs in 5 minutes: someone may be guessing agent ids and PINs`,
    );
    this.alarm(
      'SpoolDeadLetters',
      this.spoolDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      1,
      'A spooled ticket could not be replayed: it is in the spool dead-letter queue, restore it by hand',
    );
    this.alarm(
      'NoticeDeadLetters',
      this.noticeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      1,
      'A ticket confirmation or page could not be delivered after 20 tries: it is in the notice dead-letter queue, send it by hand',
    );
    this.alarm(
      'PageLost',
      new Metric({
        namespace: 'SupportLine',
        metricName: 'PageLost',
        dimensionsMap: { service: 'support-line' },
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      1,
      'A top-priority page could neither be sent nor queued: tell the on-call team by hand (the log has the ticket)',
    );
    this.alarm(
      'FallbackServed',
      this.fallback.lambda.metricInvocations({ period: fiveMinutes, statistic: 'Sum' }),
      1,
      'Twilio used the fallback URL: callers heard the apology instead of the support line; call them back (Twilio call log)',
    );

    // --- Outputs to paste into the Twilio console.
    const base = config.publicBaseUrl ? `${config.publicBaseUrl}/` : this.apiStage.url;
    new CfnOutput(this, 'VoiceUrl', { value: `${base}twilio/voice`, description: "Twilio number's Voice URL (HTTP POST)" });
    new CfnOutput(this, 'StatusUrl', { value: `${base}twilio/status`, description: "Twilio number's status callback URL (HTTP POST)" });
    new CfnOutput(this, 'FallbackUrl', { value: this.fallback.url.url, description: "Twilio number's Voice fallback URL (HTTP POST)" });
    new CfnOutput(this, 'TicketsApiUrl', { value: `${base}api/tickets`, description: 'Ticket API (IAM-authorised, SigV4)' });
    new CfnOutput(this, 'HealthUrl', { value: `${base}health`, description: 'Health probe (GET, no token): 200 ok, or 503 with the reason' });
    new CfnOutput(this, 'ApiEndpoint', { value: this.apiStage.url, description: 'execute-api URL (map the custom domain of publicBaseUrl to it)' });
    new CfnOutput(this, 'TicketsApiReaderPolicyArn', { value: ticketsReader.managedPolicyArn, description: 'Attach to roles that may read tickets' });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn, description: 'Set twilioAuthToken here (docs/deploy.md)' });
    new CfnOutput(this, 'PagerTopicArn', { value: this.pagerTopic.topicArn, description: 'Subscribe the on-call pager here' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Alarm notifications' });
  }

  /** A SupportLine metric counting the log events of `group` that match `pattern` (0 when none). */
  private countLogEvents(name: string, group: ILogGroup, pattern: ReturnType<typeof FilterPattern.stringValue>): IMetric {
    const filter = new MetricFilter(this, `${name}Filter`, {
      logGroup: group,
      filterPattern: pattern,
      metricNamespace: 'SupportLine',
      metricName: name,
      metricValue: '1',
      defaultValue: 0,
    });
    return filter.metric({ statistic: 'Sum', period: Duration.minutes(5) });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

const pascal = (s: string): string =>
  s
    .split(/[^A-Za-z0-9]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
