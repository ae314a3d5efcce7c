/**
 * docs/speech-timing.md and the console table from one run of the speech measurement, with the issue's
 * goals checked against it. Pure: figures in, text out.
 */
import type { CaseResult } from './measure.js';
import { longestPrompts, longestTurns, nonBargeable, type TimedSegment } from './sums.js';
import { CJK_CHARACTERS_PER_MINUTE, WORDS_PER_MINUTE } from './wpm-model.js';

export interface SpeechRun {
  startedAt: string;
  /** How the seconds were made (espeak-ng and sox, or the model and why). */
  speaker: string;
  /** The fixed clock the calls ran at. */
  clock: string;
  results: CaseResult[];
}

export interface SpeechGoal {
  goal: string;
  measured: string;
  met: boolean;
}

export const TOP_PROMPTS = 5;

const s1 = (n: number) => n.toFixed(1);
const cell = (t: string) => t.replace(/\|/g, '\\|');
const placementName: Record<TimedSegment['placement'], string> = {
  gather: 'in a Gather',
  'before-gather': 'outside, before a prompt',
  'before-exit': 'outside, before the queue',
};

/** "espeak-ng:en-us 12" or "wpm 3, espeak-ng:pl 9": which method timed how many Says. */
export function methodsOf(r: CaseResult): string {
  const entries = Object.entries(r.totals.methods);
  return entries.length ? entries.map(([m, n]) => `${m} ${n}`).join(', ') : '–';
}

/** The languages the Says were spoken in (the English fallback shows here), and how many read CJK text in another language's voice. */
function spokenIn(r: CaseResult): string {
  const langs = [...new Set(r.segments.filter((s) => s.kind === 'say').map((s) => s.language))];
  const mismatched = r.segments.filter(scriptMismatch).length;
  return `${langs.join(', ') || '–'}${mismatched ? ` (⚠ ${mismatched})` : ''}`;
}

/** Han, kana or Hangul read by a voice of another language: neither espeak-ng nor Twilio says it well. */
export function scriptMismatch(s: Pick<TimedSegment, 'kind' | 'text' | 'language'>): boolean {
  return (
    s.kind === 'say' && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(s.text) && !/^(zh|ja|ko|yue|cmn)\b/i.test(s.language)
  );
}

export function speechGoals(results: readonly CaseResult[]): SpeechGoal[] {
  return results
    .filter((r) => r.goalSeconds !== undefined)
    .map((r) => ({
      goal: `${r.label}: <= ${r.goalSeconds} s of speech from answer to queue`,
      measured: r.problem
        ? `did not reach the queue: ${r.problem}`
        : `${s1(r.totals.seconds)} s (${s1(r.totals.bargeableSeconds)} s bargeable, ${s1(r.totals.seconds - r.totals.bargeableSeconds)} s not)`,
      met: !r.problem && r.end === 'enqueue' && r.totals.seconds <= r.goalSeconds!,
    }));
}

/** The console's summary: one row per call. */
export function speechTable(results: readonly CaseResult[]): string {
  const rows = results.map((r) => [
    r.label,
    s1(r.totals.seconds),
    s1(r.totals.bargeableSeconds),
    s1(r.totals.beforeGatherSeconds),
    s1(r.totals.beforeExitSeconds),
    s1(r.totals.modelSeconds),
    r.problem ? `NOT QUEUED: ${r.problem}` : methodsOf(r),
  ]);
  const head = ['call', 'total s', 'bargeable', 'before prompt', 'before queue', 'model s', 'method'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

export function renderSpeech(run: SpeechRun, o: { heading?: string } = {}): string {
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  const paths = run.results.filter((r) => r.group === 'path');
  const languages = run.results.filter((r) => r.group === 'language');
  const goals = speechGoals(run.results);

  p(`${o.heading ?? '#'} Seconds of speech from answer to queue`);
  p();
  p(
    `Written by \`npm run bench:speech\` (bench/speech/run.ts; also part of \`npm run bench\`) on ${run.startedAt}. Every figure below comes from that run: each call is placed through the product's real webhooks (in-process: the middy stack and the flows on an embedded DynamoDB), and every \`<Say>\` the caller hears is timed from its exact text in its own \`language\`.`,
  );
  p();
  p(
    `Seconds by: ${run.speaker}. \`<Pause>\` counts its length; a \`<Play>\` before the queue is listed but not timed. Calls run at a fixed clock (${run.clock}), so the spoken due time is the same every run.`,
  );
  p();
  p('## Goals (issue 13)');
  p();
  p('| goal | this run | |');
  p('|---|---|---|');
  for (const g of goals) p(`| ${cell(g.goal)} | ${cell(g.measured)} | ${g.met ? 'met' : '**missed**'} |`);
  p();
  p('## Per path');
  p();
  p(
    '*Bargeable*: inside the `<Gather>` the caller answers, so a key cuts it short. *Before a prompt*: outside any Gather, before one: no key can cut it and the prompt waits for it. *Before the queue*: outside any Gather, between the last key and `<Enqueue>`.',
  );
  p();
  p('| path | total s | bargeable s | before a prompt s | before the queue s | pauses s | Says | words | model s | timed by |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of paths) {
    const t = r.totals;
    p(
      `| ${cell(r.label)}${r.problem ? ` (**not queued**: ${cell(r.problem)})` : ''} | **${s1(t.seconds)}** | ${s1(t.bargeableSeconds)} | ${s1(t.beforeGatherSeconds)} | ${s1(t.beforeExitSeconds)} | ${s1(t.pauseSeconds)} | ${t.says} | ${t.words}${t.cjkCharacters ? ` + ${t.cjkCharacters} CJK` : ''} | ${s1(t.modelSeconds)} | ${methodsOf(r)} |`,
    );
  }
  p();
  p('Seconds per webhook answer (a step is the webhook that answered; its speech ends at the Gather the caller answers):');
  p();
  p('| path | seconds per step, in order |');
  p('|---|---|');
  for (const r of paths) p(`| ${cell(r.label)} | ${r.totals.bySteps.map((b) => `${b.step} ${s1(b.seconds)}`).join(' → ')} |`);
  p();
  p('Data and callers:');
  p();
  for (const r of paths) p(`- ${r.label}: ${r.source}.`);
  for (const r of run.results.filter((x) => x.byWords?.length)) p(`- ${r.label}: steps answered by the prompt's words, not by name: ${r.byWords!.join(', ')}.`);
  p();

  if (languages.length) {
    p('## Per language');
    p();
    p(
      `The registered admin's path (ext. 2, P1) on a line in each language of data/demo.json and examples/*.json (a line's own language and its language menu's): each a copy of the en-US "ext. 2" line of data/demo.json in that language, so the figures differ only by what is said and how. *Spoken in* is the \`<Say language>\` the product used: a language without a message catalog is spoken in English.`,
    );
    p();
    p('| language | spoken in | total s | bargeable s | before a prompt s | before the queue s | words | model s | timed by |');
    p('|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of languages) {
      const t = r.totals;
      p(
        `| ${r.language}${r.problem ? ` (**not queued**: ${cell(r.problem)})` : ''} | ${spokenIn(r)} | **${s1(t.seconds)}** | ${s1(t.bargeableSeconds)} | ${s1(t.beforeGatherSeconds)} | ${s1(t.beforeExitSeconds)} | ${t.words}${t.cjkCharacters ? ` + ${t.cjkCharacters} CJK` : ''} | ${s1(t.modelSeconds)} | ${methodsOf(r)} |`,
      );
    }
    p();
  }

  p(`## The ${TOP_PROMPTS} longest prompts`);
  p();
  p('Across the paths above (a text said in several places is one row): where the seconds go.');
  p();
  p('| # | seconds | language | text | said in |');
  p('|---:|---:|---|---|---|');
  longestPrompts(
    paths.map((r) => ({ call: r.label, segments: r.segments })),
    TOP_PROMPTS,
  ).forEach((x, i) => {
    const where = [...new Set(x.occurrences.map((o) => `${o.call}: ${o.step}, ${placementName[o.placement]}`))].join('; ');
    p(`| ${i + 1} | ${s1(x.seconds)} | ${x.language} | ${cell(x.text)} | ${cell(where)} |`);
  });
  p();

  p(`## The ${TOP_PROMPTS} longest turns`);
  p();
  p(
    'A turn is everything one webhook answer says before the caller can act on it or is queued: a whole menu with what is said before it, or the read-out before the queue.',
  );
  p();
  p('| # | seconds | of which bargeable | step | Says | said in | begins with |');
  p('|---:|---:|---:|---|---:|---|---|');
  longestTurns(
    paths.map((r) => ({ call: r.label, segments: r.segments })),
    TOP_PROMPTS,
  ).forEach((t, i) => {
    const words = t.text.split(' ');
    p(
      `| ${i + 1} | ${s1(t.seconds)} | ${s1(t.bargeableSeconds)} | ${t.step} | ${t.says} | ${cell(t.calls.join('; '))} | ${cell(words.slice(0, 12).join(' '))}${words.length > 12 ? ' …' : ''} |`,
    );
  });
  p();

  p('## Speech no key can cut');
  p();
  p('Says and Pauses outside any `<Gather>`, per path. *Before a prompt* is the speech that most needs to move into the Gather that follows it.');
  p();
  p('| path | step | where | seconds | text |');
  p('|---|---|---|---:|---|');
  for (const r of paths) {
    const list = nonBargeable(r.segments);
    const ordered = [...list.filter((s) => s.placement === 'before-gather'), ...list.filter((s) => s.placement === 'before-exit')];
    for (const s of ordered)
      p(`| ${cell(r.label)} | ${s.step} | ${placementName[s.placement]} | ${s1(s.seconds)} | ${s.kind === 'pause' ? '*(pause)*' : cell(s.text)} |`);
    const before = list.filter((s) => s.placement === 'before-gather').reduce((a, s) => a + s.seconds, 0);
    const exit = list.filter((s) => s.placement === 'before-exit').reduce((a, s) => a + s.seconds, 0);
    p(`| ${cell(r.label)} | *sum* | | ${s1(before)} before a prompt, ${s1(exit)} before the queue | |`);
  }
  p();

  p('## Every Say, in order');
  p();
  for (const r of paths) {
    p(`### ${r.label}`);
    p();
    p('| # | step | where | language | seconds | model s | timed by | text |');
    p('|---:|---|---|---|---:|---:|---|---|');
    r.segments.forEach((s, i) => {
      const text = s.kind === 'pause' ? '*(pause)*' : s.kind === 'play' ? `*(play ${cell(s.text)})*` : cell(s.text);
      p(
        `| ${i + 1} | ${s.step} | ${placementName[s.placement]} | ${s.language || '–'} | ${s1(s.seconds)} | ${s1(s.modelSeconds)} | ${s.method} | ${text}${scriptMismatch(s) ? ' ⚠' : ''} |`,
      );
    });
    if (r.afterQueue.length) {
      const said = r.afterQueue.filter((s) => s.kind === 'say');
      const pause = r.afterQueue.filter((s) => s.kind === 'pause').reduce((a, s) => a + s.seconds, 0);
      const play = r.afterQueue.some((s) => s.kind === 'play');
      p();
      p(
        `Once queued (not counted above), the first wait answer says ${said.map((s) => `"${cell(s.text)}" (${s1(s.seconds)} s)`).join(', ') || 'nothing'}${pause ? `, then ${s1(pause)} s of pause` : ''}${play ? ', with hold music' : ''}.`,
      );
    }
    p();
  }
  if (run.results.some((r) => r.segments.some(scriptMismatch))) {
    p(
      "⚠: Chinese, Japanese or Korean text in a `<Say>` of another language (a language named in itself in a menu, a date formatted in the line's language inside an English sentence), read by that other language's voice. Neither espeak-ng nor Twilio reads it as a caller would; the model's figure is beside it.",
    );
    p();
  }

  p('## How it is measured');
  p();
  p(
    "- Calls: bench/speech/cases.ts builds them from the project's data files; bench/speech/measure.ts places each through `placeCall` (bench/lib/caller.ts) on `inProcessLine` (bench/lib/in-process.ts), each on a fresh embedded DynamoDB, codes read from a recording notifier. Derived data is always open (every service 24/7, no plan hours, no holidays): the open line's path, whatever the hour.",
  );
  p(
    "- Keys: chosen by the step each `<Gather>` posts to, not by its words (bench/speech/keys.ts), with the contract's keys: the language's position in the menu, the extension, the account number and `#`, `1` for a text message, the code, `1` for the most urgent level. A step by another name is answered by the prompt's plain English words where they say what is asked (priority, code, text message, account number) and named under *Data and callers*; any other step ends the call and the path is reported as not queued.",
  );
  p(
    "- Speech: bench/speech/twiml-speech.ts reads each answer in order up to where the caller leaves it (the Gather they answer, `<Enqueue>`, `<Redirect>`, `<Hangup>`); Says inside the Gather are bargeable. The wait URL's answer after `<Enqueue>` is reported apart.",
  );
  p(
    `- Seconds: \`espeak-ng -s ${WORDS_PER_MINUTE} -v <voice> -w out.wav\` with the Say's text, measured by \`soxi -D out.wav\`, the voice picked from \`espeak-ng --voices\` for the Say's language (en-US → en-us, es-MX → es-419, zh-HK → yue, other zh → cmn, else the primary subtag). Without espeak-ng or sox, or without a voice for the language, the model: ${WORDS_PER_MINUTE} words a minute (a word: anything with a letter or digit between spaces, so each digit of a ticket number read "1, 0, 0" is a word) and ${CJK_CHARACTERS_PER_MINUTE} characters a minute for Han and kana (about the syllable rate of ${WORDS_PER_MINUTE} English words a minute). The *model s* column is that model's figure for the same text, for comparison; \`--model\` uses it throughout.`,
  );
  p();
  return out.join('\n');
}
