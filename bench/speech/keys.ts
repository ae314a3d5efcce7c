/**
 * The scripted caller's keys, chosen by the step the Gather posts to (its action URL), not by the
 * prompt's words: the same script works in every language and survives new wording. The keys are the
 * contract's (§2): the language's position in the menu, the extension, the account number and `#`, `1`
 * for a text message, the code, `1` for the most urgent level. A step it does not know is answered by
 * the prompt's English words if they say plainly what is asked (a renamed step), and noted; otherwise the
 * call ends there and the report names the step, rather than guessing and measuring some other path.
 */
import { HANG_UP, stepOf, type Keys } from '../lib/caller.js';
import type { Choices } from './cases.js';

export interface KeyLog {
  /** Steps asked for that the script has no answer to, in order. */
  unanswered: string[];
  /** Steps it did not know but answered by the prompt's words. */
  byWords: string[];
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

/** For a step by another name: what the prompt's English words ask for, if that is plain. */
export function keysByWords(prompt: string, c: Choices, code: () => string): { step: string; keys: string | undefined } | undefined {
  const p = prompt.toLowerCase();
  if (/\bpriority\b/.test(p)) return { step: 'priority', keys: c.priority };
  if (/\bcode\b/.test(p) && /\benter\b/.test(p)) return { step: 'code', keys: c.codeTo ? `${code()}#` : undefined };
  if (/text message/.test(p) && /\bpress\b/.test(p)) return { step: 'channel', keys: c.channel ?? '1' };
  if (/account number/.test(p)) return { step: 'account', keys: c.account ? `${c.account}#` : undefined };
  return undefined;
}

export function scriptedKeys(c: Choices, menuLanguages: readonly string[], code: () => string, log: KeyLog): Keys {
  return (prompt, attrs) => {
    const step = stepOf(attrs.action ?? '');
    const keys = keysFor(step, c, menuLanguages, code);
    if (keys !== undefined) return keys;
    const known = ['language', 'menu', 'account', 'channel', 'code', 'priority'].includes(step);
    const guess = known ? undefined : keysByWords(prompt, c, code);
    if (guess?.keys !== undefined) {
      log.byWords.push(`${step} (as ${guess.step})`);
      return guess.keys;
    }
    log.unanswered.push(step);
    return HANG_UP;
  };
}
