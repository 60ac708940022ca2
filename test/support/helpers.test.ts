/** The test helpers other tests lean on: a wait that says what never happened, a replayable seed. */
import { describe, expect, it } from 'vitest';
import { seededRng, testSeed } from './seed.ts';
import { NeverHappened, waitFor } from './wait.ts';

describe('waitFor', () => {
  it('resolves with the first truthy value the probe returns', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? `after ${n}` : undefined), { what: 'three looks', intervalMs: 1 })).resolves.toBe('after 3');
  });

  it('fails after its bound, naming what never happened and the detail', async () => {
    const err = await waitFor(async () => false, { what: 'the moon turning blue', timeoutMs: 30, intervalMs: 5, detail: () => 'last seen: grey' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeverHappened);
    expect((err as Error).message).toBe('never happened within 30 ms: the moon turning blue\nlast seen: grey');
  });

  it('ends at once with the error a probe throws', async () => {
    await expect(waitFor(() => { throw new Error('child died'); }, { what: 'x', timeoutMs: 60_000 })).rejects.toThrow('child died');
  });
});

describe('seeded randomness', () => {
  it('replays the same draws from the same seed, and forks independently of draw order', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const draws = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBe(50);
    expect(seededRng(43).next()).not.toBe(draws[0]);
    // A fork depends on the seed and the part only, not on what the parent drew before.
    expect(seededRng(42).fork(3).int(1_000_000)).toBe(a.fork(3).int(1_000_000));
    expect(a.fork(3).next()).not.toBe(a.fork(4).next());
  });

  it('int(n) stays within [0, n) and reaches both ends', () => {
    const r = seededRng(7);
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(10)));
    expect([...seen].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('takes PAPERBOY_TEST_SEED when set and refuses a bad one clearly', () => {
    expect(testSeed({ PAPERBOY_TEST_SEED: '123' })).toBe(123);
    expect(() => testSeed({ PAPERBOY_TEST_SEED: '1.5' })).toThrow(/PAPERBOY_TEST_SEED must be a whole number .*"1\.5"/);
    const fresh = testSeed({});
    expect(Number.isInteger(fresh) && fresh >= 0 && fresh < 2 ** 32).toBe(true);
  });
});
