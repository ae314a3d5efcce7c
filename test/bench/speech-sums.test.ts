/**
 * The speech measurement's arithmetic on fixed inputs: the words-per-minute model, the sums per call,
 * the longest prompts, the goals, and the derived data the calls run on.
 */
import { describe, expect, it } from 'vitest';
import { CJK_CHARACTERS_PER_MINUTE, modelMethod, modelSeconds, textSize, WORDS_PER_MINUTE } from '../../bench/speech/wpm-model.js';
import { longestPrompts, longestTurns, nonBargeable, totalsOf, type TimedSegment } from '../../bench/speech/sums.js';
import { renderSpeech, scriptMismatch, speechGoals } from '../../bench/speech/report.js';
import { alwaysOpen, languagesOf, registeredAdmin, withLanguageLines, type DataFile } from '../../bench/speech/cases.js';
import type { CaseResult } from '../../bench/speech/measure.js';

describe('the words-per-minute model', () => {
  it('counts words with a letter or digit, each digit of a read-out number as one', () => {
    expect(textSize('Your ticket number is 1, 0, 0, 4.')).toEqual({ words: 8, cjkCharacters: 0 });
    expect(textSize('Priority P1 – we will respond by 16:00.')).toEqual({ words: 7, cjkCharacters: 0 });
    expect(textSize('  ')).toEqual({ words: 0, cjkCharacters: 0 });
  });

  it('takes 160 words a minute, and Han and kana at 240 characters a minute', () => {
    expect(WORDS_PER_MINUTE).toBe(160);
    expect(CJK_CHARACTERS_PER_MINUTE).toBe(240);
    expect(modelSeconds('one two three four five six seven eight')).toBeCloseTo(3, 10);
    expect(modelSeconds('您的工单号码是')).toBeCloseTo(7 / 4, 10);
    expect(modelSeconds('For 日本語, press 6.')).toBeCloseTo((3 * 60) / 160 + (3 * 60) / 240, 10);
    expect([modelMethod('press 1'), modelMethod('按一'), modelMethod('For 中文, press 13')]).toEqual(['wpm', 'cpm', 'wpm+cpm']);
  });
});

const TURN: Record<string, number> = { voice: 0, menu: 1, priority: 2, code: 3 };
const seg = (o: Partial<TimedSegment> & Pick<TimedSegment, 'step' | 'seconds'>): TimedSegment => ({
  turn: TURN[o.step]!,
  kind: 'say',
  text: `text ${o.step} ${o.seconds}`,
  language: 'en-US',
  loop: 1,
  placement: 'gather',
  bargeable: true,
  method: 'espeak-ng:en-us',
  modelSeconds: o.seconds,
  ...o,
});

const CALL: TimedSegment[] = [
  seg({ step: 'voice', seconds: 2, text: 'Thank you for calling support.' }),
  seg({ step: 'voice', seconds: 2.5, text: 'For technical support, press 2.' }),
  seg({ step: 'menu', seconds: 2.6, text: 'Hello Mia Chen from Tailspin Toys.', placement: 'before-gather', bargeable: false }),
  seg({ step: 'menu', seconds: 5, text: 'If the service is down, press 1 for P1.', method: 'wpm', modelSeconds: 4 }),
  {
    step: 'menu',
    turn: 1,
    kind: 'pause',
    text: '',
    language: '',
    loop: 1,
    pauseSeconds: 1.5,
    placement: 'gather',
    bargeable: true,
    seconds: 1.5,
    method: 'pause',
    modelSeconds: 1.5,
  },
  {
    step: 'menu',
    turn: 1,
    kind: 'play',
    text: 'https://x/music.mp3',
    language: '',
    loop: 1,
    placement: 'gather',
    bargeable: true,
    seconds: 0,
    method: 'play (not timed)',
    modelSeconds: 0,
  },
  seg({ step: 'priority', seconds: 6, text: 'Your ticket number is 1, 0, 0.', placement: 'before-exit', bargeable: false, loop: 2 }),
];

describe('sums per call', () => {
  it('adds Says and Pauses by where they sit, per step in order, and counts the methods', () => {
    const t = totalsOf(CALL);
    expect(t.seconds).toBeCloseTo(19.6, 10);
    expect(t.saySeconds).toBeCloseTo(18.1, 10);
    expect(t.pauseSeconds).toBe(1.5);
    expect(t.bargeableSeconds).toBeCloseTo(11, 10);
    expect(t.beforeGatherSeconds).toBeCloseTo(2.6, 10);
    expect(t.beforeExitSeconds).toBe(6);
    expect(t.modelSeconds).toBeCloseTo(18.6, 10);
    expect(t.says).toBe(5);
    expect(t.plays).toBe(1);
    expect(t.words).toBe(5 + 5 + 6 + 9 + 7 * 2);
    expect(t.methods).toEqual({ 'espeak-ng:en-us': 4, wpm: 1 });
    expect(t.bySteps.map((b) => [b.step, Number(b.seconds.toFixed(2))])).toEqual([
      ['voice', 4.5],
      ['menu', 9.1],
      ['priority', 6],
    ]);
  });

  it('lists the longest Says once each with every place they are said, and the speech outside any Gather', () => {
    const other = [
      seg({ step: 'code', seconds: 5, text: 'If the service is down, press 1 for P1.' }),
      seg({ step: 'code', seconds: 9, text: 'Please enter the code.' }),
    ];
    const top = longestPrompts(
      [
        { call: 'a', segments: CALL },
        { call: 'b', segments: other },
      ],
      3,
    );
    expect(top.map((p) => [p.text, p.seconds, p.occurrences.map((o) => `${o.call}:${o.step}`)])).toEqual([
      ['Please enter the code.', 9, ['b:code']],
      ['Your ticket number is 1, 0, 0.', 6, ['a:priority']],
      ['If the service is down, press 1 for P1.', 5, ['a:menu', 'b:code']],
    ]);
    expect(nonBargeable(CALL).map((s) => s.text)).toEqual(['Hello Mia Chen from Tailspin Toys.', 'Your ticket number is 1, 0, 0.']);
  });

  it('keeps a re-prompt of the same step as a turn of its own, and lists the longest turns once each', () => {
    const again = [
      ...CALL.slice(0, 2),
      seg({ step: 'voice', turn: 1, seconds: 3, text: 'Sorry, that is not one of the options.', placement: 'before-gather', bargeable: false }),
      seg({ step: 'voice', turn: 1, seconds: 2.5, text: 'For technical support, press 2.' }),
    ];
    expect(totalsOf(again).bySteps).toEqual([
      { step: 'voice', seconds: 4.5 },
      { step: 'voice', seconds: 5.5 },
    ]);
    const turns = longestTurns(
      [
        { call: 'a', segments: CALL },
        { call: 'b', segments: again },
      ],
      3,
    );
    expect(turns.map((t) => [t.step, Number(t.seconds.toFixed(2)), Number(t.bargeableSeconds.toFixed(2)), t.says, t.calls])).toEqual([
      ['menu', 9.1, 6.5, 2, ['a']],
      ['priority', 6, 0, 1, ['a']],
      ['voice', 5.5, 2.5, 2, ['b']],
    ]);
    expect(turns[2]!.text).toBe('Sorry, that is not one of the options. For technical support, press 2.');
    expect(
      longestTurns(
        [
          { call: 'a', segments: CALL },
          { call: 'b', segments: again },
        ],
        5,
      ).find((t) => t.step === 'voice' && t.seconds === 4.5)?.calls,
    ).toEqual(['a', 'b']);
  });
});

const result = (o: Partial<CaseResult> & Pick<CaseResult, 'id' | 'label'>): CaseResult => ({
  group: 'path',
  language: 'en-US',
  source: 'fixed',
  end: 'enqueue',
  segments: CALL,
  totals: totalsOf(CALL),
  afterQueue: [],
  ...o,
});

describe('goals and the report', () => {
  it('meets a goal only when the call reached the queue within its seconds', () => {
    const goals = speechGoals([
      result({ id: 'a', label: 'fast', goalSeconds: 30 }),
      result({ id: 'b', label: 'slow', goalSeconds: 19 }),
      result({ id: 'c', label: 'lost', goalSeconds: 30, end: 'hangup', problem: 'the call ended with hangup' }),
      result({ id: 'd', label: 'no goal' }),
    ]);
    expect(goals.map((g) => [g.goal.split(':')[0], g.met])).toEqual([
      ['fast', true],
      ['slow', false],
      ['lost', false],
    ]);
    expect(goals[0]!.measured).toBe('19.6 s (11.0 s bargeable, 8.6 s not)');
  });

  it('flags CJK text read by a voice of another language', () => {
    expect(scriptMismatch({ kind: 'say', text: 'For 中文（中国）, press 13.', language: 'en-US' })).toBe(true);
    expect(scriptMismatch({ kind: 'say', text: 'For 한국어, press 7.', language: 'en-US' })).toBe(true);
    expect(scriptMismatch({ kind: 'say', text: '请按一', language: 'zh-CN' })).toBe(false);
    expect(scriptMismatch({ kind: 'say', text: 'Press 1.', language: 'en-US' })).toBe(false);
  });

  it('writes the goal rows, the per-language row and the transcript of every Say', () => {
    const md = renderSpeech({
      startedAt: 'T',
      speaker: 'fixed',
      clock: 'C',
      results: [result({ id: 'a', label: 'registered admin', goalSeconds: 30 }), result({ id: 'l', label: 'x', group: 'language', language: 'pl-PL' })],
    });
    expect(md).toContain('| registered admin: <= 30 s of speech from answer to queue | 19.6 s (11.0 s bargeable, 8.6 s not) | met |');
    expect(md).toContain('| pl-PL | en-US | **19.6** |');
    expect(md).toContain('| 3 | menu | outside, before a prompt | en-US | 2.6 | 2.6 | espeak-ng:en-us | Hello Mia Chen from Tailspin Toys. |');
    expect(md).toContain('| registered admin | voice 4.5 → menu 9.1 → priority 6.0 |');
  });
});

const DATA: DataFile = {
  lines: [
    { number: '+18887999666', language: 'en-US', extensions: { '2': 'technical' }, scheme: 'p1-p4' },
    { number: '+14155550100', language: 'en-US', languages: ['en-US', 'de-DE', 'ja-JP'], defaultService: 'technical', scheme: 'p1-p4' },
  ],
  services: { technical: { hours: { 'mon-fri': ['09:00', '17:00'] } } },
  plans: { basic: { phoneSupport: false }, biz: { phoneSupport: true, services: ['technical'], roles: ['admin'], hours: '24/7' } },
  holidays: { US: ['2026-12-25'] },
  organizations: [
    { id: 'a', name: 'A', account: '1', plan: 'basic', verification: 'caller-id', contacts: {}, people: [{ name: 'No Plan', phone: '+1', role: 'admin' }] },
    {
      id: 'b',
      name: 'B',
      account: '2',
      plan: 'biz',
      verification: 'caller-id',
      contacts: {},
      people: [
        { name: 'Two Orgs', phone: '+2', role: 'admin' },
        { name: 'Bea', phone: '+3', role: 'admin' },
      ],
    },
    { id: 'c', name: 'C', account: '3', plan: 'biz', verification: 'always-code', contacts: {}, people: [{ name: 'Two Orgs', phone: '+2', role: 'member' }] },
  ],
};

describe('derived data', () => {
  it('is always open, without touching the original', () => {
    const open = alwaysOpen(DATA);
    expect(open.services.technical!.hours).toBe('24/7');
    expect(open.plans.biz!.hours).toBeUndefined();
    expect(open.holidays).toEqual({});
    expect(DATA.services.technical!.hours).toEqual({ 'mon-fri': ['09:00', '17:00'] });
  });

  it('picks an admin with phone support registered in one organization only', () => {
    expect(registeredAdmin(DATA, 'technical')?.person.name).toBe('Bea');
    expect(registeredAdmin(DATA, 'billing')).toBeUndefined();
  });

  it('copies a line into every language found, each at a number of its own', () => {
    const langs = languagesOf([DATA]);
    expect(langs).toEqual(['en-US', 'de-DE', 'ja-JP']);
    const { data, lines } = withLanguageLines(DATA, DATA.lines[0]!, langs);
    expect(data.lines).toHaveLength(5);
    const numbers = new Set(data.lines.map((l) => l.number));
    expect(numbers.size).toBe(5);
    const ja = data.lines.find((l) => l.number === lines.get('ja-JP'))!;
    expect([ja.language, ja.extensions, ja.languages]).toEqual(['ja-JP', { '2': 'technical' }, undefined]);
  });
});
