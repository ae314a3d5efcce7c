/**
 * The one place decisions become TwiML, with the twilio library's own `VoiceResponse` (imported by its
 * deep path: the whole `twilio` package is 3.75 MB bundled, this is ~82 KB). Every message is localized
 * in the answer's language; every step URL is made absolute against the public base URL Twilio signs.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Message, Verb, VoiceAnswer } from '../../domain/decisions.js';
import { catalogFor, localize } from '../../domain/messages/catalog.js';

type SayLanguage = NonNullable<Parameters<VoiceResponse['say']>[0] extends infer A ? (A extends { language?: infer L } ? L : never) : never>;

/** Renders one answer. `baseUrl` has no trailing slash; relative step URLs are appended to it. */
export function renderTwiml(answer: VoiceAnswer, baseUrl: string): string {
  const response = new VoiceResponse();
  const { spoken } = catalogFor(answer.language);
  const language = spoken as SayLanguage;
  const text = (m: Message): string => localize(answer.language, m);
  const abs = (u: string): string => (/^https?:\/\//.test(u) ? u : baseUrl + u);

  for (const verb of answer.verbs) renderVerb(verb);
  return response.toString();

  function renderVerb(verb: Verb): void {
    switch (verb.kind) {
      case 'say':
        response.say({ language }, text(verb.message));
        return;
      case 'pause':
        response.pause({ length: verb.seconds });
        return;
      case 'play':
        response.play({ loop: verb.loop ?? 1 }, verb.url);
        return;
      case 'gather': {
        const gather = response.gather({
          input: ['dtmf'],
          action: abs(verb.action),
          method: 'POST',
          timeout: verb.timeout ?? 6,
          finishOnKey: verb.finishOnKey ?? '#',
          actionOnEmptyResult: verb.actionOnEmptyResult ?? true,
          ...(verb.numDigits ? { numDigits: verb.numDigits } : {}),
        });
        for (const m of verb.prompt) gather.say({ language }, text(m));
        return;
      }
      case 'redirect':
        response.redirect({ method: 'POST' }, abs(verb.url));
        return;
      case 'enqueue': {
        const attrs = { waitUrl: abs(verb.waitUrl), waitUrlMethod: 'POST', action: abs(verb.action), method: 'POST' } as const;
        if (verb.workflowSid && verb.task) {
          const enqueue = response.enqueue({ ...attrs, workflowSid: verb.workflowSid });
          enqueue.task(
            { ...(verb.task.priority !== undefined ? { priority: verb.task.priority } : {}), ...(verb.task.timeout ? { timeout: verb.task.timeout } : {}) },
            JSON.stringify(verb.task.attributes),
          );
        } else {
          response.enqueue(attrs, verb.queue);
        }
        return;
      }
      case 'dialQueue': {
        const dial = response.dial(verb.action ? { action: abs(verb.action), method: 'POST' } : {});
        dial.queue({ ...(verb.url ? { url: abs(verb.url), method: 'POST' } : {}), ...(verb.reservationSid ? { reservationSid: verb.reservationSid } : {}) }, verb.queue);
        return;
      }
      case 'dialNumber': {
        const dial = response.dial({ callerId: verb.callerId, ...(verb.timeout ? { timeout: verb.timeout } : {}), ...(verb.action ? { action: abs(verb.action), method: 'POST' } : {}) });
        dial.number(verb.url ? { url: abs(verb.url), method: 'POST' } : {}, verb.number);
        return;
      }
      case 'leave':
        response.leave();
        return;
      case 'hangup':
        response.hangup();
        return;
    }
  }
}

/** A complete spoken apology for failures outside the flow (middleware, lost state): never dead air. */
export function apologyTwiml(language = 'en-US', messageId = 'error-generic'): string {
  return renderTwiml({ language, verbs: [{ kind: 'say', message: { id: messageId } }, { kind: 'hangup' }] }, '');
}
