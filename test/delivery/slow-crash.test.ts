/**
 * The scenario, as child processes: a Slack that takes every digest post at once but answers
 * only after 25 s, against the real bot (`paperboy start`, JSON store) with its client timeout
 * shortened to 1 s (PLATFORM_TIMEOUT_SECONDS). The bot is killed with SIGKILL during the slow answer,
 * at a random point (before its timeout, during its read-back wait, after it), restarted, and started
 * a second time: every channel and DM holds exactly one digest, recorded as sent with its papers.
 * The same for a Discord (stand-in gateway and REST) that answers every message post after 25 s.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinationKey, silentLogger } from '../../src/core/index.ts';
import { digestId } from '../../src/delivery/index.ts';
import { openStore } from '../../src/store/index.ts';
import { testRng } from '../support/seed.ts';
import { startSlackStandIn } from '../support/slack/web-api-stand-in.ts';
import { BOT_TOKEN, dirs, startBot, until, type Child } from './bot-process.ts';
import { seedStore } from './crash-seed.ts';
import { ALL_SCOPES } from './slack-rig.ts';
import { digestMarkOf, type HistoryMessage } from '../../src/bots/discord/digest-mark.ts';
import { ChannelType, DEFAULT_GUILD, startDiscordStandIn } from '../support/discord/index.ts';

const ROUNDS = process.env.PAPERBOY_SOAK === '1' ? 10 : 3;
const CHANNELS = 4;
const USERS = ['USLOW1', 'USLOW2'];
const ENV = { PLATFORM_TIMEOUT_SECONDS: '1' };

async function stop(child: Child, started = /"msg":"Slack adapter started"/): Promise<void> {
  await until('the bot started', () => started.test(child.log.join('')), child);
  child.proc.kill('SIGTERM');
  expect(await child.exited).toBe(0);
}

describe('a Slack that answers every digest post after 25 s, the bot killed during it and restarted twice', () => {
  it(`holds for ${ROUNDS} rounds: exactly one digest per channel and DM`, async () => {
    const rng = testRng('slow crash test');
    const counts = { kills: 0, posts: 0, destinations: 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      const dir = await mkdtemp(join(tmpdir(), 'paperboy-slow-crash-'));
      dirs.push(dir);
      const databaseUrl = `file:${join(dir, 'paperboy.json')}`;
      const seeded = await seedStore(databaseUrl, CHANNELS, new Date());
      // Two people with personal digests, due like the channels.
      const store = await openStore(databaseUrl, { logger: silentLogger });
      const channelDest = (await store.getDestination(seeded.keys[0]!))!;
      const userKeys: string[] = [];
      for (const id of USERS) {
        const ref = { platform: 'slack' as const, kind: 'user' as const, id, workspace: 'T0PAPER' };
        await store.ensureDestination(ref, channelDest.settings);
        userKeys.push(destinationKey(ref));
      }
      await store.close();
      const slack = await startSlackStandIn({ botToken: BOT_TOKEN, channels: seeded.channels.map((id) => ({ id })), users: USERS.map((id) => ({ id })), scopes: ALL_SCOPES });
      slack.failAlways('chat.postMessage', { late: 25_000 });
      const total = CHANNELS + USERS.length;
      try {
        const first = startBot(dir, databaseUrl, slack.apiUrl, ENV);
        await until('every digest post taken', () => slack.callsOf('chat.postMessage').length >= total, first);
        // Killed while Slack holds its answers: before the 1 s timeout, in the read-back wait, or after.
        await new Promise((r) => setTimeout(r, rng.int(7_000)));
        first.proc.kill('SIGKILL');
        await first.exited;
        counts.kills++;
        for (const n of [2, 3]) await stop(startBot(dir, databaseUrl, slack.apiUrl, ENV)).catch((e: unknown) => {
          throw new Error(`start ${n}: ${String(e)}`);
        });
        counts.posts += slack.callsOf('chat.postMessage').length;

        const all = [...seeded.channels, ...USERS.map((u) => `D${u}`)];
        const keys = [...seeded.keys, ...userKeys];
        expect(all.map((c) => slack.messages.get(c)?.length ?? 0), `round ${round} (seed ${rng.seed}): digests per destination`).toEqual(all.map(() => 1));
        const check = await openStore(databaseUrl, { logger: silentLogger });
        try {
          for (const [i, key] of keys.entries()) {
            const msg = slack.messages.get(all[i]!)![0]!;
            expect(msg.metadata?.event_payload.digest_id).toBe(digestId(key, seeded.day));
            expect(await check.digestStatus(key, seeded.day), `${key} recorded`).toBe('sent');
            const ids = String(msg.metadata?.event_payload.paper_ids ?? '').split(',').filter(Boolean);
            expect(ids.length).toBeGreaterThan(0);
            expect((await check.deliveredPapers(key, ids)).size).toBe(ids.length);
          }
        } finally {
          await check.close();
        }
        counts.destinations += total;
      } finally {
        await slack.close();
      }
    }
    // Each destination's post was taken once and never posted again: one post per destination.
    expect(counts.posts).toBe(counts.destinations);
    console.log(`slow crash test: ${ROUNDS} rounds, ${counts.kills} kills during 25 s answers, 2 restarts each, ${counts.destinations} destinations, ${counts.posts} posts, each destination holds one digest`);
  }, 600_000);
});

const DISCORD_CHANNELS = ['200000000000000501', '200000000000000502'];
const DISCORD_USER = '300000000000000501';

describe('a Discord that answers every message post after 25 s, the bot killed during it and restarted twice', () => {
  it('holds: exactly one digest (every part once) per channel and DM', async () => {
    const rng = testRng('slow crash test, Discord');
    const stand = await startDiscordStandIn({ guilds: [{ ...DEFAULT_GUILD, channels: DISCORD_CHANNELS.map((id, i) => ({ id, type: ChannelType.GuildText, name: `slow-${i}` })) }] });
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-slow-crash-discord-'));
    dirs.push(dir);
    const databaseUrl = `file:${join(dir, 'paperboy.json')}`;
    const seeded = await seedStore(databaseUrl, 1, new Date());
    const store = await openStore(databaseUrl, { logger: silentLogger });
    const settings = (await store.getDestination(seeded.keys[0]!))!.settings;
    // Only Discord runs in the child: the seeded Slack channel has no adapter there and stays due.
    const refs = [
      ...DISCORD_CHANNELS.map((id) => ({ platform: 'discord' as const, kind: 'channel' as const, id, workspace: DEFAULT_GUILD.id })),
      { platform: 'discord' as const, kind: 'user' as const, id: DISCORD_USER },
    ];
    for (const ref of refs) await store.ensureDestination(ref, settings);
    await store.close();
    stand.takeThen({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, { late: 25_000 }, Infinity);
    const env = {
      ...ENV, SLACK_BOT_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined, SLACK_API_URL: undefined,
      DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl,
    };
    const posts = () => stand.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
    try {
      const first = startBot(dir, databaseUrl, '', env);
      await until('every digest post taken', () => posts().length >= refs.length, first, 90_000);
      await new Promise((r) => setTimeout(r, rng.int(7_000)));
      first.proc.kill('SIGKILL');
      await first.exited;
      for (let n = 0; n < 2; n++) await stop(startBot(dir, databaseUrl, '', env), /"msg":"health endpoint listening"/);

      const check = await openStore(databaseUrl, { logger: silentLogger });
      try {
        for (const ref of refs) {
          const key = destinationKey(ref);
          const channel = ref.kind === 'user' ? [...stand.state.channels.values()].find((c) => c.recipient === ref.id)?.id : ref.id;
          const marks = (stand.state.history.get(String(channel)) ?? []).map((m) => digestMarkOf(m as HistoryMessage)).filter((m) => m?.id === digestId(key, seeded.day));
          expect(marks.length, `${key} (seed ${rng.seed}): messages of its digest`).toBeGreaterThan(0);
          // Every part once: no part index twice.
          expect(new Set(marks.map((m) => m!.part)).size, `${key}: parts posted once each`).toBe(marks.length);
          expect(await check.digestStatus(key, seeded.day), `${key} recorded`).toBe('sent');
        }
      } finally {
        await check.close();
      }
      expect(stand.invalid).toEqual([]);
      console.log(`slow crash test, Discord: ${refs.length} destinations, ${posts().length} message posts, 1 kill during 25 s answers, 2 restarts, every part once`);
    } finally {
      await stand.close();
    }
  }, 300_000);
});
