/**
 * Which voice says a language: one table from line tags to the `<Say language>` Twilio accepts and an
 * explicit voice (Amazon Polly neural voices where Polly has the language, Google voices where it does not:
 * Taiwanese Mandarin and Cantonese). A tag without a row of its own takes the nearest one: the row of its
 * catalog's region (en-SG → en-GB), else of its language (de-LU → de-DE). A line may name its own `voice`.
 */
import { CATALOG_LOCALES, catalogKeyFor, LIVE_CATALOGS, type CatalogKey } from '../messages/catalog.js';

export interface Voice {
  /** `<Say language>`: one of the values the twilio library's `SayLanguage` type lists. */
  say: string;
  /** `<Say voice>`: `Polly.<Name>-Neural` or `Google.<locale>-<model>-<letter>`. */
  voice: string;
}

/** Line tags with a voice of their own. Keep the docs' table (docs/languages.md) in step: a test compares them. */
export const VOICES: Record<string, Voice> = {
  'en-US': { say: 'en-US', voice: 'Polly.Joanna-Neural' },
  'en-GB': { say: 'en-GB', voice: 'Polly.Amy-Neural' },
  'en-AU': { say: 'en-AU', voice: 'Polly.Olivia-Neural' },
  'en-NZ': { say: 'en-NZ', voice: 'Polly.Aria-Neural' },
  'en-IN': { say: 'en-IN', voice: 'Polly.Kajal-Neural' },
  'en-IE': { say: 'en-IE', voice: 'Polly.Niamh-Neural' },
  'en-ZA': { say: 'en-ZA', voice: 'Polly.Ayanda-Neural' },
  'en-CA': { say: 'en-US', voice: 'Polly.Joanna-Neural' },
  'pl-PL': { say: 'pl-PL', voice: 'Polly.Ola-Neural' },
  'de-DE': { say: 'de-DE', voice: 'Polly.Vicki-Neural' },
  'de-AT': { say: 'de-AT', voice: 'Polly.Hannah-Neural' },
  'fr-FR': { say: 'fr-FR', voice: 'Polly.Lea-Neural' },
  'fr-CA': { say: 'fr-CA', voice: 'Polly.Gabrielle-Neural' },
  'fr-BE': { say: 'fr-BE', voice: 'Polly.Isabelle-Neural' },
  'es-ES': { say: 'es-ES', voice: 'Polly.Lucia-Neural' },
  'es-MX': { say: 'es-MX', voice: 'Polly.Mia-Neural' },
  'es-US': { say: 'es-US', voice: 'Polly.Lupe-Neural' },
  'it-IT': { say: 'it-IT', voice: 'Polly.Bianca-Neural' },
  'pt-BR': { say: 'pt-BR', voice: 'Polly.Camila-Neural' },
  'pt-PT': { say: 'pt-PT', voice: 'Polly.Ines-Neural' },
  'ja-JP': { say: 'ja-JP', voice: 'Polly.Kazuha-Neural' },
  'zh-CN': { say: 'cmn-CN', voice: 'Polly.Zhiyu-Neural' },
  'zh-TW': { say: 'cmn-TW', voice: 'Google.cmn-TW-Wavenet-A' },
  'zh-HK': { say: 'yue-HK', voice: 'Google.yue-HK-Standard-A' },
  'ko-KR': { say: 'ko-KR', voice: 'Polly.Seoyeon-Neural' },
  'nl-NL': { say: 'nl-NL', voice: 'Polly.Laura-Neural' },
  'nl-BE': { say: 'nl-BE', voice: 'Polly.Lisa-Neural' },
  'sv-SE': { say: 'sv-SE', voice: 'Polly.Elin-Neural' },
  'tr-TR': { say: 'tr-TR', voice: 'Polly.Burcu-Neural' },
  'hi-IN': { say: 'hi-IN', voice: 'Polly.Kajal-Neural' },
};

/** The row a catalog falls back to when a tag of its language has none of its own: its locale's row. */
const CATALOG_VOICE = CATALOG_LOCALES;

/** How one `<Say>` is spoken: the catalog its words come from, Twilio's language and voice, and the Intl locale. */
export interface Speech extends Voice {
  catalog: CatalogKey;
  /** Locale of dates, times, numbers and plurals: the line's own tag when Intl knows it for that language. */
  locale: string;
}

/**
 * The speech of a line tag among `among` catalogs (the live ones by default). A tag whose language has no
 * catalog is spoken in US English by an English voice, never English words in a foreign voice (contract
 * §2.10); a line's own `voice` applies only when its language is the one spoken.
 */
export function speechFor(tag: string, opts: { voice?: string; among?: ReadonlySet<CatalogKey> } = {}): Speech {
  const key = catalogKeyFor(tag, opts.among ?? LIVE_CATALOGS);
  if (!key) return { catalog: 'en', ...VOICES['en-US']!, locale: 'en-US' };
  // A catalog was found, so the tag's own language is the one spoken: its voice override and locale apply.
  const row = voiceRow(tag, key);
  return { catalog: key, say: row.say, voice: opts.voice ?? row.voice, locale: intlKnows(tag) ? tag : CATALOG_LOCALES[key] };
}

/** A tag's own row, else the row of its nearest catalog (en-SG → en-GB even while only `en` is live), else `key`'s. */
export function voiceRow(tag: string, key: CatalogKey): Voice {
  return VOICES[tag] ?? VOICES[tag.split('-')[0]!] ?? VOICES[CATALOG_VOICE[catalogKeyFor(tag) ?? key]] ?? VOICES[CATALOG_VOICE[key]]!;
}

/** Whether the line's language has a catalog (false: its callers hear the English fallback). */
export function hasCatalog(tag: string): boolean {
  return catalogKeyFor(tag) !== undefined;
}

/** Whether the table gives the line's language a voice (through its catalog): false means no `<Say voice>` could be chosen. */
export function hasVoice(tag: string): boolean {
  const key = catalogKeyFor(tag);
  return !!key && !!(VOICES[tag] ?? VOICES[CATALOG_VOICE[key]]);
}

/**
 * Whether a voice name can say a tag: Google voices name their locale ("Google.de-DE-…"), so it must be the
 * tag's `<Say language>`; Polly names carry no locale, so any well-formed Polly name is accepted.
 */
export function voiceFits(voice: string, tag: string): boolean {
  if (/^Polly\.[A-Z][A-Za-zé]+(-Neural|-Generative)?$/.test(voice)) return true;
  const google = /^Google\.([a-z]{2,3}-[A-Z]{2})-[A-Za-z0-9-]+$/.exec(voice);
  if (!google) return false;
  const key = catalogKeyFor(tag);
  return !!key && voiceRow(tag, key).say === google[1];
}

function intlKnows(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}
