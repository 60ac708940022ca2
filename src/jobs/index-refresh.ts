/**
 * With a shared store only one replica fetches a day's papers; every replica keeps its own search
 * index, so each reloads the days whose fetch record changed since it last looked.
 */
import type { CoreDeps } from '../core/index.ts';
import { ARXIV_DAY_KEY } from '../core/ports.ts';

export interface IndexRefresher {
  /** Loads changed days into the index; returns how many papers were (re)indexed. */
  refresh(): Promise<number>;
}

export function createIndexRefresher(deps: Pick<CoreDeps, 'store' | 'index' | 'logger'>): IndexRefresher {
  let seen: Map<string, string> | undefined;
  return {
    async refresh() {
      const days = await deps.store.fetchedDays();
      const current = new Map([...days].map(([day, v]) => [day, v.at]));
      // The first look only records: the index was built from the whole store at start.
      if (!seen) {
        seen = current;
        return 0;
      }
      const changed = [...current].filter(([day, at]) => seen!.get(day) !== at).map(([day]) => day).sort();
      let n = 0;
      for (const key of changed) {
        // An arXiv announcement is recorded under `arxiv:DAY`: its papers are listed on DAY.
        const day = ARXIV_DAY_KEY.exec(key)?.[1] ?? key;
        const papers = await deps.store.papersListedBetween(day, day);
        if (papers.length > 0) deps.index.add(papers);
        n += papers.length;
      }
      seen = current;
      if (n > 0) deps.logger.debug({ days: changed, papers: n }, 'search index refreshed from the store');
      return n;
    },
  };
}
