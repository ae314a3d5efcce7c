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
  it('exits 0 with a one-line summary for a valid file; stderr holds only its warnings (issue 17)', async () => {
    const { io, out, err } = capture();
    expect(await dataCheck([path('../../data/demo.json')], io, {})).toBe(0);
    expect(out).toEqual(['ok: 25 lines, 7 organizations, 3 agents']);
    expect(err.slice(0, -1).every((line) => /^warning: \$[.[]\S*: ./.test(line))).toBe(true);
    expect(err.at(-1)).toBe(`${err.length - 1} warnings`);
    // The demo's Litware (premier-plus, tier 2) callers on the Polish line: no tier-2 agent speaks Polish.
    expect(err.some((line) => /no agent serves callers in pl-PL .*tier 2 \(plan premier-plus\)/.test(line))).toBe(true);
  });

  it('a file without warnings prints nothing on stderr', async () => {
    const { io, out, err } = capture();
    const file = join(mkdtempSync(join(tmpdir(), 'data-check-')), 'clean.json');
    writeFileSync(file, JSON.stringify(CLEAN));
    expect(await dataCheck([file], io, {})).toBe(0);
    expect(out).toEqual(['ok: 1 lines, 1 organizations, 1 agents']);
    expect(err).toEqual([]);
    expect(await dataCheck([file, '--strict'], capture().io, {})).toBe(0);
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
    writeFileSync(
      file,
      `\uFEFF${JSON.stringify(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path('../data/fixtures/valid-small.json'), 'utf8'))))}`,
    );
    const { io, out } = capture();
    expect(await dataCheck([file], io, {})).toBe(0);
    expect(out).toEqual(['ok: 2 lines, 2 organizations, 2 agents']);
  });
});

/** A small file a careful operator would write: every queue served, known roles, a hashed 6-digit PIN, a catalogued language. */
const CLEAN = {
  lines: [
    {
      number: '+18887999666',
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/New_York',
      extensions: { '2': 'technical' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
  ],
  services: { technical: { hours: '24/7' } },
  schemes: {
    'p1-p4': [
      { id: 'P1', firstResponse: 'PT1H', restore: 'PT4H' },
      { id: 'P2', firstResponse: 'PT4H' },
    ],
  },
  plans: { business: { phoneSupport: true, services: ['technical'], roles: ['admin'] } },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+48601234567' },
      people: [{ name: 'Ada', phone: '+48601234567', role: 'admin' }],
    },
  ],
  agents: {
    line: '+15550100000',
    // A well-formed hash (its PIN does not matter to data:check).
    people: [
      {
        id: '1001',
        name: 'Sam',
        pinHash: 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        languages: ['en-US'],
        services: ['technical'],
      },
    ],
  },
};

describe('data:check warnings', () => {
  const variant = (change: (d: any) => void) => {
    const d = structuredClone(CLEAN) as any;
    change(d);
    const file = join(mkdtempSync(join(tmpdir(), 'data-check-')), 'd.json');
    writeFileSync(file, JSON.stringify(d));
    return file;
  };
  it.each([
    [
      'a queue no agent serves (tier 2 plan)',
      (d: any) => (d.plans.business.tier = 2),
      /^warning: \$\.lines\[0\]: no agent serves callers in en-US .*technical at tier 2 \(plan business\)/,
    ],
    [
      'an unknown role',
      (d: any) => (d.organizations[0].people[0].role = 'admn'),
      /^warning: \$\.organizations\[0\]\.people\[0\]\.role: role "admn" is allowed by no plan/,
    ],
    [
      'a PIN in clear',
      (d: any) => {
        delete d.agents.people[0].pinHash;
        d.agents.people[0].pin = '135790';
      },
      /^warning: \$\.agents\.people\[0\]\.pin: agent 1001's PIN is in clear in the file: replace/,
    ],
    [
      'a short PIN',
      (d: any) => {
        delete d.agents.people[0].pinHash;
        d.agents.people[0].pin = '4321';
      },
      /PIN is in clear in the file and shorter than 6 digits/,
    ],
    [
      'a language without a catalog',
      (d: any) => {
        d.lines[0].language = 'fi-FI';
        d.agents.people[0].languages = ['fi-FI'];
      },
      /^warning: \$\.lines\[0\]\.language: no prompts in "fi-FI" yet: .*hear English/,
    ],
  ])('%s: exit 0 with the warning, exit 1 with --strict', async (_name, change, expected) => {
    const file = variant(change);
    const { io, err } = capture();
    expect(await dataCheck([file], io, {})).toBe(0);
    expect(err).toEqual([expect.stringMatching(expected), '1 warning']);
    const strict = capture();
    expect(await dataCheck([file, '--strict'], strict.io, {})).toBe(1);
    expect(strict.err.at(-1)).toBe('1 warning (--strict: failing)');
  });
});
