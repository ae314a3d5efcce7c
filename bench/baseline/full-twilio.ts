/**
 * The baseline the bundles are compared with: a webhook handler written the obvious way, importing the
 * whole `twilio` package for its signature check and TwiML. Built and timed in the same bench run.
 */
import twilio from 'twilio';

export const handler = async (event: { headers?: Record<string, string>; rawPath?: string; body?: string }) => {
  const params = Object.fromEntries(new URLSearchParams(event.body ?? ''));
  const ok = twilio.validateRequest(
    process.env.TWILIO_AUTH_TOKEN ?? '',
    event.headers?.['x-twilio-signature'] ?? '',
    `https://example.com${event.rawPath ?? '/'}`,
    params,
  );
  const response = new twilio.twiml.VoiceResponse();
  response.say(ok ? 'Thank you for calling support.' : 'Sorry.');
  return { statusCode: ok ? 200 : 403, headers: { 'content-type': 'text/xml' }, body: response.toString() };
};
