/**
 * A digest never exceeds a platform's message limits, whatever the papers hold: generated worst
 * cases rendered for Discord (OpenAPI description plus the 6000/10/2000 rules) and Slack (Block Kit
 * limits), and the longest real titles, abstracts, summaries and author lists of the shared corpus
 * delivered for real through both adapters to their stand-ins (channels, forum, DMs).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionCodec, renderReply as renderDiscord } from '../../src/bots/discord/index.ts';
import { renderReply as renderSlack } from '../../src/bots/slack/index.ts';
import { digestReply } from '../../src/core/digests/index.ts';
import { paperLinks, type Destination, type Digest, type Paper, type PaperHit } from '../../src/core/index.ts';
import { startHarness as startDiscord, type Harness as DiscordHarness } from '../bots/discord/harness.ts';
import { messageProblems as discordProblems, validateRequest, DEFAULT_GUILD } from '../support/discord/index.ts';
import { CHANNELS, USERS, startHarness as startSlack, type Harness as SlackHarness } from '../support/slack/harness.ts';
import { messageProblems as slackProblems } from '../support/slack/block-limits.ts';
import { extremePapers } from '../support/slack/papers.ts';
import { argText, runs, slackMentionsIn, slackMrkdwnTexts } from './inputs.ts';

const RUNS = runs(50, 1_000);
const huge = (s: string, n: number) => (s ? s.repeat(Math.ceil(n / s.length)).slice(0, n) : 'x'.repeat(n));
const hostile = fc.oneof(argText, argText.map((s) => huge(s, 5_000)), fc.constant(huge('*_~`<!channel>@everyone&', 4_000)));
const url = fc.oneof(fc.constant(undefined), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constant(`https://github.com/${'a'.repeat(3000)}`), fc.constant('javascript:alert(1)'), fc.constant('https://evil.example/|<!here>'));

let n = 0;
const paper: fc.Arbitrary<Paper> = fc
  .record({ title: hostile, abstract: hostile, summary: fc.option(hostile, { nil: undefined }), authors: fc.array(argText, { maxLength: 400 }), keywords: fc.array(argText, { maxLength: 60 }), org: fc.option(hostile, { nil: undefined }), repo: url, page: url, upvotes: fc.integer({ min: 0, max: 2_000_000_000 }), stars: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }) })
  .map((r) => {
    const id = `2607.${String(10_000 + (n++ % 89_999)).padStart(5, '0')}`;
    return {
      id, title: r.title, abstract: r.abstract, authors: r.authors, listedOn: '2026-06-24', upvotes: r.upvotes, aiKeywords: r.keywords, links: paperLinks(id),
      ...(r.summary !== undefined ? { aiSummary: r.summary } : {}), ...(r.org !== undefined ? { organization: r.org } : {}),
      ...(r.repo ? { githubRepo: r.repo } : {}), ...(r.page ? { projectPage: r.page } : {}), ...(r.stars !== undefined ? { githubStars: r.stars } : {}),
    };
  });
const hit = fc.tuple(paper, fc.array(hostile, { minLength: 1, maxLength: 50 })).map(([p, matched]): PaperHit => ({ paper: p, score: 1, matched }));

function digestOf(hits: PaperHit[], total = hits.length + 1234): Digest {
  return {
    destination: { platform: 'discord', kind: 'channel', id: '1', key: 'discord:channel:1' }, day: '2026-06-24', hits, total,
    moreUrl: 'https://huggingface.co/papers?date=2026-06-24', since: '2026-06-23T09:00:00Z', until: '2026-06-24T09:00:00Z',
  };
}

function checkDiscord(reply: ReturnType<typeof digestReply>): void {
  const messages = renderDiscord(reply, new ActionCodec());
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    expect(discordProblems(m as unknown as Record<string, unknown>)).toEqual([]);
    expect(validateRequest('POST', '/channels/200000000000000001/messages', m).errors).toEqual([]);
  }
}

function checkSlack(reply: ReturnType<typeof digestReply>): void {
  const m = renderSlack(reply);
  expect(slackProblems(m)).toEqual([]);
  for (const t of slackMrkdwnTexts(m as unknown as Record<string, unknown>)) expect(slackMentionsIn(t)).toEqual([]);
}

describe(`${RUNS} generated worst-case digests`, () => {
  it('render within every Discord and Slack limit, and mention nobody', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.array(hit, { minLength: 1, maxLength: 25 }), (hits) => {
        const reply = digestReply(digestOf(hits));
        checkDiscord(reply);
        checkSlack(reply);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the longest real papers of the corpus, delivered for real', () => {
  const extremes = extremePapers();
  const hits: PaperHit[] = extremes.map((p) => ({ paper: p, score: 1, matched: ['x'.repeat(200), 'transformers', '"world model" -robotics'] }));
  const pages = [hits.slice(0, 10), hits.slice(10, 20), hits.slice(20)].filter((p) => p.length > 0);
  const settings = { topics: ['x'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };
  const dest = (platform: 'discord' | 'slack', kind: 'channel' | 'user', id: string): Destination => ({ platform, kind, id, key: `${platform}:${kind}:${id}`, settings, state: {}, createdAt: '2026-01-01T00:00:00Z' });
  let d: DiscordHarness;
  let s: SlackHarness;
  beforeAll(async () => {
    [d, s] = await Promise.all([startDiscord(), startSlack()]);
  });
  afterAll(async () => {
    await Promise.all([d?.close(), s?.close()]);
  });

  it('includes the corpus extremes (longest titles, abstracts, summaries, author lists)', () => {
    expect(extremes.length).toBeGreaterThan(10);
    expect(Math.max(...extremes.map((p) => p.abstract.length))).toBeGreaterThan(1500);
    expect(Math.max(...extremes.map((p) => p.authors.length))).toBeGreaterThan(100);
    for (const page of pages) {
      checkDiscord(digestReply(digestOf(page)));
      checkSlack(digestReply(digestOf(page)));
    }
  });

  it('Discord accepts every message to a text channel, an announcement channel, a forum and a DM', async () => {
    const targets = [...DEFAULT_GUILD.channels.map((c) => dest('discord', 'channel', c.id)), dest('discord', 'user', d.alice.id)];
    for (const t of targets) for (const page of pages) await d.adapter.deliver(t, digestReply(digestOf(page)));
    expect(d.stand.invalid).toEqual([]);
    const posted = d.stand.requests.filter((r) => r.method === 'POST' && (r.path.endsWith('/messages') || r.path.endsWith('/threads')));
    expect(posted.length).toBeGreaterThanOrEqual(targets.length * pages.length);
    expect(posted.every((r) => r.status! < 300)).toBe(true);
  });

  it('Slack accepts every message to a channel and a DM', async () => {
    for (const t of [dest('slack', 'channel', CHANNELS.research), dest('slack', 'user', USERS.member)]) {
      for (const page of pages) await s.adapter.deliver(t, digestReply(digestOf(page)));
    }
    const posts = s.standIn.callsOf('chat.postMessage');
    expect(posts.length).toBe(2 * pages.length);
    expect(posts.map((c) => c.outcome)).toEqual(posts.map(() => 'ok'));
    for (const c of posts) for (const t of slackMrkdwnTexts(c.args)) expect(slackMentionsIn(t)).toEqual([]);
  });
});
