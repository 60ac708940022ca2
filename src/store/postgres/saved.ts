/** Saved papers over PostgreSQL: one row per (person, paper); every query names the person. */
import type { SavedEntry, SavedPaperStore, Store } from '../../core/ports.ts';
import { need } from './checks.ts';
import { wrap, type Db } from './db.ts';

export type PgSaved = SavedPaperStore & Required<Pick<Store, 'exportSaved' | 'importSaved'>>;

export function savedStore(db: Db): PgSaved {
  return {
    savePaper: wrap('savePaper', (userKey: string, paperId: string, at: string, max: number) => {
      need(typeof userKey === 'string' && userKey.length > 0 && typeof paperId === 'string' && paperId.length > 0, 'savePaper needs a person and a paper id.');
      return db.tx(async (c) => {
        // Two presses at once (two replicas) must not both pass the cap: one person's saves take turns.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`saved:${userKey}`]);
        const { rows } = await c.query<{ n: number; has: boolean }>(
          'SELECT count(*)::int AS n, coalesce(bool_or(paper_id = $2), false) AS has FROM saved_papers WHERE user_key = $1',
          [userKey, paperId],
        );
        const { n, has } = rows[0]!;
        if (has || n >= max) return { result: has ? ('already' as const) : ('full' as const), count: n };
        await c.query('INSERT INTO saved_papers (user_key, paper_id, saved_at) VALUES ($1, $2, $3)', [userKey, paperId, at]);
        return { result: 'added' as const, count: n + 1 };
      });
    }),

    unsavePaper: wrap('unsavePaper', async (userKey: string, paperId: string) => {
      const res = await db.query('DELETE FROM saved_papers WHERE user_key = $1 AND paper_id = $2', [userKey, paperId]);
      return res.rowCount === 1;
    }),

    savedPapers: wrap('savedPapers', async (userKey: string, page: { offset: number; limit: number }) => {
      const offset = Math.max(0, Math.trunc(page?.offset ?? 0));
      const limit = Math.max(0, Math.trunc(page?.limit ?? 0));
      const { rows } = await db.query<{ paper_id: string; saved_at: string; total: number }>(
        `SELECT paper_id, saved_at, count(*) OVER ()::int AS total FROM saved_papers WHERE user_key = $1
         ORDER BY saved_at DESC, paper_id ASC OFFSET $2 LIMIT $3`,
        [userKey, offset, limit],
      );
      // A page past the end has no rows to carry the total.
      const total = rows[0]?.total ?? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM saved_papers WHERE user_key = $1', [userKey])).rows[0]!.n;
      return { items: rows.map((r) => ({ paperId: r.paper_id, savedAt: r.saved_at })), total };
    }),

    exportSaved: wrap('exportSaved', async () => {
      const { rows } = await db.query<{ user_key: string; paper_id: string; saved_at: string }>(
        'SELECT user_key, paper_id, saved_at FROM saved_papers ORDER BY user_key, saved_at',
      );
      return rows.map((r): SavedEntry => ({ userKey: r.user_key, paperId: r.paper_id, savedAt: r.saved_at }));
    }),

    importSaved: wrap('importSaved', async (entries: SavedEntry[]) => {
      need(Array.isArray(entries), 'importSaved needs an array of entries.');
      for (const e of entries) {
        need(typeof e?.userKey === 'string' && typeof e.paperId === 'string' && typeof e.savedAt === 'string', `Bad saved entry ${JSON.stringify(e)?.slice(0, 200)}.`);
      }
      if (entries.length === 0) return 0;
      await db.query(
        `INSERT INTO saved_papers (user_key, paper_id, saved_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (user_key, paper_id) DO UPDATE SET saved_at = EXCLUDED.saved_at`,
        [entries.map((e) => e.userKey), entries.map((e) => e.paperId), entries.map((e) => e.savedAt)],
      );
      return entries.length;
    }),
  };
}
