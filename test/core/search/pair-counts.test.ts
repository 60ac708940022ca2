import { describe, expect, it } from 'vitest';
import { PairCounts } from '../../../src/core/search/pair-counts.ts';

describe('PairCounts', () => {
  it('counts pairs in order, through growth, like a map of pairs', () => {
    const pc = new PairCounts();
    const ref = new Map<string, number>();
    // Ids up to ~2^20, pairs repeated and reversed: far more than the initial slots.
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const a = x % 3000;
      const b = (x >>> 11) % 1_000_003;
      const n = 1 + (i % 3);
      pc.add(a, b, n);
      ref.set(`${a},${b}`, (ref.get(`${a},${b}`) ?? 0) + n);
    }
    expect(pc.size).toBe(ref.size);
    for (const [k, n] of ref) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      expect(pc.get(a, b)).toBe(n);
    }
    expect(pc.get(0, 0)).toBe(ref.get('0,0') ?? 0);
    expect(pc.get(2999, 7)).toBe(ref.get('2999,7') ?? 0);
  });

  it('keeps (a, b) apart from (b, a) and takes counts back', () => {
    const pc = new PairCounts();
    pc.add(1, 2);
    pc.add(1, 2);
    expect(pc.get(1, 2)).toBe(2);
    expect(pc.get(2, 1)).toBe(0);
    pc.add(1, 2, -2);
    expect(pc.get(1, 2)).toBe(0);
  });
});
