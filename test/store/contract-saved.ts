/**
 * The saved-papers part of the Store contract (run by describeStoreContract for every store):
 * each person's list, newest first, paged, capped, and never visible under anyone else's key.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';

const ada = 'slack:user:UADA';
const bo = 'discord:user:1234567890';

export function describeSavedContract(get: () => { store: Store; reopen?: () => Promise<Store> }): void {
  const papers = [...realPapers(REAL_DAYS[0]), ...realPapers(REAL_DAYS[1])];
  const id = (i: number) => papers[i]!.id;
  const at = (s: number) => `2026-06-22T09:00:${String(s).padStart(2, '0')}.000Z`;

  describe('saved papers', () => {
    it('keeps a list per person, newest first, and pages through it', async () => {
      const { store } = get();
      for (let i = 0; i < 7; i++) expect(await store.savePaper(ada, id(i), at(i), 100)).toEqual({ result: 'added', count: i + 1 });
      const first = await store.savedPapers(ada, { offset: 0, limit: 3 });
      expect(first).toEqual({ total: 7, items: [6, 5, 4].map((i) => ({ paperId: id(i), savedAt: at(i) })) });
      expect((await store.savedPapers(ada, { offset: 6, limit: 3 })).items.map((s) => s.paperId)).toEqual([id(0)]);
      expect(await store.savedPapers(ada, { offset: 9, limit: 3 })).toEqual({ total: 7, items: [] });
    });

    it('nobody sees another person’s list, and removing touches only one', async () => {
      const { store } = get();
      await store.savePaper(ada, id(0), at(1), 100);
      await store.savePaper(ada, id(1), at(2), 100);
      await store.savePaper(bo, id(1), at(3), 100);
      expect((await store.savedPapers(bo, { offset: 0, limit: 10 })).items).toEqual([{ paperId: id(1), savedAt: at(3) }]);
      expect(await store.savedPapers('slack:user:UNOBODY', { offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
      expect(await store.unsavePaper(bo, id(0))).toBe(false); // Ada's, not Bo's
      expect(await store.unsavePaper(bo, id(1))).toBe(true);
      expect(await store.unsavePaper(bo, id(1))).toBe(false);
      expect((await store.savedPapers(bo, { offset: 0, limit: 10 })).total).toBe(0);
      expect((await store.savedPapers(ada, { offset: 0, limit: 10 })).items.map((s) => s.paperId)).toEqual([id(1), id(0)]);
    });

    it('saving twice keeps the first time; the cap refuses without throwing', async () => {
      const { store } = get();
      await store.savePaper(ada, id(0), at(1), 2);
      expect(await store.savePaper(ada, id(0), at(5), 2)).toEqual({ result: 'already', count: 1 });
      expect(await store.savePaper(ada, id(1), at(2), 2)).toEqual({ result: 'added', count: 2 });
      expect(await store.savePaper(ada, id(2), at(3), 2)).toEqual({ result: 'full', count: 2 });
      // At the cap a paper already kept is still told apart from a refused one.
      expect(await store.savePaper(ada, id(1), at(4), 2)).toEqual({ result: 'already', count: 2 });
      expect((await store.savedPapers(ada, { offset: 0, limit: 10 })).items).toEqual([
        { paperId: id(1), savedAt: at(2) },
        { paperId: id(0), savedAt: at(1) },
      ]);
    });

    it('lets exactly the cap through when presses race', async () => {
      const { store } = get();
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.savePaper(ada, id(i), at(i), 5)));
      expect(results.filter((r) => r.result === 'added').length).toBe(5);
      expect((await store.savedPapers(ada, { offset: 0, limit: 50 })).total).toBe(5);
    });

    it('exports and imports every list for migration', async () => {
      const { store } = get();
      await store.savePaper(ada, id(0), at(1), 10);
      await store.savePaper(bo, id(2), at(2), 10);
      const all = (await store.exportSaved!()).map((e) => `${e.userKey} ${e.paperId} ${e.savedAt}`).sort();
      expect(all).toEqual([`${ada} ${id(0)} ${at(1)}`, `${bo} ${id(2)} ${at(2)}`].sort());
      expect(await store.importSaved!([{ userKey: bo, paperId: id(3), savedAt: at(9) }])).toBe(1);
      expect((await store.savedPapers(bo, { offset: 0, limit: 10 })).items[0]).toEqual({ paperId: id(3), savedAt: at(9) });
    });

    it('keeps the lists across a close and reopen', async () => {
      const h = get();
      if (!h.reopen) return; // a memory store has nothing to reopen
      await h.store.savePaper(ada, id(0), at(1), 10);
      await h.store.savePaper(ada, id(1), at(2), 10);
      await h.store.unsavePaper(ada, id(0));
      await h.store.savePaper(bo, id(4), at(3), 10);
      const store = await h.reopen();
      expect((await store.savedPapers(ada, { offset: 0, limit: 10 })).items).toEqual([{ paperId: id(1), savedAt: at(2) }]);
      expect((await store.savedPapers(bo, { offset: 0, limit: 10 })).items).toEqual([{ paperId: id(4), savedAt: at(3) }]);
    });
  });
}
