/**
 * A strict little XML reader for the tests: it fails on anything that is not
 * well-formed (stray '<' or '&', unquoted attributes, unbalanced tags, characters
 * XML 1.0 forbids) and gives a tree to query by element name and class.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Character data directly inside this element, entities decoded. */
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|#39|#[0-9]+|#x[0-9a-fA-F]+);/g;
/** Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF). */
function hasForbiddenCharacter(xml: string): boolean {
  for (let i = 0; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

function decodeEntities(raw: string, where: string): string {
  const stripped = raw.replace(ENTITY, '');
  if (stripped.includes('&')) throw new Error(`unescaped & in ${where}: ${raw.slice(0, 80)}`);
  if (stripped.includes('<')) throw new Error(`unescaped < in ${where}: ${raw.slice(0, 80)}`);
  return raw.replace(ENTITY, (_m, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === '#39') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Parses a document with exactly one root element. */
export function parseXml(xml: string): XmlElement {
  if (hasForbiddenCharacter(xml)) throw new Error('character not allowed in XML 1.0');
  const token = /<!--[\s\S]*?-->|<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml))) {
    const top = stack[stack.length - 1];
    if (m[6] !== undefined) throw new Error(`stray < at ${m.index}`);
    if (m[5] !== undefined) {
      top.text += decodeEntities(m[5], `text of <${top.name}>`);
      if (top === root && m[5].trim() !== '') throw new Error('text outside the root element');
    } else if (m[1] !== undefined) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2] !== undefined) {
      const attrs: Record<string, string> = {};
      const attr = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      let a: RegExpExecArray | null;
      while ((a = attr.exec(m[3]))) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = decodeEntities(a[2] ?? a[3], `attribute ${a[1]}`);
      }
      const el: XmlElement = { name: m[2], attrs, children: [], text: '' };
      top.children.push(el);
      if (m[4] !== '/') stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0];
}

/** Every element below `el` (depth first, document order). */
export function allElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function hasClass(el: XmlElement, cls: string): boolean {
  return (el.attrs.class ?? '').split(/\s+/).includes(cls);
}

/** All text inside an element, its descendants included. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join('');
}
