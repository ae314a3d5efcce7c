/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the busy time went: self time by owner
 * (the AWS SDK, the project's own code, dynalite, Node's internals, garbage collection, ...) as shares of
 * the thread's busy time (idle excluded), and the functions with the most self time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface ProfileSummary {
  file: string;
  /** Sampled wall time and busy (not idle) time, ms. */
  totalMs: number;
  busyMs: number;
  /** Self time by owner, ms, most first. */
  byOwner: Array<{ owner: string; ms: number; share: number }>;
  top: Array<{ fn: string; owner: string; ms: number; share: number }>;
}

export function ownerOf(url: string, fn: string): string {
  if (!url) {
    if (fn === '(idle)') return 'idle';
    if (fn === '(garbage collector)') return 'garbage collection';
    if (fn === '(program)') return 'V8/native (program)';
    return 'V8/native';
  }
  if (url.startsWith('node:')) return 'Node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/')) return 'AWS SDK (@aws-sdk, @smithy)';
    if (
      [
        'dynalite',
        'levelup',
        'memdown',
        'abstract-leveldown',
        'lazy',
        'async',
        'big.js',
        'buffer-crc32',
        'deferred-leveldown',
        'encoding-down',
        'level-codec',
        'subleveldown',
      ].includes(pkg)
    )
      return 'dynalite (embedded DynamoDB)';
    return pkg;
  }
  if (url.includes('/functions/')) return 'project: functions/';
  if (url.includes('/local/')) return 'project: local/ (server)';
  if (url.includes('/bench/')) return 'bench';
  return 'other';
}

export function summarizeProfile(file: string, topN = 10): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + Math.max(0, p.timeDeltas[i] ?? 0));
  const owners = new Map<string, number>();
  const fns = new Map<string, { owner: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const owner = ownerOf(n.callFrame.url, n.callFrame.functionName);
    total += us;
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    if (owner === 'idle') continue;
    const short = n.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(functions|local|bench)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short}:${n.callFrame.lineNumber + 1}`;
    const f = fns.get(key) ?? { owner, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const busy = total - (owners.get('idle') ?? 0);
  return {
    file,
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byOwner: [...owners.entries()]
      .filter(([o]) => o !== 'idle')
      .map(([owner, us]) => ({ owner, ms: us / 1000, share: us / Math.max(1, busy) }))
      .sort((a, b) => b.ms - a.ms),
    top: [...fns.entries()]
      .map(([fn, f]) => ({ fn, owner: f.owner, ms: f.us / 1000, share: f.us / Math.max(1, busy) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, topN),
  };
}
