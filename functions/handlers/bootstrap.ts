/**
 * Cold start of a Lambda function: configuration validated once (a bad variable fails the instance
 * loudly, before any caller reaches it), adapters wired once, logs and metrics set up.
 */
import { parseConfig, type Config } from '../config.js';
import type { FunctionId } from '../routes.js';
import { buildDeps, type Wiring } from '../wiring.js';
import { observability, type Observability } from './observability.js';

export interface Boot {
  config: Config;
  wiring: Wiring;
  obs: Observability;
}

export function bootstrap(fn: FunctionId | 'spool-replay', env: Record<string, string | undefined> = process.env): Boot {
  const config = parseConfig(env, fn);
  const obs = observability(fn, !!config.localOutbox);
  const wiring = buildDeps(config, { log: obs.log, metric: obs.metric });
  return { config, wiring, obs };
}
