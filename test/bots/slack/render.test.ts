import { describe, expect, it } from 'vitest';
import type { PaperHit, Reply } from '../../../src/core/index.ts';
import { decodeAction, renderReply } from '../../../src/bots/slack/index.ts';
import { blockProblems, messageProblems } from '../../support/slack/block-limits.ts';
import { extremePapers, realPapers } from '../../support/slack/papers.ts';

const papers = realPapers();
const hit = (i: number, matched = ['transformers']): PaperHit => ({ paper: papers[i % papers.length]!, score: 1, matched });

function listReply(hits: PaperHit[], extra: Partial<Reply> = {}): Reply {
  return {
    ephemeral: false,
    blocks: [
      { type: 'header', text: 'Papers matching "transformers"' },
      ...hits.map((h, i) => ({ type: 'paper' as const, hit: h, rank: i + 1 })),
      { type: 'more', count: 12, url: 'https://huggingface.co/papers' },
      { type: 'actions', buttons: [
        { label: 'Next page', action: { type: 'page', query: 'transformers', page: 1 } },
        { label: 'Subscribe me to "transformers"', action: { type: 'subscribe', topic: 'transformers' }, style: 'primary' },
      ] },
    ],
    ...extra,
  };
}

/** Strips the links the renderer itself writes; any `<` left would be Slack markup from paper text. */
const withoutOwnLinks = (s: string) => s.replace(/<https?:\/\/[^\s<>|]+\|[^<>]*>/g, '');

describe('renderReply', () => {
  it('renders every real paper of the shared days within Slack limits, with a text fallback', () => {
    expect(papers.length).toBeGreaterThan(50);
    for (let i = 0; i < papers.length; i += 5) {
      const msg = renderReply(listReply([0, 1, 2, 3, 4].map((k) => hit(i + k))));
      expect(messageProblems(msg)).toEqual([]);
      expect(msg.response_type).toBe('in_channel');
      const section = msg.blocks[1] as unknown as { text: { text: string } };
      expect(section.text.text).toContain(`<${papers[i]!.links.hf}|`);
      expect(section.text.text).toContain('upvote');
      expect(section.text.text).toContain('<https://arxiv.org/pdf/');
    }
  });

  it('shows upvotes, summary, first authors, matched topics, code stars and a thumbnail accessory', () => {
    const p = papers.find((x) => x.githubRepo && x.githubStars !== undefined && x.thumbnail && x.authors.length > 3)!;
    expect(p).toBeDefined();
    const msg = renderReply(listReply([{ paper: p, score: 2, matched: ['diffusion', 'video'] }]));
    const block = msg.blocks[1] as unknown as { text: { text: string }; accessory: { type: string; image_url: string } };
    expect(block.text.text).toContain(`${p.upvotes} upvote`);
    expect(block.text.text).toContain('et al.');
    expect(block.text.text).toContain('Matched: diffusion, video');
    expect(block.text.text).toMatch(/\|Code ★ [\d.]+k?>/);
    expect(block.accessory).toMatchObject({ type: 'image', image_url: p.thumbnail });
  });

  it('keeps the longest real titles, abstracts and author lists of the corpus within limits', () => {
    const extremes = extremePapers();
    expect(extremes.length).toBeGreaterThan(10);
    const msg = renderReply(listReply(extremes.map((paper) => ({ paper, score: 1, matched: ['x'.repeat(400)] }))));
    expect(blockProblems(msg.blocks)).toEqual([]);
    for (const b of msg.blocks) {
      if (b.type === 'section') expect((b.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
    }
  });

  it('escapes <!channel>, <@U123> and & in paper text and the fallback, and neutralises paired formatting', () => {
    const base = papers[0]!;
    const evil = {
      ...base,
      title: 'Attention <!channel> is *all* you _need_ <@U123> & <https://evil.example|click>',
      aiSummary: 'We ping <!here> and <!subteam^S1> with `code` & more.',
      authors: ['<@U999>', 'Ada *Lovelace*'],
      organization: '<!everyone>',
    };
    const msg = renderReply(listReply([{ paper: evil, score: 1, matched: ['<!channel>'] }]));
    const text = (msg.blocks[1] as unknown as { text: { text: string } }).text.text;
    expect(withoutOwnLinks(text)).not.toMatch(/[<>]/);
    expect(text).not.toContain('<!');
    expect(text).not.toContain('<@');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp;');
    expect(text).not.toContain('*all*');
    expect(text).not.toContain('_need_');
    expect(text).toMatch(/^\*1\. <https:\/\/huggingface\.co\/papers\/[^|]+\|[^*]+\*$/m);
    expect(msg.text).not.toMatch(/[<>]/);
    expect(msg.text).toContain('&lt;!channel&gt;');
  });

  it('caps a huge reply at 50 blocks, keeping the buttons and saying what was cut', () => {
    const msg = renderReply(listReply(Array.from({ length: 80 }, (_, i) => hit(i))));
    expect(msg.blocks).toHaveLength(50);
    expect(msg.blocks.at(-1)!.type).toBe('actions');
    expect(JSON.stringify(msg.blocks.at(-2))).toMatch(/more items? not shown/);
    expect(blockProblems(msg.blocks)).toEqual([]);
  });

  it('encodes actions into button values that decode back, drops oversized ones, truncates labels', () => {
    const reply: Reply = {
      ephemeral: true,
      blocks: [{ type: 'actions', buttons: [
        { label: 'L'.repeat(200), action: { type: 'page', query: 'llm agents', page: 2 } },
        { label: 'too big', action: { type: 'subscribe', topic: 't'.repeat(2100) } },
      ] }],
    };
    const msg = renderReply(reply);
    expect(msg.response_type).toBe('ephemeral');
    const els = (msg.blocks[0] as unknown as { elements: { value: string; text: { text: string } }[] }).elements;
    expect(els).toHaveLength(1);
    expect(els[0]!.text.text.length).toBeLessThanOrEqual(75);
    expect(decodeAction(els[0]!.value)).toEqual({ type: 'page', query: 'llm agents', page: 2 });
    expect(blockProblems(msg.blocks)).toEqual([]);
  });

  it('rejects forged or malformed button values', () => {
    for (const v of ['', 'nope', '{"type":"page","query":1,"page":0}', '{"type":"page","query":"x","page":-1}', '{"type":"delete"}', 'x'.repeat(3000), undefined, 42]) {
      expect(decodeAction(v)).toBeUndefined();
    }
    expect(decodeAction('{"type":"subscribe","topic":"rl"}')).toEqual({ type: 'subscribe', topic: 'rl' });
    const showAll = { type: 'digest', key: 'slack:channel:T0PAPER:CRESEARCH', since: 1786611600000, until: 1786698000000, page: 2 } as const;
    expect(decodeAction(JSON.stringify(showAll))).toEqual(showAll);
    expect(decodeAction('{"type":"digest","key":"k","since":"soon","until":1,"page":1}')).toBeUndefined();
  });

  it('splits more than 10 fields and truncates a 500-character header to 150', () => {
    const msg = renderReply({
      ephemeral: true,
      blocks: [
        { type: 'header', text: 'H'.repeat(500) },
        { type: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `k${i}`, value: `<@U${i}>` })) },
        { type: 'notice', level: 'warning', text: 'careful <!channel>' },
      ],
    });
    expect(blockProblems(msg.blocks)).toEqual([]);
    expect(msg.blocks.filter((b) => b.type === 'section' && b.fields)).toHaveLength(3);
    expect(JSON.stringify(msg.blocks)).not.toContain('<@U');
    expect(JSON.stringify(msg.blocks)).toContain(':warning: careful &lt;!channel&gt;');
  });
});
