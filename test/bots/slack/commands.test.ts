import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationKey } from '../../../src/core/index.ts';
import { CHANNELS, SECRET, USERS, buttonsOf, startHarness, textOf, type Harness } from '../../support/slack/harness.ts';
import { postSigned, slashCommandBody } from '../../support/slack/sign.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const userKey = (id: string) => destinationKey({ platform: 'slack', kind: 'user', id });
const channelKey = (id: string) => destinationKey({ platform: 'slack', kind: 'channel', id });

describe('Slack slash commands through the real HTTPReceiver', () => {
  it('answers /papers transformers with valid blocks: linked papers, paging and subscribe buttons', async () => {
    const r = await h.command('/papers', 'transformers');
    expect(r.problems).toEqual([]);
    const blocks = r.body.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]!.type).toBe('header');
    const papers = blocks.filter((b) => b.type === 'section' && b.text?.text.includes('<https://huggingface.co/papers/'));
    expect(papers.length).toBeGreaterThan(0);
    expect(papers.length).toBeLessThanOrEqual(h.deps.config.pageSize);
    expect(typeof r.body.text).toBe('string');
    expect(['ephemeral', 'in_channel']).toContain(r.body.response_type);
    const buttons = buttonsOf(r);
    expect(buttons.map((b) => JSON.parse(b.value).type)).toEqual(expect.arrayContaining(['page', 'subscribe']));
  });

  it('shows help for /papers alone, /papers help and unknown subcommands', async () => {
    for (const [cmd, text] of [['/papers', ''], ['/papers', 'help'], ['/topics', ''], ['/digest', 'help']] as const) {
      const r = await h.command(cmd, text);
      expect(r.problems).toEqual([]);
      expect(r.body.response_type).toBe('ephemeral');
      expect(textOf(r)).toContain(cmd);
    }
    const bad = await h.command('/topics', 'frobnicate x');
    expect(textOf(bad)).toContain('no subcommand');
  });

  it('runs every /topics subcommand for the caller, with the zone from users.info', async () => {
    const u = USERS.member;
    expect(textOf(await h.command('/topics', 'add agents', u))).toMatch(/Added/);
    expect(textOf(await h.command('/topics', 'add "world model"', u))).toMatch(/Added/);
    const list = await h.command('/topics', 'list', u);
    expect(list.body.response_type).toBe('ephemeral');
    expect(textOf(list)).toContain('agents');
    expect(textOf(await h.command('/topics', 'remove agents', u))).toMatch(/Removed/);
    expect(textOf(await h.command('/topics', 'time 07:30', u))).toMatch(/07:30/);
    let dest = await h.deps.store.getDestination(userKey(u));
    // The member's Slack profile says America/New_York; no zone was typed.
    expect(dest!.settings).toMatchObject({ topics: ['"world model"'], time: '07:30', timezone: 'America/New_York' });
    expect(textOf(await h.command('/topics', 'time 18:00 Asia/Tokyo', u))).toMatch(/18:00 Asia\/Tokyo/);
    expect(textOf(await h.command('/topics', 'pause', u))).toMatch(/Paused/i);
    expect((await h.deps.store.getDestination(userKey(u)))!.settings.paused).toBe(true);
    expect(textOf(await h.command('/topics', 'resume', u))).toMatch(/Resumed/i);
    const status = await h.command('/topics', 'status', u);
    expect(status.problems).toEqual([]);
    expect(textOf(status)).toMatch(/Asia\/Tokyo/);
    expect(textOf(await h.command('/topics', 'clear', u))).toMatch(/Cleared|Removed|removed/);
    dest = await h.deps.store.getDestination(userKey(u));
    expect(dest!.settings.topics).toEqual([]);
    // Nobody else's topics were touched.
    expect(await h.deps.store.getDestination(userKey(USERS.admin))).toBeUndefined();
  });

  it('lets a workspace admin run every /digest subcommand for the channel', async () => {
    const a = USERS.admin;
    const c = CHANNELS.research;
    expect(textOf(await h.command('/digest', 'add agents', a, c))).toMatch(/Added/);
    expect(textOf(await h.command('/digest', 'add robotics', a, c))).toMatch(/Added/);
    expect(textOf(await h.command('/digest', 'remove robotics', a, c))).toMatch(/Removed/);
    expect(textOf(await h.command('/digest', 'list', USERS.member, c))).toContain('agents');
    expect(textOf(await h.command('/digest', 'time 08:15 Europe/Berlin', a, c))).toMatch(/08:15 Europe\/Berlin/);
    expect(textOf(await h.command('/digest', 'off', a, c))).toMatch(/Paused/i);
    expect(textOf(await h.command('/digest', 'on', a, c))).toMatch(/Resumed/i);
    const preview = await h.command('/digest', 'preview', USERS.member, c);
    expect(preview.problems).toEqual([]);
    expect(preview.body.response_type).toBe('ephemeral');
    const status = await h.command('/digest', 'status', USERS.member, c);
    expect(status.problems).toEqual([]);
    expect((await h.deps.store.getDestination(channelKey(c)))!.settings).toMatchObject({ topics: ['agents'], time: '08:15', timezone: 'Europe/Berlin', paused: false });
  });

  it('refuses channel management to a non-admin and changes nothing', async () => {
    const before = await h.deps.store.getDestination(channelKey(CHANNELS.research));
    for (const text of ['add diffusion', 'remove agents', 'time 06:00', 'off', 'on']) {
      const r = await h.command('/digest', text, USERS.member, CHANNELS.research);
      expect(r.body.response_type).toBe('ephemeral');
      expect(textOf(r), text).toMatch(/Only people who can manage this channel/);
    }
    expect((await h.deps.store.getDestination(channelKey(CHANNELS.research)))!.settings).toEqual(before!.settings);
  });

  it('allows owners and users listed in SLACK_ADMIN_USERS to manage channels', async () => {
    expect(textOf(await h.command('/digest', 'add "video generation"', USERS.owner, CHANNELS.research))).toMatch(/Added/);
    expect(textOf(await h.command('/digest', 'remove "video generation"', USERS.listed, CHANNELS.research))).toMatch(/Removed/);
  });

  it('reads typed text as the user wrote it (Slack escapes &, < and >)', async () => {
    const r = await h.command('/topics', 'add R&amp;D &lt;agents&gt;', USERS.listed);
    expect(textOf(r)).toMatch(/Added/);
    expect((await h.deps.store.getDestination(userKey(USERS.listed)))!.settings.topics).toContain('R&D <agents>');
    // Echoed back escaped exactly once.
    expect(textOf(await h.command('/topics', 'list', USERS.listed))).toContain('R&amp;D &lt;agents&gt;');
    await h.command('/topics', 'clear', USERS.listed);
  });

  it('says /digest needs a channel when typed in a DM', async () => {
    const r = await h.command('/digest', 'add agents', USERS.admin, `D${USERS.admin}`);
    expect(textOf(r)).toMatch(/works in a channel, not in a direct message/);
  });

  it('acks before any slow work: the HTTP answer comes while users.info is still pending', async () => {
    let release!: () => void;
    h.standIn.failNext('users.info', { hold: new Promise<void>((r) => (release = r)) });
    const body = slashCommandBody({ command: '/topics', text: 'list', user_id: USERS.fresh, channel_id: CHANNELS.research, response_url: h.standIn.responseUrl('slow') });
    const res = await postSigned(h.eventsUrl, SECRET, body);
    expect(res).toEqual({ status: 200, text: '' });
    // The command's users.info call reaches Slack and is held there; the reply is still pending.
    await h.standIn.waitFor(() => h.standIn.callsOf('users.info').some((c) => c.args.user === USERS.fresh), 'users.info for the caller');
    expect(h.standIn.responses.find((r) => r.id === 'slow')).toBeUndefined();
    release();
    const r = await h.standIn.waitFor(() => h.standIn.responses.find((x) => x.id === 'slow'), 'the slow reply');
    expect(r.problems).toEqual([]);
  });

  it('caches users.info briefly instead of asking Slack on every command', async () => {
    const before = h.standIn.callsOf('users.info').filter((c) => c.args.user === USERS.berlin).length;
    await h.command('/topics', 'list', USERS.berlin);
    await h.command('/topics', 'list', USERS.berlin);
    const after = h.standIn.callsOf('users.info').filter((c) => c.args.user === USERS.berlin).length;
    expect(after - before).toBe(1);
    expect(h.standIn.callsOf('users.info').every((c) => c.token === 'xoxb-test-bot-token')).toBe(true);
  });

  it('counts commands in /metrics on the same port, next to /healthz', async () => {
    const m = await fetch(`${h.baseUrl}/metrics`);
    expect(m.status).toBe(200);
    expect(await m.text()).toMatch(/paperboy_slack_commands_total\{command="papers",result="ok"\} [1-9]/);
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', adapters: { slack: { connected: true } }, lastDigestRunAt: null });
  });

  it('logged no errors along the way', () => {
    expect(h.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
