/** The board's page builds from TypeScript with esbuild and stays small (issue 16: at most 100 KB of JavaScript, minified). */
import { describe, expect, it } from 'vitest';
import { buildBoard } from '../../board/build.js';

describe('board build', () => {
  it('bundles the page JavaScript, minified, under 100 KB, with the page and styles beside it', async () => {
    const files = await buildBoard();
    const bytes = Buffer.byteLength(files['board.js']);
    expect(bytes).toBeGreaterThan(5_000);
    expect(bytes).toBeLessThanOrEqual(100 * 1024);
    expect(files['board.js']).not.toMatch(/\n\s{2,}/);
    expect(files['index.html']).toContain('<script type="module" src="/board/board.js"></script>');
    expect(files['board.css']).toContain(':focus-visible');
    // No server code in the page: the domain types are type-only imports.
    expect(files['board.js']).not.toMatch(/dueAt|DynamoDB|node:/);
  });
});
