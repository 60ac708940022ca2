/**
 * Neutral Reply -> Slack message (Block Kit plus a `text` fallback), always within Slack's limits:
 * 50 blocks, section text 3000, header 150 plain text, 10 fields, 10 context elements, button text
 * 75, button value 2000.
 */
import { replyText, type Button, type Reply, type ReplyBlock } from '../../core/index.ts';
import { ACTION_PREFIX, encodeAction } from './action-value.ts';
import { escapeMrkdwn, isSafeUrl, truncate } from './escape.ts';
import { compactPaper, renderPaper, type SlackBlock } from './render-paper.ts';

export type { SlackBlock } from './render-paper.ts';

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  response_type: 'ephemeral' | 'in_channel';
}

export const MAX_BLOCKS = 50;
const NOTICE_ICON = { info: ':information_source:', success: ':white_check_mark:', warning: ':warning:', error: ':x:' } as const;

const plain = (text: string, max: number) => ({ type: 'plain_text', text: truncate(text.trim() || ' ', max), emoji: true });
const mrkdwnSection = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text), 2900) || ' ' } });

/** Marks the actions block of one card, so fitting a long message keeps it with its card. */
const CARD_BLOCK = 'paperboy-card-';

function renderButtons(buttons: Button[], card?: number): SlackBlock | undefined {
  const elements = buttons.slice(0, 25).flatMap((b, i) => {
    const value = encodeAction(b.action);
    if (value === undefined) return [];
    const el: Record<string, unknown> = {
      type: 'button',
      text: plain(b.label, 75),
      // Unique in the message: Slack refuses two equal action ids, and cards repeat their buttons.
      action_id: `${ACTION_PREFIX}${b.action.type}:${card === undefined ? i : `${card}.${i}`}`,
      value,
    };
    if (b.style === 'primary') el.style = 'primary';
    return [el];
  });
  if (elements.length === 0) return undefined;
  return card === undefined ? { type: 'actions', elements } : { type: 'actions', block_id: `${CARD_BLOCK}${card}`, elements };
}

const isCardActions = (b: SlackBlock) => b.type === 'actions' && String(b.block_id ?? '').startsWith(CARD_BLOCK);

function renderBlock(b: ReplyBlock): SlackBlock[] {
  switch (b.type) {
    case 'header':
      return [{ type: 'header', text: plain(b.text, 150) }];
    case 'text':
      return b.text.trim() ? [mrkdwnSection(b.text)] : [];
    case 'notice':
      return [{ type: 'section', text: { type: 'mrkdwn', text: `${NOTICE_ICON[b.level]} ${truncate(escapeMrkdwn(b.text), 2900)}` } }];
    case 'paper': {
      if (b.compact) return [compactPaper(b.hit, b.rank)];
      const buttons = b.buttons?.length ? renderButtons(b.buttons, b.rank) : undefined;
      return buttons ? [renderPaper(b.hit, b.rank), buttons] : [renderPaper(b.hit, b.rank)];
    }
    case 'more': {
      const link = isSafeUrl(b.url) ? ` <${b.url}|See them all>` : '';
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${b.count} more.${link}` }] }];
    }
    case 'fields': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < b.fields.length; i += 10) {
        const fields = b.fields.slice(i, i + 10).map((f) => ({
          type: 'mrkdwn',
          text: `*${truncate(escapeMrkdwn(f.label), 200)}*\n${truncate(escapeMrkdwn(f.value), 1700) || '—'}`,
        }));
        out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'actions': {
      const block = renderButtons(b.buttons);
      return block ? [block] : [];
    }
  }
}

/** Keeps the message within 50 blocks: content first, the last actions block kept, a note if cut. */
function fitBlocks(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= MAX_BLOCKS) return blocks;
  const actions = blocks.filter((b) => b.type === 'actions' && !isCardActions(b)).slice(-1);
  const content = blocks.filter((b) => b.type !== 'actions' || isCardActions(b));
  const room = MAX_BLOCKS - actions.length - 1;
  const omitted = content.length - room;
  const note: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `${omitted} more item${omitted === 1 ? '' : 's'} not shown.` }] };
  return [...content.slice(0, room), note, ...actions];
}

export function renderReply(reply: Reply): SlackMessage {
  const blocks = fitBlocks(reply.blocks.flatMap(renderBlock));
  const fallback = truncate(replyText(reply).trim(), 3000) || 'Paperboy';
  return {
    text: escapeMrkdwn(fallback),
    blocks,
    response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
  };
}

/** The same blocks without image accessories (Slack rejects a message whose image it cannot fetch). */
export function withoutImages(blocks: SlackBlock[]): SlackBlock[] {
  return blocks.map((b) => {
    if (!(b.type === 'section' && (b.accessory as { type?: string } | undefined)?.type === 'image')) return b;
    const { accessory: _drop, ...rest } = b;
    return rest as SlackBlock;
  });
}
