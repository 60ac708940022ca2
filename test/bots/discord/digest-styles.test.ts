/**
 * Digest styles through the real discord.js REST client on the Discord stand-in (requests checked
 * against Discord's OpenAPI description): a threaded digest is a header in the channel and its
 * papers in a thread started from it; compact is a line per paper. Every message carries the
 * digest's id, a part that fails is retried without reposting those before it, and the read-back
 * after a crash finds the papers inside the thread.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/core/commands/index.ts';
import type { Destination, DestinationRef, DigestStyle } from '../../../src/core/index.ts';
import { digestId } from '../../../src/delivery/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { ChannelType, DEFAULT_GUILD, type GuildSetup } from '../../support/discord/index.ts';
import { startHarness, type Harness } from './harness.ts';

type Json = Record<string, unknown>;
const NOW = new Date('2026-08-20T09:05:00Z');
const DAY = '2026-08-20';
const ch = (n: number): string => `2000000000000002${String(n).padStart(2, '0')}`;
const GUILD: GuildSetup = { ...DEFAULT_GUILD, channels: [...DEFAULT_GUILD.channels, ...[1, 2, 3].map((n) => ({ id: ch(n), type: ChannelType.GuildText, name: `style-${n}` }))] };

let h: Harness;
beforeAll(async () => { h = await startHarness({ guilds: [GUILD] }); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

async function channel(id: string, style: DigestStyle): Promise<Destination> {
  const ref: DestinationRef = { platform: 'discord', kind: 'channel', id, workspace: GUILD.id };
  const d = await h.deps.store.ensureDestination(ref, { ...defaultSettings(h.deps), time: '09:00', timezone: 'UTC', maxPapers: 4 });
  await h.deps.store.addTopic(d.key, 'harness', 25);
  return h.deps.store.updateSettings(d.key, { style });
}

const posted = (channelId: string) => (h.stand.state.messages.get(channelId) ?? []) as Json[];
const embedsOf = (m: Json) => (m.embeds as Json[] | undefined) ?? [];
const tagOf = (m: Json) => [String(m.content ?? ''), ...embedsOf(m).map((e) => String((e.footer as Json | undefined)?.text ?? ''))].join('\n');

describe('digest styles on Discord', () => {
  it('thread: one short header in the channel, the papers as replies in a thread started from it, all marked', async () => {
    const dest = await channel(ch(1), 'thread');
    const report = await runCycle(h.deps, [h.adapter], NOW);
    const [outcome] = report.outcomes.filter((o) => o.key === dest.key);
    expect(outcome).toMatchObject({ status: 'sent' });
    const n = (outcome as { papers: number }).papers;
    expect(n).toBeGreaterThanOrEqual(2);
    const header = posted(ch(1));
    expect(header).toHaveLength(1);
    expect(String(header[0]!.content)).toMatch(/^\*\*\d+ new papers for harness · 2026-08-20\*\*/);
    expect(embedsOf(header[0]!)).toHaveLength(0);
    const started = h.stand.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(r.path) && r.path.startsWith(`/channels/${ch(1)}/`));
    expect(started).toHaveLength(1);
    const thread = [...h.stand.state.channels.values()].find((c) => c.parent_id === ch(1))!;
    const headerId = String((h.stand.state.history.get(ch(1)) ?? [])[0]!.id);
    expect(thread.id).toBe(headerId);
    const replies = posted(thread.id);
    // The papers, then "and K more" when there are more.
    const cards = replies.filter((m) => embedsOf(m).some((e) => typeof e.url === 'string'));
    expect(cards).toHaveLength(n);
    for (const m of cards) expect(embedsOf(m)).toHaveLength(1);
    const id = digestId(dest.key, DAY);
    [...header, ...replies].forEach((m, part) => expect(tagOf(m)).toContain(`Paperboy digest ${id}${part > 0 ? `#${part}` : ''}`));
    // Each card keeps its own buttons.
    expect(((cards[0]!.components as Json[])[0]!.components as Json[]).map((b) => b.label)).toContain('Save #1');

    // After a crash the read-back finds every part, the papers from inside the thread.
    const found = await h.adapter.findDelivered!(dest, id);
    expect(found?.parts).toEqual([...header, ...replies].map((_, i) => i));
    expect(found?.paperIds).toEqual(cards.map((m) => String(embedsOf(m)[0]!.url).split('/').pop()));
  });

  it('thread: a reply that fails is retried alone, never reposting the header or the replies before it', async () => {
    const dest = await channel(ch(2), 'thread');
    h.stand.fail({ method: 'POST', path: /^\/channels\/(?!2000000000000002)\d+\/messages$/ }, { status: 500, code: 0, message: 'Internal Server Error' }, 1);
    const report = await runCycle(h.deps, [h.adapter], NOW, { sleep: async () => {}, random: () => 0.5 });
    const [outcome] = report.outcomes.filter((o) => o.key === dest.key);
    expect(outcome).toMatchObject({ status: 'sent' });
    const n = (outcome as { papers: number }).papers;
    expect(posted(ch(2))).toHaveLength(1);
    const thread = [...h.stand.state.channels.values()].find((c) => c.parent_id === ch(2))!;
    const urls = posted(thread.id).flatMap((m) => embedsOf(m).map((e) => e.url)).filter(Boolean);
    expect(urls).toHaveLength(n);
    expect(new Set(urls).size).toBe(n);
    // The failed reply was tried twice: once failing, once landing.
    expect(h.stand.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${thread.id}/messages`)).toHaveLength(posted(thread.id).length + 1);
  });

  it('compact: one line per paper with its linked title, upvotes and matched topic, no link previews', async () => {
    const dest = await channel(ch(3), 'compact');
    const report = await runCycle(h.deps, [h.adapter], NOW);
    const n = (report.outcomes.find((o) => o.key === dest.key) as { papers: number }).papers;
    const msgs = posted(ch(3));
    expect(msgs).toHaveLength(1);
    expect(embedsOf(msgs[0]!).filter((e) => typeof e.url === 'string')).toHaveLength(0);
    const lines = String(msgs[0]!.content).split('\n').filter((l) => /^\*\*\d+\.\*\* /.test(l));
    expect(lines).toHaveLength(n);
    for (const l of lines) expect(l).toMatch(/^\*\*\d\.\*\* \[.+\]\(<https:\/\/huggingface\.co\/papers\/[^>]+>\) · ▲ \d+ · harness$/);
    const found = await h.adapter.findDelivered!(dest, digestId(dest.key, DAY));
    expect(found?.paperIds).toHaveLength(n);
  });
});
