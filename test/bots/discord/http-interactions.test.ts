/**
 * Discord over HTTP interactions: signed interactions from a test client (an Ed25519 key pair made
 * here) to the real endpoint (createDiscordHttpAdapter's route on a real HTTP server), follow-ups
 * to the Discord stand-in over REST. Every answer is validated against Discord's OpenAPI
 * description; forged, tampered and stale signatures are refused; no gateway session is opened.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src/config.ts';
import { defaultCoreConfig, type CoreDeps } from '../../../src/core/commands/index.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { createDiscordHttpAdapter, type DiscordHttpAdapter } from '../../../src/bots/discord/index.ts';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/index.ts';
import {
  ALL_PERMISSIONS, DEFAULT_GUILD, MEMBER_PERMISSIONS, autocompleteInteraction, buttonInteraction, interactionSigner, postInteraction,
  slashInteraction, startDiscordStandIn, user, validateRequest, type DiscordStandIn, type InteractionWhere,
} from '../../support/discord/index.ts';
import { memoryLogger, papers } from './harness.ts';

type Json = Record<string, unknown>;
const signer = interactionSigner();
const other = interactionSigner();
const alice = user('300000000000000001', 'alice');
const channel = DEFAULT_GUILD.channels[0]!;
const member: InteractionWhere = { user: alice, guild: { id: DEFAULT_GUILD.id, channel, permissions: MEMBER_PERMISSIONS } };
const manager: InteractionWhere = { user: alice, guild: { id: DEFAULT_GUILD.id, channel, permissions: ALL_PERMISSIONS } };

let stand: DiscordStandIn;
let deps: CoreDeps;
let server: RunningHttpServer;
const adapters: DiscordHttpAdapter[] = [];
const logger = memoryLogger();
let url: string;

async function endpoint(deferAfterMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const config: AppConfig = {
    databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent',
    discord: { token: stand.token, applicationId: stand.applicationId, apiUrl: stand.apiUrl, publicKey: signer.publicKeyHex },
  };
  const adapter = createDiscordHttpAdapter({ config, deps, logger, deferAfterMs });
  adapters.push(adapter);
  await adapter.start();
  const s = await startHttpServer(0, adapter.routes, '127.0.0.1');
  return { url: `http://127.0.0.1:${s.port}/discord/interactions`, close: () => s.close() };
}

/** The HTTP answer must be a valid interaction callback body. */
function expectValidCallback(i: Json, body: Json): void {
  const v = validateRequest('POST', `/interactions/${String(i.id)}/${String(i.token)}/callback`, body);
  expect(v.errors).toEqual([]);
}

const webhookCalls = (i: Json) => stand.requests.filter((r) => r.path.startsWith(`/webhooks/${stand.applicationId}/${String(i.token)}`));

beforeAll(async () => {
  stand = await startDiscordStandIn();
  deps = { store: createMemoryStore(), index: createSearchIndex(papers), clock: { now: () => new Date() }, logger, config: defaultCoreConfig };
  const e = await endpoint(1500);
  url = e.url;
  server = { close: e.close } as RunningHttpServer;
});
afterAll(async () => {
  await server?.close();
  for (const a of adapters) await a.stop();
  await stand?.close();
});
afterEach(() => {
  expect(stand.invalid).toEqual([]);
});

describe('POST /discord/interactions', () => {
  it('answers a signed PING with PONG, registers the commands, and never opens a gateway session', async () => {
    const r = await postInteraction(url, signer, { id: '1', application_id: stand.applicationId, type: 1, token: 't', version: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ type: 1 });
    expect([...stand.state.commands.values()].flat().map((c) => c.name).sort()).toEqual(['digest', 'papers', 'topics']);
    expect(stand.gateway.identifies).toHaveLength(0);
    expect(stand.requests.some((q) => q.path.startsWith('/gateway'))).toBe(false);
    expect(adapters[0]!.health()).toEqual({ connected: true, detail: expect.stringContaining('HTTP interactions') });
  });

  it('refuses forged, tampered, stale, unsigned and malformed requests with 401, running nothing', async () => {
    const i = slashInteraction(stand.applicationId, member, { name: 'topics', sub: 'add', options: { topic: 'forged topic' } });
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      await postInteraction(url, signer, i, { key: other.privateKey }),
      await postInteraction(url, signer, i, { sendBody: JSON.stringify({ ...i, token: 'other' }) }),
      await postInteraction(url, signer, i, { timestamp: now - 600 }),
      await postInteraction(url, signer, i, { timestamp: now + 600 }),
      await postInteraction(url, signer, i, { headers: { 'x-signature-ed25519': '' } }),
      await postInteraction(url, signer, i, { headers: { 'x-signature-ed25519': 'zz'.repeat(64) } }),
      await postInteraction(url, signer, i, { headers: { 'x-signature-timestamp': 'yesterday' } }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(attempts[2]!.body.error).toMatch(/stale timestamp/);
    expect(await deps.store.getDestination(`discord:user:${alice.id}`)).toBeUndefined();
    expect(webhookCalls(i)).toEqual([]);
  });

  it('answers a signed but unreadable body with a clear 400', async () => {
    const bad = await postInteraction(url, signer, '{"type": 2, "id": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not JSON/);
    const odd = await postInteraction(url, signer, { type: 2, id: '1' });
    expect(odd.status).toBe(400);
    expect(String(odd.body.error)).toMatch(/without id, token, data or user/);
  });

  it('runs /papers through the core and the gateway renderer, in the HTTP response', async () => {
    const i = slashInteraction(stand.applicationId, member, { name: 'papers', options: { query: 'transformers' } });
    const r = await postInteraction(url, signer, i);
    expect(r.status).toBe(200);
    expect(r.body.type).toBe(4);
    expectValidCallback(i, r.body);
    const data = r.body.data as Json;
    const embeds = (data.embeds as Json[]).filter((e) => typeof e.url === 'string');
    expect(embeds).toHaveLength(5);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const labels = (data.components as { components: { label: string }[] }[]).flatMap((row) => row.components.map((b) => b.label));
    const cards = (label: string) => [1, 2, 3, 4, 5].map((n) => `${label} #${n}`);
    expect(labels).toEqual([...cards('Save'), ...cards('More like this'), 'Next ›', 'Subscribe to transformers']);
  });

  it('pages with a button: deferred update in the response, the edit over REST', async () => {
    const first = await postInteraction(url, signer, slashInteraction(stand.applicationId, member, { name: 'papers', options: { query: 'transformers' } }));
    const data = first.body.data as Json;
    const next = (data.components as { components: { label: string; custom_id: string }[] }[]).flatMap((row) => row.components).find((b) => b.label === 'Next ›')!;
    const message = { id: '555000000000000001', channel_id: channel.id, author: stand.bot, content: '', embeds: data.embeds, components: data.components };
    const i = buttonInteraction(stand.applicationId, member, next.custom_id, message);
    const r = await postInteraction(url, signer, i);
    expect(r.body).toEqual({ type: 6 });
    expectValidCallback(i, r.body);
    const edit = await stand.waitForRequest((q) => q.method === 'PATCH' && q.path === `/webhooks/${stand.applicationId}/${String(i.token)}/messages/@original`);
    const titles = ((edit.body as Json).embeds as Json[]).map((e) => String(e.title ?? ''));
    expect(titles[0]).toMatch(/^6\. /);
  });

  it('answers autocomplete with choices from the caller’s own topics', async () => {
    await postInteraction(url, signer, slashInteraction(stand.applicationId, member, { name: 'topics', sub: 'add', options: { topic: 'diffusion models' } }));
    const i = autocompleteInteraction(stand.applicationId, member, { name: 'topics', sub: 'remove', options: { topic: 'diff' } }, 'topic');
    const r = await postInteraction(url, signer, i);
    expect(r.body).toEqual({ type: 8, data: { choices: [{ name: 'diffusion models', value: 'diffusion models' }] } });
    expectValidCallback(i, r.body);
  });

  it('checks Manage Channels from the member permissions of the payload', async () => {
    const denied = await postInteraction(url, signer, slashInteraction(stand.applicationId, member, { name: 'digest', sub: 'add', options: { topic: 'agents' } }));
    expect(String((denied.body.data as Json).content)).toMatch(/Only people who can manage this channel/);
    const allowed = await postInteraction(url, signer, slashInteraction(stand.applicationId, manager, { name: 'digest', sub: 'add', options: { topic: 'agents' } }));
    expect(allowed.body.type).toBe(4);
    const dest = await deps.store.getDestination(`discord:channel:${channel.id}`);
    expect(dest?.settings.topics).toEqual(['agents']);
  });

  it('defers privately when the core is slow, then edits the answer in over REST', async () => {
    const slow = await endpoint(0);
    try {
      const i = slashInteraction(stand.applicationId, member, { name: 'topics', sub: 'list' });
      const r = await postInteraction(slow.url, signer, i);
      expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
      expectValidCallback(i, r.body);
      const edit = await stand.waitForRequest((q) => q.method === 'PATCH' && q.path === `/webhooks/${stand.applicationId}/${String(i.token)}/messages/@original`);
      expect(JSON.stringify(edit.body)).toContain('diffusion models');
      expect(edit.headers.authorization).toBeUndefined();
    } finally {
      await slow.close();
    }
  });
});
