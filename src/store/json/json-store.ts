import { randomUUID } from 'node:crypto';
/** The embedded store: one JSON file (lowdb) plus a journal beside it. See persister.ts for how writes work. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Clock, type Logger, type Store } from '../../core/ports.ts';
import { StateStore } from '../memory/state-store.ts';
import { loadStore } from './load.ts';
import { acquire, release } from './lock.ts';
import { JournalPersister, type JsonStoreStats } from './persister.ts';
import { storeFiles, tempBeside } from './paths.ts';
import { copyDurably } from './durable.ts';

export interface JsonStoreOptions {
  logger: Logger;
  clock?: Clock;
  /** Journal size that triggers a compaction into the JSON file (default 8 MiB, or the file's size if larger). */
  compactAfterBytes?: number;
}

/**
 * Opens (or creates) the store at `path`. A damaged file or journal rejects with
 * PaperboyError('store') naming it and the restore command; nothing is written then.
 */
export interface JsonStore extends Store {
  /** Write counters, for tests and benchmarks. */
  stats(): JsonStoreStats;
  /** Writes everything into the JSON file now and empties the journal (also done on its own and on close). */
  compact(): Promise<void>;
}

export async function openJsonStore(path: string, opts: JsonStoreOptions): Promise<JsonStore> {
  const files = storeFiles(path);
  const started = Date.now();
  await mkdir(dirname(files.main), { recursive: true });
  await acquire(files.main, files.lock);
  try {
    const loaded = await loadStore(files);
    if (loaded.snapshotLoaded) {
      // Only a file that just loaded fine becomes the backup.
      await copyDurably(files.main, tempBeside(files.backup), files.backup);
    }
    if (loaded.journalTornBytes > 0) {
      opts.logger.warn({ file: files.journal, bytes: loaded.journalTornBytes }, 'store journal ended in a write cut short by a crash; that unacknowledged change is dropped');
    }
    const journal = await JournalPersister.open(files, loaded.state, loaded, opts);
    // A new store, or one written before epochs: its identity is created once and journalled at once.
    if (loaded.state.epoch === undefined) await journal.commit([loaded.state.apply({ t: 'epoch', v: randomUUID() })]);
    const store = new StateStore(
      loaded.state,
      {
        commit: (changes) => journal.commit(changes),
        close: async () => {
          try {
            await journal.close();
          } finally {
            await release(files.main, files.lock);
          }
        },
      },
      opts.clock,
    ) as StateStore & Partial<Pick<JsonStore, 'stats' | 'compact'>>;
    store.stats = () => journal.stats();
    store.compact = () => journal.compact();
    opts.logger.info(
      { file: files.main, papers: loaded.state.papers.size, destinations: loaded.state.destinations.size, replayed: loaded.replayed, ms: Date.now() - started },
      'store opened',
    );
    return store as JsonStore;
  } catch (e) {
    await release(files.main, files.lock);
    throw e;
  }
}
