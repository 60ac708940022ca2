/**
 * Digest delivery: channels through chat.postMessage, people through the DM opened with
 * conversations.open. Paced per channel; 429s waited out (bounded); failures become DeliveryError.
 */
import type { webApi } from '@slack/bolt';
import { DeliveryError, type Destination, type Reply } from '../../core/index.ts';
import type { Logger } from '../../core/ports.ts';
import { createPacer, withRateLimit, type RateLimitPolicy } from './pacing.ts';
import { renderReply, withoutImages } from './render.ts';
import { slackErrorInfo, toDeliveryError } from './slack-errors.ts';
import { DIGEST_EVENT_TYPE } from '../../delivery/digest-id.ts';

export interface SlackDeliveryOptions {
  client: webApi.WebClient;
  logger: Logger;
  pacingMs: number;
  rateLimit: RateLimitPolicy;
  signal?: AbortSignal;
  onResult?: (result: 'sent' | 'failed', reason?: string) => void;
}

export function createSlackDelivery(opts: SlackDeliveryOptions) {
  const pacer = createPacer(opts.pacingMs);
  const dmChannels = new Map<string, string>();
  const call = <T>(fn: () => Promise<T>) =>
    withRateLimit(fn, opts.rateLimit, opts.signal, (ms) => opts.logger.warn({ waitMs: ms }, 'Slack rate limited; waiting out Retry-After'));

  async function dmChannel(userId: string): Promise<string> {
    const cached = dmChannels.get(userId);
    if (cached) return cached;
    let res: Awaited<ReturnType<webApi.WebClient['conversations']['open']>>;
    try {
      res = await call(() => opts.client.conversations.open({ users: userId }));
    } catch (err) {
      throw toDeliveryError(err, `opening a DM with ${userId}`);
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
    return { metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { digest_id: id, paper_ids: paperIds.join(',') } } };
  }

  /** Looks for the digest `digestId` among the destination's recent messages (needs the *:history scopes). */
  async function findDelivered(destination: Destination, digestId: string): Promise<{ paperIds: string[] } | undefined> {
    try {
      const channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
      const res = await call(() => opts.client.conversations.history({ channel, limit: 50, include_all_metadata: true }));
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { digest_id?: unknown; paper_ids?: unknown } } | undefined;
        if (meta?.event_type !== DIGEST_EVENT_TYPE || meta.event_payload?.digest_id !== digestId) continue;
        const ids = meta.event_payload.paper_ids;
        return { paperIds: typeof ids === 'string' && ids ? ids.split(',') : [] };
      }
      return undefined;
    } catch (err) {
      throw err instanceof DeliveryError ? err : toDeliveryError(err, `reading the history of ${destination.key}`);
    }
  }

  const deliver = async function deliver(destination: Destination, message: Reply): Promise<void> {
    if (destination.platform !== 'slack') {
      throw new DeliveryError('wrong_platform', `The Slack adapter cannot deliver to ${destination.platform} destination ${destination.key}.`, true);
    }
    try {
      const channel = destination.kind === 'user' ? await dmChannel(destination.id) : destination.id;
      const { text, blocks } = renderReply(message);
      await pacer.wait(channel, opts.signal);
      const post = (b: typeof blocks) =>
        call(() => opts.client.chat.postMessage({ channel, text, blocks: b, unfurl_links: false, unfurl_media: false, ...metadataOf(message) }));
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
  };
  return Object.assign(deliver, { findDelivered });
}
