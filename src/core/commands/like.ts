/** `/papers like:ID` and the "More like this" button: the stored papers closest to one paper. */
import { PaperboyError } from '../model/errors.ts';
import { ARXIV_ID } from '../model/paper.ts';
import type { Button, Reply, ReplyBlock } from '../model/reply.ts';
import { saveButton } from './saved.ts';
import type { CoreDeps } from './spec.ts';

export function likeButton(paperId: string): Button {
  return { label: 'More like this', action: { type: 'like', paperId }, style: 'secondary' };
}

/** The buttons on every paper card of a lookup or digest. */
export function cardButtons(paperId: string): Button[] {
  return [saveButton(paperId), likeButton(paperId)];
}

/** `like:2510.11690` (any case, spaces allowed after the colon) -> `2510.11690`; else undefined. */
export function likeTarget(query: string): string | undefined {
  return /^like:\s*(\S.*)$/i.exec(query.trim())?.[1]?.trim();
}

const HOW = 'Give an arXiv id such as 2510.11690, or a paper link such as https://huggingface.co/papers/2510.11690.';

/** An arXiv id (with or without `arXiv:` and a version) or a Hugging Face / arXiv paper link -> the bare id. */
export function paperIdOf(text: string): string {
  const t = text.trim().replace(/^<|>$/g, '');
  const fromUrl = /^https?:\/\/(?:www\.)?(?:huggingface\.co\/papers|arxiv\.org\/(?:abs|pdf))\/([^/?#\s]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i.exec(t)?.[1];
  const bare = (fromUrl ?? t.replace(/^arxiv:\s*/i, '')).replace(/v\d+$/i, '');
  if (!ARXIV_ID.test(bare)) throw new PaperboyError('usage', `"${t.slice(0, 80)}" is not a paper I can look up. ${HOW}`);
  return bare;
}

export async function papersLike(raw: string, deps: CoreDeps): Promise<Reply> {
  const id = paperIdOf(raw);
  const limit = Math.max(1, deps.config.pageSize);
  const found = deps.index.like?.(id, { limit });
  if (!found) {
    if (!deps.index.like) return { ephemeral: true, blocks: [{ type: 'notice', level: 'warning', text: '"More like this" is not available with this search index.' }] };
    return {
      ephemeral: true,
      blocks: [
        { type: 'notice', level: 'info', text: `Paper ${id} is not among the ${deps.index.size()} stored papers, so I cannot tell what is like it.` },
        { type: 'text', text: 'Papers arrive with the daily fetch from Hugging Face; look for its subject with /papers QUERY meanwhile.' },
      ],
    };
  }
  const title = found.paper.title.length > 120 ? `${found.paper.title.slice(0, 119)}…` : found.paper.title;
  if (found.hits.length === 0) {
    return { ephemeral: true, blocks: [{ type: 'notice', level: 'info', text: `No stored paper shares enough with “${title}” (${id}).` }] };
  }
  const blocks: ReplyBlock[] = [
    { type: 'header', text: `More like “${title}”` },
    {
      type: 'text',
      text: `The ${found.hits.length} stored papers closest to ${id} by its most distinctive terms (${found.terms.slice(0, 6).join(', ')}), closest first.`,
    },
    ...found.hits.map((h, i): ReplyBlock => ({ type: 'paper', hit: { paper: h.paper, score: h.score, matched: [], shares: h.matched }, rank: i + 1, buttons: cardButtons(h.paper.id) })),
  ];
  return { ephemeral: true, blocks };
}
