/**
 * Where each paper lies in the log, saved beside it at close and after a rewrite
 * (`PATH.papers.idx`), so the next open reads a few MB instead of scanning the whole log. A cache,
 * never the truth: it counts only if its own checksum holds and the log still has, byte for byte,
 * the first line and the last 4 KiB it covered; then only what the log gained since is scanned (a
 * crash after the save leaves more to scan, never less). Anything else: the log is scanned whole.
 * Written to a temp name and renamed, not fsync'ed: a power cut can only make it fail its checks.
 *
 * Layout: a JSON meta line, then the ids (a JSON array), the distinct listing days (a JSON array),
 * and as binary columns per paper start, head, length, rev, CRC (float64) and its days (a count,
 * then indexes into the day list, uint32): one JSON.parse of strings, no object per paper to parse.
 */
import { type FileHandle, readFile, rename, writeFile } from 'node:fs/promises';
import { crc32 } from './paper-format.ts';
import type { LogEntry, LogScan } from './paper-scan.ts';

const TAIL = 4096;
const VERSION = 2;
const COLUMNS = 5;

interface OffsetsMeta {
  v: number;
  size: number;
  headCrc: number;
  tailCrc: number;
  bodyCrc: number;
  epoch: string;
  gen: string;
  maxRev: number;
  liveBytes: number;
  headerBytes: number;
  count: number;
  idsBytes: number;
  daysBytes: number;
  dayRefs: number;
}

async function rangeCrc(h: FileHandle, from: number, to: number): Promise<number | undefined> {
  const buf = Buffer.allocUnsafe(to - from);
  const { bytesRead } = await h.read(buf, 0, buf.length, from);
  return bytesRead === buf.length ? crc32(buf) : undefined;
}

export type SavedLog = Pick<LogScan, 'entries' | 'epoch' | 'gen' | 'maxRev' | 'liveBytes' | 'headerBytes'> & { size: number };

/** The same list of days for every paper listed on the same days: one array, not one per paper. */
export class DayLists {
  private readonly lists = new Map<string, string[]>();

  get(days: string[]): string[] {
    const key = days.length === 1 ? days[0]! : days.join('\n');
    const have = this.lists.get(key);
    if (have) return have;
    this.lists.set(key, days);
    return days;
  }
}

export async function saveOffsets(file: string, tmp: string, log: FileHandle, s: SavedLog): Promise<void> {
  const ids: string[] = [];
  const numbers = new Float64Array(s.entries.size * COLUMNS);
  const dayIndex = new Map<string, number>();
  const refs: number[] = [];
  let i = 0;
  for (const [id, e] of s.entries) {
    ids.push(id);
    numbers.set([e.start, e.head, e.len, e.rev, e.crc], i * COLUMNS);
    refs.push(e.days.length);
    for (const d of e.days) {
      let k = dayIndex.get(d);
      if (k === undefined) dayIndex.set(d, (k = dayIndex.size));
      refs.push(k);
    }
    i++;
  }
  const idsText = Buffer.from(JSON.stringify(ids));
  const daysText = Buffer.from(JSON.stringify([...dayIndex.keys()]));
  const body = Buffer.concat([idsText, daysText, Buffer.from(numbers.buffer), Buffer.from(new Uint32Array(refs).buffer)]);
  const headCrc = await rangeCrc(log, 0, s.headerBytes);
  const tailCrc = await rangeCrc(log, Math.max(0, s.size - TAIL), s.size);
  if (headCrc === undefined || tailCrc === undefined) return;
  const meta: OffsetsMeta = {
    v: VERSION, size: s.size, headCrc, tailCrc, bodyCrc: crc32(body), epoch: s.epoch, gen: s.gen, maxRev: s.maxRev, liveBytes: s.liveBytes, headerBytes: s.headerBytes,
    count: ids.length, idsBytes: idsText.length, daysBytes: daysText.length, dayRefs: refs.length,
  };
  await writeFile(tmp, Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), body]));
  await rename(tmp, file);
}

/** The saved offsets if they still describe the start of `log`; undefined otherwise (scan it whole). */
export async function loadOffsets(file: string, log: FileHandle): Promise<LogScan | undefined> {
  try {
    const buf = await readFile(file);
    const nl = buf.indexOf(10);
    const meta = JSON.parse(buf.toString('utf8', 0, nl)) as OffsetsMeta;
    const body = buf.subarray(nl + 1);
    const numbersBytes = meta.count * COLUMNS * 8;
    if (meta.v !== VERSION || body.length !== meta.idsBytes + meta.daysBytes + numbersBytes + meta.dayRefs * 4 || crc32(body) !== meta.bodyCrc) return undefined;
    const size = (await log.stat()).size;
    if (size < meta.size || meta.headerBytes > meta.size) return undefined;
    if ((await rangeCrc(log, 0, meta.headerBytes)) !== meta.headCrc) return undefined;
    if ((await rangeCrc(log, Math.max(0, meta.size - TAIL), meta.size)) !== meta.tailCrc) return undefined;
    const ids = JSON.parse(body.toString('utf8', 0, meta.idsBytes)) as string[];
    const dayNames = JSON.parse(body.toString('utf8', meta.idsBytes, meta.idsBytes + meta.daysBytes)) as string[];
    // Copied out: typed arrays need aligned memory.
    const at = meta.idsBytes + meta.daysBytes;
    const numbers = new Float64Array(body.buffer.slice(body.byteOffset + at, body.byteOffset + at + numbersBytes));
    const refs = new Uint32Array(body.buffer.slice(body.byteOffset + at + numbersBytes, body.byteOffset + body.length));
    const entries = new Map<string, LogEntry>();
    const lists = new DayLists();
    let r = 0;
    for (let i = 0; i < ids.length; i++) {
      const n = refs[r++]!;
      const days: string[] = [];
      for (let k = 0; k < n; k++) days.push(dayNames[refs[r++]!]!);
      const c = i * COLUMNS;
      entries.set(ids[i]!, { start: numbers[c]!, head: numbers[c + 1]!, len: numbers[c + 2]!, rev: numbers[c + 3]!, crc: numbers[c + 4]!, days: lists.get(days) });
    }
    return { entries, epoch: meta.epoch, gen: meta.gen, maxRev: meta.maxRev, size: meta.size, goodBytes: meta.size, liveBytes: meta.liveBytes, headerBytes: meta.headerBytes };
  } catch {
    return undefined;
  }
}
