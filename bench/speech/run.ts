/**
 * `npm run bench:speech [-- --model] [-- --paths-only] [-- --out docs/speech-timing.md]` (or `npm run bench -- --speech`)
 *
 * Seconds of speech a caller sits through from answer to queue (issue 13), per path and per language:
 * prints the table, writes docs/speech-timing.md and .local/bench/speech.json, and exits 1 when a goal is
 * missed (2 when the run itself failed), as `npm run bench` does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { speechCases } from './cases.js';
import { measureSpeech, SPEECH_CLOCK } from './measure.js';
import { renderSpeech, speechGoals, speechTable, type SpeechRun } from './report.js';
import { openSpeaker } from './speaker.js';

export const SPEECH_DOC = 'docs/speech-timing.md';
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function runSpeech(o: { log: (s: string) => void; forceModel?: boolean; pathsOnly?: boolean }): Promise<SpeechRun> {
  const startedAt = new Date().toISOString();
  const cases = speechCases(PROJECT_ROOT).filter((c) => !o.pathsOnly || c.group === 'path');
  const speaker = await openSpeaker({ forceModel: o.forceModel });
  o.log(`seconds of speech (${speaker.description}) ...`);
  try {
    const results = await measureSpeech(cases, speaker, o.log);
    return { startedAt, speaker: speaker.description, clock: SPEECH_CLOCK, results };
  } finally {
    speaker.close();
  }
}

/** Writes the document and the raw figures; returns the exit code (0 all goals met, 1 not). */
export function writeSpeech(run: SpeechRun, out: string, log: (s: string) => void): number {
  mkdirSync(join(PROJECT_ROOT, '.local/bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, '.local/bench/speech.json'), JSON.stringify(run, null, 2));
  writeFileSync(out, renderSpeech(run));
  log('');
  log(speechTable(run.results));
  log('');
  const goals = speechGoals(run.results);
  for (const g of goals) log(`${g.met ? 'met   ' : 'MISSED'} ${g.goal}: ${g.measured}`);
  log(`wrote ${out}`);
  return goals.every((g) => g.met) && run.results.every((r) => !r.problem) ? 0 : 1;
}

const USAGE = 'usage: npm run bench:speech [-- --model] [-- --paths-only] [-- --out FILE]';

async function main(): Promise<number> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  let args;
  try {
    args = parseArgs({
      options: {
        model: { type: 'boolean', default: false },
        'paths-only': { type: 'boolean', default: false },
        out: { type: 'string', default: join(PROJECT_ROOT, SPEECH_DOC) },
      },
    }).values;
  } catch (e) {
    log(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const run = await runSpeech({ log, forceModel: args.model, pathsOnly: args['paths-only'] });
  return writeSpeech(run, args.out!, log);
}

// Run when started as a script; bench/run.ts imports runSpeech and writeSpeech instead.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
