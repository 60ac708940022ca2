/**
 * Lines of the paper log (`PATH.papers`). A record is one paper as JSON behind a short head that can
 * be read without parsing the paper:
 *
 *   [rev,bodyBytes,crc32,"id",["listing day",...]] TAB {paper JSON} LF
 *
 * JSON never holds a raw tab or line feed, so the first tab ends the head and `bodyBytes` finds the
 * line's end; the CRC makes a body that is not what was written (a torn or damaged write) known
 * before it is trusted. Meta lines are a JSON object: the first says what the file is
 * (`{"paperboy":"papers","v":1,"epoch","gen"}`); later ones may give a new `epoch`/`gen` (a restore)
 * or, in a backup, say up to where it mirrors the log (`mirror`).
 */
import * as zlib from 'node:zlib';
import { paperSources, type Paper } from '../../core/model/index.ts';

/** zlib's CRC-32 (Node 20.15+); the same sum in JavaScript on an older Node 20. */
export const crc32: (data: string | Buffer) => number =
  typeof zlib.crc32 === 'function'
    ? zlib.crc32
    : (() => {
        const table = Array.from({ length: 256 }, (_, n) => {
          let c = n;
          for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
          return c >>> 0;
        });
        return (data: string | Buffer) => {
          const buf = typeof data === 'string' ? Buffer.from(data) : data;
          let c = 0xffffffff;
          for (let i = 0; i < buf.length; i++) c = table[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
          return (c ^ 0xffffffff) >>> 0;
        };
      })();

export const LOG_VERSION = 1;
export const TAB = 9;
export const NL = 10;
export const OPEN_BRACKET = 91; // '[': a record
export const OPEN_BRACE = 123; // '{': a meta line
/** Longest head (or meta line) the reader looks for; an id longer than this is refused. */
export const MAX_HEAD = 64 * 1024;

export interface LogMeta {
  paperboy?: string;
  v?: number;
  epoch?: string;
  gen?: string;
  mirror?: { gen: string; size: number };
}

export interface RecordHead {
  rev: number;
  len: number;
  crc: number;
  id: string;
  days: string[];
}

/** The days a paper counts as listed on: the first listing and each source's first. */
export function listingDays(p: Paper): string[] {
  return [...new Set([p.listedOn, ...Object.values(paperSources(p))])].filter((d): d is string => typeof d === 'string').sort();
}

/** One record line, with what its head says (for the writer's own index). */
export function encodeRecord(p: Paper, rev: number): { line: string; bytes: number; head: number; crc: number; days: string[] } {
  const body = JSON.stringify(p);
  const len = Buffer.byteLength(body);
  const crc = crc32(body);
  const days = listingDays(p);
  const head = `${JSON.stringify([rev, len, crc, p.id, days])}\t`;
  const headBytes = Buffer.byteLength(head);
  return { line: `${head}${body}\n`, bytes: headBytes + len + 1, head: headBytes, crc, days };
}

export function encodeMeta(m: LogMeta): Buffer {
  return Buffer.from(`${JSON.stringify(m)}\n`);
}

const isDayList = (v: unknown): v is string[] => Array.isArray(v) && v.every((d) => typeof d === 'string');

const DIGIT_0 = 48;
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;

/** A non-negative integer written at `buf[pos]` up to a comma: [value, position of the comma], or undefined. */
function intAt(buf: Buffer, pos: number, end: number): [number, number] | undefined {
  let v = 0;
  let i = pos;
  for (; i < end && i - pos < 16; i++) {
    const c = buf[i]!;
    if (c === COMMA) break;
    if (c < DIGIT_0 || c > DIGIT_0 + 9) return undefined;
    v = v * 10 + (c - DIGIT_0);
  }
  return i > pos && i < end && buf[i] === COMMA ? [v, i] : undefined;
}

/**
 * The head in `buf[from, to)` (without its tab), or undefined when it is not one. Opening reads one
 * per paper, so the common shape (numbers, then strings without escapes) is read byte by byte;
 * anything else goes through JSON.parse.
 */
export function parseHeadAt(buf: Buffer, from: number, to: number): RecordHead | undefined {
  const fast = buf[from] === OPEN_BRACKET && !hasByte(buf, BACKSLASH, from, to) ? fastHead(buf, from, to) : undefined;
  return fast ?? parseHead(buf.toString('utf8', from, to));
}

function hasByte(buf: Buffer, byte: number, from: number, to: number): boolean {
  const i = buf.indexOf(byte, from);
  return i >= 0 && i < to;
}

function fastHead(buf: Buffer, from: number, to: number): RecordHead | undefined {
  const rev = intAt(buf, from + 1, to);
  const len = rev && intAt(buf, rev[1] + 1, to);
  const crc = len && intAt(buf, len[1] + 1, to);
  if (!crc) return undefined;
  // "id",["day",...]]
  let i = crc[1] + 1;
  const idEnd = buf[i] === QUOTE ? buf.indexOf(QUOTE, i + 1) : -1;
  if (idEnd < 0 || idEnd >= to || buf[idEnd + 1] !== COMMA || buf[idEnd + 2] !== OPEN_BRACKET) return undefined;
  const id = buf.toString('utf8', i + 1, idEnd);
  const days: string[] = [];
  i = idEnd + 3;
  while (buf[i] === QUOTE) {
    const end = buf.indexOf(QUOTE, i + 1);
    if (end < 0 || end >= to) return undefined;
    days.push(buf.toString('utf8', i + 1, end));
    i = end + 1;
    if (buf[i] === COMMA && buf[i + 1] === QUOTE) i++;
  }
  if (i !== to - 2 || buf[i] !== CLOSE_BRACKET || buf[i + 1] !== CLOSE_BRACKET || rev[0] <= 0 || len[0] < 2 || id.length === 0) return undefined;
  return { rev: rev[0], len: len[0], crc: crc[0], id, days };
}

/** The head in `text` (without its tab), or undefined when it is not one. */
export function parseHead(text: string): RecordHead | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 5) return undefined;
  const [rev, len, crc, id, days] = v as unknown[];
  if (!Number.isSafeInteger(rev) || (rev as number) <= 0 || !Number.isSafeInteger(len) || (len as number) < 2) return undefined;
  if (!Number.isInteger(crc) || typeof id !== 'string' || id.length === 0 || !isDayList(days)) return undefined;
  return { rev: rev as number, len: len as number, crc: crc as number, id, days };
}

export function parseMeta(text: string): LogMeta | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as LogMeta) : undefined;
  } catch {
    return undefined;
  }
}

/** The paper in `body` if it is what its head says; a problem description otherwise. */
export function decodeBody(body: Buffer, head: Pick<RecordHead, 'crc' | 'id'>): Paper | string {
  if (crc32(body) !== head.crc) return 'its checksum does not match';
  let p: unknown;
  try {
    p = JSON.parse(body.toString('utf8'));
  } catch {
    return 'it is not valid JSON';
  }
  if (typeof p !== 'object' || p === null || (p as { id?: unknown }).id !== head.id) return 'it is not the paper its head names';
  return p as Paper;
}

export function bodyMatches(body: Buffer, crc: number): boolean {
  return crc32(body) === crc;
}
