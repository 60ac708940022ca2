/**
 * The export API's Atom answers (`export.arxiv.org/api/query`), in both formats seen: the current
 * one (November 2025 on: bare `<link href>`s, abs first, pdf second) and the one before
 * (`rel="alternate"` / `title="pdf"`, hard-wrapped text). Errors come as a feed with a single entry
 * titled "Error" (with HTTP 200 or 400): that is an error, never a paper.
 */
import { PaperboyError } from '../../model/errors.ts';
import { attr, list, optional, readXml, text } from './xml.ts';

export interface ApiEntry {
  /** Bare id without version: `1706.03762`, or an old-style `hep-th/9901001`. */
  id: string;
  version?: number;
  title: string;
  abstract: string;
  authors: string[];
  /** Primary first. */
  categories: string[];
  publishedAt?: string;
  updatedAt?: string;
  comments?: string;
  doi?: string;
  journalRef?: string;
  links: { abs?: string; pdf?: string };
}

export interface ApiFeed {
  total: number;
  entries: ApiEntry[];
}

/** `http://arxiv.org/abs/1706.03762v7` -> id and version. */
function entryId(raw: string): { id: string; version?: number } | undefined {
  const m = /arxiv\.org\/abs\/(.+?)(?:v(\d+))?$/.exec(raw);
  if (!m) return undefined;
  return m[2] ? { id: m[1]!, version: Number(m[2]) } : { id: m[1]! };
}

function readEntry(e: Record<string, unknown>): ApiEntry | undefined {
  const idv = entryId(text(e.id));
  if (!idv) return undefined;
  const primary = attr(list(e['arxiv:primary_category'])[0], 'term');
  const cats = list(e.category).map((c) => attr(c, 'term')).filter((c): c is string => !!c);
  const links: ApiEntry['links'] = {};
  for (const l of list(e.link)) {
    const href = attr(l, 'href');
    if (!href) continue;
    const rel = attr(l, 'rel');
    const title = attr(l, 'title');
    if (title === 'doi') continue;
    if (title === 'pdf' || /\/pdf\//.test(href)) links.pdf ??= href;
    else if (rel === 'alternate' || /\/abs\//.test(href)) links.abs ??= href;
  }
  const entry: ApiEntry = {
    ...idv,
    title: text(e.title),
    abstract: text(e.summary),
    authors: list(e.author).map((a) => text((a as { name?: unknown }).name)).filter(Boolean),
    categories: [...new Set([...(primary ? [primary] : []), ...cats])],
    links,
  };
  const extra = {
    publishedAt: optional(text(e.published)),
    updatedAt: optional(text(e.updated)),
    comments: optional(text(e['arxiv:comment'])),
    doi: optional(text(e['arxiv:doi'])),
    journalRef: optional(text(e['arxiv:journal_ref'])),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (entry as unknown as Record<string, string>)[k] = v;
  return entry;
}

/** Reads an export API answer; an error feed or a body that is not a whole Atom feed throws PaperboyError('upstream'). */
export function parseApiFeed(xml: string, what = 'The arXiv export API'): ApiFeed {
  const read = readXml(xml, 'feed');
  if ('problem' in read) throw new PaperboyError('upstream', `${what} answered something unreadable: ${read.problem}.`);
  const feed = read.doc.feed as Record<string, unknown> | undefined;
  if (!feed || typeof feed !== 'object') throw new PaperboyError('upstream', `${what} answered something unreadable: no Atom <feed>.`);
  const raw = list(feed.entry).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object');
  const error = raw.find((e) => text(e.title) === 'Error' && /\/api\/errors/.test(text(e.id)));
  if (error) throw new PaperboyError('upstream', `${what} answered an error: ${text(error.summary) || text(error.id)}.`);
  const entries = raw.map(readEntry).filter((e): e is ApiEntry => e !== undefined);
  const total = Number(text(feed['opensearch:totalResults']));
  return { total: Number.isFinite(total) ? total : entries.length, entries };
}
