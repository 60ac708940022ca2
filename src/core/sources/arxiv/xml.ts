/** The XML reading shared by the announcement feeds and the export API (fast-xml-parser). */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Elements that may repeat: always arrays, so one item and many read alike. */
const LISTS = new Set(['item', 'entry', 'category', 'link', 'author', 'day']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Ids like 2608.11232 must stay text.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => LISTS.has(name),
});

/**
 * Parses `xml`, or says in a few words why it cannot be read (cut off, not XML at all). `root` is the
 * element the document must end with (`rss`, `feed`).
 */
export function readXml(xml: string, root: string): { doc: Record<string, unknown> } | { problem: string } {
  const text = xml.trim();
  if (!text) return { problem: 'an empty body' };
  if (!text.startsWith('<')) return { problem: `text that is not XML ("${text.slice(0, 40).replace(/\s+/g, ' ')}")` };
  if (/^<!doctype html|^<html/i.test(text)) return { problem: 'an HTML page instead of a feed' };
  if (!text.endsWith(`</${root}>`)) return { problem: `a feed cut off after ${xml.length} characters (no closing </${root}>)` };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { problem: `malformed XML at line ${valid.err.line}: ${valid.err.msg}` };
  return { doc: parser.parse(text) as Record<string, unknown> };
}

/** Text of an element that may carry attributes (`{"#text": ...}`), whitespace collapsed. */
export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.replace(/\s+/g, ' ').trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object' && '#text' in v) return text((v as Record<string, unknown>)['#text']);
  return '';
}

export function list(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

export function attr(v: unknown, name: string): string | undefined {
  const a = v && typeof v === 'object' ? (v as Record<string, unknown>)[`@${name}`] : undefined;
  return typeof a === 'string' ? a : undefined;
}

export const optional = (s: string): string | undefined => (s ? s : undefined);
