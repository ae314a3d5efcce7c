/**
 * Sums of timed segments per call, the longest prompts across calls, and the speech no key can cut.
 * Pure: the runner times the segments, these functions only add and sort.
 */
import type { Segment } from './twiml-speech.js';
import { textSize } from './wpm-model.js';

export interface TimedSegment extends Segment {
  /** Seconds the caller sits through: a Say's duration times its loop, a Pause's length, 0 for a Play. */
  seconds: number;
  /** `espeak-ng:<voice>`, `wpm`, `cpm`, `wpm+cpm`, `pause`, or `play (not timed)`. */
  method: string;
  /** The words-per-minute model's seconds for the same Say, for comparison (a Pause: its length). */
  modelSeconds: number;
}

export interface Totals {
  /** Everything the caller sits through: Says and Pauses. */
  seconds: number;
  saySeconds: number;
  pauseSeconds: number;
  /** Inside a Gather: a key cuts it short. */
  bargeableSeconds: number;
  /** Outside a Gather, before the Gather the caller answers: the prompt waits for it. */
  beforeGatherSeconds: number;
  /** Outside a Gather, before the queue (or hang-up): nothing to cut it short for. */
  beforeExitSeconds: number;
  /** The model's figure for the same Says and Pauses. */
  modelSeconds: number;
  says: number;
  words: number;
  cjkCharacters: number;
  /** Plays (hold music, recordings) before the queue: not timed, counted so they show. */
  plays: number;
  /** How many Says each method timed. */
  methods: Record<string, number>;
  /** Seconds per turn (one webhook answer), in order, named by its step. */
  bySteps: Array<{ step: string; seconds: number }>;
}

export function totalsOf(segments: readonly TimedSegment[]): Totals {
  const t: Totals = {
    seconds: 0,
    saySeconds: 0,
    pauseSeconds: 0,
    bargeableSeconds: 0,
    beforeGatherSeconds: 0,
    beforeExitSeconds: 0,
    modelSeconds: 0,
    says: 0,
    words: 0,
    cjkCharacters: 0,
    plays: 0,
    methods: {},
    bySteps: [],
  };
  let last: { step: string; turn: number; seconds: number } | undefined;
  for (const s of segments) {
    if (s.kind === 'play') {
      t.plays++;
      continue;
    }
    t.seconds += s.seconds;
    t.modelSeconds += s.modelSeconds;
    if (s.kind === 'say') {
      t.saySeconds += s.seconds;
      t.says++;
      const size = textSize(s.text);
      t.words += size.words * s.loop;
      t.cjkCharacters += size.cjkCharacters * s.loop;
      t.methods[s.method] = (t.methods[s.method] ?? 0) + 1;
    } else t.pauseSeconds += s.seconds;
    if (s.placement === 'gather') t.bargeableSeconds += s.seconds;
    else if (s.placement === 'before-gather') t.beforeGatherSeconds += s.seconds;
    else t.beforeExitSeconds += s.seconds;
    // A step answered twice in a row (a re-prompt) is two entries: each answer is its own turn.
    if (!last || last.turn !== s.turn) {
      last = { step: s.step, turn: s.turn, seconds: 0 };
      t.bySteps.push(last);
    }
    last.seconds += s.seconds;
  }
  t.bySteps = t.bySteps.map(({ step, seconds }) => ({ step, seconds }));
  return t;
}

export interface Occurrence {
  call: string;
  step: string;
  placement: Segment['placement'];
}

export interface PromptFigure {
  text: string;
  language: string;
  seconds: number;
  method: string;
  occurrences: Occurrence[];
}

/** The `n` longest Says across `calls` (the same text in the same language counted once, with every place it is said). */
export function longestPrompts(calls: ReadonlyArray<{ call: string; segments: readonly TimedSegment[] }>, n: number): PromptFigure[] {
  const byText = new Map<string, PromptFigure>();
  for (const c of calls) {
    for (const s of c.segments) {
      if (s.kind !== 'say') continue;
      const key = `${s.language}\u0000${s.text}`;
      let p = byText.get(key);
      if (!p) byText.set(key, (p = { text: s.text, language: s.language, seconds: s.seconds, method: s.method, occurrences: [] }));
      p.occurrences.push({ call: c.call, step: s.step, placement: s.placement });
    }
  }
  return [...byText.values()].sort((a, b) => b.seconds - a.seconds || a.text.localeCompare(b.text)).slice(0, n);
}

/** Says and Pauses outside any Gather, in call order: the speech no key can cut short. */
export function nonBargeable(segments: readonly TimedSegment[]): TimedSegment[] {
  return segments.filter((s) => s.kind !== 'play' && !s.bargeable);
}

export interface TurnFigure {
  /** The webhook step whose answer this is. */
  step: string;
  seconds: number;
  bargeableSeconds: number;
  says: number;
  /** The Says' texts joined: what identifies the same turn in several calls. */
  text: string;
  calls: string[];
}

/**
 * The `n` longest turns across `calls`: a turn is everything one webhook answer says before the caller
 * acts (a whole menu with what precedes it, or the read-out before the queue). The same turn in several
 * calls is one row naming them all.
 */
export function longestTurns(calls: ReadonlyArray<{ call: string; segments: readonly TimedSegment[] }>, n: number): TurnFigure[] {
  const byKey = new Map<string, TurnFigure>();
  for (const c of calls) {
    const turns: TurnFigure[] = [];
    let last: TimedSegment | undefined;
    for (const s of c.segments) {
      if (s.kind === 'play') continue;
      if (!last || last.turn !== s.turn) turns.push({ step: s.step, seconds: 0, bargeableSeconds: 0, says: 0, text: '', calls: [] });
      const t = turns.at(-1)!;
      t.seconds += s.seconds;
      if (s.bargeable) t.bargeableSeconds += s.seconds;
      if (s.kind === 'say') {
        t.says++;
        t.text = t.text ? `${t.text} ${s.text}` : s.text;
      }
      last = s;
    }
    for (const t of turns) {
      const key = `${t.step}\u0000${t.text}`;
      const seen = byKey.get(key);
      if (seen) {
        if (!seen.calls.includes(c.call)) seen.calls.push(c.call);
      } else byKey.set(key, { ...t, calls: [c.call] });
    }
  }
  return [...byKey.values()].sort((a, b) => b.seconds - a.seconds || a.text.localeCompare(b.text)).slice(0, n);
}
