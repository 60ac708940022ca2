/**
 * Digest delivery: channels through chat.postMessage, people through the DM opened with
 * conversations.open. Paced per channel; 429s waited out (bounded); failures become DeliveryError.
 */
import { LRUCache } from 'lru-cache';
import type { webApi } from '@slack/bolt';
import { DELIVERY_UNKNOWN, DeliveryError, type DeliveryProgress, type Destination, type FoundDigest, type Reply } from '../../core/index.ts';
import type { Logger } from '../../core/ports.ts';
import { createPacer, withRateLimit, type RateLimitPolicy } from './pacing.ts';
import { renderReply, withoutImages } from './render.ts';
import { slackErrorInfo, toDeliveryError } from './slack-errors.ts';
import { DIGEST_EVENT_TYPE } from '../../delivery/digest-id.ts';
import { beforePosting } from '../../delivery/outcome.ts';

/** DM channel ids remembered by user; the least recently used goes first. */
const DM_CHANNELS_MAX = 5000;

export interface SlackDeliveryOptions {
  /** Reads (history) with the SDK's bounded retries. */
  client: webApi.WebClient;
  /** Posts and conversations.open, without SDK retries (see adapter.ts); defaults to `client`. */
  postClient?: webApi.WebClient;
  logger: Logger;
  pacingMs: number;
  rateLimit: RateLimitPolicy;
  signal?: AbortSignal;
  onResult?: (result: 'sent' | 'failed', reason?: string) => void;
}

/** Answers to conversations.history that mean "this token may not look", not "this channel is broken". */
const UNREADABLE = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission', 'access_denied']);
const HISTORY_SCOPES_TEXT = 'channels:history, groups:history and im:history';

export function createSlackDelivery(opts: SlackDeliveryOptions) {
  const pacer = createPacer(opts.pacingMs);
  const poster = opts.postClient ?? opts.client;
  const dmChannels = new LRUCache<string, string>({ max: DM_CHANNELS_MAX });
  const call = <T>(fn: () => Promise<T>) =>
    withRateLimit(fn, opts.rateLimit, opts.signal, (ms) => opts.logger.warn({ waitMs: ms }, 'Slack rate limited; waiting out Retry-After'));

  async function dmChannel(userId: string): Promise<string> {
    const cached = dmChannels.get(userId);
    if (cached) return cached;
    let res: Awaited<ReturnType<webApi.WebClient['conversations']['open']>>;
    try {
      res = await call(() => poster.conversations.open({ users: userId }));
    } catch (err) {
      // No message was posted yet, whatever happened to this call.
      throw beforePosting(toDeliveryError(err, `opening a DM with ${userId}`));
    }
    const id = res.channel?.id;
    if (!id) throw new DeliveryError('platform_error', `conversations.open returned no channel for ${userId}`, false);
    dmChannels.set(userId, id);
    return id;
  }

  /** Headers of threaded digests posted or read back, by channel and digest id: where their replies go. */
  const threads = new LRUCache<string, string>({ max: 5000 });

  /** A digest's id, part and papers ride along as message metadata, so findDelivered can see them later. */
  function metadataOf(message: Reply, part: number, paperIds: string[]) {
    if (!message.digest) return {};
    return { metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { digest_id: message.digest.id, paper_ids: paperIds.join(','), part } } };
  }

  type Meta = { event_type?: string; event_payload?: { digest_id?: unknown; paper_ids?: unknown; part?: unknown } } | undefined;

  /** Adds the digest's parts among `messages` to `parts`; returns the ts of its part 0, if there. */
  function collect(messages: { ts?: string; metadata?: unknown }[], digestId: string, parts: Map<number, string[]>): string | undefined {
    let header: string | undefined;
    for (const m of messages) {
      const meta = m.metadata as Meta;
      if (meta?.event_type !== DIGEST_EVENT_TYPE || meta.event_payload?.digest_id !== digestId) continue;
      const ids = meta.event_payload.paper_ids;
      const raw = Number(meta.event_payload.part ?? 0);
      const part = Number.isInteger(raw) && raw >= 0 ? raw : 0;
      parts.set(part, typeof ids === 'string' && ids ? ids.split(',') : []);
      if (part === 0) header = m.ts;
    }
    return header;
  }

  /** Looks for the digest `digestId` among the destination's recent messages (needs the *:history scopes). */
  async function findDelivered(destination: Destination, digestId: string): Promise<FoundDigest | undefined> {
    try {
      const channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
      const res = await call(() => opts.client.conversations.history({ channel, limit: 50, include_all_metadata: true }));
      const parts = new Map<number, string[]>();
      const header = collect(res.messages ?? [], digestId, parts);
      // A threaded digest's papers are replies in its header's thread: read them there too.
      const parent = (res.messages ?? []).find((m) => m.ts === header);
      if (header && parent?.reply_count) {
        threads.set(`${channel}|${digestId}`, header);
        const replies = await call(() => opts.client.conversations.replies({ channel, ts: header, limit: 200, include_all_metadata: true }));
        collect((replies.messages ?? []).filter((m) => m.ts !== header), digestId, parts);
      }
      if (parts.size === 0) return undefined;
      const order = [...parts.keys()].sort((a, b) => a - b);
      return { paperIds: order.flatMap((p) => parts.get(p)!), parts: order };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      // A history the token may not read (a private channel without groups:history) cannot tell
      // whether the digest arrived; it says nothing about whether the channel works.
      const code = slackErrorInfo(err).code;
      if (UNREADABLE.has(code)) {
        throw new DeliveryError(DELIVERY_UNKNOWN, `Cannot tell whether the digest reached ${destination.key}: Slack refused to show its history (${code}); add the bot scopes ${HISTORY_SCOPES_TEXT} and reinstall.`, false, undefined, { cause: err });
      }
      throw toDeliveryError(err, `reading the history of ${destination.key}`);
    }
  }

  /** The reply's messages in posting order: one, or a threaded digest's header and then each reply. */
  function messagesOf(message: Reply): { reply: Reply; paperIds: string[] }[] {
    const papers = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'paper' ? [b.hit.paper.id] : []));
    const at = message.threadFrom;
    if (at === undefined || at <= 0 || at >= message.blocks.length) return [{ reply: message, paperIds: message.digest?.paperIds ?? papers(message) }];
    const header: Reply = { ephemeral: false, blocks: message.blocks.slice(0, at) };
    const replies = message.blocks.slice(at).map((b): Reply => ({ ephemeral: false, blocks: [b] }));
    return [header, ...replies].map((reply) => ({ reply, paperIds: papers(reply) }));
  }

  const deliver = async function deliver(destination: Destination, message: Reply, progress?: DeliveryProgress): Promise<void> {
    if (destination.platform !== 'slack') {
      throw new DeliveryError('wrong_platform', `The Slack adapter cannot deliver to ${destination.platform} destination ${destination.key}.`, true);
    }
    const parts = messagesOf(message);
    const todo = parts.map((m, part) => ({ ...m, part })).filter((m) => !progress?.done.has(m.part));
    if (todo.length === 0) return;
    let channel: string;
    try {
      channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : toDeliveryError(err, `posting to ${destination.key}`);
      opts.onResult?.('failed', e.reason);
      throw e;
    }
    await progress?.begin(parts.length);
    const threadKey = `${channel}|${message.digest?.id ?? ''}`;
    for (const { reply, paperIds, part } of todo) {
      try {
        const { text, blocks } = renderReply(reply);
        // A reply goes into the thread of the header (part 0), posted now or found after a restart.
        const threadTs = part > 0 && parts.length > 1 ? threads.get(threadKey) : undefined;
        if (part > 0 && parts.length > 1 && !threadTs) {
          throw new DeliveryError(DELIVERY_UNKNOWN, `Cannot find the thread of this digest in ${destination.key} to add its part ${part + 1}.`, false);
        }
        // Stopping while waiting for the channel's slot: nothing was posted.
        await pacer.wait(channel, opts.signal).catch((err: unknown) => {
          throw beforePosting(toDeliveryError(err, `posting to ${destination.key}`));
        });
        const post = (b: typeof blocks) =>
          call(() =>
            poster.chat.postMessage({
              channel, text, blocks: b, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}), ...metadataOf(message, part, paperIds),
            }),
          );
        let res: Awaited<ReturnType<typeof post>>;
        try {
          res = await post(blocks);
        } catch (err) {
          // A thumbnail Slack cannot download fails the whole message: send it once more without images.
          const stripped = withoutImages(blocks);
          if (slackErrorInfo(err).code !== 'invalid_blocks' || JSON.stringify(stripped) === JSON.stringify(blocks)) throw err;
          opts.logger.warn({ destination: destination.key }, 'Slack refused the blocks; retrying without thumbnails');
          res = await post(stripped);
        }
        if (part === 0 && parts.length > 1 && res.ts) threads.set(threadKey, res.ts);
      } catch (err) {
        const e = err instanceof DeliveryError ? err : toDeliveryError(err, `posting to ${destination.key}`);
        opts.onResult?.('failed', e.reason);
        opts.logger.warn({ destination: destination.key, reason: e.reason, permanent: e.permanent }, e.message);
        throw e;
      }
      await progress?.landed(part);
    }
    opts.onResult?.('sent');
  };
  return Object.assign(deliver, { findDelivered });
}
