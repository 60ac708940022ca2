/** PaperStore over PostgreSQL: one row per paper, the full model in JSONB, `listed_on` indexed. */
import type { Paper } from '../../core/model/paper.ts';
import type { PaperStore } from '../../core/ports.ts';
import { storeError, type Db } from './db.ts';

/** Rows per INSERT; keeps each statement's JSON parameter a few MB at most. */
const CHUNK = 1000;

/**
 * Merges papers repeated within one batch the way the table merges them with stored rows:
 * the later copy wins, except that the earliest listing day is kept. Sorted by id.
 */
export function dedupeBatch(papers: Paper[]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const p of papers) {
    const prev = byId.get(p.id);
    if (!prev) byId.set(p.id, p);
    else byId.set(p.id, keepEarliest(prev, p));
  }
  // One lock order for every writer: overlapping batches from two replicas cannot deadlock.
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function keepEarliest(prev: Paper, next: Paper): Paper {
  if (prev.listedOn >= next.listedOn) return next;
  const merged: Paper = { ...next, listedOn: prev.listedOn };
  if (prev.submittedAt !== undefined) merged.submittedAt = prev.submittedAt;
  else delete merged.submittedAt;
  return merged;
}

// The newer copy refreshes everything (upvotes, stars, summary...) but the earliest listing day and
// its submission time stay: a paper listed twice belongs to the day it first appeared.
const UPSERT_SQL = `
  INSERT INTO papers AS p (id, listed_on, upvotes, data)
  SELECT x->>'id', x->>'listedOn', (x->>'upvotes')::integer, x
  FROM jsonb_array_elements($1::jsonb) AS x
  ON CONFLICT (id) DO UPDATE SET
    listed_on  = LEAST(p.listed_on, EXCLUDED.listed_on),
    upvotes    = EXCLUDED.upvotes,
    data       = CASE WHEN EXCLUDED.listed_on <= p.listed_on THEN EXCLUDED.data
                 ELSE (EXCLUDED.data - 'submittedAt')
                      || jsonb_build_object('listedOn', p.listed_on)
                      || CASE WHEN p.data ? 'submittedAt'
                         THEN jsonb_build_object('submittedAt', p.data->'submittedAt') ELSE '{}'::jsonb END
                 END,
    updated_at = now()
  RETURNING (xmax = 0) AS inserted`;

export function paperStore(db: Db): PaperStore {
  return {
    async upsertPapers(papers) {
      let added = 0;
      let updated = 0;
      const unique = dedupeBatch(papers);
      try {
        for (let i = 0; i < unique.length; i += CHUNK) {
          const { rows } = await db.query<{ inserted: boolean }>(UPSERT_SQL, [JSON.stringify(unique.slice(i, i + CHUNK))]);
          for (const r of rows) r.inserted ? added++ : updated++;
        }
      } catch (e) {
        throw storeError('upsertPapers', e);
      }
      return { added, updated };
    },

    async getPaper(id) {
      const { rows } = await db.query<{ data: Paper }>('SELECT data FROM papers WHERE id = $1', [id]).catch((e) => {
        throw storeError('getPaper', e);
      });
      return rows[0]?.data;
    },

    async papersListedBetween(fromDay, toDay) {
      const { rows } = await db
        .query<{ data: Paper }>(
          'SELECT data FROM papers WHERE listed_on BETWEEN $1 AND $2 ORDER BY listed_on, upvotes DESC, id',
          [fromDay, toDay],
        )
        .catch((e) => {
          throw storeError('papersListedBetween', e);
        });
      return rows.map((r) => r.data);
    },

    async allPapers() {
      const { rows } = await db.query<{ data: Paper }>('SELECT data FROM papers ORDER BY listed_on, upvotes DESC, id').catch((e) => {
        throw storeError('allPapers', e);
      });
      return rows.map((r) => r.data);
    },

    async countPapers() {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM papers').catch((e) => {
        throw storeError('countPapers', e);
      });
      return rows[0]?.n ?? 0;
    },

    async markDayFetched(day, at, count) {
      await db
        .query(
          `INSERT INTO fetched_days (day, at, count) VALUES ($1, $2, $3)
           ON CONFLICT (day) DO UPDATE SET at = EXCLUDED.at, count = EXCLUDED.count`,
          [day, at, count],
        )
        .catch((e) => {
          throw storeError('markDayFetched', e);
        });
    },

    async fetchedDays() {
      const { rows } = await db.query<{ day: string; at: string; count: number }>('SELECT day, at, count FROM fetched_days ORDER BY day').catch((e) => {
        throw storeError('fetchedDays', e);
      });
      return new Map(rows.map((r) => [r.day, { at: r.at, count: r.count }]));
    },
  };
}
