/**
 * The scripted caller's keys, chosen by the step the Gather posts to (its action URL), not by the
 * prompt's words: the same script works in every language and survives new wording. The keys are the
 * contract's (§2): the language's position in the menu, the extension, the account number and `#`, `1`
 * for a text message, the code, `1` for the most urgent level. A step it does not know ends the call
 * there (the report names it), rather than guessing and measuring some other path.
 */
import { HANG_UP, stepOf, type Keys } from '../lib/caller.js';
import type { Choices } from './cases.js';

export interface KeyLog {
  /** Steps asked for that the script has no answer to, in order. */
  unanswered: string[];
}

/** The keys for one prompt, `undefined` when the script has none for that step. */
export function keysFor(step: string, c: Choices, menuLanguages: readonly string[], code: () => string): string | undefined {
  switch (step) {
    case 'language': {
      const i = c.language ? menuLanguages.indexOf(c.language) : 0;
      // Ten or more languages take two keys and a `#` (or a pause): `#` ends either form.
      return i < 0 ? undefined : `${i + 1}#`;
    }
    case 'menu':
      return c.extension;
    case 'account':
      return c.account ? `${c.account}#` : undefined;
    case 'channel':
      return c.channel ?? '1';
    case 'code':
      return c.codeTo ? `${code()}#` : undefined;
    case 'priority':
      return c.priority;
    default:
      return undefined;
  }
}

export function scriptedKeys(c: Choices, menuLanguages: readonly string[], code: () => string, log: KeyLog): Keys {
  return (_prompt, attrs) => {
    const step = stepOf(attrs.action ?? '');
    const keys = keysFor(step, c, menuLanguages, code);
    if (keys !== undefined) return keys;
    log.unanswered.push(step);
    return HANG_UP;
  };
}
