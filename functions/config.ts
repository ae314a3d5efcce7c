/**
 * Runtime configuration, read and validated once per cold start. Every variable a function uses is named
 * here; a missing or malformed required one fails the cold start loudly instead of surfacing as a caller
 * hearing an error halfway through a call. Secrets come from Secrets Manager (`SECRETS_ARN`) on AWS and
 * from plain variables only in local mode.
 */
import type { FunctionId } from './routes.js';
import { ENV } from './env.js';

export interface Secrets {
  twilioAuthToken: string;
  /** Key of the HMAC that verification codes are stored as. */
  codeHashKey: string;
  /** Bearer token of /api/* in local mode; on AWS (API_AUTH=iam) the API is IAM-authorized and this is absent. */
  apiToken?: string;
}

export interface Config {
  tables: { directory: string; calls: string; tickets: string };
  /** Local/embedded DynamoDB endpoint; absent on AWS. */
  dynamoEndpoint?: string;
  region: string;
  /** Base URL Twilio signs against; absent on AWS means "rebuild from the request's domain". */
  publicBaseUrl?: string;
  /** Where secrets come from: a Secrets Manager ARN, or inline values (local mode only). */
  secrets: { arn: string } | { inline: Secrets };
  sesFrom?: string;
  sesConfigurationSet?: string;
  smsSenderId?: string;
  pagerTopicArn?: string;
  spoolQueueUrl?: string;
  noticeQueueUrl?: string;
  /** Local mode: the outbox file that stands in for SNS and SES. */
  localOutbox?: string;
  taskRouter?: { workspaceSid: string; workflowSid: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Functions fed by a queue or a schedule, not by a route. */
export type Worker = 'spool-replay' | 'notice-replay' | 'escalation';

/** Which variables each function needs; only those are required of it. */
const NEEDS: Record<FunctionId | Worker, Array<keyof Config['tables']>> = {
  voice: ['directory', 'calls', 'tickets'],
  agent: ['directory', 'calls', 'tickets'],
  status: ['directory', 'calls', 'tickets'],
  'tickets-api': ['tickets'],
  'board-api': ['directory', 'calls', 'tickets'],
  /** The call's ticket number is claimed too, so a Twilio retry after the replay finds the spooled ticket. */
  'spool-replay': ['calls', 'tickets'],
  /** Delivers queued confirmations and pages: the per-call key in both tables. */
  'notice-replay': ['calls', 'tickets'],
  /** The automatic escalation schedule (issue 17): plans from the directory, tickets. */
  escalation: ['directory', 'tickets'],
  /** GET /health: reads one (absent) item of the tickets table to see the store answer. */
  health: ['tickets'],
};

/** Parses the environment for function `fn`. Throws `ConfigError` naming every problem at once. */
export function parseConfig(env: Env, fn: FunctionId | Worker): Config {
  const problems: string[] = [];
  const tables = { directory: '', calls: '', tickets: '' };
  for (const t of NEEDS[fn]) {
    const name = env[ENV.tables[t]];
    if (!name) problems.push(`${ENV.tables[t]} is required`);
    else tables[t] = name;
  }
  const publicBaseUrl = env[ENV.publicBaseUrl]?.replace(/\/+$/, '') || undefined;
  if (publicBaseUrl && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicBaseUrl)) problems.push(`${ENV.publicBaseUrl} must be an http(s) URL`);

  let secrets: Config['secrets'];
  const secretsArn = env[ENV.secretsArn];
  // Twilio's webhooks: they check signatures, hash codes and send texts and emails.
  const twilioWebhook = fn === 'voice' || fn === 'agent' || fn === 'status';
  if (secretsArn) {
    if (!/^arn:aws[\w-]*:secretsmanager:/.test(secretsArn)) problems.push(`${ENV.secretsArn} must be a Secrets Manager ARN`);
    secrets = { arn: secretsArn };
  } else {
    if (twilioWebhook && !env[ENV.twilioAuthToken]) problems.push(`${ENV.twilioAuthToken} (local) or ${ENV.secretsArn} is required`);
    if (twilioWebhook && !env[ENV.codeHashKey]) problems.push(`${ENV.codeHashKey} (local) or ${ENV.secretsArn} is required`);
    if ((fn === 'tickets-api' || fn === 'board-api') && !env[ENV.apiToken] && env[ENV.apiAuth] !== 'iam')
      problems.push(`${ENV.apiToken} is required unless ${ENV.apiAuth}=iam (API Gateway authorizes with IAM)`);
    secrets = { inline: { twilioAuthToken: env[ENV.twilioAuthToken] ?? '', codeHashKey: env[ENV.codeHashKey] ?? '', apiToken: env[ENV.apiToken] } };
  }
  const wsid = env[ENV.taskRouterWorkspaceSid];
  const wfsid = env[ENV.taskRouterWorkflowSid];
  if (!!wsid !== !!wfsid) problems.push(`${ENV.taskRouterWorkspaceSid} and ${ENV.taskRouterWorkflowSid} go together`);
  if (wsid && !/^WS[0-9a-f]{32}$/.test(wsid)) problems.push(`${ENV.taskRouterWorkspaceSid} must look like WS + 32 hex digits`);
  if (wfsid && !/^WW[0-9a-f]{32}$/.test(wfsid)) problems.push(`${ENV.taskRouterWorkflowSid} must look like WW + 32 hex digits`);
  if (!env[ENV.localOutbox] && twilioWebhook && !env[ENV.sesFrom] && secretsArn) {
    problems.push(`${ENV.sesFrom} is required on AWS (sender of codes and confirmations)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    tables,
    dynamoEndpoint: env[ENV.dynamoEndpoint] || undefined,
    region: env[ENV.region] || env[ENV.defaultRegion] || 'us-east-1',
    publicBaseUrl,
    secrets,
    sesFrom: env[ENV.sesFrom] || undefined,
    sesConfigurationSet: env[ENV.sesConfigurationSet] || undefined,
    smsSenderId: env[ENV.smsSenderId] || undefined,
    pagerTopicArn: env[ENV.pagerTopicArn] || undefined,
    spoolQueueUrl: env[ENV.spoolQueueUrl] || undefined,
    noticeQueueUrl: env[ENV.noticeQueueUrl] || undefined,
    localOutbox: env[ENV.localOutbox] || undefined,
    taskRouter: wsid && wfsid ? { workspaceSid: wsid, workflowSid: wfsid } : undefined,
  };
}
