/**
 * The whole process as `npm start` builds it (config from the environment, JSON store, HF source,
 * scheduler cycle) with Discord pointed at the local stand-in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger, type Clock } from '../../../src/core/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { DEFAULT_GUILD, MEMBER_PERMISSIONS, ALL_PERMISSIONS, slashInteraction, startDiscordStandIn, user, type DiscordStandIn } from '../../support/discord/index.ts';
import { startHfStandIn, type HfStandIn } from '../../support/hf-stand-in.ts';

type Json = Record<string, unknown>;
let discord: DiscordStandIn;
let hf: HfStandIn;
let app: App;
let dir: string;
let t = new Date('2026-08-20T08:00:00Z');
const clock: Clock = { now: () => t };
const channel = DEFAULT_GUILD.channels[0] as { id: string; type: number; name: string };
const alice = user('300000000000000001', 'alice');

beforeAll(async () => {
  discord = await startDiscordStandIn();
  hf = await startHfStandIn();
  dir = await mkdtemp(join(tmpdir(), 'paperboy-discord-app-'));
  const config = loadConfig({
    DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl,
    HF_ENDPOINT: hf.url, DATABASE_URL: `file:${join(dir, 'paperboy.json')}`, PORT: '0', LOG_LEVEL: 'silent',
  }, { envFile: join(dir, 'no.env') });
  app = await createApp(config, { clock, logger: silentLogger, schedule: false, hfRetries: 0 });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await discord?.close();
  await hf?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(cmd: { name: string; sub?: string; options?: Record<string, string> }, manager = false): Promise<{ type: number; body: Json }> {
  const where = { user: alice, guild: { id: DEFAULT_GUILD.id, channel, permissions: manager ? ALL_PERMISSIONS : MEMBER_PERMISSIONS } };
  const i = slashInteraction(discord.applicationId, where, cmd);
  discord.gateway.dispatch('INTERACTION_CREATE', i);
  const cb = await discord.waitForRequest((r) => r.path === `/interactions/${String(i.id)}/${String(i.token)}/callback`);
  const body = cb.body as { type: number; data: Json };
  if (body.type === 4) return { type: 4, body: body.data };
  const edit = await discord.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(String(i.token)));
  return { type: body.type, body: edit.body as Json };
}

describe('npm start with Discord configured', () => {
  it('connects and registers the commands', () => {
    expect(discord.gateway.identifies).toHaveLength(1);
    expect((discord.state.commands.get('global') ?? []).map((c) => c.name).sort()).toEqual(['digest', 'papers', 'topics']);
    expect(app.adapters.find((a) => a.platform === 'discord')?.health().connected).toBe(true);
  });

  it('fetches papers, then answers /papers agent with valid embeds', async () => {
    await runCycle(app.deps, app.adapters, t);
    expect(await app.deps.store.countPapers()).toBeGreaterThan(0);
    const { type, body } = await run({ name: 'papers', options: { query: 'agent' } });
    // Answered directly (4), or deferred (5) before Discord's 3 s and then edited.
    expect([4, 5]).toContain(type);
    expect((body.embeds as Json[]).some((e) => String(e.url).startsWith('https://huggingface.co/papers/'))).toBe(true);
  });

  it('manages topics and posts the channel digest at the channel\'s time', async () => {
    expect(String((await run({ name: 'topics', sub: 'add', options: { topic: 'harness' } })).body.content)).toContain('harness');
    await run({ name: 'digest', sub: 'add', options: { topic: 'harness' } }, true);
    await run({ name: 'digest', sub: 'time', options: { time: '09:00', zone: 'UTC' } }, true);
    const early = await runCycle(app.deps, app.adapters, t);
    expect(early.outcomes.filter((o) => o.key === `discord:channel:${channel.id}`)).toEqual([]);
    t = new Date('2026-08-20T09:01:00Z');
    const report = await runCycle(app.deps, app.adapters, t);
    expect(report.outcomes).toContainEqual(expect.objectContaining({ key: `discord:channel:${channel.id}`, status: 'sent' }));
    const [msg] = discord.state.messages.get(channel.id) ?? [];
    expect(String(msg?.content)).toContain('Daily papers');
    expect(JSON.stringify(msg)).toContain('Zetta');
    expect(discord.invalid).toEqual([]);
  });
});
