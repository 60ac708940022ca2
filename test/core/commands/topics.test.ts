import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand, runCommand } from '../../../src/core/commands/index.ts';
import { destinationKey, replyText } from '../../../src/core/model/index.ts';
import { blocksOf, noticeOf, typed } from './run-text.ts';
import { ctxOf, makeDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
// Personal commands work anywhere, a DM included.
const alice = ctxOf('alice', { channel: null });
const bob = ctxOf('bob');
const aliceKey = destinationKey(alice.user);

beforeEach(async () => {
  deps = await makeDeps(['2026-06-24', '2026-06-25'], { maxTopicsPerUser: 3 }, '2026-06-25T12:00:00Z');
});

function fields(r: Awaited<ReturnType<typeof typed>>): Record<string, string> {
  return Object.fromEntries(blocksOf(r, 'fields').flatMap((f) => f.fields).map((f) => [f.label, f.value]));
}

describe('/topics', () => {
  it('says how a new topic is read (its other forms) and what it matched over the last stored days', async () => {
    const llm = replyText(await typed('/topics add LLM', alice, deps));
    // The fixture days define the acronym themselves ("large language models (LLMs)").
    expect(llm).toMatch(/Read as: LLM = "large language models?"\./);
    const n = Number(/It would have matched (\d+) papers of the last 2 stored days/.exec(llm)?.[1]);
    expect(n).toBe(deps.index.search('LLM').total);
    expect(n).toBeGreaterThan(deps.index.search('"LLM"').total);
    expect(replyText(await typed('/topics add multimodal', alice, deps))).toContain('Read as: multimodal = "multi-modal".');
    const none = replyText(await typed('/topics add zzzqqq', alice, deps));
    expect(none).toContain('Read as written');
    expect(none).toContain('It would have matched no paper of the last 2 stored days (0 papers of all stored): check the words');
  });

  it('adds, lists, removes and clears the caller’s own topics', async () => {
    expect(noticeOf(await typed('/topics list', alice, deps))).toBe('info: You follow no topics yet.');
    const added = await typed('/topics add "world model"', alice, deps);
    expect(noticeOf(added)).toBe('success: Added "world model" to your topics (1 in all).');
    expect(replyText(added)).toMatch(/It would have matched \d+ papers? of the last 2 stored days \(\d+ papers? of all stored\)/);
    await typed('/topics add  diffusion   models ', alice, deps);
    const list = await typed('/topics list', alice, deps);
    expect(blocksOf(list, 'header')[0]!.text).toBe('You follow 2 topics');
    expect(replyText(list)).toContain('1. "world model"\n2. diffusion models');
    expect((await deps.store.getDestination(aliceKey))!.settings.topics).toEqual(['"world model"', 'diffusion models']);

    expect(noticeOf(await typed('/topics remove DIFFUSION MODELS', alice, deps))).toBe('success: Removed “DIFFUSION MODELS”. 1 topic left.');
    const missing = await typed('/topics remove llamas', alice, deps);
    expect(noticeOf(missing)).toBe('warning: You do not follow “llamas”.');
    expect(replyText(missing)).toContain('You follow: "world model"');
    expect(noticeOf(await typed('/topics clear', alice, deps))).toMatch(/^success: Removed all 1 topic;/);
    expect((await deps.store.getDestination(aliceKey))!.settings.topics).toEqual([]);
  });

  it('treats a topic differing only in case as the same one', async () => {
    await typed('/topics add Agents', alice, deps);
    expect(noticeOf(await typed('/topics add agents', alice, deps))).toBe('info: You follow “agents” already.');
    expect((await deps.store.getDestination(aliceKey))!.settings.topics).toEqual(['Agents']);
  });

  it('refuses a malformed topic with the parser’s message and stores nothing', async () => {
    const r = await typed('/topics add -video', alice, deps);
    expect(noticeOf(r)).toMatch(/^error: /);
    expect(await deps.store.getDestination(aliceKey)).toBeUndefined();
    expect(noticeOf(await typed('/topics add a |', alice, deps))).toMatch(/^error: /);
  });

  it('caps the number of topics and the length of one', async () => {
    for (const t of ['agents', 'diffusion', 'robotics']) await typed(`/topics add ${t}`, alice, deps);
    const r = await typed('/topics add transformers', alice, deps);
    expect(noticeOf(r)).toBe('warning: You already follow 3 topics, the most allowed (3). Remove one with /topics remove TOPIC first.');
    const long = await typed(`/topics add ${'x'.repeat(201)}`, bob, deps);
    expect(noticeOf(long)).toMatch(/^warning: TOPIC is too long: at most 200 characters/);
    const missing = await runCommand(findCommand('topics', 'add')!, alice, {}, deps);
    expect(noticeOf(missing)).toBe('error: Missing TOPIC.');
    expect(replyText(missing)).toContain('Usage: /topics add TOPIC');
    expect(replyText(missing)).toMatch(/exact phrases/);
  });

  it('never shows or changes another user’s topics', async () => {
    await typed('/topics add agents', alice, deps);
    await typed('/topics add robotics', bob, deps);
    expect(replyText(await typed('/topics list', bob, deps))).not.toContain('agents');
    expect(noticeOf(await typed('/topics remove agents', bob, deps))).toMatch(/^warning: You do not follow/);
    await typed('/topics clear', bob, deps);
    expect((await deps.store.getDestination(aliceKey))!.settings.topics).toEqual(['agents']);
    // The same id on another platform is another person.
    const aliceOnSlack = ctxOf('alice', { platform: 'slack' });
    expect(noticeOf(await typed('/topics list', aliceOnSlack, deps))).toBe('info: You follow no topics yet.');
  });

  it('sets the time and zone, keeping the zone when none is given', async () => {
    const early = await typed('/topics time 06:00', alice, deps);
    expect(replyText(early)).toContain('No digest is sent until a topic is added with /topics add TOPIC.');
    await typed('/topics add agents', alice, deps);
    const r = await typed('/topics time 7:05 europe/berlin', alice, deps);
    expect(noticeOf(r)).toBe('success: The daily digest now comes at 07:05 Europe/Berlin.');
    expect(replyText(r)).toContain('Next run: Fri, 26 Jun 2026, 07:05 (Europe/Berlin)');
    await typed('/topics time 18:00', alice, deps);
    expect((await deps.store.getDestination(aliceKey))!.settings).toMatchObject({ time: '18:00', timezone: 'Europe/Berlin' });
    const bad = await typed('/topics time 25:61', alice, deps);
    expect(noticeOf(bad)).toMatch(/^error: Time must be HH:MM/);
    expect(replyText(bad)).toContain('Usage: /topics time HH:MM [ZONE]');
    expect(noticeOf(await typed('/topics time 08:00 Atlantis/Central', alice, deps))).toMatch(/not a time zone I know/);
    expect((await deps.store.getDestination(aliceKey))!.settings.time).toBe('18:00');
  });

  it('starts a new person in their own zone when the platform knows it', async () => {
    await typed('/topics add agents', ctxOf('carol', { tz: 'America/New_York' }), deps);
    const carol = await deps.store.getDestination('shell:user:carol');
    expect(carol!.settings).toMatchObject({ time: '09:00', timezone: 'America/New_York', maxPapers: 10, paused: false });
  });

  it('pauses and resumes, and says when there is nothing to change', async () => {
    await typed('/topics add agents', alice, deps);
    expect(noticeOf(await typed('/topics pause', alice, deps))).toMatch(/^success: Paused\./);
    expect(noticeOf(await typed('/topics pause', alice, deps))).toBe('info: Your digest is already paused.');
    expect(fields(await typed('/topics status', alice, deps))).toMatchObject({ 'Next run': 'paused', Paused: 'yes' });
    expect(noticeOf(await typed('/topics resume', alice, deps))).toMatch(/^success: Resumed\. The next digest comes at 09:00 UTC/);
    expect((await deps.store.getDestination(aliceKey))!.settings.paused).toBe(false);
  });

  it('reports last run, next run in the person’s zone, last failure and topics', async () => {
    expect(noticeOf(await typed('/topics status', alice, deps))).toMatch(/no topics yet\. Nothing is scheduled/);
    await typed('/topics add agents', alice, deps);
    await typed('/topics time 09:30 Asia/Tokyo', alice, deps);
    await deps.store.updateState(aliceKey, {
      lastRunAt: '2026-06-25T00:30:00.000Z',
      lastRunPapers: 4,
      lastFailure: { at: '2026-06-24T00:30:00.000Z', code: 'dm_closed', message: 'Direct messages are closed', permanent: true },
    });
    const f = fields(await typed('/topics status', alice, deps));
    expect(f).toEqual({
      'Last run': 'Thu, 25 Jun 2026, 09:30 (Asia/Tokyo), 4 papers',
      'Next run': 'Fri, 26 Jun 2026, 09:30 (Asia/Tokyo)',
      Schedule: '09:30 Asia/Tokyo, every day',
      'Last failure': 'Wed, 24 Jun 2026, 09:30 (Asia/Tokyo): Direct messages are closed (dm_closed, retries stopped until settings change)',
      Topics: '1',
      Paused: 'no',
    });
  });

  it('previews the personal digest without recording anything', async () => {
    expect(noticeOf(await typed('/topics preview', alice, deps))).toMatch(/nothing to preview/);
    await typed('/topics add agents', alice, deps);
    const r = await typed('/topics preview', alice, deps);
    expect(r.ephemeral).toBe(true);
    expect(noticeOf(r)).toMatch(/^info: Preview only/);
    const papers = blocksOf(r, 'paper');
    expect(papers.length).toBeGreaterThan(0);
    for (const p of papers) {
      expect(p.hit.paper.listedOn).toBe('2026-06-25');
      expect(p.hit.matched).toEqual(['agents']);
    }
    const ids = papers.map((p) => p.hit.paper.id);
    expect((await deps.store.deliveredPapers(aliceKey, ids)).size).toBe(0);
    expect((await deps.store.getDestination(aliceKey))!.state).toEqual({});
  });
});
