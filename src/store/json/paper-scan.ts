/**
 * Reading a paper log at open: one pass in large sequential reads that parses only each record's
 * head (id, rev, listing days, length) and checks that a line feed ends it, so opening 100k papers
 * costs reading the file, not parsing every paper. The last line is checked in full (CRC and JSON):
 * a write a crash cut short ends the file, and everything from the first bad line on is dropped as
 * such a torn tail, unless a good record follows it (then the file is damaged and refused). Every
 * body is checked again when it is read. Nothing here writes.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { DayLists } from './paper-offsets.ts';
import { LOG_VERSION, MAX_HEAD, NL, OPEN_BRACE, OPEN_BRACKET, TAB, decodeBody, parseHeadAt, parseMeta, type RecordHead, type LogMeta } from './paper-format.ts';

const CHUNK = 4 * 1024 * 1024;

/** Where one paper's latest record lies. */
export interface LogEntry {
  start: number;
  /** Bytes of the head and its tab; the body follows. */
  head: number;
  /** Bytes of the body (the line feed follows). */
  len: number;
  rev: number;
  crc: number;
  days: string[];
}

export const lineBytes = (e: LogEntry) => e.head + e.len + 1;

export interface LogScan {
  entries: Map<string, LogEntry>;
  epoch: string;
  gen: string;
  /** In a backup: the log generation and size it holds a copy of. */
  mirror?: { gen: string; size: number };
  maxRev: number;
  size: number;
  /** Bytes of whole, good lines; beyond is a torn tail (`size - goodBytes`). */
  goodBytes: number;
  liveBytes: number;
  /** Bytes of the first line (the file's own meta). */
  headerBytes: number;
}

/** Sequential reads through a file in large chunks, addressed by file position. */
export class ChunkReader {
  private buf: Buffer;
  private at = 0;
  private n = 0;

  constructor(
    private readonly h: FileHandle,
    readonly size: number,
    private readonly chunk = CHUNK,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(size, 1)));
  }

  /** Makes bytes from `pos` available, at least `want` of them unless the file ends first; returns how many are. */
  async load(pos: number, want: number): Promise<number> {
    const end = Math.min(this.size, pos + want);
    if (pos >= this.at && end <= this.at + this.n) return this.at + this.n - pos;
    const len = Math.min(this.size - pos, Math.max(want, this.chunk));
    if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.h.read(this.buf, got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.at = pos;
    this.n = got;
    return got;
  }

  byte(pos: number): number | undefined {
    return pos >= this.at && pos < this.at + this.n ? this.buf[pos - this.at] : undefined;
  }

  /** Position of `byte` in `[from, to)` of what is loaded, or -1. */
  indexOf(byte: number, from: number, to: number): number {
    const i = this.buf.indexOf(byte, from - this.at);
    return i < 0 || i >= Math.min(this.n, to - this.at) ? -1 : i + this.at;
  }

  head(from: number, to: number): RecordHead | undefined {
    return parseHeadAt(this.buf, from - this.at, to - this.at);
  }

  /** A view of loaded bytes (valid until the next load). */
  slice(from: number, to: number): Buffer {
    return this.buf.subarray(from - this.at, to - this.at);
  }
}

export type Line = { kind: 'record'; id: string; entry: LogEntry } | { kind: 'meta'; meta: LogMeta; bytes: number } | { kind: 'bad' };

/** Reads the line at `pos` (head only for a record). */
export async function lineAt(r: ChunkReader, pos: number): Promise<Line> {
  const avail = await r.load(pos, MAX_HEAD);
  const first = r.byte(pos);
  if (first === OPEN_BRACE) {
    const nl = r.indexOf(NL, pos, pos + avail);
    const meta = nl < 0 ? undefined : parseMeta(r.slice(pos, nl).toString('utf8'));
    return meta ? { kind: 'meta', meta, bytes: nl + 1 - pos } : { kind: 'bad' };
  }
  if (first !== OPEN_BRACKET) return { kind: 'bad' };
  const tab = r.indexOf(TAB, pos, pos + avail);
  const head = tab < 0 ? undefined : r.head(pos, tab);
  if (!head) return { kind: 'bad' };
  const end = tab + 1 + head.len;
  if (end >= r.size) return { kind: 'bad' };
  await r.load(end, 1);
  if (r.byte(end) !== NL) return { kind: 'bad' };
  return { kind: 'record', id: head.id, entry: { start: pos, head: tab + 1 - pos, len: head.len, rev: head.rev, crc: head.crc, days: head.days } };
}

/** Reads one record's body and checks it against its head. */
export async function readBody(h: FileHandle, e: LogEntry, id: string): Promise<ReturnType<typeof decodeBody>> {
  const body = Buffer.allocUnsafe(e.len);
  let got = 0;
  while (got < e.len) {
    const { bytesRead } = await h.read(body, got, e.len - got, e.start + e.head + got);
    if (bytesRead === 0) return 'the file ends inside it';
    got += bytesRead;
  }
  return decodeBody(body, { crc: e.crc, id });
}

/** Whether a complete, checked record starts at any line after `from` (then a bad line before it is damage, not a torn tail). */
async function goodRecordAfter(h: FileHandle, r: ChunkReader, from: number): Promise<boolean> {
  let pos = from;
  while (pos < r.size) {
    const avail = await r.load(pos, CHUNK);
    const nl = r.indexOf(NL, pos, pos + avail);
    if (nl < 0) {
      if (pos + avail >= r.size) return false;
      pos += avail;
      continue;
    }
    pos = nl + 1;
    const line = await lineAt(r, pos);
    if (line.kind === 'record' && typeof (await readBody(h, line.entry, line.id)) !== 'string') return true;
    if (line.kind === 'meta') return true;
  }
  return false;
}

export interface ScanProblem {
  problem: string;
}

/**
 * Scans `file`; undefined when it does not exist. A problem (not a paper log, a newer version, a
 * bad line with good ones after it) comes back as `{ problem }` for the caller to name the file.
 */
export async function scanLog(file: string, resume?: (h: FileHandle) => Promise<LogScan | undefined>): Promise<LogScan | ScanProblem | undefined> {
  let h: FileHandle;
  try {
    h = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return await scanOpen(h, await resume?.(h));
  } finally {
    await h.close();
  }
}

/** Scans from the start, or from where `from` (what an earlier scan found, up to its `goodBytes`) ends. */
export async function scanOpen(h: FileHandle, from?: LogScan): Promise<LogScan | ScanProblem> {
  const size = (await h.stat()).size;
  if (size === 0) return { problem: 'it is empty (0 bytes), as if truncated' };
  const r = new ChunkReader(h, size);
  let scan: LogScan;
  if (from) {
    scan = { ...from, size };
  } else {
    const first = await lineAt(r, 0);
    if (first.kind !== 'meta' || first.meta.paperboy !== 'papers') return { problem: 'it is not a Paperboy paper file' };
    const { v, epoch, gen } = first.meta;
    if (typeof v !== 'number' || v > LOG_VERSION) return { problem: `it was written by a newer Paperboy (paper file version ${String(v)}, this one knows ${LOG_VERSION})` };
    if (typeof epoch !== 'string' || typeof gen !== 'string') return { problem: 'its first line has no epoch or generation' };
    scan = { entries: new Map(), epoch, gen, maxRev: 0, size, goodBytes: first.bytes, liveBytes: first.bytes, headerBytes: first.bytes };
  }
  const days = new DayLists(); // one array per set of days, shared by every entry
  let pos = scan.goodBytes;
  let last: { id: string; entry: LogEntry; before: LogEntry | undefined } | undefined;
  while (pos < size) {
    const line = await lineAt(r, pos);
    if (line.kind === 'bad') break;
    last = undefined;
    if (line.kind === 'meta') {
      if (typeof line.meta.epoch === 'string') scan.epoch = line.meta.epoch;
      if (typeof line.meta.gen === 'string') scan.gen = line.meta.gen;
      if (line.meta.mirror) scan.mirror = line.meta.mirror;
      scan.liveBytes += line.bytes;
      pos += line.bytes;
      continue;
    }
    const e = line.entry;
    e.days = days.get(e.days);
    const before = scan.entries.get(line.id);
    if (before) scan.liveBytes -= lineBytes(before);
    scan.entries.set(line.id, e);
    scan.liveBytes += lineBytes(e);
    scan.maxRev = Math.max(scan.maxRev, e.rev);
    last = { id: line.id, entry: e, before };
    pos = e.start + lineBytes(e);
  }
  // The last record is read in full: a crash may have left its head and line feed but not its bytes.
  if (pos === size && last && typeof (await readBody(h, last.entry, last.id)) === 'string') {
    pos = last.entry.start;
    if (last.before) scan.entries.set(last.id, last.before);
    else scan.entries.delete(last.id);
    scan.liveBytes -= lineBytes(last.entry) - (last.before ? lineBytes(last.before) : 0);
    scan.maxRev = 0;
    for (const e of scan.entries.values()) scan.maxRev = Math.max(scan.maxRev, e.rev);
  }
  if (pos < size && (await goodRecordAfter(h, r, pos))) return { problem: `the line at byte ${pos} is not a valid paper record, and good ones follow it` };
  scan.goodBytes = pos;
  return scan;
}
