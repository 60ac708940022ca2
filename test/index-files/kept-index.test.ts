import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { MANIFEST, openKeptIndex, paperIndexFactory, readManifest, type Manifest } from '../../src/index-files/index.ts';
import { recordingLogger } from '../core/sources/hf/recording-logger.ts';
import { tempDir } from '../store/temp-dir.ts';
import { waitFor } from '../support/wait.ts';
import { corpusPapers, indexDir, matchSets, openIndexIn, openStoreIn, rankedAnswers, storePath } from './support.ts';
import type { Paper } from '../../src/core/model/paper.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
afterEach(() => tmp?.remove());

let base: Paper[];
beforeAll(async () => {
  base = await corpusPapers(0, 2500);
});

/** A store of `papers` with a committed index generation of it, both closed. */
async function seeded(dir: string, papers: Paper[]): Promise<Manifest> {
  const store = await openStoreIn(dir);
  await store.upsertPapers(papers);
  const kept = await openIndexIn(dir, store, recordingLogger());
  await kept.flush();
  const m = kept.committed!;
  await kept.close();
  await store.close();
  return m;
}

async function freshSets(dir: string) {
  const store = await openStoreIn(dir);
  try {
    return matchSets(createSearchIndex(await store.allPapers()));
  } finally {
    await store.close();
  }
}

/** Opens store and index, hands them to `fn`, closes both. */
async function withKept<T>(dir: string, fn: (k: Awaited<ReturnType<typeof openIndexIn>>, log: ReturnType<typeof recordingLogger>) => Promise<T> | T): Promise<T> {
  const log = recordingLogger();
  const store = await openStoreIn(dir);
  const kept = await openIndexIn(dir, store, log);
  try {
    return await fn(kept, log);
  } finally {
    await kept.close();
    await store.close();
  }
}

const rebuiltBecause = (log: ReturnType<typeof recordingLogger>) =>
  log.entries.filter((e) => e.msg.startsWith('search index rebuilt from the store')).map((e) => e.msg);

describe('the index kept on disk', () => {
  it('is rebuilt and written on the first start, then restored to give exactly the same answers', async () => {
    tmp = await tempDir('paperboy-index-');
    const store = await openStoreIn(tmp.dir);
    await store.upsertPapers(base);
    const log = recordingLogger();
    const first = await openIndexIn(tmp.dir, store, log);
    expect(first.origin).toBe('rebuilt');
    expect(rebuiltBecause(log)).toEqual(['search index rebuilt from the store: no index on disk yet']);
    await first.flush();
    expect(first.committed?.generation).toBe(1);
    expect(first.committed?.store.count).toBe(base.length);
    const before = rankedAnswers(first);
    const like = first.like(base[7]!.id);
    const reading = first.explain('LLM agents');
    await first.close();
    await store.close();

    await withKept(tmp.dir, (again, log2) => {
      expect(again.origin).toBe('restored');
      expect(rebuiltBecause(log2)).toEqual([]);
      expect(again.size()).toBe(base.length);
      expect(rankedAnswers(again)).toEqual(before);
      expect(again.like(base[7]!.id)).toEqual(like);
      expect(again.explain('LLM agents')).toEqual(reading);
    });
  });

  it('catches up with papers added and upvotes changed while it was down', async () => {
    tmp = await tempDir('paperboy-index-');
    await seeded(tmp.dir, base.slice(0, 2000));
    const store = await openStoreIn(tmp.dir);
    const added = base.slice(2000, 2500);
    const upvoted = base.slice(0, 50).map((p) => ({ ...p, upvotes: p.upvotes + 1000 }));
    await store.upsertPapers([...added, ...upvoted]);
    await store.close();

    const want = await freshSets(tmp.dir);
    await withKept(tmp.dir, (kept, log) => {
      expect(kept.origin).toBe('restored');
      expect(log.entries.find((e) => e.msg === 'search index restored from disk')?.obj).toMatchObject({ caughtUp: 550, papers: 2500 });
      expect(matchSets(kept)).toEqual(want);
      const top = kept.search(upvoted[3]!.title, { limit: 50 }).hits.find((h) => h.paper.id === upvoted[3]!.id);
      expect(top?.paper.upvotes).toBe(upvoted[3]!.upvotes);
    });
    // The catch-up was written: the next start has nothing to catch up.
    await withKept(tmp.dir, (kept, log) => {
      expect(kept.origin).toBe('restored');
      expect(log.entries.find((e) => e.msg === 'search index restored from disk')?.obj).toMatchObject({ caughtUp: 0 });
    });
  });

  it('writes one generation for many adds, and the adds survive a restart', async () => {
    tmp = await tempDir('paperboy-index-');
    const first = await seeded(tmp.dir, base.slice(0, 1000));
    const log = recordingLogger();
    const store = await openStoreIn(tmp.dir);
    const kept = await openKeptIndex({ dir: indexDir(tmp.dir), store, logger: log, factory: paperIndexFactory, debounceMs: 60_000 });
    for (let i = 1000; i < 1400; i += 20) {
      const batch = base.slice(i, i + 20);
      await store.upsertPapers(batch);
      kept.add(batch);
    }
    expect(kept.committed?.generation).toBe(first.generation);
    await kept.flush();
    expect(kept.committed?.generation).toBe(first.generation + 1);
    const want = matchSets(kept);
    await kept.close();
    await store.close();
    await withKept(tmp.dir, (again) => {
      expect(again.origin).toBe('restored');
      expect(again.size()).toBe(1400);
      expect(matchSets(again)).toEqual(want);
    });
  });

  it('writes soon after an add on its own (debounced)', async () => {
    tmp = await tempDir('paperboy-index-');
    const first = await seeded(tmp.dir, base.slice(0, 500));
    const store = await openStoreIn(tmp.dir);
    const kept = await openKeptIndex({ dir: indexDir(tmp.dir), store, logger: recordingLogger(), factory: paperIndexFactory, debounceMs: 50 });
    try {
      const batch = base.slice(500, 520);
      await store.upsertPapers(batch);
      kept.add(batch);
      await waitFor(() => (kept.committed?.generation ?? 0) > first.generation, { what: 'a generation written after an add', timeoutMs: 15_000 });
      expect(kept.committed?.store.count).toBe(520);
    } finally {
      await kept.close();
      await store.close();
    }
  });

  it('merges small segments in the background and commits the merge', async () => {
    tmp = await tempDir('paperboy-index-');
    await seeded(tmp.dir, base.slice(0, 200));
    const store = await openStoreIn(tmp.dir);
    const kept = await openKeptIndex({ dir: indexDir(tmp.dir), store, logger: recordingLogger(), factory: paperIndexFactory, debounceMs: 0 });
    let want: ReturnType<typeof matchSets>;
    try {
      for (let i = 200; i < 1400; i += 30) {
        const batch = base.slice(i, i + 30);
        await store.upsertPapers(batch);
        kept.add(batch);
      }
      const most = 41;
      expect(kept.index.segments.length).toBeLessThanOrEqual(most);
      await waitFor(async () => {
        await kept.flush();
        const m = kept.committed!;
        return kept.index.segments.length < 20 && m.segments.length === kept.index.segments.length && m.store.count === 1400;
      }, { what: 'merged segments committed', timeoutMs: 30_000, detail: () => `segments ${kept.index.segments.length}, committed ${kept.committed?.segments.length}` });
      want = matchSets(kept);
    } finally {
      await kept.close();
      await store.close();
    }
    await withKept(tmp.dir, (again) => {
      expect(again.origin).toBe('restored');
      expect(matchSets(again)).toEqual(want);
    });
  });

  for (const damaged of [false, true]) {
    it(`writes changed cards of old papers exactly (strings of the last state file re-used only where unchanged${damaged ? ', never its damaged bytes' : ''})`, async () => {
      tmp = await tempDir('paperboy-index-');
      const m = await seeded(tmp.dir, base.slice(0, 2400));
      const stateFile = join(indexDir(tmp.dir), m.state.file);
      const store = await openStoreIn(tmp.dir);
      const kept = await openKeptIndex({ dir: indexDir(tmp.dir), store, logger: recordingLogger(), factory: paperIndexFactory, debounceMs: 60_000 });
      let cards: string[];
      try {
        if (damaged) {
          const bad = await readFile(stateFile);
          // Within the cards of the first 1,500 papers, the part a write would re-use.
          bad[Math.floor(bad.length * 0.3)]! ^= 0x20;
          await writeFile(stateFile, bad);
        }
        // Two older papers' upvotes change (their cards change in place; the 1,500 before stay as written), and new papers come.
        const changed = [1500, 2390].map((i) => ({ ...base[i]!, upvotes: base[i]!.upvotes + 500 }));
        await store.upsertPapers([...changed, ...base.slice(2400, 2500)]);
        kept.add([...changed, ...base.slice(2400, 2500)]);
        await kept.flush();
        cards = kept.index.snapshot().docs.cards;
        const live = cards.filter(Boolean).map((c) => JSON.parse(c) as { id: string; upvotes: number });
        expect(live.filter((c) => c.id === changed[0]!.id).map((c) => c.upvotes)).toEqual([changed[0]!.upvotes]);
      } finally {
        await kept.close();
        await store.close();
      }
      await withKept(tmp.dir, (again) => {
        expect(again.origin).toBe('restored');
        expect(again.index.snapshot().docs.cards).toEqual(cards);
      });
    });
  }

  it('deletes files no manifest names, at start and after a commit, and leaves other files alone', async () => {
    tmp = await tempDir('paperboy-index-');
    const m = await seeded(tmp.dir, base.slice(0, 300));
    const dir = indexDir(tmp.dir);
    await writeFile(join(dir, 'seg-old-deadbeef.pbi'), 'x');
    await writeFile(join(dir, '.state-9-abc.pbi.tmp'), 'x');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await withKept(tmp.dir, async (kept) => {
      expect(kept.origin).toBe('restored');
      const names = await readdir(dir);
      expect(names.sort()).toEqual([MANIFEST, 'LOCK', 'notes.txt', m.state.file, ...m.segments.map((s) => s.file)].sort());
      const batch = base.slice(300, 320);
      kept.add(batch);
      await kept.flush();
      const now = kept.committed!;
      expect((await readdir(dir)).sort()).toEqual([MANIFEST, 'LOCK', 'notes.txt', now.state.file, ...now.segments.map((s) => s.file)].sort());
    });
  });

  it('keeps its index in memory when another user holds the folder', async () => {
    tmp = await tempDir('paperboy-index-');
    await seeded(tmp.dir, base.slice(0, 300));
    await withKept(tmp.dir, async (holder) => {
      expect(holder.origin).toBe('restored');
      const log = recordingLogger();
      const other = await openKeptIndex({ dir: indexDir(tmp.dir), store: { allPapers: async () => base.slice(0, 300), paperRevision: async () => ({ epoch: 'x', rev: 0, count: 300 }), papersChangedSince: async () => ({ papers: [], rev: 0 }) }, logger: log, factory: paperIndexFactory });
      expect(other.origin).toBe('memory');
      expect(log.warnings().map((w) => w.msg)).toEqual([expect.stringContaining('search index folder in use by another process')]);
      expect(other.size()).toBe(300);
      await other.close();
    });
  });
});

describe('a damaged or foreign index', () => {
  /** Each case damages the index folder of a seeded store; `why` is what the log must say. */
  const cases: { name: string; why: RegExp; damage: (dir: string, m: Manifest) => Promise<void> }[] = [
    { name: 'a segment cut short', why: /holds \d+ bytes, the manifest says/, damage: (d, m) => truncate(join(d, m.segments[0]!.file), m.segments[0]!.bytes - 100) },
    {
      name: 'a bit flipped in a segment (same length)',
      why: /CRC mismatch in text\.docs|CRC mismatch/,
      damage: async (d, m) => {
        const f = join(d, m.segments[0]!.file);
        const b = await readFile(f);
        b[b.length - 200]! ^= 0x10;
        await writeFile(f, b);
      },
    },
    {
      name: 'a bit flipped in the state file',
      why: /state-.*CRC mismatch/,
      damage: async (d, m) => {
        const f = join(d, m.state.file);
        const b = await readFile(f);
        b[Math.floor(b.length / 2)]! ^= 0x01;
        await writeFile(f, b);
      },
    },
    { name: 'a segment file gone', why: /unreadable \(ENOENT\)/, damage: (d, m) => rm(join(d, m.segments[0]!.file)) },
    { name: 'a manifest that is not JSON', why: /manifest damaged \(not JSON\)/, damage: (d) => writeFile(join(d, MANIFEST), '{"manifest": {"format": 10') },
    {
      name: 'a manifest with a bit flipped',
      why: /manifest damaged \(CRC mismatch\)/,
      damage: async (d) => {
        const text = await readFile(join(d, MANIFEST), 'utf8');
        await writeFile(join(d, MANIFEST), text.replace('"generation":1', '"generation":3'));
      },
    },
    {
      name: 'a manifest of another format',
      why: /index of format 999, this version writes/,
      damage: async (d, m) => {
        const body = JSON.stringify({ ...m, format: 999 });
        await writeFile(join(d, MANIFEST), `{"manifest":${body},"crc32":${crc32(body)}}\n`);
      },
    },
  ];

  for (const c of cases) {
    it(`is rebuilt, never trusted: ${c.name}`, async () => {
      tmp = await tempDir('paperboy-index-');
      const m = await seeded(tmp.dir, base.slice(0, 800));
      await c.damage(indexDir(tmp.dir), m);
      const want = await freshSets(tmp.dir);
      await withKept(tmp.dir, async (kept, log) => {
        expect(kept.origin).toBe('rebuilt');
        const why = rebuiltBecause(log);
        expect(why).toHaveLength(1);
        expect(why[0]).toMatch(c.why);
        expect(matchSets(kept)).toEqual(want);
        await kept.flush();
      });
      // The rebuilt index was written: the next start restores it.
      await withKept(tmp.dir, (kept) => expect(kept.origin).toBe('restored'));
    });
  }

  it('is rebuilt when it belongs to another store', async () => {
    tmp = await tempDir('paperboy-index-');
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    await seeded(a, base.slice(0, 500));
    await seeded(b, base.slice(0, 500));
    await rm(indexDir(b), { recursive: true });
    await cp(indexDir(a), indexDir(b), { recursive: true });
    await withKept(b, (kept, log) => {
      expect(kept.origin).toBe('rebuilt');
      expect(rebuiltBecause(log)).toEqual(['search index rebuilt from the store: the index is of another store (its epoch differs)']);
    });
  });

  it('is rebuilt when it is ahead of the store (an older copy of the store put back)', async () => {
    tmp = await tempDir('paperboy-index-');
    await seeded(tmp.dir, base.slice(0, 500));
    const old = join(tmp.dir, 'old-store.json');
    // The JSON file and its paper log beside it: a copy of the store is both.
    await cp(storePath(tmp.dir), old);
    await cp(`${storePath(tmp.dir)}.papers`, `${old}.papers`);
    // Newer papers into the store and the index, then the old store file back under the new index.
    const store = await openStoreIn(tmp.dir);
    const kept = await openIndexIn(tmp.dir, store, recordingLogger());
    await store.upsertPapers(base.slice(500, 600));
    kept.add(base.slice(500, 600));
    await kept.flush();
    await kept.close();
    await store.close();
    await cp(old, storePath(tmp.dir));
    await cp(`${old}.papers`, `${storePath(tmp.dir)}.papers`);
    await withKept(tmp.dir, (again, log) => {
      expect(again.origin).toBe('rebuilt');
      expect(rebuiltBecause(log)[0]).toMatch(/the index is ahead of the store \(revision \d+, the store's \d+\)/);
      expect(again.size()).toBe(500);
    });
    expect(existsSync(join(indexDir(tmp.dir), MANIFEST))).toBe(true);
    expect('manifest' in (await readManifest(indexDir(tmp.dir)))).toBe(true);
  });
});
