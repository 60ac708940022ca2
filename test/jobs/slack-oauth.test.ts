/**
 * Slack OAuth for many workspaces: a real Bolt App with the PostgreSQL InstallationStore, the
 * install redirect, the code exchange against a local oauth.v2.access, and requests from two
 * workspaces each authorized with its own stored token.
 */
import { App } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { INSTALL_PATH, REDIRECT_PATH, slackOAuthAppOptions, slackOAuthConfig } from '../../src/bots/slack/oauth.ts';
import { checkConfig, loadConfig } from '../../src/config.ts';
import { installOf } from '../../src/bots/slack/context.ts';
import { openStore } from '../../src/store/index.ts';
import { boltInstallationStore, type SlackInstallations } from '../../src/bots/slack/installation-store.ts';
import { pgInstallations } from '../../src/store/postgres/installations.ts';
import { signedHeaders, slashCommandBody } from '../support/slack/sign.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { startOAuthStandIn, type OAuthStandIn } from './oauth-stand-in.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('Slack OAuth'));

const CLIENT = { clientId: '111.222', clientSecret: 'oauth-client-secret', stateSecret: 'oauth-state-secret' };
const SIGNING = 'oauth-signing-secret';
// Bolt logs the refused requests this test makes on purpose; keep the output for real failures.
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error', setName() {} } as never;

/** The OAuth settings as the app reads them: validated with the rest of the configuration. */
const oauthFrom = (env: Record<string, string>) =>
  slackOAuthConfig(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', SLACK_SIGNING_SECRET: SIGNING, ...env }, { envFile: '' }).slack!.oauth!);

describe('Slack OAuth settings from the configuration', () => {
  it('is off without any, needs all three, defaults the scopes', () => {
    expect(loadConfig({}, { envFile: '' }).slack).toBeUndefined();
    expect(checkConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', SLACK_SIGNING_SECRET: SIGNING, SLACK_CLIENT_ID: 'x' }).problems).toEqual([
      'SLACK_CLIENT_SECRET is required when SLACK_CLIENT_ID is set (Slack OAuth needs all three)',
      'SLACK_STATE_SECRET is required when SLACK_CLIENT_ID is set (Slack OAuth needs all three)',
    ]);
    expect(oauthFrom({ SLACK_CLIENT_ID: 'a', SLACK_CLIENT_SECRET: 'b', SLACK_STATE_SECRET: 'c' }).scopes).toContain('chat:write');
    expect(oauthFrom({ SLACK_CLIENT_ID: 'a', SLACK_CLIENT_SECRET: 'b', SLACK_STATE_SECRET: 'c', SLACK_SCOPES: 'commands, chat:write' }).scopes).toEqual(['commands', 'chat:write']);
  });
});

describe.skipIf(!adminUrl)('Slack OAuth install flow with the PostgreSQL InstallationStore', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let installs: SlackInstallations;
  let slack: OAuthStandIn;
  let app: App;
  let base: string;
  const seen: { team: string | undefined; token: string | undefined }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    // Opening the store applies the migrations, the installations table among them.
    await (await openStore(db.url, { logger: silentLogger })).close();
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    installs = boltInstallationStore(pgInstallations(pool));
    slack = await startOAuthStandIn({
      ...CLIENT,
      workspaces: [
        { code: 'code-a', teamId: 'T0AAA', token: 'xoxb-workspace-a' },
        { code: 'code-b', teamId: 'T0BBB', token: 'xoxb-workspace-b' },
      ],
    });
    const oauth = oauthFrom({ SLACK_CLIENT_ID: CLIENT.clientId, SLACK_CLIENT_SECRET: CLIENT.clientSecret, SLACK_STATE_SECRET: CLIENT.stateSecret });
    const clientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } };
    app = new App({ signingSecret: SIGNING, clientOptions, logger: quiet, ...slackOAuthAppOptions(oauth, installs, clientOptions) });
    app.command('/papers', async ({ ack, context }) => {
      seen.push({ team: context.teamId, token: context.botToken });
      await ack('found');
    });
    const server = (await app.start(0)) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await pool?.end();
    await db?.drop();
  });

  /** /slack/install -> Slack's consent page (state in the URL and a cookie), then Slack's redirect back. */
  async function install(code: string): Promise<Response> {
    const start = await fetch(`${base}${INSTALL_PATH}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(location.searchParams.get('scope')).toContain('chat:write');
    const state = location.searchParams.get('state')!;
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    return fetch(`${base}${REDIRECT_PATH}?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  }

  async function command(team: string): Promise<Response> {
    const body = slashCommandBody({ command: '/papers', text: 'agents', user_id: 'U1', channel_id: 'C1', response_url: 'http://127.0.0.1:9/r', team_id: team });
    return fetch(`${base}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING, body, 'application/x-www-form-urlencoded'), body });
  }

  it('installs two workspaces, each stored with its own token, and authorizes each with it', async () => {
    expect((await install('code-a')).status).toBe(200);
    expect((await install('code-b')).status).toBe(200);
    expect(slack.exchanges.map((e) => e.outcome)).toEqual(['ok', 'ok']);
    expect(await installs.count()).toBe(2);
    expect(await installs.botToken('T0AAA')).toBe('xoxb-workspace-a');
    expect(await installs.botToken('T0BBB')).toBe('xoxb-workspace-b');

    expect((await command('T0AAA')).status).toBe(200);
    expect((await command('T0BBB')).status).toBe(200);
    expect(seen).toEqual([
      { team: 'T0AAA', token: 'xoxb-workspace-a' },
      { team: 'T0BBB', token: 'xoxb-workspace-b' },
    ]);
  });

  it('refuses a redirect without the state cookie and a replayed code; a workspace never installed is not served', async () => {
    const before = await installs.count();
    const forged = await fetch(`${base}${REDIRECT_PATH}?code=code-a&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const replay = await install('code-a');
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(slack.exchanges.at(-1)?.outcome).toBe('invalid_code');
    expect(await installs.count()).toBe(before);

    const n = seen.length;
    await command('T0NOTINSTALLED');
    expect(seen.length).toBe(n);
  });

  it('a reinstall replaces the token; uninstall deletes it', async () => {
    await installs.storeInstallation({
      team: { id: 'T0AAA' },
      enterprise: undefined,
      bot: { token: 'xoxb-workspace-a-2', scopes: ['chat:write'], id: 'B', userId: 'U' },
      user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
      isEnterpriseInstall: false,
    });
    expect(await installs.botToken('T0AAA')).toBe('xoxb-workspace-a-2');
    expect(await installs.count()).toBe(2);
    await installs.deleteInstallation!({ teamId: 'T0AAA', isEnterpriseInstall: false, enterpriseId: undefined });
    expect(await installs.botToken('T0AAA')).toBeUndefined();
    await expect(installs.fetchInstallation({ teamId: 'T0AAA', isEnterpriseInstall: false, enterpriseId: undefined })).rejects.toThrow(/install the app/);
  });

  it('an org-wide (Enterprise Grid) install is stored under its enterprise and serves the digests of destinations keyed by it', async () => {
    await installs.storeInstallation({
      team: undefined,
      enterprise: { id: 'E0ORG' },
      bot: { token: 'xoxb-org-wide', scopes: ['chat:write'], id: 'B', userId: 'U' },
      user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
      isEnterpriseInstall: true,
    });
    const { rows } = await pool.query<{ install_key: string }>(`SELECT install_key FROM slack_installations WHERE enterprise_id = 'E0ORG'`);
    expect(rows.map((r) => r.install_key)).toEqual(['E:E0ORG']);
    // Requests from the org's workspaces carry enterprise_id with is_enterprise_install: their destinations carry the enterprise.
    expect(installOf({ team_id: 'T0INORG', enterprise_id: 'E0ORG', is_enterprise_install: 'true' })).toBe('E0ORG');
    expect(installOf({ team_id: 'T0INORG', enterprise_id: 'E0ORG', is_enterprise_install: false })).toBe('T0INORG');
    expect(await installs.botToken('E0ORG')).toBe('xoxb-org-wide');
    // Workspace installs are found as before; an unknown id finds nothing.
    expect(await installs.botToken('T0BBB')).toBe('xoxb-workspace-b');
    expect(await installs.botToken('E0OTHER')).toBeUndefined();
    await installs.deleteInstallation!({ teamId: undefined, isEnterpriseInstall: true, enterpriseId: 'E0ORG' });
    expect(await installs.botToken('E0ORG')).toBeUndefined();
  });
});
