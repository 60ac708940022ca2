import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Harness, startHarness, type Who } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

async function topics(sub: string, options: Record<string, string> = {}, who: Who = 'dm', u = h.alice): Promise<{ text: string; ephemeral: boolean }> {
  const { body, ephemeral } = await h.final(h.command({ name: 'topics', sub, options }, who, u));
  return { text: Harness.text(body), ephemeral };
}

describe('/topics in a DM and in a guild, through a real discord.js Client', () => {
  it('add, list: personal and ephemeral, also from a guild channel', async () => {
    const a = await topics('add', { topic: 'diffusion' });
    expect(a.ephemeral).toBe(true);
    expect(a.text).toContain('diffusion');
    const b = await topics('add', { topic: 'author:"Ada Lovelace"' }, 'member');
    expect(b.ephemeral).toBe(true);
    const list = await topics('list');
    expect(list.text).toContain('diffusion');
    expect(list.text).toContain('Ada Lovelace');
    // Bob sees none of Alice's topics.
    const bobs = await topics('list', {}, 'dm', h.bob);
    expect(bobs.text).toContain('no topics');
    expect(bobs.text).not.toContain('Ada Lovelace');
  });

  it('autocompletes /topics remove from the caller\'s own topics only', async () => {
    await topics('add', { topic: 'robot learning' }, 'dm', h.bob);
    const i = h.autocomplete({ name: 'topics', sub: 'remove', options: { topic: 'di' } }, 'topic', 'dm');
    const cb = await h.callback(i);
    expect(cb.type).toBe(8);
    const choices = (cb.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.map((c) => c.value)).toEqual(['diffusion']);
    const all = await h.callback(h.autocomplete({ name: 'topics', sub: 'remove', options: { topic: '' } }, 'topic', 'dm'));
    expect((all.data as { choices: { value: string }[] }).choices.map((c) => c.value)).not.toContain('robot learning');
  });

  it('autocompletes time zones from IANA names', async () => {
    const cb = await h.callback(h.autocomplete({ name: 'topics', sub: 'time', options: { time: '08:30', zone: 'berl' } }, 'zone', 'dm'));
    const values = (cb.data as { choices: { value: string }[] }).choices.map((c) => c.value);
    expect(values).toContain('Europe/Berlin');
    const many = await h.callback(h.autocomplete({ name: 'topics', sub: 'time', options: { time: '08:30', zone: 'america' } }, 'zone', 'dm'));
    expect((many.data as { choices: unknown[] }).choices.length).toBe(25);
  });

  it('remove, time, pause, resume, status, preview, clear', async () => {
    expect((await topics('remove', { topic: 'diffusion' })).text).toContain('diffusion');
    expect((await topics('list')).text).not.toMatch(/\bdiffusion\b/);
    const t = await topics('time', { time: '07:45', zone: 'Europe/Berlin' });
    expect(t.text).toMatch(/07:45/);
    const dest = await h.deps.store.getDestination(`discord:user:${h.alice.id}`);
    expect(dest?.settings).toMatchObject({ time: '07:45', timezone: 'Europe/Berlin' });
    expect((await topics('pause')).text.toLowerCase()).toContain('pause');
    expect((await h.deps.store.getDestination(`discord:user:${h.alice.id}`))?.settings.paused).toBe(true);
    await topics('resume');
    expect((await h.deps.store.getDestination(`discord:user:${h.alice.id}`))?.settings.paused).toBe(false);
    const status = await topics('status');
    expect(status.ephemeral).toBe(true);
    expect(status.text).toMatch(/Europe\/Berlin|07:45/);
    await topics('add', { topic: 'transformers' });
    const preview = await topics('preview');
    expect(preview.ephemeral).toBe(true);
    expect(preview.text.length).toBeGreaterThan(0);
    await topics('clear');
    expect((await h.deps.store.getDestination(`discord:user:${h.alice.id}`))?.settings.topics).toEqual([]);
  });

  it('rejects a bad time with a clear message', async () => {
    const r = await topics('time', { time: '25:99' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toMatch(/HH:MM|time/i);
  });
});
