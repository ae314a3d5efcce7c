import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDemoFiles } from '../../scripts/build-demo-data.js';

describe('scripts/build-demo-data.ts', () => {
  it('the committed demo files equal a fresh build (run it after editing demo-lines-source.ts)', () => {
    for (const [path, text] of Object.entries(renderDemoFiles())) {
      expect(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), path).toBe(text);
    }
  });
});
