/**
 * The whole app in OAuth mode on PostgreSQL: two workspaces install through /slack/install, and
 * the pg-boss digest jobs deliver each workspace's channel digest with that workspace's token.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { checkConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { realPapers } from '../store/real-papers.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { waitFor } from '../support/wait.ts';
import { startOAuthStandIn, type OAuthStandIn } from './oauth-stand-in.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('Slack OAuth app'));

describe('configuration of Slack OAuth', () => {
  it('needs all three settings, HTTP mode and PostgreSQL; enables Slack without a bot token', () => {
    const partial = checkConfig({ SLACK_CLIENT_ID: '1.2', SLACK_SIGNING_SECRET: 's', DATABASE_URL: 'postgres://u@h/db' });
    expect(partial.problems.join('\n')).toMatch(/SLACK_CLIENT_SECRET is required/);
    const onJson = checkConfig({ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 's', SLACK_SIGNING_SECRET: 'x' });
    expect(onJson.problems.join('\n')).toMatch(/DATABASE_URL must be postgres/);
    const ok = checkConfig({ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 's', SLACK_SIGNING_SECRET: 'x', DATABASE_URL: 'postgres://u@h/db' });
    expect(ok.problems).toEqual([]);
    expect(ok.config?.slack).toMatchObject({ botToken: '', oauth: { clientId: '1.2' } });
  });
});

describe.skipIf(!adminUrl)('the app with Slack OAuth on PostgreSQL', () => {
  let db: TestDatabase | undefined;
  let slack: OAuthStandIn | undefined;
  let app: App | undefined;
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await db?.drop();
  });

  it('installs two workspaces and delivers each digest with its workspace token', async () => {
    db = await createTestDatabase(adminUrl!);
    slack = await startOAuthStandIn({
      clientId: '1.2',
      clientSecret: 'client-secret',
      workspaces: [
        { code: 'code-a', teamId: 'T0AAA', token: 'xoxb-workspace-a' },
        { code: 'code-b', teamId: 'T0BBB', token: 'xoxb-workspace-b' },
      ],
    });
    const { config, problems } = checkConfig({
      DATABASE_URL: db.url,
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HF_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(problems).toEqual([]);
    app = await createApp(config!, { logger: silentLogger, hfRetries: 0 });
    await app.start();
    expect(app.jobs?.kind).toBe('pg-boss');
    const port = (app.adapters[0] as unknown as { port(): number }).port();
    const base = `http://127.0.0.1:${port}`;

    for (const code of ['code-a', 'code-b']) {
      const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const done = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
      expect(done.status).toBe(200);
    }

    // A due channel in each workspace, and real papers listed an hour ago.
    const store = await openStore(db.url, { logger: silentLogger });
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const due = new Date(now.getTime() - 10 * 60_000);
    const time = due.toISOString().slice(11, 16);
    try {
      await store.upsertPapers(realPapers('2026-06-24').slice(0, 5).map((p) => ({ ...p, listedOn: today, submittedAt: new Date(now.getTime() - 3_600_000).toISOString() })));
      await store.markDayFetched(today, now.toISOString(), 5);
      await store.markDayFetched(new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10), now.toISOString(), 0);
      for (const [team, channel] of [['T0AAA', 'C0AAA'], ['T0BBB', 'C0BBB']] as const) {
        await store.ensureDestination(
          { platform: 'slack', kind: 'channel', id: channel, workspace: team },
          { topics: ['agent'], time, timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: true, maxPapers: 5 },
        );
      }
    } finally {
      await store.close();
    }
    await app.jobs!.tick();
    const { posts } = slack;
    const { metrics } = app;
    await waitFor(() => posts.length >= 2, { what: 'a digest posted to each workspace', timeoutMs: 60_000, intervalMs: 50 });
    expect(slack.posts.map((p) => [p.channel, p.token]).sort()).toEqual([
      ['C0AAA', 'xoxb-workspace-a'],
      ['C0BBB', 'xoxb-workspace-b'],
    ]);
    // Counted once each job has recorded its outcome, just after the post.
    const sent = /paperboy_digests_sent_total\{result="sent"\} 2/;
    let text = '';
    await waitFor(async () => sent.test((text = await metrics.render())), { what: 'both sends counted in /metrics', timeoutMs: 30_000, intervalMs: 50, detail: () => text });
  }, 120_000);
});
