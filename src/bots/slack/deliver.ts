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

  /** A digest's id and papers ride along as message metadata, so findDelivered can see them later. */
  function metadataOf(message: Reply) {
    if (!message.digest) return {};
    const { id, paperIds } = message.digest;
    // One message per digest today; `part` is there for digests of several (threads).
    return { metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { digest_id: id, paper_ids: paperIds.join(','), part: 0 } } };
  }

  /** Looks for the digest `digestId` among the destination's recent messages (needs the *:history scopes). */
  async function findDelivered(destination: Destination, digestId: string): Promise<FoundDigest | undefined> {
    try {
      const channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
      const res = await call(() => opts.client.conversations.history({ channel, limit: 50, include_all_metadata: true }));
      const parts = new Map<number, string[]>();
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { digest_id?: unknown; paper_ids?: unknown; part?: unknown } } | undefined;
        if (meta?.event_type !== DIGEST_EVENT_TYPE || meta.event_payload?.digest_id !== digestId) continue;
        const ids = meta.event_payload.paper_ids;
        const part = Number(meta.event_payload.part ?? 0);
        parts.set(Number.isInteger(part) && part >= 0 ? part : 0, typeof ids === 'string' && ids ? ids.split(',') : []);
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

  const deliver = async function deliver(destination: Destination, message: Reply, progress?: DeliveryProgress): Promise<void> {
    if (destination.platform !== 'slack') {
      throw new DeliveryError('wrong_platform', `The Slack adapter cannot deliver to ${destination.platform} destination ${destination.key}.`, true);
    }
    // A digest is one message (part 0): already there, nothing to post.
    if (progress?.done.has(0)) return;
    await progress?.begin(1);
    try {
      const channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
      const { text, blocks } = renderReply(message);
      // Stopping while waiting for the channel's slot: nothing was posted.
      await pacer.wait(channel, opts.signal).catch((err: unknown) => {
        throw beforePosting(toDeliveryError(err, `posting to ${destination.key}`));
      });
      const post = (b: typeof blocks) =>
        call(() => poster.chat.postMessage({ channel, text, blocks: b, unfurl_links: false, unfurl_media: false, ...metadataOf(message) }));
      try {
        await post(blocks);
      } catch (err) {
        // A thumbnail Slack cannot download fails the whole message: send it once more without images.
        const stripped = withoutImages(blocks);
        if (slackErrorInfo(err).code !== 'invalid_blocks' || JSON.stringify(stripped) === JSON.stringify(blocks)) throw err;
        opts.logger.warn({ destination: destination.key }, 'Slack refused the blocks; retrying without thumbnails');
        await post(stripped);
      }
      opts.onResult?.('sent');
    } catch (err) {
      const e = err instanceof DeliveryError ? err : toDeliveryError(err, `posting to ${destination.key}`);
      opts.onResult?.('failed', e.reason);
      opts.logger.warn({ destination: destination.key, reason: e.reason, permanent: e.permanent }, e.message);
      throw e;
    }
    await progress?.landed(0);
  };
  return Object.assign(deliver, { findDelivered });
}
