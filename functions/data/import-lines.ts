/**
 * Turns a published table of support numbers ("Austria | +43 316 231266 ext. 2 | +43 800 802079") into
 * `lines` entries of the data file. Published tables are written for people: dots and commas as
 * separators, national formats, a trunk "0" after the country code, "or" between alternatives. Every
 * number is normalized to E.164 by libphonenumber-js (full metadata), and a number the library does not
 * validate is left out with the reason, never guessed at: a wrong number in the data file would route
 * real callers nowhere.
 */
import { getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Line } from '../domain/model.js';

/** Country names as published tables write them (lower case) → ISO 3166-1 alpha-2. */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  argentina: 'AR',
  australia: 'AU',
  austria: 'AT',
  belgium: 'BE',
  brazil: 'BR',
  brasil: 'BR',
  bulgaria: 'BG',
  canada: 'CA',
  chile: 'CL',
  china: 'CN',
  'mainland china': 'CN',
  colombia: 'CO',
  croatia: 'HR',
  'czech republic': 'CZ',
  czechia: 'CZ',
  denmark: 'DK',
  egypt: 'EG',
  estonia: 'EE',
  finland: 'FI',
  france: 'FR',
  germany: 'DE',
  deutschland: 'DE',
  greece: 'GR',
  'hong kong': 'HK',
  'hong kong sar': 'HK',
  hungary: 'HU',
  iceland: 'IS',
  india: 'IN',
  indonesia: 'ID',
  ireland: 'IE',
  israel: 'IL',
  italy: 'IT',
  japan: 'JP',
  korea: 'KR',
  'south korea': 'KR',
  'republic of korea': 'KR',
  latvia: 'LV',
  lithuania: 'LT',
  luxembourg: 'LU',
  malaysia: 'MY',
  mexico: 'MX',
  méxico: 'MX',
  netherlands: 'NL',
  'the netherlands': 'NL',
  holland: 'NL',
  'new zealand': 'NZ',
  norway: 'NO',
  peru: 'PE',
  philippines: 'PH',
  'the philippines': 'PH',
  poland: 'PL',
  portugal: 'PT',
  'puerto rico': 'PR',
  romania: 'RO',
  'saudi arabia': 'SA',
  singapore: 'SG',
  slovakia: 'SK',
  slovenia: 'SI',
  'south africa': 'ZA',
  spain: 'ES',
  sweden: 'SE',
  switzerland: 'CH',
  taiwan: 'TW',
  thailand: 'TH',
  turkey: 'TR',
  türkiye: 'TR',
  turkiye: 'TR',
  ukraine: 'UA',
  'united arab emirates': 'AE',
  uae: 'AE',
  'united kingdom': 'GB',
  uk: 'GB',
  'u.k.': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  us: 'US',
  america: 'US',
  vietnam: 'VN',
  'viet nam': 'VN',
};

/** Default language and time zone per country: the main support language and the most populous zone. */
export const COUNTRY_DEFAULTS: Readonly<Record<string, { language: string; timezone: string }>> = {
  AE: { language: 'en-AE', timezone: 'Asia/Dubai' },
  AR: { language: 'es-AR', timezone: 'America/Argentina/Buenos_Aires' },
  AT: { language: 'de-AT', timezone: 'Europe/Vienna' },
  AU: { language: 'en-AU', timezone: 'Australia/Sydney' },
  BE: { language: 'nl-BE', timezone: 'Europe/Brussels' },
  BG: { language: 'bg-BG', timezone: 'Europe/Sofia' },
  BR: { language: 'pt-BR', timezone: 'America/Sao_Paulo' },
  CA: { language: 'en-CA', timezone: 'America/Toronto' },
  CH: { language: 'de-CH', timezone: 'Europe/Zurich' },
  CL: { language: 'es-CL', timezone: 'America/Santiago' },
  CN: { language: 'zh-CN', timezone: 'Asia/Shanghai' },
  CO: { language: 'es-CO', timezone: 'America/Bogota' },
  CZ: { language: 'cs-CZ', timezone: 'Europe/Prague' },
  DE: { language: 'de-DE', timezone: 'Europe/Berlin' },
  DK: { language: 'da-DK', timezone: 'Europe/Copenhagen' },
  EE: { language: 'et-EE', timezone: 'Europe/Tallinn' },
  EG: { language: 'ar-EG', timezone: 'Africa/Cairo' },
  ES: { language: 'es-ES', timezone: 'Europe/Madrid' },
  FI: { language: 'fi-FI', timezone: 'Europe/Helsinki' },
  FR: { language: 'fr-FR', timezone: 'Europe/Paris' },
  GB: { language: 'en-GB', timezone: 'Europe/London' },
  GR: { language: 'el-GR', timezone: 'Europe/Athens' },
  HK: { language: 'zh-HK', timezone: 'Asia/Hong_Kong' },
  HR: { language: 'hr-HR', timezone: 'Europe/Zagreb' },
  HU: { language: 'hu-HU', timezone: 'Europe/Budapest' },
  ID: { language: 'id-ID', timezone: 'Asia/Jakarta' },
  IE: { language: 'en-IE', timezone: 'Europe/Dublin' },
  IL: { language: 'he-IL', timezone: 'Asia/Jerusalem' },
  IN: { language: 'en-IN', timezone: 'Asia/Kolkata' },
  IS: { language: 'is-IS', timezone: 'Atlantic/Reykjavik' },
  IT: { language: 'it-IT', timezone: 'Europe/Rome' },
  JP: { language: 'ja-JP', timezone: 'Asia/Tokyo' },
  KR: { language: 'ko-KR', timezone: 'Asia/Seoul' },
  LT: { language: 'lt-LT', timezone: 'Europe/Vilnius' },
  LU: { language: 'fr-LU', timezone: 'Europe/Luxembourg' },
  LV: { language: 'lv-LV', timezone: 'Europe/Riga' },
  MX: { language: 'es-MX', timezone: 'America/Mexico_City' },
  MY: { language: 'en-MY', timezone: 'Asia/Kuala_Lumpur' },
  NL: { language: 'nl-NL', timezone: 'Europe/Amsterdam' },
  NO: { language: 'nb-NO', timezone: 'Europe/Oslo' },
  NZ: { language: 'en-NZ', timezone: 'Pacific/Auckland' },
  PE: { language: 'es-PE', timezone: 'America/Lima' },
  PH: { language: 'en-PH', timezone: 'Asia/Manila' },
  PL: { language: 'pl-PL', timezone: 'Europe/Warsaw' },
  PR: { language: 'es-PR', timezone: 'America/Puerto_Rico' },
  PT: { language: 'pt-PT', timezone: 'Europe/Lisbon' },
  RO: { language: 'ro-RO', timezone: 'Europe/Bucharest' },
  SA: { language: 'ar-SA', timezone: 'Asia/Riyadh' },
  SE: { language: 'sv-SE', timezone: 'Europe/Stockholm' },
  SG: { language: 'en-SG', timezone: 'Asia/Singapore' },
  SI: { language: 'sl-SI', timezone: 'Europe/Ljubljana' },
  SK: { language: 'sk-SK', timezone: 'Europe/Bratislava' },
  TH: { language: 'th-TH', timezone: 'Asia/Bangkok' },
  TR: { language: 'tr-TR', timezone: 'Europe/Istanbul' },
  TW: { language: 'zh-TW', timezone: 'Asia/Taipei' },
  UA: { language: 'uk-UA', timezone: 'Europe/Kyiv' },
  US: { language: 'en-US', timezone: 'America/New_York' },
  VN: { language: 'vi-VN', timezone: 'Asia/Ho_Chi_Minh' },
  ZA: { language: 'en-ZA', timezone: 'Africa/Johannesburg' },
};

/** ISO code of a country as a table names it ("United Kingdom", "UK", "GB"), if known. */
export function countryCode(name: string): string | undefined {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const named = COUNTRY_NAMES[key];
  if (named) return named;
  const upper = key.toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && isSupportedCountry(upper) && COUNTRY_DEFAULTS[upper] ? upper : undefined;
}

export type NormalizedNumber = { ok: true; e164: string; extension?: string; note?: string } | { ok: false; reason: string };

const EXTENSION = /[,;]?\s*\b(?:ext\.?|extension|x)\s*(\d+)\s*$/i;

function nationalPrefixOf(country: CountryCode): string | undefined {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  // The typings leave the numbering plan opaque; this one accessor is all we need from it.
  return (metadata.numberingPlan as { nationalPrefix(): string | undefined } | undefined)?.nationalPrefix();
}

/**
 * One published number as E.164, by what libphonenumber-js says about it. `country` is the country the
 * table lists it under, used for numbers written in national format. A trunk prefix written after the
 * country code ("+49 0800 …") is accepted only when the library validates the number without it, and
 * the result says so in `note`.
 */
export function normalizePublishedNumber(published: string, country: string): NormalizedNumber {
  if (!isSupportedCountry(country)) return { ok: false, reason: `unknown country code ${country}` };
  let text = published.trim();
  let extension: string | undefined;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index).trim();
  }
  // Labels and remarks: "Toll-free: 0800 …", "0800 … (free call)".
  text = text
    .replace(/\([^)]*[A-Za-z][^)]*\)/g, ' ')
    .replace(/^[^\d+(]*:\s*/, '')
    .replace(/^[^\d+(]+/, '')
    .trim();
  if (/[A-Za-z]/.test(text)) return { ok: false, reason: 'contains letters (a vanity number?); write it in digits' };
  if (!/\d/.test(text)) return { ok: false, reason: 'no digits' };
  const callingCode = getCountryCallingCode(country);
  // "(86) 400-089-0365": the country code in parentheses, as some tables write it.
  const parenthesized = /^\((\d{1,3})\)\s*/.exec(text);
  if (parenthesized && parenthesized[1] === callingCode) text = `+${callingCode} ${text.slice(parenthesized[0].length)}`;
  // Commas are digit-group separators in some tables ("+1,888,799,9666"); the library rejects them.
  text = text.replace(/,/g, ' ');

  const parsed = parsePhoneNumberFromString(text, { defaultCountry: country });
  if (!parsed) return { ok: false, reason: `libphonenumber-js cannot parse "${text}" as a phone number (of ${country})` };
  if (!parsed.isValid()) {
    const reason = `libphonenumber-js does not validate ${parsed.number} as a number of ${parsed.country ?? country}`;
    const stripped = withoutTrunkZero(text);
    if (!stripped) return { ok: false, reason };
    const retry = parsePhoneNumberFromString(stripped.candidate);
    if (!retry?.isValid()) return { ok: false, reason: `${reason}, nor without the 0 after +${stripped.callingCode}` };
    // Only a trunk prefix may be dropped: the library's national form of the result must be what was
    // written after the country code. "+81 0053 …" is not "053 …" in Hamamatsu with a stray 0.
    const national = retry.formatNational().replace(/\D/g, '');
    if (national !== stripped.writtenNational) {
      return {
        ok: false,
        reason:
          `${reason}; without the 0 after +${stripped.callingCode} it validates ${retry.number}, but that is ` +
          `${retry.formatNational()} nationally, not the published ${stripped.writtenNational}: a different number`,
      };
    }
    return accept(
      retry,
      extension,
      callingCode,
      `written with the national trunk prefix 0 after +${stripped.callingCode}; libphonenumber-js validates it without: ${retry.number}`,
    );
  }
  return accept(parsed, extension, callingCode, undefined, text);
}

/** "+49 0800 …" → "+49 800 …" and the digits written after the country code, when a 0 follows it. */
function withoutTrunkZero(text: string): { candidate: string; callingCode: string; writtenNational: string } | undefined {
  if (!text.startsWith('+')) return undefined;
  const digits = text.slice(1).replace(/\D/g, '');
  for (const length of [1, 2, 3]) {
    const callingCode = digits.slice(0, length);
    const rest = digits.slice(length);
    if (rest.startsWith('0') && isCallingCode(callingCode)) {
      return { candidate: `+${callingCode}${rest.slice(1)}`, callingCode, writtenNational: rest };
    }
  }
  return undefined;
}

function isCallingCode(code: string): boolean {
  return parsePhoneNumberFromString(`+${code}0000000`)?.countryCallingCode === code;
}

function accept(parsed: PhoneNumber, extension: string | undefined, callingCode: string, knownNote?: string, text?: string): NormalizedNumber {
  const country = parsed.country;
  const trunk = country && isSupportedCountry(country) ? nationalPrefixOf(country) : undefined;
  if (trunk === '0' && parsed.nationalNumber.startsWith('0')) {
    return {
      ok: false,
      reason:
        `libphonenumber-js reads it as ${parsed.number}, whose national number begins with the trunk prefix 0 ` +
        `of ${country}: a national-only number (like India's 000 800 ITFS numbers), not reachable from abroad, so it has no E.164 form`,
    };
  }
  if (extension !== undefined && !/^[0-9]$/.test(extension)) {
    return { ok: false, reason: `extension ${extension} is not a single menu digit 0-9` };
  }
  let note = knownNote;
  if (!note && text?.startsWith('+')) {
    const written = text.slice(1).replace(/\D/g, '');
    const afterCode = written.slice(parsed.countryCallingCode.length);
    if (afterCode !== parsed.nationalNumber && afterCode === `0${parsed.nationalNumber}`) {
      note = `written with the national trunk prefix 0 after +${parsed.countryCallingCode}; libphonenumber-js validates it without: ${parsed.number}`;
    }
  }
  if (parsed.countryCallingCode !== callingCode) {
    const remark = `a +${parsed.countryCallingCode} number listed under a +${callingCode} country`;
    note = note ? `${note}; ${remark}` : remark;
  }
  return { ok: true, e164: parsed.number, ...(extension !== undefined ? { extension } : {}), ...(note ? { note } : {}) };
}

export interface ImportOptions {
  /** Priority scheme of every imported line; default "p1-p4". */
  scheme?: string;
  /** Service an "ext. N" leads to, and the default service; default "technical". */
  service?: string;
  /** Prefix of each line's label, like "Video vendor". */
  labelPrefix?: string;
}

export interface ImportRejection {
  /** 1-based row of the table. */
  row: number;
  country: string;
  published: string;
  reason: string;
}

export interface ImportNote {
  row: number;
  published: string;
  number: string;
  note: string;
}

export interface ImportResult {
  lines: Line[];
  rejected: ImportRejection[];
  notes: ImportNote[];
}

/**
 * Converts a `|`-separated table, one row per country: the country (or several, "United States and
 * Canada") then one or more cells of numbers, alternatives joined by "or". Header and Markdown separator
 * rows are skipped. Each number becomes one line; a row's countries become the line's `countries`.
 */
export function importLines(table: string, options: ImportOptions = {}): ImportResult {
  const scheme = options.scheme ?? 'p1-p4';
  const service = options.service ?? 'technical';
  const result: ImportResult = { lines: [], rejected: [], notes: [] };
  const seen = new Map<string, number>();
  let sawContent = false;

  table.split(/\r?\n/).forEach((raw, index) => {
    const row = index + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || /^\|?[\s:|-]+$/.test(text)) return;
    const cells = splitCells(text);
    const first = !sawContent;
    sawContent = true;
    const [countryCell = '', ...numberCells] = cells;
    if (!/\d/.test(numberCells.join(' '))) {
      // The first row without any number is the table's header ("Country | Phone number").
      if (!first) result.rejected.push({ row, country: countryCell, published: text, reason: 'no phone number in this row' });
      return;
    }
    const names = countryCell
      .replace(/\([^)]*\)/g, ' ')
      .split(/\s*(?:\/|&|,|\band\b)\s*/i)
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const countries = names.map((name) => countryCode(name));
    const unknown = names.filter((_, i) => countries[i] === undefined);
    if (names.length === 0 || unknown.length > 0) {
      const what = names.length === 0 ? 'no country' : `unknown country ${unknown.map((name) => `"${name}"`).join(', ')}`;
      result.rejected.push({ row, country: countryCell, published: numberCells.join(' | '), reason: what });
      return;
    }
    const codes = [...new Set(countries as string[])];
    const primary = codes[0]!;
    const defaults = COUNTRY_DEFAULTS[primary]!;
    for (const cell of numberCells) {
      for (const published of cell
        .split(/\s+or\s+|;|\s+\/\s+/i)
        .map((part) => part.trim())
        .filter((part) => /\d/.test(part))) {
        const normalized = normalizePublishedNumber(published, primary);
        if (!normalized.ok) {
          result.rejected.push({ row, country: countryCell, published, reason: normalized.reason });
          continue;
        }
        const duplicate = seen.get(normalized.e164);
        if (duplicate !== undefined) {
          result.rejected.push({ row, country: countryCell, published, reason: `${normalized.e164} is already on row ${duplicate}` });
          continue;
        }
        seen.set(normalized.e164, row);
        if (normalized.note) result.notes.push({ row, published, number: normalized.e164, note: normalized.note });
        result.lines.push({
          number: normalized.e164,
          countries: codes,
          language: defaults.language,
          timezone: defaults.timezone,
          ...(normalized.extension !== undefined ? { extensions: { [normalized.extension]: service } } : {}),
          defaultService: service,
          scheme,
          label: `${options.labelPrefix ? `${options.labelPrefix}: ` : ''}${countryCell}, published as "${published}"`,
        });
      }
    }
  });
  return result;
}

/**
 * The cells of one row, whatever the table was copied from: Markdown or wiki pipes, tabs (a table copied
 * from a web page or a spreadsheet), CSV with commas or semicolons (quoted cells kept whole), or plain
 * pasted text where the country comes first and the number starts at the first "+", "(" or digit.
 */
export function splitCells(text: string): string[] {
  const clean = (cells: string[]) => cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  if (text.includes('|')) return clean(text.split('|'));
  if (text.includes('\t')) return clean(text.split('\t'));
  const csv = csvCells(text);
  if (csv.length > 1 && /\d/.test(csv.slice(1).join(''))) return clean(csv);
  const start = text.search(/[+(\d]/);
  if (start <= 0) return clean([text]);
  return clean([text.slice(0, start).replace(/[\s:–—-]+$/, ''), text.slice(start)]);
}

/** One CSV record (RFC 4180 quoting), split on semicolons when the row has them outside quotes and no commas, else on commas. */
function csvCells(text: string): string[] {
  const outside = text.replace(/"[^"]*"/g, '');
  const sep = outside.includes(';') && !outside.includes(',') ? ';' : ',';
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
