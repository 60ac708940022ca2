/** Saved papers in the core: `/papers saved`, the Save and Remove buttons, caps and paging. */
import { describe, expect, it } from 'vitest';
import { findCommand, runAction, runCommand } from '../../../src/core/commands/index.ts';
import { replyText, type Reply } from '../../../src/core/index.ts';
import { ctxOf, loadDay, makeDeps } from './support.ts';

const papers = loadDay('2026-06-24');
const papersSpec = findCommand('papers')!;
const cards = (r: Reply) => r.blocks.filter((b) => b.type === 'paper');

describe('saved papers', () => {
  it('gives every lookup card a Save button for its own paper', async () => {
    const deps = await makeDeps(['2026-06-24']);
    const r = await runCommand(papersSpec, ctxOf('ada'), { query: 'model' }, deps);
    const list = cards(r);
    expect(list.length).toBeGreaterThan(0);
    for (const c of list) {
      expect(c.type === 'paper' && c.buttons).toContainEqual({ label: 'Save', action: { type: 'save', paperId: c.type === 'paper' ? c.hit.paper.id : '' }, style: 'secondary' });
    }
  });

  it('pages the list newest first, moves back a page when the last one empties, and keeps people apart', async () => {
    const deps = await makeDeps(['2026-06-24'], { pageSize: 2 });
    for (let i = 0; i < 5; i++) {
      deps.setNow(`2026-06-26T12:0${i}:00Z`);
      await runAction({ type: 'save', paperId: papers[i]!.id }, ctxOf('ada'), deps);
    }
    const first = await runCommand(papersSpec, ctxOf('ada'), { query: 'SAVED ' }, deps);
    expect(first.ephemeral).toBe(true);
    expect(cards(first).map((c) => c.type === 'paper' && c.hit.paper.id)).toEqual([papers[4]!.id, papers[3]!.id]);
    expect(replyText(first)).toContain('1–2 of 5, newest first (page 1 of 3)');
    const last = await runAction({ type: 'saved', page: 3 }, ctxOf('ada'), deps);
    expect(cards(last).map((c) => c.type === 'paper' && c.hit.paper.id)).toEqual([papers[0]!.id]);
    const removed = await runAction({ type: 'unsave', paperId: papers[0]!.id, page: 3 }, ctxOf('ada'), deps);
    expect(replyText(removed)).toContain('Removed');
    expect(replyText(removed)).toContain('(page 2 of 2)');
    // Bob's list is his own, and his Remove cannot touch Ada's papers.
    expect(replyText(await runCommand(papersSpec, ctxOf('bob'), { query: 'saved' }, deps))).toContain('You have no saved papers yet');
    expect(replyText(await runAction({ type: 'unsave', paperId: papers[4]!.id, page: 1 }, ctxOf('bob'), deps))).toContain('was not in your saved papers');
    expect((await deps.store.savedPapers('shell:user:ada', { offset: 0, limit: 10 })).total).toBe(4);
  });

  it('says when the list is full or the paper unknown, and searches the word itself when quoted', async () => {
    const deps = await makeDeps(['2026-06-24'], { maxSavedPerUser: 2 });
    await runAction({ type: 'save', paperId: papers[0]!.id }, ctxOf('ada'), deps);
    await runAction({ type: 'save', paperId: papers[1]!.id }, ctxOf('ada'), deps);
    expect(replyText(await runAction({ type: 'save', paperId: papers[1]!.id }, ctxOf('ada'), deps))).toContain('already');
    const full = await runAction({ type: 'save', paperId: papers[2]!.id }, ctxOf('ada'), deps);
    expect(full.blocks[0]).toMatchObject({ type: 'notice', level: 'warning' });
    expect(replyText(full)).toContain('the most allowed (2)');
    expect(replyText(await runAction({ type: 'save', paperId: '2699.00000' }, ctxOf('ada'), deps))).toContain('not in the index');
    const quoted = await runCommand(papersSpec, ctxOf('ada'), { query: '"saved"' }, deps);
    expect(replyText(quoted)).not.toContain('Your saved papers');
  });
});
