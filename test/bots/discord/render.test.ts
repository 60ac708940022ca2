import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { APIEmbed } from 'discord.js';
import type { Paper, PaperHit, Reply, ReplyBlock } from '../../../src/core/index.ts';
import { paperLinks } from '../../../src/core/index.ts';
import { ActionCodec } from '../../../src/bots/discord/custom-id.ts';
import { renderReply, embedLength, type DiscordMessage } from '../../../src/bots/discord/render.ts';
import { LIMITS } from '../../../src/bots/discord/text.ts';
import { messageProblems, validateRequest } from '../../support/discord/index.ts';
import { dayFiles, loadAllPapers, loadDay } from './papers.ts';

function embedProblems(e: APIEmbed): string[] {
  const p: string[] = [];
  if ((e.title?.length ?? 0) > LIMITS.title) p.push('title');
  if ((e.description?.length ?? 0) > LIMITS.description) p.push('description');
  if ((e.fields?.length ?? 0) > LIMITS.fields) p.push('fields');
  for (const f of e.fields ?? []) if (f.value.length > LIMITS.fieldValue || f.name.length > LIMITS.fieldName || !f.value || !f.name) p.push('field');
  if ((e.footer?.text.length ?? 0) > LIMITS.footer) p.push('footer');
  return p;
}

/** Every rendered message must pass Discord's OpenAPI schema and the extra limits. */
function assertValid(messages: DiscordMessage[]): void {
  for (const m of messages) {
    const body = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
    const v = validateRequest('POST', '/channels/1/messages', body);
    expect(v.errors).toEqual([]);
    expect(messageProblems(body)).toEqual([]);
    for (const e of m.embeds) expect(embedProblems(e)).toEqual([]);
  }
}

const hit = (paper: Paper, matched: string[] = []): PaperHit => ({ paper, score: 1, matched });

describe('renderReply on real papers', () => {
  const all = loadAllPapers();

  it('carries a digest\'s Show all button in its custom id, and refuses a forged one', () => {
    const codec = new ActionCodec();
    const action = { type: 'digest', key: 'discord:channel:100000000000000001', since: 1786611600000, until: 1786698000000, page: 3 } as const;
    const id = codec.encode(action);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(codec.decode(id)).toEqual(action);
    expect(codec.decode('pb1:d:1:soon:later:x')).toBeUndefined();
  });

  it('renders every paper of every shared day within limits and the OpenAPI schema', () => {
    expect(dayFiles().length).toBeGreaterThanOrEqual(8);
    const codec = new ActionCodec();
    for (const day of dayFiles()) {
      const papers = loadDay(day.replace('.json', ''));
      const blocks: ReplyBlock[] = [{ type: 'header', text: `Digest ${day}` }, ...papers.map((p, i): ReplyBlock => ({ type: 'paper', hit: hit(p, ['transformers']), rank: i + 1 }))];
      blocks.push({ type: 'more', count: 3, url: 'https://huggingface.co/papers' });
      const messages = renderReply({ ephemeral: false, blocks }, codec);
      assertValid(messages);
      const titles = messages.flatMap((m) => m.embeds.map((e) => e.title ?? ''));
      expect(titles.filter((t) => /^\d+\. /.test(t))).toHaveLength(papers.length);
      expect(messages[0]?.content).toContain(`Digest ${day.replace('.json', '')}`);
    }
  });

  it('shows the paper embed parts: linked title, upvotes, summary, authors, links, topics, thumbnail', () => {
    const p = all.find((x) => x.githubRepo && x.githubStars !== undefined && x.projectPage && x.thumbnail && x.aiSummary);
    expect(p).toBeDefined();
    const paper = p as Paper;
    const [m] = renderReply({ ephemeral: false, blocks: [{ type: 'paper', hit: hit(paper, ['diffusion', 'video']), rank: 1 }] }, new ActionCodec());
    const e = m?.embeds[0] as APIEmbed;
    expect(e.url).toBe(paper.links.hf);
    expect(e.title?.startsWith('1. ')).toBe(true);
    expect(e.fields?.find((f) => f.name === 'Upvotes')?.value).toBe(`▲ ${paper.upvotes}`);
    expect(e.fields?.find((f) => f.name === 'Matched')?.value).toBe('diffusion, video');
    expect(e.fields?.find((f) => f.name === 'Authors')?.value.length).toBeGreaterThan(0);
    expect(e.description).toContain(`](${paper.links.arxiv})`);
    expect(e.description).toContain(`](${paper.links.pdf})`);
    expect(e.description).toMatch(/\[Code ★ [\d.k]+\]\(https:\/\/github\.com\//);
    expect(e.description).toContain('[Project page](');
    expect(e.thumbnail?.url).toBe(paper.thumbnail);
    expect(e.description?.split('\n')).toHaveLength(2);
  });

  it('splits a large digest into several messages, none over 10 embeds or 6000 characters', () => {
    const blocks: ReplyBlock[] = all.slice(0, 60).map((p, i) => ({ type: 'paper', hit: hit(p), rank: i + 1 }));
    blocks.push({ type: 'actions', buttons: [{ label: 'Next ›', action: { type: 'page', query: 'x', page: 2 } }] });
    const messages = renderReply({ ephemeral: false, blocks }, new ActionCodec());
    expect(messages.length).toBeGreaterThanOrEqual(6);
    assertValid(messages);
    expect(messages.reduce((n, m) => n + m.embeds.length, 0)).toBe(60);
    for (const m of messages) expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
    expect(messages.at(-1)?.components).toHaveLength(1);
    expect(messages.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
  });
});

describe('escaping and mentions', () => {
  const base = loadDay('2026-08-20')[0] as Paper;
  const evil: Paper = {
    ...base,
    title: '@everyone **Attention** <@123456789012345678> <@&98765> @here _wow_ [click](https://evil.example) # Heading',
    aiSummary: '`rm -rf` ~~gone~~ ||spoiler|| > quote @everyone',
    authors: ['<@1>', '*Star*'],
  };
  const [m] = renderReply({ ephemeral: false, blocks: [{ type: 'text', text: '@everyone look <@42>' }, { type: 'paper', hit: hit(evil), rank: 1 }] }, new ActionCodec());

  it('breaks @everyone, @here and <@id> so nothing can ping, and always sends allowed_mentions parse []', () => {
    const all = JSON.stringify(m);
    expect(all).not.toMatch(/@everyone|@here/);
    expect(all).not.toMatch(/<@&?\d/);
    expect(m?.allowed_mentions).toEqual({ parse: [] });
  });

  it('escapes Markdown in paper text', () => {
    const e = m?.embeds[0] as APIEmbed;
    expect(e.title).toContain('\\*\\*Attention\\*\\*');
    expect(e.title).toContain('\\_wow\\_');
    expect(e.description).toContain('\\`rm -rf\\`');
    expect(e.description).toContain('\\~\\~gone\\~\\~');
    expect(e.description).toContain('\\|\\|spoiler\\|\\|');
    expect(e.fields?.find((f) => f.name === 'Authors')?.value).toContain('\\*Star\\*');
  });
});

describe('limits under any input', () => {
  const text = fc.string({ maxLength: 6000, unit: 'grapheme' });
  const paper = fc.record({ title: text, abstract: text, authors: fc.array(fc.string({ maxLength: 300 }), { maxLength: 300 }), upvotes: fc.nat() });
  const block: fc.Arbitrary<ReplyBlock> = fc.oneof(
    fc.record({ type: fc.constant('header' as const), text }),
    fc.record({ type: fc.constant('text' as const), text }),
    fc.record({ type: fc.constant('notice' as const), level: fc.constantFrom('info' as const, 'error' as const), text }),
    fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: fc.string({ maxLength: 400 }), value: fc.string({ maxLength: 3000 }) }), { maxLength: 60 }) }),
    fc.record({ type: fc.constant('more' as const), count: fc.nat(), url: fc.option(fc.webUrl(), { nil: undefined }) }),
    paper.map((p, ): ReplyBlock => {
      const id = '2401.00001';
      return { type: 'paper', rank: 1, hit: { score: 1, matched: [p.title.slice(0, 50)], paper: { ...p, id, listedOn: '2026-01-01', aiKeywords: [], links: paperLinks(id) } } };
    }),
    fc.record({ type: fc.constant('actions' as const), buttons: fc.array(fc.record({ label: fc.string({ maxLength: 120 }), action: fc.record({ type: fc.constant('page' as const), query: fc.string({ maxLength: 300 }), page: fc.integer({ min: 1, max: 999 }) }) }), { maxLength: 30 }) }),
  );

  it('every rendered message passes the OpenAPI schema and Discord limits', () => {
    const codec = new ActionCodec();
    fc.assert(
      fc.property(fc.array(block, { maxLength: 25 }), (blocks) => {
        const messages = renderReply({ ephemeral: true, blocks } as Reply, codec);
        expect(messages.length).toBeGreaterThan(0);
        assertValid(messages);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ActionCodec', () => {
  it('round-trips short actions inline and long ones through a bounded key map', () => {
    const codec = new ActionCodec(2);
    const short = codec.encode({ type: 'page', query: 'transformers', page: 2 });
    expect(short).toBe('pb1:p:2:transformers');
    expect(codec.decode(short)).toEqual({ type: 'page', query: 'transformers', page: 2 });
    const longTopic = `author:"${'x'.repeat(150)}"`;
    const id = codec.encode({ type: 'subscribe', topic: longTopic });
    expect(id.length).toBeLessThanOrEqual(100);
    expect(codec.decode(id)).toEqual({ type: 'subscribe', topic: longTopic });
    codec.encode({ type: 'subscribe', topic: 'y'.repeat(120) });
    codec.encode({ type: 'subscribe', topic: 'z'.repeat(120) });
    expect(codec.decode(id)).toBeUndefined(); // evicted: reported as expired, never misread
    expect(codec.decode('someone-else')).toBeUndefined();
    expect(codec.owns(id)).toBe(true);
  });
});
