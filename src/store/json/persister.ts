/**
 * Makes changes durable for the JSON store. Changes are appended to a journal, one JSON line each;
 * every change that arrives while a write is in flight goes out with the next single write
 * (coalescing), and a caller is answered only after the write holding its change returned and was
 * fdatasync'ed: an acknowledged change survives a kill and a power cut. The coalescing is the group
 * commit: changes arriving during one write and its sync share the next (bench/store-json.ts
 * measures it). Renames and deletes are followed by an fsync of the folder (durable.ts).
 *
 * Compaction: once the journal outgrows the JSON file, the journal is closed as a segment
 * (`PATH.journal.N`, N = its last change), a fresh journal takes new appends, and a point-in-time
 * view of the state is written to the JSON file in the background; then the segments it covers
 * are deleted. A crash at any step leaves snapshot + segments + journal that replay to the same
 * state, since each line is numbered and lines at or below the snapshot's number are skipped.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from './durable.ts';
import { PaperboyError } from '../../core/model/index.ts';
import type { Logger } from '../../core/ports.ts';
import type { Change } from '../memory/schema.ts';
import type { StoreState } from '../memory/state.ts';
import type { Persister } from '../memory/state-store.ts';
import type { Segment } from './load.ts';
import type { StoreFiles } from './paths.ts';
import { writeSnapshot } from './snapshot-writer.ts';

type Stamped = Change & { s: number };

interface Waiter {
  changes: Stamped[];
  /** Answered once a compaction started after this batch has written the JSON file. */
  compact?: boolean;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface PersisterOptions {
  logger: Logger;
  /** Compact once the journal holds this many bytes, or more than the JSON file (default 8 MiB). */
  compactAfterBytes?: number;
}

export interface JsonStoreStats {
  /** Journal appends (each may hold many changes), each followed by one fdatasync (`syncs`). */
  appends: number;
  syncs: number;
  /** Changes written to the journal. */
  changes: number;
  /** Full writes of the JSON file. */
  compactions: number;
  journalBytes: number;
  snapshotBytes: number;
}

export class JournalPersister implements Persister {
  private counts = { appends: 0, changes: 0, compactions: 0, syncs: 0 };
  private pending: Waiter[] = [];
  private running = false;
  private drained: (() => void)[] = [];
  /** A write failed: memory is ahead of the journal, so only a full snapshot may follow. */
  private broken = false;
  private closed = false;
  private compaction: Promise<void> | undefined;
  private lastJournaled: number;
  private readonly minCompact: number;

  private constructor(
    private readonly files: StoreFiles,
    private readonly state: StoreState,
    private journal: FileHandle,
    private journalBytes: number,
    private snapshotBytes: number,
    private segments: Segment[],
    private readonly opts: PersisterOptions,
  ) {
    this.minCompact = opts.compactAfterBytes ?? 8 * 1024 * 1024;
    this.lastJournaled = state.seq;
  }

  /** Opens the journal for appending, first cutting off a torn last line a crash left. */
  static async open(
    files: StoreFiles,
    state: StoreState,
    loaded: { journalGoodBytes: number; snapshotBytes: number; segments: Segment[] },
    opts: PersisterOptions,
  ): Promise<JournalPersister> {
    const journal = await open(files.journal, 'a');
    try {
      const size = (await journal.stat()).size;
      if (size > loaded.journalGoodBytes) await journal.truncate(loaded.journalGoodBytes);
      // A journal just created must keep its name across a power cut before anything is acknowledged in it.
      await syncDir(dirname(files.journal));
    } catch (e) {
      await journal.close();
      throw e;
    }
    return new JournalPersister(files, state, journal, loaded.journalGoodBytes, loaded.snapshotBytes, [...loaded.segments], opts);
  }

  commit(changes: Stamped[]): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    if (changes.length === 0 && !this.running && this.pending.length === 0) return Promise.resolve();
    return this.enqueue(changes, false);
  }

  private enqueue(changes: Stamped[], compact: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ changes, resolve, reject, compact });
      if (!this.running) {
        this.running = true;
        // Wait one turn so every change made in this tick shares the first write.
        setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        if (this.broken) await this.compactNow();
        else await this.append(batch);
        const forced = batch.filter((w) => w.compact);
        if (forced.length > 0) {
          await this.compaction?.catch(() => {});
          const { done } = await this.rotateAndSnapshot();
          done.then(
            () => forced.forEach((w) => w.resolve()),
            (e: Error) => forced.forEach((w) => w.reject(new PaperboyError('store', `Could not compact ${this.files.main}: ${e.message}`))),
          );
        }
        for (const w of batch) if (!w.compact) w.resolve();
      } catch (e) {
        this.broken = true;
        this.opts.logger.error({ err: e, file: this.files.main }, 'store write failed');
        const err = new PaperboyError('store', `Could not save to ${this.files.main}: ${(e as Error).message}`, undefined, { cause: e });
        for (const w of batch) w.reject(err);
      }
      if (!this.broken && !this.compaction && this.journalBytes > Math.max(this.minCompact, this.snapshotBytes)) {
        try {
          const { done } = await this.rotateAndSnapshot();
          done.catch(() => {}); // logged inside; appends go on, the next threshold retries
        } catch (e) {
          this.opts.logger.error({ err: e, file: this.files.journal }, 'store journal rotation failed');
        }
      }
    }
    this.running = false;
    for (const d of this.drained.splice(0)) d();
  }

  private async append(batch: Waiter[]): Promise<void> {
    let text = '';
    let n = 0;
    let last = this.lastJournaled;
    for (const w of batch) {
      for (const c of w.changes) {
        text += `${JSON.stringify(c)}\n`;
        n++;
        last = c.s;
      }
    }
    if (!text) return;
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += (await this.journal.write(buf, off, buf.length - off)).bytesWritten;
    // Acknowledged only once on disk: a power cut must not lose what a caller was told is saved.
    await this.journal.datasync();
    this.counts.syncs++;
    this.journalBytes += buf.length;
    this.lastJournaled = last;
    this.counts.appends++;
    this.counts.changes += n;
  }

  /** Closes the journal as a segment and opens a fresh one; called with no append in flight. */
  private async rotate(): Promise<void> {
    if (this.journalBytes === 0) return;
    const seg = { path: `${this.files.journal}.${this.lastJournaled}`, lastSeq: this.lastJournaled };
    await this.journal.close();
    try {
      await rename(this.files.journal, seg.path);
      this.segments.push(seg);
      this.journalBytes = 0;
    } finally {
      this.journal = await open(this.files.journal, 'a');
      // The segment's new name and the fresh journal's entry, durable before appends go to it.
      await syncDir(dirname(this.files.journal));
    }
  }

  /** Rotates (awaited), then writes a snapshot in the background; `done` settles when it is written. */
  private async rotateAndSnapshot(): Promise<{ done: Promise<void> }> {
    await this.rotate();
    const view = this.state.view();
    const started = Date.now();
    const done = (async () => {
      try {
        this.snapshotBytes = await writeSnapshot(this.files.main, view);
        this.counts.compactions++;
        const covered = this.segments.filter((x) => x.lastSeq <= view.seq);
        this.segments = this.segments.filter((x) => x.lastSeq > view.seq);
        for (const x of covered) await rm(x.path, { force: true });
        // Not needed for correctness (replay skips what the snapshot covers), only so deleted segments stay deleted.
        if (covered.length > 0) await syncDir(dirname(this.files.main));
        this.opts.logger.debug({ file: this.files.main, bytes: this.snapshotBytes, ms: Date.now() - started }, 'store compacted');
      } catch (e) {
        this.opts.logger.error({ err: e, file: this.files.main }, 'store compaction failed; the journal still holds every change');
        throw e;
      } finally {
        this.compaction = undefined;
      }
    })();
    this.compaction = done;
    return { done };
  }

  /** A compaction now, waited for (on close, on demand, and after a failed write). */
  private async compactNow(): Promise<void> {
    await this.compaction?.catch(() => {});
    const { done } = await this.rotateAndSnapshot();
    await done;
    this.broken = false;
  }

  stats(): JsonStoreStats {
    return { ...this.counts, journalBytes: this.journalBytes, snapshotBytes: this.snapshotBytes };
  }

  private idle(): Promise<void> {
    return this.running ? new Promise((r) => this.drained.push(r)) : Promise.resolve();
  }

  /** Writes the whole state into the JSON file now (after pending writes); appends go on meanwhile. */
  compact(): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    return this.enqueue([], true);
  }

  /** Waits for pending writes, compacts the journal into the JSON file and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    await this.compaction?.catch(() => {});
    try {
      if (this.journalBytes > 0 || this.segments.length > 0 || this.broken || this.snapshotBytes === 0) await this.compactNow();
      await this.journal.close();
      await rm(this.files.journal, { force: true });
    } catch (e) {
      await this.journal.close().catch(() => {});
      throw new PaperboyError('store', `Could not save ${this.files.main} on close: ${(e as Error).message}; the journal beside it still holds every change.`, undefined, { cause: e });
    }
  }
}
