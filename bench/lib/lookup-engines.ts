/**
 * The lookup engines the benchmark compares, each given the same papers and the same parsed
 * queries and asked for its top 10. The libraries are configured as their READMEs suggest;
 * where they lack a feature (phrases, exclusions, author fields) the query is mapped to the
 * nearest thing they offer, noted per engine.
 */
import MiniSearch from 'minisearch';
import { Document } from 'flexsearch';
import type { Paper } from '../../src/core/model/paper.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { forgetKept } from '../../src/core/search/resolved.ts';
import { fold } from '../../src/core/topics/normalise.ts';
import type { Clause, ParsedQuery } from '../../src/core/topics/parse.ts';
import { postgresFts } from './lookup-postgres.ts';

export interface Engine {
  name: string;
  build(papers: Paper[]): void | Promise<void>;
  /** Ids of the top 10 and the number of matches the engine reports. */
  search(q: ParsedQuery): SearchAnswer | Promise<SearchAnswer>;
  /** Figures only the engine knows (a server's CPU and sizes); called after the run. */
  serverStats?(): { buildCpuMs: number; tableMB: number; indexMB: number };
  /** Releases what the engine holds outside this process. */
  close?(): Promise<void>;
  /** Drops what the engine keeps from one query for the next (so a query is timed as if new). */
  forget?(): void;
}

export interface SearchAnswer {
  ids: string[];
  total: number;
}

export function ours(literal = false): Engine {
  let ix = createSearchIndex();
  return {
    name: literal ? "paperboy today's (literal)" : 'paperboy',
    build: (papers) => {
      ix = createSearchIndex(papers, { literal });
    },
    search: (q) => {
      const r = ix.searchParsed(q, { limit: 10 });
      return { ids: r.hits.map((h) => h.paper.id), total: r.total };
    },
    forget: () => forgetKept(ix),
  };
}

/** Folded text per paper, `includes` per clause, ranked by upvotes (no relevance). */
export function substring(): Engine {
  let docs: { p: Paper; text: string; authors: string }[] = [];
  const needle = (c: Clause) => c.terms.join(' ');
  const has = (d: (typeof docs)[number], c: Clause) => (c.kind === 'author' ? d.authors : d.text).includes(needle(c));
  return {
    name: 'substring scan',
    build: (papers) => {
      docs = papers.map((p) => ({
        p,
        text: fold([p.title, ...p.aiKeywords, p.aiSummary ?? '', p.abstract].join(' \n ')).replace(/[^\p{L}\p{N}]+/gu, ' '),
        authors: fold(p.authors.join(' \n ')).replace(/[^\p{L}\p{N}\n]+/gu, ' '),
      }));
    },
    search: (q) => {
      const hits = docs.filter((d) => !q.exclude.some((c) => has(d, c)) && q.groups.some((g) => g.clauses.every((c) => has(d, c))));
      hits.sort((a, b) => b.p.upvotes - a.p.upvotes);
      return { ids: hits.slice(0, 10).map((d) => d.p.id), total: hits.length };
    },
  };
}

type MsQuery = string | { combineWith: string; queries: MsQuery[]; fields?: string[] };

/** MiniSearch 7 as its README shows it: BM25+, field boosts, prefix and fuzzy matching. Phrases become AND of words. */
export function minisearch(): Engine {
  let ms: MiniSearch;
  const clause = (c: Clause): MsQuery =>
    c.kind === 'author'
      ? { combineWith: 'AND', queries: c.terms, fields: ['authors'] }
      : { combineWith: 'AND', queries: c.terms, fields: ['title', 'keywords', 'summary', 'abstract'] };
  return {
    name: 'MiniSearch 7',
    build: (papers) => {
      ms = new MiniSearch({
        fields: ['title', 'keywords', 'summary', 'abstract', 'authors'],
        storeFields: [],
        searchOptions: { boost: { title: 4, keywords: 3, summary: 2 }, prefix: true, fuzzy: 0.2 },
      });
      ms.addAll(papers.map((p) => ({ id: p.id, title: p.title, keywords: p.aiKeywords.join(' ; '), summary: p.aiSummary ?? '', abstract: p.abstract, authors: p.authors.join(' ; ') })));
    },
    search: (q) => {
      let query: MsQuery = { combineWith: 'OR', queries: q.groups.map((g) => ({ combineWith: 'AND', queries: g.clauses.map(clause) })) };
      if (q.exclude.length) query = { combineWith: 'AND_NOT', queries: [query, ...q.exclude.map(clause)] };
      const r = ms.search(query as never);
      return { ids: r.slice(0, 10).map((x) => String(x.id)), total: r.length };
    },
  };
}

/**
 * FlexSearch 0.8 Document index with forward tokenizing, as its README shows. It has no relevance
 * across fields: results are merged title first, then keywords, summary, abstract.
 */
export function flexsearch(): Engine {
  let doc: Document;
  const fields = ['title', 'keywords', 'summary', 'abstract'];
  const ids = (text: string, index: string[], limit: number): string[] => {
    const res = doc.search(text, { index, limit } as never) as unknown as { field: string; result: (string | number)[] }[];
    const seen = new Set<string>();
    for (const f of index) for (const r of res.find((x) => x.field === f)?.result ?? []) seen.add(String(r));
    return [...seen];
  };
  const clauseIds = (c: Clause, limit: number) => ids(c.terms.join(' '), c.kind === 'author' ? ['authors'] : fields, limit);
  return {
    name: 'FlexSearch 0.8',
    build: (papers) => {
      doc = new Document({ document: { id: 'id', index: [...fields, 'authors'] }, tokenize: 'forward' } as never);
      for (const p of papers) {
        doc.add({ id: p.id, title: p.title, keywords: p.aiKeywords.join(' ; '), summary: p.aiSummary ?? '', abstract: p.abstract, authors: p.authors.join(' ; ') } as never);
      }
    },
    search: (q) => {
      const limit = 1000;
      const out = new Set<string>();
      for (const g of q.groups) {
        // A group's clauses are ANDed by intersecting each clause's results (FlexSearch ANDs words within a field only).
        let acc: string[] | undefined;
        for (const c of g.clauses) {
          const r = new Set(clauseIds(c, limit));
          acc = acc ? acc.filter((id) => r.has(id)) : [...r];
        }
        for (const id of acc ?? []) out.add(id);
      }
      const excluded = new Set(q.exclude.flatMap((c) => clauseIds(c, limit * 10)));
      const all = [...out].filter((id) => !excluded.has(id));
      return { ids: all.slice(0, 10), total: all.length };
    },
  };
}

/**
 * `literal`: the same index matching as before issue 12 (every word anywhere, no acronyms,
 * compounds or spellings, nothing mined while building): what the new matching costs is measured
 * against it side by side.
 */
export const ENGINES: Record<string, () => Engine> = { paperboy: () => ours(), literal: () => ours(true), substring, minisearch, flexsearch, postgres: postgresFts };
