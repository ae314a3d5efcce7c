/**
 * Runs each case as a real call through the product, in-process (the real middy stack and flows on an
 * embedded DynamoDB, as the bench's step measurement does), collects what the caller hears from answer
 * to queue, and times every Say. Each call gets a database of its own and a fixed clock, so the spoken
 * due times and everything else are the same from run to run.
 */
import { placeCall } from '../lib/caller.js';
import { startEmbeddedDb } from '../lib/embedded-db.js';
import { inProcessLine, newCallSid } from '../lib/in-process.js';
import { RecordingNotifier } from '../lib/recording-notifier.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { SpeechCase } from './cases.js';
import { scriptedKeys, type KeyLog } from './keys.js';
import type { Speaker } from './speaker.js';
import { totalsOf, type TimedSegment, type Totals } from './sums.js';
import { callSpeech, type CallSpeech, type Segment } from './twiml-speech.js';

/** A Tuesday morning on the US east coast: only the spoken due time depends on it. */
export const SPEECH_CLOCK = '2026-12-01T15:00:00.000Z';

export interface CaseResult {
  id: string;
  group: SpeechCase['group'];
  label: string;
  language: string;
  source: string;
  goalSeconds?: number;
  /** `enqueue` when the call reached the queue. */
  end: CallSpeech['end'];
  /** Why it did not reach the queue, when it did not. */
  problem?: string;
  /** Steps the script did not know by name and answered by the prompt's words. */
  byWords?: string[];
  segments: TimedSegment[];
  totals: Totals;
  /** The first wait announcement once queued (not part of the time to the queue). */
  afterQueue: TimedSegment[];
}

async function timed(segments: readonly Segment[], speaker: Speaker): Promise<TimedSegment[]> {
  const out: TimedSegment[] = [];
  for (const s of segments) {
    if (s.kind === 'pause') out.push({ ...s, seconds: s.pauseSeconds ?? 0, method: 'pause', modelSeconds: s.pauseSeconds ?? 0 });
    else if (s.kind === 'play') out.push({ ...s, seconds: 0, method: 'play (not timed)', modelSeconds: 0 });
    else {
      const t = await speaker.time(s.text, s.language);
      out.push({ ...s, seconds: t.seconds * s.loop, method: t.method, modelSeconds: t.modelSeconds * s.loop });
    }
  }
  return out;
}

export async function measureCase(c: SpeechCase, speaker: Speaker, at = SPEECH_CLOCK): Promise<CaseResult> {
  const db = await startEmbeddedDb();
  const notifier = new RecordingNotifier();
  const log: KeyLog = { unanswered: [], byWords: [] };
  let speech: CallSpeech;
  let problem: string | undefined;
  try {
    const line = await inProcessLine({ db, data: c.data as unknown as SupportData, overrides: { notifier, now: () => new Date(at) } });
    const menu = c.data.lines.find((l) => l.number === c.line)?.languages ?? [];
    const keys = scriptedKeys(c.choices, menu, () => notifier.codeFor(c.choices.codeTo ?? ''), log);
    const call = await placeCall(line.send, { callSid: newCallSid(), from: c.from, to: c.line, keys });
    speech = callSpeech(call.requests);
    if (call.error) problem = call.error;
    else if (log.unanswered.length) problem = `the script has no keys for step "${log.unanswered[0]}"`;
    else if (speech.end !== 'enqueue') problem = `the call ended with ${call.end}, not in the queue: "${call.heard.at(-1) ?? ''}"`;
  } finally {
    await db.stop();
  }
  const segments = await timed(speech.segments, speaker);
  return {
    id: c.id,
    group: c.group,
    label: c.label,
    language: c.language,
    source: c.source,
    ...(c.goalSeconds !== undefined ? { goalSeconds: c.goalSeconds } : {}),
    end: speech.end,
    ...(problem ? { problem } : {}),
    ...(log.byWords.length ? { byWords: log.byWords } : {}),
    segments,
    totals: totalsOf(segments),
    afterQueue: await timed(speech.afterQueue, speaker),
  };
}

export async function measureSpeech(cases: readonly SpeechCase[], speaker: Speaker, log: (s: string) => void = () => {}): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    const r = await measureCase(c, speaker);
    log(`  ${r.label}: ${r.totals.seconds.toFixed(1)} s${r.problem ? ` (${r.problem})` : ''}`);
    out.push(r);
  }
  return out;
}
