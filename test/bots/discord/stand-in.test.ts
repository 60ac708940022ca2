import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST, Routes } from 'discord.js';
import { messageProblems, resolveTemplate, startDiscordStandIn, validateRequest, type DiscordStandIn } from '../../support/discord/index.ts';
import { buildCommands } from '../../../src/bots/discord/index.ts';

/** The stand-in must catch what real Discord would refuse; otherwise the other tests prove nothing. */
describe('OpenAPI validation of request bodies', () => {
  it('resolves literal path segments before parameters', () => {
    expect(resolveTemplate('/webhooks/1/tok/messages/@original')).toBe('/webhooks/{webhook_id}/{webhook_token}/messages/@original');
    expect(resolveTemplate('/users/@me/channels')).toBe('/users/@me/channels');
    expect(resolveTemplate('/nowhere/1')).toBeUndefined();
  });

  it('rejects an over-long embed title, a bad embed URL, and a malformed command', () => {
    expect(validateRequest('POST', '/channels/1/messages', { embeds: [{ title: 'x'.repeat(257) }] }).ok).toBe(false);
    expect(validateRequest('POST', '/channels/1/messages', { embeds: [{ title: 'x', url: 'not a url' }] }).ok).toBe(false);
    expect(validateRequest('PUT', '/applications/1/commands', [{ name: 'papers', description: 'd'.repeat(101) }]).ok).toBe(false);
    expect(validateRequest('PUT', '/applications/1/commands', buildCommands()).errors).toEqual([]);
  });

  it('flags messages without allowed_mentions parse [] or over 6000 embed characters', () => {
    expect(messageProblems({ content: 'hi' })).toContain('allowed_mentions must be {parse: []}');
    const embeds = Array.from({ length: 4 }, () => ({ description: 'x'.repeat(1600) }));
    expect(messageProblems({ embeds, allowed_mentions: { parse: [] } }).join()).toMatch(/6400 characters/);
    expect(messageProblems({ content: 'ok', allowed_mentions: { parse: [] } })).toEqual([]);
  });
});

describe('the stand-in server', () => {
  let stand: DiscordStandIn;
  let rest: REST;
  beforeAll(async () => {
    stand = await startDiscordStandIn();
    rest = new REST({ api: stand.apiUrl, retries: 0 }).setToken(stand.token);
  });
  afterAll(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await stand.close();
  });

  it('answers an invalid body with 400 Invalid Form Body and records it', async () => {
    const err = await rest.post(Routes.channelMessages('200000000000000001'), { body: { content: 'x'.repeat(2001), allowed_mentions: { parse: [] } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 50035 });
    expect(stand.invalid).toHaveLength(1);
    expect(stand.invalid[0]?.errors.join()).toMatch(/content/);
    stand.invalid.length = 0;
  });

  it('serves a valid message and records it per channel', async () => {
    const msg = (await rest.post(Routes.channelMessages('200000000000000001'), { body: { content: 'hello', allowed_mentions: { parse: [] } } })) as { id: string; content: string };
    expect(msg.content).toBe('hello');
    expect(stand.state.messages.get('200000000000000001')).toHaveLength(1);
    expect(stand.invalid).toEqual([]);
  });

  it('injects failures once, by route', async () => {
    const channel = '200000000000000001'; // exists: without the rule it answers 200
    stand.fail({ method: 'GET', path: /^\/channels\/200000000000000001$/ }, { status: 404, code: 10003, message: 'Unknown Channel' });
    await expect(rest.get(Routes.channel(channel))).rejects.toMatchObject({ status: 404, code: 10003 });
    const ok = (await rest.get(Routes.channel(channel))) as { id: string; type: number };
    expect(ok).toMatchObject({ id: channel, type: 0 });
  });

  it('injects a failure `times` times, then serves again; other methods on the route are untouched', async () => {
    const channel = '200000000000000001';
    stand.fail({ method: 'GET', path: /^\/channels\/200000000000000001$/ }, { status: 500, code: 0, message: 'boom' }, 2);
    const msg = (await rest.post(Routes.channelMessages(channel), { body: { content: 'still fine', allowed_mentions: { parse: [] } } })) as { content: string };
    expect(msg.content).toBe('still fine');
    await expect(rest.get(Routes.channel(channel))).rejects.toMatchObject({ status: 500 });
    await expect(rest.get(Routes.channel(channel))).rejects.toMatchObject({ status: 500 });
    expect(((await rest.get(Routes.channel(channel))) as { type: number }).type).toBe(0);
  });
});
