/** Decisions to TwiML: every verb, localized in the answer's language, every URL absolute and escaped. */
import { describe, expect, it } from 'vitest';
import { apologyTwiml, renderTwiml } from '../../../functions/adapters/twilio/twiml.js';
import type { VoiceAnswer } from '../../../functions/domain/decisions.js';
import type { MessageId } from '../../../functions/domain/messages/catalog.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../../local/twiml-parse.js';

const BASE = 'https://support.example.com';
const render = (answer: VoiceAnswer): TwimlElement => {
  const xml = renderTwiml(answer, BASE);
  expect(xml.startsWith('<?xml')).toBe(true);
  const root = parseTwiml(xml);
  expect(root.name).toBe('Response');
  return root;
};
const shape = (el: TwimlElement): unknown => ({
  name: el.name,
  attrs: el.attrs,
  ...(childElements(el).length ? { children: childElements(el).map(shape) } : { text: textOf(el) }),
});

describe('renderTwiml', () => {
  it('says each message in the answer language, with the catalog’s voice language', () => {
    const root = render({ language: 'pl-PL', verbs: [{ kind: 'say', message: { id: 'goodbye' } }, { kind: 'hangup' }] });
    expect(childElements(root).map(shape)).toEqual([
      { name: 'Say', attrs: { language: 'pl-PL', voice: 'Polly.Ola-Neural' }, text: 'Do widzenia.' },
      { name: 'Hangup', attrs: {}, text: '' },
    ]);
    const de = render({ language: 'de-DE', verbs: [{ kind: 'say', message: { id: 'goodbye' } }] });
    // Contract v2 §2.10: German has its live catalog and voice.
    expect(childElements(de).map(shape)).toEqual([{ name: 'Say', attrs: { language: 'de-DE', voice: 'Polly.Vicki-Neural' }, text: 'Auf Wiederhören.' }]);
  });

  it('a Gather of one key: prompts inside, action made absolute, Twilio’s attributes', () => {
    const root = render({
      language: 'en-US',
      verbs: [
        {
          kind: 'gather',
          prompt: [{ id: 'menu-option', params: { service: 'technical support', digit: 2 } }],
          action: '/twilio/call/menu?s=1',
          numDigits: 1,
          finishOnKey: '',
          timeout: 6,
          actionOnEmptyResult: true,
        },
      ],
    });
    expect(childElements(root).map(shape)).toEqual([
      {
        name: 'Gather',
        attrs: {
          input: 'dtmf',
          action: `${BASE}/twilio/call/menu?s=1`,
          method: 'POST',
          timeout: '6',
          finishOnKey: '',
          actionOnEmptyResult: 'true',
          numDigits: '1',
        },
        children: [{ name: 'Say', attrs: { language: 'en-US', voice: 'Polly.Joanna-Neural' }, text: 'For technical support, press 2.' }],
      },
    ]);
  });

  it('a Gather until "#" has no numDigits; defaults are timeout 6, "#" and actionOnEmptyResult', () => {
    const root = render({ language: 'en-US', verbs: [{ kind: 'gather', prompt: [{ id: 'code-prompt' }], action: '/twilio/call/code?s=4' }] });
    expect(childElements(root)[0]!.attrs).toEqual({
      input: 'dtmf',
      action: `${BASE}/twilio/call/code?s=4`,
      method: 'POST',
      timeout: '6',
      finishOnKey: '#',
      actionOnEmptyResult: 'true',
    });
  });

  it('an absolute URL is kept; query separators are escaped in the XML and read back intact', () => {
    const xml = renderTwiml(
      {
        language: 'en-US',
        verbs: [
          { kind: 'redirect', url: 'https://other.example/x?a=1&b=2' },
          { kind: 'redirect', url: '/twilio/call/wait?t=1&lang=en-US' },
        ],
      },
      BASE,
    );
    expect(xml).toContain('a=1&amp;b=2');
    const root = parseTwiml(xml);
    expect(childElements(root).map(shape)).toEqual([
      { name: 'Redirect', attrs: { method: 'POST' }, text: 'https://other.example/x?a=1&b=2' },
      { name: 'Redirect', attrs: { method: 'POST' }, text: `${BASE}/twilio/call/wait?t=1&lang=en-US` },
    ]);
  });

  it('text with XML characters is escaped, not injected', () => {
    const xml = renderTwiml(
      { language: 'en-US', verbs: [{ kind: 'say', message: { id: 'caller-known', params: { name: '<Hangup/> & "Ada"', org: "O'Neil & Co" } } }] },
      BASE,
    );
    const root = parseTwiml(xml);
    expect(childElements(root).map((e) => e.name)).toEqual(['Say']);
    expect(textOf(childElements(root)[0]!)).toBe(`Hello <Hangup/> & "Ada" from O'Neil & Co.`);
  });

  it('pause and play', () => {
    const root = render({
      language: 'en-US',
      verbs: [
        { kind: 'pause', seconds: 20 },
        { kind: 'play', url: 'https://cdn.example/hold.mp3', loop: 0 },
      ],
    });
    expect(childElements(root).map(shape)).toEqual([
      { name: 'Pause', attrs: { length: '20' }, text: '' },
      { name: 'Play', attrs: { loop: '0' }, text: 'https://cdn.example/hold.mp3' },
    ]);
  });

  it('Enqueue into a named queue with its wait and action URLs', () => {
    const root = render({
      language: 'en-US',
      verbs: [{ kind: 'enqueue', queue: 'technical.en-US.t1.r0.std', waitUrl: '/twilio/call/wait?t=1', action: '/twilio/call/queue-result?t=1' }],
    });
    expect(childElements(root).map(shape)).toEqual([
      {
        name: 'Enqueue',
        attrs: { waitUrl: `${BASE}/twilio/call/wait?t=1`, waitUrlMethod: 'POST', action: `${BASE}/twilio/call/queue-result?t=1`, method: 'POST' },
        text: 'technical.en-US.t1.r0.std',
      },
    ]);
  });

  it('Enqueue into a TaskRouter workflow with the task as JSON, its priority and timeout', () => {
    const attributes = { type: 'support-call', ticket: '1000001', org: 'O&Co <x>' };
    const root = render({
      language: 'en-US',
      verbs: [{ kind: 'enqueue', queue: 'q', waitUrl: '/w', action: '/a', workflowSid: 'WW123', task: { attributes, priority: 91, timeout: 600 } }],
    });
    const enqueue = childElements(root)[0]!;
    expect(enqueue.attrs).toEqual({ waitUrl: `${BASE}/w`, waitUrlMethod: 'POST', action: `${BASE}/a`, method: 'POST', workflowSid: 'WW123' });
    const [task] = childElements(enqueue, 'Task');
    expect(task!.attrs).toEqual({ priority: '91', timeout: '600' });
    expect(JSON.parse(textOf(task!))).toEqual(attributes);
  });

  it('Dial a queue for an agent, with the url run on the caller’s leg; Leave', () => {
    const root = render({
      language: 'en-US',
      verbs: [{ kind: 'dialQueue', queue: 'q1', url: '/twilio/agent/bridge?t=1', action: '/twilio/agent/after' }, { kind: 'leave' }],
    });
    expect(childElements(root).map(shape)).toEqual([
      {
        name: 'Dial',
        attrs: { action: `${BASE}/twilio/agent/after`, method: 'POST' },
        children: [{ name: 'Queue', attrs: { url: `${BASE}/twilio/agent/bridge?t=1`, method: 'POST' }, text: 'q1' }],
      },
      { name: 'Leave', attrs: {}, text: '' },
    ]);
  });

  it('an unknown message id fails loudly rather than saying nothing', () => {
    // The type forbids it (MessageId); data from outside the compiler (a stored state) could still carry one.
    const id = 'no-such-message' as MessageId;
    expect(() => renderTwiml({ language: 'en-US', verbs: [{ kind: 'say', message: { id } }] }, BASE)).toThrow(/no-such-message/);
  });
});

describe('apologyTwiml', () => {
  it('is a complete spoken apology and a hang-up', () => {
    expect(childElements(parseTwiml(apologyTwiml())).map(shape)).toEqual([
      {
        name: 'Say',
        attrs: { language: 'en-US', voice: 'Polly.Joanna-Neural' },
        text: 'Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.',
      },
      { name: 'Hangup', attrs: {}, text: '' },
    ]);
    expect(textOf(childElements(parseTwiml(apologyTwiml('pl-PL', 'error-store')))[0]!)).toBe(
      'Przepraszamy, nasze systemy są teraz przeciążone. Zadzwoń ponownie za kilka minut. Do widzenia.',
    );
  });
});
