/**
 * arXiv's announcement feeds (`rss.arxiv.org/rss/CAT`): one announcement day, one item per paper,
 * each `new`, `cross` (cross-listed from another category), `replace` or `replace-cross` (a new
 * version of an older paper). Weekends and holidays have a feed with no items.
 */
import { PaperboyError } from '../../model/errors.ts';
import type { AnnounceType } from '../../model/paper.ts';
import { splitAuthors } from './authors.ts';
import { list, optional, readXml, text } from './xml.ts';

export interface AnnouncedItem {
  /** Bare id, e.g. `2608.11232`. */
  id: string;
  version: number;
  type: AnnounceType;
  title: string;
  abstract: string;
  authors: string[];
  /** Primary first, as the feed lists them. */
  categories: string[];
  doi?: string;
  journalRef?: string;
  license?: string;
}

export interface Announcement {
  /** The feed's title ("cs.CL updates on arXiv.org"). */
  title: string;
  /** The announcement day as arXiv dates it (US Eastern), `YYYY-MM-DD`; undefined without a usable pubDate. */
  day?: string;
  /** ISO moment of the announcement (`pubDate`). */
  announcedAt?: string;
  /** ISO moment the feed was built (`lastBuildDate`). */
  builtAt?: string;
  /** Weekdays the feed says it has nothing ("Saturday", "Sunday"). */
  skipDays: string[];
  items: AnnouncedItem[];
  /** Items that could not be read, with why (never a paper). */
  skipped: { index: number; reason: string }[];
}

const TYPES = new Set<AnnounceType>(['new', 'cross', 'replace', 'replace-cross']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `Thu, 13 Aug 2026 00:00:00 -0400` -> `2026-08-13`: the date as written, in the feed's own zone. */
export function rfc822Day(raw: string): string | undefined {
  const m = /(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{4})/.exec(raw);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month < 0) return undefined;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

function iso(raw: string): string | undefined {
  const t = Date.parse(raw);
  return raw && !Number.isNaN(t) ? new Date(t).toISOString() : undefined;
}

/** `oai:arXiv.org:2608.11232v1` or `arXiv:2608.11232v1 ...` -> id and version. */
function idAndVersion(guid: string, description: string): { id: string; version: number } | undefined {
  const m = /(\d{4}\.\d{4,5})v(\d+)/.exec(guid) ?? /^arXiv:(\d{4}\.\d{4,5})v(\d+)/.exec(description);
  return m ? { id: m[1]!, version: Number(m[2]) } : undefined;
}

function readItem(raw: Record<string, unknown>): AnnouncedItem | string {
  const description = text(raw.description);
  const guid = text(raw.guid);
  const idv = idAndVersion(guid, description);
  if (!idv) return `no arXiv id in its guid ("${guid.slice(0, 60)}")`;
  const declared = text(raw['arxiv:announce_type']) || /Announce Type:\s*([a-z-]+)/.exec(description)?.[1] || '';
  if (!TYPES.has(declared as AnnounceType)) return `${idv.id}: unknown announce type "${declared.slice(0, 30)}"`;
  const title = text(raw.title);
  if (!title) return `${idv.id}: no title`;
  const abstractAt = description.indexOf('Abstract:');
  const item: AnnouncedItem = {
    ...idv,
    type: declared as AnnounceType,
    title,
    abstract: abstractAt >= 0 ? description.slice(abstractAt + 9).trim() : '',
    authors: splitAuthors(text(raw['dc:creator'])),
    categories: [...new Set(list(raw.category).map(text).filter(Boolean))],
  };
  const extra = { doi: optional(text(raw['arxiv:DOI'])), journalRef: optional(text(raw['arxiv:journal_reference'])), license: optional(text(raw['dc:rights'])) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (item as unknown as Record<string, string>)[k] = v;
  return item;
}

/** Reads one feed; a body that is not a whole RSS feed throws PaperboyError('upstream') saying what it was. */
export function parseAnnouncement(xml: string, what = 'The arXiv feed'): Announcement {
  const read = readXml(xml, 'rss');
  if ('problem' in read) throw new PaperboyError('upstream', `${what} could not be read: it is ${read.problem}.`);
  const channel = (read.doc.rss as { channel?: Record<string, unknown> } | undefined)?.channel;
  if (!channel || typeof channel !== 'object') throw new PaperboyError('upstream', `${what} could not be read: it has no RSS <channel>.`);
  const pubDate = text(channel.pubDate);
  const out: Announcement = {
    title: text(channel.title),
    skipDays: list((channel.skipDays as { day?: unknown } | undefined)?.day).map(text).filter(Boolean),
    items: [],
    skipped: [],
  };
  const day = rfc822Day(pubDate);
  const announcedAt = iso(pubDate);
  const builtAt = iso(text(channel.lastBuildDate));
  if (day) out.day = day;
  if (announcedAt) out.announcedAt = announcedAt;
  if (builtAt) out.builtAt = builtAt;
  const seen = new Set<string>();
  list(channel.item).forEach((raw, index) => {
    const r = raw && typeof raw === 'object' ? readItem(raw as Record<string, unknown>) : 'not an element';
    if (typeof r === 'string') out.skipped.push({ index, reason: r });
    // A paper in two joined categories (cs.CL+cs.AI) is listed once per category.
    else if (!seen.has(r.id)) {
      seen.add(r.id);
      out.items.push(r);
    }
  });
  return out;
}
