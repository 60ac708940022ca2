/**
 * A hit carries the paper's card (card.ts): the abstract cut to what renderers show. Every
 * renderer (Discord embed, Slack blocks, terminal text at several widths, `search --json`) must
 * give exactly what it gives for the whole paper.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper, PaperHit, Reply } from '../../../src/core/index.ts';
import { cardAbstract, fromCard, toCard } from '../../../src/core/search/card.ts';
import { PaperIndex } from '../../../src/core/search/index.ts';
import { paperEmbed } from '../../../src/bots/discord/paper-embed.ts';
import { renderPaper } from '../../../src/bots/slack/render-paper.ts';
import { createRenderer } from '../../../src/bots/shell/render.ts';
import { hitJson } from '../../../src/cli/commands/search.ts';
import { loadCorpus, paper } from './helpers.ts';

let corpus: Paper[] = [];

beforeAll(async () => {
  corpus = await loadCorpus();
}, 120_000);

const shells = [undefined, 40, 80, 200, 600].map((width) => createRenderer({ color: false, links: false, ...(width ? { width } : {}) }));

function renders(p: Paper): unknown[] {
  const hit: PaperHit = { paper: p, score: 1.5, matched: ['diffusion'] };
  const reply: Reply = { ephemeral: true, blocks: [{ type: 'paper', hit, rank: 1 }] };
  return [paperEmbed(hit, 1), renderPaper(hit, 1), hitJson(hit, 1), ...shells.map((r) => r(reply).text)];
}

/** Abstracts that probe each renderer's idea of a first sentence. */
const odd = [
  'e.g. a short start. Then more text follows here.',
  'Dr. Smith and Dr. Jones study transformers in depth. More follows.',
  'We ask why! And then we answer it. Done.',
  'Short. A second sentence that is long enough to count for Slack. Third.',
  'No sentence end at all ' + 'word '.repeat(400),
  'One very long sentence ' + 'word '.repeat(400) + 'ends. Next.',
  'Tabs\tand\u00a0odd  spaces.\u2028Next line.\u00a0After.',
  '   Leading spaces, then a sentence of some length here. Next one.',
  'Version 2.0 is out. It works.',
  '',
];

describe('paper cards', () => {
  it('render exactly as the whole paper, with and without an AI summary', () => {
    const variants = (p: Paper): Paper[] => {
      const { aiSummary: _, ...noSummary } = p;
      return [p, noSummary as Paper, { ...p, aiSummary: '  ' }, { ...p, aiSummary: '' }];
    };
    const papers = [...corpus.slice(0, 1500), ...odd.map((abstract) => paper({ title: 'Odd', abstract }))];
    let cut = 0;
    for (const p of papers) {
      for (const v of variants(p)) {
        const card = fromCard(toCard(v));
        if (card.abstract.length < v.abstract.length) cut++;
        expect(renders(card), v.id).toEqual(renders(v));
      }
    }
    expect(cut).toBeGreaterThan(papers.length * 2);
  }, 120_000);

  it('keep every field but the abstract (a prefix), the AI keywords and the publication time', () => {
    for (const p of corpus.slice(0, 300)) {
      const card = fromCard(toCard({ ...p, aiSummary: undefined }));
      expect(p.abstract.startsWith(card.abstract)).toBe(true);
      expect(card.aiKeywords).toEqual([]);
      expect({ ...card, abstract: p.abstract, aiKeywords: p.aiKeywords, publishedAt: p.publishedAt }).toEqual({ ...p, aiSummary: undefined });
    }
    expect(cardAbstract('A sentence that is longer than twenty. Then more.', undefined)).toBe('A sentence that is longer than twenty.');
    expect(cardAbstract('Anything.', 'An AI summary.')).toBe('');
  });

  it('are what the index returns in its hits', () => {
    const ix = new PaperIndex(corpus.slice(0, 500));
    const hit = ix.search('model', { limit: 1 }).hits[0]!;
    const full = corpus.find((p) => p.id === hit.paper.id)!;
    expect(hit.paper).toEqual(fromCard(toCard(full)));
    expect(renders(hit.paper)).toEqual(renders(full));
  });
});
