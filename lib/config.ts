/**
 * The deployment's configuration, read once from CDK context (`-c key=value` or cdk.json) and
 * validated as a whole, so a typo fails `cdk synth` with every problem named instead of deploying a
 * line that cannot send a code. Constructs receive a `StageConfig`; none of them reads
 * `process.env` or context themselves, which keeps them testable with plain objects.
 */

export type Stage = 'dev' | 'prod';

export interface StageConfig {
  /** `dev` or `prod`: part of every stack name, so both can live in one account. */
  readonly stage: Stage;
  /** AWS region the stacks deploy to. */
  readonly region: string;
  /** AWS account id; absent means "whatever the deploying credentials resolve to". */
  readonly account?: string;
  /** Sender address of code and confirmation emails; must be (in) a verified SES identity. */
  readonly sesFrom: string;
  /** Optional SES configuration set the functions send through (and are granted on). */
  readonly sesConfigurationSet?: string;
  /** Optional SMS sender id (alphanumeric, where the destination country allows it). */
  readonly smsSenderId?: string;
  /**
   * Public base URL Twilio calls (a custom domain in front of the API), without trailing slash.
   * Absent: functions rebuild it from the request's domain name, so the API and the functions
   * need no circular reference.
   */
  readonly publicBaseUrl?: string;
  /** Optional email subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  readonly taskRouterWorkspaceSid?: string;
  readonly taskRouterWorkflowSid?: string;
  /**
   * Concurrency reserved for Twilio's fallback function (context `fallbackReservedConcurrency`,
   * default 5; `none` for accounts whose Lambda quota is too low to reserve any).
   */
  readonly fallbackReservedConcurrency: number | 'none';
  /**
   * Concurrency reserved for the callers' voice function (context `voiceReservedConcurrency`, default
   * the API stage's burst limit: 100 in prod, 20 in dev; `none` for accounts whose quota is too low).
   * It guarantees callers capacity when other functions of the account are busy, and caps what a flood
   * of webhooks can take from them.
   */
  readonly voiceReservedConcurrency: number | 'none';
}

/** Thrown with every problem of the context at once, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid CDK context:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Where values come from: CDK context first, then the CLI's resolved defaults for account/region. */
export interface ConfigSources {
  /** Reads a context key (`app.node.tryGetContext`). */
  readonly context: (key: string) => unknown;
  /** `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION` as the CLI resolved them, passed in by bin/app.ts. */
  readonly defaults?: { readonly account?: string; readonly region?: string };
}

/** Enough for a burst of simultaneous failed calls, small enough to cap abuse of the public URL. */
export const DEFAULT_FALLBACK_CONCURRENCY = 5;
/** The API stage's burst limit per stage (voice-stack.ts): more concurrent webhooks than that are refused anyway. */
export const DEFAULT_VOICE_CONCURRENCY = { prod: 100, dev: 20 } as const;

const EMAIL = /^[^\s@"<>(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const WORKSPACE_SID = /^WS[0-9a-f]{32}$/;
const WORKFLOW_SID = /^WW[0-9a-f]{32}$/;
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const CONFIG_SET = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Builds and validates the stage configuration.
 * @throws ConfigError naming every invalid or missing key.
 */
export function loadStageConfig({ context, defaults = {} }: ConfigSources): StageConfig {
  const problems: string[] = [];
  const str = (key: string): string | undefined => {
    const v = context(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      problems.push(`${key}: expected a string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v.trim();
  };
  const check = (key: string, value: string | undefined, ok: (v: string) => boolean, what: string): string | undefined => {
    if (value === undefined) return undefined;
    if (!ok(value)) {
      problems.push(`${key}: ${JSON.stringify(value)} is not ${what}`);
      return undefined;
    }
    return value;
  };

  const stageRaw = str('stage');
  let stage: Stage | undefined;
  if (stageRaw === undefined) problems.push('stage: required, "dev" or "prod" (-c stage=prod)');
  else if (stageRaw === 'dev' || stageRaw === 'prod') stage = stageRaw;
  else problems.push(`stage: ${JSON.stringify(stageRaw)} is not "dev" or "prod"`);

  const regionRaw = str('region') ?? defaults.region;
  if (regionRaw === undefined) problems.push('region: required (-c region=eu-west-1, or configure a default region for your AWS profile)');
  const region = check('region', regionRaw, (v) => REGION.test(v), 'an AWS region name like eu-west-1');

  const account = check('account', str('account') ?? defaults.account, (v) => ACCOUNT.test(v), 'a 12-digit AWS account id');

  const sesFromRaw = str('sesFrom');
  if (sesFromRaw === undefined) problems.push('sesFrom: required, the verified SES sender address (-c sesFrom=support@example.com)');
  const sesFrom = check('sesFrom', sesFromRaw, (v) => EMAIL.test(v), 'an email address');

  const sesConfigurationSet = check('sesConfigurationSet', str('sesConfigurationSet'), (v) => CONFIG_SET.test(v), 'an SES configuration set name');
  const smsSenderId = check('smsSenderId', str('smsSenderId'), (v) => SENDER_ID.test(v), 'an SMS sender id (1-11 letters/digits, at least one letter)');
  const alarmEmail = check('alarmEmail', str('alarmEmail'), (v) => EMAIL.test(v), 'an email address');
  const taskRouterWorkspaceSid = check(
    'taskRouterWorkspaceSid',
    str('taskRouterWorkspaceSid'),
    (v) => WORKSPACE_SID.test(v),
    'a TaskRouter workspace SID (WS + 32 hex)',
  );
  const taskRouterWorkflowSid = check(
    'taskRouterWorkflowSid',
    str('taskRouterWorkflowSid'),
    (v) => WORKFLOW_SID.test(v),
    'a TaskRouter workflow SID (WW + 32 hex)',
  );
  if ((taskRouterWorkspaceSid === undefined) !== (taskRouterWorkflowSid === undefined) && !problems.some((p) => p.startsWith('taskRouter'))) {
    problems.push('taskRouterWorkspaceSid and taskRouterWorkflowSid: give both or neither');
  }

  const publicBaseUrl = check(
    'publicBaseUrl',
    str('publicBaseUrl'),
    isPublicBaseUrl,
    'an https URL without query or fragment (e.g. https://voice.example.com)',
  )?.replace(/\/+$/, '');

  const concurrency = (key: string, fallback: number, max: number): number | 'none' => {
    const raw = context(key);
    if (raw === undefined || raw === null || raw === '') return fallback;
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (raw === 'none') return 'none';
    if (Number.isInteger(n) && n >= 1 && n <= max) return n;
    problems.push(`${key}: ${JSON.stringify(raw)} is not an integer 1-${max} or "none"`);
    return fallback;
  };
  const fallbackReservedConcurrency = concurrency('fallbackReservedConcurrency', DEFAULT_FALLBACK_CONCURRENCY, 100);
  const voiceReservedConcurrency = concurrency('voiceReservedConcurrency', DEFAULT_VOICE_CONCURRENCY[stage ?? 'dev'], 1000);

  if (problems.length > 0 || !stage || !region || !sesFrom) throw new ConfigError(problems);
  return {
    stage,
    region,
    sesFrom,
    fallbackReservedConcurrency,
    voiceReservedConcurrency,
    ...(account && { account }),
    ...(sesConfigurationSet && { sesConfigurationSet }),
    ...(smsSenderId && { smsSenderId }),
    ...(publicBaseUrl && { publicBaseUrl }),
    ...(alarmEmail && { alarmEmail }),
    ...(taskRouterWorkspaceSid && { taskRouterWorkspaceSid }),
    ...(taskRouterWorkflowSid && { taskRouterWorkflowSid }),
  };
}

/** Twilio signs over the exact URL it calls, so only a plain https origin (+ optional path) is accepted. */
function isPublicBaseUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && !u.search && !u.hash && !u.username && !u.password && !v.includes('?') && !v.includes('#');
  } catch {
    return false;
  }
}
