/**
 * Message catalogs: every catalog has exactly the English ids and placeholders, every message id the flows
 * can say exists, every text renders without holes, and no catalog speaks another language's day names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../functions/domain/messages/en.js';
import { pl } from '../../functions/domain/messages/pl.js';
import {
  ALL_CATALOGS,
  CATALOG_LANGUAGES,
  CATALOG_LOCALES,
  CATALOGS,
  catalogFor,
  digitByDigit,
  localize,
  type Catalog,
  type CatalogKey,
  type MessageId,
} from '../../functions/domain/messages/catalog.js';
import { formatDue, spokenHours } from '../../functions/domain/speech/format.js';
import { promptPage, renderedCatalog, SAMPLE_NOW, SAMPLE_ZONES, sampleParams } from '../../scripts/prompt-docs.js';

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
  if (/^\(?\s*\{[^}]*\}(\s+as const\s*\))?\[[\w.]+\]$/.test(expr)) return [...expr.matchAll(/:\s*'([^']*)'/g)].map((m) => m[1]!);
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
  it('every catalog has exactly the English message ids (the type checks it too: Record<MessageId, …>)', () => {
    expect(Object.keys(pl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, catalog] of Object.entries(CATALOGS)) expect(Object.keys(catalog).sort(), key).toEqual(Object.keys(en).sort());
    expect([...CATALOG_LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'hi', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'sv', 'tr', 'zh']);
    // 16 languages as a caller counts them: the three Chinese ones are different languages on the phone.
    expect(new Set(Object.keys(CATALOGS).map((k) => (k.startsWith('zh') ? k : k.split('-')[0]))).size).toBe(16);
  });

  it('every message id used in functions/app/**/*.ts exists in English', () => {
    const files = readdirSync(APP_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('caller-flow/verify.ts');
    const used = new Map<string, string[]>();
    for (const file of files) for (const id of messageIdsUsedIn(file)) used.set(id, [...(used.get(id) ?? []), file]);
    // The extraction found the flows' prompts, not nothing.
    for (const id of [
      'greeting',
      'menu-option',
      'account-prompt',
      'code-prompt',
      'not-entitled-role',
      'error-store',
      'error-generic',
      'callback-prompt',
      'callback-or-urgent-prompt',
      'lost-state',
    ]) {
      expect(used.has(id), id).toBe(true);
    }
    const missing = [...used.keys()].filter((id) => !(id in en));
    expect(missing, JSON.stringify(Object.fromEntries(missing.map((id) => [id, used.get(id)])))).toEqual([]);
  });

  it('every text in every language renders without holes, with parameters formatted in that language', () => {
    for (const key of Object.keys(CATALOGS) as CatalogKey[]) {
      for (const [id, text] of renderedCatalog(key)) {
        expect(text.trim(), `${key} ${id}`).not.toBe('');
        expect(text, `${key} ${id}`).not.toMatch(/undefined|NaN|\[object|\$\{/);
      }
    }
  });

  it('every catalog says every placeholder the English text says', () => {
    // Values that steer a choice (a weekday key, a status, a channel) stay real; every other parameter is a marker.
    const steering = new Set(['day', 'from', 'to', 'status', 'channel', 'method', 'n']);
    const sample = sampleParams('en-US', 'America/New_York');
    const marked = Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, steering.has(k) ? v : `§${k}§`]));
    const said = (text: string) => new Set([...text.matchAll(/§(\w+)§/g)].map((m) => m[1]!));
    for (const id of Object.keys(en) as MessageId[]) {
      const wanted = said(en[id](marked));
      for (const [key, catalog] of Object.entries(CATALOGS) as Array<[CatalogKey, Catalog]>) {
        const got = said(catalog[id](marked));
        // Polish reads a bar's end without its weekday (the weekday would need the genitive): the date stands in for it.
        const expected = key === 'pl' && id === 'date-at-time' ? new Set([...wanted].map((k) => (k === 'date' ? 'dateOnly' : k))) : wanted;
        expect([...got].sort(), `${key} ${id}`).toEqual([...expected].sort());
      }
    }
  });

  it('no catalog says another language’s day names (no "Mittwoch" in English, no "Wednesday" in Polish)', { timeout: 60_000 }, () => {
    for (const key of Object.keys(CATALOGS) as CatalogKey[]) {
      const text = spokenTextOf(key);
      expect(foreignDayNames(key, text), key).toEqual([]);
    }
    // The check can fail: an English text with a German weekday, a Polish one with an English weekday.
    expect(foreignDayNames('en', 'We will respond by Mittwoch, 07:04.')).toEqual(['Mittwoch']);
    expect(foreignDayNames('pl', 'Termin odpowiedzi: Wednesday 18:00.')).toEqual(['Wednesday']);
  });

  it('plural and number parameters read right', () => {
    expect(en['code-wrong']!({ left: 1 })).toBe('That code is not correct. You have 1 try left.');
    expect(en['code-wrong']!({ left: 3 })).toBe('That code is not correct. You have 3 tries left.');
    expect(en['queue-estimate']!({ minutes: 1 })).toBe('The estimated wait is about 1 minute.');
    expect(en['queue-estimate']!({ minutes: 4 })).toBe('The estimated wait is about 4 minutes.');
    expect(en['code-send-failed']!({ channel: 'sms' })).toBe('Sorry, we could not send the code by text message.');
    expect(pl['code-send-failed']!({ channel: 'email' })).toBe('Przepraszamy, nie udało się wysłać kodu e-mailem.');
    expect(CATALOGS.de['code-wrong']({ left: 1 })).toBe('Dieser Code ist nicht korrekt. Sie haben noch 1 Versuch.');
    expect(CATALOGS.de['code-wrong']({ left: 2 })).toBe('Dieser Code ist nicht korrekt. Sie haben noch 2 Versuche.');
    expect(CATALOGS.es['code-wrong']({ left: 1 })).toBe('El código no es correcto. Le queda 1 intento.');
    expect(CATALOGS.hi['code-wrong']({ left: 2 })).toContain('2 मौके बाकी हैं');
  });

  it('regional catalogs: "hash key" and "organisation" outside North America, "carré" and "courriel" in Quebec', () => {
    expect(CATALOGS['en-GB']['account-prompt']({})).toBe("Please enter your organisation's account number, then press the hash key.");
    expect(CATALOGS['fr-CA']['account-prompt']({})).toContain('touche carré');
    expect(CATALOGS['fr-CA']['code-send-failed']({ channel: 'email' })).toContain('par courriel');
  });
});

/** Everything a catalog's callers and admins can receive: its messages and the read-outs of the speech layer. */
function spokenTextOf(key: CatalogKey): string {
  const tag = CATALOG_LOCALES[key];
  const all = { among: ALL_CATALOGS };
  const zone = SAMPLE_ZONES[key];
  const dues = [1, 26, 50, 74, 98, 122, 146, 300].map((h) =>
    formatDue(tag, new Date(SAMPLE_NOW.getTime() + h * 3_600_000), { timeZone: zone, now: SAMPLE_NOW, among: ALL_CATALOGS }),
  );
  const hours = spokenHours(tag, { mon: ['09:00', '17:00'], wed: ['09:00', '17:00'], sat: ['10:00', '14:00'], sun: ['10:00', '14:00'] }, all);
  return [...renderedCatalog(key).map(([, t]) => t), ...dues, hours, promptPage(key)].join('\n');
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const DAY_NAMES = new Map<CatalogKey, Set<string>>();

/** A catalog's weekday names: its own and Intl's for its locale, lower case. */
function namesOf(k: CatalogKey): Set<string> {
  let names = DAY_NAMES.get(k);
  if (!names) {
    const weekday = new Intl.DateTimeFormat(CATALOG_LOCALES[k], { weekday: 'long', timeZone: 'UTC' });
    const intl = DAY_KEYS.map((_, i) => weekday.format(new Date(Date.UTC(2024, 0, 1 + i))));
    DAY_NAMES.set(k, (names = new Set([...DAY_KEYS.map((d) => CATALOGS[k]['day-name']({ day: d })), ...intl].map((n) => n.toLowerCase()))));
  }
  return names;
}

/** The day names of other languages that occur in `text` (a name two languages share, like "sábado", is no one's foreign word). */
function foreignDayNames(key: CatalogKey, text: string): string[] {
  const primary = (k: string) => (k.startsWith('zh') ? 'zh' : k.split('-')[0]);
  const own = namesOf(key);
  const found = new Set<string>();
  for (const other of Object.keys(CATALOGS) as CatalogKey[]) {
    if (primary(other) === primary(key)) continue;
    for (const name of namesOf(other)) {
      if (own.has(name)) continue;
      const re = new RegExp(`(^|[^\\p{L}])${name}($|[^\\p{L}])`, 'iu');
      if (/\p{Script=Han}|\p{Script=Hangul}/u.test(name) ? text.includes(name) : re.test(text)) found.add(name);
    }
  }
  return [...found].map((n) => (text.match(new RegExp(n, 'iu')) ?? [n])[0]!);
}

describe('catalogFor and localize', () => {
  it('the exact tag, then the primary subtag, then English with an English voice', () => {
    expect(catalogFor('pl-PL')).toEqual({ catalog: pl, spoken: 'pl-PL' });
    expect(catalogFor('pl')).toEqual({ catalog: pl, spoken: 'pl' });
    // Contract v2 §2.10: every catalog is live, so de-DE and ja-JP speak their own; only a language without one falls back.
    expect(catalogFor('en-GB')).toEqual({ catalog: CATALOGS['en-GB'], spoken: 'en-GB' });
    expect(catalogFor('de-DE')).toEqual({ catalog: CATALOGS.de, spoken: 'de-DE' });
    expect(catalogFor('ja-JP')).toEqual({ catalog: CATALOGS.ja, spoken: 'ja-JP' });
    expect(catalogFor('fi-FI')).toEqual({ catalog: en, spoken: 'en-US' });
  });

  it('localizes in the call language and fails loudly on an unknown id', () => {
    expect(localize('pl-PL', { id: 'goodbye' })).toBe('Do widzenia.');
    expect(localize('de-DE', { id: 'goodbye' })).toBe('Auf Wiederhören.');
    expect(localize('fi-FI', { id: 'goodbye' })).toBe('Goodbye.');
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
