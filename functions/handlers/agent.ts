/** Lambda entry of the agents' webhooks (sign-in, next caller, whisper, bridge, TaskRouter assignment). */
import { agentWebhook } from '../app/agent-webhook.js';
import { twilioWebhook } from '../middleware/twilio-webhook.js';
import { bootstrap } from './bootstrap.js';

const { config, wiring, obs } = bootstrap('agent');

export const handler = twilioWebhook(agentWebhook(wiring.deps), {
  authToken: async () => (await wiring.secrets()).twilioAuthToken,
  publicBaseUrl: config.publicBaseUrl,
  onStep: obs.step,
  onError: (error) => obs.logger.error('unhandled agent webhook error', error as Error),
});
