/**
 * Decisions: what the line does next, as plain data. The domain returns them; exactly one adapter
 * (`adapters/twilio/twiml.ts`) turns them into TwiML. Keeping them free of twilio types lets the
 * rules be tested as values and lets a TaskRouter or another telephony provider render them differently.
 */

import type { MessageId } from './messages/catalog.js';

/**
 * A spoken message: a catalog id plus parameters, localized by the renderer in the call's language, or in
 * its own `language` (with that language's voice) where one message differs: the options of a language menu.
 */
export interface Message {
  id: MessageId;
  params?: Record<string, string | number>;
  language?: string;
}

/** A relative URL of a later step of the call (path + query); the renderer makes it absolute. */
export type StepUrl = string;

export type Verb =
  | { kind: 'say'; message: Message }
  | { kind: 'pause'; seconds: number }
  | { kind: 'play'; url: string; loop?: number }
  | {
      kind: 'gather';
      prompt: Message[];
      action: StepUrl;
      /** Stop after this many keys (menus: 1). Absent: until `finishOnKey`. */
      numDigits?: number;
      /** Key that ends input; '' for none. Default '#'. */
      finishOnKey?: string;
      /** Seconds of silence before Twilio gives up; default 6. */
      timeout?: number;
      /** Post an empty `Digits` on silence instead of falling through to the next verb. */
      actionOnEmptyResult?: boolean;
      /** Audio played inside the Gather after the prompt (hold music a key may interrupt). */
      play?: string;
    }
  | { kind: 'redirect'; url: StepUrl }
  | {
      kind: 'enqueue';
      queue: string;
      waitUrl: StepUrl;
      action: StepUrl;
      /** TaskRouter mode: the workflow and the task attributes (JSON) and priority. */
      workflowSid?: string;
      task?: { attributes: Record<string, unknown>; priority?: number; timeout?: number };
    }
  | {
      kind: 'dialQueue';
      queue: string;
      /** TwiML run on the dequeued caller's leg just before bridging; tells us who was taken. */
      url?: StepUrl;
      action?: StepUrl;
      /** TaskRouter mode: bridge the caller of this reservation (and accept it) instead of a named queue's head. */
      reservationSid?: string;
    }
  | {
      kind: 'dialNumber';
      /** E.164 number to call (a callback: the customer's). */
      number: string;
      /** The number the called party sees: the support line they called. */
      callerId: string;
      /** TwiML run on the called party's leg when they answer, before they are connected. */
      url?: StepUrl;
      action?: StepUrl;
      /** Seconds to let it ring. */
      timeout?: number;
    }
  | { kind: 'leave' }
  | { kind: 'hangup' };

/** A whole answer to one webhook: the language it is spoken in and its verbs in order. */
export interface VoiceAnswer {
  language: string;
  verbs: Verb[];
  /** The line's own `voice` (data file), used where `language` is the one spoken; else the table's voice. */
  voice?: string;
}

/** Ids are `MessageId`s only: a misspelled one, or a `string` picked from an untyped map, does not compile. */
export const say = (id: MessageId, params?: Message['params']): Verb => ({ kind: 'say', message: { id, params } });
export const msg = (id: MessageId, params?: Message['params']): Message => ({ id, params });
export const hangup = (): Verb => ({ kind: 'hangup' });
