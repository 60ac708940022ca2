import { describe, expect, it } from 'vitest';
import { destinationKey, parseDestinationKey, paperLinks, replyText } from '../src/core/index.ts';

describe('model', () => {
  it('round-trips destination keys, also for ids containing colons', () => {
    const ref = { platform: 'slack', kind: 'channel', id: 'T1:C42' } as const;
    expect(parseDestinationKey(destinationKey(ref))).toEqual(ref);
  });

  it('derives arXiv and Hugging Face links from a bare id', () => {
    expect(paperLinks('2608.13558')).toEqual({
      hf: 'https://huggingface.co/papers/2608.13558',
      arxiv: 'https://arxiv.org/abs/2608.13558',
      pdf: 'https://arxiv.org/pdf/2608.13558',
    });
  });

  it('renders a plain-text fallback of a reply', () => {
    const text = replyText({
      ephemeral: true,
      blocks: [
        { type: 'header', text: 'Results' },
        { type: 'more', count: 3, url: 'https://x.test' },
        { type: 'fields', fields: [{ label: 'Next run', value: '09:00 UTC' }] },
      ],
    });
    expect(text).toBe('Results\n…and 3 more: https://x.test\nNext run: 09:00 UTC');
  });
});
