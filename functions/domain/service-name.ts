/**
 * How a service is named aloud, to callers and agents alike: the data file's own name in that language
 * (`services.<id>.names`), else the catalog's name for the common ids, else one derived from the id. The
 * words live in the catalogs (`service-technical`, `service-billing`, `service-other`).
 */
import type { Service } from './model.js';
import { spokenServiceName } from './speech/texts.js';

export function serviceName(services: Record<string, Service>, id: string, language: string): string {
  return spokenServiceName(services, id, language);
}
