/**
 * Message catalogs: one per language, each complete (a `Record<MessageId, …>`, so a missing message fails to
 * compile), with English as the reference whose keys are the type `MessageId`. Localizing is a pure
 * function of (language, message), so the TwiML adapter and the notifiers say anything in the call's language.
 *
 * Adding a language is one entry in `CATALOGS` (and a voice in `speech/voices.ts`): see docs/languages.md.
 */
import type { Message } from '../decisions.js';
import { en } from './en.js';
import { pl } from './pl.js';
import { de } from './de.js';
import { fr, frCA } from './fr.js';
import { es, esMX } from './es.js';
import { it } from './it.js';
import { pt } from './pt.js';
import { ja } from './ja.js';
import { zhCN } from './zh-CN.js';
import { zhHK } from './zh-HK.js';
import { zhTW } from './zh-TW.js';
import { ko } from './ko.js';
import { nl } from './nl.js';
import { sv } from './sv.js';
import { tr } from './tr.js';
import { hi } from './hi.js';
import { enGB } from './en-GB.js';
import type { Params } from './plural.js';

export type { Params };
/** Every message the line can say: the keys of the English reference catalog. A misspelled id does not compile. */
export type MessageId = keyof typeof en;
export type Catalog = Record<MessageId, (p: Params) => string>;

/**
 * Catalogs by key: a primary language subtag ("de"), or a full tag where a region speaks differently
 * ("en-GB": "hash key"; "fr-CA": "carré"; "es-MX": "oprima"; the three Chinese ones are different languages for a caller).
 */
export const CATALOGS = {
  en,
  'en-GB': enGB,
  pl,
  de,
  fr,
  'fr-CA': frCA,
  es,
  'es-MX': esMX,
  it,
  pt,
  ja,
  'zh-CN': zhCN,
  'zh-HK': zhHK,
  'zh-TW': zhTW,
  ko,
  nl,
  sv,
  tr,
  hi,
} satisfies Record<string, Catalog>;

export type CatalogKey = keyof typeof CATALOGS;

/** The locale each catalog formats dates, times and numbers in (Intl), and whose plural rules it uses. */
export const CATALOG_LOCALES: Record<CatalogKey, string> = {
  en: 'en-US',
  'en-GB': 'en-GB',
  pl: 'pl-PL',
  de: 'de-DE',
  fr: 'fr-FR',
  'fr-CA': 'fr-CA',
  es: 'es-ES',
  'es-MX': 'es-MX',
  it: 'it-IT',
  pt: 'pt-BR',
  ja: 'ja-JP',
  'zh-CN': 'zh-CN',
  'zh-HK': 'zh-HK',
  'zh-TW': 'zh-TW',
  ko: 'ko-KR',
  nl: 'nl-NL',
  sv: 'sv-SE',
  tr: 'tr-TR',
  hi: 'hi-IN',
};

/** Region tags that use another catalog than their primary subtag's. */
const REGIONAL: Record<string, CatalogKey> = {
  'en-GB': 'en-GB',
  'en-AU': 'en-GB',
  'en-NZ': 'en-GB',
  'en-IE': 'en-GB',
  'en-IN': 'en-GB',
  'en-SG': 'en-GB',
  'en-MY': 'en-GB',
  'en-ZA': 'en-GB',
  'fr-CA': 'fr-CA',
  'es-MX': 'es-MX',
  'es-US': 'es-MX',
  'zh-CN': 'zh-CN',
  'zh-SG': 'zh-CN',
  'zh-Hans': 'zh-CN',
  'zh-HK': 'zh-HK',
  'zh-MO': 'zh-HK',
  'yue-HK': 'zh-HK',
  'zh-TW': 'zh-TW',
  'zh-Hant': 'zh-TW',
  'cmn-CN': 'zh-CN',
  'cmn-TW': 'zh-TW',
};
const PRIMARY_ALIAS: Record<string, CatalogKey> = { zh: 'zh-CN', cmn: 'zh-CN', yue: 'zh-HK' };

export const ALL_CATALOGS: ReadonlySet<CatalogKey> = new Set(Object.keys(CATALOGS) as CatalogKey[]);
/**
 * Catalogs callers hear: all of them. The flows take every parameter (meanings, day names, due times,
 * durations, ticket numbers, texts) from `speech/`, so no catalog's sentence carries another one's words.
 */
export const LIVE_CATALOGS: ReadonlySet<CatalogKey> = ALL_CATALOGS;

/** Primary languages with a catalog of their own ("en", "pl", "de", …, "zh"). */
export const CATALOG_LANGUAGES = [...new Set(Object.keys(CATALOGS).map((k) => k.split('-')[0]!))];

/** The catalog key for a BCP 47 tag, among `among` (all catalogs by default); undefined when none fits. */
export function catalogKeyFor(language: string, among: ReadonlySet<CatalogKey> = ALL_CATALOGS): CatalogKey | undefined {
  const parts = language.split('-');
  const primary = parts[0]!.toLowerCase();
  const script = parts.find((p) => /^[A-Za-z]{4}$/.test(p));
  const region = parts.find((p) => /^([A-Za-z]{2}|\d{3})$/.test(p) && p !== parts[0]);
  const candidates = [
    region ? REGIONAL[`${primary}-${region.toUpperCase()}`] : undefined,
    script ? REGIONAL[`${primary}-${script[0]!.toUpperCase()}${script.slice(1).toLowerCase()}`] : undefined,
    PRIMARY_ALIAS[primary],
    primary in CATALOGS ? (primary as CatalogKey) : undefined,
  ];
  for (const key of candidates) {
    if (!key) continue;
    if (among.has(key)) return key;
    // A regional catalog not in `among` still has its language's main catalog (en-GB → en).
    const main = key.split('-')[0] as CatalogKey;
    if (main in CATALOGS && among.has(main)) return main;
  }
  return undefined;
}

/**
 * The catalog for a BCP 47 tag among the live catalogs: its own, else English. `spoken` is the tag the
 * catalog speaks: the line's own tag when its language has a catalog, otherwise en-US, because English
 * words read by a German voice help no caller. (Which `<Say language>` and voice say it: `speech/voices.ts`.)
 */
export function catalogFor(language: string, among: ReadonlySet<CatalogKey> = LIVE_CATALOGS): { catalog: Catalog; spoken: string } {
  const key = catalogKeyFor(language, among);
  if (key) return { catalog: CATALOGS[key], spoken: language };
  return { catalog: en, spoken: 'en-US' };
}

/** The text of one message in `language` (among the live catalogs unless `among` says otherwise). */
export function localize(language: string, message: Message, among: ReadonlySet<CatalogKey> = LIVE_CATALOGS): string {
  const { catalog } = catalogFor(language, among);
  const fn = (catalog as Record<string, Catalog[MessageId] | undefined>)[message.id];
  if (!fn) throw new Error(`no message "${message.id}" in the catalog`);
  return fn(message.params ?? {});
}

/** Reads a number digit by digit ("1, 0, 0, 4, 2"). Kept for the flows until they use `speech/format.ts`'s `ticketDigits`. */
export function digitByDigit(s: string): string {
  return s.replace(/\D/g, '').split('').join(', ');
}
