import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importLinesCommand, type CliIo } from '../../functions/data/cli.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { io, out, err };
}

describe('data:import-lines', () => {
  it('prints the converted lines as JSON on stdout and every unconverted entry with its reason on stderr', async () => {
    const { io, out, err } = capture();
    expect(await importLinesCommand([path('../data/fixtures/published-numbers.txt'), '--scheme', 'a-c', '--label', 'Vendor'], io, {})).toBe(0);
    const lines = JSON.parse(out.join('\n'));
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatchObject({ number: '+18887999666', scheme: 'a-c', extensions: { '2': 'technical' }, label: expect.stringMatching(/^Vendor: /) });
    expect(err.filter((line) => line.includes('not converted:'))).toHaveLength(7);
    expect(err).toContain('row 12 (Narnia) "+44 20 7946 0000": not converted: unknown country "Narnia"');
    expect(err.some((line) => line.startsWith('row 8 (India) "000 800 050 2040 ext. 2": not converted: '))).toBe(true);
    expect(err.some((line) => line.startsWith('row 6 "+49 0800 0010429 ext. 2" → +498000010429: note: '))).toBe(true);
    expect(err.at(-1)).toBe('9 converted, 7 not converted');
  });

  it('exits 1 when nothing converts, or the file cannot be read', async () => {
    const none = capture();
    expect(await importLinesCommand([path('../data/fixtures/invalid-many.json')], none.io, {})).toBe(1);
    expect(JSON.parse(none.out.join('\n'))).toEqual([]);
    const missing = capture();
    expect(await importLinesCommand([path('./nope.txt')], missing.io, {})).toBe(1);
    expect(missing.err).toEqual([expect.stringMatching(/^cannot read .*nope\.txt: no such file$/)]);
    const usage = capture();
    expect(await importLinesCommand([], usage.io, {})).toBe(1);
    expect(usage.err[0]).toMatch(/^usage: /);
  });
});
