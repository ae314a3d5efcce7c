import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dataCheck, type CliIo } from '../../functions/data/cli.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { io, out, err };
}

describe('data:check', () => {
  it('exits 0 with a one-line summary for a valid file', async () => {
    const { io, out, err } = capture();
    expect(await dataCheck([path('../../data/demo.json')], io, {})).toBe(0);
    expect(out).toEqual(['ok: 25 lines, 7 organizations, 3 agents']);
    expect(err).toEqual([]);
  });

  it('exits 1 listing every problem as PATH: message', async () => {
    const { io, out, err } = capture();
    const file = path('../data/fixtures/invalid-many.json');
    expect(await dataCheck([file], io, {})).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(11);
    expect(err).toContain('$.organizations[0].plan: unknown plan "gold" (defined: business)');
    expect(err).toContain('$.lines[1].scheme: unknown scheme "p1-p9" (defined: p1-p4)');
    expect(err.every((line, i) => (i < 10 ? /^\$[.[]\S*: ./.test(line) : line === `${file}: 10 problems`))).toBe(true);
  });

  it('exits 1 with a clear message for a missing file, a directory, bad JSON or no argument', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-check-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "lines": [ }');
    const cases: Array<[string[], RegExp]> = [
      [[join(dir, 'missing.json')], /^cannot read .*missing\.json: no such file$/],
      [[dir], /^cannot read .*: it is a directory$/],
      [[bad], /^.*bad\.json is not valid JSON: /],
      [[], /^usage: /],
    ];
    for (const [argv, message] of cases) {
      const { io, out, err } = capture();
      expect(await dataCheck(argv, io, {})).toBe(1);
      expect(out).toEqual([]);
      expect(err).toEqual([expect.stringMatching(message)]);
    }
  });

  it('accepts a file saved with a byte order mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-check-'));
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path('../data/fixtures/valid-small.json'), 'utf8'))))}`);
    const { io, out } = capture();
    expect(await dataCheck([file], io, {})).toBe(0);
    expect(out).toEqual(['ok: 2 lines, 2 organizations, 2 agents']);
  });
});
