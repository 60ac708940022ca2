/**
 * One paper, two sources: a copy from Hugging Face or arXiv merges into the stored paper field by
 * field, so neither source erases what only the other knows. Both stores use this one function.
 */
import { paperSources, type Paper, type PaperSources } from './paper.ts';

/** Fields only Hugging Face knows: refreshed from a Hugging Face copy, kept from any other. */
const HF_FIELDS = ['upvotes', 'aiSummary', 'aiKeywords', 'githubRepo', 'githubStars', 'projectPage', 'thumbnail', 'organization'] as const;

const earliest = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a <= b ? a : b;

/** A stored paper before either source carried `sources` merges as before: the earliest listing day and its submission time stay. */
function keepEarliest(old: Paper, next: Paper): Paper {
  if (next.listedOn <= old.listedOn) return next;
  const merged: Paper = { ...next, listedOn: old.listedOn };
  if (old.submittedAt !== undefined) merged.submittedAt = old.submittedAt;
  else delete merged.submittedAt;
  return merged;
}

function set<K extends keyof Paper>(p: Paper, key: K, value: Paper[K] | undefined): void {
  if (value === undefined) delete p[key];
  else p[key] = value;
}

/**
 * `next` merged into `old`. A copy without `sources` is Hugging Face's listing of `listedOn`; a copy
 * with `sources: {}` lists nothing (an arXiv replacement: a new version of a known paper).
 */
export function mergePaper(old: Paper | undefined, next: Paper): Paper {
  if (!old) return next;
  if (old.sources === undefined && next.sources === undefined) return keepEarliest(old, next);
  const was = paperSources(old);
  const now = paperSources(next);
  const sources: PaperSources = {};
  const hf = earliest(was.hf, now.hf);
  const arxiv = earliest(was.arxiv, now.arxiv);
  if (hf !== undefined) sources.hf = hf;
  if (arxiv !== undefined) sources.arxiv = arxiv;

  const merged: Paper = { ...old, links: { ...old.links } };
  // Text and authors: the newer copy (a new arXiv version, a corrected listing), when it has them.
  if (next.title) merged.title = next.title;
  if (next.abstract) merged.abstract = next.abstract;
  if (next.authors.length) merged.authors = next.authors;
  set(merged, 'publishedAt', old.publishedAt ?? next.publishedAt);
  if (now.hf !== undefined) {
    for (const k of HF_FIELDS) set(merged, k, next[k] as never);
    // The submission time belongs to the first Hugging Face listing.
    set(merged, 'submittedAt', was.hf === undefined || now.hf <= was.hf ? next.submittedAt : old.submittedAt);
    merged.links.hf = next.links.hf;
  }
  if (next.categories?.length) merged.categories = next.categories;
  if (next.arxiv) {
    const a = { ...old.arxiv, ...next.arxiv };
    const first = old.arxiv?.announceType;
    if (first === 'new' || first === 'cross') a.announceType = first;
    const at = earliest(old.arxiv?.announcedAt, next.arxiv.announcedAt);
    if (at !== undefined) a.announcedAt = at;
    if (old.arxiv?.version !== undefined && next.arxiv.version !== undefined) a.version = Math.max(old.arxiv.version, next.arxiv.version);
    merged.arxiv = a;
  }
  if (next.links.html) merged.links.html = next.links.html;
  merged.sources = sources;
  const days = [sources.hf, sources.arxiv].filter((d): d is string => d !== undefined).sort();
  merged.listedOn = days[0] ?? (old.listedOn <= next.listedOn ? old.listedOn : next.listedOn);
  return merged;
}
