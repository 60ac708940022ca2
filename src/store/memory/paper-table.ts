/**
 * Where a StateStore keeps its papers: in memory (the memory store, and the JSON store while it
 * converts an older file), or in the JSON store's paper log on disk (src/store/json/paper-log.ts).
 * StateStore merges upserts; a table only stores what it is given and answers reads.
 */
import type { Paper } from '../../core/model/index.ts';
import type { Change } from './schema.ts';
import type { StoreState } from './state.ts';

export interface PaperRevision {
  epoch: string;
  rev: number;
  count: number;
}

export interface PaperTable {
  get(id: string): Promise<Paper | undefined>;
  /** In the order of `ids`; unknown ids left out. */
  getMany(ids: string[]): Promise<Paper[]>;
  /** Listed (first listing or any source's) on a day in `[fromDay, toDay]`, each once. */
  listedBetween(fromDay: string, toDay: string): Promise<Paper[]>;
  all(): Promise<Paper[]>;
  revision(): PaperRevision;
  changedSince(rev: number): Promise<{ papers: Paper[]; rev: number }>;
  /** Stores papers already merged, each with the next rev; resolves once they are durable. */
  write(papers: Paper[]): Promise<void>;
}

/** The papers of a StoreState; writes go through `commit` (the store's persister). */
export function memoryPapers(s: StoreState, commit: (changes: (Change & { s: number })[]) => Promise<void>): PaperTable {
  const pick = (ids: Iterable<string>) => {
    const out: Paper[] = [];
    for (const id of ids) {
      const p = s.papers.get(id);
      if (p) out.push(p);
    }
    return out;
  };
  return {
    get: async (id) => s.papers.get(id),
    getMany: async (ids) => pick(ids),
    async listedBetween(fromDay, toDay) {
      const ids = new Set<string>();
      for (const [day, dayIds] of s.byDay) if (day >= fromDay && day <= toDay) for (const id of dayIds) ids.add(id);
      return pick(ids);
    },
    all: async () => [...s.papers.values()],
    revision() {
      if (s.epoch === undefined) throw new Error('the store state has no epoch');
      return { epoch: s.epoch, rev: s.paperRev, count: s.papers.size };
    },
    async changedSince(rev) {
      const changed: [number, string][] = [];
      for (const [id, r] of s.revs) if (r > rev) changed.push([r, id]);
      changed.sort((a, b) => a[0] - b[0]);
      return { papers: pick(changed.map(([, id]) => id)), rev: s.paperRev };
    },
    write: (papers) => commit(papers.map((v) => s.apply({ t: 'paper', v }))),
  };
}
