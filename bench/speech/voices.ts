/**
 * Which espeak-ng voice says a BCP 47 language tag, from `espeak-ng --voices`. Pure, so the test can
 * hold it to a fixed voice list; the synthesizer (espeak.ts) runs the command.
 */

/** Voice identifiers by the language names espeak-ng answers to (its own and its "Other Languages"). */
export interface VoiceIndex {
  /** Lower-case language name → voice to pass to `-v`, the best (lowest priority number) first. */
  byLanguage: Map<string, string>;
}

/**
 * Parses `espeak-ng --voices`: `Pty Language Age/Gender VoiceName File Other Languages`, where Other
 * Languages reads `(zh-cmn 5)(zh 5)`. A voice's own language name wins over another voice's alias.
 */
export function parseVoiceList(output: string): VoiceIndex {
  const own = new Map<string, { voice: string; pty: number }>();
  const alias = new Map<string, { voice: string; pty: number }>();
  const keep = (m: Map<string, { voice: string; pty: number }>, name: string, voice: string, pty: number) => {
    const old = m.get(name);
    if (!old || pty < old.pty) m.set(name, { voice, pty });
  };
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+\S+\s+\S+\s+\S+\s*(.*)$/.exec(line);
    if (!m) continue;
    const pty = Number(m[1]);
    const voice = m[2]!;
    keep(own, voice.toLowerCase(), voice, pty);
    for (const o of m[3]!.matchAll(/\(([^\s()]+)\s+(\d+)\)/g)) keep(alias, o[1]!.toLowerCase(), voice, Number(o[2]));
  }
  const byLanguage = new Map<string, string>();
  for (const [name, v] of alias) byLanguage.set(name, v.voice);
  for (const [name, v] of own) byLanguage.set(name, v.voice);
  return { byLanguage };
}

/**
 * Chinese tags name a script or region, espeak-ng names the spoken language: Hong Kong and Macau speak
 * Cantonese (`zh-yue`), the rest Mandarin (`zh-cmn`).
 */
function spokenAlias(tag: string): string | undefined {
  const parts = tag.split('-');
  if (parts[0] !== 'zh') return undefined;
  return parts.includes('hk') || parts.includes('mo') ? 'zh-yue' : 'zh-cmn';
}

/** The espeak-ng voice for `language` (`en-US` → `en-us`, `es-MX` → `es-419`, `zh-HK` → `yue`), if any. */
export function voiceFor(index: VoiceIndex, language: string): string | undefined {
  const tag = language.toLowerCase();
  const candidates = [tag, spokenAlias(tag), tag.split('-')[0]!].filter((c): c is string => !!c);
  for (const c of candidates) {
    const v = index.byLanguage.get(c);
    if (v) return v;
  }
  return undefined;
}
