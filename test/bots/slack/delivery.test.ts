import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, destinationKey, type Destination, type Reply } from '../../../src/core/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { CHANNELS, USERS, startHarness, textOf, type Harness } from '../../support/slack/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const note: Reply = { ephemeral: false, blocks: [{ type: 'header', text: 'Daily papers' }, { type: 'text', text: 'Nothing new <!channel>.' }] };

function dest(kind: 'channel' | 'user', id: string, platform: Destination['platform'] = 'slack'): Destination {
  const ref = { platform, kind, id };
  return {
    ...ref,
    key: destinationKey(ref),
    settings: { topics: ['agents'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
    state: {},
    createdAt: '2026-06-01T00:00:00Z',
  };
}

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

describe('Slack digest delivery', () => {
  it('posts scheduled digests to a channel and in a DM; not_in_channel is recorded and shown in /digest status', async () => {
    h = await startHarness();
    await h.command('/digest', 'add agents', USERS.admin, CHANNELS.research);
    await h.command('/digest', 'time 11:00 UTC', USERS.admin, CHANNELS.research);
    await h.command('/digest', 'add agents', USERS.admin, CHANNELS.outside);
    await h.command('/digest', 'time 11:00 UTC', USERS.admin, CHANNELS.outside);
    await h.command('/topics', 'add agents', USERS.member, `D${USERS.member}`);
    await h.command('/topics', 'time 11:00 UTC', USERS.member, `D${USERS.member}`);

    const report = await runCycle(h.deps, [h.adapter], new Date('2026-06-25T12:00:00Z'));
    const byKey = Object.fromEntries(report.outcomes.map((o) => [o.key, o]));
    expect(byKey[`slack:channel:${CHANNELS.research}`]).toMatchObject({ status: 'sent' });
    expect(byKey[`slack:user:${USERS.member}`]).toMatchObject({ status: 'sent' });
    expect(byKey[`slack:channel:${CHANNELS.outside}`]).toMatchObject({ status: 'failed', retry: false, failure: { code: 'missing_permission', permanent: true } });

    const posts = h.standIn.callsOf('chat.postMessage');
    const ok = posts.filter((c) => c.outcome === 'ok').map((c) => c.args.channel);
    expect(ok.sort()).toEqual([CHANNELS.research, `D${USERS.member}`].sort());
    expect(h.standIn.callsOf('conversations.open')).toMatchObject([{ args: { users: USERS.member }, outcome: 'ok' }]);
    for (const p of posts) {
      expect(p.token).toBe('xoxb-test-bot-token');
      expect(typeof p.args.text).toBe('string');
      expect(JSON.stringify(p.args.blocks)).toContain('https://huggingface.co/papers/');
    }
    expect(posts.find((p) => p.args.channel === CHANNELS.outside)!.outcome).toBe('not_in_channel');

    const stored = await h.deps.store.getDestination(`slack:channel:${CHANNELS.outside}`);
    expect(stored!.state.lastFailure).toMatchObject({ code: 'missing_permission', permanent: true });
    expect(stored!.state.lastFailure!.message).toMatch(/invite/);
    const status = await h.command('/digest', 'status', USERS.member, CHANNELS.outside);
    expect(textOf(status)).toMatch(/invite/);

    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toContain('paperboy_slack_deliveries_total{result="sent"} 2');
    expect(metrics).toContain('paperboy_slack_deliveries_total{result="failed",reason="missing_permission"} 1');
    const health = (await (await fetch(`${h.baseUrl}/healthz`)).json()) as { lastDigestRunAt: string };
    expect(health.lastDigestRunAt).toBe('2026-06-25T12:00:00.000Z');
  });

  it('maps archived, deleted, revoked-token and unknown-user failures to permanent DeliveryErrors', async () => {
    h = await startHarness();
    expect(await failure(h.adapter.deliver(dest('channel', CHANNELS.archived), note))).toMatchObject({ reason: 'channel_archived', permanent: true });
    expect(await failure(h.adapter.deliver(dest('channel', 'CGONE'), note))).toMatchObject({ reason: 'channel_not_found', permanent: true });
    expect(await failure(h.adapter.deliver(dest('user', 'UNOBODY'), note))).toMatchObject({ reason: 'user_not_found', permanent: true });
    for (const code of ['token_revoked', 'invalid_auth', 'account_inactive']) {
      h.standIn.failNext('chat.postMessage', { error: code });
      expect(await failure(h.adapter.deliver(dest('channel', CHANNELS.research), note))).toMatchObject({ reason: 'token_revoked', permanent: true });
    }
    expect(await failure(h.adapter.deliver(dest('channel', 'C1', 'discord'), note))).toMatchObject({ permanent: true });
  });

  it('resends a digest without thumbnails when Slack cannot download one', async () => {
    h = await startHarness();
    const [paper] = await h.deps.store.papersListedBetween('2026-06-25', '2026-06-25');
    const withBrokenThumb: Reply = {
      ephemeral: false,
      blocks: [{ type: 'paper', rank: 1, hit: { paper: { ...paper!, thumbnail: 'https://unreachable.example/thumb.png' }, score: 1, matched: ['agents'] } }],
    };
    await h.adapter.deliver(dest('channel', CHANNELS.research), withBrokenThumb);
    const calls = h.standIn.callsOf('chat.postMessage');
    expect(calls.map((c) => c.outcome)).toEqual(['invalid_blocks', 'ok']);
    expect(JSON.stringify(calls[1]!.args.blocks)).not.toContain('unreachable');
    expect(JSON.stringify(calls[1]!.args.blocks)).toContain(paper!.links.hf);
  });

  it('finds a posted digest again by its id when the token may read history', async () => {
    h = await startHarness({ scopes: ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'im:history'] });
    expect(h.adapter.findDelivered).toBeTypeOf('function');
    const marked: Reply = { ...note, digest: { id: 'dg-research-2026-06-25', paperIds: ['2606.00001', '2606.00002'] } };
    await h.adapter.deliver(dest('channel', CHANNELS.research), marked);
    await h.adapter.deliver(dest('user', USERS.member), { ...marked, digest: { id: 'dg-member', paperIds: ['2606.00003'] } });
    expect(await h.adapter.findDelivered!(dest('channel', CHANNELS.research), 'dg-research-2026-06-25')).toEqual({ paperIds: ['2606.00001', '2606.00002'], parts: [0] });
    expect(await h.adapter.findDelivered!(dest('user', USERS.member), 'dg-member')).toEqual({ paperIds: ['2606.00003'], parts: [0] });
    expect(await h.adapter.findDelivered!(dest('channel', CHANNELS.research), 'dg-other')).toBeUndefined();
  });

  it('does not offer findDelivered with the manifest scopes, so a crash mid-send never becomes missing_scope', async () => {
    h = await startHarness();
    expect(h.adapter.findDelivered).toBeUndefined();
  });

  it('treats other Slack errors as transient', async () => {
    h = await startHarness();
    h.standIn.failNext('chat.postMessage', { error: 'internal_error' });
    expect(await failure(h.adapter.deliver(dest('channel', CHANNELS.research), note))).toMatchObject({ reason: 'platform_error', permanent: false });
    // The next attempt goes through.
    await h.adapter.deliver(dest('channel', CHANNELS.research), note);
    expect(h.standIn.callsOf('chat.postMessage').at(-1)!.outcome).toBe('ok');
  });

  it('waits out a 429 Retry-After and then posts', async () => {
    h = await startHarness();
    h.standIn.failNext('chat.postMessage', { retryAfter: 1 });
    await h.adapter.deliver(dest('channel', CHANNELS.research), note);
    const calls = h.standIn.callsOf('chat.postMessage');
    expect(calls.map((c) => c.outcome)).toEqual(['429', 'ok']);
    // Retry-After: 1 means no second attempt before a full second has passed.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up on a Retry-After longer than it may wait, as a transient failure carrying the wait', async () => {
    h = await startHarness({ tuning: { maxRateLimitWaitMs: 500 } });
    h.standIn.failNext('chat.postMessage', { retryAfter: 30 });
    const e = await failure(h.adapter.deliver(dest('channel', CHANNELS.research), note));
    expect(e).toMatchObject({ reason: 'rate_limited', permanent: false, retryAfterMs: 30_000 });
    expect(h.standIn.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('paces messages to one channel and escapes the text fallback', async () => {
    h = await startHarness({ tuning: { pacingMs: 600 } });
    const d = dest('channel', CHANNELS.research);
    await Promise.all([h.adapter.deliver(d, note), h.adapter.deliver(d, note), h.adapter.deliver(dest('user', USERS.admin), note)]);
    const toChannel = h.standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.research);
    expect(toChannel).toHaveLength(2);
    // Arrival times carry network jitter; the exact slot arithmetic is unit-tested in pacing.test.ts.
    expect(toChannel[1]!.at - toChannel[0]!.at).toBeGreaterThanOrEqual(300);
    expect(toChannel[0]!.args.text).toContain('&lt;!channel&gt;');
    expect(String(toChannel[0]!.args.text)).not.toContain('<!channel>');
  });
});
