/**
 * The compact card the index keeps per paper instead of the whole Paper: what hits render from
 * (src/bots/{discord,slack,shell} and `paperboy search --json`), kept as one JSON string.
 *
 * Only the abstract is cut. Renderers show it only when the AI summary is missing or blank, and
 * then only its first sentence, truncated: Discord the first [.!?] before a space, Slack the first
 * after 20 characters, the terminal the first ". ". So the card keeps the abstract up to the first
 * "." before a space that has 20 characters before it (which ends every renderer's first sentence
 * at or before it), at most up to the first space after CARD_ABSTRACT characters (more than any
 * renderer truncates to); with a non-blank AI summary it keeps none of it. The links are left out
 * when they are the ones the id gives.
 */
import { paperLinks, type Paper } from '../model/paper.ts';

export const CARD_ABSTRACT = 1000;

/** The part of `abstract` the renderers can show, when the summary is `aiSummary`. */
export function cardAbstract(abstract: string, aiSummary: string | undefined): string {
  if (typeof abstract !== 'string') return abstract;
  if (typeof aiSummary === 'string' && aiSummary.trim()) return '';
  let cut = abstract.length;
  const long = /\s/g;
  long.lastIndex = CARD_ABSTRACT;
  const far = long.exec(abstract);
  if (far) cut = far.index;
  const end = /\.\s/g;
  for (let m = end.exec(abstract); m && m.index < cut; m = end.exec(abstract)) {
    if (abstract.slice(0, m.index).replace(/\s+/g, ' ').trimStart().length >= 20) {
      cut = m.index + 1;
      break;
    }
  }
  return abstract.slice(0, cut);
}

export function toCard(p: Paper): string {
  const links = p.links;
  const derived = links && !links.html && Object.keys(links).length === 3 && sameLinks(links, paperLinks(p.id));
  const card: Partial<Paper> = { ...p, abstract: cardAbstract(p.abstract, p.aiSummary) };
  if (derived) delete card.links;
  return JSON.stringify(card);
}

function sameLinks(a: Paper['links'], b: Paper['links']): boolean {
  return a.hf === b.hf && a.arxiv === b.arxiv && a.pdf === b.pdf;
}

export function fromCard(card: string): Paper {
  const p = JSON.parse(card) as Paper;
  p.links ??= paperLinks(p.id);
  return p;
}
