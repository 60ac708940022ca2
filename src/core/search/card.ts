/**
 * The compact card the index keeps per paper instead of the whole Paper: what hits render from
 * (src/bots/{discord,slack,shell} and `paperboy search --json`), kept as one JSON string.
 *
 * Only the abstract is cut. Renderers show it only when the AI summary is missing or blank, and
 * then only its first sentence, truncated: Discord the first [.!?] before a space, Slack the first
 * after 20 characters, the terminal the first ". ". So the card keeps the abstract up to the first
 * "." before a space that has 20 characters before it (which ends every renderer's first sentence
 * at or before it), at most up to the first space after CARD_ABSTRACT characters (more than any
 * renderer truncates to); with a non-blank AI summary it keeps none of it. The AI keywords and the
 * publication time, which no renderer shows (a third of a card), are left out (`aiKeywords` reads
 * as []), and so are the links when they are the ones the id gives. Whoever needs the whole paper
 * reads it from the store by id.
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
  const derived = !!links && !links.html && Object.keys(links).length === 3 && derivedLinks(links, p.id);
  // Copied key by key (not spread and `delete`d, which makes a slow dictionary object).
  const card: Record<string, unknown> = {};
  for (const k in p) {
    if ((k === 'links' && derived) || DROPPED.has(k)) continue;
    card[k] = k === 'abstract' ? cardAbstract(p.abstract, p.aiSummary) : p[k as keyof Paper];
  }
  return JSON.stringify(card);
}

const DROPPED = new Set(['aiKeywords', 'publishedAt']);

const at = (url: unknown, base: string, id: string) => typeof url === 'string' && url.length === base.length + id.length && url.startsWith(base) && url.endsWith(id);

/** Whether `links` are those `paperLinks(id)` gives (checked without building them). */
function derivedLinks(links: Paper['links'], id: string): boolean {
  return at(links.hf, 'https://huggingface.co/papers/', id) && at(links.arxiv, 'https://arxiv.org/abs/', id) && at(links.pdf, 'https://arxiv.org/pdf/', id);
}

export function fromCard(card: string): Paper {
  const p = JSON.parse(card) as Paper;
  p.links ??= paperLinks(p.id);
  p.aiKeywords ??= [];
  return p;
}
