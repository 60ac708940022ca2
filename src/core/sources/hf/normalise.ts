/** Turns one raw Daily Papers item into a `Paper`, or says why it cannot. */
import { ARXIV_ID, paperLinks, type Paper } from '../../model/paper.ts';
import { hfDailyItemSchema, type HfDailyItem } from './schema.ts';

export type NormaliseResult =
  | { ok: true; paper: Paper }
  /** `id` is the raw id when the item had a readable one. */
  | { ok: false; id?: string; reason: string };

/** Collapses runs of whitespace (the old schema hard-wraps titles and abstracts) and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The canonical arXiv id: `2608.13558` from `2608.13558`, `2608.13558v2`, `arXiv:2608.13558v1`
 * or an `arxiv.org/abs/...` URL. Undefined when it is not a new-style arXiv id.
 */
export function canonicalArxivId(raw: string): string | undefined {
  const m = /^(?:https?:\/\/(?:www\.)?arxiv\.org\/(?:abs|pdf)\/|arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$/i.exec(raw.trim());
  return m?.[1] && ARXIV_ID.test(m[1]) ? m[1] : undefined;
}

/** `http(s)` URLs only: anything else would be an odd link in a chat message. */
function httpUrl(raw: string | undefined): string | undefined {
  const s = raw?.trim();
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function isoTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function nonEmpty(raw: string | undefined): string | undefined {
  const s = raw === undefined ? undefined : collapseWhitespace(raw);
  return s ? s : undefined;
}

/** A short, printable rendering of a raw id for warnings. */
function rawId(item: unknown): string | undefined {
  const id = (item as { paper?: { id?: unknown } } | null)?.paper?.id;
  if (typeof id === 'string') return id.slice(0, 64);
  if (typeof id === 'number') return String(id);
  return undefined;
}

/** Validates and normalises one item; `listedOn` is the Daily Papers day it was requested for. */
export function normaliseItem(item: unknown, listedOn: string): NormaliseResult {
  const parsed = hfDailyItemSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'item';
    return { ok: false, id: rawId(item), reason: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  return fromItem(parsed.data, listedOn);
}

function fromItem(item: HfDailyItem, listedOn: string): NormaliseResult {
  const p = item.paper;
  const id = canonicalArxivId(p.id);
  if (!id) return { ok: false, id: p.id.slice(0, 64), reason: 'paper.id is not an arXiv id' };
  const title = collapseWhitespace(p.title);
  if (!title) return { ok: false, id, reason: 'paper.title is empty' };

  const authors = (p.authors ?? [])
    .filter((a) => a !== null && a.hidden !== true)
    .map((a) => collapseWhitespace(a!.name))
    .filter((n) => n.length > 0);
  const keywords = [...new Set((p.ai_keywords ?? []).map((k) => (k === null ? '' : collapseWhitespace(k))).filter(Boolean))];
  const org = p.organization ?? item.organization ?? item.submitterOrganization;

  const paper: Paper = {
    id,
    title,
    abstract: collapseWhitespace(p.summary ?? item.summary ?? ''),
    authors,
    listedOn,
    upvotes: p.upvotes,
    aiKeywords: keywords,
    links: paperLinks(id),
  };
  const optional: Partial<Paper> = {
    publishedAt: isoTime(p.publishedAt ?? item.publishedAt),
    submittedAt: isoTime(p.submittedOnDailyAt),
    aiSummary: nonEmpty(p.ai_summary),
    githubRepo: httpUrl(p.githubRepo ?? item.githubRepo),
    githubStars: p.githubStars ?? item.githubStars,
    projectPage: httpUrl(p.projectPage ?? item.projectPage),
    thumbnail: httpUrl(item.thumbnail ?? item.mediaUrl),
    organization: nonEmpty(org?.fullname) ?? nonEmpty(org?.name),
  };
  // Absent stays absent (no `key: undefined`), like the API itself.
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (paper as unknown as Record<string, unknown>)[k] = v;
  return { ok: true, paper };
}

export interface SkippedItem {
  /** Position in the list it came from. */
  index: number;
  id?: string;
  reason: string;
}

/**
 * Normalises a day's list: invalid items are returned in `skipped` (never thrown), and a paper
 * listed twice in one list is kept once.
 */
export function normaliseDay(items: readonly unknown[], listedOn: string): { papers: Paper[]; skipped: SkippedItem[] } {
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const r = normaliseItem(item, listedOn);
    if (!r.ok) {
      skipped.push({ index, ...(r.id !== undefined ? { id: r.id } : {}), reason: r.reason });
    } else if (!seen.has(r.paper.id)) {
      seen.add(r.paper.id);
      papers.push(r.paper);
    }
  });
  return { papers, skipped };
}
