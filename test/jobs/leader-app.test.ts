/**
 * Two whole apps (createApp, as `npm start` builds them) on one fresh PostgreSQL database and the
 * Discord stand-in: one gateway session between them, handed over when the holder stops.
 * Skipped with a notice when no PostgreSQL server answers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/core/index.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { waitFor } from '../support/wait.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('discord leader (apps)'));
const suite = adminUrl ? describe : describe.skip;

const until = (what: string, cond: () => boolean) => waitFor(cond, { what, timeoutMs: 15_000, intervalMs: 20 });

suite('two replicas with Discord on PostgreSQL', () => {
  let db: TestDatabase;
  let stand: DiscordStandIn;
  let dir: string;
  const apps: App[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    stand = await startDiscordStandIn();
    dir = await mkdtemp(join(tmpdir(), 'paperboy-leader-app-'));
  });
  afterAll(async () => {
    for (const a of apps) await a.stop();
    await stand?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function replica(): Promise<App> {
    const config = loadConfig({
      DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl,
      HF_ENDPOINT: 'http://127.0.0.1:9', DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent',
    }, { envFile: join(dir, 'no.env') });
    const app = await createApp(config, { logger: silentLogger, schedule: false, hfRetries: 0, leaderPollMs: 30 });
    apps.push(app);
    await app.start();
    return app;
  }

  it('only one app identifies; stopping it hands the gateway to the other', async () => {
    const a = await replica();
    const b = await replica();
    expect(stand.gateway.identifies).toHaveLength(1);
    expect(stand.gateway.connected).toBe(1);
    const health = (app: App) => app.adapters.find((x) => x.platform === 'discord')!.health();
    expect(health(a)).toEqual({ connected: true, detail: expect.not.stringMatching(/standby/) });
    expect(health(b)).toEqual({ connected: true, detail: expect.stringMatching(/standby/) });

    await a.stop();
    await until('the second app identifies, one session connected', () => stand.gateway.identifies.length === 2 && stand.gateway.connected === 1);
    await until('b reports itself connected, no longer standby', () => health(b).connected && !/standby/.test(health(b).detail ?? ''));
    expect(stand.invalid).toEqual([]);
  });
});
