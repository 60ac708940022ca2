import { describe, expect, it } from 'vitest';
import { CATEGORIES, parseAnnouncement, parseApiFeed, splitAuthors } from '../../../../src/core/sources/arxiv/index.ts';
import { arxivFile } from '../../../support/arxiv-stand-in.ts';

const count = (xs: { type: string }[]) => xs.reduce<Record<string, number>>((o, x) => ({ ...o, [x.type]: (o[x.type] ?? 0) + 1 }), {});

describe('arXiv announcement feeds', () => {
  it('reads every item of the real cs.CL day with its announce type, text, authors and categories', () => {
    const a = parseAnnouncement(arxivFile('rss/cs.CL-2026-08-13.xml'));
    expect(a.items).toHaveLength(139);
    expect(a.skipped).toEqual([]);
    expect(count(a.items)).toEqual({ new: 56, cross: 36, replace: 32, 'replace-cross': 15 });
    expect(a.day).toBe('2026-08-13');
    expect(a.announcedAt).toBe('2026-08-13T04:00:00.000Z');
    expect(a.skipDays.sort()).toEqual(['Saturday', 'Sunday']);
    const first = a.items[0]!;
    expect(first).toMatchObject({ id: '2608.11232', version: 1, type: 'new', categories: ['cs.CL', 'cs.AI'], authors: ['Ruoxi Zhao', 'Maziar Raissi'] });
    expect(first.title).toBe('Backtrader-Bench: Benchmarking LLM Agents on Algorithmic Trading with Self-Generated MCQs');
    expect(first.abstract).toMatch(/^Evaluating LLM coding agents in algorithmic trading/);
    expect(first.abstract).not.toMatch(/Announce Type|Abstract:/);
    // A cross-list names its own primary category first.
    expect(a.items.find((i) => i.id === '2608.11215')).toMatchObject({ type: 'cross', categories: ['cs.AI', 'cond-mat.stat-mech', 'cs.CL', 'cs.LG', 'cs.MA', 'physics.soc-ph'] });
    expect(a.items.filter((i) => i.doi)).toHaveLength(7);
    expect(a.items.filter((i) => i.journalRef)).toHaveLength(4);
    expect(new Set(a.items.map((i) => i.license)).size).toBe(6);
    expect(a.items.find((i) => i.doi === '10.18653/v1/2026.findings-eacl.84')?.journalRef).toMatch(/^Findings of the Association for Computational Linguistics: EACL 2026/);
    for (const i of a.items) {
      expect(i.id).toMatch(/^\d{4}\.\d{5}$/);
      expect(i.authors.length).toBeGreaterThan(0);
      expect(i.categories.length).toBeGreaterThan(0);
      // Every category the real feed names is in the taxonomy the `cat:` check uses.
      for (const c of i.categories) expect(CATEGORIES.has(c), c).toBe(true);
    }
    // Replacements carry their new version.
    expect(a.items.filter((i) => i.type.startsWith('replace')).every((i) => i.version >= 2)).toBe(true);
  });

  it('reads the real quant-ph day, affiliations left out of author names', () => {
    const a = parseAnnouncement(arxivFile('rss/quant-ph-2025-04-28.xml'));
    expect(a.items).toHaveLength(81);
    expect(count(a.items)).toEqual({ new: 40, cross: 10, replace: 22, 'replace-cross': 9 });
    expect(a.day).toBe('2025-04-28');
    const nirmal = a.items.find((i) => i.authors[0] === 'M. R. Nirmal');
    expect(nirmal?.authors).toEqual(['M. R. Nirmal', 'Ankit Khandelwal', 'Manoj Nambiar', 'Sharma S. R. K. C. Yamijala']);
    for (const i of a.items) for (const c of i.categories) expect(CATEGORIES.has(c), c).toBe(true);
  });

  it('reads a weekend feed as an announcement with no items', () => {
    const a = parseAnnouncement(arxivFile('rss/cs-weekend-2025-04-27.xml'));
    expect(a).toMatchObject({ title: 'cs updates on arXiv.org', day: '2025-04-27', items: [], skipped: [] });
  });

  it('refuses a truncated feed, an HTML page and a non-feed with a clear error, never a paper', () => {
    const real = arxivFile('rss/cs.CL-2026-08-13.xml');
    expect(() => parseAnnouncement(real.slice(0, real.length / 2))).toThrow(/The arXiv feed could not be read: it is a feed cut off after \d+ characters/);
    expect(() => parseAnnouncement('<!DOCTYPE html><html><title>503</title></html>')).toThrow(/an HTML page/);
    expect(() => parseAnnouncement('')).toThrow(/an empty body/);
    expect(() => parseAnnouncement(real.replace('<title>Backtrader', '<title Backtrader'))).toThrow(/malformed XML at line \d+/);
  });

  it('skips an item without an arXiv id or with an unknown type, saying why, and keeps the rest', () => {
    const real = arxivFile('rss/cs.CL-2026-08-13.xml');
    const broken = real.replace('oai:arXiv.org:2608.11232v1', 'oai:arXiv.org:nonsense').replace('arXiv:2608.11232v1', 'nonsense').replace('<arxiv:announce_type>new</arxiv:announce_type>', '<arxiv:announce_type>new</arxiv:announce_type>');
    const a = parseAnnouncement(broken);
    expect(a.items).toHaveLength(138);
    expect(a.skipped).toEqual([{ index: 0, reason: 'no arXiv id in its guid ("oai:arXiv.org:nonsense")' }]);
  });
});

describe('arXiv authors', () => {
  it('splits commas and "and" outside parentheses', () => {
    expect(splitAuthors('Ada Lovelace, Charles Babbage and Alan Turing')).toEqual(['Ada Lovelace', 'Charles Babbage', 'Alan Turing']);
    expect(splitAuthors('Ada Lovelace, Charles Babbage, and Alan Turing')).toEqual(['Ada Lovelace', 'Charles Babbage', 'Alan Turing']);
    expect(splitAuthors('Grace Hopper (Navy, and Yale), Andrew Anderson')).toEqual(['Grace Hopper', 'Andrew Anderson']);
    expect(splitAuthors('Sandra Andersen')).toEqual(['Sandra Andersen']);
    expect(splitAuthors('')).toEqual([]);
  });
});

describe('arXiv export API', () => {
  it('reads the current format: categories primary first, comments, versions, links', () => {
    const f = parseApiFeed(arxivFile('api/id_list-1706.03762.xml'));
    expect(f.total).toBe(1);
    expect(f.entries[0]).toMatchObject({
      id: '1706.03762', version: 7, title: 'Attention Is All You Need', categories: ['cs.CL', 'cs.LG'], comments: '15 pages, 5 figures',
      publishedAt: '2017-06-12T17:57:34Z', links: { abs: 'https://arxiv.org/abs/1706.03762v7', pdf: 'https://arxiv.org/pdf/1706.03762v7' },
    });
    expect(f.entries[0]!.authors).toHaveLength(8);
    const q = parseApiFeed(arxivFile('query-2025-11.xml'));
    expect(q.entries).toHaveLength(10);
    expect(q.total).toBe(7432);
    expect(q.entries[0]).toMatchObject({ id: 'nucl-ex/0408020', version: 1, categories: ['nucl-ex', 'hep-ph'], links: { abs: 'https://arxiv.org/abs/nucl-ex/0408020v1', pdf: 'https://arxiv.org/pdf/nucl-ex/0408020v1' } });
    const many = parseApiFeed(arxivFile('api/search-testing-100.xml'));
    expect(many.entries).toHaveLength(100);
    expect(many.entries[0]).toMatchObject({ id: '2202.12139', doi: '10.1109/ICSTW55395.2022.00035', journalRef: expect.stringMatching(/^Artificial Intelligence in Software Testing/) });
  });

  it('reads the format before November 2025: hard-wrapped text collapsed, rel/title links', () => {
    const f = parseApiFeed(arxivFile('query-2025-08-oldformat.xml'));
    expect(f.entries).toHaveLength(10);
    expect(f.total).toBe(7370);
    expect(f.entries[0]).toMatchObject({ id: 'astro-ph/9904306', title: 'Improved scenario of baryogenesis', categories: ['astro-ph'], comments: '3 pages LaTeX', links: { abs: 'http://arxiv.org/abs/astro-ph/9904306v1', pdf: 'http://arxiv.org/pdf/astro-ph/9904306v1' } });
    expect(f.entries[1]!.title).toBe('Proton-ring and Electron-linac Collider (PRELC) as a (first) TeV-rangeelectron-proton or photon-proton collider');
    for (const e of f.entries) expect(e.abstract).not.toMatch(/\n/);
  });

  it('reads empty answers as no entries', () => {
    expect(parseApiFeed(arxivFile('api/zero-results.xml'))).toEqual({ total: 0, entries: [] });
    expect(parseApiFeed(arxivFile('query-empty-2025-11.xml'))).toEqual({ total: 0, entries: [] });
  });

  it('turns the error feeds into a clear error, never a paper', () => {
    expect(() => parseApiFeed(arxivFile('api/error-start.xml'))).toThrow('The arXiv export API answered an error: start must be an integer.');
    expect(() => parseApiFeed(arxivFile('api/error-bad-id.xml'))).toThrow('The arXiv export API answered an error: incorrect id format for abc.');
    const real = arxivFile('api/search-testing-100.xml');
    expect(() => parseApiFeed(real.slice(0, 5000))).toThrow(/cut off/);
  });
});

describe('a 2,000-item feed generated from the real ones', () => {
  it('parses every item, each paper once, with the real mix of announce types', async () => {
    const { generatedFeed } = await import('../../../support/arxiv-generated.ts');
    const a = parseAnnouncement(generatedFeed(2000));
    expect(a.items).toHaveLength(2000);
    expect(new Set(a.items.map((i) => i.id)).size).toBe(2000);
    expect(a.skipped).toEqual([]);
    const types = count(a.items);
    expect(types.new! + types.cross! + types.replace! + types['replace-cross']!).toBe(2000);
    expect(types.new).toBeGreaterThan(types.cross!);
  });
});
