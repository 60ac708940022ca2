/** One paper as a Block Kit section: linked title, upvotes, summary, authors, matches and links. */
import { arxivLine, paperUrl, upvotesOf, type PaperHit } from '../../core/index.ts';
import { isSafeUrl, linkLabel, safeTruncated, truncate } from './escape.ts';

export interface SlackBlock {
  type: string;
  [key: string]: unknown;
}

const MAX_AUTHORS = 3;

function stars(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

/** First sentence of the AI summary (or abstract), one line. */
export function oneLine(hit: PaperHit): string {
  const src = (hit.paper.aiSummary ?? hit.paper.abstract ?? '').replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])\s/.exec(src);
  return truncate(m?.[1] ?? src, 280);
}

/** A compact digest's line: linked title, upvotes, the topics it matched. */
export function compactPaper(hit: PaperHit, rank: number): SlackBlock {
  const p = hit.paper;
  const title = linkLabel(p.title || p.id, 250);
  const linked = isSafeUrl(p.links.hf) ? `<${p.links.hf}|${title}>` : title;
  const parts = [`*${rank}.* ${linked}`, `:arrow_up_small: ${p.upvotes}`];
  if (hit.matched.length > 0) parts.push(safeTruncated(hit.matched.slice(0, 5).join(', '), 200));
  return { type: 'section', text: { type: 'mrkdwn', text: parts.join(' · ').slice(0, 3000) } };
}

export function renderPaper(hit: PaperHit, rank: number): SlackBlock {
  const p = hit.paper;
  const lines: string[] = [];
  const title = linkLabel(p.title || p.id, 250);
  const url = paperUrl(p);
  lines.push(isSafeUrl(url) ? `*${rank}. <${url}|${title}>*` : `*${rank}. ${title}*`);
  const upvotes = upvotesOf(p);
  const meta = upvotes !== undefined ? [`:arrow_up_small: ${upvotes} upvote${upvotes === 1 ? '' : 's'}`] : [];
  const arxiv = arxivLine(p);
  if (arxiv) meta.push(safeTruncated(arxiv, 200));
  if (p.organization) meta.push(safeTruncated(p.organization, 80));
  if (meta.length) lines.push(meta.join(' · '));
  const summary = oneLine(hit);
  if (summary) lines.push(safeTruncated(summary, 600));
  if (p.authors.length > 0) {
    const shown = p.authors.slice(0, MAX_AUTHORS).map((a) => truncate(a, 60)).join(', ');
    lines.push(safeTruncated(p.authors.length > MAX_AUTHORS ? `${shown} et al.` : shown, 300));
  }
  if (hit.matched.length > 0) {
    lines.push(`Matched: ${safeTruncated(hit.matched.slice(0, 10).join(', '), 300)}`);
  }
  if (hit.shares?.length) lines.push(`Shares: ${safeTruncated(hit.shares.slice(0, 10).join(', '), 300)}`);
  const links: string[] = [];
  if (isSafeUrl(p.links.arxiv)) links.push(`<${p.links.arxiv}|arXiv>`);
  if (isSafeUrl(p.links.pdf)) links.push(`<${p.links.pdf}|PDF>`);
  if (isSafeUrl(p.githubRepo)) links.push(`<${p.githubRepo}|Code${p.githubStars !== undefined ? ` ★ ${stars(p.githubStars)}` : ''}>`);
  if (isSafeUrl(p.projectPage)) links.push(`<${p.projectPage}|Project page>`);
  if (links.length > 0) lines.push(links.join(' · '));
  // Each part is capped above, so the sum stays far below Slack's 3000; the cut is a last guard.
  const block: SlackBlock = { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } };
  if (isSafeUrl(p.thumbnail)) {
    block.accessory = { type: 'image', image_url: p.thumbnail, alt_text: truncate(p.title || p.id, 2000) };
  }
  return block;
}
