/** arXiv's records as Paperboy papers, ready to merge with what Hugging Face knows (see mergePaper). */
import { ARXIV_ID, paperLinks, type ArxivDetails, type Paper } from '../../model/paper.ts';
import type { ApiEntry } from './atom.ts';
import type { AnnouncedItem, Announcement } from './rss.ts';

function withDefined<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (v === undefined) delete (o as Record<string, unknown>)[k];
  return o;
}

/**
 * A feed item as a paper. `new` and `cross` are listed by arXiv on the announcement day; a
 * `replace` or `replace-cross` lists nothing (`sources: {}`): it only updates a stored paper.
 */
export function announcedPaper(item: AnnouncedItem, a: Pick<Announcement, 'day' | 'announcedAt'>, day: string): Paper {
  const listed = item.type === 'new' || item.type === 'cross';
  const arxiv: ArxivDetails = withDefined({
    version: item.version,
    announceType: item.type,
    announcedAt: listed ? a.announcedAt : undefined,
    doi: item.doi,
    journalRef: item.journalRef,
    license: item.license,
  });
  return {
    id: item.id,
    title: item.title,
    abstract: item.abstract,
    authors: item.authors,
    listedOn: day,
    sources: listed ? { arxiv: day } : {},
    categories: item.categories,
    arxiv,
    upvotes: 0,
    aiKeywords: [],
    links: { ...paperLinks(item.id), html: `https://arxiv.org/html/${item.id}v${item.version}` },
  };
}

/**
 * An export API entry as a copy that lists nothing: merged into a stored paper it adds categories,
 * version, DOI, journal reference and comments. Undefined for old-style ids (`hep-th/9901001`),
 * which no Paperboy paper has.
 */
export function apiDetails(e: ApiEntry, day: string): Paper | undefined {
  if (!ARXIV_ID.test(e.id)) return undefined;
  return {
    id: e.id,
    title: e.title,
    abstract: e.abstract,
    authors: e.authors,
    listedOn: day,
    sources: {},
    categories: e.categories,
    arxiv: withDefined({ version: e.version, doi: e.doi, journalRef: e.journalRef, comments: e.comments }),
    upvotes: 0,
    aiKeywords: [],
    links: paperLinks(e.id),
  };
}
