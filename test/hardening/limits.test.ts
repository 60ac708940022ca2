/**
 * Every cap answers with a clear message: topics per person and per channel, query and topic
 * length, and the per-user command rate limit as Discord and Slack users see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand, runCommand } from '../../src/core/commands/index.ts';
import { createRateLimiter } from '../../src/core/limits/index.ts';
import { Harness as DiscordHarness, startHarness as startDiscord } from '../bots/discord/harness.ts';
import { noticeOf } from '../core/commands/run-text.ts';
import { ctxOf, makeDeps, type TestDeps } from '../core/commands/support.ts';
import { USERS, startHarness as startSlack, textOf, type Harness as SlackHarness } from '../support/slack/harness.ts';

describe('caps in the core', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await makeDeps(['2026-06-24'], { maxTopicsPerUser: 25, maxTopicsPerChannel: 50, maxQueryLength: 200 });
  });

  it('a person may follow 25 topics; the 26th is refused saying how to make room', async () => {
    const add = findCommand('topics', 'add')!;
    const me = ctxOf('capper', { platform: 'slack' });
    for (let i = 0; i < 25; i++) expect(noticeOf(await runCommand(add, me, { topic: `topic number ${i}` }, deps))).toMatch(/^success/);
    const r = await runCommand(add, me, { topic: 'one too many' }, deps);
    expect(noticeOf(r)).toBe('warning: You already follow 25 topics, the most allowed (25). Remove one with /topics remove TOPIC first.');
    expect((await deps.store.getDestination('slack:user:capper'))!.settings.topics).toHaveLength(25);
  });

  it('a channel may follow 50 topics; the 51st is refused', async () => {
    const add = findCommand('digest', 'add')!;
    const mgr = ctxOf('mgr', { platform: 'discord', manage: true, channel: 'capped' });
    for (let i = 0; i < 50; i++) expect(noticeOf(await runCommand(add, mgr, { topic: `channel topic ${i}` }, deps))).toMatch(/^success/);
    expect(noticeOf(await runCommand(add, mgr, { topic: 'one too many' }, deps))).toMatch(/^warning: This channel already follows 50 topics, the most allowed \(50\)/);
  });

  it('queries and topics over 200 characters are refused with the limit and the length', async () => {
    const long = 'a'.repeat(201);
    expect(noticeOf(await runCommand(findCommand('papers')!, ctxOf('q'), { query: long }, deps))).toBe('warning: QUERY is too long: at most 200 characters (got 201).');
    expect(noticeOf(await runCommand(findCommand('topics', 'add')!, ctxOf('q'), { topic: long }, deps))).toBe('warning: TOPIC is too long: at most 200 characters (got 201).');
    expect(noticeOf(await runCommand(findCommand('topics', 'add')!, ctxOf('q'), { topic: 'a'.repeat(200) }, deps))).toMatch(/^success/);
  });
});

describe('the rate limit as platform users see it', () => {
  let d: DiscordHarness;
  let s: SlackHarness;
  beforeAll(async () => {
    [d, s] = await Promise.all([startDiscord(), startSlack()]);
    d.deps.limiter = createRateLimiter();
    s.deps.limiter = createRateLimiter();
  });
  afterAll(async () => {
    await Promise.all([d?.close(), s?.close()]);
  });

  it('Discord: the 21st command within a minute gets a private "slow down"; other members are unaffected', async () => {
    for (let i = 0; i < 20; i++) expect(DiscordHarness.text((await d.final(d.command({ name: 'topics', sub: 'list' }))).body)).not.toMatch(/Slow down/);
    const { body, ephemeral } = await d.final(d.command({ name: 'papers', options: { query: 'diffusion' } }));
    expect(ephemeral).toBe(true);
    expect(String(body.content)).toMatch(/Slow down: you can run at most 20 commands a minute\. Try again in \d+ seconds?\./);
    expect(DiscordHarness.text((await d.final(d.command({ name: 'topics', sub: 'list' }, 'member', d.bob))).body)).not.toMatch(/Slow down/);
    expect(d.stand.invalid).toEqual([]);
  });

  it('Slack: the 21st command within a minute gets an ephemeral "slow down"', async () => {
    for (let i = 0; i < 20; i++) expect(textOf(await s.command('/topics', 'list', USERS.member))).not.toMatch(/Slow down/);
    const r = await s.command('/papers', 'diffusion', USERS.member);
    expect(r.problems).toEqual([]);
    expect(r.body.response_type).toBe('ephemeral');
    expect(textOf(r)).toMatch(/Slow down: you can run at most 20 commands a minute/);
    expect(textOf(await s.command('/topics', 'list', USERS.admin))).not.toMatch(/Slow down/);
  });
});
