import { describe, expect, it } from 'vitest';
import { matchTopics } from '../../../src/core/search/index.ts';
import { paper } from './helpers.ts';

const ids = (m: Map<string, { paper: { id: string } }[]>, t: string) => (m.get(t) ?? []).map((h) => h.paper.id).sort();

describe('matchTopics across calls (one cycle, many destinations)', () => {
  const day = [
    paper({ title: 'Vision transformers at scale', upvotes: 5 }),
    paper({ title: 'Diffusion models for video', upvotes: 3 }),
    paper({ title: 'A Fourier transform trick', upvotes: 1 }),
  ];

  it('answers each destination as a fresh index would, whatever topics came before', () => {
    const a = matchTopics(['transformers', 'video'], day);
    const b = matchTopics(['video', 'fourier'], day.slice());
    expect(ids(a, 'transformers')).toEqual([day[0]!.id]);
    expect(ids(b, 'video')).toEqual([day[1]!.id]);
    expect(ids(b, 'fourier')).toEqual([day[2]!.id]);
  });

  it('a caller changing its lists does not change what the next caller gets', () => {
    matchTopics(['video'], day).get('video')!.length = 0;
    expect(ids(matchTopics(['video'], day), 'video')).toEqual([day[1]!.id]);
  });

  it('sees papers refreshed with new text, and other papers, at once', () => {
    const refreshed = day.map((p, i) => (i === 2 ? { ...p, aiSummary: 'Speeds up vision transformers.' } : p));
    expect(ids(matchTopics(['transformers'], refreshed), 'transformers')).toEqual([day[0]!.id, day[2]!.id].sort());
    const other = [paper({ title: 'Transformers for proteins' })];
    expect(ids(matchTopics(['transformers'], other), 'transformers')).toEqual([other[0]!.id]);
    expect(ids(matchTopics(['transformers'], day), 'transformers')).toEqual([day[0]!.id]);
  });
});
