/** Lambda entry of Twilio's call status callbacks. */
import { statusWebhook } from '../app/status-webhook.js';
import { twilioWebhook } from '../middleware/twilio-webhook.js';
import { bootstrap, lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment (the local server passes its own). */
export function createHandler(env: Env) {
  const { config, wiring, obs } = bootstrap('status', env);
  return twilioWebhook(statusWebhook(wiring.deps), {
    authToken: async () => (await wiring.secrets()).twilioAuthToken,
    publicBaseUrl: config.publicBaseUrl,
    onStep: obs.step,
    flushMetrics: obs.flush,
    onError: (error) => obs.logger.error('unhandled status callback error', error as Error),
  });
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
