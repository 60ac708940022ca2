/** "More like this" on the real corpus: neighbours by distinctive terms, explained, itself left out. */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoreConfig, silentLogger, type CommandContext, type CoreDeps, type Paper, type Reply } from '../../../src/core/index.ts';
import { parseCommandText, runAction, runCommand } from '../../../src/core/commands/index.ts';
import { PaperIndex } from '../../../src/core/search/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { corpusPapers } from '../../store/postgres-support.ts';

let papers: Paper[];
let index: PaperIndex;
let deps: CoreDeps;
const ctx: CommandContext = { platform: 'shell', user: { platform: 'shell', kind: 'user', id: 'me' }, canManageChannel: false };

beforeAll(() => {
  papers = corpusPapers();
  index = new PaperIndex(papers);
  deps = { store: createMemoryStore(), index, clock: { now: () => new Date('2026-07-01T00:00:00Z') }, logger: silentLogger, config: defaultCoreConfig };
}, 120_000);

/** The whole paper's text (a hit carries only its card, whose abstract is cut to what renderers show). */
const textOf = (card: Paper) => {
  const p = papers.find((x) => x.id === card.id)!;
  return `${p.title} ${p.aiKeywords.join(' ')} ${p.aiSummary ?? ''} ${p.abstract}`.toLowerCase();
};
const cards = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'paper' ? [b] : []));

async function typed(line: string): Promise<Reply> {
  const parsed = parseCommandText(line);
  if ('error' in parsed) throw new Error(JSON.stringify(parsed.error));
  return runCommand(parsed.spec, ctx, parsed.args, deps);
}

describe('more like this (real corpus)', () => {
  it('finds diffusion-transformer papers for 2510.11690, itself excluded, each saying what it shares', () => {
    const r = index.like('2510.11690', { limit: 8 })!;
    expect(r.paper.title).toBe('Diffusion Transformers with Representation Autoencoders');
    expect(r.hits).toHaveLength(8);
    expect(r.hits.map((h) => h.paper.id)).not.toContain('2510.11690');
    for (const h of r.hits) {
      expect(textOf(h.paper)).toMatch(/diffusion|denois/);
      expect(h.matched.length).toBeGreaterThan(0);
      // Every shared term is really in both papers.
      for (const term of h.matched) for (const w of term.split(' ')) expect(textOf(h.paper)).toContain(w);
    }
    const all = r.hits.flatMap((h) => h.matched);
    expect(all).toContain('representation autoencoder');
    expect(all).toContain('diffusion transformer');
  });

  it('gives diffusion papers diffusion neighbours, across the corpus', () => {
    const sources = papers.filter((p) => /\bdiffusion\b/i.test(p.title) && p.aiKeywords.some((k) => /diffusion/i.test(k))).slice(0, 20);
    expect(sources.length).toBe(20);
    let diffusion = 0;
    let total = 0;
    for (const s of sources) {
      const r = index.like(s.id, { limit: 5 })!;
      expect(r.hits.length).toBe(5);
      for (const h of r.hits) {
        total += 1;
        if (/diffusion|denois|score-based/.test(textOf(h.paper))) diffusion += 1;
      }
    }
    expect(diffusion / total).toBeGreaterThanOrEqual(0.9);
  });

  it('breaks ties by the newest listing, and leaves out removed papers', () => {
    const base = papers.find((p) => p.id === '2510.11690')!;
    const copy = (id: string, listedOn: string): Paper => ({ ...base, id, listedOn, title: `${base.title} (copy)` });
    const small = new PaperIndex([...papers.slice(0, 300), base, copy('9999.00001', '2025-01-01'), copy('9999.00002', '2026-03-01'), copy('9999.00003', '2025-06-01')]);
    expect(small.like(base.id, { limit: 3 })!.hits.map((h) => h.paper.id)).toEqual(['9999.00002', '9999.00003', '9999.00001']);
    small.remove(['9999.00002']);
    expect(small.like(base.id, { limit: 2 })!.hits.map((h) => h.paper.id)).toEqual(['9999.00003', '9999.00001']);
    expect(small.like('9999.00002')).toBeUndefined();
  });

  it('/papers like:2510.11690 lists them with what they share; links and versions work too', async () => {
    const r = await typed('/papers like:2510.11690');
    expect(r.ephemeral).toBe(true);
    expect(r.blocks[0]).toEqual({ type: 'header', text: 'More like “Diffusion Transformers with Representation Autoencoders”' });
    const shown = cards(r);
    expect(shown).toHaveLength(defaultCoreConfig.pageSize);
    for (const c of shown) {
      expect(c.hit.shares!.length).toBeGreaterThan(0);
      expect(c.buttons?.map((b) => b.action)).toEqual([{ type: 'save', paperId: c.hit.paper.id }, { type: 'like', paperId: c.hit.paper.id }]);
    }
    const ids = shown.map((c) => c.hit.paper.id);
    for (const alias of ['like: https://huggingface.co/papers/2510.11690', 'like:arXiv:2510.11690v2', 'like:https://arxiv.org/abs/2510.11690v1']) {
      expect(cards(await typed(`/papers ${alias}`)).map((c) => c.hit.paper.id), alias).toEqual(ids);
    }
    // The card's button does the same.
    expect(cards(await runAction({ type: 'like', paperId: '2510.11690' }, ctx, deps)).map((c) => c.hit.paper.id)).toEqual(ids);
  });

  it('answers a malformed or unknown paper clearly', async () => {
    expect(JSON.stringify(await typed('/papers like:banana'))).toContain('is not a paper I can look up');
    expect(JSON.stringify(await typed('/papers like:https://example.com/papers/2510.11690'))).toContain('is not a paper I can look up');
    const unknown = JSON.stringify(await typed('/papers like:1234.56789'));
    expect(unknown).toContain('Paper 1234.56789 is not among the');
  });
});
