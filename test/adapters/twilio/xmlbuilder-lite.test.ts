/**
 * The bundles' stand-in for xmlbuilder must produce exactly what xmlbuilder produces, for everything
 * twilio's VoiceResponse asks of it: same bytes, or the same refusal of an invalid character.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { create as liteCreate } from '../../../functions/adapters/twilio/xmlbuilder-lite.js';
import { renderTwiml } from '../../../functions/adapters/twilio/twiml.js';
import type { VoiceAnswer } from '../../../functions/domain/decisions.js';

const xmlbuilder = createRequire(import.meta.url)('xmlbuilder') as { create: (n: string, o: unknown) => any };

/** The options twilio's TwiML constructor passes to xmlbuilder.create. */
const twilioOptions = {
  stringify: {
    attValue(this: { attEscape?: (s: string) => string }, value: unknown) {
      if (Array.isArray(value)) value = value.join(' ');
      return this.attEscape?.(`${value as string}` || '') || '';
    },
  },
};

type Op = { ele: string; attrs: Record<string, unknown>; text?: string; children: Op[] };

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '&amp; <x> "q" \t\n\r', 'Zażółć gęślą jaźń', '\u0001bad', '\uD800lone', 'a]]>b'),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.constantFrom('dtmf', 'speech'), { maxLength: 2 }),
);
const op: fc.Memo<Op> = fc.memo((depth) =>
  fc.record({
    ele: fc.constantFrom('Say', 'Gather', 'Enqueue', 'Task', 'Dial', 'Queue', 'Pause', 'Hangup', 'Redirect'),
    attrs: fc.dictionary(fc.constantFrom('action', 'numDigits', 'language', 'finishOnKey', 'timeout', 'input', 'url', 'priority'), value, { maxKeys: 4 }),
    text: fc.option(text, { nil: undefined }),
    children: depth > 1 ? fc.array(op(depth - 1), { maxLength: 3 }) : fc.constant([]),
  }),
);

function apply(root: any, ops: Op[]): void {
  for (const o of ops) {
    const child = o.text === undefined ? root.ele(o.ele, o.attrs) : root.ele(o.ele, o.attrs, o.text);
    apply(child, o.children);
  }
}

function render(create: (n: string, o: unknown) => any, ops: Op[], rootText?: string): { xml?: string; error?: string } {
  try {
    const root = create('Response', twilioOptions).dec('1.0', 'UTF-8');
    apply(root, ops);
    if (rootText !== undefined) root.txt(rootText);
    return { xml: root.end() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('xmlbuilder-lite', () => {
  it('renders byte-identical XML to xmlbuilder, or refuses the same input', () => {
    fc.assert(
      fc.property(fc.array(op(3), { maxLength: 4 }), fc.option(text, { nil: undefined }), (ops, rootText) => {
        expect(render(liteCreate as never, ops, rootText)).toEqual(render(xmlbuilder.create, ops, rootText));
      }),
      { numRuns: 400 },
    );
  });

  it('a bundle aliasing xmlbuilder renders every kind of answer exactly like the real library', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `export { renderTwiml } from ${JSON.stringify(resolve('functions/adapters/twilio/twiml.ts'))};\n`);
    const out = join(dir, 'bundle.mjs');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      metafile: true,
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      alias: { xmlbuilder: resolve('functions/adapters/twilio/xmlbuilder-lite.ts') },
      logLevel: 'error',
    });
    expect(Object.keys(result.metafile.inputs).some((p) => p.includes('node_modules/xmlbuilder'))).toBe(false);
    const bundled = (await import(pathToFileURL(out).href)) as { renderTwiml: typeof renderTwiml };
    const answers: VoiceAnswer[] = [
      {
        language: 'pl-PL',
        verbs: [
          { kind: 'say', message: { id: 'greeting' } },
          {
            kind: 'gather',
            prompt: [{ id: 'menu-option', params: { service: 'a & b <c>', digit: 2 } }],
            action: '/twilio/call/menu?s=1&x="y"',
            numDigits: 1,
            finishOnKey: '',
          },
        ],
      },
      {
        language: 'en-US',
        verbs: [
          {
            kind: 'enqueue',
            queue: 'technical.en-US.t1.r0.pq',
            waitUrl: '/w?t=1',
            action: '/a?t=1',
            workflowSid: 'WW' + 'a'.repeat(32),
            task: { attributes: { ticket: '1000001', org: 'O"Brien & Co' }, priority: 101 },
          },
        ],
      },
      {
        language: 'de-DE',
        verbs: [
          { kind: 'pause', seconds: 2 },
          { kind: 'dialQueue', queue: 'q', url: '/u', action: '/d' },
          { kind: 'redirect', url: '/r' },
          { kind: 'leave' },
          { kind: 'hangup' },
        ],
      },
      {
        language: 'en-US',
        verbs: [
          { kind: 'enqueue', queue: 'billing.en-US.t2.r1.std', waitUrl: '/w', action: '/a' },
          { kind: 'play', url: 'https://x/m.mp3', loop: 0 },
        ],
      },
    ];
    for (const a of answers) expect(bundled.renderTwiml(a, 'https://example.test')).toBe(renderTwiml(a, 'https://example.test'));
  });
});
