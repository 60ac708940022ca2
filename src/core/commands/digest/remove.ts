import { removeTopic } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestRemove: CommandSpec = {
  command: 'digest',
  sub: 'remove',
  description: "Remove a topic from this channel's digest.",
  usage: '/digest remove TOPIC',
  permission: 'manage-channel',
  needsChannel: true,
  options: [
    {
      name: 'topic',
      description: "One of this channel's topics",
      type: 'string',
      required: true,
      rest: true,
      autocomplete: 'channel-topics',
    },
  ],
  run: (ctx, args, deps) => removeTopic('channel', ctx, args.topic, deps),
};
