import { describe, expect, it } from 'vitest';
import { mergePaper, paperSources, type Paper } from '../../../../src/core/model/index.ts';
import { createMemoryStore } from '../../../../src/store/index.ts';
import { corpusListingsOfCsCl, csClPapers, CS_CL_DAY } from '../../../support/arxiv-overlap.ts';

describe('one paper, two sources (the real cs.CL day and the corpus)', () => {
  it('merges fields whichever source comes first, and remembers each source with its day', async () => {
    const hf = await corpusListingsOfCsCl();
    expect(hf).toHaveLength(15);
    expect(new Set(hf.map((p) => p.id)).size).toBe(14);
    const arxiv = new Map(csClPapers().map((p) => [p.id, p]));
    const later = hf.find((p) => p.id === '2608.11994')!; // on Daily Papers on 2026-08-17, cross-listed on arXiv on 08-13
    const fromArxiv = arxiv.get('2608.11994')!;
    const a = mergePaper(mergePaper(undefined, fromArxiv), later);
    const b = mergePaper(mergePaper(undefined, later), fromArxiv);
    for (const m of [a, b]) {
      expect(m.sources).toEqual({ arxiv: CS_CL_DAY, hf: '2026-08-17' });
      expect(m.listedOn).toBe(CS_CL_DAY);
      expect(m.upvotes).toBe(later.upvotes);
      expect(m.aiSummary).toBe(later.aiSummary);
      expect(m.categories).toEqual(fromArxiv.categories);
      expect(m.arxiv).toMatchObject({ announceType: 'cross', version: fromArxiv.arxiv!.version, announcedAt: '2026-08-13T04:00:00.000Z' });
      expect(m.links.hf).toBe(later.links.hf);
    }
    expect(a).toEqual(b);
  });

  it('a replacement updates a stored paper without listing it, and lists nothing it did not know', async () => {
    const hf = await corpusListingsOfCsCl();
    const old = hf.find((p) => p.id === '2607.27652')!; // on Daily Papers 2026-07-31, replaced on 08-13
    const replaced = csClPapers().find((p) => p.id === old.id)!;
    expect(replaced.sources).toEqual({});
    const m = mergePaper(old, replaced);
    expect(paperSources(m)).toEqual({ hf: '2026-07-31' });
    expect(m.listedOn).toBe('2026-07-31');
    expect(m.upvotes).toBe(old.upvotes);
    expect(m.arxiv?.version).toBe(replaced.arxiv!.version);
    expect(m.categories).toEqual(replaced.categories);
  });

  it('the store finds a merged paper by either source day and keeps every field', async () => {
    const store = createMemoryStore();
    const arxiv = csClPapers().filter((p) => p.sources?.arxiv);
    expect(arxiv).toHaveLength(92);
    await store.upsertPapers(arxiv);
    const hf = await corpusListingsOfCsCl();
    // The 6 papers Daily Papers listed that arXiv only replaced that day are new to the store.
    const r = await store.upsertPapers(hf);
    expect(r.added).toBe(6);
    const on17 = await store.papersListedBetween('2026-08-17', '2026-08-17');
    expect(on17.map((p) => p.id)).toEqual(['2608.11994']);
    const on13 = (await store.papersListedBetween(CS_CL_DAY, CS_CL_DAY)).map((p) => p.id);
    expect(on13).toHaveLength(92);
    const twice = (await store.getPaper('2608.12313')) as Paper;
    expect(twice.sources).toEqual({ arxiv: CS_CL_DAY, hf: CS_CL_DAY });
    expect(twice.upvotes).toBe(27); // the later listing refreshes upvotes
  });
});
