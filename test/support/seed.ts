/**
 * Seeded randomness for tests that draw kill points and the like. The seed is printed; a failure
 * is replayed with PAPERBOY_TEST_SEED=N (the draws repeat; the timing of processes may not).
 */
import { randomInt } from 'node:crypto';

export interface Rng {
  readonly seed: number;
  /** In [0, 1), like Math.random. */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /** An independent generator for one part (a round, a child), so parallel parts draw the same whatever their order. */
  fork(part: string | number): Rng;
}

/** mulberry32: tiny and good enough to pick kill points; not for anything secret. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed: seed >>> 0,
    next,
    int: (n) => Math.floor(next() * n),
    fork: (part) => {
      let h = seed >>> 0;
      for (const ch of String(part)) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
      return seededRng(Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0);
    },
  };
}

/** The seed from PAPERBOY_TEST_SEED, or a fresh one; either way printed with how to replay it. */
export function testSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PAPERBOY_TEST_SEED?.trim();
  if (!raw) return randomInt(2 ** 32);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new Error(`PAPERBOY_TEST_SEED must be a whole number from 0 to 4294967295 (got "${raw}")`);
  return n;
}

export function testRng(name: string): Rng {
  const seed = testSeed();
  console.info(`[seed] ${name}: ${seed} (replay with PAPERBOY_TEST_SEED=${seed})`);
  return seededRng(seed);
}
