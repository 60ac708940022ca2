/** PaperStore over PostgreSQL: one row per paper, the full model in JSONB, `listed_on` and each source's day indexed. */
import { isDeepStrictEqual } from 'node:util';
import { mergePaper } from '../../core/model/merge-paper.ts';
import type { Paper } from '../../core/model/paper.ts';
import { ARXIV_DAY_KEY, type PaperStore } from '../../core/ports.ts';
import { DAY, need } from './checks.ts';
import { storeError, type Db } from './db.ts';

/** Rows per INSERT; keeps each statement's JSON parameter a few MB at most. */
const CHUNK = 1000;

/**
 * Splits a batch into rounds with each id at most once per round, in batch order: the table then
 * merges a repeated paper with its earlier copy exactly as the memory store does, one by one.
 * Each round is sorted by id, one lock order for every writer, so replicas cannot deadlock.
 */
export function rounds(papers: Paper[]): Paper[][] {
  const out: Paper[][] = [];
  const seen = new Map<string, number>();
  for (const p of papers) {
    const n = seen.get(p.id) ?? 0;
    seen.set(p.id, n + 1);
    (out[n] ??= []).push(p);
  }
  return out.map((r) => r.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

// Papers merge in TypeScript (mergePaper, the memory store's rule) rather than in SQL: the two
// sources' fields need more than a JSONB expression. Writers take one transaction-scoped advisory
// lock, so a merge never works from a copy another replica is replacing.
const PAPERS_LOCK_KEY = 0x50_61_70_65_73; // "Papes"

const UPSERT_SQL = `
  INSERT INTO papers AS p (id, listed_on, upvotes, data)
  SELECT x->>'id', x->>'listedOn', (x->>'upvotes')::double precision, x
  FROM jsonb_array_elements($1::jsonb) AS x
  ON CONFLICT (id) DO UPDATE SET
    listed_on = EXCLUDED.listed_on, upvotes = EXCLUDED.upvotes, data = EXCLUDED.data, updated_at = now()`;

const WINDOW_SQL = `
  SELECT data FROM papers
  WHERE listed_on BETWEEN $1 AND $2 OR hf_on BETWEEN $1 AND $2 OR arxiv_on BETWEEN $1 AND $2
  ORDER BY listed_on, upvotes DESC, id`;

/** PostgreSQL text cannot hold NUL; it is dropped rather than failing the whole batch. */
const noNul = (_k: string, v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '') : v);

export function paperStore(db: Db): PaperStore {
  return {
    async upsertPapers(papers) {
      need(Array.isArray(papers), 'upsertPapers needs an array of papers.');
      for (const p of papers) {
        need(typeof p?.id === 'string' && p.id.length > 0, 'Every paper needs an id.');
        need(typeof p.listedOn === 'string' && DAY.test(p.listedOn), `Paper ${p.id} has no valid listedOn day.`);
        need(Number.isFinite(p.upvotes), `Paper ${p.id} has no valid upvotes count.`);
      }
      let added = 0;
      let updated = 0;
      if (papers.length === 0) return { added, updated };
      try {
        await db.tx(async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1)', [PAPERS_LOCK_KEY]);
          for (const round of rounds(papers)) {
            for (let i = 0; i < round.length; i += CHUNK) {
              const chunk = round.slice(i, i + CHUNK);
              const { rows } = await client.query<{ data: Paper }>('SELECT data FROM papers WHERE id = ANY($1::text[])', [chunk.map((p) => p.id)]);
              const stored = new Map(rows.map((r) => [r.data.id, r.data]));
              const writes: Paper[] = [];
              for (const p of chunk) {
                const old = stored.get(p.id);
                // As JSON would store it (no undefined keys, no NULs), so an unchanged copy compares equal.
                const merged = JSON.parse(JSON.stringify(mergePaper(old, p), noNul)) as Paper;
                if (!old) added++;
                else if (isDeepStrictEqual(old, merged)) continue;
                else updated++;
                writes.push(merged);
              }
              if (writes.length) await client.query(UPSERT_SQL, [JSON.stringify(writes)]);
            }
          }
        });
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
      need(DAY.test(fromDay) && DAY.test(toDay), `Days must be YYYY-MM-DD (got ${fromDay}, ${toDay}).`);
      const { rows } = await db
        .query<{ data: Paper }>(WINDOW_SQL, [fromDay, toDay])
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

    async paperRevision() {
      // The database's oid joins the stored uuid: a dump restored into another database is another paper set.
      const { rows } = await db
        .query<{ epoch: string; rev: string; n: number }>(
          `SELECT (SELECT epoch::text FROM store_meta) || '.' || (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS epoch,
                  (SELECT coalesce(max(rev), 0) FROM papers)::text AS rev, (SELECT count(*)::integer FROM papers) AS n`,
        )
        .catch((e) => {
          throw storeError('paperRevision', e);
        });
      const r = rows[0]!;
      return { epoch: r.epoch, rev: Number(r.rev), count: r.n };
    },

    async papersChangedSince(rev) {
      need(Number.isFinite(rev), `papersChangedSince needs a rev number (got ${String(rev)}).`);
      // One statement, one snapshot: the rev returned is the one the rows were read at.
      const { rows } = await db
        .query<{ data: Paper | null; top: string }>(
          `WITH top AS (SELECT coalesce(max(rev), 0) AS top FROM papers)
           SELECT p.data, top.top::text AS top FROM top LEFT JOIN papers p ON p.rev > $1 ORDER BY p.rev`,
          [Math.floor(rev)],
        )
        .catch((e) => {
          throw storeError('papersChangedSince', e);
        });
      return { papers: rows.flatMap((r) => (r.data ? [r.data] : [])), rev: Number(rows[0]?.top ?? 0) };
    },

    async getPapers(ids) {
      need(Array.isArray(ids), 'getPapers needs an array of ids.');
      if (ids.length === 0) return [];
      const { rows } = await db.query<{ data: Paper }>('SELECT data FROM papers WHERE id = ANY($1::text[])', [ids]).catch((e) => {
        throw storeError('getPapers', e);
      });
      const byId = new Map(rows.map((r) => [r.data.id, r.data]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    async markDayFetched(day, at, count) {
      need(typeof day === 'string' && (DAY.test(day) || ARXIV_DAY_KEY.test(day)), `Day must be YYYY-MM-DD or arxiv:YYYY-MM-DD (got ${String(day)}).`);
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
