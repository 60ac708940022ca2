/** What every renderer shows the same way for papers from either source. */
import { onHuggingFace, type Paper } from './paper.ts';

/** The comment is shown when it is short ("12 pages, EMNLP 2026"), not a paragraph. */
export const SHORT_COMMENT = 120;

/** Where the title links: the Hugging Face page of a paper listed there, else its arXiv abstract. */
export function paperUrl(p: Paper): string {
  return onHuggingFace(p) ? p.links.hf : p.links.arxiv;
}

/** Hugging Face upvotes, only for papers Hugging Face listed (an arXiv-only paper has none to show). */
export function upvotesOf(p: Paper): number | undefined {
  return onHuggingFace(p) ? p.upvotes : undefined;
}

/**
 * The arXiv line of a card: the primary category, or "cross-list from X" for a cross-listed
 * paper, then the author's comment when short. Undefined when arXiv told us nothing.
 */
export function arxivLine(p: Paper): string | undefined {
  const primary = p.categories?.[0];
  const parts: string[] = [];
  const type = p.arxiv?.announceType;
  if (primary) parts.push(type === 'cross' || type === 'replace-cross' ? `cross-list from ${primary}` : primary);
  const comment = p.arxiv?.comments?.replace(/\s+/g, ' ').trim();
  if (comment && comment.length <= SHORT_COMMENT) parts.push(comment);
  return parts.length ? parts.join(' · ') : undefined;
}
