/**
 * Message catalogs: one per language, English complete and the fallback of all others. Localizing is a
 * pure function of (language, message) so the TwiML adapter can say any decision in the call's language.
 */
import type { Message } from '../decisions.js';
import { en } from './en.js';
import { pl } from './pl.js';

export type Params = Record<string, string | number>;
export type Catalog = Record<string, (p: Params) => string>;

const CATALOGS: Record<string, Partial<Catalog>> = { en, pl };

/** Languages with a catalog of their own (primary subtags). */
export const CATALOG_LANGUAGES = Object.keys(CATALOGS);

/**
 * The catalog for a BCP 47 tag: the exact tag, else its primary subtag, else English. `spoken` is the
 * `<Say language>` to use: the line's own tag when its language has a catalog, otherwise en-US, because
 * English words read by a German voice help no caller.
 */
export function catalogFor(language: string): { catalog: Partial<Catalog>; spoken: string } {
  const exact = CATALOGS[language];
  if (exact) return { catalog: exact, spoken: language };
  const primary = language.split('-')[0]!.toLowerCase();
  const byPrimary = CATALOGS[primary];
  if (byPrimary) return { catalog: byPrimary, spoken: language };
  return { catalog: en, spoken: 'en-US' };
}

/** The text of one message in `language`; a message missing from that catalog falls back to English. */
export function localize(language: string, message: Message): string {
  const { catalog } = catalogFor(language);
  const fn = catalog[message.id] ?? en[message.id];
  if (!fn) throw new Error(`no message "${message.id}" in the catalog`);
  return fn(message.params ?? {});
}

/** Reads a number digit by digit ("1 0 0 4 2"), as callers write ticket numbers down. */
export function digitByDigit(s: string): string {
  return s.replace(/\D/g, '').split('').join(', ');
}
