/**
 * Example 4, the collaboration suite (examples/collaboration.json), end to end through the server `npm start` runs: one
 * line offering 14 languages in a first menu (each option in its own language and voice), prompts in the
 * caller's chosen language, tickets in that language, agents filtered by it.
 * The file's hours are Monday–Friday 06:00–18:00 Pacific time; this test's copy opens all of today and
 * tomorrow so it runs at any hour (the first response, one business day, then falls on tomorrow).
 */
import { digitGroups } from '../../functions/domain/agent-life.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentTakesNext,
  hoursTo,
  loadExample,
  openNow,
  sayLanguages,
  startExample,
  todayAndTomorrow,
  type ExampleLine,
  spokenToCaller,
  stepOfGather,
} from './support/example-line.js';

const LINE = '+14155550100';
const AGENTS = '+14155550199';
const PIOTR = '+14155550111'; // Globex admin, will choose Polish
const MEI = '+14155550112'; // Globex owner, will choose Traditional Chinese (no catalog)
const JACK = '+14155550113'; // Globex member: admins only

const data = loadExample('collaboration');
const line0 = data.lines[0]!;
data.services.technical!.hours = openNow(line0.timezone);
data.holidays = { US: (data.holidays?.US ?? []).filter((d) => !todayAndTomorrow(line0.timezone).includes(d)) };

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

/** A caller who keys a language's position (1-14; `#` or a pause ends it) and then the priority, whatever language the prompts are in. */
const caller =
  (language: string, priority: string) =>
  (_prompt: string, gather: Readonly<Record<string, string>>): string | null => {
    const step = stepOfGather(gather);
    return step === 'language' ? language : step === 'priority' ? priority : null;
  };

let polishTicket = '';

describe('collaboration suite: 14 languages on one line', () => {
  // Contract v2 §2.10 and issue 12: each option is said in its own language and voice, by the language's own name.
  it('the first menu offers the 14 languages, each by its own name, in its own language and voice', async () => {
    const r = await line.phone(JACK, LINE).call([null, null, null]);
    const menu = r.prompts[0]!;
    expect(line0.languages).toHaveLength(14);
    for (const name of [
      'Deutsch',
      'Polski',
      'Español',
      'Français',
      'Italiano',
      'Português',
      'Svenska',
      'Türkçe',
      'Nederlands',
      '日本語',
      '한국어',
      '普通话',
      '國語',
    ])
      expect(menu).toContain(name);
    expect(menu).toContain('For English, press 1.');
    expect(menu).toContain('Polski: wciśnij 9.');
    expect(menu).toContain('國語請按14。');
    const first = r.events.find((e) => e.body.includes('Polski: wciśnij 9.'))!.body;
    const languages = [...first.matchAll(/<Say language="([^"]+)"/g)].map((m) => m[1]!);
    // The greeting in the line's English, then 14 options in 14 different <Say language>s.
    expect(languages).toHaveLength(15);
    expect(new Set(languages.slice(1)).size).toBe(14);
    expect(languages.at(-1)).toBe('cmn-TW');
  });

  it('choosing Polish (9, then a pause) gives Polish prompts and a ticket in pl-PL, due in one business day', async () => {
    const r = await line.phone(PIOTR, LINE).call(caller('9', '2'));
    expect(r.transcript()).toMatch(/Dzień dobry, Piotr Nowak z Globex/);
    // v2 (issue 13): shorter options
    expect(r.prompts.at(-1)).toMatch(/Wybierz priorytet\. Usługa nie działa w całej organizacji: wciśnij 1\./);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ language: 'pl-PL', priority: 'P2', status: 'waiting', service: 'technical' });
    expect(r.transcript()).toContain(`Numer zgłoszenia: ${spokenToCaller(t.number)}, `); // v2 §2.6: once, in groups
    expect(r.enqueued?.queue).toBe('technical.pl-PL.t1.r1.pq');
    // After the language menu (read in the line's English), everything is said with a Polish voice.
    const voices = sayLanguages(r);
    expect(voices.slice(0, 2)).toEqual(['en-US', 'en-US']);
    expect(voices.at(-1)).toBe('pl-PL');
    expect(r.events.at(-1)!.body).not.toContain('language="en-US"');
    // P1D on the business clock: tomorrow at the same time (a day is 23 to 25 hours across a clock change).
    expect(hoursTo(t, 'firstResponseDue')).toBeGreaterThanOrEqual(23);
    expect(hoursTo(t, 'firstResponseDue')).toBeLessThanOrEqual(25);
    polishTicket = t.number;
  });

  // Contract v2 §2.10: Taiwanese Mandarin has its catalog now; after the menu, one language and one voice.
  it('choosing Traditional Chinese (14, two keys) gives Taiwanese Mandarin prompts with a cmn-TW voice', async () => {
    const r = await line.phone(MEI, LINE).call(caller('14#', '3'));
    expect(r.pressed[0]).toBe('14#');
    // v2 §2.10: the greeting and the priority menu are in Taiwanese Mandarin, no longer the English fallback.
    expect(r.transcript()).toMatch(/Globex的Mei Lin，您好。/);
    expect(r.transcript()).toMatch(/請選擇優先等級。/); // v2 (issue 13): shorter options
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ language: 'zh-TW', priority: 'P3' });
    const after = r.events.at(-1)!.body;
    expect(new Set([...after.matchAll(/<Say language="([^"]+)" voice="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`))).toEqual(
      new Set(['cmn-TW Google.cmn-TW-Wavenet-A']),
    );
    expect(r.enqueued?.queue).toBe('technical.zh-TW.t1.r2.pq');
  });

  it('admins only: a member is refused in English after choosing English', async () => {
    const r = await line.phone(JACK, LINE).call(caller('1#', '1'));
    expect(r.transcript()).toMatch(/available to its administrators/);
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });
});

describe('collaboration suite: agents take callers in their languages', () => {
  it('an English-only agent is not given the Polish or Chinese callers; a Polish-speaking agent gets the Polish one', async () => {
    expect(polishTicket).not.toBe('');
    const emma = await agentTakesNext(line, AGENTS, '4001', '1357');
    expect(emma.transcript()).toMatch(/No callers are waiting for you/);
    expect(emma.dialed).toBeUndefined();

    const ola = await agentTakesNext(line, AGENTS, '4002', '2468');
    // Ola's first language is Polish: she is spoken to in Polish, and hears the Polish caller's ticket.
    expect(ola.transcript()).toContain(`P2, Globex, plan enterprise, numer telefonu. Zgłoszenie ${digitGroups(polishTicket)}.`); // issue 13: the short whisper;
    expect(ola.dialed?.targets[0]).toMatchObject({ kind: 'Queue', value: 'technical.pl-PL.t1.r1.pq' });
    const t = (await line.api(`/api/tickets/${polishTicket}`)).json;
    expect(t).toMatchObject({ status: 'in-progress', agent: '4002' });
  });
});
