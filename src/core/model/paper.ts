/** One paper as Paperboy knows it: normalised from a Hugging Face Daily Papers item. */
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
  /** The Daily Papers day (UTC, `YYYY-MM-DD`) it was listed on. */
  listedOn: string;
  /** ISO timestamp it was submitted to Daily Papers, when known (newer schema only). */
  submittedAt?: string;
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

export interface PaperLinks {
  /** `https://huggingface.co/papers/{id}` */
  hf: string;
  /** `https://arxiv.org/abs/{id}` */
  arxiv: string;
  /** `https://arxiv.org/pdf/{id}` */
  pdf: string;
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
}
