/**
 * The paper log's backup (`PATH.papers.bak`) without copying hundreds of MB at every start. The log
 * is append-only, so the backup is brought up to date at each open by appending only what the log
 * gained since (each record checked on the way), then a `mirror` line saying up to where it copies
 * which log generation. A compaction makes the old log the backup (paper-log.ts). Only when neither
 * applies (the first open after the upgrade, a crash while the backup was being written) is the
 * whole log copied, checked the same way.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir, writeFully } from './durable.ts';
import { NL, bodyMatches, encodeMeta, parseMeta, type LogMeta } from './paper-format.ts';
import { ChunkReader, lineAt, lineBytes } from './paper-scan.ts';
import type { StoreFiles } from './paths.ts';

const FLUSH = 8 * 1024 * 1024;

/** The meta of a file's last line, if it is one. */
async function lastMeta(file: string): Promise<LogMeta | undefined> {
  let h: FileHandle;
  try {
    h = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = (await h.stat()).size;
    const n = Math.min(size, 64 * 1024);
    const buf = Buffer.allocUnsafe(n);
    const { bytesRead } = await h.read(buf, 0, n, size - n);
    if (bytesRead !== n || buf[n - 1] !== NL) return undefined;
    const from = buf.lastIndexOf(NL, n - 2) + 1;
    return parseMeta(buf.subarray(from, n - 1).toString('utf8'));
  } finally {
    await h.close();
  }
}

/**
 * Appends bytes `[from, to)` of `src` to `out`, line by line, each record's body checked against its
 * CRC; returns the records copied. A bad line throws `bad(problem)` (what was copied stays).
 */
export async function copyChecked(src: string, from: number, to: number, out: FileHandle, bad: (problem: string) => Promise<Error>): Promise<number> {
  const h = await open(src, 'r');
  try {
    const r = new ChunkReader(h, to);
    let pending: Buffer[] = [];
    let bytes = 0;
    let records = 0;
    for (let pos = from; pos < to; ) {
      const line = await lineAt(r, pos);
      if (line.kind === 'bad') throw await bad(`the line at byte ${pos} is not a valid paper record`);
      const len = line.kind === 'meta' ? line.bytes : lineBytes(line.entry);
      await r.load(pos, len);
      const bytesOf = r.slice(pos, pos + len);
      if (line.kind === 'record') {
        if (!bodyMatches(bytesOf.subarray(line.entry.head, line.entry.head + line.entry.len), line.entry.crc)) {
          throw await bad(`the record of paper "${line.id.slice(0, 80)}" at byte ${pos} does not match its checksum`);
        }
        records++;
      }
      pending.push(Buffer.from(bytesOf));
      bytes += len;
      if (bytes >= FLUSH) {
        await writeFully(out, Buffer.concat(pending));
        pending = [];
        bytes = 0;
      }
      pos += len;
    }
    await writeFully(out, Buffer.concat(pending));
    return records;
  } finally {
    await h.close();
  }
}

/** Brings the backup up to `log` (its generation and size), appending or, if it must, copying. */
export async function syncPaperBackup(files: StoreFiles, log: { gen: string; size: number }, bad: (problem: string) => Promise<Error>): Promise<'current' | 'extended' | 'copied'> {
  const mirror = (await lastMeta(files.papersBackup))?.mirror;
  const line = encodeMeta({ mirror: { gen: log.gen, size: log.size } });
  if (mirror && mirror.gen === log.gen && mirror.size <= log.size) {
    if (mirror.size === log.size) return 'current';
    const out = await open(files.papersBackup, 'a');
    try {
      await copyChecked(files.papers, mirror.size, log.size, out, bad);
      await writeFully(out, line);
      await out.datasync();
    } finally {
      await out.close();
    }
    return 'extended';
  }
  const out = await open(files.papersBackupTmp, 'w');
  try {
    await copyChecked(files.papers, 0, log.size, out, bad);
    await writeFully(out, line);
    await out.sync();
  } catch (e) {
    await out.close().catch(() => {});
    await rm(files.papersBackupTmp, { force: true });
    throw e;
  }
  await out.close();
  await rename(files.papersBackupTmp, files.papersBackup);
  await syncDir(dirname(files.papersBackup));
  return 'copied';
}
