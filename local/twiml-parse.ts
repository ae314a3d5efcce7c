/**
 * A small XML parser for TwiML, so the terminal phone needs no XML dependency. TwiML is plain XML without
 * namespaces or mixed content beyond SSML inside <Say>; this handles what servers actually emit: the XML
 * declaration, comments, CDATA, a DOCTYPE, entities (named and numeric), self-closing tags and attributes in
 * either quote (with '>' allowed inside). Malformed documents throw, as Twilio rejects them too.
 */

export interface TwimlElement {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
}

export interface TwimlText {
  text: string;
}

export type TwimlNode = TwimlElement | TwimlText;

export class TwimlParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'TwimlParseError';
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][\w:.-]*/;

/** Replaces XML entities; an unknown or malformed one is an error, as in any XML parser. */
export function decodeEntities(s: string, offset = 0): string {
  return s.replace(/&([^;&\s]*);?/g, (whole, ent: string) => {
    if (!whole.endsWith(';')) throw new TwimlParseError(`bare '&' (write &amp;)`, offset);
    if (ent in NAMED) return NAMED[ent]!;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ent);
    if (num) {
      const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
      if (cp > 0x10ffff) throw new TwimlParseError(`character reference out of range: ${whole}`, offset);
      return String.fromCodePoint(cp);
    }
    throw new TwimlParseError(`unknown entity ${whole}`, offset);
  });
}

/** Parses a TwiML document and returns its root element (normally `<Response>`). */
export function parseTwiml(xml: string): TwimlElement {
  let i = 0;
  const top: TwimlNode[] = [];
  const stack: TwimlElement[] = [];
  const add = (node: TwimlNode) => (stack.length ? stack[stack.length - 1]!.children : top).push(node);
  const until = (end: string, what: string) => {
    const e = xml.indexOf(end, i);
    if (e < 0) throw new TwimlParseError(`unterminated ${what}`, i);
    return e;
  };

  if (xml.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  while (i < xml.length) {
    if (xml.startsWith('<?', i)) {
      i = until('?>', 'processing instruction') + 2;
    } else if (xml.startsWith('<!--', i)) {
      i = until('-->', 'comment') + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (!stack.length) throw new TwimlParseError('CDATA outside the root element', i);
      const e = until(']]>', 'CDATA section');
      add({ text: xml.slice(i + 9, e) });
      i = e + 3;
    } else if (xml.startsWith('<!', i)) {
      i = until('>', 'declaration') + 1;
    } else if (xml.startsWith('</', i)) {
      const e = until('>', 'end tag');
      const name = xml.slice(i + 2, e).trim();
      const open = stack.pop();
      if (!open) throw new TwimlParseError(`</${name}> without an open element`, i);
      if (open.name !== name) throw new TwimlParseError(`</${name}> closes <${open.name}>`, i);
      i = e + 1;
    } else if (xml[i] === '<') {
      const start = i;
      i++;
      const name = NAME.exec(xml.slice(i, i + 200))?.[0];
      if (!name) throw new TwimlParseError('bad tag name', start);
      if (!stack.length && top.some((n) => 'name' in n)) throw new TwimlParseError(`second root element <${name}>`, start);
      i += name.length;
      const el: TwimlElement = { name, attrs: {}, children: [] };
      let selfClosing = false;
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(i, i + 1000))![0].length;
        i += ws;
        if (i >= xml.length) throw new TwimlParseError(`unterminated <${name}>`, start);
        if (xml.startsWith('/>', i)) {
          selfClosing = true;
          i += 2;
          break;
        }
        if (xml[i] === '>') {
          i++;
          break;
        }
        if (!ws) throw new TwimlParseError(`expected whitespace before an attribute of <${name}>`, i);
        const attr = NAME.exec(xml.slice(i, i + 200))?.[0];
        if (!attr) throw new TwimlParseError(`bad attribute in <${name}>`, i);
        i += attr.length;
        const eq = /^\s*=\s*/.exec(xml.slice(i, i + 1000))?.[0];
        if (eq === undefined) throw new TwimlParseError(`attribute ${attr} of <${name}> has no value`, i);
        i += eq.length;
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") throw new TwimlParseError(`attribute ${attr} of <${name}> is not quoted`, i);
        const close = xml.indexOf(quote, i + 1);
        if (close < 0) throw new TwimlParseError(`unterminated value of ${attr}`, i);
        const raw = xml.slice(i + 1, close);
        if (raw.includes('<')) throw new TwimlParseError(`'<' in the value of ${attr}`, i);
        if (Object.hasOwn(el.attrs, attr)) throw new TwimlParseError(`duplicate attribute ${attr} in <${name}>`, i);
        // XML attribute-value normalization: literal tabs and line breaks read as spaces.
        el.attrs[attr] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '), i);
        i = close + 1;
      }
      add(el);
      if (!selfClosing) stack.push(el);
    } else {
      const e = xml.indexOf('<', i);
      const end = e < 0 ? xml.length : e;
      const raw = xml.slice(i, end);
      if (!stack.length) {
        if (raw.trim()) throw new TwimlParseError('text outside the root element', i);
      } else {
        add({ text: decodeEntities(raw, i) });
      }
      i = end;
    }
  }
  if (stack.length) throw new TwimlParseError(`<${stack[stack.length - 1]!.name}> is never closed`, xml.length);
  const root = top.find((n): n is TwimlElement => 'name' in n);
  if (!root) throw new TwimlParseError('no root element', 0);
  return root;
}

/** Whether a node is an element (not text). */
export const isElement = (n: TwimlNode): n is TwimlElement => 'name' in n;

/** The child elements of `el`, in order, optionally only those named `name`. */
export function childElements(el: TwimlElement, name?: string): TwimlElement[] {
  return el.children.filter((c): c is TwimlElement => isElement(c) && (name === undefined || c.name === name));
}

/**
 * The text a listener would hear: all nested text with whitespace collapsed. Elements (SSML such as
 * `<break/>` or `<emphasis>`) separate words, but a space before punctuation is dropped.
 */
export function textOf(el: TwimlElement): string {
  const parts: string[] = [];
  const walk = (node: TwimlElement) => {
    for (const c of node.children) {
      if (isElement(c)) {
        parts.push(' ');
        walk(c);
        parts.push(' ');
      } else parts.push(c.text);
    }
  };
  walk(el);
  return parts
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:!?])/g, '$1')
    .trim();
}
