import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkConfig, ConfigError, loadConfig } from '../src/config.ts';
import { defaultJobTuning } from '../src/jobs/index.ts';
import { createLogger } from '../src/logger.ts';

const noFile = { envFile: '' };

describe('loadConfig', () => {
  it('applies the documented defaults with an empty environment', () => {
    expect(loadConfig({}, noFile)).toEqual({
      databaseUrl: 'file:./data/paperboy.json',
      hfEndpoint: 'https://huggingface.co',
      arxiv: { rssUrl: 'https://rss.arxiv.org', apiUrl: 'https://export.arxiv.org/api', categories: [], intervalMs: 3000 },
      port: 3000,
      digestTime: '09:00',
      digestTimezone: 'UTC',
      catchUpHours: 6,
      platformTimeoutMs: 10_000,
      logLevel: 'info',
      jobs: defaultJobTuning,
    });
  });

  it('reads the arXiv variables: categories checked against the taxonomy, arXiv hosts always paced at 3 s', () => {
    const c = loadConfig({ ARXIV_CATEGORIES: 'cs.cl, eess.AS,cs.CL', ARXIV_CONTACT: ' ops@example.org ', ARXIV_INTERVAL_MS: '10' }, noFile);
    expect(c.arxiv).toEqual({ rssUrl: 'https://rss.arxiv.org', apiUrl: 'https://export.arxiv.org/api', categories: ['cs.CL', 'eess.AS'], contact: 'ops@example.org', intervalMs: 3000 });
    expect(loadConfig({ ARXIV_RSS_URL: 'http://127.0.0.1:8080', ARXIV_API_URL: 'http://127.0.0.1:8080/api', ARXIV_INTERVAL_MS: '10' }, noFile).arxiv?.intervalMs).toBe(10);
    const bad = () => loadConfig({ ARXIV_CATEGORIES: 'cs.CLL', ARXIV_RSS_URL: 'ftp://x' }, noFile);
    expect(bad).toThrow(/ARXIV_CATEGORIES names "cs.CLL", not an arXiv category \(close: cs.CL,/);
    expect(bad).toThrow(/ARXIV_RSS_URL must be an http\(s\) URL/);
  });

  it('enables Discord and Slack when their variables are set', () => {
    const c = loadConfig(
      {
        DISCORD_TOKEN: 'dtok',
        DISCORD_APPLICATION_ID: '123',
        DISCORD_GUILD_ID: '456',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'sig',
        SLACK_ADMIN_USERS: 'U1, U2,,',
        SLACK_API_URL: 'http://127.0.0.1:9/api',
        PORT: '0',
      },
      noFile,
    );
    expect(c.discord).toEqual({ token: 'dtok', applicationId: '123', apiUrl: 'https://discord.com/api', guildId: '456' });
    expect(c.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'sig', apiUrl: 'http://127.0.0.1:9/api/', adminUsers: ['U1', 'U2'] });
    expect(c.port).toBe(0);
  });

  it('turns on Discord HTTP interactions with DISCORD_PUBLIC_KEY, and refuses a key of the wrong form', () => {
    const key = 'AB'.repeat(32);
    const c = loadConfig({ DISCORD_TOKEN: 'dtok', DISCORD_APPLICATION_ID: '123', DISCORD_PUBLIC_KEY: key }, noFile);
    expect(c.discord).toEqual({ token: 'dtok', applicationId: '123', apiUrl: 'https://discord.com/api', publicKey: key.toLowerCase() });
    const { problems } = checkConfig({ DISCORD_TOKEN: 'dtok', DISCORD_APPLICATION_ID: '123', DISCORD_PUBLIC_KEY: 'abc' });
    expect(problems).toEqual([expect.stringMatching(/^DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters.*\(got "abc"\)$/)]);
    expect(checkConfig({ DISCORD_PUBLIC_KEY: key }).problems).toEqual([
      'DISCORD_TOKEN is required when DISCORD_PUBLIC_KEY is set (HTTP interactions still deliver digests with the bot token)',
      'DISCORD_APPLICATION_ID is required when DISCORD_PUBLIC_KEY is set (follow-ups go to the application)',
    ]);
  });

  it('reads and validates JOB_* with the rest of the configuration, from .env too', () => {
    expect(loadConfig({}, noFile).jobs).toEqual(defaultJobTuning);
    expect(loadConfig({ JOB_POLL_SECONDS: '0.5', JOB_CONCURRENCY: '3' }, noFile).jobs).toMatchObject({ pollSeconds: 0.5, concurrency: 3 });
    const file = join(mkdtempSync(join(tmpdir(), 'pb-jobs-')), '.env');
    writeFileSync(file, 'JOB_CONCURRENCY=0\nJOB_EXPIRE_SECONDS=90000\n');
    expect(() => loadConfig({ DIGEST_TIME: '25:00' }, { envFile: file })).toThrow(ConfigError);
    const { problems } = checkConfig({ JOB_CONCURRENCY: '0', JOB_EXPIRE_SECONDS: '90000', JOB_RETRY_LIMIT: 'many', DIGEST_TIME: '25:00' });
    expect(problems).toEqual([
      expect.stringMatching(/^DIGEST_TIME must be a 24-hour time/),
      'JOB_CONCURRENCY must be a whole number of at least 1 (got "0").',
      'JOB_RETRY_LIMIT must be a whole number of at least 0 (got "many").',
      'JOB_EXPIRE_SECONDS must be under 86400 (got 90000).',
    ]);
  });

  it('treats empty values (a copied .env.example) as unset', () => {
    const c = loadConfig({ DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '  ', PORT: '' }, noFile);
    expect(c.discord).toBeUndefined();
    expect(c.slack).toBeUndefined();
    expect(c.port).toBe(3000);
  });

  it('reports every problem at once, one clear line each', () => {
    const { problems } = checkConfig({
      DISCORD_TOKEN: 'x',
      DIGEST_TIME: '25:00',
      DIGEST_TIMEZONE: 'Mars/Olympus',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set/);
    expect(problems.join('\n')).toMatch(/DIGEST_TIME must be a 24-hour time HH:MM.*got "25:00"/);
    expect(problems.join('\n')).toMatch(/DIGEST_TIMEZONE is not a known IANA time zone.*Mars\/Olympus/);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must be file:PATH .* or postgres:\/\//);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({ PORT: '99999' }, noFile)).toThrow(ConfigError);
  });

  it('never echoes a secret value in a problem', () => {
    const { problems } = checkConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret' });
    expect(problems).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set/)]);
    expect(problems.join()).not.toContain('xoxb-very-secret');
  });

  it('reads .env, with real environment variables winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nDIGEST_TIME=07:30\nDIGEST_TIMEZONE=Europe/Berlin\nPORT=4000\n');
    const c = loadConfig({ PORT: '5000' }, { envFile: file });
    expect(c.digestTime).toBe('07:30');
    expect(c.digestTimezone).toBe('Europe/Berlin');
    expect(c.port).toBe(5000);
  });
});

describe('logger', () => {
  it('logs a config without any of its secrets', () => {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
    const config = loadConfig(
      {
        DISCORD_TOKEN: 'discord-secret-token',
        DISCORD_APPLICATION_ID: '1',
        SLACK_BOT_TOKEN: 'xoxb-slack-secret',
        SLACK_SIGNING_SECRET: 'signing-secret-value',
        SLACK_APP_TOKEN: 'xapp-app-secret',
        DATABASE_URL: 'postgres://paperboy:db-password@127.0.0.1/pb',
      },
      noFile,
    );
    const log = createLogger({ level: 'info', destination: sink });
    log.info({ config }, 'starting');
    log.info({ req: { headers: { authorization: 'Bearer header-secret' } } }, 'request');
    log.info(config, 'flat');
    for (const secret of ['discord-secret-token', 'xoxb-slack-secret', 'signing-secret-value', 'xapp-app-secret', 'db-password', 'header-secret']) {
      expect(out).not.toContain(secret);
    }
    const first = JSON.parse(out.split('\n')[0]!);
    expect(first.config.discord.token).toBe('[redacted]');
    expect(first.config.databaseUrl).toBe('postgres://paperboy:***@127.0.0.1/pb');
    expect(first.config.discord.applicationId).toBe('1');
  });
});
