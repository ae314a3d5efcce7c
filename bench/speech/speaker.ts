/**
 * Seconds of one Say: synthesized by espeak-ng at 160 words a minute in the Say's language and measured
 * with sox (`soxi -D`) when both are installed and espeak-ng has a voice for the language; otherwise the
 * words-per-minute model. Every figure carries the method that produced it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVoiceList, voiceFor, type VoiceIndex } from './voices.js';
import { modelMethod, modelSeconds, WORDS_PER_MINUTE } from './wpm-model.js';

export interface Timing {
  seconds: number;
  /** `espeak-ng:<voice>`, or the model's `wpm` / `cpm` / `wpm+cpm`. */
  method: string;
  /** The model's figure for the same text, beside a synthesized one. */
  modelSeconds: number;
}

export interface Speaker {
  time(text: string, language: string): Promise<Timing>;
  /** One line on how figures are made here (tools and versions, or why the model is used). */
  readonly description: string;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: e.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (child.stdin) {
      // A program that exits without reading its input must not take the bench down with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/** The model alone (no synthesizer here, or `--model` asked for it). */
export function modelSpeaker(why: string): Speaker {
  return {
    description: `words-per-minute model (${why})`,
    time: async (text) => {
      const s = modelSeconds(text);
      return { seconds: s, method: modelMethod(text), modelSeconds: s };
    },
  };
}

/** espeak-ng and soxi if both answer, else the model with the reason. Call `close()` when done. */
export async function openSpeaker(o: { forceModel?: boolean } = {}): Promise<Speaker & { close(): void }> {
  const noClose = (s: Speaker) => ({ ...s, close: () => {} });
  if (o.forceModel) return noClose(modelSpeaker('asked for with --model'));
  const version = await run('espeak-ng', ['--version']);
  if (version.code !== 0) return noClose(modelSpeaker('espeak-ng is not installed: apt-get install espeak-ng sox'));
  const soxi = await run('soxi', ['-h']);
  if (soxi.code === -1) return noClose(modelSpeaker('sox (soxi) is not installed: apt-get install sox'));
  const voices: VoiceIndex = parseVoiceList((await run('espeak-ng', ['--voices'])).stdout);
  const dir = mkdtempSync(join(tmpdir(), 'speech-timing-'));
  const cache = new Map<string, Promise<Timing>>();
  let n = 0;
  const synthesize = async (text: string, voice: string): Promise<Timing> => {
    const wav = join(dir, `${n++}.wav`);
    // The text goes on stdin: as an argument, one starting with "-" would be read as an option.
    const said = await run('espeak-ng', ['-s', String(WORDS_PER_MINUTE), '-v', voice, '-w', wav, '--stdin'], text);
    if (said.code !== 0) throw new Error(`espeak-ng -v ${voice} failed: ${said.stderr.trim()}`);
    const measured = await run('soxi', ['-D', wav]);
    const seconds = Number(measured.stdout.trim());
    if (measured.code !== 0 || !Number.isFinite(seconds)) throw new Error(`soxi -D ${wav} failed: ${measured.stderr.trim()}`);
    rmSync(wav, { force: true });
    return { seconds, method: `espeak-ng:${voice}`, modelSeconds: modelSeconds(text) };
  };
  return {
    description: `espeak-ng ${/\d+\.\d+(\.\d+)?/.exec(version.stdout)?.[0] ?? ''} at ${WORDS_PER_MINUTE} words/min, durations by soxi -D (sox); the model where espeak-ng has no voice`,
    time: (text, language) => {
      const voice = voiceFor(voices, language);
      if (!voice || !text.trim()) {
        const s = modelSeconds(text);
        return Promise.resolve({ seconds: s, method: modelMethod(text), modelSeconds: s });
      }
      const key = `${voice}\u0000${text}`;
      let t = cache.get(key);
      if (!t) cache.set(key, (t = synthesize(text, voice)));
      return t;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
