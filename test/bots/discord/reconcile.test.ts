/**
 * A Discord digest interrupted between ledger claim and record: the restarted scheduler reads the
 * channel's (or DM's) history through the real discord.js REST client against the stand-in, and
 * neither loses nor resends it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/core/commands/index.ts';
import { buildDigest, digestReply } from '../../../src/core/digests/index.ts';
import { DELIVERY_UNKNOWN, DeliveryError, type Destination, type DestinationRef, type Reply } from '../../../src/core/index.ts';
import { digestId } from '../../../src/delivery/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { ChannelType, DEFAULT_GUILD, user, type GuildSetup } from '../../support/discord/index.ts';
import { startHarness, type Harness } from './harness.ts';

type Json = Record<string, unknown>;
const NOW = new Date('2026-08-20T09:05:00Z');
const DAY = '2026-08-20';
const CLAIMED_AT = '2026-08-20T09:00:00.000Z';
const ch = (n: number): string => `2000000000000001${String(n).padStart(2, '0')}`;
const GUILD: GuildSetup = {
  ...DEFAULT_GUILD,
  channels: [
    ...DEFAULT_GUILD.channels,
    ...[1, 2, 3, 4, 5].map((n) => ({ id: ch(n), type: ChannelType.GuildText, name: `lab-${n}` })),
  ],
};
const FORUM = DEFAULT_GUILD.channels[2]!.id;

let h: Harness;
beforeAll(async () => { h = await startHarness({ guilds: [GUILD] }); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

async function destination(ref: Omit<DestinationRef, 'platform'>): Promise<Destination> {
  const full = { platform: 'discord' as const, ...ref };
  const d = await h.deps.store.ensureDestination(full, defaultSettings(h.deps, undefined, ref.kind === 'user' ? 'user' : 'channel'));
  await h.deps.store.addTopic(d.key, 'harness', 25);
  return (await h.deps.store.getDestination(d.key)) as Destination;
}

/** What runDigest sends: the digest reply carrying its id and papers. */
async function digestMessage(dest: Destination): Promise<Reply & { digest: { id: string; paperIds: string[] } }> {
  const digest = await buildDigest(dest, h.deps, { now: NOW });
  const paperIds = digest.hits.map((x) => x.paper.id);
  expect(paperIds.length).toBeGreaterThan(0);
  return { ...digestReply(digest), digest: { id: digestId(dest.key, DAY), paperIds } };
}

const posts = (channelId: string) => h.stand.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
const historyReads = (channelId: string) => h.stand.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channelId}/messages`);
const outcomeOf = (outcomes: { key: string }[], key: string) => outcomes.filter((o) => o.key === key);

describe('Discord crash reconciliation', () => {
  it('finds a digest posted before the crash, records it sent with its papers, and does not post it again', async () => {
    const dest = await destination({ kind: 'channel', id: ch(1), workspace: GUILD.id });
    const message = await digestMessage(dest);
    // The crash: claimed, posted, never recorded. Then life goes on in the channel.
    expect(await h.deps.store.claimDigest(dest.key, DAY, CLAIMED_AT)).toBe(true);
    await h.adapter.deliver(dest, message);
    h.stand.seedMessage(ch(1), h.alice, { content: 'nice papers today' });
    const before = posts(ch(1)).length;

    const report = await runCycle(h.deps, [h.adapter], NOW);
    expect(outcomeOf(report.outcomes, dest.key)).toEqual([{ key: dest.key, day: DAY, status: 'reconciled', papers: message.digest.paperIds.length }]);
    expect(posts(ch(1))).toHaveLength(before);
    expect(historyReads(ch(1)).at(-1)?.query.get('limit')).toBe('100');
    expect(await h.deps.store.digestStatus(dest.key, DAY)).toBe('sent');
    expect(await h.deps.store.deliveredPapers(dest.key, message.digest.paperIds)).toEqual(new Set(message.digest.paperIds));
    expect((await h.deps.store.getDestination(dest.key))!.state).toMatchObject({ lastDigestDay: DAY, lastRunPapers: message.digest.paperIds.length });
  });

  it('pages back through a busy channel to find the digest', async () => {
    const dest = await destination({ kind: 'channel', id: ch(5), workspace: GUILD.id });
    const message = await digestMessage(dest);
    expect(await h.deps.store.claimDigest(dest.key, DAY, CLAIMED_AT)).toBe(true);
    await h.adapter.deliver(dest, message);
    for (let i = 0; i < 150; i += 1) h.stand.seedMessage(ch(5), h.alice, { content: `chat ${i}` });
    const report = await runCycle(h.deps, [h.adapter], NOW);
    expect(outcomeOf(report.outcomes, dest.key)).toEqual([expect.objectContaining({ status: 'reconciled', papers: message.digest.paperIds.length })]);
    const reads = historyReads(ch(5));
    expect(reads).toHaveLength(2);
    expect(reads[1]!.query.get('before')).toMatch(/^\d+$/);
  });

  it('reports a digest never posted as absent and sends it once, marked with its id and an enforced nonce', async () => {
    const dest = await destination({ kind: 'channel', id: ch(2), workspace: GUILD.id });
    const id = digestId(dest.key, DAY);
    // Another bot's lookalike must not count: only Paperboy's own messages do.
    const other = user('400000000000000001', 'copycat', true);
    h.stand.seedMessage(ch(2), other, { embeds: [{ title: 'x', footer: { text: `Paperboy digest ${id}` } }] });
    expect(await h.adapter.findDelivered(dest, id)).toBeUndefined();
    expect(await h.deps.store.claimDigest(dest.key, DAY, CLAIMED_AT)).toBe(true);

    const report = await runCycle(h.deps, [h.adapter], NOW);
    expect(outcomeOf(report.outcomes, dest.key)).toEqual([expect.objectContaining({ status: 'sent' })]);
    const sent = posts(ch(2));
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      const body = r.body as Json;
      expect(body.enforce_nonce).toBe(true);
      expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    }
    const embeds = ((sent[0]!.body as Json).embeds as { footer?: { text: string } }[]);
    expect(embeds.at(-1)?.footer?.text).toMatch(new RegExp(`Paperboy digest ${id}$`));
    // Now it is there, found with the papers it shows.
    const found = await h.adapter.findDelivered(dest, id);
    expect(found?.paperIds.length).toBeGreaterThan(0);
    expect(await h.deps.store.deliveredPapers(dest.key, found!.paperIds)).toEqual(new Set(found!.paperIds));
  });

  it('answers "cannot tell" on a 403 reading history: recorded as interrupted, not resent, and the next day is delivered', async () => {
    const dest = await destination({ kind: 'channel', id: ch(3), workspace: GUILD.id });
    expect(await h.deps.store.claimDigest(dest.key, DAY, CLAIMED_AT)).toBe(true);
    h.stand.fail({ method: 'GET', path: new RegExp(`^/channels/${ch(3)}/messages$`) }, { status: 403, code: 50001, message: 'Missing Access' }, 2);
    const e = await h.adapter.findDelivered(dest, digestId(dest.key, DAY)).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(DeliveryError);
    expect((e as DeliveryError).reason).toBe(DELIVERY_UNKNOWN);
    expect((e as DeliveryError).permanent).toBe(false);
    expect((e as DeliveryError).message).toContain('Read Message History');

    const report = await runCycle(h.deps, [h.adapter], NOW);
    expect(outcomeOf(report.outcomes, dest.key)).toEqual([
      expect.objectContaining({ status: 'failed', retry: false, failure: expect.objectContaining({ code: 'interrupted', permanent: false }) }),
    ]);
    expect(posts(ch(3))).toHaveLength(0);
    expect(await h.deps.store.digestStatus(dest.key, DAY)).toBe('failed');

    const next = await runCycle(h.deps, [h.adapter], new Date('2026-08-21T09:05:00Z'), { catchUpHours: 24 });
    expect(outcomeOf(next.outcomes, dest.key)).toEqual([expect.objectContaining({ day: '2026-08-21', status: expect.stringMatching(/sent|empty/) })]);
  });

  it('looks in the DM channel for a personal digest', async () => {
    const bob = await destination({ kind: 'user', id: h.bob.id });
    const message = await digestMessage(bob);
    await h.adapter.deliver(bob, message);
    const found = await h.adapter.findDelivered(bob, message.digest.id);
    expect(found?.paperIds).toEqual(message.digest.paperIds);
    const dm = h.stand.requests.find((r) => r.method === 'POST' && r.path === '/users/@me/channels' && (r.body as Json).recipient_id === h.bob.id);
    expect(dm).toBeDefined();
    const dmId = [...h.stand.state.channels.values()].find((c) => c.recipient === h.bob.id)?.id;
    expect(historyReads(String(dmId)).length).toBeGreaterThan(0);
    expect(await h.adapter.findDelivered(bob, digestId(bob.key, '2026-08-19'))).toBeUndefined();
  });

  it('answers "cannot tell" for forum channels, whose posts it does not search', async () => {
    const forum = await destination({ kind: 'channel', id: FORUM, workspace: GUILD.id });
    const e = await h.adapter.findDelivered(forum, digestId(forum.key, DAY)).then(() => undefined, (err: unknown) => err);
    expect((e as DeliveryError).reason).toBe(DELIVERY_UNKNOWN);
  });

  it('does not post a part twice when the same marked message is sent again (enforce_nonce)', async () => {
    const dest = await destination({ kind: 'channel', id: ch(4), workspace: GUILD.id });
    const message = await digestMessage(dest);
    await h.adapter.deliver(dest, message);
    const once = h.stand.state.history.get(ch(4))!.length;
    await h.adapter.deliver(dest, message);
    expect(h.stand.state.history.get(ch(4))).toHaveLength(once);
    expect(posts(ch(4))).toHaveLength(2 * once);
  });

  it('keeps a deleted channel a permanent failure', async () => {
    const gone = await destination({ kind: 'channel', id: '200000000000009999', workspace: GUILD.id });
    const e = await h.adapter.findDelivered(gone, digestId(gone.key, DAY)).then(() => undefined, (err: unknown) => err);
    expect(e).toMatchObject({ reason: 'channel_not_found', permanent: true });
  });
});
