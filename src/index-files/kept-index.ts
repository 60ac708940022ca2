/**
 * The search index kept on disk. At start it restores the last committed generation, never trusting
 * it blindly: a missing, damaged or foreign one (another format, another store, ahead of the store)
 * is logged in one line and the index rebuilt from the store. A restored index catches up with the
 * papers the store changed since, and must then hold exactly the store's papers.
 *
 * While running, every add marks the index changed; a new generation is written soon after
 * (debounced: one per `debounceMs` at most, never per paper), and merges run in the background in
 * small steps, each finished merge followed by a commit. Before each write the index is brought up
 * to the store (`papersChangedSince`), so the revision a manifest records is one the index holds
 * entirely, whichever order the fetch paths stored and indexed in.
 *
 * This object is what the app calls its index: it passes every call to the index it keeps.
 */
import type { Lexicon } from '../core/search/lexicon.ts';
import type { Logger, PaperStore, SearchIndex } from '../core/ports.ts';
import type { Paper, PaperHit } from '../core/model/paper.ts';
import { namedBy, lockDir, removeUnnamed, type DirLock } from './index-dir.ts';
import { loadGeneration, writeGeneration, writtenBy, type SnapshotShape, type StateTables, type WrittenSegments } from './generation.ts';
import { readManifest, type Manifest, type StoreSignature } from './manifest.ts';

/** What the kept index needs of an index beyond SearchIndex. */
export interface PersistableIndex extends SearchIndex {
  snapshot(): SnapshotShape;
  /** About `budgetMs` of background merging: 'idle' (nothing to merge), 'working', or 'merged' (segments replaced). */
  mergeStep?(budgetMs: number): 'idle' | 'working' | 'merged';
}

export interface IndexFactory<I extends PersistableIndex> {
  build(papers: Paper[]): I;
  restore(snapshot: SnapshotShape): I;
}

/** What the kept index reads of the store. */
export type IndexStore = Pick<PaperStore, 'allPapers' | 'paperRevision' | 'papersChangedSince'>;

export interface KeptIndexOptions<I extends PersistableIndex> {
  /** The folder; undefined keeps the index in memory only (rebuilt at every start). */
  dir: string | undefined;
  /** The store, or the store being opened: the index's files are read meanwhile. */
  store: IndexStore | Promise<IndexStore>;
  logger: Logger;
  factory: IndexFactory<I>;
  /** Wait after a change before writing a generation (default 2 s). */
  debounceMs?: number;
  /** Time one merge step may take before yielding to lookups (default 20 ms). */
  mergeBudgetMs?: number;
  /** Merge segments in the background (default true; off to keep many small ones, in tests). */
  merges?: boolean;
}

/** A generation read from the folder before the store was open: checked against it afterwards. */
type Preloaded = { problem: string } | { manifest: Manifest; loaded?: Awaited<ReturnType<typeof loadGeneration>>; error?: string };

async function preload(dir: string): Promise<Preloaded> {
  const read = await readManifest(dir);
  if ('problem' in read) return read;
  try {
    return { manifest: read.manifest, loaded: await loadGeneration(dir, read.manifest) };
  } catch (e) {
    return { manifest: read.manifest, error: (e as Error).message };
  }
}

/** How the index came to be at start. */
export type IndexOrigin = 'restored' | 'rebuilt' | 'memory';

const CATCH_UP_ROUNDS = 5;

/** Adds the store's changes since `rev` until the store holds still; the signature reached, and how many were added. */
async function catchUp(index: SearchIndex, store: IndexStore, rev: number): Promise<{ sig: StoreSignature; steady: boolean; added: number }> {
  let added = 0;
  for (let round = 0; ; round++) {
    const changed = await store.papersChangedSince(rev);
    if (changed.papers.length > 0) index.add(changed.papers);
    added += changed.papers.length;
    rev = changed.rev;
    const sig = await store.paperRevision();
    // Other replicas may be adding papers (PostgreSQL): then the count cannot be compared yet.
    if (sig.rev === rev || round === CATCH_UP_ROUNDS - 1) return { sig: { ...sig, rev }, steady: sig.rev === rev, added };
  }
}

export class KeptIndex<I extends PersistableIndex = PersistableIndex> implements SearchIndex {
  private covered: StoreSignature;
  private manifest: Manifest | undefined;
  private written: WrittenSegments;
  /** The state's string tables as last written: the next write re-encodes only what changed. */
  private tables: StateTables = new Map();
  /** Papers added since the last catch-up began, by id: the catch-up need not add them again. */
  private recent = new Map<string, Paper>();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private merging = false;
  private closed = false;
  private failures = 0;
  private readonly debounceMs: number;
  private readonly mergeBudgetMs: number;

  private constructor(
    private inner: I,
    readonly origin: IndexOrigin,
    private readonly o: KeptIndexOptions<I>,
    private readonly store: IndexStore,
    private readonly lock: DirLock | undefined,
    start: { covered: StoreSignature; manifest?: Manifest; tables?: StateTables },
  ) {
    this.covered = start.covered;
    if (start.tables) this.tables = start.tables;
    this.manifest = start.manifest;
    this.written = start.manifest ? writtenBy(start.manifest) : new Map();
    this.debounceMs = o.debounceMs ?? 2000;
    this.mergeBudgetMs = o.mergeBudgetMs ?? 20;
  }

  /** Restores (or rebuilds) the index in `o.dir`; see the file comment. */
  static async open<I extends PersistableIndex>(o: KeptIndexOptions<I>): Promise<KeptIndex<I>> {
    const { logger, factory } = o;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    // Reading the files needs no store: it goes on while the store opens (a failure is kept, not thrown).
    const early = o.dir ? preload(o.dir) : undefined;
    const store = await o.store;
    const build = async (): Promise<{ index: I; covered: StoreSignature }> => {
      // Read first: the papers read after it are at least as new, so `rev` is one the index covers.
      const before = await store.paperRevision();
      const index = factory.build(await store.allPapers());
      return { index, covered: { ...before, count: index.size() } };
    };
    if (!o.dir) {
      const { index, covered } = await build();
      return new KeptIndex(index, 'memory', o, store, undefined, { covered });
    }
    let lock: DirLock;
    try {
      lock = await lockDir(o.dir);
    } catch (e) {
      logger.warn({ dir: o.dir, err: (e as Error).message }, 'search index folder in use by another process; this one keeps its index in memory only (give each process its own INDEX_DIR)');
      const { index, covered } = await build();
      return new KeptIndex(index, 'memory', o, store, undefined, { covered });
    }
    try {
      const restored = await KeptIndex.restore(o, o.dir, store, await early!);
      if ('index' in restored) {
        await removeUnnamed(o.dir, namedBy(restored.manifest));
        const kept = new KeptIndex(restored.index, 'restored', o, store, lock, restored);
        logger.info({ dir: o.dir, papers: restored.index.size(), caughtUp: restored.added, generation: restored.manifest.generation, ms: ms() }, 'search index restored from disk');
        if (restored.added > 0) kept.changed(0);
        kept.kickMerges();
        return kept;
      }
      const level = restored.why === 'no index on disk yet' ? 'info' : 'warn';
      logger[level]({ dir: o.dir }, `search index rebuilt from the store: ${restored.why}`);
      await removeUnnamed(o.dir, new Set());
      const { index, covered } = await build();
      logger.debug({ dir: o.dir, papers: index.size(), ms: ms() }, 'search index built');
      const kept = new KeptIndex(index, 'rebuilt', o, store, lock, { covered });
      kept.changed(0);
      kept.kickMerges();
      return kept;
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  private static async restore<I extends PersistableIndex>(
    o: KeptIndexOptions<I>,
    dir: string,
    store: IndexStore,
    early: Preloaded,
  ): Promise<{ index: I; manifest: Manifest; covered: StoreSignature; added: number; tables: StateTables } | { why: string }> {
    // Read before the lock was ours: use it only if it is still the committed generation.
    const now = await readManifest(dir);
    const same = 'manifest' in now && 'manifest' in early && now.manifest.generation === early.manifest.generation && now.manifest.state.file === early.manifest.state.file;
    const read = same ? early : await preload(dir);
    if ('problem' in read) return { why: read.problem };
    const m = read.manifest;
    const sig = await store.paperRevision();
    if (m.store.epoch !== sig.epoch) return { why: 'the index is of another store (its epoch differs)' };
    if (m.store.rev > sig.rev) return { why: `the index is ahead of the store (revision ${m.store.rev}, the store's ${sig.rev})` };
    let index: I;
    try {
      if (!read.loaded) throw new Error(read.error);
      index = o.factory.restore(read.loaded.snapshot);
    } catch (e) {
      return { why: `generation ${m.generation} unusable: ${(e as Error).message}` };
    }
    const tables = read.loaded.tables;
    const { sig: reached, steady, added } = await catchUp(index, store, m.store.rev);
    if (steady && index.size() !== reached.count) return { why: `the index held ${index.size()} papers after catching up, the store ${reached.count}` };
    return { index, manifest: m, covered: { ...reached, count: index.size() }, added, tables };
  }

  // The SearchIndex calls, passed on; adds are noted for persisting.

  add(papers: Paper[]): void {
    this.inner.add(papers);
    for (const p of papers) if (p && typeof p.id === 'string') this.recent.set(p.id, p);
    this.changed();
    this.kickMerges();
  }

  remove(ids: string[]): void {
    this.inner.remove(ids);
    this.changed();
  }

  size(): number {
    return this.inner.size();
  }

  search(query: string, opts?: { limit?: number; offset?: number }): { hits: PaperHit[]; total: number } {
    return this.inner.search(query, opts);
  }

  get lexicon(): Lexicon | undefined {
    return this.inner.lexicon;
  }

  explain(topic: string, days?: number): ReturnType<NonNullable<SearchIndex['explain']>> {
    if (!this.inner.explain) throw new Error('this index cannot explain topics');
    return this.inner.explain(topic, days);
  }

  like(id: string, opts?: { limit?: number }): ReturnType<NonNullable<SearchIndex['like']>> {
    return this.inner.like?.(id, opts);
  }

  /** The index kept (benchmarks and tests). */
  get index(): I {
    return this.inner;
  }

  /** The last committed manifest, if any. */
  get committed(): Manifest | undefined {
    return this.manifest;
  }

  // Persisting.

  /** Marks the index changed: a generation is written `delay` ms from now (unless one is due sooner). */
  private changed(delay = this.debounceMs): void {
    if (!this.lock || this.closed) return;
    this.dirty = true;
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, delay);
    this.timer.unref();
  }

  private write(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          await this.commit();
          this.failures = 0;
        }
      } catch (e) {
        this.failures++;
        this.dirty = true;
        this.o.logger.error({ dir: this.o.dir, err: (e as Error).message }, 'writing the search index to disk failed; it is kept in memory and written again later');
      } finally {
        this.writing = undefined;
      }
      // After a failure, back off (up to a minute); else write again only if changed meanwhile.
      if (this.dirty && !this.closed) this.changed(this.failures ? Math.min(60_000, this.debounceMs * 2 ** this.failures) : this.debounceMs);
    })();
    return this.writing;
  }

  /** Brings the index up to the store, then writes and commits a generation of it. */
  private async commit(): Promise<void> {
    const dir = this.o.dir!;
    const seen = this.recent;
    this.recent = new Map();
    const changed = await this.store.papersChangedSince(this.covered.rev);
    // Added during that read: the index holds a copy at least as new as the one read.
    const fresh = changed.papers.filter((p) => !this.recent.has(p.id) && JSON.stringify(seen.get(p.id)) !== JSON.stringify(p));
    if (fresh.length > 0) this.inner.add(fresh);
    const previous = this.manifest;
    // The snapshot straight after the add, no await between: it holds everything up to `changed.rev`.
    const snap = this.inner.snapshot();
    const covered = { epoch: this.covered.epoch, rev: changed.rev, count: this.inner.size() };
    // Docs are numbered in order and never renumbered: a new segment starting below the docs already
    // written holds old docs, so it came from a merge.
    const writtenEnd = Math.max(0, ...(previous?.segments.map((s) => s.endDoc ?? 0) ?? []));
    const m = await writeGeneration(dir, snap, {
      generation: (previous?.generation ?? 0) + 1,
      store: covered,
      written: this.written,
      tables: this.tables,
      merged: (seg) => (seg.firstDoc ?? Infinity) < writtenEnd,
    });
    this.manifest = m;
    this.covered = covered;
    this.written = writtenBy(m);
    await removeUnnamed(dir, namedBy(m));
  }

  /** Writes a generation now if anything changed (and waits for one in flight). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    if (this.dirty && this.lock) await this.write();
  }

  /** Merges in the background, a step per turn of the event loop, so lookups are never held up for long. */
  private kickMerges(): void {
    const step = this.inner.mergeStep?.bind(this.inner);
    if (!step || this.merging || this.closed || this.o.merges === false) return;
    this.merging = true;
    const run = () => {
      if (this.closed) return void (this.merging = false);
      let state: 'idle' | 'working' | 'merged';
      try {
        state = step(this.mergeBudgetMs);
      } catch (e) {
        this.merging = false;
        this.o.logger.error({ err: (e as Error).message }, 'merging index segments failed');
        return;
      }
      // A finished merge replaced segments by one: commit that (debounced like an add).
      if (state === 'merged') this.changed();
      if (state === 'idle') this.merging = false;
      else setImmediate(run);
    };
    setImmediate(run);
  }

  /** Finishes writing (a last generation if anything changed) and gives the folder up. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.writing;
      if (this.dirty && this.lock) {
        this.dirty = false;
        await this.commit();
      }
    } finally {
      await this.lock?.release();
    }
  }
}

export function openKeptIndex<I extends PersistableIndex>(o: KeptIndexOptions<I>): Promise<KeptIndex<I>> {
  return KeptIndex.open(o);
}
