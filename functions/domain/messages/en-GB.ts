/**
 * English as said outside North America (GB, AU, NZ, IE, IN, SG, MY): the same messages with the "hash key"
 * (to these callers the "pound key" is £) and British spelling. Derived, so it can never miss a message.
 */
import type { Catalog, MessageId } from './catalog.js';
import { en } from './en.js';

const british = (text: string): string => text.replace(/\bpound key\b/g, 'hash key').replace(/\borganization(s?)\b/g, 'organisation$1');

export const enGB = Object.fromEntries(
  (Object.keys(en) as MessageId[]).map((id) => [id, (p: Parameters<Catalog[MessageId]>[0]) => british(en[id](p))]),
) as Catalog;
