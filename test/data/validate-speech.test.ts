/** data:check names a line whose language has no catalog (a warning) or no fitting voice (an error). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataCheck } from '../../functions/data/cli.js';
import { validateSupportData } from '../../functions/data/validate.js';

const demo = () => JSON.parse(readFileSync(new URL('../../data/demo.json', import.meta.url), 'utf8')) as { lines: Array<Record<string, unknown>> };

describe('speech checks', () => {
  it('the demo and its voices pass without warnings', () => {
    const r = validateSupportData(demo());
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('a language without prompts loads, with a warning at its path', () => {
    const data = demo();
    data.lines[0]!.language = 'fi-FI';
    data.lines[1]!.languages = ['en-AU', 'hu-HU'];
    const r = validateSupportData(data);
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual(['$.lines[0].language', '$.lines[1].languages[1]']);
    expect(r.ok && r.warnings[0]!.message).toMatch(/no prompts in "fi-FI".*English/);
  });

  it('a line voice must be a Twilio voice that speaks the line language', () => {
    const data = demo();
    data.lines[0]!.voice = 'Polly.Matthew-Neural';
    expect(validateSupportData(data).ok).toBe(true);
    data.lines[0]!.voice = 'Google.de-DE-Wavenet-B';
    const wrong = validateSupportData(data);
    expect(wrong.ok ? [] : wrong.problems).toEqual([{ path: '$.lines[0].voice', message: 'Google.de-DE-Wavenet-B does not speak en-US' }]);
    data.lines[0]!.voice = 'Joanna';
    const bad = validateSupportData(data);
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['$.lines[0].voice']);
  });

  it('data:check prints the warnings and still succeeds', async () => {
    const data = demo();
    data.lines[0]!.language = 'fi-FI';
    const file = `/tmp/speech-check-${process.pid}.json`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(data));
    const out: string[] = [];
    const err: string[] = [];
    try {
      expect(await dataCheck([file], { out: (l) => out.push(l), err: (l) => err.push(l) }, {})).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
    // The demo's other warnings (queues no agent serves, PINs in clear) are data:check's, not the language's.
    expect(err.filter((l) => l.includes('.language'))).toEqual([expect.stringMatching(/^warning: \$\.lines\[0\]\.language: no prompts in "fi-FI"/)]);
    expect(out[0]).toMatch(/^ok: /);
  });
});
