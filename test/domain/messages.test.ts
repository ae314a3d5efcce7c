/**
 * Message catalogs: English is complete and the fallback, Polish has exactly the same messages, every
 * message id the flows can say exists, and every text renders without holes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../functions/domain/messages/en.js';
import { pl } from '../../functions/domain/messages/pl.js';
import { CATALOG_LANGUAGES, catalogFor, digitByDigit, localize, type MessageId } from '../../functions/domain/messages/catalog.js';

const APP_DIR = new URL('../../functions/app/', import.meta.url);

/** The first argument of a call starting at `open` (the index just after "("), up to its top-level ',' or ')'. */
function firstArgument(src: string, open: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return src.slice(open, i).trim();
      depth--;
    } else if (c === ',' && depth === 0) return src.slice(open, i).trim();
  }
  throw new Error('unterminated call');
}

const quoted = (expr: string) => [...expr.matchAll(/'([^']*)'/g)].map((m) => m[1]!);

/** The message ids an argument expression can evaluate to: literals, ternaries, `{ reason: 'id' }[x]` maps, or a const holding one of those. */
function idsOf(expr: string, src: string, file: string): string[] {
  if (/^'[^']*'$/.test(expr)) return quoted(expr);
  if (/^[\w.]+\s*\?\s*'[^']*'\s*:\s*'[^']*'$/.test(expr) || /^[\w.\s]+instanceof\s+\w+\s*\?\s*'[^']*'\s*:\s*'[^']*'$/.test(expr)) return quoted(expr).slice(-2);
  if (/^\{[^}]*\}\[[\w.]+\]$/.test(expr)) return [...expr.matchAll(/:\s*'([^']*)'/g)].map((m) => m[1]!);
  if (/^[A-Za-z_]\w*$/.test(expr)) {
    const def = new RegExp(`const ${expr} = ([^;]+);`).exec(src);
    if (!def) throw new Error(`${file}: cannot find the definition of message id "${expr}"`);
    return idsOf(def[1]!.trim(), src, file);
  }
  throw new Error(`${file}: cannot tell which message ids "${expr}" can be; extend this test`);
}

function messageIdsUsedIn(file: string): string[] {
  const src = readFileSync(new URL(file, APP_DIR), 'utf8');
  const ids: string[] = [];
  for (const m of src.matchAll(/\b(?:say|msg)\(/g)) ids.push(...idsOf(firstArgument(src, m.index! + m[0].length), src, file));
  return ids;
}

describe('catalogs', () => {
  it('English and Polish have the same message ids', () => {
    expect(Object.keys(pl).sort()).toEqual(Object.keys(en).sort());
    expect(CATALOG_LANGUAGES.sort()).toEqual(['en', 'pl']);
  });

  it('every message id used in functions/app/*.ts exists in English', () => {
    const files = readdirSync(APP_DIR).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('caller-flow.ts');
    const used = new Map<string, string[]>();
    for (const file of files) for (const id of messageIdsUsedIn(file)) used.set(id, [...(used.get(id) ?? []), file]);
    // The extraction found the flows' prompts, not nothing.
    for (const id of ['greeting', 'menu-option', 'account-prompt', 'code-prompt', 'not-entitled-role', 'error-store', 'error-generic', 'callback-prompt', 'callback-or-urgent-prompt', 'lost-state']) {
      expect(used.has(id), id).toBe(true);
    }
    const missing = [...used.keys()].filter((id) => !(id in en));
    expect(missing, JSON.stringify(Object.fromEntries(missing.map((id) => [id, used.get(id)])))).toEqual([]);
  });

  it('every text in both languages renders without holes, whatever its parameters', () => {
    const anyParams = new Proxy({} as Record<string, string | number>, { get: (_t, k) => (typeof k === 'string' ? 'X' : undefined) });
    for (const [lang, catalog] of Object.entries({ en, pl })) {
      for (const [id, fn] of Object.entries(catalog)) {
        const text = fn(anyParams);
        expect(text.trim(), `${lang} ${id}`).not.toBe('');
        expect(text, `${lang} ${id}`).not.toMatch(/undefined|NaN|\[object|\$\{/);
      }
    }
  });

  it('plural and number parameters read right', () => {
    expect(en['code-wrong']!({ left: 1 })).toBe('That code is not correct. You have 1 try left.');
    expect(en['code-wrong']!({ left: 3 })).toBe('That code is not correct. You have 3 tries left.');
    expect(en['queue-estimate']!({ minutes: 1 })).toBe('The estimated wait is about 1 minute.');
    expect(en['queue-estimate']!({ minutes: 4 })).toBe('The estimated wait is about 4 minutes.');
    expect(en['code-send-failed']!({ channel: 'sms' })).toBe('Sorry, we could not send the code by text message.');
    expect(pl['code-send-failed']!({ channel: 'email' })).toBe('Przepraszamy, nie udało się wysłać kodu e-mailem.');
  });
});

describe('catalogFor and localize', () => {
  it('the exact tag, then the primary subtag, then English with an English voice', () => {
    expect(catalogFor('pl-PL')).toEqual({ catalog: pl, spoken: 'pl-PL' });
    expect(catalogFor('pl')).toEqual({ catalog: pl, spoken: 'pl' });
    expect(catalogFor('en-GB')).toEqual({ catalog: en, spoken: 'en-GB' });
    expect(catalogFor('de-DE')).toEqual({ catalog: en, spoken: 'en-US' });
    expect(catalogFor('ja-JP')).toEqual({ catalog: en, spoken: 'en-US' });
  });

  it('localizes in the call language and fails loudly on an unknown id', () => {
    expect(localize('pl-PL', { id: 'goodbye' })).toBe('Do widzenia.');
    expect(localize('de-DE', { id: 'goodbye' })).toBe('Goodbye.');
    expect(localize('en-US', { id: 'menu-option', params: { service: 'billing', digit: 3 } })).toBe('For billing, press 3.');
    expect(() => localize('en-US', { id: 'no-such-message' as MessageId })).toThrow(/no-such-message/);
  });

  it('reads numbers digit by digit', () => {
    expect(digitByDigit('1000042')).toBe('1, 0, 0, 0, 0, 4, 2');
    expect(digitByDigit('7')).toBe('7');
    expect(digitByDigit('12-3')).toBe('1, 2, 3');
    expect(digitByDigit('')).toBe('');
  });
});
