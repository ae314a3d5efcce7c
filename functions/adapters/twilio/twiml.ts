/**
 * The one place decisions become TwiML, with the twilio library's own `VoiceResponse` (imported by its
 * deep path: the whole `twilio` package is 3.75 MB bundled, this is ~82 KB). Every message is localized
 * in the answer's language and every `<Say>` carries that language's `<Say language>` and an explicit voice
 * (speech/voices.ts); a message with its own `language` (a language menu's option) gets its own. Every
 * step URL is made absolute against the public base URL Twilio signs.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Message, Verb, VoiceAnswer } from '../../domain/decisions.js';
import { CATALOGS, LIVE_CATALOGS, type CatalogKey, type MessageId } from '../../domain/messages/catalog.js';
import { speechFor } from '../../domain/speech/voices.js';

type SayAttributes = NonNullable<Parameters<VoiceResponse['say']>[0]>;
type SayLanguage = NonNullable<SayAttributes extends infer A ? (A extends { language?: infer L } ? L : never) : never>;
type SayVoice = NonNullable<SayAttributes extends infer A ? (A extends { voice?: infer V } ? V : never) : never>;

export interface RenderOptions {
  /** The catalogs that may speak (the live ones by default; the prompt snapshots and tests pass all). */
  among?: ReadonlySet<CatalogKey>;
}

/** Renders one answer. `baseUrl` has no trailing slash; relative step URLs are appended to it. */
export function renderTwiml(answer: VoiceAnswer, baseUrl: string, opts: RenderOptions = {}): string {
  const response = new VoiceResponse();
  const among = opts.among ?? LIVE_CATALOGS;
  const main = speechFor(answer.language, { voice: answer.voice, among });
  const sayOf = (m: Message): [{ language: SayLanguage; voice: SayVoice }, string] => {
    // A message in another language than the answer's: its own catalog and voice (the line's voice is for the line's language).
    const s = m.language && m.language !== answer.language ? speechFor(m.language, { among }) : main;
    const fn = (CATALOGS[s.catalog] as Record<string, ((p: NonNullable<Message['params']>) => string) | undefined>)[m.id];
    if (!fn) throw new Error(`no message "${m.id}" in the catalog`);
    return [{ language: s.say as SayLanguage, voice: s.voice as SayVoice }, fn(m.params ?? {})];
  };
  const abs = (u: string): string => (/^https?:\/\//.test(u) ? u : baseUrl + u);

  for (const verb of answer.verbs) renderVerb(verb);
  return response.toString();

  function renderVerb(verb: Verb): void {
    switch (verb.kind) {
      case 'say':
        response.say(...sayOf(verb.message));
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
        for (const m of verb.prompt) gather.say(...sayOf(m));
        if (verb.play) gather.play({}, verb.play);
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
        dial.queue(
          { ...(verb.url ? { url: abs(verb.url), method: 'POST' } : {}), ...(verb.reservationSid ? { reservationSid: verb.reservationSid } : {}) },
          verb.queue,
        );
        return;
      }
      case 'dialNumber': {
        const dial = response.dial({
          callerId: verb.callerId,
          ...(verb.timeout ? { timeout: verb.timeout } : {}),
          ...(verb.action ? { action: abs(verb.action), method: 'POST' } : {}),
        });
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
export function apologyTwiml(language = 'en-US', messageId: MessageId = 'error-generic'): string {
  return renderTwiml({ language, verbs: [{ kind: 'say', message: { id: messageId } }, { kind: 'hangup' }] }, '');
}
