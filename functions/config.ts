/**
 * Runtime configuration, read and validated once per cold start. Every variable a function uses is named
 * here; a missing or malformed required one fails the cold start loudly instead of surfacing as a caller
 * hearing an error halfway through a call. Secrets come from Secrets Manager (`SECRETS_ARN`) on AWS and
 * from plain variables only in local mode.
 */
import type { FunctionId } from './routes.js';

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

/** Which variables each function needs; only those are required of it. */
const NEEDS: Record<FunctionId | 'spool-replay' | 'escalation', Array<keyof Config['tables']>> = {
  voice: ['directory', 'calls', 'tickets'],
  agent: ['directory', 'calls', 'tickets'],
  status: ['directory', 'calls', 'tickets'],
  'tickets-api': ['tickets'],
  'board-api': ['directory', 'calls', 'tickets'],
  'spool-replay': ['tickets'],
  /** The automatic escalation schedule (issue 17): plans from the directory, tickets. */
  escalation: ['directory', 'tickets'],
};

/** Parses the environment for function `fn`. Throws `ConfigError` naming every problem at once. */
export function parseConfig(env: Env, fn: FunctionId | 'spool-replay' | 'escalation'): Config {
  const problems: string[] = [];
  const tables = { directory: '', calls: '', tickets: '' };
  for (const t of NEEDS[fn]) {
    const name = env[`TABLE_${t.toUpperCase()}`];
    if (!name) problems.push(`TABLE_${t.toUpperCase()} is required`);
    else tables[t] = name;
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined;
  if (publicBaseUrl && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicBaseUrl)) problems.push('PUBLIC_BASE_URL must be an http(s) URL');

  let secrets: Config['secrets'];
  if (env.SECRETS_ARN) {
    if (!/^arn:aws[\w-]*:secretsmanager:/.test(env.SECRETS_ARN)) problems.push('SECRETS_ARN must be a Secrets Manager ARN');
    secrets = { arn: env.SECRETS_ARN };
  } else {
    const needsTwilio = fn !== 'tickets-api' && fn !== 'board-api' && fn !== 'spool-replay' && fn !== 'escalation';
    if (needsTwilio && !env.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN (local) or SECRETS_ARN is required');
    if (needsTwilio && !env.CODE_HASH_KEY) problems.push('CODE_HASH_KEY (local) or SECRETS_ARN is required');
    if ((fn === 'tickets-api' || fn === 'board-api') && !env.API_TOKEN && env.API_AUTH !== 'iam') problems.push('API_TOKEN is required unless API_AUTH=iam (API Gateway authorizes with IAM)');
    secrets = { inline: { twilioAuthToken: env.TWILIO_AUTH_TOKEN ?? '', codeHashKey: env.CODE_HASH_KEY ?? '', apiToken: env.API_TOKEN } };
  }
  const wsid = env.TASKROUTER_WORKSPACE_SID;
  const wfsid = env.TASKROUTER_WORKFLOW_SID;
  if (!!wsid !== !!wfsid) problems.push('TASKROUTER_WORKSPACE_SID and TASKROUTER_WORKFLOW_SID go together');
  if (wsid && !/^WS[0-9a-f]{32}$/.test(wsid)) problems.push('TASKROUTER_WORKSPACE_SID must look like WS + 32 hex digits');
  if (wfsid && !/^WW[0-9a-f]{32}$/.test(wfsid)) problems.push('TASKROUTER_WORKFLOW_SID must look like WW + 32 hex digits');
  if (!env.LOCAL_OUTBOX && fn !== 'tickets-api' && fn !== 'spool-replay' && fn !== 'escalation' && !env.SES_FROM && env.SECRETS_ARN) {
    problems.push('SES_FROM is required on AWS (sender of codes and confirmations)');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    tables,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    publicBaseUrl,
    secrets,
    sesFrom: env.SES_FROM || undefined,
    sesConfigurationSet: env.SES_CONFIGURATION_SET || undefined,
    smsSenderId: env.SMS_SENDER_ID || undefined,
    pagerTopicArn: env.PAGER_TOPIC_ARN || undefined,
    spoolQueueUrl: env.SPOOL_QUEUE_URL || undefined,
    localOutbox: env.LOCAL_OUTBOX || undefined,
    taskRouter: wsid && wfsid ? { workspaceSid: wsid, workflowSid: wfsid } : undefined,
  };
}
