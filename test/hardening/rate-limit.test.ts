/** The per-user command rate limit: the bucket itself, and wired into runCommand/runAction on real deps. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCommand, runAction, runCommand } from '../../src/core/commands/index.ts';
import { createRateLimiter, rateLimitMessage } from '../../src/core/limits/index.ts';
import { ctxOf, makeDeps, type TestDeps } from '../core/commands/support.ts';
import { noticeOf } from '../core/commands/run-text.ts';

describe('token bucket', () => {
  it('allows a burst of 20, refuses the 21st with the wait until the next token, refills at 20 a minute', () => {
    const rl = createRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 20; i++) expect(rl.take('u', t0).ok).toBe(true);
    const refused = rl.take('u', t0);
    expect(refused).toEqual({ ok: false, retryAfterMs: 3000 });
    expect(rl.take('u', t0 + 2999).ok).toBe(false);
    expect(rl.take('u', t0 + 3000).ok).toBe(true);
    // Other callers have their own bucket.
    expect(rl.take('v', t0).ok).toBe(true);
    // A full minute later the bucket is full again, not fuller.
    for (let i = 0; i < 20; i++) expect(rl.take('u', t0 + 63_000).ok).toBe(true);
    expect(rl.take('u', t0 + 63_000).ok).toBe(false);
  });

  it('never lets anyone run more than capacity + rate x elapsed commands, whatever the timing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.constantFrom('a', 'b')), { maxLength: 300 }), (steps) => {
        const rl = createRateLimiter({ capacity: 5, windowMs: 10_000 });
        let now = 0;
        const allowed = { a: 0, b: 0 };
        for (const [dt, who] of steps) {
          now += dt;
          if (rl.take(who, now).ok) allowed[who]++;
        }
        for (const n of Object.values(allowed)) expect(n).toBeLessThanOrEqual(5 + Math.floor((now * 5) / 10_000));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps memory bounded under a flood of distinct callers', () => {
    const rl = createRateLimiter({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) rl.take(`user${i}`, i);
    expect(rl.size()).toBeLessThanOrEqual(100);
    // A clock that jumps back neither crashes nor hands out extra tokens.
    for (let i = 0; i < 20; i++) rl.take('x', 50_000);
    expect(rl.take('x', 10).ok).toBe(false);
  });

  it('says how long to wait, in words', () => {
    expect(rateLimitMessage(3000, { capacity: 20, windowMs: 60_000 })).toBe('Slow down: you can run at most 20 commands a minute. Try again in 3 seconds.');
    expect(rateLimitMessage(200, { capacity: 20, windowMs: 60_000 })).toMatch(/Try again in 1 second\.$/);
  });
});

describe('rate limit in runCommand and runAction', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await makeDeps(['2026-06-24']);
    deps.limiter = createRateLimiter();
  });

  it('answers the 21st command of a minute with a clear warning and does not run it; others and the terminal are not limited', async () => {
    const papers = findCommand('papers')!;
    const add = findCommand('topics', 'add')!;
    const alice = ctxOf('alice', { platform: 'discord' });
    for (let i = 0; i < 20; i++) {
      const r = await runCommand(papers, alice, { query: 'diffusion' }, deps);
      expect(noticeOf(r)).not.toMatch(/Slow down/);
    }
    const limited = await runCommand(add, alice, { topic: 'robotics' }, deps);
    expect(noticeOf(limited)).toBe('warning: Slow down: you can run at most 20 commands a minute. Try again in 3 seconds.');
    expect(await deps.store.getDestination('discord:user:alice')).toBeUndefined();
    const button = await runAction({ type: 'subscribe', topic: 'robotics' }, alice, deps);
    expect(noticeOf(button)).toMatch(/^warning: Slow down/);
    // Bob, and alice on another platform, are not affected.
    expect(noticeOf(await runCommand(add, ctxOf('bob', { platform: 'discord' }), { topic: 'robotics' }, deps))).toMatch(/^success/);
    expect(noticeOf(await runCommand(add, ctxOf('alice', { platform: 'slack' }), { topic: 'robotics' }, deps))).toMatch(/^success/);
    for (let i = 0; i < 40; i++) expect(noticeOf(await runCommand(papers, ctxOf('local'), { query: 'x' }, deps))).not.toMatch(/Slow down/);
    // Three seconds later one more command goes through.
    deps.setNow(new Date(deps.clock.now().getTime() + 3000).toISOString());
    expect(noticeOf(await runCommand(add, alice, { topic: 'robotics' }, deps))).toMatch(/^success/);
    expect(noticeOf(await runCommand(add, alice, { topic: 'agents' }, deps))).toMatch(/Slow down/);
  });
});
