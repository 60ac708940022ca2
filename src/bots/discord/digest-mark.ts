/**
 * A scheduled digest's id rides in its Discord messages, so a restarted bot can read its channel's
 * history and tell whether the digest arrived (Adapter.findDelivered). Every part of a split digest
 * carries the id in its last embed's footer (or, with no room there, a subtext line of the content),
 * and a nonce with `enforce_nonce`, so a retried POST within Discord's dedupe window is not posted
 * twice.
 */
import { createHash } from 'node:crypto';
import type { DiscordMessage } from './render.ts';
import { embedLength } from './render.ts';
import { LIMITS } from './text.ts';

export type MarkedMessage = DiscordMessage & { nonce?: string; enforce_nonce?: boolean };

const MARK = 'Paperboy digest ';
/** The id, and for parts after the first `#N` (from 0, in posting order), so a read-back tells parts apart. */
const FOOTER_MARK = /(?:^| · )Paperboy digest ([^\s#]+)(?:#(\d+))?$/;
const CONTENT_MARK = /(?:^|\n)-# Paperboy digest ([^\s#]+)(?:#(\d+))?$/;
/** The paper's id is the last segment of its Hugging Face page, the embed's url. */
const PAPER_URL = /\/papers\/([^/?#\s]+)\/?$/;
const CONTENT_PAPER = /\]\(<https:\/\/huggingface\.co\/papers\/([^/?#\s>]+)>\)/g;

/** Discord nonces are at most 25 characters: a hash of the digest id and the part's index. */
export function digestNonce(digestId: string, part: number): string {
  return createHash('sha256').update(`${digestId}#${part}`).digest('hex').slice(0, 25);
}

function markOne(m: DiscordMessage, digestId: string, part: number): DiscordMessage {
  const tag = `${MARK}${digestId}${part > 0 ? `#${part}` : ''}`;
  const last = m.embeds[m.embeds.length - 1];
  if (last) {
    const text = last.footer?.text ? `${last.footer.text} · ${tag}` : tag;
    const total = m.embeds.reduce((n, e) => n + embedLength(e), 0) - (last.footer?.text.length ?? 0) + text.length;
    if (text.length <= LIMITS.footer && total <= LIMITS.embedTotal) {
      return { ...m, embeds: [...m.embeds.slice(0, -1), { ...last, footer: { ...last.footer, text } }] };
    }
  }
  const content = m.content ? `${m.content}\n-# ${tag}` : `-# ${tag}`;
  // No room anywhere: the part goes out unmarked; the nonce still guards it, and findDelivered
  // reads the papers from the parts that are marked.
  return content.length <= LIMITS.content ? { ...m, content } : m;
}

/** The messages of one digest, each carrying its id and a nonce Discord enforces. */
export function markDigest(messages: DiscordMessage[], digestId: string): MarkedMessage[] {
  return messages.map((m, i) => ({ ...markOne(m, digestId, i), nonce: digestNonce(digestId, i), enforce_nonce: true }));
}

/** A message as GET /channels/{id}/messages returns it (the parts Paperboy reads). */
export interface HistoryMessage {
  id?: string;
  author?: { id?: string; bot?: boolean };
  content?: string;
  embeds?: { url?: string; footer?: { text?: string } }[];
  /** The thread started from this message, if any (a threaded digest's header). */
  thread?: { id?: string };
}

/** The digest id and part a message carries, if any. */
export function digestMarkOf(m: HistoryMessage): { id: string; part: number } | undefined {
  let hit: RegExpExecArray | null = null;
  for (const e of m.embeds ?? []) {
    hit = FOOTER_MARK.exec(e.footer?.text ?? '');
    if (hit) break;
  }
  hit ??= CONTENT_MARK.exec(m.content ?? '');
  return hit ? { id: hit[1]!, part: Number(hit[2] ?? 0) } : undefined;
}

/** The digest id a message carries, if any. */
export function digestIdOf(m: HistoryMessage): string | undefined {
  return digestMarkOf(m)?.id;
}

/** The papers a message shows, by their embeds' Hugging Face links, in order. */
export function paperIdsOf(m: HistoryMessage): string[] {
  const ids: string[] = [];
  for (const e of m.embeds ?? []) {
    const id = PAPER_URL.exec(e.url ?? '')?.[1];
    if (id) ids.push(id);
  }
  // A compact digest lists its papers as linked lines of the content.
  for (const hit of (m.content ?? '').matchAll(CONTENT_PAPER)) if (!ids.includes(hit[1]!)) ids.push(hit[1]!);
  return ids;
}
