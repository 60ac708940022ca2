/** The normaliser on odd and hostile items, built from a real item of the shared data. */
import { describe, expect, it } from 'vitest';
import { canonicalArxivId, collapseWhitespace, normaliseDay, normaliseItem } from '../../../../src/core/sources/index.ts';
import { loadFixtureDays } from '../../../support/hf-stand-in.ts';

const real = loadFixtureDays().get('2026-06-24')![0] as { paper: Record<string, unknown> } & Record<string, unknown>;
const withPaper = (patch: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...structuredClone(real),
  ...top,
  paper: { ...structuredClone(real.paper), ...patch },
});

describe('canonicalArxivId', () => {
  it('strips versions, prefixes and URLs down to the bare id', () => {
    expect(canonicalArxivId('2608.13558')).toBe('2608.13558');
    expect(canonicalArxivId('2608.13558v3')).toBe('2608.13558');
    expect(canonicalArxivId('arXiv:2401.0123v1')).toBe('2401.0123');
    expect(canonicalArxivId(' https://arxiv.org/abs/2401.01234v2 ')).toBe('2401.01234');
  });
  it('refuses what is not a new-style arXiv id', () => {
    for (const bad of ['', 'hep-th/9901001', '2401.123', '24010.12345', '2401.12345v', '../../etc', '2401.12345 extra']) {
      expect(canonicalArxivId(bad)).toBeUndefined();
    }
  });
});

describe('normaliseItem', () => {
  it('collapses every kind of whitespace', () => {
    expect(collapseWhitespace('  A\n  title\twith\u00a0spaces  ')).toBe('A title with spaces');
  });

  it('canonicalises a versioned id and builds the links from it', () => {
    const r = normaliseItem(withPaper({ id: '2606.24597v2' }), '2026-06-24');
    expect(r.ok && r.paper.id).toBe('2606.24597');
    expect(r.ok && r.paper.links.pdf).toBe('https://arxiv.org/pdf/2606.24597');
  });

  it('allows unknown keys, and reads null or wrongly typed optional fields as absent', () => {
    const r = normaliseItem(
      withPaper({ newField: { x: 1 }, ai_summary: null, githubStars: 'many', githubRepo: 42, ai_keywords: ['a', null, 7, ' b '] }, { thumbnail: null }),
      '2026-06-24',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.paper.aiSummary).toBeUndefined();
    expect(r.paper.githubStars).toBeUndefined();
    expect(r.paper.githubRepo).toBeUndefined();
    expect(r.paper.thumbnail).toBeUndefined();
    expect(r.paper.aiKeywords).toEqual(['a', 'b']);
    expect('aiSummary' in r.paper).toBe(false);
  });

  it('drops links that are not http(s), and authors without a name', () => {
    const r = normaliseItem(
      withPaper({ projectPage: 'javascript:alert(1)', githubRepo: ' https://github.com/a/b ', authors: [{ name: 'A' }, { hidden: false }, null, { name: 'B', hidden: true }, { name: ' C\n D ' }] }),
      '2026-06-24',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.paper.projectPage).toBeUndefined();
    expect(r.paper.githubRepo).toBe('https://github.com/a/b');
    expect(r.paper.authors).toEqual(['A', 'C D']);
  });

  it('falls back to the top-level summary, and reads a missing abstract as empty', () => {
    const top = normaliseItem(withPaper({ summary: undefined }, { summary: 'Top\n level' }), '2026-06-24');
    expect(top.ok && top.paper.abstract).toBe('Top level');
    const none = normaliseItem({ paper: { id: '2401.00001', title: 'T', upvotes: 0 } }, '2024-01-02');
    expect(none.ok && none.paper).toMatchObject({ abstract: '', authors: [], aiKeywords: [], listedOn: '2024-01-02', upvotes: 0 });
  });

  it('names the id and the field when a required field is wrong', () => {
    expect(normaliseItem(withPaper({ title: 42 }), 'd')).toMatchObject({ ok: false, id: '2606.24597', reason: expect.stringContaining('paper.title') });
    expect(normaliseItem(withPaper({ upvotes: '12' }), 'd')).toMatchObject({ ok: false, id: '2606.24597', reason: expect.stringContaining('paper.upvotes') });
    expect(normaliseItem(withPaper({ upvotes: -1 }), 'd')).toMatchObject({ ok: false, reason: expect.stringContaining('paper.upvotes') });
    expect(normaliseItem(withPaper({ title: ' \n ' }), 'd')).toMatchObject({ ok: false, id: '2606.24597', reason: 'paper.title is empty' });
    expect(normaliseItem(withPaper({ id: 'not-an-id' }), 'd')).toMatchObject({ ok: false, id: 'not-an-id', reason: expect.stringContaining('arXiv') });
    expect(normaliseItem(withPaper({ id: undefined }), 'd')).toMatchObject({ ok: false, reason: expect.stringContaining('paper.id') });
  });

  it('answers any non-object with a reason, never a throw', () => {
    for (const bad of [null, undefined, 1, 'x', [], { paper: null }, { paper: [] }]) {
      const r = normaliseItem(bad, '2024-01-01');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('normaliseDay', () => {
  it('keeps valid items, lists the skipped ones by index and id, and keeps a repeated paper once', () => {
    const { papers, skipped } = normaliseDay([real, withPaper({ id: '2401.99999', title: 7 }), 'junk', real], '2026-06-24');
    expect(papers.map((p) => p.id)).toEqual(['2606.24597']);
    expect(skipped).toEqual([
      { index: 1, id: '2401.99999', reason: expect.stringContaining('paper.title') },
      { index: 2, reason: expect.any(String) },
    ]);
  });
});
