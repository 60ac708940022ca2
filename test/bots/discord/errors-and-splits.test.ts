import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Destination, PaperHit, ReplyBlock } from '../../../src/core/index.ts';
import { DEFAULT_GUILD } from '../../support/discord/index.ts';
import { Harness, papers, startHarness } from './harness.ts';

type Json = Record<string, unknown>;
const FORUM = (DEFAULT_GUILD.channels[2] as { id: string }).id;

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

describe('one error handler', () => {
  it('logs a failed reply and tells the user privately instead of crashing', async () => {
    h.stand.fail({ method: 'POST', path: /\/callback$/ }, { status: 400, code: 40060, message: 'Interaction has already been acknowledged.' });
    const i = h.command({ name: 'topics', sub: 'list' }, 'dm');
    const second = await h.stand.waitForRequest((r) => r.path.endsWith(`/${String(i.token)}/callback`) && r.status === 204);
    const data = (second.body as { type: number; data: Json }).data;
    expect(Number(data.flags) & 64).toBe(64);
    expect(String(data.content)).toMatch(/went wrong/);
    expect(h.logger.lines.some((l) => l.level === 'error' && l.msg === 'discord interaction failed')).toBe(true);
    // The bot is still there.
    const ok = await h.final(h.command({ name: 'topics', sub: 'list' }, 'dm'));
    expect(String(ok.body.content).length).toBeGreaterThan(0);
  });

  it('answers a failing autocomplete with no choices rather than not at all', async () => {
    h.stand.fail({ method: 'POST', path: /\/callback$/ }, { status: 400, code: 50035, message: 'Invalid Form Body' });
    const i = h.autocomplete({ name: 'topics', sub: 'time', options: { time: '08:00', zone: 'Europe/' } }, 'zone', 'dm');
    const retry = await h.stand.waitForRequest((r) => r.path.endsWith(`/${String(i.token)}/callback`) && r.status === 204);
    expect(retry.body).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe('replies larger than one message', () => {
  it('splits a big preview into a reply and private follow-ups, each within limits', async () => {
    await h.final(h.command({ name: 'topics', sub: 'add', options: { topic: 'model | agent | learning | benchmark | video' } }, 'dm'));
    const i = h.command({ name: 'topics', sub: 'preview' }, 'dm');
    const first = await h.final(i);
    const embeds = (first.body.embeds as Json[]).length;
    expect(embeds).toBeLessThanOrEqual(10);
    const follow = await h.stand.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${h.stand.applicationId}/${String(i.token)}`);
    expect(Number((follow.body as Json).flags) & 64).toBe(64);
    expect(((follow.body as Json).embeds as Json[]).length).toBeGreaterThan(0);
  });

  it('posts a long forum digest as a post plus messages inside that post', async () => {
    const dest = await h.deps.store.ensureDestination({ platform: 'discord', kind: 'channel', id: FORUM, workspace: DEFAULT_GUILD.id }, { topics: ['x'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 30 });
    const hits: PaperHit[] = papers.slice(0, 25).map((paper) => ({ paper, score: 1, matched: ['x'] }));
    const blocks: ReplyBlock[] = [{ type: 'header', text: 'Big digest' }, ...hits.map((hit, n): ReplyBlock => ({ type: 'paper', hit, rank: n + 1 }))];
    await h.adapter.deliver(dest as Destination, { ephemeral: false, blocks });
    const created = await h.stand.waitForRequest((r) => r.path === `/channels/${FORUM}/threads`);
    expect((created.body as { name: string }).name).toBe('Big digest');
    const thread = [...h.stand.state.channels.values()].find((c) => c.parent_id === FORUM);
    const inThread = h.stand.state.messages.get(String(thread?.id)) ?? [];
    expect(inThread.length).toBeGreaterThanOrEqual(3); // the starter plus the rest of the papers
    expect(inThread.reduce((n, m) => n + ((m.embeds as Json[] | undefined)?.length ?? 0), 0)).toBe(25);
  });
});
