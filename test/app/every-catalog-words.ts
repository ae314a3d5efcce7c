/**
 * The "foreign words" detector of test/app/every-catalog.test.ts: for one catalog, the sentences of every
 * OTHER catalog and the weekday and month names of every other catalog's locale that must never appear in
 * what its callers, agents or admins receive.
 *
 * Sentences: each catalog's messages rendered with a marker for every parameter (and with the values that
 * select table entries: statuses, channels, verification methods, weekdays), cut at the markers and at
 * punctuation into fragments; a fragment counts when it is distinctive (two words and ten characters in
 * alphabetic scripts, four characters in CJK, Hangul or Devanagari).
 *
 * What legitimately coincides is removed by one rule, stated once: a foreign fragment or name that also
 * occurs in the catalog's OWN texts, names or dates is not foreign to it. That is what makes related
 * catalogs work without a list of exceptions: en-GB is en with "hash key" and "organisation", so only the
 * en fragments with "pound key" or "organization" remain foreign to en-GB (and vice versa); es-MX vs es and
 * fr-CA vs fr keep only their differing sentences; zh-CN (simplified), zh-TW (traditional) and zh-HK
 * (Cantonese) share some fragments, which drop out, while simplified sentences in a Taiwanese call are
 * caught. Names: es-ES and es-MX, fr-FR and fr-CA, en-US and en-GB name days alike, and "mai" is French
 * May and Italian "never", "maj" Polish and Swedish May: each is dropped for the catalog that has it.
 */
import { CATALOG_LOCALES, CATALOGS, type CatalogKey, type MessageId } from '../../functions/domain/messages/catalog.js';

const MARK = '\u0001';
const STATUSES = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Parameter values that pick a table entry or a branch in some message; every other parameter is the marker. */
const VARIANTS: Array<Record<string, string | number>> = [
  {},
  ...STATUSES.map((status) => ({ status })),
  { channel: 'sms' },
  { channel: 'email' },
  { method: 'code' },
  { left: 1, position: 1, minutes: 1 },
  ...DAYS.map((d, i) => ({ day: d, from: d, to: DAYS[(i + 4) % 7]! })),
];

const NON_ALPHABETIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Devanagari}]/u;

function rendered(key: CatalogKey): Set<string> {
  const catalog = CATALOGS[key];
  const out = new Set<string>();
  for (const id of Object.keys(catalog) as MessageId[]) {
    for (const v of VARIANTS) {
      const params = new Proxy(v, { get: (t, k) => (typeof k === 'string' && k in t ? t[k] : MARK) }) as Record<string, string>;
      try {
        out.add(catalog[id](params));
      } catch {
        // a message that cannot take the marker for some parameter: its other variants still count
      }
    }
  }
  return out;
}

function distinctive(f: string): boolean {
  if (NON_ALPHABETIC.test(f)) return [...f].length >= 4;
  return f.length >= 10 && /\p{L}+[\s'’-]+\p{L}+/u.test(f);
}

const SPLIT = new RegExp(`[${MARK}.!?;:\\n。！？；：，、,()（）「」]`, 'u');

/** The distinctive fragments of a catalog's texts. */
export function fragmentsOf(key: CatalogKey): Set<string> {
  const out = new Set<string>();
  for (const t of rendered(key)) for (const f of t.split(SPLIT)) if (distinctive(f.trim())) out.add(f.trim());
  return out;
}

const namesCache = new Map<string, Set<string>>();

/** Weekday and month names of a locale (standalone and as they read inside a date: Polish "maj" and "maja"). */
export function namesOf(locale: string): Set<string> {
  const known = namesCache.get(locale);
  if (known) return known;
  const out = new Set<string>();
  namesCache.set(locale, out);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const inDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' });
  for (let d = 0; d < 7; d++) out.add(weekday.format(new Date(Date.UTC(2026, 4, 10 + d))));
  for (let m = 0; m < 12; m++) {
    const at = new Date(Date.UTC(2026, m, 13));
    out.add(month.format(at));
    const part = inDate.formatToParts(at).find((p) => p.type === 'month');
    if (part) out.add(part.value);
  }
  // Some locales' month "name" inside a date is a number (zh-HK's "9"): not a word of any language.
  for (const name of out) if (!/\p{L}/u.test(name)) out.delete(name);
  return out;
}

/** Full dates of every day of a year in a locale: what the catalog's own due times and bars can contain. */
function datesOf(locale: string): string {
  const f = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });
  return Array.from({ length: 366 }, (_, i) => f.format(new Date(Date.UTC(2026, 0, 1 + i)))).join('\n');
}

const lower = (s: string) => s.toLocaleLowerCase('und');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name as a whole word in alphabetic scripts; as a substring where words are not spaced (CJK). */
const wordPattern = (name: string) =>
  NON_ALPHABETIC.test(name) ? new RegExp(escapeRe(name), 'u') : new RegExp(`(?<![\\p{L}\\p{M}])${escapeRe(name)}(?![\\p{L}\\p{M}])`, 'iu');

/**
 * Whether any of the names occurs in a text, as its own `wordPattern` would find it: one pattern for all,
 * so a clean text (most of them) costs one search instead of one per name.
 */
function anyName(names: string[]): (text: string) => boolean {
  const words = names.filter((n) => !NON_ALPHABETIC.test(n)).map(escapeRe);
  const unspaced = names.filter((n) => NON_ALPHABETIC.test(n)).map(escapeRe);
  const patterns: RegExp[] = [];
  if (words.length) patterns.push(new RegExp(`(?<![\\p{L}\\p{M}])(?:${words.join('|')})(?![\\p{L}\\p{M}])`, 'iu'));
  if (unspaced.length) patterns.push(new RegExp(unspaced.join('|'), 'u'));
  return (text) => patterns.some((re) => re.test(text));
}

export interface Detector {
  /** Foreign sentences and names found in a text (empty when clean). */
  find(text: string): string[];
  fragments: number;
  names: number;
}

const cache = new Map<CatalogKey, Detector>();
/** Each catalog's fragments with their lower case, computed once for all the detectors that compare them. */
const fragmentCache = new Map<CatalogKey, Map<string, string>>();
const fragments = (k: CatalogKey) => fragmentCache.get(k) ?? fragmentCache.set(k, new Map([...fragmentsOf(k)].map((f) => [f, lower(f)]))).get(k)!;

/** Fragments are at least this long (ten letters, or four CJK characters), so each is indexed by its start. */
const KEY_LENGTH = 4;

/**
 * The sentences that occur in a text, in the order of `sentences`: the same as trying each of the few
 * thousand on the text, but looked up by the text's every four characters, which is what made the
 * detector most of this test's time.
 */
function sentenceFinder(sentences: string[]): (text: string) => string[] {
  const byStart = new Map<string, number[]>();
  sentences.forEach((s, i) => {
    if (s.length < KEY_LENGTH) throw new Error(`fragment shorter than ${KEY_LENGTH}: ${s}`);
    const key = s.slice(0, KEY_LENGTH);
    const list = byStart.get(key);
    if (list) list.push(i);
    else byStart.set(key, [i]);
  });
  return (text) => {
    const found = new Set<number>();
    for (let at = 0; at + KEY_LENGTH <= text.length; at++) {
      for (const i of byStart.get(text.slice(at, at + KEY_LENGTH)) ?? []) if (text.startsWith(sentences[i]!, at)) found.add(i);
    }
    return [...found].sort((a, b) => a - b).map((i) => sentences[i]!);
  };
}

/** The detector of words foreign to `key`, built from the other catalogs (all of `CATALOGS`). */
export function foreignTo(key: CatalogKey): Detector {
  const hit = cache.get(key);
  if (hit) return hit;
  const ownTexts = [...rendered(key)].join('\n');
  const ownLower = lower(ownTexts);
  const ownNames = new Set([...namesOf(CATALOG_LOCALES[key])].map(lower));
  const own = `${ownTexts}\n${datesOf(CATALOG_LOCALES[key])}`;
  const ownWords = new Set(lower(own).split(/[^\p{L}\p{M}]+/u));
  const others = (Object.keys(CATALOGS) as CatalogKey[]).filter((k) => k !== key);
  const sentences = new Set<string>();
  const ownFragments = new Set(fragments(key).values());
  for (const o of others) for (const [f, lf] of fragments(o)) if (!ownFragments.has(lf) && !ownLower.includes(lf)) sentences.add(f);
  const names: Array<{ name: string; re: RegExp }> = [];
  for (const o of others) {
    for (const name of namesOf(CATALOG_LOCALES[o])) {
      const re = wordPattern(name);
      const inOwn = /^\p{L}+$/u.test(name) && !NON_ALPHABETIC.test(name) ? ownWords.has(lower(name)) : re.test(own);
      if (ownNames.has(lower(name)) || inOwn || names.some((n) => n.name === name)) continue;
      names.push({ name, re });
    }
  }
  const sentenceList = [...sentences];
  const sentencesIn = sentenceFinder(sentenceList);
  const hasName = anyName(names.map((n) => n.name));
  const d: Detector = {
    find: (text) => [...sentencesIn(text), ...(hasName(text) ? names.filter((n) => n.re.test(text)).map((n) => n.name) : [])],
    fragments: sentenceList.length,
    names: names.length,
  };
  cache.set(key, d);
  return d;
}

/** An ISO 8601 date or timestamp ("2026-05-13", "2026-05-13T15:00:00.000Z"): never what a person should read. */
export const ISO_DATE = /\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?/;
