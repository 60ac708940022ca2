import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand, runCommand } from '../../../src/core/commands/index.ts';
import { destinationKey, replyText } from '../../../src/core/model/index.ts';
import { blocksOf, noticeOf, typed } from './run-text.ts';
import { ctxOf, makeDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
const manager = ctxOf('mia', { channel: 'papers', manage: true });
const member = ctxOf('max', { channel: 'papers' });
const inDm = ctxOf('mia', { channel: null, manage: true });
const channelKey = destinationKey(manager.channel!);

beforeEach(async () => {
  deps = await makeDeps(['2026-06-24', '2026-06-25'], { maxTopicsPerChannel: 2 }, '2026-06-25T12:00:00Z');
});

describe('/digest', () => {
  it('lets a channel manager manage the channel’s topics and schedule', async () => {
    expect(noticeOf(await typed('/digest add agents', manager, deps))).toBe("success: Added “agents” to this channel's topics (1 in all).");
    expect(noticeOf(await typed('/digest add "world model"', manager, deps))).toMatch(/^success:/);
    const list = await typed('/digest list', member, deps);
    expect(blocksOf(list, 'header')[0]!.text).toBe('This channel follows 2 topics');
    expect(replyText(list)).toContain('1. agents\n2. "world model"');
    expect(noticeOf(await typed('/digest add robotics', manager, deps))).toBe(
      'warning: This channel already follows 2 topics, the most allowed (2). Remove one with /digest remove TOPIC first.',
    );
    expect(noticeOf(await typed('/digest remove agents', manager, deps))).toMatch(/^success: Removed “agents”\. 1 topic left/);
    expect(noticeOf(await typed('/digest time 17:30 America/New_York', manager, deps))).toBe(
      'success: The daily digest now comes at 17:30 America/New_York.',
    );
    expect(noticeOf(await typed('/digest off', manager, deps))).toMatch(/^success: Paused\. No digest will be sent until \/digest on/);
    expect(noticeOf(await typed('/digest on', manager, deps))).toMatch(/^success: Resumed\. The next digest comes at 17:30 America\/New_York/);
    const dest = await deps.store.getDestination(channelKey);
    expect(dest!.settings).toMatchObject({ topics: ['"world model"'], time: '17:30', timezone: 'America/New_York', paused: false });
  });

  it('refuses changes from members who cannot manage the channel, and changes nothing', async () => {
    await typed('/digest add agents', manager, deps);
    for (const line of ['/digest add robotics', '/digest remove agents', '/digest time 06:00', '/digest off', '/digest on']) {
      const r = await typed(line, member, deps);
      expect(noticeOf(r), line).toMatch(/^error: Only people who can manage this channel can change this channel's digest/);
      expect(r.ephemeral).toBe(true);
    }
    const dest = await deps.store.getDestination(channelKey);
    expect(dest!.settings).toMatchObject({ topics: ['agents'], time: '09:00', paused: false });
  });

  it('lets anyone list, preview and see the status', async () => {
    await typed('/digest add agents', manager, deps);
    expect(replyText(await typed('/digest list', member, deps))).toContain('agents');
    expect(noticeOf(await typed('/digest preview', member, deps))).toMatch(/^info: Preview only/);
    expect(blocksOf(await typed('/digest status', member, deps), 'fields')).toHaveLength(1);
  });

  it('explains that /digest needs a channel when used in a DM', async () => {
    for (const line of ['/digest add agents', '/digest list', '/digest preview', '/digest status', '/digest time 08:00']) {
      const r = await typed(line, inDm, deps);
      expect(noticeOf(r), line).toMatch(/^warning: \/digest \w+ works in a channel, not in a direct message\. For your own digest use \/topics\./);
    }
    expect(await deps.store.listDestinations()).toEqual([]);
  });

  it('keeps channel and personal topics apart', async () => {
    await typed('/digest add agents', manager, deps);
    expect(noticeOf(await typed('/topics list', manager, deps))).toBe('info: You follow no topics yet.');
    await typed('/topics add robotics', manager, deps);
    expect(replyText(await typed('/digest list', manager, deps))).not.toContain('robotics');
    // Another channel has its own topics.
    const other = ctxOf('mia', { channel: 'random', manage: true });
    expect(noticeOf(await typed('/digest list', other, deps))).toBe('info: This channel follows no topics yet.');
  });

  it('previews what the next digest would hold, merged across topics, recording nothing', async () => {
    await typed('/digest add agents', manager, deps);
    await typed('/digest add GUI', manager, deps);
    const r = await typed('/digest preview', member, deps);
    const papers = blocksOf(r, 'paper');
    expect(papers.length).toBeGreaterThan(1);
    const both = papers.filter((p) => p.hit.matched.length === 2);
    expect(both.length).toBeGreaterThan(0);
    for (const p of both) expect(p.hit.matched).toEqual(['agents', 'GUI']);
    const ids = papers.map((p) => p.hit.paper.id);
    expect(new Set(ids).size).toBe(ids.length);
    const upvotes = papers.map((p) => p.hit.paper.upvotes);
    expect([...upvotes].sort((a, b) => b - a)).toEqual(upvotes);
    expect((await deps.store.deliveredPapers(channelKey, ids)).size).toBe(0);
    expect(await deps.store.digestStatus(channelKey, '2026-06-25')).toBeUndefined();
  });

  it('reports last run and failure in the channel’s zone', async () => {
    await typed('/digest add agents', manager, deps);
    await typed('/digest time 08:00 Europe/Berlin', manager, deps);
    await deps.store.updateState(channelKey, {
      lastRunAt: '2026-06-25T06:00:00.000Z',
      lastRunPapers: 1,
      lastFailure: { at: '2026-06-24T06:00:05.000Z', code: 'missing_permission', message: 'Cannot post here', permanent: false },
    });
    const f = Object.fromEntries(blocksOf(await typed('/digest status', member, deps), 'fields')[0]!.fields.map((x) => [x.label, x.value]));
    expect(f['Last run']).toBe('Thu, 25 Jun 2026, 08:00 (Europe/Berlin), 1 paper');
    expect(f['Next run']).toBe('Fri, 26 Jun 2026, 08:00 (Europe/Berlin)');
    expect(f['Last failure']).toBe('Wed, 24 Jun 2026, 08:00 (Europe/Berlin): Cannot post here (missing_permission)');
  });

  it('checks a required argument before the permission', async () => {
    const r = await runCommand(findCommand('digest', 'time')!, member, {}, deps);
    expect(noticeOf(r)).toBe('error: Missing TIME.');
    expect(replyText(r)).toContain('Usage: /digest time HH:MM [ZONE]');
  });
});
