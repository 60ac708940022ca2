import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCommands, registerDiscordCommands } from '../../../src/bots/discord/index.ts';
import { DEFAULT_GUILD, startDiscordStandIn } from '../../support/discord/index.ts';
import { Harness, startHarness, type Who } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

const channelKey = (): string => `discord:channel:${h.textChannel.id}`;

async function digest(sub: string, options: Record<string, string> = {}, who: Who = 'manager'): Promise<{ text: string; ephemeral: boolean }> {
  const { body, ephemeral } = await h.final(h.command({ name: 'digest', sub, options }, who));
  return { text: Harness.text(body), ephemeral };
}

describe('command registration', () => {
  it('registered /papers, /topics, /digest globally at start-up, valid against the OpenAPI schema', () => {
    const global = h.stand.state.commands.get('global') ?? [];
    expect(global.map((c) => c.name).sort()).toEqual(['digest', 'papers', 'topics']);
    const papers = global.find((c) => c.name === 'papers') as { options: { name: string; type: number; required: boolean }[] };
    expect(papers.options[0]).toMatchObject({ name: 'query', type: 3, required: true });
    const topics = global.find((c) => c.name === 'topics') as { options: { type: number; name: string }[]; contexts: number[] };
    expect(topics.options.every((o) => o.type === 1)).toBe(true);
    expect(topics.options.map((o) => o.name)).toEqual(expect.arrayContaining(['add', 'remove', 'list', 'clear', 'time', 'pause', 'resume', 'status']));
    expect(topics.contexts).toContain(1); // usable in the bot's DMs
    expect(topics).toMatchObject({ dm_permission: true });
    const dg = global.find((c) => c.name === 'digest') as { default_member_permissions: number; contexts: number[]; options: { name: string; options: { name: string; autocomplete?: boolean }[] }[] };
    expect(dg.default_member_permissions).toBe(16); // Manage Channels
    expect(dg.contexts).toEqual([0]);
    expect(dg).toMatchObject({ dm_permission: false });
    expect(dg.options.find((o) => o.name === 'remove')?.options[0]?.autocomplete).toBe(true);
  });

  it('registers to DISCORD_GUILD_ID with `paperboy register`, idempotently', async () => {
    const stand = await startDiscordStandIn();
    try {
      const config = { ...h.config, discord: { token: stand.token, applicationId: stand.applicationId, apiUrl: stand.apiUrl, guildId: DEFAULT_GUILD.id } };
      const a = await registerDiscordCommands(config);
      const b = await registerDiscordCommands(config);
      expect(a).toEqual({ registered: 3, scope: 'guild' });
      expect(b).toEqual(a);
      const puts = stand.requests.filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.path)).toEqual([`/applications/${stand.applicationId}/guilds/${DEFAULT_GUILD.id}/commands`, `/applications/${stand.applicationId}/guilds/${DEFAULT_GUILD.id}/commands`]);
      expect(puts[0]?.body).toEqual(puts[1]?.body);
      expect(puts[0]?.body).toEqual(buildCommands());
      expect(stand.invalid).toEqual([]);
    } finally {
      await stand.close();
    }
  });

  it('says clearly when the token is rejected or Discord cannot be reached', async () => {
    const wrong = { ...h.config, discord: { ...h.config.discord!, token: 'wrong' } };
    await expect(registerDiscordCommands(wrong)).rejects.toThrow(/DISCORD_TOKEN \(401\)/);
    const closed = await startDiscordStandIn();
    const apiUrl = closed.apiUrl;
    await closed.close();
    await expect(registerDiscordCommands({ ...h.config, discord: { ...h.config.discord!, apiUrl } })).rejects.toThrow(/Could not reach Discord/);
  });

  it('says clearly when Discord is not configured', async () => {
    const { discord: _d, ...rest } = h.config;
    await expect(registerDiscordCommands(rest)).rejects.toThrow(/DISCORD_TOKEN/);
  });
});

describe('/digest through a real discord.js Client', () => {
  it('refuses /digest add to a member without Manage Channels', async () => {
    const r = await digest('add', { topic: 'robotics' }, 'member');
    expect(r.ephemeral).toBe(true);
    expect(r.text).toMatch(/manage this channel/i);
    expect((await h.deps.store.getDestination(channelKey()))?.settings.topics ?? []).toEqual([]);
  });

  it('refuses /digest in a DM', async () => {
    const r = await digest('add', { topic: 'robotics' }, 'dm');
    expect(r.text).toMatch(/channel/);
  });

  it('lets a manager add, list, remove (with autocomplete), time, off and on', async () => {
    expect((await digest('add', { topic: 'diffusion' })).text).toContain('diffusion');
    await digest('add', { topic: 'harness' });
    const list = await digest('list', {}, 'member');
    expect(list.text).toContain('diffusion');
    expect(list.text).toContain('harness');
    const ac = await h.callback(h.autocomplete({ name: 'digest', sub: 'remove', options: { topic: 'dif' } }, 'topic', 'manager'));
    expect((ac.data as { choices: { value: string }[] }).choices.map((c) => c.value)).toEqual(['diffusion']);
    await digest('remove', { topic: 'diffusion' });
    expect((await h.deps.store.getDestination(channelKey()))?.settings.topics).toEqual(['harness']);
    await digest('time', { time: '09:00', zone: 'UTC' });
    expect((await h.deps.store.getDestination(channelKey()))?.settings).toMatchObject({ time: '09:00', timezone: 'UTC' });
    await digest('off');
    expect((await h.deps.store.getDestination(channelKey()))?.settings.paused).toBe(true);
    await digest('on');
    expect((await h.deps.store.getDestination(channelKey()))?.settings.paused).toBe(false);
  });

  it('shows preview and status privately to anyone', async () => {
    const preview = await digest('preview', {}, 'member');
    expect(preview.ephemeral).toBe(true);
    expect(preview.text).toContain('Zetta');
    const status = await digest('status', {}, 'member');
    expect(status.ephemeral).toBe(true);
    expect(status.text).toMatch(/09:00/);
  });
});
