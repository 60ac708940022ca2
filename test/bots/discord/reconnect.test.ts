import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Events } from 'discord.js';
import { createDiscordAdapter } from '../../../src/bots/discord/index.ts';
import { Harness, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

describe('gateway connection', () => {
  it('identifies with only the Guilds intent and reports itself healthy', () => {
    expect(h.stand.gateway.identifies).toEqual([{ intents: 1, token: h.stand.token }]);
    expect(h.adapter.health().connected).toBe(true);
  });

  it('resumes after the gateway drops the connection (4000), and still answers commands', async () => {
    const resumed = once(h.adapter.client, Events.ShardResume);
    h.stand.gateway.drop(4000);
    await resumed;
    expect(h.stand.gateway.resumes).toHaveLength(1);
    expect(h.stand.gateway.identifies).toHaveLength(1);
    expect(h.adapter.health().connected).toBe(true);
    const { body } = await h.final(h.command({ name: 'papers', options: { query: 'agent' } }));
    expect(Harness.text(body)).toMatch(/agent/i);
  });

  it('identifies again after a normal close (1000), and still answers commands', async () => {
    const ready = new Promise<void>((resolve) => h.stand.gateway.once('identify', () => resolve()));
    h.stand.gateway.drop(1000);
    await ready;
    expect(h.stand.gateway.identifies).toHaveLength(2);
    const { body } = await h.final(h.command({ name: 'topics', sub: 'list' }, 'dm'));
    expect(String(body.content).length).toBeGreaterThan(0);
  });

  it('stops cleanly and reports disconnected', async () => {
    const other = createDiscordAdapter({ config: h.config, deps: h.deps, logger: h.logger, registerOnStart: false });
    await other.start();
    expect(other.health().connected).toBe(true);
    await other.stop();
    expect(other.health()).toEqual({ connected: false, detail: 'stopped' });
  });

  it('fails start() with a clear message when the token is wrong', async () => {
    const bad = createDiscordAdapter({ config: { ...h.config, discord: { ...h.config.discord!, token: 'wrong' } }, deps: h.deps, logger: h.logger, registerOnStart: false });
    await expect(bad.start()).rejects.toThrow(/DISCORD_TOKEN/);
    await bad.stop();
  });
});
