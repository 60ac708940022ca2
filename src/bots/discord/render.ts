/**
 * Neutral Reply -> Discord message bodies. Text blocks become the content, papers and field lists
 * become embeds, buttons become action rows on the last message. A reply too big for one message
 * is split so that every message stays within all of Discord's limits.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { Button, Reply, ReplyBlock, NoticeLevel } from '../../core/index.ts';
import type { ActionCodec } from './custom-id.ts';
import { compactLine, paperEmbed, PAPER_COLOR } from './paper-embed.ts';
import { LIMITS, escapeText, link, truncate } from './text.ts';

/** A message body as Discord's HTTP API takes it. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
}

/** MessageFlags.Ephemeral: only the person who asked sees the message. */
const EPHEMERAL = 1 << 6;

const ICON: Record<NoticeLevel, string> = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '❌' };

/** Characters Discord counts towards the 6000 over all embeds of a message. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function fieldsEmbeds(fields: { label: string; value: string }[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    out.push({
      color: 0x5865f2,
      fields: fields.slice(i, i + LIMITS.fields).map((f) => ({
        name: truncate(escapeText(f.label, { max: LIMITS.fieldName }) || '—', LIMITS.fieldName),
        value: truncate(escapeText(f.value, { keepLines: true, max: LIMITS.fieldValue }) || '—', LIMITS.fieldValue),
        inline: f.value.length <= 40,
      })),
    });
  }
  return out;
}

function moreEmbed(b: Extract<ReplyBlock, { type: 'more' }>): APIEmbed {
  const text = `…and ${b.count} more`;
  return { color: PAPER_COLOR, description: b.url ? `${text}: ${link('see them all on Hugging Face', b.url)}` : text };
}

type Row = APIActionRowComponent<APIButtonComponent>;

function buttonJson(btn: Button, codec: ActionCodec, label = btn.label): APIButtonComponent {
  return { type: 2, style: btn.style === 'primary' ? 1 : 2, label: truncate(label, LIMITS.buttonLabel) || '…', custom_id: codec.encode(btn.action) };
}

function rowsOf(buttons: APIButtonComponent[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) rows.push({ type: 1, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  return rows;
}

/** The reply's own buttons (paging, subscribe), for its last message. */
function replyRows(blocks: ReplyBlock[], codec: ActionCodec): Row[] {
  return rowsOf(blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((btn) => buttonJson(btn, codec)) : [])));
}

/**
 * Card buttons of the papers in one message. Embeds cannot hold buttons, so each is labelled with
 * its card's number ("Save #3"), one row per kind of button, within the rows `room` leaves.
 */
function cardRows(cards: { rank: number; buttons: Button[] }[], codec: ActionCodec, room: number): Row[] {
  const byLabel = new Map<string, APIButtonComponent[]>();
  for (const c of cards) {
    for (const btn of c.buttons) {
      const list = byLabel.get(btn.label) ?? [];
      list.push(buttonJson(btn, codec, `${btn.label} #${c.rank}`));
      byLabel.set(btn.label, list);
    }
  }
  return [...byLabel.values()].flatMap(rowsOf).slice(0, Math.max(0, room));
}

/** Splits text into chunks of at most `max`, at line breaks where possible. */
export function splitContent(text: string, max = LIMITS.content): string[] {
  const chunks: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (cur) chunks.push(cur);
      cur = '';
      const part = truncate(rest, max);
      chunks.push(part);
      rest = rest.slice(part.length - 1);
    }
    const next = cur ? `${cur}\n${rest}` : rest;
    if (next.length > max) {
      chunks.push(cur);
      cur = rest;
    } else {
      cur = next;
    }
  }
  if (cur) chunks.push(cur);
  return chunks;
}

interface Item {
  embed: APIEmbed;
  card?: { rank: number; buttons: Button[] };
}

/** Groups embeds into messages of at most 10 embeds and 6000 characters. */
function packEmbeds(items: Item[]): Item[][] {
  const groups: Item[][] = [];
  let cur: Item[] = [];
  let size = 0;
  for (const it of items) {
    const n = embedLength(it.embed);
    if (cur.length > 0 && (cur.length >= LIMITS.embeds || size + n > LIMITS.embedTotal)) {
      groups.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(it);
    size += n;
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

/**
 * A message as an interaction answer (reply, edit or follow-up), ephemeral by flag. Content is
 * always set: an edit without it would keep the deferral's text. Each transport adds its own
 * spelling of "mention nobody".
 */
export function answerBody(m: DiscordMessage, ephemeral: boolean): { content: string; embeds: DiscordMessage['embeds']; components: DiscordMessage['components']; flags?: number } {
  return { content: m.content ?? '', embeds: m.embeds, components: m.components, ...(ephemeral ? { flags: EPHEMERAL } : {}) };
}

/** Renders a reply as one or more messages, each within Discord's limits. */
export function renderReply(r: Reply, codec: ActionCodec): DiscordMessage[] {
  const lines: string[] = [];
  const embeds: Item[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case 'header':
        lines.push(`**${escapeText(b.text)}**`);
        break;
      case 'text':
        lines.push(escapeText(b.text, { keepLines: true }));
        break;
      case 'notice':
        lines.push(`${ICON[b.level]} ${escapeText(b.text, { keepLines: true })}`);
        break;
      case 'paper':
        if (b.compact) {
          lines.push(compactLine(b.hit, b.rank));
          break;
        }
        embeds.push({ embed: paperEmbed(b.hit, b.rank), ...(b.buttons?.length ? { card: { rank: b.rank, buttons: b.buttons } } : {}) });
        break;
      case 'fields':
        embeds.push(...fieldsEmbeds(b.fields).map((embed) => ({ embed })));
        break;
      case 'more':
        embeds.push({ embed: moreEmbed(b) });
        break;
      case 'actions':
        break;
    }
  }
  const contents = splitContent(lines.filter(Boolean).join('\n'));
  const groups = packEmbeds(embeds);
  const own = replyRows(r.blocks, codec).slice(0, LIMITS.rows);
  const n = Math.max(contents.length, groups.length, 1);
  const messages: DiscordMessage[] = [];
  for (let i = 0; i < n; i += 1) {
    const content = contents[i];
    const group = groups[i] ?? [];
    const last = i === n - 1;
    // The reply's own buttons come first when rows run short; card buttons go with their cards.
    const cards = cardRows(group.flatMap((it) => (it.card ? [it.card] : [])), codec, LIMITS.rows - (last ? own.length : 0));
    messages.push({
      ...(content ? { content } : {}),
      embeds: group.map((it) => it.embed),
      components: last ? [...cards, ...own] : cards,
      allowed_mentions: { parse: [] },
    });
  }
  const last = messages[n - 1];
  if (last && !last.content && last.embeds.length === 0 && last.components.length === 0) last.content = 'Done.';
  return messages;
}
