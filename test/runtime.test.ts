/**
 * Runtime parity (issue 2): Lambda runs nodejs24.x, so tests must too, even on a machine whose own Node
 * is older. The `node` devDependency puts Node 24 first on the PATH of every npm script; if someone runs
 * the suite another way, or the devDependency goes, this fails instead of silently testing another runtime.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('runtime parity with Lambda', () => {
  it('runs on Node 24, the nodejs24.x runtime', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('pins Node 24 as a devDependency so npm scripts run on it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies.node).toMatch(/^24\./);
  });
});
