import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.ts';
import { describeStoreContract } from './contract.ts';

describeStoreContract('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('memory store', () => {
  it('refuses work after close with a store error', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.countPapers()).rejects.toMatchObject({ code: 'store' });
  });

  it('stamps new destinations with the injected clock', async () => {
    const store = createMemoryStore({ clock: { now: () => new Date('2026-06-22T08:00:00Z') } });
    const d = await store.ensureDestination(
      { platform: 'shell', kind: 'channel', id: 'terminal' },
      { topics: ['  diffusion   models ', 'Diffusion Models'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
    );
    expect(d.createdAt).toBe('2026-06-22T08:00:00.000Z');
    expect(d.settings.topics).toEqual(['diffusion models']);
  });

  it('answers bad arguments with a usage error, not a crash', async () => {
    const store = createMemoryStore();
    await expect(store.papersListedBetween('yesterday', '2026-06-22')).rejects.toMatchObject({ code: 'usage' });
    await expect(store.upsertPapers([{ id: '' } as never])).rejects.toMatchObject({ code: 'usage' });
    const { key } = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'me' }, {
      topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
    });
    await expect(store.addTopic(key, '   ', 10)).rejects.toMatchObject({ code: 'usage' });
    await expect(store.claimDigest(key, '22/06/2026', '2026-06-22T09:00:00Z')).rejects.toMatchObject({ code: 'usage' });
  });
});
