/** The digest id in Discord messages: within every limit, readable back from what history returns. */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/index.ts';
import { ActionCodec } from '../../../src/bots/discord/custom-id.ts';
import { digestIdOf, digestNonce, markDigest, paperIdsOf } from '../../../src/bots/discord/digest-mark.ts';
import { renderReply, type DiscordMessage } from '../../../src/bots/discord/render.ts';
import { messageProblems, validateQuery, validateRequest } from '../../support/discord/index.ts';
import { loadAllPapers } from './papers.ts';

const ID = 'pb1-2026-06-24-0123456789abcdef';

function valid(m: object): void {
  const body = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
  expect(validateRequest('POST', '/channels/1/messages', body).errors).toEqual([]);
  expect(messageProblems(body)).toEqual([]);
}

describe('markDigest', () => {
  const papers = loadAllPapers();

  it('marks every part of a digest split over several messages, and reads all its papers back', () => {
    const shown = papers.slice(0, 30);
    const reply: Reply = {
      ephemeral: false,
      blocks: [{ type: 'header', text: 'Daily papers' }, ...shown.map((p, i) => ({ type: 'paper' as const, hit: { paper: p, score: 1, matched: ['x'] }, rank: i + 1 }))],
    };
    const parts = markDigest(renderReply(reply, new ActionCodec()), ID);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach(valid);
    expect(parts.map(digestIdOf)).toEqual(parts.map(() => ID));
    expect(parts.flatMap(paperIdsOf)).toEqual(shown.map((p) => p.id));
    expect(new Set(parts.map((p) => p.nonce)).size).toBe(parts.length);
    expect(parts.every((p) => p.enforce_nonce === true && p.nonce === digestNonce(ID, parts.indexOf(p)))).toBe(true);
  });

  it('falls back to a subtext line when the embeds are full, and to no mark when nothing has room', () => {
    const full: DiscordMessage = { content: 'hi', embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2000) }], components: [], allowed_mentions: { parse: [] } };
    const [m] = markDigest([full], ID);
    valid(m!);
    expect(m!.content).toBe(`hi\n-# Paperboy digest ${ID}`);
    expect(digestIdOf(m!)).toBe(ID);
    const packed: DiscordMessage = { ...full, content: 'z'.repeat(1990) };
    const [n] = markDigest([packed], ID);
    valid(n!);
    expect(digestIdOf(n!)).toBeUndefined();
  });

  it('does not take a text that merely mentions a digest for a mark', () => {
    expect(digestIdOf({ content: `someone typed Paperboy digest ${ID} here` })).toBeUndefined();
    expect(digestIdOf({ embeds: [{ footer: { text: `arXiv 1 · Paperboy digest ${ID}` } }] })).toBe(ID);
    expect(paperIdsOf({ embeds: [{ url: 'https://huggingface.co/papers/2606.00001' }, {}] })).toEqual(['2606.00001']);
  });
});

describe('stand-in query validation', () => {
  it('accepts the history lookup and rejects what Discord would', () => {
    expect(validateQuery('GET', '/channels/1/messages', new URLSearchParams({ limit: '100' }))).toEqual([]);
    expect(validateQuery('GET', '/channels/1/messages', new URLSearchParams({ limit: '101' })).join()).toMatch(/limit=101/);
    expect(validateQuery('GET', '/channels/1/messages', new URLSearchParams({ count: '5' })).join()).toMatch(/count is not a parameter/);
    expect(validateQuery('POST', '/interactions/1/t/callback', new URLSearchParams({ with_response: 'true' }))).toEqual([]);
  });
});
