/** Discord's message limits and the text helpers that keep every message inside them. */
import { escapeMarkdown } from 'discord.js';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceText: 100,
} as const;

/** Cuts `text` to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Never leave half a surrogate pair or a dangling escape backslash at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Escapes paper (or user) text for Discord Markdown, and breaks mention syntax so nothing renders
 * as a mention even where `allowed_mentions` already stops the ping.
 */
export function escapeText(text: string, opts: { keepLines?: boolean; max?: number } = {}): string {
  let norm = opts.keepLines ? text.replace(/[^\S\n]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim() : text.replace(/\s+/g, ' ').trim();
  // escapeMarkdown is quadratic in line length (its look-behinds rescan the line): escape only what
  // can be shown. One character over `max` keeps the caller's truncation ellipsis.
  if (opts.max !== undefined && norm.length > opts.max + 1) norm = norm.slice(0, opts.max + 1);
  const escaped = escapeMarkdown(norm, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<([@#&!:/]|a:|t:)/g, '<\u200b$1');
}

/** An http(s) URL safe inside a Markdown link, or undefined. */
export function safeUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    const s = u.toString().replace(/\(/g, '%28').replace(/\)/g, '%29');
    return s.length <= 2048 ? s : undefined;
  } catch {
    return undefined;
  }
}

/** `[label](url)` with the label escaped, or the plain escaped label when the URL is unusable. */
export function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  const text = escapeText(label).replace(/[[\]]/g, '');
  return safe ? `[${text}](${safe})` : text;
}

/** 1234 -> "1.2k": short star counts for link labels. */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (Math.abs(n) < 1000) return String(Math.round(n));
  return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
}
