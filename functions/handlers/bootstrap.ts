/**
 * Cold start of a Lambda function: configuration validated once (a bad variable fails every invocation
 * loudly, with every problem named), adapters wired once, logs and metrics set up.
 *
 * No entry reads the environment when it is imported: each exports `createHandler(env)` for whoever holds
 * an environment of its own (the local server, tests) and `handler`, which builds itself from
 * `process.env` on its first invocation (`lazyHandler`). So importing an entry has no side effects, and a
 * module graph can be shared between tests (vitest `isolate: false`).
 */
import { parseConfig, type Config } from '../config.js';
import type { FunctionId } from '../routes.js';
import { buildDeps, type Wiring } from '../wiring.js';
import { observability, type Observability } from './observability.js';
import { ENV } from '../env.js';

export interface Boot {
  config: Config;
  wiring: Wiring;
  obs: Observability;
}

export type Env = Record<string, string | undefined>;

export function bootstrap(fn: FunctionId | 'spool-replay', env: Env): Boot {
  const config = parseConfig(env, fn);
  const obs = observability(fn, !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const wiring = buildDeps(config, { log: obs.log, metric: obs.metric });
  return { config, wiring, obs };
}

/**
 * A Lambda handler built on its first invocation by `build` (which reads the configuration then), and
 * kept for the instance's life. A build that throws (a bad configuration) throws on every invocation.
 */
export function lazyHandler<A extends unknown[], R>(build: () => (...args: A) => R): (...args: A) => R {
  let built: ((...args: A) => R) | undefined;
  return (...args) => (built ??= build())(...args);
}
