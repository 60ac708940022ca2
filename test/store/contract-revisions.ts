/**
 * The paper-revision part of the Store contract (run by describeStoreContract for every store):
 * what an index kept outside the store relies on to check itself and catch up cheaply.
 */
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/model/index.ts';
import type { Store } from '../../src/core/ports.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';

export function describeRevisionContract(get: () => { store: Store; reopen?: () => Promise<Store> }): void {
  const day1 = realPapers(REAL_DAYS[0]);
  const day2 = realPapers(REAL_DAYS[1]);
  const idsOf = (ps: Paper[]) => ps.map((p) => p.id);

  describe('paper revisions', () => {
    it('starts with no papers and an epoch', async () => {
      const { store } = get();
      const r = await store.paperRevision();
      expect(r.count).toBe(0);
      expect(typeof r.epoch).toBe('string');
      expect(r.epoch.length).toBeGreaterThan(0);
      expect(await store.papersChangedSince(r.rev)).toEqual({ papers: [], rev: r.rev });
    });

    it('grows the rev with every paper added or changed, and not on an upsert that changes nothing', async () => {
      const { store } = get();
      const r0 = await store.paperRevision();
      await store.upsertPapers(day1);
      const r1 = await store.paperRevision();
      expect(r1.epoch).toBe(r0.epoch);
      expect(r1.count).toBe(day1.length);
      expect(r1.rev).toBeGreaterThanOrEqual(r0.rev + day1.length);

      expect(await store.upsertPapers(day1)).toEqual({ added: 0, updated: 0 });
      expect(await store.paperRevision()).toEqual(r1);
      expect((await store.papersChangedSince(r1.rev)).papers).toEqual([]);

      const p = day1[3]!;
      await store.upsertPapers([{ ...p, upvotes: p.upvotes + 5 }]);
      const r2 = await store.paperRevision();
      expect(r2.rev).toBeGreaterThan(r1.rev);
      expect(r2.count).toBe(day1.length);
    });

    it('hands out exactly the papers changed since a rev, ascending, each once with its latest content', async () => {
      const { store } = get();
      await store.upsertPapers(day1);
      const all = await store.papersChangedSince(0);
      expect(idsOf(all.papers).sort()).toEqual(idsOf(day1).sort());
      expect(all.rev).toBe((await store.paperRevision()).rev);

      const a = day1[0]!;
      const b = day1[5]!;
      // b changes first, then a twice, then day2 arrives: order follows the last change of each.
      await store.upsertPapers([{ ...b, upvotes: b.upvotes + 1 }]);
      await store.upsertPapers([{ ...a, upvotes: a.upvotes + 1 }]);
      await store.upsertPapers([{ ...a, upvotes: a.upvotes + 2 }]);
      const mid = (await store.paperRevision()).rev;
      await store.upsertPapers(day2);
      const since = await store.papersChangedSince(all.rev);
      // Within one batch the order is the store's own (PostgreSQL writes a batch in id order).
      expect(idsOf(since.papers.slice(0, 2))).toEqual([b.id, a.id]);
      expect(idsOf(since.papers.slice(2)).sort()).toEqual(idsOf(day2).sort());
      expect(since.papers[1]!.upvotes).toBe(a.upvotes + 2);
      expect(since.rev).toBe((await store.paperRevision()).rev);
      expect(since.rev).toBeGreaterThan(all.rev);
      expect(await store.papersChangedSince(since.rev)).toEqual({ papers: [], rev: since.rev });
      // Asked from the middle, only what came after.
      expect(idsOf((await store.papersChangedSince(mid)).papers).sort()).toEqual(idsOf(day2).sort());
    });

    it('reads many papers by id in one call, in the order asked, unknown ids left out', async () => {
      const { store } = get();
      await store.upsertPapers([...day1, ...day2]);
      const want = [day2[2]!.id, 'no-such-paper', day1[0]!.id, day2[0]!.id];
      expect(await store.getPapers(want)).toEqual([day2[2], day1[0], day2[0]]);
      expect(await store.getPapers([])).toEqual([]);
      expect(await store.getPapers(['nothing', 'here'])).toEqual([]);
    });

    it('keeps its epoch and revs across a close and reopen', async () => {
      const { reopen } = get();
      if (!reopen) return; // a memory store has nothing to reopen
      const { store } = get();
      await store.upsertPapers(day1);
      const before = await store.paperRevision();
      const changed = await store.papersChangedSince(0);
      const again = await reopen();
      expect(await again.paperRevision()).toEqual(before);
      expect(await again.papersChangedSince(0)).toEqual(changed);
      expect((await again.papersChangedSince(before.rev)).papers).toEqual([]);
      const p = day1[1]!;
      await again.upsertPapers([{ ...p, upvotes: p.upvotes + 9 }]);
      const after = await again.papersChangedSince(before.rev);
      expect(idsOf(after.papers)).toEqual([p.id]);
      expect(after.rev).toBeGreaterThan(before.rev);
    });
  });
}
