/**
 * Digest delivery over Discord's HTTP API: text and announcement channels get messages, forum
 * (and media) channels a new post, people a DM. Every failure becomes a DeliveryError.
 *
 * After a crash, findDelivered reads the channel's (or DM's) recent messages (up to 500, 3 days) for
 * the digest's id (see digest-mark.ts). Forum posts are not searched (that needs the guild's thread lists): there,
 * and where the bot lacks Read Message History, it answers "cannot tell" (DELIVERY_UNKNOWN).
 */
import { LRUCache } from 'lru-cache';
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import { DELIVERY_UNKNOWN, DeliveryError, type DeliveryProgress, type Destination, type FoundDigest, type Reply } from '../../core/index.ts';
import { beforePosting } from '../../delivery/outcome.ts';
import type { ActionCodec } from './custom-id.ts';
import { digestMarkOf, markDigest, paperIdsOf, type HistoryMessage } from './digest-mark.ts';
import { DiscordCode, toDeliveryError } from './errors.ts';
import { renderReply, type DiscordMessage } from './render.ts';
import { truncate } from './text.ts';

const Channel = { Text: 0, DM: 1, Announcement: 5, AnnouncementThread: 10, PublicThread: 11, PrivateThread: 12, Forum: 15, Media: 16 } as const;
const POSTABLE = new Set<number>([Channel.Text, Channel.DM, Channel.Announcement, Channel.AnnouncementThread, Channel.PublicThread, Channel.PrivateThread]);
/** Channel types, DM channels and forum posts remembered (each cache): the least recently used goes first. */
const CACHE_MAX = 5000;
/** Messages per history page (the most one GET returns), pages at most, and how far back to look. */
const HISTORY_LIMIT = 100;
const HISTORY_PAGES = 5;
const HISTORY_DAYS = 3;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** When a message was created, from its snowflake id. */
function snowflakeTime(id: string | undefined): number {
  if (!id || !/^\d+$/.test(id)) return 0;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The forum post's title: the reply's header, else a dated default (1-100 characters). */
export function threadName(reply: Reply, now: Date): string {
  const header = reply.blocks.find((b) => b.type === 'header');
  const text = header && header.type === 'header' ? header.text.replace(/\s+/g, ' ').trim() : '';
  return truncate(text || `Paperboy digest ${now.toISOString().slice(0, 10)}`, 100);
}

/**
 * The reply's messages in posting order. A threaded digest (`threadFrom`) is its header's
 * message(s), then one message per block from `threadFrom` on; `headerParts` says how many of
 * the messages are the header (0: not threaded).
 */
export function renderParts(reply: Reply, codec: ActionCodec): { rendered: DiscordMessage[]; headerParts: number } {
  const at = reply.threadFrom;
  if (at === undefined || at <= 0 || at >= reply.blocks.length) return { rendered: renderReply(reply, codec), headerParts: 0 };
  const header = renderReply({ ephemeral: false, blocks: reply.blocks.slice(0, at) }, codec);
  const replies = reply.blocks.slice(at).flatMap((b) => renderReply({ ephemeral: false, blocks: [b] }, codec));
  return { rendered: [...header, ...replies], headerParts: header.length };
}

export class DiscordDelivery {
  private readonly channelTypes = new LRUCache<string, number>({ max: CACHE_MAX });
  private readonly dmChannels = new LRUCache<string, string>({ max: CACHE_MAX });
  /** Forum posts opened by a digest's first part, for its later parts (by channel and digest id). */
  private readonly threads = new LRUCache<string, string>({ max: CACHE_MAX });

  constructor(
    private readonly rest: REST,
    private readonly codec: ActionCodec,
    private readonly now: () => Date = () => new Date(),
    /** The bot's user id once logged in: only its own messages count as a digest. */
    private readonly selfId: () => string | undefined = () => undefined,
  ) {}

  /**
   * Posts the reply's messages in order. With `progress`, parts it names as done are skipped and
   * each part is reported once Discord confirmed it, so a failure on part 3 never reposts 1 and 2.
   */
  async deliver(destination: Destination, reply: Reply, progress?: DeliveryProgress): Promise<void> {
    const where = destination.kind === 'user' ? `the DM of user ${destination.id}` : `channel ${destination.id}`;
    const { rendered, headerParts } = renderParts(reply, this.codec);
    const messages = reply.digest ? markDigest(rendered, reply.digest.id) : rendered;
    const todo = messages.map((body, part) => ({ body, part })).filter((m) => !progress?.done.has(m.part));
    if (todo.length === 0) return;
    let channelId: string;
    let forum = false;
    try {
      // Nothing is posted while finding where to post: a failure here is a clear "not sent".
      if (destination.kind === 'user') channelId = await this.dmChannel(destination.id);
      else {
        const type = await this.channelType(destination.id);
        forum = type === Channel.Forum || type === Channel.Media;
        if (!forum && !POSTABLE.has(type)) {
          throw new DeliveryError('unsupported_channel', `${where} is not a text, announcement or forum channel (type ${type}).`, true);
        }
        channelId = destination.id;
      }
    } catch (err) {
      this.channelTypes.delete(destination.id);
      throw beforePosting(toDeliveryError(err, where));
    }
    await progress?.begin(messages.length);
    const threadKey = `${destination.id}|${reply.digest?.id ?? ''}`;
    for (const { body, part } of todo) {
      try {
        if (forum && part === 0) {
          // A forum digest is a new post: its first part opens the thread, the others go inside.
          const thread = (await this.rest.post(Routes.threads(channelId), {
            body: { name: threadName(reply, this.now()), auto_archive_duration: 1440, message: body },
          })) as { id: string };
          this.threads.set(threadKey, thread.id);
        } else if (forum || (headerParts > 0 && part >= headerParts && destination.kind === 'channel')) {
          const thread = this.threads.get(threadKey);
          if (!thread) throw new DeliveryError(DELIVERY_UNKNOWN, `Cannot find the thread of this digest in ${where} to add its part ${part + 1}.`, false);
          await this.rest.post(Routes.channelMessages(thread), { body });
        } else {
          const posted = (await this.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
          // A threaded digest's header: its papers go into a thread started from it (same id).
          if (headerParts > 0 && part === headerParts - 1 && destination.kind === 'channel') {
            await this.startThread(channelId, posted.id, threadName(reply, this.now()));
            this.threads.set(threadKey, posted.id);
          }
        }
      } catch (err) {
        // A deleted channel or closed DM must be looked up afresh if settings change later.
        this.channelTypes.delete(destination.id);
        throw toDeliveryError(err, where);
      }
      await progress?.landed(part);
    }
  }

  /** The papers of the digest `digestId` found in the destination's recent history, or undefined. */
  async findDelivered(destination: Destination, digestId: string): Promise<FoundDigest | undefined> {
    const where = destination.kind === 'user' ? `the DM of user ${destination.id}` : `channel ${destination.id}`;
    const unknown = (why: string) => new DeliveryError(DELIVERY_UNKNOWN, `Cannot tell whether the digest reached ${where}: ${why}`, false);
    let history: HistoryMessage[];
    try {
      let channelId = destination.id;
      if (destination.kind === 'user') channelId = await this.dmChannel(destination.id);
      else {
        const type = await this.channelType(destination.id);
        if (!POSTABLE.has(type)) throw unknown(`it is a forum or other channel whose posts are not searched (type ${type}).`);
      }
      history = await this.readHistory(channelId);
    } catch (err) {
      if (err instanceof DiscordAPIError && (err.code === DiscordCode.MissingAccess || err.code === DiscordCode.MissingPermissions || err.status === 403)) {
        throw unknown('the bot may not read its message history (Read Message History).');
      }
      throw toDeliveryError(err, where);
    }
    const self = this.selfId();
    const parts = new Map<number, string[]>();
    const collect = (list: HistoryMessage[]) => {
      let thread: string | undefined;
      for (const m of Array.isArray(list) ? list : []) {
        if (!(self ? m.author?.id === self : m.author?.bot === true)) continue;
        const mark = digestMarkOf(m);
        if (mark?.id !== digestId) continue;
        parts.set(mark.part, paperIdsOf(m));
        if (m.thread?.id) thread = m.thread.id;
      }
      return thread;
    };
    const thread = collect(history);
    if (thread) {
      // A threaded digest's papers are in the thread of its header: read them there, and remember
      // the thread for the parts still to post.
      this.threads.set(`${destination.id}|${digestId}`, thread);
      try {
        collect(await this.readHistory(thread));
      } catch (err) {
        throw toDeliveryError(err, `the thread of the digest in ${where}`);
      }
    }
    if (parts.size === 0) return undefined;
    // The digest's papers in posting order.
    const order = [...parts.keys()].sort((a, b) => a - b);
    return { paperIds: order.flatMap((p) => parts.get(p)!), parts: order };
  }

  /** Starts the thread of a threaded digest's header; one already started (a retry) is used as it is. */
  private async startThread(channelId: string, messageId: string, name: string): Promise<void> {
    try {
      await this.rest.post(Routes.threads(channelId, messageId), { body: { name, auto_archive_duration: 1440 } });
    } catch (err) {
      if (!(err instanceof DiscordAPIError && err.code === DiscordCode.ThreadAlreadyCreated)) throw err;
    }
  }

  /** Newest first, paging back while pages are full and younger than HISTORY_DAYS (busy channels). */
  private async readHistory(channelId: string): Promise<HistoryMessage[]> {
    const out: HistoryMessage[] = [];
    const since = this.now().getTime() - HISTORY_DAYS * 86_400_000;
    let before: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page += 1) {
      const query = new URLSearchParams({ limit: String(HISTORY_LIMIT), ...(before ? { before } : {}) });
      const got = (await this.rest.get(Routes.channelMessages(channelId), { query })) as HistoryMessage[];
      if (!Array.isArray(got)) break;
      out.push(...got);
      before = got.at(-1)?.id;
      if (got.length < HISTORY_LIMIT || !before || snowflakeTime(before) < since) break;
    }
    return out;
  }

  private async channelType(id: string): Promise<number> {
    const known = this.channelTypes.get(id);
    if (known !== undefined) return known;
    const ch = (await this.rest.get(Routes.channel(id))) as { type: number };
    this.channelTypes.set(id, ch.type);
    return ch.type;
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const ch = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    this.dmChannels.set(userId, ch.id);
    return ch.id;
  }
}
