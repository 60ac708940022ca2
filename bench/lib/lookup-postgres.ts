/**
 * PostgreSQL's own full-text search as a lookup anchor: what an operator of the PostgreSQL
 * deployment would reach for. A fresh database on the local server, the papers in a table with a
 * stored tsvector of title (weight A) and abstract (weight B), a GIN index over it, queries through
 * websearch_to_tsquery and ranked by ts_rank, as the PostgreSQL manual's chapter 12 shows.
 *
 * Mapping of our query language: plain words stay words (websearch ANDs them), quoted phrases stay
 * quoted (<-> adjacency), `|` alternatives become `or`, exclusions `-word` / `-"phrase"`. Authors
 * are not in the vector (title and abstract only): an author clause becomes its words.
 *
 * The server runs on this machine, so its backend's CPU time is read from /proc beside ours.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Paper } from '../../src/core/model/paper.ts';
import type { Clause, ParsedQuery } from '../../src/core/topics/parse.ts';
import type { Engine } from './lookup-engines.ts';
import { adminUrl } from './pg-server.ts';

/** User + system CPU milliseconds of a local backend process (clock ticks of 10 ms), or NaN. */
function backendCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

const quote = (s: string) => s.replace(/["\\]/g, ' ').trim();

function clauseText(c: Clause): string {
  if (c.kind === 'text' && !c.words && c.terms.length > 1) return `"${quote(c.terms.join(' '))}"`;
  return quote(c.terms.join(' '));
}

/** Our parsed query as websearch_to_tsquery text. */
export function websearchText(q: ParsedQuery): string {
  const groups = q.groups.map((g) => g.clauses.map(clauseText).filter(Boolean).join(' ')).filter(Boolean);
  const not = q.exclude.map(clauseText).filter(Boolean).map((t) => `-${t}`);
  return [groups.join(' or '), ...not].join(' ').trim();
}

export function postgresFts(): Engine {
  let admin: string | undefined;
  let dbName: string | undefined;
  let client: pg.Client | undefined;
  let backendPid = 0;
  const stats = { buildCpuMs: Number.NaN, tableMB: Number.NaN, indexMB: Number.NaN };
  return {
    name: 'PostgreSQL FTS (GIN)',
    async build(papers: Paper[]) {
      admin = await adminUrl();
      dbName = `paperboy_bench_fts_${process.pid}`;
      const a = new pg.Client({ connectionString: admin });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName}`);
      await a.query(`CREATE DATABASE ${dbName}`);
      await a.end();
      const url = new URL(admin);
      url.pathname = `/${dbName}`;
      client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      backendPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const cpu0 = backendCpuMs(backendPid);
      await client.query(`CREATE TABLE papers (
        id text PRIMARY KEY, title text NOT NULL, abstract text NOT NULL, upvotes int NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', abstract), 'B')) STORED)`);
      for (let i = 0; i < papers.length; i += 2000) {
        const chunk = papers.slice(i, i + 2000);
        await client.query('INSERT INTO papers (id, title, abstract, upvotes) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])', [
          chunk.map((p) => p.id), chunk.map((p) => p.title), chunk.map((p) => p.abstract), chunk.map((p) => p.upvotes),
        ]);
      }
      await client.query('CREATE INDEX papers_tsv ON papers USING gin (tsv)');
      await client.query('ANALYZE papers');
      stats.buildCpuMs = backendCpuMs(backendPid) - cpu0;
      const size = await client.query<{ t: string; i: string }>(`SELECT pg_total_relation_size('papers') AS t, pg_relation_size('papers_tsv') AS i`);
      stats.tableMB = Number(size.rows[0]!.t) / 2 ** 20;
      stats.indexMB = Number(size.rows[0]!.i) / 2 ** 20;
    },
    async search(q: ParsedQuery) {
      const text = websearchText(q);
      if (!text) return { ids: [], total: 0 };
      const r = await client!.query<{ id: string; total: string }>(
        `SELECT id, count(*) OVER () AS total FROM papers, websearch_to_tsquery('english', $1) q
         WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, upvotes DESC LIMIT 10`,
        [text],
      );
      return { ids: r.rows.map((x) => x.id), total: Number(r.rows[0]?.total ?? 0) };
    },
    /** The backend's CPU of the build (from /proc, 10 ms ticks), the table with its vectors and the GIN index on disk. */
    serverStats: () => ({ ...stats }),
    async close() {
      await client?.end().catch(() => {});
      if (admin && dbName) {
        const a = new pg.Client({ connectionString: admin });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => {});
        await a.end();
      }
    },
  };
}
