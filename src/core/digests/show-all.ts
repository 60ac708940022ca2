/**
 * "Show all K": a digest caps its papers at N; the button opens every paper the digest matched,
 * as a private, paged reply. The list is worked out again from the digest's listing window and
 * the destination's topics (nothing is kept per digest), ranked as the digest ranks them.
 */
import type { CoreDeps } from '../commands/spec.ts';
import type { Action, Digest, Reply, ReplyBlock } from '../model/reply.ts';
import { matchTopics } from '../topics/index.ts';
import { cardButtons } from '../commands/like.ts';
import { listedWithin, mergeHits, rankHits } from './build.ts';

export const SHOW_ALL_PAGE = 10;

export type ShowAllAction = Extract<Action, { type: 'digest' }>;

/** The button of a digest that holds more than it shows. */
export function showAllAction(digest: Digest, page = 1): ShowAllAction {
  return { type: 'digest', key: digest.destination.key, since: Date.parse(digest.since), until: Date.parse(digest.until), page };
}

export async function showAll(action: ShowAllAction, deps: Pick<CoreDeps, 'store'> & { index?: Pick<CoreDeps['index'], 'lexicon'> }): Promise<Reply> {
  const since = new Date(action.since);
  const until = new Date(action.until);
  const dest = Number.isFinite(action.since) && Number.isFinite(action.until) ? await deps.store.getDestination(action.key) : undefined;
  if (!dest) return { ephemeral: true, blocks: [{ type: 'notice', level: 'warning', text: 'That digest is no longer known; run /digest preview for what comes next.' }] };
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const papers = (await deps.store.papersListedBetween(day(since), day(until))).filter((p) => listedWithin(p, since, until));
  const topics = dest.settings.topics;
  const hits = topics.length && papers.length ? rankHits(mergeHits(matchTopics(topics, papers, deps.index?.lexicon), topics)) : [];
  const pages = Math.max(1, Math.ceil(hits.length / SHOW_ALL_PAGE));
  const page = Math.min(Math.max(1, Math.floor(action.page)), pages);
  const from = (page - 1) * SHOW_ALL_PAGE;
  const blocks: ReplyBlock[] = [{ type: 'header', text: `All ${hits.length} paper${hits.length === 1 ? '' : 's'} of this digest · page ${page} of ${pages}` }];
  if (hits.length === 0) blocks.push({ type: 'notice', level: 'info', text: 'None of its papers match the topics any more.' });
  hits.slice(from, from + SHOW_ALL_PAGE).forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: from + i + 1, buttons: cardButtons(hit.paper.id) }));
  const buttons = [];
  if (page > 1) buttons.push({ label: 'Previous page', action: { ...action, page: page - 1 } });
  if (page < pages) buttons.push({ label: 'Next page', action: { ...action, page: page + 1 }, style: 'primary' as const });
  if (buttons.length) blocks.push({ type: 'actions', buttons });
  return { ephemeral: true, blocks };
}
