/** Every real item of the shared data parses and normalises, with the facts the data README measured. */
import { beforeAll, describe, expect, it } from 'vitest';
import { paperLinks, type Paper } from '../../../../src/core/model/paper.ts';
import { normaliseDay, normaliseItem } from '../../../../src/core/sources/index.ts';
import { loadCorpusDays, loadFixtureDays } from '../../../support/hf-stand-in.ts';

type Raw = {
  title?: string;
  thumbnail?: string;
  mediaUrl?: string;
  organization?: unknown;
  submitterOrganization?: unknown;
  paper: {
    id: string;
    title: string;
    summary: string;
    upvotes: number;
    authors: { name: string; hidden?: boolean }[];
    submittedOnDailyAt?: string;
    githubRepo?: string;
    githubStars?: number;
    projectPage?: string;
    ai_summary?: string;
    ai_keywords?: string[];
    organization?: unknown;
  };
};

interface Row {
  date: string;
  raw: Raw;
  paper: Paper;
}

function normaliseAll(days: Map<string, unknown[]>): { rows: Row[]; failures: unknown[] } {
  const rows: Row[] = [];
  const failures: unknown[] = [];
  for (const [date, items] of days) {
    for (const item of items) {
      const r = normaliseItem(item, date);
      if (r.ok) rows.push({ date, raw: item as Raw, paper: r.paper });
      else failures.push({ date, ...r });
    }
  }
  return { rows, failures };
}

describe('the corpus (9,581 items, 558 days)', () => {
  let rows: Row[];
  beforeAll(() => {
    const { rows: r, failures } = normaliseAll(loadCorpusDays());
    expect(failures).toEqual([]);
    rows = r;
  }, 120_000); // the whole corpus, on a shared two-core machine

  it('normalises every item, with ids equal to the raw bare arXiv ids', () => {
    expect(rows).toHaveLength(9581);
    for (const { raw, paper } of rows) expect(paper.id).toBe(raw.paper.id);
    expect(rows.every(({ paper }) => /^\d{4}\.\d{4,5}$/.test(paper.id))).toBe(true);
    expect(new Set(rows.map((r) => r.paper.id)).size).toBe(9577);
    expect(new Set(rows.map((r) => r.date)).size).toBe(558);
  });

  it('collapses whitespace in every title and abstract', () => {
    expect(rows.filter((r) => r.raw.paper.title.includes('\n')).length).toBeGreaterThan(2000);
    for (const { paper } of rows) {
      expect(paper.title).not.toMatch(/\n|\s{2}|^\s|\s$/);
      expect(paper.abstract).not.toMatch(/\n|\s{2}|^\s|\s$/);
      expect(paper.title.length).toBeGreaterThan(0);
    }
    const conv = rows.find((r) => r.paper.id === '2405.15738')!.paper;
    expect(conv.title).toBe('ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models');
  });

  it('keeps LaTeX and markup characters of abstracts as text (escaping is the renderer\'s job)', () => {
    expect(rows.some((r) => r.paper.abstract.includes('$'))).toBe(true);
    expect(rows.some((r) => /[*_~<>&`]/.test(r.paper.abstract))).toBe(true);
  });

  it('drops hidden authors and keeps the visible ones in order', () => {
    let hidden = 0;
    for (const { raw, paper } of rows) {
      const visible = raw.paper.authors.filter((a) => !a.hidden).map((a) => a.name.replace(/\s+/g, ' ').trim());
      hidden += raw.paper.authors.length - visible.length;
      expect(paper.authors).toEqual(visible);
    }
    expect(hidden).toBe(28);
    const p = rows.find((r) => r.paper.id === '2406.06263')!.paper;
    expect(p.authors).not.toContain('Amir Hossein Kargaran');
  });

  it('takes upvotes from paper, listedOn from the requested day, submittedAt on that same UTC day', () => {
    let submitted = 0;
    for (const { date, raw, paper } of rows) {
      expect(paper.upvotes).toBe(raw.paper.upvotes);
      expect(paper.listedOn).toBe(date);
      expect(paper.links).toEqual(paperLinks(paper.id));
      expect(paper.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      if (raw.paper.submittedOnDailyAt) {
        submitted++;
        expect(paper.submittedAt?.slice(0, 10)).toBe(date);
      } else expect(paper.submittedAt).toBeUndefined();
    }
    expect(submitted).toBe(7077);
  });

  it('carries every optional field the raw item has, and none it lacks', () => {
    const count = (f: (r: Row) => unknown) => rows.filter((r) => f(r) !== undefined).length;
    expect(count((r) => r.paper.githubRepo)).toBe(count((r) => r.raw.paper.githubRepo));
    expect(count((r) => r.paper.githubRepo)).toBe(3692);
    expect(count((r) => r.paper.githubStars)).toBe(2962);
    expect(count((r) => r.paper.projectPage)).toBe(2863);
    expect(count((r) => r.paper.aiSummary)).toBe(5715);
    // 6,329 items have ai_keywords, 15 of them only `[""]`: blank keywords are dropped.
    expect(rows.filter((r) => r.raw.paper.ai_keywords)).toHaveLength(6329);
    expect(rows.filter((r) => r.paper.aiKeywords.length > 0)).toHaveLength(6314);
    expect(rows.every((r) => r.paper.aiKeywords.every((k) => k.trim() === k && k.length > 0))).toBe(true);
    // The earliest era names the thumbnail `mediaUrl`; every item has one or the other.
    expect(count((r) => r.paper.thumbnail)).toBe(9581);
    const orgs = count((r) => r.raw.paper.organization ?? r.raw.organization ?? r.raw.submitterOrganization);
    expect(count((r) => r.paper.organization)).toBe(orgs);
    for (const { paper } of rows) {
      if (paper.projectPage) expect(paper.projectPage).toMatch(/^https?:\/\/\S+$/);
      if (paper.githubRepo) expect(paper.githubRepo).toMatch(/^https:\/\/github\.com\//);
      // Absent fields are absent, not `undefined` keys, so stored JSON stays small.
      expect(Object.values(paper)).not.toContain(undefined);
    }
  });

  it('keeps one paper per id within a day; the four papers listed on two days keep both days', () => {
    const twice = ['2604.07429', '2606.11176', '2608.12313', '2608.13558'];
    for (const id of twice) expect(new Set(rows.filter((r) => r.paper.id === id).map((r) => r.date)).size).toBe(2);
  });
});

describe('the raw responses of fixtures/hf', () => {
  const days = loadFixtureDays();
  const day = (d: string) => {
    const r = normaliseDay(days.get(d)!, d);
    expect(r.skipped).toEqual([]);
    return r.papers;
  };

  it('parses every file completely, sorted by upvotes as the API sent them', () => {
    const expected: Record<string, number> = {
      '2024-07-22': 16, '2025-09-29': 30, '2026-06-22': 9, '2026-06-23': 37,
      '2026-06-24': 21, '2026-06-25': 24, '2026-06-26': 18, '2026-08-20': 15,
    };
    expect([...days.keys()].sort()).toEqual(Object.keys(expected));
    for (const [d, n] of Object.entries(expected)) {
      const papers = day(d);
      expect(papers).toHaveLength(n);
      const votes = papers.map((p) => p.upvotes);
      expect(votes).toEqual([...votes].sort((a, b) => b - a));
    }
  });

  it('old schema (2024-07-22): hard-wrapped text collapsed, no submittedAt or AI fields', () => {
    const papers = day('2024-07-22');
    const raw = days.get('2024-07-22') as Raw[];
    expect(raw.some((r) => r.paper.summary.includes('\n'))).toBe(true);
    for (const p of papers) {
      expect(p.abstract).not.toContain('\n');
      expect(p.submittedAt).toBeUndefined();
      expect(p.aiSummary).toBeUndefined();
      expect(p.aiKeywords).toEqual([]);
      expect(p.thumbnail).toMatch(/^https:\/\//);
    }
  });

  it('middle era (2025-09-29): organization from the top-level submitterOrganization, repos, keywords', () => {
    const papers = day('2025-09-29');
    const raw = days.get('2025-09-29') as Raw[];
    const withOrg = raw.filter((r) => r.submitterOrganization).length;
    expect(withOrg).toBe(13);
    expect(papers.filter((p) => p.organization)).toHaveLength(13);
    expect(papers.filter((p) => p.githubRepo)).toHaveLength(15);
    expect(papers.filter((p) => p.projectPage)).toHaveLength(10);
    expect(papers.every((p) => p.aiKeywords.length > 0 && p.aiSummary)).toBe(true);
  });

  it('current schema (2026-06-2x, 2026-08-20): AI summary, stars and organization', () => {
    for (const d of ['2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26', '2026-08-20']) {
      const papers = day(d);
      const raw = days.get(d) as Raw[];
      expect(papers.filter((p) => p.aiSummary)).toHaveLength(raw.filter((r) => r.paper.ai_summary).length);
      expect(papers.filter((p) => p.githubStars !== undefined)).toHaveLength(raw.filter((r) => r.paper.githubStars !== undefined).length);
      expect(papers.filter((p) => p.organization)).toHaveLength(raw.filter((r) => r.paper.organization).length);
      for (const p of papers) expect(p.submittedAt?.slice(0, 10)).toBe(d);
    }
    const first = day('2026-06-24')[0]!;
    expect(first.id).toBe('2606.24597');
    expect(first.authors[0]).toBe('Yuxin Zuo');
  });
});
