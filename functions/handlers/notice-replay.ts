/**
 * Lambda entry of the notice queue's consumer (SQS FIFO event source, partial batch failures on): sends
 * queued ticket confirmations and pages through the same notifier and pager as the voice function, once
 * per key (functions/app/notice-replay.ts).
 */
import { noticeReplayHandler } from '../app/notice-replay.js';
import { parseConfig } from '../config.js';
import { buildDeps } from '../wiring.js';
import { observability } from './observability.js';
import { ENV } from '../env.js';
import { lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment. */
export function createHandler(env: Env) {
  const config = parseConfig(env, 'notice-replay');
  const obs = observability('notice-replay', !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const { deps } = buildDeps(config, { log: obs.log, metric: obs.metric });
  return noticeReplayHandler({ notifier: deps.notifier, pager: deps.pager, tickets: deps.tickets, calls: deps.calls, now: deps.now, log: obs.log });
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
