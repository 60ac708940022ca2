/**
 * The whole app as `npm start` builds it with DISCORD_PUBLIC_KEY set: signed interactions answered
 * on PORT with no gateway session, alone and beside Slack in HTTP mode (one port, Bolt's server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App, type AppOptions } from '../../../src/app.ts';
import type { SlackAdapter } from '../../../src/bots/slack/index.ts';
import { loadConfig, type Env } from '../../../src/config.ts';
import { silentLogger, type Logger } from '../../../src/core/index.ts';
import { startHfStandIn, type HfStandIn } from '../../support/hf-stand-in.ts';
import { BOT_TOKEN, SECRET } from '../../support/slack/harness.ts';
import { startSlackStandIn, type SlackStandIn } from '../../support/slack/web-api-stand-in.ts';
import {
  ALL_PERMISSIONS, MEMBER_PERMISSIONS, DEFAULT_GUILD, interactionSigner, postInteraction, slashInteraction, startDiscordStandIn, user, type DiscordStandIn,
} from '../../support/discord/index.ts';

let stand: DiscordStandIn;
let hf: HfStandIn;
let slack: SlackStandIn;
let dir: string;
const apps: App[] = [];
const signer = interactionSigner();

beforeAll(async () => {
  stand = await startDiscordStandIn();
  slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  hf = await startHfStandIn();
  dir = await mkdtemp(join(tmpdir(), 'paperboy-discord-http-app-'));
});
afterAll(async () => {
  for (const a of apps) await a.stop();
  await stand?.close();
  await slack?.close();
  await hf?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(extra: Env, logger: Logger = silentLogger, more: Partial<AppOptions> = {}): Promise<App> {
  const config = loadConfig({
    DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl, DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    HF_ENDPOINT: 'http://127.0.0.1:9', DATABASE_URL: `file:${join(dir, `pb-${apps.length}.json`)}`, PORT: '0', LOG_LEVEL: 'silent', ...extra,
  }, { envFile: join(dir, 'no.env') });
  const app = await createApp(config, { logger, schedule: false, hfRetries: 0, ...more });
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

  it('shows latency histograms on /metrics: commands until acknowledged and answered, digest sends, source fetches', async () => {
    let t = new Date('2026-08-20T08:00:00Z');
    const messages: { msg?: string; port?: number }[] = [];
    const logger = { ...silentLogger, info: (obj: object | string, msg?: string) => void messages.push({ ...(obj as object), msg }) };
    const app = await start({ HF_ENDPOINT: hf.url }, logger, { schedule: true, clock: { now: () => t } });
    await app.jobs!.tick(); // fetches the days from the Hugging Face stand-in
    const port = messages.find((m) => m.msg?.startsWith('HTTP endpoint listening'))?.port;
    const base = `http://127.0.0.1:${port}`;
    const manager = { user: user('300000000000000001'), guild: { id: DEFAULT_GUILD.id, channel: DEFAULT_GUILD.channels[0]!, permissions: ALL_PERMISSIONS } };
    const post = (cmd: { name: string; sub?: string; options?: Record<string, string> }) =>
      postInteraction(`${base}/discord/interactions`, signer, slashInteraction(stand.applicationId, manager, cmd));
    expect((await post({ name: 'papers', options: { query: 'agent' } })).status).toBe(200);
    await post({ name: 'digest', sub: 'add', options: { topic: 'harness' } });
    await post({ name: 'digest', sub: 'time', options: { time: '09:00', zone: 'UTC' } });
    t = new Date('2026-08-20T09:01:00Z');
    await app.jobs!.tick();
    const text = await (await fetch(`${base}/metrics`)).text();
    /** The value of the first sample of `name` carrying all `labels`. */
    const sample = (name: string, labels: Record<string, string>): number | undefined => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(sample('paperboy_command_ack_seconds_count', { platform: 'discord', command: '/papers' })).toBe(1);
    expect(sample('paperboy_command_answer_seconds_count', { platform: 'discord', command: '/digest add' })).toBe(1);
    expect(sample('paperboy_command_answer_seconds_bucket', { platform: 'discord', command: '/digest time', le: '+Inf' })).toBe(1);
    expect(sample('paperboy_digest_send_seconds_count', { platform: 'discord', result: 'ok' })).toBe(1);
    expect(sample('paperboy_source_fetch_seconds_count', { source: 'huggingface', result: 'ok' })).toBeGreaterThan(0);
    expect(sample('paperboy_commands_total', { command: '/papers' })).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(stand.state.messages.get(DEFAULT_GUILD.channels[0]!.id)).toHaveLength(1);
  });
});
