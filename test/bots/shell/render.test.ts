import { describe, expect, it } from 'vitest';
import { paperLinks, type Paper, type Reply } from '../../../src/core/index.ts';
import { createRenderer, plainText } from '../../../src/bots/shell/index.ts';

const paper: Paper = {
  id: '2606.24597',
  title: 'Diffusion \u001b[31mRed\u001b[0m Models\u0007 at Scale',
  abstract: 'We study diffusion. More text follows here.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
  listedOn: '2026-06-24',
  upvotes: 42,
  aiSummary: 'A short summary with *markup* and <tags>.',
  aiKeywords: [],
  githubRepo: 'https://github.com/example/repo',
  githubStars: 1234,
  projectPage: 'https://example.org/project',
  links: paperLinks('2606.24597'),
};

const sample: Reply = {
  ephemeral: true,
  blocks: [
    { type: 'header', text: 'Results' },
    { type: 'notice', level: 'warning', text: 'Careful' },
    { type: 'paper', hit: { paper, score: 3.2, matched: ['diffusion'] }, rank: 1 },
    { type: 'more', count: 7, url: 'https://huggingface.co/papers?date=2026-06-24' },
    { type: 'fields', fields: [{ label: 'Next run', value: '09:00 UTC' }, { label: 'Topics', value: 'diffusion' }] },
    { type: 'actions', buttons: [{ label: 'Next page', action: { type: 'page', query: 'diffusion', page: 2 } }, { label: 'Subscribe', action: { type: 'subscribe', topic: 'diffusion' } }] },
  ],
};

describe('shell renderer', () => {
  it('renders plain text with every link spelled out and no escape sequences', () => {
    const { text, buttons } = createRenderer(plainText)(sample);
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('1. Diffusion [31mRed[0m Models at Scale');
    expect(text).toContain('▲ 42 · Ada Lovelace, Alan Turing, Grace Hopper et al. · 2026-06-24');
    expect(text).toContain('A short summary with *markup* and <tags>.');
    expect(text).toContain('HF: https://huggingface.co/papers/2606.24597');
    expect(text).toContain('arXiv: https://arxiv.org/abs/2606.24597');
    expect(text).toContain('PDF: https://arxiv.org/pdf/2606.24597');
    expect(text).toContain('code ★1234: https://github.com/example/repo');
    expect(text).toContain('project: https://example.org/project');
    expect(text).toContain('matched: diffusion');
    expect(text).toContain('…and 7 more https://huggingface.co/papers?date=2026-06-24');
    expect(text).toContain('Next run  09:00 UTC');
    expect(text).toContain('[1] Next page  [2] Subscribe');
    expect(buttons.map((b) => b.action.type)).toEqual(['page', 'subscribe']);
  });

  it('uses colours and OSC 8 hyperlinks on a terminal, and paper text cannot inject escapes', () => {
    const { text } = createRenderer({ color: true, links: true })(sample);
    expect(text).toContain('\u001b]8;;https://huggingface.co/papers/2606.24597\u001b\\');
    expect(text).toContain('\u001b]8;;https://arxiv.org/pdf/2606.24597\u001b\\');
    expect(text).toMatch(/\u001b\[1m/); // bold title
    // The only ESC bytes are ours: the title's own ESC and BEL were removed.
    expect(text).not.toContain('\u001b[31mRed');
    expect(text).not.toContain('\u0007');
  });

  it('drops a link whose URL is not http(s) instead of emitting it', () => {
    const evil = { ...paper, projectPage: 'javascript:alert(1)\u001b]8;;x' };
    const { text } = createRenderer({ color: false, links: true })({ ephemeral: true, blocks: [{ type: 'paper', hit: { paper: evil, score: 1, matched: [] }, rank: 1 }] });
    expect(text).not.toContain('\u001b]8;;javascript');
    expect(text).not.toContain(']8;;x');
  });
});
