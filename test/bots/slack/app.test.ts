/**
 * The whole process as `npm start` builds it (config from the environment, JSON store, HF source,
 * scheduler cycle) with Slack in HTTP mode and its Web API pointed at the local stand-in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.ts';
import type { SlackAdapter } from '../../../src/bots/slack/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger, type Clock } from '../../../src/core/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { startHfStandIn, type HfStandIn } from '../../support/hf-stand-in.ts';
import { BOT_TOKEN, CHANNELS, SECRET, USERS } from '../../support/slack/harness.ts';
import { postSigned, slashCommandBody } from '../../support/slack/sign.ts';
import { startSlackStandIn, type CapturedResponse, type SlackStandIn } from '../../support/slack/web-api-stand-in.ts';

let slack: SlackStandIn;
let hf: HfStandIn;
let app: App;
let dir: string;
let base: string;
let t = new Date('2026-08-20T08:00:00Z');
const clock: Clock = { now: () => t };
let n = 0;

beforeAll(async () => {
  slack = await startSlackStandIn({
    botToken: BOT_TOKEN,
    users: [{ id: USERS.admin, is_admin: true, tz: 'UTC' }, { id: USERS.member, tz: 'UTC' }],
    channels: [{ id: CHANNELS.research }],
  });
  hf = await startHfStandIn();
  dir = await mkdtemp(join(tmpdir(), 'paperboy-slack-app-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl,
    HF_ENDPOINT: hf.url, DATABASE_URL: `file:${join(dir, 'paperboy.json')}`, PORT: '0', LOG_LEVEL: 'silent',
  }, { envFile: join(dir, 'no.env') });
  app = await createApp(config, { clock, logger: silentLogger, schedule: false, hfRetries: 0 });
  await app.start();
  const adapter = app.adapters.find((a) => a.platform === 'slack') as SlackAdapter;
  base = `http://127.0.0.1:${adapter.port()}`;
});

afterAll(async () => {
  await app?.stop();
  await slack?.close();
  await hf?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(command: string, text: string, user: string = USERS.member): Promise<CapturedResponse> {
  const id = `app${++n}`;
  const body = slashCommandBody({ command, text, user_id: user, channel_id: CHANNELS.research, response_url: slack.responseUrl(id) });
  const res = await postSigned(`${base}/slack/events`, SECRET, body);
  expect(res.status).toBe(200);
  return slack.waitFor(() => slack.responses.find((r) => r.id === id), `respond ${id}`);
}

describe('npm start with Slack configured (HTTP mode)', () => {
  it('starts the Slack adapter on PORT with /healthz beside /slack/events', async () => {
    expect(app.adapters.map((a) => a.platform)).toEqual(['slack']);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', adapters: { slack: { connected: true } } });
  });

  it('refuses unsigned requests', async () => {
    const body = slashCommandBody({ command: '/papers', text: 'agent', user_id: USERS.member, channel_id: CHANNELS.research, response_url: slack.responseUrl('x') });
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(401);
  });

  it('fetches papers, then answers /papers agent with valid blocks', async () => {
    await runCycle(app.deps, app.adapters, t);
    expect(await app.deps.store.countPapers()).toBeGreaterThan(0);
    const r = await run('/papers', 'agent');
    expect(r.problems).toEqual([]);
    expect(JSON.stringify(r.body.blocks)).toContain('https://huggingface.co/papers/');
  });

  it("manages topics and posts the channel digest at the channel's time", async () => {
    expect(JSON.stringify((await run('/topics', 'add harness')).body)).toContain('harness');
    await run('/digest', 'add harness', USERS.admin);
    await run('/digest', 'time 09:00 UTC', USERS.admin);
    const early = await runCycle(app.deps, app.adapters, t);
    expect(early.outcomes.filter((o) => o.key === `slack:channel:${CHANNELS.research}`)).toEqual([]);
    t = new Date('2026-08-20T09:01:00Z');
    const report = await runCycle(app.deps, app.adapters, t);
    expect(report.outcomes).toContainEqual(expect.objectContaining({ key: `slack:channel:${CHANNELS.research}`, status: 'sent' }));
    const post = slack.callsOf('chat.postMessage').find((c) => c.args.channel === CHANNELS.research && c.outcome === 'ok');
    expect(post).toBeDefined();
    expect(JSON.stringify(post!.args.blocks)).toContain('Zetta');
  });

  it('times each command until acked and until answered, per platform and command, on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const count = (name: string, command: string) =>
      Number(new RegExp(`^${name}_count\\{[^}]*platform="slack"[^}]*\\} (\\d+)$`, 'm').exec(text.split('\n').filter((l) => l.includes(`command="${command}"`)).join('\n'))?.[1]);
    expect(count('paperboy_command_ack_seconds', '/papers')).toBe(1);
    expect(count('paperboy_command_answer_seconds', '/digest add')).toBe(1);
    expect(count('paperboy_command_answer_seconds', '/topics add')).toBe(1);
  });
});
