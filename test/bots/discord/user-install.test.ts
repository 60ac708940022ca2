/**
 * Discord user installs: the registered commands carry both integration types, and a person who
 * installed Paperboy on their own account uses /papers and /topics in a server or group DM the bot
 * is not in: answers stay private there, and their digest comes to their DM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCommands } from '../../../src/bots/discord/index.ts';
import { parseInteraction } from '../../../src/bots/discord/api-interaction.ts';
import { buildDigest, digestReply } from '../../../src/core/digests/index.ts';
import type { Destination } from '../../../src/core/index.ts';
import { MEMBER_PERMISSIONS, slashInteraction, validateRequest } from '../../support/discord/index.ts';
import { Harness, startHarness } from './harness.ts';

type Json = Record<string, unknown>;
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

/** A server the bot never joined (the stand-in's gateway does not know it). */
const FOREIGN = { id: '900000000000000001', channel: { id: '900000000000000002', type: 0, name: 'lab-chat' }, permissions: MEMBER_PERMISSIONS };

function dispatch(i: Json): Json {
  h.stand.gateway.dispatch('INTERACTION_CREATE', i);
  return i;
}

describe('Discord user installs', () => {
  it('registers /papers and /topics for guild and user installs in every context, /digest for servers only', () => {
    const body = buildCommands();
    expect(validateRequest('PUT', `/applications/${h.stand.applicationId}/commands`, body).errors).toEqual([]);
    const byName = Object.fromEntries(body.map((c) => [c.name, c]));
    for (const name of ['papers', 'topics'] as const) {
      expect(byName[name]).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    }
    expect(byName.digest).toMatchObject({ integration_types: [0], contexts: [0], dm_permission: false });
    // What the adapter registered at start-up is exactly that body, and the stand-in took it.
    const global = h.stand.state.commands.get('global') ?? [];
    expect(global.find((c) => c.name === 'papers')).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
  });

  it('answers /papers privately in a server that did not install the bot', async () => {
    const i = dispatch(slashInteraction(h.stand.applicationId, { user: h.alice, guild: FOREIGN, userInstall: true }, { name: 'papers', options: { query: 'diffusion' } }));
    const { body, ephemeral } = await h.final(i);
    expect(ephemeral).toBe(true);
    expect(((body.embeds as Json[]) ?? []).length).toBeGreaterThan(0);
  });

  it('follows topics from a group DM and sends that person’s digest to their own DM', async () => {
    const i = dispatch(slashInteraction(h.stand.applicationId, { user: h.bob, privateChannel: '900000000000000077', userInstall: true }, { name: 'topics', sub: 'add', options: { topic: 'harness' } }));
    const { body, ephemeral } = await h.final(i);
    expect(ephemeral).toBe(true);
    expect(Harness.text(body)).toContain('Added');
    const dest = (await h.deps.store.getDestination(`discord:user:${h.bob.id}`)) as Destination;
    expect(dest.settings.topics).toEqual(['harness']);
    await h.adapter.deliver(dest, digestReply(await buildDigest(dest, h.deps, { now: new Date('2026-08-20T09:05:00Z') })));
    const dm = [...h.stand.state.channels.values()].find((c) => c.recipient === h.bob.id);
    expect(dm).toBeDefined();
    const [msg] = h.stand.state.messages.get(String(dm!.id)) ?? [];
    expect(Harness.text(msg as Json)).toContain('Daily papers');
    expect(h.stand.state.messages.get('900000000000000077')).toBeUndefined(); // nothing in the group DM
  });

  it('tells the HTTP transport the same: only a guild install makes the bot present', () => {
    const at = (where: Parameters<typeof slashInteraction>[1]) => {
      const parsed = parseInteraction(slashInteraction(h.stand.applicationId, where, { name: 'papers', options: { query: 'x' } }));
      return parsed.type === 'input' && parsed.input.kind === 'command' ? parsed.input.botAbsent : 'unparsed';
    };
    expect(at({ user: h.alice, guild: FOREIGN, userInstall: true })).toBe(true);
    expect(at({ user: h.alice, privateChannel: '900000000000000078', userInstall: true })).toBe(true);
    expect(at({ user: h.alice, guild: FOREIGN })).toBe(false);
    expect(at({ user: h.alice, userInstall: true })).toBe(false); // the bot's own DM
    expect(at({ user: h.alice })).toBe(false);
  });
});
