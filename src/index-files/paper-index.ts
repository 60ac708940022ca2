/** The app's index (PaperIndex) as the kept index builds and restores it. */
import { createSearchIndex, PaperIndex } from '../core/search/index.ts';
import type { IndexSnapshot } from '../core/search/snapshot.ts';
import type { IndexFactory } from './kept-index.ts';

export const paperIndexFactory: IndexFactory<PaperIndex> = {
  build: (papers) => createSearchIndex(papers),
  restore: (snapshot) => PaperIndex.restore(snapshot as unknown as IndexSnapshot),
};
