/** The Discord side of the slow-platform tests: a real discord.js client on the stand-in. */
import type { Destination } from '../../src/core/index.ts';
import { digestMarkOf, type HistoryMessage } from '../../src/bots/discord/digest-mark.ts';
import { ChannelType, DEFAULT_GUILD, type GuildSetup } from '../support/discord/index.ts';
import { startHarness, type Harness } from '../bots/discord/harness.ts';
import { CLIENT_TIMEOUT_MS, FAULT_SHAPES, NOW, type Rig } from './fault-rig.ts';

export const TEXT = '200000000000000301';
export const SPLIT = '200000000000000302';
export const GUILD: GuildSetup = {
  ...DEFAULT_GUILD,
  channels: [...DEFAULT_GUILD.channels, { id: TEXT, type: ChannelType.GuildText, name: 'slow' }, { id: SPLIT, type: ChannelType.GuildText, name: 'split' }],
};
export const READER = '300000000000000077';
const POSTS = { method: 'POST', path: /^\/channels\/\d+\/messages$/ };

export type DiscordRig = Rig & { h: Harness; channelOf(dest: Destination): string | undefined };

export async function startDiscordRig(): Promise<DiscordRig> {
  const h = await startHarness({ guilds: [GUILD], now: NOW, platformTimeoutMs: CLIENT_TIMEOUT_MS });
  const channelOf = (dest: Destination): string | undefined =>
    dest.kind === 'user' ? [...h.stand.state.channels.values()].find((c) => c.recipient === dest.id)?.id : dest.id;
  return {
    h,
    deps: h.deps,
    adapter: h.adapter,
    clock: h.clock,
    channelOf,
    inject(kind, skip = 0) {
      h.stand.takeThen(POSTS, FAULT_SHAPES[kind], 1, skip);
    },
    copies(dest, id) {
      const channel = channelOf(dest);
      const counts: number[] = [];
      for (const m of (channel ? h.stand.state.history.get(channel) : undefined) ?? []) {
        const mark = digestMarkOf(m as HistoryMessage);
        if (mark?.id !== id) continue;
        counts[mark.part] = (counts[mark.part] ?? 0) + 1;
      }
      return Array.from(counts, (c) => c ?? 0);
    },
    close: () => h.close(),
  };
}
