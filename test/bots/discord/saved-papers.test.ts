/** Saving papers from lookup and digest cards through a real discord.js Client on the stand-in. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/core/commands/index.ts';
import { buildDigest, digestReply } from '../../../src/core/digests/index.ts';
import type { Destination } from '../../../src/core/index.ts';
import { DEFAULT_GUILD } from '../../support/discord/index.ts';
import { Harness, startHarness } from './harness.ts';

type Json = Record<string, unknown>;
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

const buttons = (body: Json): { custom_id: string; label: string }[] =>
  ((body.components as { components: { custom_id: string; label: string }[] }[]) ?? []).flatMap((r) => r.components);
const button = (body: Json, label: string) => {
  const b = buttons(body).find((x) => x.label === label);
  expect(b, `button ${label} in ${JSON.stringify(buttons(body).map((x) => x.label))}`).toBeDefined();
  return String(b!.custom_id);
};
const titles = (body: Json): string[] => ((body.embeds as Json[]) ?? []).filter((e) => typeof e.url === 'string').map((e) => String(e.title));
const messageWith = (body: Json, channel = h.textChannel.id): Json => ({
  id: '555000000000000009', channel_id: channel, type: 0, author: h.stand.bot, content: body.content ?? '', embeds: body.embeds ?? [],
  components: body.components ?? [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false,
  timestamp: new Date().toISOString(), edited_timestamp: null,
});

describe('saved papers on Discord', () => {
  let lookup: Json;

  it('saves a paper from a /papers card for the presser only, confirmed privately', async () => {
    lookup = (await h.final(h.command({ name: 'papers', options: { query: 'diffusion' } }))).body;
    const second = titles(lookup)[1]!.replace(/^2\. /, '');
    const saved = await h.final(h.button(button(lookup, 'Save #2'), messageWith(lookup), 'member', h.alice));
    expect(saved.ephemeral).toBe(true);
    expect(Harness.text(saved.body)).toContain(`Saved “${second}” (1 saved)`);
    const again = await h.final(h.button(button(lookup, 'Save #2'), messageWith(lookup), 'member', h.alice));
    expect(Harness.text(again.body)).toContain('in your saved papers already');
  });

  it('lists /papers saved with Remove buttons, and nobody sees another person’s list', async () => {
    await h.final(h.button(button(lookup, 'Save #1'), messageWith(lookup), 'member', h.bob));
    const alice = await h.final(h.command({ name: 'papers', options: { query: 'saved' } }, 'member', h.alice));
    expect(alice.ephemeral).toBe(true);
    expect(titles(alice.body)).toEqual([`1. ${titles(lookup)[1]!.replace(/^2\. /, '')}`]);
    expect(buttons(alice.body).map((b) => b.label)).toEqual(['Remove #1']);
    const bob = await h.final(h.command({ name: 'papers', options: { query: 'saved' } }, 'dm', h.bob));
    expect(titles(bob.body)).toEqual([`1. ${titles(lookup)[0]!.replace(/^1\. /, '')}`]);
  });

  it('saves from a digest posted in a channel; Remove edits the list in place', async () => {
    const d = await h.deps.store.ensureDestination({ platform: 'discord', kind: 'channel', id: h.textChannel.id, workspace: DEFAULT_GUILD.id }, defaultSettings(h.deps));
    await h.deps.store.addTopic(d.key, 'harness', 25);
    const dest = (await h.deps.store.getDestination(d.key)) as Destination;
    await h.adapter.deliver(dest, digestReply(await buildDigest(dest, h.deps, { now: new Date('2026-08-20T09:05:00Z') })));
    const posted = h.stand.state.messages.get(h.textChannel.id)!.at(-1)! as Json;
    const cards = titles(posted);
    expect(cards.length).toBeGreaterThan(0);
    expect(buttons(posted).map((b) => b.label)).toEqual([...cards.map((_, i) => `Save #${i + 1}`), ...cards.map((_, i) => `More like this #${i + 1}`)]);

    h.clock.set('2026-08-20T09:30:00Z'); // saved later than the lookup's paper
    const saved = await h.final(h.button(button(posted, 'Save #1'), messageWith(posted), 'member', h.alice));
    expect(saved.ephemeral).toBe(true);
    const list = (await h.final(h.command({ name: 'papers', options: { query: 'saved' } }, 'member', h.alice))).body;
    // Newest first: the digest's paper above the one saved from the lookup.
    expect(titles(list)).toEqual([`1. ${cards[0]!.replace(/^1\. /, '')}`, `2. ${titles(lookup)[1]!.replace(/^2\. /, '')}`]);

    const i = h.button(button(list, 'Remove #1'), { ...messageWith(list), flags: 64 }, 'member', h.alice);
    expect((await h.callback(i)).type).toBe(6); // deferred update of the list itself
    const after = await h.final(i);
    expect(Harness.text(after.body)).toContain('Removed');
    expect(titles(after.body)).toEqual([`1. ${titles(lookup)[1]!.replace(/^2\. /, '')}`]);
    const page = await h.deps.store.savedPapers(`discord:user:${h.alice.id}`, { offset: 0, limit: 10 });
    expect(page.total).toBe(1);
  });
});
