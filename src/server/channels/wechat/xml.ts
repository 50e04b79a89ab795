import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * WeChat's pushes are XML (CHANNEL-API.md §7.2): `<xml>` with one element per field, strings in
 * CDATA. Parsed with fast-xml-parser set up so that a body can do nothing but be read:
 *
 * - a `<!DOCTYPE` or `<!ENTITY` anywhere is refused before parsing (no internal or external
 *   entities, no "billion laughs"); the parser's own entity processing is off as well;
 * - values stay strings (`parseTagValue: false`): `MsgId` is 64-bit, `EventKey` may be digits
 *   with leading zeros;
 * - CDATA is kept verbatim and apart from plain text (`cdataPropName`), and only plain text has
 *   XML's five predefined entities and character references decoded here;
 * - attributes, processing instructions and the declaration are ignored; nesting is capped by
 *   the parser (100), the size by the HTTP layer (1 MB).
 */

/** A field: its text, or the fields of an element with children (ScanCodeInfo). */
export type XmlValue = string | XmlFields | readonly XmlValue[];
export interface XmlFields {
  readonly [name: string]: XmlValue;
}

export class WechatXmlError extends Error {
  override readonly name = 'WechatXmlError';
}

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  textNodeName: '#text',
  trimValues: true,
});

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** XML's predefined entities and character references; any other `&name;` is left as it is. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    const valid =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

function valueOf(node: unknown, path: string): XmlValue {
  if (typeof node === 'string') return decodeXmlText(node);
  if (Array.isArray(node)) return node.map((item, i) => valueOf(item, `${path}[${i}]`));
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length > 0 && keys.every((k) => k === '#cdata' || k === '#text')) {
      const text = record['#text'];
      const cdata = record['#cdata'];
      const part = (v: unknown, decode: boolean): string =>
        Array.isArray(v)
          ? v.map((x) => part(x, decode)).join('')
          : typeof v === 'string'
            ? decode
              ? decodeXmlText(v)
              : v
            : '';
      return part(text, true) + part(cdata, false);
    }
    const fields: Record<string, XmlValue> = {};
    for (const key of keys) {
      if (key === '#text' || key === '#cdata') continue; // stray text beside child elements
      fields[key] = valueOf(record[key], `${path}.${key}`);
    }
    return fields;
  }
  throw new WechatXmlError(`${path}: not XML text.`);
}

/**
 * The fields of a WeChat `<xml>` body.
 * @throws WechatXmlError for a DOCTYPE or ENTITY, malformed XML, or a root other than `<xml>`.
 */
export function parseWechatXml(text: string): XmlFields {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new WechatXmlError('The body declares a DOCTYPE or ENTITY; WeChat never does.');
  if (text.trim() === '') throw new WechatXmlError('The body is empty.');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new WechatXmlError(`The body is not well-formed XML (${valid.err.msg.slice(0, 200)}).`);
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (error) {
    throw new WechatXmlError(
      `The body could not be read as XML (${(error instanceof Error ? error.message : String(error)).slice(0, 200)}).`,
    );
  }
  const root = (parsed as Record<string, unknown>)['xml'];
  const keys = Object.keys(parsed as object);
  if (keys.length !== 1 || root === undefined)
    throw new WechatXmlError('The body is not a WeChat <xml> message.');
  const value = valueOf(root, 'xml');
  if (typeof value === 'string' || Array.isArray(value))
    throw new WechatXmlError('The body’s <xml> has no fields.');
  return value as XmlFields;
}
