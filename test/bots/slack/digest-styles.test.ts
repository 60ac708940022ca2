/**
 * Digest styles through the real Bolt app (signed slash commands) and the Slack Web API stand-in:
 * a threaded digest is one header message with the papers as replies (`thread_ts`), every part
 * carrying the digest's id in its metadata; the read-back after a crash looks inside the thread.
 * Compact is one line per paper.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestId } from '../../../src/delivery/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { CHANNELS, USERS, startHarness, textOf, type Harness } from '../../support/slack/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NOW = new Date('2026-06-25T12:00:00Z');
const KEY = `slack:channel:${CHANNELS.research}`;

async function setUp(style: string): Promise<void> {
  h = await startHarness({ scopes: ['chat:write', 'commands', 'im:write', 'users:read', 'channels:history', 'groups:history', 'im:history'] });
  await h.command('/digest', 'add agents', USERS.admin, CHANNELS.research);
  await h.command('/digest', 'time 11:00 UTC', USERS.admin, CHANNELS.research);
  const r = await h.command('/digest', `style ${style}`, USERS.admin, CHANNELS.research);
  expect(textOf(r)).toContain(`now comes as ${style}`);
}

describe('Slack digest styles', () => {
  it('/digest style thread: a header in the channel and the papers as replies in its thread, found again after a crash', async () => {
    await setUp('thread');
    const report = await runCycle(h!.deps, [h!.adapter], NOW);
    const outcome = report.outcomes.find((o) => o.key === KEY) as { status: string; papers: number };
    expect(outcome.status).toBe('sent');
    expect(outcome.papers).toBeGreaterThan(1);
    const posts = h!.standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.research && c.outcome === 'ok');
    const [header, ...replies] = posts;
    expect(header!.args.thread_ts).toBeUndefined();
    expect(String(header!.args.text)).toMatch(/^\d+ new papers for agents · 2026-06-25/);
    const ts = (h!.standIn.messages.get(CHANNELS.research) ?? [])[0]!.ts;
    expect(replies.length).toBeGreaterThanOrEqual(outcome.papers);
    for (const r of replies) expect(r.args.thread_ts).toBe(ts);
    const id = digestId(KEY, '2026-06-25');
    posts.forEach((p, part) => expect((p.args.metadata as { event_payload: Record<string, unknown> }).event_payload).toMatchObject({ digest_id: id, part }));
    // The channel shows one message; the papers are inside its thread.
    const history = await h!.adapter.findDelivered!({ ...(await h!.deps.store.getDestination(KEY))! }, id);
    expect(history?.parts).toEqual(posts.map((_, i) => i));
    expect(history?.paperIds).toHaveLength(outcome.papers);
    expect(h!.standIn.callsOf('conversations.replies')).toHaveLength(1);
  });

  it('weekly thu with style thread: one threaded digest on Thursday, nothing the next day', async () => {
    await setUp('thread');
    expect(textOf(await h!.command('/digest', 'time 11:00 UTC weekly thu', USERS.admin, CHANNELS.research))).toContain('weekly on Thursday');
    const thursday = await runCycle(h!.deps, [h!.adapter], NOW);
    expect(thursday.outcomes.find((o) => o.key === KEY)).toMatchObject({ status: 'sent', day: '2026-06-25' });
    const posts = () => h!.standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.research && c.outcome === 'ok');
    const n = posts().length;
    expect(posts().filter((p) => p.args.thread_ts === undefined)).toHaveLength(1);
    expect(n).toBeGreaterThan(1);
    const friday = await runCycle(h!.deps, [h!.adapter], new Date('2026-06-26T12:00:00Z'));
    expect(friday.outcomes.find((o) => o.key === KEY)).toBeUndefined();
    expect(posts()).toHaveLength(n);
  });

  it('/digest style compact: one line per paper, title linked, upvotes and matched topic', async () => {
    await setUp('compact');
    const report = await runCycle(h!.deps, [h!.adapter], NOW);
    const outcome = report.outcomes.find((o) => o.key === KEY) as { papers: number };
    const [post] = h!.standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.research && c.outcome === 'ok');
    const lines = (post!.args.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section' && /^\*\d+\.\* </.test(b.text?.text ?? ''));
    expect(lines).toHaveLength(outcome.papers);
    for (const l of lines) expect(l.text!.text).toMatch(/^\*\d+\.\* <https:\/\/huggingface\.co\/papers\/[^|]+\|.+> · :arrow_up_small: \d+ · agents$/);
  });

  it('/topics style thread is refused for a personal digest, compact is taken', async () => {
    h = await startHarness();
    expect(textOf(await h.command('/topics', 'style thread', USERS.member, `D${USERS.member}`))).toMatch(/STYLE must be one of: full, compact/);
    expect(textOf(await h.command('/topics', 'style compact', USERS.member, `D${USERS.member}`))).toContain('now comes as compact');
    expect((await h.deps.store.getDestination(`slack:user:${USERS.member}`))!.settings.style).toBe('compact');
  });
});
