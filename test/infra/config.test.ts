/** The stage configuration: what the context must hold, and how a mistake is reported. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FALLBACK_CONCURRENCY, DEFAULT_VOICE_CONCURRENCY, loadStageConfig } from '../../lib/config.js';

const load = (ctx: Record<string, unknown>, defaults?: { account?: string; region?: string }) =>
  loadStageConfig({ context: (k) => ctx[k], ...(defaults && { defaults }) });
const problems = (ctx: Record<string, unknown>, defaults?: { account?: string; region?: string }): readonly string[] => {
  try {
    load(ctx, defaults);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

const MINIMAL = { stage: 'dev', region: 'eu-west-1', sesFrom: 'support@example.com' };

describe('loadStageConfig', () => {
  it('accepts the minimal context and leaves optional settings out', () => {
    expect(load(MINIMAL)).toEqual({
      ...MINIMAL,
      fallbackReservedConcurrency: DEFAULT_FALLBACK_CONCURRENCY,
      voiceReservedConcurrency: DEFAULT_VOICE_CONCURRENCY[MINIMAL.stage as 'dev' | 'prod'],
    });
  });

  it('takes account and region from the CLI defaults when the context has none', () => {
    expect(load({ stage: 'prod', sesFrom: 'a@b.example' }, { account: '123456789012', region: 'us-west-2' })).toMatchObject({
      account: '123456789012',
      region: 'us-west-2',
    });
    expect(load({ ...MINIMAL, account: '210987654321' }, { account: '123456789012', region: 'us-west-2' })).toMatchObject({
      account: '210987654321',
      region: 'eu-west-1',
    });
  });

  it('reads every optional setting and normalises the public base URL', () => {
    const c = load({
      ...MINIMAL,
      publicBaseUrl: 'https://voice.example.com/',
      alarmEmail: 'ops@example.com',
      sesConfigurationSet: 'support',
      smsSenderId: 'Support',
      taskRouterWorkspaceSid: `WS${'0'.repeat(32)}`,
      taskRouterWorkflowSid: `WW${'f'.repeat(32)}`,
      fallbackReservedConcurrency: '10',
    });
    expect(c).toMatchObject({ publicBaseUrl: 'https://voice.example.com', alarmEmail: 'ops@example.com', fallbackReservedConcurrency: 10 });
    expect(load({ ...MINIMAL, fallbackReservedConcurrency: 'none' }).fallbackReservedConcurrency).toBe('none');
  });

  it('names every missing required key at once', () => {
    const p = problems({});
    expect(p).toHaveLength(3);
    expect(p.join('\n')).toMatch(/^stage: required/m);
    expect(p.join('\n')).toMatch(/^region: required/m);
    expect(p.join('\n')).toMatch(/^sesFrom: required/m);
  });

  it.each([
    [{ stage: 'staging' }, /stage: "staging" is not "dev" or "prod"/],
    [{ region: 'Europe' }, /region: "Europe" is not an AWS region/],
    [{ account: '1234' }, /account: "1234" is not a 12-digit/],
    [{ sesFrom: 'support' }, /sesFrom: "support" is not an email address/],
    [{ alarmEmail: 'ops@' }, /alarmEmail: "ops@" is not an email address/],
    [{ publicBaseUrl: 'http://voice.example.com' }, /publicBaseUrl: .* is not an https URL/],
    [{ publicBaseUrl: 'https://voice.example.com/?x=1' }, /publicBaseUrl: .* is not an https URL/],
    [{ publicBaseUrl: 'voice.example.com' }, /publicBaseUrl: .* is not an https URL/],
    [{ smsSenderId: '12345' }, /smsSenderId: "12345" is not an SMS sender id/],
    [{ smsSenderId: 'WayTooLongSender' }, /smsSenderId: .* is not an SMS sender id/],
    [{ taskRouterWorkspaceSid: 'WS123' }, /taskRouterWorkspaceSid: "WS123" is not a TaskRouter workspace SID/],
    [{ taskRouterWorkspaceSid: `WS${'0'.repeat(32)}` }, /give both or neither/],
    [{ fallbackReservedConcurrency: '0' }, /fallbackReservedConcurrency: "0" is not an integer 1-100/],
    [{ stage: 3 }, /stage: expected a string, got 3/],
  ])('rejects %j', (override, message) => {
    const p = problems({ ...MINIMAL, ...override });
    expect(p.join('\n')).toMatch(message);
  });

  it('reports all problems in one readable error', () => {
    expect(() => load({ stage: 'x', region: 'y', sesFrom: 'z' })).toThrow(/Invalid CDK context:\n {2}- stage: .*\n {2}- region: .*\n {2}- sesFrom: /);
  });
});
