/**
 * Digest delivery over Discord's HTTP API: text and announcement channels get messages, forum
 * (and media) channels a new post, people a DM. Every failure becomes a DeliveryError.
 */
import { Routes, type REST } from 'discord.js';
import { DeliveryError, type Destination, type Reply } from '../../core/index.ts';
import type { ActionCodec } from './custom-id.ts';
import { toDeliveryError } from './errors.ts';
import { renderReply, type DiscordMessage } from './render.ts';
import { truncate } from './text.ts';

const Channel = { Text: 0, DM: 1, Announcement: 5, AnnouncementThread: 10, PublicThread: 11, PrivateThread: 12, Forum: 15, Media: 16 } as const;
const POSTABLE = new Set<number>([Channel.Text, Channel.DM, Channel.Announcement, Channel.AnnouncementThread, Channel.PublicThread, Channel.PrivateThread]);
const CACHE_MAX = 5000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > CACHE_MAX) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

/** The forum post's title: the reply's header, else a dated default (1-100 characters). */
export function threadName(reply: Reply, now: Date): string {
  const header = reply.blocks.find((b) => b.type === 'header');
  const text = header && header.type === 'header' ? header.text.replace(/\s+/g, ' ').trim() : '';
  return truncate(text || `Paperboy digest ${now.toISOString().slice(0, 10)}`, 100);
}

export class DiscordDelivery {
  private readonly channelTypes = new Map<string, number>();
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly rest: REST,
    private readonly codec: ActionCodec,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async deliver(destination: Destination, reply: Reply): Promise<void> {
    const where = destination.kind === 'user' ? `the DM of user ${destination.id}` : `channel ${destination.id}`;
    const messages = renderReply(reply, this.codec);
    try {
      if (destination.kind === 'user') {
        const dm = await this.dmChannel(destination.id);
        await this.postAll(dm, messages);
        return;
      }
      const type = await this.channelType(destination.id);
      if (type === Channel.Forum || type === Channel.Media) {
        const [first, ...rest] = messages;
        const thread = (await this.rest.post(Routes.threads(destination.id), {
          body: { name: threadName(reply, this.now()), auto_archive_duration: 1440, message: first },
        })) as { id: string };
        await this.postAll(thread.id, rest);
        return;
      }
      if (!POSTABLE.has(type)) {
        throw new DeliveryError('unsupported_channel', `${where} is not a text, announcement or forum channel (type ${type}).`, true);
      }
      await this.postAll(destination.id, messages);
    } catch (err) {
      // A deleted channel or closed DM must be looked up afresh if settings change later.
      this.channelTypes.delete(destination.id);
      throw toDeliveryError(err, where);
    }
  }

  private async postAll(channelId: string, messages: DiscordMessage[]): Promise<void> {
    for (const body of messages) await this.rest.post(Routes.channelMessages(channelId), { body });
  }

  private async channelType(id: string): Promise<number> {
    const known = this.channelTypes.get(id);
    if (known !== undefined) return known;
    const ch = (await this.rest.get(Routes.channel(id))) as { type: number };
    remember(this.channelTypes, id, ch.type);
    return ch.type;
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const ch = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    remember(this.dmChannels, userId, ch.id);
    return ch.id;
  }
}
