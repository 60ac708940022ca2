import type { DestinationRef } from './destination.ts';
import type { PaperHit } from './paper.ts';
import { arxivLine, paperUrl, upvotesOf } from './paper-facts.ts';

/**
 * The neutral reply every command returns and every digest becomes. Adapters render it
 * (Discord embeds and components, Slack Block Kit, ANSI text). All text here is plain:
 * adapters escape it for their markup; nothing in it is ever a mention.
 */
export interface Reply {
  /** Visible only to the caller (personal data, previews, errors). */
  ephemeral: boolean;
  blocks: ReplyBlock[];
  /**
   * Set on scheduled digests: adapters carry it in the platform message (Slack `metadata`, ...) so
   * that after a crash between ledger claim and send, `Adapter.findDelivered` can tell if it arrived.
   */
  digest?: DigestMark;
  /**
   * A threaded digest: blocks before this index are the header message posted in the channel;
   * each block from it on (a paper, the "and K more") is one reply in the header's thread.
   * Where there are no threads (command replies, the terminal) the blocks show as one message.
   */
  threadFrom?: number;
}

/** Identity of one scheduled digest as carried inside the posted message. */
export interface DigestMark {
  /** Stable per destination and local day, see src/delivery/digest-id.ts. */
  id: string;
  paperIds: string[];
}

export type ReplyBlock =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'notice'; level: NoticeLevel; text: string }
  /** One paper card; `buttons` act on that paper (Save, Remove, ...) and are shown with the card. */
  | { type: 'paper'; hit: PaperHit; rank: number; buttons?: Button[]; compact?: boolean }
  /** "and K more" with a link to see them all. */
  | { type: 'more'; count: number; url?: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'actions'; buttons: Button[] };

export type NoticeLevel = 'info' | 'success' | 'warning' | 'error';

export interface Button {
  label: string;
  action: Action;
  style?: 'primary' | 'secondary';
}

/** What a button does when pressed; adapters encode it into their custom ids / values. */
export type Action =
  | { type: 'page'; query: string; page: number }
  | { type: 'subscribe'; topic: string }
  /** Keeps the paper in the presser's saved list. */
  | { type: 'save'; paperId: string }
  /** Takes the paper out of the presser's saved list, then shows that `page` of it again. */
  | { type: 'unsave'; paperId: string; page: number }
  /** A page of the presser's saved list. */
  | { type: 'saved'; page: number }
  /** "More like this": the stored papers closest to paper `paperId`. */
  | { type: 'like'; paperId: string }
  /** "Show all K": every paper of the digest of destination `key` over (since, until] (epoch ms), privately, paged. */
  | { type: 'digest'; key: string; since: number; until: number; page: number };

/** One destination's digest, before rendering. */
export interface Digest {
  destination: DestinationRef & { key: string };
  /** Local day (destination's zone) the digest is for. */
  day: string;
  /** Papers shown, best first. */
  hits: PaperHit[];
  /** All matching papers, shown or not. */
  total: number;
  /** Where to see every paper of the period. */
  moreUrl: string;
  /** ISO bounds of the listing window. */
  since: string;
  until: string;
}

export const reply = {
  of(blocks: ReplyBlock[], ephemeral = true): Reply {
    return { ephemeral, blocks };
  },
  notice(level: NoticeLevel, text: string, ephemeral = true): Reply {
    return { ephemeral, blocks: [{ type: 'notice', level, text }] };
  },
};

function factsText(p: PaperHit['paper']): string {
  const upvotes = upvotesOf(p);
  const facts = [upvotes !== undefined ? `${upvotes} upvotes` : '', arxivLine(p) ?? ''].filter(Boolean);
  return facts.length ? ` (${facts.join(', ')})` : '';
}

/** Plain-text fallback of a reply (Slack `text`, notifications, logs). */
export function replyText(r: Reply): string {
  const lines: string[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case 'header':
      case 'text':
      case 'notice':
        lines.push(b.text);
        break;
      case 'paper':
        lines.push(`${b.rank}. ${b.hit.paper.title}${factsText(b.hit.paper)} ${paperUrl(b.hit.paper)}`);
        break;
      case 'more':
        lines.push(`…and ${b.count} more${b.url ? `: ${b.url}` : ''}`);
        break;
      case 'fields':
        for (const f of b.fields) lines.push(`${f.label}: ${f.value}`);
        break;
      case 'actions':
        break;
    }
  }
  return lines.join('\n');
}
