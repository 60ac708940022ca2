import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createIndexRefresher } from '../../src/jobs/index-refresh.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { csClPapers } from '../support/arxiv-overlap.ts';

describe('index refresh on replicas', () => {
  it('reloads an arXiv announcement day another replica recorded as arxiv:DAY', async () => {
    const store = createMemoryStore();
    const index = createSearchIndex([]);
    const refresher = createIndexRefresher({ store, index, logger: silentLogger });
    expect(await refresher.refresh()).toBe(0);
    // What the fetching replica does: store the announcement's papers, then record the day.
    await store.upsertPapers(csClPapers().filter((p) => p.sources?.arxiv));
    await store.markDayFetched('arxiv:2026-08-13', '2026-08-13T04:30:00.000Z', 92);
    expect(await refresher.refresh()).toBe(92);
    expect(index.search('cat:cs.CL', { limit: 1 }).total).toBe(92);
    await expect(store.markDayFetched('arxiv:yesterday', '2026-08-13T04:30:00.000Z', 1)).rejects.toThrow(/YYYY-MM-DD or arxiv:YYYY-MM-DD/);
  });
});
