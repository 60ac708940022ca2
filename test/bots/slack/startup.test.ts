import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, HISTORY_SCOPES, OAUTH_BOT_SCOPES, type SlackAdapter } from '../../../src/bots/slack/index.ts';
import { SLASH_COMMANDS } from '../../../src/bots/slack/listeners.ts';
import type { AppConfig } from '../../../src/config.ts';
import { commandNames } from '../../../src/core/commands/index.ts';
import { defaultCoreConfig, PaperboyError, type CoreDeps } from '../../../src/core/index.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { BOT_TOKEN, SECRET, captureLogger } from '../../support/slack/harness.ts';
import { postSigned } from '../../support/slack/sign.ts';
import { startSlackStandIn, type SlackStandIn } from '../../support/slack/web-api-stand-in.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function setup(apiUrl: string, slack: Partial<NonNullable<AppConfig['slack']>> = {}) {
  const logger = captureLogger();
  const deps: CoreDeps = { store: createMemoryStore(), index: createSearchIndex([]), clock: { now: () => new Date() }, logger, config: defaultCoreConfig };
  const config: AppConfig = {
    databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent',
    slack: { botToken: BOT_TOKEN, signingSecret: SECRET, apiUrl, adminUsers: [], ...slack },
  };
  return { logger, deps, config };
}

async function started(a: SlackAdapter): Promise<SlackAdapter> {
  cleanup.push(() => a.stop());
  await a.start();
  return a;
}

async function standIn(): Promise<SlackStandIn> {
  const s = await startSlackStandIn({ botToken: BOT_TOKEN });
  cleanup.push(() => s.close());
  return s;
}

describe('Slack adapter start-up', () => {
  it('refuses HTTP mode without a signing secret with a clear message', () => {
    const { deps, logger, config } = setup('http://127.0.0.1:9/api/', { signingSecret: undefined });
    expect(() => createSlackAdapter({ config, deps, logger })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('stops with a configuration error when Slack refuses the bot token', async () => {
    const s = await standIn();
    const { deps, logger, config } = setup(s.apiUrl, { botToken: 'xoxb-revoked' });
    const a = createSlackAdapter({ config, deps, logger });
    cleanup.push(() => a.stop());
    const err = await a.start().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PaperboyError);
    expect((err as PaperboyError).message).toMatch(/SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(a.health().connected).toBe(false);
  });

  it('calls auth.test once, bounded, and starts anyway when Slack never answers', async () => {
    // A server that accepts connections and never replies: Bolt's own auth.test would retry for minutes.
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => { silent.closeAllConnections(); silent.close(r); }));
    const { deps, logger, config } = setup(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/`);
    const a = await started(createSlackAdapter({ config, deps, logger, tuning: { authTimeoutMs: 300 } }));
    expect(a.health()).toMatchObject({ connected: true });
    expect(a.health().detail).toMatch(/auth\.test failed/);
    expect(logger.lines.some((l) => l.level === 'warn' && /auth\.test failed/.test(String(l.msg)))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${a.port()}/healthz`);
    expect(res.status).toBe(200);
  });

  it('asks auth.test exactly once with the bot token, then answers Slack’s URL verification', async () => {
    const s = await standIn();
    const { deps, logger, config } = setup(s.apiUrl);
    const a = await started(createSlackAdapter({ config, deps, logger }));
    expect(s.callsOf('auth.test')).toMatchObject([{ token: BOT_TOKEN, outcome: 'ok' }]);
    const body = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const res = await postSigned(`http://127.0.0.1:${a.port()}/slack/events`, SECRET, body, { contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('c-123');
    expect(s.callsOf('auth.test')).toHaveLength(1);
  });

  it('fails Socket Mode start-up clearly when Slack refuses the app token', async () => {
    const s = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: 'xapp-the-real-one' });
    cleanup.push(() => s.close());
    const { deps, logger, config } = setup(s.apiUrl, { appToken: 'xapp-wrong' });
    const a = createSlackAdapter({ config, deps, logger, tuning: { connectTimeoutMs: 5000 } });
    cleanup.push(() => a.stop());
    await expect(a.start()).rejects.toThrow(/invalid_auth/);
    expect(a.health().connected).toBe(false);
    expect(s.callsOf('apps.connections.open')[0]).toMatchObject({ token: 'xapp-wrong', outcome: 'invalid_auth' });
  });

  it('turns unhealthy when Slack reports the token revoked', async () => {
    const s = await standIn();
    const { deps, logger, config } = setup(s.apiUrl);
    const a = await started(createSlackAdapter({ config, deps, logger }));
    const event = {
      token: 'x', team_id: 'T0PAPER', api_app_id: 'A0PAPER', type: 'event_callback', event_id: 'Ev1', event_time: 1_700_000_000,
      event: { type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '1700000000.000100' },
    };
    const res = await postSigned(`http://127.0.0.1:${a.port()}/slack/events`, SECRET, JSON.stringify(event), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    await s.waitFor(() => !a.health().connected || undefined, 'health to drop');
    expect(a.health().detail).toMatch(/tokens_revoked/);
    const health = await fetch(`http://127.0.0.1:${a.port()}/healthz`);
    expect(health.status).toBe(503);
  });
});

describe('slack-manifest.yml', () => {
  const manifest = readFileSync(new URL('../../../slack-manifest.yml', import.meta.url), 'utf8');

  it('declares exactly the commands the adapter serves, all on /slack/events', () => {
    const commands = [...manifest.matchAll(/^\s*- command: (\/\w+)$/gm)].map((m) => m[1]);
    expect(commands).toEqual([...SLASH_COMMANDS]);
    expect(commands).toEqual(commandNames.map((n) => `/${n}`));
    const urls = [...manifest.matchAll(/(?:url|request_url): (\S+)/g)].map((m) => m[1]);
    expect(urls.length).toBe(5);
    for (const u of urls) expect(u).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });

  it('asks for the bot scopes the bot needs and no more: the four to work, and the history ones that read a digest back', () => {
    const bot = /bot:\n((?:\s+(?:- \S+|#.*)\n)+)/.exec(manifest)![1]!;
    const scopes = [...bot.matchAll(/- (\S+)/g)].map((m) => m[1]);
    expect(scopes.sort()).toEqual(['channels:history', 'chat:write', 'commands', 'groups:history', 'im:history', 'im:write', 'users:read']);
    expect([...HISTORY_SCOPES].every((s) => scopes.includes(s))).toBe(true);
    expect([...HISTORY_SCOPES].every((s) => OAUTH_BOT_SCOPES.includes(s))).toBe(true);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
  });

  it('turns on the Home tab and subscribes to app_home_opened, which the adapter publishes it on', () => {
    expect(manifest).toMatch(/app_home:\n\s+home_tab_enabled: true/);
    const events = /bot_events:\n((?:\s+- \S+\n)+)/.exec(manifest)![1]!;
    expect([...events.matchAll(/- (\S+)/g)].map((m) => m[1])).toEqual(['app_uninstalled', 'tokens_revoked', 'app_home_opened']);
  });
});
