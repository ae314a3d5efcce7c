/** Lambda entry of Twilio's call status callbacks. */
import { statusWebhook } from '../app/status-webhook.js';
import { twilioWebhook } from '../middleware/twilio-webhook.js';
import { bootstrap } from './bootstrap.js';

const { config, wiring, obs } = bootstrap('status');

export const handler = twilioWebhook(statusWebhook(wiring.deps), {
  authToken: async () => (await wiring.secrets()).twilioAuthToken,
  publicBaseUrl: config.publicBaseUrl,
  onStep: obs.step,
  onError: (error) => obs.logger.error('unhandled status callback error', error as Error),
});
