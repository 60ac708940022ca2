/**
 * The embedded store: one JSON file (lowdb) with a journal beside it for everything but papers
 * (persister.ts), and the papers in a paper log beside it (paper-log.ts), read by id when asked.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Clock, type Logger, type Store } from '../../core/ports.ts';
import { StateStore } from '../memory/state-store.ts';
import { convertToPaperLog, type ConvertStep } from './convert.ts';
import { damaged, loadStore } from './load.ts';
import { acquire, release } from './lock.ts';
import { syncPaperBackup } from './paper-backup.ts';
import { type CompactStep, PaperLog, type PaperLogStats } from './paper-log.ts';
import { JournalPersister, type JsonStoreStats } from './persister.ts';
import { storeFiles, tempBeside } from './paths.ts';
import { copyDurably } from './durable.ts';

export interface JsonStoreOptions {
  logger: Logger;
  clock?: Clock;
  /** Journal size that triggers a compaction into the JSON file (default 8 MiB, or the file's size if larger). */
  compactAfterBytes?: number;
  /** Dead bytes in the paper log that, once they outweigh the live ones, trigger its rewrite (default 1 MiB). */
  paperCompactAfterBytes?: number;
  /** Called after each step of converting an older file or rewriting the paper log, for crash tests that kill the process there. */
  onStep?: (step: ConvertStep | CompactStep) => void;
}

/**
 * Opens (or creates) the store at `path`. A damaged file or journal rejects with
 * PaperboyError('store') naming it and the restore command; nothing is written then.
 */
export interface JsonStore extends Store {
  /** Write counters, for tests and benchmarks. */
  stats(): JsonStoreStats & PaperLogStats;
  /** Writes everything but papers into the JSON file now and empties the journal (also done on its own and on close). */
  compact(): Promise<void>;
  /** Rewrites the paper log without superseded records now (also done on its own once they outweigh the rest). */
  compactPapers(): Promise<void>;
}

export async function openJsonStore(path: string, opts: JsonStoreOptions): Promise<JsonStore> {
  const files = storeFiles(path);
  const started = Date.now();
  await mkdir(dirname(files.main), { recursive: true });
  await acquire(files.main, files.lock);
  let papers: PaperLog | undefined;
  try {
    const loaded = await loadStore(files);
    if (loaded.inline) await convertToPaperLog(files, loaded, opts.logger, opts.onStep);
    papers = await PaperLog.open(files, { logger: opts.logger, compactAfterBytes: opts.paperCompactAfterBytes, onStep: opts.onStep });
    if (loaded.snapshotLoaded) {
      // Only files that just loaded fine become the backup; the paper log's only gains what it gained since.
      await syncPaperBackup(files, papers.generation, (problem) => damaged(files, files.papers, problem));
      await copyDurably(files.main, tempBeside(files.backup), files.backup);
    }
    if (loaded.journalTornBytes > 0) {
      opts.logger.warn({ file: files.journal, bytes: loaded.journalTornBytes }, 'store journal ended in a write cut short by a crash; that unacknowledged change is dropped');
    }
    const journal = await JournalPersister.open(files, loaded.state, loaded, opts);
    const log = papers;
    const store = new StateStore(
      loaded.state,
      {
        commit: (changes) => journal.commit(changes),
        close: async () => {
          try {
            await log.close();
            await journal.close();
          } finally {
            await release(files.main, files.lock);
          }
        },
      },
      opts.clock,
      log,
    ) as StateStore & Partial<Pick<JsonStore, 'stats' | 'compact' | 'compactPapers'>>;
    store.stats = () => ({ ...journal.stats(), ...log.stats() });
    store.compact = () => journal.compact();
    store.compactPapers = () => log.compact();
    opts.logger.info(
      { file: files.main, papers: log.revision().count, destinations: loaded.state.destinations.size, replayed: loaded.replayed, ms: Date.now() - started },
      'store opened',
    );
    return store as JsonStore;
  } catch (e) {
    await papers?.close().catch(() => {});
    await release(files.main, files.lock);
    throw e;
  }
}
