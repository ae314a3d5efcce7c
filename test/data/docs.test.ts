/**
 * The repository's own documentation stands alone: every relative link in the README and docs/ resolves
 * to a file in the repository (and to a heading, where it names one), none leaves it, and every JSON
 * example parses; the data-file examples validate with the same validator `data:check` uses, merged into
 * the complete example of docs/data-file.md where they are fragments.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSupportData } from '../../functions/data/validate.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCS = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f)),
];
const DATA_KEYS = ['lines', 'services', 'holidays', 'schemes', 'plans', 'organizations', 'agents'];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

function jsonBlocks(text: string): string[] {
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('documentation', () => {
  it.each(DOCS.map((f) => [relative(ROOT, f), f]))('%s: every relative link resolves inside the repository', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    for (const link of links(text)) {
      if (/^https?:|^mailto:/.test(link)) continue;
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const path = target ? resolve(dirname(file), target) : file;
      expect(relative(ROOT, path).startsWith('..'), `${link} leaves the repository`).toBe(false);
      expect(existsSync(path), `${link} does not exist`).toBe(true);
      if (anchor && path.endsWith('.md')) {
        const headings = [...readFileSync(path, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!));
        expect(headings, `${link}: no heading #${anchor}`).toContain(anchor);
      }
    }
  });

  it("mentions no path outside the repository (the team's spec is not shipped)", () => {
    for (const file of DOCS) expect(readFileSync(file, 'utf8'), relative(ROOT, file)).not.toMatch(/\.\.\/shared|shared\/spec/);
  });

  it('every JSON example parses; data-file examples pass the validator', () => {
    const base = JSON.parse(
      jsonBlocks(readFileSync(join(ROOT, 'docs', 'data-file.md'), 'utf8')).find((b) => b.trim().startsWith('{') && b.includes('"agents"'))!,
    );
    expect(validateSupportData(base).ok).toBe(true);
    let dataExamples = 0;
    for (const file of DOCS) {
      for (const block of jsonBlocks(readFileSync(file, 'utf8'))) {
        let value: unknown;
        try {
          value = JSON.parse(block);
        } catch {
          value = JSON.parse(`{${block}}`); // a fragment such as "plans": { ... }
        }
        const keys = Object.keys(value as object);
        if (!keys.some((k) => DATA_KEYS.includes(k))) continue;
        dataExamples += 1;
        const merged = { ...base, ...(value as object) };
        const checked = validateSupportData(merged);
        expect(checked.ok ? [] : checked.problems, `${relative(ROOT, file)}: ${block.slice(0, 80)}`).toEqual([]);
      }
    }
    expect(dataExamples).toBeGreaterThanOrEqual(5);
  });
});
