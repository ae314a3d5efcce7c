/** Configuration is validated once per cold start, every problem named at once. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../functions/config.js';

const LOCAL_VOICE = {
  TABLE_DIRECTORY: 'dir',
  TABLE_CALLS: 'calls',
  TABLE_TICKETS: 'tickets',
  TWILIO_AUTH_TOKEN: 'tok',
  CODE_HASH_KEY: 'key',
  LOCAL_OUTBOX: '/tmp/outbox.jsonl',
};
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:support-AbCdEf';
const WS = `WS${'a'.repeat(32)}`;
const WW = `WW${'b'.repeat(32)}`;

function problems(env: Record<string, string | undefined>, fn: Parameters<typeof parseConfig>[1]): string[] {
  try {
    parseConfig(env, fn);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  return [];
}

describe('parseConfig', () => {
  it('local voice: tables, inline secrets, the base URL without trailing slashes, a default region', () => {
    const config = parseConfig({ ...LOCAL_VOICE, PUBLIC_BASE_URL: 'http://127.0.0.1:3000//', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }, 'voice');
    expect(config).toEqual({
      tables: { directory: 'dir', calls: 'calls', tickets: 'tickets' },
      dynamoEndpoint: 'http://127.0.0.1:8000',
      region: 'us-east-1',
      publicBaseUrl: 'http://127.0.0.1:3000',
      secrets: { inline: { twilioAuthToken: 'tok', codeHashKey: 'key', apiToken: undefined } },
      sesFrom: undefined,
      sesConfigurationSet: undefined,
      smsSenderId: undefined,
      pagerTopicArn: undefined,
      spoolQueueUrl: undefined,
      localOutbox: '/tmp/outbox.jsonl',
      taskRouter: undefined,
    });
  });

  it('names every missing variable of the voice function at once', () => {
    expect(problems({}, 'voice')).toEqual([
      'TABLE_DIRECTORY is required',
      'TABLE_CALLS is required',
      'TABLE_TICKETS is required',
      'TWILIO_AUTH_TOKEN (local) or SECRETS_ARN is required',
      'CODE_HASH_KEY (local) or SECRETS_ARN is required',
    ]);
    const e = (() => {
      try {
        parseConfig({}, 'voice');
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e?.message).toMatch(/^invalid configuration: TABLE_DIRECTORY is required; /);
  });

  it('an empty variable counts as missing', () => {
    expect(problems({ ...LOCAL_VOICE, TABLE_CALLS: '', TWILIO_AUTH_TOKEN: '' }, 'voice')).toEqual([
      'TABLE_CALLS is required',
      'TWILIO_AUTH_TOKEN (local) or SECRETS_ARN is required',
    ]);
  });

  it('the ticket API needs only its table and, locally, the API token', () => {
    expect(problems({ TABLE_TICKETS: 't' }, 'tickets-api')).toEqual(['API_TOKEN is required unless API_AUTH=iam (API Gateway authorizes with IAM)']);
    expect(problems({ TABLE_TICKETS: 't', API_AUTH: 'iam' }, 'tickets-api')).toEqual([]);
    expect(parseConfig({ TABLE_TICKETS: 't', API_AUTH: 'iam' }, 'tickets-api').secrets).toEqual({
      inline: { twilioAuthToken: '', codeHashKey: '', apiToken: undefined },
    });
    const config = parseConfig({ TABLE_TICKETS: 't', API_TOKEN: 'api' }, 'tickets-api');
    expect(config.tables.tickets).toBe('t');
    expect(config.secrets).toEqual({ inline: { twilioAuthToken: '', codeHashKey: '', apiToken: 'api' } });
  });

  it('on AWS: secrets from a Secrets Manager ARN, and a sender for codes', () => {
    const tables = { TABLE_DIRECTORY: 'd', TABLE_CALLS: 'c', TABLE_TICKETS: 't' };
    expect(problems({ ...tables, SECRETS_ARN: ARN }, 'voice')).toEqual(['SES_FROM is required on AWS (sender of codes and confirmations)']);
    expect(problems({ ...tables, SECRETS_ARN: 'arn:aws:s3:::bucket', SES_FROM: 'a@b.example' }, 'voice')).toEqual([
      'SECRETS_ARN must be a Secrets Manager ARN',
    ]);
    const config = parseConfig({ ...tables, SECRETS_ARN: ARN, SES_FROM: 'Support <support@example.com>', AWS_REGION: 'eu-west-1' }, 'voice');
    expect(config.secrets).toEqual({ arn: ARN });
    expect(config.region).toBe('eu-west-1');
    expect(config.publicBaseUrl).toBeUndefined();
    expect(parseConfig({ ...tables, SECRETS_ARN: ARN, SES_FROM: 'x@y.example', AWS_DEFAULT_REGION: 'ap-southeast-2' }, 'voice').region).toBe('ap-southeast-2');
  });

  it('the public base URL must be http(s)', () => {
    for (const bad of ['ftp://x.example', 'support.example.com', 'https://', 'https://a b.example']) {
      expect(problems({ ...LOCAL_VOICE, PUBLIC_BASE_URL: bad }, 'voice'), bad).toEqual(['PUBLIC_BASE_URL must be an http(s) URL']);
    }
    expect(parseConfig({ ...LOCAL_VOICE, PUBLIC_BASE_URL: 'https://abc.ngrok.example/stage' }, 'voice').publicBaseUrl).toBe('https://abc.ngrok.example/stage');
  });

  it('TaskRouter sids go together and must look like sids', () => {
    expect(problems({ ...LOCAL_VOICE, TASKROUTER_WORKSPACE_SID: WS }, 'voice')).toEqual(['TASKROUTER_WORKSPACE_SID and TASKROUTER_WORKFLOW_SID go together']);
    expect(problems({ ...LOCAL_VOICE, TASKROUTER_WORKSPACE_SID: 'WS123', TASKROUTER_WORKFLOW_SID: `WW${'G'.repeat(32)}` }, 'voice')).toEqual([
      'TASKROUTER_WORKSPACE_SID must look like WS + 32 hex digits',
      'TASKROUTER_WORKFLOW_SID must look like WW + 32 hex digits',
    ]);
    expect(parseConfig({ ...LOCAL_VOICE, TASKROUTER_WORKSPACE_SID: WS, TASKROUTER_WORKFLOW_SID: WW }, 'voice').taskRouter).toEqual({
      workspaceSid: WS,
      workflowSid: WW,
    });
  });

  it('optional settings pass through', () => {
    const config = parseConfig(
      {
        ...LOCAL_VOICE,
        SES_FROM: 'a@b.example',
        SES_CONFIGURATION_SET: 'cs',
        SMS_SENDER_ID: 'Support',
        PAGER_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:p',
        SPOOL_QUEUE_URL: 'https://sqs.example/q',
      },
      'status',
    );
    expect(config).toMatchObject({
      sesFrom: 'a@b.example',
      sesConfigurationSet: 'cs',
      smsSenderId: 'Support',
      pagerTopicArn: 'arn:aws:sns:us-east-1:1:p',
      spoolQueueUrl: 'https://sqs.example/q',
    });
  });
});
