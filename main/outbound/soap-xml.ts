/**
 * A small, strict, namespace-aware XML reader for SOAP answers.
 *
 * Why our own: the endpoint's answer must be judged by its XML, not by a regular expression
 * (`<Ack>true</Ack>` inside a comment, in another namespace or in an HTML error page is not
 * an acknowledgement), and the project has no XML parser among its own dependencies. SOAP
 * needs little of XML: elements, attributes, namespaces, text, CDATA, comments, processing
 * instructions and the predefined and numeric character references. A DOCTYPE is refused
 * outright — SOAP forbids it, and refusing it rules out entity expansion attacks.
 */

export interface XmlAttribute {
  readonly name: string;
  readonly local: string;
  /** null for an unprefixed attribute: attributes do not take the default namespace. */
  readonly ns: string | null;
  readonly value: string;
}

export interface XmlElement {
  readonly name: string;
  readonly local: string;
  readonly ns: string | null;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at character ${position})`);
    this.name = 'XmlSyntaxError';
    this.position = position;
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /[^\s<>/=!?"'&;]+/y;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

interface Building {
  readonly name: string;
  readonly rawAttributes: readonly { name: string; value: string }[];
  readonly scope: ReadonlyMap<string, string>;
  readonly children: XmlNode[];
  readonly start: number;
}

/** Parses a whole document and answers its root element; throws XmlSyntaxError on anything malformed. */
export function parseXml(text: string): XmlElement {
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  const rootScope = new Map<string, string>([['xml', XML_NS]]);

  const fail = (message: string, position = at): never => {
    throw new XmlSyntaxError(message, position);
  };

  const append = (node: XmlNode) => {
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.children.push(node);
      return;
    }
    if (typeof node === 'string') {
      if (node.trim() !== '') fail('text outside the root element');
      return;
    }
    if (root !== undefined) fail('a second root element');
    root = node;
  };

  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt !== at) {
      const end = lt === -1 ? text.length : lt;
      const raw = text.slice(at, end);
      if (raw.includes(']]>')) fail("']]>' in text");
      append(decode(raw, at, fail));
      at = end;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) fail('an unclosed comment');
      at = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', at)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      const end = text.indexOf(']]>', at + 9);
      if (end === -1) fail('an unclosed CDATA section');
      append(text.slice(at + 9, end));
      at = end + 3;
      continue;
    }
    if (text.startsWith('<!', at)) fail('a DOCTYPE or other declaration, which SOAP does not allow');
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end === -1) fail('an unclosed processing instruction');
      at = end + 2;
      continue;
    }
    if (text.startsWith('</', at)) {
      at += 2;
      const name = readName();
      skipSpace();
      if (text[at] !== '>') fail(`'>' expected to close </${name}`);
      at += 1;
      const open = stack.pop();
      if (open === undefined) fail(`a closing tag </${name}> without an opening tag`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}>`);
      append(finish(open!, fail));
      continue;
    }
    // A start tag.
    const start = at;
    at += 1;
    const name = readName();
    const rawAttributes: { name: string; value: string }[] = [];
    for (;;) {
      const hadSpace = skipSpace();
      if (text.startsWith('/>', at) || text[at] === '>') break;
      if (at >= text.length) fail(`<${name}> is not closed`);
      if (!hadSpace) fail('a space expected between attributes');
      const attributeName = readName();
      skipSpace();
      if (text[at] !== '=') fail(`'=' expected after the attribute ${attributeName}`);
      at += 1;
      skipSpace();
      const quote = text[at];
      if (quote !== '"' && quote !== "'") fail(`a quoted value expected for the attribute ${attributeName}`);
      const end = text.indexOf(quote!, at + 1);
      if (end === -1) fail(`the value of ${attributeName} is not closed`);
      const raw = text.slice(at + 1, end);
      if (raw.includes('<')) fail(`'<' in the value of ${attributeName}`);
      if (rawAttributes.some((attribute) => attribute.name === attributeName)) fail(`the attribute ${attributeName} appears twice`);
      rawAttributes.push({ name: attributeName, value: decode(raw, at + 1, fail) });
      at = end + 1;
    }
    if (stack.length === 0 && root !== undefined) fail('a second root element');
    const parentScope = stack[stack.length - 1]?.scope ?? rootScope;
    const scope = new Map(parentScope);
    for (const attribute of rawAttributes) {
      if (attribute.name === 'xmlns') scope.set('', attribute.value);
      else if (attribute.name.startsWith('xmlns:')) {
        const prefix = attribute.name.slice(6);
        if (attribute.value === '') fail(`the prefix ${prefix} is bound to an empty namespace`);
        scope.set(prefix, attribute.value);
      }
    }
    const building: Building = { name, rawAttributes, scope, children: [], start };
    if (text.startsWith('/>', at)) {
      at += 2;
      append(finish(building, fail));
    } else {
      at += 1;
      stack.push(building);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === undefined) fail('no root element', 0);
  return root!;

  function readName(): string {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match === null) return fail('a name expected');
    at += match[0].length;
    return match[0];
  }

  function skipSpace(): boolean {
    const from = at;
    while (at < text.length && /\s/.test(text[at]!)) at += 1;
    return at > from;
  }
}

function finish(building: Building, fail: (message: string, position?: number) => never): XmlElement {
  const resolve = (qualified: string, isAttribute: boolean): { local: string; ns: string | null } => {
    const colon = qualified.indexOf(':');
    if (colon === -1) return { local: qualified, ns: isAttribute ? null : (building.scope.get('') || null) };
    const prefix = qualified.slice(0, colon);
    const local = qualified.slice(colon + 1);
    if (local === '' || local.includes(':')) fail(`the name ${qualified} is not a valid qualified name`, building.start);
    const ns = building.scope.get(prefix);
    if (ns === undefined) fail(`the prefix ${prefix} in ${qualified} is not declared`, building.start);
    return { local, ns: ns! };
  };
  const element = resolve(building.name, false);
  const attributes = building.rawAttributes
    .filter((attribute) => attribute.name !== 'xmlns' && !attribute.name.startsWith('xmlns:'))
    .map((attribute) => ({ name: attribute.name, ...resolve(attribute.name, true), value: attribute.value }));
  // Text pieces next to each other (text, CDATA, text) are one piece of text.
  const children: XmlNode[] = [];
  for (const child of building.children) {
    const last = children[children.length - 1];
    if (typeof child === 'string' && typeof last === 'string') children[children.length - 1] = last + child;
    else children.push(child);
  }
  return { name: building.name, local: element.local, ns: element.ns, attributes, children };
}

function decode(raw: string, offset: number, fail: (message: string, position?: number) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s<]*);?/g, (whole, body: string, index: number) => {
    if (!whole.endsWith(';')) fail("an '&' that does not start a character reference", offset + index);
    if (body.startsWith('#x') || body.startsWith('#X')) return codePoint(Number.parseInt(body.slice(2), 16), offset + index, fail, /^[0-9a-fA-F]+$/.test(body.slice(2)));
    if (body.startsWith('#')) return codePoint(Number.parseInt(body.slice(1), 10), offset + index, fail, /^[0-9]+$/.test(body.slice(1)));
    const value = PREDEFINED[body];
    if (value === undefined) fail(`the entity &${body}; is not defined (XML knows only amp, lt, gt, quot and apos)`, offset + index);
    return value!;
  });
}

function codePoint(value: number, position: number, fail: (message: string, position?: number) => never, wellFormed: boolean): string {
  if (!wellFormed || !Number.isFinite(value) || value <= 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) fail('a character reference to no character', position);
  return String.fromCodePoint(value);
}

/** The element's text content, children's text included, in document order. */
export function textOf(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}

/** Direct children with this namespace and local name. */
export function childElements(element: XmlElement, ns: string | null, local: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && child.ns === ns && child.local === local);
}

/** Every direct child element. */
export function elementsOf(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string');
}

/** The value of an attribute by namespace and local name, or undefined. */
export function attributeOf(element: XmlElement, ns: string | null, local: string): string | undefined {
  return element.attributes.find((attribute) => attribute.ns === ns && attribute.local === local)?.value;
}
