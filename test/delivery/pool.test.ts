/** runPool: every item worked once, results in input order, never more than `concurrency` at once. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPool } from '../../src/delivery/pool.ts';

/** Work that finishes in a scrambled order (by a number of event-loop turns), recording concurrency. */
function tracker() {
  let active = 0;
  let most = 0;
  const calls: number[] = [];
  const work = async (x: { id: number; turns: number }) => {
    calls.push(x.id);
    active++;
    most = Math.max(most, active);
    for (let i = 0; i < x.turns; i++) await new Promise<void>((r) => setImmediate(r));
    active--;
    return x.id * 10;
  };
  return { work, calls, most: () => most, active: () => active };
}

describe('runPool', () => {
  it('works each item once, answers in input order and keeps within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(4), { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), async (turns, concurrency) => {
        const items = turns.map((t, id) => ({ id, turns: t }));
        const t = tracker();
        const out = await runPool(items, concurrency, t.work);
        expect(out).toEqual(items.map((x) => x.id * 10));
        expect([...t.calls].sort((a, b) => a - b)).toEqual(items.map((x) => x.id));
        expect(t.most()).toBeLessThanOrEqual(concurrency);
        // With enough items the bound is reached, so a pool that ran one at a time would fail here.
        if (items.length >= concurrency && items.every((x) => x.turns > 0)) expect(t.most()).toBe(concurrency);
        expect(t.active()).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('returns [] for no items without calling the work', async () => {
    let called = 0;
    expect(await runPool([], 8, async () => called++)).toEqual([]);
    expect(called).toBe(0);
  });

  it('runs with one worker when the concurrency is 0, negative, fractional below 1 or NaN', async () => {
    for (const c of [0, -3, 0.5, Number.NaN]) {
      const t = tracker();
      const items = Array.from({ length: 5 }, (_, id) => ({ id, turns: 2 }));
      expect(await runPool(items, c, t.work)).toEqual([0, 10, 20, 30, 40]);
      expect(t.most()).toBe(1);
    }
    const t = tracker();
    expect(await runPool([{ id: 1, turns: 1 }, { id: 2, turns: 1 }], Number.POSITIVE_INFINITY, t.work)).toEqual([10, 20]);
    expect(t.most()).toBe(2);
  });

  it('rejects with the first failure', async () => {
    const err = new Error('platform down');
    await expect(runPool([1, 2, 3], 2, async (x) => {
      if (x === 2) throw err;
      return x;
    })).rejects.toBe(err);
  });
});
