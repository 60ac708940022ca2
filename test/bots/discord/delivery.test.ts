import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/core/commands/index.ts';
import { buildDigest, digestReply } from '../../../src/core/digests/index.ts';
import { DeliveryError, type Destination, type DestinationRef } from '../../../src/core/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { DEFAULT_GUILD } from '../../support/discord/index.ts';
import { Harness, startHarness } from './harness.ts';

type Json = Record<string, unknown>;
const [TEXT, ANNOUNCE, FORUM] = DEFAULT_GUILD.channels.map((c) => c.id) as [string, string, string];
const NOW = new Date('2026-08-20T09:05:00Z');

let h: Harness;
beforeAll(async () => { h = await startHarness({ dmClosed: ['300000000000000009'], maxRateLimitWaitMs: 10_000 }); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

async function destination(ref: Omit<DestinationRef, 'platform'>, topic = 'harness'): Promise<Destination> {
  const full = { platform: 'discord' as const, ...ref };
  const d = await h.deps.store.ensureDestination(full, defaultSettings(h.deps, undefined, ref.kind === 'user' ? 'user' : 'channel'));
  await h.deps.store.addTopic(d.key, topic, 25);
  return (await h.deps.store.getDestination(d.key)) as Destination;
}

async function digestFor(dest: Destination) {
  return digestReply(await buildDigest(dest, h.deps, { now: NOW }));
}

async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

const posted = (channelId: string): Json[] => h.stand.state.messages.get(channelId) ?? [];

describe('digest delivery through the adapter', () => {
  it('posts a channel digest at the channel\'s time through the real scheduler, once', async () => {
    const manager = await h.final(h.command({ name: 'digest', sub: 'add', options: { topic: 'harness' } }, 'manager'));
    expect(Harness.text(manager.body)).toContain('harness');
    await h.final(h.command({ name: 'digest', sub: 'time', options: { time: '09:00', zone: 'UTC' } }, 'manager'));
    const report = await runCycle(h.deps, [h.adapter], NOW);
    expect(report.outcomes).toEqual([expect.objectContaining({ key: `discord:channel:${TEXT}`, status: 'sent' })]);
    const [msg] = posted(TEXT);
    expect(String(msg?.content)).toContain('Daily papers');
    const text = Harness.text(msg as Json);
    expect(text).toContain('Zetta');
    expect(text).toContain('Matched: harness');
    expect(msg?.allowed_mentions).toEqual({ parse: [] });
    const again = await runCycle(h.deps, [h.adapter], new Date(NOW.getTime() + 60_000));
    expect(again.outcomes.filter((o) => o.status === 'sent')).toEqual([]);
    expect(posted(TEXT)).toHaveLength(1);
  });

  it('posts to an announcement channel', async () => {
    const dest = await destination({ kind: 'channel', id: ANNOUNCE, workspace: DEFAULT_GUILD.id });
    await h.adapter.deliver(dest, await digestFor(dest));
    expect(Harness.text(posted(ANNOUNCE)[0] as Json)).toContain('Zetta');
  });

  it('creates a post in a forum channel, titled by the digest header', async () => {
    const dest = await destination({ kind: 'channel', id: FORUM, workspace: DEFAULT_GUILD.id });
    await h.adapter.deliver(dest, await digestFor(dest));
    const req = await h.stand.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${FORUM}/threads`);
    const body = req.body as { name: string; message: Json };
    expect(body.name).toMatch(/^Daily papers/);
    expect(Harness.text(body.message)).toContain('Zetta');
    expect(h.stand.requests.some((r) => r.method === 'POST' && r.path === `/channels/${FORUM}/messages`)).toBe(false);
  });

  it('sends a personal digest by DM', async () => {
    const dest = await destination({ kind: 'user', id: h.bob.id });
    await h.adapter.deliver(dest, await digestFor(dest));
    const open = await h.stand.waitForRequest((r) => r.path === '/users/@me/channels');
    expect(open.body).toEqual({ recipient_id: h.bob.id });
    const dm = [...h.stand.state.channels.values()].find((c) => c.recipient === h.bob.id);
    expect(Harness.text(posted(String(dm?.id))[0] as Json)).toContain('Zetta');
  });

  it('maps a missing permission to DeliveryError, records it, shows it in /digest status, and keeps delivering to others', async () => {
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${TEXT}/messages$`) }, { status: 403, code: 50013, message: 'Missing Permissions' });
    const e = await deliveryError(h.adapter.deliver((await h.deps.store.getDestination(`discord:channel:${TEXT}`)) as Destination, await digestFor(await destination({ kind: 'channel', id: TEXT }))));
    expect(e).toMatchObject({ reason: 'missing_permission', permanent: true });

    // The same through the scheduler: recorded on the destination, the DM still goes out.
    const next = new Date('2026-08-21T09:05:00Z');
    h.clock.set(next.toISOString());
    await destination({ kind: 'user', id: h.alice.id }, 'agent');
    // No papers are listed after 2026-08-20 here: an "empty" note still has to be posted.
    await h.deps.store.updateSettings(`discord:channel:${TEXT}`, { notifyEmpty: true });
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${TEXT}/messages$`) }, { status: 403, code: 50013, message: 'Missing Permissions' });
    const report = await runCycle(h.deps, [h.adapter], next, { catchUpHours: 24 });
    const byKey = new Map(report.outcomes.map((o) => [o.key, o]));
    expect(byKey.get(`discord:channel:${TEXT}`)).toMatchObject({ status: 'failed', failure: { code: 'missing_permission', permanent: true } });
    expect(byKey.get(`discord:user:${h.alice.id}`)?.status).toMatch(/sent|empty/);
    const status = await h.final(h.command({ name: 'digest', sub: 'status' }, 'member'));
    expect(Harness.text(status.body)).toMatch(/permission/i);
  });

  it('maps a deleted channel and closed DMs', async () => {
    const gone = await destination({ kind: 'channel', id: '299999999999999999' });
    expect(await deliveryError(h.adapter.deliver(gone, await digestFor(gone)))).toMatchObject({ reason: 'channel_not_found', permanent: true });
    const closed = await destination({ kind: 'user', id: '300000000000000009' });
    expect(await deliveryError(h.adapter.deliver(closed, await digestFor(closed)))).toMatchObject({ reason: 'dm_closed', permanent: true });
  });

  it('waits out a 429 with Retry-After (and a global one), then delivers', async () => {
    const dest = await destination({ kind: 'channel', id: ANNOUNCE });
    const before = posted(ANNOUNCE).length;
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${ANNOUNCE}/messages$`) }, { status: 429, retryAfter: 1 });
    await h.adapter.deliver(dest, await digestFor(dest));
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${ANNOUNCE}/messages$`) }, { status: 429, retryAfter: 1, global: true });
    await h.adapter.deliver(dest, await digestFor(dest));
    expect(posted(ANNOUNCE).length).toBe(before + 2);
    const statuses = h.stand.requests.filter((r) => r.path === `/channels/${ANNOUNCE}/messages`).map((r) => r.status);
    expect(statuses.slice(-4)).toEqual([429, 200, 429, 200]);
  });

  it('gives up on a 429 longer than it may wait, as a retryable DeliveryError with retryAfterMs', async () => {
    const dest = await destination({ kind: 'channel', id: ANNOUNCE });
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${ANNOUNCE}/messages$`) }, { status: 429, retryAfter: 120 });
    const e = await deliveryError(h.adapter.deliver(dest, await digestFor(dest)));
    expect(e.reason).toBe('rate_limited');
    expect(e.permanent).toBe(false);
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(120_000);
  });

  it('maps a revoked token (401) to token_revoked without crashing', async () => {
    const dest = await destination({ kind: 'channel', id: ANNOUNCE });
    h.stand.fail({ method: 'POST', path: new RegExp(`^/channels/${ANNOUNCE}/messages$`) }, { status: 401, message: '401: Unauthorized' });
    expect(await deliveryError(h.adapter.deliver(dest, await digestFor(dest)))).toMatchObject({ reason: 'token_revoked', permanent: true });
  });
});
