/** The committed prompt pages (docs/prompts/) are what `npm run prompts:snapshot` writes today. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { promptDocs } from '../../scripts/prompt-docs.js';

const ROOT = new URL('../../', import.meta.url);

describe('docs/prompts', () => {
  it('has one up-to-date page per catalog and nothing else', () => {
    const docs = promptDocs();
    expect(Object.keys(docs)).toHaveLength(19);
    const files = readdirSync(new URL('docs/prompts/', ROOT))
      .map((f) => `docs/prompts/${f}`)
      .sort();
    expect(files).toEqual(Object.keys(docs).sort());
    for (const [path, text] of Object.entries(docs)) {
      expect(readFileSync(new URL(path, ROOT), 'utf8'), `${path} is out of date: run npm run prompts:snapshot`).toBe(text);
    }
  });
});
