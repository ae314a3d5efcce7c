/** Formatting in the spoken language: clocks, zones, due times, durations, hours and ticket numbers, per language. */
import { describe, expect, it } from 'vitest';
import { ALL_CATALOGS } from '../../functions/domain/messages/catalog.js';
import {
  digitGroups,
  formatDue,
  shouldNameZone,
  spokenClock,
  spokenDate,
  spokenDuration,
  spokenHours,
  spokenNumber,
  spokenTime,
  ticketDigits,
} from '../../functions/domain/speech/format.js';
import { codeNotice, languageMenuPrompt, priorityMeaning, spokenServiceName, statusNotice, ticketOpenedNotice } from '../../functions/domain/speech/texts.js';
import { serviceName } from '../../functions/domain/service-name.js';

const all = { among: ALL_CATALOGS };
const NOW = new Date('2026-12-02T14:00:00Z'); // Wednesday
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

describe('clocks: 12-hour where the locale says so, 24-hour elsewhere', () => {
  it.each([
    ['en-US', '5:00 PM'],
    ['en-AU', '5:00 pm'],
    ['en-GB', '17:00'],
    ['pl-PL', '17:00'],
    ['de-DE', '17:00'],
    ['fr-FR', '17:00'],
    ['ja-JP', '17:00'],
    ['zh-CN', '17:00'],
    ['ko-KR', '오후 5:00'],
    ['zh-TW', '下午5:00'],
  ])('%s says 17:00 as %s', (tag, said) => {
    expect(spokenClock(tag, '17:00', all)).toBe(said);
  });

  it('24:00 is midnight in the language', () => {
    expect(spokenClock('en-US', '24:00', all)).toBe('midnight');
    expect(spokenClock('de-DE', '24:00', all)).toBe('Mitternacht');
    expect(spokenClock('pl-PL', '24:00', all)).toBe('północy');
  });
});

describe('zones', () => {
  it('are named on shared numbers, for callers from elsewhere, and in countries with several zones', () => {
    expect(shouldNameZone({ lineCountries: ['US', 'CA'], callerCountry: 'US' })).toBe(true);
    expect(shouldNameZone({ lineCountries: ['DE'], callerCountry: 'FR' })).toBe(true);
    expect(shouldNameZone({ lineCountries: ['US'], callerCountry: 'US' })).toBe(true);
    expect(shouldNameZone({ lineCountries: ['DE'], callerCountry: 'DE' })).toBe(false);
    expect(shouldNameZone({ lineCountries: ['PL'] })).toBe(false);
  });

  it('are said in the language of the call', () => {
    expect(spokenTime('en-US', hours(3), { timeZone: 'America/New_York', nameZone: true, ...all })).toBe('12:00 PM Eastern Time');
    expect(spokenTime('de-DE', hours(3), { timeZone: 'Europe/Berlin', nameZone: true, ...all })).toBe('18:00 (Mitteleuropäische Zeit)');
    expect(spokenTime('de-DE', hours(3), { timeZone: 'Europe/Berlin', ...all })).toBe('18:00');
  });
});

describe('due times', () => {
  it('today, tomorrow, a weekday within the week, else a date, in each language', () => {
    const o = { timeZone: 'Europe/Berlin', now: NOW, ...all };
    expect(formatDue('de-DE', hours(2), o)).toBe('heute um 17:00');
    expect(formatDue('de-DE', hours(20), o)).toBe('morgen um 11:00');
    expect(formatDue('de-DE', hours(72), o)).toBe('am Samstag um 15:00');
    expect(formatDue('de-DE', hours(300), o)).toBe('am Dienstag, 15. Dezember um 3:00');
    expect(formatDue('pl-PL', hours(72), { ...o, timeZone: 'Europe/Warsaw' })).toBe('w sobotę o 15:00');
    expect(formatDue('en-US', hours(72), { ...o, timeZone: 'America/New_York' })).toBe('Saturday at 9:00 AM');
    expect(formatDue('ja-JP', hours(2), { ...o, timeZone: 'Asia/Tokyo' })).toBe('明日1:00');
    expect(formatDue('fr-FR', '2026-12-02T16:00:00Z', { ...o, timeZone: 'Europe/Paris' })).toBe('aujourd’hui à 17:00');
  });

  it('a date months away keeps its year', () => {
    expect(spokenDate('en-US', '2027-03-03T15:00:00Z', { timeZone: 'America/New_York', ...all })).toBe('Wednesday, March 3, 2027 at 10:00 AM');
    expect(spokenDate('pl-PL', '2027-03-03T15:00:00Z', { timeZone: 'Europe/Warsaw', ...all })).toBe('3 marca 2027, 16:00');
  });
});

describe('durations with each language’s plural forms', () => {
  it.each([
    ['en-US', [86_400_000, 7 * 86_400_000, 3_600_000, 4 * 3_600_000, 90 * 60_000], ['1 day', '7 days', '1 hour', '4 hours', '90 minutes']],
    ['pl-PL', [86_400_000, 2 * 86_400_000, 5 * 3_600_000, 22 * 3_600_000, 60_000], ['1 dzień', '2 dni', '5 godzin', '22 godziny', '1 minuta']],
    ['de-DE', [86_400_000, 7 * 86_400_000, 3_600_000], ['1 Tag', '7 Tage', '1 Stunde']],
    ['fr-FR', [86_400_000, 2 * 86_400_000], ['1 jour', '2 jours']],
    ['ja-JP', [7 * 86_400_000, 4 * 3_600_000], ['7日間', '4時間']],
    ['tr-TR', [7 * 86_400_000], ['7 gün']],
  ] as const)('%s', (tag, spans, said) => {
    expect(spans.map((ms) => spokenDuration(tag, ms, all))).toEqual(said);
  });

  it('whole days are days, not hours; numbers use the locale’s digits and grouping', () => {
    expect(spokenDuration('en-US', 168 * 3_600_000, all)).toBe('7 days');
    expect(spokenDuration('en-US', 36 * 3_600_000, all)).toBe('36 hours');
    expect(spokenNumber('de-DE', 12345, all)).toBe('12.345');
    expect(spokenNumber('en-US', 12345, all)).toBe('12,345');
  });
});

describe('opening hours', () => {
  it('ranges and lists of days, in the language and its grammar', () => {
    const h = { 'mon-fri': ['09:00', '17:00'] as [string, string], sat: ['09:00', '13:00'] as [string, string] };
    expect(spokenHours('en-US', h, all)).toBe('Monday to Friday, 9:00 AM to 5:00 PM; Saturday, 9:00 AM to 1:00 PM');
    expect(spokenHours('pl-PL', h, all)).toBe('od poniedziałku do piątku, od 9:00 do 17:00; sobota, od 9:00 do 13:00');
    expect(spokenHours('de-DE', { 'sat,sun': ['10:00', '14:00'] }, all)).toBe('Samstag und Sonntag von 10:00 bis 14:00');
    expect(spokenHours('tr-TR', h, all)).toContain('pazartesiden cumaya');
    expect(spokenHours('ja-JP', '24/7', all)).toBe('24時間365日');
  });
});

describe('ticket numbers in short groups', () => {
  it('groups of at most four, as even as possible, shorter first', () => {
    expect(digitGroups('1000042')).toEqual(['100', '0042']);
    expect(digitGroups('10000042')).toEqual(['1000', '0042']);
    expect(digitGroups('900123456')).toEqual(['900', '123', '456']);
    expect(digitGroups('1234567890')).toEqual(['123', '456', '7890']);
    expect(digitGroups('4217')).toEqual(['4217']);
    expect(digitGroups('')).toEqual([]);
  });

  it('digit by digit within a group, a pause (comma) between groups; an ideographic comma in Chinese and Japanese', () => {
    expect(ticketDigits('en-US', '1000042', all)).toBe('1 0 0, 0 0 4 2');
    expect(ticketDigits('de-DE', '1000042', all)).toBe('1 0 0, 0 0 4 2');
    expect(ticketDigits('ja-JP', '1000042', all)).toBe('1 0 0、0 0 4 2');
    expect(ticketDigits('zh-HK', '1000042', all)).toBe('1 0 0、0 0 4 2');
  });
});

describe('words the flows used to hold', () => {
  it('service names and priority meanings come from the catalog (the data file’s own names first)', () => {
    expect(spokenServiceName({}, 'technical', 'de-AT', all)).toBe('Technischer Support');
    expect(spokenServiceName({}, 'licensing', 'en-US', all)).toBe('licensing support');
    expect(spokenServiceName({ billing: { hours: '24/7', names: { de: 'Rechnungen' } } }, 'billing', 'de-CH', all)).toBe('Rechnungen');
    // The flows' serviceName speaks every live catalog (contract v2 §2.10: every word in the call's language).
    expect(serviceName({}, 'technical', 'pl-PL')).toBe('wsparcie techniczne');
    expect(serviceName({}, 'billing', 'de-DE')).toBe('Abrechnung');
    expect(serviceName({}, 'billing', 'fi-FI')).toBe('billing');
    expect(priorityMeaning('it-IT', { id: 'P4', firstResponse: 'PT24H' }, 3, 4, all)).toBe('ha una domanda o un problema minore');
    expect(priorityMeaning('en-US', { id: 'B', firstResponse: 'PT4H' }, 1, 3, all)).toBe('a critical problem affects one user or collaboration');
    expect(priorityMeaning('en-US', { id: 'C', firstResponse: 'PT4H' }, 2, 3, all)).toBe('you have a question or a minor issue');
  });

  it('the language menu: each option in its own language, carrying that language', () => {
    const menu = languageMenuPrompt(['en-US', 'de-DE', 'ja-JP'], all);
    expect(menu).toEqual([
      { id: 'language-option', params: { name: 'English', digit: 1 }, language: 'en-US' },
      { id: 'language-option', params: { name: 'Deutsch', digit: 2 }, language: 'de-DE' },
      { id: 'language-option', params: { name: '日本語', digit: 3 }, language: 'ja-JP' },
    ]);
  });

  it('texts and emails in the ticket’s language with local time and zone, never an ISO timestamp', () => {
    const facts = { number: '1000042', priority: 'P1', service: 'technical', orgName: 'Contoso', status: 'waiting', firstResponseDue: hours(1).toISOString() };
    const de = ticketOpenedNotice('de-DE', 'email', facts, { services: {}, timeZone: 'Europe/Berlin', now: NOW, ...all });
    expect(de).toEqual({
      subject: 'Support-Ticket 1000042 (P1)',
      body: 'Das Support-Ticket 1000042 (P1, Technischer Support) wurde telefonisch für Contoso eröffnet. Erste Antwort bis heute um 16:00 (Mitteleuropäische Zeit).',
    });
    const en = ticketOpenedNotice('en-US', 'sms', { ...facts, status: 'callback' }, { services: {}, timeZone: 'America/New_York', now: NOW, ...all });
    expect(en.body).toBe(
      'Support ticket 1000042 (P1, technical support) was opened by phone for Contoso. We will call back; first response due today at 10:00 AM Eastern Time.',
    );
    expect(en.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(codeNotice('pl-PL', 'sms', '123456', all).body).toBe(
      'Twój kod weryfikacyjny linii wsparcia to 123456. Jest ważny 10 minut. Nie udostępniaj go nikomu.',
    );
    expect(statusNotice('fr-FR', 'email', { ...facts, status: 'closed' }, { services: {}, ...all }).subject).toBe('Ticket d’assistance 1000042 : clôturé');
  });
});
