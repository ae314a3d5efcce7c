/**
 * How a service is named aloud, to callers and agents alike: the data file's own name in that language
 * (`services.<id>.names`), else a built-in name for the common ids, else one derived from the id.
 */
import type { Service } from './model.js';

const BUILT_IN: Record<string, Record<string, string>> = {
  en: { technical: 'technical support', billing: 'billing' },
  pl: { technical: 'wsparcie techniczne', billing: 'rozliczenia' },
};

export function serviceName(services: Record<string, Service>, id: string, language: string): string {
  const names = services[id]?.names;
  const primary = language.split('-')[0]!;
  const own = names?.[language] ?? names?.[primary];
  if (own) return own;
  if (primary === 'pl') return BUILT_IN.pl![id] ?? id;
  return BUILT_IN.en![id] ?? `${id} support`;
}
