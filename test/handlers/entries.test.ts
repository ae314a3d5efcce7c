/**
 * The Lambda entries read no environment when imported: the local server (or a test) can build one from
 * an environment of its own with `createHandler(env)`, and Lambda's `handler` configures itself from
 * `process.env` on its first invocation, failing loudly with every problem named when that is bad.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/config.js';
import { ENV } from '../../functions/env.js';
import { FUNCTIONS } from '../../functions/routes.js';

type Entry = { handler: (...args: unknown[]) => unknown; createHandler: (env: Record<string, string | undefined>) => unknown };
const ROOT = join(import.meta.dirname, '..', '..');
const entries = [
  ...Object.entries(FUNCTIONS).map(([id, f]) => [id, f.entry] as const),
  ['spool-replay', 'functions/handlers/spool-replay.ts'] as const,
  ['notice-replay', 'functions/handlers/notice-replay.ts'] as const,
  // The automatic escalation's schedule (lib/constructs/escalation-schedule.ts) and the local server's timer.
  ['escalation', 'functions/handlers/escalation.ts'] as const,
];

const goodEnv = {
  [ENV.tables.directory]: 'd',
  [ENV.tables.calls]: 'c',
  [ENV.tables.tickets]: 't',
  [ENV.region]: 'us-east-1',
  [ENV.twilioAuthToken]: 'token',
  [ENV.codeHashKey]: 'key',
  [ENV.apiToken]: 'api',
};

describe.each(entries)('the %s entry', (_id, entry) => {
  it('imports without reading the environment, and builds from an explicit one', async () => {
    for (const name of Object.values(ENV.tables)) expect(process.env[name]).toBeUndefined();
    const mod = (await import(join(ROOT, entry))) as Entry;
    expect(typeof mod.handler).toBe('function');
    expect(typeof mod.createHandler(goodEnv)).toBe('function');
    expect(() => mod.createHandler({})).toThrow(ConfigError);
  });

  it('configures itself on the first invocation, and a bad environment fails it naming the problem', async () => {
    const mod = (await import(join(ROOT, entry))) as Entry;
    const invoke = () => Promise.resolve().then(() => mod.handler({}, {}));
    await expect(invoke()).rejects.toThrow(/TABLE_\w+ is required/);
    await expect(invoke()).rejects.toBeInstanceOf(ConfigError);
  });
});
