/**
 * Makes changes durable for the JSON store. Changes are appended to a journal, one JSON line each;
 * every change that arrives while a write is in flight goes out with the next single write
 * (coalescing), and a caller is answered only after the write holding its change returned. A
 * write(2) that returned survives the process being killed (the kernel owns the data), so an
 * acknowledged change is never lost to a crash. When the journal outgrows the snapshot, the whole
 * state is written to the JSON file through lowdb (steno: temp file + rename, so the file is
 * always complete) and the journal is emptied. Not fsync'ed: a power cut can lose recent changes.
 */
import { type FileHandle, open, rm, stat } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { PaperboyError } from '../../core/model/index.ts';
import type { Logger } from '../../core/ports.ts';
import { type Change, type StoreData, emptyData } from '../memory/schema.ts';
import type { StoreState } from '../memory/state.ts';
import type { Persister } from '../memory/state-store.ts';
import type { StoreFiles } from './paths.ts';

interface Waiter {
  changes: (Change & { s: number })[];
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface PersisterOptions {
  logger: Logger;
  /** Compact once the journal holds this many bytes, or more than the snapshot (default 8 MiB). */
  compactAfterBytes?: number;
}

export interface JsonStoreStats {
  /** Journal appends (each may hold many changes). */
  appends: number;
  /** Changes written to the journal. */
  changes: number;
  /** Full writes of the JSON file. */
  compactions: number;
  journalBytes: number;
  snapshotBytes: number;
}

export class JournalPersister implements Persister {
  private counts = { appends: 0, changes: 0, compactions: 0 };
  private pending: Waiter[] = [];
  private running = false;
  private drained: (() => void)[] = [];
  private needsSnapshot = false;
  private closed = false;
  private readonly db: Low<StoreData>;
  private readonly minCompact: number;

  private constructor(
    private readonly files: StoreFiles,
    private readonly state: StoreState,
    private journal: FileHandle,
    private journalBytes: number,
    private snapshotBytes: number,
    private readonly opts: PersisterOptions,
  ) {
    this.db = new Low<StoreData>(new JSONFile<StoreData>(files.main), emptyData());
    this.minCompact = opts.compactAfterBytes ?? 8 * 1024 * 1024;
  }

  /** Opens the journal for appending, first cutting off a torn last line a crash left. */
  static async open(files: StoreFiles, state: StoreState, loaded: { journalGoodBytes: number; snapshotBytes: number }, opts: PersisterOptions) {
    const journal = await open(files.journal, 'a');
    try {
      const size = (await journal.stat()).size;
      if (size > loaded.journalGoodBytes) await journal.truncate(loaded.journalGoodBytes);
    } catch (e) {
      await journal.close();
      throw e;
    }
    return new JournalPersister(files, state, journal, loaded.journalGoodBytes, loaded.snapshotBytes, opts);
  }

  commit(changes: (Change & { s: number })[]): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    if (changes.length === 0 && !this.running && this.pending.length === 0) return Promise.resolve();
    return this.enqueue(changes);
  }

  /** Writes the whole state into the JSON file now (after pending writes) and empties the journal. */
  compact(): Promise<void> {
    if (this.closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
    this.needsSnapshot = true;
    return this.enqueue([]);
  }

  private enqueue(changes: (Change & { s: number })[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ changes, resolve, reject });
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
        if (this.needsSnapshot || this.journalBytes > Math.max(this.minCompact, this.snapshotBytes)) {
          await this.snapshot();
        } else {
          await this.append(batch);
        }
        for (const w of batch) w.resolve();
      } catch (e) {
        // Memory is ahead of the disk now; the next write is a full snapshot, which catches up.
        this.needsSnapshot = true;
        this.opts.logger.error({ err: e, file: this.files.main }, 'store write failed');
        const err = new PaperboyError('store', `Could not save to ${this.files.main}: ${(e as Error).message}`, undefined, { cause: e });
        for (const w of batch) w.reject(err);
      }
    }
    this.running = false;
    for (const d of this.drained.splice(0)) d();
  }

  private async append(batch: Waiter[]): Promise<void> {
    let text = '';
    for (const w of batch) for (const c of w.changes) text += `${JSON.stringify(c)}\n`;
    if (!text) return;
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += (await this.journal.write(buf, off, buf.length - off)).bytesWritten;
    this.journalBytes += buf.length;
    this.counts.appends++;
    for (const w of batch) this.counts.changes += w.changes.length;
  }

  stats(): JsonStoreStats {
    return { ...this.counts, journalBytes: this.journalBytes, snapshotBytes: this.snapshotBytes };
  }

  /** Writes the whole state to the JSON file, then empties the journal it now contains. */
  async snapshot(): Promise<void> {
    const started = Date.now();
    this.db.data = this.state.toData();
    await this.db.write();
    this.db.data = emptyData(); // let the big object go
    // A crash right here is fine: every journal line is numbered at or below the snapshot's seq.
    await this.journal.truncate(0);
    this.journalBytes = 0;
    this.needsSnapshot = false;
    this.snapshotBytes = (await stat(this.files.main)).size;
    this.counts.compactions++;
    this.opts.logger.debug({ file: this.files.main, bytes: this.snapshotBytes, ms: Date.now() - started }, 'store compacted');
  }

  private idle(): Promise<void> {
    return this.running ? new Promise((r) => this.drained.push(r)) : Promise.resolve();
  }

  /** Waits for pending writes, compacts the journal into the JSON file and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    try {
      if (this.journalBytes > 0 || this.needsSnapshot || this.snapshotBytes === 0) await this.snapshot();
      await this.journal.close();
      await rm(this.files.journal, { force: true });
    } catch (e) {
      await this.journal.close().catch(() => {});
      throw new PaperboyError('store', `Could not save ${this.files.main} on close: ${(e as Error).message}; the journal beside it still holds every change.`, undefined, { cause: e });
    }
  }
}
