/** One paper as a Discord embed: linked title, upvotes, one-line summary, authors, links, topics. */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { arxivLine, paperUrl, upvotesOf, type PaperHit } from '../../core/index.ts';
import { LIMITS, compactNumber, escapeText, link, safeUrl, truncate } from './text.ts';

export const PAPER_COLOR = 0xffd21e; // Hugging Face yellow
const SUMMARY_MAX = 350;
const AUTHORS_SHOWN = 3;

/** The AI summary, else the abstract's first sentence; one line. */
export function oneLineSummary(aiSummary: string | undefined, abstract: string): string {
  const src = (aiSummary?.trim() || abstract || '').replace(/\s+/g, ' ').trim();
  if (!src) return '';
  const sentence = /^(.+?[.!?])(\s|$)/.exec(src)?.[1] ?? src;
  return truncate(sentence, SUMMARY_MAX);
}

export function authorLine(authors: string[]): string {
  if (authors.length === 0) return '';
  const shown = authors.slice(0, AUTHORS_SHOWN).join(', ');
  const more = authors.length - AUTHORS_SHOWN;
  return more > 0 ? `${shown} +${more} more` : shown;
}

/** A compact digest's line: linked title (no link preview), upvotes, the topics it matched. */
export function compactLine(hit: PaperHit, rank: number): string {
  const p = hit.paper;
  const url = safeUrl(p.links.hf);
  const title = escapeText(truncate(p.title || p.id, 200)).replace(/[[\]]/g, '');
  const linked = url ? `[${title}](<${url}>)` : title;
  const matched = hit.matched.filter((t) => t.trim()).join(', ');
  return truncate([`**${rank}.** ${linked}`, `▲ ${p.upvotes}`, matched ? escapeText(matched, { max: 200 }) : ''].filter(Boolean).join(' · '), 600);
}

export function paperEmbed(hit: PaperHit, rank: number): APIEmbed {
  const p = hit.paper;
  const links = [link('arXiv', p.links.arxiv), link('PDF', p.links.pdf)];
  if (p.githubRepo && safeUrl(p.githubRepo)) {
    links.push(link(p.githubStars !== undefined ? `Code ★ ${compactNumber(p.githubStars)}` : 'Code', p.githubRepo));
  }
  if (p.projectPage && safeUrl(p.projectPage)) links.push(link('Project page', p.projectPage));
  const summary = escapeText(oneLineSummary(p.aiSummary, p.abstract));
  const linkLine = links.join(' · ');
  const description = truncate(summary ? `${summary}\n${linkLine}` : linkLine, LIMITS.description);

  const fields: APIEmbedField[] = [];
  const upvotes = upvotesOf(p);
  if (upvotes !== undefined) fields.push({ name: 'Upvotes', value: `▲ ${upvotes}`, inline: true });
  const arxiv = arxivLine(p);
  if (arxiv) fields.push({ name: 'arXiv', value: truncate(escapeText(arxiv, { max: LIMITS.fieldValue }), LIMITS.fieldValue), inline: true });
  const authors = truncate(escapeText(authorLine(p.authors.filter((a) => a.trim())), { max: LIMITS.fieldValue }), LIMITS.fieldValue);
  if (authors) fields.push({ name: 'Authors', value: authors, inline: true });
  const matched = truncate(escapeText(hit.matched.filter((t) => t.trim()).join(', '), { max: LIMITS.fieldValue }), LIMITS.fieldValue);
  if (matched) fields.push({ name: 'Matched', value: matched, inline: false });
  const shares = truncate(escapeText((hit.shares ?? []).filter((t) => t.trim()).join(', '), { max: LIMITS.fieldValue }), LIMITS.fieldValue);
  if (shares) fields.push({ name: 'Shares', value: shares, inline: false });
  const footer = [`arXiv ${p.id}`, `listed ${p.listedOn}`, p.organization ? escapeText(p.organization, { max: 200 }) : ''].filter(Boolean).join(' · ');
  const embed: APIEmbed = {
    title: truncate(`${rank}. ${escapeText(p.title, { max: LIMITS.title })}`, LIMITS.title),
    url: safeUrl(paperUrl(p)),
    description,
    color: PAPER_COLOR,
    fields,
    footer: { text: truncate(footer, LIMITS.footer) },
  };
  const thumb = safeUrl(p.thumbnail);
  if (thumb) embed.thumbnail = { url: thumb };
  return embed;
}
