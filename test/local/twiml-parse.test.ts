import { describe, expect, it } from 'vitest';
import { childElements, parseTwiml, textOf, TwimlParseError } from '../../local/twiml-parse.js';

describe('parseTwiml', () => {
  it('parses a typical document: declaration, attributes, nesting, self-closing tags', () => {
    const root = parseTwiml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Gather numDigits="1" action="/twilio/call/menu?try=2" method="POST">\n    <Say language="en-US">Press 2.</Say>\n  </Gather>\n  <Pause length="1"/>\n  <Redirect>/twilio/voice</Redirect>\n</Response>\n`,
    );
    expect(root.name).toBe('Response');
    expect(childElements(root).map((e) => e.name)).toEqual(['Gather', 'Pause', 'Redirect']);
    const gather = childElements(root, 'Gather')[0]!;
    expect(gather.attrs).toEqual({ numDigits: '1', action: '/twilio/call/menu?try=2', method: 'POST' });
    expect(textOf(childElements(gather, 'Say')[0]!)).toBe('Press 2.');
    expect(childElements(root, 'Pause')[0]).toEqual({ name: 'Pause', attrs: { length: '1' }, children: [] });
    expect(textOf(childElements(root, 'Redirect')[0]!)).toBe('/twilio/voice');
  });

  it('decodes named and numeric entities in text and attributes', () => {
    const root = parseTwiml(
      `<Response><Say>Tom &amp; Jerry &lt;3 &quot;hi&quot; &apos;x&apos; &#65;&#x42;&#x1F600;</Say><Redirect method='GET'>/a?x=1&amp;y=2</Redirect></Response>`,
    );
    expect(textOf(childElements(root)[0]!)).toBe(`Tom & Jerry <3 "hi" 'x' AB😀`);
    expect(textOf(childElements(root)[1]!)).toBe('/a?x=1&y=2');
    expect(parseTwiml(`<Gather action="/x?a=1&amp;b=&quot;2&quot;" finishOnKey='*'/>`).attrs).toEqual({ action: '/x?a=1&b="2"', finishOnKey: '*' });
  });

  it("allows '>' inside quoted attribute values and either quote style", () => {
    const el = parseTwiml(`<Say voice='Polly.Joanna' x="a>b" y='say "hi"'>ok</Say>`);
    expect(el.attrs).toEqual({ voice: 'Polly.Joanna', x: 'a>b', y: 'say "hi"' });
  });

  it('skips comments and DOCTYPE, keeps CDATA as text', () => {
    const root = parseTwiml(`<!DOCTYPE Response><!-- a <Say> in a comment --><Response><Say><![CDATA[1 < 2 & 3]]></Say><!-- x --></Response>`);
    expect(childElements(root)).toHaveLength(1);
    expect(textOf(childElements(root)[0]!)).toBe('1 < 2 & 3');
  });

  it('reads SSML inside Say as words, without spaces before punctuation', () => {
    const say = parseTwiml(`<Say>Your ticket is<break time="1s"/><say-as interpret-as="digits">1234</say-as>. Thank <emphasis>you</emphasis>!</Say>`);
    expect(textOf(say)).toBe('Your ticket is 1234. Thank you!');
  });

  it('handles an empty Response and one written <Response/>', () => {
    expect(parseTwiml('<Response></Response>').children).toEqual([]);
    expect(parseTwiml('<?xml version="1.0"?><Response/>')).toEqual({ name: 'Response', attrs: {}, children: [] });
  });

  it.each([
    ['<Response><Say>hi</Response>', /closes <Say>/],
    ['<Response><Say>hi</Say>', /never closed/],
    ['<Response></Response><Response></Response>', /second root/],
    ['<Response>a & b</Response>', /bare '&'/],
    ['<Response><Say>&nbsp;</Say></Response>', /unknown entity/],
    ['<Response><Gather numDigits=1/></Response>', /not quoted/],
    ['<Response><Gather a="1" a="2"/></Response>', /duplicate attribute/],
    ['just text', /outside the root/],
    ['', /no root/],
    ['<Response><Say>hi</Say><!-- open', /unterminated comment/],
    ['</Response>', /without an open element/],
  ])('rejects malformed TwiML: %s', (xml, why) => {
    expect(() => parseTwiml(xml)).toThrow(TwimlParseError);
    expect(() => parseTwiml(xml)).toThrow(why);
  });
});
