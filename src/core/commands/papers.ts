import type { Button, Reply, ReplyBlock } from '../model/reply.ts';
import { PaperboyError } from '../model/errors.ts';
import { cleanText, quote } from './destinations.ts';
import type { CommandSpec, CoreDeps } from './spec.ts';
import { QUERY_SYNTAX } from './options.ts';
import { asksForSaved, savedList } from './saved.ts';
import { cardButtons, likeTarget, papersLike } from './like.ts';

/** Discord caps button labels at 80 characters; keep every platform within it. */
const LABEL_MAX = 80;

function label(text: string): string {
  return text.length <= LABEL_MAX ? text : `${text.slice(0, LABEL_MAX - 1)}…`;
}

/** One page (1-based) of `/papers QUERY`: ranked hits, "more", and paging/subscribe buttons. */
export async function searchPapers(rawQuery: string, page: number, deps: CoreDeps): Promise<Reply> {
  const query = cleanText(rawQuery);
  if (!query) throw new PaperboyError('usage', 'Say what to look for, e.g. /papers diffusion models.');
  const like = likeTarget(query);
  if (like !== undefined) return papersLike(like, deps);
  if (query.length > deps.config.maxQueryLength) {
    throw new PaperboyError('limit', `A query can be at most ${deps.config.maxQueryLength} characters long (this one has ${query.length}).`);
  }
  const size = Math.max(1, deps.config.pageSize);
  const p = Number.isInteger(page) && page >= 1 ? page : 1;
  const offset = (p - 1) * size;
  const { hits, total } = deps.index.search(query, { limit: size, offset });
  if (total === 0) {
    const indexed = deps.index.size();
    return {
      ephemeral: true,
      blocks: [
        { type: 'notice', level: 'info', text: `No papers match ${quote(query)}.` },
        {
          type: 'text',
          text:
            indexed === 0
              ? 'No papers are indexed yet; they arrive with the next fetch from Hugging Face.'
              : `Searched ${indexed} papers. Try fewer or broader words, or alternatives such as diffusion | flow matching.`,
        },
      ],
    };
  }
  const pages = Math.ceil(total / size);
  if (hits.length === 0) {
    return { ephemeral: true, blocks: [{ type: 'notice', level: 'warning', text: `There is no page ${p}: ${quote(query)} has ${pages} page${pages === 1 ? '' : 's'} of results.` }] };
  }
  const blocks: ReplyBlock[] = [
    { type: 'header', text: `Papers matching ${quote(query)}` },
    { type: 'text', text: `${offset + 1}–${offset + hits.length} of ${total}, best first (page ${p} of ${pages}).` },
    ...hits.map((hit, i): ReplyBlock => ({ type: 'paper', hit, rank: offset + i + 1, buttons: cardButtons(hit.paper.id) })),
  ];
  const remaining = total - offset - hits.length;
  if (remaining > 0) blocks.push({ type: 'more', count: remaining });
  const buttons: Button[] = [];
  if (p > 1) buttons.push({ label: '‹ Previous', action: { type: 'page', query, page: p - 1 }, style: 'secondary' });
  if (remaining > 0) buttons.push({ label: 'Next ›', action: { type: 'page', query, page: p + 1 }, style: 'secondary' });
  buttons.push({ label: label(`Subscribe to ${query}`), action: { type: 'subscribe', topic: query }, style: 'primary' });
  blocks.push({ type: 'actions', buttons });
  return { ephemeral: true, blocks };
}

export const papers: CommandSpec = {
  command: 'papers',
  description: 'Look up papers (ranked, with links, subscribe); saved: your saved ones; like:ID: papers like one.',
  usage: '/papers QUERY | saved | like:ARXIV_ID',
  options: [
    {
      name: 'query',
      description: QUERY_SYNTAX,
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  run: (ctx, args, deps) => (asksForSaved(String(args.query ?? '')) ? savedList(ctx, 1, deps) : searchPapers(String(args.query ?? ''), 1, deps)),
};
