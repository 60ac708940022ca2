import { describe, expect, it } from 'vitest';
import { canonicalQuery, parseQuery } from '../../../src/core/topics/index.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { closeCategories } from '../../../src/core/sources/arxiv/index.ts';
import { corpusListingsOfCsCl, csClPapers } from '../../support/arxiv-overlap.ts';
import { realPapers } from '../../store/real-papers.ts';

describe('cat: in topics and queries', () => {
  it('reads categories and archives in the taxonomy spelling, several as alternatives', () => {
    expect(parseQuery('LLM agents cat:cs.cl').categories).toEqual(['cs.CL']);
    expect(parseQuery('cat:eess.AS speech cat:cs.SD').categories).toEqual(['cs.SD', 'eess.AS']);
    expect(parseQuery('cat:quant-ph').groups).toEqual([]);
    expect(parseQuery('cat:cond-mat.stat-mech -ising').exclude).toHaveLength(1);
    expect(canonicalQuery(parseQuery('agents cat:cs.CL'))).toBe(canonicalQuery(parseQuery('cat:CS.CL  agents')));
    expect(canonicalQuery(parseQuery('agents cat:cs.CL'))).not.toBe(canonicalQuery(parseQuery('agents')));
  });

  it('refuses an unknown category with the close ones, an excluded one, and cat: alone beside |', () => {
    expect(() => parseQuery('agents cat:cs.CLL')).toThrow('"cs.CLL" is not an arXiv category. Close ones: cs.CL');
    expect(() => parseQuery('cat:robotics')).toThrow(/Close ones: cs\.RO/);
    expect(() => parseQuery('cat:zzzzzzzz')).toThrow(/^"zzzzzzzz" is not an arXiv category\.$/);
    expect(() => parseQuery('agents -cat:cs.CL')).toThrow(/cannot be excluded/);
    expect(() => parseQuery('agents | cat:cs.RO')).toThrow(/cannot stand alone on one side of \|/);
    expect(() => parseQuery('cat:')).toThrow(/needs an arXiv category/);
    expect(closeCategories('cs.cv')).toContain('cs.CV');
    expect(closeCategories('stat-mech')).toContain('cond-mat.stat-mech');
  });

  it('without cat: a query reads Hugging Face papers only; with cat: every paper in those categories', async () => {
    const hfDay = realPapers('2026-06-24');
    const arxiv = csClPapers().filter((p) => p.sources?.arxiv);
    const index = createSearchIndex([...hfDay, ...arxiv]);
    const all = index.search('cat:cs.CL', { limit: 1000 });
    expect(all.total).toBe(92);
    // Primary cs.CL papers rank above cross-lists.
    const firstCross = all.hits.findIndex((h) => h.paper.categories![0] !== 'cs.CL');
    expect(all.hits.slice(firstCross).every((h) => h.paper.categories![0] !== 'cs.CL')).toBe(true);
    expect(all.hits[0]!.matched).toEqual(['cat:cs.CL']);
    const agents = index.search('LLM agents cat:cs.CL', { limit: 1000 });
    expect(agents.total).toBeGreaterThan(3);
    expect(agents.total).toBeLessThan(92);
    expect(agents.hits.every((h) => h.paper.categories!.includes('cs.CL'))).toBe(true);
    // The same words without cat: reach no arXiv-only paper.
    const hfOnly = index.search('LLM agents', { limit: 1000 });
    expect(hfOnly.hits.every((h) => h.paper.sources === undefined)).toBe(true);
    // An archive covers its categories: cs holds cs.CL and every cross-list from cs.AI.
    expect(index.search('cat:cs', { limit: 1000 }).total).toBe(92);
    expect(index.search('cat:cs.AI', { limit: 1000 }).total).toBeGreaterThan(30);
    expect(index.search('cat:cs.CL -benchmark', { limit: 1000 }).total).toBeLessThan(92);
  });

  it('with cat:, Hugging Face papers count once their categories are known', async () => {
    const hf = await corpusListingsOfCsCl();
    const index = createSearchIndex(hf);
    expect(index.search('cat:cs.CL').total).toBe(0);
    const cats = new Map(csClPapers().map((p) => [p.id, p.categories]));
    index.add(hf.map((p) => ({ ...p, categories: cats.get(p.id)! })));
    expect(index.search('cat:cs.CL', { limit: 100 }).total).toBe(14);
  });
});
