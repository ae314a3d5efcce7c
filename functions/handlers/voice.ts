/** Lambda entry of the caller's webhooks. Cold start: config, adapters, secrets loader; then one middy stack. */
import { voiceWebhook } from '../app/voice-webhook.js';
import { twilioWebhook } from '../middleware/twilio-webhook.js';
import { bootstrap } from './bootstrap.js';

const { config, wiring, obs } = bootstrap('voice');

export const handler = twilioWebhook(voiceWebhook(wiring.deps), {
  authToken: async () => (await wiring.secrets()).twilioAuthToken,
  publicBaseUrl: config.publicBaseUrl,
  onStep: obs.step,
  onError: (error) => obs.logger.error('unhandled webhook error', error as Error),
});
