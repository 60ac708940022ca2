/**
 * Tokens and signing secrets never leave the process: not in logs (a real pino logger at debug
 * level writing to a stream, with the real adapters failing in the ways that get logged), not in
 * replies or recorded failures, not in `paperboy doctor` output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { AppConfig } from '../../src/config.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/bots/discord/index.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/bots/slack/index.ts';
import { defaultCoreConfig, reply, type CoreDeps, type Destination, type DestinationRef } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { runCli, tempDir } from '../cli/run-cli.ts';
import { loadDay } from '../core/commands/support.ts';
import { slashInteraction, startDiscordStandIn, user, DEFAULT_GUILD, MEMBER_PERMISSIONS, type DiscordStandIn } from '../support/discord/index.ts';
import { postSigned, slashCommandBody } from '../support/slack/sign.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack/web-api-stand-in.ts';

const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEy.GdSecr.discord-secret-token-Zx9';
const SLACK_BOT = 'xoxb-1111-2222-slack-secret-bot';
const SLACK_SECRET = 'slack-signing-secret-9d1f77';
const SLACK_APP = 'xapp-1-A0-slack-secret-app';
const PG_PASSWORD = 'pg-secret-pw-41';
const SECRETS = [DISCORD_TOKEN, SLACK_BOT, SLACK_SECRET, SLACK_APP, PG_PASSWORD, 'discord-secret-token', 'slack-secret-bot', 'signing-secret-9d1f'];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

/** The app's own pino logger (redaction and all), at debug level, into a string. */
function pinoSink() {
  let out = '';
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void (out += s) } });
  return { logger, text: () => out };
}

async function coreDeps(): Promise<CoreDeps> {
  const store = createMemoryStore();
  const papers = loadDay('2026-06-24');
  await store.upsertPapers(papers);
  return { store, index: createSearchIndex(papers), clock: { now: () => new Date('2026-06-24T12:00:00Z') }, logger: pinoSink().logger, config: defaultCoreConfig };
}

describe('log redaction with the real pino logger', () => {
  it('redacts tokens and secrets wherever a config, request or error puts them, and masks database passwords', () => {
    const { logger, text } = pinoSink();
    const config = {
      databaseUrl: `postgres://paperboy:${PG_PASSWORD}@db.internal:5432/paperboy`,
      discord: { token: DISCORD_TOKEN, applicationId: '1' },
      slack: { botToken: SLACK_BOT, signingSecret: SLACK_SECRET, appToken: SLACK_APP },
    };
    logger.info(config, 'config at top level');
    logger.info({ config }, 'config nested');
    logger.warn({ app: { config } }, 'config nested twice');
    logger.error({ req: { headers: { authorization: `Bot ${DISCORD_TOKEN}` } } }, 'request');
    logger.error({ err: { request: { headers: { authorization: `Bearer ${SLACK_BOT}` } } } }, 'failed request');
    logger.error({ err: { message: 'x', config: { headers: { Authorization: `Bearer ${SLACK_BOT}` } } } }, 'axios-style error');
    logger.debug({ token: SLACK_BOT, secret: SLACK_SECRET, password: PG_PASSWORD }, 'loose keys');
    const out = text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(7);
    expect(leaks(out)).toEqual([]);
    expect(out).toContain('db.internal');
    expect(out).toContain('[redacted]');
  });
});

describe('the Slack adapter failing, logged at debug level', () => {
  let stand: SlackStandIn;
  let adapter: SlackAdapter;
  const sink = pinoSink();

  beforeAll(async () => {
    stand = await startSlackStandIn({ botToken: SLACK_BOT, users: [{ id: 'UMEMBER' }], channels: [{ id: 'CRESEARCH' }, { id: 'CGONE', archived: true }] });
    const config: AppConfig = {
      databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'debug',
      slack: { botToken: SLACK_BOT, signingSecret: SLACK_SECRET, apiUrl: stand.apiUrl, adminUsers: [] },
    };
    adapter = createSlackAdapter({ config, deps: await coreDeps(), logger: sink.logger, tuning: { pacingMs: 1, rateLimitRetries: 0, maxRateLimitWaitMs: 10 } });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await stand?.close();
  });

  it('never writes the bot token or signing secret, in logs, replies or recorded failures', async () => {
    const url = `http://127.0.0.1:${adapter.port()}/slack/events`;
    const body = (id: string) => slashCommandBody({ command: '/papers', text: 'diffusion', user_id: 'UMEMBER', channel_id: 'CRESEARCH', response_url: stand.responseUrl(id) });
    stand.failNext('users.info', { error: 'invalid_auth' });
    expect((await postSigned(url, SLACK_SECRET, body('a'))).status).toBe(200);
    expect((await postSigned(url, 'not-the-secret', body('b'))).status).toBe(401);
    await stand.waitFor(() => stand.responses.find((r) => r.id === 'a'), 'reply');
    const dest = (id: string, kind: 'channel' | 'user'): Destination => ({
      ...({ platform: 'slack', kind, id } as DestinationRef), key: `slack:${kind}:${id}`, createdAt: '2026-01-01T00:00:00Z', state: {},
      settings: { topics: ['x'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
    });
    const failures: string[] = [];
    for (const [d, fault] of [[dest('CRESEARCH', 'channel'), 'token_revoked'], [dest('CGONE', 'channel'), undefined], [dest('UMEMBER', 'user'), 'invalid_auth'], [dest('CRESEARCH', 'channel'), 'ratelimited']] as const) {
      if (fault === 'ratelimited') stand.failNext('chat.postMessage', { retryAfter: 30 });
      else if (fault) stand.failNext(d.kind === 'user' ? 'conversations.open' : 'chat.postMessage', { error: fault });
      const err = await adapter.deliver(d, reply.notice('info', 'digest')).then(() => undefined, (e: Error) => e);
      expect(err, `${d.key} ${fault}`).toBeInstanceOf(Error);
      failures.push(err!.message);
    }
    const logs = sink.text();
    expect(logs).toMatch(/users\.info failed/);
    expect(logs.split('\n').length).toBeGreaterThan(5);
    expect(leaks(logs)).toEqual([]);
    expect(leaks(failures.join('\n'))).toEqual([]);
    expect(leaks(JSON.stringify(stand.responses))).toEqual([]);
  });
});

describe('the Discord adapter failing, logged at debug level', () => {
  let stand: DiscordStandIn;
  let adapter: DiscordAdapter;
  const sink = pinoSink();

  beforeAll(async () => {
    stand = await startDiscordStandIn({ token: DISCORD_TOKEN });
    // Registration is refused once: logged, and the adapter carries on.
    stand.fail({ method: 'PUT', path: /\/commands$/ }, { status: 500, message: 'Internal Server Error' }, 10);
    const config: AppConfig = {
      databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'debug',
      discord: { token: DISCORD_TOKEN, applicationId: stand.applicationId, apiUrl: stand.apiUrl },
    };
    adapter = createDiscordAdapter({ config, deps: await coreDeps(), logger: sink.logger });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await stand?.close();
  });

  it('never writes the bot token, in logs, message bodies or recorded failures', async () => {
    const i = slashInteraction(stand.applicationId, { user: user('300000000000000001', 'alice'), guild: { id: DEFAULT_GUILD.id, channel: DEFAULT_GUILD.channels[0]!, permissions: MEMBER_PERMISSIONS } }, { name: 'digest', sub: 'add', options: { topic: 'agents' } });
    stand.gateway.dispatch('INTERACTION_CREATE', i);
    await stand.waitForRequest((r) => r.path === `/interactions/${String(i.id)}/${String(i.token)}/callback`);
    const failures: string[] = [];
    for (const f of [{ status: 401, message: '401: Unauthorized' }, { status: 403, code: 50013, message: 'Missing Permissions' }, { status: 500, message: 'Internal' }]) {
      stand.fail({ method: 'POST', path: /\/messages$/ }, f, 5);
      const dest: Destination = {
        platform: 'discord', kind: 'channel', id: DEFAULT_GUILD.channels[0]!.id, key: `discord:channel:${DEFAULT_GUILD.channels[0]!.id}`, createdAt: '2026-01-01T00:00:00Z', state: {},
        settings: { topics: ['x'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
      };
      const err = await adapter.deliver(dest, reply.notice('info', 'digest')).then(() => undefined, (e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      failures.push(err!.message);
    }
    const logs = sink.text();
    expect(logs).toMatch(/registration failed/);
    expect(leaks(logs)).toEqual([]);
    expect(leaks(failures.join('\n'))).toEqual([]);
    expect(leaks(JSON.stringify(stand.requests.map((r) => r.body)))).toEqual([]);
  });
});

describe('paperboy doctor', () => {
  let discord: DiscordStandIn;
  let slack: SlackStandIn;
  beforeAll(async () => {
    // Both stand-ins expect other tokens, so doctor reports the rejections (the path most likely to echo a token).
    [discord, slack] = await Promise.all([startDiscordStandIn({ token: 'other' }), startSlackStandIn({ botToken: 'xoxb-other' })]);
  });
  afterAll(async () => {
    await Promise.all([discord?.close(), slack?.close()]);
  });

  it('reports rejected tokens and an unreachable database without printing any secret, as text and as JSON', async () => {
    const dir = tempDir();
    const env = {
      DISCORD_TOKEN, DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: SLACK_BOT, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'debug',
    };
    const runs = [
      await runCli(['doctor'], { cwd: dir, env: { ...env, DATABASE_URL: `file:${join(dir, 'pb.json')}` } }),
      await runCli(['doctor', '--json'], { cwd: dir, env: { ...env, DATABASE_URL: `file:${join(dir, 'pb.json')}` } }),
      await runCli(['doctor'], { cwd: dir, env: { ...env, DATABASE_URL: `postgres://paperboy:${PG_PASSWORD}@127.0.0.1:9/paperboy` } }),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(`${r.stdout}\n${r.stderr}`).toMatch(/DISCORD_TOKEN|rejected|401/);
      expect(`${r.stdout}\n${r.stderr}`).toMatch(/invalid_auth/);
      expect(leaks(`${r.stdout}\n${r.stderr}`)).toEqual([]);
    }
    expect(runs[2]!.stdout).toMatch(/postgres:\/\/paperboy:\*\*\*@127\.0\.0\.1:9/);
  });
});
