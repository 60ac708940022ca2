/** The Discord side of the slow-platform tests: a real discord.js client on the stand-in. */
import type { Destination } from '../../src/core/index.ts';
import { buildDigest, digestReply } from '../../src/core/digests/index.ts';
import { ActionCodec } from '../../src/bots/discord/custom-id.ts';
import { renderReply } from '../../src/bots/discord/render.ts';
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
export const textChannel = (i: number): string => `2000000000000004${String(i).padStart(2, '0')}`;
const POSTS = { method: 'POST', path: /^\/channels\/\d+\/messages$/ };

export type DiscordRig = Rig & {
  h: Harness;
  channelOf(dest: Destination): string | undefined;
  /** How many messages the destination's digest takes if built now (the ground truth for its parts). */
  partsOf(dest: Destination): Promise<number>;
};

/** `more` text channels beside TEXT and SPLIT, with ids from `textChannel(i)`. */
export async function startDiscordRig(more = 0): Promise<DiscordRig> {
  const extra = Array.from({ length: more }, (_, i) => ({ id: textChannel(i), type: ChannelType.GuildText, name: `more-${i}` }));
  const h = await startHarness({ guilds: [{ ...GUILD, channels: [...GUILD.channels, ...extra] }], now: NOW, platformTimeoutMs: CLIENT_TIMEOUT_MS });
  const channelOf = (dest: Destination): string | undefined =>
    dest.kind === 'user' ? [...h.stand.state.channels.values()].find((c) => c.recipient === dest.id)?.id : dest.id;
  return {
    h,
    deps: h.deps,
    adapter: h.adapter,
    clock: h.clock,
    channelOf,
    async partsOf(dest) {
      const digest = await buildDigest(dest, h.deps, { now: h.clock.now() });
      return renderReply(digestReply(digest), new ActionCodec()).length;
    },
    inject(kind, skip = 0) {
      h.stand.takeThen(POSTS, FAULT_SHAPES[kind], 1, skip);
    },
    plan: (faults) => h.stand.queue(POSTS, faults.map((f) => (f === 'ok' ? undefined : FAULT_SHAPES[f]))),
    refuseReads: (n) => h.stand.queue({ method: 'GET', path: /^\/channels\/\d+\/messages$/ }, Array.from({ length: n }, () => ({ refuse: 500 }))),
    heal: () => h.stand.heal(),
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
