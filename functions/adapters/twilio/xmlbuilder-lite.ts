/**
 * The part of `xmlbuilder` that twilio's `VoiceResponse` uses (`create`, `dec`, `ele`, `txt`, `end`), in
 * about 1 KB instead of 58 KB. Deployed bundles alias `xmlbuilder` to this module (see ESBUILD_ALIAS
 * in lib/constructs/voice-function.ts), so TwiML is still built by the twilio library's own
 * `VoiceResponse` while every function stays within its 150 KB budget. Tests and local mode use the
 * real xmlbuilder; test/adapters/twilio/xmlbuilder-lite.test.ts proves the output byte-identical
 * (escaping, empty elements, attribute order, invalid characters) for anything the renderer can emit.
 */

type AttrValue = unknown;
interface StringifyOptions {
  attValue?: (this: Stringifier, value: AttrValue) => string;
}

interface Stringifier {
  attEscape(s: string): string;
  attValue(v: AttrValue): string;
  text(v: unknown): string;
}

/** Characters XML 1.0 does not allow (xmlbuilder refuses them the same way). */
const INVALID_XML_10 = /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

function assertLegalChar(s: string): string {
  const m = INVALID_XML_10.exec(s);
  if (m) throw new Error(`Invalid character in string: ${s} at index ${m.index}`);
  return s;
}

function makeStringifier(opts: StringifyOptions = {}): Stringifier {
  const st: Stringifier = {
    attEscape: (s) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;'),
    attValue: (v) => assertLegalChar(st.attEscape(`${v as string}` || '')),
    text: (v) => assertLegalChar((`${v as string}` || '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;')),
  };
  if (opts.attValue) st.attValue = opts.attValue.bind(st);
  return st;
}

type Child = { text: string } | LiteElement;

class LiteElement {
  private readonly attrs = new Map<string, AttrValue>();
  private readonly children: Child[] = [];
  private declaration?: { version: string; encoding?: string };

  constructor(
    private readonly name: string,
    private readonly st: Stringifier,
    private readonly root: LiteElement | undefined,
  ) {}

  dec(version = '1.0', encoding?: string): this {
    (this.root ?? this).declaration = { version, encoding };
    return this;
  }

  ele(name: string, attributes?: unknown, text?: unknown): LiteElement {
    if (attributes === null && text == null) attributes = {};
    if (attributes == null) attributes = {};
    if (typeof attributes !== 'object' || Array.isArray(attributes)) [text, attributes] = [attributes, text ?? {}];
    const child = new LiteElement(name, this.st, this.root ?? this);
    for (const [k, v] of Object.entries((attributes ?? {}) as Record<string, AttrValue>)) {
      const value = typeof v === 'function' ? (v as () => unknown)() : v;
      if (value != null) child.attrs.set(k, value);
    }
    if (text != null) child.txt(text);
    this.children.push(child);
    return child;
  }

  txt(value: unknown): this {
    this.children.push({ text: this.st.text(value) });
    return this;
  }

  end(): string {
    const doc = this.root ?? this;
    const d = doc.declaration;
    const head = d ? `<?xml version="${d.version}"${d.encoding ? ` encoding="${d.encoding}"` : ''}?>` : '';
    return head + doc.render();
  }

  private render(): string {
    let out = `<${this.name}`;
    for (const [k, v] of this.attrs) out += ` ${k}="${this.st.attValue(v)}"`;
    if (this.children.every((c) => 'text' in c && c.text === '')) return `${out}/>`;
    out += '>';
    for (const c of this.children) out += 'text' in c ? c.text : c.render();
    return `${out}</${this.name}>`;
  }
}

export function create(name: string, options: { stringify?: StringifyOptions } = {}): LiteElement {
  return new LiteElement(name, makeStringifier(options.stringify), undefined);
}

export default { create };
