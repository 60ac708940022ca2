/**
 * The JSON store's papers, kept out of memory: an append-only log (`PATH.papers`, paper-format.ts)
 * and, in memory, only where each paper's latest record lies (offset, length, rev, listing days)
 * plus a day -> ids map. Papers are read back by positioned reads, nearby records in one read, and
 * checked against their CRC; a small LRU keeps the ones read one by one (cards of the top hits).
 *
 * Writes append one buffer and fdatasync it before the upsert resolves, one at a time. Once dead
 * records (superseded by a later one) outweigh live ones, the log is rewritten without them: a temp
 * file, fsync'ed, renamed over the log, folder fsync'ed; the old log stays as the backup under a
 * second name (a hard link: no copy). A crash at any point leaves the old or the new log, whole.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, link, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';
import { type Paper, PaperboyError } from '../../core/model/index.ts';
import type { Logger } from '../../core/ports.ts';
import type { PaperRevision, PaperTable } from '../memory/paper-table.ts';
import { deepFreeze } from '../memory/state.ts';
import { syncDir, writeFully } from './durable.ts';
import { damaged } from './load.ts';
import { LOG_VERSION, bodyMatches, decodeBody, encodeMeta, encodeRecord } from './paper-format.ts';
import { loadOffsets, saveOffsets } from './paper-offsets.ts';
import { type LogEntry, type LogScan, lineBytes, scanLog } from './paper-scan.ts';
import type { StoreFiles } from './paths.ts';

/** Records closer than this are read together; one read covers at most MAX_RUN bytes (or one record). */
const GAP = 64 * 1024;
const MAX_RUN = 8 * 1024 * 1024;
/** Reads in flight at once for a large set (all papers, a day's window). */
const PARALLEL_RUNS = 4;

export interface PaperLogOptions {
  logger: Logger;
  /** Dead bytes that, once they also outweigh the live ones, trigger a rewrite (default 1 MiB). */
  compactAfterBytes?: number;
  /** Papers kept parsed (default 2,000). */
  cacheSize?: number;
  /** Called after each step of a rewrite, for crash tests that kill the process there. */
  onStep?: (step: CompactStep) => void;
}

export type CompactStep = 'compact-chunk' | 'compact-written' | 'compact-linked' | 'compact-renamed' | 'compact-done';

export interface PaperLogStats {
  paperBytes: number;
  paperLiveBytes: number;
  paperAppends: number;
  paperCompactions: number;
}

/** One open file of the log; a compaction retires it once the reads on it are done. */
interface Handle {
  h: FileHandle;
  entries: Map<string, LogEntry>;
  readers: number;
  retired: boolean;
}

type Item = { id: string; e: LogEntry; i: number };

/** Writes a complete log to `file` (temp, fsync, rename, folder fsync): a new store's, or one converted from an older file. */
export async function writeLogFile(files: StoreFiles, epoch: string, papers: Iterable<{ paper: Paper; rev: number }>): Promise<void> {
  const h = await open(files.papersTmp, 'w');
  try {
    await writeFully(h, encodeMeta({ paperboy: 'papers', v: LOG_VERSION, epoch, gen: randomUUID() }));
    let pending = '';
    for (const { paper, rev } of papers) {
      pending += encodeRecord(paper, rev).line;
      if (pending.length >= MAX_RUN) {
        await writeFully(h, Buffer.from(pending));
        pending = '';
      }
    }
    await writeFully(h, Buffer.from(pending));
    await h.sync();
  } catch (e) {
    await h.close().catch(() => {});
    await rm(files.papersTmp, { force: true });
    throw e;
  }
  await h.close();
  await rename(files.papersTmp, files.papers);
  await syncDir(dirname(files.papers));
}

export class PaperLog implements PaperTable {
  private readonly byDay = new Map<string, Set<string>>();
  private readonly cache: LRUCache<string, Paper>;
  private queue: Promise<unknown> = Promise.resolve();
  /** A write failed and the file could not be cut back: no more writes. */
  private broken: Error | undefined;
  private closed = false;
  private counts = { appends: 0, compactions: 0 };
  private readonly minCompact: number;
  private epoch: string;
  private gen: string;
  private maxRev: number;
  private size: number;
  private liveBytes: number;
  private headerBytes: number;
  /** What the offsets file on disk describes. */
  private saved: { gen: string; size: number } | undefined;

  private constructor(
    private readonly files: StoreFiles,
    private handle: Handle,
    scan: LogScan,
    private readonly opts: PaperLogOptions,
  ) {
    this.epoch = scan.epoch;
    this.gen = scan.gen;
    this.maxRev = scan.maxRev;
    this.size = scan.goodBytes;
    this.liveBytes = scan.liveBytes;
    this.headerBytes = scan.headerBytes;
    this.minCompact = opts.compactAfterBytes ?? 1024 * 1024;
    this.cache = new LRUCache({ max: opts.cacheSize ?? 2000 });
    for (const [id, e] of handle.entries) this.index(id, e.days);
  }

  /** Opens the log (a new, empty one when there is none), cutting off a torn tail a crash left. */
  static async open(files: StoreFiles, opts: PaperLogOptions): Promise<PaperLog> {
    for (const f of [files.papersTmp, files.papersBackupTmp, files.papersOffsetsTmp]) await rm(f, { force: true });
    let saved: { gen: string; size: number } | undefined;
    const resume = async (h: FileHandle) => {
      const o = await loadOffsets(files.papersOffsets, h);
      if (o) saved = { gen: o.gen, size: o.size };
      return o;
    };
    let scan = await scanLog(files.papers, resume);
    if (scan === undefined) {
      await writeLogFile(files, randomUUID(), []);
      scan = await scanLog(files.papers);
    }
    if (scan === undefined || 'problem' in scan) throw await damaged(files, files.papers, scan?.problem ?? 'it vanished while opening');
    const h = await open(files.papers, 'r+');
    try {
      if (scan.goodBytes < scan.size) {
        opts.logger.warn({ file: files.papers, bytes: scan.size - scan.goodBytes }, 'paper file ended in a write cut short by a crash; those unacknowledged papers are dropped');
        await h.truncate(scan.goodBytes);
        await h.datasync();
      }
    } catch (e) {
      await h.close();
      throw e;
    }
    const log = new PaperLog(files, { h, entries: scan.entries, readers: 0, retired: false }, scan, opts);
    log.saved = saved;
    return log;
  }

  /** Saves where each paper lies unless the saved copy is current (best effort: it is a cache). */
  private async saveOffsets(): Promise<void> {
    if (this.saved?.gen === this.gen && this.saved.size === this.size) return;
    try {
      await saveOffsets(this.files.papersOffsets, this.files.papersOffsetsTmp, this.handle.h, {
        entries: this.handle.entries, epoch: this.epoch, gen: this.gen, size: this.size, maxRev: this.maxRev, liveBytes: this.liveBytes, headerBytes: this.headerBytes,
      });
      this.saved = { gen: this.gen, size: this.size };
    } catch (e) {
      this.opts.logger.warn({ err: e, file: this.files.papersOffsets }, 'could not save the paper offsets; the next open scans the paper file');
    }
  }

  get generation(): { gen: string; size: number } {
    return { gen: this.gen, size: this.size };
  }

  private index(id: string, days: string[]): void {
    for (const day of days) {
      let ids = this.byDay.get(day);
      if (!ids) this.byDay.set(day, (ids = new Set()));
      ids.add(id);
    }
  }

  private unindex(id: string, days: string[]): void {
    for (const day of days) {
      const ids = this.byDay.get(day);
      ids?.delete(id);
      if (ids?.size === 0) this.byDay.delete(day);
    }
  }

  // --- reads ---

  /** Runs `fn` on the current file, which a compaction will not close under it. */
  private async reading<T>(fn: (h: Handle) => Promise<T>): Promise<T> {
    if (this.closed) throw new PaperboyError('store', 'The store is closed.');
    const h = this.handle;
    h.readers++;
    try {
      return await fn(h);
    } finally {
      h.readers--;
      if (h.retired && h.readers === 0) await h.h.close().catch(() => {});
    }
  }

  /** The papers of `items`, in their order; records near each other come in one read. */
  private async read(h: Handle, items: Item[]): Promise<Paper[]> {
    const out: Paper[] = new Array(items.length);
    const byStart = [...items].sort((a, b) => a.e.start - b.e.start);
    const runs: Item[][] = [];
    let run: Item[] = [];
    let runStart = 0;
    let runEnd = 0;
    for (const it of byStart) {
      const end = it.e.start + lineBytes(it.e);
      if (run.length > 0 && it.e.start - runEnd <= GAP && end - runStart <= MAX_RUN) {
        run.push(it);
        runEnd = Math.max(runEnd, end);
        continue;
      }
      if (run.length > 0) runs.push(run);
      run = [it];
      runStart = it.e.start;
      runEnd = end;
    }
    if (run.length > 0) runs.push(run);
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const r = runs[next++]!;
        const from = r[0]!.e.start;
        const to = Math.max(...r.map((it) => it.e.start + lineBytes(it.e)));
        const buf = Buffer.allocUnsafe(to - from);
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await h.h.read(buf, got, buf.length - got, from + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        for (const it of r) {
          const at = it.e.start + it.e.head - from;
          const p = at + it.e.len <= got ? decodeBody(buf.subarray(at, at + it.e.len), { crc: it.e.crc, id: it.id }) : 'the file ends inside it';
          if (typeof p === 'string') throw await this.damage(it, p);
          out[it.i] = p;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_RUNS, runs.length) }, worker));
    return out;
  }

  private async damage(it: Item, problem: string): Promise<PaperboyError> {
    return damaged(this.files, this.files.papers, `the record of paper "${it.id.slice(0, 80)}" at byte ${it.e.start} cannot be read: ${problem}`);
  }

  private items(h: Handle, ids: Iterable<string>): Item[] {
    const out: Item[] = [];
    for (const id of ids) {
      const e = h.entries.get(id);
      if (e) out.push({ id, e, i: out.length });
    }
    return out;
  }

  async get(id: string): Promise<Paper | undefined> {
    return (await this.getMany([id]))[0];
  }

  async getMany(ids: string[]): Promise<Paper[]> {
    return this.reading(async (h) => {
      const got = new Map<string, Paper>();
      const missing: Item[] = [];
      const asked = new Set<string>();
      for (const it of this.items(h, ids)) {
        const p = this.cache.get(it.id);
        if (p) got.set(it.id, p);
        else if (!asked.has(it.id)) missing.push({ ...it, i: missing.length });
        asked.add(it.id);
      }
      const read = await this.read(h, missing);
      read.forEach((p, i) => {
        const frozen = deepFreeze(p);
        this.cache.set(missing[i]!.id, frozen);
        got.set(missing[i]!.id, frozen);
      });
      return ids.flatMap((id) => got.get(id) ?? []);
    });
  }

  async listedBetween(fromDay: string, toDay: string): Promise<Paper[]> {
    const ids = new Set<string>();
    for (const [day, dayIds] of this.byDay) if (day >= fromDay && day <= toDay) for (const id of dayIds) ids.add(id);
    return this.reading((h) => this.read(h, this.items(h, ids)));
  }

  async all(): Promise<Paper[]> {
    return this.reading((h) => this.read(h, this.items(h, h.entries.keys())));
  }

  revision(): PaperRevision {
    return { epoch: this.epoch, rev: this.maxRev, count: this.handle.entries.size };
  }

  async changedSince(rev: number): Promise<{ papers: Paper[]; rev: number }> {
    const at = this.maxRev;
    return this.reading(async (h) => {
      const changed = [...h.entries].filter(([, e]) => e.rev > rev).sort((a, b) => a[1].rev - b[1].rev);
      return { papers: await this.read(h, changed.map(([id, e], i) => ({ id, e, i }))), rev: at };
    });
  }

  // --- writes ---

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  write(papers: Paper[]): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    if (papers.length === 0) return this.serial(async () => {});
    return this.serial(() => this.append(papers));
  }

  private async append(papers: Paper[]): Promise<void> {
    if (this.broken) throw new PaperboyError('store', `Could not save to ${this.files.papers}: an earlier write failed (${this.broken.message}); reopen the store.`);
    const records = papers.map((p, i) => encodeRecord(p, this.maxRev + 1 + i));
    const buf = Buffer.from(records.map((r) => r.line).join(''));
    const h = this.handle;
    try {
      await writeFully(h.h, buf, this.size);
      // Acknowledged only once on disk: a power cut must not lose what a caller was told is saved.
      await h.h.datasync();
    } catch (e) {
      // Nothing of a failed write may come back at the next open: cut it off, or write no more.
      await h.h.truncate(this.size).catch((te: Error) => (this.broken = te));
      this.opts.logger.error({ err: e, file: this.files.papers }, 'paper write failed');
      throw new PaperboyError('store', `Could not save papers to ${this.files.papers}: ${(e as Error).message}`, undefined, { cause: e });
    }
    let at = this.size;
    papers.forEach((p, i) => {
      const { bytes, head, crc, days } = records[i]!;
      const e: LogEntry = { start: at, head, len: bytes - head - 1, rev: this.maxRev + 1 + i, crc, days };
      const old = h.entries.get(p.id);
      if (old) {
        this.liveBytes -= lineBytes(old);
        this.unindex(p.id, old.days);
      }
      h.entries.set(p.id, e);
      this.index(p.id, e.days);
      this.liveBytes += bytes;
      this.cache.delete(p.id);
      at += bytes;
    });
    this.size = at;
    this.maxRev += papers.length;
    this.counts.appends++;
    const dead = this.size - this.liveBytes;
    if (dead > this.liveBytes && dead >= this.minCompact) {
      void this.serial(() => this.compactNow()).catch((e: Error) => this.opts.logger.error({ err: e, file: this.files.papers }, 'paper file compaction failed; the log still holds every paper'));
    }
  }

  /** Rewrites the log without superseded records now (after pending writes). */
  compact(): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    return this.serial(() => this.compactNow());
  }

  private async compactNow(): Promise<void> {
    if (this.broken) return;
    const started = Date.now();
    const old = this.handle;
    const gen = randomUUID();
    const out = await open(this.files.papersTmp, 'w+');
    const entries = new Map<string, LogEntry>();
    const header = encodeMeta({ paperboy: 'papers', v: LOG_VERSION, epoch: this.epoch, gen });
    const headerBytes = header.length;
    let size = headerBytes;
    try {
      let pending: Buffer[] = [header];
      let bytes = size;
      const live = [...old.entries].map(([id, e], i) => ({ id, e, i })).sort((a, b) => a.e.start - b.e.start);
      for (let i = 0; i < live.length; ) {
        // Sequential reads of up to MAX_RUN bytes; every record is checked before it is carried over.
        const from = live[i]!.e.start;
        let j = i;
        while (j < live.length && (j === i || live[j]!.e.start + lineBytes(live[j]!.e) - from <= MAX_RUN)) j++;
        const to = live[j - 1]!.e.start + lineBytes(live[j - 1]!.e);
        const buf = Buffer.allocUnsafe(to - from);
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await old.h.read(buf, got, buf.length - got, from + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        for (const it of live.slice(i, j)) {
          const at = it.e.start - from;
          const body = buf.subarray(at + it.e.head, at + it.e.head + it.e.len);
          if (at + lineBytes(it.e) > got || !bodyMatches(body, it.e.crc)) throw await this.damage(it, 'its checksum does not match');
          const line = Buffer.from(buf.subarray(at, at + lineBytes(it.e)));
          pending.push(line);
          entries.set(it.id, { ...it.e, start: size });
          size += line.length;
          bytes += line.length;
        }
        if (bytes >= MAX_RUN) {
          await writeFully(out, Buffer.concat(pending));
          this.opts.onStep?.('compact-chunk');
          pending = [];
          bytes = 0;
        }
        i = j;
      }
      await writeFully(out, Buffer.concat(pending));
      await out.sync();
      this.opts.onStep?.('compact-written');
    } catch (e) {
      await out.close().catch(() => {});
      await rm(this.files.papersTmp, { force: true });
      throw e;
    }
    // The old log becomes the backup under a second name; the rename below leaves it only that name.
    const linked = await rm(this.files.papersBackupTmp, { force: true })
      .then(() => link(this.files.papers, this.files.papersBackupTmp))
      .then(
        () => true,
        (e: Error) => {
          this.opts.logger.warn({ err: e, file: this.files.papers }, 'could not keep the paper file before compaction as the backup; the next open copies it');
          return false;
        },
      );
    if (linked) this.opts.onStep?.('compact-linked');
    try {
      await rename(this.files.papersTmp, this.files.papers);
    } catch (e) {
      await out.close().catch(() => {});
      await rm(this.files.papersTmp, { force: true });
      if (linked) await rm(this.files.papersBackupTmp, { force: true });
      throw e;
    }
    // From here the new file is the log: appends go to it (the handle follows the renamed file).
    this.handle = { h: out, entries, readers: 0, retired: false };
    this.gen = gen;
    this.size = size;
    this.liveBytes = size;
    this.headerBytes = headerBytes;
    old.retired = true;
    if (old.readers === 0) await old.h.close().catch(() => {});
    try {
      await syncDir(dirname(this.files.papers));
    } catch (e) {
      // The rename may not survive a power cut: later appends must not be acknowledged on a name that could revert.
      this.broken = e as Error;
      throw e;
    }
    this.opts.onStep?.('compact-renamed');
    this.counts.compactions++;
    if (linked) await this.keepAsBackup(gen, size);
    await this.saveOffsets();
    this.opts.onStep?.('compact-done');
    this.opts.logger.debug({ file: this.files.papers, bytes: size, ms: Date.now() - started }, 'paper file compacted');
  }

  /** The pre-compaction log (hard-linked aside) says it mirrors the new log up to `size`, and becomes the backup. */
  private async keepAsBackup(gen: string, size: number): Promise<void> {
    try {
      const h = await open(this.files.papersBackupTmp, 'a');
      try {
        await writeFully(h, encodeMeta({ mirror: { gen, size } }));
        await h.datasync();
      } finally {
        await h.close();
      }
      await rename(this.files.papersBackupTmp, this.files.papersBackup);
      await syncDir(dirname(this.files.papers));
    } catch (e) {
      this.opts.logger.warn({ err: e, file: this.files.papersBackup }, 'could not keep the paper file before compaction as the backup; the next open copies it');
      await rm(this.files.papersBackupTmp, { force: true }).catch(() => {});
    }
  }

  stats(): PaperLogStats {
    return { paperBytes: this.size, paperLiveBytes: this.liveBytes, paperAppends: this.counts.appends, paperCompactions: this.counts.compactions };
  }

  /** Waits for pending writes and a running compaction, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    if (!this.broken) await this.saveOffsets();
    this.handle.retired = true;
    if (this.handle.readers === 0) await this.handle.h.close();
  }
}
