/**
 * Seconds of speech without a synthesizer: words at a fixed rate, and for Chinese and Japanese (written
 * without spaces) characters at a fixed rate. Pure; the fallback whenever espeak-ng or sox is missing,
 * or espeak-ng has no voice for the language.
 */

/** The speaking rate, the same rate espeak-ng is asked for (`-s 160`). */
export const WORDS_PER_MINUTE = 160;
/**
 * Han, kana: one character is about one syllable (Mandarin, Cantonese) or one to two morae (Japanese).
 * 160 English words a minute are about 240 syllables (~1.5 syllables a word), so the same pace is taken
 * as 240 characters a minute.
 */
export const CJK_CHARACTERS_PER_MINUTE = 240;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_ALL = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
/** A word: anything with a letter or a digit ("1," and "16:00" are one word each; a lone "–" is none). */
const WORD = /[\p{L}\p{N}]/u;

export interface TextSize {
  words: number;
  cjkCharacters: number;
}

/** Words outside CJK script, and CJK characters (each run of them is not also a word). */
export function textSize(text: string): TextSize {
  const cjkCharacters = (text.match(CJK_ALL) ?? []).length;
  const words = text
    .replace(CJK_ALL, ' ')
    .split(/\s+/)
    .filter((w) => WORD.test(w)).length;
  return { words, cjkCharacters };
}

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** Seconds to say `text` at the model's rates. */
export function modelSeconds(text: string): number {
  const { words, cjkCharacters } = textSize(text);
  return (words * 60) / WORDS_PER_MINUTE + (cjkCharacters * 60) / CJK_CHARACTERS_PER_MINUTE;
}

/** Which rate the model used for a text: `wpm`, `cpm` (CJK characters) or both. */
export function modelMethod(text: string): 'wpm' | 'cpm' | 'wpm+cpm' {
  const { words, cjkCharacters } = textSize(text);
  if (cjkCharacters === 0) return 'wpm';
  return words === 0 ? 'cpm' : 'wpm+cpm';
}
