/** The metrics wrapper around an adapter passes every argument through: a split digest's progress too. */
import { describe, expect, it } from 'vitest';
import type { Adapter, DeliveryProgress } from '../../src/core/index.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { timedAdapter } from '../../src/http/timed.ts';

describe('timedAdapter', () => {
  it('hands deliver its progress, so landed parts are recorded and skipped', async () => {
    const seen: (DeliveryProgress | undefined)[] = [];
    const inner: Adapter = {
      platform: 'discord',
      async start() {},
      async stop() {},
      async deliver(_d, _m, progress) {
        seen.push(progress);
        await progress?.begin(2);
        await progress?.landed(0);
      },
      health: () => ({ connected: true }),
    };
    const landed: number[] = [];
    const progress: DeliveryProgress = { done: new Set([1]), begin: async () => {}, landed: async (p) => void landed.push(p) };
    const timed = timedAdapter(inner, createMetrics());
    await timed.deliver({ platform: 'discord', kind: 'channel', id: '1', key: 'discord:channel:1', settings: {} as never, state: {}, createdAt: '' }, { ephemeral: false, blocks: [] }, progress);
    expect(seen).toEqual([progress]);
    expect(landed).toEqual([0]);
  });
});
