/**
 * Who may change what, tried many times with generated input on the real adapters: members
 * without Manage Channels (Discord) and non-admins (Slack) never change a channel's digest, nobody
 * sees or changes another person's topics, and forged or stale Slack signatures are refused.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationKey } from '../../src/core/index.ts';
import { Harness as DiscordHarness, startHarness as startDiscord } from '../bots/discord/harness.ts';
import { CHANNELS, SECRET, USERS, startHarness as startSlack, textOf, type Harness as SlackHarness } from '../support/slack/harness.ts';
import { slackSignature, slashCommandBody } from '../support/slack/sign.ts';
import { user as discordUser } from '../support/discord/index.ts';
import { argText, runs } from './inputs.ts';

const RUNS = runs(25, 200);
let d: DiscordHarness;
let s: SlackHarness;
beforeAll(async () => {
  [d, s] = await Promise.all([startDiscord(), startSlack()]);
});
afterAll(async () => {
  await Promise.all([d?.close(), s?.close()]);
});

const mutation = fc.oneof(
  fc.tuple(fc.constantFrom('add', 'remove'), argText.filter((t) => t.trim().length > 0)).map(([sub, topic]) => ({ sub, options: { topic: topic.slice(0, 60) } as Record<string, string> })),
  fc.constantFrom('07:00', '23:59 Asia/Tokyo', '25:00').map((t) => ({ sub: 'time', options: { time: t.split(' ')[0]!, ...(t.includes(' ') ? { zone: t.split(' ')[1]! } : {}) } as Record<string, string> })),
  fc.constantFrom('off', 'on').map((sub) => ({ sub, options: {} as Record<string, string> })),
);

describe('Discord: a member without Manage Channels', () => {
  it('never changes the channel digest, whatever the subcommand and arguments', async () => {
    const key = destinationKey({ platform: 'discord', kind: 'channel', id: d.textChannel.id });
    expect(DiscordHarness.text((await d.final(d.command({ name: 'digest', sub: 'add', options: { topic: 'agents' } }, 'manager'))).body)).toMatch(/Added/);
    const before = JSON.stringify((await d.deps.store.getDestination(key))!.settings);
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const { body, ephemeral } = await d.final(d.command({ name: 'digest', sub: m.sub, options: m.options }, 'member', d.bob));
        expect(ephemeral).toBe(true);
        expect(DiscordHarness.text(body)).toMatch(/Only people who can manage this channel|too long|Missing/);
        expect(JSON.stringify((await d.deps.store.getDestination(key))!.settings)).toBe(before);
      }),
      { numRuns: RUNS },
    );
    expect(d.stand.invalid).toEqual([]);
  });
});

describe('Slack: a non-admin', () => {
  it('never changes the channel digest, whatever the subcommand and arguments (members, and users Slack cannot look up)', async () => {
    const key = destinationKey({ platform: 'slack', kind: 'channel', id: CHANNELS.research });
    expect(textOf(await s.command('/digest', 'add agents', USERS.admin))).toMatch(/Added/);
    const before = JSON.stringify((await s.deps.store.getDestination(key))!.settings);
    await fc.assert(
      fc.asyncProperty(mutation, fc.constantFrom(USERS.member, 'UNKNOWN1'), async (m, who) => {
        const text = `${m.sub} ${Object.values(m.options).join(' ')}`;
        const r = await s.command('/digest', text, who, CHANNELS.research);
        expect(r.body.response_type).toBe('ephemeral');
        expect(textOf(r)).toMatch(/Only people who can manage this channel|too long|Missing|Unexpected extra text/);
        expect(JSON.stringify((await s.deps.store.getDestination(key))!.settings)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("nobody sees or changes another person's topics", () => {
  it('on Discord: list, remove, clear, pause and autocomplete act on the caller only', async () => {
    const carol = discordUser('300000000000000003', 'carol');
    const mallory = discordUser('300000000000000004', 'mallory');
    for (const t of ['zebrafish genomics', 'quantum annealing']) await d.final(d.command({ name: 'topics', sub: 'add', options: { topic: t } }, 'member', carol));
    const carolKey = destinationKey({ platform: 'discord', kind: 'user', id: carol.id });
    const before = JSON.stringify((await d.deps.store.getDestination(carolKey))!.settings);
    for (const [sub, options] of [['list', {}], ['remove', { topic: 'zebrafish genomics' }], ['clear', {}], ['pause', {}], ['status', {}], ['time', { time: '03:00' }]] as const) {
      const { body } = await d.final(d.command({ name: 'topics', sub, options }, 'member', mallory));
      expect(DiscordHarness.text(body)).not.toMatch(/zebrafish|quantum/);
    }
    const ac = await d.callback(d.autocomplete({ name: 'topics', sub: 'remove', options: { topic: '' } }, 'topic', 'member', mallory));
    expect(JSON.stringify(ac)).not.toMatch(/zebrafish|quantum/);
    expect(JSON.stringify((await d.deps.store.getDestination(carolKey))!.settings)).toBe(before);
  });

  it('on Slack, for any topic text the other person types', async () => {
    const owner = USERS.berlin;
    await s.command('/topics', 'add zebrafish genomics', owner);
    const key = destinationKey({ platform: 'slack', kind: 'user', id: owner });
    const before = JSON.stringify((await s.deps.store.getDestination(key))!.settings);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('list', 'remove zebrafish genomics', 'clear', 'pause', 'status', 'time 04:00'), fc.constantFrom(USERS.member, USERS.admin), async (text, who) => {
        const r = await s.command('/topics', text, who);
        expect(textOf(r)).not.toMatch(/zebrafish/);
        expect(JSON.stringify((await s.deps.store.getDestination(key))!.settings)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Slack request signatures', () => {
  type Forgery = { name: string; timestamp: number; signature?: string; body: string; omit?: 'timestamp' | 'signature' };
  const now = () => Math.floor(Date.now() / 1000);
  const body = (id: string) => slashCommandBody({ command: '/topics', text: 'add forged', user_id: USERS.admin, channel_id: CHANNELS.research, response_url: s.standIn.responseUrl(id) });
  const forgery = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }).filter((x) => x !== SECRET).map((secret) => (b: string): Forgery => ({ name: 'wrong secret', timestamp: now(), signature: slackSignature(secret, now(), b), body: b })),
    fc.integer({ min: 301, max: 10 * 365 * 86_400 }).map((age) => (b: string): Forgery => ({ name: `stale by ${age}s`, timestamp: now() - age, body: b })),
    // (Bolt only refuses old timestamps; a future one cannot be forged without the secret, so it replays nothing.)
    fc.string({ minLength: 1, maxLength: 20 }).map((extra) => (b: string): Forgery => ({ name: 'body changed after signing', timestamp: now(), signature: slackSignature(SECRET, now(), b), body: `${b}&text=${encodeURIComponent(extra)}` })),
    fc.constantFrom('', 'v0=', 'v1=abc', 'v0=zz', 'V0=00').map((sig) => (b: string): Forgery => ({ name: `signature ${JSON.stringify(sig)}`, timestamp: now(), signature: sig, body: b })),
    fc.constantFrom<'timestamp' | 'signature'>('timestamp', 'signature').map((omit) => (b: string): Forgery => ({ name: `no ${omit} header`, timestamp: now(), body: b, omit })),
  );

  it('refuses every forged, altered or stale request with 401 and runs nothing', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(forgery, async (make) => {
        const id = `forged${n++}`;
        const f = make(body(id));
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        if (f.omit !== 'timestamp') headers['x-slack-request-timestamp'] = String(f.timestamp);
        if (f.omit !== 'signature') headers['x-slack-signature'] = f.signature ?? slackSignature(SECRET, f.timestamp, f.body);
        const { status } = await fetch(s.eventsUrl, { method: 'POST', headers, body: f.body });
        expect(status, f.name).toBe(401);
      }),
      { numRuns: RUNS * 4 },
    );
    expect(s.standIn.responses.filter((r) => r.id.startsWith('forged'))).toEqual([]);
    const admin = await s.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.admin }));
    expect(admin?.settings.topics ?? []).not.toContain('forged');
  });
});
