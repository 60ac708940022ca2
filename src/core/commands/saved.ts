/**
 * Saved papers: the Save button on every card keeps a paper in the presser's own list, and
 * `/papers saved` pages through it with a Remove button per paper. The list is keyed by the
 * presser's personal destination key, so nobody can read or change another person's.
 */
import { destinationKey } from '../model/destination.ts';
import { PaperboyError } from '../model/errors.ts';
import type { Paper, PaperHit } from '../model/paper.ts';
import type { Button, Reply, ReplyBlock } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import { quote } from './destinations.ts';
import type { CommandContext, CoreDeps } from './spec.ts';

/** `/papers saved` (any case, nothing else): the saved list instead of a search for the word. */
export function asksForSaved(query: string): boolean {
  return /^saved$/i.test(query.trim());
}

/** The Save button shown with a paper card. */
export function saveButton(paperId: string): Button {
  return { label: 'Save', action: { type: 'save', paperId }, style: 'secondary' };
}

function titleOf(p: Paper | undefined, id: string): string {
  return p?.title?.trim() ? quote(p.title.trim()) : `paper ${id}`;
}

export async function savePaper(ctx: CommandContext, paperId: string, deps: CoreDeps): Promise<Reply> {
  const id = String(paperId ?? '').trim();
  const paper = id ? await deps.store.getPaper(id) : undefined;
  if (!paper) throw new PaperboyError('not_found', 'That paper is not in the index any more, so it cannot be saved.');
  const max = deps.config.maxSavedPerUser;
  const { result, count } = await deps.store.savePaper(destinationKey(ctx.user), id, deps.clock.now().toISOString(), max);
  if (result === 'full') {
    throw new PaperboyError('limit', `You have saved ${count} papers, the most allowed (${max}). Remove some with /papers saved first.`);
  }
  if (result === 'already') return reply.notice('info', `${titleOf(paper, id)} is in your saved papers already. See them with /papers saved.`);
  return reply.of([
    { type: 'notice', level: 'success', text: `Saved ${titleOf(paper, id)} (${count} saved). Only you can see your list: /papers saved.` },
  ]);
}

/** Page `page` (1-based) of the caller's saved papers, newest first, each with a Remove button. */
export async function savedList(ctx: CommandContext, page: number, deps: CoreDeps, lead: ReplyBlock[] = []): Promise<Reply> {
  const size = Math.max(1, deps.config.pageSize);
  const key = destinationKey(ctx.user);
  let p = Number.isInteger(page) && page >= 1 ? page : 1;
  let { items, total } = await deps.store.savedPapers(key, { offset: (p - 1) * size, limit: size });
  // Removing the last paper of the last page shows the page before it.
  if (items.length === 0 && total > 0) {
    p = Math.ceil(total / size);
    ({ items, total } = await deps.store.savedPapers(key, { offset: (p - 1) * size, limit: size }));
  }
  if (total === 0) {
    return reply.of([
      ...lead,
      { type: 'notice', level: 'info', text: 'You have no saved papers yet.' },
      { type: 'text', text: 'Press Save under a paper in a digest or a /papers lookup to keep it here.' },
    ]);
  }
  const offset = (p - 1) * size;
  const pages = Math.ceil(total / size);
  const blocks: ReplyBlock[] = [
    ...lead,
    { type: 'header', text: 'Your saved papers' },
    { type: 'text', text: `${offset + 1}–${offset + items.length} of ${total}, newest first (page ${p} of ${pages}). Only you see this list.` },
  ];
  const papers = await Promise.all(items.map((s) => deps.store.getPaper(s.paperId)));
  items.forEach((s, i) => {
    const paper = papers[i];
    const remove: Button = { label: 'Remove', action: { type: 'unsave', paperId: s.paperId, page: p }, style: 'secondary' };
    if (paper) {
      const hit: PaperHit = { paper, score: 0, matched: [] };
      blocks.push({ type: 'paper', hit, rank: offset + i + 1, buttons: [remove] });
    } else {
      // Papers are never deleted; should one be missing, the entry still shows and can be removed.
      blocks.push({ type: 'text', text: `${offset + i + 1}. arXiv ${s.paperId} (no longer in the index)` }, { type: 'actions', buttons: [remove] });
    }
  });
  const buttons: Button[] = [];
  if (p > 1) buttons.push({ label: '‹ Previous', action: { type: 'saved', page: p - 1 }, style: 'secondary' });
  if (p < pages) buttons.push({ label: 'Next ›', action: { type: 'saved', page: p + 1 }, style: 'secondary' });
  if (buttons.length > 0) blocks.push({ type: 'actions', buttons });
  return { ephemeral: true, blocks };
}

export async function unsavePaper(ctx: CommandContext, paperId: string, page: number, deps: CoreDeps): Promise<Reply> {
  const id = String(paperId ?? '').trim();
  const removed = id ? await deps.store.unsavePaper(destinationKey(ctx.user), id) : false;
  const paper = removed ? await deps.store.getPaper(id) : undefined;
  const lead: ReplyBlock = removed
    ? { type: 'notice', level: 'success', text: `Removed ${titleOf(paper, id)} from your saved papers.` }
    : { type: 'notice', level: 'info', text: 'That paper was not in your saved papers (any more).' };
  return savedList(ctx, page, deps, [lead]);
}
