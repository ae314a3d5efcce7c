/**
 * Every prompt, text and email of every catalog with sample parameters, as Markdown (docs/prompts/<key>.md),
 * so a reviewer reads each language without a phone. `npm run prompts:snapshot` writes the files; a test
 * regenerates them and fails when the committed ones are out of date. The parameters are themselves
 * formatted by the speech layer in the page's language (hours, due times, durations, ticket numbers).
 */
import { ALL_CATALOGS, CATALOG_LOCALES, CATALOGS, type CatalogKey, type MessageId, type Params } from '../functions/domain/messages/catalog.js';
import { formatDue, spokenClock, spokenDate, spokenDuration, spokenHours, spokenTime, ticketDigits, zoneName } from '../functions/domain/speech/format.js';
import { codeNotice, priorityMeaning, spokenServiceName, statusNotice, ticketOpenedNotice } from '../functions/domain/speech/texts.js';
import { speechFor } from '../functions/domain/speech/voices.js';

const all = { among: ALL_CATALOGS };
/** A Wednesday afternoon in UTC: every page uses the same instant, so the files change only when words do. */
export const SAMPLE_NOW = new Date('2026-12-02T14:00:00Z');

/** The zone each page's sample line is in. */
export const SAMPLE_ZONES: Record<CatalogKey, string> = {
  en: 'America/New_York',
  'en-GB': 'Europe/London',
  pl: 'Europe/Warsaw',
  de: 'Europe/Berlin',
  fr: 'Europe/Paris',
  'fr-CA': 'America/Toronto',
  es: 'Europe/Madrid',
  'es-MX': 'America/Mexico_City',
  it: 'Europe/Rome',
  pt: 'America/Sao_Paulo',
  ja: 'Asia/Tokyo',
  'zh-CN': 'Asia/Shanghai',
  'zh-HK': 'Asia/Hong_Kong',
  'zh-TW': 'Asia/Taipei',
  ko: 'Asia/Seoul',
  nl: 'Europe/Amsterdam',
  sv: 'Europe/Stockholm',
  tr: 'Europe/Istanbul',
  hi: 'Asia/Kolkata',
};

/** The line tag each page speaks as (the catalog's own locale). */
export const sampleTag = (key: CatalogKey): string => CATALOG_LOCALES[key];

const HOURS = { 'mon-fri': ['09:00', '17:00'] as [string, string], sat: ['09:00', '13:00'] as [string, string] };
const DUE = new Date(SAMPLE_NOW.getTime() + 4 * 3_600_000);

/** Parameters for any message, formatted in `tag` (the keys every message of the English catalog uses). */
export function sampleParams(tag: string, timeZone: string): Params {
  const time = { timeZone, among: ALL_CATALOGS };
  return {
    service: spokenServiceName({}, 'technical', tag, all),
    digit: 2,
    name: 'Ada',
    org: 'Contoso',
    last: '67',
    address: 'i…@contoso.example',
    left: 2,
    channel: 'sms',
    until: spokenDate(tag, '2027-03-03T15:00:00Z', time),
    hours: spokenHours(tag, HOURS, all),
    levels: 'P1',
    meaning: priorityMeaning(tag, { id: 'P1', firstResponse: 'PT1H' }, 0, 4, all),
    level: 'P2',
    top: 'P1',
    window: spokenDuration(tag, 7 * 86_400_000, all),
    duration: spokenDuration(tag, 3_600_000, all),
    digits: ticketDigits(tag, '1000042', all),
    due: formatDue(tag, DUE, { ...time, now: SAMPLE_NOW }),
    position: 3,
    minutes: 4,
    priority: 'P1',
    plan: 'business',
    method: 'code',
    id: 'licensing',
    day: 'wed',
    from: 'mon',
    to: 'fri',
    days: CATALOGS[speechFor(tag, all).catalog]['days-range']({ from: 'mon', to: 'fri' }),
    open: spokenClock(tag, '09:00', all),
    close: spokenClock(tag, '17:00', all),
    count: 7,
    n: 7,
    time: spokenTime(tag, DUE, time),
    date: new Intl.DateTimeFormat(speechFor(tag, all).locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(DUE),
    dateOnly: new Intl.DateTimeFormat(speechFor(tag, all).locale, { day: 'numeric', month: 'long', timeZone }).format(DUE),
    zone: zoneName(speechFor(tag, all).locale, DUE, timeZone),
    code: '482913',
    // The agent's own words on closing a ticket: a knowledge-base reference reads the same in every language.
    resolution: 'KB-1042',
    number: '1000042',
    status: 'in-progress',
    line: '+18887999666',
    max: 3,
    agent: '4711',
    numbers: 3,
    caller: '+48221234567',
  };
}

/** Every message of a catalog, rendered with the sample parameters of its page. */
export function renderedCatalog(key: CatalogKey): Array<[MessageId, string]> {
  const tag = sampleTag(key);
  const params = sampleParams(tag, SAMPLE_ZONES[key]);
  const catalog = CATALOGS[key];
  return (Object.keys(catalog) as MessageId[]).map((id) => [
    id,
    catalog[id](id === 'language-option' ? { ...params, name: catalog['language-name']({}) } : params),
  ]);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

/** One page: the voice, the read-outs, every message, and the texts and emails. */
export function promptPage(key: CatalogKey): string {
  const tag = sampleTag(key);
  const zone = SAMPLE_ZONES[key];
  const s = speechFor(tag, all);
  const time = { timeZone: zone, among: ALL_CATALOGS };
  const facts = { number: '1000042', priority: 'P1', service: 'technical', orgName: 'Contoso', status: 'waiting', firstResponseDue: DUE.toISOString() };
  const opened = ticketOpenedNotice(tag, 'email', facts, { services: {}, timeZone: zone, now: SAMPLE_NOW, among: ALL_CATALOGS });
  const code = codeNotice(tag, 'email', '482913', all);
  const status = statusNotice(tag, 'sms', { ...facts, status: 'in-progress' }, { services: {}, among: ALL_CATALOGS });
  const readouts: Array<[string, string]> = [
    ['hours (mon-fri 09:00-17:00, sat 09:00-13:00)', spokenHours(tag, HOURS, all)],
    ['hours (24/7)', spokenHours(tag, '24/7', all)],
    ['due in 4 hours', formatDue(tag, DUE, { ...time, now: SAMPLE_NOW })],
    ['due tomorrow, zone named', formatDue(tag, new Date(SAMPLE_NOW.getTime() + 24 * 3_600_000), { ...time, now: SAMPLE_NOW, nameZone: true })],
    ['due in 3 days', formatDue(tag, new Date(SAMPLE_NOW.getTime() + 72 * 3_600_000), { ...time, now: SAMPLE_NOW })],
    ['due in 12 days', formatDue(tag, new Date(SAMPLE_NOW.getTime() + 288 * 3_600_000), { ...time, now: SAMPLE_NOW })],
    ['bar ends', spokenDate(tag, '2027-03-03T15:00:00Z', time)],
    ['durations', [86_400_000, 7 * 86_400_000, 3_600_000, 4 * 3_600_000, 90 * 60_000].map((ms) => spokenDuration(tag, ms, all)).join(' · ')],
    ['ticket 1000042 / 900123456', `${ticketDigits(tag, '1000042', all)} / ${ticketDigits(tag, '900123456', all)}`],
  ];
  const lines = [
    `# Prompts: ${CATALOGS[key]['language-name']({})} (\`${key}\`)`,
    '',
    `Generated by \`npm run prompts:snapshot\` from \`functions/domain/messages/\`; do not edit. Sample line: \`${tag}\`, ${zone}, at ${SAMPLE_NOW.toISOString()}.`,
    `Spoken with \`<Say language="${s.say}" voice="${s.voice}">\`; dates and numbers in \`${s.locale}\`.`,
    '',
    '## Read-outs',
    '',
    '| what | said |',
    '|---|---|',
    ...readouts.map(([what, said]) => `| ${what} | ${cell(said)} |`),
    '',
    '## Messages',
    '',
    '| id | text |',
    '|---|---|',
    ...renderedCatalog(key).map(([id, text]) => `| \`${id}\` | ${cell(text)} |`),
    '',
    '## Texts and emails',
    '',
    `- Code by email. Subject: ${code.subject}`,
    '',
    '  ' + code.body.split('\n').join('\n  '),
    `- Ticket confirmation by email. Subject: ${opened.subject}`,
    '',
    `  ${opened.body}`,
    `- Status change by text: ${status.body}`,
    '',
  ];
  return lines.join('\n');
}

/** Every page, by its path under the project root. */
export function promptDocs(): Record<string, string> {
  return Object.fromEntries((Object.keys(CATALOGS) as CatalogKey[]).map((key) => [`docs/prompts/${key}.md`, promptPage(key)]));
}
