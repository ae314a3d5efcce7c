/**
 * Contract §2.1 through the real webhook stack: which line, the extension menu with barge-in, re-asking,
 * the default service or a goodbye, an unknown number, and the line's language.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketDigits } from '../../functions/domain/speech/format.js';

/** The ticket number as an English line reads it: once, in short groups ("1 0 0, 0 0 4 2"). */
const inGroups = (n: string): string => ticketDigits('en-US', n);
import { BASE_URL, gatherSays, newCallSid, startHarness, stepOf, type Answer, type Harness } from '../support/voice-harness.js';
import { LINES, PHONES } from '../support/line-data.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const MENU = ['For technical support, press 2.', 'For billing, press 3.', 'For licensing support, press 4.'];
/** v2 (issue 13): shorter option wording for the 30-second goal; the level ids are in the confirmation. */
const PRIORITY_MENU = [
  'Choose a priority.',
  'Down for many users, press 1.',
  'Critical for one user, press 2.',
  'Broken, with a workaround, press 3.',
  'A question or minor issue, press 4.',
];

/** The Gather's attributes that decide how Twilio collects keys. */
function gatherShape(a: Answer) {
  const g = a.gather;
  if (!g) throw new Error(`no Gather in ${a.xml}`);
  const { input, action, method, numDigits, finishOnKey, timeout, actionOnEmptyResult } = g.attrs;
  return { input, action, method, numDigits, finishOnKey, timeout, actionOnEmptyResult };
}

const menuGather = (s: number) => ({
  input: 'dtmf',
  action: `${BASE_URL}/twilio/call/menu?s=${s}`,
  method: 'POST',
  numDigits: '1',
  finishOnKey: '',
  timeout: '6',
  actionOnEmptyResult: 'true',
});

async function callState(callSid: string) {
  return h.deps.calls.get(callSid);
}

describe('the dialed number picks the line', () => {
  it('a number in no line gets a spoken apology and a hang-up, no menu and no state', async () => {
    const call = h.call(PHONES.ada, LINES.unknown);
    const a = await call.start();
    expect(a.status).toBe(200);
    expect(a.verbs).toEqual(['Say', 'Hangup']);
    expect(a.says).toEqual(['Sorry, this number does not reach our support line. Please check the number on our support website. Goodbye.']);
    expect(a.languages).toEqual(['en-US']);
    expect(await h.scan('calls')).toEqual([]);
  });

  it('a To that is no phone number at all is the same apology', async () => {
    for (const To of ['', 'anonymous', 'sip:support@example.com', '+1']) {
      const a = await h.post({ url: '/twilio/voice', params: { CallSid: newCallSid(), From: PHONES.ada, To } });
      expect(a.verbs).toEqual(['Say', 'Hangup']);
      expect(a.says[0]).toMatch(/^Sorry, this number does not reach our support line/);
    }
    expect(await h.scan('calls')).toEqual([]);
  });

  it("the agents' line is handed to the agents' flow", async () => {
    const a = await h.call(PHONES.ada, '+15550100000').start();
    expect(a.verbs).toEqual(['Redirect']);
    expect(a.root.children).toHaveLength(1);
    const redirect = a.root.children[0] as { attrs: Record<string, string>; children: Array<{ text: string }> };
    expect(redirect.attrs.method).toBe('POST');
    expect(redirect.children[0]!.text).toBe(`${BASE_URL}/twilio/agent/start`);
  });
});

describe('the extension menu', () => {
  it('plays the greeting and the menu inside one Gather of one digit, so the caller may press during the greeting', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    const a = await call.start();
    expect(a.verbs).toEqual(['Gather']);
    expect(gatherShape(a)).toEqual(menuGather(1));
    expect(gatherSays(a.gather!)).toEqual(['Thank you for calling support.', ...MENU]);
    expect(a.languages.every((l) => l === 'en-US')).toBe(true);
    // The menu only asks: the call is stored by its answer, with what the first webhook told of it.
    expect(await callState(call.callSid)).toBeUndefined();
    await call.press('2');
    const state = await callState(call.callSid);
    expect(state).toMatchObject({ expect: 'account', n: 2, tries: 0, line: LINES.us, language: 'en-US', from: PHONES.stranger, country: 'US' });
  });

  it('"2" during the greeting picks technical support', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await call.start();
    const a = await call.press('2');
    expect(a.verbs).toEqual(['Gather']);
    expect(gatherSays(a.gather!)).toEqual(["Please enter your organization's account number, then press the pound key."]);
    expect((await callState(call.callSid))?.service).toBe('technical');
  });

  it('a wrong key is re-asked with an apology, silence without one; the third miss takes the default service', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    await call.start();

    let a = await call.press('9');
    expect(a.verbs).toEqual(['Gather']);
    expect(gatherShape(a)).toEqual(menuGather(2));
    expect(a.says).toEqual(['Sorry, that is not one of the options.', ...MENU]);
    expect(await callState(call.callSid)).toMatchObject({ expect: 'menu', tries: 1, n: 2 });

    a = await call.silence();
    expect(gatherShape(a)).toEqual(menuGather(3));
    expect(a.says).toEqual(MENU);
    expect(await callState(call.callSid)).toMatchObject({ expect: 'menu', tries: 2, n: 3 });

    a = await call.press('0');
    expect(a.says).toEqual(['We will connect you to technical support.', 'Hello Ada from Contoso.', ...PRIORITY_MENU]);
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: what is said before a prompt is inside its Gather
    expect(stepOf(a)).toEqual({ step: 'priority', s: 4 });
    expect(await callState(call.callSid)).toMatchObject({ expect: 'priority', service: 'technical', orgId: 'contoso', verifiedBy: 'caller-id' });
  });

  // v2 §2.7: `*` repeats the menu without a try (caller-flow-keys), so it left this list; `0` is no menu choice here.
  it('keys that are no menu choice are all "not one of the options": 0, #-like, two digits, letters, 10,000 digits', async () => {
    for (const digits of ['0', '22', 'a', '2'.repeat(10_000)]) {
      const call = h.call(PHONES.stranger, LINES.us);
      await call.start();
      const a = await call.press(digits);
      expect(a.status).toBe(200);
      expect(a.says).toEqual(['Sorry, that is not one of the options.', ...MENU]);
      expect((await callState(call.callSid))?.service).toBeUndefined();
    }
  });

  it('a menu answer without any Digits parameter counts as silence', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await call.start();
    const a = await call.postTo(call.action, {}, true);
    expect(a.says).toEqual(MENU);
    expect(stepOf(a)).toEqual({ step: 'menu', s: 2 });
  });

  it('a call without From is served: asked for the account number', async () => {
    const a = await h.post({ url: '/twilio/voice', params: { CallSid: newCallSid(), To: LINES.direct, AccountSid: `AC${'0'.repeat(32)}` } });
    expect(a.says).toEqual(['Thank you for calling support.', "Please enter your organization's account number, then press the pound key."]);
  });

  it('on a line without a default service, three misses end with a goodbye and a hang-up', async () => {
    const call = h.call(PHONES.ada, LINES.noDefault);
    let a = await call.start();
    expect(gatherSays(a.gather!)).toEqual(['Thank you for calling support.', 'For technical support, press 2.']);
    a = await call.silence();
    a = await call.silence();
    expect(a.says).toEqual(['For technical support, press 2.']);
    a = await call.silence();
    expect(a.verbs).toEqual(['Say', 'Hangup']);
    expect(a.says).toEqual(['We did not get a choice. Please call again when you are ready. Goodbye.']);
    expect(await callState(call.callSid)).toMatchObject({ expect: 'done' });
    expect(await h.tickets()).toEqual([]);
  });

  it('a line without extensions plays no menu', async () => {
    const a = await h.call(PHONES.stranger, LINES.direct).start();
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: the greeting is inside the Gather of the first prompt
    expect(a.says).toEqual(['Thank you for calling support.', "Please enter your organization's account number, then press the pound key."]);
    expect(a.gather!.attrs.action).toBe(`${BASE_URL}/twilio/call/account?s=1`);
  });
});

describe('the line speaks its language', () => {
  it('a Polish line speaks Polish with <Say language="pl-PL">, to the ticket', async () => {
    const call = h.call(PHONES.ada, LINES.pl);
    let a = await call.start();
    expect(a.languages.length).toBeGreaterThan(0);
    expect(new Set(a.languages)).toEqual(new Set(['pl-PL']));
    expect(a.says).toEqual([
      'Dziękujemy za telefon do działu wsparcia.',
      'Dzień dobry, Ada z Contoso.',
      'Wybierz priorytet.',
      'Awaria dla wielu osób: wciśnij 1.',
      'Pilny problem jednej osoby: wciśnij 2.',
      'Usterka z obejściem: wciśnij 3.',
      'Pytanie lub drobna sprawa: wciśnij 4.',
    ]);
    a = await call.press('7');
    expect(a.says[0]).toBe('Przepraszamy, nie ma takiego wyboru.');
    a = await call.press('2');
    expect(new Set(a.languages)).toEqual(new Set(['pl-PL']));
    const [ticket] = await h.tickets();
    // v2 §2.6: the number once, in short groups, with the level; the details go by text.
    expect(a.says).toEqual([`Numer zgłoszenia: ${inGroups(String(ticket!.number))}, P2. Szczegóły wyślemy SMS-em. Prosimy czekać.`]);
    expect(ticket).toMatchObject({ language: 'pl-PL', line: LINES.pl, country: 'PL', priority: 'P2' });
  });

  it('an unregistered caller on the Polish line is asked for the account in Polish', async () => {
    const a = await h.call(PHONES.stranger, LINES.pl).start();
    expect(a.says).toEqual(['Dziękujemy za telefon do działu wsparcia.', 'Wprowadź numer konta organizacji i naciśnij krzyżyk.']);
    expect(a.languages).toEqual(['pl-PL', 'pl-PL']);
  });

  // Contract v2 §2.10: every word in the line's language with that language's voice; the German catalog is live.
  it('a de-DE line speaks German with a German voice (de-DE, Polly.Vicki-Neural)', async () => {
    const call = h.call(PHONES.stranger, LINES.de);
    let a = await call.start();
    expect(gatherSays(a.gather!)).toEqual(['Vielen Dank für Ihren Anruf beim Support.', 'Für den Bereich Technischer Support drücken Sie bitte die 2.']);
    expect(new Set(a.languages)).toEqual(new Set(['de-DE']));
    expect(new Set(a.voices)).toEqual(new Set(['Polly.Vicki-Neural']));
    a = await call.press('2');
    expect(a.says).toEqual(['Bitte geben Sie die Kundennummer Ihrer Organisation ein und drücken Sie anschließend die Rautetaste.']);
    expect(a.languages).toEqual(['de-DE']);
    expect(await callState(call.callSid)).toMatchObject({ language: 'de-DE', country: 'DE' });
  });
});
