/**
 * The whole app as `npm start` builds it with DISCORD_PUBLIC_KEY set: signed interactions answered
 * on PORT with no gateway session, alone and beside Slack in HTTP mode (one port, Bolt's server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.ts';
import type { SlackAdapter } from '../../../src/bots/slack/index.ts';
import { loadConfig, type Env } from '../../../src/config.ts';
import { silentLogger, type Logger } from '../../../src/core/index.ts';
import { BOT_TOKEN, SECRET } from '../../support/slack/harness.ts';
import { startSlackStandIn, type SlackStandIn } from '../../support/slack/web-api-stand-in.ts';
import {
  MEMBER_PERMISSIONS, DEFAULT_GUILD, interactionSigner, postInteraction, slashInteraction, startDiscordStandIn, user, type DiscordStandIn,
} from '../../support/discord/index.ts';

let stand: DiscordStandIn;
let slack: SlackStandIn;
let dir: string;
const apps: App[] = [];
const signer = interactionSigner();

beforeAll(async () => {
  stand = await startDiscordStandIn();
  slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  dir = await mkdtemp(join(tmpdir(), 'paperboy-discord-http-app-'));
});
afterAll(async () => {
  for (const a of apps) await a.stop();
  await stand?.close();
  await slack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(extra: Env, logger: Logger = silentLogger): Promise<App> {
  const config = loadConfig({
    DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl, DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    HF_ENDPOINT: 'http://127.0.0.1:9', DATABASE_URL: `file:${join(dir, `pb-${apps.length}.json`)}`, PORT: '0', LOG_LEVEL: 'silent', ...extra,
  }, { envFile: join(dir, 'no.env') });
  const app = await createApp(config, { logger, schedule: false, hfRetries: 0 });
  apps.push(app);
  await app.start();
  return app;
}

const papers = () =>
  slashInteraction(stand.applicationId, { user: user('300000000000000001'), guild: { id: DEFAULT_GUILD.id, channel: DEFAULT_GUILD.channels[0]!, permissions: MEMBER_PERMISSIONS } }, { name: 'papers', options: { query: 'anything' } });

describe('createApp with DISCORD_PUBLIC_KEY', () => {
  it('serves /discord/interactions on its own HTTP server beside /healthz, with no gateway', async () => {
    const messages: { msg?: string; port?: number }[] = [];
    const logger = { ...silentLogger, info: (obj: object | string, msg?: string) => void messages.push({ ...(obj as object), msg }) };
    await start({}, logger);
    const port = messages.find((m) => m.msg?.startsWith('HTTP endpoint listening'))?.port;
    expect(port).toBeGreaterThan(0);
    const ping = await postInteraction(`http://127.0.0.1:${port}/discord/interactions`, signer, { id: '1', type: 1, token: 't', version: 1, application_id: stand.applicationId });
    expect(ping.body).toEqual({ type: 1 });
    const r = await postInteraction(`http://127.0.0.1:${port}/discord/interactions`, signer, papers());
    expect(r.body.type).toBe(4);
    expect(JSON.stringify(r.body)).toMatch(/No papers match|nothing/i);
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { adapters: Record<string, { detail: string }> };
    expect(health.adapters.discord!.detail).toMatch(/HTTP interactions/);
    expect(stand.gateway.identifies).toHaveLength(0);
    expect(stand.invalid).toEqual([]);
  });

  it('shares PORT with Slack in HTTP mode: Bolt serves the Discord route with the raw body', async () => {
    const app = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl });
    const port = (app.adapters.find((a) => a.platform === 'slack') as SlackAdapter).port();
    const url = `http://127.0.0.1:${port}/discord/interactions`;
    expect((await postInteraction(url, signer, { id: '1', type: 1, token: 't', version: 1 })).body).toEqual({ type: 1 });
    expect((await postInteraction(url, signer, { type: 1 }, { key: interactionSigner().privateKey })).status).toBe(401);
    expect((await postInteraction(url, signer, papers())).body.type).toBe(4);
    expect(stand.gateway.identifies).toHaveLength(0);
  });
});
