/** What the index-file tests share: a JSON store in a temp folder, real papers, and lookups to compare. */
import { join } from 'node:path';
import type { Paper } from '../../src/core/model/paper.ts';
import type { Logger, SearchIndex } from '../../src/core/ports.ts';
import { openKeptIndex, paperIndexFactory, type KeptIndex } from '../../src/index-files/index.ts';
import { openJsonStore, type JsonStore } from '../../src/store/index.ts';
import { loadCorpus } from '../core/search/helpers.ts';
import type { PaperIndex } from '../../src/core/search/index.ts';

export const QUERIES = [
  'diffusion models',
  'LLM reasoning',
  '"reward model"',
  'agents -robotics',
  'multimodal | vision language',
  'transformers',
  'cat:cs.CL',
  'reinforcement learning +math',
  'video generation',
  'speech',
];

let corpus: Promise<Paper[]> | undefined;
/** The first `n` papers of the repository's corpus (of 9,581). */
export async function corpusPapers(from: number, to: number): Promise<Paper[]> {
  corpus ??= loadCorpus();
  return (await corpus).slice(from, to);
}

export const storePath = (dir: string) => join(dir, 'data', 'paperboy.json');
export const indexDir = (dir: string) => join(dir, 'data', 'index');

export function openStoreIn(dir: string, logger?: Logger): Promise<JsonStore> {
  return openJsonStore(storePath(dir), { logger: logger ?? { debug() {}, info() {}, warn() {}, error() {} } });
}

export function openIndexIn(dir: string, store: JsonStore, logger: Logger, debounceMs = 0): Promise<KeptIndex<PaperIndex>> {
  return openKeptIndex({ dir: indexDir(dir), store, logger, factory: paperIndexFactory, debounceMs });
}

/** What each query matches: the total and the matched ids (order aside: scores depend on build history). */
export function matchSets(index: SearchIndex): Record<string, { total: number; ids: string[] }> {
  return Object.fromEntries(
    QUERIES.map((q) => {
      const r = index.search(q, { limit: Infinity });
      return [q, { total: r.total, ids: r.hits.map((h) => h.paper.id).sort() }];
    }),
  );
}

/** Each query's ranked top 20 with scores and cards: a restored index must give exactly these. */
export function rankedAnswers(index: SearchIndex) {
  return QUERIES.map((q) => {
    const r = index.search(q, { limit: 20 });
    return { q, total: r.total, hits: r.hits.map((h) => ({ id: h.paper.id, score: h.score, matched: h.matched, upvotes: h.paper.upvotes, title: h.paper.title })) };
  });
}
