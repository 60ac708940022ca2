/**
 * One paper as Paperboy knows it, keyed by its arXiv id whichever source brought it: Hugging Face
 * Daily Papers, arXiv's announcements, or both (fields merged, see merge-paper.ts).
 */
export interface Paper {
  /** Bare arXiv id without version, e.g. `2608.13558`. */
  id: string;
  /** Whitespace collapsed. */
  title: string;
  /** Whitespace collapsed; may hold LaTeX and platform markup characters (escape when rendering). */
  abstract: string;
  /** Visible authors in listed order (hidden ones left out). */
  authors: string[];
  /** ISO timestamp the paper was published on arXiv, when known. */
  publishedAt?: string;
  /** The first day (UTC, `YYYY-MM-DD`) any source listed it. */
  listedOn: string;
  /**
   * The first day each source listed it (arXiv: the announcement day). Absent on papers stored before
   * arXiv was a source: those are Hugging Face's, listed on `listedOn` (see `paperSources`).
   */
  sources?: PaperSources;
  /** arXiv categories, primary first (from the announcement feed or the export API). */
  categories?: string[];
  /** What arXiv says beyond the shared fields. */
  arxiv?: ArxivDetails;
  /** ISO timestamp it was submitted to Daily Papers, when known (newer schema only). */
  submittedAt?: string;
  /** Hugging Face upvotes; 0 for a paper only arXiv listed. */
  upvotes: number;
  aiSummary?: string;
  aiKeywords: string[];
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  thumbnail?: string;
  organization?: string;
  links: PaperLinks;
}

export interface PaperSources {
  hf?: string;
  arxiv?: string;
}

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface ArxivDetails {
  /** Latest version seen (`2` for `v2`). */
  version?: number;
  /** How it was first announced in a followed category (`new` or `cross`), or a later `replace`. */
  announceType?: AnnounceType;
  /** ISO moment of its first announcement (the feed's `pubDate`, about 00:00 US Eastern). */
  announcedAt?: string;
  doi?: string;
  journalRef?: string;
  /** Author's comments: pages, figures, venue. */
  comments?: string;
  license?: string;
}

/** The day each source first listed `p`; old papers without `sources` are Hugging Face's. */
export function paperSources(p: Pick<Paper, 'sources' | 'listedOn'>): PaperSources {
  return p.sources ?? { hf: p.listedOn };
}

/** Whether Hugging Face Daily Papers listed it (upvotes, summary and HF link are then real). */
export function onHuggingFace(p: Pick<Paper, 'sources' | 'listedOn'>): boolean {
  return paperSources(p).hf !== undefined;
}

export interface PaperLinks {
  /** `https://huggingface.co/papers/{id}` */
  hf: string;
  /** `https://arxiv.org/abs/{id}` */
  arxiv: string;
  /** `https://arxiv.org/pdf/{id}` */
  pdf: string;
  /** `https://arxiv.org/html/{id}` where arXiv offers an HTML rendering. */
  html?: string;
}

export const ARXIV_ID = /^\d{4}\.\d{4,5}$/;

export function paperLinks(id: string): PaperLinks {
  return {
    hf: `https://huggingface.co/papers/${id}`,
    arxiv: `https://arxiv.org/abs/${id}`,
    pdf: `https://arxiv.org/pdf/${id}`,
  };
}

/** A paper found by a query or topic, with what made it match. */
export interface PaperHit {
  paper: Paper;
  /** Relevance score from the index (higher is better); only comparable within one query. */
  score: number;
  /** The query terms or topics that matched, for "matched: ..." lines. */
  matched: string[];
  /** For "more like this": what the paper shares with the one asked about, for "shares: ..." lines. */
  shares?: string[];
}
