/**
 * Facts from the calling number: E.164 normalization of Twilio's `From`, the caller's country (to pick
 * among a shared line's countries and their holidays), and the masked forms of destinations a caller
 * may hear. A compact calling-code table keeps libphonenumber's metadata (~100 KB) out of the functions;
 * the data file, where exact validation matters, is checked with libphonenumber-js at load time.
 */

/** Twilio sends E.164 (`+15551234567`); withheld numbers come as "anonymous", "Restricted" or "". */
export function normalizeE164(from: string | undefined): string | undefined {
  if (!from) return undefined;
  const trimmed = from.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
  if (/^00[1-9]\d{6,14}$/.test(digits)) return `+${digits.slice(2)}`;
  return undefined;
}

/** Canadian area codes (NANP): +1 numbers with these are CA, other +1 numbers US. */
const CA_AREA = new Set(
  '204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 460 468 474 506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905 942'.split(
    ' ',
  ),
);

/** Calling codes to ISO 3166 countries, longest prefix wins. Shared codes map to their main country. */
const CALLING_CODES: Record<string, string> = {
  '1': 'US',
  '7': 'RU',
  '20': 'EG',
  '27': 'ZA',
  '30': 'GR',
  '31': 'NL',
  '32': 'BE',
  '33': 'FR',
  '34': 'ES',
  '36': 'HU',
  '39': 'IT',
  '40': 'RO',
  '41': 'CH',
  '43': 'AT',
  '44': 'GB',
  '45': 'DK',
  '46': 'SE',
  '47': 'NO',
  '48': 'PL',
  '49': 'DE',
  '51': 'PE',
  '52': 'MX',
  '53': 'CU',
  '54': 'AR',
  '55': 'BR',
  '56': 'CL',
  '57': 'CO',
  '58': 'VE',
  '60': 'MY',
  '61': 'AU',
  '62': 'ID',
  '63': 'PH',
  '64': 'NZ',
  '65': 'SG',
  '66': 'TH',
  '81': 'JP',
  '82': 'KR',
  '84': 'VN',
  '86': 'CN',
  '90': 'TR',
  '91': 'IN',
  '92': 'PK',
  '93': 'AF',
  '94': 'LK',
  '95': 'MM',
  '98': 'IR',
  '212': 'MA',
  '213': 'DZ',
  '216': 'TN',
  '234': 'NG',
  '254': 'KE',
  '351': 'PT',
  '352': 'LU',
  '353': 'IE',
  '354': 'IS',
  '356': 'MT',
  '357': 'CY',
  '358': 'FI',
  '359': 'BG',
  '370': 'LT',
  '371': 'LV',
  '372': 'EE',
  '380': 'UA',
  '381': 'RS',
  '385': 'HR',
  '386': 'SI',
  '420': 'CZ',
  '421': 'SK',
  '852': 'HK',
  '853': 'MO',
  '855': 'KH',
  '886': 'TW',
  '880': 'BD',
  '966': 'SA',
  '971': 'AE',
  '972': 'IL',
  '974': 'QA',
};

/** The caller's country from an E.164 number, or undefined if unknown. */
export function countryOf(e164: string | undefined): string | undefined {
  if (!e164 || !e164.startsWith('+')) return undefined;
  const digits = e164.slice(1);
  if (digits.startsWith('1')) return CA_AREA.has(digits.slice(1, 4)) ? 'CA' : 'US';
  for (let len = 3; len >= 1; len--) {
    const c = CALLING_CODES[digits.slice(0, len)];
    if (c) return c;
  }
  return undefined;
}

/** Which of a line's countries the caller is served as: their own if listed, else the first (contract §4). */
export function servedCountry(lineCountries: readonly string[], caller: string | undefined): string {
  const c = countryOf(caller);
  return c && lineCountries.includes(c) ? c : lineCountries[0]!;
}

/** The last two digits of a phone number, the only part a caller hears ("ending in 67"). */
export function phoneEnding(e164: string): string {
  return e164.replace(/\D/g, '').slice(-2);
}

/** "it@contoso.example" → "i…@contoso.example": enough to recognize, not enough to learn. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${email[0]}…${email.slice(at)}`;
}
