/** Lambda entry of the caller's webhooks. Cold start: config, adapters, secrets loader; then one middy stack. */
import { voiceWebhook } from '../app/voice-webhook.js';
import { twilioWebhook } from '../middleware/twilio-webhook.js';
import { bootstrap, lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment (the local server passes its own). */
export function createHandler(env: Env) {
  const { config, wiring, obs } = bootstrap('voice', env);
  return twilioWebhook(voiceWebhook(wiring.deps), {
    authToken: async () => (await wiring.secrets()).twilioAuthToken,
    publicBaseUrl: config.publicBaseUrl,
    onStep: obs.step,
    flushMetrics: obs.flush,
    onError: (error) => obs.logger.error('unhandled webhook error', error as Error),
  });
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
