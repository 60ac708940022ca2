import { beforeAll, describe, expect, it } from 'vitest';
import { findCommand, runAction, runCommand } from '../../../src/core/commands/index.ts';
import { replyText, type Button } from '../../../src/core/model/index.ts';
import { blocksOf, noticeOf, typed } from './run-text.ts';
import { ctxOf, makeDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
const alice = ctxOf('alice');

beforeAll(async () => {
  deps = await makeDeps(['2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26'], { pageSize: 3 });
});

function buttons(r: Awaited<ReturnType<typeof typed>>): Button[] {
  return blocksOf(r, 'actions').flatMap((a) => a.buttons);
}

describe('/papers', () => {
  it('lists ranked hits with matched terms, how many more, and next/subscribe buttons', async () => {
    const direct = deps.index.search('agents', { limit: 1000 });
    expect(direct.total).toBeGreaterThan(6);
    const r = await typed('/papers agents', alice, deps);
    expect(blocksOf(r, 'header')[0]!.text).toContain('agents');
    const papers = blocksOf(r, 'paper');
    expect(papers.map((p) => p.rank)).toEqual([1, 2, 3]);
    expect(papers.map((p) => p.hit.paper.id)).toEqual(direct.hits.slice(0, 3).map((h) => h.paper.id));
    for (const p of papers) expect(p.hit.matched.length).toBeGreaterThan(0);
    expect(blocksOf(r, 'more')[0]!.count).toBe(direct.total - 3);
    const b = buttons(r);
    expect(b.map((x) => x.action)).toEqual([
      { type: 'page', query: 'agents', page: 2 },
      { type: 'subscribe', topic: 'agents' },
    ]);
    expect(b[1]!.label).toBe('Subscribe to agents');
  });

  it('pages through results with the page action, down to the last page', async () => {
    const total = deps.index.search('agents', { limit: 1000 }).total;
    const pages = Math.ceil(total / 3);
    const p2 = await runAction({ type: 'page', query: 'agents', page: 2 }, alice, deps);
    expect(blocksOf(p2, 'paper').map((p) => p.rank)).toEqual([4, 5, 6]);
    expect(buttons(p2).map((x) => x.action)).toEqual([
      { type: 'page', query: 'agents', page: 1 },
      { type: 'page', query: 'agents', page: 3 },
      { type: 'subscribe', topic: 'agents' },
    ]);
    const last = await runAction({ type: 'page', query: 'agents', page: pages }, alice, deps);
    expect(blocksOf(last, 'paper').at(-1)!.rank).toBe(total);
    expect(blocksOf(last, 'more')).toHaveLength(0);
    expect(buttons(last).some((x) => x.label.startsWith('Next'))).toBe(false);
    const beyond = await runAction({ type: 'page', query: 'agents', page: pages + 5 }, alice, deps);
    expect(noticeOf(beyond)).toMatch(new RegExp(`no page ${pages + 5}.*${pages} pages`));
  });

  it('says so helpfully when nothing matches', async () => {
    const r = await typed('/papers zyzzyvaquux', alice, deps);
    expect(noticeOf(r)).toBe('info: No papers match “zyzzyvaquux”.');
    expect(replyText(r)).toMatch(/Searched \d+ papers/);
    expect(blocksOf(r, 'actions')).toHaveLength(0);
  });

  it('answers a malformed query with the parser’s message, and an overlong one with the cap', async () => {
    const bad = await typed('/papers "diffusion models', alice, deps);
    expect(noticeOf(bad)).toMatch(/^error: .*quote/i);
    const long = await typed(`/papers ${'a'.repeat(deps.config.maxQueryLength + 1)}`, alice, deps);
    expect(noticeOf(long)).toMatch(/too long: at most 200 characters/);
    const missing = await runCommand(findCommand('papers')!, alice, { query: '   ' }, deps);
    expect(noticeOf(missing)).toBe('error: Missing QUERY.');
    expect(replyText(missing)).toContain('Usage: /papers QUERY');
  });

  it('subscribes the presser, not the searcher, with the subscribe button', async () => {
    const bob = ctxOf('bob', { channel: null });
    const r = await runAction({ type: 'subscribe', topic: 'world models' }, bob, deps);
    expect(noticeOf(r)).toMatch(/^success: Added “world models”/);
    const again = await runAction({ type: 'subscribe', topic: 'World Models' }, bob, deps);
    expect(noticeOf(again)).toMatch(/^info: You follow “World Models” already/);
    expect(replyText(await typed('/topics list', bob, deps))).toContain('world models');
    expect(replyText(await typed('/topics list', alice, deps))).not.toContain('world models');
  });

  it('keeps button labels within 80 characters for long queries', async () => {
    const q = 'agents | diffusion | "world model" | transformers | reinforcement learning | benchmarks';
    const r = await typed(`/papers ${q}`, alice, deps);
    const sub = buttons(r).find((b) => b.action.type === 'subscribe')!;
    expect(sub.action).toEqual({ type: 'subscribe', topic: q });
    expect(sub.label).toHaveLength(80);
    expect(sub.label.endsWith('…')).toBe(true);
  });

  it('turns an unknown button into a notice, not an exception', async () => {
    const r = await runAction({ type: 'explode' } as never, alice, deps);
    expect(noticeOf(r)).toMatch(/^warning: That button is no longer supported/);
  });
});
