/**
 * A voice per language: the table names only `<Say language>` values and voices the twilio library accepts,
 * every line tag of the examples and the demo maps to one, and rendered TwiML carries one language and one
 * voice per call, with the language menu's options each in their own voice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTwiml } from '../../functions/adapters/twilio/twiml.js';
import type { Message, VoiceAnswer } from '../../functions/domain/decisions.js';
import { ALL_CATALOGS, CATALOG_LOCALES, CATALOGS, type CatalogKey, type MessageId } from '../../functions/domain/messages/catalog.js';
import { hasCatalog, hasVoice, speechFor, voiceFits, VOICES } from '../../functions/domain/speech/voices.js';
import { languageMenuPrompt } from '../../functions/domain/speech/texts.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { SAMPLE_ZONES, sampleParams } from '../../scripts/prompt-docs.js';

const ROOT = new URL('../../', import.meta.url);
const dts = readFileSync(new URL('node_modules/twilio/lib/twiml/VoiceResponse.d.ts', ROOT), 'utf8');
const union = (name: string) => new Set([...(new RegExp(`type ${name} = ([^;]+);`).exec(dts)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
const SAY_LANGUAGES = union('SayLanguage');
const SAY_VOICES = union('SayVoice');

describe('the voice table', () => {
  it('names only languages and voices the twilio library accepts', () => {
    expect(SAY_LANGUAGES.size).toBeGreaterThan(40);
    expect(SAY_VOICES.size).toBeGreaterThan(100);
    for (const [tag, v] of Object.entries(VOICES)) {
      expect(SAY_LANGUAGES.has(v.say), `${tag} language ${v.say}`).toBe(true);
      expect(SAY_VOICES.has(v.voice), `${tag} voice ${v.voice}`).toBe(true);
      expect(voiceFits(v.voice, tag), `${tag} ${v.voice}`).toBe(true);
    }
  });

  it('every catalog speaks with a voice of its own language', () => {
    for (const key of Object.keys(CATALOGS) as CatalogKey[]) {
      const s = speechFor(CATALOG_LOCALES[key], { among: ALL_CATALOGS });
      expect(s.catalog, key).toBe(key);
      expect(SAY_LANGUAGES.has(s.say) && SAY_VOICES.has(s.voice), `${key}: ${s.say} ${s.voice}`).toBe(true);
    }
  });

  it('tags without a voice of their own take the nearest one', () => {
    const say = (tag: string) => {
      const s = speechFor(tag, { among: ALL_CATALOGS });
      return `${s.say} ${s.voice}`;
    };
    expect(say('en-SG')).toBe('en-GB Polly.Amy-Neural');
    expect(say('en-MY')).toBe('en-GB Polly.Amy-Neural');
    expect(say('de-CH')).toBe('de-DE Polly.Vicki-Neural');
    expect(say('de-AT')).toBe('de-AT Polly.Hannah-Neural');
    expect(say('es-AR')).toBe('es-ES Polly.Lucia-Neural');
    expect(say('zh-HK')).toBe('yue-HK Google.yue-HK-Standard-A');
    expect(say('zh-TW')).toBe('cmn-TW Google.cmn-TW-Wavenet-A');
    expect(say('zh-CN')).toBe('cmn-CN Polly.Zhiyu-Neural');
    // No catalog: English words in an English voice, never English read by a Finnish voice.
    expect(say('fi-FI')).toBe('en-US Polly.Joanna-Neural');
    // A line's own voice applies to its own language only.
    expect(speechFor('de-DE', { voice: 'Polly.Daniel-Neural', among: ALL_CATALOGS }).voice).toBe('Polly.Daniel-Neural');
    expect(speechFor('fi-FI', { voice: 'Polly.Suvi-Neural', among: ALL_CATALOGS }).voice).toBe('Polly.Joanna-Neural');
  });

  it('every line of the examples and the demo has a catalog and a voice', () => {
    const tags = new Set<string>();
    for (const dir of ['examples/', 'data/']) {
      for (const file of readdirSync(new URL(dir, ROOT)).filter((f) => f.endsWith('.json'))) {
        const data = JSON.parse(readFileSync(new URL(dir + file, ROOT), 'utf8')) as { lines?: Array<{ language: string; languages?: string[] }> };
        for (const line of data.lines ?? []) for (const tag of [line.language, ...(line.languages ?? [])]) tags.add(tag);
      }
    }
    expect(tags.size).toBeGreaterThanOrEqual(20);
    for (const tag of tags) {
      expect(hasCatalog(tag), tag).toBe(true);
      expect(hasVoice(tag), tag).toBe(true);
    }
    expect(hasCatalog('fi-FI')).toBe(false);
  });

  it('a voice override must fit the language', () => {
    expect(voiceFits('Polly.Daniel-Neural', 'de-DE')).toBe(true);
    expect(voiceFits('Google.de-DE-Wavenet-B', 'de-DE')).toBe(true);
    expect(voiceFits('Google.de-DE-Wavenet-B', 'pl-PL')).toBe(false);
    expect(voiceFits('Joanna', 'en-US')).toBe(false);
  });
});

const says = (xml: string): TwimlElement[] => {
  const out: TwimlElement[] = [];
  const walk = (el: TwimlElement) => {
    for (const c of childElements(el)) {
      if (c.name === 'Say') out.push(c);
      else walk(c);
    }
  };
  walk(parseTwiml(xml));
  return out;
};

describe('TwiML in every language', () => {
  /** A registered caller, a code, a closed line and an agent's whisper: the sentences of each path, with that language's parameters. */
  const PATHS: MessageId[][] = [
    ['greeting', 'menu-option', 'caller-known', 'priority-intro', 'priority-option', 'ticket-number', 'ticket-due', 'ticket-confirmation-sent', 'queue-hold'],
    ['account-prompt', 'channel-prompt-sms', 'channel-prompt-email', 'code-sent-sms', 'code-prompt', 'code-wrong', 'verified'],
    ['closed', 'closed-holiday', 'callback-or-urgent-prompt', 'callback-created', 'goodbye'],
    ['agent-signed-in', 'agent-whisper', 'agent-call-ended', 'agent-next-prompt'],
  ];

  it.each(Object.keys(CATALOGS) as CatalogKey[])('%s: one language and one voice per call, and the catalog’s own words', (key) => {
    const tag = CATALOG_LOCALES[key];
    const params = sampleParams(tag, SAMPLE_ZONES[key]);
    const s = speechFor(tag, { among: ALL_CATALOGS });
    for (const path of PATHS) {
      const [first, ...rest] = path;
      const answer: VoiceAnswer = {
        language: tag,
        verbs: [
          { kind: 'say', message: { id: first!, params } },
          { kind: 'gather', prompt: rest.map((id): Message => ({ id, params })), action: '/twilio/call/x?s=1', numDigits: 1 },
        ],
      };
      const all = says(renderTwiml(answer, 'https://support.example.com', { among: ALL_CATALOGS }));
      expect(all).toHaveLength(path.length);
      expect(new Set(all.map((e) => e.attrs.language))).toEqual(new Set([s.say]));
      expect(new Set(all.map((e) => e.attrs.voice))).toEqual(new Set([s.voice]));
      expect(all.map(textOf)).toEqual(path.map((id) => CATALOGS[key][id](params)));
    }
  });

  it('a line’s own voice is used for its language', () => {
    const xml = renderTwiml({ language: 'de-DE', voice: 'Polly.Daniel-Neural', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] }, '', {
      among: ALL_CATALOGS,
    });
    expect(says(xml).map((e) => e.attrs)).toEqual([{ language: 'de-DE', voice: 'Polly.Daniel-Neural' }]);
  });

  it('the language menu: one Gather, each option said in its own language and voice', () => {
    const tags = ['en-US', 'de-DE', 'pl-PL', 'ja-JP', 'zh-HK'];
    const xml = renderTwiml(
      {
        language: 'en-US',
        verbs: [
          {
            kind: 'gather',
            prompt: [{ id: 'greeting' }, ...languageMenuPrompt(tags, { among: ALL_CATALOGS })],
            action: '/twilio/call/language?s=1',
            numDigits: 1,
          },
        ],
      },
      '',
      { among: ALL_CATALOGS },
    );
    const gathers = childElements(parseTwiml(xml), 'Gather');
    expect(gathers).toHaveLength(1);
    expect(childElements(gathers[0]!, 'Say').map((e) => [e.attrs.language, e.attrs.voice, textOf(e)])).toEqual([
      ['en-US', 'Polly.Joanna-Neural', 'Thank you for calling support.'],
      ['en-US', 'Polly.Joanna-Neural', 'For English, press 1.'],
      ['de-DE', 'Polly.Vicki-Neural', 'Für Deutsch drücken Sie bitte die 2.'],
      ['pl-PL', 'Polly.Ola-Neural', 'Polski: wciśnij 3.'],
      ['ja-JP', 'Polly.Kazuha-Neural', '日本語は4を押してください。'],
      ['yue-HK', 'Google.yue-HK-Standard-A', '廣東話，請按5。'],
    ]);
  });

  it('live calls speak every catalog (contract v2 §2.10): German lines German with a German voice; a language without a catalog English with an English voice', () => {
    const xml = renderTwiml({ language: 'de-DE', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] }, '');
    expect(says(xml).map((e) => [e.attrs.language, e.attrs.voice, textOf(e)])).toEqual([['de-DE', 'Polly.Vicki-Neural', 'Auf Wiederhören.']]);
    const fi = renderTwiml({ language: 'fi-FI', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] }, '');
    expect(says(fi).map((e) => [e.attrs.language, e.attrs.voice, textOf(e)])).toEqual([['en-US', 'Polly.Joanna-Neural', 'Goodbye.']]);
    const pl = renderTwiml({ language: 'pl-PL', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] }, '');
    expect(says(pl).map((e) => [e.attrs.language, e.attrs.voice])).toEqual([['pl-PL', 'Polly.Ola-Neural']]);
    const sg = renderTwiml({ language: 'en-SG', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] }, '');
    expect(says(sg).map((e) => [e.attrs.language, e.attrs.voice])).toEqual([['en-GB', 'Polly.Amy-Neural']]);
  });
});
