/**
 * The real overlap of the two sources: the cs.CL announcement of 2026-08-13 and the Daily Papers
 * corpus, which lists 14 of its papers (one twice), some before that day, some on it, some later.
 */
import { normaliseItem } from '../../src/core/sources/hf/index.ts';
import { announcedPaper, parseAnnouncement, type Announcement } from '../../src/core/sources/arxiv/index.ts';
import type { Paper } from '../../src/core/model/index.ts';
import { readCorpus } from '../../src/import/read-corpus.ts';
import { arxivFile } from './arxiv-stand-in.ts';
import { CORPUS_PATH } from './fixtures.ts';

export const CS_CL_DAY = '2026-08-13';

export function csClAnnouncement(): Announcement {
  return parseAnnouncement(arxivFile('rss/cs.CL-2026-08-13.xml'));
}

/** The feed's items as papers (replacements included: they list nothing). */
export function csClPapers(): Paper[] {
  const a = csClAnnouncement();
  return a.items.map((i) => announcedPaper(i, a, a.day!));
}

/** Every Daily Papers listing of the feed's papers in the corpus, oldest first, each as normalised for its day. */
export function corpusListingsOfCsCl(): Promise<Paper[]> {
  // The corpus takes seconds to read: once per test file.
  listings ??= readListings();
  return listings.then((ps) => ps.map((p) => structuredClone(p)));
}
let listings: Promise<Paper[]> | undefined;

async function readListings(): Promise<Paper[]> {
  const ids = new Set(csClAnnouncement().items.map((i) => i.id));
  const out: Paper[] = [];
  for await (const line of readCorpus(CORPUS_PATH)) {
    if (!line.ok) continue;
    const r = normaliseItem(line.item, line.date);
    if (r.ok && ids.has(r.paper.id)) out.push(r.paper);
  }
  return out.sort((a, b) => a.listedOn.localeCompare(b.listedOn) || a.id.localeCompare(b.id));
}
