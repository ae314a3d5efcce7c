/**
 * The speech measurement's reading of TwiML (bench/speech/twiml-speech.ts) and its choice of keys and
 * voices, on fixed inputs: what a caller hears, in order, inside or outside a Gather, up to the queue.
 */
import { describe, expect, it } from 'vitest';
import { callSpeech, spokenSegments } from '../../bench/speech/twiml-speech.js';
import { HANG_UP } from '../../bench/lib/caller.js';
import { keysFor, scriptedKeys, type KeyLog } from '../../bench/speech/keys.js';
import { parseVoiceList, voiceFor } from '../../bench/speech/voices.js';

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

const GREETING = xml(
  '<Gather input="dtmf" action="https://x/twilio/call/menu?s=1" numDigits="1" actionOnEmptyResult="true">' +
    '<Say language="en-US">Thank you for calling support.</Say><Say language="en-US">For technical support, press 2.</Say></Gather>',
);
const KNOWN = xml(
  '<Say language="en-US">Hello Mia Chen from Tailspin Toys.</Say>' +
    '<Gather action="https://x/twilio/call/priority?s=2&amp;r=abc" numDigits="1"><Say language="en-US">Please choose the priority of your issue.</Say>' +
    '<Pause length="2"/><Say language="en-US">If the service is down, press 1 for P1.</Say></Gather>' +
    '<Say language="en-US">We did not get a priority.</Say><Hangup/>',
);
const TICKET = xml(
  '<Say language="pl-PL">Numer zgłoszenia to 1, 0, 0.</Say><Say>Please hold.</Say>' +
    '<Enqueue waitUrl="https://x/twilio/call/wait?t=100" action="https://x/twilio/call/queue-result">q</Enqueue><Say>never heard</Say>',
);
const WAIT = xml('<Say language="en-US">You are number 1 in line.</Say><Pause length="20"/>');

describe('spokenSegments', () => {
  it('reads the Says inside the Gather as bargeable, in order, and stops at the Gather the caller answers', () => {
    const { segments, exit } = spokenSegments(KNOWN, 'menu');
    expect(exit).toBe('gather');
    expect(segments.map((s) => [s.kind, s.text, s.placement, s.bargeable])).toEqual([
      ['say', 'Hello Mia Chen from Tailspin Toys.', 'before-gather', false],
      ['say', 'Please choose the priority of your issue.', 'gather', true],
      ['pause', '', 'gather', true],
      ['say', 'If the service is down, press 1 for P1.', 'gather', true],
    ]);
    expect(segments[2]!.pauseSeconds).toBe(2);
    expect(segments.every((s) => s.step === 'menu')).toBe(true);
  });

  it("takes each Say's language and Twilio's defaults (en-US, a 1 s pause, loop 1), and what is said before an Enqueue is not bargeable", () => {
    const { segments, exit } = spokenSegments(TICKET, 'priority');
    expect(exit).toBe('enqueue');
    expect(segments.map((s) => [s.text, s.language, s.placement])).toEqual([
      ['Numer zgłoszenia to 1, 0, 0.', 'pl-PL', 'before-exit'],
      ['Please hold.', 'en-US', 'before-exit'],
    ]);
    const pause = spokenSegments(xml('<Pause/><Say loop="3" voice="Polly.Joanna">Hi</Say><Hangup/>'), 'x').segments;
    expect(pause.map((s) => [s.kind, s.pauseSeconds, s.loop, s.voice])).toEqual([
      ['pause', 1, 1, undefined],
      ['say', undefined, 3, 'Polly.Joanna'],
    ]);
  });

  it('flattens SSML inside a Say into the words heard', () => {
    const { segments } = spokenSegments(
      xml('<Say language="en-US">Your ticket <emphasis>number</emphasis> is <say-as interpret-as="digits">42</say-as>.</Say>'),
      'x',
    );
    expect(segments[0]!.text).toBe('Your ticket number is 42.');
  });
});

describe('callSpeech', () => {
  it('counts everything up to the first Enqueue, keeps the wait answer apart, and ignores the status callback', () => {
    const speech = callSpeech([
      { step: 'voice', status: 200, body: GREETING },
      { step: 'menu', status: 200, body: KNOWN },
      { step: 'priority', status: 200, body: TICKET },
      { step: 'wait', status: 200, body: WAIT },
      { step: 'status', status: 200, body: xml('') },
    ]);
    expect(speech.end).toBe('enqueue');
    expect(speech.segments.map((s) => s.step)).toEqual(['voice', 'voice', 'menu', 'menu', 'menu', 'menu', 'priority', 'priority']);
    expect(speech.segments.map((s) => s.turn)).toEqual([0, 0, 1, 1, 1, 1, 2, 2]);
    expect(speech.afterQueue.map((s) => [s.kind, s.text])).toEqual([
      ['say', 'You are number 1 in line.'],
      ['pause', ''],
    ]);
  });

  it('ends as an error at a failed webhook and says how a call that never queued ended', () => {
    expect(
      callSpeech([
        { step: 'voice', status: 200, body: GREETING },
        { step: 'menu', status: 500, body: 'oops' },
      ]).end,
    ).toBe('error');
    const hung = callSpeech([{ step: 'voice', status: 200, body: xml('<Say>Sorry.</Say><Hangup/>') }]);
    expect(hung.end).toBe('hangup');
    expect(hung.segments).toHaveLength(1);
  });
});

describe('keysFor', () => {
  const code = () => '123456';
  it("answers each step with the contract's keys, whatever the prompt says", () => {
    const c = { language: 'pl-PL', extension: '2', account: '20020002', codeTo: '+447700900101', channel: '1', priority: '1' };
    expect(keysFor('language', c, ['en-US', 'de-DE', 'pl-PL'], code)).toBe('3#');
    expect(keysFor('menu', c, [], code)).toBe('2');
    expect(keysFor('account', c, [], code)).toBe('20020002#');
    expect(keysFor('channel', c, [], code)).toBe('1');
    expect(keysFor('code', c, [], code)).toBe('123456#');
    expect(keysFor('priority', c, [], code)).toBe('1');
  });

  it('has no keys for a step it does not know, an account it was not given, or a language not on the menu', () => {
    const c = { priority: '1' };
    expect(keysFor('org-choice', c, [], code)).toBeUndefined();
    expect(keysFor('account', c, [], code)).toBeUndefined();
    expect(keysFor('code', c, [], code)).toBeUndefined();
    expect(keysFor('language', { ...c, language: 'fi-FI' }, ['en-US'], code)).toBeUndefined();
  });
});

describe('scriptedKeys', () => {
  const c = { extension: '2', account: '20020002', codeTo: '+447700900101', priority: '1' };
  const action = (step: string) => ({ action: `https://x/twilio/call/${step}?s=3` });

  it('answers by the step the Gather posts to, a renamed step by plain English words (noted), and hangs up at anything else', async () => {
    const log: KeyLog = { unanswered: [], byWords: [] };
    const keys = scriptedKeys(c, [], () => '654321', log);
    expect(await keys('Für technischen Support drücken Sie 2.', action('menu'))).toBe('2');
    expect(await keys('Please choose the priority of your issue.', action('urgency'))).toBe('1');
    expect(await keys('Please enter the 6 digit code.', action('verify'))).toBe('654321#');
    expect(await keys('Press 1 if you have an open ticket.', action('open-ticket'))).toBe(HANG_UP);
    expect(log).toEqual({ byWords: ['urgency (as priority)', 'verify (as code)'], unanswered: ['open-ticket'] });
  });
});

describe('voiceFor', () => {
  const VOICES = [
    'Pty Language       Age/Gender VoiceName          File                 Other Languages',
    ' 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)',
    ' 5  de              --/M      German             gmw/de               ',
    ' 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)',
    ' 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)',
    ' 5  es              --/M      Spanish_(Spain)    roa/es               ',
    ' 5  es-419          --/M      Spanish_(Latin_America) roa/es-419           (es-mx 6)(es 6)',
    ' 5  pt-br           --/M      Portuguese_(Brazil) roa/pt-BR            (pt 6)',
    ' 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)',
  ].join('\n');
  const index = parseVoiceList(VOICES);

  it('picks the voice named for the tag, then an alias, then the primary language', () => {
    expect(voiceFor(index, 'en-US')).toBe('en-us');
    expect(voiceFor(index, 'en-AU')).toBe('en-gb');
    expect(voiceFor(index, 'es-MX')).toBe('es-419');
    expect(voiceFor(index, 'es-ES')).toBe('es');
    expect(voiceFor(index, 'de-AT')).toBe('de');
    expect(voiceFor(index, 'pt-BR')).toBe('pt-br');
  });

  it('speaks Chinese as Cantonese in Hong Kong and Mandarin elsewhere, and has none for a language without a voice', () => {
    expect(voiceFor(index, 'zh-HK')).toBe('yue');
    expect(voiceFor(index, 'zh-CN')).toBe('cmn');
    expect(voiceFor(index, 'zh-TW')).toBe('cmn');
    expect(voiceFor(index, 'ja-JP')).toBeUndefined();
  });
});
