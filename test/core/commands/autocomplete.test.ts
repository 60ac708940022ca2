import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../../src/core/commands/index.ts';
import type { Store } from '../../../src/core/ports.ts';
import { typed } from './run-text.ts';
import { ctxOf, makeDeps } from './support.ts';

describe('autocomplete', () => {
  it('suggests the caller’s own topics and the channel’s, never someone else’s', async () => {
    const deps = await makeDeps([]);
    const ana = ctxOf('ana', { channel: 'lab', manage: true });
    for (const t of ['diffusion models', 'Diffusion transformers', 'agents', 'video diffusion']) await typed(`/topics add ${t}`, ana, deps);
    await typed('/topics add dinosaurs', ctxOf('ben', { channel: 'lab' }), deps);
    await typed('/digest add robotics', ana, deps);
    expect(await autocomplete('own-topics', 'dif', ana, deps)).toEqual(['diffusion models', 'Diffusion transformers', 'video diffusion']);
    expect(await autocomplete('own-topics', '', ana, deps)).toHaveLength(4);
    expect(await autocomplete('own-topics', 'din', ana, deps)).toEqual([]);
    expect(await autocomplete('channel-topics', 'ro', ctxOf('ben', { channel: 'lab' }), deps)).toEqual(['robotics']);
    expect(await autocomplete('channel-topics', '', ctxOf('ana', { channel: null }), deps)).toEqual([]);
  });

  it('suggests time zones from Intl plus UTC, at most 25', async () => {
    const deps = await makeDeps([]);
    const ctx = ctxOf('ana');
    expect(await autocomplete('timezone', 'europe/ber', ctx, deps)).toEqual(['Europe/Berlin']);
    expect(await autocomplete('timezone', 'berlin', ctx, deps)).toEqual(['Europe/Berlin']);
    expect(await autocomplete('timezone', 'new york', ctx, deps)).toContain('America/New_York');
    expect(await autocomplete('timezone', 'utc', ctx, deps)).toContain('UTC');
    const all = await autocomplete('timezone', '', ctx, deps);
    expect(all).toHaveLength(25);
    expect(all[0]).toBe('UTC');
    expect(await autocomplete('timezone', 'America/', ctx, deps)).toHaveLength(25);
    expect(await autocomplete('timezone', '\u0000🙂'.repeat(1000), ctx, deps)).toEqual([]);
  });

  it('answers [] and logs when the store fails', async () => {
    const deps = await makeDeps([]);
    const store = { ...deps.store, getDestination: () => Promise.reject(new Error('disk gone')) } as Store;
    expect(await autocomplete('own-topics', 'a', ctxOf('ana'), { ...deps, store })).toEqual([]);
    expect(deps.logger.entries.some((e) => e.level === 'warn')).toBe(true);
  });
});
